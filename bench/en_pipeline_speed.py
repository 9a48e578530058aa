"""English pipeline speed: words/s of the model alone and of the whole kit pipeline (with the
kit's rule components: names, orgs, gazetteer, consistency, places, dates, claims), one process
pinned to one core (``kit.evaluation.ner.words_per_second``), plus the load average, since the
machine's cores are shared.

Text: the GUM dev documents with their paragraphs as blank lines (``--text gum``, 16 texts,
~14k words) or the wikigold NER corpus (``--text wikigold``, documents of ~300 words). Usage:

    .venv/bin/python bench/en_pipeline_speed.py                       # shipped en_kit_news
    .venv/bin/python bench/en_pipeline_speed.py --model PATH --text wikigold --rounds 3
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from pathlib import Path

import spacy

from kit import settings
from kit.evaluation.ner import words_per_second
from kit.nlp.registry import PipelineSpec, load_pipeline
from kit.training.syntax import gum_files, read_conllu


def gum_texts() -> list[str]:
    vocab = spacy.blank("en").vocab
    return [
        doc.text
        for path in gum_files("dev")
        for doc in read_conllu(path, vocab, sentences_per_doc=0, paragraph_breaks=True)
    ]


def wikigold_texts() -> list[str]:
    """wikigold's documents (``-DOCSTART-`` blocks), words joined by spaces, sentences by newlines."""
    path = settings.shared_data_dir() / "ner" / "en" / "wikigold.conll"
    texts: list[str] = []
    sentences: list[str] = []
    words: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        token = line.split(" ")[0] if line.strip() else ""
        if token == "-DOCSTART-":
            if sentences:
                texts.append(" ".join(sentences))
            sentences = []
        elif not token:
            if words:
                sentences.append(" ".join(words))
            words = []
        else:
            words.append(token)
    if words:
        sentences.append(" ".join(words))
    if sentences:
        texts.append(" ".join(sentences))
    return texts


def measure(pipelines: dict[str, spacy.language.Language], texts: list[str], rounds: int) -> dict[str, list[float]]:
    """Words/s per pipeline, rounds interleaved so that a change in the machine's load hits all."""
    for nlp in pipelines.values():
        words_per_second(nlp, texts[:3])  # warm-up
    runs: dict[str, list[float]] = {name: [] for name in pipelines}
    for _ in range(rounds):
        for name, nlp in pipelines.items():
            runs[name].append(words_per_second(nlp, texts))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=settings.MODELS_DIR / settings.DEFAULT_PIPELINES["en"])
    parser.add_argument("--text", choices=("gum", "wikigold"), default="gum")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = gum_texts() if args.text == "gum" else wikigold_texts()
    n_words = sum(len(t.split()) for t in texts)
    print(f"text: {args.text}, {len(texts)} texts, ~{n_words} words; model {args.model}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    start = time.perf_counter()
    model = spacy.load(args.model)
    print(f"model alone: {', '.join(model.pipe_names)} (loaded in {time.perf_counter() - start:.1f} s)")
    kit_nlp = load_pipeline(PipelineSpec("en", str(args.model)))
    print(f"kit pipeline: {', '.join(kit_nlp.pipe_names)}")
    runs = measure({"model alone": model, "kit pipeline": kit_nlp}, texts, args.rounds)
    for name, values in runs.items():
        spread = statistics.stdev(values) if len(values) > 1 else 0.0
        print(
            f"  {name}: median {statistics.median(values):,.0f} words/s, mean {statistics.mean(values):,.0f}"
            f" ± {spread:,.0f} over {len(values)} rounds (min {min(values):,.0f}, max {max(values):,.0f})"
        )
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

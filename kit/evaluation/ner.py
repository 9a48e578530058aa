"""Score a spaCy NER pipeline against gold corpora: exact, label-aware span matching.

Gold files are read by :mod:`kit.training.corpora` (CoNLL/BIO in IOB1 or IOB2, GermEval TSV,
SmartData JSON, HIPE TSV) with the same label mapping as training, so a score always means
"the kit's PER/ORG/LOC/MISC on this corpus". A predicted entity counts only when its
character span and label equal a gold entity's.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kit.nlp.registry import ENTITY_RULES, PipelineSpec, load_pipeline
from kit.settings import DEFAULT_PIPELINES, MODELS_DIR
from kit.training.corpora import LABELS, GoldDoc, corpus_of_path, detect_format, label_map, read_gold

__all__ = [
    "evaluate",
    "format_report",
    "predict_spans",
    "prf",
    "read_conllu_sentences",
    "score_docs",
    "score_spans",
    "sentence_scores",
    "words_per_second",
]

Span = tuple[int, int, str]


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """Precision, recall and F1 from counts (0.0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f, "tp": tp, "fp": fp, "fn": fn}


def score_spans(pairs: Iterable[tuple[Iterable[Span], Iterable[Span]]]) -> dict[str, Any]:
    """Micro and per-label P/R/F1 over (gold, predicted) span sets, one pair per document."""
    counts: dict[str, list[int]] = {}
    for gold, pred in pairs:
        gold_set, pred_set = set(gold), set(pred)
        for span in gold_set | pred_set:
            c = counts.setdefault(span[2], [0, 0, 0])
            c[0 if span in gold_set and span in pred_set else 1 if span in pred_set else 2] += 1
    labels = sorted(
        counts, key=lambda label: (label not in LABELS, LABELS.index(label) if label in LABELS else 0, label)
    )
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {"micro": prf(*total), "per_label": {label: prf(*counts[label]) for label in labels}}


def _as_doc(nlp: Language, gold: GoldDoc) -> Doc | str:
    return Doc(nlp.vocab, words=gold.words) if gold.words is not None else gold.text


def predict_spans(nlp: Language, golds: list[GoldDoc], *, batch_size: int = 64) -> Iterator[list[Span]]:
    """Predicted entities as character spans; token-based corpora keep their gold tokenisation."""
    for doc in nlp.pipe((_as_doc(nlp, g) for g in golds), batch_size=batch_size):
        yield [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]


def score_docs(
    nlp: Language, golds: Iterable[GoldDoc], *, labels: Iterable[str] | None = None
) -> dict[str, Any]:
    """Run ``nlp`` over gold documents and score it; adds document/word counts and speed.

    ``labels`` are the labels the corpus annotates: predictions of other labels (MISC on
    a corpus without MISC) are left out instead of being counted as false positives.
    """
    docs = list(golds)
    keep = set(labels) if labels is not None else None
    start = time.perf_counter()
    predicted = [[s for s in spans if keep is None or s[2] in keep] for spans in predict_spans(nlp, docs)]
    seconds = time.perf_counter() - start
    result = score_spans((g.spans, p) for g, p in zip(docs, predicted, strict=True))
    words = sum(len(g.words) if g.words is not None else len(g.text.split()) for g in docs)
    result.update(docs=len(docs), words=words, seconds=round(seconds, 2))
    return result


def _load(model: str | Path | Language | None, lang: str, *, rules: bool) -> Language:
    if isinstance(model, Language):
        return model
    name = str(model) if model is not None else str(MODELS_DIR / DEFAULT_PIPELINES[lang])
    if not rules:
        return spacy.load(name)
    return load_pipeline(PipelineSpec(lang, name))


def evaluate(
    path: Path,
    *,
    model: str | Path | Language | None = None,
    lang: str = "de",
    fmt: str | None = None,
    limit: int | None = None,
    split: str | None = None,
    corpus: str | None = None,
    rules: bool = True,
) -> dict[str, Any]:
    """Score a model on one gold file.

    ``model`` defaults to the shipped pipeline for ``lang``; with ``rules`` (the default) the
    kit's entity rules (:data:`kit.nlp.registry.ENTITY_RULES`: first names, organisation roles,
    document consistency, places) run after it, as in a build; ``fmt`` (conll, germeval,
    smartdata, hipe) and ``corpus`` (label map name) are guessed from the path; only the
    labels the corpus annotates are scored (see :func:`score_docs`);
    ``split`` keeps the hash-assigned ``train``/``dev`` documents of a corpus without a dev
    file (GermEval, SmartData); ``limit`` scores only the first documents.
    """
    nlp = _load(model, lang, rules=rules)
    fmt = fmt or detect_format(Path(path))
    corpus = corpus or corpus_of_path(Path(path), fmt=fmt)
    golds = islice(read_gold(Path(path), fmt=fmt, corpus=corpus, split=split), limit)
    running = [name for name in nlp.pipe_names if not name.startswith("kit_") or name in ENTITY_RULES]
    with nlp.select_pipes(enable=running):
        result = score_docs(nlp, golds, labels=set(label_map(corpus).values()))
    result.update(
        path=str(path), split=split, model=nlp.meta.get("name", ""), lang=nlp.lang, pipeline=running
    )
    return result


def format_report(result: dict[str, Any]) -> str:
    """A small fixed-width table: micro scores first, then each label."""
    head = f"{result.get('path', '')}" + (f" [{result['split']}]" if result.get("split") else "")
    if result.get("pipeline"):
        head += f" ({'+'.join(result['pipeline'])})"
    lines = [head, f"{'label':<6} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}"]
    rows = [("micro", result["micro"]), *result["per_label"].items()]
    for name, s in rows:
        gold, pred = s["tp"] + s["fn"], s["tp"] + s["fp"]
        lines.append(f"{name:<6} {s['p']:6.3f} {s['r']:6.3f} {s['f']:6.3f} {gold:6d} {pred:6d}")
    if "docs" in result:
        lines.append(f"{result['docs']} docs, {result['words']} words, {result['seconds']} s")
    return "\n".join(lines)


def words_per_second(nlp: Language, texts: list[str], *, batch_size: int = 64) -> float:
    """Throughput of the whole pipeline with ``nlp.pipe`` on one CPU core (non-space tokens/s).

    The process is pinned to a single core while measuring, so the number does not depend
    on how many cores the machine has.
    """
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})
    try:
        start = time.perf_counter()
        words = sum(sum(not t.is_space for t in doc) for doc in nlp.pipe(texts, batch_size=batch_size))
        return words / (time.perf_counter() - start)
    finally:
        os.sched_setaffinity(0, cores)


def read_conllu_sentences(path: Path) -> list[str]:
    """Sentence texts (``# text =`` lines) of a CoNLL-U file, in order."""
    prefix = "# text = "
    with Path(path).open(encoding="utf-8") as f:
        return [line[len(prefix) :].strip() for line in f if line.startswith(prefix)]


def sentence_scores(nlp: Language, sentences: list[str], *, per_text: int = 10) -> dict[str, Any]:
    """P/R/F1 of sentence starts when gold sentences are joined into texts of ``per_text``.

    Only boundaries inside a text count (the start of a text is given), so the score is
    about where the pipeline splits, not how many texts there are.
    """
    pairs = []
    texts = []
    for i in range(0, len(sentences), per_text):
        chunk = sentences[i : i + per_text]
        starts, pos = [], 0
        for sent in chunk:
            starts.append((pos, pos, "S"))
            pos += len(sent) + 1
        texts.append(" ".join(chunk))
        pairs.append(starts[1:])
    predicted = [
        [(s.start_char, s.start_char, "S") for s in doc.sents if s.start_char > 0] for doc in nlp.pipe(texts)
    ]
    micro: dict[str, Any] = score_spans(zip(pairs, predicted, strict=True))["micro"]
    return micro

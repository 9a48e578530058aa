"""What each set of the kit's entity rules adds on every NER dev set of a language.

NER runs once per document; the rule components then run on copies of its output in three
variants: the model alone, the rules without ``kit_gazetteer``, and every rule
(:data:`kit.nlp.registry.ENTITY_RULES`, as ``kit eval ner`` and a build run them). Prints a
Markdown table of micro F1 (ORG F1 in brackets) on the labels each corpus annotates.

    .venv/bin/python bench/ner_rules.py --lang de [--model PATH] [--limit N]
"""

from __future__ import annotations

import argparse
from itertools import islice

from spacy.tokens import Doc

from kit import settings
from kit.evaluation.ner import score_spans
from kit.nlp.registry import ENTITY_RULES, PipelineSpec, load_pipeline
from kit.training.corpora import corpus_specs, iter_corpus, label_map

VARIANTS = {
    "model alone": (),
    "rules without gazetteer": tuple(r for r in ENTITY_RULES if r != "kit_gazetteer"),
    "all rules": ENTITY_RULES,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="de")
    parser.add_argument("--model", default=None, help="pipeline folder (default: the shipped one)")
    parser.add_argument("--limit", type=int, default=None, help="documents per dev set")
    args = parser.parse_args()
    model = args.model or str(settings.pipeline_dir(args.lang))
    nlp = load_pipeline(PipelineSpec(args.lang, model))
    base = [name for name in nlp.pipe_names if not name.startswith("kit_")]
    print(f"{model}\n")
    print("| dev set | " + " | ".join(VARIANTS) + " |")
    print("|---|" + "---:|" * len(VARIANTS))
    for spec in corpus_specs(args.lang):
        if not spec.dev:
            continue
        golds = list(islice(iter_corpus(spec, "dev"), args.limit))
        keep = set(label_map(spec.labels).values())
        inputs = (Doc(nlp.vocab, words=g.words) if g.words is not None else g.text for g in golds)
        with nlp.select_pipes(enable=base):
            docs = list(nlp.pipe(inputs, batch_size=64))
        cells = []
        for rules in VARIANTS.values():
            predicted = []
            for doc in docs:
                copy = doc.copy()
                for name in rules:
                    copy = nlp.get_pipe(name)(copy)
                predicted.append(
                    [(e.start_char, e.end_char, e.label_) for e in copy.ents if e.label_ in keep]
                )
            result = score_spans((g.spans, p) for g, p in zip(golds, predicted, strict=True))
            org = result["per_label"].get("ORG", {}).get("f")
            cells.append(f"{result['micro']['f']:.3f}" + (f" ({org:.3f})" if org is not None else ""))
        print(f"| {spec.name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()

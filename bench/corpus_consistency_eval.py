"""Does corpus-level consistency raise NER F1? Each dev set is treated as one build.

    python bench/corpus_consistency_eval.py [--limit N] PATH[:split] ...

Runs the shipped pipeline of ``--lang`` (default German) with the kit's entity rules (as ``kit eval ner`` does), then
kit.corpus_consistency over all documents of the file, and prints micro P/R/F1 before and after
with the number of spans added and relabelled.
"""

from __future__ import annotations

import argparse
from itertools import islice
from pathlib import Path

from spacy.tokens import Doc

from kit import corpus_consistency as cc
from kit.corpus_consistency import make_consistent
from kit.evaluation.ner import score_spans
from kit.nlp.registry import ENTITY_RULES, PipelineSpec, load_pipeline
from kit.settings import DEFAULT_PIPELINES, MODELS_DIR
from kit.training.corpora import corpus_of_path, detect_format, label_map, read_gold


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--lang", default="de")
    parser.add_argument("--min-articles", type=int, default=cc.MIN_ARTICLES)
    parser.add_argument("--min-share", type=float, default=cc.MIN_SHARE)
    parser.add_argument("--min-recognised", type=float, default=cc.MIN_RECOGNISED)
    args = parser.parse_args()
    cc.MIN_ARTICLES, cc.MIN_SHARE, cc.MIN_RECOGNISED = args.min_articles, args.min_share, args.min_recognised
    nlp = load_pipeline(PipelineSpec(args.lang, str(MODELS_DIR / DEFAULT_PIPELINES[args.lang])))
    running = [n for n in nlp.pipe_names if not n.startswith("kit_") or n in ENTITY_RULES]
    stop = frozenset(w.lower() for w in nlp.Defaults.stop_words)
    for item in args.paths:
        path, _, split = item.partition(":")
        fmt = detect_format(Path(path))
        corpus = corpus_of_path(Path(path), fmt=fmt)
        keep = set(label_map(corpus).values())
        golds = list(islice(read_gold(Path(path), fmt=fmt, corpus=corpus, split=split or None), args.limit))
        inputs = (Doc(nlp.vocab, words=g.words) if g.words is not None else g.text for g in golds)
        with nlp.select_pipes(enable=running):
            docs = list(nlp.pipe(inputs, batch_size=64))
        before = [[(e.start_char, e.end_char, e.label_) for e in d.ents if e.label_ in keep] for d in docs]
        result = make_consistent([(d.text, s) for d, s in zip(docs, before, strict=True)], stopwords=stop)
        after, n_added, n_relabelled = [], 0, 0
        for doc, spans, (relabelled, added) in zip(docs, before, result, strict=True):
            added = [a for a in added if doc.char_span(a[0], a[1]) is not None and a[2] in keep]
            n_added += len(added)
            n_relabelled += sum(1 for a, b in zip(spans, relabelled, strict=True) if a != b)
            after.append([s for s in relabelled if s[2] in keep] + added)
        b = score_spans((g.spans, p) for g, p in zip(golds, before, strict=True))["micro"]
        a = score_spans((g.spans, p) for g, p in zip(golds, after, strict=True))["micro"]
        print(f"{item} ({len(golds)} docs): before P {b['p']:.3f} R {b['r']:.3f} F1 {b['f']:.3f}; "
              f"after P {a['p']:.3f} R {a['r']:.3f} F1 {a['f']:.3f}; added {n_added}, relabelled {n_relabelled}")


if __name__ == "__main__":
    main()

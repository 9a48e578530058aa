"""Share of the English claims rules (with pronoun resolution) in the English pipeline's time.

    python bench/en_claims_speed.py [--model PATH] [--syntax PATH] [--docs N]

Runs the shipped English pipeline (or ``--model``; without its kit_claims step) over PolNeAR dev texts
(``../shared/data/claims/polnear/data/dev``), optionally with a parser pipeline's annotation laid
over it (``--syntax``, as ``kit eval claims --syntax``), then the claims component alone on the
finished documents, and prints words/s of each part and the claims share.
"""

from __future__ import annotations

import argparse
import time

from kit.evaluation.claims import _pipeline, with_syntax
from kit.evaluation.claims_corpora import documents
from kit.nlp.claims import ClaimsComponent
from kit.settings import shared_data_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--syntax", default=None)
    parser.add_argument("--docs", type=int, default=94)
    args = parser.parse_args()
    texts = [g.text for g in documents(shared_data_dir() / "claims/polnear/data/dev")][: args.docs]
    nlp = _pipeline("en", args.model)
    run = with_syntax(nlp, args.syntax)
    component = ClaimsComponent("en", model=None)
    run(texts[0])
    component(run(texts[0]))
    start = time.perf_counter()
    docs = [run(t) for t in texts]
    pipeline_s = time.perf_counter() - start
    words = sum(1 for d in docs for t in d if not t.is_space and not t.is_punct)
    start = time.perf_counter()
    for doc in docs:
        component(doc)
    claims_s = time.perf_counter() - start
    total = pipeline_s + claims_s
    print(
        f"{len(docs)} documents, {words} words; model: {args.model or 'shipped'}; syntax: {args.syntax or 'none'}"
    )
    print(f"pipeline without claims: {pipeline_s:.2f} s ({words / pipeline_s:,.0f} words/s)")
    print(f"claims (rules + sources + coref): {claims_s:.2f} s ({words / claims_s:,.0f} words/s)")
    print(f"together: {words / total:,.0f} words/s; claims share {claims_s / total:.1%}")


if __name__ == "__main__":
    main()

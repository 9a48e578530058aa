"""How much ``kit_dates`` slows a build: the same build (same pipeline, every other component)
with and without the component, best of two rounds each. Corpus: the English TempEval-3 texts
(the bar's English news) or the German corpus texts, repeated ``--copies`` times as JSONL.

    .venv/bin/python bench/dates_build_cost.py [--lang en] [--copies 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from component_cost import english_texts, german_texts

from kit.core import build
from kit.nlp import registry


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lang", default="en", choices=["de", "en"])
    parser.add_argument("--copies", type=int, default=3)
    args = parser.parse_args()
    texts = english_texts(400) if args.lang == "en" else german_texts(400)
    work = Path(tempfile.mkdtemp(prefix="kit_dates_bench_"))
    src = work / "src"
    src.mkdir()
    with (src / "articles.jsonl").open("w", encoding="utf-8") as sink:
        for copy in range(args.copies):
            for i, (text, published) in enumerate(texts):
                record = {
                    "id": f"{copy}-{i}",
                    "text": f"{text}\n[{copy}-{i}]",
                    "language": args.lang,
                    "published": published.isoformat() if published else None,
                }
                sink.write(json.dumps(record) + "\n")
    everything = registry.KIT_COMPONENTS
    seconds: dict[str, list[float]] = {"with": [], "without": []}
    try:
        for run in range(2):
            for label in ("with", "without"):
                registry.KIT_COMPONENTS = tuple(c for c in everything if label == "with" or c != "kit_dates")
                registry._cached.cache_clear()  # the pipeline is rebuilt with the chosen components
                start = time.perf_counter()
                build([src], out=work / f"out-{label}-{run}", jobs=1)
                seconds[label].append(time.perf_counter() - start)
    finally:
        registry.KIT_COMPONENTS = everything
        shutil.rmtree(work, ignore_errors=True)
    with_dates, without = min(seconds["with"]), min(seconds["without"])
    print(
        f"{args.lang}: {len(texts) * args.copies} articles; build {with_dates:.1f} s with kit_dates, "
        f"{without:.1f} s without: slows the build by {with_dates / without - 1:.1%} (bar 15 %)"
    )


if __name__ == "__main__":
    main()

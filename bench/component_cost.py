"""Component benchmark: the time each pipeline component takes in the pipeline the build runs,
and how much each of the kit's components slows a build over the same pipeline without it.

The bars: ``kit_dates`` adds at most 15 %, ``kit_claims`` costs under 25 % of the pipeline's time.
One process, one thread, the documents passed through each component in turn (``pipe`` in
batches of ``settings.PIPE_BATCH_SIZE`` as the build does), after a warm-up. Corpora: German
Wikinews + 10kGNAD (``../shared/data/corpus``), English TempEval-3 texts with their creation dates.

    .venv/bin/python bench/component_cost.py [--limit 400]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import json
import re
import time
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from kit import settings
from kit.nlp.registry import KIT_COMPONENTS, load_pipeline, resolve_spec


def german_texts(limit: int) -> list[tuple[str, dt.date | None]]:
    corpus = settings.shared_data_dir() / "corpus"
    out: list[tuple[str, dt.date | None]] = []
    for line in (corpus / "wikinews_de.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        published = record.get("published")
        out.append((record["text"], dt.date.fromisoformat(published[:10]) if published else None))
    with (corpus / "10kgnad_test.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter=";", quotechar="'"):
            if len(row) == 2:
                out.append((row[1], None))
    return out[:limit]


def english_texts(limit: int) -> list[tuple[str, dt.date | None]]:
    folder = settings.shared_data_dir() / "dates" / "tempeval3" / "Training"
    out: list[tuple[str, dt.date | None]] = []
    for path in sorted(folder.rglob("*.tml"))[:limit]:
        raw = path.read_text(encoding="utf-8")
        body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.DOTALL)
        dct = re.search(r'functionInDocument="CREATION_TIME"[^>]*value="(\d{4}-\d{2}-\d{2})', raw)
        if dct is None:
            dct = re.search(r'value="(\d{4}-\d{2}-\d{2})"[^>]*functionInDocument="CREATION_TIME"', raw)
        if body:
            text = html.unescape(re.sub(r"<[^>]+>", "", body.group(1))).strip()
            out.append((text, dt.date.fromisoformat(dct.group(1)) if dct else None))
    return out


def component_seconds(nlp: Language, texts: Iterable[tuple[str, dt.date | None]]) -> dict[str, float]:
    """Seconds per component over all documents, each component running on the whole batch."""
    docs: list[Doc] = []
    for text, published in texts:
        doc = nlp.make_doc(text)
        doc._.published = published
        docs.append(doc)
    spent: dict[str, float] = {}
    for name, proc in nlp.pipeline:
        start = time.process_time()
        if hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=settings.PIPE_BATCH_SIZE))
        else:
            docs = [proc(doc) for doc in docs]
        spent[name] = time.process_time() - start
    return spent


def report(lang: str, texts: list[tuple[str, dt.date | None]]) -> None:
    nlp = load_pipeline(resolve_spec(lang))
    words = sum(len(text.split()) for text, _ in texts)
    component_seconds(nlp, texts[:20])  # warm-up: lazy loads, caches
    spent = component_seconds(nlp, texts)
    total = sum(spent.values())
    print(f"\n{lang}: {len(texts)} texts, {words:,} words, {total:.1f} s CPU ({words / total:,.0f} words/s)")
    print(f"{'component':<22}{'s':>8}{'share':>9}{'slows by':>10}")
    for name, seconds in spent.items():
        slows = f"{seconds / (total - seconds):>9.1%}" if name in KIT_COMPONENTS else ""
        print(f"{name:<22}{seconds:>8.2f}{seconds / total:>9.1%}{slows:>10}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=400, help="Texts per language.")
    args = parser.parse_args()
    report("de", german_texts(args.limit))
    report("en", english_texts(args.limit))


if __name__ == "__main__":
    main()

"""Corpus-level consistency: a name the model recognised in some articles of a build is recognised
in the others where it missed it, and a name it labelled inconsistently gets its majority label.

Statistical NER decides per sentence; a build sees the whole corpus. A name counts as known when
it was recognised in at least ``MIN_ARTICLES`` articles and its majority label holds more than
``MIN_SHARE`` of its mentions (a name the model cannot agree on is not spread). Known names are
then marked where they stand unrecognised (capitalised, whole words, outside every other entity),
and mentions of a known name with a minority label take the majority one.

Works on plain (text, spans) pairs, so the build and ``bench/corpus_consistency_eval.py`` (NER dev
sets treated as one build) run the same code.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from kit.nlp.canon import entity_id, name_key

__all__ = ["MIN_ARTICLES", "MIN_SHARE", "SPREAD", "Span", "add_corpus_mentions", "known_names", "make_consistent"]

Span = tuple[int, int, str]

MIN_ARTICLES = 2
# Labels spread to unrecognised repeats (as within an article, kit/nlp/consistency.py): MISC is
# not spread, the model's MISC on currencies and nationalities ("Euro", "Deutsche") is too loose.
SPREAD = ("PER", "ORG", "LOC")
MIN_SHARE = 0.5  # more than half of its mentions: a majority label
_WORD = re.compile(r"\w", re.UNICODE)


def known_names(docs: Sequence[tuple[str, Sequence[Span]]], *, stopwords: frozenset[str] = frozenset()) -> dict[str, str]:
    """Names recognised in at least MIN_ARTICLES documents with a clear majority label."""
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    articles: dict[str, set[int]] = defaultdict(set)
    for i, (text, spans) in enumerate(docs):
        for start, end, label in spans:
            name = text[start:end]
            if len(name) < 3 or not name[:1].isupper() or name.lower() in stopwords:
                continue
            labels[name][label] += 1
            articles[name].add(i)
    known = {}
    for name, votes in labels.items():
        label, count = votes.most_common(1)[0]
        if len(articles[name]) >= MIN_ARTICLES and count > MIN_SHARE * votes.total():
            known[name] = label
    return known


def _pattern(names: Sequence[str]) -> re.Pattern[str] | None:
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def make_consistent(
    docs: Sequence[tuple[str, Sequence[Span]]], *, stopwords: frozenset[str] = frozenset()
) -> list[tuple[list[Span], list[Span]]]:
    """Per document: (spans with majority labels, spans added for known names it missed)."""
    known = known_names(docs, stopwords=stopwords)
    pattern = _pattern([n for n, label in known.items() if label in SPREAD])
    results: list[tuple[list[Span], list[Span]]] = []
    for text, spans in docs:
        relabelled = [(s, e, known.get(text[s:e], label)) for s, e, label in spans]
        added: list[Span] = []
        if pattern is not None:
            taken = sorted((s, e) for s, e, _ in spans)
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(s < end and start < e for s, e in taken):
                    continue
                added.append((start, end, known[match.group()]))
        results.append((relabelled, added))
    return results


def add_corpus_mentions(raw_mentions: Path, articles: Path, sentences: Path) -> int:
    """The build-wide step: rewrite the raw mentions table with a ``corpus`` mention wherever a
    known name stands unrecognised. Earlier corpus mentions (from reused articles) are recomputed,
    so the step is the same on a fresh build and a re-run. Returns the number of mentions added."""
    table = pq.read_table(raw_mentions)
    kinds = table["mention_kind"].to_pylist()
    table = table.filter(pa.array([k != "corpus" for k in kinds], type=pa.bool_()))
    rows = table.select(["article_id", "start_char", "end_char", "text", "label", "canonical", "mention_kind",
                         "pipeline", "pipeline_version"]).to_pylist()
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["mention_kind"] != "adjective":
            by_article[row["article_id"]].append(row)
    pseudo = [(" ".join(r["text"] for r in ms), _spans_of(ms)) for ms in by_article.values()]
    known = known_names(pseudo)
    pattern = _pattern([n for n, label in known.items() if label in SPREAD])
    if pattern is None:
        pq.write_table(table, raw_mentions, compression="zstd")
        return 0
    canonical: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        if row["text"] in known:
            canonical[row["text"]][row["canonical"]] += 1
    starts: dict[str, list[int]] = defaultdict(list)
    sent = pq.read_table(sentences, columns=["article_id", "start_char"])
    for aid, start in zip(sent["article_id"].to_pylist(), sent["start_char"].to_pylist(), strict=True):
        starts[aid].append(start)
    all_mentions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        all_mentions[row["article_id"]].append(row)
    added: list[dict[str, Any]] = []
    handle = pq.ParquetFile(articles)
    for batch in handle.iter_batches(batch_size=256, columns=["article_id", "text", "pipeline", "pipeline_version"]):
        for aid, text, pipeline, version in zip(*(batch.column(i).to_pylist() for i in range(4)), strict=True):
            mentions = all_mentions.get(aid, [])
            taken = [(m["start_char"], m["end_char"]) for m in mentions]
            next_id = len(mentions)
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(s < end and start < e for s, e in taken):
                    continue
                name, label = match.group(), known[match.group()]
                canon = canonical[name].most_common(1)[0][0] if canonical[name] else name
                added.append({
                    "article_id": aid, "sentence_id": max(0, bisect.bisect_right(sorted(starts[aid]), start) - 1),
                    "mention_id": next_id, "start_char": start, "end_char": end, "text": name, "label": label,
                    "entity_id": entity_id(label, name_key(canon, label)), "canonical": canon, "role": None,
                    "mention_kind": "corpus", "pipeline": pipeline, "pipeline_version": version,
                })
                next_id += 1
    if added:
        table = pa.concat_tables([table, pa.Table.from_pylist(added, schema=table.schema)])
    pq.write_table(table, raw_mentions, compression="zstd")
    return len(added)


def _spans_of(mentions: list[dict[str, Any]]) -> list[Span]:
    """Spans over the joined mention texts (the names are what counts, not their offsets)."""
    spans, pos = [], 0
    for m in mentions:
        spans.append((pos, pos + len(m["text"]), str(m["label"])))
        pos += len(m["text"]) + 1
    return spans

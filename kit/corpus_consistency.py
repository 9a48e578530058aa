"""Corpus-level consistency: a name the model recognised in some articles of a build is recognised
in the others where it missed it, and a name it labelled inconsistently gets its majority label.

Statistical NER decides per sentence; a build sees the whole corpus. A name counts as known when
it was recognised in at least ``MIN_ARTICLES`` articles, its majority label holds more than
``MIN_SHARE`` of its mentions (a name the model cannot agree on is not spread), and the model
recognised it in at least ``MIN_RECOGNISED`` of the places it stands in the build (German
capitalises every noun: "Polizei" or "Bild", sometimes read as names, are mostly not). Known names are
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

__all__ = ["MIN_ARTICLES", "MIN_RECOGNISED", "MIN_SHARE", "SPREAD", "Span", "add_corpus_mentions", "known_names", "make_consistent"]

Span = tuple[int, int, str]

MIN_ARTICLES = 2
MIN_RECOGNISED = 0.75  # share of a name's occurrences in the build the model recognised
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


class _Finder:
    """Finds known names in a text in one pass: words are indexed by the first word of each name,
    so the cost grows with the text, not with the number of known names (a regex alternation of
    thousands of names would)."""

    _TOKEN = re.compile(r"[^\W_](?:[\w.&'’-]*[\w&])?")

    def __init__(self, names: Sequence[str]) -> None:
        self.by_first: dict[str, list[str]] = defaultdict(list)
        for name in names:
            self.by_first[name.split(" ")[0]].append(name)
        for options in self.by_first.values():
            options.sort(key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self.by_first)

    @staticmethod
    def _ends_word(text: str, end: int) -> bool:
        """No word goes on after ``end`` ("Siemens-Chef", "Siemens's" are other words)."""
        if end == len(text):
            return True
        after = text[end]
        if after.isalnum() or after in "_-":
            return False
        return not (after in ".&'’" and end + 1 < len(text) and text[end + 1].isalnum())

    def finditer(self, text: str) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        done = 0
        for token in self._TOKEN.finditer(text):
            start = token.start()
            options = self.by_first.get(token.group()) if start >= done else None
            if not options or (start > 0 and text[start - 1] == "-"):
                continue
            for name in options:
                end = start + len(name)
                if text.startswith(name, start) and self._ends_word(text, end):
                    found.append((start, end, name))
                    done = end
                    break
        return found


def _missed(finder: _Finder, text: str, taken: Sequence[tuple[int, int]]) -> tuple[Counter[str], list[Span]]:
    """Occurrences of each known name in ``text``, and those no existing mention covers."""
    seen: Counter[str] = Counter()
    missed: list[Span] = []
    for start, end, name in finder.finditer(text):
        seen[name] += 1
        if not any(s < end and start < e for s, e in taken):
            missed.append((start, end, name))
    return seen, missed


def _confident(known: dict[str, str], recognised: Counter[str], seen: Counter[str]) -> set[str]:
    """Known names the model recognises in at least MIN_RECOGNISED of the places they stand: a
    German common noun NER sometimes reads as a name ("Polizei", "Bild") stays unspread."""
    return {n for n in known if recognised[n] >= MIN_RECOGNISED * max(seen[n], recognised[n])}


def make_consistent(
    docs: Sequence[tuple[str, Sequence[Span]]], *, stopwords: frozenset[str] = frozenset()
) -> list[tuple[list[Span], list[Span]]]:
    """Per document: (spans with majority labels, spans added for known names it missed)."""
    known = known_names(docs, stopwords=stopwords)
    finder = _Finder([n for n, label in known.items() if label in SPREAD])
    recognised = Counter(text[s:e] for text, spans in docs for s, e, _ in spans)
    seen: Counter[str] = Counter()
    missed: list[list[Span]] = []
    for text, spans in docs:
        counts, found = _missed(finder, text, [(s, e) for s, e, _ in spans])
        seen.update(counts)
        missed.append(found)
    confident = _confident(known, recognised, seen)
    return [
        ([(s, e, known.get(text[s:e], label)) for s, e, label in spans],
         [(s, e, known[name]) for s, e, name in found if name in confident])
        for (text, spans), found in zip(docs, missed, strict=True)
    ]


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
    finder = _Finder([n for n, label in known.items() if label in SPREAD])
    if not finder:
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
    seen: Counter[str] = Counter()
    handle = pq.ParquetFile(articles)
    for batch in handle.iter_batches(batch_size=256, columns=["article_id", "text", "pipeline", "pipeline_version"]):
        for aid, text, pipeline, version in zip(*(batch.column(i).to_pylist() for i in range(4)), strict=True):
            mentions = all_mentions.get(aid, [])
            counts, missed = _missed(finder, text, [(m["start_char"], m["end_char"]) for m in mentions])
            seen.update(counts)
            for i, (start, end, name) in enumerate(missed):
                label = known[name]
                canon = canonical[name].most_common(1)[0][0] if canonical[name] else name
                added.append({
                    "article_id": aid, "sentence_id": max(0, bisect.bisect_right(sorted(starts[aid]), start) - 1),
                    "mention_id": len(mentions) + i, "start_char": start, "end_char": end, "text": name,
                    "label": label, "entity_id": entity_id(label, name_key(canon, label)), "canonical": canon,
                    "role": None, "mention_kind": "corpus", "pipeline": pipeline, "pipeline_version": version,
                })
    confident = _confident(known, Counter(r["text"] for r in rows), seen)
    added = [row for row in added if row["text"] in confident]
    ids: Counter[str] = Counter()
    for row in added:  # mention ids stay consecutive after the names left out
        row["mention_id"] = len(all_mentions.get(row["article_id"], [])) + ids[row["article_id"]]
        ids[row["article_id"]] += 1
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

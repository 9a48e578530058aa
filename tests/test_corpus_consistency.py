"""Corpus-level consistency: names known across the build are recognised where the model missed them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from kit.corpus_consistency import add_corpus_mentions, known_names, make_consistent
from kit.tables.schemas import ARTICLES, MENTIONS, SENTENCES

TEXTS = {
    "a": "Siemens baut in Erlangen. Siemens wächst.",
    "b": "Siemens und Bosch in Erlangen.",
    "c": "Bei Siemens in Erlangen-Süd gab es Streit. Die Erlangen AG auch.",
}
SPANS = {"a": [(0, 7, "ORG"), (16, 24, "LOC"), (26, 33, "ORG")], "b": [(0, 7, "ORG"), (12, 17, "ORG"),
                                                                          (21, 29, "PER")], "c": []}


def test_known_names_need_two_articles_and_a_majority_label() -> None:
    docs = [(TEXTS[k], SPANS[k]) for k in "abc"]
    known = known_names(docs)
    assert known == {"Siemens": "ORG"}  # Bosch: one article; Erlangen: LOC 1 / PER 1, no majority
    relabelled, added = make_consistent(docs)[2]
    assert relabelled == [] and added == [(4, 11, "ORG")]  # not inside "Erlangen-Süd", not "Erlangen AG"


def test_a_noun_the_model_mostly_leaves_alone_is_not_spread() -> None:
    docs = [("Die Polizei kam.", [(4, 11, "ORG")]), ("Die Polizei ging.", [(4, 11, "ORG")]),
            ("Polizei, Polizei, Polizei und Polizei.", [])]
    assert known_names(docs) == {"Polizei": "ORG"}
    assert [added for _, added in make_consistent(docs)] == [[], [], []]  # recognised in 2 of 6 places


def test_a_majority_label_wins() -> None:
    docs = [("Alaska.", [(0, 6, "LOC")]), ("Alaska!", [(0, 6, "LOC")]), ("Alaska?", [(0, 6, "PER")])]
    assert [r for r, _ in make_consistent(docs)] == [[(0, 6, "LOC")]] * 3


def _rows(aid: str) -> list[dict[str, Any]]:
    prov = {"pipeline": "p", "pipeline_version": "1"}
    return [{"article_id": aid, "sentence_id": 0, "mention_id": i, "start_char": s, "end_char": e,
             "text": TEXTS[aid][s:e], "label": label, "entity_id": "E" + TEXTS[aid][s:e], "canonical": TEXTS[aid][s:e],
             "role": None, "mention_kind": "name", **prov} for i, (s, e, label) in enumerate(SPANS[aid])]


def test_the_build_step_adds_corpus_mentions_once(tmp_path: Path) -> None:
    prov = {"pipeline": "p", "pipeline_version": "1"}
    articles = [{"article_id": k, "title": None, "text": t, "published": None, "language": "de",
                 "language_detected": False, "source": None, "url": None, "section": None, "n_tokens": 1,
                 "n_chars": len(t), "truncated": False, "source_file": "x", "record_index": 0, "content_hash": k,
                 **prov} for k, t in TEXTS.items()]
    sentences = [{"article_id": "c", "sentence_id": i, "start_char": s, "end_char": e, "text": TEXTS["c"][s:e], **prov}
                 for i, (s, e) in enumerate([(0, 42), (43, len(TEXTS["c"]))])]
    paths = {name: tmp_path / f"{name}.parquet" for name in ("mentions", "articles", "sentences")}
    pq.write_table(pa.Table.from_pylist(_rows("a") + _rows("b"), schema=MENTIONS), paths["mentions"])
    pq.write_table(pa.Table.from_pylist(articles, schema=ARTICLES), paths["articles"])
    pq.write_table(pa.Table.from_pylist(sentences, schema=SENTENCES), paths["sentences"])
    assert add_corpus_mentions(paths["mentions"], paths["articles"], paths["sentences"]) == 1
    assert add_corpus_mentions(paths["mentions"], paths["articles"], paths["sentences"]) == 1  # a re-run: same
    mentions = pq.read_table(paths["mentions"]).to_pylist()
    [added] = [m for m in mentions if m["mention_kind"] == "corpus"]
    assert (added["article_id"], added["text"], added["label"], added["sentence_id"]) == ("c", "Siemens", "ORG", 0)
    assert added["entity_id"] != "ESiemens" and added["canonical"] == "Siemens"
    assert len(mentions) == 7

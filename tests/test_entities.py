"""Build-wide entities from raw mention rows (no model): labels by majority, joins, adjectives."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from kit.entities import MENTION_COLUMNS, canonicalise
from kit.nlp.canon import entity_id, name_key
from kit.overrides import Overrides


def mention(aid: str, label: str, canonical: str, text: str | None = None, kind: str = "name") -> dict[str, Any]:
    key = name_key(canonical, label)
    return {"article_id": aid, "entity_id": entity_id(label, key), "label": label, "canonical": canonical,
            "text": text or canonical, "role": None, "mention_kind": kind}


def run(rows: list[dict[str, Any]], overrides: Overrides | None = None) -> tuple[list[dict[str, Any]], dict[str, str]]:
    table = pa.Table.from_pylist(rows, schema=pa.schema([(c, pa.string()) for c in MENTION_COLUMNS]))
    entities, remap, _ = canonicalise(table, {}, overrides or Overrides())
    return entities.to_pylist(), remap


def test_one_label_per_name_by_majority_with_the_votes_kept() -> None:
    rows = [mention("a", "LOC", "Alaska"), mention("b", "LOC", "Alaska"), mention("c", "PER", "Alaska"),
            mention("d", "PER", "Ghana"), mention("e", "LOC", "Ghana"), mention("e", "LOC", "Ghana")]
    entities, remap = run(rows)
    by_name = {e["name"]: e for e in entities}
    assert len(entities) == 2
    assert by_name["Alaska"]["label"] == "LOC" and dict(by_name["Alaska"]["label_votes"]) == {"LOC": 2, "PER": 1}
    assert by_name["Ghana"]["label"] == "LOC" and by_name["Ghana"]["n_mentions"] == 3
    assert remap[entity_id("PER", name_key("Alaska", "PER"))] == by_name["Alaska"]["entity_id"]


def test_a_bare_first_name_joins_no_full_name_across_articles() -> None:
    rows = [mention("a", "PER", "Jeffrey Nels Williams"), mention("b", "PER", "William R. Dougan"),
            mention("c", "PER", "William", "Prinz William"), mention("d", "PER", "Mitt Romney"),
            mention("e", "PER", "Romney"), mention("f", "PER", "Anna Schmidt"), mention("g", "PER", "Karl Schmidt"),
            mention("h", "PER", "Schmidt")]
    entities, _ = run(rows)
    names = {e["name"]: e for e in entities}
    assert "William" in names and names["William R. Dougan"]["n_mentions"] == 1  # first name: no join
    assert "Romney" not in names and names["Mitt Romney"]["n_mentions"] == 2  # the one full name: joins
    assert "Schmidt" in names  # a surname of two full names joins neither


def test_a_name_written_with_s_keeps_it_and_a_genitive_place_joins_its_stem() -> None:
    rows = [mention("a", "ORG", "Reuter", "Reuters"), mention("b", "ORG", "Reuters"),
            mention("c", "LOC", "Russland"), mention("d", "LOC", "Russlands")]
    entities, _ = run(rows)
    names = {e["name"]: e for e in entities}
    assert "Reuter" not in names and names["Reuters"]["n_mentions"] == 2
    assert "Russlands" not in names and names["Russland"]["n_mentions"] == 2


def test_a_party_named_by_an_adjective_is_one_entity() -> None:
    rows = [mention("a", "ORG", "Grünen"), mention("b", "ORG", "Grünen"), mention("c", "PER", "Grüne"),
            mention("d", "LOC", "Polen"), mention("e", "MISC", "Pole")]
    names = {e["name"]: e for e in run(rows)[0]}
    assert "Grüne" not in names and names["Grünen"]["label"] == "ORG" and names["Grünen"]["n_mentions"] == 3
    assert "Pole" in names and "Polen" in names  # no organisation: a country and a nationality stay apart


def test_derived_adjectives_count_apart_and_never_name_or_label() -> None:
    rows = [mention("a", "LOC", "Russland", "russische", "adjective"), mention("a", "LOC", "Russland"),
            mention("b", "LOC", "Russland", "russischen", "adjective"), mention("c", "LOC", "Sudan", "sudanesische",
                                                                                "adjective"),
            mention("c", "MISC", "jüdisch", "jüdische", "adjective")]
    entities, _ = run(rows)
    names = {e["name"]: e for e in entities}
    assert names["Russland"]["n_mentions"] == 1 and names["Russland"]["n_adjective_mentions"] == 2
    assert dict(names["Russland"]["label_votes"]) == {"LOC": 1}
    assert names["Sudan"]["n_mentions"] == 0 and names["Sudan"]["label"] == "LOC"
    assert names["jüdisch"]["label"] == "MISC" and names["jüdisch"]["n_mentions"] == 0
    assert entities[0]["name"] == "Russland"  # sorted by mentions by name


def test_relabel_rename_block_and_merge() -> None:
    rows = [mention("a", "PER", "Occupy Frankfurt"), mention("b", "PER", "Wladimir Putin"),
            mention("c", "PER", "Vladimir Putin"), mention("d", "ORG", "Spam GmbH")]
    overrides = Overrides(merge=[["Wladimir Putin", "Vladimir Putin"]], relabel={"Occupy Frankfurt": "ORG"},
                          rename={"Wladimir Putin": "Wladimir W. Putin"}, block=["Spam GmbH"])
    entities, _ = run(rows, overrides)
    names = {e["name"]: e for e in entities}
    assert names["Occupy Frankfurt"]["label"] == "ORG"
    assert names["Occupy Frankfurt"]["entity_id"] == entity_id("ORG", name_key("Occupy Frankfurt", "ORG"))
    assert names["Wladimir W. Putin"]["n_mentions"] == 2 and "Vladimir Putin" in names["Wladimir W. Putin"]["aliases"]
    assert "Spam GmbH" not in names

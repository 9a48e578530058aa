"""The build end to end: contract tables, the sample's content, re-runs, bad input, locks, publishing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from filelock import FileLock

import kit
from kit.errors import BuildLockedError
from kit.tables.io import BUILDS, KIT_DIR, current_build, load
from kit.tables.schemas import SCHEMAS, TABLE_NAMES

BLANK = {"de": "blank", "en": "blank"}
GERMAN = "Elon Musk traf Wladimir Putin in Moskau. Das Treffen fand im Februar 2022 statt."
ENGLISH = "Elon Musk met Vladimir Putin in Moscow in February 2022, the newspaper reported."


def tables_of(folder: Path) -> dict[str, object]:
    return {name: pq.read_table(folder / f"{name}.parquet") for name in TABLE_NAMES}


def test_contract_tables_and_schemas(sample_tables: Path) -> None:
    for name in TABLE_NAMES:
        schema = pq.read_schema(sample_tables / f"{name}.parquet")
        assert schema.remove_metadata().equals(SCHEMAS[name].remove_metadata()), name
    manifest = json.loads((sample_tables / "manifest.json").read_text())
    assert manifest["schema_version"] and manifest["kit_version"] == kit.__version__
    assert manifest["pipelines"]["de"]["name"] and manifest["pipelines"]["de"]["version"]
    assert manifest["counts"]["articles"] == 1 and manifest["errors"] == []


def test_sample_entities_dates_and_claims(sample_tables: Path) -> None:
    t = load(sample_tables)
    entities = t["entities"]
    names = {(row.name, row.label) for row in entities.itertuples()}
    for person in ("Elon Musk", "Wladimir Putin", "Donald Trump", "Xi Jinping"):
        assert (person, "PER") in names, person
    for org in ("Wall Street Journal", "SpaceX", "Tesla"):
        assert (org, "ORG") in names, org
    places = {name for name, label in names if label == "LOC"}
    assert {"Taiwan", "Ukraine"} <= places and places & {"USA", "Russland"}
    musk = entities[entities.name == "Elon Musk"].iloc[0]
    assert musk.n_mentions >= 8 and "Musks" in list(musk.aliases)
    assert {"2022-02", "2024-11"} <= set(t["dates"]["value"])
    wsj = entities[entities.name == "Wall Street Journal"].entity_id.iloc[0]
    assert (t["claims"]["source_entity_id"] == wsj).any()
    assert set(t["relations"]["kind"]) >= {"co_mention", "claim"}


def test_rows_trace_back_to_text(sample_tables: Path) -> None:
    t = load(sample_tables)
    text = dict(zip(t["articles"].article_id, t["articles"].text, strict=True))
    for name in ("sentences", "mentions", "dates", "claims"):
        frame = t[name]
        assert len(frame), name
        for row in frame.itertuples():
            assert text[row.article_id][row.start_char : row.end_char] == row.text, (name, row.text)
            assert row.pipeline and row.pipeline_version
    entity_ids = set(t["entities"].entity_id)
    assert set(t["mentions"].entity_id) <= entity_ids
    assert set(t["relations"].source_entity_id) | set(t["relations"].target_entity_id) <= entity_ids


def test_tables_open_in_pandas_duckdb_and_polars(sample_tables: Path) -> None:
    import duckdb
    import pandas as pd
    import polars as pl

    for name in TABLE_NAMES:
        path = str(sample_tables / f"{name}.parquet")
        rows = len(pd.read_parquet(path))
        assert duckdb.sql(f"select count(*) from read_parquet('{path}')").fetchall() == [(rows,)]
        assert pl.read_parquet(path).height == rows
    [published] = duckdb.sql(f"select published from read_parquet('{sample_tables}/articles.parquet')").fetchall()
    assert str(published[0]).startswith("2024-10-25")


def test_rerun_is_idempotent_and_incremental(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(GERMAN, encoding="utf-8")
    (src / "b.json").write_text(json.dumps({"id": "b", "text": ENGLISH, "language": "en"}), encoding="utf-8")
    out = tmp_path / "out"
    first = kit.build([src], out=out, pipelines=BLANK, progress=False)
    before = tables_of(out)
    second = kit.build([src], out=out, pipelines=BLANK, progress=False)
    assert (first.processed, second.processed, second.reused) == (2, 0, 2)
    after = tables_of(out)
    for name in TABLE_NAMES:
        assert after[name].equals(before[name]), name
    (src / "a.txt").write_text(GERMAN + " Neu.", encoding="utf-8")
    third = kit.build([src], out=out, pipelines=BLANK, progress=False)
    assert (third.processed, third.reused) == (1, 1)
    assert pq.read_table(out / "articles.parquet").num_rows == 2


def test_exact_duplicates_are_reported_not_processed(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(GERMAN, encoding="utf-8")
    (src / "copy.txt").write_text(GERMAN, encoding="utf-8")
    result = kit.build([src], out=tmp_path / "out", pipelines=BLANK, progress=False)
    assert result.counts["articles"] == 1
    assert any("duplicate" in w for f in result.files for w in f.warnings)


def test_bad_files_fail_alone_and_exit_code_says_so(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(GERMAN, encoding="utf-8")
    (src / "bad.json").write_text("{not json", encoding="utf-8")
    (src / "binary.txt").write_bytes(bytes(range(256)))
    out = tmp_path / "out"
    env = {**os.environ, "KIT_PIPELINE_DE": "blank", "KIT_PIPELINE_EN": "blank"}
    proc = subprocess.run(
        [sys.executable, "-m", "kit.cli", "build", str(src), "--out", str(out), "-q"],
        capture_output=True, text=True, env=env, check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "bad.json: failed: malformed JSON" in proc.stderr and "binary.txt: failed: binary" in proc.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert {Path(e["path"]).name for e in manifest["errors"]} == {"bad.json", "binary.txt"}
    assert manifest["counts"]["articles"] == 1


def test_concurrent_build_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / KIT_DIR).mkdir(parents=True)
    with FileLock(str(out / KIT_DIR / "build.lock")), pytest.raises(BuildLockedError, match="another build"):
        kit.build([tmp_path], out=out, pipelines=BLANK, progress=False)


def test_publish_is_one_link_switch_and_leftovers_are_cleaned(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(GERMAN, encoding="utf-8")
    out = tmp_path / "out"
    kit.build([src], out=out, pipelines=BLANK, progress=False)
    first = current_build(out).resolve()
    for name in [*TABLE_NAMES, "manifest"]:
        link = out / (f"{name}.parquet" if name != "manifest" else "manifest.json")
        assert link.is_symlink() and link.resolve().parent == first
    # A killed build leaves its unfinished folder; the published tables never point at it.
    leftover = out / KIT_DIR / BUILDS / "killed"
    (leftover / "raw").mkdir(parents=True)
    (leftover / "raw" / "articles.parquet").write_bytes(b"PAR1 half written")
    assert load(out)["articles"].shape[0] == 1
    kit.build([src], out=out, pipelines=BLANK, progress=False)
    assert not leftover.exists() and current_build(out).resolve() != first
    assert sorted(p.name for p in (out / KIT_DIR / BUILDS).iterdir()) == [current_build(out).resolve().name]


def test_overrides_merge_rename_block(tmp_path: Path, sample_dir: Path) -> None:
    out = tmp_path / "out"
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(
        "merge:\n  - [Elon Musk, SpaceX]\nrename:\n  Donald Trump: Donald J. Trump\nblock: [Taiwan]\n", encoding="utf-8"
    )
    kit.build([sample_dir], out=out, overrides=overrides, progress=False)
    t = load(out)
    names = set(t["entities"].name)
    assert "Donald J. Trump" in names and "Donald Trump" not in names
    assert "Taiwan" not in names and "Taiwan" not in set(t["mentions"].canonical)
    assert "SpaceX" not in names
    musk = t["entities"][t["entities"].name == "Elon Musk"].iloc[0]
    assert "SpaceX" in list(musk.aliases)


def ruler_pipeline(folder: Path, patterns: list[dict[str, str]]) -> Path:
    """A user's own spaCy pipeline on disk (an entity ruler): the build must accept any pipeline path."""
    import spacy

    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("entity_ruler").add_patterns(patterns)
    nlp.meta["name"] = "ruler_test"
    nlp.to_disk(folder)
    return folder


def test_surnames_join_across_articles_with_a_user_pipeline(tmp_path: Path) -> None:
    model = ruler_pipeline(tmp_path / "model", [{"label": "PER", "pattern": "Elon Musk"},
                                                 {"label": "PER", "pattern": "Musk"}])
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Elon Musk kaufte Twitter im Oktober 2022.", encoding="utf-8")
    (src / "b.txt").write_text("Musk sprach in Berlin mit Journalisten über Tesla.", encoding="utf-8")
    kit.build([src], out=tmp_path / "out", pipelines={"de": str(model)}, progress=False)
    t = load(tmp_path / "out")
    assert set(t["mentions"].pipeline) == {"de_ruler_test"}
    musk_ids = set(t["mentions"][t["mentions"].text.str.contains("Musk")].entity_id)
    assert len(musk_ids) == 1
    [musk] = t["entities"][t["entities"].entity_id.isin(musk_ids)].itertuples()
    assert musk.name == "Elon Musk" and musk.n_articles == 2


def test_mixed_language_build_joins_countries(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "de.txt").write_text("Russland hat die Ukraine im Februar 2022 angegriffen, berichtete die Zeitung.",
                                encoding="utf-8")
    (src / "en.json").write_text(json.dumps({"text": "Russia invaded Ukraine in February 2022, officials said.",
                                             "language": "en"}), encoding="utf-8")
    kit.build([src], out=tmp_path / "out", progress=False)
    t = load(tmp_path / "out")
    russia = t["mentions"][t["mentions"].text.isin(["Russland", "Russia"])]
    assert set(russia.text) == {"Russland", "Russia"} and russia.entity_id.nunique() == 1
    assert set(t["articles"].language) == {"de", "en"}

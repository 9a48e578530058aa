"""The same tables whichever engine built them: one process, a process pool, a Dask LocalCluster."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import kit
from kit.tables.schemas import TABLE_NAMES

TEXTS = [
    "Elon Musk traf Wladimir Putin im Februar 2022 in Moskau, berichtete das Wall Street Journal.",
    "Tesla-Chef Musk soll mit Putin gesprochen haben. Musk wies die Berichte am Montag zurück.",
    "Donald Trump kündigte an, Musk im November mit der Leitung eines Gremiums zu betrauen.",
    "Xi Jinping erhebt seit langem Anspruch auf Taiwan und unterstützt Russland.",
    "Vladimir Putin met Elon Musk in 2022, the Wall Street Journal reported on Friday.",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("engines_in")
    for i, text in enumerate(TEXTS):
        (src / f"{i}.json").write_text(json.dumps({"id": f"a{i}", "text": text, "published": "2024-10-25"}))
    return src


def _read(folder: Path) -> dict[str, object]:
    return {name: pq.read_table(folder / f"{name}.parquet").sort_by(_order(name)) for name in TABLE_NAMES}


def _order(name: str) -> list[tuple[str, str]]:
    keys = {"entities": ["entity_id"], "relations": ["article_id", "sentence_id", "source_entity_id",
                                                     "target_entity_id", "kind"]}
    return [(k, "ascending") for k in keys.get(name, ["article_id"] + (["start_char"] if name != "articles" else []))]


def test_process_pool_and_dask_match_local(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kit.settings.BATCH_SIZE", 2)  # several chunks, so that work is really spread
    local = kit.build([corpus], out=tmp_path / "local", progress=False)
    pooled = kit.build([corpus], out=tmp_path / "pool", jobs=2, progress=False)
    dasked = kit.build([corpus], out=tmp_path / "dask", jobs=2, engine="dask", progress=False)
    assert local.counts["mentions"] > 0
    expected = _read(tmp_path / "local")
    for folder in ("pool", "dask"):
        got = _read(tmp_path / folder)
        for name in TABLE_NAMES:
            assert got[name].equals(expected[name]), (folder, name)
    assert pooled.processed == dasked.processed == len(TEXTS)


def test_a_rerun_task_overwrites_its_parts(tmp_path: Path) -> None:
    """A task that runs twice (a retry after a lost worker) leaves one copy of its rows."""
    from kit.core import _part_path, _worker_chunk
    from kit.ingest.records import Article
    from kit.nlp.registry import PipelineSpec

    articles = [Article(text=t, source_file="x.json", article_id=f"a{i}", language="de") for i, t in enumerate(TEXTS)]
    spec = PipelineSpec("de", "blank")
    first = _worker_chunk(spec, articles, 10_000, str(tmp_path), 7)
    rows = pq.read_table(_part_path(tmp_path, "sentences", 7)).num_rows
    again = _worker_chunk(spec, articles, 10_000, str(tmp_path), 7)
    assert first.n_articles == again.n_articles == len(TEXTS)
    assert pq.read_table(_part_path(tmp_path, "sentences", 7)).num_rows == rows > 0
    assert sorted(p.name for p in (tmp_path / "sentences").iterdir()) == ["00000007.parquet"]

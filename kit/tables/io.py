"""Parquet in and out: staged writers, an atomic publish that survives kills, and loading.

A build writes every file into its own folder ``OUT/.kit/builds/<build_id>/``. Publishing is one
atomic step: the symbolic link ``OUT/.kit/current`` is switched to the new build folder with
``os.replace``. The files users open (``OUT/mentions.parquet``, ``OUT/manifest.json``, ...) are
fixed links through ``.kit/current``, so a reader sees either the previous build or the new one,
complete and consistent with its manifest, whenever a build is killed.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kit.tables.schemas import SCHEMAS, TABLE_NAMES, empty_table

__all__ = [
    "BUILDS",
    "KIT_DIR",
    "RAW_TABLES",
    "StagedWriter",
    "current_build",
    "load",
    "publish",
    "read_rows_for",
    "recover",
    "table_path",
    "write_json_atomic",
]

KIT_DIR = ".kit"
# Tables whose entity ids are rewritten after the build-wide canonicalisation; their rows are kept
# before that step too (under .kit/raw/), so incremental builds can redo it from scratch.
RAW_TABLES = ("mentions", "claims", "relations")
BUILDS = "builds"
CURRENT = "current"
_ROWS_PER_BATCH = 2048


def table_path(folder: Path, name: str) -> Path:
    return folder / f"{name}.parquet"


def write_json_atomic(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2, default=str)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class StagedWriter:
    """Appends rows to one Parquet file per table, a record batch at a time (bounded memory)."""

    def __init__(self, folder: Path, *, names: Iterable[str] = TABLE_NAMES) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._names = tuple(names)
        self._buffers: dict[str, list[dict[str, Any]]] = {name: [] for name in self._names}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self.counts: dict[str, int] = dict.fromkeys(self._names, 0)

    def _writer(self, name: str) -> pq.ParquetWriter:
        if name not in self._writers:
            self._writers[name] = pq.ParquetWriter(
                table_path(self.folder, name), SCHEMAS[name], compression="zstd"
            )
        return self._writers[name]

    def add_rows(self, name: str, rows: list[dict[str, Any]]) -> None:
        buffer = self._buffers[name]
        buffer.extend(rows)
        if len(buffer) >= _ROWS_PER_BATCH:
            self._flush(name)

    def add_table(self, name: str, table: pa.Table) -> None:
        self._flush(name)
        if table.num_rows:
            self._writer(name).write_table(table.select(SCHEMAS[name].names).cast(SCHEMAS[name]))
            self.counts[name] += table.num_rows

    def _flush(self, name: str) -> None:
        buffer = self._buffers[name]
        if buffer:
            self._writer(name).write_table(pa.Table.from_pylist(buffer, schema=SCHEMAS[name]))
            self.counts[name] += len(buffer)
            buffer.clear()

    def close(self) -> None:
        """Flush and close; tables that got no rows are written empty, with their schema."""
        for name in self._names:
            self._flush(name)
            if name not in self._writers:
                pq.write_table(empty_table(name), table_path(self.folder, name), compression="zstd")
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()


def current_build(out: Path) -> Path:
    """The published build folder (through the ``.kit/current`` link)."""
    return out / KIT_DIR / CURRENT


def publish(out: Path, build: Path, names: Iterable[str]) -> None:
    """Make ``build`` the published one in a single atomic link switch, then drop older builds."""
    for name in names:
        link = out / name
        target = Path(KIT_DIR) / CURRENT / name
        if not link.is_symlink() or Path(os.readlink(link)) != target:
            tmp = out / f".{name}.link"
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(target)
            os.replace(tmp, link)
    _fsync_dir(build)
    tmp = out / KIT_DIR / f"{CURRENT}.tmp"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(Path(BUILDS) / build.name, target_is_directory=True)
    os.replace(tmp, out / KIT_DIR / CURRENT)
    _fsync_dir(out / KIT_DIR)
    recover(out)


def _fsync_dir(folder: Path) -> None:
    for path in [*folder.rglob("*"), folder]:
        if path.is_file() or path.is_dir():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def recover(out: Path) -> bool:
    """Remove build folders that are not published (left by killed builds); True when any was."""
    builds = out / KIT_DIR / BUILDS
    if not builds.is_dir():
        return False
    current = current_build(out)
    keep = current.resolve().name if current.exists() else None
    removed = False
    for folder in builds.iterdir():
        if folder.name != keep:
            shutil.rmtree(folder, ignore_errors=True)
            removed = True
    return removed


def read_rows_for(path: Path, article_ids: set[str]) -> Iterator[pa.Table]:
    """Stream the rows of ``path`` whose article_id is in ``article_ids`` (for incremental reuse)."""
    if not path.exists() or not article_ids:
        return
    wanted = pa.array(sorted(article_ids), type=pa.string())
    handle = pq.ParquetFile(path)
    for batch in handle.iter_batches(batch_size=8192):
        table = pa.Table.from_batches([batch])
        kept = table.filter(pc.is_in(table["article_id"], value_set=wanted))
        if kept.num_rows:
            yield kept


def load(path: str | Path, *, tables: Iterable[str] | None = None) -> dict[str, Any]:
    """Read a tables folder as pandas DataFrames, keyed by table name (missing tables are empty)."""
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"no tables folder at {folder}")
    frames: dict[str, Any] = {}
    for name in tables or TABLE_NAMES:
        file = table_path(folder, name)
        table = pq.read_table(file) if file.exists() else empty_table(name)
        frames[name] = table.to_pandas()
    return frames

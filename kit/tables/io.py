"""Parquet in and out: staged writers, an atomic publish that survives kills, and loading.

A build writes every file into its own folder ``OUT/.kit/builds/<build_id>/``. Publishing is one
atomic step: the symbolic link ``OUT/.kit/current`` is switched to the new build folder with
``os.replace``. The files users open (``OUT/mentions.parquet``, ``OUT/manifest.json``, ...) are
fixed links through ``.kit/current``, so a reader sees either the previous build or the new one,
complete and consistent with its manifest, whenever a build is killed.

The manifest records the size and blake2b digest of every file of its build (the published tables
and the raw tables kept for reuse). The next build checks them before reusing anything: a deleted,
truncated or altered file makes it process every article again instead of copying damaged rows.
``load`` resolves ``.kit/current`` once and reads every table from that one build folder, checking
the files' sizes against its manifest.

A build being written holds an exclusive lock on ``<build folder>/.owner``; cleaning up never
removes a folder whose owner is alive, even when the output folder's lock file was deleted.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kit.errors import KitError
from kit.tables.schemas import SCHEMAS, TABLE_NAMES, empty_table

__all__ = [
    "BUILDS",
    "KIT_DIR",
    "RAW_TABLES",
    "DamagedBuildError",
    "StagedWriter",
    "StagingOwner",
    "checksums",
    "current_build",
    "damage",
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
OWNER = ".owner"
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


class DamagedBuildError(KitError):
    """The published build's files do not match its manifest (deleted, truncated or changed)."""


def _digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checksums(build: Path) -> dict[str, dict[str, object]]:
    """``{relative path: {"bytes": size, "blake2b": digest}}`` of every file of a build folder
    (the manifest and the owner lock excepted)."""
    found: dict[str, dict[str, object]] = {}
    for path in sorted(build.rglob("*")):
        name = path.relative_to(build).as_posix()
        if path.is_file() and name not in ("manifest.json", OWNER) and not name.endswith(".tmp"):
            found[name] = {"bytes": path.stat().st_size, "blake2b": _digest(path)}
    return found


def damage(build: Path, *, deep: bool = True, legacy_ok: bool = False, only: Iterable[str] | None = None) -> list[str]:
    """What is wrong with a published build folder compared with its manifest (empty: nothing).

    ``deep`` compares digests; otherwise only that every file exists with its recorded size.
    ``legacy_ok`` accepts a manifest from before checksums were recorded (nothing to compare);
    ``only`` limits the check to those files (relative paths).
    """
    try:
        manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"manifest.json: {getattr(exc, 'strerror', None) or exc}"]
    recorded = manifest.get("checksums") if isinstance(manifest, dict) else None
    if not isinstance(recorded, dict):
        return [] if legacy_ok else ["manifest.json: no checksums (written by an older kit)"]
    problems = []
    wanted = None if only is None else set(only)
    for name, expected in sorted(recorded.items()):
        if wanted is not None and name not in wanted:
            continue
        path = build / name
        try:
            size = path.stat().st_size
        except OSError:
            problems.append(f"{name}: missing")
            continue
        if size != expected.get("bytes"):
            problems.append(f"{name}: {size:,} bytes, the manifest says {expected.get('bytes'):,}")
        elif deep and _digest(path) != expected.get("blake2b"):
            problems.append(f"{name}: changed since it was written (checksum differs)")
    return problems


class StagingOwner:
    """An exclusive lock on ``<build folder>/.owner`` held while a build writes that folder.

    The kernel releases it when the process ends, however it ends, so a folder whose lock can be
    taken belongs to a dead build and may be removed; one whose lock cannot is in use.
    """

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._fd: int | None = os.open(folder / OWNER, os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _in_use(folder: Path) -> bool:
    try:
        fd = os.open(folder / OWNER, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        return exc.errno in (errno.EAGAIN, errno.EACCES)
    finally:
        os.close(fd)  # closing drops the lock just taken
    return False


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
    """Remove build folders that are neither published nor being written by a live build (left by
    killed builds); True when any was."""
    builds = out / KIT_DIR / BUILDS
    if not builds.is_dir():
        return False
    current = current_build(out)
    keep = current.resolve().name if current.exists() else None
    removed = False
    for folder in builds.iterdir():
        if folder.name != keep and not _in_use(folder):
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


def _pandas_types() -> dict[pa.DataType, object]:
    """Arrow types to pandas nullable dtypes: integers stay integers where values are missing."""
    import pandas as pd

    return {
        pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
        pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype(),
    }


def _read_frames(folder: Path, names: list[str]) -> dict[str, Any]:
    mapping = _pandas_types()
    frames: dict[str, Any] = {}
    for name in names:
        file = table_path(folder, name)
        table = pq.read_table(file) if file.exists() else empty_table(name)
        # Dates stay datetime.date objects (date32), timestamps become datetime64 with their zone.
        frames[name] = table.to_pandas(types_mapper=mapping.get)
    return frames


def load(path: str | Path, *, tables: Iterable[str] | None = None) -> dict[str, Any]:
    """Read a tables folder as pandas DataFrames, keyed by table name (missing tables are empty).

    Every table comes from one build: ``.kit/current`` is resolved once and the files are read from
    that build's folder; when a newer build replaces it during the read, the read starts again.
    A build whose files do not match its manifest is refused (``DamagedBuildError``).
    """
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"no tables folder at {folder}")
    names = list(tables or TABLE_NAMES)
    current = current_build(folder)
    if not current.is_symlink():  # tables written some other way: read them as they are
        return _read_frames(folder, names)
    for _attempt in range(10):
        build = current.resolve()
        files = [f"{name}.parquet" for name in names]
        problems = damage(build, deep=False, legacy_ok=True, only=files) if build.is_dir() else []
        try:
            if problems:
                raise DamagedBuildError(
                    f"the tables in {folder} are damaged ({'; '.join(problems[:3])}); run kit build again"
                )
            frames = _read_frames(build, names)
        except (OSError, pa.ArrowException):
            frames = None
        if current.resolve() == build and build.is_dir() and frames is not None:
            return frames
        time.sleep(0.05)  # a build was published meanwhile: read the new one
    raise KitError(f"the tables in {folder} kept changing while being read; try again")

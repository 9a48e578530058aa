"""Orchestration: article files -> spaCy docs -> rows -> staged tables -> build-wide entities -> publish.

Articles stream through in chunks (never all in memory); a chunk is processed by ``process_chunk``
in this process (``jobs=1``), in a process pool with the model loaded once per worker, or on Dask.
Articles already built with the same content and pipeline version are reused, not processed again.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sys
import time
import uuid
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from filelock import FileLock, Timeout
from tqdm import tqdm

from kit import __version__, settings
from kit.entities import canonicalise, load_overrides
from kit.errors import BuildLockedError
from kit.ingest import CsvOptions, FileStatus, detect_language, discover, read_file
from kit.ingest.records import Article
from kit.nlp.registry import (
    PipelineSpec,
    load_pipeline,
    parse_specs,
    resolve_spec,
    spec_identity,
)
from kit.rows import Rows, article_rows
from kit.tables.io import (
    BUILDS,
    KIT_DIR,
    RAW_TABLES,
    StagedWriter,
    current_build,
    publish,
    read_rows_for,
    recover,
    table_path,
    write_json_atomic,
)
from kit.tables.schemas import SCHEMA_VERSION, SCHEMAS, TABLE_NAMES

__all__ = ["BuildResult", "ChunkResult", "build", "process_chunk"]

_PER_ARTICLE = ("articles", "sentences", "mentions", "dates", "claims", "relations")
_WORD = re.compile(r"\S+")


@dataclass
class ChunkResult:
    """Rows of a chunk of articles (or, from workers, the number written to part files), and failures."""

    rows: Rows
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (source_file, article_id, reason)
    n_articles: int = 0


@dataclass
class BuildResult:
    """What a build wrote: table paths, the manifest, counts and every file's status."""

    out: Path
    tables: dict[str, Path]
    manifest: Path
    counts: dict[str, int]
    files: list[FileStatus]
    reused: int
    processed: int

    @property
    def failed(self) -> list[FileStatus]:
        return [f for f in self.files if f.status == "failed"]


def _limit_tokens(text: str, max_tokens: int) -> tuple[str, bool]:
    """Cut text after ``max_tokens`` whitespace-separated words (offsets stay valid: it is a prefix)."""
    if len(text) < max_tokens * 2:
        return text, False
    for count, match in enumerate(_WORD.finditer(text), start=1):
        if count == max_tokens:
            return text[: match.end()], True
    return text, False


def process_chunk(spec: PipelineSpec, articles: list[Article], *, max_tokens: int) -> ChunkResult:
    """Run one language's pipeline over a chunk of articles and turn the docs into rows."""
    nlp = load_pipeline(spec)
    name, version = spec_identity(spec)
    result = ChunkResult({table: [] for table in _PER_ARTICLE})
    docs, truncated = [], []
    for article in articles:
        text, cut = _limit_tokens(article.text, max_tokens)
        if cut:
            article.warnings.append(f"article {article.article_id} truncated to {max_tokens} tokens")
        doc = nlp.make_doc(text)
        doc._.published = article.published.date() if article.published else None
        docs.append(doc)
        truncated.append(cut)

    def add(doc: Any, article: Article, cut: bool) -> None:
        for table, rows in article_rows(doc, article, pipeline=name, version=version, truncated=cut).items():
            result.rows[table].extend(rows)

    try:
        piped = nlp.pipe(docs, batch_size=settings.PIPE_BATCH_SIZE)
        for doc, article, cut in zip(piped, articles, truncated, strict=True):
            add(doc, article, cut)
    except Exception:  # noqa: BLE001 - isolate the article that breaks the batch; the others still get built
        result.rows = {table: [] for table in _PER_ARTICLE}
        for doc, article, cut in zip(docs, articles, truncated, strict=True):
            try:
                add(nlp(doc), article, cut)
            except Exception as exc:  # noqa: BLE001 - reported per article, never crashes the build
                result.failures.append((article.source_file, str(article.article_id), f"{type(exc).__name__}: {exc}"))
    result.n_articles = len(result.rows["articles"])
    return result


def _part_path(parts: Path, table: str, chunk_id: int) -> Path:
    return parts / table / f"{chunk_id:08d}.parquet"


def _worker_chunk(spec: PipelineSpec, articles: list[Article], max_tokens: int, parts: str, chunk_id: int) -> ChunkResult:
    """A worker's task: process a chunk and write each table's rows as its own Parquet part.

    Part names depend only on the chunk, so a task that fails and re-runs overwrites its own parts
    (written to a temporary name, then renamed): rows are never duplicated.
    """
    result = process_chunk(spec, articles, max_tokens=max_tokens)
    for table, rows in result.rows.items():
        target = _part_path(Path(parts), table, chunk_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[table]), tmp, compression="zstd")
        os.replace(tmp, target)
    return ChunkResult({}, result.failures, result.n_articles)


@dataclass
class _Previous:
    """What the last build in the output folder holds, for incremental reuse."""

    versions: dict[str, tuple[str, str]]  # article_id -> (content_hash, pipeline_version)

    @classmethod
    def read(cls, out: Path) -> _Previous:
        path = table_path(out, "articles")
        if not path.exists():
            return cls({})
        table = pq.read_table(path, columns=["article_id", "content_hash", "pipeline_version"])
        ids, hashes, versions = (table[c].to_pylist() for c in table.column_names)
        return cls({a: (h, v) for a, h, v in zip(ids, hashes, versions, strict=True)})


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def build(
    inputs: Iterable[str | Path],
    *,
    out: str | Path,
    pipelines: dict[str, str] | list[str] | None = None,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    overrides: str | Path | None = None,
    csv_options: CsvOptions | None = None,
    max_file_bytes: int | None = None,
    max_tokens: int | None = None,
    progress: bool = True,
    tier: str | None = None,
) -> BuildResult:
    """Build every table from article files and folders into ``out``; returns what was written.

    ``tier``: licence tier of the shipped models (``default`` or ``research``; None: ``KIT_TIER``)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / KIT_DIR).mkdir(exist_ok=True)
    lock = FileLock(str(out / KIT_DIR / "build.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise BuildLockedError(f"another build is writing into {out} (lock {out / KIT_DIR / 'build.lock'})") from None
    try:
        if recover(out):
            _say(f"kit: removed the unfinished files of an interrupted build in {out}")
        chosen = pipelines if isinstance(pipelines, dict) else parse_specs(pipelines)
        tier = settings.resolve_tier(tier)
        overrides_path = Path(overrides) if overrides else (out / "overrides.yaml")
        return _build(
            list(inputs), out, chosen, max(1, jobs), engine, scheduler, load_overrides(overrides_path),
            csv_options, max_file_bytes, max_tokens or settings.MAX_ARTICLE_TOKENS, progress, tier,
        )
    finally:
        lock.release()


def _build(
    inputs: list[str | Path], out: Path, chosen: dict[str, str], jobs: int, engine: str, scheduler: str | None,
    overrides: Any, csv_options: CsvOptions | None, max_file_bytes: int | None, max_tokens: int, progress: bool,
    tier: str,
) -> BuildResult:
    started = time.perf_counter()
    build_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    staging = out / KIT_DIR / BUILDS / build_id
    writer = StagedWriter(staging / "raw")
    previous = _Previous.read(out)
    specs: dict[str, PipelineSpec] = {}
    identities: dict[str, tuple[str, str]] = {}
    statuses: list[FileStatus] = []
    status_of: dict[str, FileStatus] = {}
    seen_hashes: dict[str, str] = {}
    seen_ids: set[str] = set()
    reuse: set[str] = set()
    processed = 0

    def spec_for(lang: str) -> PipelineSpec:
        if lang not in specs:
            specs[lang] = resolve_spec(lang, chosen, tier)
            identities[lang] = spec_identity(specs[lang])
        return specs[lang]

    pool: Any = None
    parts = staging / "parts"
    n_chunks = 0
    if engine == "dask":
        from kit.engines import dask_runner

        pool = dask_runner(scheduler, jobs)
    elif jobs > 1:
        pool = ProcessPoolExecutor(max_workers=jobs)

    def run_chunk(spec: PipelineSpec, chunk: list[Article]) -> Future[ChunkResult] | ChunkResult:
        nonlocal n_chunks
        n_chunks += 1
        if pool is None:
            return process_chunk(spec, chunk, max_tokens=max_tokens)
        return pool.submit(_worker_chunk, spec, chunk, max_tokens, str(parts), n_chunks)  # type: ignore[no-any-return]

    in_flight: deque[Future[ChunkResult] | ChunkResult] = deque()

    def collect(result: ChunkResult) -> None:
        nonlocal processed
        for table, rows in result.rows.items():
            writer.add_rows(table, rows)
        processed += result.n_articles
        for source_file, article_id, reason in result.failures:
            status = status_of.get(source_file)
            message = f"article {article_id} failed: {reason}"
            _say(f"kit: {source_file}: {message}")
            if status is not None:
                status.warnings.append(message)
                status.n_articles -= 1
                if status.n_articles <= 0:
                    status.status, status.reason = "failed", message

    def drain(limit: int) -> None:
        while len(in_flight) > limit:
            item = in_flight.popleft()
            collect(item if isinstance(item, ChunkResult) else item.result())

    pending: dict[str, list[Article]] = {}
    paths = list(discover(inputs))
    bar = tqdm(paths, desc="kit build", unit="file", disable=not progress, file=sys.stderr)
    try:
        for found in bar:
            if isinstance(found, FileStatus):
                statuses.append(found)
                _say(f"kit: {found.path}: {found.status}: {found.reason}")
                continue
            articles, status = read_file(found, csv_options=csv_options, max_bytes=max_file_bytes)
            statuses.append(status)
            status_of[status.path] = status
            if status.status != "ok":
                _say(f"kit: {status.path}: {status.status}: {status.reason}")
                continue
            kept = 0
            for article in articles:
                digest = article.hash
                aid = str(article.article_id)
                if digest in seen_hashes:
                    first = seen_hashes[digest]
                    status.warnings.append(f"article {aid}: exact duplicate of {first}, not processed again")
                    continue
                if aid in seen_ids:
                    status.warnings.append(f"article id {aid} used again for a different text; kept the first")
                    continue
                seen_hashes[digest] = aid
                seen_ids.add(aid)
                if article.language is None:
                    article.language = detect_language(article.text)
                    article.language_detected = True
                spec = spec_for(article.language)
                if previous.versions.get(aid) == (digest, identities[article.language][1]):
                    reuse.add(aid)
                else:
                    pending.setdefault(article.language, []).append(article)
                    if len(pending[article.language]) >= settings.BATCH_SIZE:
                        in_flight.append(run_chunk(spec, pending.pop(article.language)))
                        drain(2 * jobs)
                kept += 1
            status.n_articles = kept
            if status.warnings:
                for warning in status.warnings:
                    _say(f"kit: {status.path}: warning: {warning}")
        for lang, chunk in pending.items():
            in_flight.append(run_chunk(specs[lang], chunk))
        drain(0)
    finally:
        bar.close()
        if pool is not None:
            pool.shutdown()
    current = current_build(out)
    for name in _PER_ARTICLE:
        for chunk_id in range(1, n_chunks + 1):  # workers' parts, in the order the chunks were made
            part = _part_path(parts, name, chunk_id)
            if pool is not None and part.exists():
                writer.add_table(name, pq.read_table(part))
    shutil.rmtree(parts, ignore_errors=True)
    for name in _PER_ARTICLE:
        source = table_path(current / "raw" if name in RAW_TABLES else current, name)
        for table in read_rows_for(source, reuse):
            writer.add_table(name, table)
    writer.close()
    return _finish(out, staging, writer.counts, statuses, overrides, identities, specs, build_id, started,
                   reused=len(reuse), processed=processed)


def _finish(
    out: Path, staging: Path, counts: dict[str, int], statuses: list[FileStatus], overrides: Any,
    identities: dict[str, tuple[str, str]], specs: dict[str, PipelineSpec], build_id: str, started: float,
    *, reused: int, processed: int,
) -> BuildResult:
    """Build-wide entities, entity ids rewritten, manifest written, everything published at once."""
    raw = staging / "raw"
    for name in _PER_ARTICLE:
        if name not in RAW_TABLES:
            os.replace(table_path(raw, name), table_path(staging, name))
    articles = pq.read_table(table_path(staging, "articles"), columns=["article_id", "published"])
    published = dict(zip(articles["article_id"].to_pylist(), articles["published"].to_pylist(), strict=True))
    mentions = pq.read_table(
        table_path(raw, "mentions"), columns=["article_id", "entity_id", "label", "canonical", "text", "role"]
    )
    entities, remap, blocked = canonicalise(mentions, published, overrides)
    pq.write_table(entities, table_path(staging, "entities"), compression="zstd")
    counts = dict(counts)
    counts["entities"] = entities.num_rows
    id_columns = {"mentions": ["entity_id"], "claims": ["source_entity_id"],
                  "relations": ["source_entity_id", "target_entity_id"]}
    for name, columns in id_columns.items():
        counts[name] = _rewrite_ids(table_path(raw, name), table_path(staging, name), columns, remap, blocked)
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "kit_version": __version__,
        "build_id": build_id,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 3),
        "pipelines": {
            lang: {"name": identities[lang][0], "version": identities[lang][1], "source": specs[lang].name,
                   "tier": specs[lang].tier}
            for lang in sorted(specs)
        },
        "counts": {name: counts.get(name, 0) for name in TABLE_NAMES},
        "articles_processed": processed,
        "articles_reused": reused,
        "files": [s.as_dict() for s in statuses],
        "errors": [s.as_dict() for s in statuses if s.status == "failed"],
    }
    write_json_atomic(staging / "manifest.json", manifest)
    publish(out, staging, [f"{name}.parquet" for name in TABLE_NAMES] + ["manifest.json"])
    return BuildResult(
        out=out,
        tables={name: table_path(out, name) for name in TABLE_NAMES},
        manifest=out / "manifest.json",
        counts=manifest["counts"],  # type: ignore[arg-type]
        files=statuses,
        reused=reused,
        processed=processed,
    )


def _rewrite_ids(source: Path, target: Path, columns: list[str], remap: dict[str, str], blocked: set[str]) -> int:
    """Stream a raw table into its final form: entity ids remapped, blocked entities dropped."""
    schema = SCHEMAS[source.stem]
    handle = pq.ParquetFile(source)
    rows = 0
    keys = pa.array(list(remap), type=pa.string())
    values = pa.array(list(remap.values()), type=pa.string())
    blocked_ids = pa.array(sorted(blocked), type=pa.string())
    with pq.ParquetWriter(target, schema, compression="zstd") as writer:
        for batch in handle.iter_batches(batch_size=8192):
            table = pa.Table.from_batches([batch], schema=schema)
            for column in columns:
                original = table[column]
                index = pc.index_in(original, value_set=keys)
                mapped = pc.if_else(pc.is_null(index), original, pc.take(values, index))
                table = table.set_column(table.schema.get_field_index(column), schema.field(column), mapped)
                if len(blocked_ids):
                    table = table.filter(pc.invert(pc.fill_null(pc.is_in(table[column], value_set=blocked_ids), False)))
            writer.write_table(table)
            rows += table.num_rows
    return rows


"""Orchestration: article files -> spaCy docs -> rows -> staged tables -> build-wide entities -> publish.

A build is a sequence of named steps over one ``_Run`` (its state): lock the output folder, read
and schedule the articles (reusing those the last build already holds), collect the chunks' rows,
add the reused rows, then canonicalise entities, write the manifest and publish. Articles stream
through in chunks (never all in memory); ``kit.chunks`` runs a chunk in process, in a pool or on Dask.

Failure is per record: an article that cannot be read, processed or stored fails alone (its reason
in the manifest, exit code 1) and the build goes on. Reuse is keyed on everything that shapes an
article's rows (text, metadata, pipeline version, options), and only from a published build whose
files match the checksums in its manifest. A build that cannot write (disk full, read-only) stops
with one clear error and removes its own staging folder, never another build's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from filelock import FileLock, Timeout
from tqdm import tqdm

from kit import __version__, settings
from kit.chunks import PER_ARTICLE, ChunkResult, Runner, make_runner, part_path, process_chunk, worker_chunk
from kit.corpus_consistency import add_corpus_mentions
from kit.entities import MENTION_COLUMNS, Overrides, canonicalise, load_overrides
from kit.errors import BuildLockedError, OutputError, PipelineError, UsageError
from kit.ingest import CsvOptions, FileStatus, discover, missing_inputs, read_file
from kit.ingest.language import LanguageChooser
from kit.ingest.records import Article
from kit.nlp.registry import PipelineSpec, parse_specs, resolve_spec, spec_identity
from kit.tables.io import (
    BUILDS,
    KIT_DIR,
    RAW_TABLES,
    StagedWriter,
    StagingOwner,
    checksums,
    current_build,
    damage,
    publish,
    read_rows_for,
    recover,
    table_path,
    write_json_atomic,
)
from kit.tables.schemas import SCHEMA_VERSION, SCHEMAS, TABLE_NAMES

__all__ = ["BuildOptions", "BuildResult", "ChunkResult", "build", "process_chunk"]

# Kept under their old names: tests and tools import them from here.
_part_path = part_path
_worker_chunk = worker_chunk


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """Everything that shapes a build besides its inputs and output folder."""

    pipelines: Mapping[str, str] = field(default_factory=dict)  # language -> pipeline name or path
    jobs: int = 1
    engine: str = "local"
    scheduler: str | None = None
    overrides: Path | None = None  # default: OUT/overrides.yaml
    csv: CsvOptions | None = None
    max_file_bytes: int | None = None
    max_tokens: int | None = None  # default: settings.MAX_ARTICLE_TOKENS
    progress: bool = True
    tier: str = "default"
    follow_symlinks: bool = False
    default_language: str = "de"  # for texts too short to detect, when the build has no majority yet

    @property
    def token_limit(self) -> int:
        return self.max_tokens or settings.MAX_ARTICLE_TOKENS


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

    @property
    def record_errors(self) -> list[str]:
        """Records that failed inside files that were otherwise read, as ``path: reason``."""
        return [f"{f.path}: {error}" for f in self.files for error in f.errors]


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
    follow_symlinks: bool = False,
) -> BuildResult:
    """Build every table from article files and folders into ``out``; returns what was written."""
    options = BuildOptions(
        pipelines=pipelines if isinstance(pipelines, dict) else parse_specs(pipelines),
        jobs=max(1, jobs), engine=engine, scheduler=scheduler,
        overrides=Path(overrides) if overrides else None, csv=csv_options, max_file_bytes=max_file_bytes,
        max_tokens=max_tokens, progress=progress, tier=settings.resolve_tier(tier), follow_symlinks=follow_symlinks,
    )
    return run_build(list(inputs), Path(out), options)


def run_build(inputs: list[str | Path], out: Path, options: BuildOptions) -> BuildResult:
    """The build's steps, in order, under the output folder's lock."""
    missing = missing_inputs(inputs)
    if missing:  # a usage error: nothing is written
        raise UsageError("no such input file, folder or matching pattern: " + ", ".join(map(str, missing)))
    if options.engine not in ("local", "dask"):
        raise UsageError(f"unknown engine {options.engine!r}: use local or dask")
    try:
        (out / KIT_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out}: {exc.strerror or exc}") from None
    lock = FileLock(str(out / KIT_DIR / "build.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise BuildLockedError(f"another build is writing into {out} (lock {out / KIT_DIR / 'build.lock'})") from None
    run: _Run | None = None
    try:
        if recover(out):
            _say(f"kit: removed the unfinished files of an interrupted build in {out}")
        run = _Run(out, options, load_overrides(options.overrides or out / "overrides.yaml", required=options.overrides is not None))
        run.process(inputs)
        run.add_worker_parts()
        run.add_reused()
        return run.finish()
    except BaseException as exc:
        if run is not None:  # this build's own staging folder, never another's
            shutil.rmtree(run.staging, ignore_errors=True)
        if isinstance(exc, OSError):
            where = f" ({exc.filename})" if exc.filename else ""
            raise OutputError(f"cannot write the build into {out}: {exc.strerror or exc}{where}; "
                              "nothing was published, the previous tables are unchanged") from None
        raise
    finally:
        if run is not None:
            run.owner.release()
        lock.release()


def _say(message: str) -> None:
    print(message, file=sys.stderr)


_REUSE_KEYS = "reuse.parquet"  # article_id -> reuse key, beside the tables of every build
_KEY_SCHEMA = pa.schema([pa.field("article_id", pa.string(), False), pa.field("key", pa.string(), False)])


def reuse_key(article: Article, version: str, options: BuildOptions) -> str:
    """Digest of everything that shapes an article's rows: its text and every metadata field, the
    pipeline version, and the options that change rows (token limit, tier; the segment size for an
    article long enough to be segmented)."""
    fields = [article.hash, article.article_id, article.title, article.published, article.language,
              article.language_detected, article.source, article.url, article.section, article.source_file,
              article.record_index, version, options.token_limit, options.tier]
    if len(article.text) > settings.SEGMENT_CHARS:
        fields.append(settings.SEGMENT_CHARS)
    return hashlib.blake2b(json.dumps(fields, default=str).encode(), digest_size=16).hexdigest()


def _previous_keys(out: Path) -> tuple[dict[str, str], list[str]]:
    """Reuse keys of the published build, and what is damaged in it (then nothing is reused)."""
    current = current_build(out)
    if not current.is_dir():
        return {}, []
    problems = damage(current)
    if problems:
        return {}, problems
    try:
        table = pq.read_table(current / _REUSE_KEYS)
    except (OSError, pa.ArrowException) as exc:
        return {}, [f"{_REUSE_KEYS}: {exc}"]
    return dict(zip(table["article_id"].to_pylist(), table["key"].to_pylist(), strict=True)), []


class _Run:
    """One build's state, changed only by its steps (methods), in the order ``run_build`` calls them."""

    def __init__(self, out: Path, options: BuildOptions, overrides: Overrides) -> None:
        self.started = time.perf_counter()
        self.out = out
        self.options = options
        self.overrides = overrides
        self.build_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        self.staging = out / KIT_DIR / BUILDS / self.build_id
        self.owner = StagingOwner(self.staging)
        self.writer = StagedWriter(self.staging / "raw")
        self.previous, self.damaged = _previous_keys(out)
        if self.damaged:
            _say(f"kit: the published build in {out} is damaged ({'; '.join(self.damaged[:3])}); "
                 "every article is processed again")
        self.keys: dict[str, str] = {}
        self.languages = LanguageChooser(options.default_language)
        self.specs: dict[str, PipelineSpec] = {}
        self.identities: dict[str, tuple[str, str]] = {}
        self.statuses: list[FileStatus] = []
        self.status_of: dict[str, FileStatus] = {}
        self.seen_hashes: dict[str, str] = {}
        self.seen_ids: dict[str, str] = {}  # article_id -> where it was first seen
        self.n_files = 0
        self.reuse: set[str] = set()
        self.processed = 0
        self.pending: dict[str, list[Article]] = {}
        self.in_flight: deque[Future[ChunkResult] | ChunkResult] = deque()
        self.runner: Runner = make_runner(options.engine, options.jobs, options.scheduler, self.staging / "parts")

    # -- step: read every input, schedule what must be processed, collect the rows -----------------
    def process(self, inputs: list[str | Path]) -> None:
        try:
            for article in self._read(inputs):
                self._schedule(article)
            for lang, chunk in self.pending.items():
                self.in_flight.append(self.runner.submit(self.specs[lang], chunk, self.options.token_limit))
            self._drain(0)
        finally:
            self.runner.shutdown()

    def _read(self, inputs: list[str | Path]) -> Iterator[Article]:
        """Articles of every input file, once each (duplicates reported), each with its language."""
        bar = tqdm(desc="kit build", unit=" articles", disable=not self.options.progress, file=sys.stderr)
        try:
            for found in discover(inputs, follow_symlinks=self.options.follow_symlinks):
                self.n_files += 1
                bar.set_postfix_str(f"{self.n_files} files", refresh=False)
                if isinstance(found, FileStatus):
                    self.statuses.append(found)
                    _say(f"kit: {found.path}: {found.status}: {found.reason}")
                    continue
                articles, status = read_file(found, csv_options=self.options.csv, max_bytes=self.options.max_file_bytes)
                self.statuses.append(status)
                self.status_of[status.path] = status
                if status.status != "ok":
                    _say(f"kit: {status.path}: {status.status}: {status.reason}")
                    continue
                kept = 0
                for article in articles:
                    if self._first_time(article, status):
                        self.languages.choose(article)
                        kept += 1
                        bar.update()
                        yield article
                status.n_articles = kept
                for warning in status.warnings:
                    _say(f"kit: {status.path}: warning: {warning}")
                for error in status.errors:
                    _say(f"kit: {status.path}: error: {error}")
        finally:
            bar.close()
        if self.n_files == 0:
            _say(f"kit: no article files found in {', '.join(map(str, inputs))}")
        elif not self.seen_ids:
            _say("kit: no articles could be read from the input")

    def _first_time(self, article: Article, status: FileStatus) -> bool:
        """False for an exact duplicate (a warning: nothing is lost) and for a different article
        with an id already taken (ids are compared trimmed and as text, so " x1 " is "x1" and 7 is
        "7"): that record fails, with the reason, instead of silently replacing or being dropped."""
        digest, aid = article.hash, str(article.article_id)
        if digest in self.seen_hashes:
            status.warnings.append(f"article {aid}: exact duplicate of {self.seen_hashes[digest]}, not processed again")
            return False
        if aid in self.seen_ids:
            status.errors.append(f"record {article.record_index}: id {aid!r} is already used by a different "
                                 f"article ({self.seen_ids[aid]}); not built: give it its own id")
            return False
        self.seen_hashes[digest] = aid
        self.seen_ids[aid] = f"{article.source_file} record {article.record_index}"
        return True

    def _spec(self, lang: str) -> PipelineSpec:
        if lang not in self.specs:
            self.specs[lang] = resolve_spec(lang, self.options.pipelines, self.options.tier)
            self.identities[lang] = spec_identity(self.specs[lang])
        return self.specs[lang]

    def _schedule(self, article: Article) -> None:
        lang = str(article.language)
        aid = str(article.article_id)
        try:
            spec = self._spec(lang)
        except PipelineError as exc:
            if lang in self.options.pipelines:
                raise  # the user's own choice does not load: a setup error
            self._fail(article.source_file, article.record_index, aid, str(exc))
            return
        key = self.keys[aid] = reuse_key(article, self.identities[lang][1], self.options)
        if self.previous.get(aid) == key:
            self.reuse.add(aid)
            return
        chunk = self.pending.setdefault(lang, [])
        chunk.append(article)
        if len(chunk) >= settings.BATCH_SIZE:
            self.in_flight.append(self.runner.submit(spec, self.pending.pop(lang), self.options.token_limit))
            self._drain(2 * self.options.jobs)

    def _drain(self, limit: int) -> None:
        while len(self.in_flight) > limit:
            item = self.in_flight.popleft()
            self._collect(item if isinstance(item, ChunkResult) else item.result())

    def _collect(self, result: ChunkResult) -> None:
        for table, rows in result.tables.items():
            self.writer.add_table(table, rows)
        self.processed += result.n_articles
        for source_file, record_index, article_id, reason in result.failures:
            self._fail(source_file, record_index, article_id, reason)

    def _fail(self, source_file: str, record_index: int, article_id: str, reason: str) -> None:
        """One article failed: its file keeps its other articles; the reason goes to the manifest."""
        self.keys.pop(article_id, None)
        status = self.status_of.get(source_file)
        message = f"record {record_index} (article {article_id}) failed: {reason}"
        _say(f"kit: {source_file}: {message}")
        if status is not None:
            status.errors.append(message)
            status.n_articles -= 1
            if status.n_articles <= 0:
                status.status, status.reason = "failed", message

    # -- step: rows workers wrote as part files -----------------------------------------------------
    def add_worker_parts(self) -> None:
        for name in PER_ARTICLE:
            for part in self.runner.part_files(name):
                self.writer.add_table(name, pq.read_table(part))
        shutil.rmtree(self.staging / "parts", ignore_errors=True)

    # -- step: rows of reused articles, copied from the published build ----------------------------
    def add_reused(self) -> None:
        current = current_build(self.out)
        for name in PER_ARTICLE:
            source = table_path(current / "raw" if name in RAW_TABLES else current, name)
            for table in read_rows_for(source, self.reuse):
                self.writer.add_table(name, table)
        self.writer.close()

    # -- step: build-wide entities, entity ids rewritten, manifest, publish ------------------------
    def finish(self) -> BuildResult:
        staging, raw = self.staging, self.staging / "raw"
        for name in PER_ARTICLE:
            if name not in RAW_TABLES:
                os.replace(table_path(raw, name), table_path(staging, name))
        counts = dict(self.writer.counts)
        counts.update(self._entities())
        keys = pa.table({"article_id": list(self.keys), "key": list(self.keys.values())}, schema=_KEY_SCHEMA)
        pq.write_table(keys, staging / _REUSE_KEYS, compression="zstd")
        manifest = self._manifest(counts)
        write_json_atomic(staging / "manifest.json", manifest)
        publish(self.out, staging, [f"{name}.parquet" for name in TABLE_NAMES] + ["manifest.json"])
        return BuildResult(
            out=self.out,
            tables={name: table_path(self.out, name) for name in TABLE_NAMES},
            manifest=self.out / "manifest.json",
            counts=manifest["counts"],  # type: ignore[arg-type]
            files=self.statuses,
            reused=len(self.reuse),
            processed=self.processed,
        )

    def _entities(self) -> dict[str, int]:
        """Canonicalise entities across the build; rewrite the raw tables' entity ids; their counts."""
        staging, raw = self.staging, self.staging / "raw"
        articles = pq.read_table(table_path(staging, "articles"), columns=["article_id", "published"])
        published = dict(zip(articles["article_id"].to_pylist(), articles["published"].to_pylist(), strict=True))
        add_corpus_mentions(
            table_path(raw, "mentions"), table_path(staging, "articles"), table_path(staging, "sentences")
        )
        mentions = pq.read_table(table_path(raw, "mentions"), columns=MENTION_COLUMNS)
        entities, remap, blocked = canonicalise(mentions, published, self.overrides)
        pq.write_table(entities, table_path(staging, "entities"), compression="zstd")
        counts = {"entities": entities.num_rows}
        id_columns = {"mentions": ["entity_id"], "claims": ["source_entity_id"],
                      "relations": ["source_entity_id", "target_entity_id"]}
        for name, columns in id_columns.items():
            counts[name] = _rewrite_ids(table_path(raw, name), table_path(staging, name), columns, remap, blocked)
        return counts

    def _manifest(self, counts: dict[str, int]) -> dict[str, object]:
        return {
            "schema_version": SCHEMA_VERSION,
            "kit_version": __version__,
            "build_id": self.build_id,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - self.started, 3),
            "pipelines": {
                lang: {"name": self.identities[lang][0], "version": self.identities[lang][1],
                       "source": self.specs[lang].name,
                       "tier": self.specs[lang].tier}
                for lang in sorted(self.specs)
            },
            "counts": {name: counts.get(name, 0) for name in TABLE_NAMES},
            "articles_processed": self.processed,
            "articles_reused": len(self.reuse),
            "rebuilt_because": self.damaged or None,
            "files": [s.as_dict() for s in self.statuses],
            "errors": [s.as_dict() for s in self.statuses if s.status == "failed" or s.errors],
            "checksums": checksums(self.staging),
        }


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

"""A chunk of articles through one language's pipeline into rows, wherever it runs.

The same function runs in the build's own process (``--jobs 1``), in a process pool (the model is
loaded once per worker) or on Dask; workers write their rows as Parquet parts named by chunk, so a
task that is retried overwrites its own parts instead of duplicating rows.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from kit import settings
from kit.ingest.records import Article
from kit.nlp.extensions import doc_text
from kit.nlp.registry import PipelineSpec, load_pipeline, spec_identity
from kit.rows import Rows, article_rows
from kit.segments import join_segments, segment_starts
from kit.tables.schemas import SCHEMAS

__all__ = ["PER_ARTICLE", "ChunkResult", "Runner", "make_runner", "part_path", "process_chunk", "worker_chunk"]

PER_ARTICLE = ("articles", "sentences", "mentions", "dates", "claims", "relations")
_WORD = re.compile(r"\S+")


@dataclass
class ChunkResult:
    """Rows of a chunk of articles as one Arrow table per table (or, from workers, only the count
    written to part files), and the articles that failed: (source_file, record_index, article_id, reason)."""

    tables: dict[str, pa.Table]
    failures: list[tuple[str, int, str, str]] = field(default_factory=list)
    n_articles: int = 0


def limit_tokens(text: str, max_tokens: int) -> tuple[str, bool]:
    """Cut text after ``max_tokens`` whitespace-separated words (offsets stay valid: it is a prefix)."""
    if len(text) < max_tokens * 2:
        return text, False
    for count, match in enumerate(_WORD.finditer(text), start=1):
        if count == max_tokens:
            return text[: match.end()], True
    return text, False


def _batches(docs: list[Any]) -> Iterator[list[Any]]:
    """Consecutive docs, at most ``PIPE_BATCH_SIZE`` of them and ``PIPE_BATCH_CHARS`` characters
    together (a long doc goes alone): the tok2vec's arrays grow with a batch's text, and a batch
    of 13 segments of one long article took 3.35 GB and twice the time of one segment at a time."""
    batch: list[Any] = []
    chars = 0
    for doc in docs:
        size = len(doc_text(doc))
        if batch and (len(batch) >= settings.PIPE_BATCH_SIZE or chars + size > settings.PIPE_BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(doc)
        chars += size
    if batch:
        yield batch


def _pipe(nlp: Any, docs: list[Any]) -> Iterator[Any]:
    for batch in _batches(docs):
        yield from nlp.pipe(batch, batch_size=len(batch))


def _failure(article: Article, exc: BaseException) -> tuple[str, int, str, str]:
    return article.source_file, article.record_index, str(article.article_id), f"{type(exc).__name__}: {exc}"


def _to_tables(rows: Rows) -> dict[str, pa.Table]:
    return {table: pa.Table.from_pylist(rows.get(table, []), schema=SCHEMAS[table]) for table in PER_ARTICLE}


def process_chunk(spec: PipelineSpec, articles: list[Article], *, max_tokens: int) -> ChunkResult:
    """Run one language's pipeline over a chunk of articles and turn the docs into rows.

    Every article is isolated: one that cannot be tokenised, processed or written as rows fails
    alone, with its reason, and the others of the chunk are built.
    """
    nlp = load_pipeline(spec)
    name, version = spec_identity(spec)
    result = ChunkResult({})
    ready: list[tuple[list[Any], list[int], Article, bool, str]] = []  # segments, their starts, ...
    for article in articles:
        try:
            text, cut = limit_tokens(article.text, max_tokens)
            if cut:
                article.warnings.append(f"article {article.article_id} truncated to {max_tokens} tokens")
            starts = segment_starts(text, settings.SEGMENT_CHARS)
            ends = [*starts[1:], len(text)]
            # The token cap bounds the work; spaCy's own character cap (E088, 1,000,000 by default)
            # would refuse a segment the token cap allows, so it is raised to fit.
            nlp.max_length = max(nlp.max_length, max(b - a for a, b in zip(starts, ends, strict=True)) + 1)
            published = article.published.date() if article.published else None
            docs = [nlp.make_doc(text[a:b]) for a, b in zip(starts, ends, strict=True)]
            for doc in docs:
                doc._.published = published
            ready.append((docs, starts, article, cut, text))
        except Exception as exc:  # noqa: BLE001 - reported per article, never crashes the build
            result.failures.append(_failure(article, exc))
    done: list[tuple[Article, Rows]] = []

    def rows_of(docs: list[Any], starts: list[int], article: Article, cut: bool, text: str) -> Rows:
        doc = join_segments(docs, starts, text)
        return article_rows(doc, article, pipeline=name, version=version, truncated=cut)

    try:
        piped = _pipe(nlp, [d for docs, *_ in ready for d in docs])
        done = [
            (article, rows_of([next(piped) for _ in docs], starts, article, cut, text))
            for docs, starts, article, cut, text in ready
        ]
    except Exception:  # noqa: BLE001 - find the article that breaks the batch; the others still get built
        done = []
        for docs, starts, article, cut, text in ready:
            try:
                done.append((article, rows_of([nlp(d) for d in docs], starts, article, cut, text)))
            except Exception as exc:  # noqa: BLE001 - reported per article
                result.failures.append(_failure(article, exc))
    merged: Rows = {table: [row for _, rows in done for row in rows[table]] for table in PER_ARTICLE}
    try:
        result.tables, result.n_articles = _to_tables(merged), len(done)
    except Exception:  # noqa: BLE001 - a value Arrow cannot store: the loop below finds its article
        result.n_articles = -1
    if result.n_articles >= 0:
        return result
    parts: list[dict[str, pa.Table]] = []
    for article, rows in done:
        try:
            parts.append(_to_tables(rows))
        except Exception as exc:  # noqa: BLE001 - reported per article
            result.failures.append(_failure(article, exc))
    result.tables = {t: pa.concat_tables([p[t] for p in parts]) if parts else _to_tables({})[t] for t in PER_ARTICLE}
    result.n_articles = len(parts)
    return result


def part_path(parts: Path, table: str, chunk_id: int) -> Path:
    return parts / table / f"{chunk_id:08d}.parquet"


def worker_chunk(spec: PipelineSpec, articles: list[Article], max_tokens: int, parts: str, chunk_id: int) -> ChunkResult:
    """A worker's task: process a chunk and write each table's rows as its own Parquet part.

    Part names depend only on the chunk, so a task that fails and re-runs overwrites its own parts
    (written to a temporary name, then renamed): rows are never duplicated.
    """
    result = process_chunk(spec, articles, max_tokens=max_tokens)
    for table, rows in result.tables.items():
        target = part_path(Path(parts), table, chunk_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        pq.write_table(rows, tmp, compression="zstd")
        os.replace(tmp, target)
    return ChunkResult({}, result.failures, result.n_articles)


class Runner(Protocol):
    """Where chunks run: ``submit`` returns the result (in process) or a future (pool, Dask)."""

    parts: Path | None

    def submit(self, spec: PipelineSpec, chunk: list[Article], max_tokens: int) -> Future[ChunkResult] | ChunkResult:
        ...

    def shutdown(self) -> None:
        ...

    def part_files(self, table: str) -> list[Path]:
        """The parts workers wrote for ``table``, in the order the chunks were made."""
        ...


class _InProcess:
    parts: Path | None = None

    def submit(self, spec: PipelineSpec, chunk: list[Article], max_tokens: int) -> ChunkResult:
        return process_chunk(spec, chunk, max_tokens=max_tokens)

    def shutdown(self) -> None:
        pass

    def part_files(self, table: str) -> list[Path]:
        return []


class _Pooled:
    """Chunks as tasks of a process pool or a Dask client; rows come back as part files."""

    def __init__(self, pool: Any, parts: Path) -> None:
        self._pool = pool
        self.parts: Path | None = parts
        self.n_chunks = 0

    def submit(self, spec: PipelineSpec, chunk: list[Article], max_tokens: int) -> Future[ChunkResult]:
        self.n_chunks += 1
        return self._pool.submit(worker_chunk, spec, chunk, max_tokens, str(self.parts), self.n_chunks)  # type: ignore[no-any-return]

    def shutdown(self) -> None:
        self._pool.shutdown()

    def part_files(self, table: str) -> list[Path]:
        assert self.parts is not None
        found = (part_path(self.parts, table, chunk_id) for chunk_id in range(1, self.n_chunks + 1))
        return [path for path in found if path.exists()]


def die_with_parent(parent: int) -> None:
    """Worker initialiser: end this worker when the build that started it ends, even by SIGKILL.

    On Linux the kernel sends SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``); a thread
    that checks the parent's pid every second covers other systems and the race before prctl.
    """
    import ctypes
    import signal
    import sys
    import threading
    import time

    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="kit-parent-watch", daemon=True).start()


def make_runner(engine: str, jobs: int, scheduler: str | None, parts: Path) -> Runner:
    """The runner for ``--engine`` and ``--jobs``: in process, a process pool, or Dask."""
    if engine == "dask":
        from kit.engines import dask_runner

        return _Pooled(dask_runner(scheduler, jobs), parts)
    if jobs > 1:
        return _Pooled(ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent, initargs=(os.getpid(),)), parts)
    return _InProcess()

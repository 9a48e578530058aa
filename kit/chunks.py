"""A chunk of articles through one language's pipeline into rows, wherever it runs.

The same function runs in the build's own process (``--jobs 1``), in a process pool (the model is
loaded once per worker) or on Dask; workers write their rows as Parquet parts named by chunk, so a
task that is retried overwrites its own parts instead of duplicating rows.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from kit import settings
from kit.ingest.records import Article
from kit.nlp.registry import PipelineSpec, load_pipeline, spec_identity
from kit.rows import Rows, article_rows
from kit.tables.schemas import SCHEMAS

__all__ = ["PER_ARTICLE", "ChunkResult", "Runner", "make_runner", "part_path", "process_chunk", "worker_chunk"]

PER_ARTICLE = ("articles", "sentences", "mentions", "dates", "claims", "relations")
_WORD = re.compile(r"\S+")


@dataclass
class ChunkResult:
    """Rows of a chunk of articles (or, from workers, the number written to part files), and failures."""

    rows: Rows
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (source_file, article_id, reason)
    n_articles: int = 0


def limit_tokens(text: str, max_tokens: int) -> tuple[str, bool]:
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
    result = ChunkResult({table: [] for table in PER_ARTICLE})
    docs, truncated = [], []
    for article in articles:
        text, cut = limit_tokens(article.text, max_tokens)
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
        result.rows = {table: [] for table in PER_ARTICLE}
        for doc, article, cut in zip(docs, articles, truncated, strict=True):
            try:
                add(nlp(doc), article, cut)
            except Exception as exc:  # noqa: BLE001 - reported per article, never crashes the build
                result.failures.append((article.source_file, str(article.article_id), f"{type(exc).__name__}: {exc}"))
    result.n_articles = len(result.rows["articles"])
    return result


def part_path(parts: Path, table: str, chunk_id: int) -> Path:
    return parts / table / f"{chunk_id:08d}.parquet"


def worker_chunk(spec: PipelineSpec, articles: list[Article], max_tokens: int, parts: str, chunk_id: int) -> ChunkResult:
    """A worker's task: process a chunk and write each table's rows as its own Parquet part.

    Part names depend only on the chunk, so a task that fails and re-runs overwrites its own parts
    (written to a temporary name, then renamed): rows are never duplicated.
    """
    result = process_chunk(spec, articles, max_tokens=max_tokens)
    for table, rows in result.rows.items():
        target = part_path(Path(parts), table, chunk_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[table]), tmp, compression="zstd")
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


def make_runner(engine: str, jobs: int, scheduler: str | None, parts: Path) -> Runner:
    """The runner for ``--engine`` and ``--jobs``: in process, a process pool, or Dask."""
    if engine == "dask":
        from kit.engines import dask_runner

        return _Pooled(dask_runner(scheduler, jobs), parts)
    if jobs > 1:
        return _Pooled(ProcessPoolExecutor(max_workers=jobs), parts)
    return _InProcess()

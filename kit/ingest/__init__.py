"""Ingest: find input files, read each with the reader for its format, report a status per file."""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kit import settings
from kit.errors import InputError, PartialRecordsError
from kit.ingest.decode import decode_bytes
from kit.ingest.html import read_html
from kit.ingest.jsonl import read_json, read_jsonl
from kit.ingest.language import detect_language
from kit.ingest.markdown import read_markdown
from kit.ingest.records import Article, FileStatus
from kit.ingest.tabular import CsvOptions, read_csv
from kit.ingest.text import read_text

__all__ = ["Article", "CsvOptions", "FileStatus", "detect_language", "discover", "read_file", "read_inputs"]

Reader = Callable[..., Iterator[Article]]

# File name endings and the reader for each; anything else is skipped with a reason.
READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".csv": read_csv,
    ".tsv": read_csv,
    ".html": read_html,
    ".htm": read_html,
}
_GLOB_CHARS = set("*?[")


def _is_hidden(path: Path) -> bool:
    return any(part.startswith(".") and part not in (".", "..") for part in path.parts)


def discover(inputs: Iterable[str | Path]) -> Iterator[Path | FileStatus]:
    """Files named by paths, folders (walked, without following links) and globs, in stable order.

    A file reached twice (through links or overlapping inputs) is yielded once.
    """
    seen: set[str] = set()
    for found in _candidates(inputs):
        if isinstance(found, Path):
            real = os.path.realpath(found)
            if real in seen:
                continue
            seen.add(real)
        yield found


def _candidates(inputs: Iterable[str | Path]) -> Iterator[Path | FileStatus]:
    for item in inputs:
        text = str(item)
        if _GLOB_CHARS & set(text) and not Path(text).exists():
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                yield FileStatus(text, "failed", "no file matches this pattern")
            for match in matches:
                if Path(match).is_file():
                    yield Path(match)
            continue
        path = Path(text)
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        elif path.exists():
            yield path
        elif path.is_symlink():
            yield FileStatus(text, "failed", "broken or looping symbolic link")
        else:
            yield FileStatus(text, "failed", "no such file or folder")


def read_file(
    path: Path, *, csv_options: CsvOptions | None = None, max_bytes: int | None = None
) -> tuple[list[Article], FileStatus]:
    """Read one file; never raises for bad input: the status says what went wrong."""
    name = str(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        return [], FileStatus(name, "skipped", f"unsupported file type {path.suffix or '(none)'!r}")
    limit = settings.MAX_FILE_BYTES if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            return [], FileStatus(name, "skipped", f"file is {size:,} bytes, over the {limit:,}-byte limit")
        if size == 0:
            return [], FileStatus(name, "skipped", "empty file")
        text, encoding = decode_bytes(path.read_bytes())
    except InputError as exc:
        return [], FileStatus(name, "failed", str(exc))
    except OSError as exc:
        return [], FileStatus(name, "failed", f"cannot read: {exc.strerror or exc}")
    if not text.strip():
        return [], FileStatus(name, "skipped", "no text (only white space)")
    articles: list[Article] = []
    warnings = [] if encoding in ("utf-8", "utf-8-sig") else [f"decoded as {encoding}"]
    kwargs = {"options": csv_options} if reader is read_csv else {}
    try:
        articles.extend(reader(text, source_file=name, **kwargs))
    except PartialRecordsError as exc:
        warnings.append(str(exc))
    except InputError as exc:
        return [], FileStatus(name, "failed", str(exc))
    except (ValueError, TypeError, RecursionError) as exc:  # a parser library choked on garbage
        return [], FileStatus(name, "failed", f"cannot parse: {type(exc).__name__}: {exc}")
    for article in articles:
        warnings += article.warnings
    return articles, FileStatus(name, "ok", None, len(articles), warnings)


def read_inputs(
    inputs: Iterable[str | Path], *, csv_options: CsvOptions | None = None, max_bytes: int | None = None
) -> Iterator[tuple[list[Article], FileStatus]]:
    """Every input file's articles with its status, one file at a time (streaming)."""
    for found in discover(inputs):
        if isinstance(found, FileStatus):
            yield [], found
        else:
            yield read_file(found, csv_options=csv_options, max_bytes=max_bytes)

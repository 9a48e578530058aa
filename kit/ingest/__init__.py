"""Ingest: find input files, read each with the reader for its format, report a status per file."""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kit import settings
from kit.errors import InputError, PartialRecordsError
from kit.ingest.decode import SNIFF_BYTES, decode_bytes, looks_binary
from kit.ingest.html import read_html
from kit.ingest.jsonl import read_json, read_jsonl
from kit.ingest.language import detect_language
from kit.ingest.markdown import read_markdown
from kit.ingest.records import Article, FileStatus
from kit.ingest.tabular import CsvOptions, read_csv
from kit.ingest.text import read_text

__all__ = [
    "Article",
    "CsvOptions",
    "FileStatus",
    "detect_language",
    "discover",
    "missing_inputs",
    "read_file",
    "read_inputs",
]

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
_UNICODE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")  # UTF-16/32 text has NULs


def _is_hidden(path: Path) -> bool:
    return any(part.startswith(".") and part not in (".", "..") for part in path.parts)


def discover(inputs: Iterable[str | Path], *, follow_symlinks: bool = False) -> Iterator[Path | FileStatus]:
    """Files named by paths, folders (walked, without following links) and globs, in stable order.

    A file reached twice (through links or overlapping inputs) is yielded once. A symbolic link in
    a folder that points outside it is refused (skipped, with the reason) unless ``follow_symlinks``:
    dropping a link into the articles folder must not read whatever file it names.
    """
    seen: set[str] = set()
    for found in _candidates(inputs, follow_symlinks):
        if isinstance(found, Path):
            real = os.path.realpath(found)
            if real in seen:
                continue
            seen.add(real)
        yield found


def missing_inputs(inputs: Iterable[str | Path]) -> list[str]:
    """Inputs that name nothing: a path that does not exist, a pattern that matches no file."""
    missing = []
    for item in inputs:
        text = str(item)
        if Path(text).exists() or Path(text).is_symlink():
            continue
        if not (_GLOB_CHARS & set(text)) or not any(Path(m).is_file() for m in glob.iglob(text, recursive=True)):
            missing.append(text)
    return missing


def _inside(path: Path, folder: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def _candidates(inputs: Iterable[str | Path], follow_symlinks: bool) -> Iterator[Path | FileStatus]:
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
                    if name.startswith("."):
                        continue
                    file = Path(root) / name
                    if file.is_symlink() and file.exists() and not follow_symlinks and not _inside(file, path):
                        yield FileStatus(str(file), "skipped", f"symbolic link to {os.path.realpath(file)}, outside "
                                         f"{path}: not read (pass --follow-symlinks to read it)")
                    else:
                        yield file
        elif path.exists():
            yield path
        elif path.is_symlink():
            yield FileStatus(text, "failed", "broken or looping symbolic link")
        else:
            yield FileStatus(text, "failed", "no such file or folder")


def _read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, read only when its first bytes look like text, and refused when the file
    changes while it is read (size, modification time or inode differ before and after)."""
    with path.open("rb") as handle:
        before = os.fstat(handle.fileno())
        if before.st_size > limit:
            raise InputError(f"file is {before.st_size:,} bytes, over the {limit:,}-byte limit")
        head = handle.read(SNIFF_BYTES)
        if looks_binary(head) and not head.startswith(_UNICODE_BOMS):
            raise InputError("binary content, not text")
        data = head + handle.read(limit + 1 - len(head))
        after = os.fstat(handle.fileno())
    now = path.stat()
    marks = [(s.st_size, s.st_mtime_ns, s.st_ino) for s in (before, after, now)]
    if len(data) > limit or marks[0] != marks[1] or marks[0] != marks[2] or len(data) != before.st_size:
        raise InputError("file changed while it was being read (written to during the build?); build again")
    return data


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
        text, encoding = decode_bytes(_read_bytes(path, limit))
    except InputError as exc:
        return [], FileStatus(name, "failed", str(exc))
    except OSError as exc:
        return [], FileStatus(name, "failed", f"cannot read: {exc.strerror or exc}")
    if not text.strip():
        return [], FileStatus(name, "skipped", "no text (only white space)")
    articles: list[Article] = []
    warnings = [] if encoding in ("utf-8", "utf-8-sig") else [f"decoded as {encoding}"]
    errors: list[str] = []
    kwargs = {"options": csv_options} if reader is read_csv else {}
    try:
        articles.extend(reader(text, source_file=name, **kwargs))
    except PartialRecordsError as exc:
        errors.extend(exc.problems)
    except InputError as exc:
        return [], FileStatus(name, "failed", str(exc))
    except (ValueError, TypeError, RecursionError) as exc:  # a parser library choked on garbage
        return [], FileStatus(name, "failed", f"cannot parse: {type(exc).__name__}: {exc}")
    for article in articles:
        warnings += article.warnings
    return articles, FileStatus(name, "ok", None, len(articles), warnings, errors)


def read_inputs(
    inputs: Iterable[str | Path], *, csv_options: CsvOptions | None = None, max_bytes: int | None = None,
    follow_symlinks: bool = False,
) -> Iterator[tuple[list[Article], FileStatus]]:
    """Every input file's articles with its status, one file at a time (streaming)."""
    for found in discover(inputs, follow_symlinks=follow_symlinks):
        if isinstance(found, FileStatus):
            yield [], found
        else:
            yield read_file(found, csv_options=csv_options, max_bytes=max_bytes)

"""Plain text in the sample's layout: date line, section line, title, body.

The whole decoded file is the article's text, so that offsets index into the file as the
reader sees it (the date line is text too: the temporal tagger finds it).
"""

from __future__ import annotations

from collections.abc import Iterator

from kit.errors import InputError
from kit.ingest.metadata import parse_published
from kit.ingest.records import Article

__all__ = ["read_text"]

_MAX_DATE_LINE = 40
_MAX_SECTION_LINE = 40
_MAX_TITLE_LINE = 300


def _is_section(line: str) -> bool:
    return len(line) <= _MAX_SECTION_LINE and len(line.split()) <= 4 and not line.endswith((".", "!", "?", ":"))


def read_text(text: str, *, source_file: str) -> Iterator[Article]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise InputError("empty file")
    published = None
    warnings: list[str] = []
    if len(lines[0]) <= _MAX_DATE_LINE and any(ch.isdigit() for ch in lines[0]):
        try:
            published = parse_published(lines[0])
            lines = lines[1:]
        except InputError as exc:
            warnings.append(f"first line looks like a date but is not: {exc}")
    section = None
    if published is not None and len(lines) > 2 and _is_section(lines[0]):
        section, lines = lines[0], lines[1:]
    title = lines[0] if lines and len(lines[0]) <= _MAX_TITLE_LINE and len(lines) > 1 else None
    yield Article(
        text=text, source_file=source_file, title=title, published=published, section=section, warnings=warnings
    )

"""Markdown with YAML front matter: metadata from the front matter, the body is the text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kit.errors import InputError
from kit.ingest.metadata import article_from_record
from kit.ingest.records import Article
from kit.safe_yaml import UnsafeYamlError, load_user_yaml

__all__ = ["read_markdown"]

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def read_markdown(text: str, *, source_file: str) -> Iterator[Article]:
    meta: dict[str, object] = {}
    body = text
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            loaded = load_user_yaml(match.group(1), source="front matter")
        except UnsafeYamlError as exc:  # malformed, or an alias bomb / nesting / size over the limits
            raise InputError(f"broken YAML {exc}") from None
        if loaded is not None and not isinstance(loaded, dict):
            raise InputError("front matter is not a mapping of fields")
        meta = dict(loaded or {})
        body = text[match.end() :]
    elif text.startswith("---"):
        raise InputError("front matter opened with '---' but never closed")
    if "title" not in meta:
        heading = _HEADING.search(body)
        if heading:
            meta["title"] = heading.group(1)
    meta["text"] = body
    yield article_from_record(meta, source_file=source_file, record_index=0)

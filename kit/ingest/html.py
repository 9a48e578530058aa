"""HTML pages: main text and metadata extracted with trafilatura."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kit.errors import InputError
from kit.ingest.metadata import article_from_record
from kit.ingest.records import Article

__all__ = ["read_html"]


def read_html(text: str, *, source_file: str, url: str | None = None) -> Iterator[Article]:
    import trafilatura  # imported lazily: heavy, and only HTML inputs need it

    extracted: Any = trafilatura.bare_extraction(
        text, url=url, with_metadata=True, include_comments=False, favor_precision=True
    )
    if extracted is None:
        raise InputError("no main text found in the HTML")
    data = extracted if isinstance(extracted, dict) else extracted.as_dict()
    if not (data.get("text") or "").strip():
        raise InputError("no main text found in the HTML")
    record = {
        "title": data.get("title"),
        "text": data["text"],
        "published": data.get("date"),
        "language": data.get("language"),
        "source": data.get("sitename") or data.get("hostname"),
        "url": url or data.get("url"),
        "section": (data.get("categories") or [None])[0] if isinstance(data.get("categories"), list) else None,
    }
    yield article_from_record(record, source_file=source_file, record_index=0)

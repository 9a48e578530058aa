"""Metadata parsing shared by the readers: publication dates and record fields."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping
from typing import Any

from kit.errors import InputError
from kit.ingest.records import Article

__all__ = ["RECORD_FIELDS", "article_from_record", "parse_published"]

# Field names a record may use for each article attribute (the first present wins).
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "article_id": ("id", "article_id", "_id", "guid"),
    "title": ("title", "headline"),
    "text": ("text", "body", "content"),
    "published": ("published", "date", "published_at", "datePublished", "pubdate"),
    "language": ("language", "lang"),
    "source": ("source", "publisher", "sitename", "outlet"),
    "url": ("url", "link"),
    "section": ("section", "category", "label"),
}


@functools.lru_cache(maxsize=1)
def _dateparser() -> Any:
    import dateparser  # imported lazily: it is slow to import and only needed for free-form dates

    return dateparser


def parse_published(value: object, *, strict: bool = True) -> dt.datetime | None:
    """Parse an ISO 8601 date/datetime or a written date ('25. Oktober, 2024') to UTC.

    Date-only values become midnight UTC; naive datetimes are taken as UTC. Returns None for
    empty values; raises InputError for impossible dates such as '31. Februar 2024'.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        if not text:
            return None
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            found = _dateparser().parse(
                text,
                languages=["de", "en"],
                settings={"STRICT_PARSING": strict, "RETURN_AS_TIMEZONE_AWARE": False},
            )
            if found is None:
                raise InputError(f"not a valid date: {text!r}") from None
            parsed = found
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _first(record: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = record.get(name)
        if value is not None and value != "":
            return value
    return None


def article_from_record(
    record: Mapping[str, Any], *, source_file: str, record_index: int, field_map: Mapping[str, str] | None = None
) -> Article:
    """Build an Article from a JSON/CSV/front-matter record; only ``text`` is required."""
    if not isinstance(record, Mapping):
        raise InputError(f"record {record_index} is not an object")
    values: dict[str, Any] = {}
    for attribute, names in RECORD_FIELDS.items():
        if field_map and attribute in field_map:
            names = (field_map[attribute],)
        values[attribute] = _first(record, names)
    text = values["text"]
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"record {record_index} has no text")
    warnings: list[str] = []
    try:
        published = parse_published(values["published"])
    except InputError as exc:
        published = None
        warnings.append(f"record {record_index}: {exc}; published left empty")
    language = values["language"]
    return Article(
        text=text,
        source_file=source_file,
        record_index=record_index,
        article_id=None if values["article_id"] is None else str(values["article_id"]),
        title=None if values["title"] is None else str(values["title"]),
        published=published,
        language=None if language is None else str(language).lower()[:2],
        source=None if values["source"] is None else str(values["source"]),
        url=None if values["url"] is None else str(values["url"]),
        section=None if values["section"] is None else str(values["section"]),
        warnings=warnings,
    )

"""Metadata parsing shared by the readers: publication dates and record fields."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping
from typing import Any

from kit.errors import InputError
from kit.ingest.language import normalise_language
from kit.ingest.records import Article

__all__ = ["RECORD_FIELDS", "article_from_record", "clean_text", "parse_published"]

_SURROGATE = re.compile("[\ud800-\udfff]")

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


def clean_text(value: str) -> tuple[str, bool]:
    """The string with unpaired surrogates (from JSON escapes such as "\\ud800") replaced by U+FFFD:
    they cannot be written as UTF-8. Returns the string and whether anything was replaced."""
    if value.isascii():
        return value, False
    cleaned, replaced = _SURROGATE.subn("\ufffd", value)  # a str holds surrogates only unpaired
    return cleaned, replaced > 0


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
    if not isinstance(values["text"], str) or not values["text"].strip():
        raise InputError(f"record {record_index} has no text")
    warnings: list[str] = []
    for attribute in ("article_id", "text", "title", "source", "url", "section", "language"):
        if values[attribute] is not None:
            values[attribute], replaced = clean_text(str(values[attribute]))
            if replaced:
                warnings.append(f"record {record_index}: {attribute} held unpaired surrogates, replaced by U+FFFD")
    text = values["text"]
    try:
        published = parse_published(values["published"])
    except InputError as exc:
        published = None
        warnings.append(f"record {record_index}: {exc}; published left empty")
    language = None if values["language"] is None else normalise_language(values["language"])
    if values["language"] is not None and language is None:
        warnings.append(f"record {record_index}: language {values['language']!r} is not a language code or name "
                        "the kit knows; detected from the text instead")
    return Article(
        text=text,
        source_file=source_file,
        record_index=record_index,
        article_id=None if values["article_id"] is None else str(values["article_id"]),
        title=None if values["title"] is None else str(values["title"]),
        published=published,
        language=language,
        source=None if values["source"] is None else str(values["source"]),
        url=None if values["url"] is None else str(values["url"]),
        section=None if values["section"] is None else str(values["section"]),
        warnings=warnings,
    )

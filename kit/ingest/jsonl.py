"""JSON (one record, a list, or {"articles": [...]}) and JSON Lines (one record per line)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from kit.errors import InputError, PartialRecordsError
from kit.ingest.metadata import article_from_record
from kit.ingest.records import Article

__all__ = ["read_json", "read_jsonl"]


def _records(loaded: Any) -> list[Any]:
    if isinstance(loaded, list):
        return loaded
    if isinstance(loaded, dict):
        for key in ("articles", "records", "items", "data"):
            if isinstance(loaded.get(key), list):
                return list(loaded[key])
        return [loaded]
    raise InputError("JSON is neither a record nor a list of records")


def _articles(records: list[Any], source_file: str) -> Iterator[Article]:
    bad: list[str] = []
    good = 0
    for index, record in enumerate(records):
        try:
            yield article_from_record(record, source_file=source_file, record_index=index)
            good += 1
        except InputError as exc:
            bad.append(str(exc))
    if bad:
        if not good:
            raise InputError(f"no usable record ({len(bad)} bad; first: {bad[0]})")
        raise PartialRecordsError(bad)


def read_json(text: str, *, source_file: str) -> Iterator[Article]:
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    yield from _articles(_records(loaded), source_file)


def read_jsonl(text: str, *, source_file: str) -> Iterator[Article]:
    records: list[Any] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: malformed JSON ({exc.msg})")
    if not records:
        raise InputError(problems[0] if problems else "no records")
    try:
        yield from _articles(records, source_file)
    except PartialRecordsError as exc:
        problems += exc.problems
    if problems:
        raise PartialRecordsError(problems)


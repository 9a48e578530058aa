"""CSV and TSV: one article per row, with a column mapping for files that name fields their own way."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from kit.errors import InputError, PartialRecordsError
from kit.ingest.metadata import article_from_record
from kit.ingest.records import Article

__all__ = ["CsvOptions", "read_csv"]

csv.field_size_limit(1 << 28)


@dataclass(frozen=True, slots=True)
class CsvOptions:
    """How to read a CSV: ``columns`` maps kit fields (text, title, ...) to column names.

    Without a header, ``columns`` maps fields to 0-based column positions given as strings.
    Delimiter and quote character are sniffed when not given.
    """

    columns: dict[str, str] = field(default_factory=dict)
    delimiter: str | None = None
    quotechar: str | None = None
    header: bool = True


def _dialect(sample: str, options: CsvOptions) -> type[csv.Dialect] | csv.Dialect:
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    if options.delimiter or options.quotechar:

        class _Given(csv.excel):
            delimiter = options.delimiter or dialect.delimiter
            quotechar = options.quotechar or dialect.quotechar or '"'

        return _Given
    return dialect


def read_csv(text: str, *, source_file: str, options: CsvOptions | None = None) -> Iterator[Article]:
    options = options or CsvOptions()
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text[:65536], options))
    try:
        rows = iter(reader)
        if options.header:
            header = [name.strip() for name in next(rows)]
        else:
            header = []
    except StopIteration:
        raise InputError("empty CSV") from None
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}") from exc
    if options.header:
        missing = [col for col in options.columns.values() if col not in header]
        if missing:
            raise InputError(f"CSV has no column(s) {missing}; columns are {header}")
        text_column = options.columns.get("text", "text")
        if text_column not in header and not any(n in header for n in ("text", "body", "content")):
            raise InputError(f"CSV has no text column; columns are {header} (map one with --csv-column text=NAME)")
    problems: list[str] = []
    good = 0
    try:
        for index, row in enumerate(rows):
            if not any(cell.strip() for cell in row):
                continue
            if options.header:
                if len(row) != len(header):
                    problems.append(f"row {index + 1}: {len(row)} fields, header has {len(header)}")
                    continue
                record = dict(zip(header, row, strict=True))
            else:
                record = {str(position): cell for position, cell in enumerate(row)}
            try:
                yield article_from_record(
                    record, source_file=source_file, record_index=index, field_map=options.columns
                )
                good += 1
            except InputError as exc:
                problems.append(str(exc))
    except csv.Error as exc:
        problems.append(f"malformed CSV after row {good}: {exc}")
    if problems:
        if not good:
            raise InputError(f"no usable row ({len(problems)} bad; first: {problems[0]})")
        raise PartialRecordsError(problems)

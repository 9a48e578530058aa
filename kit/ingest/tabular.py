"""CSV and TSV: one article per row, with a column mapping for files that name fields their own way."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from kit.errors import InputError, PartialRecordsError, UsageError
from kit.ingest.metadata import RECORD_FIELDS, article_from_record
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

    def __post_init__(self) -> None:
        unknown = sorted(set(self.columns) - set(RECORD_FIELDS))
        if unknown:
            raise UsageError(f"unknown CSV field(s) {unknown}: the fields are {', '.join(RECORD_FIELDS)}")
        if not self.header:
            bad = [f"{name}={pos}" for name, pos in self.columns.items() if not pos.isdigit()]
            if bad:
                raise UsageError(f"without a header, columns are 0-based positions: {', '.join(bad)}")
        for name, value in (("delimiter", self.delimiter), ("quote character", self.quotechar)):
            if value is not None and len(value) != 1:
                raise UsageError(f"the CSV {name} must be one character, not {value!r}")


_DELIMITERS = ",;\t|"


def _count_sniff(sample: str) -> type[csv.Dialect]:
    """When ``csv.Sniffer`` gives up (long free-text fields full of commas, ``'`` quoting): the
    delimiter whose count per line is most often its usual count, the quote that opens most fields."""
    lines = [line for line in sample.splitlines()[:-1] or sample.splitlines() if line.strip()][:100]
    if not lines:
        return csv.excel

    def regularity(delimiter: str) -> tuple[int, int]:
        counts = Counter(line.count(delimiter) for line in lines)
        usual, times = max(counts.items(), key=lambda item: (item[1], item[0]))
        return (times, -usual) if usual else (0, 0)

    delimiter = max(_DELIMITERS, key=regularity)
    if regularity(delimiter)[0] == 0:
        return csv.excel
    opening = Counter(field[:1] for line in lines for field in line.split(delimiter))
    quote = "'" if opening["'"] > opening['"'] else '"'

    class _Counted(csv.excel):
        pass

    _Counted.delimiter = delimiter
    _Counted.quotechar = quote
    return _Counted


def _dialect(sample: str, options: CsvOptions) -> type[csv.Dialect] | csv.Dialect:
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:
        dialect = _count_sniff(sample)
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

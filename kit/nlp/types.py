"""Small named tuples that the kit's spaCy components put on ``Doc`` extensions.

They are the contract between the components (``kit.nlp.dates``, ``kit.nlp.claims``) and the
table builder (``kit.rows``): offsets are character offsets into ``doc.text``.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

__all__ = ["Claim", "Span", "Timex"]

Span = tuple[int, int]


class Timex(NamedTuple):
    """A TIMEX3 expression normalised against the document's anchor date."""

    start_char: int
    end_char: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str | None  # TIMEX3 value: 2022-02, P2Y, PRESENT_REF, XXXX-11 ...
    mod: str | None  # START, MID, END, BEFORE, AFTER, APPROX ...
    start: dt.date | None  # first day of the covered interval
    end: dt.date | None  # last day of the covered interval (inclusive)
    granularity: str | None  # day, week, month, quarter, season, half, year, decade, century, time


class Claim(NamedTuple):
    """An attributed or hedged statement; every part may be discontinuous."""

    content_spans: list[Span]
    source_spans: list[Span]  # empty when unattributed
    cue_spans: list[Span]
    kind: str  # direct, indirect, reported, according_to, unattributed
    status: str  # asserted, hedged, alleged, denied

"""What the normaliser knows when it reaches an expression (reference date, tense, last date) and the
helpers that read it: year inference, weekday resolution, anaphora, tense cues."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kit.nlp.dates.grammar import Grammar, norm_form
from kit.nlp.dates.values import GRANULARITY, date_value

# Year inference for dates without a year (news mode): a date this close to the anchor is taken on
# its side whatever the tense; a past tense still allows a date up to _BEHIND_TENSE_DAYS ahead
# ("had been set to expire Nov. 6"); without a tense cue, a date up to _AHEAD_DAYS ahead is
# upcoming, otherwise the last occurrence is meant (news look back).
_NEAR_DAYS = 7
_BEHIND_TENSE_DAYS = 30
_AHEAD_DAYS = 90


@dataclass
class State:
    """What the normaliser knows when it reaches an expression."""

    anchor: dt.date | None  # the document's creation date (news mode)
    ref: dt.date | None  # reference date: anchor, or last resolved date (narrative mode)
    ref_granularity: str | None
    direction: int = 0  # +1 future, -1 past, 0 unknown (from tense cues)
    day_in_sentence: dt.date | None = None  # last day-level date in the sentence (clock times)
    day_before: dt.date | None = None  # last day-level date in the sentence before
    listing: bool = False  # many clock times for the sentences (an events page): no day carried over
    quarter: str | None = None  # last quarter mentioned (news mode: "a year ago" compares to it)
    last: dt.date | None = None  # start of the last resolved date in the text (anaphora: "that year")
    last_granularity: str | None = None


def prev_word(text: str, start: int) -> str:
    m = re.search(r"(\w+\.?|[^\w\s])\s*$", text[max(0, start - 40) : start])
    return m.group(1).lower() if m else ""


def next_word(text: str, end: int) -> str:
    m = re.match(r"\s*(\S+)", text[end : end + 40])
    return m.group(1) if m else ""


def lookup_number(g: Grammar, form: str | None) -> int | None:
    """A cardinal from digits or a number word; None for vague quantities ("einige")."""
    if not form:
        return None
    f = norm_form(form).rstrip("-")
    if f.replace(",", "").replace(".", "").isdigit():
        try:
            return int(float(f.replace(",", ".")))
        except ValueError:
            return None
    return g.numbers.get(f)


def infer_year(state: State, month: int, day: int | None = None, weekday: int | None = None) -> int | None:
    """Year of a month (and day) written without one, per the tense rule in the module docstring."""
    ref = state.ref
    if ref is None:
        return None
    if state.anchor is None:  # narrative: same year as the last mentioned date
        return ref.year

    def when(year: int) -> dt.date:
        return dt.date(year, month, min(day or 15, 28 if month == 2 else 30))

    if weekday is not None and day is not None:  # "Monday, Oct. 26": the year where it is a Monday
        fits = [
            y
            for y in (ref.year, ref.year - 1, ref.year + 1)
            if date_value(y, month, day) and dt.date(y, month, day).isoweekday() == weekday
        ]
        if fits:
            return fits[0]
    past = max(y for y in (ref.year - 1, ref.year) if when(y) <= ref)
    future = min(y for y in (ref.year, ref.year + 1) if when(y) > ref)
    ahead = (when(future) - ref).days
    behind = (ref - when(past)).days
    if weekday is not None and day is not None:  # no year fits the weekday: the nearest date
        return future if ahead < behind else past
    if state.direction > 0:
        return past if behind <= _NEAR_DAYS else future
    if state.direction < 0:
        return future if ahead <= _BEHIND_TENSE_DAYS else past
    # no tense cue: news look back, unless the date is only weeks ahead
    return future if ahead <= _AHEAD_DAYS else past


def weekday_date(state: State, weekday: int, shift: int | None) -> dt.date | None:
    ref = state.ref
    if ref is None or state.ref_granularity not in ("day", "time"):
        return None
    delta = weekday - ref.isoweekday()
    if delta == 0 and shift is None:  # "Wednesday" said on a Wednesday: today, whatever the tense
        return ref
    if shift == 1 or (shift is None and state.direction > 0):
        return ref + dt.timedelta(days=delta if delta > 0 else delta + 7)
    if shift == -1:  # "last Wednesday" said on a Wednesday: a week ago
        return ref + dt.timedelta(days=delta if delta < 0 else delta - 7)
    if shift is None and state.direction < 0:
        return ref + dt.timedelta(days=delta if delta <= 0 else delta - 7)
    if shift == 0:
        return ref + dt.timedelta(days=delta)
    # no cue: news reports look back, so the last occurrence (today included)
    return ref + dt.timedelta(days=delta if delta <= 0 else delta - 7)


def pod_code(g: Grammar, form: str | None) -> str | None:
    return g.parts_of_day.get(norm_form(form)) if form else None


def mod_of(g: Grammar, groups: dict[str, str | None]) -> str | None:
    form = groups.get("mod")
    return g.modifiers.get(norm_form(form)) if form else None


# Granularities from fine to coarse: an anaphor ("that year") can refer to a date at least as fine.
_GRANULARITY_RANK = {
    "time": 0,
    "day": 1,
    "week": 2,
    "month": 3,
    "season": 4,
    "quarter": 4,
    "half": 5,
    "year": 6,
    "decade": 7,
    "century": 8,
}


def anaphoric_ref(state: State, unit: str) -> dt.date | None:
    """Reference of an anaphoric expression ("the following year", "that day", "three days later"):
    the last date mentioned when it is at least as fine as the unit, else the reference date."""
    if state.last is None or state.last_granularity is None:
        return state.ref
    need = _GRANULARITY_RANK.get(GRANULARITY.get(unit, "day"), 1)
    if _GRANULARITY_RANK.get(state.last_granularity, 9) <= need:
        return state.last
    return state.ref


def past_perfect_near(text: str, start: int, end: int, sent: tuple[int, int], g: Grammar) -> bool:
    """A past perfect around a deadline makes it past: "had filed reports by Wednesday"."""
    around = text[max(sent[0], start - g.cue_window) : min(sent[1], end + g.cue_window)].lower()
    return any(w in g.past_perfect_cues for w in re.findall(r"[^\W\d_]+", around))


def tense_direction(
    text: str, start: int, end: int, sent: tuple[int, int], g: Grammar, weekday: bool = False
) -> int:
    """+1/-1 from the tense cue nearest to the expression in its sentence, 0 without one.

    Weekdays also count regular past tense verbs ("issued a statement Friday"); for dates they
    are too often participles ("the reduced dividend is payable Dec. 15").
    """
    best: tuple[int, int] | None = None
    window = (max(sent[0], start - g.cue_window), min(sent[1], end + g.cue_window))
    regex = g.weekday_cue_regex if weekday else g.cue_regex
    for m in regex.finditer(text, window[0], window[1]):
        if start <= m.start() < end:
            continue
        word = m.group(0).lower()
        if word in g.not_past_tense:
            continue
        distance = start - m.end() if m.end() <= start else m.start() - end
        sign = 1 if word in g.future_cues else -1
        if best is None or distance < best[0]:
            best = (distance, sign)
    return best[1] if best else 0


def past_in_sentence(text: str, start: int, end: int, sent: tuple[int, int], g: Grammar) -> bool:
    """A past form anywhere in the sentence (a past cue or, where listed, a preterite by its ending)."""
    for m in g.weekday_cue_regex.finditer(text, sent[0], sent[1]):
        word = m.group(0).lower()
        if start <= m.start() < end or word in g.not_past_tense or word in g.future_cues:
            continue
        return True
    return False

"""Normalisers of expressions counted from a reference ("vor zwei Jahren", "three days later") and of
durations, references, sets and clock times."""

from __future__ import annotations

import datetime as dt
import re

from kit.nlp.dates.calendar import handle_date, handle_relday, handle_weekday
from kit.nlp.dates.grammar import Grammar, norm_form
from kit.nlp.dates.state import State, anaphoric_ref, lookup_number, mod_of, pod_code
from kit.nlp.dates.values import TIME_UNIT, Result, duration_result, shifted_period


def handle_ago(groups: dict[str, str | None], g: Grammar, state: State, sign: int = -1) -> Result | None:
    unit = g.units.get(norm_form(groups.get("unit") or ""))
    n = lookup_number(g, groups.get("num")) if "num" in groups else 1  # "am Tag darauf": one day
    if unit is None:
        return None
    if n is None:
        return Result("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
    if state.ref is None:
        return None
    ref = state.ref
    if groups.get("anaphor") and not (unit == "Y" and state.quarter):
        ref = anaphoric_ref(state, unit) or ref
    if unit == "Y" and n == 1 and sign < 0 and state.quarter and state.anchor is not None:
        return Result("DATE", _year_before_quarter(state.quarter))
    if unit in TIME_UNIT:
        return Result("DATE", ref.isoformat())
    if unit == "D":
        return Result("DATE", (ref + dt.timedelta(days=sign * n)).isoformat())
    if unit in ("DE", "CE"):  # "a decade ago": the year ten years back
        return Result("DATE", f"{ref.year + sign * n * (10 if unit == 'DE' else 100):04d}")
    shifted = shifted_period(unit, ref, sign * n)
    return Result("DATE", shifted[0]) if shifted else None


def _year_before_quarter(quarter: str) -> str:
    """ "1989-Q3" -> "1988-Q3": results compared with "a year ago" in a quarterly report."""
    return f"{int(quarter[:4]) - 1:04d}{quarter[4:]}"


def handle_yearago(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    """ "the year-ago quarter", "year-earlier": the same period a year before the one discussed."""
    n = g.ordinals.get(norm_form(groups.get("ordinal") or "")) if groups.get("ordinal") else None
    if state.ref is None:
        return None
    if n and 1 <= n <= 4:
        return Result("DATE", f"{state.ref.year - 1:04d}-Q{n}")
    if state.quarter:
        return Result("DATE", _year_before_quarter(state.quarter))
    return Result("DATE", f"{state.ref.year - 1:04d}")


def handle_later(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    return handle_ago(groups, g, state, sign=1)


def handle_ref(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    value = g.references.get(norm_form(groups.get("ref") or ""))
    return Result("DATE", value) if value else None


def handle_vague(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    value = g.vague_durations.get(norm_form(groups.get("vague") or ""))
    return Result("DURATION", value) if value else None


def handle_duration(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    unit = g.units.get(norm_form(groups.get("unit") or ""))
    if unit is None:
        return None
    n: int | float | None
    if groups.get("numstem"):
        stem = g.adjective_number_stems.get(norm_form(groups.get("numstem") or ""))
        if stem is None:
            return None
        amount = None if stem == "X" else float(stem)  # "anderthalbstündig": 1.5
        if amount is not None and amount.is_integer():
            amount = int(amount)
        return duration_result(unit, amount, g.decade_duration_years)
    if "num" not in groups:  # "the year ended March 31", "day-long": one unit; "decades-long": some
        plural = norm_form(groups.get("unit") or "") in g.plural_units
        return duration_result(unit, None if plural else 1, g.decade_duration_years)
    num_form = norm_form(groups.get("num") or "")
    fraction = re.fullmatch(r"(\d+) ([1-3])/([2-4])", num_form)  # "5 1/2 hours"
    if fraction:
        n = int(fraction.group(1)) + int(fraction.group(2)) / int(fraction.group(3))
    elif num_form in g.fractions:  # "anderthalb Jahre": P1Y6M
        n = g.fractions[num_form]
    elif num_form.replace(",", "").replace(".", "").isdigit():
        n = float(num_form.replace(",", "."))
        n = int(n) if n == int(n) else n
    else:
        n = g.numbers.get(num_form)
    if n is None and num_form not in g.vague_numbers:
        return None
    result = duration_result(unit, n, g.decade_duration_years)
    if result and groups.get("mod"):
        result = Result(result.type, result.value, mod_of(g, groups))
    return result


def handle_set(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    if groups.get("set"):  # also "zweimal im Jahr": the period (P1Y), the count is a frequency
        value = g.sets.get(norm_form(groups.get("set") or ""))
        return Result("SET", value) if value else None
    if groups.get("month"):  # "each July"
        return Result("SET", f"XXXX-{g.months[norm_form(groups.get('month') or '')]:02d}")
    if groups.get("setseason"):  # "every summer"
        return Result("SET", f"XXXX-{g.seasons[norm_form(groups.get('setseason') or '')]}")
    wd = g.weekdays.get(norm_form(groups.get("weekday") or groups.get("weekday_s") or ""))
    if wd and groups.get("ordinal") and groups.get("setmonth"):
        return Result("SET", "P1M")  # "jeden ersten Montag im Monat": monthly (KRAUTS, TimeML quant)
    pod = pod_code(g, groups.get("pod"))
    return Result("SET", f"XXXX-WXX-{wd}" + (f"T{pod}" if pod else "")) if wd else None


def handle_ordday(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    """ "the second day of the offensive": in news the day reported on (TempEval-3), else unknown."""
    return Result("DATE", state.anchor.isoformat() if state.anchor else "XXXX-XX-XX")


def _clock_day(state: State) -> str:
    day = state.day_in_sentence or (None if state.listing else state.day_before) or state.anchor
    return day.isoformat() if day else "XXXX-XX-XX"


def handle_time(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    if groups.get("clockword"):  # "noon Thursday", "midnight": a clock time named by a word
        clock = g.clock_words.get(norm_form(groups.get("clockword") or ""))
        if clock is None:
            return None
        return Result("TIME", f"{_explicit_day(groups, g, state) or _clock_day(state)}T{clock}")
    hour = lookup_number(g, groups.get("hour"))
    if hour is None:
        return None
    minute = int(groups.get("minute") or 0) if groups.get("minute") else 0
    pod = pod_code(g, groups.get("pod"))
    if groups.get("spoken"):  # "halb drei": 14:30 ("halb" counts to the hour named)
        if hour in g.spoken_afternoon_hours and pod not in ("MO", "NI"):
            hour += 12
        offset = g.clock_fractions.get(norm_form(groups.get("spoken") or ""), 0)
        hour, minute = divmod(hour * 60 + offset, 60)
        pod = None if pod in ("AF", "EV") and hour >= 12 else pod
    if groups.get("ampm"):
        pm = (groups.get("ampm") or "").lower().startswith("p")
        if hour > 12:
            return None
        hour = hour % 12 + (12 if pm else 0)
    elif pod in ("AF", "EV", "NI") and hour < 12:
        hour += 12
    if hour > 24:
        return None
    return Result("TIME", f"{_explicit_day(groups, g, state) or _clock_day(state)}T{hour:02d}:{minute:02d}")


def _explicit_day(groups: dict[str, str | None], g: Grammar, state: State) -> str | None:
    """The day written after a clock time ("10 p.m. Wednesday", "5 p.m. EST Nov. 9", "noon today")."""
    if groups.get("weekday"):
        result = handle_weekday({"weekday": groups.get("weekday")}, g, state)
    elif groups.get("relday"):
        result = handle_relday({"relday": groups.get("relday")}, g, state)
    elif groups.get("month") and groups.get("day"):
        result = handle_date({"month": groups.get("month"), "day": groups.get("day")}, g, state)
    else:
        return None
    return result.value[:10] if result and result.value[:1].isdigit() else None


def handle_pod(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    pod = pod_code(g, groups.get("pod"))
    if pod is None:
        return None
    # "Beide traten dann am Nachmittag die Reise an": the day of this or the sentence before
    # (not for clock times: listings give each entry a sentence of its own, on the page's day)
    day = state.day_in_sentence or state.day_before
    return Result("TIME", f"{day.isoformat() if day else _clock_day(state)}T{pod}")

"""Normalisers of expressions that name a point or period on the calendar: dates, decades, quarters,
seasons, weekdays, relative days and periods, holidays, eras."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable

from kit.nlp.dates.grammar import Grammar, norm_form
from kit.nlp.dates.state import (
    State,
    anaphoric_ref,
    infer_year,
    lookup_number,
    mod_of,
    pod_code,
    weekday_date,
)
from kit.nlp.dates.values import (
    SEASON_START,
    Result,
    date_value,
    duration_result,
    easter,
    month_end,
    shifted_period,
    week_value,
)


def handle_date(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    mod = mod_of(g, groups)
    month: int | None = None
    if groups.get("monthnum"):
        month = int(groups.get("monthnum") or 0)
    elif groups.get("month"):
        month = g.months.get(norm_form(groups.get("month") or ""))
    day = int(groups.get("day") or 0) if groups.get("day") else None
    year: int | None = None
    if groups.get("year2"):  # "seit 89": the latest such year up to the reference date
        base = state.ref.year if state.ref else dt.date.today().year
        two = int(groups.get("year2") or 0)
        year = base - (base - two) % 100
    elif groups.get("year"):
        year = int(groups.get("year") or 0)
        if year < 100:
            base = state.ref.year if state.ref else dt.date.today().year
            year = min((c * 100 + year for c in (base // 100 - 1, base // 100)), key=lambda y: abs(y - base))
    elif groups.get("mshift") is not None and month is not None and state.ref is not None:
        shift = g.shifts.get(norm_form(groups.get("mshift") or ""), 0)  # "last April": its last occurrence
        year = state.ref.year + (shift if shift * (state.ref.month - month) >= 0 else 0)
    elif groups.get("shift") is not None and state.ref is not None:
        shift_form = norm_form(groups.get("shift") or "")
        ref = anaphoric_ref(state, "Y") if shift_form in g.anaphoric_shifts else state.ref
        year = (ref or state.ref).year + g.shifts.get(shift_form, 0)
    elif month is not None:
        weekday = g.weekdays.get(norm_form(groups.get("weekday") or "")) if groups.get("weekday") else None
        year = infer_year(state, month, day, int(weekday) if weekday else None)
    if year is None:
        if month is None:
            return None
        if day is not None and date_value(2000, month, day) is None:
            return None  # 30 February is impossible in every year
        return Result("DATE", f"XXXX-{month:02d}" + (f"-{day:02d}" if day else ""), mod)
    value = date_value(year, month, day)
    if value is None:
        return None
    pod = pod_code(g, groups.get("pod"))
    return Result("TIME", f"{value}T{pod}") if pod and day else Result("DATE", value, mod)


def handle_decade(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    if groups.get("decadeword"):  # "Ende der achtziger Jahre": the 1980s
        digit = g.decade_words.get(norm_form(groups.get("decadeword") or ""))
        if digit is None:
            return None
        value = f"{'20' if digit in (0, 1) else '19'}{digit}"
    elif groups.get("decade4"):
        value = (groups.get("decade4") or "")[:3]
    else:
        two = groups.get("decade2") or ""
        century = "20" if two in ("00", "10") else "19"
        value = century + two[0]
    return Result("DATE", value, mod_of(g, groups))


def handle_century(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    """Centuries ("17" for the 18th), millennia ("2" for the third; "das neue Jahrtausend": the current)."""
    if groups.get("millshift") is not None:
        if state.ref is None:
            return None
        shift = g.millennium_shifts.get(norm_form(groups.get("millshift") or ""), 0)
        return Result("DATE", str(state.ref.year // 1000 + shift))
    n = g.ordinals.get(norm_form(groups.get("ordinal") or ""))
    if not n:
        return None
    if groups.get("millennium"):
        return Result("DATE", str(n - 1))
    mod = mod_of(g, groups)
    if groups.get("halfof"):  # "in der zweiten Hälfte des 16. Jahrhunderts": the century, its end
        mod = "END" if g.ordinals.get(norm_form(groups.get("halfof") or "")) == 2 else "START"
    return Result("DATE", f"{n - 1:02d}", mod)


def _period_year(groups: dict[str, str | None], g: Grammar, state: State, first_month: int) -> int | None:
    if groups.get("year"):
        return int(groups.get("year") or 0)
    if groups.get("shift") is not None and state.ref is not None:
        shift_form = norm_form(groups.get("shift") or "")
        ref = anaphoric_ref(state, "Y") if shift_form in g.anaphoric_shifts else state.ref
        return (ref or state.ref).year + g.shifts.get(shift_form, 0)
    return infer_year(state, first_month, 1) if state.ref else None


def handle_quarter(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    q = (
        int(groups.get("quarter") or 0)
        if groups.get("quarter")
        else g.ordinals.get(norm_form(groups.get("ordinal") or ""))
    )
    if not q and "ordinal" not in groups and groups.get("year"):  # "the 1988 quarter": the one under report
        if not state.quarter:
            return Result("DATE", f"{int(groups.get('year') or 0):04d}")
        q = int(state.quarter[-1])
    if not q or not 1 <= q <= 4:
        return None
    if groups.get("year0"):
        groups = {**groups, "year": groups.get("year0")}
    elif groups.get("shift0"):
        groups = {**groups, "shift": groups.get("shift0")}
    year = _period_year(groups, g, state, 3 * q - 2)
    if year is not None and not groups.get("year") and groups.get("shift") is None and state.anchor:
        current_q = (state.anchor.month - 1) // 3 + 1
        year = state.anchor.year - (1 if q > current_q and state.direction <= 0 else 0)
    return Result("DATE", f"{year:04d}-Q{q}" if year else f"XXXX-Q{q}")


def handle_half(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    form = norm_form(groups.get("ordinal") or "")
    h = 2 if form in g.last_ordinal else g.ordinals.get(form)  # "the last half of 1989": the second
    if h not in (1, 2):
        return None
    year = _period_year(groups, g, state, 6 * h - 5)
    return Result("DATE", f"{year:04d}-H{h}" if year else f"XXXX-H{h}")


def handle_season(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    code = g.seasons.get(norm_form(groups.get("season") or ""))
    if not code:
        return None
    year = _period_year(groups, g, state, SEASON_START[code])
    return Result("DATE", f"{year:04d}-{code}" if year else f"XXXX-{code}", mod_of(g, groups))


def _day_with_pod(day: str, pod: str | None) -> Result:
    return Result("TIME", f"{day}T{pod}") if pod else Result("DATE", day)


def handle_relday(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    pod = pod_code(g, groups.get("pod"))
    if groups.get("reldaypod"):
        offset, pod = g.relative_day_pods.get(norm_form(groups.get("reldaypod") or ""), (None, None))
    else:
        offset = g.relative_days.get(norm_form(groups.get("relday") or ""))
    if offset is None:
        return None
    if state.anchor is None:
        if offset == 0:
            return Result("DATE", "PRESENT_REF")
        if state.ref is None or state.ref_granularity not in ("day", "time"):
            return _day_with_pod("XXXX-XX-XX", pod)
    ref = state.ref
    assert ref is not None
    return _day_with_pod(
        (ref + dt.timedelta(days=int(offset))).isoformat(), pod if pod in g.day_pods else None
    )


def handle_weekday(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    wd = g.weekdays.get(norm_form(groups.get("weekday") or ""))
    if wd is None:
        return None
    shift_form = norm_form(groups.get("shift") or "")
    shift: int | None = g.shifts.get(shift_form, g.weekday_shifts.get(shift_form)) if shift_form else None
    if shift_form in g.anaphoric_shifts and state.last and state.last_granularity in ("day", "time"):
        state = dataclasses.replace(state, ref=state.last, ref_granularity="day")  # "the previous Friday"
    day = weekday_date(state, int(wd), shift)
    pod = pod_code(g, groups.get("pod"))
    pod = pod if pod in g.day_pods else None
    return _day_with_pod(day.isoformat() if day else f"XXXX-WXX-{wd}", pod)


def handle_relperiod(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    mod = mod_of(g, groups)
    if groups.get("relperiod"):
        unit, shift, *word_mod = g.relative_periods[norm_form(groups.get("relperiod") or "")]
        mod = word_mod[0] if word_mod else mod
        num_form, shift_form = None, ""
        plural = False
    else:
        unit_form = norm_form(groups.get("unit") or "")
        unit = g.units.get(unit_form)
        shift_form = norm_form(groups.get("shift") or "")
        shift = g.shifts.get(shift_form, 0)
        num_form = groups.get("num")
        plural = unit_form in g.plural_units or shift_form in g.duration_shifts
    if unit is None:
        return None
    if num_form or plural:
        n = lookup_number(g, num_form) if num_form else (1 if unit_form not in g.plural_units else None)
        return duration_result(unit, n, g.decade_duration_years)
    if state.ref is None:
        return None
    ref = state.ref
    if not groups.get("relperiod") and (
        shift_form in g.anaphoric_shifts or (shift and unit in g.anaphoric_units)
    ):
        ref = anaphoric_ref(state, unit) or ref
    if unit == "Q" and shift_form in g.reported_period_shifts and state.quarter and state.anchor is not None:
        return Result("DATE", state.quarter, mod)  # "this quarter's loss": the quarter under report
    shifted = shifted_period(unit, ref, int(shift))
    return Result("DATE", shifted[0], mod) if shifted else None


def handle_weekord(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    n = g.ordinals.get(norm_form(groups.get("ordinal") or ""))
    if not n or not groups.get("month"):
        return None
    month = g.months.get(norm_form(groups.get("month") or ""))
    if month is None:
        return None
    year = infer_year(state, month)
    if year is None:
        return None
    day = dt.date(year, month, 1) + dt.timedelta(weeks=n - 1)
    return Result("DATE", week_value(day))


def handle_weekend(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    ref = state.ref
    if ref is None or state.ref_granularity not in ("day", "time"):
        return Result("DATE", "XXXX-WXX-WE")
    if ref.isoweekday() >= 5 or state.direction > 0:
        return Result("DATE", week_value(ref) + "-WE")
    return Result("DATE", week_value(ref - dt.timedelta(weeks=1)) + "-WE")


def handle_holiday(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    code = g.holidays.get(norm_form(groups.get("holiday") or ""))
    if code is None:
        return None
    day_in: Callable[[int], dt.date] | None = None
    if code.startswith("easter"):
        offset = int(code[6:])

        def day_in(year: int) -> dt.date:
            return easter(year) + dt.timedelta(days=offset)

        month = day_in(state.ref.year).month if state.ref else 4
        mday: int | None = None
    elif code.startswith("nth:"):  # "nth:11:4:4": the 4th Thursday of November; -1: the last
        month, weekday, nth = (int(part) for part in code[4:].split(":"))
        day_in = functools.partial(_nth_weekday, month=month, weekday=weekday, nth=nth)
        mday = None
    else:
        month, mday = int(code[:2]), int(code[3:])
    # a movable feast is placed by its day in the reference year ("found on Thanksgiving Day")
    near = day_in(state.ref.year).day if day_in is not None and state.ref else mday
    year = int(groups.get("year") or 0) if groups.get("year") else infer_year(state, month, near)
    if year is None:
        return Result("DATE", f"XXXX-{month:02d}-{mday:02d}" if mday else "XXXX-XX-XX")
    if day_in is not None:
        return Result("DATE", day_in(year).isoformat())
    value = date_value(year, month, mday)
    return Result("DATE", value) if value else None


def _nth_weekday(year: int, *, month: int, weekday: int, nth: int) -> dt.date:
    """The nth (1-5, or -1 for the last) ISO weekday of a month: Thanksgiving, Muttertag."""
    if nth < 0:
        last = month_end(year, month)
        return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))


def handle_spoken_year(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    """Years in words: "nineteen ninety-six" (1996), "the year two thousand" (2000)."""
    parts = re.split(r"[- ]+", norm_form(groups.get("syyear") or ""))
    rest = sum(g.numbers.get(p, 0) for p in parts if p)
    year = (
        2000 + rest
        if groups.get("sythousand")
        else g.numbers.get(norm_form(groups.get("sycentury") or ""), 0) * 100 + rest
    )
    if not 1000 <= year <= 2099:
        return None
    month = g.months.get(norm_form(groups.get("month") or "")) if groups.get("month") else None
    code = g.seasons.get(norm_form(groups.get("season") or "")) if groups.get("season") else None
    return Result("DATE", f"{year:04d}-{code}" if code else date_value(year, month) or f"{year:04d}")


def handle_era(groups: dict[str, str | None], g: Grammar, state: State) -> Result | None:
    """Years with an era: "490 v. Chr." is BC0490, "9 n. Chr." is 0009."""
    year = int(groups.get("bcyear") or 0)
    if norm_form(groups.get("era") or "")[:1] == "v":
        return Result("DATE", f"BC{year:04d}") if year else None
    value = date_value(year)
    return Result("DATE", value) if value else None

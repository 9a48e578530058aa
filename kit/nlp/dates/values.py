"""TIMEX3 values and the calendar intervals they cover: pure functions of dates, no text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
DURATION_UNIT = {"D": "D", "W": "W", "WE": "WE", "M": "M", "Q": "Q", "Y": "Y", "DE": "DE", "CE": "CE"}
TIME_UNIT = {"TH": "H", "TM": "M"}
GRANULARITY = {
    "D": "day",
    "W": "week",
    "WE": "week",
    "M": "month",
    "Q": "quarter",
    "H": "half",
    "Y": "year",
    "DE": "decade",
    "CE": "century",
}


def date_value(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """TIMEX3 value for a calendar date, or None when it does not exist ("31. Februar")."""
    if not 1 <= year <= 9999:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


_VALUE_FORMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})-(\d\d)-(\d\d)(T.*)?$"), "day"),
    (re.compile(r"^(\d{4})-W(\d\d)(-WE)?$"), "week"),
    (re.compile(r"^(\d{4})-(\d\d)$"), "month"),
    (re.compile(r"^(\d{4})-Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-H([12])$"), "half"),
    (re.compile(r"^(\d{4})-(SP|SU|FA|WI)$"), "season"),
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{3})$"), "decade"),
    (re.compile(r"^(\d\d)$"), "century"),
]


def _narrow(start: dt.date, end: dt.date, granularity: str, mod: str | None) -> tuple[dt.date, dt.date]:
    """Cut an interval to its START, MID or END part (see the module docstring for the parts)."""
    if mod not in ("START", "MID", "END"):
        return start, end
    if granularity == "year":
        months = {"START": (1, 3), "MID": (5, 8), "END": (10, 12)}[mod]
        return dt.date(start.year, months[0], 1), month_end(start.year, months[1])
    if granularity in ("decade", "century"):
        span = end.year - start.year + 1
        third = {
            "START": (0, span * 3 // 10 - 1),
            "MID": (span * 4 // 10, span * 6 // 10),
            "END": (span * 7 // 10, span - 1),
        }[mod]
        return dt.date(start.year + third[0], 1, 1), dt.date(start.year + third[1], 12, 31)
    if granularity == "month":
        days = {"START": (1, 10), "MID": (11, 20), "END": (21, end.day)}[mod]
        return start.replace(day=days[0]), start.replace(day=days[1])
    length = (end - start).days + 1
    if length < 3:
        return start, end
    a, b = {
        "START": (0, length // 3 - 1),
        "MID": (length // 3, 2 * length // 3 - 1),
        "END": (2 * length // 3, length - 1),
    }[mod]
    return start + dt.timedelta(days=a), start + dt.timedelta(days=b)


def value_interval(
    value: str | None, mod: str | None = None
) -> tuple[dt.date | None, dt.date | None, str | None]:
    """Covered interval (inclusive) and granularity of a TIMEX3 date value; Nones when open."""
    if not value:
        return None, None, None
    for regex, gran in _VALUE_FORMS:
        m = regex.match(value)
        if not m:
            continue
        try:
            start, end, granularity = _interval_of(m, gran)
        except ValueError:  # an impossible date inside a well-formed value: no interval
            return None, None, None
        start, end = _narrow(start, end, gran, mod)
        return start, end, granularity
    return None, None, None


def _interval_of(m: re.Match[str], gran: str) -> tuple[dt.date, dt.date, str]:
    year = int(m.group(1))
    if gran == "day":
        day = dt.date(year, int(m.group(2)), int(m.group(3)))
        return day, day, "time" if m.group(4) else "day"
    if gran == "week":
        monday = dt.date.fromisocalendar(year, int(m.group(2)), 1)
        if m.group(3):
            return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6), "week"
        return monday, monday + dt.timedelta(days=6), "week"
    if gran == "month":
        month = int(m.group(2))
        return dt.date(year, month, 1), month_end(year, month), "month"
    if gran == "quarter":
        q = int(m.group(2))
        return dt.date(year, 3 * q - 2, 1), month_end(year, 3 * q), "quarter"
    if gran == "half":
        h = int(m.group(2))
        return dt.date(year, 6 * h - 5, 1), month_end(year, 6 * h), "half"
    if gran == "season":
        first = SEASON_START[m.group(2)]
        last_year, last_month = (year + 1, 2) if first == 12 else (year, first + 2)
        return dt.date(year, first, 1), month_end(last_year, last_month), "season"
    if gran == "year":
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    if gran == "decade":
        return (
            dt.date(year * 10, 1, 1) if year else dt.date(1, 1, 1),
            dt.date(year * 10 + 9, 12, 31),
            "decade",
        )
    return dt.date(max(year * 100, 1), 1, 1), dt.date(year * 100 + 99, 12, 31), "century"


def easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def week_value(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def add_months(day: dt.date, months: int) -> tuple[int, int]:
    total = day.year * 12 + day.month - 1 + months
    return total // 12, total % 12 + 1


@dataclass(frozen=True)
class Result:
    type: str
    value: str
    mod: str | None = None


def shifted_period(unit: str, ref: dt.date, n: int) -> tuple[str, str] | None:
    """Value and granularity of the calendar period ``n`` units from the one containing ref."""
    if unit == "Y":
        return f"{ref.year + n:04d}", "year"
    if unit == "M":
        y, mth = add_months(ref, n)
        return f"{y:04d}-{mth:02d}", "month"
    if unit == "D":
        return (ref + dt.timedelta(days=n)).isoformat(), "day"
    if unit in ("W", "WE"):
        week = week_value(ref + dt.timedelta(weeks=n))
        return (week + "-WE" if unit == "WE" else week), "week"
    if unit == "Q":
        q = (ref.year * 4 + (ref.month - 1) // 3) + n
        return f"{q // 4:04d}-Q{q % 4 + 1}", "quarter"
    if unit == "H":
        h = (ref.year * 2 + (ref.month - 1) // 6) + n
        return f"{h // 2:04d}-H{h % 2 + 1}", "half"
    if unit == "DE":
        return f"{ref.year // 10 + n:03d}", "decade"
    if unit == "CE":
        return f"{ref.year // 100 + n:02d}", "century"
    return None


# A fractional amount is written in the next smaller unit: "5 1/2 hours" PT5H30M, "2 1/2 years" P2Y6M.
_SUBUNIT = {
    "TH": ("TM", 60),
    "D": ("TH", 24),
    "W": ("D", 7),
    "Y": ("M", 12),
    "DE": ("Y", 10),
    "CE": ("DE", 10),
}


def duration_result(unit: str, n: float | None, decade_years: bool = False) -> Result | None:
    if n is not None and n != int(n) and unit in _SUBUNIT:
        sub, factor = _SUBUNIT[unit]
        whole = duration_result(unit, int(n)) if int(n) else None
        part = duration_result(sub, round((n - int(n)) * factor))
        if part is None:
            return None
        if whole is None:
            return part
        head, tail = whole.value, part.value[1:]
        if "T" in tail and "T" in head:
            tail = tail[1:]  # PT5H + PT30M -> PT5H30M
        return Result("DURATION", head + tail)
    if decade_years and unit in ("DE", "CE"):  # "two decades": P20Y
        scale = 10 if unit == "DE" else 100
        return Result("DURATION", "PXY" if n is None else f"P{n * scale:g}Y")
    amount = "X" if n is None else str(n)
    if unit in TIME_UNIT:
        return Result("DURATION", f"PT{amount}{TIME_UNIT[unit]}")
    if unit == "H":
        return Result("DURATION", "P6M" if n == 1 else f"P{amount}H")
    if unit not in DURATION_UNIT:
        return None
    return Result("DURATION", f"P{amount}{DURATION_UNIT[unit]}")

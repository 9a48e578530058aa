"""The kit's temporal tagger: TIMEX3 expressions for German and English news and narratives.

Why our own and not HeidelTime or dateparser: HeidelTime needs Java and TreeTagger, dateparser
tags "Mit" and "Die" as weekdays and knows nothing of "Ende 2022" or "vor zwei Jahren". This
tagger works on the raw text with regular expressions compiled once per language from
``kit/resources/<lang>/dates.yaml`` (all words and rule patterns live there), so it runs on
pipelines without parser or tagger, such as the kit's shipped German one.

How it works:

0. a pre-filter finds the triggers (lower-cased text, one trie-shaped regex): year-like and
   date/clock-shaped numbers and the word stems every rule needs (months, weekdays, units,
   "Uhr", references ...); the rules only scan windows of 48 characters around them, which
   finds exactly the matches of a full scan (tested) at half the cost;
1. every rule's regex runs over those windows of ``doc.text``; the longest candidate wins an overlap, ties go to
   the rule listed first; rules marked ``context`` (bare years, bare months) need a date-like
   word before them ("im", "seit") or punctuation after them, so "1969 Menschen" and
   "August Bebel" stay untagged;
2. the winners are normalised left to right against a reference date: the anchor
   (``doc._.published``) in news mode; in narrative mode (no anchor) the last resolved date
   mentioned before the expression, else the value stays underspecified ("XXXX-11");
3. an underspecified month, weekday, season or quarter ("im November", "am Freitag") lies after
   the reference when the nearest tense cue in its sentence is a future one ("wird", "soll",
   "im Falle"), before it when the cue is a past one ("hatte", "wurde"), else it is the
   occurrence nearest to the reference. A dated day without a year is the upcoming one when it
   is less than 90 days ahead, else the last one (news look back); a past tense still allows
   30 days ahead, a written weekday picks the year in which the date falls on it;
4. in news mode "a year ago" / "the year-ago quarter" after a quarter was mentioned is that
   quarter a year earlier (TempEval-3: "from $3 million a year ago" -> 1988-Q3);
5. anaphoric expressions ("the following year", "that day", "am Tag darauf", "three days later")
   count from the last date mentioned in the text when it is fine enough, in news mode too.

Conventions (TimeML, with the kit's documented deviations):

- spans leave out prepositions that are signals ("seit", "im", "am", "bis"); so "seit 2019"
  is DATE 2019 covering 2019-01-01..2019-12-31 (the "since" lives in the sentence, not the value);
- "vor zwei Jahren" / "two years ago" is a DATE (2022), span including "vor"/"ago";
- ``start``/``end`` is the covered interval (inclusive) derived from the value and narrowed by
  START/MID/END (a year's START is Jan-Mar, END Oct-Dec, MID May-Aug; a month's thirds are
  days 1-10, 11-20, 21-end; a decade's 0-3, 4-6, 7-9); both are None for durations, sets,
  PRESENT_REF/PAST_REF/FUTURE_REF and underspecified values;
- English follows the TempEval-3 gold where it is consistent: "Friday night" has the day's
  value (1998-10-23, not ...TNI), decades as years ("two decades" P20Y); German keeps
  ...TNI and P2DE. Clock times are always ISO ("T08:30"), though KRAUTS gold mixes "T8:30"
  and "T20.30": scoring compares value strings exactly, as the TempEval-3 scorer does.

Measured on the development corpora (``kit eval dates PATH``; relaxed span F1 / value F1):
KRAUTS 0.951 / 0.815 (strict 0.891, type 0.960, value acc 0.857; HeidelTime's output 0.831 /
0.800), WikiWarsDE 0.930 / 0.799, TempEval-3 training 0.933 / 0.798 (type 0.960, value acc
0.855). Speed: about 9-10 ms per 1,000 words for ``tag_text`` (see docs/dates.md).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from spacy.language import Language
from spacy.tokens import Doc

from kit.nlp.extensions import doc_text, register_extensions
from kit.nlp.types import Timex
from kit.settings import RESOURCES_DIR

__all__ = [
    "SUPPORTED_LANGUAGES",
    "DateTagger",
    "Grammar",
    "date_value",
    "extract_timexes",
    "load_grammar",
    "tag_text",
    "value_interval",
]

SUPPORTED_LANGUAGES = ("de", "en")

# Year inference for dates without a year (news mode): a date this close to the anchor is taken on
# its side whatever the tense; a past tense still allows a date up to _BEHIND_TENSE_DAYS ahead
# ("had been set to expire Nov. 6"); without a tense cue, a date up to _AHEAD_DAYS ahead is
# upcoming, otherwise the last occurrence is meant (news look back).
_NEAR_DAYS = 7
_BEHIND_TENSE_DAYS = 30
_AHEAD_DAYS = 90
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_DURATION_UNIT = {"D": "D", "W": "W", "WE": "WE", "M": "M", "Q": "Q", "Y": "Y", "DE": "DE", "CE": "CE"}
_TIME_UNIT = {"TH": "H", "TM": "M"}
_GRANULARITY = {
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


# --------------------------------------------------------------------------------------------
# Resources and compiled rules
# --------------------------------------------------------------------------------------------


def _invert(table: dict[Any, list[str]] | None) -> dict[str, Any]:
    """YAML lists forms under their value; lookups go from the (lower-case) form to the value."""
    return {str(form).lower(): key for key, forms in (table or {}).items() for form in forms}


def _alternation(forms: list[str]) -> str:
    """Longest forms first so "Jänner" is not cut to "Jän"; a space matches any whitespace run."""
    ordered = sorted({str(f).lower() for f in forms}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in ordered) + ")"


@dataclass(frozen=True)
class _Rule:
    name: str
    kind: str
    regex: re.Pattern[str]
    context: bool
    news_only: bool = False  # a news convention (KRAUTS): skipped in narrative mode
    # lower-cased ASCII starts of every match (see ``_start_keys``); None: scan everywhere
    start_keys: frozenset[str] | None = None


@dataclass(frozen=True)
class Grammar:
    """One language's lexicon lookups and compiled rules (built once, shared by all docs)."""

    lang: str
    rules: tuple[_Rule, ...]
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    vague_numbers: frozenset[str]
    ordinals: dict[str, int]
    last_ordinal: frozenset[str]
    seasons: dict[str, str]
    parts_of_day: dict[str, str]
    units: dict[str, str]
    adjective_number_stems: dict[str, Any]
    plural_units: frozenset[str]
    modifiers: dict[str, str]
    shifts: dict[str, int]
    weekday_shifts: dict[str, int]  # shifts said of a weekday only ("am morgigen Sonntag")
    relative_days: dict[str, int]
    relative_periods: dict[str, list[Any]]
    relative_day_pods: dict[str, list[Any]]
    duration_shifts: frozenset[str]
    anaphoric_shifts: frozenset[str]
    anaphoric_units: frozenset[str]
    references: dict[str, str]
    vague_durations: dict[str, str]
    vague_duration_strip: frozenset[str]
    sets: dict[str, str]
    holidays: dict[str, str]
    clock_words: dict[str, str]
    context_before: frozenset[str]
    year_context_before: frozenset[str]
    year_blocked_after: frozenset[str]
    year_blocked_before: frozenset[str]
    strong_year_context: frozenset[str]
    month_context_before: frozenset[str]
    narrative_ref_skip_before: frozenset[str]
    cue_regex: re.Pattern[str]
    weekday_cue_regex: re.Pattern[str]  # with the past tense pattern: only weekdays ("issued ... Friday")
    future_cues: frozenset[str]
    future_prepositions: frozenset[str]
    past_perfect_cues: frozenset[str]
    reported_period_shifts: frozenset[
        str
    ]  # "this quarter" in a report: the quarter under report  # a deadline before these is past ("had filed reports by Wednesday")
    not_past_tense: frozenset[str]  # words the past tense pattern matches that are not verbs ("hundred")
    cue_window: int
    stop_phrases: frozenset[str]
    approximators: frozenset[str]  # "nearly", "at least": part of a duration's span
    rate_before: re.Pattern[str] | None  # an amount before "a year": a rate ("$2 million a year")
    trigger: re.Pattern[str]
    day_pods: frozenset[str]  # parts of day kept in a day's value ("Friday morning": ...TMO)
    decade_duration_years: bool  # "two decades": P20Y (TempEval-3) or P2DE


# Lexicon tables whose forms can head an expression: every rule match contains a digit or one of
# these forms (or a literal word of its own pattern), so text far from all of them is skipped.
_TRIGGER_TABLES = (
    "months",
    "weekdays",
    "seasons",
    "parts_of_day",
    "part_of_day_nouns",
    "units",
    "adjective_units",
    "relative_days",
    "relative_periods",
    "relative_day_pods",
    "references",
    "news_references",
    "vague_durations",
    "sets",
    "holidays",
    "clock_words",
)
# Numbers that can be (part of) an expression without a trigger word next to them: years,
# numeric dates (5.3.2024, 10/27/89), clock times (20:30, 8 pm), decades (the 90s, 90er), Q3;
# other numbers only count with a month, unit or "Uhr" nearby ("16 Jahren", "8.30 Uhr").
_NUMBER_TRIGGER = (
    r"(?<!\d)(?:1\d{3}|20\d\d)(?!\d)|\d[./-]\s?\d{1,2}[./-]|\d:\d\d|\d\s?[ap]\.?m\b"
    r"|\d0(?:er|s|['’]s)|\bq[1-4]"
)
# Characters around a trigger that are scanned by the rules (longer than any expression's reach).
_WINDOW = 48


def _trie_regex(words: set[str]) -> str:
    """A regex alternation of ``words`` factored as a trie (fast to scan: no backtracking fan-out)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        if "" in node and len(node) == 1:
            return ""
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return build(trie)


def _trigger_regex(res: dict[str, Any]) -> re.Pattern[str]:
    """Lower-case triggers: some numbers, or a word stem any rule needs: forms of the heading lexicons, pattern literals."""
    # pattern literals that never head an expression on their own (articles, prepositions)
    not_triggers = frozenset(str(w).lower() for w in res.get("not_triggers", []))
    words: set[str] = set()
    for table in _TRIGGER_TABLES:
        entry = res.get(table) or {}
        forms = (
            entry
            if isinstance(entry, list)
            else (
                list(entry)
                if table in ("relative_periods", "relative_day_pods")
                else [f for fs in entry.values() for f in fs]
            )
        )
        for form in forms:
            parts = [w for w in str(form).lower().split() if w not in not_triggers] or [str(form).lower()]
            words.add(max(parts, key=len))
    for rule in res["rules"]:
        if "triggers" in rule:  # a rule listing its head words: its other literals need not trigger
            words.update(str(w).lower() for w in rule["triggers"])
            continue
        literal = re.sub(r"\\.|\(\?P<\w+>|\{\w+\}|\[[^\]]*\]", " ", rule["pattern"])
        words.update(w.lower() for w in re.findall(r"[^\W\d_]{3,}", literal))
    words = {w.strip("-") for w in words} - not_triggers
    words = {w for w in words if len(w) >= 3}
    # prefixes ("Ex-Präsident") trigger with their hyphen: "ex" alone would be everywhere
    words |= {str(f).lower() + "-" for fs in (res.get("prefix_references") or {}).values() for f in fs}
    return re.compile(_NUMBER_TRIGGER + "|" + _trie_regex(words))


_CATEGORY_CLASSES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}


def _class_regex(items: list[tuple[Any, Any]]) -> str | None:
    """A parsed character class (``[...]``, ``\\d``) back as regex text; None if unsupported."""
    parts: list[str] = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            parts.append(re.escape(chr(av)))
        elif name == "RANGE":
            parts.append(re.escape(chr(av[0])) + "-" + re.escape(chr(av[1])))
        elif name == "CATEGORY" and str(av) in _CATEGORY_CLASSES:
            parts.append(_CATEGORY_CLASSES[str(av)])
        elif name == "NEGATE" and not parts:
            parts.append("^")
        else:
            return None
    return "[" + "".join(parts) + "]"


_Prefixes = set[tuple[str, ...]]


def _concat(head: _Prefixes, tail: _Prefixes, k: int) -> _Prefixes:
    return {a if len(a) == k else (a + b)[:k] for a in head for b in ({()} if len(a) == k else tail)}


def _prefixes(items: Any, k: int) -> _Prefixes | None:
    """The first ``k`` characters a parsed pattern can consume, as tuples of character classes
    (regex text); a shorter tuple where the pattern can end sooner. None if not analysed."""
    out: _Prefixes = {()}
    for op, av in items:
        name = str(op)
        sub: _Prefixes | None
        if name == "LITERAL":
            sub = {(re.escape(chr(av)),)}
        elif name == "IN":
            cls = _class_regex(av)
            sub = None if cls is None else {(cls,)}
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):  # zero width
            sub = {()}
        elif name == "SUBPATTERN":
            sub = None if av[1] or av[2] else _prefixes(av[3], k)  # no local flags
        elif name == "ATOMIC_GROUP":
            sub = _prefixes(av, k)
        elif name == "BRANCH":
            sub = set()
            for alt in av[1]:
                alt_prefixes = _prefixes(alt, k)
                if alt_prefixes is None:
                    return None
                sub |= alt_prefixes
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, body = av
            once = _prefixes(body, k)
            if once is None or () in once:
                return None
            sub = set()
            reps: _Prefixes = {()}
            for count in range(k + 1):
                if count >= low:
                    sub |= reps
                if count == high:
                    break
                reps = _concat(reps, once, k)
            else:  # more than k repetitions: every such prefix is k characters long
                sub |= reps
        else:  # any character, group references, conditionals
            return None
        if sub is None:
            return None
        out = _concat(out, sub, k)
        if all(len(prefix) == k for prefix in out):
            break
    return out


def _lower_ascii(cls: str, flags: int) -> frozenset[str]:
    """The lower-cased ASCII characters a class accepts under ``flags`` (tested one by one, so case
    folding is exactly the regex engine's)."""
    regex = re.compile(cls, flags)
    accepted = {chr(c) for c in range(128) if regex.fullmatch(chr(c))}
    if any(c.swapcase() not in accepted for c in accepted):  # never under IGNORECASE
        raise ValueError(f"case-sensitive class {cls!r}")
    return frozenset(c.lower() for c in accepted)


_KEY = 3  # characters of a match's start looked up in a rule's set of possible starts
_MAX_KEYS = 20000


def _start_keys(pattern: str, flags: int) -> frozenset[str] | None:
    """Every lower-cased ASCII ``_KEY``-character string a match of ``pattern`` can begin with;
    None if that cannot be established (or the set is too large to help)."""
    try:  # the parse tree is an internal API of ``re``: anything unexpected means a full scan
        prefixes = _prefixes(_sre_parse(pattern, flags), _KEY)
    except Exception:  # noqa: BLE001
        return None
    if prefixes is None or any(len(p) < _KEY for p in prefixes):
        return None
    keys: set[str] = set()
    for prefix in prefixes:
        try:
            sets = [_lower_ascii(cls, flags) for cls in prefix]
        except ValueError:
            return None
        size = 1
        for chars in sets:
            size *= len(chars)
        if len(keys) + size > _MAX_KEYS:
            return None
        keys.update(map("".join, itertools.product(*sets)))
    return frozenset(keys)


def _sre_parse(pattern: str, flags: int) -> Any:
    import re._parser as sre_parser  # internal: imported only when compiling rules

    return sre_parser.parse(pattern, flags)


def _norm(form: str) -> str:
    return re.sub(r"\s+", " ", form.strip().lower())


@functools.cache
def load_grammar(lang: str, resources_dir: Path = RESOURCES_DIR) -> Grammar | None:
    """Compile ``resources/<lang>/dates.yaml``; None for a language without resources."""
    path = resources_dir / lang / "dates.yaml"
    if not path.is_file():
        return None
    res: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    month_forms = [f for forms in res["months"].values() for f in forms]
    weekday_forms = [f for forms in res["weekdays"].values() for f in forms]
    macros = {
        "month": _alternation(month_forms),
        "weekday": _alternation(weekday_forms),
        "weekday_full": _alternation([f for f in weekday_forms if not f.endswith(".")]),
        "day": r"(?:0?[1-9]|[12]\d|3[01])",
        "year": r"(?:1[0-9]\d\d|20\d\d)",
        "number": _alternation([f for forms in res["numbers"].values() for f in forms]),
        "vague_number": _alternation(res["vague_numbers"]),
        "ordinal": _alternation([f for forms in res["ordinals"].values() for f in forms]),
        "last_ordinal": _alternation(res["last_ordinal"]),
        "season": _alternation([f for forms in res["seasons"].values() for f in forms]),
        "part_of_day": _alternation([f for forms in res["parts_of_day"].values() for f in forms]),
        "part_of_day_nouns": _alternation(res["part_of_day_nouns"]),
        "unit": _alternation([f for forms in res["units"].values() for f in forms]),
        "modifier": _alternation([f for forms in res["modifiers"].values() for f in forms]),
        "shift": _alternation([f for forms in res["shifts"].values() for f in forms]),
        "weekday_shift": _alternation(
            [f for forms in (res.get("weekday_shifts") or {}).values() for f in forms]
        ),
        "relative_day": _alternation([f for forms in res["relative_days"].values() for f in forms]),
        "relative_period": _alternation(list(res["relative_periods"])),
        "relative_day_pod": _alternation(list(res["relative_day_pods"])),
        "reference": _alternation([f for forms in res["references"].values() for f in forms]),
        "prefix_reference": _alternation(
            [f for forms in (res.get("prefix_references") or {}).values() for f in forms]
        ),
        "news_reference": _alternation(
            [f for forms in (res.get("news_references") or {}).values() for f in forms]
        ),
        "vague_duration": _alternation([f for forms in res["vague_durations"].values() for f in forms]),
        "set": _alternation([f for forms in res["sets"].values() for f in forms]),
        "set_weekday_prefix": _alternation(res["set_weekday_prefix"]),
        "approximator": _alternation(res["approximators"]) if res.get("approximators") else "(?!)",
        "holiday": _alternation([f for forms in res["holidays"].values() for f in forms]),
        "clock_word": _alternation([f for forms in (res.get("clock_words") or {}).values() for f in forms]),
        "adjective_unit": _alternation([f for forms in res["adjective_units"].values() for f in forms]),
        "adjective_number_stem": _alternation(
            [f for forms in res["adjective_number_stems"].values() for f in forms]
        ),
    }

    # the day after a clock time: "10 p.m. Wednesday", "5 p.m. EST, Nov. 9", "noon today"
    macros["clock_day"] = (
        r"(?:,? (?:on )?(?:(?P<weekday>{weekday_full})|(?P<relday>{relative_day})"
        r"|(?P<month>{month}) (?P<day>{day})(?!\d)))?"
    )
    macros["clock_day"] = re.sub(r"\{([a-z_]+)\}", lambda m: macros[m.group(1)], macros["clock_day"])

    def expand(pattern: str) -> str:
        pattern = re.sub(r"\{([a-z_]+)\}", lambda m: macros[m.group(1)], pattern)
        return pattern.replace(" ", r"\s+")

    rule_patterns = [r"(?<!\w)(?:" + expand(r["pattern"]) + r")(?!\w)" for r in res["rules"]]
    rules = tuple(
        _Rule(
            name=r["name"],
            kind=r["kind"],
            regex=re.compile(pattern, re.IGNORECASE),
            context=bool(r.get("context", False)),
            news_only=bool(r.get("news_only", False)),
            start_keys=_start_keys(pattern, re.IGNORECASE),
        )
        for r, pattern in zip(res["rules"], rule_patterns, strict=True)
    )
    cues = [*res["future_cues"], *res["past_cues"]]
    return Grammar(
        lang=lang,
        rules=rules,
        months=_invert(res["months"]),
        weekdays=_invert(res["weekdays"]),
        numbers=_invert(res["numbers"]),
        vague_numbers=frozenset(_norm(f) for f in res["vague_numbers"]),
        ordinals=_invert(res["ordinals"]),
        last_ordinal=frozenset(res["last_ordinal"]),
        seasons=_invert(res["seasons"]),
        parts_of_day=_invert(res["parts_of_day"]),
        units={**_invert(res["units"]), **_invert(res["adjective_units"])},
        adjective_number_stems=_invert(res["adjective_number_stems"]),
        plural_units=frozenset(res["plural_units"]),
        modifiers=_invert(res["modifiers"]),
        shifts=_invert(res["shifts"]),
        weekday_shifts=_invert(res.get("weekday_shifts")),
        relative_days=_invert(res["relative_days"]),
        relative_periods={k.lower(): v for k, v in res["relative_periods"].items()},
        relative_day_pods={k.lower(): v for k, v in res["relative_day_pods"].items()},
        duration_shifts=frozenset(res["duration_shifts"]),
        anaphoric_shifts=frozenset(_norm(f) for f in res.get("anaphoric_shifts", [])),
        anaphoric_units=frozenset(res.get("anaphoric_units", [])),
        references={
            **_invert(res["references"]),
            **_invert(res.get("prefix_references")),
            **_invert(res.get("news_references")),
        },
        vague_durations=_invert(res["vague_durations"]),
        vague_duration_strip=frozenset(res.get("vague_duration_strip", [])),
        sets=_invert(res["sets"]),
        holidays=_invert(res["holidays"]),
        clock_words=_invert(res.get("clock_words")),
        context_before=frozenset(str(w).lower() for w in res["date_context_before"]),
        year_context_before=frozenset(str(w).lower() for w in res.get("year_context_before", [])),
        year_blocked_after=frozenset(str(w).lower() for w in res["year_blocked_after"]),
        year_blocked_before=frozenset(str(w).lower() for w in res["year_blocked_before"]),
        strong_year_context=frozenset(str(w).lower() for w in res["strong_year_context"]),
        month_context_before=frozenset(str(w).lower() for w in res["month_context_before"]),
        narrative_ref_skip_before=frozenset(str(w).lower() for w in res["narrative_ref_skip_before"]),
        cue_regex=re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(c) for c in cues) + r")(?!\w)", re.IGNORECASE
        ),
        weekday_cue_regex=re.compile(
            r"(?<!\w)(?:"
            + "|".join(
                [
                    *(re.escape(c) for c in cues),
                    *([res["past_tense_pattern"]] if res.get("past_tense_pattern") else []),
                ]
            )
            + r")(?!\w)",
            re.IGNORECASE,
        ),
        not_past_tense=frozenset(str(w).lower() for w in res.get("past_tense_exceptions", [])),
        future_cues=frozenset(c.lower() for c in res["future_cues"]),
        future_prepositions=frozenset(c.lower() for c in res.get("future_prepositions", [])),
        past_perfect_cues=frozenset(c.lower() for c in res.get("past_perfect_cues", [])),
        reported_period_shifts=frozenset(_norm(f) for f in res.get("reported_period_shifts", [])),
        cue_window=int(res["cue_window"]),
        stop_phrases=frozenset(_norm(p) for p in res["stop_phrases"]),
        approximators=frozenset(_norm(a) for a in res.get("approximators", [])),
        rate_before=re.compile(res["rate_before"], re.IGNORECASE) if res.get("rate_before") else None,
        trigger=_trigger_regex(res),
        day_pods=frozenset(res.get("day_pods_in_value", ("MO", "MI", "AF", "EV", "NI"))),
        decade_duration_years=bool(res.get("decade_duration_years", False)),
    )


# --------------------------------------------------------------------------------------------
# Values and intervals (pure functions)
# --------------------------------------------------------------------------------------------


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


def _month_end(year: int, month: int) -> dt.date:
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
        return dt.date(start.year, months[0], 1), _month_end(start.year, months[1])
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
        return dt.date(year, month, 1), _month_end(year, month), "month"
    if gran == "quarter":
        q = int(m.group(2))
        return dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q), "quarter"
    if gran == "half":
        h = int(m.group(2))
        return dt.date(year, 6 * h - 5, 1), _month_end(year, 6 * h), "half"
    if gran == "season":
        first = _SEASON_START[m.group(2)]
        last_year, last_month = (year + 1, 2) if first == 12 else (year, first + 2)
        return dt.date(year, first, 1), _month_end(last_year, last_month), "season"
    if gran == "year":
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    if gran == "decade":
        return (
            dt.date(year * 10, 1, 1) if year else dt.date(1, 1, 1),
            dt.date(year * 10 + 9, 12, 31),
            "decade",
        )
    return dt.date(max(year * 100, 1), 1, 1), dt.date(year * 100 + 99, 12, 31), "century"


def _easter(year: int) -> dt.date:
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


def _week_value(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def _add_months(day: dt.date, months: int) -> tuple[int, int]:
    total = day.year * 12 + day.month - 1 + months
    return total // 12, total % 12 + 1


# --------------------------------------------------------------------------------------------
# Tagging
# --------------------------------------------------------------------------------------------


@dataclass
class _State:
    """What the normaliser knows when it reaches an expression."""

    anchor: dt.date | None  # the document's creation date (news mode)
    ref: dt.date | None  # reference date: anchor, or last resolved date (narrative mode)
    ref_granularity: str | None
    direction: int = 0  # +1 future, -1 past, 0 unknown (from tense cues)
    day_in_sentence: dt.date | None = None  # last day-level date in the sentence (clock times)
    day_before: dt.date | None = None  # last day-level date in the sentence before
    quarter: str | None = None  # last quarter mentioned (news mode: "a year ago" compares to it)
    last: dt.date | None = None  # start of the last resolved date in the text (anaphora: "that year")
    last_granularity: str | None = None


@dataclass(frozen=True)
class _Result:
    type: str
    value: str
    mod: str | None = None


def _prev_word(text: str, start: int) -> str:
    m = re.search(r"(\w+\.?|[^\w\s])\s*$", text[max(0, start - 40) : start])
    return m.group(1).lower() if m else ""


def _next_word(text: str, end: int) -> str:
    m = re.match(r"\s*(\S+)", text[end : end + 40])
    return m.group(1) if m else ""


def _accept(rule: _Rule, m: re.Match[str], text: str, g: Grammar) -> bool:
    """Lexical checks a regex cannot express cheaply: case, context words, year-like numbers."""
    groups = m.groupdict()
    norm = _norm(m.group(0))
    head = next((a for a in g.approximators if norm.startswith(a + " ")), "")
    if norm in g.stop_phrases or (head and norm[len(head) + 1 :] in g.stop_phrases):
        return False  # also "more than a quarter (of the market)"
    for name in ("month", "weekday", "weekday_full", "holiday", "weekday_s"):
        form = groups.get(name)
        if form and not form[0].isupper() and not form[0].isdigit():
            return False
    rel = groups.get("relday")
    if rel and rel.lower() == "morgen" and rel[0].isupper():
        before = text[: m.start()].rstrip()
        if before and before[-1] not in '.!?:"„“':
            return False  # "am Morgen": the morning, not tomorrow
    s = m.start()
    if s >= 2 and text[s - 1] in ".,:/" and text[s - 2].isdigit():
        return False  # part of a longer number ("1.969", "3/2024")
    if (
        g.rate_before is not None
        and rule.kind == "duration"
        and _norm(groups.get("num") or "") in ("a", "an")
        and g.rate_before.search(text, max(0, s - 40), s)
    ):
        return False  # "$2 million a year": a rate, not a duration
    year = groups.get("year")
    if year and m.group(0) == year:
        prev = _prev_word(text, s)
        nxt = _next_word(text, m.end()).lower().strip(".,;:!?)\"'")
        if prev in g.year_blocked_before or nxt in g.year_blocked_after:
            return False
    if not rule.context:
        return True
    prev = _prev_word(text, s)
    nxt = _next_word(text, m.end())
    if (
        year
        and g.lang == "de"
        and nxt[:1].isupper()
        and prev not in g.strong_year_context
        and _norm(nxt.strip(".,;:")) not in g.months
    ):
        return False  # "und 1370 Landungsboote": a count before a noun
    if groups.get("month") and not year:
        if prev in g.month_context_before:
            return True
    elif prev in g.context_before or (year and prev in g.year_context_before):
        return True
    after = text[m.end() : m.end() + 2]
    if not after.strip() or not after.lstrip()[:1].isalnum():
        return True  # followed by punctuation or the end: "im Jahr 1969." / "(1969)"
    # "1969 wurde ...": a verb follows, not a counted noun
    return bool(g.lang == "de" and rule.kind == "date" and year and nxt[:1].islower())


def _lookup_num(g: Grammar, form: str | None) -> int | None:
    """A cardinal from digits or a number word; None for vague quantities ("einige")."""
    if not form:
        return None
    f = _norm(form).rstrip("-")
    if f.replace(",", "").replace(".", "").isdigit():
        try:
            return int(float(f.replace(",", ".")))
        except ValueError:
            return None
    return g.numbers.get(f)


def _infer_year(state: _State, month: int, day: int | None = None, weekday: int | None = None) -> int | None:
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


def _weekday_date(state: _State, weekday: int, shift: int | None) -> dt.date | None:
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


def _shifted(unit: str, ref: dt.date, n: int) -> tuple[str, str] | None:
    """Value and granularity of the calendar period ``n`` units from the one containing ref."""
    if unit == "Y":
        return f"{ref.year + n:04d}", "year"
    if unit == "M":
        y, mth = _add_months(ref, n)
        return f"{y:04d}-{mth:02d}", "month"
    if unit == "D":
        return (ref + dt.timedelta(days=n)).isoformat(), "day"
    if unit in ("W", "WE"):
        week = _week_value(ref + dt.timedelta(weeks=n))
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


def _pod_code(g: Grammar, form: str | None) -> str | None:
    return g.parts_of_day.get(_norm(form)) if form else None


def _normalise(kind: str, m: re.Match[str], g: Grammar, state: _State) -> _Result | None:
    """Turn one match into type/value/mod; None drops the match (e.g. impossible dates)."""
    handler = _HANDLERS[kind]
    return handler(m.groupdict(), g, state)


def _mod_of(g: Grammar, groups: dict[str, str | None]) -> str | None:
    form = groups.get("mod")
    return g.modifiers.get(_norm(form)) if form else None


def _h_date(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    mod = _mod_of(g, groups)
    month: int | None = None
    if groups.get("monthnum"):
        month = int(groups.get("monthnum") or 0)
    elif groups.get("month"):
        month = g.months.get(_norm(groups.get("month") or ""))
    day = int(groups.get("day") or 0) if groups.get("day") else None
    year: int | None = None
    if groups.get("year"):
        year = int(groups.get("year") or 0)
        if year < 100:
            base = state.ref.year if state.ref else dt.date.today().year
            year = min((c * 100 + year for c in (base // 100 - 1, base // 100)), key=lambda y: abs(y - base))
    elif groups.get("mshift") is not None and month is not None and state.ref is not None:
        shift = g.shifts.get(_norm(groups.get("mshift") or ""), 0)  # "last April": its last occurrence
        year = state.ref.year + (shift if shift * (state.ref.month - month) >= 0 else 0)
    elif groups.get("shift") is not None and state.ref is not None:
        shift_form = _norm(groups.get("shift") or "")
        ref = _anaphoric_ref(state, "Y") if shift_form in g.anaphoric_shifts else state.ref
        year = (ref or state.ref).year + g.shifts.get(shift_form, 0)
    elif month is not None:
        weekday = g.weekdays.get(_norm(groups.get("weekday") or "")) if groups.get("weekday") else None
        year = _infer_year(state, month, day, int(weekday) if weekday else None)
    if year is None:
        if month is None:
            return None
        if day is not None and date_value(2000, month, day) is None:
            return None  # 30 February is impossible in every year
        return _Result("DATE", f"XXXX-{month:02d}" + (f"-{day:02d}" if day else ""), mod)
    value = date_value(year, month, day)
    if value is None:
        return None
    pod = _pod_code(g, groups.get("pod"))
    return _Result("TIME", f"{value}T{pod}") if pod and day else _Result("DATE", value, mod)


def _h_decade(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    if groups.get("decade4"):
        value = (groups.get("decade4") or "")[:3]
    else:
        two = groups.get("decade2") or ""
        century = "20" if two in ("00", "10") else "19"
        value = century + two[0]
    return _Result("DATE", value, _mod_of(g, groups))


def _h_century(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    n = g.ordinals.get(_norm(groups.get("ordinal") or ""))
    if not n:
        return None
    return _Result("DATE", f"{n - 1:02d}", _mod_of(g, groups))


def _period_year(groups: dict[str, str | None], g: Grammar, state: _State, first_month: int) -> int | None:
    if groups.get("year"):
        return int(groups.get("year") or 0)
    if groups.get("shift") is not None and state.ref is not None:
        shift_form = _norm(groups.get("shift") or "")
        ref = _anaphoric_ref(state, "Y") if shift_form in g.anaphoric_shifts else state.ref
        return (ref or state.ref).year + g.shifts.get(shift_form, 0)
    return _infer_year(state, first_month, 1) if state.ref else None


def _h_quarter(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    q = (
        int(groups.get("quarter") or 0)
        if groups.get("quarter")
        else g.ordinals.get(_norm(groups.get("ordinal") or ""))
    )
    if not q and "ordinal" not in groups and groups.get("year"):  # "the 1988 quarter": the one under report
        if not state.quarter:
            return _Result("DATE", f"{int(groups.get('year') or 0):04d}")
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
    return _Result("DATE", f"{year:04d}-Q{q}" if year else f"XXXX-Q{q}")


def _h_half(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    form = _norm(groups.get("ordinal") or "")
    h = 2 if form in g.last_ordinal else g.ordinals.get(form)  # "the last half of 1989": the second
    if h not in (1, 2):
        return None
    year = _period_year(groups, g, state, 6 * h - 5)
    return _Result("DATE", f"{year:04d}-H{h}" if year else f"XXXX-H{h}")


def _h_season(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    code = g.seasons.get(_norm(groups.get("season") or ""))
    if not code:
        return None
    year = _period_year(groups, g, state, _SEASON_START[code])
    return _Result("DATE", f"{year:04d}-{code}" if year else f"XXXX-{code}", _mod_of(g, groups))


def _day_with_pod(day: str, pod: str | None) -> _Result:
    return _Result("TIME", f"{day}T{pod}") if pod else _Result("DATE", day)


def _h_relday(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    pod = _pod_code(g, groups.get("pod"))
    if groups.get("reldaypod"):
        offset, pod = g.relative_day_pods.get(_norm(groups.get("reldaypod") or ""), (None, None))
    else:
        offset = g.relative_days.get(_norm(groups.get("relday") or ""))
    if offset is None:
        return None
    if state.anchor is None:
        if offset == 0:
            return _Result("DATE", "PRESENT_REF")
        if state.ref is None or state.ref_granularity not in ("day", "time"):
            return _day_with_pod("XXXX-XX-XX", pod)
    ref = state.ref
    assert ref is not None
    return _day_with_pod(
        (ref + dt.timedelta(days=int(offset))).isoformat(), pod if pod in g.day_pods else None
    )


def _h_weekday(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    wd = g.weekdays.get(_norm(groups.get("weekday") or ""))
    if wd is None:
        return None
    shift_form = _norm(groups.get("shift") or "")
    shift: int | None = g.shifts.get(shift_form, g.weekday_shifts.get(shift_form)) if shift_form else None
    if shift_form in g.anaphoric_shifts and state.last and state.last_granularity in ("day", "time"):
        state = dataclasses.replace(state, ref=state.last, ref_granularity="day")  # "the previous Friday"
    day = _weekday_date(state, int(wd), shift)
    pod = _pod_code(g, groups.get("pod"))
    pod = pod if pod in g.day_pods else None
    return _day_with_pod(day.isoformat() if day else f"XXXX-WXX-{wd}", pod)


def _h_relperiod(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    mod = _mod_of(g, groups)
    if groups.get("relperiod"):
        unit, shift, *word_mod = g.relative_periods[_norm(groups.get("relperiod") or "")]
        mod = word_mod[0] if word_mod else mod
        num_form, shift_form = None, ""
        plural = False
    else:
        unit_form = _norm(groups.get("unit") or "")
        unit = g.units.get(unit_form)
        shift_form = _norm(groups.get("shift") or "")
        shift = g.shifts.get(shift_form, 0)
        num_form = groups.get("num")
        plural = unit_form in g.plural_units or shift_form in g.duration_shifts
    if unit is None:
        return None
    if num_form or plural:
        n = _lookup_num(g, num_form) if num_form else (1 if unit_form not in g.plural_units else None)
        return _duration(unit, n, g.decade_duration_years)
    if state.ref is None:
        return None
    ref = state.ref
    if not groups.get("relperiod") and (
        shift_form in g.anaphoric_shifts or (shift and unit in g.anaphoric_units)
    ):
        ref = _anaphoric_ref(state, unit) or ref
    if unit == "Q" and shift_form in g.reported_period_shifts and state.quarter and state.anchor is not None:
        return _Result("DATE", state.quarter, mod)  # "this quarter's loss": the quarter under report
    shifted = _shifted(unit, ref, int(shift))
    return _Result("DATE", shifted[0], mod) if shifted else None


# A fractional amount is written in the next smaller unit: "5 1/2 hours" PT5H30M, "2 1/2 years" P2Y6M.
_SUBUNIT = {"TH": ("TM", 60), "D": ("TH", 24), "W": ("D", 7), "Y": ("M", 12)}


def _duration(unit: str, n: float | None, decade_years: bool = False) -> _Result | None:
    if n is not None and n != int(n) and unit in _SUBUNIT:
        sub, factor = _SUBUNIT[unit]
        whole = _duration(unit, int(n)) if int(n) else None
        part = _duration(sub, round((n - int(n)) * factor))
        if part is None:
            return None
        if whole is None:
            return part
        head, tail = whole.value, part.value[1:]
        if "T" in tail and "T" in head:
            tail = tail[1:]  # PT5H + PT30M -> PT5H30M
        return _Result("DURATION", head + tail)
    if decade_years and unit in ("DE", "CE"):  # "two decades": P20Y
        scale = 10 if unit == "DE" else 100
        return _Result("DURATION", "PXY" if n is None else f"P{n * scale:g}Y")
    amount = "X" if n is None else str(n)
    if unit in _TIME_UNIT:
        return _Result("DURATION", f"PT{amount}{_TIME_UNIT[unit]}")
    if unit == "H":
        return _Result("DURATION", "P6M" if n == 1 else f"P{amount}H")
    if unit not in _DURATION_UNIT:
        return None
    return _Result("DURATION", f"P{amount}{_DURATION_UNIT[unit]}")


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


def _anaphoric_ref(state: _State, unit: str) -> dt.date | None:
    """Reference of an anaphoric expression ("the following year", "that day", "three days later"):
    the last date mentioned when it is at least as fine as the unit, else the reference date."""
    if state.last is None or state.last_granularity is None:
        return state.ref
    need = _GRANULARITY_RANK.get(_GRANULARITY.get(unit, "day"), 1)
    if _GRANULARITY_RANK.get(state.last_granularity, 9) <= need:
        return state.last
    return state.ref


def _h_ago(groups: dict[str, str | None], g: Grammar, state: _State, sign: int = -1) -> _Result | None:
    unit = g.units.get(_norm(groups.get("unit") or ""))
    n = _lookup_num(g, groups.get("num")) if "num" in groups else 1  # "am Tag darauf": one day
    if unit is None:
        return None
    if n is None:
        return _Result("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
    if state.ref is None:
        return None
    ref = state.ref
    if groups.get("anaphor") and not (unit == "Y" and state.quarter):
        ref = _anaphoric_ref(state, unit) or ref
    if unit == "Y" and n == 1 and sign < 0 and state.quarter and state.anchor is not None:
        return _Result("DATE", _year_before_quarter(state.quarter))
    if unit in _TIME_UNIT:
        return _Result("DATE", ref.isoformat())
    if unit == "D":
        return _Result("DATE", (ref + dt.timedelta(days=sign * n)).isoformat())
    if unit in ("DE", "CE"):  # "a decade ago": the year ten years back
        return _Result("DATE", f"{ref.year + sign * n * (10 if unit == 'DE' else 100):04d}")
    shifted = _shifted(unit, ref, sign * n)
    return _Result("DATE", shifted[0]) if shifted else None


def _year_before_quarter(quarter: str) -> str:
    """ "1989-Q3" -> "1988-Q3": results compared with "a year ago" in a quarterly report."""
    return f"{int(quarter[:4]) - 1:04d}{quarter[4:]}"


def _h_yearago(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    """ "the year-ago quarter", "year-earlier": the same period a year before the one discussed."""
    n = g.ordinals.get(_norm(groups.get("ordinal") or "")) if groups.get("ordinal") else None
    if state.ref is None:
        return None
    if n and 1 <= n <= 4:
        return _Result("DATE", f"{state.ref.year - 1:04d}-Q{n}")
    if state.quarter:
        return _Result("DATE", _year_before_quarter(state.quarter))
    return _Result("DATE", f"{state.ref.year - 1:04d}")


def _h_later(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    return _h_ago(groups, g, state, sign=1)


def _h_weekord(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    n = g.ordinals.get(_norm(groups.get("ordinal") or ""))
    if not n or not groups.get("month"):
        return None
    month = g.months.get(_norm(groups.get("month") or ""))
    if month is None:
        return None
    year = _infer_year(state, month)
    if year is None:
        return None
    day = dt.date(year, month, 1) + dt.timedelta(weeks=n - 1)
    return _Result("DATE", _week_value(day))


def _h_weekend(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    ref = state.ref
    if ref is None or state.ref_granularity not in ("day", "time"):
        return _Result("DATE", "XXXX-WXX-WE")
    if ref.isoweekday() >= 5 or state.direction > 0:
        return _Result("DATE", _week_value(ref) + "-WE")
    return _Result("DATE", _week_value(ref - dt.timedelta(weeks=1)) + "-WE")


def _h_holiday(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    code = g.holidays.get(_norm(groups.get("holiday") or ""))
    if code is None:
        return None
    day_in: Callable[[int], dt.date] | None = None
    if code.startswith("easter"):
        offset = int(code[6:])

        def day_in(year: int) -> dt.date:
            return _easter(year) + dt.timedelta(days=offset)

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
    year = int(groups.get("year") or 0) if groups.get("year") else _infer_year(state, month, near)
    if year is None:
        return _Result("DATE", f"XXXX-{month:02d}-{mday:02d}" if mday else "XXXX-XX-XX")
    if day_in is not None:
        return _Result("DATE", day_in(year).isoformat())
    value = date_value(year, month, mday)
    return _Result("DATE", value) if value else None


def _nth_weekday(year: int, *, month: int, weekday: int, nth: int) -> dt.date:
    """The nth (1-5, or -1 for the last) ISO weekday of a month: Thanksgiving, Muttertag."""
    if nth < 0:
        last = _month_end(year, month)
        return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))


def _h_spoken_year(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    """Years in words: "nineteen ninety-six" (1996), "the year two thousand" (2000)."""
    parts = re.split(r"[- ]+", _norm(groups.get("syyear") or ""))
    rest = sum(g.numbers.get(p, 0) for p in parts if p)
    year = (
        2000 + rest
        if groups.get("sythousand")
        else g.numbers.get(_norm(groups.get("sycentury") or ""), 0) * 100 + rest
    )
    if not 1000 <= year <= 2099:
        return None
    month = g.months.get(_norm(groups.get("month") or "")) if groups.get("month") else None
    code = g.seasons.get(_norm(groups.get("season") or "")) if groups.get("season") else None
    return _Result("DATE", f"{year:04d}-{code}" if code else date_value(year, month) or f"{year:04d}")


def _h_era(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    """Years with an era: "490 v. Chr." is BC0490, "9 n. Chr." is 0009."""
    year = int(groups.get("bcyear") or 0)
    if _norm(groups.get("era") or "")[:1] == "v":
        return _Result("DATE", f"BC{year:04d}") if year else None
    value = date_value(year)
    return _Result("DATE", value) if value else None


def _h_ref(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    value = g.references.get(_norm(groups.get("ref") or ""))
    return _Result("DATE", value) if value else None


def _h_vague(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    value = g.vague_durations.get(_norm(groups.get("vague") or ""))
    return _Result("DURATION", value) if value else None


def _h_duration(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    unit = g.units.get(_norm(groups.get("unit") or ""))
    if unit is None:
        return None
    n: int | float | None
    if groups.get("numstem"):
        stem = g.adjective_number_stems.get(_norm(groups.get("numstem") or ""))
        if stem is None:
            return None
        return _duration(unit, None if stem == "X" else int(stem), g.decade_duration_years)
    if "num" not in groups:  # "the year ended March 31", "day-long": one unit; "decades-long": some
        plural = _norm(groups.get("unit") or "") in g.plural_units
        return _duration(unit, None if plural else 1, g.decade_duration_years)
    num_form = _norm(groups.get("num") or "")
    fraction = re.fullmatch(r"(\d+) ([1-3])/([2-4])", num_form)  # "5 1/2 hours"
    if fraction:
        n = int(fraction.group(1)) + int(fraction.group(2)) / int(fraction.group(3))
    elif num_form.replace(",", "").replace(".", "").isdigit():
        n = float(num_form.replace(",", "."))
        n = int(n) if n == int(n) else n
    else:
        n = g.numbers.get(num_form)
    if n is None and num_form not in g.vague_numbers:
        return None
    result = _duration(unit, n, g.decade_duration_years)
    if result and groups.get("mod"):
        result = _Result(result.type, result.value, _mod_of(g, groups))
    return result


def _h_set(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    if groups.get("set"):
        value = g.sets.get(_norm(groups.get("set") or ""))
        return _Result("SET", value) if value else None
    if groups.get("month"):  # "each July"
        return _Result("SET", f"XXXX-{g.months[_norm(groups.get('month') or '')]:02d}")
    if groups.get("setseason"):  # "every summer"
        return _Result("SET", f"XXXX-{g.seasons[_norm(groups.get('setseason') or '')]}")
    wd = g.weekdays.get(_norm(groups.get("weekday") or groups.get("weekday_s") or ""))
    return _Result("SET", f"XXXX-WXX-{wd}") if wd else None


def _h_ordday(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    """ "the second day of the offensive": in news the day reported on (TempEval-3), else unknown."""
    return _Result("DATE", state.anchor.isoformat() if state.anchor else "XXXX-XX-XX")


def _clock_day(state: _State) -> str:
    day = state.day_in_sentence or state.anchor
    return day.isoformat() if day else "XXXX-XX-XX"


def _h_time(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    if groups.get("clockword"):  # "noon Thursday", "midnight": a clock time named by a word
        clock = g.clock_words.get(_norm(groups.get("clockword") or ""))
        if clock is None:
            return None
        return _Result("TIME", f"{_explicit_day(groups, g, state) or _clock_day(state)}T{clock}")
    hour = _lookup_num(g, groups.get("hour"))
    if hour is None:
        return None
    minute = int(groups.get("minute") or 0) if groups.get("minute") else 0
    pod = _pod_code(g, groups.get("pod"))
    if groups.get("ampm"):
        pm = (groups.get("ampm") or "").lower().startswith("p")
        if hour > 12:
            return None
        hour = hour % 12 + (12 if pm else 0)
    elif pod in ("AF", "EV", "NI") and hour < 12:
        hour += 12
    if hour > 24:
        return None
    return _Result("TIME", f"{_explicit_day(groups, g, state) or _clock_day(state)}T{hour:02d}:{minute:02d}")


def _explicit_day(groups: dict[str, str | None], g: Grammar, state: _State) -> str | None:
    """The day written after a clock time ("10 p.m. Wednesday", "5 p.m. EST Nov. 9", "noon today")."""
    if groups.get("weekday"):
        result = _h_weekday({"weekday": groups.get("weekday")}, g, state)
    elif groups.get("relday"):
        result = _h_relday({"relday": groups.get("relday")}, g, state)
    elif groups.get("month") and groups.get("day"):
        result = _h_date({"month": groups.get("month"), "day": groups.get("day")}, g, state)
    else:
        return None
    return result.value[:10] if result and result.value[:1].isdigit() else None


def _h_pod(groups: dict[str, str | None], g: Grammar, state: _State) -> _Result | None:
    pod = _pod_code(g, groups.get("pod"))
    if pod is None:
        return None
    # "Beide traten dann am Nachmittag die Reise an": the day of this or the sentence before
    # (not for clock times: listings give each entry a sentence of its own, on the page's day)
    day = state.day_in_sentence or state.day_before
    return _Result("TIME", f"{day.isoformat() if day else _clock_day(state)}T{pod}")


_Handler = Callable[[dict[str, "str | None"], Grammar, _State], "_Result | None"]
_HANDLERS: dict[str, _Handler] = {
    "date": _h_date,
    "decade": _h_decade,
    "century": _h_century,
    "quarter": _h_quarter,
    "half": _h_half,
    "season": _h_season,
    "relday": _h_relday,
    "weekday": _h_weekday,
    "relperiod": _h_relperiod,
    "ago": _h_ago,
    "later": _h_later,
    "yearago": _h_yearago,
    "weekord": _h_weekord,
    "weekend": _h_weekend,
    "holiday": _h_holiday,
    "ref": _h_ref,
    "era": _h_era,
    "spoken_year": _h_spoken_year,
    "vague": _h_vague,
    "duration": _h_duration,
    "set": _h_set,
    "ordday": _h_ordday,
    "time": _h_time,
    "pod": _h_pod,
}


def _past_perfect_near(text: str, start: int, end: int, sent: tuple[int, int], g: Grammar) -> bool:
    """A past perfect around a deadline makes it past: "had filed reports by Wednesday"."""
    around = text[max(sent[0], start - g.cue_window) : min(sent[1], end + g.cue_window)].lower()
    return any(w in g.past_perfect_cues for w in re.findall(r"[^\W\d_]+", around))


def _direction(
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


def _windows(text: str, g: Grammar) -> list[tuple[int, int]]:
    """Regions worth scanning: runs of text around temporal triggers, cut at whitespace.

    A match never reaches further than ``_WINDOW`` characters from the trigger it contains, so
    scanning only these regions finds the same matches as scanning the whole text.
    """
    windows: list[tuple[int, int]] = []
    n = len(text)
    lowered = text.lower()  # the trigger regex is lower case: much faster than IGNORECASE
    if len(lowered) != n:  # a letter whose lower case is longer ("İ"): offsets would shift
        lowered = "".join(ch.lower()[:1] or ch for ch in text)
    for m in g.trigger.finditer(lowered):
        lo, hi = m.start() - _WINDOW, m.end() + _WINDOW
        if windows and lo <= windows[-1][1]:
            if hi > windows[-1][1]:
                windows[-1] = (windows[-1][0], hi)
            continue
        windows.append((lo, hi))
    out: list[tuple[int, int]] = []
    for lo, hi in windows:
        if lo <= 0:
            lo = 0
        else:
            space = text.rfind(" ", 0, lo)
            lo = max(space, text.rfind("\n", 0, lo)) + 1
        if hi >= n:
            hi = n
        else:
            ends = [i for i in (text.find(" ", hi), text.find("\n", hi)) if i >= 0]
            hi = min(ends) if ends else n
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        else:
            out.append((lo, hi))
    return out


_RULE_START = re.compile(r"\b\w|(?<!\w)\W")  # rules begin with (?<!\w)


def _candidates(text: str, g: Grammar) -> list[tuple[int, int, _Rule, re.Match[str]]]:
    """Longest-match-wins selection of non-overlapping rule matches, in text order."""
    found: list[tuple[int, int, int, _Rule, re.Match[str]]] = []
    windows = _windows(text, g)
    # positions not after a word character (where a rule can start), by their first characters
    by_key: dict[str, list[int]] = {}
    other: list[int] = []  # too close to a window's end, or not ASCII: tried by every rule
    window_end: dict[int, int] = {}
    for ws, we in windows:
        for start in _RULE_START.finditer(text, ws, we):
            p = start.start()
            window_end[p] = we
            key = text[p : p + _KEY].lower()
            if p + _KEY <= we and len(key) == _KEY and key.isascii():
                by_key.setdefault(key, []).append(p)
            else:
                other.append(p)
    for prio, rule in enumerate(g.rules):
        if rule.start_keys is None:
            for ws, we in windows:
                for m in rule.regex.finditer(text, ws, we):
                    if m.end() > m.start():
                        found.append((m.start(), m.end(), prio, rule, m))
            continue
        # the same matches as ``finditer`` on each window: a search from the end of the last match
        # finds the first position where the rule matches, and that is among these (windows are
        # disjoint and in order; a rule with ``start_keys`` never matches the empty string)
        positions = list(other)
        for key in rule.start_keys & by_key.keys():
            positions += by_key[key]
        positions.sort()
        match = rule.regex.match
        pos = 0
        for p in positions:
            if p < pos:
                continue
            hit = match(text, p, window_end[p])
            if hit is not None:
                found.append((p, hit.end(), prio, rule, hit))
                pos = hit.end()
    found.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    taken = bytearray(len(text))
    chosen: list[tuple[int, int, _Rule, re.Match[str]]] = []
    for s, e, _prio, rule, m in found:
        if any(taken[s:e]) or not _accept(rule, m, text, g):
            continue
        taken[s:e] = b"\x01" * (e - s)
        chosen.append((s, e, rule, m))
    chosen.sort(key=lambda c: c[0])
    return chosen


def _strip_span(text: str, s: int, e: int, rule: _Rule, g: Grammar) -> int:
    """Leave a signal preposition out of a vague duration's span ("seit Jahren" -> "Jahren")."""
    if rule.kind != "vague":
        return s
    head, _, rest = text[s:e].partition(" ")
    if head.lower() in g.vague_duration_strip and _norm(rest) in g.units:
        return s + len(head) + 1
    return s


def tag_text(
    text: str,
    *,
    grammar: Grammar,
    anchor: dt.date | None = None,
    sentences: list[tuple[int, int]] | None = None,
) -> list[Timex]:
    """Find and normalise the temporal expressions of ``text`` (the core of ``extract_timexes``).

    ``sentences`` are (start, end) character spans; tense cues and clock times look only inside
    the expression's sentence. Without them, lines are sentences.
    """
    if sentences is None:
        sentences = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)] or [(0, len(text))]
    starts = [s for s, _ in sentences]
    state = _State(anchor=anchor, ref=anchor, ref_granularity="day" if anchor else None)
    out: list[Timex] = []
    current_sentence = -1
    for s, e, rule, m in _candidates(text, grammar):
        if rule.news_only and anchor is None:
            continue
        idx = max(bisect.bisect_right(starts, s) - 1, 0)
        if idx != current_sentence:
            state.day_before = state.day_in_sentence if idx == current_sentence + 1 else None
            current_sentence, state.day_in_sentence = idx, None
        state.direction = _direction(text, s, e, sentences[idx], grammar, rule.kind == "weekday")
        if (
            grammar.future_prepositions
            and _prev_word(text, s) in grammar.future_prepositions
            and not _past_perfect_near(text, s, e, sentences[idx], grammar)
        ):
            state.direction = 1  # "until 9 a.m. Tuesday": a deadline ahead (not "had ... by May")
        result = _normalise(rule.kind, m, grammar, state)
        if result is None:
            continue
        s = _strip_span(text, s, e, rule, grammar)
        if result.type in ("DATE", "TIME"):
            start, end, gran = value_interval(result.value, result.mod)
        else:
            start, end, gran = None, None, None
        out.append(Timex(s, e, text[s:e], result.type, result.value, result.mod, start, end, gran))
        if start is not None and gran in ("day", "time"):
            state.day_in_sentence = start
        if (
            gran == "quarter"
            and anchor is not None
            and (rule.kind == "relperiod" or (rule.kind == "quarter" and _names_quarter(m)))
        ):
            state.quarter = result.value  # not "the 1988 quarter": it took its quarter from the state
        if (
            start is not None
            and rule.kind != "time"
            and not (gran == "year" and _prev_word(text, s) in grammar.narrative_ref_skip_before)
        ):
            state.last, state.last_granularity = start, gran
            if anchor is None:
                state.ref, state.ref_granularity = start, gran
    return out


def _names_quarter(m: re.Match[str]) -> bool:
    groups = m.groupdict()
    return bool(groups.get("ordinal") or groups.get("quarter"))


def _as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def extract_timexes(doc: Doc, *, anchor: dt.date | None = None, lang: str | None = None) -> list[Timex]:
    """TIMEX3 expressions of a ``Doc`` (textacy-style: a pure function over the doc).

    ``anchor`` None means narrative mode; ``lang`` defaults to the doc's vocabulary language;
    a language without resources gives an empty list.
    """
    grammar = load_grammar(lang or doc.lang_)
    if grammar is None:
        return []
    sentences = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") else None
    return tag_text(doc_text(doc), grammar=grammar, anchor=_as_date(anchor), sentences=sentences)


class DateTagger:
    """spaCy component: sets ``doc._.timexes``; news mode anchors on ``doc._.published``."""

    def __init__(self, nlp: Language, name: str, *, mode: str = "news") -> None:
        if mode not in ("news", "narrative"):
            raise ValueError(f"kit_dates mode must be 'news' or 'narrative', not {mode!r}")
        register_extensions()
        self.name = name
        self.mode = mode
        self.lang = nlp.lang
        self.grammar = load_grammar(nlp.lang)  # compile once, at pipeline build time

    def __call__(self, doc: Doc) -> Doc:
        if self.grammar is None:
            doc._.timexes = []
            return doc
        anchor = _as_date(doc._.published) if self.mode == "news" else None
        doc._.timexes = extract_timexes(doc, anchor=anchor, lang=self.lang)
        return doc


@Language.factory("kit_dates", default_config={"mode": "news"})
def make_date_tagger(nlp: Language, name: str, mode: str) -> DateTagger:
    """Factory for ``nlp.add_pipe("kit_dates", config={"mode": "news"})``."""
    return DateTagger(nlp, name, mode=mode)

"""One language's date grammar: ``resources/<lang>/dates.yaml`` checked against its spec and compiled
once into lexicon lookups and rule regexes (with each rule's possible match starts)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kit.nlp.dates.index import start_keys_of, trigger_regex
from kit.nlp.dates.spec import DatesSpec
from kit.resources.spec import check, load_checked
from kit.settings import RESOURCES_DIR


def _invert(table: dict[Any, list[str]] | None) -> dict[str, Any]:
    """YAML lists forms under their value; lookups go from the (lower-case) form to the value."""
    return {str(form).lower(): key for key, forms in (table or {}).items() for form in forms}


def _alternation(forms: list[str]) -> str:
    """Longest forms first so "Jänner" is not cut to "Jän"; a space matches any whitespace run."""
    ordered = sorted({str(f).lower() for f in forms}, key=lambda f: (-len(f), f))  # same text every run
    return "(?:" + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in ordered) + ")"


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    regex: re.Pattern[str]
    context: bool
    news_only: bool = False  # a news convention (KRAUTS): skipped in narrative mode
    strict_only: bool = False  # the annotation scheme's reading: only with ``timeml_strict``
    # lower-cased ASCII starts of every match (see ``start_keys_of``); None: scan everywhere
    start_keys: frozenset[str] | None = None


@dataclass(frozen=True)
class Grammar:
    """One language's lexicon lookups and compiled rules (built once, shared by all docs)."""

    lang: str
    rules: tuple[Rule, ...]
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
    fractions: dict[str, float] = field(default_factory=dict)  # "anderthalb": 1.5
    decade_words: dict[str, int] = field(default_factory=dict)  # "achtziger": 8
    millennium_shifts: dict[str, int] = field(default_factory=dict)  # "neue": 0
    clock_fractions: dict[str, int] = field(default_factory=dict)  # "halb": -30 minutes
    spoken_afternoon_hours: frozenset[int] = frozenset()
    number_joiners: frozenset[str] = frozenset()  # "1920x1080": no year
    present_ref_cues: re.Pattern[str] | None = None  # "früher ... heute": nowadays
    present_ref_contrast_years: int = 0  # "In den neunziger Jahren ...; heute ...": nowadays
    strict_references: dict[str, str] = field(default_factory=dict)  # timeml_strict only
    strict_ago_duration: bool = False  # timeml_strict: "vor zwanzig Jahren" -> DURATION P20Y
    weekday_ahead_without_past: bool = False  # "Am Samstag spielt ...": a present-tense preview
    weekday_past_before: frozenset[str] = frozenset()  # "die Ergebnisse vom Freitag": not a preview
    two_digit_year_before: frozenset[str] = frozenset()  # "seit 89": 1989
    listing_min_clock_times: int = 5  # an events page: no clock time takes the day before
    listing_clock_times_per_sentence: float = 0.5


def _preterites(res: dict[str, Any]) -> list[str]:
    """Irregular preterites, also after an inseparable prefix ("gab" -> "ergaben"), as one pattern."""
    forms = res.get("preterite_forms", [])
    if not forms:
        return []
    prefixes = res.get("preterite_prefixes", [])
    head = "(?:" + "|".join(re.escape(p) for p in prefixes) + ")?" if prefixes else ""
    return ["(?-i:" + head + _alternation(forms) + ")"]


def norm_form(form: str) -> str:
    return re.sub(r"\s+", " ", form.strip().lower())


@functools.cache
def load_grammar(lang: str, resources_dir: Path = RESOURCES_DIR) -> Grammar | None:
    """Compile ``resources/<lang>/dates.yaml``; None for a language without resources."""
    path = resources_dir / lang / "dates.yaml"
    spec: DatesSpec | None
    if resources_dir == RESOURCES_DIR:
        spec = load_checked("dates", lang, DatesSpec)
    elif path.is_file():  # another resources folder (tests): the same check
        spec = check(yaml.safe_load(path.read_text(encoding="utf-8")) or {}, DatesSpec, source=str(path))
    else:
        spec = None
    if spec is None:
        return None
    res: dict[str, Any] = dict(spec)
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
        "set_weekday_suffix": _alternation(res["set_weekday_suffix"]),
        "approximator": _alternation(res["approximators"]) if res.get("approximators") else "(?!)",
        "holiday": _alternation([f for forms in res["holidays"].values() for f in forms]),
        "clock_word": _alternation([f for forms in (res.get("clock_words") or {}).values() for f in forms]),
        "adjective_unit": _alternation([f for forms in res["adjective_units"].values() for f in forms]),
        "fraction": _alternation(
            [f for forms in (res.get("fraction_numbers") or {}).values() for f in forms]
        ),
        "duration_adjective": _alternation(res.get("duration_adjectives") or []),
        "decade_word": _alternation([f for forms in (res.get("decade_words") or {}).values() for f in forms]),
        "millennium_shift": _alternation(
            [f for forms in (res.get("millennium_shifts") or {}).values() for f in forms]
        ),
        "clock_fraction": _alternation(
            [f for forms in (res.get("clock_fractions") or {}).values() for f in forms]
        ),
        "strict_reference": _alternation(
            [f for forms in (res.get("strict_references") or {}).values() for f in forms]
        ),
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
        Rule(
            name=r["name"],
            kind=r["kind"],
            regex=re.compile(pattern, re.IGNORECASE),
            context=bool(r.get("context", False)),
            news_only=bool(r.get("news_only", False)),
            strict_only=bool(r.get("strict_only", False)),
            start_keys=start_keys_of(pattern, re.IGNORECASE),
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
        vague_numbers=frozenset(norm_form(f) for f in res["vague_numbers"]),
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
        anaphoric_shifts=frozenset(norm_form(f) for f in res.get("anaphoric_shifts", [])),
        anaphoric_units=frozenset(res.get("anaphoric_units", [])),
        references={
            **_invert(res["references"]),
            **_invert(res.get("prefix_references")),
            **_invert(res.get("news_references")),
            **_invert(res.get("strict_references")),
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
                    *_preterites(res),
                    *(
                        ["(?-i:" + _alternation(res["reporting_verbs"]) + ")"]
                        if res.get("reporting_verbs")
                        else []
                    ),
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
        reported_period_shifts=frozenset(norm_form(f) for f in res.get("reported_period_shifts", [])),
        cue_window=int(res["cue_window"]),
        stop_phrases=frozenset(norm_form(p) for p in res["stop_phrases"]),
        approximators=frozenset(norm_form(a) for a in res.get("approximators", [])),
        rate_before=re.compile(res["rate_before"], re.IGNORECASE) if res.get("rate_before") else None,
        trigger=trigger_regex(res),
        day_pods=frozenset(res.get("day_pods_in_value", ("MO", "MI", "AF", "EV", "NI"))),
        decade_duration_years=bool(res.get("decade_duration_years", False)),
        fractions={k: float(v) for k, v in _invert(res.get("fraction_numbers")).items()},
        decade_words=_invert(res.get("decade_words")),
        millennium_shifts=_invert(res.get("millennium_shifts")),
        clock_fractions=_invert(res.get("clock_fractions")),
        spoken_afternoon_hours=frozenset(res.get("spoken_afternoon_hours", [])),
        number_joiners=frozenset(res.get("number_joiners", [])),
        present_ref_cues=(
            re.compile(r"(?<!\w)" + _alternation(res["present_ref_cues"]) + r"(?!\w)", re.IGNORECASE)
            if res.get("present_ref_cues")
            else None
        ),
        strict_references=_invert(res.get("strict_references")),
        present_ref_contrast_years=int(res.get("present_ref_contrast_years", 0)),
        strict_ago_duration=bool(res.get("strict_ago_duration", False)),
        weekday_ahead_without_past=bool(res.get("weekday_ahead_without_past", False)),
        weekday_past_before=frozenset(str(w).lower() for w in res.get("weekday_past_before", [])),
        two_digit_year_before=frozenset(str(w).lower() for w in res.get("two_digit_year_before", [])),
        listing_min_clock_times=int(res.get("listing_min_clock_times", 5)),
        listing_clock_times_per_sentence=float(res.get("listing_clock_times_per_sentence", 0.5)),
    )

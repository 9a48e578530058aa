"""The keys ``resources/<lang>/dates.yaml`` may hold, checked by ``kit.resources.spec`` when the
grammar loads: a misspelt key is an error naming the file and the key, never a rule switched off."""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

__all__ = ["DatesSpec", "ExampleSpec", "RuleKind", "RuleSpec"]

# One normaliser per kind (kit.nlp.dates.normalise.HANDLERS; a test checks both lists agree).
RuleKind = Literal[
    "date", "decade", "century", "quarter", "half", "season", "relday", "weekday", "relperiod", "ago",
    "later", "yearago", "weekord", "weekend", "holiday", "ref", "era", "spoken_year", "vague", "duration",
    "set", "ordday", "time", "pod",
]  # fmt: skip

Forms = dict[str, list[str]]  # a value (TIMEX3 code) and the words that say it
NumberForms = dict[int, list[str]]  # a number and the words that say it


class ExampleSpec(TypedDict):
    """A text the rule tags (run by tests/test_dates.py), HeidelTime-style: the span the rule must
    find and the value it normalises to against ``example_anchor`` (news mode)."""

    text: str
    span: str
    value: str


class RuleSpec(TypedDict):
    name: str
    kind: RuleKind
    pattern: str  # a regex; {macro} is a lexicon table as an alternation, a space any whitespace
    context: NotRequired[bool]  # needs a date-like word before or punctuation after ("im 1969.")
    news_only: NotRequired[bool]  # a news convention (KRAUTS), skipped in narrative mode
    strict_only: NotRequired[bool]  # the scheme's reading, only in timeml_strict mode
    triggers: NotRequired[list[str]]  # the rule's head words, when its literals should not trigger
    example: ExampleSpec  # every rule shows what it tags; a test runs each one


class DatesSpec(TypedDict):
    """Lexicon tables (forms under their value), context word lists, tense cues and the rules."""

    example_anchor: str  # the publication date the rules' examples are tagged against (ISO)
    months: NumberForms
    weekdays: NumberForms
    numbers: NumberForms
    vague_numbers: list[str]
    ordinals: NumberForms
    last_ordinal: list[str]
    seasons: Forms
    parts_of_day: Forms
    part_of_day_nouns: list[str]
    day_pods_in_value: NotRequired[list[str]]  # parts of day kept in a day's value ("Friday morning")
    units: Forms
    plural_units: list[str]
    adjective_units: Forms
    adjective_number_stems: dict[str | int, list[str]]
    modifiers: Forms
    shifts: NumberForms
    weekday_shifts: NotRequired[NumberForms]
    relative_days: NumberForms
    relative_periods: dict[str, list[str | int]]  # phrase: [unit, shift, (mod)]
    relative_day_pods: dict[str, list[str | int]]  # phrase: [day shift, part of day]
    anaphoric_shifts: NotRequired[list[str]]
    anaphoric_units: NotRequired[list[str]]
    reported_period_shifts: NotRequired[list[str]]
    duration_shifts: list[str]
    references: Forms
    news_references: NotRequired[Forms]
    prefix_references: NotRequired[Forms]
    vague_durations: Forms
    vague_duration_strip: NotRequired[list[str]]
    approximators: NotRequired[list[str]]
    sets: Forms
    set_weekday_prefix: list[str]
    set_weekday_suffix: list[str]
    clock_words: NotRequired[Forms]
    holidays: Forms
    date_context_before: list[str]
    year_context_before: NotRequired[list[str]]
    month_context_before: list[str]
    year_blocked_after: list[str]
    year_blocked_before: list[str]
    narrative_ref_skip_before: list[str]
    strong_year_context: list[str]
    future_cues: list[str]
    past_cues: list[str]
    past_tense_pattern: NotRequired[str]
    past_tense_exceptions: NotRequired[list[str]]
    preterite_forms: NotRequired[list[str]]  # irregular past forms: past cues for weekdays only
    reporting_verbs: NotRequired[list[str]]  # "sagt ... am Montag": past cues for weekdays
    preterite_prefixes: NotRequired[list[str]]  # ... also after these ("ergaben", "übernahm")
    listing_min_clock_times: NotRequired[int]  # an events page has at least this many clock times ...
    listing_clock_times_per_sentence: NotRequired[float]  # ... and this many per sentence
    two_digit_year_before: NotRequired[list[str]]  # "seit 89": a year after these only
    weekday_past_before: NotRequired[list[str]]  # "die Ergebnisse vom Freitag": no preview reading
    future_prepositions: NotRequired[list[str]]
    past_perfect_cues: NotRequired[list[str]]
    cue_window: int
    rate_before: NotRequired[str]
    decade_duration_years: NotRequired[bool]
    stop_phrases: list[str]
    fraction_numbers: NotRequired[dict[str, list[str]]]  # "anderthalb": 1.5 (durations)
    duration_adjectives: NotRequired[list[str]]  # between number and unit: "drei aufeinanderfolgende Wochen"
    decade_words: NotRequired[NumberForms]  # "achtziger": the 8 of the decade 198
    millennium_shifts: NotRequired[NumberForms]  # "das neue Jahrtausend": the current one (0)
    clock_fractions: NotRequired[NumberForms]  # minutes from the named hour: "halb" -30, "viertel nach" 15
    spoken_afternoon_hours: NotRequired[list[int]]  # "halb drei" without a part of the day is 14:30
    number_joiners: NotRequired[list[str]]  # "1920x1080": a number joined to another is no year
    present_ref_contrast_years: NotRequired[int]  # "heute" beside a date this far back: nowadays
    present_ref_cues: NotRequired[list[str]]  # a contrast with the past: "heute" means nowadays
    strict_references: NotRequired[Forms]  # tagged in timeml_strict mode only (dev sets leave them out)
    strict_ago_duration: NotRequired[bool]  # timeml_strict: "vor zwanzig Jahren" is the DURATION inside
    weekday_ahead_without_past: NotRequired[bool]  # a weekday in a sentence with no past form lies ahead
    not_triggers: NotRequired[list[str]]
    rules: list[RuleSpec]

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

Measured figures live in ``tests/eval_baseline.json`` (the CI gate) and the tables generated from
it in README.md and docs/dates.md; they are not repeated here, so they cannot drift.

The package, one concern per module: ``spec`` (the keys dates.yaml may hold), ``grammar`` (load,
check and compile it), ``index`` (the trigger pre-filter and each rule's possible match starts),
``tagger`` (candidates, longest match wins, left-to-right normalisation), ``state`` (what the
normaliser knows: reference date, tense), ``calendar`` and ``spans`` (one normaliser per rule
kind, dispatched by ``normalise``), ``values`` (TIMEX3 values and intervals) and ``component``
(the spaCy factory ``kit_dates``).
"""

from __future__ import annotations

from kit.nlp.dates.component import DateTagger, extract_timexes, make_date_tagger
from kit.nlp.dates.grammar import Grammar, load_grammar
from kit.nlp.dates.tagger import tag_text
from kit.nlp.dates.values import date_value, value_interval

__all__ = [
    "SUPPORTED_LANGUAGES",
    "DateTagger",
    "Grammar",
    "date_value",
    "extract_timexes",
    "load_grammar",
    "make_date_tagger",
    "tag_text",
    "value_interval",
]

SUPPORTED_LANGUAGES = ("de", "en")

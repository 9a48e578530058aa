"""From a rule's match to TIMEX3 type, value and mod: one normaliser per rule ``kind``."""

from __future__ import annotations

import re
from collections.abc import Callable

from kit.nlp.dates.calendar import (
    handle_century,
    handle_date,
    handle_decade,
    handle_era,
    handle_half,
    handle_holiday,
    handle_quarter,
    handle_relday,
    handle_relperiod,
    handle_season,
    handle_spoken_year,
    handle_weekday,
    handle_weekend,
    handle_weekord,
)
from kit.nlp.dates.grammar import Grammar
from kit.nlp.dates.spans import (
    handle_ago,
    handle_duration,
    handle_later,
    handle_ordday,
    handle_pod,
    handle_ref,
    handle_set,
    handle_time,
    handle_vague,
    handle_yearago,
)
from kit.nlp.dates.state import State
from kit.nlp.dates.values import Result

_Handler = Callable[[dict[str, "str | None"], Grammar, State], "Result | None"]


HANDLERS: dict[str, _Handler] = {
    "date": handle_date,
    "decade": handle_decade,
    "century": handle_century,
    "quarter": handle_quarter,
    "half": handle_half,
    "season": handle_season,
    "relday": handle_relday,
    "weekday": handle_weekday,
    "relperiod": handle_relperiod,
    "ago": handle_ago,
    "later": handle_later,
    "yearago": handle_yearago,
    "weekord": handle_weekord,
    "weekend": handle_weekend,
    "holiday": handle_holiday,
    "ref": handle_ref,
    "era": handle_era,
    "spoken_year": handle_spoken_year,
    "vague": handle_vague,
    "duration": handle_duration,
    "set": handle_set,
    "ordday": handle_ordday,
    "time": handle_time,
    "pod": handle_pod,
}


def normalise(kind: str, m: re.Match[str], g: Grammar, state: State) -> Result | None:
    """Turn one match into type/value/mod; None drops the match (e.g. impossible dates)."""
    handler = HANDLERS[kind]
    return handler(m.groupdict(), g, state)

"""Tagging a text: candidate matches (longest wins), lexical checks, then left-to-right normalisation
against the anchor or the last date mentioned."""

from __future__ import annotations

import bisect
import datetime as dt
import re

from kit.nlp.dates.grammar import Grammar, Rule, norm_form
from kit.nlp.dates.index import START_KEY_LENGTH, scan_windows
from kit.nlp.dates.normalise import normalise
from kit.nlp.dates.state import (
    State,
    next_word,
    past_in_sentence,
    past_perfect_near,
    prev_word,
    tense_direction,
)
from kit.nlp.dates.values import Result, value_interval
from kit.nlp.types import Timex


def _accept(rule: Rule, m: re.Match[str], text: str, g: Grammar) -> bool:
    """Lexical checks a regex cannot express cheaply: case, context words, year-like numbers."""
    groups = m.groupdict()
    norm = norm_form(m.group(0))
    head = next((a for a in g.approximators if norm.startswith(a + " ")), "")
    if norm in g.stop_phrases or (head and norm[len(head) + 1 :] in g.stop_phrases):
        return False  # also "more than a quarter (of the market)"
    for name in ("month", "weekday", "weekday_full", "holiday", "weekday_s"):
        form = groups.get(name)
        if name == "weekday_s" and g.lang == "de":
            continue  # the German adverb is lower case: "freitags abends"
        if form and not any(w[:1].isupper() or w[:1].isdigit() for w in form.split()):
            return False  # "am zweiten Weihnachtstag": one capitalised word is enough
    rel = groups.get("relday")
    if rel and rel.lower() == "morgen" and rel[0].isupper():
        before = text[: m.start()].rstrip()
        if before and before[-1] not in '.!?:"„“':
            return False  # "am Morgen": the morning, not tomorrow
    s = m.start()
    if s >= 2 and text[s - 1] in ".,:/" and text[s - 2].isdigit():
        return False  # part of a longer number ("1.969", "3/2024")
    if g.number_joiners and m.group(0)[:1].isdigit() and _joined_number(text, s, m.end(), g):
        return False  # "1920*1080", "1280x720": a screen resolution, not years
    if (
        g.rate_before is not None
        and rule.kind == "duration"
        and norm_form(groups.get("num") or "") in ("a", "an")
        and g.rate_before.search(text, max(0, s - 40), s)
    ):
        return False  # "$2 million a year": a rate, not a duration
    if groups.get("year2") is not None and not _two_digit_year(m, text, g):
        return False
    year = groups.get("year")
    if year and m.group(0) == year:
        prev = prev_word(text, s)
        nxt = next_word(text, m.end()).lower().strip(".,;:!?)\"'")
        if prev in g.year_blocked_before or nxt in g.year_blocked_after:
            return False
    if not rule.context:
        return True
    prev = prev_word(text, s)
    nxt = next_word(text, m.end())
    if (
        year
        and g.lang == "de"
        and nxt[:1].isupper()
        and prev not in g.strong_year_context
        and norm_form(nxt.strip(".,;:")) not in g.months
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


def _two_digit_year(m: re.Match[str], text: str, g: Grammar) -> bool:
    """ "seit 89", "Jahrgang 64": only after the listed words, and not a count ("seit 89 Tagen")."""
    if prev_word(text, m.start()) not in g.two_digit_year_before:
        return False
    nxt = next_word(text, m.end())
    word = nxt.lower().strip(".,;:!?)\"'")
    return not (nxt[:1].isupper() or nxt[:1].isdigit() or word in g.year_blocked_after or word in g.units)


def _joined_number(text: str, s: int, e: int, g: Grammar) -> bool:
    before = text[max(0, s - 2) : s].strip()
    after = text[e : e + 2].strip()
    return bool(
        (before[-1:] in g.number_joiners and text[max(0, s - 3) : s].strip()[:1].isdigit())
        or (after[:1] in g.number_joiners and after[1:2].isdigit())
    )


_RULE_START = re.compile(r"\b\w|(?<!\w)\W")  # rules begin with (?<!\w)


def candidates(
    text: str, g: Grammar, timeml_strict: bool = False
) -> list[tuple[int, int, Rule, re.Match[str]]]:
    """Longest-match-wins selection of non-overlapping rule matches, in text order (rules marked
    ``strict_only`` only with ``timeml_strict``)."""
    found: list[tuple[int, int, int, Rule, re.Match[str]]] = []
    windows = scan_windows(text, g)
    # positions not after a word character (where a rule can start), by their first characters
    by_key: dict[str, list[int]] = {}
    other: list[int] = []  # too close to a window's end, or not ASCII: tried by every rule
    window_end: dict[int, int] = {}
    for ws, we in windows:
        for start in _RULE_START.finditer(text, ws, we):
            p = start.start()
            window_end[p] = we
            key = text[p : p + START_KEY_LENGTH].lower()
            if p + START_KEY_LENGTH <= we and len(key) == START_KEY_LENGTH and key.isascii():
                by_key.setdefault(key, []).append(p)
            else:
                other.append(p)
    for prio, rule in enumerate(g.rules):
        if rule.strict_only and not timeml_strict:
            continue
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
    chosen: list[tuple[int, int, Rule, re.Match[str]]] = []
    for s, e, _prio, rule, m in found:
        if any(taken[s:e]) or not _accept(rule, m, text, g):
            continue
        taken[s:e] = b"\x01" * (e - s)
        chosen.append((s, e, rule, m))
    chosen.sort(key=lambda c: c[0])
    return chosen


def _strip_span(text: str, s: int, e: int, rule: Rule, g: Grammar) -> int:
    """Leave a signal preposition out of a vague duration's span ("seit Jahren" -> "Jahren")."""
    if rule.kind != "vague":
        return s
    head, _, rest = text[s:e].partition(" ")
    if head.lower() in g.vague_duration_strip and norm_form(rest) in g.units:
        return s + len(head) + 1
    return s


def tag_text(
    text: str,
    *,
    grammar: Grammar,
    anchor: dt.date | None = None,
    sentences: list[tuple[int, int]] | None = None,
    timeml_strict: bool = False,
) -> list[Timex]:
    """Find and normalise the temporal expressions of ``text`` (the core of ``extract_timexes``).

    ``sentences`` are (start, end) character spans; tense cues and clock times look only inside
    the expression's sentence. Without them, lines are sentences. ``timeml_strict`` follows the
    annotation scheme where the kit departs from it for readers (docs/dates.md): "vor zwanzig
    Jahren" is the DURATION "zwanzig Jahren", and the references the dev sets leave out are tagged.
    """
    if sentences is None:
        sentences = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)] or [(0, len(text))]
    starts = [s for s, _ in sentences]
    state = State(anchor=anchor, ref=anchor, ref_granularity="day" if anchor else None)
    out: list[Timex] = []
    current_sentence = -1
    found = candidates(text, grammar, timeml_strict)
    state.listing = _listing(found, len(sentences), grammar)
    for s, e, rule, m in found:
        if rule.news_only and anchor is None:
            continue
        if timeml_strict and rule.kind == "ago" and grammar.strict_ago_duration and m.groupdict().get("num"):
            duration = normalise("duration", m, grammar, state)
            if duration is not None:  # the scheme's reading: the duration inside, "vor" a signal
                s = m.start("num")
                out.append(Timex(s, e, text[s:e], duration.type, duration.value, None, None, None, None))
                continue
        idx = max(bisect.bisect_right(starts, s) - 1, 0)
        if idx != current_sentence:
            state.day_before = state.day_in_sentence if idx == current_sentence + 1 else None
            current_sentence, state.day_in_sentence = idx, None
        state.direction = tense_direction(text, s, e, sentences[idx], grammar, rule.kind == "weekday")
        if (
            grammar.future_prepositions
            and prev_word(text, s) in grammar.future_prepositions
            and not past_perfect_near(text, s, e, sentences[idx], grammar)
        ):
            state.direction = 1  # "until 9 a.m. Tuesday": a deadline ahead (not "had ... by May")
        if (
            rule.kind == "weekday"
            and state.direction == 0
            and anchor is not None
            and grammar.weekday_ahead_without_past
            and not past_in_sentence(text, s, e, sentences[idx], grammar)
            and not _past_attribute(text, s, e, grammar)
        ):
            state.direction = 1  # "Am Samstag spielt die Mannschaft in Wien": a preview, the coming day
        result = normalise(rule.kind, m, grammar, state)
        if result is None:
            continue
        if (
            rule.kind == "relday"
            and anchor is not None
            and result.type == "DATE"
            and result.value == anchor.isoformat()
            and _nowadays(text, sentences, idx, grammar)
        ):
            result = Result("DATE", "PRESENT_REF")  # "Früher schrieb man Briefe, heute ...": nowadays
        s = _strip_span(text, s, e, rule, grammar)
        if result.type in ("DATE", "TIME"):
            start, end, gran = value_interval(result.value, result.mod)
        else:
            start, end, gran = None, None, None
        out.append(Timex(s, e, text[s:e], result.type, result.value, result.mod, start, end, gran))
        if start is not None and gran in ("day", "time"):
            state.day_in_sentence = start
        elif start is not None:
            state.day_before = None  # "Am Montag ... Im März beginnt um 8 Uhr": another date intervenes
        if (
            gran == "quarter"
            and anchor is not None
            and (rule.kind == "relperiod" or (rule.kind == "quarter" and _names_quarter(m)))
        ):
            state.quarter = result.value  # not "the 1988 quarter": it took its quarter from the state
        if (
            start is not None
            and rule.kind != "time"
            and not (gran == "year" and prev_word(text, s) in grammar.narrative_ref_skip_before)
        ):
            state.last, state.last_granularity = start, gran
            if anchor is None:
                state.ref, state.ref_granularity = start, gran
    if anchor is not None and grammar.present_ref_contrast_years:
        out = _generic_today(out, sentences, starts, anchor, grammar)
    return out


def _generic_today(
    out: list[Timex], sentences: list[tuple[int, int]], starts: list[int], anchor: dt.date, g: Grammar
) -> list[Timex]:
    """ "heute" beside a habit or a date decades back in its sentence ("In den neunziger Jahren zogen
    viele weg; zweimal im Jahr kommen sie heute zu Besuch"): nowadays, not the publication day."""
    today = anchor.isoformat()
    by_sentence: dict[int, list[Timex]] = {}
    for t in out:
        by_sentence.setdefault(bisect.bisect_right(starts, t.start_char) - 1, []).append(t)
    limit = anchor.replace(year=anchor.year - g.present_ref_contrast_years, day=min(anchor.day, 28))
    result: list[Timex] = []
    for t in out:
        if t.value == today and g.relative_days.get(norm_form(t.text)) == 0:
            others = by_sentence.get(bisect.bisect_right(starts, t.start_char) - 1, [])
            if any(o.type == "SET" or (o.end is not None and o.end < limit) for o in others):
                t = t._replace(value="PRESENT_REF", start=None, end=None, granularity=None)
        result.append(t)
    return result


def _listing(found: list[tuple[int, int, Rule, re.Match[str]]], n_sentences: int, g: Grammar) -> bool:
    """An events page (a clock time in every other sentence): each entry is on the page's day, so
    no clock time takes the day of the sentence before."""
    n_clock = sum(1 for c in found if c[2].kind == "time")
    return (
        n_clock >= g.listing_min_clock_times and n_clock >= g.listing_clock_times_per_sentence * n_sentences
    )


def _past_attribute(text: str, s: int, e: int, g: Grammar) -> bool:
    """ "die Ergebnisse vom Freitag": a past event's day (not "von Freitag bis Sonntag")."""
    if prev_word(text, s) not in g.weekday_past_before:
        return False
    return next_word(text, e).lower().strip(".,;:") not in g.future_cues


def _nowadays(text: str, sentences: list[tuple[int, int]], idx: int, g: Grammar) -> bool:
    """ "heute" contrasted with the past in its sentence ("früher", "noch vor zwanzig Jahren",
    "heutzutage"): a generic statement about the present, not the day of an event."""
    if g.present_ref_cues is None:
        return False
    start, end = sentences[idx]
    return g.present_ref_cues.search(text, start, end) is not None


def _names_quarter(m: re.Match[str]) -> bool:
    groups = m.groupdict()
    return bool(groups.get("ordinal") or groups.get("quarter"))

"""The kit's TIMEX3 tagger (kit.nlp.dates) on the sample article and on each construction it
promises, in German and English, plus the negatives that dateparser gets wrong."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

import kit.nlp.dates  # noqa: F401  (registers the factory)
from kit.nlp.dates import date_value, extract_timexes, value_interval
from kit.nlp.types import Timex

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "articles" / "000_091a1b5a2f54d084.txt"
ANCHOR = dt.date(2024, 10, 25)


@pytest.fixture(scope="module")
def nlp_de() -> spacy.language.Language:
    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kit_dates")
    return nlp


@pytest.fixture(scope="module")
def nlp_en() -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kit_dates")
    return nlp


def tag(nlp: spacy.language.Language, text: str, anchor: dt.date | None = ANCHOR) -> list[Timex]:
    doc = nlp.make_doc(text)
    doc._.published = anchor
    for _, component in nlp.pipeline:
        doc = component(doc)
    return list(doc._.timexes)


def find(timexes: list[Timex], text: str) -> Timex:
    hits = [t for t in timexes if text in t.text]
    assert hits, f"{text!r} not tagged; got {[t.text for t in timexes]}"
    return hits[0]


# --- the sample article ---------------------------------------------------------------------


def test_sample_article(nlp_de: spacy.language.Language) -> None:
    timexes = tag(nlp_de, SAMPLE.read_text(encoding="utf-8"))
    first = find(timexes, "25. Oktober, 2024")
    assert (first.type, first.value, first.start, first.end) == ("DATE", "2024-10-25", ANCHOR, ANCHOR)
    end_2022 = find(timexes, "Ende 2022")
    assert (end_2022.value, end_2022.mod) == ("2022", "END")
    assert (end_2022.start, end_2022.end) == (dt.date(2022, 10, 1), dt.date(2022, 12, 31))
    assert find(timexes, "vor zwei Jahren").value == "2022"
    assert find(timexes, "dieses Jahr").value == "2024"
    assert find(timexes, "Februar 2022").value == "2022-02"
    november = find(timexes, "November")
    assert (november.value, november.granularity) == ("2024-11", "month")
    seit = find(timexes, "langem")
    assert (seit.type, seit.value) == ("DURATION", "PXY")
    aktuell = find(timexes, "aktuell")
    assert (aktuell.type, aktuell.value, aktuell.start) == ("DATE", "PRESENT_REF", None)


# --- German constructions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expression", "type_", "value", "mod"),
    [
        ("Am Montagabend kam es zum Streit.", "Montagabend", "TIME", "2024-10-21TEV", None),
        ("Anfang der 90er Jahre war alles anders.", "Anfang der 90er Jahre", "DATE", "199", "START"),
        ("Mitte März beginnt der Umbau.", "Mitte März", "DATE", "2025-03", "MID"),
        ("Der Umsatz stieg im dritten Quartal.", "dritten Quartal", "DATE", "2024-Q3", None),
        (
            "Das Ziel soll binnen eines Jahrzehnts erreicht werden.",
            "eines Jahrzehnts",
            "DURATION",
            "P1DE",
            None,
        ),
        ("Er wurde am 5. August 1930 geboren.", "5. August 1930", "DATE", "1930-08-05", None),
        ("Im Jahr 1969 landeten sie auf dem Mond.", "1969", "DATE", "1969", None),
        ("Heute tagt der Rat.", "Heute", "DATE", "2024-10-25", None),
        ("Gestern tagte der Rat.", "Gestern", "DATE", "2024-10-24", None),
        ("Nächste Woche tagt der Rat.", "Nächste Woche", "DATE", "2024-W44", None),
        ("Er lebt seit 2019 in Wien.", "2019", "DATE", "2019", None),
        ("Die Reise dauert zwei Wochen.", "zwei Wochen", "DURATION", "P2W", None),
        ("Der Markt findet jeden Montag statt.", "jeden Montag", "SET", "XXXX-WXX-1", None),
        ("Mitte der 1990er wuchs die Stadt.", "Mitte der 1990er", "DATE", "199", "MID"),
        ("Anfang 2023 wurde gebaut.", "Anfang 2023", "DATE", "2023", "START"),
        ("Im Sommer 2021 war es heiß.", "Sommer 2021", "DATE", "2021-SU", None),
        ("Am Wochenende wird gewählt.", "Wochenende", "DATE", "2024-W43-WE", None),
        ("Am Dienstag, 3. März, tagt der Rat.", "Dienstag, 3. März", "DATE", "2025-03-03", None),
        ("Stichtag ist 2024-10-25.", "2024-10-25", "DATE", "2024-10-25", None),
        ("Stichtag ist der 25.10.2024.", "25.10.2024", "DATE", "2024-10-25", None),
        ("Im Oktober 2024 fiel die Entscheidung.", "Oktober 2024", "DATE", "2024-10", None),
        ("Derzeit ist unklar, wie es weitergeht.", "Derzeit", "DATE", "PRESENT_REF", None),
        ("Früher war das anders.", "Früher", "DATE", "PAST_REF", None),
        ("Bald gilt eine neue Regel.", "Bald", "DATE", "FUTURE_REF", None),
        ("Die Gebühr wird jährlich fällig.", "jährlich", "SET", "P1Y", None),
        ("Der Bau begann im vergangenen Jahr.", "vergangenen Jahr", "DATE", "2023", None),
    ],
)
def test_german_constructions(
    nlp_de: spacy.language.Language, text: str, expression: str, type_: str, value: str, mod: str | None
) -> None:
    t = find(tag(nlp_de, text), expression)
    assert (t.type, t.value, t.mod) == (type_, value, mod)
    if t.start is not None:
        assert t.end is not None and t.start <= t.end


# --- German: anaphora, KRAUTS conventions, holidays ---------------------------------------


def test_anaphoric_shifts_refer_to_the_last_date(nlp_de: spacy.language.Language) -> None:
    text = (
        "Am 3. Mai 2019 wurde der Vertrag unterzeichnet, am Tag darauf trat er in Kraft. "
        "Im folgenden Jahr wurde er verlängert, im August desselben Jahres gekündigt."
    )
    values = {t.text: t.value for t in tag(nlp_de, text)}
    assert values["Tag darauf"] == "2019-05-04"
    assert values["folgenden Jahr"] == "2020"
    assert values["August desselben Jahres"] == "2020-08"


def test_deictic_shifts_stay_on_the_document_date(nlp_de: spacy.language.Language) -> None:
    text = "Am 3. Mai 2019 wurde der Vertrag unterzeichnet. Im nächsten Jahr soll er verlängert werden."
    assert find(tag(nlp_de, text), "nächsten Jahr").value == "2025"


def test_krauts_past_references(nlp_de: spacy.language.Language) -> None:
    text = "Der Ex-Präsident und der ehemalige Minister sprachen. Künftig soll alles anders werden."
    timexes = tag(nlp_de, text)
    assert [(t.text, t.value) for t in timexes] == [("Ex", "PAST_REF"), ("ehemalige", "PAST_REF")]
    assert tag(nlp_de, "Der ehemalige Minister sprach.", anchor=None) == []  # narratives (WikiWarsDE): no


def test_nth_weekday_holiday(nlp_de: spacy.language.Language) -> None:
    assert find(tag(nlp_de, "Am Muttertag 2024 blühten die Rosen."), "Muttertag").value == "2024-05-12"


def test_underspecified_month_follows_tense(nlp_de: spacy.language.Language) -> None:
    past = find(tag(nlp_de, "Im Dezember hatte die Firma Verluste gemacht."), "Dezember")
    future = find(tag(nlp_de, "Im Dezember wird die Firma Verluste machen."), "Dezember")
    assert (past.value, future.value) == ("2023-12", "2024-12")


@pytest.mark.parametrize(
    "text",
    [
        "Mit dem Bus fährt er zur Arbeit.",
        "Die Regierung tritt zurück.",
        "August Bebel gründete die Partei.",
        "Im 2. Weltkrieg wurde die Stadt zerstört.",
        "Bei dem Unglück starben 1969 Menschen.",
        "Der Verein hat 2010 Mitglieder.",
    ],
)
def test_german_negatives(nlp_de: spacy.language.Language, text: str) -> None:
    assert tag(nlp_de, text) == []


def test_may_and_march_are_months(nlp_de: spacy.language.Language) -> None:
    assert find(tag(nlp_de, "Im Mai wird gewählt."), "Mai").value == "2025-05"
    assert find(tag(nlp_de, "Im März war es kalt."), "März").value == "2024-03"


@pytest.mark.parametrize(
    ("text", "expression", "value"),
    [
        # "wird" is a future cue, with an infinitive or as a present passive ("wird gewählt")
        ("Die neue Spitze wird am Sonntag gewählt.", "Sonntag", "2024-10-27"),
        ("Die Partei wird am Sonntag einen neuen Chef wählen.", "Sonntag", "2024-10-27"),
        # day shifts said of weekdays only (kit/resources/de/dates.yaml: weekday_shifts)
        ("Der Markt ist am morgigen Samstag geöffnet.", "morgigen Samstag", "2024-10-26"),
        ("Am gestrigen Donnerstag tagte der Rat.", "gestrigen Donnerstag", "2024-10-24"),
        # a part of the day takes the day of the sentence before
        (
            "Tommasini war gestern morgen um 8.30 Uhr am Platz. Beide traten dann am Nachmittag die Reise nach Rom an.",
            "Nachmittag",
            "2024-10-24TAF",
        ),
    ],
)
def test_german_tense_and_day_context(
    nlp_de: spacy.language.Language, text: str, expression: str, value: str
) -> None:
    assert find(tag(nlp_de, text), expression).value == value


def test_impossible_date_is_rejected(nlp_de: spacy.language.Language) -> None:
    assert all("31. Februar" not in t.text for t in tag(nlp_de, "Am 31. Februar 2023 geschah nichts."))


# --- narrative mode -------------------------------------------------------------------------


def test_narrative_mode_uses_last_explicit_date(nlp_de: spacy.language.Language) -> None:
    text = "Am 1. September 1939 begann der Krieg. Am 17. September marschierte die Armee ein. Im Juni folgte mehr."
    timexes = tag(nlp_de, text, anchor=None)
    assert [t.value for t in timexes] == ["1939-09-01", "1939-09-17", "1939-06"]


def test_narrative_without_any_date_is_underspecified(nlp_de: spacy.language.Language) -> None:
    november = find(tag(nlp_de, "Im November kam der Winter.", anchor=None), "November")
    assert (november.value, november.start, november.end) == ("XXXX-11", None, None)


def test_narrative_component_mode_ignores_published() -> None:
    nlp = spacy.blank("de")
    nlp.add_pipe("kit_dates", config={"mode": "narrative"})
    doc = nlp.make_doc("Heute regnet es.")
    doc._.published = ANCHOR
    doc = nlp.get_pipe("kit_dates")(doc)
    assert [t.value for t in doc._.timexes] == ["PRESENT_REF"]


# --- English --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expression", "type_", "value"),
    [
        ("Sales fell last week.", "last week", "DATE", "2024-W42"),
        ("The board met on Monday.", "Monday", "DATE", "2024-10-21"),
        ("It was signed Oct. 25, 2024 in Paris.", "Oct. 25, 2024", "DATE", "2024-10-25"),
        ("Profit rose in the third quarter.", "the third quarter", "DATE", "2024-Q3"),
        ("He left two years ago.", "two years ago", "DATE", "2022"),
        ("She is currently abroad.", "currently", "DATE", "PRESENT_REF"),
        ("He has lived there since 2019.", "2019", "DATE", "2019"),
        ("The market opens every Monday.", "every Monday", "SET", "XXXX-WXX-1"),
        ("Prices soared in the 1990s.", "the 1990s", "DATE", "199"),
        ("Sales rose this year.", "this year", "DATE", "2024"),
        ("The plan is ready now.", "now", "DATE", "PRESENT_REF"),
        ("The talks lasted three days.", "three days", "DURATION", "P3D"),
        ("The vote is at 8 p.m. tonight.", "8 p.m.", "TIME", "2024-10-25T20:00"),
    ],
)
def test_english_constructions(
    nlp_en: spacy.language.Language, text: str, expression: str, type_: str, value: str
) -> None:
    t = find(tag(nlp_en, text), expression)
    assert (t.type, t.value) == (type_, value)


@pytest.mark.parametrize(
    ("text", "expression", "type_", "value"),
    [
        # news anaphora: the last date mentioned, not the document date
        (
            "On May 22, 1995, he was promoted, and the following year he retired.",
            "the following year",
            "DATE",
            "1996",
        ),
        ("He fled in June 1998 and returned later that year.", "later that year", "DATE", "1998"),
        (
            "Prices fell Oct. 20; the previous Friday they had risen.",
            "the previous Friday",
            "DATE",
            "2024-10-18",
        ),
        # past tense verbs anchor a weekday before the document date, "by" a month after it
        (
            "The ambassadors issued a joint statement Wednesday saying that entry into NATO will consolidate peace.",
            "Wednesday",
            "DATE",
            "2024-10-23",
        ),
        ("The talks are supposed to conclude by May.", "May", "DATE", "2025-05"),
        # "were planning": a plan is ahead; "until" a deadline ahead unless a past perfect is near
        (
            "Protesters planned a large demonstration in Little Havana on Saturday and were planning to drive around the airport.",
            "Saturday",
            "DATE",
            "2024-10-26",
        ),
        (
            "The service has given the Miami relatives until 9 a.m. Tuesday to sign a paper.",
            "9 a.m. Tuesday",
            "TIME",
            "2024-10-29T09:00",
        ),
        ("Officials postponed until Tuesday any action on the permit.", "Tuesday", "DATE", "2024-10-29"),
        ("Until Thursday, they had not called Kopp a suspect.", "Thursday", "DATE", "2024-10-24"),
        ("Members had filed compliance reports by Wednesday.", "Wednesday", "DATE", "2024-10-23"),
        # "this/last/next" + month: its occurrence relative to the document date
        ("The election is due this September.", "this September", "DATE", "2024-09"),
        ("The chip was unveiled last April.", "last April", "DATE", "2024-04"),
        ("He was arrested last November.", "last November", "DATE", "2023-11"),
        # fiscal periods of a company report
        ("Revenue for the year ended March 31 rose.", "the year", "DURATION", "P1Y"),
        ("Earnings for the fiscal year will fall.", "the fiscal year", "DATE", "2024"),
        ("Sales in the latest period were flat.", "the latest period", "DATE", "2024-Q3"),
        # after a quarter is reported, "this quarter" and "the 1988 quarter/period" are that quarter
        (
            "Net fell 5% in the third quarter. This quarter's loss includes pretax charges.",
            "This quarter",
            "DATE",
            "2024-Q3",
        ),
        (
            "Net fell in the third quarter. Kirschner earned $376,000 in the 1988 quarter.",
            "the 1988 quarter",
            "DATE",
            "1988-Q3",
        ),
        ("There was a one-time gain in the 1988 period.", "the 1988 period", "DATE", "1988"),
        ("Earnings will be lower for the last half of 1989.", "the last half of 1989", "DATE", "1989-H2"),
        (
            "Stocks fell Thursday. Dealers placed heavy buy orders in the morning.",
            "morning",
            "TIME",
            "2024-10-24TMO",
        ),
        # clock times: the day written after them, words for noon and midnight
        ("The store was robbed at 10 p.m. Wednesday.", "10 p.m. Wednesday", "TIME", "2024-10-23T22:00"),
        ("Talks broke off at noon Thursday.", "noon Thursday", "TIME", "2024-10-24T12:00"),
        ("The offer expires at midnight Friday.", "midnight Friday", "TIME", "2024-10-25T24:00"),
        # holidays by weekday rule, spoken years, parts of the day kept in the value
        ("The boy was found on Thanksgiving Day.", "Thanksgiving Day", "DATE", "2023-11-23"),
        ("The convictions were thrown out in nineteen ninety-six.", "nineteen ninety-six", "DATE", "1996"),
        (
            "Prices peaked in the winter of nineteen ninety-four.",
            "winter of nineteen ninety-four",
            "DATE",
            "1994-WI",
        ),
        ("The blast happened Friday morning.", "Friday morning", "TIME", "2024-10-25TMO"),
        ("Sanctions followed its 1990 invasion of Kuwait.", "1990", "DATE", "1990"),
    ],
)
def test_english_news_rules(
    nlp_en: spacy.language.Language, text: str, expression: str, type_: str, value: str
) -> None:
    t = find(tag(nlp_en, text), expression)
    assert (t.type, t.value) == (type_, value)


@pytest.mark.parametrize(
    "text",
    [
        "May be he is right.",
        "August Wilson wrote plays.",
        "1969 people died.",
        "Mr. Reupke, 52 years old, resigned.",
        "The film High Noon won.",
        "The office is next to the embassy.",
    ],
)
def test_english_negatives(nlp_en: spacy.language.Language, text: str) -> None:
    assert tag(nlp_en, text) == []


def test_unsupported_language_is_a_no_op() -> None:
    nlp = spacy.blank("fr")
    nlp.add_pipe("kit_dates")
    assert nlp("Le 25 octobre 2024.")._.timexes == []


def test_extract_timexes_pure_function(nlp_de: spacy.language.Language) -> None:
    doc = nlp_de.make_doc("Gestern war Montag.")
    assert [t.value for t in extract_timexes(doc, anchor=dt.date(2024, 10, 22), lang="de")] == [
        "2024-10-21",
        "2024-10-21",
    ]


# --- the normaliser never raises and keeps start <= end -------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    day=st.integers(0, 40),
    month=st.integers(0, 14),
    year=st.integers(1000, 2099),
    mod=st.sampled_from([None, "START", "MID", "END"]),
)
def test_normaliser_total_and_ordered(day: int, month: int, year: int, mod: str | None) -> None:
    value = date_value(year, month, day)
    valid = 1 <= month <= 12 and 1 <= day <= 31
    if value is None:
        return
    assert valid
    for candidate in (value, value[:7], value[:4], value[:3], value[:2]):
        start, end, _ = value_interval(candidate, mod)
        assert start is not None and end is not None and start <= end


@settings(max_examples=60, deadline=None)
@given(day=st.integers(1, 35), month=st.integers(1, 12), year=st.integers(1900, 2099))
def test_tagger_total_on_numeric_dates(
    nlp_de: spacy.language.Language, day: int, month: int, year: int
) -> None:
    for t in tag(nlp_de, f"Am {day}.{month}.{year} und am {day}. Februar geschah es."):
        if t.start is not None:
            assert t.end is not None and t.start <= t.end
        assert t.value is not None


# --- TempEval-3 conventions and the trigger pre-filter ----------------------------------------


def test_year_ago_compares_with_the_quarter(nlp_en: spacy.language.Language) -> None:
    timexes = tag(
        nlp_en,
        "Net income rose in the third quarter from $3 million a year ago. "
        "The year-ago quarter included a gain.",
        anchor=dt.date(1989, 11, 2),
    )
    assert [(t.text, t.value) for t in timexes] == [
        ("the third quarter", "1989-Q3"),
        ("a year ago", "1988-Q3"),
        ("The year-ago quarter", "1988-Q3"),
    ]


def test_year_ago_without_a_quarter_is_the_year(nlp_en: spacy.language.Language) -> None:
    assert find(tag(nlp_en, "He left a year ago."), "a year ago").value == "2023"


@pytest.mark.parametrize(
    ("text", "expression", "value"),
    [
        ("He resigned last Friday.", "last Friday", "2024-10-18"),  # said on a Friday: a week ago
        ("The editorial ran on Thursday, Oct. 26.", "Thursday, Oct. 26", "2023-10-26"),  # weekday fixes year
        ("The offer had been set to expire Nov. 6.", "Nov. 6", "2024-11-06"),  # near: tense ignored
        ("He stepped down in March for health reasons.", "March", "2024-03"),  # no cue: looking back
        ("Talks resumed Friday night.", "Friday night", "2024-10-25"),  # TE-3: the day's value
        ("Unemployment was the lowest in two decades.", "two decades", "P20Y"),
    ],
)
def test_english_tempeval_conventions(
    nlp_en: spacy.language.Language, text: str, expression: str, value: str
) -> None:
    assert find(tag(nlp_en, text), expression).value == value


@pytest.mark.parametrize(
    ("text", "expression", "type_", "value"),
    [
        # approximators belong to the span (TimeML mod); "about" and "over" stay out (TE-3 gold)
        ("Talks have been cut off for nearly two years.", "nearly two years", "DURATION", "P2Y"),
        ("The banks must wait at least 30 days.", "at least 30 days", "DURATION", "P30D"),
        ("It was founded more than four decades ago.", "more than four decades ago", "DATE", "1984"),
        ("He spent about five hours there.", "five hours", "DURATION", "PT5H"),
        ("They lived in the camps for 2 1/2 years.", "2 1/2 years", "DURATION", "P2Y6M"),
        ("He will stay for two more weeks.", "two more weeks", "DURATION", "P2W"),
        ("The loan may be extended for an additional year.", "an additional year", "DURATION", "P1Y"),
        # adjectival durations and quarters leave the article out
        ("It ended the eight-year war.", "eight-year", "DURATION", "P8Y"),
        ("A major factor in the third-quarter loss was a charge.", "third-quarter", "DATE", "2024-Q3"),
        ("They emerged from a day-long meeting.", "day-long", "DURATION", "P1D"),
        ("It fought a decades-long battle.", "decades-long", "DURATION", "PXY"),
        # "in" is a signal, "right" a hedge
        ("They have claimed so in the past.", "the past", "DATE", "PAST_REF"),
        ("Right now the evidence is scant.", "now", "DATE", "PRESENT_REF"),
        # bare plural units that are periods
        ("The car was seen in the weeks before the shooting.", "weeks", "DURATION", "PXW"),
        ("Troops will arrive within weeks.", "weeks", "DURATION", "PXW"),
        ("Moscow ruled Ukraine for centuries.", "centuries", "DURATION", "PXY"),
        ("The company, which just months ago was ailing, recovered.", "months ago", "DATE", "PAST_REF"),
        # months after an article or "for", seasons with an article, fiscal years, ordinal days
        ("The job figures for January were strong.", "January", "DATE", "2024-01"),
        ("It is trying to sell itself under a June agreement.", "June", "DATE", "2024-06"),
        ("Orders rose from the low levels of the early summer.", "the early summer", "DATE", "2024-SU"),
        ("In fiscal 1989, the company earned $7.8 million.", "fiscal 1989", "DATE", "1989"),
        ("It's the second day of the offensive.", "the second day", "DATE", "2024-10-25"),
        ("For the week, the index dropped 3.8%.", "the week", "DATE", "2024-W43"),
        ("Orangemen march each July through the town.", "each July", "SET", "XXXX-07"),
        ("Sales rose in the latest fiscal year.", "the latest fiscal year", "DATE", "2023"),
    ],
)
def test_english_markable_spans(
    nlp_en: spacy.language.Language, text: str, expression: str, type_: str, value: str
) -> None:
    t = find(tag(nlp_en, text), expression)
    assert (t.text, t.type, t.value) == (expression, type_, value)


@pytest.mark.parametrize(
    "text",
    [
        "The preferred stock would have a dividend rate of $1.76 a year.",  # a rate, not a duration
        "It should help save $500 million a year in costs.",
        "The jobs grew at a rate of 358,000 a month.",
        "Iraq imports about three-quarters of its food.",  # a fraction
        "The fund accounts for more than a quarter of the market.",
        "Prices rose after the fall in the dollar.",  # "the fall": a noun
        "Kopp, the 44-year-old suspect, fled.",  # an age
    ],
)
def test_english_span_negatives(nlp_en: spacy.language.Language, text: str) -> None:
    assert tag(nlp_en, text) == []


ENGLISH_SAMPLE = (
    "On May 22, 1995, Farkas was promoted, and the following year he left. The store was robbed at "
    "10 p.m. Wednesday, that same day. Convictions were thrown out in nineteen ninety-six; the year two "
    "thousand came. For the year ended March 31, at noon Thursday, sales rose from last April, "
    "Thanksgiving Day, the company's 1989 results, the latest period and 52 years old men. "
    "In the weeks before the vote, for nearly 2 1/2 years, the 30-day period and the third-quarter "
    "loss, each July, months ago, his first day in office, a day-long meeting, the early summer. "
    * 3
    + "Many people were happy with the result and went about their lives. " * 5
)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "de",
            SAMPLE.read_text(encoding="utf-8")
            + "\nEx-Präsident Müller kam am 3.4.2021 um 20.30 Uhr, 490 v. Chr.",
        ),
        ("en", ENGLISH_SAMPLE),
    ],
)
def test_prefilter_finds_what_a_full_scan_finds(lang: str, text: str) -> None:
    from kit.nlp.dates import load_grammar
    from kit.nlp.dates.index import scan_windows

    grammar = load_grammar(lang)
    assert grammar is not None
    windows = scan_windows(text, grammar)
    assert sum(e - s for s, e in windows) < len(text)  # something was skipped
    for rule in grammar.rules:
        full = [(m.start(), m.end()) for m in rule.regex.finditer(text)]
        scanned = [(m.start(), m.end()) for s, e in windows for m in rule.regex.finditer(text, s, e)]
        assert sorted(set(scanned)) == sorted(set(full)), rule.name


# --- every rule's example (HeidelTime-style: the rule and what it tags, side by side) --------


def _rule_examples() -> list[tuple[str, str]]:
    from kit.nlp.dates import SUPPORTED_LANGUAGES
    from kit.nlp.dates.spec import DatesSpec
    from kit.resources.spec import load_checked

    out = []
    for lang in SUPPORTED_LANGUAGES:
        spec = load_checked("dates", lang, DatesSpec)
        assert spec is not None
        out += [(lang, rule["name"]) for rule in spec["rules"]]
    return out


_EXAMPLES = _rule_examples()


@pytest.mark.parametrize(("lang", "name"), _EXAMPLES, ids=[f"{lang}-{name}" for lang, name in _EXAMPLES])
def test_every_rule_tags_its_example(lang: str, name: str) -> None:
    """The rule itself finds the example (not another rule), and the tagger's value
    against ``example_anchor`` is the example's."""
    from kit.nlp.dates import load_grammar, tag_text
    from kit.nlp.dates.spec import DatesSpec
    from kit.nlp.dates.tagger import candidates
    from kit.resources.spec import load_checked

    spec = load_checked("dates", lang, DatesSpec)
    grammar = load_grammar(lang)
    assert spec is not None and grammar is not None
    rule_spec = next(rule for rule in spec["rules"] if rule["name"] == name)
    example, strict = rule_spec["example"], bool(rule_spec.get("strict_only", False))
    text = example["text"]
    found = {text[s:e] for s, e, rule, _ in candidates(text, grammar, strict) if rule.name == name}
    # the match may hold a signal the span leaves out ("seit Jahren" -> "Jahren")
    assert any(example["span"] in match for match in found), f"{name} finds {found or 'nothing'} in {text!r}"
    anchor = dt.date.fromisoformat(spec["example_anchor"])
    values = {t.text: t.value for t in tag_text(text, grammar=grammar, anchor=anchor, timeml_strict=strict)}
    assert values.get(example["span"]) == example["value"], values


def test_rule_kinds_and_normalisers_agree() -> None:
    """Every kind the spec allows has a normaliser, and every normaliser a kind."""
    from typing import get_args

    from kit.nlp.dates.normalise import HANDLERS
    from kit.nlp.dates.spec import RuleKind

    assert set(get_args(RuleKind)) == set(HANDLERS)


# --- issue 19: classes beyond one newspaper ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Die Sanierung dauerte anderthalb Jahre.", "anderthalb Jahre", "P1Y6M"),
        ("Das Bad war ein Vierteljahr geschlossen.", "ein Vierteljahr", "P1Q"),
        ("Es gilt eine Frist von 30 Werktagen.", "30 Werktagen", "P30D"),
        ("Zwölf lange Monate warteten sie.", "Zwölf lange Monate", "P12M"),
        ("Seit Jahrzehnten sinkt die Zahl.", "Jahrzehnten", "PXDE"),
        ("Die Bibliothek öffnet werktags.", "werktags", "P1D"),
        ("Die Bibliothek öffnet freitags abends.", "freitags abends", "XXXX-WXX-5TEV"),
        ("Der Markt ist Woche für Woche offen.", "Woche für Woche", "P1W"),
        ("Einlass ist ab viertel nach acht.", "viertel nach acht", "2024-10-25T08:15"),
        ("Am zweiten Weihnachtstag spielt die Kapelle.", "zweiten Weihnachtstag", "2024-12-26"),
        ("Zu Pfingsten ist das Fest.", "Pfingsten", "2024-05-19"),
        ("Das Haus wurde Mitte der Sechzigerjahre gebaut.", "Mitte der Sechzigerjahre", "196"),
    ],
)
def test_issue19_classes(nlp_de: spacy.language.Language, text: str, span: str, value: str) -> None:
    assert find(tag(nlp_de, text), span).value == value


def test_screen_resolution_is_no_year(nlp_de: spacy.language.Language) -> None:
    texts = "Der Bildschirm zeigt 1920*1080 Pixel, der alte nur 1280x720 Bildpunkte; seit 2019."
    assert [t.text for t in tag(nlp_de, texts)] == ["2019"]


def test_heute_nowadays_only_beside_a_past_contrast(nlp_de: spacy.language.Language) -> None:
    essay = find(tag(nlp_de, "Früher schrieb man Briefe, heute schreibt man Nachrichten."), "heute")
    report = find(tag(nlp_de, "Der Landtag hat heute den Haushalt beschlossen."), "heute")
    assert (essay.value, report.value) == ("PRESENT_REF", "2024-10-25")


def test_timeml_strict_switches_the_documented_departures() -> None:
    text = "Noch vor zwanzig Jahren besaß kaum jemand ein Handy. Künftig wird alles anders."
    values = {}
    for strict in (False, True):
        nlp = spacy.blank("de")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("kit_dates", config={"timeml_strict": strict})
        values[strict] = {t.text: t.value for t in tag(nlp, text)}
    assert values[False] == {"vor zwanzig Jahren": "2004"}
    assert values[True] == {"zwanzig Jahren": "P20Y", "Künftig": "FUTURE_REF"}


def test_timeml_strict_must_be_a_boolean() -> None:
    from kit.nlp.dates.component import DateTagger

    nlp = spacy.blank("de")
    with pytest.raises(ValueError, match="timeml_strict"):  # spaCy's config check
        nlp.add_pipe("kit_dates", config={"timeml_strict": "yes"})
    with pytest.raises(TypeError, match="timeml_strict"):  # the component's own, called directly
        DateTagger(nlp, "kit_dates", timeml_strict="yes")  # type: ignore[arg-type]

"""Context the German and English tagger reads without a parser (issue 19, second round): the
tense of a weekday's sentence, the day of an earlier sentence for a clock time, the numbers that
are clock times or years only beside strong cues."""

from __future__ import annotations

import datetime as dt

import pytest
import spacy

import kit.nlp.dates  # noqa: F401  (registers the factory)
from kit.nlp.types import Timex

ANCHOR = dt.date(2024, 10, 25)  # a Friday


def _nlp(lang: str) -> spacy.language.Language:
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kit_dates")
    return nlp


@pytest.fixture(scope="module")
def nlp_de() -> spacy.language.Language:
    return _nlp("de")


@pytest.fixture(scope="module")
def nlp_en() -> spacy.language.Language:
    return _nlp("en")


def tag(nlp: spacy.language.Language, text: str, anchor: dt.date | None = ANCHOR) -> list[Timex]:
    doc = nlp.make_doc(text)
    doc._.published = anchor
    for _, component in nlp.pipeline:
        doc = component(doc)
    return list(doc._.timexes)


def value_of(nlp: spacy.language.Language, text: str, span: str) -> str | None:
    hits = [t for t in tag(nlp, text) if t.text == span]
    assert hits, f"{span!r} not tagged in {text!r}; got {[t.text for t in tag(nlp, text)]}"
    return hits[0].value


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        # a present-tense preview: the coming day
        ("Am Samstag spielt die Mannschaft in Wien.", "Samstag", "2024-10-26"),
        ("Der HC Bozen empfängt am Dienstag den Tabellenführer.", "Dienstag", "2024-10-29"),
        ("Das Fest dauert von Samstag bis Sonntag.", "Samstag", "2024-10-26"),
        # a past form anywhere in the sentence: the last one
        ("Am Dienstag sagte der Trainer, die Mannschaft sei bereit.", "Dienstag", "2024-10-22"),
        ("Am Montagvormittag trafen sich die Bürgermeister.", "Montagvormittag", "2024-10-21TMO"),
        ("Am Dienstag übernahm er das Amt.", "Dienstag", "2024-10-22"),
        ("Die Dokumente, die am Mittwoch vorlagen, sind echt.", "Mittwoch", "2024-10-23"),
        # a verb of saying in the present reports what was said
        ("Die Lage sei ruhig, erklärt die Polizei am Mittwoch.", "Mittwoch", "2024-10-23"),
        # "vom Mittwoch": a past event's day, even in a present-tense sentence
        ("Die Ergebnisse vom Mittwoch liegen vor.", "Mittwoch", "2024-10-23"),
        # the weekday of the document date is that day
        ("Am Freitag spielt die Mannschaft in Wien.", "Freitag", "2024-10-25"),
    ],
)
def test_german_weekday_direction_from_the_sentence(
    nlp_de: spacy.language.Language, text: str, span: str, value: str
) -> None:
    assert value_of(nlp_de, text, span) == value


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("The council will meet on Monday.", "Monday", "2024-10-28"),
        ("The council is going to meet on Monday.", "Monday", "2024-10-28"),
        ("The council met on Monday.", "Monday", "2024-10-21"),
        ("The council approved the plan Monday.", "Monday", "2024-10-21"),
        # English keeps looking back without a cue (TempEval-3: a net loss otherwise)
        ("Albright visits Nairobi Monday.", "Monday", "2024-10-21"),
    ],
)
def test_english_weekday_direction(nlp_en: spacy.language.Language, text: str, span: str, value: str) -> None:
    assert value_of(nlp_en, text, span) == value


def test_clock_time_takes_the_day_of_the_sentence_before(nlp_de: spacy.language.Language) -> None:
    text = "Die Wahl findet am Sonntag statt. Die Lokale öffnen um 7 Uhr."
    assert value_of(nlp_de, text, "7 Uhr") == "2024-10-27T07:00"


def test_clock_time_keeps_the_document_day_when_another_date_intervenes(
    nlp_de: spacy.language.Language,
) -> None:
    two_back = "Die Wahl findet am Sonntag statt. Das Wetter wird gut. Die Lokale öffnen um 7 Uhr."
    assert value_of(nlp_de, two_back, "7 Uhr") == "2024-10-25T07:00"
    month = "Die Wahl fand am Sonntag statt. Im März öffnet das Amt um 7 Uhr."
    assert value_of(nlp_de, month, "7 Uhr") == "2024-10-25T07:00"


def test_events_page_keeps_every_clock_time_on_the_page_day(nlp_de: spacy.language.Language) -> None:
    entries = [
        "Bozen: Konzert, im Waltherhaus, 20 Uhr.",
        "Meran: Flohmarkt am Sonntag, 6 bis 18 Uhr.",
        "Brixen: Lesung, im Forum, 17 Uhr.",
        "Bozen: Tagung, im Gemeindesaal, 14 bis 18 Uhr.",
    ]
    timexes = tag(nlp_de, " ".join(entries))
    assert {t.text: t.value for t in timexes}["17 Uhr"] == "2024-10-25T17:00"


@pytest.mark.parametrize(
    ("text", "tagged"),
    [
        ("Die Führungen sind um 14 und um 18 Uhr.", {"14": "2024-10-25T14:00", "18 Uhr": "2024-10-25T18:00"}),
        ("Geöffnet ist zwischen 14 und 16 Uhr.", {"14": "2024-10-25T14:00", "16 Uhr": "2024-10-25T16:00"}),
        ("Die Rede beginnt um 14.", {}),  # no "Uhr" beside it: not a clock time
        ("Seit 89 ist die Grenze offen.", {"89": "1989"}),
        ("Seit ’05 lebt sie hier.", {"’05": "2005"}),
        ("Der Wagen, Baujahr 64, steht im Hof.", {"64": "1964"}),
        ("Seit 24 wohnt sie in Bozen.", {"24": "2024"}),  # up to the reference year
        ("Seit 25 wohnt sie in Bozen.", {"25": "1925"}),
        ("Er ist seit 89 Tagen im Amt.", {"89 Tagen": "P89D"}),  # a count
        ("Die Quote stieg seit 89 Prozent.", {}),
        ("Das Angebot gilt von 78 bis 80 Jahren.", {"78 bis 80 Jahren": "P78Y"}),  # "von 78": a count
    ],
)
def test_bare_numbers_only_with_strong_cues(
    nlp_de: spacy.language.Language, text: str, tagged: dict[str, str]
) -> None:
    assert {t.text: t.value for t in tag(nlp_de, text)} == tagged


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "In den neunziger Jahren zogen viele weg; zweimal im Jahr kommen sie heute zu Besuch.",
            "PRESENT_REF",
        ),
        ("Die Ukraine steht heute dort, wo Georgien 2004 stand.", "PRESENT_REF"),
        ("Der Landtag hat heute den Haushalt für 2025 beschlossen.", "2024-10-25"),
        ("Heute wird der Haushalt beschlossen, wie schon 2023.", "2024-10-25"),  # a year back, not decades
    ],
)
def test_heute_beside_a_habit_or_a_distant_date_is_nowadays(
    nlp_de: spacy.language.Language, text: str, value: str
) -> None:
    hits = [t for t in tag(nlp_de, text) if t.text.lower() == "heute"]
    assert [t.value for t in hits] == [value]

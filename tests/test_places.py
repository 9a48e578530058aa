"""Place gazetteer rule: listed town names NER left unlabelled become places."""

from __future__ import annotations

import spacy
from spacy.language import Language

import kit.nlp.places  # noqa: F401 - registers the factory
from kit.nlp.places import place_names, places_file


def run(nlp: Language, text: str, ents: list[tuple[str, str]]) -> list[tuple[str, str]]:
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(s), text.index(s) + len(s), label=label) for s, label in ents]
    return [(e.text, e.label_) for e in nlp.get_pipe("kit_places")(doc).ents]


def german() -> Language:
    nlp = spacy.blank("de")
    nlp.add_pipe("kit_places")
    return nlp


def test_shipped_list_credits_geonames_and_keeps_towns_not_words() -> None:
    header = places_file("de").read_text(encoding="utf-8").splitlines()[:4]
    assert any("GeoNames" in line and "CC BY 4.0" in line for line in header)
    names = place_names("de")
    for town in ("Garbsen", "Sindelfingen", "Dinslaken"):
        assert (town,) in names[town]
    for word in ("Essen", "Union"):  # mostly something else in the raw text ("Union City" stays)
        assert (word,) not in names.get(word, ())


def test_unlabelled_town_becomes_a_place_and_entities_stay() -> None:
    nlp = german()
    text = "Der Unfall geschah in Garbsen, sagte Polizeisprecher Tim Dinslaken."
    assert run(nlp, text, [("Tim Dinslaken", "PER")]) == [("Garbsen", "LOC"), ("Tim Dinslaken", "PER")]


def test_a_surname_in_the_article_is_no_place() -> None:
    nlp = german()
    text = "Sängerin Nina Sindelfingen trat auf. Später sprach Sindelfingen mit Fans."
    assert run(nlp, text, [("Nina Sindelfingen", "PER")]) == [("Nina Sindelfingen", "PER")]


def test_language_without_a_list_is_left_alone() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("kit_places")
    assert run(nlp, "He lives in Garbsen.", []) == []


def test_no_place_inside_a_longer_name_after_a_first_name_or_in_quotes() -> None:
    nlp = german()
    assert run(nlp, "Die Garbsen Car Company baut Autos.", []) == []
    assert run(nlp, "Er traf Peter Garbsen gestern.", []) == []
    assert run(nlp, "Das „ Garbsen “ lief gut.", []) == []

"""Canonical entities within an article and keys across articles (no model needed: ents set by hand)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from kit.nlp.canon import canonical_mentions, country_code, name_key

TEXT = (
    'Elon Musk traf den russischen Präsidenten Wladimir Putin. Das "Wall Street Journal" (WSJ) berichtete. '
    "Musks Firma SpaceX half. Putins Sprecher schwieg. Laut WSJ sprach Musk mit US-Präsident Donald Trump."
)
ENTS = [("Elon Musk", "PER"), ("Wladimir Putin", "PER"), ("Wall Street Journal", "ORG"), ("WSJ", "ORG"),
        ("Musks", "PER"), ("SpaceX", "ORG"), ("Putins", "PER"), ("WSJ", "ORG"), ("Musk", "PER"),
        ("US-Präsident Donald Trump", "PER")]


def make_doc(text: str, ents: list[tuple[str, str]], lang: str = "de") -> Doc:
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    doc = nlp(text)
    spans, cursor = [], 0
    for surface, label in ents:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        span = doc.char_span(start, cursor, label=label)
        assert span is not None, surface
        spans.append(span)
    doc.ents = spans
    return doc


def by_text(doc: Doc) -> dict[str, tuple[str, str, str | None]]:
    return {m.text: (m.canonical, m.entity_id, m.role) for m in canonical_mentions(doc)}


def test_short_forms_genitives_and_acronyms_join() -> None:
    found = by_text(make_doc(TEXT, ENTS))
    assert found["Musks"][0] == found["Musk"][0] == "Elon Musk"
    assert found["Musks"][1] == found["Elon Musk"][1]
    assert found["Putins"][0] == "Wladimir Putin"
    assert found["WSJ"][0] == "Wall Street Journal"
    assert found["WSJ"][1] == found["Wall Street Journal"][1]


def test_roles_are_stripped_from_names_and_kept() -> None:
    found = by_text(make_doc(TEXT, ENTS))
    assert found["US-Präsident Donald Trump"][0] == "Donald Trump"
    assert found["US-Präsident Donald Trump"][2] == "US-Präsident"
    assert found["Wladimir Putin"][2] == "russischen Präsidenten"


def test_countries_join_across_languages() -> None:
    assert country_code("Russland") == country_code("Russia") == "RU"
    assert country_code("USA") == country_code("Vereinigte Staaten") == "US"
    assert name_key("Russland", "LOC") == name_key("Russia", "LOC") == "country:ru"
    de = by_text(make_doc("Russland griff an.", [("Russland", "LOC")]))
    en = by_text(make_doc("Russia attacked.", [("Russia", "GPE")], lang="en"))
    assert de["Russland"][1] == en["Russia"][1]


def test_label_is_consistent_within_an_article() -> None:
    doc = make_doc("Tesla baut. Tesla wächst. Tesla verliert.", [("Tesla", "ORG"), ("Tesla", "ORG"), ("Tesla", "PER")])
    assert {m.label for m in canonical_mentions(doc)} == {"ORG"}


def test_ambiguous_surname_stays_apart() -> None:
    doc = make_doc("Elon Musk und Kimbal Musk. Musk sprach.", [("Elon Musk", "PER"), ("Kimbal Musk", "PER"), ("Musk", "PER")])
    assert by_text(doc)["Musk"][0] == "Musk"


def test_the_dominant_full_name_wins_over_a_stray_one() -> None:
    text = "Mitt Romney siegte. Mitt Romney jubelte. Santorum Romney verlor. Romney sprach."
    doc = make_doc(text, [("Mitt Romney", "PER"), ("Mitt Romney", "PER"), ("Santorum Romney", "PER"), ("Romney", "PER")])
    assert by_text(doc)["Romney"][0] == "Mitt Romney"


def test_a_role_alone_is_not_an_entity() -> None:
    doc = make_doc("Der Tech-Visionär und Tesla-Chef Musk.", [("Tech-Visionär", "MISC"), ("Tesla-Chef Musk", "PER")])
    assert [(m.canonical, m.role) for m in canonical_mentions(doc)] == [("Musk", "Tesla-Chef")]


def test_a_family_name_written_first_joins_too() -> None:
    doc = make_doc("Xi Jinping erhebt Anspruch. Xi unterstützt Russland.", [("Xi Jinping", "PER"), ("Xi", "PER")])
    assert by_text(doc)["Xi"][0] == "Xi Jinping"


def test_derived_adjectives_join_in_their_base_form() -> None:
    text = "Die russische Armee und die russischen Banken; ein US-amerikanischer Konzern. Der Deutsche sprach."
    ents = [("russische", "MISC"), ("russischen", "MISC"), ("US-amerikanischer", "MISC"), ("Deutsche", "MISC")]
    found = by_text(make_doc(text, ents))
    assert found["russische"][0] == found["russischen"][0] == "russisch"
    assert found["russische"][1] == found["russischen"][1]
    assert found["US-amerikanischer"][0] == "US-amerikanisch"
    assert found["Deutsche"][0] == "Deutsche"  # a capitalised noun is a name, not an adjective


def test_a_role_after_the_name_belongs_to_the_person_only() -> None:
    text = "Elon Musk ist nicht nur als Tesla-Chef bekannt. Gwynne Shotwell gilt als Kopf von SpaceX in Texas."
    found = by_text(make_doc(text, [("Elon Musk", "PER"), ("Gwynne Shotwell", "PER"), ("SpaceX", "ORG")]))
    assert found["Elon Musk"][2] == "Tesla-Chef"
    assert found["Gwynne Shotwell"][2] == "Kopf von SpaceX"
    assert found["SpaceX"][2] is None  # "als Kopf von SpaceX" is no role of SpaceX


def test_a_role_word_before_another_person_is_not_a_role() -> None:
    text = "Joe Biden sprach länger als Präsident Donald Trump."
    found = by_text(make_doc(text, [("Joe Biden", "PER"), ("Donald Trump", "PER")]))
    assert found["Joe Biden"][2] is None

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


def test_derived_adjectives_are_linked_to_their_base_entity() -> None:
    text = (
        "Die russische Armee und die russischen Banken; ein US-amerikanischer Konzern in Russland. "
        "Der Deutsche sprach. Die jüdische Gemeinde."
    )
    ents = [("russische", "MISC"), ("russischen", "MISC"), ("US-amerikanischer", "MISC"), ("Russland", "LOC"),
            ("Deutsche", "MISC"), ("jüdische", "MISC")]
    mentions = {m.text: m for m in canonical_mentions(make_doc(text, ents))}
    russland = mentions["Russland"]
    assert mentions["russische"].kind == mentions["russischen"].kind == "adjective"
    assert mentions["russische"].entity_id == mentions["russischen"].entity_id == russland.entity_id
    assert mentions["russische"].canonical == "Russland" and russland.kind == "name"
    assert mentions["US-amerikanischer"].key == name_key("USA", "LOC") == "country:us"
    assert mentions["jüdische"].kind == "adjective" and mentions["jüdische"].canonical == "jüdisch"  # no base place
    assert mentions["Deutsche"].kind == "name"  # a capitalised noun is a name, not an adjective


def test_names_in_dictionary_form_whatever_their_case() -> None:
    text = (
        "Er sprach mit der Europäischen Union, des Deutschen Bundestages und dem Bayerischen Landesamt für "
        "Umwelt. Die Vereinigten Staaten schwiegen. Der Deutsche Fußball-Bund rügte die Deutsche Bank."
    )
    ents = [("Europäischen Union", "ORG"), ("Deutschen Bundestages", "ORG"),
            ("Bayerischen Landesamt für Umwelt", "ORG"), ("Vereinigten Staaten", "LOC"),
            ("Deutsche Fußball-Bund", "ORG"), ("Deutsche Bank", "ORG")]
    doc = make_doc(text, ents)
    lemmas = {"Europäischen": "Europäische", "Deutschen": "Deutsche", "Bundestages": "Bundestag", "Staaten": "Staat"}
    for token in doc:
        token.lemma_ = lemmas.get(token.text, token.text)  # what the shipped pipeline's lookup table says
    found = by_text(doc)
    assert found["Europäischen Union"][0] == "Europäische Union"
    assert found["Deutschen Bundestages"][0] == "Deutscher Bundestag"
    assert found["Bayerischen Landesamt für Umwelt"][0] == "Bayerisches Landesamt für Umwelt"
    assert found["Vereinigten Staaten"][0] == "Vereinigte Staaten"
    assert found["Deutsche Fußball-Bund"][0] == "Deutscher Fußball-Bund"
    assert found["Deutsche Bank"][0] == "Deutsche Bank"


def test_dative_plurals_initials_and_truncated_compounds() -> None:
    text = "Bei den Olympischen Spielen gewann Andrej H. vor dem Allgemeinen Hotel- und Gaststättenverband."
    doc = make_doc(text, [("Olympischen Spielen", "MISC"), ("Andrej H.", "PER"), ("Allgemeinen Hotel-", "ORG")])
    found = by_text(doc)
    assert found["Olympischen Spielen"][0] == "Olympische Spiele"
    assert found["Andrej H."][0] == "Andrej H."
    assert found["Allgemeinen Hotel-"][0] == "Allgemeinen Hotel"  # a fragment is not inflected into a name


def test_english_names_are_not_inflected() -> None:
    doc = make_doc("The European Union met the Federal Reserve.", [("European Union", "ORG"),
                                                                  ("Federal Reserve", "ORG")], lang="en")
    assert {m.canonical for m in canonical_mentions(doc)} == {"European Union", "Federal Reserve"}


def test_a_trailing_s_is_kept_where_it_is_no_genitive() -> None:
    text = "Reuters berichtete. Laut Reuters kam es zu Protesten. Chinas Regierung schwieg."
    doc = make_doc(text, [("Reuters", "ORG"), ("Reuters", "ORG"), ("Chinas", "LOC")])
    for token in doc:
        if token.text in ("Reuters", "Chinas"):
            token.lemma_ = token.text[:-1]  # what the lookup table says ("Reuters" -> "Reuter")
    found = by_text(doc)
    assert found["Reuters"][0] == "Reuters"
    assert found["Chinas"][0] == "China"


def test_a_place_does_not_join_a_longer_name_ending_with_it() -> None:
    text = "Die Gruppe Occupy Frankfurt protestierte in der Stadt Frankfurt. Occupy Frankfurt blieb."
    doc = make_doc(text, [("Occupy Frankfurt", "PER"), ("Frankfurt", "LOC"), ("Occupy Frankfurt", "PER")])
    found = by_text(doc)
    assert found["Frankfurt"][0] == "Frankfurt" and found["Occupy Frankfurt"][0] == "Occupy Frankfurt"


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

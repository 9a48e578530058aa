"""Organisation gazetteer rule: listed companies and clubs NER missed become ORG, ambiguous ones need context."""

from __future__ import annotations

import spacy
from spacy.language import Language

import kit.nlp.gazetteer  # noqa: F401 - registers the factory
from kit.nlp.gazetteer import gazetteer_aliases, gazetteer_file, gazetteer_settings
from kit.nlp.registry import ENTITY_RULES


def run(nlp: Language, text: str, ents: list[tuple[str, str]]) -> list[tuple[str, str]]:
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(s), text.index(s) + len(s), label=label) for s, label in ents]
    return [(e.text, e.label_) for e in nlp.get_pipe("kit_gazetteer")(doc).ents]


def pipeline(lang: str) -> Language:
    nlp = spacy.blank(lang)
    nlp.add_pipe("kit_gazetteer")
    return nlp


def test_shipped_lists_credit_their_sources_and_mark_ambiguous_names() -> None:
    for lang in ("de", "en"):
        header = gazetteer_file(lang).read_text(encoding="utf-8").splitlines()[:4]
        assert any("pytickersymbols" in line and "MIT" in line for line in header)
        assert any("openfootball" in line and "CC0" in line for line in header)
        aliases = {a.words: a for names in gazetteer_aliases(lang).values() for a in names}
        assert not aliases[("BASF",)].context
        assert aliases[("Bayern",)].context, "a German state needs context"
        assert not aliases[("Deutsche", "Telekom")].context
    german = {a.words: a for names in gazetteer_aliases("de").values() for a in names}
    assert german[("Hertha",)].context, "a first name needs context"
    assert german[("Allianz",)].context, "a common noun needs context"


def test_unlabelled_listed_company_becomes_org_and_entities_stay() -> None:
    nlp = pipeline("de")
    text = "Die Aktien von BASF stiegen, sagte Analyst Jan Weber in Frankfurt."
    got = run(nlp, text, [("Jan Weber", "PER"), ("Frankfurt", "LOC")])
    assert got == [("BASF", "ORG"), ("Jan Weber", "PER"), ("Frankfurt", "LOC")]


def test_a_longer_name_replaces_entities_inside_it_but_not_one_that_is_the_name() -> None:
    nlp = pipeline("de")
    text = "Die Deutsche Telekom meldet Gewinne."
    assert run(nlp, text, [("Deutsche", "MISC")]) == [("Deutsche Telekom", "ORG")]
    # NER's own reading of the whole name stays, whatever its label
    assert run(nlp, text, [("Deutsche Telekom", "MISC")]) == [("Deutsche Telekom", "MISC")]
    # an entity reaching outside the name stays too
    text = "Der Chef der Deutsche Telekom Stiftung sprach."
    assert run(nlp, text, [("Deutsche Telekom Stiftung", "ORG")]) == [("Deutsche Telekom Stiftung", "ORG")]


def test_ambiguous_alias_needs_a_cue_or_the_longer_name() -> None:
    nlp = pipeline("de")
    assert run(nlp, "Die Allianz gegen den Terror wächst.", []) == []
    assert run(nlp, "Der Versicherer Allianz meldet Gewinne.", []) == [("Allianz", "ORG")]
    assert run(nlp, "Urlaub in Bayern ist teuer.", []) == []
    text = "Der FC Bayern München gewann. Danach feierte Bayern im Rathaus."
    assert run(nlp, text, []) == [("FC Bayern München", "ORG"), ("Bayern", "ORG")]


def test_english_common_words_need_context() -> None:
    nlp = pipeline("en")
    assert run(nlp, "She hit the target twice. Target was closed.", []) == []
    assert run(nlp, "Shares of the retailer Target fell.", []) == [("Target", "ORG")]


def test_registered_as_an_entity_rule_before_consistency() -> None:
    assert ENTITY_RULES.index("kit_gazetteer") < ENTITY_RULES.index("kit_doc_consistency")
    assert gazetteer_settings("fr") is None
    nlp = pipeline("fr")
    assert run(nlp, "BASF a annoncé des résultats.", []) == []

"""Document-level consistency: repeats of a recognised name are recognised too."""

from __future__ import annotations

import spacy

import kit.nlp.consistency  # noqa: F401 - registers the factory


def run(text: str, ents: list[tuple[str, str]]) -> list[tuple[str, str]]:
    nlp = spacy.blank("de")
    doc = nlp(text)
    doc.ents = [doc.char_span(text.index(s), text.index(s) + len(s), label=label) for s, label in ents]
    nlp.add_pipe("kit_doc_consistency")
    doc = nlp.get_pipe("kit_doc_consistency")(doc)
    return [(e.text, e.label_) for e in doc.ents]


def test_surnames_genitives_and_repeats_are_added() -> None:
    text = "Elon Musk traf Putin. Später sprach Musk. Musks Firma und das Wall Street Journal. Wall Street Journal."
    found = run(text, [("Elon Musk", "PER"), ("Putin", "PER"), ("Wall Street Journal", "ORG")])
    assert found == [("Elon Musk", "PER"), ("Putin", "PER"), ("Musk", "PER"), ("Musks", "PER"),
                     ("Wall Street Journal", "ORG"), ("Wall Street Journal", "ORG")]


def test_existing_entities_win_and_lowercase_or_role_forms_are_not_spread() -> None:
    text = "Die Bank wuchs. Die Bank Austria auch. Präsident Biden. Präsident."
    found = run(text, [("Bank Austria", "ORG"), ("Präsident Biden", "PER")])
    assert found == [("Bank Austria", "ORG"), ("Präsident Biden", "PER")]

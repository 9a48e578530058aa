"""Organisations named through roles: "Tesla-Chef", "Kopf von SpaceX"."""

from __future__ import annotations

import spacy

import kit.nlp.orgs  # noqa: F401 - registers the factory


def run(text: str, ents: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    nlp = spacy.blank("de")
    doc = nlp(text)
    doc.ents = [doc.char_span(start, end, label=label) for start, end, label in ents]
    doc = nlp.add_pipe("kit_org_rules")(doc)
    return [(e.text, e.label_) for e in doc.ents]


def test_role_compounds_and_phrases_mark_organisations() -> None:
    text = "Musk ist Tesla-Chef und Kopf von SpaceX in Texas. Tesla wächst, SpaceX startet."
    found = run(text, [(0, 4, "PER"), (text.rindex("Tesla"), text.rindex("Tesla") + 5, "PER")])
    assert found == [("Musk", "PER"), ("SpaceX", "ORG"), ("Tesla", "ORG"), ("SpaceX", "ORG")]


def test_a_person_with_that_surname_vetoes() -> None:
    text = "Nikola Tesla erfand viel. Der Tesla-Chef schwieg. Tesla starb 1943."
    found = run(text, [(0, 12, "PER"), (text.rindex("Tesla"), text.rindex("Tesla") + 5, "PER")])
    assert found == [("Nikola Tesla", "PER"), ("Tesla", "PER")]


def test_no_roles_no_change() -> None:
    text = "Siemens baut Züge."
    assert run(text, [(0, 7, "ORG")]) == [("Siemens", "ORG")]

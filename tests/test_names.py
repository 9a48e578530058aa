"""First-name gazetteer rule: persons NER mislabels or misses, with evidence from the document."""

from __future__ import annotations

import spacy

import kit.nlp.names  # noqa: F401 - registers the factory
from kit.nlp.names import first_names


def run(text: str, ents: list[tuple[str, str]]) -> list[tuple[str, str]]:
    nlp = spacy.blank("de")
    doc = nlp(text)
    doc.ents = [doc.char_span(text.index(s), text.index(s) + len(s), label=label) for s, label in ents]
    doc = nlp.add_pipe("kit_name_rules")(doc)
    return [(e.text, e.label_) for e in doc.ents]


def test_gazetteer_has_international_first_names() -> None:
    assert {"Elon", "Donald", "Wladimir", "Angela", "Olaf"} <= first_names()


def test_person_relabelled_when_the_surname_stands_alone_elsewhere() -> None:
    text = "Elon Musk kaufte Twitter. Später schwieg Musk."
    assert run(text, [("Elon Musk", "ORG")]) == [("Elon Musk", "PER")]
    assert run("Donald J. Trump siegte, sagte Trump.", []) == [("Donald J. Trump", "PER")]


def test_no_evidence_no_change() -> None:
    text = "German Pellets meldet Insolvenz an."
    assert run(text, [("German Pellets", "ORG")]) == [("German Pellets", "ORG")]
    assert run("Elon Musk kaufte Twitter.", []) == []
    # A company named again and again is no evidence: "Pellets" never stands without "German".
    text = "German Pellets meldet Insolvenz an. Die German Pellets GmbH schweigt."
    ents = [("German Pellets", "ORG"), ("German Pellets GmbH", "ORG")]
    assert run(text, ents) == ents


def test_second_first_names_initials_and_where_the_evidence_counts() -> None:
    # The second first name, then the surname; the surname alone later is the evidence.
    text = "Hans Peter Müller kam. Müller ging."
    assert run(text, []) == [("Hans Peter Müller", "PER")]
    # The initial and its full stop as two tokens ("J ." after a blank tokenizer's split).
    assert run("Donald J . Trump siegte, sagte Trump.", []) == [("Donald J . Trump", "PER")]
    # A surname repeated only inside the name itself is no evidence; once outside it, it is.
    assert run("Hans Peter Peter kam.", []) == []
    assert run("Hans Peter Peter kam. Peter ging.", []) == [("Hans Peter Peter", "PER")]
    # A stop word never starts a name, and a name spotted once is skipped past as a whole.
    assert run("Elon Musk und Elon Musk. Musk", []) == [("Elon Musk", "PER"), ("Elon Musk", "PER")]
    assert run("Elon Musk und Elon Musk.", []) == []  # the whole name repeated is no evidence

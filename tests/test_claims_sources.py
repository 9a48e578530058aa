"""Sources resolved to entities (``doc._.claim_sources``): pronouns by gender and number, "demnach"
continuing the source before it, a name inside a role phrase, no accuser in an impersonal passive."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import kit.nlp.claims  # noqa: F401  (registers the kit_claims factory)
from kit.nlp.claims import resolve_source


@pytest.fixture(scope="module")
def de() -> Language:
    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kit_claims", config={"model": None})
    return nlp


def _run(nlp: Language, text: str, ents: list[tuple[str, str]]) -> Doc:
    """``text`` with the given (words, label) entities, then the claims component."""
    doc = nlp.make_doc(text)
    doc = nlp.get_pipe("sentencizer")(doc)
    spans = []
    for words, label in ents:
        start = text.index(words)
        span = doc.char_span(start, start + len(words), label=label)
        assert span is not None, words
        spans.append(span)
    doc.ents = spans
    return nlp.get_pipe("kit_claims")(doc)


def _resolved(doc: Doc, cue: str) -> str | None:
    for claim, source in zip(doc._.claims, doc._.claim_sources, strict=True):
        if any(cue in doc.text[a:b].split() for a, b in claim.cue_spans):
            return None if source is None else doc.text[source[0] : source[1]]
    raise AssertionError(f"no claim with cue {cue!r}")


def test_pronoun_gender_from_first_name(de: Language) -> None:
    text = "Angela Merkel traf Peer Steinbrück in Berlin. Sie sagte, die Lage sei ernst."
    doc = _run(de, text, [("Angela Merkel", "PER"), ("Peer Steinbrück", "PER"), ("Berlin", "LOC")])
    assert _resolved(doc, "sagte") == "Angela Merkel"
    text = "Angela Merkel traf Peer Steinbrück in Berlin. Er sagte, die Lage sei ernst."
    doc = _run(de, text, [("Angela Merkel", "PER"), ("Peer Steinbrück", "PER"), ("Berlin", "LOC")])
    assert _resolved(doc, "sagte") == "Peer Steinbrück"


def test_plural_pronoun_is_a_group_never_a_place(de: Language) -> None:
    text = "Die Polizei in Hamburg nahm zwei Männer fest. Sie teilten mit, die Lage sei ruhig."
    doc = _run(de, text, [("Hamburg", "LOC")])
    assert _resolved(doc, "teilten") is None


def test_speaker_not_in_own_content(de: Language) -> None:
    text = "Peer Steinbrück kam nach Berlin. Merkel habe gelogen, sagte er."
    doc = _run(de, text, [("Peer Steinbrück", "PER"), ("Berlin", "LOC"), ("Merkel", "PER")])
    assert _resolved(doc, "sagte") == "Peer Steinbrück"


def test_name_in_role_phrase_beats_adjective(de: Language) -> None:
    text = "Musk werde eine Kommission leiten, hat der republikanische Hoffnungsträger Trump angekündigt."
    doc = _run(de, text, [("Musk", "PER"), ("republikanische", "MISC"), ("Trump", "PER")])
    assert _resolved(doc, "angekündigt") == "Trump"


def test_demnach_continues_previous_source(de: Language) -> None:
    text = (
        "Das „Wall Street Journal“ berichtete, Musk habe Putin getroffen. "
        "Demnach sprachen die beiden über Taiwan."
    )
    doc = _run(de, text, [("Wall Street Journal", "ORG"), ("Musk", "PER"), ("Putin", "PER")])
    assert _resolved(doc, "Demnach") == "Wall Street Journal"


def test_description_named_after_same_noun_and_indefinite_genitive(de: Language) -> None:
    text = "Der Konzern Siemens meldete Gewinne. Ein Sprecher des Unternehmens erklärte, die Lage sei gut."
    doc = _run(de, text, [("Siemens", "ORG")])
    assert _resolved(doc, "erklärte") == "Siemens"
    claim = next(c for c in doc._.claims if "erklärte" in doc.text[c.cue_spans[0][0] : c.cue_spans[0][1]])
    span = resolve_source(doc, claim)
    assert span is not None and doc.text[span[0] : span[1]] == "Siemens"


def test_indefinite_person_is_someone_new(de: Language) -> None:
    text = "Peer Steinbrück kam nach Berlin. Ein Sprecher erklärte, die Lage sei gut."
    doc = _run(de, text, [("Peer Steinbrück", "PER"), ("Berlin", "LOC")])
    assert _resolved(doc, "erklärte") is None


def test_impersonal_passive_names_no_accuser(de: Language) -> None:
    text = "Einer Ex-Mitarbeiterin von „9Live“ wird vorgeworfen, Anrufer betrogen zu haben."
    doc = _run(de, text, [("9Live", "ORG")])
    claim = doc._.claims[0]
    assert claim.source_spans == []
    text = "Von den Behörden wird angenommen, dass Schmuggel zu dem Zwischenfall führte."
    doc = _run(de, text, [])
    assert [doc.text[a:b] for a, b in doc._.claims[0].source_spans] == ["den Behörden"]

"""English claims on a dependency parse (kit/nlp/claims/lang/en_syntax.py): documents with a
hand-written Universal Dependencies parse, so the rules are checked without any model."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from kit.nlp.claims import extract_claims
from kit.nlp.types import Claim

# (word, head index in the sentence, dep, pos, lemma); heads are 0-based within the document
Row = tuple[str, int, str, str, str]


def _doc(rows: list[Row], ents: list[str] | None = None) -> Doc:
    nlp = spacy.blank("en")
    words = [r[0] for r in rows]
    spaces = [k + 1 < len(rows) and rows[k + 1][3] != "PUNCT" for k in range(len(rows))]
    return Doc(
        nlp.vocab,
        words=words,
        spaces=spaces,
        heads=[r[1] for r in rows],
        deps=[r[2] for r in rows],
        pos=[r[3] for r in rows],
        lemmas=[r[4] for r in rows],
        ents=ents,
    )


def _text(doc: Doc, spans: list[tuple[int, int]]) -> str:
    return " ".join(doc.text[a:b] for a, b in sorted(spans))


def _claim(doc: Doc, cue_word: str) -> Claim:
    claims = extract_claims(doc, lang="en", model=None)
    found = [c for c in claims if cue_word in _text(doc, c.cue_spans).split()]
    assert found, [(_text(doc, c.cue_spans), _text(doc, c.source_spans)) for c in claims]
    return found[0]


def test_subject_of_the_cue_speaks_not_the_object() -> None:
    # "The mayor told the council that taxes would rise."
    doc = _doc(
        [
            ("The", 1, "det", "DET", "the"),
            ("mayor", 2, "nsubj", "NOUN", "mayor"),
            ("told", 2, "ROOT", "VERB", "tell"),
            ("the", 4, "det", "DET", "the"),
            ("council", 2, "obj", "NOUN", "council"),
            ("that", 8, "mark", "SCONJ", "that"),
            ("taxes", 8, "nsubj", "NOUN", "tax"),
            ("would", 8, "aux", "AUX", "would"),
            ("rise", 2, "ccomp", "VERB", "rise"),
            (".", 2, "punct", "PUNCT", "."),
        ]
    )
    claim = _claim(doc, "told")
    assert _text(doc, claim.source_spans) == "The mayor"
    assert "taxes would rise" in _text(doc, claim.content_spans)


def test_coordinated_cue_shares_the_subject_through_the_parse() -> None:
    # "Smith, who met the press on Monday, criticized the plan and warned that it would fail."
    rows: list[Row] = [
        ("Smith", 9, "nsubj", "PROPN", "Smith"),
        (",", 3, "punct", "PUNCT", ","),
        ("who", 3, "nsubj", "PRON", "who"),
        ("met", 0, "acl:relcl", "VERB", "meet"),
        ("the", 5, "det", "DET", "the"),
        ("press", 3, "obj", "NOUN", "press"),
        ("on", 7, "case", "ADP", "on"),
        ("Monday", 3, "obl", "PROPN", "Monday"),
        (",", 3, "punct", "PUNCT", ","),
        ("criticized", 9, "ROOT", "VERB", "criticize"),
        ("the", 11, "det", "DET", "the"),
        ("plan", 9, "obj", "NOUN", "plan"),
        ("and", 13, "cc", "CCONJ", "and"),
        ("warned", 9, "conj", "VERB", "warn"),
        ("that", 17, "mark", "SCONJ", "that"),
        ("it", 17, "nsubj", "PRON", "it"),
        ("would", 17, "aux", "AUX", "would"),
        ("fail", 13, "ccomp", "VERB", "fail"),
        (".", 9, "punct", "PUNCT", "."),
    ]
    doc = _doc(rows, ents=["B-PER", *["O"] * (len(rows) - 1)])
    claim = _claim(doc, "warned")
    # the subject with its relative clause, as PolNeAR marks it; not "the plan", the words before "and"
    assert _text(doc, claim.source_spans) == "Smith, who met the press on Monday"


def test_agentless_passive_has_no_speaker_and_agent_speaks() -> None:
    # "The senator was accused of lying by the committee."
    doc = _doc(
        [
            ("The", 1, "det", "DET", "the"),
            ("senator", 3, "nsubj:pass", "NOUN", "senator"),
            ("was", 3, "aux:pass", "AUX", "be"),
            ("accused", 3, "ROOT", "VERB", "accuse"),
            ("of", 5, "mark", "SCONJ", "of"),
            ("lying", 3, "advcl", "VERB", "lie"),
            ("by", 8, "case", "ADP", "by"),
            ("the", 8, "det", "DET", "the"),
            ("committee", 3, "obl:agent", "NOUN", "committee"),
            (".", 3, "punct", "PUNCT", "."),
        ]
    )
    claim = _claim(doc, "accused")
    assert _text(doc, claim.source_spans) == "the committee"
    assert "The senator" not in _text(doc, claim.source_spans)


def test_possessor_of_a_noun_of_saying_speaks() -> None:
    # "Officials rejected his claim that the vote was rigged."
    doc = _doc(
        [
            ("Officials", 1, "nsubj", "NOUN", "official"),
            ("rejected", 1, "ROOT", "VERB", "reject"),
            ("his", 3, "nmod:poss", "PRON", "his"),
            ("claim", 1, "obj", "NOUN", "claim"),
            ("that", 8, "mark", "SCONJ", "that"),
            ("the", 6, "det", "DET", "the"),
            ("vote", 8, "nsubj:pass", "NOUN", "vote"),
            ("was", 8, "aux:pass", "AUX", "be"),
            ("rigged", 3, "acl", "VERB", "rig"),
            (".", 1, "punct", "PUNCT", "."),
        ]
    )
    claim = _claim(doc, "claim")
    assert _text(doc, claim.source_spans) == "his"
    assert _text(doc, claim.content_spans) == "that the vote was rigged"


def test_inverted_quote_speaker_is_the_subject_not_the_object() -> None:
    # "“Taxes will rise,” Smith, an economist, told me." (the word rules took "me")
    rows: list[Row] = [
        ("“", 3, "punct", "PUNCT", "“"),
        ("Taxes", 3, "nsubj", "NOUN", "tax"),
        ("will", 3, "aux", "AUX", "will"),
        ("rise", 11, "ccomp", "VERB", "rise"),
        (",", 3, "punct", "PUNCT", ","),
        ("”", 3, "punct", "PUNCT", "”"),
        ("Smith", 11, "nsubj", "PROPN", "Smith"),
        (",", 9, "punct", "PUNCT", ","),
        ("an", 9, "det", "DET", "an"),
        ("economist", 6, "appos", "NOUN", "economist"),
        (",", 9, "punct", "PUNCT", ","),
        ("told", 11, "ROOT", "VERB", "tell"),
        ("me", 11, "obj", "PRON", "I"),
        (".", 11, "punct", "PUNCT", "."),
    ]
    doc = _doc(rows, ents=[*["O"] * 6, "B-PER", *["O"] * 7])
    claim = _claim(doc, "told")
    assert _text(doc, claim.source_spans).startswith("Smith")
    assert "me" not in _text(doc, claim.source_spans).split()


def test_passive_raising_verb_gives_its_subject() -> None:
    # "The Times is expected to endorse Clinton."
    doc = _doc(
        [
            ("The", 1, "det", "DET", "the"),
            ("Times", 3, "nsubj:pass", "PROPN", "Times"),
            ("is", 3, "aux:pass", "AUX", "be"),
            ("expected", 3, "ROOT", "VERB", "expect"),
            ("to", 5, "mark", "PART", "to"),
            ("endorse", 3, "xcomp", "VERB", "endorse"),
            ("Clinton", 5, "obj", "PROPN", "Clinton"),
            (".", 3, "punct", "PUNCT", "."),
        ]
    )
    claim = _claim(doc, "endorse")
    assert _text(doc, claim.source_spans) == "The Times"

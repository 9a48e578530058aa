"""Which entity a claim's source refers to."""

from __future__ import annotations

from spacy.tokens import Doc

from kit.nlp.claims.context import SOURCE_LABELS
from kit.nlp.claims.lexicon import find_lexicon
from kit.nlp.types import Claim, Span


def resolve_source(doc: Doc, claim: Claim, *, lang: str | None = None) -> Span | None:
    """Char span of the entity mention a claim's source refers to.

    The source's own entity when it overlaps one; for pronouns ("er", "she") and descriptions
    ("das Blatt", "the company") the nearest preceding entity of the fitting label (YAML lists).
    """
    if not claim.source_spans:
        return None
    start, end = claim.source_spans[0][0], claim.source_spans[-1][1]
    overlapping = [
        e for e in doc.ents if e.start_char < end and e.end_char > start and e.label_ in SOURCE_LABELS
    ]
    if overlapping:
        best = max(overlapping, key=lambda e: (e.label_ in ("PER", "PERSON", "ORG"), len(e.text)))
        return best.start_char, best.end_char
    lex = find_lexicon((lang or doc.lang_ or "").split("_")[0])
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or lex is None:
        return None
    label = None
    for tok in reversed(span):
        low = tok.lower_
        label = lex.pronouns.get(low) or lex.descriptions.get(low)
        if label:
            break
    if label is None:
        return None
    wanted = {"PER": ("PER", "PERSON"), "ORG": ("ORG",)}.get(label, (label,))
    before = [e for e in doc.ents if e.end_char <= start and e.label_ in wanted]
    if not before and label == "ORG":
        before = [e for e in doc.ents if e.end_char <= start and e.label_ in ("PER", "PERSON")]
    return (before[-1].start_char, before[-1].end_char) if before else None

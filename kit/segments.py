"""Very long articles run through the pipeline in segments and come back as one ``Doc``.

A 1.26 M-character article took 7 minutes and 3.45 GB as one ``Doc`` (several components keep
per-document state that grows with the text); cut at paragraph breaks into segments of
``settings.SEGMENT_CHARS``, it costs what the same text costs as separate articles.  The segments
are joined back with ``Doc.from_docs``, and the kit's document attributes (dates, claims, resolved
sources) are shifted to the joined text, so rows keep offsets into the whole article.

What a segment boundary costs: a name recognised in one segment is not propagated into the next
(document consistency), a pronoun source does not look back across it, and a quotation that
runs over it is cut.  Boundaries are paragraph breaks, where those rules rarely reach.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kit.nlp.types import Claim, Span, Timex

__all__ = ["join_segments", "segment_starts"]

_PARAGRAPH = re.compile(r"\n\s*\n")
_LINE = re.compile(r"\n")
_SENTENCE = re.compile(r"[.!?…][\"“”»«']?\s+")
_SPACE = re.compile(r"\s+")


def _last_break(text: str, lo: int, hi: int) -> int | None:
    """The end of the last paragraph break, line break, sentence end or space in text[lo:hi]."""
    for pattern in (_PARAGRAPH, _LINE, _SENTENCE, _SPACE):
        found = None
        for match in pattern.finditer(text, lo, hi):
            found = match.end()
        if found is not None and found > lo:
            return found
    return None


def segment_starts(text: str, size: int) -> list[int]:
    """Start offsets of the segments of ``text`` (``[0]`` when it fits in one).

    Each segment ends at the last paragraph break before ``size`` characters (else a line break, a
    sentence end, a space; a text without any is cut hard), never in the first half of a segment,
    so no segment is tiny."""
    starts = [0]
    while len(text) - starts[-1] > size:
        lo = starts[-1]
        cut = _last_break(text, lo + size // 2, lo + size) or lo + size
        starts.append(cut)
    return starts


def _shift(spans: list[Span], by: int) -> list[Span]:
    return [(a + by, b + by) for a, b in spans]


def join_segments(docs: list[Doc], starts: list[int], text: str) -> Doc:
    """One ``Doc`` of the whole ``text`` from the processed segments, with the kit's attributes.

    Raises ``ValueError`` when the joined tokens do not give back ``text`` exactly (offsets would
    be wrong): the caller then processes the article whole."""
    if len(docs) == 1:
        return docs[0]
    for doc in docs:
        doc.user_data.pop("kit_text", None)  # the cached text of a segment is not the article's
    joined = Doc.from_docs(docs, ensure_whitespace=False, exclude=["user_data"])  # type: ignore[call-arg]  # stub lags 3.8
    if joined.text != text:
        raise ValueError("segments do not join back into the article text")
    timexes: list[Timex] = []
    claims: list[Claim] = []
    sources: list[Span | None] = []
    for doc, start in zip(docs, starts, strict=True):
        for t in doc._.timexes or []:
            timexes.append(t._replace(start_char=t.start_char + start, end_char=t.end_char + start))
        found = doc._.claims or []
        resolved = list(doc._.claim_sources or [])
        resolved += [None] * (len(found) - len(resolved))
        for claim, source in zip(found, resolved, strict=True):
            claims.append(
                claim._replace(
                    content_spans=_shift(claim.content_spans, start),
                    source_spans=_shift(claim.source_spans, start),
                    cue_spans=_shift(claim.cue_spans, start),
                )
            )
            sources.append(None if source is None else (source[0] + start, source[1] + start))
    joined._.published = docs[0]._.published
    joined._.timexes = timexes if any(d._.timexes is not None for d in docs) else None
    joined._.claims = claims if any(d._.claims is not None for d in docs) else None
    joined._.claim_sources = sources if any(d._.claim_sources is not None for d in docs) else None
    return joined

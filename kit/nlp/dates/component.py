"""The spaCy component ``kit_dates``: sets ``doc._.timexes``, news mode anchored on ``doc._.published``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from kit.nlp.dates.grammar import load_grammar
from kit.nlp.dates.tagger import tag_text
from kit.nlp.extensions import doc_text, register_extensions
from kit.nlp.types import Timex


def as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def extract_timexes(
    doc: Doc, *, anchor: dt.date | None = None, lang: str | None = None, timeml_strict: bool = False
) -> list[Timex]:
    """TIMEX3 expressions of a ``Doc`` (textacy-style: a pure function over the doc).

    ``anchor`` None means narrative mode; ``lang`` defaults to the doc's vocabulary language;
    a language without resources gives an empty list. ``timeml_strict`` follows the annotation
    scheme where the kit departs from it for readers ("vor zwanzig Jahren": DURATION P20Y, not 2004).
    """
    grammar = load_grammar(lang or doc.lang_)
    if grammar is None:
        return []
    sentences = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") else None
    return tag_text(
        doc_text(doc),
        grammar=grammar,
        anchor=as_date(anchor),
        sentences=sentences,
        timeml_strict=timeml_strict,
    )


class DateTagger:
    """spaCy component: sets ``doc._.timexes``; news mode anchors on ``doc._.published``."""

    def __init__(self, nlp: Language, name: str, *, mode: str = "news", timeml_strict: bool = False) -> None:
        if mode not in ("news", "narrative"):
            raise ValueError(f"kit_dates mode must be 'news' or 'narrative', not {mode!r}")
        if not isinstance(timeml_strict, bool):
            raise TypeError(f"kit_dates timeml_strict must be true or false, not {timeml_strict!r}")
        self.timeml_strict = timeml_strict
        register_extensions()
        self.name = name
        self.mode = mode
        self.lang = nlp.lang
        self.grammar = load_grammar(nlp.lang)  # compile once, at pipeline build time

    def __call__(self, doc: Doc) -> Doc:
        if self.grammar is None:
            doc._.timexes = []
            return doc
        anchor = as_date(doc._.published) if self.mode == "news" else None
        doc._.timexes = extract_timexes(doc, anchor=anchor, lang=self.lang, timeml_strict=self.timeml_strict)
        return doc


@Language.factory("kit_dates", default_config={"mode": "news", "timeml_strict": False})
def make_date_tagger(nlp: Language, name: str, mode: str, timeml_strict: bool) -> DateTagger:
    """Factory for ``nlp.add_pipe("kit_dates", config={"mode": "news", "timeml_strict": False})``."""
    return DateTagger(nlp, name, mode=mode, timeml_strict=timeml_strict)

"""Organisations from a gazetteer: listed companies and football clubs NER missed are ORG.

Business news is full of listed companies and sports news of clubs, names a news-trained NER
has often never seen ("Zalando", "Hertha BSC"). ``resources/<lang>/organisations.tsv`` lists
their names and aliases (``kit train gazetteer``: companies of 20 stock indices from the
``pytickersymbols`` package, MIT; European football clubs from openfootball, CC0), each marked
``free`` or ``context``. A listed name that no entity covers becomes ORG; so does one that only
covers shorter entities inside it ("Deutsche" MISC + "Telekom" ORG -> "Deutsche Telekom" ORG).
A ``context`` alias is also a place, a first name, a common word or the alias of several
organisations ("Bayern", "Hertha", "Allianz", "Dinamo"): it becomes ORG only next to an
organisation cue of ``resources/<lang>/gazetteer.yaml`` ("der Versicherer Allianz") or where a
longer alias of the same organisation stands in the article ("FC Bayern München ... Bayern").
Languages without the list are left unchanged.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from spacy.language import Language
from spacy.tokens import Doc, Span

from kit.resources.spec import load_checked
from kit.settings import RESOURCES_DIR

__all__ = [
    "Alias",
    "GazetteerRules",
    "GazetteerSpec",
    "gazetteer_aliases",
    "gazetteer_file",
    "gazetteer_settings",
    "make_gazetteer_rules",
]


class GazetteerSpec(TypedDict):
    """``resources/<lang>/gazetteer.yaml``."""

    legal_suffixes: list[str]
    common_noun_cues: list[str]
    cues_before: list[str]
    cues_after: list[str]


@dataclass(frozen=True, slots=True)
class Alias:
    """One listed name: its tokens, the organisation it names, and whether it needs context."""

    words: tuple[str, ...]
    canonical: str
    context: bool


def gazetteer_file(lang: str) -> Path:
    return RESOURCES_DIR / lang / "organisations.tsv"


def gazetteer_settings(lang: str) -> GazetteerSpec | None:
    return load_checked("gazetteer", lang, GazetteerSpec)


@functools.lru_cache(maxsize=4)
def gazetteer_aliases(lang: str) -> dict[str, tuple[Alias, ...]]:
    """Listed names by first token, longest first (the file holds them already tokenised)."""
    path = gazetteer_file(lang)
    if not path.exists():
        return {}
    by_first: dict[str, list[Alias]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        tokens, canonical, _source, context = line.split("\t")
        alias = Alias(tuple(tokens.split(" ")), canonical, context == "context")
        by_first.setdefault(alias.words[0], []).append(alias)
    return {
        first: tuple(sorted(names, key=lambda a: len(a.words), reverse=True))
        for first, names in by_first.items()
    }


class GazetteerRules:
    """Adds ORG spans for listed organisation names (see the module docstring)."""

    def __init__(self, nlp: Language) -> None:
        lang = nlp.lang or ""
        settings = gazetteer_settings(lang)
        self.aliases = gazetteer_aliases(lang) if settings is not None else {}
        self.cues_before = frozenset(settings["cues_before"]) if settings else frozenset()
        self.cues_after = frozenset(settings["cues_after"]) if settings else frozenset()

    def _matches(self, words: list[str]) -> list[tuple[int, int, Alias]]:
        """Longest listed name at each position, left to right, not overlapping."""
        found = []
        i = 0
        while i < len(words):
            hit = None
            for alias in self.aliases.get(words[i], ()):
                end = i + len(alias.words)
                if tuple(words[i:end]) == alias.words:
                    hit = (i, end, alias)
                    break
            if hit is None:
                i += 1
                continue
            found.append(hit)
            i = hit[1]
        return found

    def _cued(self, words: list[str], start: int, end: int) -> bool:
        before = words[start - 1] if start > 0 else ""
        after = words[end] if end < len(words) else ""
        return before in self.cues_before or after in self.cues_after

    def __call__(self, doc: Doc) -> Doc:
        if not self.aliases:
            return doc
        words = [t.text for t in doc]
        matches = self._matches(words)
        if not matches:
            return doc
        # organisations named in the article by an alias that needs no context, or by an ORG entity
        named = {alias.canonical for _, _, alias in matches if not alias.context}
        ent_of = [-1] * len(words)
        for n, ent in enumerate(doc.ents):
            for k in range(ent.start, ent.end):
                ent_of[k] = n
        ents = list(doc.ents)
        replaced: set[int] = set()
        added = []
        for start, end, alias in matches:
            if alias.context and alias.canonical not in named and not self._cued(words, start, end):
                continue
            inside = {ent_of[k] for k in range(start, end) if ent_of[k] >= 0}
            # entities strictly inside the name are replaced; one that is the name itself or
            # reaches outside it is NER's reading and stays
            if any(ents[n].start < start or ents[n].end > end for n in inside):
                continue
            if any(ents[n].start == start and ents[n].end == end for n in inside):
                continue
            replaced |= inside
            added.append(Span(doc, start, end, label="ORG"))
        if added:
            kept = [ent for n, ent in enumerate(ents) if n not in replaced]
            doc.ents = sorted([*kept, *added], key=lambda span: span.start)
        return doc


@Language.factory("kit_gazetteer")
def make_gazetteer_rules(nlp: Language, name: str) -> GazetteerRules:
    return GazetteerRules(nlp)

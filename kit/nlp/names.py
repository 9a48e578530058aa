"""Person names from a first-name gazetteer: "Elon Musk" is a person even when NER never saw him.

The statistical NER's errors are mostly names it has never seen. A known first name followed by
capitalised name-like tokens (an optional initial, then a surname) marks a person: the span is added
where NER found nothing, and an entity NER found on exactly those words, or inside them, is
relabelled or widened to PER. First names come from the ``gender-guesser`` package's dictionary
(Jörg Michael's nam_dict, about 37,000 first names from 50 countries), read where it is installed.
"""

from __future__ import annotations

import functools
import importlib.resources
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc, Span

from kit.nlp.canon import is_role
from kit.resources import load_resource

__all__ = ["NameRules", "first_names", "make_name_rules"]


@functools.lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Capitalised first names of the gazetteer (compound forms such as 'Hans+Peter' left out)."""
    data = importlib.resources.files("gender_guesser") / "data" / "nam_dict.txt"
    names = set()
    with data.open(encoding="utf-8") as handle:
        for line in handle:
            if line[:1] in "#=" or not line.strip():
                continue
            name = line.split()[1]
            if "+" not in name and len(name) > 1 and name[0].isupper():
                names.add(name)
    return frozenset(names)


class NameRules:
    """Adds or fixes PER spans that start with a known first name."""

    def __init__(self, nlp: Language) -> None:
        rules = load_resource("entities", nlp.lang)
        self.stop = {w.lower() for w in nlp.Defaults.stop_words} | {str(w).lower() for w in rules.get("determiners", [])}
        self.stop |= {str(w).lower() for w in rules.get("not_first_names", [])}
        self.stems = tuple(str(s) for s in rules.get("role_stems", []))
        self.names = first_names()
        self._name_like_cache: dict[str, bool] = {}

    def _name_like(self, text: str) -> bool:
        cached = self._name_like_cache.get(text)
        if cached is not None:
            return cached
        lower = text.lower()
        result = (
            text[:1].isupper()
            and text.replace("-", "").replace("'", "").isalpha()
            and lower not in self.stop
            and not is_role(text, self.stems)
        )
        if len(self._name_like_cache) >= 100_000:
            self._name_like_cache.clear()
        self._name_like_cache[text] = result
        return result

    def _person_at(self, doc: Doc, words: list[str], i: int) -> int | None:
        """End of a 'First [Initial.] Surname' name starting at token i, else None."""
        first = words[i]
        if first not in self.names or doc[i].lower_ in self.stop:
            return None
        n = len(words)
        j = i + 1
        if j < n and len(words[j]) == 2 and words[j][0].isupper() and words[j][1] == ".":
            j += 1  # "Donald J. Trump" (the initial as one token)
        elif j + 1 < n and len(words[j]) == 1 and words[j].isupper() and words[j + 1] == ".":
            j += 2  # (the initial and its full stop as two tokens)
        if j < n and self._name_like(words[j]) and words[j] not in self.names and words[j] != first:
            return j + 1
        if j < n and self._name_like(words[j]) and j + 1 < n and self._name_like(words[j + 1]):
            return j + 2  # "Hans Peter Müller": the second first name, then the surname
        return None

    def __call__(self, doc: Doc) -> Doc:
        words = [t.text for t in doc]
        names = self.names
        starts = [k for k, w in enumerate(words) if w in names]
        if not starts:
            return doc
        ents = list(doc.ents)
        owner = {k: e for e in ents for k in range(e.start, e.end)}
        alone_counts: Counter[str] | None = None  # words not right after a first name
        changed = False
        i = 0
        for start in starts:
            if start < i:
                continue  # inside the name found before
            end = self._person_at(doc, words, start)
            if end is None:
                continue
            i = start
            inside = {id(owner[k]): owner[k] for k in range(i, end) if k in owner}
            spans = list(inside.values())
            # Evidence that it is a person: the surname stands alone elsewhere in the doc ("Musk"),
            # not after a first name, which company names ("German Pellets") rarely do. Without
            # it nothing changes.
            surname = words[end - 1]
            if alone_counts is None:
                alone_counts = Counter(w for k, w in enumerate(words) if k == 0 or words[k - 1] not in names)
            alone = alone_counts[surname] > 0
            fits = all(i <= e.start and e.end <= end for e in spans)
            if fits and alone:
                ents = [e for e in ents if id(e) not in inside] + [Span(doc, i, end, label="PER")]
                changed = True
            i = end
        if changed:
            doc.ents = sorted(ents, key=lambda span: span.start)
        return doc


@Language.factory("kit_name_rules")
def make_name_rules(nlp: Language, name: str) -> NameRules:
    return NameRules(nlp)

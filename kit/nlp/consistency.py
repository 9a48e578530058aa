"""Document-level consistency: a name recognised once in an article is recognised everywhere in it.

Statistical NER often finds "Elon Musk" in the first sentence and misses "Musk" or "Musks" later.
This component, placed after ``ner``, marks every further occurrence of a recognised name, of a
person's surname, and of their genitives with the label the name was first recognised with.
Only capitalised forms are propagated, and existing entities always win.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from kit.nlp.canon import is_role
from kit.resources import load_resource

__all__ = ["DocConsistency", "make_doc_consistency"]

_PROPAGATED = ("PER", "ORG", "LOC", "PERSON", "GPE")


class DocConsistency:
    """Adds the missing repeats of names the pipeline recognised elsewhere in the same doc."""

    def __init__(self, nlp: Language) -> None:
        rules = load_resource("entities", nlp.lang)
        self.suffixes = [str(s) for s in rules.get("genitive_suffixes", []) if str(s).isalpha()]
        self.stems = tuple(str(s) for s in rules.get("role_stems", []))
        self.stopwords = {str(w).lower() for w in rules.get("determiners", [])} | set(nlp.Defaults.stop_words)

    def _forms(self, ents: Sequence[Span]) -> dict[str, str]:
        forms: dict[str, str] = {}
        for ent in ents:
            if ent.label_ not in _PROPAGATED:
                continue
            words = [t.text for t in ent]
            candidates = [" ".join(words)]
            if ent.label_ in ("PER", "PERSON") and len(words) > 1:
                candidates.append(words[-1])
            for form in candidates:
                if not form[:1].isupper() or len(form) < 3 or form.lower() in self.stopwords:
                    continue
                if is_role(form, self.stems):
                    continue
                forms.setdefault(form, ent.label_)
                for suffix in self.suffixes:
                    forms.setdefault(form + suffix, ent.label_)
        return forms

    def __call__(self, doc: Doc) -> Doc:
        ents = doc.ents
        if not ents:
            return doc
        forms = self._forms(ents)
        if not forms:
            return doc
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        added: list[Span] = []
        by_words = {tuple(form.split(" ")): label for form, label in forms.items()}
        firsts = {words[0] for words in by_words}
        longest = max(len(words) for words in by_words)
        tokens = [t.text for t in doc]
        n = len(tokens)
        i = 0
        while i < n:
            if tokens[i] not in firsts:
                i += 1
                continue
            match = None
            for size in range(min(longest, n - i), 0, -1):
                words = tuple(tokens[i : i + size])
                if words in by_words and not any(k in taken for k in range(i, i + size)):
                    match = (size, by_words[words])
                    break
            if match is None:
                i += 1
                continue
            size, label = match
            added.append(Span(doc, i, i + size, label=label))
            i += size
        if added:
            doc.ents = sorted([*ents, *added], key=lambda span: span.start)
        return doc


@Language.factory("kit_doc_consistency")
def make_doc_consistency(nlp: Language, name: str) -> DocConsistency:
    return DocConsistency(nlp)

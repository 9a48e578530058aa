"""Organisations named by the roles people hold in them: "Tesla-Chef", "Kopf von SpaceX".

German business news names companies, parties and institutions through role compounds and phrases
("VW-Chef", "SPD-Vorstand", "Sprecher von Siemens"); English through "CEO of X". Where a role marks
a name as an organisation, every mention of that name in the article becomes ORG: mentions NER
missed are added, and mentions NER labelled as a person or place are relabelled, unless the name
also appears with a first name ("Nikola Tesla"). Role words live in ``resources/<lang>/entities.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from kit.resources import load_resource

__all__ = ["OrgRules", "make_org_rules"]


class OrgRules:
    """Adds or relabels ORG spans for names the article ties to an organisational role."""

    def __init__(self, nlp: Language) -> None:
        rules = load_resource("entities", nlp.lang)
        self.stems = tuple(str(s) for s in rules.get("org_role_stems", []))
        self.links = {str(w) for w in rules.get("org_role_links", [])}
        self.stop = {w.lower() for w in nlp.Defaults.stop_words}

    def _is_role(self, word: str) -> bool:
        return word.lower().endswith(self.stems)  # str.endswith takes a tuple: any of the stems

    def _names(self, doc: Doc) -> Iterator[str]:
        """Organisation names the roles in the doc point at."""
        for i, token in enumerate(doc):
            head, dash, tail = token.text.rpartition("-")
            if dash and head[:1].isupper() and head.isalnum() and self._is_role(tail):
                yield head  # "Tesla-Chef", "SPD-Vorstand"
            elif self._is_role(token.text) and i + 2 < len(doc) and doc[i + 1].lower_ in self.links:
                name = doc[i + 2]
                if name.text[:1].isupper() and name.lower_ not in self.stop and name.is_alpha:
                    yield name.text  # "Kopf von SpaceX", "CEO of Tesla"

    def __call__(self, doc: Doc) -> Doc:
        names = {name for name in self._names(doc) if len(name) > 1}
        if not names:
            return doc
        # A multi-word person entity ending in the name ("Nikola Tesla") vetoes it.
        names -= {e[-1].text for e in doc.ents if len(e) > 1 and e.label_ in ("PER", "PERSON")}
        kept = [ent for ent in doc.ents if not (ent.text in names and ent.label_ != "ORG")]
        taken = {k for e in kept for k in range(e.start, e.end)}
        added = [Span(doc, t.i, t.i + 1, label="ORG") for t in doc if t.text in names and t.i not in taken]
        if added:
            doc.ents = sorted([*kept, *added], key=lambda span: span.start)
        return doc


@Language.factory("kit_org_rules")
def make_org_rules(nlp: Language, name: str) -> OrgRules:
    return OrgRules(nlp)

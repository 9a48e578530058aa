"""Pronoun coreference of the kit's own: a third-person pronoun ("he", "she", "it", "they") refers
to the most recent compatible named person or organisation before it.

Rules, not a model (nothing here is trained, so nothing needs a licence for training data):

- compatibility: "he"/"she" a person of that gender or of unknown gender, "it" an organisation,
  "they" an organisation (a plural group of people has no single named entity to resolve to);
- gender of a person from the first name of its full name (gender-guesser's list, which the kit
  uses for names already), else from a title before one of its mentions ("Ms. Rao");
- distance: at most ``max_sentences`` sentences back, per pronoun gender;
- salience: the nearest sentence with a candidate wins; in it, a subject (when the pipeline has a
  parser; else the first mention of the sentence, where English puts its subject) outranks a more
  recent mention.

Words are data: ``kit/resources/<lang>/coref.yaml`` (:class:`CorefSpec`); a language without that
file resolves nothing.  Checked on GUM dev's coreference annotation: ``kit eval coref``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict

from spacy.tokens import Doc
from spacy.tokens import Span as EntSpan

from kit.nlp.claims.sources import name_gender
from kit.resources.spec import load_checked

__all__ = ["CorefRules", "CorefSpec", "Resolver", "find_rules", "resolve_pronouns"]


class CorefExample(TypedDict):
    """A text whose first ``pronoun`` must resolve to ``entity`` (``tests/test_coref.py`` runs them)."""

    text: str
    pronoun: str
    entity: str


class CorefSpec(TypedDict):
    """Keys of ``coref.yaml``."""

    pronouns: dict[str, str]  # pronoun -> m / f / n / pl
    person_labels: list[str]
    group_labels: list[str]
    max_sentences: dict[str, int]  # pronoun gender -> sentences back
    titles: dict[str, list[str]]  # m / f -> titles before a name
    subject_deps: list[str]
    agent_only: list[str]  # genders resolved only as the subject of a non-copular verb
    copulas: list[str]
    examples: list[CorefExample]


@dataclass(frozen=True)
class CorefRules:
    """The checked ``coref.yaml`` of one language."""

    lang: str
    pronouns: dict[str, str]
    person_labels: frozenset[str]
    group_labels: frozenset[str]
    max_sentences: dict[str, int]
    titles: dict[str, str]  # title -> gender
    subject_deps: frozenset[str]
    agent_only: frozenset[str]
    copulas: frozenset[str]


@functools.cache
def find_rules(lang: str) -> CorefRules | None:
    """The coreference rules of ``lang``; None when it has no ``coref.yaml`` (then nothing resolves)."""
    data = load_checked("coref", lang, CorefSpec)
    if data is None:
        return None
    return CorefRules(
        lang=lang,
        pronouns={str(k).lower(): str(v) for k, v in data["pronouns"].items()},
        person_labels=frozenset(data["person_labels"]),
        group_labels=frozenset(data["group_labels"]),
        max_sentences={str(k): int(v) for k, v in data["max_sentences"].items()},
        titles={str(w).lower(): g for g, words in data["titles"].items() for w in words},
        subject_deps=frozenset(data["subject_deps"]),
        agent_only=frozenset(data["agent_only"]),
        copulas=frozenset(data["copulas"]),
    )


class Resolver:
    """Pronoun resolution over one document: its sentences and mentions are indexed once."""

    def __init__(self, doc: Doc, rules: CorefRules, ents: Iterable[EntSpan] | None = None) -> None:
        self.doc, self.rules = doc, rules
        allowed = rules.person_labels | rules.group_labels
        self.ents = [e for e in (doc.ents if ents is None else ents) if e.label_ in allowed]
        self.sent_of = [0] * len(doc)
        if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
            for k, sent in enumerate(doc.sents):
                for i in range(sent.start, sent.end):
                    self.sent_of[i] = k
        self.parsed = doc.has_annotation("DEP")
        people = [e for e in self.ents if self.person(e)]
        self.full = {e[-1].lower_: e for e in people if len(e) > 1}  # surname -> a full-name mention
        self.title_gender: dict[str, str] = {}
        for e in people:  # "Ms. Rao", with or without the title inside the mention
            for word in (e[0].lower_, doc[e.start - 1].lower_ if e.start else ""):
                if word in rules.titles:
                    self.title_gender.setdefault(e[-1].lower_, rules.titles[word])
        self.first_in_sent: dict[int, int] = {}
        for e in self.ents:
            self.first_in_sent.setdefault(self.sent_of[e.start], e.start)

    def gender(self, ent: EntSpan) -> str:
        """ "m", "f" or "" for a person mention: first name of its full name, else a title seen before it."""
        full = ent if len(ent) > 1 else self.full.get(ent[-1].lower_, ent)
        if len(full) > 1 and full[0].lower_ not in self.rules.titles:
            found = name_gender(full[0].text)
            if found:
                return found
        return self.title_gender.get(ent[-1].lower_, "")

    def titled(self, ent: EntSpan) -> bool:
        """A mention with a title of address in or right before it ("Mr. Hale"): a person,
        whatever label the NER gave it."""
        titles = self.rules.titles
        return ent[0].lower_ in titles or ent.start > 0 and self.doc[ent.start - 1].lower_ in titles

    def person(self, ent: EntSpan) -> bool:
        return ent.label_ in self.rules.person_labels or self.titled(ent)

    def compatible(self, ent: EntSpan, gender: str) -> bool:
        if gender in ("m", "f"):
            return self.person(ent) and self.gender(ent) in ("", gender)
        return ent.label_ in self.rules.group_labels and not self.titled(ent)

    def salient(self, ent: EntSpan) -> bool:
        """A subject of its clause (parser), else the first mention of its sentence."""
        if self.parsed:
            return ent.root.dep_ in self.rules.subject_deps
        return self.first_in_sent.get(self.sent_of[ent.start]) == ent.start

    def acts(self, i: int) -> bool:
        """Whether pronoun ``i`` is the subject of a verb that is not a copula (needs a parse)."""
        tok = self.doc[i]
        return (
            self.parsed
            and tok.dep_ in self.rules.subject_deps
            and tok.head.pos_ in ("VERB", "AUX")
            and tok.head.lemma_.lower() not in self.rules.copulas
        )

    def antecedent(
        self, i: int, skip: Iterable[tuple[int, int]] = (), speaker: bool = False
    ) -> EntSpan | None:
        """The mention pronoun token ``i`` refers to; mentions inside the char spans ``skip`` (a
        claim's own content) are passed over; ``speaker``: the pronoun is a claim's source."""
        gender = self.rules.pronouns.get(self.doc[i].lower_)
        if gender is None or gender not in self.rules.max_sentences:
            return None
        if gender in self.rules.agent_only and not (speaker or self.acts(i)):
            return None
        spans = list(skip)
        return self._nearest(i, gender, spans, strict=True) or self._nearest(i, gender, spans, strict=False)

    def _nearest(self, i: int, gender: str, skip: list[tuple[int, int]], strict: bool) -> EntSpan | None:
        """The nearest compatible mention within reach, a subject first in its sentence; ``strict``:
        only persons whose gender is known ("Mary Chaworth" for "she" before an unknown "Byron")."""
        reach = self.rules.max_sentences[gender]
        here = self.sent_of[i]
        best: EntSpan | None = None
        best_sent = -1
        for ent in reversed(self.ents):
            if ent.end > i:
                continue
            sent = self.sent_of[ent.start]
            if here - sent > reach or best is not None and sent < best_sent:
                break
            if any(a <= ent.start_char and ent.end_char <= b for a, b in skip):
                continue
            if not self.compatible(ent, gender) or strict and gender in ("m", "f") and not self.gender(ent):
                continue
            if best is None:
                best, best_sent = ent, sent
            elif self.salient(ent) and not self.salient(best):
                best = ent
        return best


def resolve_pronouns(doc: Doc, lang: str | None = None) -> dict[int, EntSpan]:
    """Every third-person pronoun token of ``doc`` that resolves -> the mention it refers to."""
    rules = find_rules((lang or doc.lang_ or "").split("_")[0])
    if rules is None:
        return {}
    resolver = Resolver(doc, rules)
    out: dict[int, EntSpan] = {}
    for tok in doc:
        if tok.lower_ in rules.pronouns:
            found = resolver.antecedent(tok.i)
            if found is not None:
                out[tok.i] = found
    return out

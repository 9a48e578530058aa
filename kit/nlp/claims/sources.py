"""Which entity a claim's source refers to (``doc._.claim_sources``); the source span stays what
the text says.

- A source holding entity mentions resolves to the best-ranked one (``source_labels``: a person
  before an organisation before a place; German derived adjectives, MISC, never speak):
  "der republikanische Hoffnungsträger Trump" is Trump, not "republikanisch".
- A pronoun ("er", "sie", "she") resolves to the nearest earlier compatible mention: gender from
  the first name (gender-guesser's list, which the kit already uses for names) or a role noun
  ("Präsidentin"), number from the verb ("sie sagten" is plural: an organisation); mentions inside
  the claim's own content are skipped ("Merkel habe gelogen, sagte er" is not Merkel).
- A relative pronoun alone (", die ... erklärte") resolves to the mention right before its comma.
- "Demnach", "wonach" (``according_self``) continue the source of the claim before them.
- A description ("das Unternehmen", "der Präsident") resolves to an earlier mention named after
  the same noun ("Oberverwaltungsgericht Münster", "US-Präsident Donald Trump"), else to a recent
  one introduced by a noun of the same kind ("der Konzern Siemens"); never just to the nearest
  organisation, which was mostly a wrong one ("die Behörden" -> "Hannover"); an indefinite one ("ein Sprecher") is someone new and resolves only through
  its genitive ("ein Sprecher des Ministeriums" -> the ministry).
"""

from __future__ import annotations

import functools
from typing import Any

from spacy.tokens import Doc
from spacy.tokens import Span as EntSpan

from kit.nlp.claims.context import Ctx
from kit.nlp.claims.lexicon import Lexicon, find_lexicon
from kit.nlp.types import Claim, Span

_PERSON = ("PER", "PERSON")
_PLACE = ("GPE", "LOC")
_WINDOW = 8  # sentences back that a pronoun or description may reach
_COMPOUND_MIN = 5  # "Bundessozialministerium" ends in "ministerium"; shorter heads must match whole


@functools.cache
def _detector() -> Any:
    """gender-guesser's first-name dictionary (loaded once, about 0.7 s)."""
    from gender_guesser.detector import Detector

    return Detector(case_sensitive=False)


@functools.lru_cache(maxsize=4096)
def name_gender(first_name: str) -> str:
    """ "m", "f" or "" (unknown, or used for both) for a first name."""
    found = str(_detector().get_gender(first_name))
    return {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}.get(found, "")


def warm_up(lang: str) -> None:
    """Load what resolution needs once (gender-guesser's list, about 0.7 s) for a language that asks."""
    lex = find_lexicon(lang)
    if lex is not None and lex.pronoun_gender:
        _detector()


class _Resolver:
    """Resolution state of one document: its mentions and the claims resolved so far."""

    def __init__(self, ctx: Ctx, lex: Lexicon) -> None:
        self.ctx, self.lex, self.doc = ctx, lex, ctx.doc
        self.rank = {label: k for k, label in enumerate(lex.source_labels)}
        self.ents = [e for e in ctx.ents if e.label_ in self.rank]
        per = [e for e in self.ents if e.label_ in _PERSON]
        self.full_names = {e[-1].lower_: e for e in per if len(e) > 1}  # surname -> full-name mention
        from kit.nlp import coref  # the coreference step reads this module's first-name genders

        rules = coref.find_rules(lex.lang)  # a language with coref.yaml resolves pronouns through it
        self.coref = coref.Resolver(self.doc, rules, ctx.ents) if rules is not None else None

    def _is_person(self, ent: EntSpan) -> bool:
        """A person mention, or a surname of one that NER labelled otherwise ("Steinbrück" as LOC)."""
        return ent.label_ in _PERSON or len(ent) == 1 and ent[0].lower_ in self.full_names

    def _rank(self, ent: EntSpan) -> int:
        return 0 if self._is_person(ent) else self.rank[ent.label_]

    def gender(self, ent: EntSpan) -> str:
        """Gender of a person mention: its (or its full name's) first name, else a role noun before it."""
        full = ent if len(ent) > 1 else self.full_names.get(ent[-1].lower_, ent)
        if len(full) > 1:
            found = name_gender(full[0].text)
            if found:
                return found
        for tok in self.doc[max(full.start - 3, 0) : full.start]:
            found = self.lex.role_gender.get(tok.lower_, "")
            for role, role_gender in self.lex.role_gender.items():
                if not found and len(role) >= _COMPOUND_MIN and tok.lower_.endswith(role):
                    found = role_gender  # "Bundeskanzlerin", "US-Präsident"
            if found:
                return found
        return ""

    def own(self, claim: Claim) -> list[EntSpan]:
        """Mentions inside the source span, best first."""
        start, end = claim.source_spans[0][0], claim.source_spans[-1][1]
        inside = [e for e in self.ents if e.start_char < end and e.end_char > start]
        return sorted(inside, key=lambda e: (self._rank(e), -len(e.text), -e.start_char))

    def before(self, start: int, claim: Claim, sent: int) -> list[EntSpan]:
        """Mentions before char ``start`` within the window, nearest first, not in the claim's content."""
        content = claim.content_spans
        ctx = self.ctx
        out = []
        for e in reversed(self.ents):
            if e.end_char > start or any(a <= e.start_char and e.end_char <= b for a, b in content):
                continue
            if sent - ctx.sent_of[e.start] > _WINDOW:
                break
            out.append(e)
        return out

    def pronoun(self, word: str, claim: Claim, tokens: EntSpan, sent: int) -> EntSpan | None:
        if self.coref is not None and word in self.coref.rules.pronouns:  # third person
            k = next((t.i for t in tokens if t.lower_ == word), tokens.start)
            return self.coref.antecedent(k, claim.content_spans, speaker=True)
        lex = self.lex
        gender = lex.pronoun_gender.get(word, "")
        plural = gender == "pl" or self._plural_verb(claim)
        candidates = self.before(tokens.start_char, claim, sent)
        people = [e for e in candidates if self._is_person(e) and self.gender(e) in ("", gender)]
        groups = [e for e in candidates if not self._is_person(e) and e.label_ not in _PLACE]
        label = lex.pronouns.get(word)
        if plural or gender == "n" or label not in ("PER", "PERSON"):
            return groups[0] if groups else None
        if people:
            return people[0]
        return groups[0] if gender == "f" and groups else None  # "sie": also "die Regierung"

    def _plural_verb(self, claim: Claim) -> bool:
        """Whether the claim's first cue word is a plural finite form ("sagten", "haben")."""
        if not claim.cue_spans or not self.lex.plural_verb_endings:
            return False
        cue = self.doc.char_span(*claim.cue_spans[0], alignment_mode="expand")
        if cue is None or not len(cue):
            return False
        word = cue[0].lower_
        return word.endswith(tuple(self.lex.plural_verb_endings)) and word not in self.lex.singular_verbs

    def description(self, tokens: EntSpan, claim: Claim, sent: int) -> EntSpan | None:
        lex = self.lex
        found = [(k, label) for k, tok in enumerate(tokens) if (label := self._description(tok.lower_))]
        if tokens[0].lower_ in lex.indefinites:
            found = found[1:]  # "ein Sprecher": someone new; "ein Sprecher des Unternehmens": the firm
        if not found:
            return None
        k, label = found[-1]
        head = tokens[k].lower_
        candidates = self.before(tokens.start_char, claim, sent)
        stem = head.rsplit("-", 1)[-1]
        stem = next((f for f in (stem, stem[:-1], stem[:-2]) if f in lex.descriptions), stem)
        introduced = []
        for e in candidates:  # named after the same noun: "Oberverwaltungsgericht Münster", "US-Präsident X"
            words = [t.lower_ for t in self.doc[max(e.start - 2, 0) : e.end]]
            if any(w == stem or len(stem) >= _COMPOUND_MIN and w.endswith(stem) for w in words):
                return e
            if any(self.lex.descriptions.get(w) == label for w in words[: e.start - max(e.start - 2, 0)]):
                introduced.append(e)  # "der Konzern Siemens" ... "das Unternehmen"
        recent = [e for e in introduced if sent - self.ctx.sent_of[e.start] <= 2]
        return recent[0] if recent else None

    def _description(self, word: str) -> str | None:
        """The label of a description noun, also in the genitive ("des Unternehmens") or a compound."""
        for form in (word, word[:-1], word[:-2]):
            label = self.lex.descriptions.get(form)
            if label:
                return label
        return self._compound_label(word)

    def _compound_label(self, word: str) -> str | None:
        """The label of a compound ending in a description noun ("Bundessozialministerium")."""
        return _compound_label(self.lex, word)

    def _org_head(self, tokens: EntSpan, place: EntSpan) -> bool:
        """Whether the source names an organisation by a noun outside the place mention."""
        for tok in tokens:
            if place.start <= tok.i < place.end:
                continue
            label = self.lex.descriptions.get(tok.lower_) or self._compound_label(tok.lower_)
            if label == "ORG":
                return True
        return False

    def sentence(self, claim: Claim) -> int:
        """Index of the sentence of a claim's source."""
        tok = self.doc.char_span(*claim.source_spans[0], alignment_mode="expand")
        return self.ctx.sent_of[tok.start] if tok is not None and len(tok) else -2

    def relative(self, tokens: EntSpan, sent: int) -> EntSpan | None:
        """The mention right before the comma that opens the relative clause."""
        k = tokens.start - 1
        if k < 1 or self.doc[k].text != ",":
            return None
        hit = [e for e in self.ents if e.end == k and self.ctx.sent_of[e.start] == sent]
        return hit[0] if hit else None

    def continued(
        self, tokens: EntSpan, claim: Claim, sent: int, previous: tuple[int, Span | None]
    ) -> Span | None:
        """The source a "demnach" / "wonach" continues: after a comma the speaker or document named
        before it in the sentence ("einen Bericht der „Süddeutschen Zeitung“ ..., wonach"); else
        the source of a claim in this or the sentence before, else who is named in the sentence
        before ("die Auslosung der UEFA ... Demnach")."""
        ctx = self.ctx
        if tokens.start > 0 and self.doc[tokens.start - 1].text == ",":
            same = [e for e in self.before(tokens.start_char, claim, sent) if ctx.sent_of[e.start] == sent]
            speakers = [e for e in same if self._rank(e) <= 1]
            if speakers:
                return speakers[0].start_char, speakers[0].end_char
        prev_sent, resolved = previous
        if prev_sent >= sent - 1:
            return resolved
        earlier = [e for e in self.before(tokens.start_char, claim, sent) if ctx.sent_of[e.start] == sent - 1]
        speakers = sorted((e for e in earlier if self._rank(e) <= 1), key=self._rank)
        return (speakers[0].start_char, speakers[0].end_char) if speakers else None

    def resolve(self, claim: Claim, previous: tuple[int, Span | None]) -> Span | None:
        if not claim.source_spans:
            return None
        start, end = claim.source_spans[0][0], claim.source_spans[-1][1]
        tokens = self.doc.char_span(start, end, alignment_mode="expand")
        if tokens is None or not len(tokens):
            return None
        own = self.own(claim)
        if own and self._rank(own[0]) > 0 and own[0].label_ in _PLACE and self._org_head(tokens, own[0]):
            return None  # "Das Verfassungsgericht des Königreichs Thailand" is a court, not Thailand
        if own:
            return own[0].start_char, own[0].end_char
        sent = self.ctx.sent_of[tokens.start]
        words = [t.lower_ for t in tokens if not t.is_punct]
        found: EntSpan | None = None
        if len(words) == 1 and words[0] in self.lex.according_self:
            return self.continued(tokens, claim, sent, previous)  # "Demnach ...": the source it continues
        if len(words) == 1 and words[0] in self.lex.relative_sources:
            found = self.relative(tokens, sent)
        elif len(words) == 1 and words[0] in self.lex.pronouns:
            found = self.pronoun(words[0], claim, tokens, sent)
        elif any(w in self.lex.reflexive_sources for w in words):
            return previous[1] if previous[0] >= sent - 1 else None  # "nach eigenen Angaben"
        else:
            found = self.description(tokens, claim, sent)
        return (found.start_char, found.end_char) if found is not None else None


_COMPOUNDS: dict[tuple[str, str], str | None] = {}


def _compound_label(lex: Lexicon, word: str) -> str | None:
    """Memoised per language and word: every source token asks."""
    key = (lex.lang, word)
    if key not in _COMPOUNDS:
        if len(_COMPOUNDS) > 100_000:
            _COMPOUNDS.clear()
        _COMPOUNDS[key] = next(
            (
                label
                for noun, label in lex.descriptions.items()
                if len(noun) >= _COMPOUND_MIN and word.endswith(noun) and word != noun
            ),
            None,
        )
    return _COMPOUNDS[key]


def resolve_sources(ctx: Ctx, claims: list[Claim]) -> list[Span | None]:
    """The entity mention (char span) each claim's source refers to, None where there is none."""
    resolver = _Resolver(ctx, ctx.lex)
    out: list[Span | None] = [None] * len(claims)
    order = sorted(range(len(claims)), key=lambda k: _anchor(claims[k]))
    previous: tuple[int, Span | None] = (-2, None)  # (sentence, resolved source) of the last sourced claim
    for k in order:
        out[k] = resolver.resolve(claims[k], previous)
        if claims[k].source_spans:
            previous = (resolver.sentence(claims[k]), out[k])
    return out


def _anchor(claim: Claim) -> int:
    spans = claim.cue_spans or claim.source_spans or claim.content_spans
    return min(a for a, _ in spans) if spans else 0


def resolve_source(doc: Doc, claim: Claim, *, lang: str | None = None) -> Span | None:
    """Char span of the entity mention a claim's source refers to: ``doc._.claim_sources`` when the
    component set it for this claim, else the claim resolved on its own (no preceding claims)."""
    claims = doc._.claims or []
    sources = doc._.claim_sources
    if sources is not None and len(sources) == len(claims):
        for known, resolved in zip(claims, sources, strict=True):
            if known == claim:
                return resolved  # type: ignore[no-any-return]
    from kit.nlp.claims.lang import rules_for

    code = (lang or doc.lang_ or "").split("_")[0]
    lex, rules = find_lexicon(code), rules_for(code)
    if lex is None or rules is None or not len(doc):
        return None
    return resolve_sources(Ctx(doc, lex, rules), [claim])[0]

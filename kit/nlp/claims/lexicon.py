"""The attribution cue lexicon of one language, read once from ``kit/resources/<lang>/claims.yaml``.

Kept apart from the extraction rules so that cues stay data: adding a verb of saying is a YAML edit.
The file is checked against :class:`ClaimsSpec` (``kit.resources.spec``): a misspelt key or a value
of the wrong type fails on load, naming the file and the key, instead of silently switching a rule off.
A language without ``claims.yaml`` gets no claims (:func:`find_lexicon` returns None).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields
from typing import Any, Required, TypedDict

from spacy.tokens import Token

from kit.resources.spec import ResourceError, load_checked
from kit.settings import RESOURCES_DIR

LEARNED_FILE = "claims_cues_learned.tsv"
CONTEXT_FILE = "claims_cue_context_learned.tsv"

__all__ = [
    "CONTEXT_FILE",
    "LEARNED_FILE",
    "ClaimsSpec",
    "Lexicon",
    "PrepCue",
    "find_lexicon",
    "learned_context",
    "learned_cues",
    "load_lexicon",
]

Words = list[str]


class PrepCueSpec(TypedDict, total=False):
    cue: Required[Words]
    next: Words  # words allowed right after an "according to" cue placed before its source
    prev: Words  # words allowed right before one placed after its source


class LearnedSpec(TypedDict, total=False):
    min_cue: int
    min_precision: float
    min_count: int
    exclude: Words


class RuleExample(TypedDict, total=False):
    """A sentence and what the rules must find in it (``tests/test_claims_examples.py`` runs them)."""

    text: Required[str]
    cue: str
    source: str | None
    content: str
    entity: str | None  # the entity name the source resolves to (``doc._.claim_sources``)
    kind: str
    status: str
    absent: bool  # no claim has this cue (a rule that must not fire)


class ClaimsSpec(TypedDict, total=False):
    """Keys of ``claims.yaml``; every list holds words (lower-cased on load) unless said otherwise."""

    verbs: Required[dict[str, Words | None]]  # status -> lemmas; "point out" is a phrasal cue
    requires: dict[str, str]  # lemma -> a word that must stand near it ("verweisen": "auf")
    requires_prefixes: Words  # forms of that word ("da" + "rauf"): "verweist darauf"
    particles: Words
    forms: dict[str, str]
    auxiliaries: Words
    according_before: list[PrepCueSpec]
    according_after: list[PrepCueSpec]
    according_so: Words
    according_so_next: Words  # "..., so X weiter": words that may follow the source of "so X"
    reported_markers: list[Words]
    reportative_modals: Words
    perfect_infinitives: Words
    hedges: Words
    alleging_hedges: Words
    not_hedges: list[Words]  # word sequences in which a hedge word is none ("sehr wohl", "wohl bekannt")
    konjunktiv_i: Words
    konjunktiv_ii: Words
    first_person: Words  # a Konjunktiv sentence opening with these is the writer's, not a continuation
    first_person_singular: Words  # ... nor one with these right before the verb
    complementizers: Words
    anaphoric_content: Words
    subordinators: Words
    pronouns: dict[str, str]  # pronoun -> entity label it stands for
    descriptions: dict[str, Words]  # label -> role nouns ("das Blatt", "the company")
    determiners: Words
    np_links: Words
    prepositions: Words
    adverbs: Words
    clause_breakers: Words
    quotes: Required[list[list[str]]]  # [opening, closing] mark pairs
    addressee_verbs: Words
    learned: LearnedSpec
    learned_context: LearnedSpec
    cue_next: Words
    passive_aux: Words
    passive_after: Words  # "aufgefordert werden/worden": a passive auxiliary after the participle
    passive_agents: Words
    passive_keep: Words
    infinitive_markers: Words  # "das Land zu verlassen": an infinitive clause, not a relative one
    according_self: Words
    nested_quotes: bool
    content_stops: Words
    relative_sources: Words
    appositions: bool
    np_restarts: Words
    time_words: Words
    oblique: Words
    impersonal: Words
    expletives: Words  # "heißt es": the pronoun that is no speaker
    impersonal_locatives: Words  # "heißt es in/im Bericht": the document after these speaks
    impersonal_contracted: Words  # "im Bericht", "beim Sender": the preposition is part of the source
    ambiguous_pronouns: Words  # "sie" after the verb: subject unless the Vorfeld names someone
    reflexives: Words  # "zeigte sich X": skipped before the subject
    source_stops: Words
    continuation_period: bool
    continuation_runs: bool
    cue_adjuncts: Words
    cue_adjunct_preps: Words
    cue_adjunct_heads: Words
    bare_passive_clausal: bool
    agent_after_aux: bool  # a passive agent ("von X") stands after the finite auxiliary, not in the Vorfeld
    clause_cues: Words
    subject_pronouns: Words
    final_subordinators: Words
    coordinators: Words
    strip_words: Words  # conjunctions trimmed from the ends of a content or source
    impersonal_preps: Words
    nominative_articles: Words
    noun_forms: Words
    verb_context: Words
    contracting: Words
    possessives: Words  # "'s": a possessive unless after a ``contracting`` word
    stance_adjectives: Words
    stance_verbs: Words
    stance_links: Words
    catenatives: Words
    irregular_past: Words
    noun_cues: Words
    noun_cue_modifiers: Words
    noun_cue_links: Words
    noun_cue_openers: Words  # links skipped before the content ("claim about ...", "statement: ...")
    content_openers: Words  # "said that ...": the word after which the content starts
    byline_preps: Words  # "reporting by X": a byline, no cue
    source_openers: Words
    speaker_labels: bool
    label_stops: Words
    attribution_dashes: list[str]
    participle_sources: bool
    cue_preps: dict[str, Words]
    abbreviations: Words
    examples: dict[str, list[RuleExample]]  # rule group -> sentences it must handle
    # source resolution (kit.nlp.claims.sources)
    source_labels: Words  # entity labels that can speak, best first (the person label first)
    pronoun_gender: dict[str, str]  # pronoun -> m / f / n / pl
    role_gender: dict[str, Words]  # m / f -> role nouns ("präsidentin"), also as compound ends
    plural_verb_endings: Words  # "sie sagten": a plural finite verb makes "sie" a group
    singular_verbs: Words  # finite forms with those endings that are singular
    indefinites: Words  # "ein Sprecher": a new referent, no anaphor
    reflexive_sources: Words  # "nach eigenen Angaben": the speaker already named
    # dependency labels (English claims on a parse, kit.nlp.claims.lang.en_syntax)
    sentence_breaks: Words  # line-break tokens that end a sentence besides punctuation (English)
    lookup_lemmas: bool  # also try the lookup table's lemma when the pipeline has a lemmatizer
    syntax_subject: Words  # the active subject of a cue: the speaker
    syntax_passive_subject: Words  # the subject of a passive: what is said, not who says it
    syntax_passive_aux: Words
    syntax_agent: Words  # the agent of a passive ("by X")
    syntax_oblique: Words  # an oblique with "by" after a passive is its agent too
    syntax_inherit: Words  # a cue without subject shares its head's ("and vowed", "plans to call")
    syntax_raising: Words  # climbed this way, a passive head's subject is the cue's ("is expected to")
    syntax_subject_cut_left: Words  # dependents before it that belong to the clause, not the phrase
    syntax_possessor: Words  # the owner of a noun of saying ("his claim")
    syntax_complement: Words  # the clause a cue governs: its content, never its speaker
    syntax_noun_clause: Words  # the clause of a noun of saying ("the claim that ...")
    syntax_clause_cue: Words  # a verb with a subject and such a "that" clause is a cue
    syntax_not_cues: Words  # verbs with a "that" clause that report nothing ("make sure that")


@dataclass(frozen=True)
class PrepCue:
    """An "according to" cue: its words and the words allowed right after (before) it."""

    words: tuple[str, ...]
    neighbours: frozenset[str] | None


def _words(items: Any) -> frozenset[str]:
    return frozenset(str(item).lower() for item in items or ())


def _phrases(items: Any) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(w).lower() for w in item) for item in items or ())


def _prep_cues(items: Any, key: str) -> tuple[PrepCue, ...]:
    cues = []
    for item in items or ():
        neighbours = item.get(key)
        cues.append(
            PrepCue(tuple(str(w).lower() for w in item["cue"]), _words(neighbours) if neighbours else None)
        )
    return tuple(cues)


def _lemma_table(lang: str) -> Any:
    """spaCy's lookup lemmas (``spacy-lookups-data``), when installed; catches forms a pipeline leaves unlemmatised."""
    try:
        from spacy.lookups import load_lookups

        return load_lookups(lang, ["lemma_lookup"]).get_table("lemma_lookup")
    except (ValueError, ImportError, KeyError):
        return None


@dataclass(frozen=True)
class Lexicon:
    """Every cue word list of one language, lower-cased, plus a memoised lemma lookup."""

    lang: str
    verb_status: dict[str, str]  # single-word verb lemma -> asserted / alleged / denied
    phrasal: dict[str, dict[tuple[str, ...], str]]  # head lemma -> {following words: status}
    requires: dict[str, str]
    particles: frozenset[str]
    forms: dict[str, str]
    auxiliaries: frozenset[str]
    according_before: tuple[PrepCue, ...]
    according_after: tuple[PrepCue, ...]
    according_so: frozenset[str]
    reported_markers: tuple[tuple[str, ...], ...]
    not_hedges: tuple[tuple[str, ...], ...]
    reportative_modals: frozenset[str]
    perfect_infinitives: frozenset[str]
    hedges: frozenset[str]
    alleging_hedges: frozenset[str]
    konjunktiv_i: frozenset[str]
    konjunktiv_ii: frozenset[str]
    complementizers: frozenset[str]
    anaphoric_content: frozenset[str]
    subordinators: frozenset[str]
    pronouns: dict[str, str]
    descriptions: dict[str, str]
    determiners: frozenset[str]
    np_links: frozenset[str]
    prepositions: frozenset[str]
    adverbs: frozenset[str]
    clause_breakers: frozenset[str]
    quotes: tuple[tuple[str, str], ...]
    addressee_verbs: frozenset[str]
    passive_aux: frozenset[str] = frozenset()
    according_self: frozenset[str] = frozenset()
    nested_quotes: bool = False
    content_stops: frozenset[str] = frozenset()
    relative_sources: frozenset[str] = frozenset()
    appositions: bool = False
    np_restarts: frozenset[str] = frozenset()
    time_words: frozenset[str] = frozenset()
    oblique: frozenset[str] = frozenset()
    impersonal: frozenset[str] = frozenset()
    source_stops: frozenset[str] = frozenset()
    continuation_period: bool = False
    continuation_runs: bool = False
    cue_adjuncts: frozenset[str] = frozenset()
    cue_adjunct_preps: frozenset[str] = frozenset()
    cue_adjunct_heads: frozenset[str] = frozenset()
    cue_next: frozenset[str] = frozenset()
    passive_agents: frozenset[str] = frozenset()
    passive_keep: frozenset[str] = frozenset()
    bare_passive_clausal: bool = False
    agent_after_aux: bool = False
    clause_cues: frozenset[str] = frozenset()
    subject_pronouns: frozenset[str] = frozenset()
    final_subordinators: frozenset[str] = frozenset()
    coordinators: frozenset[str] = frozenset()
    impersonal_preps: frozenset[str] = frozenset()
    nominative_articles: frozenset[str] = frozenset()
    noun_forms: frozenset[str] = frozenset()
    verb_context: frozenset[str] = frozenset()
    contracting: frozenset[str] = frozenset()
    stance_adjectives: frozenset[str] = frozenset()
    catenatives: frozenset[str] = frozenset()
    irregular_past: frozenset[str] = frozenset()
    noun_cues: frozenset[str] = frozenset()
    noun_cue_modifiers: frozenset[str] = frozenset()
    noun_cue_links: frozenset[str] = frozenset()
    source_openers: frozenset[str] = frozenset()
    stance_verbs: frozenset[str] = frozenset()
    stance_links: frozenset[str] = frozenset()
    speaker_labels: bool = False
    abbreviations: frozenset[str] = frozenset()
    cue_preps: dict[str, frozenset[str]] = field(default_factory=dict)
    participle_sources: bool = False
    label_stops: frozenset[str] = frozenset()
    attribution_dashes: frozenset[str] = frozenset()
    requires_prefixes: tuple[str, ...] = ("",)
    according_so_next: frozenset[str] = frozenset()
    first_person: frozenset[str] = frozenset()
    first_person_singular: frozenset[str] = frozenset()
    passive_after: frozenset[str] = frozenset()
    infinitive_markers: frozenset[str] = frozenset()
    expletives: frozenset[str] = frozenset()
    impersonal_locatives: frozenset[str] = frozenset()
    impersonal_contracted: frozenset[str] = frozenset()
    ambiguous_pronouns: frozenset[str] = frozenset()
    reflexives: frozenset[str] = frozenset()
    strip_words: frozenset[str] = frozenset()
    possessives: frozenset[str] = frozenset()
    noun_cue_openers: frozenset[str] = frozenset()
    content_openers: frozenset[str] = frozenset()
    byline_preps: frozenset[str] = frozenset()
    source_labels: tuple[str, ...] = ()
    pronoun_gender: dict[str, str] = field(default_factory=dict)
    role_gender: dict[str, str] = field(default_factory=dict)
    plural_verb_endings: frozenset[str] = frozenset()
    singular_verbs: frozenset[str] = frozenset()
    indefinites: frozenset[str] = frozenset()
    reflexive_sources: frozenset[str] = frozenset()
    lookup_lemmas: bool = False
    sentence_breaks: frozenset[str] = frozenset()
    syntax_subject: frozenset[str] = frozenset()
    syntax_passive_subject: frozenset[str] = frozenset()
    syntax_passive_aux: frozenset[str] = frozenset()
    syntax_agent: frozenset[str] = frozenset()
    syntax_oblique: frozenset[str] = frozenset()
    syntax_inherit: frozenset[str] = frozenset()
    syntax_raising: frozenset[str] = frozenset()
    syntax_subject_cut_left: frozenset[str] = frozenset()
    syntax_possessor: frozenset[str] = frozenset()
    syntax_complement: frozenset[str] = frozenset()
    syntax_noun_clause: frozenset[str] = frozenset()
    syntax_clause_cue: frozenset[str] = frozenset()
    syntax_not_cues: frozenset[str] = frozenset()
    _cache: dict[str, tuple[str | None, str]] = field(default_factory=dict, compare=False, repr=False)

    @functools.cached_property
    def skippable(self) -> frozenset[str]:
        """Adverbs and hedges: never verb cues."""
        return self.adverbs | self.hedges

    @functools.cached_property
    def np_skip(self) -> frozenset[str]:
        """Adverbs and auxiliaries between an English subject and its verb."""
        return self.adverbs | self.auxiliaries

    @functools.cached_property
    def np_heads(self) -> frozenset[str]:
        """Determiners and pronouns: words that open a noun phrase."""
        return self.determiners | frozenset(self.pronouns)

    @functools.cached_property
    def relativizers(self) -> frozenset[str]:
        """Words that open a clause after a noun ("the reasons that ...", "X, who ...")."""
        return self.relative_sources | self.content_openers

    @functools.cached_property
    def noun_cue_skip(self) -> frozenset[str]:
        """Words between a possessive and its noun of saying ("Trump's earlier claim")."""
        return self.adverbs | self.noun_cue_modifiers

    @functools.cached_property
    def not_adjective(self) -> frozenset[str]:
        return self.adverbs | self.prepositions

    @functools.cached_property
    def subject_or_ambiguous(self) -> frozenset[str]:
        """Pronouns that are the subject right after a German finite verb ("legte er", "legte sie")."""
        return self.subject_pronouns | self.ambiguous_pronouns

    @functools.cached_property
    def reported_starts(self) -> frozenset[str]:
        """First words of hearsay markers, to skip other tokens fast."""
        return self.reportative_modals | frozenset(m[0] for m in self.reported_markers)

    @functools.cached_property
    def table(self) -> Any:
        """Lookup lemmas for pipelines without a lemmatizer; loaded on first need (about 100 MB)."""
        return _lemma_table(self.lang)

    @functools.cached_property
    def according_starts(self) -> frozenset[str]:
        """First words of "according to" cues."""
        cues = (*self.according_before, *self.according_after)
        return self.according_so | self.according_self | frozenset(c.words[0] for c in cues)

    def lemmas(self, token: Token) -> tuple[str, ...]:
        """Candidate lemmas of a token: its form, the pipeline's lemma, the YAML form list, the lookup table."""
        lower = token.lower_
        out = [lower]
        if token.lemma_ and self.lookup_lemmas and self.table is not None:
            # the form as written ("cited"), before the pipeline's lemma, which stays last;
            # sentence-initial "Asked", "Claiming" keep the pipeline's reading, as before
            value = self.table.get(token.text)
            if value:
                out.append(str(value).lower())
        if token.lemma_ and not (self.lookup_lemmas and token.pos_ in ("NOUN", "PROPN")):
            # a trained lemmatizer turns nouns into verbs ("contender" -> "contend"): a noun's
            # lemma is the lookup table's
            out.append(token.lemma_.lower())
        if lower in self.forms:
            out.append(self.forms[lower])
        if not token.lemma_:
            out.extend(self._looked_up(token))
        return tuple(out)

    def _looked_up(self, token: Token) -> list[str]:
        if self.table is None:
            return []
        return [str(v).lower() for v in (self.table.get(token.text), self.table.get(token.lower_)) if v]

    def verb(self, token: Token) -> tuple[str | None, str]:
        """(cue lemma, verb-ish lemma) of a token; the first is None when the token is no cue verb."""
        key = token.text if not token.lemma_ else f"{token.text}\t{token.lemma_}"
        hit = self._cache.get(key)
        if hit is None:
            cands = self.lemmas(token)
            found = next((c for c in cands if c in self.verb_status or c in self.phrasal), None)
            hit = (found, cands[-1])
            self._cache[key] = hit
        return hit


def learned_cues(lang: str, settings: LearnedSpec | None, taken: frozenset[str]) -> tuple[str, ...]:
    """Lemmas of ``claims_cues_learned.tsv`` that pass the ``learned`` thresholds of ``claims.yaml``.

    A row counts when it has at least ``min_cue`` gold cue hits and ``min_precision`` (share of its
    tokens that are cues), is no stop word and no word the hand-written lists already place
    (``taken``: adverbs, prepositions, auxiliaries, ...), and is not in ``exclude``.
    """
    path = RESOURCES_DIR / lang / LEARNED_FILE
    if not settings or not path.exists():
        return ()
    from spacy.util import get_lang_class

    stop = get_lang_class(lang)().Defaults.stop_words
    min_cue = int(settings.get("min_cue", 5))
    min_precision = float(settings.get("min_precision", 0.5))
    exclude = _words(settings.get("exclude"))
    out = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        lemma, n_cue, _n_total, precision = line.split("\t")
        if int(n_cue) < min_cue or float(precision) < min_precision:
            continue
        if lemma in stop or lemma in taken or lemma in exclude or len(lemma) < 3:
            continue
        out.append(lemma)
    return tuple(out)


def learned_context(lang: str, settings: LearnedSpec | None) -> dict[str, frozenset[str]]:
    """Words that join a cue on its ``prev`` / ``next`` side (``claims_cue_context_learned.tsv``).

    Kept when seen at least ``min_count`` times beside a gold cue word and inside the cue in at
    least ``min_precision`` of them; ``exclude`` drops words.
    """
    out: dict[str, set[str]] = {"prev": set(), "next": set()}
    path = RESOURCES_DIR / lang / CONTEXT_FILE
    if settings and path.exists():
        min_count = int(settings.get("min_count", 10))
        min_precision = float(settings.get("min_precision", 0.7))
        exclude = _words(settings.get("exclude"))
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            side, word, _n_in, n_total, precision = line.split("\t")
            if int(n_total) >= min_count and float(precision) >= min_precision and word not in exclude:
                out[side].add(word)
    return {side: frozenset(words) for side, words in out.items()}


# Lists whose words are never learned cues: they already have a place in the rules.
_TAKEN = (
    "adverbs",
    "hedges",
    "auxiliaries",
    "prepositions",
    "determiners",
    "particles",
    "np_links",
    "subordinators",
    "complementizers",
    "clause_breakers",
    "according_so",
    "according_self",
    "reportative_modals",
)
# Word lists and switches copied one to one (lower-cased) from the YAML: every frozenset / bool field
# of the Lexicon but those built above from other shapes.
_SPECIAL = frozenset({"cue_next", "attribution_dashes"})
_WORD_KEYS = tuple(f.name for f in fields(Lexicon) if f.type == "frozenset[str]" and f.name not in _SPECIAL)
_FLAG_KEYS = tuple(f.name for f in fields(Lexicon) if f.type == "bool")


def _build(lang: str, data: ClaimsSpec) -> Lexicon:
    verb_status: dict[str, str] = {}
    phrasal: dict[str, dict[tuple[str, ...], str]] = {}
    for status in ("asserted", "hedged", "alleged", "denied"):  # later groups win: "vorwerfen" is alleged
        for entry in data["verbs"].get(status) or ():
            words = str(entry).lower().split()
            if len(words) == 1:
                verb_status[words[0]] = status
            else:
                phrasal.setdefault(words[0], {})[tuple(words[1:])] = status
    raw: dict[str, Any] = dict(data)
    taken = frozenset().union(
        *(_words(raw.get(key)) for key in _TAKEN),
        _words(data.get("pronouns")),
        (w for item in data.get("according_before") or () for w in item["cue"]),
        (w for item in data.get("according_after") or () for w in item["cue"]),
        (w for marker in data.get("reported_markers") or () for w in marker),
        phrasal,
    )
    for lemma in learned_cues(lang, data.get("learned"), taken):
        verb_status.setdefault(lemma, "asserted")
    context = learned_context(lang, data.get("learned_context"))
    descriptions = {
        str(w).lower(): label for label, words in (data.get("descriptions") or {}).items() for w in words
    }
    lists = {key: _words(raw.get(key)) for key in _WORD_KEYS}
    lists["cue_next"] = context["next"] | _words(data.get("cue_next"))
    flags = {key: bool(raw.get(key)) for key in _FLAG_KEYS}
    prefixes = tuple(str(p).lower() for p in data.get("requires_prefixes") or ("",))
    return Lexicon(
        lang=lang,
        verb_status=verb_status,
        phrasal=phrasal,
        requires={str(k).lower(): str(v).lower() for k, v in (data.get("requires") or {}).items()},
        forms={str(k).lower(): str(v).lower() for k, v in (data.get("forms") or {}).items()},
        according_before=_prep_cues(data.get("according_before"), "next"),
        according_after=_prep_cues(data.get("according_after"), "prev"),
        reported_markers=_phrases(data.get("reported_markers")),
        not_hedges=_phrases(data.get("not_hedges")),
        pronouns={str(k).lower(): str(v) for k, v in (data.get("pronouns") or {}).items()},
        descriptions=descriptions,
        quotes=tuple((str(a), str(b)) for a, b in data.get("quotes") or ()),
        cue_preps={str(k).lower(): _words(v) for k, v in (data.get("cue_preps") or {}).items()},
        attribution_dashes=frozenset(str(d) for d in data.get("attribution_dashes") or ()),
        requires_prefixes=prefixes,
        source_labels=tuple(str(x) for x in data.get("source_labels") or ()),
        pronoun_gender={str(k).lower(): str(v) for k, v in (data.get("pronoun_gender") or {}).items()},
        role_gender={str(w).lower(): g for g, ws in (data.get("role_gender") or {}).items() for w in ws},
        **lists,  # type: ignore[arg-type]
        **flags,  # type: ignore[arg-type]
    )


@functools.cache
def find_lexicon(lang: str) -> Lexicon | None:
    """The checked lexicon of ``lang``, loaded once per process; None when the language has no
    ``claims.yaml`` (then the kit makes no claims for it: English rules never read German text)."""
    data = load_checked("claims", lang, ClaimsSpec)
    return None if data is None else _build(lang, data)


def load_lexicon(lang: str) -> Lexicon:
    """The lexicon of ``lang``; a ResourceError when the language has none."""
    lex = find_lexicon(lang)
    if lex is None:
        raise ResourceError(f"no claims lexicon for language {lang!r} (resources/{lang}/claims.yaml)")
    return lex

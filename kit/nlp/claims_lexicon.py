"""The attribution cue lexicon of one language, read once from ``kit/resources/<lang>/claims.yaml``.

Kept apart from the extraction rules so that cues stay data: adding a verb of saying is a YAML edit.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import yaml
from spacy.tokens import Token

from kit.settings import RESOURCES_DIR

LEARNED_FILE = "claims_cues_learned.tsv"
CONTEXT_FILE = "claims_cue_context_learned.tsv"

__all__ = ["Lexicon", "PrepCue", "learned_cues", "load_lexicon"]


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
        return self.relative_sources | {"that"}

    @functools.cached_property
    def noun_cue_skip(self) -> frozenset[str]:
        """Words between a possessive and its noun of saying ("Trump's earlier claim")."""
        return self.adverbs | self.noun_cue_modifiers

    @functools.cached_property
    def not_adjective(self) -> frozenset[str]:
        return self.adverbs | self.prepositions

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
        if token.lemma_:
            out.append(token.lemma_.lower())
        if lower in self.forms:
            out.append(self.forms[lower])
        if not token.lemma_ and self.table is not None:
            for key in (token.text, lower):
                value = self.table.get(key)
                if value:
                    out.append(str(value).lower())
        return tuple(out)

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

    def is_verbal(self, token: Token) -> bool:
        """A lower-case word whose lemma looks like a verb infinitive (German -en/-ern/-eln)."""
        if token.pos_:
            return token.pos_ in ("VERB", "AUX")
        lemma = self.verb(token)[1]
        return lemma != token.lower_ and lemma.endswith(("en", "ern", "eln"))


def learned_cues(lang: str, settings: dict[str, Any] | None, taken: frozenset[str]) -> tuple[str, ...]:
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


def learned_context(lang: str, settings: dict[str, Any] | None) -> dict[str, frozenset[str]]:
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


def _load(lang: str) -> Lexicon:
    data = yaml.safe_load((RESOURCES_DIR / lang / "claims.yaml").read_text(encoding="utf-8"))
    verb_status: dict[str, str] = {}
    phrasal: dict[str, dict[tuple[str, ...], str]] = {}
    for status in ("asserted", "alleged", "denied"):  # later groups win: "vorwerfen" is alleged
        for entry in data["verbs"].get(status) or ():
            words = str(entry).lower().split()
            if len(words) == 1:
                verb_status[words[0]] = status
            else:
                phrasal.setdefault(words[0], {})[tuple(words[1:])] = status
    taken = frozenset().union(
        *(
            _words(data.get(key))
            for key in (
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
        ),
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
    return Lexicon(
        lang=lang,
        verb_status=verb_status,
        phrasal=phrasal,
        requires={str(k).lower(): str(v).lower() for k, v in (data.get("requires") or {}).items()},
        particles=_words(data.get("particles")),
        forms={str(k).lower(): str(v).lower() for k, v in (data.get("forms") or {}).items()},
        auxiliaries=_words(data.get("auxiliaries")),
        according_before=_prep_cues(data.get("according_before"), "next"),
        according_after=_prep_cues(data.get("according_after"), "prev"),
        according_so=_words(data.get("according_so")),
        reported_markers=_phrases(data.get("reported_markers")),
        reportative_modals=_words(data.get("reportative_modals")),
        perfect_infinitives=_words(data.get("perfect_infinitives")),
        hedges=_words(data.get("hedges")),
        alleging_hedges=_words(data.get("alleging_hedges")),
        konjunktiv_i=_words(data.get("konjunktiv_i")),
        konjunktiv_ii=_words(data.get("konjunktiv_ii")),
        complementizers=_words(data.get("complementizers")),
        anaphoric_content=_words(data.get("anaphoric_content")),
        subordinators=_words(data.get("subordinators")),
        pronouns={str(k).lower(): str(v) for k, v in (data.get("pronouns") or {}).items()},
        descriptions=descriptions,
        determiners=_words(data.get("determiners")),
        np_links=_words(data.get("np_links")),
        prepositions=_words(data.get("prepositions")),
        adverbs=_words(data.get("adverbs")),
        clause_breakers=_words(data.get("clause_breakers")),
        quotes=tuple((str(a), str(b)) for a, b in data.get("quotes") or ()),
        addressee_verbs=_words(data.get("addressee_verbs")),
        passive_aux=_words(data.get("passive_aux")),
        according_self=_words(data.get("according_self")),
        nested_quotes=bool(data.get("nested_quotes")),
        content_stops=_words(data.get("content_stops")),
        relative_sources=_words(data.get("relative_sources")),
        appositions=bool(data.get("appositions")),
        np_restarts=_words(data.get("np_restarts")),
        time_words=_words(data.get("time_words")),
        oblique=_words(data.get("oblique")),
        impersonal=_words(data.get("impersonal")),
        source_stops=_words(data.get("source_stops")),
        continuation_period=bool(data.get("continuation_period")),
        continuation_runs=bool(data.get("continuation_runs")),
        cue_adjuncts=_words(data.get("cue_adjuncts")),
        cue_adjunct_preps=_words(data.get("cue_adjunct_preps")),
        cue_adjunct_heads=_words(data.get("cue_adjunct_heads")),
        cue_next=context["next"] | _words(data.get("cue_next")),
        passive_agents=_words(data.get("passive_agents")),
        passive_keep=_words(data.get("passive_keep")),
        bare_passive_clausal=bool(data.get("bare_passive_clausal")),
        clause_cues=_words(data.get("clause_cues")),
        subject_pronouns=_words(data.get("subject_pronouns")),
        final_subordinators=_words(data.get("final_subordinators")),
        coordinators=_words(data.get("coordinators")),
        impersonal_preps=_words(data.get("impersonal_preps")),
        nominative_articles=_words(data.get("nominative_articles")),
        noun_forms=_words(data.get("noun_forms")),
        verb_context=_words(data.get("verb_context")),
        contracting=_words(data.get("contracting")),
        stance_adjectives=_words(data.get("stance_adjectives")),
        catenatives=_words(data.get("catenatives")),
        irregular_past=_words(data.get("irregular_past")),
        noun_cues=_words(data.get("noun_cues")),
        noun_cue_modifiers=_words(data.get("noun_cue_modifiers")),
        noun_cue_links=_words(data.get("noun_cue_links")),
        source_openers=_words(data.get("source_openers")),
        stance_verbs=_words(data.get("stance_verbs")),
        stance_links=_words(data.get("stance_links")),
        speaker_labels=bool(data.get("speaker_labels")),
        abbreviations=_words(data.get("abbreviations")),
        cue_preps={str(k).lower(): _words(v) for k, v in (data.get("cue_preps") or {}).items()},
        participle_sources=bool(data.get("participle_sources")),
        label_stops=_words(data.get("label_stops")),
        attribution_dashes=frozenset(str(d) for d in data.get("attribution_dashes") or ()),
    )


@functools.cache
def load_lexicon(lang: str) -> Lexicon:
    """The lexicon of ``lang`` (``de`` or ``en``), loaded once per process."""
    return _load(lang)

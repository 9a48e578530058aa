"""The interface every language's claim rules implement; the language-neutral steps call only this.

Word lists are data (``kit/resources/<lang>/claims.yaml``); a language module holds the grammar
the lists cannot say: where the subject of a verb of saying stands (German Vorfeld, English
subject before the verb), which words can be part of a noun phrase, where a content starts.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from kit.nlp.claims.context import Ctx, Draft, Range

if TYPE_CHECKING:
    from kit.nlp.claims.frames import VerbFrame


class LanguageRules(ABC):
    """Grammar hooks of one language, chosen once per language (``kit.nlp.claims.lang.rules_for``)."""

    code: str = ""
    # noun phrases (kit.nlp.claims.phrases.np_after)
    np_appositions: bool = False  # "der Sprecher, Hans Müller," is one noun phrase
    np_clause_break: bool = False  # a complementizer ends a noun phrase ("told a reporter | that")
    np_lone_pronoun: bool = False  # a pronoun is a whole noun phrase ("sagte er")
    np_trim_lower: bool = False  # a noun phrase does not end in a lower-case word
    nominative_endings: tuple[str, ...] = ()  # "der" + adjective in these opens a new (nominative) phrase
    apposition_one_comma: bool = False  # an inverted source's apposition ends at the next comma
    bare_according_sources: bool = False  # "according to exit polls": a source without determiner
    compound_neighbours: bool = False  # "nach Polizeiangaben": compounds of "Angaben" count
    quotes_need_sentence_end: bool = False  # a cue-less quote continues a source only as a sentence
    middle_content: bool = False  # "hat X die Vorwürfe zurückgewiesen": the middle field is content
    tagged_word_classes: bool = True  # POS tags, when present, decide cue verbs and noun-phrase words
    punctuation_sentences: bool = False  # sentences end at punctuation, not where a parser ends them

    @abstractmethod
    def np_word(self, ctx: Ctx, i: int, first: bool) -> bool:
        """Whether a word (not punctuation, not quoted) can belong to a source noun phrase."""

    def is_verbal(self, ctx: Ctx, k: int) -> bool:
        """Whether token ``k`` looks like a verb (for languages whose rules ask)."""
        tok = ctx.doc[k]
        return tok.pos_ in ("VERB", "AUX")

    def apposition_opens(self, ctx: Ctx, source: Range) -> bool:
        """Whether an apposition may follow an inverted source."""
        return True

    def apposition_verbal(self, ctx: Ctx, k: int) -> bool:
        """Whether the apposition candidate ending at ``k`` is a clause, not an apposition."""
        return False

    def bad_source(self, ctx: Ctx, span: Range) -> bool:
        """A source guess that cannot be a speaker."""
        return False

    def cue_word_ok(self, ctx: Ctx, i: int, si: int) -> bool:
        """Whether token ``i`` may be a cue at all (checked before stance adjectives)."""
        return True

    def verb_word_ok(self, ctx: Ctx, i: int, si: int) -> bool:
        """Whether token ``i`` stands where a verb cue can stand (checked after the POS tag)."""
        return True

    def clause_cue(self, ctx: Ctx, i: int, si: int) -> tuple[list[int], str, str] | None:
        """A cue the lexicon does not list, recognised by its structure (a parse); None by default."""
        return None

    def accept_verb_claim(self, ctx: Ctx, draft: Draft, i: int, si: int, lemma: str) -> bool:
        """Whether a verb cue's draft is kept (German clause-taking cues need a clause)."""
        return True

    def clause_start(self, ctx: Ctx, cs: int, i: int, a: int) -> int:
        """Start of the clause holding the cue, given the start after the last comma ``cs``."""
        return cs

    @abstractmethod
    def subordinate(self, ctx: Ctx, fr: VerbFrame) -> tuple[Range | None, list[int]]:
        """(source, cue tokens) of a cue in a subordinate clause ("wie X mitteilte", "as X said")."""

    @abstractmethod
    def frame(self, ctx: Ctx, fr: VerbFrame) -> None:
        """Find the source of a main-clause cue (``fr.source``), widen the cue, or finish the claim."""

    @abstractmethod
    def content_start(self, ctx: Ctx, fr: VerbFrame, frame_end: int) -> int:
        """Where a paraphrased content after the frame starts."""

    @abstractmethod
    def sentence_subject(self, ctx: Ctx, si: int, limit: int) -> Range | None:
        """The subject of a sentence's first clause before ``limit``: coordinated cues share it."""

    def participle_sources(self, ctx: Ctx, si: int, here: list[Draft]) -> None:
        """Give participle cues ("..., saying ...") the subject of their main clause."""

    def noun_claims(self, ctx: Ctx, si: int) -> list[Draft]:
        """Claims around nouns of saying ("Trump's claim that ...")."""
        return []

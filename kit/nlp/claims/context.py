"""Per-document views the claim rules share (sentences, quotations, token classes) and the draft
of a claim in token indices."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.pipeline import Sentencizer
from spacy.tokens import Doc
from spacy.tokens import Span as EntSpan

from kit.nlp.claims.lexicon import Lexicon
from kit.nlp.extensions import doc_text
from kit.nlp.types import Span

if TYPE_CHECKING:
    from kit.nlp.claims.lang import LanguageRules

MAX_QUOTE_CHARS = 3000
MIN_CONTENT_QUOTE_WORDS = 4
NP_MAX = 12
SOURCE_LABELS = ("PER", "PERSON", "ORG", "NORP", "GPE", "LOC", "MISC")
PUNCT_END = frozenset(".!?")
Range = tuple[int, int]


@dataclass
class Draft:
    """A claim under construction, in token indices (content may also hold char spans of quotes)."""

    cue: list[int]
    source: Range | None
    content: list[Range]  # token ranges [start, end)
    kind: str
    status: str
    sent: int
    anchor: int  # token that orders claims in the text
    quote: Span | None = None  # char span of a quoted content
    quote_before: Span | None = None  # the first part of a quote the frame splits: "“A,” he said, “B.”"
    extra_cue: list[int] = field(default_factory=list)


def not_hedge_tokens(lows: list[str], lex: Lexicon) -> frozenset[int]:
    """Tokens of a hedge word inside one of ``lex.not_hedges`` ("sehr wohl", "wohl bekannt"):
    there the word affirms or means "well", it does not weaken the claim."""
    if not lex.not_hedges:
        return frozenset()
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for seq in lex.not_hedges:
        by_first.setdefault(seq[0], []).append(seq)
    out: set[int] = set()
    for i, low in enumerate(lows):
        for seq in by_first.get(low, ()):
            if tuple(lows[i : i + len(seq)]) == seq:
                out.update(k for k in range(i, i + len(seq)) if lows[k] in lex.hedges)
    return frozenset(out)


class Ctx:
    """Per-document views the rules share: quotes, sentences, token classes, the language's rules."""

    def __init__(self, doc: Doc, lex: Lexicon, rules: LanguageRules) -> None:
        self.doc = doc
        self.lex = lex
        self.rules = rules
        self.n = len(doc)
        self.lows = [t.lower_ for t in doc]
        self.sents = join_abbreviations(
            doc,
            sentences(doc, lex.sentence_breaks if rules.punctuation_sentences else None),
            lex.abbreviations,
        )
        self.sent_of = [0] * self.n
        for k, (a, b) in enumerate(self.sents):
            for i in range(a, b):
                self.sent_of[i] = k
        self.quote_marks = frozenset(ch for pair in lex.quotes for ch in pair)
        self.text = text = doc_text(doc)
        self.quotes = find_quotes(text, lex.quotes)
        self.content_quotes: list[tuple[Span, int, int]] = []  # (char span, first token, end token)
        self.in_quote = [-1] * self.n
        self.in_short_quote = [False] * self.n
        for start, end in self.quotes:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            words = sum(1 for t in span if not t.is_punct)
            if words >= MIN_CONTENT_QUOTE_WORDS or text[end - 2] in ",.!?;:…":
                qi = len(self.content_quotes)
                self.content_quotes.append(((start, end), span.start, span.end))
                for i in range(span.start, span.end):
                    self.in_quote[i] = qi
            else:
                for i in range(span.start, span.end):
                    self.in_short_quote[i] = True
        # Prefix counts of hedges outside quotes: "is there a hedge in tokens [a, b)?" in O(1),
        # which keeps very long sentences (scraped pages without punctuation) linear.
        self.hedge_prefix = [0] * (self.n + 1)
        self.alleging_prefix = [0] * (self.n + 1)
        self.not_hedge = not_hedge_tokens(self.lows, lex)
        for i, low in enumerate(self.lows):
            outside = self.in_quote[i] < 0 and i not in self.not_hedge
            self.hedge_prefix[i + 1] = self.hedge_prefix[i] + (outside and low in lex.hedges)
            self.alleging_prefix[i + 1] = self.alleging_prefix[i] + (outside and low in lex.alleging_hedges)

    @functools.cached_property
    def parsed(self) -> bool:
        """Whether the document has a dependency parse (asked per token by parse-based rules)."""
        return self.doc.has_annotation("DEP")

    @functools.cached_property
    def ents(self) -> tuple[EntSpan, ...]:
        """The document's entities, built once (``doc.ents`` makes new spans on every access)."""
        return tuple(self.doc.ents)

    def hedges_in(self, start: int, end: int) -> tuple[bool, bool]:
        """(any hedge, any alleging hedge) outside quotes in tokens [start, end)."""
        return (
            self.hedge_prefix[end] > self.hedge_prefix[start],
            self.alleging_prefix[end] > self.alleging_prefix[start],
        )

    def low(self, i: int) -> str:
        return self.lows[i]

    def is_cap(self, i: int) -> bool:
        text = self.doc[i].text
        return bool(text) and text[0].isupper()

    def is_mark(self, i: int) -> bool:
        return self.doc[i].text in self.quote_marks

    def sent_last_word(self, si: int) -> int:
        """End (exclusive) of a sentence without its final punctuation and closing marks."""
        a, b = self.sents[si]
        while b > a and (
            self.doc[b - 1].is_punct and not self.in_quote[b - 1] >= 0 and not self.is_mark(b - 1)
        ):
            b -= 1
        return b


@functools.cache
def _sentencizer(breaks: frozenset[str]) -> Sentencizer:
    return Sentencizer(punct_chars=[*Sentencizer.default_punct_chars, *breaks])


def _sent_ranges(doc: Doc, breaks: frozenset[str] | None) -> list[Range]:
    """The pipeline's sentences, or (``breaks``) sentences ended by punctuation and these
    line-break tokens as spaCy's sentencizer ends them, whatever a parser decided."""
    if breaks is None:
        return [(sent.start, sent.end) for sent in doc.sents]
    starts = [k for k, start in enumerate(_sentencizer(breaks).predict([doc])[0]) if start or k == 0]
    return [(a, b) for a, b in zip(starts, [*starts[1:], len(doc)], strict=True)]


def sentences(doc: Doc, breaks: frozenset[str] | None = None) -> list[Range]:
    """Sentence token ranges, also cut at blank lines (headlines, datelines) and without edge spaces;
    ``breaks``: see :func:`_sent_ranges`."""
    out: list[Range] = []
    for start, end in _sent_ranges(doc, breaks):
        a = start
        for k in range(start, end + 1):
            if k == end or (doc[k].is_space and "\n" in doc[k].text):
                lo, hi = a, k
                while lo < hi and doc[lo].is_space:
                    lo += 1
                while hi > lo and doc[hi - 1].is_space:
                    hi -= 1
                if hi > lo:
                    out.append((lo, hi))
                a = k + 1
    return out


def join_abbreviations(doc: Doc, sents: list[Range], abbreviations: frozenset[str]) -> list[Range]:
    """Undo sentence breaks after a title abbreviation ("Retired Lt. | Gen. Michael Flynn said")."""
    if not abbreviations:
        return sents
    out: list[Range] = []
    for a, b in sents:
        last = doc[a - 2].lower_ if a > 1 and doc[a - 1].text == "." else doc[a - 1].lower_ if a else ""
        if out and out[-1][1] == a and last in abbreviations and doc[a].text[:1].isupper():
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def find_quotes(text: str, pairs: tuple[tuple[str, str], ...]) -> list[Span]:
    """Outermost quotations of every style; an opening mark starts a word, a closing mark ends one."""
    taken = bytearray(len(text))
    found: list[Span] = []
    marks = re.escape("".join(c for p in pairs for c in p))
    for open_, close in pairs:
        pattern = re.compile(
            rf"(?:(?<=^)|(?<=[\s(\[—–\-/:]))({re.escape(open_)})(?=\S)(.{{1,{MAX_QUOTE_CHARS}}}?)(?<=\S){re.escape(close)}"
            rf"(?=$|[\s.,;:!?)\]…—–\-{marks}])",
            re.DOTALL,
        )
        for m in pattern.finditer(text):
            start, end = m.start(1), m.end()
            if "\n\n" in text[start:end] or any(taken[start:end]):
                continue
            found.append((start, end))
            taken[start:end] = b"\x01" * (end - start)
    return sorted(found)

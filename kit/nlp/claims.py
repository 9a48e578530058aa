"""Attribution extraction: who says what, and how sure (``doc._.claims``).

Rule-based on purpose: the kit's shipped pipelines have no parser or tagger, so the rules use only
tokens, lemmas, quotation marks, sentence boundaries and (when present) named entities, plus the cue
lexicon in ``kit/resources/<lang>/claims.yaml``.  POS tags are used when a pipeline provides them.

A claim is built around a cue:

- a verb of saying/reporting/denying (``sagte``, ``teilte ... mit``, ``hat angekündigt``, ``said``),
  with its source (German Vorfeld or the noun phrase after the finite verb; English noun phrase before
  the verb or after it in inversions) and its content (the quote, the clause after the verb, the clause
  before an inverted ``, sagte X`` or, for ``Dies berichtete X``, the previous sentence) -> ``direct``
  or ``indirect``;
- a preposition (``laut X``, ``X zufolge``, ``nach Angaben X``, ``according to X``) -> ``according_to``;
- hearsay without a source (``soll ... haben``, ``angeblich``, ``reportedly``) -> ``reported``;
- Konjunktiv I sentences and cue-less quotes continue the last named source -> ``indirect``/``direct``;
- epistemic hedges (``offenbar``, ``apparently``) mark the status of a claim, or stand alone as an
  ``unattributed`` hedged claim.

German has a small trained span model (``kit/models/de_kit_claims``, CUE / SOURCE / CONTENT, trained
on SpkAtt news, non-commercial): run on sentences that can hold a claim, it widens the rules'
paraphrased contents; without it the rules work alone (docs/claims.md).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as EntSpan

from kit.nlp.claims_lexicon import Lexicon, load_lexicon
from kit.nlp.extensions import doc_text, register_extensions
from kit.nlp.types import Claim, Span
from kit.settings import claims_model_path

__all__ = ["ClaimsComponent", "extract_claims", "load_claims_model", "resolve_source"]

ModelChoice = str | Path | Language | None

_MAX_QUOTE_CHARS = 3000
_MIN_CONTENT_QUOTE_WORDS = 4
_NP_MAX = 12
_SOURCE_LABELS = ("PER", "PERSON", "ORG", "NORP", "GPE", "LOC", "MISC")
_PUNCT_END = frozenset(".!?")


@dataclass
class _Draft:
    """A claim under construction, in token indices (content may also hold char spans of quotes)."""

    cue: list[int]
    source: tuple[int, int] | None
    content: list[tuple[int, int]]  # token ranges [start, end)
    kind: str
    status: str
    sent: int
    anchor: int  # token that orders claims in the text
    quote: Span | None = None  # char span of a quoted content
    quote_before: Span | None = None  # the first part of a quote the frame splits: "“A,” he said, “B.”"
    extra_cue: list[int] = field(default_factory=list)


class _Ctx:
    """Per-document views the rules share: quotes, sentences, token classes."""

    def __init__(self, doc: Doc, lex: Lexicon) -> None:
        self.doc = doc
        self.lex = lex
        self.n = len(doc)
        self.lows = [t.lower_ for t in doc]
        self.sents = _join_abbreviations(doc, _sentences(doc), lex.abbreviations)
        self.sent_of = [0] * self.n
        for k, (a, b) in enumerate(self.sents):
            for i in range(a, b):
                self.sent_of[i] = k
        self.quote_marks = frozenset(ch for pair in lex.quotes for ch in pair)
        self.text = text = doc_text(doc)
        self.quotes = _find_quotes(text, lex.quotes)
        self.content_quotes: list[tuple[Span, int, int]] = []  # (char span, first token, end token)
        self.in_quote = [-1] * self.n
        self.in_short_quote = [False] * self.n
        for start, end in self.quotes:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            words = sum(1 for t in span if not t.is_punct)
            if words >= _MIN_CONTENT_QUOTE_WORDS or text[end - 2] in ",.!?;:…":
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
        for i, low in enumerate(self.lows):
            outside = self.in_quote[i] < 0
            self.hedge_prefix[i + 1] = self.hedge_prefix[i] + (outside and low in lex.hedges)
            self.alleging_prefix[i + 1] = self.alleging_prefix[i] + (outside and low in lex.alleging_hedges)

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


def _sentences(doc: Doc) -> list[tuple[int, int]]:
    """Sentence token ranges, also cut at blank lines (headlines, datelines) and without edge spaces."""
    out: list[tuple[int, int]] = []
    for sent in doc.sents:
        a = sent.start
        for k in range(sent.start, sent.end + 1):
            if k == sent.end or (doc[k].is_space and "\n" in doc[k].text):
                lo, hi = a, k
                while lo < hi and doc[lo].is_space:
                    lo += 1
                while hi > lo and doc[hi - 1].is_space:
                    hi -= 1
                if hi > lo:
                    out.append((lo, hi))
                a = k + 1
    return out


def _join_abbreviations(
    doc: Doc, sents: list[tuple[int, int]], abbreviations: frozenset[str]
) -> list[tuple[int, int]]:
    """Undo sentence breaks after a title abbreviation ("Retired Lt. | Gen. Michael Flynn said")."""
    if not abbreviations:
        return sents
    out: list[tuple[int, int]] = []
    for a, b in sents:
        last = doc[a - 2].lower_ if a > 1 and doc[a - 1].text == "." else doc[a - 1].lower_ if a else ""
        if out and out[-1][1] == a and last in abbreviations and doc[a].text[:1].isupper():
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _find_quotes(text: str, pairs: tuple[tuple[str, str], ...]) -> list[Span]:
    """Outermost quotations of every style; an opening mark starts a word, a closing mark ends one."""
    taken = bytearray(len(text))
    found: list[Span] = []
    for open_, close in pairs:
        pattern = re.compile(
            rf"(?:(?<=^)|(?<=[\s(\[—–\-/:]))({re.escape(open_)})(?=\S)(.{{1,{_MAX_QUOTE_CHARS}}}?)(?<=\S){re.escape(close)}"
            rf"(?=$|[\s.,;:!?)\]…—–\-{re.escape(''.join(c for p in pairs for c in p))}])",
            re.DOTALL,
        )
        for m in pattern.finditer(text):
            start, end = m.start(1), m.end()
            if "\n\n" in text[start:end] or any(taken[start:end]):
                continue
            found.append((start, end))
            taken[start:end] = b"\x01" * (end - start)
    return sorted(found)


# --------------------------------------------------------------------------- noun phrases


def _np_ok(ctx: _Ctx, i: int, first: bool) -> bool:
    """Whether token ``i`` can belong to a source noun phrase (without a tagger: case and word lists)."""
    tok = ctx.doc[i]
    low = tok.lower_
    if ctx.in_short_quote[i]:
        return True
    if ctx.in_quote[i] >= 0:
        return False
    if tok.pos_:
        return tok.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM", "PRON") or (
            tok.pos_ == "ADP" and low in ctx.lex.np_links
        )
    if tok.is_punct:
        return tok.text in ("-", "'s", "’s", ".")
    if ctx.lex.lang == "en" and (
        _possessive(ctx, i) and not first or i + 1 < ctx.n and _possessive(ctx, i + 1)
    ):
        return True  # "The state's campaign chairman": the possessive and its owner
    if low in ctx.lex.determiners or low in ctx.lex.pronouns:
        return True
    if ctx.lex.lang == "en" and not first and ctx.is_cap(i) and low not in ctx.lex.auxiliaries:
        return True  # "The Washington Post", "Fox News Sunday": names, even when a word is a cue verb
    if (
        ctx.lex.lang == "de"
        and ctx.is_cap(i)
        and ctx.sents[ctx.sent_of[i]][0] != i
        and low not in ctx.lex.auxiliaries
    ):
        return True  # German nouns are capitalised: "dem Schreiben", "die Aussagen"
    if ctx.lex.verb(tok)[0] is not None or low in ctx.lex.auxiliaries or low in ctx.lex.clause_breakers:
        return False
    if ctx.is_cap(i) or tok.like_num:
        return True
    if ctx.lex.lang == "de":
        return (
            low.endswith(("e", "en", "er", "es", "em"))
            and not ctx.lex.is_verbal(tok)
            and low not in ctx.lex.not_adjective
        )
    return not first and low not in ctx.lex.adverbs and low not in ctx.lex.prepositions and len(low) > 1


def _np_after(ctx: _Ctx, start: int, end: int) -> tuple[int, int] | None:
    """The noun phrase starting at ``start`` (after skipped adverbs), up to ``end``."""
    i = start
    while i < end and ctx.low(i) in ctx.lex.adverbs and ctx.low(i) not in ctx.lex.np_heads:
        i += 1
    j = i
    while j < end and j - i < _NP_MAX:
        low = ctx.low(j)
        if (
            j > i
            and low in ctx.lex.nominative_articles
            and j + 1 < end
            and ctx.doc[j + 1].is_lower
            and ctx.low(j + 1).endswith("e")
        ):
            break  # "nach Auskunft der NASA | der überwiegende Teil": "der" + "-e" adjective is nominative
        if (
            j > i
            and low in ctx.lex.np_links
            and j + 1 < end
            and (_np_ok(ctx, j + 1, False) or ctx.is_cap(j + 1))
        ):
            j += 1
            continue
        if j > i and low == "," and j + 1 < end and ctx.is_cap(j + 1) and ctx.lex.lang == "de":
            k = j + 1  # apposition: "der Sprecher, Hans Müller,"
            while k < end and ctx.is_cap(k) and not ctx.lex.is_verbal(ctx.doc[k]):
                k += 1
            if k > j + 1 and (k >= end or ctx.low(k) in (",", ".")):
                j = k
                continue
        if j > i and low == "(":
            close = next((k for k in range(j + 1, min(j + 6, end)) if ctx.low(k) == ")"), None)
            if close is not None:
                j = close + 1
                continue
        if j > i and low in ctx.lex.np_restarts and ctx.is_cap(j - 1):
            break  # "laut Angaben des ZDF | die Jahre ...": a new noun phrase starts
        if j > i and low in ctx.lex.complementizers and ctx.lex.lang == "en":
            break  # "told a reporter | that ...": a clause starts, not a determiner
        if not _np_ok(ctx, j, j == i):
            break
        j += 1
        if ctx.lex.lang == "de" and low in ctx.lex.pronouns and j - i == 1:
            break
    while j > i and (
        ctx.low(j - 1) in ctx.lex.np_links
        or ctx.doc[j - 1].is_punct
        and not ctx.is_mark(j - 1)
        and not (ctx.low(j - 1) == ")" and "(" in ctx.lows[i : j - 1])
        or ctx.lex.lang == "de"
        and j - i > 1
        and ctx.doc[j - 1].is_lower
        and not ctx.doc[j - 1].like_num
    ):
        j -= 1
    return _with_ents(ctx, (i, j)) if j > i else None


def _bare_np(ctx: _Ctx, start: int, end: int) -> tuple[int, int] | None:
    """A noun phrase without determiner or capital ("exit polls", "people familiar with the talks"):
    the words up to the next punctuation or clause break, at most ``_NP_MAX``."""
    lex = ctx.lex
    j = start
    while (
        j < end
        and j - start < _NP_MAX
        and not ctx.doc[j].is_punct
        and ctx.in_quote[j] < 0
        and ctx.low(j) not in lex.clause_breakers
        and ctx.low(j) not in lex.auxiliaries
    ):
        j += 1
    return (start, j) if j > start and ctx.doc[start].is_alpha else None


def _np_before(ctx: _Ctx, end: int, start: int) -> tuple[int, int] | None:
    """The noun phrase ending right before ``end`` (English subject), not before ``start``."""
    j = end
    while j > start and ctx.low(j - 1) in ctx.lex.np_skip:
        j -= 1
    if j > start and ctx.low(j - 1) in ctx.lex.pronouns:
        return j - 1, j
    if j > start and ctx.low(j - 1) in ctx.lex.coordinators:
        return None  # "... outlined his plan and vowed": coordinated verbs share a subject
    i = j
    while i > start and j - i < _NP_MAX:
        low = ctx.low(i - 1)
        if low in ctx.lex.np_links and i - 1 > start and _np_ok(ctx, i - 2, False):
            i -= 1
            continue
        if not _np_ok(ctx, i - 1, False) or low in ctx.lex.adverbs:
            break
        i -= 1
    while i < j and (ctx.low(i) in ctx.lex.np_links or ctx.doc[i].is_punct and not ctx.is_mark(i)):
        i += 1
    return _with_ents(ctx, (i, j)) if j > i else None


def _paren_before(ctx: _Ctx, end: int, start: int) -> int:
    """Start of a parenthesis closing right before ``end`` ("Rep. Gwen Moore (D-Wis.)"), else ``end``."""
    if end - 1 <= start or ctx.low(end - 1) != ")":
        return end
    for k in range(end - 2, max(start - 1, end - 10), -1):
        if ctx.low(k) == "(":
            return k
        if ctx.low(k) in (")", ",") or ctx.in_quote[k] >= 0:
            break
    return end


def _en_subject(ctx: _Ctx, k: int, cs: int, a: int) -> tuple[int, int] | None:
    """English subject ending at ``k``: a relative pronoun ("..., who said"), a noun phrase with its
    party tag ("Sen. X (R-Ga.) said") or a name with an apposition between commas ("X, a lawyer for Y,
    said"), which PolNeAR counts as part of the source."""
    lex = ctx.lex
    if k > a and ctx.low(k - 1) in lex.relative_sources:
        return k - 1, k
    end = _paren_before(ctx, k, cs)
    source = _np_before(ctx, end, cs)
    if source is not None and _time_phrase(ctx, source):
        source = _np_before(ctx, source[0], cs)  # "Wells Fargo just this month announced"
    if source is not None:
        return (source[0], k) if end < k else source
    if not lex.appositions or k - 1 <= a or ctx.low(k - 1) != ",":
        return None
    p = k - 2  # the comma that opens the apposition
    while p > a and k - p < 40 and ctx.low(p) not in (",", ";", ":") and ctx.in_quote[p] < 0:
        if ctx.low(p) in ("--", "—", "–"):  # "X -- the company that ... --,": skip the dash aside
            q = p - 1
            while q > a and ctx.low(q) != ctx.low(p) and p - q < 30:
                q -= 1
            p = q if q > a else p
        p -= 1
    if p <= a or ctx.low(p) != "," or p + 1 >= k - 1:
        return None
    head_end = _paren_before(ctx, p, a)
    head = _np_before(ctx, head_end, a)
    if head is None or not any(ctx.is_cap(m) for m in range(*head)):
        return None
    if head[0] > a and not (ctx.low(head[0] - 1) in (",", ":") or ctx.is_mark(head[0] - 1)):
        return None  # "In 2012, ..., X, a ..., said" is fine; "... and X, a ..., said" is not a subject
    return head[0], k


def _en_trim_source(ctx: _Ctx, source: tuple[int, int]) -> tuple[int, int]:
    """Cut what a tagger-less subject guess takes in front of the speaker: a conjunction ("But
    many Democrats say"), a fronted prepositional phrase before a name ("In a Bloomberg
    interview Trump declared") and a noun before the clause whose subject speaks ("One of the
    many reasons that Trump refuses")."""
    lex = ctx.lex
    a, b = source
    while a < b - 1 and ctx.low(a) in lex.source_openers:
        a += 1
    if ctx.low(a) in lex.prepositions:
        tail = next((e for e in ctx.ents if a < e.start < b and e.end == b), None)
        before = tail.start - 1 if tail is not None else a
        if (
            tail is not None
            and tail.label_ in _SOURCE_LABELS
            and ctx.doc[before].is_lower
            and ctx.low(before) not in lex.np_links
        ):
            a = tail.start
    inner = [m for m in range(a + 1, b - 1) if ctx.low(m) in lex.relativizers]
    if inner and ctx.low(inner[-1] - 1) != ",":
        a = inner[-1] + 1  # "One of the many reasons that Trump refuses": the clause's subject
    return a, b


def _time_phrase(ctx: _Ctx, span: tuple[int, int]) -> bool:
    """Whether a noun phrase only says when ("this month", "early Friday"): no speaker."""
    lex = ctx.lex
    return any(ctx.low(m) in lex.time_words for m in range(*span)) and all(
        ctx.low(m) in lex.time_words or ctx.low(m) in lex.determiners or ctx.doc[m].like_num
        for m in range(*span)
    )


def _apposition_after(ctx: _Ctx, source: tuple[int, int], end: int) -> tuple[int, int]:
    """Widen an inverted source over its apposition up to the end of the sentence ("said X, a lawyer
    for Y, who ...") or its party tag ("said Rep. X (D-N.C.)")."""
    if not ctx.lex.appositions:
        return source
    s0, s1 = source
    if ctx.lex.lang == "de" and (
        s1 - s0 == 1 and ctx.low(s0) in ctx.lex.pronouns or not _de_apposition(ctx, s1 + 1)
    ):
        return source  # "sagte er, dass ...", "schrieb Mussawi, er werde ...": no apposition
    if s1 < end and ctx.low(s1) == "(":
        close = next((m for m in range(s1 + 1, min(s1 + 10, end)) if ctx.low(m) == ")"), None)
        if close is not None:
            s1 = close + 1
    if s1 + 1 < end and ctx.low(s1) == "," and ctx.low(s1 + 1) not in ctx.lex.content_stops:
        stop = end
        for m in range(s1 + 1, end):
            if ctx.in_quote[m] >= 0 or ctx.is_mark(m) or ctx.low(m) in (";", ":"):
                stop = m
                break
            if ctx.lex.lang == "de" and ctx.low(m) == ",":
                stop = m  # German: one apposition, not the relative clause after it
                break
            if ctx.lex.verb(ctx.doc[m])[0] is not None and ctx.low(m - 1) == ",":
                stop = m - 1  # ", adding ...": a new cue
                break
        while stop > s1 and ctx.doc[stop - 1].is_punct and ctx.low(stop - 1) != ")":
            stop -= 1
        verbal = ctx.lex.lang == "de" and (
            ctx.lex.is_verbal(ctx.doc[stop - 1]) or ctx.low(stop - 1) in ctx.lex.auxiliaries
        )
        if stop > s1 + 1 and not verbal and ctx.low(s1 + 1) not in ctx.lex.relative_sources:
            s1 = stop
    return s0, s1


def _de_clause_start(ctx: _Ctx, cs: int, i: int, a: int) -> int:
    """Start of a German subordinate clause whose subject has an apposition between commas ("Wie der
    Bevollmächtigte der EU-Kommission, Gerald Braun, in Luxemburg mitteilte"): up to two commas back to
    "wie"/"während"/..., when the skipped part holds no verb; else ``cs``."""
    lex = ctx.lex
    k, hops = cs, 0
    while k > a + 1 and hops < 2 and ctx.low(k - 1) == ",":
        k = _clause_start(ctx, k - 1, a)
        hops += 1
        if any(ctx.low(m) in lex.auxiliaries or _de_verb_word(ctx, m) for m in range(k + 1, cs)):
            return cs
        if ctx.low(k) in lex.subordinators or ctx.low(k) in lex.final_subordinators:
            return k
    return cs


def _close_paren(ctx: _Ctx, span: tuple[int, int]) -> tuple[int, int]:
    """Keep the closing bracket of "Das Bundeskriminalamt (BKA)" that trimming took off."""
    a, b = span
    if b < ctx.n and ctx.low(b) == ")" and "(" in ctx.lows[a:b] and ")" not in ctx.lows[a:b]:
        return a, b + 1
    return span


def _has_verb(ctx: _Ctx, start: int, end: int) -> bool:
    """Whether tokens [start, end) up to the next comma hold a (German) verb: a relative clause, not an
    apposition ("X, der Präsident des Staates, sagte")."""
    for m in range(start, end):
        if ctx.low(m) == ",":
            return False
        if ctx.low(m) in ctx.lex.auxiliaries or _de_verb_word(ctx, m):
            return True
    return False


def _de_verb_word(ctx: _Ctx, k: int) -> bool:
    """A lower-case German word that looks like a verb and is no function word ("ein" is no verb)."""
    lex, low = ctx.lex, ctx.low(k)
    function = low in lex.determiners or low in lex.prepositions or low in lex.np_links or low in lex.pronouns
    return ctx.doc[k].is_lower and not function and lex.is_verbal(ctx.doc[k])


def _relative_start(ctx: _Ctx, i: int, a: int) -> int | None:
    """Index of the relative pronoun opening the clause of token ``i`` (", der ... bezeichnete"),
    quotations inside the clause allowed; None when the clause is no relative clause."""
    for j in range(i - 1, a, -1):
        if ctx.in_quote[j] >= 0 or ctx.is_mark(j):
            continue
        if ctx.low(j) in (",", ";", ":"):
            return None
        if ctx.low(j - 1) == "," and ctx.low(j) in ctx.lex.relative_sources:
            return j
    return None


def _de_final_clause(
    ctx: _Ctx, cs: int, a: int, i: int, cue: list[int], b: int
) -> tuple[tuple[int, int] | None, list[tuple[int, int]]] | None:
    """(source, content) of a German verb-final clause holding the cue: a relative clause ("X, der
    ... als „Fest“ bezeichnete": the relative pronoun speaks) or a subordinate clause ("Während X
    ankündigte, ..."); None for a main clause."""
    lex = ctx.lex
    end = max(cue) + 1
    while end < b and ctx.low(end) in lex.auxiliaries:
        end += 1
    if end < b and ctx.low(end) not in (",", ";", ":", "(", "–", "—") and ctx.in_quote[end] < 0:
        return None  # the verb does not close its clause
    first = ctx.low(cs)
    rel = _relative_start(ctx, min(cue), a)
    if rel is not None and rel + 1 < min(cue):
        middle = _strip(ctx, rel + 1, min(cue))
        ante = _np_before(ctx, rel - 1, a)  # SpkAtt mostly marks the noun the pronoun stands for
        if ante and ante[0] - 1 >= a and ctx.low(ante[0] - 1) in lex.determiners:
            ante = (ante[0] - 1, ante[1])  # "der" is also a link word: keep the article
        return (ante or (rel, rel + 1)), [middle]
    if first in lex.final_subordinators and cs + 1 < min(cue):
        source = _np_after(ctx, cs + 1, min(cue))
        if source is None or _bad_source(ctx, source):
            return None
        after = _strip(ctx, end, _clause_end(ctx, end, b)) if end < b else (end, end)
        if after[1] - after[0] >= 3:
            return source, [after]
        return source, [_strip(ctx, source[1], min(cue))]
    return None


def _de_passive_agent(ctx: _Ctx, cs: int, i: int, lemma: str) -> int | None:
    """-1 when token ``i`` is no German passive participle (or keeps its subject), else the index of
    the agent preposition before it ("vom LSVD aufgefordert"), None for a passive without agent."""
    lex = ctx.lex
    if not lex.passive_aux or lemma in lex.passive_keep or ctx.low(i) == lemma:
        return -1
    after = i + 1 < ctx.n and ctx.low(i + 1) in ("werden", "worden") and ctx.in_quote[i + 1] < 0
    if not after and not any(ctx.low(k) in lex.passive_aux and ctx.in_quote[k] < 0 for k in range(cs, i)):
        return -1
    return next((k for k in range(cs, i) if ctx.low(k) in lex.passive_agents and ctx.in_quote[k] < 0), None)


def _de_passive(
    ctx: _Ctx, cs: int, i: int, lemma: str, b: int, source: tuple[int, int] | None
) -> tuple[int, int] | None:
    """The source of a German passive cue ("wurde vom LSVD aufgefordert"): the agent after "von",
    else none (the subject is the addressee or what is said); other cues keep ``source``."""
    agent = _de_passive_agent(ctx, cs, i, lemma)
    if agent is not None and agent < 0:
        return source
    return _np_after(ctx, agent + 1, i) if agent is not None else None  # the agent precedes the participle


def _de_clausal(ctx: _Ctx, d: _Draft) -> bool:
    """Whether a German draft has what a verb of saying governs: a quotation, content before the cue
    ("..., bestätigte X", "wie X bestätigte, ...") or a clause after it ("bestätigte, dass ...",
    "wurde aufgefordert, das Land zu verlassen", "erklärte: ..."), not a noun phrase object ("bestätigte
    den Zwischenfall", "wird im Sommer erwartet") or a relative clause ("bekanntgegeben, das ...")."""
    lex = ctx.lex
    if d.kind != "indirect" or not d.content:
        return True
    first = min(c[0] for c in d.content)
    if first < min(d.cue):
        return True
    prev = first - 1
    while prev > 0 and ctx.is_mark(prev):
        prev -= 1
    if ctx.low(first) in lex.complementizers or ctx.low(prev) == ":":
        return True
    if ctx.low(prev) != ",":
        return False
    end = _clause_end(ctx, first, ctx.sent_last_word(d.sent))
    if ctx.low(first) in lex.relative_sources and not any(ctx.low(k) == "zu" for k in range(first, end)):
        return False  # a relative clause, not an infinitive ("das Land zu verlassen")
    return not _de_verb_word(ctx, first)  # "bestätigten den Zwischenfall, teilten jedoch mit"


def _de_apposition(ctx: _Ctx, k: int) -> bool:
    """Whether a German apposition can start at token ``k``: a capitalised word or a determiner, not a
    pronoun or a conjunction opening a clause."""
    if k >= ctx.n:
        return False
    low = ctx.low(k)
    if low in ctx.lex.pronouns or low in ctx.lex.subject_pronouns or low in ctx.lex.complementizers:
        return False
    return ctx.is_cap(k) or low in ctx.lex.determiners or ctx.is_mark(k)


def _bad_source(ctx: _Ctx, span: tuple[int, int]) -> bool:
    """A German source guess that cannot be a speaker: it opens with a subordinator or a lower-case
    word that is no determiner/pronoun ("der wegen ...", "dass diese Software ..."), or holds a verb."""
    lex = ctx.lex
    if lex.lang != "de":
        return False
    a, b = span
    first = ctx.low(a)
    if first in lex.complementizers or first in lex.source_stops:
        return True
    if ctx.doc[a].is_lower and first not in lex.determiners and first not in lex.pronouns:
        return True
    return any(
        lex.verb(ctx.doc[k])[0] is not None or ctx.low(k) in lex.auxiliaries
        for k in range(a, b)
        if ctx.doc[k].is_lower
    )


def _named(ctx: _Ctx, span: tuple[int, int]) -> bool:
    """Whether a noun phrase holds a person/organisation mention, a pronoun or a speaker noun."""
    a, b = span
    if any(ent.start < b and ent.end > a and ent.label_ in _SOURCE_LABELS for ent in ctx.ents):
        return True
    return any(ctx.low(k) in ctx.lex.pronouns or ctx.low(k) in ctx.lex.descriptions for k in range(a, b))


def _with_ents(ctx: _Ctx, span: tuple[int, int]) -> tuple[int, int]:
    """Widen a source to whole entity mentions it cuts."""
    a, b = span
    for ent in ctx.ents:
        if ent.start < b and ent.end > a:
            a, b = min(a, ent.start), max(b, ent.end)
    return a, b


# --------------------------------------------------------------------------- cues


def _clause_end(ctx: _Ctx, i: int, end: int) -> int:
    """First clause boundary (comma, colon, semicolon, content quote) after token ``i``."""
    j = i + 1
    while j < end and ctx.low(j) not in (",", ":", ";") and ctx.in_quote[j] < 0:
        j += 1
    return j


def _clause_start(ctx: _Ctx, i: int, start: int) -> int:
    j = i
    while j > start and ctx.low(j - 1) not in (",", ":", ";") and ctx.in_quote[j - 1] < 0:
        j -= 1
    return j


def _verb_cue(ctx: _Ctx, i: int, si: int) -> tuple[list[int], str, str] | None:
    """(cue tokens, lemma, status) when token ``i`` is a verb of saying in its sentence."""
    lex, doc = ctx.lex, ctx.doc
    tok = doc[i]
    a, b = ctx.sents[si]
    if ctx.in_quote[i] >= 0 or not tok.is_alpha or tok.lower_ in lex.skippable:
        return None
    if lex.lang == "de" and not tok.text[0].islower() and i != a and not (i > a and ctx.is_mark(i - 1)):
        return None
    if tok.lower_ in lex.stance_adjectives:
        return _stance_cue(ctx, i, b)
    if tok.pos_ and tok.pos_ not in ("VERB", "AUX"):
        return None
    if lex.lang == "en" and i > a and ctx.low(i - 1) in lex.determiners:
        return None  # nouns: "the report", "the states"
    if (
        lex.lang == "en"
        and i > a
        and tok.text[0].isupper()
        and not (lex.verb(tok)[0] and _headline_verb(ctx, i, si))
    ):
        return None  # names: "United States", "Fox News Sunday"
    if tok.lower_ in lex.noun_forms and not _verb_context(ctx, i, a):
        return None  # "Trump's tweets", "swing states", "record low support": nouns, not cue verbs
    if lex.lang == "en" and _hyphenated(ctx, i):
        return None  # "so-called", "self-described": the verb is part of an adjective
    if lex.lang == "en" and tok.lower_.endswith("ing") and i + 1 < b and ctx.low(i + 1) == "by":
        return None  # "(Additional) reporting by X; editing by Y": a byline
    lemma = lex.verb(tok)[0]
    cue = [i]
    if lex.particles:
        ce = _clause_end(ctx, i, b)
        last = ce - 1
        while last > i and doc[last].is_punct:
            last -= 1
        if last > i and ctx.low(last) in lex.particles:
            for cand in lex.lemmas(tok):
                joined = ctx.low(last) + cand
                if joined in lex.verb_status:
                    lemma, cue = joined, [i, last]
                    break
    if lemma is None:
        return None
    if lemma in lex.phrasal and lemma not in lex.verb_status:
        for rest, status in lex.phrasal[lemma].items():
            if tuple(ctx.low(k) for k in range(i + 1, min(i + 1 + len(rest), b))) == rest:
                return [i, *range(i + 1, i + 1 + len(rest))], lemma, status
        return None
    need = lex.requires.get(lemma)
    wanted = (need, f"da{need}", f"dar{need}") if lex.lang == "de" else (need,)  # "verweist darauf"
    if need and not any(ctx.low(k) in wanted for k in range(max(a, i - 6), min(b, i + 6))):
        return None
    cue = _extend_right(ctx, cue, b)
    if lemma in lex.cue_preps:
        cue = _cue_prep(ctx, cue, lex.cue_preps[lemma], b)
    return cue, lemma, lex.verb_status[lemma]


def _stance_cue(ctx: _Ctx, i: int, end: int) -> tuple[list[int], str, str] | None:
    """An adjective of stance after a copula, before the clause it governs: "were frustrated that",
    "is confident that", "made clear that", "was adamant about"."""
    lex = ctx.lex
    if i == 0 or ctx.in_quote[i] >= 0 or i + 1 >= end or ctx.low(i + 1) not in lex.stance_links:
        return None
    k = i - 1
    while k > 0 and ctx.low(k) in lex.adverbs and ctx.low(k) not in lex.auxiliaries:
        k -= 1  # "is not sure", "was also clear"
    head = lex.verb(ctx.doc[k])[1]
    if head not in lex.stance_verbs and ctx.low(k) not in lex.passive_aux:
        return None
    return ([i] if ctx.low(k) in lex.auxiliaries else [k, i]), ctx.low(i), "asserted"


def _headline_verb(ctx: _Ctx, i: int, si: int) -> bool:
    """Whether a capitalised cue verb closes a title-case headline ("..., Lindsey Graham Says")."""
    a, b = ctx.sents[si]
    words = [k for k in range(a, b) if ctx.doc[k].is_alpha and len(ctx.doc[k]) > 3]
    if i != ctx.sent_last_word(si) - 1 or len(words) < 4:
        return False
    return sum(ctx.doc[k].text[0].isupper() for k in words) >= 0.8 * len(words)


def _cue_prep(ctx: _Ctx, cue: list[int], preps: frozenset[str], end: int) -> list[int]:
    """The preposition a verb cue governs joins it, with a short object in between ("accused Holt
    of", "likened the rules to", "called on"), as PolNeAR marks it."""
    j = max(cue) + 1
    for m in range(j, min(j + 3, end)):
        low = ctx.low(m)
        if low in preps and ctx.in_quote[m] < 0:
            return [*cue, *range(j, m + 1)]
        if (
            ctx.doc[m].is_punct
            and low not in ("'s", "’s", "-", ".")
            or ctx.in_quote[m] >= 0
            or ctx.is_mark(m)
        ):
            break
        if low in ctx.lex.complementizers or low in ctx.lex.clause_breakers or ctx.lex.verb(ctx.doc[m])[0]:
            break
    return cue


def _hyphenated(ctx: _Ctx, i: int) -> bool:
    """Whether token ``i`` closes a hyphenated compound ("so-called"): a hyphen glued to both sides."""
    doc = ctx.doc
    return i >= 2 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_ and not doc[i - 2].whitespace_


def _possessive(ctx: _Ctx, k: int) -> bool:
    """Whether "'s" at ``k`` marks a possessive ("Trump's comments"), not "he's" (has/is)."""
    return ctx.low(k) in ("'s", "’s") and (k == 0 or ctx.low(k - 1) not in ctx.lex.contracting)


def _verb_context(ctx: _Ctx, i: int, a: int) -> bool:
    """Whether a noun/verb homograph ("states", "support", "tweets") stands where a verb stands: after
    a pronoun, an auxiliary, "to", a negation or a name, over adverbs ("he also supports")."""
    lex = ctx.lex
    k = i - 1
    while k >= a and ctx.low(k) in lex.adverbs and ctx.low(k) not in lex.auxiliaries:
        k -= 1
    if k < a or ctx.in_quote[k] >= 0 or _possessive(ctx, k):
        return False
    low = ctx.low(k)
    if low == "to" and lex.verb(ctx.doc[i])[0] != ctx.low(i):
        return False  # "respond to requests for comment": an inflected form is no infinitive
    if low in lex.pronouns or low in lex.relative_sources or low in lex.auxiliaries:
        return True
    if low in ("to", "not", "n't", "n’t", "that") or low in lex.verb_context:
        return True
    if ctx.doc[k].ent_type_ in _SOURCE_LABELS and ctx.doc[k].ent_iob_ != "O":
        return True  # "Trump questions", "Bloomberg reports"
    if not ctx.low(i).endswith("s") and ctx.doc[k].is_lower and low.endswith("s") and len(low) > 3:
        return low not in lex.np_links  # "environmentalists worry", not "battleground states"
    return ctx.is_cap(k) and k > a and low not in lex.determiners and ctx.low(k - 1) not in ("'s", "’s")


def _extend_right(ctx: _Ctx, cue: list[int], end: int) -> list[int]:
    """Add the words that join a verb cue on its right (learned: "called *for*", "said *:*")."""
    j = max(cue) + 1
    while (
        j < end
        and j - max(cue) <= 3
        and ctx.low(j) in ctx.lex.cue_next
        and ctx.in_quote[j] < 0
        and ctx.lex.verb(ctx.doc[j])[0] is None
    ):
        cue = [*cue, j]
        j += 1
    return cue


def _cue_adjuncts(ctx: _Ctx, cue: list[int], end: int) -> list[int]:
    """Time words and "in an interview"-like phrases right after a verb cue join it (PolNeAR: "said
    Thursday morning", "said in a phone interview", "wrote in an email")."""
    lex = ctx.lex
    j = max(cue) + 1
    while j < end and ctx.in_quote[j] < 0:
        if ctx.low(j) in lex.cue_adjuncts:
            cue = [*cue, j]
            j += 1
            continue
        if ctx.low(j) in lex.cue_adjunct_preps:
            head = next(
                (
                    k
                    for k in range(j + 1, min(j + 6, end))
                    if ctx.low(k) in lex.cue_adjunct_heads and ctx.in_quote[k] < 0
                ),
                None,
            )
            if head is not None and not any(ctx.doc[m].is_punct for m in range(j, head)):
                cue = [*cue, *range(j, head + 1)]
                j = head + 1
                continue
        break
    return cue


def _en_verbish(ctx: _Ctx, i: int) -> bool:
    """English word without a tagger that sits in a verb group before a cue: -ly adverbs, -ed/-ing forms."""
    tok = ctx.doc[i]
    low = tok.lower_
    return (
        tok.is_alpha
        and low == tok.text
        and (
            low in ctx.lex.irregular_past
            or len(low) > 4
            and (low.endswith("ly") or low.endswith(("ed", "ing")) and low not in ctx.lex.np_heads)
        )
    )


def _strip(ctx: _Ctx, a: int, b: int) -> tuple[int, int]:
    """Trim punctuation and conjunctions at both ends of a token range; quote marks stay, except
    an opening one glued to the word after the range ("... taxes. “If he ...")."""
    while a < b and (
        ctx.doc[a].is_punct and not ctx.is_mark(a) or ctx.low(a) in ("und", "and", "but", "aber")
    ):
        a += 1
    while b > a and ctx.doc[b - 1].is_punct and (not ctx.is_mark(b - 1) or _opens_after(ctx, b - 1)):
        b -= 1
    return a, b


def _opens_after(ctx: _Ctx, k: int) -> bool:
    """Whether the quote mark at ``k`` opens a quotation that starts after it (glued to the next word)."""
    return not ctx.doc[k].whitespace_ and k + 1 < ctx.n and ctx.doc[k + 1].is_alpha


def _quote_near(ctx: _Ctx, a: int, b: int) -> int:
    """Index of a content quote touching the token window [a, b), else -1."""
    for k in range(max(a, 0), min(b, ctx.n)):
        if ctx.in_quote[k] >= 0:
            return ctx.in_quote[k]
    return -1


def _verb_claim(ctx: _Ctx, i: int, si: int, cue: list[int], lemma: str, status: str) -> _Draft | None:
    draft = _verb_draft(ctx, i, si, cue, lemma, status)
    lex = ctx.lex
    if draft is None or lex.lang != "de" or not (lex.clause_cues or lex.bare_passive_clausal):
        return draft
    need = lemma in lex.clause_cues
    if not need and lex.bare_passive_clausal:
        a, _ = ctx.sents[si]
        cs = _de_clause_start(ctx, _clause_start(ctx, i, a), i, a)
        need = _de_passive_agent(ctx, cs, i, lemma) is None
    return draft if not need or _de_clausal(ctx, draft) else None


def _verb_draft(ctx: _Ctx, i: int, si: int, cue: list[int], lemma: str, status: str) -> _Draft | None:
    lex = ctx.lex
    a, _ = ctx.sents[si]
    b = ctx.sent_last_word(si)
    last = max(cue)
    cs = _clause_start(ctx, i, a)
    if lex.lang == "de":
        cs = _de_clause_start(ctx, cs, i, a)
    sub = cs < i and ctx.low(cs) in lex.subordinators
    source: tuple[int, int] | None = None
    finite = i
    cue_tokens = list(cue)
    if sub:  # "wie X mitteilte" / "as X reported"
        source = _np_after(ctx, cs + 1, i) if lex.lang == "de" else _np_before(ctx, i, cs + 1)
        if lex.lang == "de":
            cue_tokens = [cs, *cue_tokens]
        if cs > a:  # content before: "Die Lage ist ernst, wie X mitteilte."
            content = [_strip(ctx, a, cs)]
        else:
            ce = _clause_end(ctx, last, b)
            content = [_strip(ctx, ce, b)]
        return _finish(ctx, cue_tokens, source, content, status, si, i, "indirect")
    inverted = False
    if lex.lang == "de":
        final = _de_final_clause(ctx, cs, a, i, cue_tokens, b)
        if final is not None:  # "..., der ... bezeichnete", "Während X ankündigte, ..."
            source, content = final
            return _finish(
                ctx, cue_tokens, _de_passive(ctx, cs, i, lemma, b, source), content, status, si, i, "indirect"
            )
        if cs > a and not _np_after(ctx, i + 1, b) and ctx.low(i - 1) == ",":
            cs = a  # "Ein Sprecher, Lars Beringer, sagte, ...": the comma closed an apposition
        elif lex.appositions and cs > a + 1 and ctx.low(cs - 1) == ",":
            head = _np_after(ctx, a, cs - 1)  # "Stephen Singer, ein Klimaexperte vom WWF erklärte"
            lead = all(ctx.low(m) in lex.adverbs for m in range(a, head[0])) if head else False
            if head and lead and head[1] >= cs - 1 and any(ctx.is_cap(m) for m in range(a, cs - 1)):
                cs = a
        aux = next((k for k in range(cs, i) if ctx.low(k) in lex.auxiliaries), None)
        if aux is not None:
            finite = aux
            cue_tokens = [aux, *cue_tokens]
        vorfeld = [k for k in range(cs, finite)]
        framed = bool(vorfeld) and (
            ctx.low(vorfeld[0]) in lex.prepositions
            or all(
                ctx.low(k) in lex.time_words or ctx.doc[k].like_num or ctx.low(k) in lex.determiners
                for k in vorfeld
            )
        )  # "Am heutigen Montag äußerte sich X", "Ende Januar 2006 verkündete X"
        while vorfeld and (
            ctx.low(vorfeld[0]) in lex.adverbs
            and not (ctx.low(vorfeld[0]) in lex.determiners and len(vorfeld) > 1)
            and not (ctx.low(vorfeld[0]) in lex.anaphoric_content and len(vorfeld) == 1)
            or ctx.doc[vorfeld[0]].is_punct
            and not ctx.is_mark(vorfeld[0])
        ):
            vorfeld.pop(0)
        anaphoric = len(vorfeld) == 1 and ctx.low(vorfeld[0]) in lex.anaphoric_content
        subject_first = (
            bool(vorfeld) and not anaphoric and not framed and ctx.low(vorfeld[0]) not in lex.prepositions
        )
        if subject_first:
            v_end = next(
                (
                    k
                    for k in vorfeld[1:]
                    if ctx.low(k - 1) == ","
                    and ctx.low(k) in lex.relative_sources
                    and _has_verb(ctx, k + 1, finite)
                ),
                vorfeld[-1] + 1,
            )  # "Todor Kolarow, dessen Behörde ... zuständig ist, sagte": not the relative clause
            v_end = next(
                (k for k in range(vorfeld[0] + 1, v_end) if _de_verb_word(ctx, k)),
                v_end,
            )  # "Theo Zwanziger, Präsident des DFB nannte ... stellte fest": the first verb ends the subject
            source = _with_ents(ctx, _close_paren(ctx, _strip(ctx, vorfeld[0], v_end)))
            after = _np_after(ctx, finite + 1, b)
            if (
                after
                and _named(ctx, after)
                and not _named(ctx, source)
                and ctx.low(vorfeld[0]) in lex.oblique
            ):
                source = after  # "Den Flüchtlingen sicherte Präsident Gusmão zu": dative Vorfeld
            nxt = finite + 1
            if nxt < b and (
                ctx.low(nxt) in lex.subject_pronouns or ctx.low(nxt) == "sie" and not _named(ctx, source)
            ):
                source = (nxt, nxt + 1)  # "Die Tat bezeichnete er als sinnlos": the Vorfeld is the object
        else:
            source = _np_after(ctx, finite + 1, b)
        if source and lemma in lex.impersonal and ctx.low(source[0]) == "es" and source[1] - source[0] == 1:
            # "heißt es (in dem Schreiben)": the document is the source, the "es" never
            loc = source[1]
            source = _np_after(ctx, loc + 1, b) if loc < b and ctx.low(loc) in ("in", "im") else None
            if source and ctx.low(loc) == "im":
                source = (loc, source[1])
            if source is None and vorfeld and ctx.low(vorfeld[0]) in lex.impersonal_preps:
                # "Bei der Agentur RIA hieß es", "Im Bericht heißt es": the Vorfeld names the document
                p0 = vorfeld[0]
                place = _np_after(ctx, p0 + 1, finite)
                if place:
                    source = (p0, place[1]) if ctx.low(p0) in ("im", "beim") else place
        if source and not subject_first:
            source = _apposition_after(ctx, source, b)
        source = _de_passive(ctx, cs, i, lemma, b, source)
        inverted = cs > a and not vorfeld
        if anaphoric and si > 0:
            pa, _ = ctx.sents[si - 1]
            content = [_strip(ctx, pa, ctx.sent_last_word(si - 1))]
            return _finish(ctx, cue_tokens, source, content, status, si, i, "indirect")
    else:
        k = min(cue)  # a stance cue starts at its verb: "made clear"
        while k > cs and (
            ctx.low(k - 1) in lex.np_skip
            and not _possessive(ctx, k - 1)
            or ctx.low(k - 1) in lex.catenatives
            and (ctx.low(k) == "to" or ctx.low(k).endswith("ing"))
            or _en_verbish(ctx, k - 1)
            or ctx.low(k - 1) == "to"
            and k - 2 >= cs
            and ctx.low(k - 2) not in lex.np_heads
        ):
            k -= 1
        cue_tokens = sorted({*range(k, i), *cue_tokens})
        passive = k < i and ctx.low(last) == "by" or (last + 1 < b and ctx.low(last + 1) == "by" and k < i)
        passive = passive and any(ctx.low(m) in lex.passive_aux for m in range(k, i))
        if passive:  # "was first reported by X": the agent after "by" speaks, the subject is the content
            by = last if ctx.low(last) == "by" else last + 1
            source = _np_after(ctx, by + 1, b)
            subject = _np_before(ctx, k, cs)
            if source and subject:
                return _finish(ctx, sorted({*cue_tokens, by}), source, [subject], status, si, i, "indirect")
        participle = _participle(ctx, i, k, cs, a)
        # "Mr. Quiros was accused of ...", "peacekeepers have been blamed for ...": the subject of a
        # passive without "by" is what is talked about, and the speaker is not named.
        agentless = (
            any(ctx.low(m) in lex.passive_aux for m in range(k, i))
            and _past_participle(ctx, i)
            and ctx.low(i) not in lex.stance_adjectives  # "were frustrated that": an adjective
        )
        source = None if participle or agentless else _en_subject(ctx, k, cs, a)
        if source is not None:
            source = _en_trim_source(ctx, source)
        coordinated = k > cs and ctx.low(k - 1) in lex.coordinators
        if source is None and not participle and not coordinated and not agentless:
            source = _np_after(ctx, last + 1, b)
            if source is not None and (
                ctx.low(source[0]) in lex.complementizers
                or source[1] < b
                and not (ctx.doc[source[1]].is_punct or ctx.low(source[1]) in lex.prepositions)
            ):
                source = None  # "reports that ...": no inverted subject here
            if source is not None:
                source = _apposition_after(ctx, source, b)
            inverted = cs > a
    if lex.cue_adjuncts and (source is None or source[1] <= min(cue_tokens)):
        cue_tokens = _cue_adjuncts(ctx, cue_tokens, b)
    # content: a quote around the frame, the clause after the cue, or the clause before an inversion
    frame_start = min([*cue_tokens, *(range(*source) if source else [])])
    frame_end = max([*cue_tokens, *(range(source[0], source[1]) if source else [])]) + 1
    stop = frame_end
    while stop < min(frame_end + 3, ctx.n) and ctx.doc[stop].text not in _PUNCT_END:
        stop += 1
    qi = _statement_quote(ctx, _quote_near(ctx, frame_end, stop))
    qi_before = _statement_quote(
        ctx, _quote_near(ctx, max(frame_start - 3, ctx.sents[si][0] - 1), frame_start)
    )
    if qi < 0:
        qi, qi_before = qi_before, -1
    if qi >= 0:
        span, qa, qb = ctx.content_quotes[qi]
        draft = _finish(ctx, cue_tokens, source, [(qa, qb)], status, si, i, "direct", quote=span)
        if draft is not None and qi_before >= 0 and qi_before != qi:
            first, fa, fb = ctx.content_quotes[qi_before]
            draft.quote_before = first
            draft.content.insert(0, (fa, fb))
        return draft
    after_start = frame_end
    if lex.lang == "de":
        ce = _clause_end(ctx, last, b)
        if ce < b:
            after_start = ce
    elif lemma in lex.addressee_verbs:
        addressee = _np_after(ctx, frame_end, b)
        if addressee:
            after_start = addressee[1]
    if lex.lang == "en":
        for k in range(after_start, min(after_start + 6, b)):
            if ctx.low(k) in (":", "that") and not any(
                ctx.low(m) in (",", ";") for m in range(after_start, k)
            ):
                after_start = k + (ctx.low(k) == ":")
                break
    after_end = b
    if lex.content_stops:  # "..., saying ...", "..., who ...": a new clause the cue does not govern
        for k in range(after_start + 2, b - 1):
            if ctx.low(k) == "," and ctx.low(k + 1) in lex.content_stops and ctx.in_quote[k] < 0:
                after_end = k
                break
    after = _strip(ctx, after_start, after_end)
    before = _strip(ctx, a, cs) if cs > a else (a, a)
    if (inverted or after[1] - after[0] < 3) and before[1] - before[0] >= 2:
        return _finish(ctx, cue_tokens, source, [before], status, si, i, "indirect")
    if after[1] > after[0]:
        return _finish(ctx, cue_tokens, source, [after], status, si, i, "indirect")
    middle = _strip(ctx, source[1] if source and source[1] <= i else finite + 1, min(cue_tokens[-1], i))
    if lex.lang == "de" and middle[1] > middle[0] and middle[0] > finite:
        return _finish(ctx, cue_tokens, source, [middle], status, si, i, "indirect")
    return None


def _finish(
    ctx: _Ctx,
    cue: list[int],
    source: tuple[int, int] | None,
    content: list[tuple[int, int]],
    status: str,
    si: int,
    anchor: int,
    kind: str,
    quote: Span | None = None,
    punch: bool = True,
) -> _Draft | None:
    """Drop empty contents and (``punch``) cut the source and cue tokens out of the content."""
    holes = (set(cue) | (set(range(*source)) if source else set())) if punch else set()
    pieces: list[tuple[int, int]] = []
    for a, b in content:
        run = a
        for k in range(a, b + 1):
            if k == b or k in holes:
                if k > run:
                    pieces.append(_strip(ctx, run, k))
                run = k + 1
    pieces = [p for p in pieces if p[1] > p[0]]
    if not pieces:
        return None
    return _Draft(sorted(set(cue)), source, pieces, kind, status, si, anchor, quote)


def _prep_claims(ctx: _Ctx, si: int) -> list[_Draft]:
    """``laut X``, ``X zufolge``, ``nach Angaben X``, ``according to X``, ``..., so X.``"""
    lex = ctx.lex
    a, _ = ctx.sents[si]
    b = ctx.sent_last_word(si)
    out: list[_Draft] = []
    for i in range(a, b):
        if ctx.in_quote[i] >= 0 or ctx.low(i) not in lex.according_starts:
            continue
        for cue in lex.according_before:
            n = len(cue.words)
            if tuple(ctx.low(k) for k in range(i, min(i + n, b))) != cue.words:
                continue
            if cue.neighbours is not None and not any(
                _neighbour(ctx, k, cue.neighbours) for k in range(i + n, min(i + n + 3, b))
            ):
                continue  # "nach Angaben", "nach ersten Angaben", "nach dessen Angaben", "nach Polizeiangaben"
            if cue.neighbours is not None:
                hit = next(k for k in range(i + n, min(i + n + 3, b)) if _neighbour(ctx, k, cue.neighbours))
                if any(ctx.doc[k].is_punct or ctx.in_quote[k] >= 0 for k in range(i + n, hit)):
                    continue
            source = _np_after(ctx, i + n, b)
            if source is None and lex.lang == "en":
                source = _bare_np(ctx, i + n, b)  # "according to exit polls", "citing court documents"
            if source is None and cue.neighbours is not None:
                source = (i + n, hit + 1)  # "nach eigenen Angaben": the phrase itself, as SpkAtt marks it
            if source is None:
                continue
            draft = _finish(ctx, list(range(i, i + n)), source, [(a, b)], "asserted", si, i, "according_to")
            if draft:
                out.append(draft)
        for cue in lex.according_after:
            n = len(cue.words)
            if tuple(ctx.low(k) for k in range(i, min(i + n, b + 1))) != cue.words or i == a:
                continue
            if cue.neighbours is not None and ctx.low(i - 1) not in cue.neighbours:
                continue
            start = _clause_start(ctx, i, a)
            k = i
            while (
                k > start
                and ctx.low(k - 1) not in lex.adverbs
                and (
                    _np_ok(ctx, k - 1, False)
                    or ctx.low(k - 1) in lex.np_links
                    and k - 2 >= start
                    and _np_ok(ctx, k - 2, False)
                )
            ):
                k -= 1
            if k == i:
                continue
            draft = _finish(ctx, list(range(i, i + n)), (k, i), [(a, b)], "asserted", si, i, "according_to")
            if draft:
                out.append(draft)
        if ctx.low(i) in lex.according_self and not any(i in d.cue for d in out):
            # "Demnach steht ...", "..., wonach die Maus ... sein soll": the adverb stands for the source
            start = i if i == a or ctx.low(i - 1) == "," else a
            stop = _clause_end(ctx, i, b) if start == i and i > a else b
            draft = _finish(ctx, [i], (i, i + 1), [(start, stop)], "asserted", si, i, "according_to")
            if draft:
                out.append(draft)
        if ctx.low(i) in lex.according_so and i > a and ctx.low(i - 1) == "," and ctx.in_quote[i] < 0:
            source = _np_after(ctx, i + 1, b)
            if source and (source[1] >= b - 1 or ctx.low(source[1]) in (",", "weiter", "further")):
                qi = _quote_near(ctx, i - 3, i)
                if qi >= 0:
                    span, qa, qb = ctx.content_quotes[qi]
                    draft = _finish(ctx, [i], source, [(qa, qb)], "asserted", si, i, "direct", quote=span)
                else:
                    draft = _finish(ctx, [i], source, [(a, i - 1)], "asserted", si, i, "according_to")
                if draft:
                    out.append(draft)
    return out


def _noun_claims(ctx: _Ctx, si: int) -> list[_Draft]:
    """A possessive speaker and a noun of saying before its content: "Trump's claim that ...",
    "Clinton's remarks about ...", "the senator's statement: ..."."""
    lex = ctx.lex
    if not lex.noun_cues:
        return []
    a, _ = ctx.sents[si]
    b = ctx.sent_last_word(si)
    out: list[_Draft] = []
    for i in range(a + 1, b - 1):
        if ctx.low(i) not in lex.noun_cues or ctx.in_quote[i] >= 0:
            continue
        k = i - 1
        while k > a and ctx.low(k) in lex.noun_cue_skip:
            k -= 1  # "Trump's earlier claim", "Tulsa police's repeated claim"
        if not _possessive(ctx, k) or ctx.low(i + 1) not in lex.noun_cue_links:
            continue
        owner = _np_before(ctx, k, a)
        if owner is None:
            continue
        verbs = [m for m in range(owner[0], k) if _en_verbish(ctx, m)]
        owner = (verbs[-1] + 1, k) if verbs else owner  # "Politifact checked | Donald Trump's claim"
        start = i + 1 + (ctx.low(i + 1) in (":", "about", "on"))
        draft = _finish(
            ctx,
            [i],
            (owner[0], k + 1),
            [_strip(ctx, start, _clause_end(ctx, start, b))],
            "asserted",
            si,
            i,
            "indirect",
        )
        if draft:
            out.append(draft)
    return out


def _neighbour(ctx: _Ctx, k: int, words: frozenset[str]) -> bool:
    """Token ``k`` is one of ``words`` or, in German, a compound ending in one ("Polizeiangaben")."""
    low = ctx.low(k)
    if low in words:
        return True
    return ctx.lex.lang == "de" and ctx.is_cap(k) and any(low.endswith(w) for w in words if len(w) >= 6)


def _reported_cue(ctx: _Ctx, si: int) -> list[int]:
    """Tokens of hearsay marking: ``soll ... haben`` or ``angeblich``/``reportedly``/``is said to``."""
    lex = ctx.lex
    a, b = ctx.sents[si]
    for i in range(a, b):
        if ctx.in_quote[i] >= 0:
            continue
        if ctx.low(i) not in lex.reported_starts:
            continue
        if ctx.low(i) in lex.reportative_modals:
            ce = _clause_end(ctx, i, b)
            for k in range(ce - 1, i, -1):
                if ctx.low(k) in lex.perfect_infinitives:
                    return [i, k]
        for marker in lex.reported_markers:
            if tuple(ctx.low(k) for k in range(i, min(i + len(marker), b))) == marker:
                return list(range(i, i + len(marker)))
    return []


def _drafts(ctx: _Ctx) -> list[_Draft]:
    drafts: list[_Draft] = []
    claimed_sents: set[int] = set()
    for si, (a, b) in enumerate(ctx.sents):
        here: list[_Draft] = []
        for i in range(a, b):
            hit = _verb_cue(ctx, i, si)
            if hit is None or any(i in d.cue for d in here):
                continue
            draft = _verb_claim(ctx, i, si, *hit)
            if draft is not None and draft.source is not None and _bad_source(ctx, draft.source):
                draft.source = None
            if draft is not None:
                here.append(draft)
        if ctx.lex.coordinators:
            _shared_subjects(ctx, si, here)
        if ctx.lex.participle_sources:
            _participle_sources(ctx, si, here)
        for noun in _noun_claims(ctx, si):
            if not any(set(noun.cue) & set(d.cue) for d in here):
                here.append(noun)
        for prep in _prep_claims(ctx, si):
            host = next((d for d in here if set(prep.cue) & _frame(d)), None)
            if host is not None:
                host.cue = sorted(set(host.cue) | set(prep.cue))
            elif not any(set(prep.cue) & set(d.cue) for d in here):
                here.append(prep)
        reported = _reported_cue(ctx, si)
        if reported and not here:
            draft = _finish(
                ctx,
                reported,
                None,
                [(a, ctx.sent_last_word(si))],
                "alleged",
                si,
                reported[0],
                "reported",
                punch=False,
            )
            if draft:
                here.append(draft)
        elif reported:
            for d in here:
                if d.status == "asserted" and any(c0 <= reported[0] < c1 for c0, c1 in d.content):
                    d.status = "alleged"
        drafts.extend(here)
        for d in here:
            claimed_sents.update(ctx.sent_of[k] for c0, c1 in d.content for k in range(c0, c1))
            claimed_sents.add(si)
    if ctx.lex.speaker_labels or ctx.lex.attribution_dashes:
        drafts.extend(_label_claims(ctx, claimed_sents))
    drafts.extend(_continuations(ctx, drafts, claimed_sents))
    if ctx.lex.nested_quotes:
        drafts.extend(_nested_quotes(ctx, drafts))
    drafts.sort(key=lambda d: d.anchor)
    for d in drafts:
        _hedge(ctx, d)
    drafts.extend(_lone_hedges(ctx, drafts))
    drafts.sort(key=lambda d: (min(c0 for c0, _ in d.content), d.anchor))
    return drafts


def _paragraph_end(ctx: _Ctx, si: int) -> int:
    """Index of the last sentence of the paragraph (no blank line or line break in between) of ``si``."""
    while si + 1 < len(ctx.sents) and not any(
        "\n" in ctx.doc[k].text for k in range(ctx.sents[si][1], ctx.sents[si + 1][0])
    ):
        if _speaker_label(ctx, si + 1) is not None:
            break
        si += 1
    return si


def _speaker_label(ctx: _Ctx, si: int) -> int | None:
    """Index of the colon of a speaker label opening sentence ``si`` ("WALLACE: ...", "Poll: ..."):
    one to four capitalised words before it, none a stop word ("Editor's note:", "Update:")."""
    lex = ctx.lex
    a, b = ctx.sents[si]
    colon = next((k for k in range(a + 1, min(a + 5, b)) if ctx.low(k) == ":"), None)
    if colon is None or colon + 1 >= b or ctx.in_quote[colon] >= 0:
        return None
    if any(
        not (ctx.doc[k].is_alpha and ctx.is_cap(k)) or ctx.low(k) in lex.label_stops for k in range(a, colon)
    ):
        return None
    return colon


def _label_claims(ctx: _Ctx, claimed: set[int]) -> list[_Draft]:
    """Speaker labels ("PENCE: Well, ...": the label speaks to the end of its paragraph; headlines
    "Poll: Voters ...") and attribution dashes after a quotation ("... shame.” ― Sonya Herridge")."""
    lex = ctx.lex
    out: list[_Draft] = []
    if lex.speaker_labels:
        for si in range(len(ctx.sents)):
            colon = _speaker_label(ctx, si)
            if colon is None:
                continue
            a, _ = ctx.sents[si]
            last = _paragraph_end(ctx, si)
            draft = _finish(
                ctx,
                [colon],
                (a, colon),
                [(colon + 1, ctx.sent_last_word(last))],
                "asserted",
                si,
                colon,
                "direct",
            )
            if draft:
                out.append(draft)
                claimed.update(range(si, last + 1))
    for qi, (span, qa, qb) in enumerate(ctx.content_quotes):
        k = qb
        while k < ctx.n and ctx.doc[k].is_space:
            k += 1
        glued = False
        if k >= ctx.n or not (
            ctx.doc[k].text in lex.attribution_dashes or ctx.doc[k].text[-1:] in lex.attribution_dashes
        ):
            if not (qb - 1 >= 0 and ctx.doc[qb - 1].text[-1:] in lex.attribution_dashes):
                continue
            k, glued = qb - 1, True  # "”―" is one token
        m = k + 1
        while m < ctx.n and ctx.doc[m].is_space:
            m += 1
        e = m
        while e < ctx.n and e - m < 5 and ctx.is_cap(e) and ctx.doc[e].is_alpha:
            e += 1
        if e == m:
            continue
        content = (qa, qb - 1 if glued else qb)
        out.append(_Draft([k], (m, e), [content], "direct", "asserted", ctx.sent_of[qa], qa, span))
    return out


def _participle(ctx: _Ctx, i: int, k: int, cs: int, a: int) -> bool:
    """An English cue in -ing opening a clause after a comma ("..., saying ...", "..., even suggesting
    ..."): its subject is the main clause's, never the noun phrase after it."""
    return (
        ctx.lex.participle_sources
        and k == cs
        and cs > a
        and ctx.low(cs - 1) == ","
        and ctx.low(i).endswith("ing")
        and ctx.doc[i].is_lower
    )


def _participle_sources(ctx: _Ctx, si: int, here: list[_Draft]) -> None:
    """A participle cue without a source shares the subject of its main clause: the source of the
    claim before it in the sentence ("X said ..., adding ...") or the sentence's first named noun
    phrase ("Rival Hillary Clinton had mocked the complaint, saying ...")."""
    a, _ = ctx.sents[si]
    for d in here:
        c = min(d.cue)
        k = c - 1
        while k > a and ctx.low(k) in ctx.lex.adverbs:
            k -= 1
        if d.source is not None or k <= a or ctx.low(k) != "," or not ctx.low(d.anchor).endswith("ing"):
            continue
        earlier = [e.source for e in here if e.source is not None and e.anchor < c]
        if earlier:
            d.source = earlier[-1]
            continue
        d.source = _en_sentence_subject(ctx, si, k)
        if d.source and d.content and d.source[1] > d.content[0][0] and d.source[0] < d.content[-1][1]:
            d.source = None


def _en_sentence_subject(ctx: _Ctx, si: int, limit: int) -> tuple[int, int] | None:
    """The first named noun phrase of an English sentence, cut at its verb ("Rival Hillary Clinton
    had mocked ...", "On Monday night, Clinton leaned in ..."), before ``limit``."""
    a, _ = ctx.sents[si]
    start = a
    if ctx.low(a) in ctx.lex.prepositions:
        start = next((m + 1 for m in range(a, limit) if ctx.low(m) == ","), a)
    np = _np_after(ctx, start, limit)
    if (
        np
        and np[0] <= start + 1
        and (_named(ctx, np) or any(ctx.is_cap(m) for m in range(max(np[0], a + 1), np[1])))
    ):
        return _np_before_verb(ctx, np)  # a name NER missed still starts with a capital mid-sentence
    return None


def _np_before_verb(ctx: _Ctx, np: tuple[int, int]) -> tuple[int, int]:
    """Cut a subject guess at its first auxiliary or -ed verb ("Rival Hillary Clinton had mocked")."""
    for m in range(np[0] + 1, np[1]):
        if ctx.low(m) in ctx.lex.auxiliaries or _en_verbish(ctx, m) and not ctx.is_cap(m):
            return np[0], m
    return np


def _shared_subjects(ctx: _Ctx, si: int, here: list[_Draft]) -> None:
    """A German cue verb right after "und" or a comma, without a source of its own, shares the
    subject of the clause before it ("Köhler ... nimmt ... in Schutz und warnt vor ...", "Die
    Vereinten Nationen bestätigten den Zwischenfall, teilten jedoch mit, ..."): the source of an
    earlier claim of the sentence, else the sentence's subject."""
    lex = ctx.lex
    a, _ = ctx.sents[si]
    for d in here:
        if d.source is not None or not d.cue or d.kind != "indirect":
            continue
        c = min(d.cue)
        if c - 1 <= a or not (ctx.low(c - 1) in lex.coordinators or ctx.low(c - 1) == ","):
            continue
        if any(c0 < c for c0, _ in d.content):
            continue  # content before the cue: "..., erklärte ..." inverts, it does not coordinate
        earlier = [e.source for e in here if e.source is not None and e.anchor < c]
        subject = _sentence_subject if lex.lang == "de" else _en_sentence_subject
        d.source = earlier[-1] if earlier else subject(ctx, si, c - 1)


def _sentence_subject(ctx: _Ctx, si: int, limit: int) -> tuple[int, int] | None:
    """Subject of a German sentence's first clause, before ``limit``: a Vorfeld noun phrase followed by
    the finite verb, or a pronoun right after the finite verb ("Im Januar legte er ...")."""
    lex = ctx.lex
    a, _ = ctx.sents[si]
    if ctx.low(a) not in lex.prepositions and ctx.low(a) not in lex.adverbs and ctx.is_cap(a):
        np = _np_after(ctx, a, limit)
        if np and np[0] == a and np[1] < limit and ctx.doc[np[1]].is_lower and not _bad_source(ctx, np):
            return np
        return None
    for k in range(a, limit - 1):
        if ctx.doc[k].is_lower and ctx.lex.is_verbal(ctx.doc[k]) or ctx.low(k) in lex.auxiliaries:
            m = k + 2 if ctx.low(k + 1) == "sich" else k + 1
            if ctx.low(m) in lex.subject_pronouns | {"sie"}:
                return m, m + 1
            np = _np_after(ctx, m, limit)  # "Auf Twitter zeigte sich die Bundesregierung bestürzt"
            return np if np and np[0] == m and _named(ctx, np) and not _bad_source(ctx, np) else None
        if ctx.low(k) in (",", ":", ";"):
            return None
    return None


def _nested_quotes(ctx: _Ctx, drafts: list[_Draft]) -> list[_Draft]:
    """A quotation inside a paraphrased content is a direct claim of its own, same cue and source
    (SpkAtt annotates "Er sagte, die Lage sei „ernst“" as two attributions)."""
    out: list[_Draft] = []
    spans = [(start, end) for start, end in ctx.quotes]
    for d in drafts:
        if d.quote is not None or not d.cue:
            continue
        for start, end in spans:
            span = ctx.doc.char_span(start, end, alignment_mode="expand")
            if span is None or not any(c0 <= span.start and span.end <= c1 for c0, c1 in d.content):
                continue
            if any(c0 == span.start and c1 == span.end for c0, c1 in d.content):
                continue
            out.append(
                _Draft(
                    list(d.cue), d.source, [(span.start, span.end)], "direct", d.status, d.sent, span.start
                )
            )
    return out


def _frame(d: _Draft) -> set[int]:
    """Tokens of the sentence part that is not content: where a second cue joins the first."""
    inside = {k for c0, c1 in d.content for k in range(c0, c1)}
    lo = min([*d.cue, *(range(*d.source) if d.source else [])])
    hi = max([*d.cue, *(range(*d.source) if d.source else [])])
    return {k for k in range(lo - 1, hi + 8) if k not in inside}


def _continuations(ctx: _Ctx, drafts: list[_Draft], claimed: set[int]) -> list[_Draft]:
    """Cue-less quotes and Konjunktiv I sentences, attributed to the last named source before them."""
    lex = ctx.lex
    used_quotes = {q for d in drafts for q in (d.quote, d.quote_before) if q}
    sourced = sorted((d for d in drafts if d.source), key=lambda d: d.anchor)
    out: list[_Draft] = []

    def last_source(tok: int) -> tuple[int, int] | None:
        best = None
        for d in sourced:
            if d.anchor < tok:
                best = d.source
        return best

    for span, qa, qb in ctx.content_quotes:
        if span in used_quotes or ctx.sent_of[qa] in claimed:
            continue
        text = ctx.text[span[0] : span[1] - 1].rstrip()
        if lex.lang == "de" and not (text.endswith(tuple(".!?…")) or qa > 0 and ctx.low(qa - 1) == ":"):
            continue  # a name or title in quotes ("„Rat für nationale Sicherheit“"), not a statement
        if _title_like(ctx, qa, qb):
            continue  # "“Face the Nation,”", "'Coal Isn't the Villain.'": a title, not a statement
        source = last_source(qa)
        if source is None or ctx.sent_of[qa] - ctx.sent_of[source[0]] > 3:
            continue
        out.append(_Draft([], source, [(qa, qb)], "direct", "asserted", ctx.sent_of[qa], qa, span))
        claimed.update(range(ctx.sent_of[qa], ctx.sent_of[qb - 1] + 1))
    if not lex.konjunktiv_i:
        return out
    for si, (a, b) in enumerate(ctx.sents):
        if si in claimed:
            continue
        forms = lex.konjunktiv_i | (lex.konjunktiv_ii if si - 1 in claimed else frozenset())
        verb = next((k for k in range(a, b) if ctx.low(k) in forms and ctx.in_quote[k] < 0), None)
        if (
            verb is None
            or ctx.low(a) in ("ich", "wir", "i", "we")
            or (verb > a and ctx.low(verb - 1) in ("ich",))
        ):
            continue
        source = last_source(a)
        kind = "indirect" if source else "unattributed"
        draft = _finish(
            ctx, [verb], None, [(a, ctx.sent_last_word(si))], "asserted", si, verb, kind, punch=False
        )
        if draft:
            draft.source = source
            if lex.continuation_period:  # SpkAtt: a cue-less continuation keeps its full stop
                draft.content = [(draft.content[0][0], _sent_end(ctx, si))]
            last = out[-1] if out else None
            if (
                lex.continuation_runs
                and last
                and last.sent == si - 1
                and last.source == source
                and not last.quote
            ):
                last.content.extend(draft.content)  # one attribution over consecutive sentences
                last.sent = si
                claimed.add(si)
                continue
            out.append(draft)
            claimed.add(si)
    return out


def _past_participle(ctx: _Ctx, i: int) -> bool:
    """An English past participle: "-ed" or an irregular form the lexicon lists ("told", "shown")."""
    low = ctx.low(i)
    return low.endswith("ed") or low in ctx.lex.forms and not low.endswith(("s", "ing"))


def _statement_quote(ctx: _Ctx, qi: int) -> int:
    """``qi`` unless that quotation is a title ("“Fox News Sunday,”"): -1 then."""
    if qi < 0:
        return qi
    _, qa, qb = ctx.content_quotes[qi]
    return -1 if _title_like(ctx, qa, qb) else qi


def _title_like(ctx: _Ctx, qa: int, qb: int) -> bool:
    """Whether a short quote is a title: at most eight words, the longer ones all capitalised."""
    words = [ctx.doc[k].text for k in range(qa, qb) if ctx.doc[k].is_alpha]
    long = [w for w in words if len(w) > 3]
    return 0 < len(words) <= 8 and bool(long) and all(w[0].isupper() for w in long)


def _sent_end(ctx: _Ctx, si: int) -> int:
    """End of a sentence with its final punctuation (not a stray closing mark after it)."""
    a, b = ctx.sents[si]
    while b > a and (ctx.doc[b - 1].is_space or ctx.is_mark(b - 1) and ctx.in_quote[b - 1] < 0):
        b -= 1
    return b


def _hedge(ctx: _Ctx, d: _Draft) -> None:
    """Lower the status of a claim whose content (or frame) carries a hedge."""
    if d.status != "asserted":
        return
    found = [ctx.hedges_in(a, b) for a, b in [*d.content, ctx.sents[d.sent]]]
    if any(alleging for _, alleging in found):
        d.status = "alleged"
    elif any(hedge for hedge, _ in found):
        d.status = "hedged"


def _lone_hedges(ctx: _Ctx, drafts: list[_Draft]) -> list[_Draft]:
    covered = {ctx.sent_of[k] for d in drafts for c0, c1 in d.content for k in range(c0, c1)}
    covered |= {d.sent for d in drafts}
    out = []
    for si, (a, b) in enumerate(ctx.sents):
        if si in covered:
            continue
        hedge = next((k for k in range(a, b) if ctx.low(k) in ctx.lex.hedges and ctx.in_quote[k] < 0), None)
        if hedge is None:
            continue
        status = "alleged" if ctx.low(hedge) in ctx.lex.alleging_hedges else "hedged"
        kind = "reported" if status == "alleged" else "unattributed"
        draft = _finish(
            ctx, [hedge], None, [(a, ctx.sent_last_word(si))], status, si, hedge, kind, punch=False
        )
        if draft:
            out.append(draft)
    return out


# --------------------------------------------------------------------------- span model


@functools.cache
def _load_model(path: str) -> Language:
    return spacy.load(path)


def load_claims_model(lang: str, model: ModelChoice = "default") -> Language | None:
    """The span model to use: ``"default"`` is ``settings.claims_model_path`` (the shipped
    ``kit/models/<lang>_kit_claims`` unless ``KIT_CLAIMS_MODEL_<LANG>`` says otherwise), ``None``
    means rules only; a path or a loaded pipeline is used as given."""
    if model is None or isinstance(model, Language):
        return model
    if model == "default":
        path = claims_model_path(lang)
        return _load_model(str(path)) if path is not None else None
    return _load_model(str(model))


_Spans = dict[str, list[tuple[int, int]]]


def _candidate_sents(ctx: _Ctx, drafts: list[_Draft]) -> list[bool]:
    """Sentences that can hold a claim (a rule draft, i.e. a cue-lexicon hit; a quotation mark; a
    Konjunktiv I form) and the sentence after each: the model runs only there (56% of the SpkAtt
    dev tokens).  Adding any cue-verb form, hedge or "according to" word (65%) gained nothing."""
    hit = [False] * len(ctx.sents)
    for d in drafts:
        hit[d.sent] = True
    forms = ctx.lex.konjunktiv_i
    for si, (a, b) in enumerate(ctx.sents):
        if not hit[si]:
            hit[si] = any(ctx.is_mark(k) or ctx.lows[k] in forms for k in range(a, b))
    return [h or (si > 0 and hit[si - 1]) for si, h in enumerate(hit)]


def _model_windows(ctx: _Ctx, drafts: list[_Draft]) -> list[Doc]:
    """Runs of candidate sentences as Docs for the span model, each starting at its token offset
    (``user_data["offset"]``).  They share the document's tokens and vocab: no second
    tokenisation, no new lexemes, the same hash features."""
    doc = ctx.doc
    chosen = _candidate_sents(ctx, drafts)
    windows: list[tuple[int, int]] = []
    for si, (a, b) in enumerate(ctx.sents):
        if chosen[si] and si and chosen[si - 1]:
            windows[-1] = (windows[-1][0], b)
        elif chosen[si]:
            windows.append((a, b))
    if not windows:
        return []
    words, spaces = zip(*((t.text, bool(t.whitespace_)) for t in doc), strict=True)
    for label in ("CUE", "SOURCE", "CONTENT"):
        doc.vocab.strings.add(label)
    subs = []
    for a, b in windows:
        sub = Doc(doc.vocab, words=list(words[a:b]), spaces=list(spaces[a:b]))
        sub.user_data["offset"] = a
        subs.append(sub)
    return subs


def _model_spans(tagged: Iterable[Doc]) -> _Spans:
    """CUE / SOURCE / CONTENT token ranges of the document from its tagged windows."""
    out: _Spans = {"CUE": [], "SOURCE": [], "CONTENT": []}
    for sub in tagged:
        offset = sub.user_data["offset"]
        for ent in sub.ents:
            if ent.label_ in out:
                out[ent.label_].append((offset + ent.start, offset + ent.end))
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _merge(ctx: _Ctx, drafts: list[_Draft], spans: _Spans) -> None:
    """Widen the rules' paraphrased contents by the model's CONTENT spans that overlap them (the
    rules stop too early).  What was measured and lost on dev (docs/claims.md): model cues, model
    source bounds, model sources for cues without one, model-only claims."""
    for d in drafts:
        if d.kind == "unattributed":
            continue
        if d.kind != "direct":
            model = [c for c in spans["CONTENT"] if any(_overlaps(c, x) for x in d.content)]
            frame = set(d.cue) | (set(range(*d.source)) if d.source else set())
            own = {k for a, b in d.content for k in range(a, b)}
            extra = {k for a, b in model for k in range(a, b)} - frame - own
            if extra:
                d.content = _runs([*extra, *own])


# --------------------------------------------------------------------------- public API


def _char_spans(doc: Doc, ranges: list[tuple[int, int]]) -> list[Span]:
    return [(doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)) for a, b in ranges if b > a]


def _runs(tokens: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for k in sorted(set(tokens)):
        if runs and runs[-1][1] == k:
            runs[-1] = (runs[-1][0], k + 1)
        else:
            runs.append((k, k + 1))
    return runs


def _lang_of(doc: Doc, lang: str | None) -> str:
    code = (lang or doc.lang_ or "en").split("_")[0]
    return code if code in ("de", "en") else "en"


def extract_claims(doc: Doc, *, lang: str | None = None, model: ModelChoice = "default") -> list[Claim]:
    """Claims of one document in text order; ``lang`` defaults to the pipeline's language, ``model``
    is the span model (see ``load_claims_model``; ``None``: rules only)."""
    if not len(doc):
        return []
    code = _lang_of(doc, lang)
    ctx = _Ctx(doc, load_lexicon(code))
    drafts = _drafts(ctx)
    span_model = load_claims_model(code, model)
    if span_model is not None:
        _merge(ctx, drafts, _model_spans(span_model.pipe(_model_windows(ctx, drafts))))
    return _claims_of(ctx, drafts)


def _claims_of(ctx: _Ctx, drafts: list[_Draft]) -> list[Claim]:
    doc = ctx.doc
    claims: list[Claim] = []
    for d in drafts:
        content = [q for q in (d.quote_before, d.quote) if q] if d.quote else _char_spans(doc, d.content)
        source = _char_spans(doc, [d.source]) if d.source else []
        kind = (
            d.kind
            if source or d.kind in ("reported", "unattributed")
            else ("reported" if d.kind == "according_to" else d.kind)
        )
        claims.append(Claim(content, source, _char_spans(doc, _runs(d.cue)), kind, d.status))
    return claims


def resolve_source(doc: Doc, claim: Claim, *, lang: str | None = None) -> Span | None:
    """Char span of the entity mention a claim's source refers to.

    The source's own entity when it overlaps one; for pronouns ("er", "she") and descriptions
    ("das Blatt", "the company") the nearest preceding entity of the fitting label (YAML lists).
    """
    if not claim.source_spans:
        return None
    lex = load_lexicon(_lang_of(doc, lang))
    start, end = claim.source_spans[0][0], claim.source_spans[-1][1]
    overlapping = [
        e for e in doc.ents if e.start_char < end and e.end_char > start and e.label_ in _SOURCE_LABELS
    ]
    if overlapping:
        best = max(overlapping, key=lambda e: (e.label_ in ("PER", "PERSON", "ORG"), len(e.text)))
        return best.start_char, best.end_char
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    label = None
    for tok in reversed(span):
        low = tok.lower_
        label = lex.pronouns.get(low) or lex.descriptions.get(low)
        if label:
            break
    if label is None:
        return None
    wanted = {"PER": ("PER", "PERSON"), "ORG": ("ORG",)}.get(label, (label,))
    before = [e for e in doc.ents if e.end_char <= start and e.label_ in wanted]
    if not before and label == "ORG":
        before = [e for e in doc.ents if e.end_char <= start and e.label_ in ("PER", "PERSON")]
    return (before[-1].start_char, before[-1].end_char) if before else None


class ClaimsComponent:
    """Sets ``doc._.claims``; the lexicon and the span model are loaded once, when the pipeline is built."""

    def __init__(self, lang: str, model: str | None = "default") -> None:
        self.lang = _lang_of_code(lang)
        load_lexicon(self.lang)
        self.model = load_claims_model(self.lang, model)

    def __call__(self, doc: Doc) -> Doc:
        doc._.claims = extract_claims(doc, lang=self.lang, model=self.model)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        """Like ``__call__``, with the span model run once over the windows of a whole batch
        (the model's per-call overhead dominates on a document's few sentences)."""
        if self.model is None:
            yield from map(self, docs)
            return
        lexicon = load_lexicon(self.lang)
        stream = iter(docs)
        while batch := list(itertools.islice(stream, batch_size)):
            prepared = []
            for doc in batch:
                ctx = _Ctx(doc, lexicon) if len(doc) else None
                drafts = _drafts(ctx) if ctx else []
                prepared.append((doc, ctx, drafts, _model_windows(ctx, drafts) if ctx else []))
            tagged = iter(self.model.pipe([w for *_, windows in prepared for w in windows]))
            for doc, ctx, drafts, windows in prepared:
                if ctx is None:
                    doc._.claims = []
                else:
                    _merge(ctx, drafts, _model_spans([next(tagged) for _ in windows]))
                    doc._.claims = _claims_of(ctx, drafts)
                yield doc


def _lang_of_code(code: str) -> str:
    return code if code in ("de", "en") else "en"


@Language.factory("kit_claims", default_config={"model": "default"})
def make_claims(nlp: Language, name: str, model: str | None) -> ClaimsComponent:
    """spaCy factory: ``nlp.add_pipe("kit_claims")`` after NER (it reads ``doc.ents`` when present).

    ``model``: ``"default"`` uses the shipped span model of the language when its folder exists
    (German ``kit/models/de_kit_claims``), a path uses that pipeline, ``None`` means rules only:
    ``nlp.add_pipe("kit_claims", config={"model": None})``.
    """
    register_extensions()
    return ClaimsComponent(nlp.lang or "en", model)

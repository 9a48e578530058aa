"""The frame around a verb cue: its source and content.

The language-neutral skeleton is here (subordinate clauses "wie X mitteilte" / "as X reported",
quotations around the frame, the clause after the cue or before an inversion); who the subject is
and where the content starts are the language's rules (``kit.nlp.claims.lang``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kit.nlp.claims.context import PUNCT_END, Ctx, Draft, Range
from kit.nlp.claims.cues import cue_adjuncts
from kit.nlp.claims.phrases import clause_end, clause_start, quote_near, statement_quote, strip
from kit.nlp.types import Span


@dataclass
class VerbFrame:
    """A verb cue in its sentence while its frame is built; the language's ``frame`` fills
    ``source``, may widen ``cue`` and move ``cs``, or finish the claim itself (``done``)."""

    i: int  # the cue verb
    si: int  # its sentence
    a: int  # sentence start
    b: int  # end of the sentence's last word
    cs: int  # start of the cue's clause
    last: int  # last token of the cue as found (before auxiliaries and adjuncts join it)
    lemma: str
    status: str
    cue: list[int]
    finite: int  # the finite verb (an auxiliary before a German participle)
    source: Range | None = None
    inverted: bool = False  # the source follows the verb: content is the clause before
    done: bool = False
    result: Draft | None = field(default=None)

    def finish(self, draft: Draft | None) -> None:
        """The language's rules decided the claim (or that there is none)."""
        self.done, self.result = True, draft


def finish(
    ctx: Ctx,
    cue: list[int],
    source: Range | None,
    content: list[Range],
    status: str,
    si: int,
    anchor: int,
    kind: str,
    quote: Span | None = None,
    punch: bool = True,
) -> Draft | None:
    """Drop empty contents and (``punch``) cut the source and cue tokens out of the content."""
    holes = (set(cue) | (set(range(*source)) if source else set())) if punch else set()
    pieces: list[Range] = []
    for a, b in content:
        run = a
        for k in range(a, b + 1):
            if k == b or k in holes:
                if k > run:
                    pieces.append(strip(ctx, run, k))
                run = k + 1
    pieces = [p for p in pieces if p[1] > p[0]]
    if not pieces:
        return None
    return Draft(sorted(set(cue)), source, pieces, kind, status, si, anchor, quote)


def verb_claim(ctx: Ctx, i: int, si: int, cue: list[int], lemma: str, status: str) -> Draft | None:
    """The claim of a verb cue, if the language's rules accept it (German clause-taking cues)."""
    draft = verb_draft(ctx, i, si, cue, lemma, status)
    if draft is None or not ctx.rules.accept_verb_claim(ctx, draft, i, si, lemma):
        return None
    return draft


def verb_draft(ctx: Ctx, i: int, si: int, cue: list[int], lemma: str, status: str) -> Draft | None:
    lex, rules = ctx.lex, ctx.rules
    a, _ = ctx.sents[si]
    b = ctx.sent_last_word(si)
    cs = rules.clause_start(ctx, clause_start(ctx, i, a), i, a)
    fr = VerbFrame(i, si, a, b, cs, max(cue), lemma, status, list(cue), i)
    if cs < i and ctx.low(cs) in lex.subordinators:  # "wie X mitteilte" / "as X reported"
        source, cue_tokens = rules.subordinate(ctx, fr)
        if cs > a:  # content before: "Die Lage ist ernst, wie X mitteilte."
            content = [strip(ctx, a, cs)]
        else:
            content = [strip(ctx, clause_end(ctx, max(cue), b), b)]
        return finish(ctx, cue_tokens, source, content, status, si, i, "indirect")
    rules.frame(ctx, fr)
    if fr.done:
        return fr.result
    source, cue_tokens, cs = fr.source, fr.cue, fr.cs
    if lex.cue_adjuncts and (source is None or source[1] <= min(cue_tokens)):
        cue_tokens = cue_adjuncts(ctx, cue_tokens, b)
    fr.cue = cue_tokens
    # content: a quote around the frame, the clause after the cue, or the clause before an inversion
    frame_start = min([*cue_tokens, *(range(*source) if source else [])])
    frame_end = max([*cue_tokens, *(range(source[0], source[1]) if source else [])]) + 1
    stop = frame_end
    while stop < min(frame_end + 3, ctx.n) and ctx.doc[stop].text not in PUNCT_END:
        stop += 1
    qi = statement_quote(ctx, quote_near(ctx, frame_end, stop))
    qi_before = statement_quote(ctx, quote_near(ctx, max(frame_start - 3, ctx.sents[si][0] - 1), frame_start))
    if qi < 0:
        qi, qi_before = qi_before, -1
    if qi >= 0:
        span, qa, qb = ctx.content_quotes[qi]
        draft = finish(ctx, cue_tokens, source, [(qa, qb)], status, si, i, "direct", quote=span)
        if draft is not None and qi_before >= 0 and qi_before != qi:
            first, fa, fb = ctx.content_quotes[qi_before]
            draft.quote_before = first
            draft.content.insert(0, (fa, fb))
        return draft
    after_start = rules.content_start(ctx, fr, frame_end)
    after_end = b
    if lex.content_stops:  # "..., saying ...", "..., who ...": a new clause the cue does not govern
        for k in range(after_start + 2, b - 1):
            if ctx.low(k) == "," and ctx.low(k + 1) in lex.content_stops and ctx.in_quote[k] < 0:
                after_end = k
                break
    after = strip(ctx, after_start, after_end)
    before = strip(ctx, a, cs) if cs > a else (a, a)
    if (fr.inverted or after[1] - after[0] < 3) and before[1] - before[0] >= 2:
        return finish(ctx, cue_tokens, source, [before], status, si, i, "indirect")
    if after[1] > after[0]:
        return finish(ctx, cue_tokens, source, [after], status, si, i, "indirect")
    if rules.middle_content:  # "hat X die Vorwürfe zurückgewiesen": the words between verb and cue
        middle = strip(ctx, source[1] if source and source[1] <= i else fr.finite + 1, min(cue_tokens[-1], i))
        if middle[1] > middle[0] and middle[0] > fr.finite:
            return finish(ctx, cue_tokens, source, [middle], status, si, i, "indirect")
    return None

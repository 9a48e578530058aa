"""Claims without a verb of saying: "according to" phrases and hearsay markers."""

from __future__ import annotations

from kit.nlp.claims.context import Ctx, Draft
from kit.nlp.claims.frames import finish
from kit.nlp.claims.phrases import bare_np, clause_end, clause_start, np_after, np_ok, quote_near


def prep_claims(ctx: Ctx, si: int) -> list[Draft]:
    """``laut X``, ``X zufolge``, ``nach Angaben X``, ``according to X``, ``..., so X.``"""
    lex = ctx.lex
    a, _ = ctx.sents[si]
    b = ctx.sent_last_word(si)
    out: list[Draft] = []
    for i in range(a, b):
        if ctx.in_quote[i] >= 0 or ctx.low(i) not in lex.according_starts:
            continue
        for cue in lex.according_before:
            n = len(cue.words)
            if tuple(ctx.low(k) for k in range(i, min(i + n, b))) != cue.words:
                continue
            if cue.neighbours is not None and not any(
                neighbour(ctx, k, cue.neighbours) for k in range(i + n, min(i + n + 3, b))
            ):
                continue  # "nach Angaben", "nach ersten Angaben", "nach dessen Angaben", "nach Polizeiangaben"
            if cue.neighbours is not None:
                hit = next(k for k in range(i + n, min(i + n + 3, b)) if neighbour(ctx, k, cue.neighbours))
                if any(ctx.doc[k].is_punct or ctx.in_quote[k] >= 0 for k in range(i + n, hit)):
                    continue
            source = np_after(ctx, i + n, b)
            if source is None and ctx.rules.bare_according_sources:
                source = bare_np(ctx, i + n, b)  # "according to exit polls", "citing court documents"
            if source is None and cue.neighbours is not None:
                source = (i + n, hit + 1)  # "nach eigenen Angaben": the phrase itself, as SpkAtt marks it
            if source is None:
                continue
            draft = finish(ctx, list(range(i, i + n)), source, [(a, b)], "asserted", si, i, "according_to")
            if draft:
                out.append(draft)
        for cue in lex.according_after:
            n = len(cue.words)
            if tuple(ctx.low(k) for k in range(i, min(i + n, b + 1))) != cue.words or i == a:
                continue
            if cue.neighbours is not None and ctx.low(i - 1) not in cue.neighbours:
                continue
            start = clause_start(ctx, i, a)
            k = i
            while (
                k > start
                and ctx.low(k - 1) not in lex.adverbs
                and (
                    np_ok(ctx, k - 1, False)
                    or ctx.low(k - 1) in lex.np_links
                    and k - 2 >= start
                    and np_ok(ctx, k - 2, False)
                )
            ):
                k -= 1
            if k == i:
                continue
            draft = finish(ctx, list(range(i, i + n)), (k, i), [(a, b)], "asserted", si, i, "according_to")
            if draft:
                out.append(draft)
        if ctx.low(i) in lex.according_self and not any(i in d.cue for d in out):
            # "Demnach steht ...", "..., wonach die Maus ... sein soll": the adverb stands for the source
            start = i if i == a or ctx.low(i - 1) == "," else a
            stop = clause_end(ctx, i, b) if start == i and i > a else b
            draft = finish(ctx, [i], (i, i + 1), [(start, stop)], "asserted", si, i, "according_to")
            if draft:
                out.append(draft)
        if ctx.low(i) in lex.according_so and i > a and ctx.low(i - 1) == "," and ctx.in_quote[i] < 0:
            source = np_after(ctx, i + 1, b)
            so_next = lex.according_so_next
            if source and (source[1] >= b - 1 or ctx.low(source[1]) == "," or ctx.low(source[1]) in so_next):
                qi = quote_near(ctx, i - 3, i)
                if qi >= 0:
                    span, qa, qb = ctx.content_quotes[qi]
                    draft = finish(ctx, [i], source, [(qa, qb)], "asserted", si, i, "direct", quote=span)
                else:
                    draft = finish(ctx, [i], source, [(a, i - 1)], "asserted", si, i, "according_to")
                if draft:
                    out.append(draft)
    return out


def neighbour(ctx: Ctx, k: int, words: frozenset[str]) -> bool:
    """Token ``k`` is one of ``words`` or, where the language compounds, a compound ending in one
    ("Polizeiangaben")."""
    low = ctx.low(k)
    if low in words:
        return True
    return (
        ctx.rules.compound_neighbours and ctx.is_cap(k) and any(low.endswith(w) for w in words if len(w) >= 6)
    )


def reported_cue(ctx: Ctx, si: int) -> list[int]:
    """Tokens of hearsay marking: ``soll ... haben`` or ``angeblich``/``reportedly``/``is said to``."""
    lex = ctx.lex
    a, b = ctx.sents[si]
    for i in range(a, b):
        if ctx.in_quote[i] >= 0:
            continue
        if ctx.low(i) not in lex.reported_starts:
            continue
        if ctx.low(i) in lex.reportative_modals:
            ce = clause_end(ctx, i, b)
            for k in range(ce - 1, i, -1):
                if ctx.low(k) in lex.perfect_infinitives:
                    return [i, k]
        for marker in lex.reported_markers:
            if tuple(ctx.low(k) for k in range(i, min(i + len(marker), b))) == marker:
                return list(range(i, i + len(marker)))
    return []

"""Cue finding: is a token a verb (or stance adjective) of saying, and which words join it."""

from __future__ import annotations

from kit.nlp.claims.context import Ctx
from kit.nlp.claims.phrases import clause_end

Cue = tuple[list[int], str, str]  # (cue tokens, lemma, status)


def verb_cue(ctx: Ctx, i: int, si: int) -> Cue | None:
    """(cue tokens, lemma, status) when token ``i`` is a verb of saying in its sentence."""
    lex, doc, rules = ctx.lex, ctx.doc, ctx.rules
    tok = doc[i]
    a, b = ctx.sents[si]
    if ctx.in_quote[i] >= 0 or not tok.is_alpha or tok.lower_ in lex.skippable:
        return None
    if not rules.cue_word_ok(ctx, i, si):
        return None
    if tok.lower_ in lex.stance_adjectives:
        return stance_cue(ctx, i, b)
    if tok.pos_ and rules.tagged_word_classes and tok.pos_ not in ("VERB", "AUX"):
        return None
    if not rules.verb_word_ok(ctx, i, si):
        return None
    lemma = lex.verb(tok)[0]
    cue = [i]
    if lex.particles:
        ce = clause_end(ctx, i, b)
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
        return rules.clause_cue(ctx, i, si)
    if lemma in lex.phrasal and lemma not in lex.verb_status:
        for rest, status in lex.phrasal[lemma].items():
            if tuple(ctx.low(k) for k in range(i + 1, min(i + 1 + len(rest), b))) == rest:
                return [i, *range(i + 1, i + 1 + len(rest))], lemma, status
        return None
    need = lex.requires.get(lemma)
    if need:
        wanted = tuple(prefix + need for prefix in lex.requires_prefixes)  # "verweist darauf"
        if not any(ctx.low(k) in wanted for k in range(max(a, i - 6), min(b, i + 6))):
            return None
    cue = extend_right(ctx, cue, b)
    if lemma in lex.cue_preps:
        cue = cue_prep(ctx, cue, lex.cue_preps[lemma], b)
    return cue, lemma, lex.verb_status[lemma]


def stance_cue(ctx: Ctx, i: int, end: int) -> Cue | None:
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


def cue_prep(ctx: Ctx, cue: list[int], preps: frozenset[str], end: int) -> list[int]:
    """The preposition a verb cue governs joins it, with a short object in between ("accused Holt
    of", "likened the rules to", "called on"), as PolNeAR marks it."""
    j = max(cue) + 1
    for m in range(j, min(j + 3, end)):
        low = ctx.low(m)
        if low in preps and ctx.in_quote[m] < 0:
            return [*cue, *range(j, m + 1)]
        if (
            ctx.doc[m].is_punct
            and low not in ("-", ".")
            and low not in ctx.lex.possessives
            or ctx.in_quote[m] >= 0
            or ctx.is_mark(m)
        ):
            break
        if low in ctx.lex.complementizers or low in ctx.lex.clause_breakers or ctx.lex.verb(ctx.doc[m])[0]:
            break
    return cue


def extend_right(ctx: Ctx, cue: list[int], end: int) -> list[int]:
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


def cue_adjuncts(ctx: Ctx, cue: list[int], end: int) -> list[int]:
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

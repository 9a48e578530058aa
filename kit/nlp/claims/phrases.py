"""Noun phrases, clauses and spans without a parser: case, word lists and the language's rules."""

from __future__ import annotations

from kit.nlp.claims.context import NP_MAX, SOURCE_LABELS, Ctx, Range


def np_ok(ctx: Ctx, i: int, first: bool) -> bool:
    """Whether token ``i`` can belong to a source noun phrase (without a tagger: case and word lists)."""
    tok = ctx.doc[i]
    if ctx.in_short_quote[i]:
        return True
    if ctx.in_quote[i] >= 0:
        return False
    if tok.pos_ and ctx.rules.tagged_word_classes:
        return tok.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM", "PRON") or (
            tok.pos_ == "ADP" and tok.lower_ in ctx.lex.np_links
        )
    if tok.is_punct:
        return tok.text in ("-", ".") or tok.lower_ in ctx.lex.possessives
    return ctx.rules.np_word(ctx, i, first)


def np_common(ctx: Ctx, i: int) -> bool | None:
    """The part of ``np_word`` both languages share: a cue verb, auxiliary or clause word ends a noun
    phrase, a capital or a number belongs to it; None when neither decides."""
    tok = ctx.doc[i]
    low = tok.lower_
    if ctx.lex.verb(tok)[0] is not None or low in ctx.lex.auxiliaries or low in ctx.lex.clause_breakers:
        return False
    if ctx.is_cap(i) or tok.like_num:
        return True
    return None


def possessive(ctx: Ctx, k: int) -> bool:
    """Whether "'s" at ``k`` marks a possessive ("Trump's comments"), not "he's" (has/is)."""
    return ctx.low(k) in ctx.lex.possessives and (k == 0 or ctx.low(k - 1) not in ctx.lex.contracting)


def np_after(ctx: Ctx, start: int, end: int) -> Range | None:
    """The noun phrase starting at ``start`` (after skipped adverbs), up to ``end``."""
    lex, rules = ctx.lex, ctx.rules
    i = start
    while i < end and ctx.low(i) in lex.adverbs and ctx.low(i) not in lex.np_heads:
        i += 1
    j = i
    while j < end and j - i < NP_MAX:
        low = ctx.low(j)
        if (
            j > i
            and low in lex.nominative_articles
            and j + 1 < end
            and ctx.doc[j + 1].is_lower
            and ctx.low(j + 1).endswith(rules.nominative_endings)
        ):
            break  # "nach Auskunft der NASA | der überwiegende Teil": "der" + "-e" adjective is nominative
        if j > i and low in lex.np_links and j + 1 < end and (np_ok(ctx, j + 1, False) or ctx.is_cap(j + 1)):
            j += 1
            continue
        if j > i and low == "," and j + 1 < end and ctx.is_cap(j + 1) and rules.np_appositions:
            k = j + 1  # apposition: "der Sprecher, Hans Müller,"
            while k < end and ctx.is_cap(k) and not rules.is_verbal(ctx, k):
                k += 1
            if k > j + 1 and (k >= end or ctx.low(k) in (",", ".")):
                j = k
                continue
        if j > i and low == "(":
            close = next((k for k in range(j + 1, min(j + 6, end)) if ctx.low(k) == ")"), None)
            if close is not None:
                j = close + 1
                continue
        if j > i and low in lex.np_restarts and ctx.is_cap(j - 1):
            break  # "laut Angaben des ZDF | die Jahre ...": a new noun phrase starts
        if j > i and low in lex.complementizers and rules.np_clause_break:
            break  # "told a reporter | that ...": a clause starts, not a determiner
        if not np_ok(ctx, j, j == i):
            break
        j += 1
        if rules.np_lone_pronoun and low in lex.pronouns and j - i == 1:
            break
    while j > i and (
        ctx.low(j - 1) in lex.np_links
        or ctx.doc[j - 1].is_punct
        and not ctx.is_mark(j - 1)
        and not (ctx.low(j - 1) == ")" and "(" in ctx.lows[i : j - 1])
        or rules.np_trim_lower
        and j - i > 1
        and ctx.doc[j - 1].is_lower
        and not ctx.doc[j - 1].like_num
    ):
        j -= 1
    return with_ents(ctx, (i, j)) if j > i else None


def bare_np(ctx: Ctx, start: int, end: int) -> Range | None:
    """A noun phrase without determiner or capital ("exit polls", "people familiar with the talks"):
    the words up to the next punctuation or clause break, at most ``NP_MAX``."""
    lex = ctx.lex
    j = start
    while (
        j < end
        and j - start < NP_MAX
        and not ctx.doc[j].is_punct
        and ctx.in_quote[j] < 0
        and ctx.low(j) not in lex.clause_breakers
        and ctx.low(j) not in lex.auxiliaries
    ):
        j += 1
    return (start, j) if j > start and ctx.doc[start].is_alpha else None


def np_before(ctx: Ctx, end: int, start: int) -> Range | None:
    """The noun phrase ending right before ``end`` (English subject), not before ``start``."""
    j = end
    while j > start and ctx.low(j - 1) in ctx.lex.np_skip:
        j -= 1
    if j > start and ctx.low(j - 1) in ctx.lex.pronouns:
        return j - 1, j
    if j > start and ctx.low(j - 1) in ctx.lex.coordinators:
        return None  # "... outlined his plan and vowed": coordinated verbs share a subject
    i = j
    while i > start and j - i < NP_MAX:
        low = ctx.low(i - 1)
        if low in ctx.lex.np_links and i - 1 > start and np_ok(ctx, i - 2, False):
            i -= 1
            continue
        if not np_ok(ctx, i - 1, False) or low in ctx.lex.adverbs:
            break
        i -= 1
    while i < j and (ctx.low(i) in ctx.lex.np_links or ctx.doc[i].is_punct and not ctx.is_mark(i)):
        i += 1
    return with_ents(ctx, (i, j)) if j > i else None


def apposition_after(ctx: Ctx, source: Range, end: int) -> Range:
    """Widen an inverted source over its apposition up to the end of the sentence ("said X, a lawyer
    for Y, who ...") or its party tag ("said Rep. X (D-N.C.)")."""
    lex, rules = ctx.lex, ctx.rules
    if not lex.appositions or not rules.apposition_opens(ctx, source):
        return source
    s0, s1 = source
    if s1 < end and ctx.low(s1) == "(":
        close = next((m for m in range(s1 + 1, min(s1 + 10, end)) if ctx.low(m) == ")"), None)
        if close is not None:
            s1 = close + 1
    if s1 + 1 < end and ctx.low(s1) == "," and ctx.low(s1 + 1) not in lex.content_stops:
        stop = end
        for m in range(s1 + 1, end):
            if ctx.in_quote[m] >= 0 or ctx.is_mark(m) or ctx.low(m) in (";", ":"):
                stop = m
                break
            if rules.apposition_one_comma and ctx.low(m) == ",":
                stop = m  # German: one apposition, not the relative clause after it
                break
            if lex.verb(ctx.doc[m])[0] is not None and ctx.low(m - 1) == ",":
                stop = m - 1  # ", adding ...": a new cue
                break
        while stop > s1 and ctx.doc[stop - 1].is_punct and ctx.low(stop - 1) != ")":
            stop -= 1
        verbal = rules.apposition_verbal(ctx, stop - 1)
        if stop > s1 + 1 and not verbal and ctx.low(s1 + 1) not in lex.relative_sources:
            s1 = stop
    return s0, s1


def named(ctx: Ctx, span: Range) -> bool:
    """Whether a noun phrase holds a person/organisation mention, a pronoun or a speaker noun."""
    a, b = span
    if any(ent.start < b and ent.end > a and ent.label_ in SOURCE_LABELS for ent in ctx.ents):
        return True
    return any(ctx.low(k) in ctx.lex.pronouns or ctx.low(k) in ctx.lex.descriptions for k in range(a, b))


def with_ents(ctx: Ctx, span: Range) -> Range:
    """Widen a source to whole entity mentions it cuts."""
    a, b = span
    for ent in ctx.ents:
        if ent.start < b and ent.end > a:
            a, b = min(a, ent.start), max(b, ent.end)
    return a, b


def clause_end(ctx: Ctx, i: int, end: int) -> int:
    """First clause boundary (comma, colon, semicolon, content quote) after token ``i``."""
    j = i + 1
    while j < end and ctx.low(j) not in (",", ":", ";") and ctx.in_quote[j] < 0:
        j += 1
    return j


def clause_start(ctx: Ctx, i: int, start: int) -> int:
    j = i
    while j > start and ctx.low(j - 1) not in (",", ":", ";") and ctx.in_quote[j - 1] < 0:
        j -= 1
    return j


def strip(ctx: Ctx, a: int, b: int) -> Range:
    """Trim punctuation and conjunctions at both ends of a token range; quote marks stay, except
    an opening one glued to the word after the range ("... taxes. “If he ...")."""
    while a < b and (ctx.doc[a].is_punct and not ctx.is_mark(a) or ctx.low(a) in ctx.lex.strip_words):
        a += 1
    while b > a and ctx.doc[b - 1].is_punct and (not ctx.is_mark(b - 1) or opens_after(ctx, b - 1)):
        b -= 1
    return a, b


def opens_after(ctx: Ctx, k: int) -> bool:
    """Whether the quote mark at ``k`` opens a quotation that starts after it (glued to the next word)."""
    return not ctx.doc[k].whitespace_ and k + 1 < ctx.n and ctx.doc[k + 1].is_alpha


def quote_near(ctx: Ctx, a: int, b: int) -> int:
    """Index of a content quote touching the token window [a, b), else -1."""
    for k in range(max(a, 0), min(b, ctx.n)):
        if ctx.in_quote[k] >= 0:
            return ctx.in_quote[k]
    return -1


def statement_quote(ctx: Ctx, qi: int) -> int:
    """``qi`` unless that quotation is a title ("“Fox News Sunday,”"): -1 then."""
    if qi < 0:
        return qi
    _, qa, qb = ctx.content_quotes[qi]
    return -1 if title_like(ctx, qa, qb) else qi


def title_like(ctx: Ctx, qa: int, qb: int) -> bool:
    """Whether a short quote is a title: at most eight words, the longer ones all capitalised."""
    words = [ctx.doc[k].text for k in range(qa, qb) if ctx.doc[k].is_alpha]
    long = [w for w in words if len(w) > 3]
    return 0 < len(words) <= 8 and bool(long) and all(w[0].isupper() for w in long)


def sent_end(ctx: Ctx, si: int) -> int:
    """End of a sentence with its final punctuation (not a stray closing mark after it)."""
    a, b = ctx.sents[si]
    while b > a and (ctx.doc[b - 1].is_space or ctx.is_mark(b - 1) and ctx.in_quote[b - 1] < 0):
        b -= 1
    return b

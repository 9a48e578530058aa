"""The order of the rules over a document: cues per sentence, shared subjects, "according to"
and hearsay, speaker labels, continuations of the last source, nested quotations, hedges."""

from __future__ import annotations

from kit.nlp.claims.according import prep_claims, reported_cue
from kit.nlp.claims.context import Ctx, Draft, Range
from kit.nlp.claims.cues import verb_cue
from kit.nlp.claims.frames import finish, verb_claim
from kit.nlp.claims.phrases import sent_end, title_like


def drafts(ctx: Ctx) -> list[Draft]:
    """Every claim draft of the document, in text order."""
    lex, rules = ctx.lex, ctx.rules
    out: list[Draft] = []
    claimed_sents: set[int] = set()
    for si, (a, b) in enumerate(ctx.sents):
        here: list[Draft] = []
        for i in range(a, b):
            hit = verb_cue(ctx, i, si)
            if hit is None or any(i in d.cue for d in here):
                continue
            draft = verb_claim(ctx, i, si, *hit)
            if draft is not None and draft.source is not None and rules.bad_source(ctx, draft.source):
                draft.source = None
            if draft is not None:
                here.append(draft)
        if lex.coordinators:
            shared_subjects(ctx, si, here)
        if lex.participle_sources:
            rules.participle_sources(ctx, si, here)
        for noun in rules.noun_claims(ctx, si):
            if not any(set(noun.cue) & set(d.cue) for d in here):
                here.append(noun)
        for prep in prep_claims(ctx, si):
            host = next((d for d in here if set(prep.cue) & frame_tokens(d)), None)
            if host is not None:
                host.cue = sorted(set(host.cue) | set(prep.cue))
            elif not any(set(prep.cue) & set(d.cue) for d in here):
                here.append(prep)
        reported = reported_cue(ctx, si)
        if reported and not here:
            content = [(a, ctx.sent_last_word(si))]
            draft = finish(ctx, reported, None, content, "alleged", si, reported[0], "reported", punch=False)
            if draft:
                here.append(draft)
        elif reported:
            for d in here:
                if d.status == "asserted" and any(c0 <= reported[0] < c1 for c0, c1 in d.content):
                    d.status = "alleged"
        out.extend(here)
        for d in here:
            claimed_sents.update(ctx.sent_of[k] for c0, c1 in d.content for k in range(c0, c1))
            claimed_sents.add(si)
    if lex.speaker_labels or lex.attribution_dashes:
        out.extend(label_claims(ctx, claimed_sents))
    out.extend(continuations(ctx, out, claimed_sents))
    if lex.nested_quotes:
        out.extend(nested_quotes(ctx, out))
    out.sort(key=lambda d: d.anchor)
    for d in out:
        hedge(ctx, d)
    out.extend(lone_hedges(ctx, out))
    out.sort(key=lambda d: (min(c0 for c0, _ in d.content), d.anchor))
    return out


def shared_subjects(ctx: Ctx, si: int, here: list[Draft]) -> None:
    """A cue verb right after "und"/"and" or a comma, without a source of its own, shares the
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
        d.source = earlier[-1] if earlier else ctx.rules.sentence_subject(ctx, si, c - 1)


def paragraph_end(ctx: Ctx, si: int) -> int:
    """Index of the last sentence of the paragraph (no blank line or line break in between) of ``si``."""
    while si + 1 < len(ctx.sents) and not any(
        "\n" in ctx.doc[k].text for k in range(ctx.sents[si][1], ctx.sents[si + 1][0])
    ):
        if speaker_label(ctx, si + 1) is not None:
            break
        si += 1
    return si


def speaker_label(ctx: Ctx, si: int) -> int | None:
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


def label_claims(ctx: Ctx, claimed: set[int]) -> list[Draft]:
    """Speaker labels ("PENCE: Well, ...": the label speaks to the end of its paragraph; headlines
    "Poll: Voters ...") and attribution dashes after a quotation ("... shame.” ― Sonya Herridge")."""
    lex = ctx.lex
    out: list[Draft] = []
    if lex.speaker_labels:
        for si in range(len(ctx.sents)):
            colon = speaker_label(ctx, si)
            if colon is None:
                continue
            a, _ = ctx.sents[si]
            last = paragraph_end(ctx, si)
            content = [(colon + 1, ctx.sent_last_word(last))]
            draft = finish(ctx, [colon], (a, colon), content, "asserted", si, colon, "direct")
            if draft:
                out.append(draft)
                claimed.update(range(si, last + 1))
    for span, qa, qb in ctx.content_quotes:
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
        content_range = (qa, qb - 1 if glued else qb)
        out.append(Draft([k], (m, e), [content_range], "direct", "asserted", ctx.sent_of[qa], qa, span))
    return out


def nested_quotes(ctx: Ctx, found: list[Draft]) -> list[Draft]:
    """A quotation inside a paraphrased content is a direct claim of its own, same cue and source
    (SpkAtt annotates "Er sagte, die Lage sei „ernst“" as two attributions)."""
    out: list[Draft] = []
    for d in found:
        if d.quote is not None or not d.cue:
            continue
        for start, end in ctx.quotes:
            span = ctx.doc.char_span(start, end, alignment_mode="expand")
            if span is None or not any(c0 <= span.start and span.end <= c1 for c0, c1 in d.content):
                continue
            if any(c0 == span.start and c1 == span.end for c0, c1 in d.content):
                continue
            out.append(
                Draft(list(d.cue), d.source, [(span.start, span.end)], "direct", d.status, d.sent, span.start)
            )
    return out


def frame_tokens(d: Draft) -> set[int]:
    """Tokens of the sentence part that is not content: where a second cue joins the first."""
    inside = {k for c0, c1 in d.content for k in range(c0, c1)}
    lo = min([*d.cue, *(range(*d.source) if d.source else [])])
    hi = max([*d.cue, *(range(*d.source) if d.source else [])])
    return {k for k in range(lo - 1, hi + 8) if k not in inside}


def continuations(ctx: Ctx, found: list[Draft], claimed: set[int]) -> list[Draft]:
    """Cue-less quotes and Konjunktiv I sentences, attributed to the last named source before them."""
    lex = ctx.lex
    used_quotes = {q for d in found for q in (d.quote, d.quote_before) if q}
    sourced = sorted((d for d in found if d.source), key=lambda d: d.anchor)
    out: list[Draft] = []

    def last_source(tok: int) -> Range | None:
        best = None
        for d in sourced:
            if d.anchor < tok:
                best = d.source
        return best

    for span, qa, qb in ctx.content_quotes:
        if span in used_quotes or ctx.sent_of[qa] in claimed:
            continue
        text = ctx.text[span[0] : span[1] - 1].rstrip()
        ends = text.endswith(tuple(".!?…")) or qa > 0 and ctx.low(qa - 1) == ":"
        if ctx.rules.quotes_need_sentence_end and not ends:
            continue  # a name or title in quotes ("„Rat für nationale Sicherheit“"), not a statement
        if title_like(ctx, qa, qb):
            continue  # "“Face the Nation,”", "'Coal Isn't the Villain.'": a title, not a statement
        source = last_source(qa)
        if source is None or ctx.sent_of[qa] - ctx.sent_of[source[0]] > 3:
            continue
        out.append(Draft([], source, [(qa, qb)], "direct", "asserted", ctx.sent_of[qa], qa, span))
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
            or ctx.low(a) in lex.first_person
            or (verb > a and ctx.low(verb - 1) in lex.first_person_singular)
        ):
            continue
        source = last_source(a)
        kind = "indirect" if source else "unattributed"
        draft = finish(
            ctx, [verb], None, [(a, ctx.sent_last_word(si))], "asserted", si, verb, kind, punch=False
        )
        if draft:
            draft.source = source
            if lex.continuation_period:  # SpkAtt: a cue-less continuation keeps its full stop
                draft.content = [(draft.content[0][0], sent_end(ctx, si))]
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


def hedge(ctx: Ctx, d: Draft) -> None:
    """Lower the status of a claim whose content (or frame) carries a hedge."""
    if d.status != "asserted":
        return
    found = [ctx.hedges_in(a, b) for a, b in [*d.content, ctx.sents[d.sent]]]
    if any(alleging for _, alleging in found):
        d.status = "alleged"
    elif any(hedged for hedged, _ in found):
        d.status = "hedged"


def lone_hedges(ctx: Ctx, found: list[Draft]) -> list[Draft]:
    """A hedge in a sentence no claim covers is a claim of its own (``unattributed`` / ``reported``)."""
    covered = {ctx.sent_of[k] for d in found for c0, c1 in d.content for k in range(c0, c1)}
    covered |= {d.sent for d in found}
    out = []
    for si, (a, b) in enumerate(ctx.sents):
        if si in covered:
            continue
        if "?" in (ctx.doc[k].text for k in range(max(a, b - 2), b)):  # "Ist das wohl wahr?" asks
            continue
        marker = next((k for k in range(a, b) if ctx.hedges_in(k, k + 1)[0]), None)
        if marker is None:
            continue
        status = "alleged" if ctx.low(marker) in ctx.lex.alleging_hedges else "hedged"
        kind = "reported" if status == "alleged" else "unattributed"
        content = [(a, ctx.sent_last_word(si))]
        draft = finish(ctx, [marker], None, content, status, si, marker, kind, punch=False)
        if draft:
            out.append(draft)
    return out

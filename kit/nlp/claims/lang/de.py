"""German claim grammar: the Vorfeld subject, verb-final clauses, passives, relative clauses.

Without a tagger: nouns are capitalised, verbs are lower-case words whose lemma ends like an
infinitive, adjectives end in an inflection ending.  Words are in ``resources/de/claims.yaml``.
"""

from __future__ import annotations

from kit.nlp.claims.context import Ctx, Draft, Range
from kit.nlp.claims.frames import VerbFrame, finish
from kit.nlp.claims.lang.base import LanguageRules
from kit.nlp.claims.phrases import (
    apposition_after,
    clause_end,
    clause_start,
    named,
    np_after,
    np_before,
    np_common,
    strip,
    with_ents,
)

INFINITIVE_ENDINGS = ("en", "ern", "eln")  # "sagen", "äußern", "handeln"
ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")  # "dem neuen", "ein neuer"


class German(LanguageRules):
    code = "de"
    np_appositions = True
    np_lone_pronoun = True
    np_trim_lower = True
    nominative_endings = ("e",)
    apposition_one_comma = True
    compound_neighbours = True
    quotes_need_sentence_end = True
    middle_content = True

    def np_word(self, ctx: Ctx, i: int, first: bool) -> bool:
        lex = ctx.lex
        low = ctx.low(i)
        if low in lex.determiners or low in lex.pronouns:
            return True
        if ctx.is_cap(i) and ctx.sents[ctx.sent_of[i]][0] != i and low not in lex.auxiliaries:
            return True  # German nouns are capitalised: "dem Schreiben", "die Aussagen"
        common = np_common(ctx, i)
        if common is not None:
            return common
        return low.endswith(ADJECTIVE_ENDINGS) and not self.is_verbal(ctx, i) and low not in lex.not_adjective

    def is_verbal(self, ctx: Ctx, k: int) -> bool:
        """A lower-case word whose lemma looks like a verb infinitive (German -en/-ern/-eln)."""
        tok = ctx.doc[k]
        if tok.pos_:
            return tok.pos_ in ("VERB", "AUX")
        lemma = ctx.lex.verb(tok)[1]
        return lemma != tok.lower_ and lemma.endswith(INFINITIVE_ENDINGS)

    def apposition_opens(self, ctx: Ctx, source: Range) -> bool:
        s0, s1 = source
        # "sagte er, dass ...", "schrieb Mussawi, er werde ...": no apposition
        return not (s1 - s0 == 1 and ctx.low(s0) in ctx.lex.pronouns or not _apposition_start(ctx, s1 + 1))

    def apposition_verbal(self, ctx: Ctx, k: int) -> bool:
        return self.is_verbal(ctx, k) or ctx.low(k) in ctx.lex.auxiliaries

    def bad_source(self, ctx: Ctx, span: Range) -> bool:
        """A source guess that cannot be a speaker: it opens with a subordinator or a lower-case
        word that is no determiner/pronoun ("der wegen ...", "dass diese Software ..."), or holds a verb."""
        lex = ctx.lex
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

    def cue_word_ok(self, ctx: Ctx, i: int, si: int) -> bool:
        a = ctx.sents[si][0]
        return ctx.doc[i].text[0].islower() or i == a or (i > a and ctx.is_mark(i - 1))

    def accept_verb_claim(self, ctx: Ctx, draft: Draft, i: int, si: int, lemma: str) -> bool:
        """Clause-taking cues ("bestätigen") and agentless passives need a clause, a quotation, a
        colon or content before them."""
        lex = ctx.lex
        if not (lex.clause_cues or lex.bare_passive_clausal):
            return True
        need = lemma in lex.clause_cues
        if not need and lex.bare_passive_clausal:
            a, _ = ctx.sents[si]
            cs = self.clause_start(ctx, clause_start(ctx, i, a), i, a)
            need = _passive_agent(ctx, cs, i, lemma) is None
        return not need or _clausal(ctx, draft)

    def clause_start(self, ctx: Ctx, cs: int, i: int, a: int) -> int:
        """Start of a subordinate clause whose subject has an apposition between commas ("Wie der
        Bevollmächtigte der EU-Kommission, Gerald Braun, in Luxemburg mitteilte"): up to two commas back to
        "wie"/"während"/..., when the skipped part holds no verb; else ``cs``."""
        lex = ctx.lex
        k, hops = cs, 0
        while k > a + 1 and hops < 2 and ctx.low(k - 1) == ",":
            k = clause_start(ctx, k - 1, a)
            hops += 1
            if any(ctx.low(m) in lex.auxiliaries or _verb_word(ctx, m) for m in range(k + 1, cs)):
                return cs
            if ctx.low(k) in lex.subordinators or ctx.low(k) in lex.final_subordinators:
                return k
        return cs

    def subordinate(self, ctx: Ctx, fr: VerbFrame) -> tuple[Range | None, list[int]]:
        return np_after(ctx, fr.cs + 1, fr.i), [fr.cs, *fr.cue]

    def frame(self, ctx: Ctx, fr: VerbFrame) -> None:
        lex = ctx.lex
        a, b, i, si, lemma, status = fr.a, fr.b, fr.i, fr.si, fr.lemma, fr.status
        cs, cue_tokens = fr.cs, fr.cue
        final = _final_clause(ctx, cs, a, i, cue_tokens, b)
        if final is not None:  # "..., der ... bezeichnete", "Während X ankündigte, ..."
            speaker, content = final
            speaker = _passive(ctx, cs, i, lemma, speaker)
            fr.finish(finish(ctx, cue_tokens, speaker, content, status, si, i, "indirect"))
            return
        if cs > a and not np_after(ctx, i + 1, b) and ctx.low(i - 1) == ",":
            cs = a  # "Ein Sprecher, Lars Beringer, sagte, ...": the comma closed an apposition
        elif lex.appositions and cs > a + 1 and ctx.low(cs - 1) == ",":
            head = np_after(ctx, a, cs - 1)  # "Stephen Singer, ein Klimaexperte vom WWF erklärte"
            lead = all(ctx.low(m) in lex.adverbs for m in range(a, head[0])) if head else False
            if head and lead and head[1] >= cs - 1 and any(ctx.is_cap(m) for m in range(a, cs - 1)):
                cs = a
        finite = i
        aux = next((k for k in range(cs, i) if ctx.low(k) in lex.auxiliaries), None)
        if aux is not None:
            finite = aux
            cue_tokens = [aux, *cue_tokens]
        vorfeld = list(range(cs, finite))
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
        source: Range | None
        if subject_first:
            source = _vorfeld_subject(ctx, vorfeld, finite, b)
        else:
            source = np_after(ctx, finite + 1, b)
        if (
            source
            and lemma in lex.impersonal
            and ctx.low(source[0]) in lex.expletives
            and source[1] - source[0] == 1
        ):
            source = _impersonal_source(ctx, source, vorfeld, finite, b)
        if source and not subject_first:
            source = apposition_after(ctx, source, b)
        source = _passive(ctx, cs, i, lemma, source)
        fr.cs, fr.cue, fr.finite, fr.source = cs, cue_tokens, finite, source
        fr.inverted = cs > a and not vorfeld
        if anaphoric and si > 0:
            pa, _ = ctx.sents[si - 1]
            content = [strip(ctx, pa, ctx.sent_last_word(si - 1))]
            fr.finish(finish(ctx, cue_tokens, source, content, status, si, i, "indirect"))

    def content_start(self, ctx: Ctx, fr: VerbFrame, frame_end: int) -> int:
        ce = clause_end(ctx, fr.last, fr.b)
        return ce if ce < fr.b else frame_end

    def sentence_subject(self, ctx: Ctx, si: int, limit: int) -> Range | None:
        """Subject of a sentence's first clause, before ``limit``: a Vorfeld noun phrase followed by
        the finite verb, or a pronoun right after the finite verb ("Im Januar legte er ...")."""
        lex = ctx.lex
        a, _ = ctx.sents[si]
        if ctx.low(a) not in lex.prepositions and ctx.low(a) not in lex.adverbs and ctx.is_cap(a):
            np = np_after(ctx, a, limit)
            if (
                np
                and np[0] == a
                and np[1] < limit
                and ctx.doc[np[1]].is_lower
                and not self.bad_source(ctx, np)
            ):
                return np
            return None
        for k in range(a, limit - 1):
            if ctx.doc[k].is_lower and self.is_verbal(ctx, k) or ctx.low(k) in lex.auxiliaries:
                m = k + 2 if ctx.low(k + 1) in lex.reflexives else k + 1
                if ctx.low(m) in lex.subject_or_ambiguous:
                    return m, m + 1
                np = np_after(ctx, m, limit)  # "Auf Twitter zeigte sich die Bundesregierung bestürzt"
                return np if np and np[0] == m and named(ctx, np) and not self.bad_source(ctx, np) else None
            if ctx.low(k) in (",", ":", ";"):
                return None
        return None


def _vorfeld_subject(ctx: Ctx, vorfeld: list[int], finite: int, b: int) -> Range:
    """The subject in the Vorfeld, cut before a relative clause or a second verb; the pronoun after
    the verb when the Vorfeld is the object ("Die Tat bezeichnete er als sinnlos") and the name
    after it when the Vorfeld is a dative ("Den Flüchtlingen sicherte Präsident Gusmão zu")."""
    lex = ctx.lex
    v_end = next(
        (
            k
            for k in vorfeld[1:]
            if ctx.low(k - 1) == "," and ctx.low(k) in lex.relative_sources and _has_verb(ctx, k + 1, finite)
        ),
        vorfeld[-1] + 1,
    )  # "Todor Kolarow, dessen Behörde ... zuständig ist, sagte": not the relative clause
    v_end = next(
        (k for k in range(vorfeld[0] + 1, v_end) if _verb_word(ctx, k)),
        v_end,
    )  # "Theo Zwanziger, Präsident des DFB nannte ... stellte fest": the first verb ends the subject
    source = with_ents(ctx, _close_paren(ctx, strip(ctx, vorfeld[0], v_end)))
    after = np_after(ctx, finite + 1, b)
    if after and named(ctx, after) and not named(ctx, source) and ctx.low(vorfeld[0]) in lex.oblique:
        source = after
    nxt = finite + 1
    if nxt < b and (
        ctx.low(nxt) in lex.subject_pronouns
        or ctx.low(nxt) in lex.ambiguous_pronouns
        and not named(ctx, source)
    ):
        source = (nxt, nxt + 1)
    return source


def _impersonal_source(ctx: Ctx, source: Range, vorfeld: list[int], finite: int, b: int) -> Range | None:
    """ "heißt es (in dem Schreiben)": the document is the source, the "es" never."""
    lex = ctx.lex
    loc = source[1]
    found = np_after(ctx, loc + 1, b) if loc < b and ctx.low(loc) in lex.impersonal_locatives else None
    if found and ctx.low(loc) in lex.impersonal_contracted:
        found = (loc, found[1])
    if found is None and vorfeld and ctx.low(vorfeld[0]) in lex.impersonal_preps:
        # "Bei der Agentur RIA hieß es", "Im Bericht heißt es": the Vorfeld names the document
        p0 = vorfeld[0]
        place = np_after(ctx, p0 + 1, finite)
        if place:
            found = (p0, place[1]) if ctx.low(p0) in lex.impersonal_contracted else place
    return found


def _close_paren(ctx: Ctx, span: Range) -> Range:
    """Keep the closing bracket of "Das Bundeskriminalamt (BKA)" that trimming took off."""
    a, b = span
    if b < ctx.n and ctx.low(b) == ")" and "(" in ctx.lows[a:b] and ")" not in ctx.lows[a:b]:
        return a, b + 1
    return span


def _has_verb(ctx: Ctx, start: int, end: int) -> bool:
    """Whether tokens [start, end) up to the next comma hold a verb: a relative clause, not an
    apposition ("X, der Präsident des Staates, sagte")."""
    for m in range(start, end):
        if ctx.low(m) == ",":
            return False
        if ctx.low(m) in ctx.lex.auxiliaries or _verb_word(ctx, m):
            return True
    return False


def _verb_word(ctx: Ctx, k: int) -> bool:
    """A lower-case word that looks like a verb and is no function word ("ein" is no verb)."""
    lex, low = ctx.lex, ctx.low(k)
    function = low in lex.determiners or low in lex.prepositions or low in lex.np_links or low in lex.pronouns
    return ctx.doc[k].is_lower and not function and ctx.rules.is_verbal(ctx, k)


def _relative_start(ctx: Ctx, i: int, a: int) -> int | None:
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


def _final_clause(
    ctx: Ctx, cs: int, a: int, i: int, cue: list[int], b: int
) -> tuple[Range | None, list[Range]] | None:
    """(source, content) of a verb-final clause holding the cue: a relative clause ("X, der
    ... als „Fest“ bezeichnete": the noun the relative pronoun stands for speaks) or a subordinate
    clause ("Während X ankündigte, ..."); None for a main clause."""
    lex = ctx.lex
    end = max(cue) + 1
    while end < b and ctx.low(end) in lex.auxiliaries:
        end += 1
    if end < b and ctx.low(end) not in (",", ";", ":", "(", "–", "—") and ctx.in_quote[end] < 0:
        return None  # the verb does not close its clause
    first = ctx.low(cs)
    rel = _relative_start(ctx, min(cue), a)
    if rel is not None and rel + 1 < min(cue):
        middle = strip(ctx, rel + 1, min(cue))
        ante = np_before(ctx, rel - 1, a)  # SpkAtt mostly marks the noun the pronoun stands for
        if ante and ante[0] - 1 >= a and ctx.low(ante[0] - 1) in lex.determiners:
            ante = (ante[0] - 1, ante[1])  # "der" is also a link word: keep the article
        return (ante or (rel, rel + 1)), [middle]
    if first in lex.final_subordinators and cs + 1 < min(cue):
        source = np_after(ctx, cs + 1, min(cue))
        if source is None or ctx.rules.bad_source(ctx, source):
            return None
        after = strip(ctx, end, clause_end(ctx, end, b)) if end < b else (end, end)
        if after[1] - after[0] >= 3:
            return source, [after]
        return source, [strip(ctx, source[1], min(cue))]
    return None


def _passive_agent(ctx: Ctx, cs: int, i: int, lemma: str) -> int | None:
    """-1 when token ``i`` is no passive participle (or keeps its subject), else the index of
    the agent preposition before it ("vom LSVD aufgefordert"), None for a passive without agent."""
    lex = ctx.lex
    if not lex.passive_aux or lemma in lex.passive_keep or ctx.low(i) == lemma:
        return -1
    after = i + 1 < ctx.n and ctx.low(i + 1) in lex.passive_after and ctx.in_quote[i + 1] < 0
    if not after and not any(ctx.low(k) in lex.passive_aux and ctx.in_quote[k] < 0 for k in range(cs, i)):
        return -1
    # The agent stands after a finite auxiliary ("wurde vom LSVD aufgefordert") or opens the clause
    # ("Von den Behörden wird angenommen"); a "von" after a Vorfeld noun belongs to that noun
    # ("Einer Ex-Mitarbeiterin von „9Live“ wird vorgeworfen": nobody is named as accuser).
    aux = next((k for k in range(cs, i) if ctx.low(k) in lex.passive_aux and ctx.in_quote[k] < 0), cs - 1)
    return next(
        (
            k
            for k in range(cs, i)
            if ctx.low(k) in lex.passive_agents
            and ctx.in_quote[k] < 0
            and (k > aux or k == cs or not lex.agent_after_aux)
        ),
        None,
    )


def _passive(ctx: Ctx, cs: int, i: int, lemma: str, source: Range | None) -> Range | None:
    """The source of a passive cue ("wurde vom LSVD aufgefordert"): the agent after "von",
    else none (the subject is the addressee or what is said); other cues keep ``source``."""
    agent = _passive_agent(ctx, cs, i, lemma)
    if agent is not None and agent < 0:
        return source
    return np_after(ctx, agent + 1, i) if agent is not None else None  # the agent precedes the participle


def _clausal(ctx: Ctx, d: Draft) -> bool:
    """Whether a draft has what a verb of saying governs: a quotation, content before the cue
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
    end = clause_end(ctx, first, ctx.sent_last_word(d.sent))
    if ctx.low(first) in lex.relative_sources and not any(
        ctx.low(k) in lex.infinitive_markers for k in range(first, end)
    ):
        return False  # a relative clause, not an infinitive ("das Land zu verlassen")
    return not _verb_word(ctx, first)  # "bestätigten den Zwischenfall, teilten jedoch mit"


def _apposition_start(ctx: Ctx, k: int) -> bool:
    """Whether an apposition can start at token ``k``: a capitalised word or a determiner, not a
    pronoun or a conjunction opening a clause."""
    if k >= ctx.n:
        return False
    low = ctx.low(k)
    if low in ctx.lex.pronouns or low in ctx.lex.subject_pronouns or low in ctx.lex.complementizers:
        return False
    return ctx.is_cap(k) or low in ctx.lex.determiners or ctx.is_mark(k)

"""English claim grammar: the subject before the verb (or after it in "said X"), passives with
"by", participle clauses, nouns of saying after a possessive, PolNeAR's source conventions.

Verbs are recognised by the lexicon and a few endings, also under a tagger.  With a dependency
parse the speaker comes from the parse where these word rules err (``lang/en_syntax.py``); without
one (a user's pipeline) the word rules alone run.  Words are in ``resources/en/claims.yaml``;
docs/claims_en.md has the figures.
"""

from __future__ import annotations

from kit.nlp.claims.context import SOURCE_LABELS, Ctx, Draft, Range
from kit.nlp.claims.frames import VerbFrame, finish
from kit.nlp.claims.lang import en_syntax
from kit.nlp.claims.lang.base import LanguageRules
from kit.nlp.claims.phrases import (
    apposition_after,
    clause_end,
    named,
    np_after,
    np_before,
    np_common,
    possessive,
    strip,
)

GERUND = "ing"  # "saying": a participle clause, or a byline ("reporting by")
PAST = "ed"  # "reported": a past participle
ADVERB = "ly"  # "openly": an adverb in a verb group
PLURAL = "s"  # "environmentalists worry": a plural subject before an uninflected verb


class English(LanguageRules):
    code = "en"
    np_clause_break = True
    bare_according_sources = True
    # The word rules keep their own word classes under a tagger: with the GUM tagger's tags PolNeAR
    # dev fell from cue/source 0.598/0.645 to 0.588/0.620 (nouns of saying PolNeAR marks as cues
    # -- "the report", "claims" -- and names like "Sen." cut from sources); the parse is used for
    # the speaker instead (lang/en_syntax.py).
    tagged_word_classes = False
    # Sentences end at punctuation as the sentencizer ends them: with the early GUM parser's own
    # sentence ends PolNeAR dev fell from 0.598/0.652/0.668 to 0.594/0.602/0.637.
    punctuation_sentences = True

    def np_word(self, ctx: Ctx, i: int, first: bool) -> bool:
        lex = ctx.lex
        low = ctx.low(i)
        if possessive(ctx, i) and not first or i + 1 < ctx.n and possessive(ctx, i + 1):
            return True  # "The state's campaign chairman": the possessive and its owner
        if low in lex.determiners or low in lex.pronouns:
            return True
        if not first and ctx.is_cap(i) and low not in lex.auxiliaries:
            return True  # "The Washington Post", "Fox News Sunday": names, even when a word is a cue verb
        common = np_common(ctx, i)
        if common is not None:
            return common
        return not first and low not in lex.adverbs and low not in lex.prepositions and len(low) > 1

    def verb_word_ok(self, ctx: Ctx, i: int, si: int) -> bool:
        lex, tok = ctx.lex, ctx.doc[i]
        a, b = ctx.sents[si]
        if i > a and ctx.low(i - 1) in lex.determiners:
            return False  # nouns: "the report", "the states"
        if i > a and tok.text[0].isupper() and not (lex.verb(tok)[0] and _headline_verb(ctx, i, si)):
            return False  # names: "United States", "Fox News Sunday"
        if tok.lower_ in lex.noun_forms and not _verb_context(ctx, i, a):
            return False  # "Trump's tweets", "swing states", "record low support": nouns, not cue verbs
        if _hyphenated(ctx, i):
            return False  # "so-called", "self-described": the verb is part of an adjective
        # "(Additional) reporting by X; editing by Y": a byline
        return not (tok.lower_.endswith(GERUND) and i + 1 < b and ctx.low(i + 1) in lex.byline_preps)

    def clause_cue(self, ctx: Ctx, i: int, si: int) -> tuple[list[int], str, str] | None:
        """A verb the lexicon does not list that has a subject and a "that" clause ("X conceded
        that ...") is a cue on a parse (``en_syntax.clause_cue``)."""
        if not en_syntax.parsed(ctx) or not en_syntax.clause_cue(ctx, i):
            return None
        return [i], ctx.doc[i].lemma_.lower(), "asserted"

    def subordinate(self, ctx: Ctx, fr: VerbFrame) -> tuple[Range | None, list[int]]:
        return np_before(ctx, fr.i, fr.cs + 1), fr.cue

    def frame(self, ctx: Ctx, fr: VerbFrame) -> None:
        lex = ctx.lex
        a, b, i, cs, last = fr.a, fr.b, fr.i, fr.cs, fr.last
        k = min(fr.cue)  # a stance cue starts at its verb: "made clear"
        while k > cs and (
            ctx.low(k - 1) in lex.np_skip
            and not possessive(ctx, k - 1)
            or ctx.low(k - 1) in lex.catenatives
            and (ctx.low(k) in lex.infinitive_markers or ctx.low(k).endswith(GERUND))
            or _verbish(ctx, k - 1)
            or ctx.low(k - 1) in lex.infinitive_markers
            and k - 2 >= cs
            and ctx.low(k - 2) not in lex.np_heads
        ):
            k -= 1
        fr.cue = cue_tokens = sorted({*range(k, i), *fr.cue})
        by_last = ctx.low(last) in lex.passive_agents
        passive = k < i and by_last or (last + 1 < b and ctx.low(last + 1) in lex.passive_agents and k < i)
        passive = passive and any(ctx.low(m) in lex.passive_aux for m in range(k, i))
        if passive:  # "was first reported by X": the agent after "by" speaks, the subject is the content
            by = last if by_last else last + 1
            source = np_after(ctx, by + 1, b)
            subject = np_before(ctx, k, cs)
            if source and subject:
                cue = sorted({*cue_tokens, by})
                fr.finish(finish(ctx, cue, source, [subject], fr.status, fr.si, i, "indirect"))
                return
        participle = _participle(ctx, i, k, cs, a)
        # "Mr. Quiros was accused of ...", "peacekeepers have been blamed for ...": the subject of a
        # passive without "by" is what is talked about, and the speaker is not named.
        agentless = (
            any(ctx.low(m) in lex.passive_aux for m in range(k, i))
            and _past_participle(ctx, i)
            and ctx.low(i) not in lex.stance_adjectives  # "were frustrated that": an adjective
        )
        got: Range | str = en_syntax.UNKNOWN
        if en_syntax.parsed(ctx):
            agent = en_syntax.passive(ctx, i)
            if agent is not None:  # "was accused of lying by the committee"
                by, source, subject = agent
                content = [subject, (last + 1, b)] if subject else [(last + 1, b)]
                cue = sorted({*cue_tokens, by})
                fr.finish(finish(ctx, cue, source, content, fr.status, fr.si, i, "indirect"))
                return
            got = en_syntax.parsed_subject(ctx, i)
            if got == en_syntax.AGENTLESS:
                fr.source = None
                return
        found = None if participle or agentless else _subject(ctx, k, cs, a)
        if isinstance(got, tuple) and en_syntax.better_source(ctx, i, found, got):
            fr.source, fr.inverted = got, got[0] > i and cs > a
            return
        if found is not None:
            found = _trim_source(ctx, found)
        coordinated = k > cs and ctx.low(k - 1) in lex.coordinators
        if found is None and not participle and not coordinated and not agentless:
            found = np_after(ctx, last + 1, b)
            if found is not None and (
                ctx.low(found[0]) in lex.complementizers
                or found[1] < b
                and not (ctx.doc[found[1]].is_punct or ctx.low(found[1]) in lex.prepositions)
            ):
                found = None  # "reports that ...": no inverted subject here
            if found is not None:
                found = apposition_after(ctx, found, b)
            fr.inverted = cs > a
        fr.source = found

    def content_start(self, ctx: Ctx, fr: VerbFrame, frame_end: int) -> int:
        lex, b = ctx.lex, fr.b
        after_start = frame_end
        if fr.lemma in lex.addressee_verbs and ctx.low(frame_end) not in lex.content_openers:
            addressee = np_after(ctx, frame_end, b)  # "told reporters | that"; not "warned | that it ..."
            if addressee:
                after_start = addressee[1]
        for k in range(after_start, min(after_start + 6, b)):
            opener = ctx.low(k) == ":" or ctx.low(k) in lex.content_openers
            if opener and not any(ctx.low(m) in (",", ";") for m in range(after_start, k)):
                return k + (ctx.low(k) == ":")
        return after_start

    def sentence_subject(self, ctx: Ctx, si: int, limit: int) -> Range | None:
        """The first named noun phrase of a sentence, cut at its verb ("Rival Hillary Clinton
        had mocked ...", "On Monday night, Clinton leaned in ..."), before ``limit``."""
        a, _ = ctx.sents[si]
        start = a
        if ctx.low(a) in ctx.lex.prepositions:
            start = next((m + 1 for m in range(a, limit) if ctx.low(m) == ","), a)
        np = np_after(ctx, start, limit)
        if (
            np
            and np[0] <= start + 1
            and (named(ctx, np) or any(ctx.is_cap(m) for m in range(max(np[0], a + 1), np[1])))
        ):
            return _np_before_verb(ctx, np)  # a name NER missed still starts with a capital mid-sentence
        return None

    def participle_sources(self, ctx: Ctx, si: int, here: list[Draft]) -> None:
        """A participle cue without a source shares the subject of its main clause: the source of the
        claim before it in the sentence ("X said ..., adding ...") or the sentence's first named noun
        phrase ("Rival Hillary Clinton had mocked the complaint, saying ...")."""
        a, _ = ctx.sents[si]
        for d in here:
            c = min(d.cue)
            k = c - 1
            while k > a and ctx.low(k) in ctx.lex.adverbs:
                k -= 1
            if d.source is not None or k <= a or ctx.low(k) != "," or not ctx.low(d.anchor).endswith(GERUND):
                continue
            earlier = [e.source for e in here if e.source is not None and e.anchor < c]
            if earlier:
                d.source = earlier[-1]
                continue
            d.source = self.sentence_subject(ctx, si, k)
            if d.source and d.content and d.source[1] > d.content[0][0] and d.source[0] < d.content[-1][1]:
                d.source = None

    def noun_claims(self, ctx: Ctx, si: int) -> list[Draft]:
        """A possessive speaker and a noun of saying before its content: "Trump's claim that ...",
        "Clinton's remarks about ...", "the senator's statement: ..."."""
        lex = ctx.lex
        if not lex.noun_cues:
            return []
        a, _ = ctx.sents[si]
        b = ctx.sent_last_word(si)
        out: list[Draft] = []
        for i in range(a + 1, b - 1):
            if ctx.low(i) not in lex.noun_cues or ctx.in_quote[i] >= 0:
                continue
            k = i - 1
            while k > a and ctx.low(k) in lex.noun_cue_skip:
                k -= 1  # "Trump's earlier claim", "Tulsa police's repeated claim"
            if not possessive(ctx, k) or ctx.low(i + 1) not in lex.noun_cue_links:
                continue
            owner = np_before(ctx, k, a)
            if owner is None:
                continue
            verbs = [m for m in range(owner[0], k) if _verbish(ctx, m)]
            owner = (verbs[-1] + 1, k) if verbs else owner  # "Politifact checked | Donald Trump's claim"
            start = i + 1 + (ctx.low(i + 1) in lex.noun_cue_openers)
            content = [strip(ctx, start, clause_end(ctx, start, b))]
            draft = finish(ctx, [i], (owner[0], k + 1), content, "asserted", si, i, "indirect")
            if draft:
                out.append(draft)
        if en_syntax.parsed(ctx):
            taken = {c for d in out for c in d.cue}
            out.extend(d for d in en_syntax.noun_claims(ctx, si) if not set(d.cue) & taken)
        return out


def _headline_verb(ctx: Ctx, i: int, si: int) -> bool:
    """Whether a capitalised cue verb closes a title-case headline ("..., Lindsey Graham Says")."""
    a, b = ctx.sents[si]
    words = [k for k in range(a, b) if ctx.doc[k].is_alpha and len(ctx.doc[k]) > 3]
    if i != ctx.sent_last_word(si) - 1 or len(words) < 4:
        return False
    return sum(ctx.doc[k].text[0].isupper() for k in words) >= 0.8 * len(words)


def _hyphenated(ctx: Ctx, i: int) -> bool:
    """Whether token ``i`` closes a hyphenated compound ("so-called"): a hyphen glued to both sides."""
    doc = ctx.doc
    return i >= 2 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_ and not doc[i - 2].whitespace_


def _verb_context(ctx: Ctx, i: int, a: int) -> bool:
    """Whether a noun/verb homograph ("states", "support", "tweets") stands where a verb stands: after
    a pronoun, an auxiliary, "to", a negation or a name, over adverbs ("he also supports")."""
    lex = ctx.lex
    k = i - 1
    while k >= a and ctx.low(k) in lex.adverbs and ctx.low(k) not in lex.auxiliaries:
        k -= 1
    if k < a or ctx.in_quote[k] >= 0 or possessive(ctx, k):
        return False
    low = ctx.low(k)
    if low in lex.infinitive_markers and lex.verb(ctx.doc[i])[0] != ctx.low(i):
        return False  # "respond to requests for comment": an inflected form is no infinitive
    if low in lex.pronouns or low in lex.relative_sources or low in lex.auxiliaries:
        return True
    if low in lex.infinitive_markers or low in lex.verb_context:
        return True
    if ctx.doc[k].ent_type_ in SOURCE_LABELS and ctx.doc[k].ent_iob_ != "O":
        return True  # "Trump questions", "Bloomberg reports"
    if not ctx.low(i).endswith(PLURAL) and ctx.doc[k].is_lower and low.endswith(PLURAL) and len(low) > 3:
        return low not in lex.np_links  # "environmentalists worry", not "battleground states"
    return ctx.is_cap(k) and k > a and low not in lex.determiners and ctx.low(k - 1) not in lex.possessives


def _verbish(ctx: Ctx, i: int) -> bool:
    """A word without a tagger that sits in a verb group before a cue: -ly adverbs, -ed/-ing forms."""
    tok = ctx.doc[i]
    low = tok.lower_
    return (
        tok.is_alpha
        and low == tok.text
        and (
            low in ctx.lex.irregular_past
            or len(low) > 4
            and (low.endswith(ADVERB) or low.endswith((PAST, GERUND)) and low not in ctx.lex.np_heads)
        )
    )


def _past_participle(ctx: Ctx, i: int) -> bool:
    """A past participle: "-ed" or an irregular form the lexicon lists ("told", "shown")."""
    low = ctx.low(i)
    return low.endswith(PAST) or low in ctx.lex.forms and not low.endswith((PLURAL, GERUND))


def _participle(ctx: Ctx, i: int, k: int, cs: int, a: int) -> bool:
    """A cue in -ing opening a clause after a comma ("..., saying ...", "..., even suggesting
    ..."): its subject is the main clause's, never the noun phrase after it."""
    return (
        ctx.lex.participle_sources
        and k == cs
        and cs > a
        and ctx.low(cs - 1) == ","
        and ctx.low(i).endswith(GERUND)
        and ctx.doc[i].is_lower
    )


def _np_before_verb(ctx: Ctx, np: Range) -> Range:
    """Cut a subject guess at its first auxiliary or -ed verb ("Rival Hillary Clinton had mocked")."""
    for m in range(np[0] + 1, np[1]):
        if ctx.low(m) in ctx.lex.auxiliaries or _verbish(ctx, m) and not ctx.is_cap(m):
            return np[0], m
    return np


def _paren_before(ctx: Ctx, end: int, start: int) -> int:
    """Start of a parenthesis closing right before ``end`` ("Rep. Gwen Moore (D-Wis.)"), else ``end``."""
    if end - 1 <= start or ctx.low(end - 1) != ")":
        return end
    for k in range(end - 2, max(start - 1, end - 10), -1):
        if ctx.low(k) == "(":
            return k
        if ctx.low(k) in (")", ",") or ctx.in_quote[k] >= 0:
            break
    return end


def _time_phrase(ctx: Ctx, span: Range) -> bool:
    """Whether a noun phrase only says when ("this month", "early Friday"): no speaker."""
    lex = ctx.lex
    return any(ctx.low(m) in lex.time_words for m in range(*span)) and all(
        ctx.low(m) in lex.time_words or ctx.low(m) in lex.determiners or ctx.doc[m].like_num
        for m in range(*span)
    )


def _subject(ctx: Ctx, k: int, cs: int, a: int) -> Range | None:
    """The subject ending at ``k``: a relative pronoun ("..., who said"), a noun phrase with its
    party tag ("Sen. X (R-Ga.) said") or a name with an apposition between commas ("X, a lawyer for Y,
    said"), which PolNeAR counts as part of the source."""
    lex = ctx.lex
    if k > a and ctx.low(k - 1) in lex.relative_sources:
        return k - 1, k
    end = _paren_before(ctx, k, cs)
    source = np_before(ctx, end, cs)
    if source is not None and _time_phrase(ctx, source):
        source = np_before(ctx, source[0], cs)  # "Wells Fargo just this month announced"
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
    head = np_before(ctx, head_end, a)
    if head is None or not any(ctx.is_cap(m) for m in range(*head)):
        return None
    if head[0] > a and not (ctx.low(head[0] - 1) in (",", ":") or ctx.is_mark(head[0] - 1)):
        return None  # "In 2012, ..., X, a ..., said" is fine; "... and X, a ..., said" is not a subject
    return head[0], k


def _trim_source(ctx: Ctx, source: Range) -> Range:
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
            and tail.label_ in SOURCE_LABELS
            and ctx.doc[before].is_lower
            and ctx.low(before) not in lex.np_links
        ):
            a = tail.start
    inner = [m for m in range(a + 1, b - 1) if ctx.low(m) in lex.relativizers]
    if inner and ctx.low(inner[-1] - 1) != ",":
        a = inner[-1] + 1  # "One of the many reasons that Trump refuses": the clause's subject
    return a, b

"""English claim grammar on a dependency parse (Universal Dependencies labels, as the kit's English
parser trained on GUM gives them); used by ``lang/en.py`` when ``doc.has_annotation("DEP")``.

- the source of a verb or adjective cue is its subject (``nsubj``); of a passive, the agent
  (``obl:agent``, or an ``obl`` with "by"); an agentless passive has none ("was accused of");
- a cue without a subject of its own shares its head's through the parse: a coordinated verb
  (``conj``: "X outlined ... and vowed"), an infinitive or participle clause (``xcomp`` "plans to
  call", ``advcl`` "..., saying"), never through word distance;
- the possessor (``nmod:poss``) of a noun of saying speaks ("his claim that", "Trump's remarks").

Labels are data: ``syntax`` in ``resources/en/claims.yaml``.
"""

from __future__ import annotations

from spacy.tokens import Token

from kit.nlp.claims.context import Ctx, Draft, Range
from kit.nlp.claims.frames import finish

# Results of :func:`parsed_subject`: a span, or why there is none.
AGENTLESS = "agentless"  # a passive without agent: the speaker is not named
UNKNOWN = "unknown"  # the parse does not say (the word rules decide)
MAX_CLIMB = 3  # heads climbed for a shared subject: "wanted to be able to say" climbs three


def parsed(ctx: Ctx) -> bool:
    """Whether the document has a dependency parse (a user's pipeline may have none)."""
    return ctx.parsed and bool(ctx.lex.syntax_subject)


def phrase(ctx: Ctx, tok: Token, skip_case: bool = False) -> Range:
    """The tokens of a subject: its subtree without what a parser hangs before it that belongs to
    the clause ("But", "where", a fronted "In an interview ...": ``syntax_subject_cut_left``) and
    without edge punctuation.  Appositions and relative clauses stay ("X, a lawyer for Y, who ...,
    said"), as PolNeAR marks them: cutting relative clauses lowered PolNeAR source F1 (dev 0.6537
    -> 0.6526, train 0.5794 -> 0.5783)."""
    lex = ctx.lex
    a, b = tok.i, tok.i + 1
    for child in tok.children:
        if (
            child.i < tok.i
            and child.dep_ in lex.syntax_subject_cut_left
            or skip_case
            and child.dep_ == "case"
        ):
            continue
        sub = list(child.subtree)
        a, b = min(a, sub[0].i), max(b, sub[-1].i + 1)
    while a < b - 1 and ctx.doc[a].is_punct and not ctx.is_mark(a):
        a += 1
    while b > a + 1 and ctx.doc[b - 1].is_punct and ctx.low(b - 1) != ")" and not ctx.is_mark(b - 1):
        b -= 1
    return a, b


def is_passive(ctx: Ctx, head: Token) -> bool:
    """Whether the parse marks ``head`` passive (a passive subject or auxiliary)."""
    lex = ctx.lex
    return any(
        c.dep_ in lex.syntax_passive_subject or c.dep_ in lex.syntax_passive_aux for c in head.children
    )


def _agent(ctx: Ctx, head: Token) -> Token | None:
    """The agent of a passive: ``obl:agent``, or an oblique with "by" after a passive ("said by
    telephone" is no agent)."""
    lex = ctx.lex
    for child in head.children:
        if child.dep_ in lex.syntax_agent:
            return child
        if (
            child.dep_ in lex.syntax_oblique
            and any(g.dep_ == "case" and g.lower_ in lex.passive_agents for g in child.children)
            and is_passive(ctx, head)
        ):
            return child
    return None


def parsed_subject(ctx: Ctx, i: int) -> Range | str:
    """The speaker of the cue at token ``i`` from the parse (see the module docstring), or
    :data:`AGENTLESS` / :data:`UNKNOWN`."""
    lex = ctx.lex
    head = ctx.doc[i]
    via = ""  # the relation climbed to reach ``head`` ("" at the cue itself)
    for _ in range(MAX_CLIMB + 1):
        subjects = [c for c in head.children if c.dep_ in lex.syntax_subject and ctx.in_quote[c.i] < 0]
        if subjects:  # the one nearest the cue: "“We're ...,” he said" is "he", not "We"
            return phrase(ctx, min(subjects, key=lambda c: abs(c.i - i)))
        passive = [c for c in head.children if c.dep_ in lex.syntax_passive_subject and ctx.in_quote[c.i] < 0]
        if passive and (ctx.low(head.i) in lex.stance_adjectives or via in lex.syntax_raising):
            # "Protesters were frustrated that" (parsed as a passive); "The Times is expected to
            # endorse": the subject of a passive raising verb is its infinitive's subject
            return phrase(ctx, passive[0])
        if passive or any(c.dep_ in lex.syntax_passive_aux for c in head.children):
            agent = _agent(ctx, head)
            if agent is not None:
                return phrase(ctx, agent, skip_case=True)
            # agentless only when both the subject and the auxiliary say passive (the parser
            # errs on "CNS reported Monday", "Few people would have described")
            marked = passive and any(c.dep_ in lex.syntax_passive_aux for c in head.children)
            return AGENTLESS if marked else UNKNOWN
        if head.dep_ not in lex.syntax_inherit or head.head.i == head.i:
            return UNKNOWN
        via, head = head.dep_, head.head
    return UNKNOWN


def passive(ctx: Ctx, i: int) -> tuple[int, Range, Range | None] | None:
    """("by", the agent, the passive subject) of a passive cue at ``i`` with an agent ("was first
    reported by X": X speaks, the subject is what is said)."""
    head = ctx.doc[i]
    agent = _agent(ctx, head)
    if agent is None:
        return None
    by = next((g.i for g in agent.children if g.dep_ == "case"), None)
    if by is None:
        return None
    subject = next((c for c in head.children if c.dep_ in ctx.lex.syntax_passive_subject), None)
    return by, phrase(ctx, agent, skip_case=True), phrase(ctx, subject) if subject is not None else None


def possessor(ctx: Ctx, i: int) -> Range | None:
    """The possessor of a noun of saying ("his claim", "Trump's remarks"), with its "'s"."""
    for child in ctx.doc[i].children:
        if child.dep_ in ctx.lex.syntax_possessor and child.i < i:
            return phrase(ctx, child)
    return None


def better_source(ctx: Ctx, i: int, words: Range | None, parse: Range) -> bool:
    """Whether the parse's speaker replaces the word rules' guess for the cue at ``i``: unless the
    word rules' span holds the parse's head word (their span follows PolNeAR's conventions), or the
    parse's speaker is quoted, in another sentence of the claim rules, or inside the cue's own
    complement clause (parse errors).  Chosen with the GUM parser of en_kit_news 0.3.0 (interim,
    LAS 0.756): PolNeAR source F1 dev 0.656 -> 0.664, train folds 0.586 -> 0.590 (every fold up);
    with the weaker early parser (LAS 0.728) replacing only the cue's object or a word of its
    complement was better (dev 0.655 against 0.652), see docs/claims_en.md."""
    doc = ctx.doc
    head = doc[parse[0] : parse[1]].root
    if ctx.in_quote[head.i] >= 0 or ctx.sent_of[head.i] != ctx.sent_of[i]:
        return False  # quoted, or across a sentence end the parser did not see
    if any(
        head.i in {t.i for t in c.subtree} for c in doc[i].children if c.dep_ in ctx.lex.syntax_complement
    ):
        return False
    return words is None or not words[0] <= head.i < words[1]


def noun_claims(ctx: Ctx, si: int) -> list[Draft]:
    """A noun of saying with its owner and its clause: "his claim that ...", "their belief that
    ...": the possessor speaks (``syntax_possessor``), the clause (``syntax_noun_clause``) is said."""
    lex = ctx.lex
    a, b = ctx.sents[si]
    out: list[Draft] = []
    for i in range(a, b):
        if ctx.low(i) not in lex.noun_cues or ctx.in_quote[i] >= 0:
            continue
        owner = possessor(ctx, i)
        clause = next(
            (
                c
                for c in ctx.doc[i].children
                if c.dep_ in lex.syntax_noun_clause
                and c.i > i
                and any(m.lower_ in lex.content_openers for m in c.children)  # "that": not "tweet to invite"
            ),
            None,
        )
        if owner is None or clause is None:
            continue
        sub = list(clause.subtree)
        content = (sub[0].i, min(sub[-1].i + 1, ctx.sent_last_word(si)))
        draft = finish(ctx, [i], owner, [content], "asserted", si, i, "indirect")
        if draft:
            out.append(draft)
    return out


def clause_cue(ctx: Ctx, i: int) -> bool:
    """Whether verb ``i`` heads a reported clause though no list names it: a subject of its own and
    a complement clause opened by "that" ("X conceded that ..."); not a verb of
    ``syntax_not_cues`` ("make sure that", "mean that")."""
    lex, tok = ctx.lex, ctx.doc[i]
    if tok.pos_ != "VERB" or tok.lemma_.lower() in lex.syntax_not_cues or tok.lower_ in lex.syntax_not_cues:
        return False
    if not any(c.dep_ in lex.syntax_subject for c in tok.children):
        return False
    return any(
        c.dep_ in lex.syntax_clause_cue
        and c.i > i
        and any(m.lower_ in lex.content_openers for m in c.children)
        for c in tok.children
    )

"""The ``kit_claims`` spaCy component and the pure function behind it."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from kit.nlp.claims.context import Ctx, Draft
from kit.nlp.claims.lang import rules_for
from kit.nlp.claims.lexicon import find_lexicon
from kit.nlp.claims.model import ModelChoice, load_claims_model, merge, model_spans, model_windows, runs
from kit.nlp.claims.sources import resolve_sources, warm_up
from kit.nlp.claims.steps import drafts as find_drafts
from kit.nlp.extensions import register_extensions
from kit.nlp.types import Claim, Span


def _code(lang: str | None, doc: Doc | None = None) -> str:
    return (lang or (doc.lang_ if doc is not None else "") or "").split("_")[0]


def _context(doc: Doc, code: str) -> Ctx | None:
    """The rules' view of ``doc``; None for an empty document or a language without claim rules."""
    lex, rules = find_lexicon(code), rules_for(code)
    if not len(doc) or lex is None or rules is None:
        return None
    return Ctx(doc, lex, rules)


def extract_claims(doc: Doc, *, lang: str | None = None, model: ModelChoice = "default") -> list[Claim]:
    """Claims of one document in text order; ``lang`` defaults to the pipeline's language, ``model``
    is the span model (see ``load_claims_model``; ``None``: rules only).  A language without
    ``resources/<lang>/claims.yaml`` gets no claims."""
    code = _code(lang, doc)
    ctx = _context(doc, code)
    if ctx is None:
        return []
    drafts = find_drafts(ctx)
    span_model = load_claims_model(code, model)
    if span_model is not None:
        merge(ctx, drafts, model_spans(span_model.pipe(model_windows(ctx, drafts))))
    return claims_of(ctx, drafts)


def _char_spans(doc: Doc, ranges: list[tuple[int, int]]) -> list[Span]:
    """Token ranges as char spans, without the whitespace tokens a double space or a line break
    leaves at their edges ("Der Minister  " is the source "Der Minister")."""
    out: list[Span] = []
    for a, b in ranges:
        while a < b and doc[a].is_space:
            a += 1
        while b > a and doc[b - 1].is_space:
            b -= 1
        if b > a:
            out.append((doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)))
    return out


def claims_of(ctx: Ctx, drafts: list[Draft]) -> list[Claim]:
    """Finished drafts as char-span ``Claim``s; a claim whose source was dropped is ``reported``."""
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
        claims.append(Claim(content, source, _char_spans(doc, runs(d.cue)), kind, d.status))
    return claims


class ClaimsComponent:
    """Sets ``doc._.claims``; the lexicon and the span model are loaded once, when the pipeline is built."""

    def __init__(self, lang: str, model: ModelChoice = "default") -> None:
        self.lang = _code(lang)
        known = find_lexicon(self.lang) is not None and rules_for(self.lang) is not None
        self.model = load_claims_model(self.lang, model) if known else None
        if known:
            warm_up(self.lang)  # the first-name list, when the pipeline is built, not on the first text

    def __call__(self, doc: Doc) -> Doc:
        ctx = _context(doc, self.lang)
        drafts = find_drafts(ctx) if ctx else []
        if ctx is not None and self.model is not None:
            merge(ctx, drafts, model_spans(self.model.pipe(model_windows(ctx, drafts))))
        _set(doc, ctx, drafts)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        """Like ``__call__``, with the span model run once over the windows of a whole batch
        (the model's per-call overhead dominates on a document's few sentences)."""
        if self.model is None:
            yield from map(self, docs)
            return
        stream = iter(docs)
        while batch := list(itertools.islice(stream, batch_size)):
            prepared = []
            for doc in batch:
                ctx = _context(doc, self.lang)
                drafts = find_drafts(ctx) if ctx else []
                prepared.append((doc, ctx, drafts, model_windows(ctx, drafts) if ctx else []))
            tagged = iter(self.model.pipe([w for *_, windows in prepared for w in windows]))
            for doc, ctx, drafts, windows in prepared:
                if ctx is not None:
                    merge(ctx, drafts, model_spans([next(tagged) for _ in windows]))
                _set(doc, ctx, drafts)
                yield doc


def _set(doc: Doc, ctx: Ctx | None, drafts: list[Draft]) -> None:
    """``doc._.claims`` and, aligned with them, ``doc._.claim_sources`` (the entity mention each
    source refers to, ``kit.nlp.claims.sources``): the rows are made from these two only."""
    claims = claims_of(ctx, drafts) if ctx is not None else []
    doc._.claims = claims
    doc._.claim_sources = resolve_sources(ctx, claims) if ctx is not None else []


@Language.factory("kit_claims", default_config={"model": "default"})
def make_claims(nlp: Language, name: str, model: str | None) -> ClaimsComponent:
    """spaCy factory: ``nlp.add_pipe("kit_claims")`` after NER (it reads ``doc.ents`` when present).

    ``model``: ``"default"`` uses the shipped span model of the language when its folder exists
    (German ``kit/models/de_kit_claims``), a path uses that pipeline, ``None`` means rules only:
    ``nlp.add_pipe("kit_claims", config={"model": None})``.
    """
    register_extensions()
    return ClaimsComponent(nlp.lang or "", model)

"""The optional span model (German, ``kit/models/de_kit_claims``): it widens the rules' contents.

It runs only on sentences that can hold a claim, as one window per run of them, on the document's
own tokens; what was measured and dropped is in docs/claims.md.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kit.nlp.claims.context import Ctx, Draft, Range
from kit.settings import claims_model_path

ModelChoice = str | Path | Language | None
Spans = dict[str, list[Range]]


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


def _candidate_sents(ctx: Ctx, drafts: list[Draft]) -> list[bool]:
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


def model_windows(ctx: Ctx, drafts: list[Draft]) -> list[Doc]:
    """Runs of candidate sentences as Docs for the span model, each starting at its token offset
    (``user_data["offset"]``).  They share the document's tokens and vocab: no second
    tokenisation, no new lexemes, the same hash features."""
    doc = ctx.doc
    chosen = _candidate_sents(ctx, drafts)
    windows: list[Range] = []
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


def model_spans(tagged: Iterable[Doc]) -> Spans:
    """CUE / SOURCE / CONTENT token ranges of the document from its tagged windows."""
    out: Spans = {"CUE": [], "SOURCE": [], "CONTENT": []}
    for sub in tagged:
        offset = sub.user_data["offset"]
        for ent in sub.ents:
            if ent.label_ in out:
                out[ent.label_].append((offset + ent.start, offset + ent.end))
    return out


def _overlaps(a: Range, b: Range) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def runs(tokens: list[int]) -> list[Range]:
    """Consecutive token indices as ranges."""
    out: list[Range] = []
    for k in sorted(set(tokens)):
        if out and out[-1][1] == k:
            out[-1] = (out[-1][0], k + 1)
        else:
            out.append((k, k + 1))
    return out


def merge(ctx: Ctx, drafts: list[Draft], spans: Spans) -> None:
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
                d.content = runs([*extra, *own])

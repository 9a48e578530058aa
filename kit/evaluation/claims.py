"""Scores ``kit_claims`` against gold attributions: SpkAtt-2023 and Redewiedergabe (German), PolNeAR (English).

Gold documents come from :mod:`kit.evaluation.claims_corpora` (SpkAtt JSON, brat standoff,
Redewiedergabe TSV), the readers training uses too.

Scoring, in the manner of the SpkAtt shared task (token overlap, not exact spans):

1. Every gold and predicted attribution becomes three token-id sets (cue, source, content); for
   brat, the tokens are the pipeline's tokens that overlap the character spans.  Predicted claims of
   kind ``unattributed`` (stand-alone hedges) are not attributions and are left out.
2. Matching, one to one and greedy: first pairs whose cues share tokens (largest overlap first);
   then, for what is left, pairs whose contents share tokens (gold without a cue, continued
   reported speech, meets its prediction this way).
3. Per role, micro-averaged over the corpus: true positives are the shared tokens of matched pairs;
   precision divides them by all predicted tokens of that role (matched or not), recall by all gold
   tokens of that role.  F1 is their harmonic mean.

With ``folds``, documents are split leave-documents-out (see :func:`evaluate_folds`).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kit.errors import KitError
from kit.evaluation.claims_corpora import GoldDocument, documents, fold_of, guess_lang
from kit.nlp.claims import extract_claims
from kit.nlp.types import Claim
from kit.settings import CLAIMS_MODELS, DEFAULT_PIPELINES, MODELS_DIR, claims_model_path

__all__ = [
    "ROLES",
    "Attribution",
    "evaluate",
    "evaluate_folds",
    "format_report",
    "gold_attributions",
    "predicted_attributions",
    "score",
    "tokens_of",
]

ROLES = ("cue", "source", "content")


@dataclass(frozen=True)
class Attribution:
    """One attribution as token-id sets per role."""

    cue: frozenset[int]
    source: frozenset[int]
    content: frozenset[int]

    def role(self, name: str) -> frozenset[int]:
        return getattr(self, name)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- scoring


def tokens_of(doc: Doc, spans: list[tuple[int, int]]) -> frozenset[int]:
    ids: set[int] = set()
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            ids.update(t.i for t in span if not t.is_space)
    return frozenset(ids)


def _match(gold: list[Attribution], pred: list[Attribution]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs: by cue overlap first, then by content overlap."""
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for role in ("cue", "content"):
        cands = sorted(
            (
                (len(g.role(role) & p.role(role)), gi, pi)
                for gi, g in enumerate(gold)
                for pi, p in enumerate(pred)
                if gi not in used_g and pi not in used_p
            ),
            reverse=True,
        )
        for overlap, gi, pi in cands:
            if overlap and gi not in used_g and pi not in used_p:
                pairs.append((gi, pi))
                used_g.add(gi)
                used_p.add(pi)
    return pairs


def score(gold: list[list[Attribution]], pred: list[list[Attribution]]) -> dict[str, dict[str, float]]:
    """Token-overlap precision, recall and F1 per role over documents (see module docstring)."""
    tp = dict.fromkeys(ROLES, 0)
    n_pred = dict.fromkeys(ROLES, 0)
    n_gold = dict.fromkeys(ROLES, 0)
    for g_doc, p_doc in zip(gold, pred, strict=True):
        for role in ROLES:
            n_gold[role] += sum(len(a.role(role)) for a in g_doc)
            n_pred[role] += sum(len(a.role(role)) for a in p_doc)
        for gi, pi in _match(g_doc, p_doc):
            for role in ROLES:
                tp[role] += len(g_doc[gi].role(role) & p_doc[pi].role(role))
    out: dict[str, dict[str, float]] = {}
    for role in ROLES:
        p = tp[role] / n_pred[role] if n_pred[role] else 0.0
        r = tp[role] / n_gold[role] if n_gold[role] else 0.0
        out[role] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    return out


# --------------------------------------------------------------------------- pipeline


def _pipeline(lang: str, model: str | Path | None) -> Language:
    """The given model, else the shipped ``kit/models/<lang>_kit_news``, else (or for ``"blank"``) blank + sentencizer."""
    target = model if model is not None else MODELS_DIR / DEFAULT_PIPELINES.get(lang, "")
    if model != "blank" and (model is not None or Path(target).exists()):
        nlp = spacy.load(target)
    else:
        nlp = spacy.blank(lang)
        nlp.add_pipe("sentencizer")
    if "kit_claims" in nlp.pipe_names:
        nlp.remove_pipe("kit_claims")
    return nlp


def with_syntax(nlp: Language, syntax: str | Path | None) -> Callable[[str], Doc]:
    """``nlp`` as a function of text; with ``syntax`` (a spaCy pipeline with tagger / lemmatizer /
    parser, e.g. an English parser in development), its POS, lemmas and parse are laid over ``nlp``'s
    tokens and entities, so the claim rules see both (the shipped pipeline will hold both itself)."""
    if syntax is None:
        return nlp
    try:
        parser = spacy.load(syntax)
    except OSError as exc:
        raise KitError(f"cannot load the syntax pipeline {syntax}: {exc}") from exc

    def run(text: str) -> Doc:
        doc = nlp(text)
        words, spaces = [t.text for t in doc], [bool(t.whitespace_) for t in doc]
        # The main pipeline's sentences are kept: the parser respects them (with its own sentence
        # splits, PolNeAR dev claims fell from cue/source/content 0.597/0.646/0.668 to 0.572/0.580/0.633).
        parsed = Doc(
            parser.vocab, words=words, spaces=spaces, sent_starts=[bool(t.is_sent_start) for t in doc]
        )
        for _, proc in parser.pipeline:
            parsed = proc(parsed)
        return Doc(
            nlp.vocab,
            words=words,
            spaces=spaces,
            pos=[t.pos_ for t in parsed],
            tags=[t.tag_ for t in parsed],
            morphs=[str(t.morph) for t in parsed],
            lemmas=[t.lemma_ for t in parsed],
            heads=[t.head.i for t in parsed],
            deps=[t.dep_ for t in parsed],
            ents=[f"{t.ent_iob_}-{t.ent_type_}" if t.ent_iob_ in ("B", "I") else "O" for t in doc],
        )

    return run


def gold_attributions(doc: Doc, gold: GoldDocument) -> list[Attribution]:
    """The gold attributions of a document as token-id sets of ``doc``."""
    return [Attribution(*(tokens_of(doc, spans) for spans in roles)) for roles in gold.attributions]


def predicted_attributions(doc: Doc, claims: Iterable[Claim]) -> list[Attribution]:
    """The claims as token-id sets; stand-alone hedges (``unattributed``) are no attributions."""
    return [
        Attribution(tokens_of(doc, c.cue_spans), tokens_of(doc, c.source_spans), tokens_of(doc, c.content_spans))
        for c in claims
        if c.kind != "unattributed"
    ]


def evaluate(
    path: Path,
    *,
    lang: str | None = None,
    model: str | Path | None = None,
    limit: int | None = None,
    folds: int | None = None,
    claims_model: str = "default",
    syntax: str | None = None,
) -> dict[str, object]:
    """Run the pipeline and ``extract_claims`` on gold documents under ``path`` and score them.

    ``claims_model`` is the span model (``"default"``: the shipped one, ``"none"``: rules only, or a
    folder).  With ``folds`` (k >= 2), documents are split into k folds by :func:`fold_of` and each
    fold is scored on its own (see :func:`evaluate_folds`)."""
    if folds is not None:
        return evaluate_folds(
            path, folds, lang=lang, model=model, limit=limit, claims_model=claims_model, syntax=syntax
        )
    path = Path(path)
    lang = lang or guess_lang(path)
    nlp = _pipeline(lang, model)
    run = with_syntax(nlp, syntax)
    span_model = None if claims_model.lower() == "none" else claims_model
    gold_all: list[list[Attribution]] = []
    pred_all: list[list[Attribution]] = []
    for gold in _limited(documents(path), limit):
        doc = run(gold.text)
        gold_all.append(gold_attributions(doc, gold))
        pred_all.append(predicted_attributions(doc, extract_claims(doc, lang=lang, model=span_model)))
    return {
        "path": str(path),
        "lang": lang,
        "model": (str(model) if model else "+".join(nlp.pipe_names) or "blank")
        + (f" + syntax {syntax}" if syntax else ""),
        "documents": len(gold_all),
        "gold": sum(len(d) for d in gold_all),
        "predicted": sum(len(d) for d in pred_all),
        "scores": score(gold_all, pred_all),
    }


def _limited(docs: Iterator[GoldDocument], limit: int | None) -> Iterator[GoldDocument]:
    for n, gold in enumerate(docs):
        if limit is not None and n >= limit:
            return
        yield gold


# --------------------------------------------------------------------------- cross-validation


def _span_model_seen(lang: str, choice: str = "default") -> tuple[Path | None, frozenset[str]]:
    """The span model in use and the names of the documents it was trained on (or chose its
    checkpoint on).  Only the shipped model's split is known; another model counts as unseen data."""
    if choice.lower() == "none":
        return None, frozenset()
    path = claims_model_path(lang) if choice == "default" else Path(choice)
    if path is None:
        return None, frozenset()
    name = CLAIMS_MODELS.get(lang)
    if name is None or path.resolve() != (MODELS_DIR / name).resolve():
        return path, frozenset()
    from kit.training.claims_model import split_files

    try:
        splits = split_files()
    except OSError:
        return path, frozenset()
    return path, frozenset(p.stem for key in ("train", "val") for p in splits[key])


def _mean_std(values: list[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for fewer than two values)."""
    if not values:
        return 0.0, 0.0
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def evaluate_folds(
    path: Path,
    k: int,
    *,
    lang: str | None = None,
    model: str | Path | None = None,
    limit: int | None = None,
    claims_model: str = "default",
    syntax: str | None = None,
) -> dict[str, object]:
    """Leave-documents-out figures: the rules scored on each of ``k`` folds, and the rules + span
    model (and the rules alone, for comparison) only on the documents the model never saw.

    The folds give the spread of the figures across document groups; a rule change that helps
    one fold and hurts another is visible here.  Documents go to folds by a stable hash of their
    name (:func:`fold_of`), so the folds are the same on every run."""
    if k < 2:
        raise KitError(f"--folds must be at least 2, not {k}")
    path = Path(path)
    lang = lang or guess_lang(path)
    nlp = _pipeline(lang, model)
    run = with_syntax(nlp, syntax)
    model_path, seen = _span_model_seen(lang, claims_model)
    gold_by: list[list[list[Attribution]]] = [[] for _ in range(k)]
    rules_by: list[list[list[Attribution]]] = [[] for _ in range(k)]
    mgold_by: list[list[list[Attribution]]] = [[] for _ in range(k)]
    model_by: list[list[list[Attribution]]] = [[] for _ in range(k)]
    mrules_by: list[list[list[Attribution]]] = [[] for _ in range(k)]
    n_seen = [0] * k
    for gold in _limited(documents(path), limit):
        f = fold_of(gold.name, k)
        doc = run(gold.text)
        g = gold_attributions(doc, gold)
        rules = predicted_attributions(doc, extract_claims(doc, lang=lang, model=None))
        gold_by[f].append(g)
        rules_by[f].append(rules)
        if model_path is None:
            continue
        if gold.name in seen:
            n_seen[f] += 1
            continue
        mgold_by[f].append(g)
        mrules_by[f].append(rules)
        model_by[f].append(predicted_attributions(doc, extract_claims(doc, lang=lang, model=model_path)))
    rows: list[dict[str, object]] = []
    for f in range(k):
        row: dict[str, object] = {
            "fold": f,
            "documents": len(gold_by[f]),
            "gold": sum(len(d) for d in gold_by[f]),
            "rules": score(gold_by[f], rules_by[f]),
        }
        if model_path is not None:
            row["model_documents"] = len(mgold_by[f])
            row["model_seen"] = n_seen[f]
            row["model"] = score(mgold_by[f], model_by[f]) if mgold_by[f] else None
            row["rules_unseen"] = score(mgold_by[f], mrules_by[f]) if mgold_by[f] else None
        rows.append(row)
    summary: dict[str, dict[str, tuple[float, float]]] = {}
    for variant in ("rules", "rules_unseen", "model"):
        per_fold = [r[variant] for r in rows if r.get(variant)]
        if per_fold:
            summary[variant] = {
                role: _mean_std([s[role]["f1"] for s in per_fold])  # type: ignore[index]
                for role in ROLES
            }
    all_gold = [d for fold in gold_by for d in fold]
    return {
        "path": str(path),
        "lang": lang,
        "model": (str(model) if model else "+".join(nlp.pipe_names) or "blank")
        + (f" + syntax {syntax}" if syntax else ""),
        "span_model": str(model_path) if model_path else None,
        "documents": len(all_gold),
        "gold": sum(len(d) for d in all_gold),
        "predicted": sum(len(d) for fold in rules_by for d in fold),
        "scores": score(all_gold, [d for fold in rules_by for d in fold]),
        "folds": rows,
        "summary": summary,
    }


def format_report(result: dict[str, object]) -> str:
    """A small plain-text table of the scores (per fold, with mean and spread, for k folds)."""
    if "folds" in result:
        return _format_folds(result)
    scores = result["scores"]
    assert isinstance(scores, dict)
    lines = [
        f"claims evaluation: {result['path']} ({result['lang']}, {result['model']})",
        f"documents {result['documents']}, gold attributions {result['gold']}, predicted {result['predicted']}",
        f"{'role':<8} {'P':>6} {'R':>6} {'F1':>6}",
    ]
    for role in ROLES:
        s = scores[role]
        lines.append(f"{role:<8} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}")
    return "\n".join(lines)


def _format_folds(result: dict[str, object]) -> str:
    rows = result["folds"]
    summary = result["summary"]
    assert isinstance(rows, list) and isinstance(summary, dict)
    span = result.get("span_model")
    lines = [
        (
            f"claims evaluation, {len(rows)} folds by document (stable hash of the file name): "
            f"{result['path']} ({result['lang']}, {result['model']})"
        ),
        f"documents {result['documents']}, gold attributions {result['gold']}; token-overlap F1 per role",
        (
            "rules: every document of the fold (hand-written rules; German also uses a cue list counted on "
            "SpkAtt news files with sorted index % 5 != 0, see docs/claims.md)"
        ),
    ]
    if span:
        lines.append(
            f"span model {span}: scored only on documents it was not trained on (model docs; seen = left out "
            "because it trained or chose its checkpoint on them), with the rules alone on the same documents"
        )
    head = f"{'fold':>4} {'docs':>5} {'gold':>5}  {'rules cue':>9} {'source':>6} {'content':>7}"
    if span:
        head += f"  {'model docs':>10} {'seen':>4}  {'rules cue':>9} {'source':>6} {'content':>7}"
        head += f"  {'model cue':>9} {'source':>6} {'content':>7}"
    lines.append(head)
    for r in rows:
        s = r["rules"]
        line = (
            f"{r['fold']:>4} {r['documents']:>5} {r['gold']:>5}  {s['cue']['f1']:9.3f} "
            f"{s['source']['f1']:6.3f} {s['content']['f1']:7.3f}"
        )
        if span:
            line += f"  {r['model_documents']:>10} {r['model_seen']:>4}"
            for key in ("rules_unseen", "model"):
                m = r.get(key)
                line += (
                    f"  {m['cue']['f1']:9.3f} {m['source']['f1']:6.3f} {m['content']['f1']:7.3f}"
                    if m
                    else f"  {'-':>9} {'-':>6} {'-':>7}"
                )
        lines.append(line)
    labels = (
        ("rules", "rules, all documents"),
        ("rules_unseen", "rules, the span model's unseen documents"),
        ("model", "rules + span model, its unseen documents"),
    )
    for variant, label in labels:
        if variant in summary:
            figures = ", ".join(f"{role} {m:.3f} ± {sd:.3f}" for role, (m, sd) in summary[variant].items())
            lines.append(f"mean ± std over folds, {label}: {figures}")
    return "\n".join(lines)

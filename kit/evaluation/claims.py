"""Scores ``kit_claims`` against gold attributions: SpkAtt-2023 (German) and PolNeAR (English).

Formats, chosen by what ``path`` holds:

- SpkAtt-2023 task-2 JSON (``*.json``: ``Sentences`` with ``Tokens``; ``Annotations`` with token ids
  ``"sentence:token"`` under ``Cue``, ``Source``, ``Message``).  The text is rebuilt from the tokens:
  one space between tokens except after opening and before closing quotation marks, brackets and
  punctuation (as in running text), a blank line between sentences, so every token's offsets are known.
- brat standoff (``*.ann`` beside a ``*.txt`` of the same stem, or PolNeAR's ``attributions/`` and
  ``text/`` folders, where the ``.ann`` stem carries an ``_annotator`` suffix): ``T`` lines labelled
  ``Source``, ``Cue``, ``Content`` and ``E`` lines that group them into one attribution.

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
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kit.nlp.claims import extract_claims
from kit.nlp.types import Claim
from kit.settings import DEFAULT_PIPELINES, MODELS_DIR

__all__ = [
    "ROLES",
    "Attribution",
    "GoldDocument",
    "evaluate",
    "format_report",
    "gold_attributions",
    "predicted_attributions",
    "read_spkatt",
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


@dataclass(frozen=True)
class GoldDocument:
    name: str
    text: str
    attributions: list[list[list[tuple[int, int]]]]  # per attribution: cue, source, content char spans


# --------------------------------------------------------------------------- readers


def read_spkatt(path: Path) -> GoldDocument:
    data = json.loads(path.read_text(encoding="utf-8"))
    parts: list[str] = []
    offsets: dict[str, tuple[int, int]] = {}
    pos = 0
    for sent in data["Sentences"]:
        if parts:
            parts.append("\n\n")
            pos += 2
        glue_next = False
        straight_open = False
        for k, token in enumerate(sent["Tokens"]):
            opening = token in _OPENING or token == '"' and not straight_open
            closing = token in _CLOSING or token == '"' and straight_open
            if token == '"':
                straight_open = not straight_open
            if k and not glue_next and not closing:
                parts.append(" ")
                pos += 1
            glue_next = opening
            offsets[f"{sent['SentenceId']}:{k}"] = (pos, pos + len(token))
            parts.append(token)
            pos += len(token)
    gold = []
    for ann in data["Annotations"]:
        gold.append(
            [[offsets[t] for t in ann.get(key) or () if t in offsets] for key in ("Cue", "Source", "Message")]
        )
    return GoldDocument(path.stem, "".join(parts), gold)


# Detokenising SpkAtt: no space after an opening mark, none before a closing mark or punctuation,
# so quotations look as they do in running text ("„weit hinter“", "sagte, dass").
_OPENING = frozenset("„»([‚")
_CLOSING = frozenset("“”«)],.;:!?‘")

_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")


def _brat(ann: Path, txt: Path) -> GoldDocument:
    text = txt.read_text(encoding="utf-8")
    spans: dict[str, list[tuple[int, int]]] = {}
    events: list[dict[str, str]] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        m = _T_LINE.match(line)
        if m:
            spans[m.group(1)] = [(int(a), int(b)) for a, b in (p.split() for p in m.group(3).split(";"))]
            continue
        m = _E_LINE.match(line)
        if m:
            events.append(dict(arg.split(":", 1) for arg in m.group(2).split() if ":" in arg))
    gold = []
    for event in events:
        gold.append([spans.get(event.get(role, ""), []) for role in ("Cue", "Source", "Content")])
    return GoldDocument(ann.stem, text, gold)


def _documents(path: Path) -> Iterator[GoldDocument]:
    """Gold documents under ``path`` in a stable order, whatever the format."""
    if path.is_file():
        files = [path]
    else:
        files = sorted(p for p in path.rglob("*") if p.suffix in (".json", ".ann"))
    for file in files:
        if file.suffix == ".json":
            yield read_spkatt(file)
        elif file.suffix == ".ann":
            txt = _brat_text(file)
            if txt is not None:
                yield _brat(file, txt)


def _brat_text(ann: Path) -> Path | None:
    for folder in (ann.parent, ann.parent.parent / "text"):
        for stem in (ann.stem, re.sub(r"_[0-9a-f]{4}$", "", ann.stem)):
            candidate = folder / f"{stem}.txt"
            if candidate.exists():
                return candidate
    return None


def _guess_lang(path: Path) -> str:
    return "de" if path.suffix == ".json" or any(path.rglob("*.json")) else "en"


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
    path: Path, *, lang: str | None = None, model: str | Path | None = None, limit: int | None = None
) -> dict[str, object]:
    """Run the pipeline and ``extract_claims`` on gold documents under ``path`` and score them."""
    path = Path(path)
    lang = lang or _guess_lang(path)
    nlp = _pipeline(lang, model)
    gold_all: list[list[Attribution]] = []
    pred_all: list[list[Attribution]] = []
    n_docs = 0
    for gold in _documents(path):
        if limit is not None and n_docs >= limit:
            break
        doc = nlp(gold.text)
        gold_all.append(gold_attributions(doc, gold))
        pred_all.append(predicted_attributions(doc, extract_claims(doc, lang=lang)))
        n_docs += 1
    return {
        "path": str(path),
        "lang": lang,
        "model": str(model) if model else "+".join(nlp.pipe_names) or "blank",
        "documents": n_docs,
        "gold": sum(len(d) for d in gold_all),
        "predicted": sum(len(d) for d in pred_all),
        "scores": score(gold_all, pred_all),
    }


def format_report(result: dict[str, object]) -> str:
    """A small plain-text table of the scores."""
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

"""Scores the claims' status (asserted / hedged / alleged / denied) against hand-annotated claims.

The annotations (``tests/data/claims_status.jsonl``, one claim a line) were made by the guidelines in
docs/claims.md ("Status guidelines") on claims the kit found in German Wikinews articles.  Each
record keeps the article id, the cue and content character spans (offsets into the article text),
the sentence, the kit's prediction at annotation time (``predicted``) and the annotator's ``gold``
status, one of :data:`STATUSES` or ``none`` (the kit's "claim" reports no statement at all).

Scoring re-runs the *current* pipeline: the annotated articles (``claims_status_articles.jsonl``
beside the annotations, or any JSONL of kit input records) are built with :func:`kit.build` into a
temporary folder, exactly as a user's build (or, for articles whose text cannot be kept here, such
as 10kGNAD, the user builds them and passes the tables folder), and each annotated claim is matched
one to one to a claim of the new ``claims`` table: same article, overlapping cue (largest overlap first); a claim
without a cue (a continued quotation) by overlapping content.  Per status:

- precision = matched claims predicted ``s`` whose gold is ``s`` / matched claims predicted ``s``
  whose gold is a status (``claims``); ``all`` also counts gold ``none`` in the denominator;
- recall = claims with gold ``s`` predicted ``s`` / annotated claims with gold ``s`` (an annotated
  claim the pipeline no longer finds counts as missed).  The sample was stratified by the kit's
  prediction (every non-asserted claim, a random share of the asserted ones); ``stratum_weight``
  (claims of that stratum in the corpus / sampled) gives the corpus-level recall estimate.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kit.errors import KitError

__all__ = ["GOLD_LABELS", "STATUSES", "StatusRecord", "evaluate", "format_report", "read_annotations"]

STATUSES = ("asserted", "hedged", "alleged", "denied")
GOLD_LABELS = (*STATUSES, "none")
ARTICLES_FILE = "claims_status_articles.jsonl"

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class StatusRecord:
    """One annotated claim: where it is, what the kit said then, what the annotator decided."""

    id: str
    article_id: str
    cue: Spans
    content: Spans
    gold: str
    predicted: str
    weight: float


def _spans(value: object, where: str) -> Spans:
    if not isinstance(value, list) or not all(
        isinstance(s, list) and len(s) == 2 and all(isinstance(x, int) for x in s) for s in value
    ):
        raise KitError(f"{where}: spans must be a list of [start, end] integer pairs")
    return tuple((int(a), int(b)) for a, b in value)


def read_annotations(path: Path) -> list[StatusRecord]:
    """The annotated claims of a JSONL file; a malformed line is an error naming file, line and field."""
    records: list[StatusRecord] = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise KitError(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise KitError(f"{where}: a record must be a JSON object")
        missing = [k for k in ("id", "article_id", "cue", "content", "gold") if k not in data]
        if missing:
            raise KitError(f"{where}: missing field(s) {', '.join(missing)}")
        gold = data["gold"]
        if gold not in GOLD_LABELS:
            raise KitError(f"{where}: gold {gold!r} is not one of {', '.join(GOLD_LABELS)}")
        predicted = data.get("predicted") or {}
        records.append(
            StatusRecord(
                str(data["id"]),
                str(data["article_id"]),
                _spans(data["cue"], f"{where} cue"),
                _spans(data["content"], f"{where} content"),
                gold,
                str(predicted.get("status", "")) if isinstance(predicted, dict) else "",
                float(data.get("stratum_weight", 1.0)),
            )
        )
    if not records:
        raise KitError(f"{path}: no annotated claims")
    return records


def _overlap(a: Spans, b: Spans) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _built_claims(articles: Path) -> pd.DataFrame:
    """Build the articles with the current pipeline into a temporary folder; its claims table."""
    from kit.core import build

    with tempfile.TemporaryDirectory(prefix="kit-claims-status-") as tmp:
        result = build([str(articles)], out=Path(tmp) / "tables", progress=False)
        if result.failed:
            raise KitError(f"{articles}: {len(result.failed)} article file(s) failed to build")
        return pd.read_parquet(Path(tmp) / "tables" / "claims.parquet")


def _claims_by_article(claims: pd.DataFrame, ids: set[str]) -> dict[str, list[tuple[Spans, Spans, str]]]:
    """Per annotated article its claims' (cue spans, content spans, status)."""
    out: dict[str, list[tuple[Spans, Spans, str]]] = {}
    for row in claims.itertuples(index=False):
        if row.article_id in ids:
            cue = tuple((int(a), int(b)) for a, b in row.cue_spans)
            content = tuple((int(a), int(b)) for a, b in row.content_spans)
            out.setdefault(str(row.article_id), []).append((cue, content, str(row.status)))
    return out


def _match(records: list[StatusRecord], claims: dict[str, list[tuple[Spans, Spans, str]]]) -> dict[str, str]:
    """Annotated claim id -> status of the new claim it matches (one to one, greedy by overlap)."""
    candidates = []
    for r in records:
        for k, (cue, content, _status) in enumerate(claims.get(r.article_id, ())):
            if r.cue and cue:
                key = (2, _overlap(r.cue, cue), _overlap(r.content, content))
            elif not r.cue and not cue:
                key = (1, _overlap(r.content, content), 0)
            else:
                continue
            if key[1] > 0:
                candidates.append((key, r.id, (r.article_id, k)))
    candidates.sort(key=lambda c: c[0], reverse=True)
    matched: dict[str, str] = {}
    used: set[tuple[str, int]] = set()
    for _key, rid, claim in candidates:
        if rid not in matched and claim not in used:
            matched[rid] = claims[claim[0]][claim[1]][2]
            used.add(claim)
    return matched


def evaluate(path: Path, *, articles: Path | None = None, tables: Path | None = None) -> dict[str, object]:
    """Re-run the pipeline on the annotated articles and score the status of the matched claims.

    ``tables``: score a tables folder the user built instead (for articles whose text may not be
    kept in the repository, e.g. 10kGNAD: ``kit build`` them with the current pipeline first)."""
    path = Path(path)
    records = read_annotations(path)
    ids = {r.article_id for r in records}
    if tables is not None:
        table = Path(tables) / "claims.parquet"
        if not table.exists():
            raise KitError(
                f"no claims table at {table} (build the annotated articles with `kit build` first)"
            )
        source = str(tables)
        claims = _claims_by_article(pd.read_parquet(table), ids)
    else:
        articles = Path(articles) if articles is not None else path.parent / ARTICLES_FILE
        if not articles.exists():
            raise KitError(
                f"no articles file at {articles} (pass --articles: JSONL records with id and text)"
            )
        source = str(articles)
        claims = _claims_by_article(_built_claims(articles), ids)
    missing_articles = sorted(ids - set(claims))
    matched = _match(records, claims)
    confusion: Counter[tuple[str, str]] = Counter()  # (gold, predicted or "missing")
    weighted: dict[tuple[str, str], float] = {}
    for r in records:
        pred = matched.get(r.id, "missing")
        confusion[r.gold, pred] += 1
        weighted[r.gold, pred] = weighted.get((r.gold, pred), 0.0) + r.weight
    per_status: dict[str, dict[str, float]] = {}
    for s in STATUSES:
        tp = confusion[s, s]
        n_pred_claims = sum(confusion[g, s] for g in STATUSES)
        n_pred_all = n_pred_claims + confusion["none", s]
        n_gold = sum(confusion[s, p] for p in (*STATUSES, "missing"))
        w_gold = sum(weighted.get((s, p), 0.0) for p in (*STATUSES, "missing"))
        per_status[s] = {
            "predicted": n_pred_all,
            "gold": n_gold,
            "precision": tp / n_pred_claims if n_pred_claims else 0.0,
            "precision_all": tp / n_pred_all if n_pred_all else 0.0,
            "recall": tp / n_gold if n_gold else 0.0,
            "recall_weighted": weighted.get((s, s), 0.0) / w_gold if w_gold else 0.0,
        }
    return {
        "path": str(path),
        "articles": source,
        "annotated": len(records),
        "matched": len(matched),
        "missing_articles": missing_articles,
        "gold_counts": dict(Counter(r.gold for r in records)),
        "confusion": {f"{g}|{p}": n for (g, p), n in confusion.items()},
        "per_status": per_status,
    }


def format_report(result: dict[str, object]) -> str:
    """Per-status precision and recall and the confusion matrix (rows gold, columns predicted)."""
    per = result["per_status"]
    conf = result["confusion"]
    assert isinstance(per, dict) and isinstance(conf, dict)
    lines = [
        f"claims status evaluation: {result['path']} (claims of {result['articles']})",
        f"annotated claims {result['annotated']}, matched to a claim of the current build {result['matched']}",
        "P = precision over matched claims whose gold is a status; P(all) also counts claims annotated 'none';",
        "R = recall over annotated claims; R(w) weights each by its sampling stratum (corpus estimate)",
        f"{'status':<9} {'pred':>5} {'gold':>5} {'P':>6} {'P(all)':>7} {'R':>6} {'R(w)':>6}",
    ]
    for s in STATUSES:
        f = per[s]
        lines.append(
            f"{s:<9} {f['predicted']:>5} {f['gold']:>5} {f['precision']:6.3f} {f['precision_all']:7.3f} "
            f"{f['recall']:6.3f} {f['recall_weighted']:6.3f}"
        )
    cols = (*STATUSES, "missing")
    lines.append("confusion (rows gold, columns predicted now):")
    lines.append(f"{'':<9} " + " ".join(f"{c:>8}" for c in cols))
    for g in GOLD_LABELS:
        lines.append(f"{g:<9} " + " ".join(f"{conf.get(f'{g}|{c}', 0):>8}" for c in cols))
    missing = result.get("missing_articles")
    if missing:
        lines.append(f"articles without any claim now: {len(missing)}")  # type: ignore[arg-type]
    return "\n".join(lines)

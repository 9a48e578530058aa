"""One processed article to rows of every per-article table (entities are aggregated later)."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from itertools import combinations
from typing import Any

from spacy.tokens import Doc

from kit.ingest.records import Article
from kit.nlp.canon import CanonicalMention, canonical_mentions

__all__ = ["Rows", "article_rows"]

Rows = dict[str, list[dict[str, Any]]]


def _sentence_finder(starts: list[int]) -> Callable[[int], int]:
    return lambda offset: max(0, bisect.bisect_right(starts, offset) - 1)


def _cover(spans: list[tuple[int, int]]) -> tuple[int | None, int | None]:
    if not spans:
        return None, None
    return min(s for s, _ in spans), max(e for _, e in spans)


def _mention_at(mentions: list[CanonicalMention], start: int, end: int) -> CanonicalMention | None:
    """The mention overlapping [start, end) the most (the source of a claim, for instance)."""
    best, best_overlap = None, 0
    for mention in mentions:
        overlap = min(end, mention.end_char) - max(start, mention.start_char)
        if overlap > best_overlap:
            best, best_overlap = mention, overlap
    return best


def article_rows(
    doc: Doc, article: Article, *, pipeline: str, version: str, truncated: bool = False
) -> Rows:
    """Rows for articles, sentences, mentions, dates, claims and relations of one article."""
    aid = str(article.article_id)
    prov = {"pipeline": pipeline, "pipeline_version": version}
    text = article.text
    sents = list(doc.sents)
    starts = [s.start_char for s in sents]
    sentence_of = _sentence_finder(starts)
    rows: Rows = {name: [] for name in ("articles", "sentences", "mentions", "dates", "claims", "relations")}
    rows["articles"].append(
        {
            "article_id": aid,
            "title": article.title,
            "text": text,
            "published": article.published,
            "language": article.language or doc.lang_,
            "language_detected": article.language_detected,
            "source": article.source,
            "url": article.url,
            "section": article.section,
            "n_tokens": len(doc),
            "n_chars": len(text),
            "truncated": truncated,
            "source_file": article.source_file,
            "record_index": article.record_index,
            "content_hash": article.hash,
            **prov,
        }
    )
    for i, sent in enumerate(sents):
        rows["sentences"].append(
            {"article_id": aid, "sentence_id": i, "start_char": sent.start_char, "end_char": sent.end_char,
             "text": sent.text, **prov}
        )
    mentions = canonical_mentions(doc)
    for i, m in enumerate(mentions):
        rows["mentions"].append(
            {"article_id": aid, "sentence_id": sentence_of(m.start_char), "mention_id": i, "start_char": m.start_char,
             "end_char": m.end_char, "text": m.text, "label": m.label, "entity_id": m.entity_id,
             "canonical": m.canonical, "role": m.role, "mention_kind": m.kind, **prov}
        )
    anchor = article.published.date() if isinstance(article.published, dt.datetime) else None
    for i, t in enumerate(doc._.timexes or []):
        rows["dates"].append(
            {"article_id": aid, "sentence_id": sentence_of(t.start_char), "timex_id": i, "start_char": t.start_char,
             "end_char": t.end_char, "text": t.text, "type": t.type, "value": t.value, "mod": t.mod,
             "start": t.start, "end": t.end, "granularity": t.granularity, "anchor": anchor, **prov}
        )
    _claim_rows(doc, text, aid, mentions, sentence_of, rows, prov)
    _relation_rows(doc, aid, mentions, sents, sentence_of, rows, prov)
    return rows


def _claim_rows(
    doc: Doc, text: str, aid: str, mentions: list[CanonicalMention], sentence_of: Callable[[int], int], rows: Rows,
    prov: dict[str, str],
) -> None:
    resolved_sources = doc._.claim_sources or []
    for i, claim in enumerate(doc._.claims or []):
        content = sorted(claim.content_spans)
        start, end = _cover(content)
        if start is None or end is None:
            continue
        src_start, src_end = _cover(sorted(claim.source_spans))
        cue_start, cue_end = _cover(sorted(claim.cue_spans))
        source_entity = None
        resolved = resolved_sources[i] if i < len(resolved_sources) else None
        if src_start is not None and resolved is not None:
            hit = _mention_at(mentions, *resolved)
            source_entity = hit.entity_id if hit else None
        claim_id = f"{aid}:{i}"
        rows["claims"].append(
            {"article_id": aid, "sentence_id": sentence_of(start), "claim_id": claim_id, "start_char": start,
             "end_char": end, "text": text[start:end],
             "source_text": None if src_start is None else text[src_start:src_end],
             "source_start": src_start, "source_end": src_end, "source_entity_id": source_entity,
             "cue_text": None if cue_start is None else text[cue_start:cue_end],
             "cue_start": cue_start, "cue_end": cue_end, "kind": claim.kind, "status": claim.status,
             "cue_spans": [list(s) for s in sorted(claim.cue_spans)],
             "source_spans": [list(s) for s in sorted(claim.source_spans)],
             "content_spans": [list(s) for s in content], **prov}
        )
        if source_entity is None:
            continue
        targets = {m.entity_id: m for m in mentions if start <= m.start_char and m.end_char <= end}
        for target_id in sorted(targets):
            if target_id != source_entity:
                rows["relations"].append(
                    {"article_id": aid, "sentence_id": sentence_of(start), "source_entity_id": source_entity,
                     "target_entity_id": target_id, "kind": "claim", "evidence": text[start:end],
                     "evidence_start": start, "evidence_end": end, "claim_id": claim_id,
                     "detail": None if cue_start is None else text[cue_start:cue_end], **prov}
                )


def _relation_rows(
    doc: Doc, aid: str, mentions: list[CanonicalMention], sents: list[Any], sentence_of: Callable[[int], int],
    rows: Rows, prov: dict[str, str],
) -> None:
    by_sentence: dict[int, dict[str, CanonicalMention]] = {}
    for m in mentions:
        by_sentence.setdefault(sentence_of(m.start_char), {}).setdefault(m.entity_id, m)
    for sid, entities in sorted(by_sentence.items()):
        sent = sents[sid]
        for a, b in combinations(sorted(entities), 2):
            rows["relations"].append(
                {"article_id": aid, "sentence_id": sid, "source_entity_id": a, "target_entity_id": b,
                 "kind": "co_mention", "evidence": sent.text, "evidence_start": sent.start_char,
                 "evidence_end": sent.end_char, "claim_id": None, "detail": None, **prov}
            )
    # Role edges: a person's role names an organisation of the article ("Tesla-Chef" -> Tesla).
    orgs = {m.canonical: m.entity_id for m in mentions if m.label == "ORG"}
    for m in mentions:
        if m.label != "PER" or not m.role:
            continue
        for org_name, org_id in orgs.items():
            if org_name and org_name in m.role:
                sid = sentence_of(m.start_char)
                rows["relations"].append(
                    {"article_id": aid, "sentence_id": sid, "source_entity_id": m.entity_id,
                     "target_entity_id": org_id, "kind": "role", "evidence": sents[sid].text,
                     "evidence_start": sents[sid].start_char, "evidence_end": sents[sid].end_char,
                     "claim_id": None, "detail": m.role, **prov}
                )

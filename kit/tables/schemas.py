"""Arrow schemas of every table: the one source of truth for names, types and meanings.

Notebooks, users' own analyses and outside checks rely on these names. Any change to a
column's name, type or meaning bumps ``SCHEMA_VERSION``.
"""

from __future__ import annotations

import pyarrow as pa

__all__ = ["SCHEMAS", "SCHEMA_VERSION", "TABLE_NAMES", "describe", "empty_table"]

SCHEMA_VERSION = "1.1.0"

_UTC = pa.timestamp("us", tz="UTC")
_SPAN_LIST = pa.list_(pa.list_(pa.int32()))


def _f(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"doc": doc})


# Columns that make each row traceable to the pipeline that produced it.
_PROVENANCE = [
    _f("pipeline", pa.string(), "spaCy pipeline name that produced the row", False),
    _f("pipeline_version", pa.string(), "pipeline version (model version + kit version)", False),
]

ARTICLES = pa.schema(
    [
        _f("article_id", pa.string(), "stable id: the record's id, else derived from content", False),
        _f("title", pa.string(), "headline, null when the input has none"),
        _f("text", pa.string(), "the record's text exactly as given; all offsets index into it", False),
        _f("published", _UTC, "publication time in UTC; date-only inputs are midnight UTC"),
        _f("language", pa.string(), "ISO 639-1 code, from the record or detected", False),
        _f("language_detected", pa.bool_(), "true when the language was detected, not given", False),
        _f("source", pa.string(), "publisher or outlet"),
        _f("url", pa.string(), "where the article came from"),
        _f("section", pa.string(), "section or category line, where the input has one"),
        _f("n_tokens", pa.int32(), "number of spaCy tokens in text", False),
        _f("n_chars", pa.int32(), "number of characters in text", False),
        _f("truncated", pa.bool_(), "true when text exceeded the token limit and was cut", False),
        _f("source_file", pa.string(), "input file the record came from (relative when possible)", False),
        _f("record_index", pa.int32(), "position of the record inside its file (0 for single-article files)", False),
        _f("content_hash", pa.string(), "blake2b of text: detects changed and duplicate articles", False),
        *_PROVENANCE,
    ]
)

SENTENCES = pa.schema(
    [
        _f("article_id", pa.string(), "article the sentence belongs to", False),
        _f("sentence_id", pa.int32(), "0-based position of the sentence in its article", False),
        _f("start_char", pa.int32(), "offset of the first character in articles.text", False),
        _f("end_char", pa.int32(), "offset after the last character in articles.text", False),
        _f("text", pa.string(), "the sentence text", False),
        *_PROVENANCE,
    ]
)

MENTIONS = pa.schema(
    [
        _f("article_id", pa.string(), "article of the mention", False),
        _f("sentence_id", pa.int32(), "sentence of the mention", False),
        _f("mention_id", pa.int32(), "0-based position of the mention in its article", False),
        _f("start_char", pa.int32(), "offset of the first character in articles.text", False),
        _f("end_char", pa.int32(), "offset after the last character in articles.text", False),
        _f("text", pa.string(), "the mention as written", False),
        _f("label", pa.string(), "PER, ORG, LOC or MISC", False),
        _f("entity_id", pa.string(), "canonical entity (entities.entity_id)", False),
        _f("canonical", pa.string(), "the in-article canonical name the mention was joined to", False),
        _f("role", pa.string(), "title or role stripped from the mention or its context, e.g. 'Tesla-Chef'"),
        _f("mention_kind", pa.string(), "name; adjective: a derived adjective linked to its base ('russische' -> "
           "Russland), left out of 'who' counts; corpus: a name the model missed here but recognised in other "
           "articles of the build"),
        *_PROVENANCE,
    ]
)

ENTITIES = pa.schema(
    [
        _f("entity_id", pa.string(), "stable id derived from label and name key", False),
        _f("name", pa.string(), "preferred name: the most frequent full form", False),
        _f("label", pa.string(), "PER, ORG, LOC or MISC", False),
        _f("key", pa.string(), "normalised name key that joins mentions across articles", False),
        _f("aliases", pa.list_(pa.string()), "every distinct surface form, most frequent first", False),
        _f("roles", pa.list_(pa.string()), "titles and roles seen with the entity", False),
        _f("n_mentions", pa.int64(), "number of mentions by name (derived adjectives not counted)", False),
        _f("n_adjective_mentions", pa.int64(), "mentions as a derived adjective ('russische' for Russland)"),
        _f("label_votes", pa.map_(pa.string(), pa.int64()),
           "the evidence for label: mentions by name per label given in their articles"),
        _f("n_articles", pa.int64(), "number of articles mentioning it", False),
        _f("first_published", _UTC, "earliest publication time of an article mentioning it"),
        _f("last_published", _UTC, "latest publication time of an article mentioning it"),
    ]
)

DATES = pa.schema(
    [
        _f("article_id", pa.string(), "article of the expression", False),
        _f("sentence_id", pa.int32(), "sentence of the expression", False),
        _f("timex_id", pa.int32(), "0-based position of the expression in its article", False),
        _f("start_char", pa.int32(), "offset of the first character in articles.text", False),
        _f("end_char", pa.int32(), "offset after the last character in articles.text", False),
        _f("text", pa.string(), "the expression as written", False),
        _f("type", pa.string(), "TIMEX3 type: DATE, TIME, DURATION or SET", False),
        _f("value", pa.string(), "TIMEX3 value, e.g. 2022-02, 2024-W45, P2Y, PRESENT_REF, XXXX-11"),
        _f("mod", pa.string(), "TIMEX3 mod, e.g. START, MID, END, BEFORE, AFTER, APPROX"),
        _f("start", pa.date32(), "first day of the covered interval, null where none"),
        _f("end", pa.date32(), "last day of the covered interval (inclusive), null where none"),
        _f("granularity", pa.string(), "day, week, month, quarter, season, half, year, decade, century, time or null"),
        _f("anchor", pa.date32(), "the reference date relative expressions were resolved against"),
        *_PROVENANCE,
    ]
)

CLAIMS = pa.schema(
    [
        _f("article_id", pa.string(), "article of the claim", False),
        _f("sentence_id", pa.int32(), "sentence where the claim's content starts", False),
        _f("claim_id", pa.string(), "article_id + ':' + position of the claim in its article", False),
        _f("start_char", pa.int32(), "start of the content (first-to-last cover of content_spans)", False),
        _f("end_char", pa.int32(), "end of the content", False),
        _f("text", pa.string(), "the content: what is claimed", False),
        _f("source_text", pa.string(), "who claims it, as written; null when unattributed"),
        _f("source_start", pa.int32(), "start of the source cover"),
        _f("source_end", pa.int32(), "end of the source cover"),
        _f("source_entity_id", pa.string(), "canonical entity of the source, where it is one"),
        _f("cue_text", pa.string(), "the word(s) that mark the claim"),
        _f("cue_start", pa.int32(), "start of the cue cover"),
        _f("cue_end", pa.int32(), "end of the cue cover"),
        _f("kind", pa.string(), "direct, indirect, reported, according_to or unattributed", False),
        _f("status", pa.string(), "asserted, hedged, alleged or denied", False),
        _f("cue_spans", _SPAN_LIST, "[start, end] pairs of every cue part", False),
        _f("source_spans", _SPAN_LIST, "[start, end] pairs of every source part", False),
        _f("content_spans", _SPAN_LIST, "[start, end] pairs of every content part", False),
        *_PROVENANCE,
    ]
)

RELATIONS = pa.schema(
    [
        _f("article_id", pa.string(), "article where the pair is linked", False),
        _f("sentence_id", pa.int32(), "sentence of the evidence", False),
        _f("source_entity_id", pa.string(), "first entity (the speaker for claim edges)", False),
        _f("target_entity_id", pa.string(), "second entity", False),
        _f("kind", pa.string(), "co_mention, claim (source -> entity in the content), role", False),
        _f("evidence", pa.string(), "the sentence or phrase that links them", False),
        _f("evidence_start", pa.int32(), "offset of the evidence in articles.text", False),
        _f("evidence_end", pa.int32(), "end of the evidence in articles.text", False),
        _f("claim_id", pa.string(), "the claim behind a claim edge"),
        _f("detail", pa.string(), "the role word for role edges, the cue for claim edges"),
        *_PROVENANCE,
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "sentences": SENTENCES,
    "mentions": MENTIONS,
    "entities": ENTITIES,
    "dates": DATES,
    "claims": CLAIMS,
    "relations": RELATIONS,
}
TABLE_NAMES: tuple[str, ...] = tuple(SCHEMAS)


def empty_table(name: str) -> pa.Table:
    """An empty table with the right schema, so that readers never meet a missing file."""
    return SCHEMAS[name].empty_table()


def describe() -> str:
    """Markdown reference of every table and column, generated from the schemas."""
    lines: list[str] = [f"Schema version {SCHEMA_VERSION}.", ""]
    for name, schema in SCHEMAS.items():
        lines += [f"### `{name}`", "", "| column | type | null | meaning |", "|---|---|---|---|"]
        for field in schema:
            doc = (field.metadata or {}).get(b"doc", b"").decode()
            lines.append(f"| `{field.name}` | {field.type} | {'yes' if field.nullable else 'no'} | {doc} |")
        lines.append("")
    return "\n".join(lines)

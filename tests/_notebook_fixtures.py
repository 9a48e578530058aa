"""Synthetic tables for chart, render and browser tests.

They conform to ``kit.tables.schemas.SCHEMAS`` so the tests exercise the real contract without
running the NLP pipeline, and they carry a hostile article whose title, text and entity name
try to run script: rendered pages must show it as text.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from kit.tables.schemas import SCHEMAS

# A payload that marks the page when it runs: browser tests check the marker stays unset.
XSS_TITLE = "<script>window.__kitXss='title'</script>Angriff"
XSS_NAME = "<img src=x onerror=\"window.__kitXss='name'\">"
XSS_SENTENCE = "<script>window.__kitXss='text'</script>"

ENTITIES: dict[str, tuple[str, str]] = {
    "musk": ("Elon Musk", "PER"),
    "putin": ("Wladimir Putin", "PER"),
    "trump": ("Donald Trump", "PER"),
    "tesla": ("Tesla", "ORG"),
    "spacex": ("SpaceX", "ORG"),
    "wsj": ("Wall Street Journal", "ORG"),
    "taiwan": ("Taiwan", "LOC"),
    "ukraine": ("Ukraine", "LOC"),
    "starlink": ("Starlink", "MISC"),
    "hostile": (XSS_NAME, "PER"),
    "russisch": ("russisch", "MISC"),  # a derived adjective, as GermEval tags and the kit canonicalises it
}

# A date expression: text, TIMEX3 type, value, mod, start, end, granularity.
Timex = tuple[str, str, str | None, str | None, date | None, date | None, str | None]
# A claim on a whole sentence: source entity key (None: unattributed), cue, kind, status.
Claim = tuple[str | None, str, str, str]


@dataclass
class Sentence:
    """A sentence made of plain strings, ``(surface, entity_key)`` mentions and Timex dates."""

    parts: list[str | tuple[str, str] | Timex]
    claim: Claim | None = None
    role: tuple[str, str, str] | None = None  # (person key, organisation key, role word)


@dataclass
class Article:
    article_id: str
    title: str | None
    published: datetime | None
    source: str | None
    sentences: list[Sentence] = field(default_factory=list)


def _d(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=UTC)


END_2022: Timex = ("Ende 2022", "DATE", "2022", "END", date(2022, 10, 1), date(2022, 12, 31), "year")
FEB_2022: Timex = ("Februar 2022", "DATE", "2022-02", None, date(2022, 2, 1), date(2022, 2, 28), "month")
NOVEMBER: Timex = ("im November", "DATE", "2024-11", None, date(2024, 11, 1), date(2024, 11, 30), "month")
DAY: Timex = ("am 11. August", "DATE", "2024-08-11", None, date(2024, 8, 11), date(2024, 8, 11), "day")
Q3: Timex = ("im dritten Quartal", "DATE", "2024-Q3", None, date(2024, 7, 1), date(2024, 9, 30), "quarter")
TWO_YEARS: Timex = ("zwei Jahre", "DURATION", "P2Y", None, None, None, None)


def sample_articles() -> list[Article]:
    """Several articles over several months and sources, one of them hostile."""
    musk_putin = Sentence(
        [("Elon Musk", "musk"), " hat seit ", END_2022, " Kontakt mit ", ("Wladimir Putin", "putin"), " gehabt."],
        claim=("wsj", "berichtete", "reported", "hedged"),
    )
    wsj = Sentence(["Dies berichtete das ", ("Wall Street Journal", "wsj"), " über ", ("Musk", "musk"), "."])
    taiwan = Sentence(
        [("Putin", "putin"), " soll ", ("Musk", "musk"), " gedrängt haben, ", ("Starlink", "starlink"),
         " in ", ("Taiwan", "taiwan"), " nicht zu aktivieren."],
        claim=(None, "soll", "unattributed", "alleged"),
    )
    chef = Sentence(
        [("Musk", "musk"), " ist ", ("Tesla", "tesla"), "-Chef und Kopf von ", ("SpaceX", "spacex"), "."],
        role=("musk", "tesla", "Tesla-Chef"),
    )
    ukraine = Sentence(
        [("SpaceX", "spacex"), " half im ", FEB_2022, " der ", ("Ukraine", "ukraine"), " mit ",
         ("Starlink", "starlink"), "."]
    )
    trump = Sentence(
        [("Trump", "trump"), " kündigte an, ", ("Musk", "musk"), " ", NOVEMBER, " zu betrauen."],
        claim=("trump", "kündigte an", "indirect", "asserted"),
    )
    quarter = Sentence([("Tesla", "tesla"), " meldete ", Q3, " Gewinne, ", DAY, " seit ", TWO_YEARS, "."])
    hostile = Sentence(
        [XSS_SENTENCE, " ", (XSS_NAME, "hostile"), " traf ", ("Elon Musk", "musk"), " ", DAY, "."],
        claim=("hostile", "sagte", "direct", "asserted"),
    )
    # Four derived adjectives a sentence, in three articles: more mentions than Musk, never a "who".
    russian = Sentence(["Die ", ("russische", "russisch"), " und die ", ("russischen", "russisch"), " Medien, ",
                        ("russischer", "russisch"), " Herkunft, ", ("russisch", "russisch"), "."])
    return [
        Article("a1", "Musk und Putin", _d(2024, 10, 25), "Wall Street Journal",
                [musk_putin, wsj, taiwan, chef, russian]),
        Article("a2", "Starlink in der Ukraine", _d(2024, 3, 2), "Tagesschau", [ukraine, chef, russian]),
        Article("a3", "Trump & Musk", _d(2024, 8, 12), "Tagesschau", [trump, quarter, musk_putin, russian]),
        Article("a4", None, _d(2024, 9, 30), None, [quarter, ukraine]),
        Article("a5", XSS_TITLE, _d(2024, 8, 12), "<b>Evil</b> Source", [hostile, taiwan]),
        Article("a6", "Ohne Datum", None, "Tagesschau", [wsj]),
    ]


_GENERATED = {"PER": "Person", "ORG": "Firma", "LOC": "Stadt", "MISC": "Produkt"}


def _entity(key: str) -> tuple[str, str]:
    """Name and label of a fixed entity, or of a generated one keyed ``LABEL:number``."""
    if key in ENTITIES:
        return ENTITIES[key]
    label, number = key.split(":")
    return f"{_GENERATED[label]} {number}", label


def _entity_id(key: str) -> str:
    name, label = _entity(key)
    return f"{label}:{hashlib.blake2b(name.encode(), digest_size=6).hexdigest()}"


def _rows(articles: list[Article]) -> dict[str, list[dict[str, Any]]]:
    prov = {"pipeline": "synthetic", "pipeline_version": "0"}
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    seen: dict[str, None] = {}  # entity keys in order of first mention
    for art in articles:
        text, n_mentions, n_dates, n_claims = "", 0, 0, 0
        for sid, sent in enumerate(art.sentences):
            if text:
                text += " "
            s_start, keys = len(text), []
            for part in sent.parts:
                start = len(text)
                if isinstance(part, str):
                    text += part
                    continue
                text += part[0]
                base = {"article_id": art.article_id, "sentence_id": sid, "start_char": start,
                        "end_char": len(text), "text": part[0], **prov}
                if len(part) == 2:
                    keys.append(part[1])
                    seen[part[1]] = None
                    name, label = _entity(part[1])
                    rows["mentions"].append({**base, "mention_id": n_mentions, "label": label,
                                             "entity_id": _entity_id(part[1]), "canonical": name,
                                             "role": None})
                    n_mentions += 1
                else:
                    _, type_, value, mod, d_start, d_end, gran = part
                    rows["dates"].append({**base, "timex_id": n_dates, "type": type_, "value": value,
                                          "mod": mod, "start": d_start, "end": d_end, "granularity": gran,
                                          "anchor": art.published.date() if art.published else None})
                    n_dates += 1
            s_text = text[s_start:]
            rows["sentences"].append({"article_id": art.article_id, "sentence_id": sid, "start_char": s_start,
                                      "end_char": len(text), "text": s_text, **prov})
            edge = {"article_id": art.article_id, "sentence_id": sid, "evidence": s_text,
                    "evidence_start": s_start, "evidence_end": len(text), "claim_id": None, "detail": None, **prov}
            for a, b in itertools.combinations(sorted(set(keys)), 2):
                rows["relations"].append({**edge, "source_entity_id": _entity_id(a),
                                          "target_entity_id": _entity_id(b), "kind": "co_mention"})
            if sent.role:
                person, org, word = sent.role
                rows["relations"].append({**edge, "source_entity_id": _entity_id(person),
                                          "target_entity_id": _entity_id(org), "kind": "role", "detail": word})
            if sent.claim:
                src, cue, kind, status = sent.claim
                claim_id = f"{art.article_id}:{n_claims}"
                n_claims += 1
                cue_start = s_start + max(s_text.find(cue), 0)
                rows["claims"].append({
                    "article_id": art.article_id, "sentence_id": sid, "claim_id": claim_id,
                    "start_char": s_start, "end_char": len(text), "text": s_text,
                    "source_text": _entity(src)[0] if src else None, "source_start": None, "source_end": None,
                    "source_entity_id": _entity_id(src) if src else None, "cue_text": cue,
                    "cue_start": cue_start, "cue_end": cue_start + len(cue), "kind": kind, "status": status,
                    "cue_spans": [[cue_start, cue_start + len(cue)]], "source_spans": [],
                    "content_spans": [[s_start, len(text)]], **prov})
                for target in sorted(set(keys) - {src}) if src else []:
                    rows["relations"].append({**edge, "source_entity_id": _entity_id(src),
                                              "target_entity_id": _entity_id(target), "kind": "claim",
                                              "claim_id": claim_id, "detail": cue})
        rows["articles"].append({
            "article_id": art.article_id, "title": art.title, "text": text, "published": art.published,
            "language": "de", "language_detected": False, "source": art.source, "url": None, "section": None,
            "n_tokens": len(text.split()), "n_chars": len(text), "truncated": False,
            "source_file": f"{art.article_id}.txt", "record_index": 0,
            "content_hash": hashlib.blake2b(text.encode()).hexdigest(), **prov})
    published = {a.article_id: a.published for a in articles}
    by_entity: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in rows["mentions"]:
        by_entity[m["entity_id"]].append(m)
    for key in seen:
        ms = by_entity[_entity_id(key)]
        dates = [d for d in (published[m["article_id"]] for m in ms) if d is not None]
        name, label = _entity(key)
        rows["entities"].append({
            "entity_id": _entity_id(key), "name": name, "label": label, "key": key,
            "aliases": [t for t, _ in Counter(m["text"] for m in ms).most_common()],
            "roles": ["Tesla-Chef"] if key == "musk" else [], "n_mentions": len(ms),
            "n_articles": len({m["article_id"] for m in ms}),
            "first_published": min(dates, default=None), "last_published": max(dates, default=None)})
    return rows


def write_tables(folder: Path, articles: list[Article] | None = None) -> Path:
    """Write every table of ``articles`` (default: ``sample_articles()``) as ``folder/<name>.parquet``."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = _rows(sample_articles() if articles is None else articles)
    for name, schema in SCHEMAS.items():
        pq.write_table(pa.Table.from_pylist(rows.get(name, []), schema=schema), folder / f"{name}.parquet")
    return folder


def one_article(*, hostile: bool = False) -> list[Article]:
    """A single article, like the shipped sample: charts must not come out empty."""
    arts = sample_articles()
    return [arts[4] if hostile else arts[0]]


def many_articles(n: int, *, seed: int = 7) -> list[Article]:
    """``n`` articles over three years and a dozen sources, naming a few hundred entities.

    Sized like a real corpus for the notebooks' speed budget: copies of the sample articles
    plus, in each, a sentence linking generated people, firms and places.
    """
    rng = random.Random(seed)
    base = sample_articles()
    out: list[Article] = []
    for i in range(n):
        art = base[i % len(base)]
        keys = [f"{rng.choice(list(_GENERATED))}:{rng.randint(1, 300)}" for _ in range(3)]
        extra = Sentence([(_entity(keys[0])[0], keys[0]), " traf ", (_entity(keys[1])[0], keys[1]), " und ",
                          (_entity(keys[2])[0], keys[2]), " ", DAY, "."])
        published = _d(2022, 1, 1) + timedelta(days=rng.randint(0, 3 * 365))
        out.append(Article(f"{art.article_id}-{i}", art.title, published, f"Quelle {i % 12}",
                           [*art.sentences, extra]))
    return out

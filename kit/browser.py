"""The article browser: one self-contained HTML page to read every article with what the kit found.

Entities, dates and claims are highlighted in the text (colour by type; hover for the canonical
name, the TIMEX3 value, the claim's source and status), with a list to filter by entity, source
and date and a full-text search. Everything runs in the page (``kit/resources/browser``: a small
script and stylesheet, inlined), so it works offline. Article text travels as JSON in a
non-executed script element and reaches the page only through ``textContent``: hostile text
stays text.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from kit.settings import RESOURCES_DIR

__all__ = ["browser_data", "browser_page", "write_browser"]

ASSETS = RESOURCES_DIR / "browser"


def _utf16(text: str) -> list[int] | None:
    """UTF-16 offset of each code point (and the end) when ``text`` leaves the BMP, else None.

    The tables count code points; JavaScript strings index UTF-16 units, so an emoji would shift
    every later highlight by one.
    """
    if all(ord(c) <= 0xFFFF for c in text):
        return None
    out, at = [], 0
    for c in text:
        out.append(at)
        at += 2 if ord(c) > 0xFFFF else 1
    out.append(at)
    return out


def _str(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def browser_data(tables: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
    """The page's data: articles (newest first) with their spans, and the entities they index into."""
    arts = tables["articles"].copy()
    arts["published"] = pd.to_datetime(arts["published"], utc=True)
    arts = arts.sort_values(["published", "title"], ascending=[False, True], na_position="last", kind="stable")
    ents = tables["entities"].drop_duplicates("entity_id").reset_index(drop=True)
    index = {eid: i for i, eid in enumerate(ents["entity_id"])}
    entities: list[list[str]] = [[str(n), str(lab)] for n, lab in zip(ents["name"], ents["label"])]
    spans: dict[str, dict[str, list[list[Any]]]] = {}
    for m in tables["mentions"].itertuples():
        if m.entity_id not in index:
            index[m.entity_id] = len(entities)
            entities.append([str(m.text), str(m.label)])
        spans.setdefault(m.article_id, {}).setdefault("ents", []).append(
            [int(m.start_char), int(m.end_char), index[m.entity_id]])
    for d in tables["dates"].itertuples():
        spans.setdefault(d.article_id, {}).setdefault("dates", []).append(
            [int(d.start_char), int(d.end_char), f"{d.type} {_str(d.value) or '?'}", _str(d.mod)])
    for c in tables["claims"].itertuples():
        if pd.isna(c.start_char) or pd.isna(c.end_char):
            continue
        spans.setdefault(c.article_id, {}).setdefault("claims", []).append(
            [int(c.start_char), int(c.end_char), str(c.status), str(c.kind), _str(c.source_text)])
    articles = []
    for a in arts.itertuples():
        text = str(a.text or "")
        own = spans.get(a.article_id, {})
        record: dict[str, Any] = {"title": _str(a.title), "source": _str(a.source), "url": _str(a.url),
                                  "section": _str(getattr(a, "section", None)),
                                  "date": None if pd.isna(a.published) else str(a.published.date()), "text": text}
        shift = _utf16(text)
        for kind in ("ents", "dates", "claims"):
            rows = sorted(own.get(kind, []), key=lambda r: (r[0], -r[1]))
            if shift is not None:
                rows = [[shift[min(r[0], len(text))], shift[min(r[1], len(text))], *r[2:]] for r in rows]
            record[kind] = rows
        articles.append(record)
    return {"articles": articles, "entities": entities}


def _script_json(data: object) -> str:
    """JSON that cannot close or open markup inside a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def browser_page(tables: Mapping[str, pd.DataFrame], *, title: str = "Articles") -> str:
    """The whole page as one HTML string: data, script and style inline, nothing fetched."""
    data = browser_data(tables)
    css = (ASSETS / "browser.css").read_text(encoding="utf-8")
    js = (ASSETS / "browser.js").read_text(encoding="utf-8").replace("</", "<\\/")
    n = len(data["articles"])
    legend = "".join(f'<span class="{c}">{html.escape(t)}</span>' for c, t in (
        ("ent l-PER", "person"), ("ent l-ORG", "organisation"), ("ent l-LOC", "place"), ("ent l-MISC", "other name"),
        ("date", "date"), ("claim", "claim"), ("claim s-hedged", "hedged or alleged claim")))
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}: {n} articles</title><style>{css}</style></head>
<body>
<header><h1>{html.escape(title)}: {n} articles with their entities, dates and claims</h1>
<div class="filters">
<input id="search" type="search" placeholder="Search the text" aria-label="search">
<input id="entity" list="entity-names" placeholder="Entity (name or type to search)" aria-label="entity">
<datalist id="entity-names"></datalist>
<select id="source" aria-label="source"><option value="">every source</option></select>
<label>from <input id="from" type="date"></label><label>to <input id="to" type="date"></label>
<button id="clear" type="button">clear</button>
<span class="legend">{legend}</span></div></header>
<main><nav id="side"><div id="count"></div><ol id="list"></ol></nav><article id="article"></article></main>
<script type="application/json" id="kit-data">{_script_json(data)}</script>
<script>{js}</script>
</body></html>
"""


def write_browser(tables: Mapping[str, pd.DataFrame], path: Path, *, title: str = "Articles") -> Path:
    """Write the browser page to ``path`` (atomically: readers never see half a page)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(browser_page(tables, title=title), encoding="utf-8")
    tmp.replace(path)
    return path

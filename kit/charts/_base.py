"""Shared pieces of the chart builders: escaping, notes, tables, colours and article labels.

Article text (titles, sentences, names, sources) is HTML-escaped before it reaches a figure,
because Plotly renders a subset of HTML in hover labels, tick labels, legends and table cells.
"""

from __future__ import annotations

import html
import math
import os
import textwrap
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

LABEL_COLORS: dict[str, str] = {
    "PER": "#1f77b4",
    "ORG": "#ff7f0e",
    "LOC": "#2ca02c",
    "MISC": "#9467bd",
}
OTHER_COLOR = "#7f7f7f"
NO_ENTITY = "(no entity)"
UNKNOWN_SOURCE = "(unknown source)"
EDGE_KINDS = ("co_mention", "claim", "role")
# Set by ``kit.render`` when a set of pages shares one plotly.js file beside them.
PLOTLYJS_ENV = "KIT_PLOTLYJS"

_plotlyjs_embedded = False


def show(fig: go.Figure) -> None:
    """Display ``fig`` as plain HTML so exported pages work offline.

    Plotly's own renderers either leave nothing nbconvert can show or fetch MathJax from a CDN;
    this embeds plotly.js once per kernel (the first figure) and never MathJax. Under
    ``kit render`` (``KIT_PLOTLYJS=external``) no figure embeds it: the page loads the one copy
    written beside the pages.
    """
    from IPython.display import HTML, display

    global _plotlyjs_embedded
    external = os.environ.get(PLOTLYJS_ENV) == "external"
    config = {"displaylogo": False, "responsive": True}
    display(HTML(fig.to_html(full_html=False, include_plotlyjs=not (_plotlyjs_embedded or external),
                             include_mathjax=False, config=config)))
    _plotlyjs_embedded = True


def esc(value: object, *, limit: int = 120) -> str:
    """Escaped, truncated text for one line of a label."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text, quote=False)  # Plotly shows &quot; literally; quotes are inert in its text


def wrap(value: object, *, limit: int = 300, width: int = 70) -> str:
    """Escaped, truncated text wrapped with ``<br>`` so long sentences fit a hover box."""
    text = html.unescape(esc(value, limit=limit))
    return "<br>".join(html.escape(line, quote=False) for line in textwrap.wrap(text, width) or [""])


def note(title: str, message: str) -> go.Figure:
    """A small figure saying in a sentence why there is nothing to plot, instead of an empty frame."""
    fig = go.Figure()
    fig.add_annotation(text=html.escape(message), showarrow=False, x=0.5, y=0.5,
                       xref="paper", yref="paper", font={"size": 14})
    fig.update_layout(title=title, xaxis={"visible": False}, yaxis={"visible": False}, height=180,
                      margin={"t": 50, "b": 10})
    return fig


def color(label: str) -> str:
    return LABEL_COLORS.get(label, OTHER_COLOR)


def display_names(counts: pd.DataFrame) -> pd.Series:
    """Escaped names, with the label appended where two entities share a name."""
    names = counts["name"].map(esc)
    dup = names.duplicated(keep=False)
    return names.where(~dup, names + " (" + counts["label"].map(esc) + ")")


def utc(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, utc=True)


def naive_day(series: pd.Series) -> pd.Series:
    """Dates or timestamps as timezone-naive midnight datetimes (Plotly's date axis)."""
    return pd.to_datetime(series, utc=True).dt.tz_convert(None).dt.normalize()


def day_text(value: object) -> str:
    """``2024-08-12`` for a timestamp, ``undated`` for a missing one."""
    if value is None or value is pd.NA or pd.isna(value):
        return "undated"
    return str(pd.Timestamp(value).date())


def article_labels(articles: pd.DataFrame, *, limit: int = 90) -> pd.DataFrame:
    """Per article: an escaped ``title`` (the opening words in italics when untitled), ``date``, ``source``.

    Evidence tables name articles by what a reader recognises, never by ``article_id``.
    """
    cols = ["article_id", "title", "date", "source", "published"]
    if articles.empty:
        return pd.DataFrame(columns=cols)
    a = articles[["article_id", "title", "text", "published", "source"]].copy()

    def title(row: pd.Series) -> str:
        if isinstance(row["title"], str) and row["title"].strip():
            return esc(row["title"], limit=limit)
        text = " ".join(str(row["text"] or "").split())
        if len(text) > 70:  # the opening words, cut at a word boundary
            text = text[:70].rsplit(" ", 1)[0] + "…"
        return f"<i>{html.escape(text, quote=False)}</i>" if text else "<i>(untitled, empty)</i>"

    a["title"] = a.apply(title, axis=1) if len(a) else []
    a["date"] = utc(a["published"]).map(day_text)
    a["source"] = a["source"].map(lambda s: esc(s, limit=40) or UNKNOWN_SOURCE)
    return a[cols]


_UNINFORMATIVE = frozenset({"undated", UNKNOWN_SOURCE, ""})


def table(header: Sequence[str], columns: Sequence[Sequence[object]], *, title: str,
          widths: Sequence[float] | None = None, drop_uninformative: bool = False) -> go.Figure:
    """A Plotly table sized to its content (cells must already be escaped).

    ``drop_uninformative`` leaves out columns that say "undated" or "(unknown source)" in every
    row (a CSV without dates or sources), with a note in the title instead.
    """
    if drop_uninformative and len(columns) and len(columns[0]):
        keep = [i for i, col in enumerate(columns) if not {str(v) for v in col} <= _UNINFORMATIVE]
        dropped = [header[i] for i in range(len(header)) if i not in keep]
        if dropped:
            what = " or ".join({"published": "publication date"}.get(h, h) for h in dropped)
            title += f"<br><sup>no article here has a {what}: column left out</sup>"
            header, columns = [header[i] for i in keep], [columns[i] for i in keep]
            widths = [widths[i] for i in keep] if widths else None
    fig = go.Figure(go.Table(
        columnwidth=list(widths) if widths else None,
        header={"values": [f"<b>{html.escape(h)}</b>" for h in header], "align": "left", "fill_color": "#e8eef6"},
        cells={"values": [list(c) for c in columns], "align": "left"},
    ))
    lines = sum(max(str(cell).count("<br>") + 1 for cell in row) for row in zip(*columns))
    fig.update_layout(title=title, height=min(900, 130 + 22 * (max(lines, 1) + 1)),  # + the header row
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig

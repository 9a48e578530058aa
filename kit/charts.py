"""Plotly figure builders for the curated notebooks.

Every builder takes DataFrames of the kit's tables (column names from ``kit.tables.schemas``),
keyword-only options, and returns a ``plotly.graph_objects.Figure`` that is never empty: with no
data it carries a note saying so. Article text (titles, sentences, names, sources) is
HTML-escaped before it reaches a figure, because Plotly renders a subset of HTML in hover
labels, tick labels, legends and table cells.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

__all__ = [
    "LABEL_COLORS",
    "articles_table",
    "dated_expressions",
    "ego_network",
    "entity_counts",
    "entity_graph",
    "entity_table",
    "evidence_table",
    "filter_tables",
    "mentions_over_time",
    "network_figure",
    "published_vs_referenced",
    "resolve_focus",
    "show",
    "source_heatmap",
    "timeline_figure",
    "top_entities_bar",
]

LABEL_COLORS: dict[str, str] = {
    "PER": "#1f77b4",
    "ORG": "#ff7f0e",
    "LOC": "#2ca02c",
    "MISC": "#9467bd",
}
_OTHER_COLOR = "#7f7f7f"
_NO_ENTITY = "(no entity)"
_UNKNOWN_SOURCE = "(unknown source)"
_EDGE_KINDS = ("co_mention", "claim", "role")

_plotlyjs_embedded = False


# --- display -------------------------------------------------------------------------------------


def show(fig: go.Figure) -> None:
    """Display ``fig`` as plain HTML so exported pages work offline.

    Plotly's own renderers either leave nothing nbconvert can show or fetch MathJax from a CDN;
    this embeds plotly.js once per kernel (the first figure) and never MathJax.
    """
    from IPython.display import HTML, display

    global _plotlyjs_embedded
    config = {"displaylogo": False, "responsive": True}
    display(
        HTML(fig.to_html(full_html=False, include_plotlyjs=not _plotlyjs_embedded,
                         include_mathjax=False, config=config))
    )
    _plotlyjs_embedded = True


# --- text helpers --------------------------------------------------------------------------------


def _esc(value: object, *, limit: int = 120) -> str:
    """Escaped, truncated text for one line of a label."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text, quote=False)  # Plotly shows &quot; literally; quotes are inert in its text


def _wrap(value: object, *, limit: int = 300, width: int = 70) -> str:
    """Escaped, truncated text wrapped with ``<br>`` so long sentences fit a hover box."""
    text = html.unescape(_esc(value, limit=limit))
    return "<br>".join(html.escape(line, quote=False) for line in textwrap.wrap(text, width) or [""])


def _note(title: str, message: str) -> go.Figure:
    """A figure that says why there is nothing to plot, instead of an empty frame."""
    fig = go.Figure()
    fig.add_annotation(text=html.escape(message), showarrow=False, x=0.5, y=0.5,
                       xref="paper", yref="paper", font={"size": 14})
    fig.update_layout(title=title, xaxis={"visible": False}, yaxis={"visible": False}, height=250)
    return fig


def _color(label: str) -> str:
    return LABEL_COLORS.get(label, _OTHER_COLOR)


def _display_names(counts: pd.DataFrame) -> pd.Series:
    """Escaped names, with the label appended where two entities share a name."""
    names = counts["name"].map(_esc)
    dup = names.duplicated(keep=False)
    return names.where(~dup, names + " (" + counts["label"].map(_esc) + ")")


def _utc(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, utc=True)


def _naive_day(series: pd.Series) -> pd.Series:
    """Dates or timestamps as timezone-naive midnight datetimes (Plotly's date axis)."""
    return pd.to_datetime(series, utc=True).dt.tz_convert(None).dt.normalize()


# --- table helpers -------------------------------------------------------------------------------


def filter_tables(
    tables: Mapping[str, pd.DataFrame],
    *,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    sources: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Restrict every table to articles published in [start, end] from ``sources``.

    Notebook parameters map onto this, so one cell narrows all charts consistently. Articles
    without a publication date drop out only when a date bound is given; ``labels`` keeps
    mentions, entities and relations between entities of those types.
    """
    out = {name: df for name, df in tables.items()}
    arts = out["articles"]
    keep = pd.Series(True, index=arts.index)
    published = _utc(arts["published"])
    if start is not None:
        keep &= published >= pd.Timestamp(start, tz="UTC")
    if end is not None:
        keep &= published <= pd.Timestamp(end, tz="UTC") + pd.Timedelta(days=1) - pd.Timedelta(1, "us")
    if sources is not None:
        keep &= arts["source"].isin(list(sources))
    if not keep.all():
        ids = set(arts.loc[keep, "article_id"])
        out = {name: df[df["article_id"].isin(ids)] if "article_id" in df.columns else df
               for name, df in out.items()}
    if labels is not None:
        wanted = set(labels)
        out["mentions"] = out["mentions"][out["mentions"]["label"].isin(wanted)]
        out["entities"] = out["entities"][out["entities"]["label"].isin(wanted)]
        ok = set(out["entities"]["entity_id"])
        rel = out["relations"]
        out["relations"] = rel[rel["source_entity_id"].isin(ok) & rel["target_entity_id"].isin(ok)]
    return out


def entity_counts(mentions: pd.DataFrame, entities: pd.DataFrame, *, labels: Sequence[str] | None = None
                  ) -> pd.DataFrame:
    """Mentions and articles per entity in these (possibly filtered) tables, most mentioned first.

    Counted from ``mentions`` rather than read from ``entities.n_mentions``, so date and source
    filters change the ranking. Ties break by name for a stable order.
    """
    cols = ["entity_id", "name", "label", "aliases", "n_mentions", "n_articles"]
    m = mentions if labels is None else mentions[mentions["label"].isin(list(labels))]
    if m.empty:
        return pd.DataFrame(columns=cols)
    grouped = m.groupby("entity_id").agg(n_mentions=("article_id", "size"), n_articles=("article_id", "nunique"))
    info = entities.set_index("entity_id")[["name", "label", "aliases"]]
    out = grouped.join(info, how="left").reset_index()
    fallback = m.groupby("entity_id").agg(first_text=("text", "first"), first_label=("label", "first"))
    out = out.join(fallback, on="entity_id")
    out["name"] = out["name"].fillna(out["first_text"])
    out["label"] = out["label"].fillna(out["first_label"])
    out["aliases"] = out["aliases"].map(lambda a: list(a) if isinstance(a, Iterable) and not isinstance(a, str) else [])
    out = out.sort_values(["n_mentions", "n_articles", "name"], ascending=[False, False, True], kind="stable")
    return out[cols].reset_index(drop=True)


def resolve_focus(mentions: pd.DataFrame, entities: pd.DataFrame, focus: str | None = None) -> str | None:
    """The entity_id for a focus given as id, name or alias (case-insensitive); None: the most mentioned."""
    counts = entity_counts(mentions, entities)
    if counts.empty:
        return None
    if focus is None:
        return str(counts["entity_id"].iloc[0])
    wanted = focus.casefold()
    for _, row in counts.iterrows():
        forms = [row["entity_id"], row["name"], *row["aliases"]]
        if any(str(f).casefold() == wanted for f in forms):
            return str(row["entity_id"])
    raise KeyError(f"no entity named {focus!r} in these tables")


# --- mentions ------------------------------------------------------------------------------------


def top_entities_bar(mentions: pd.DataFrame, entities: pd.DataFrame, *, top_n: int = 15,
                     labels: Sequence[str] | None = None) -> go.Figure:
    """Horizontal bars of the most mentioned entities, coloured by type, the top one on top."""
    title = "Most mentioned entities"
    counts = entity_counts(mentions, entities, labels=labels).head(top_n)
    if counts.empty:
        return _note(title, "No entity mentions in these tables.")
    counts["display"] = _display_names(counts)
    fig = go.Figure()
    for label, part in counts.groupby("label", sort=True):
        fig.add_trace(go.Bar(
            x=part["n_mentions"], y=part["display"], orientation="h", name=_esc(label),
            marker_color=_color(str(label)),
            hovertext=[f"<b>{d}</b> ({_esc(label)})<br>{n} mentions in {a} article(s)"
                       for d, n, a in zip(part["display"], part["n_mentions"], part["n_articles"])],
            hoverinfo="text",
        ))
    fig.update_layout(
        title=title, xaxis_title="mentions", legend_title="type", barmode="overlay",
        yaxis={"categoryorder": "array", "categoryarray": list(counts["display"])[::-1]},
        height=max(300, 28 * len(counts) + 120),
    )
    return fig


def _period(published: pd.Series, freq: str) -> pd.Series:
    if freq == "auto":
        span = published.max() - published.min() if len(published) else pd.Timedelta(0)
        freq = "D" if span <= pd.Timedelta(days=45) else "W" if span <= pd.Timedelta(days=366) else "M"
    return published.dt.tz_convert(None).dt.to_period(freq).dt.start_time


def mentions_over_time(mentions: pd.DataFrame, articles: pd.DataFrame, entities: pd.DataFrame, *,
                       top_n: int = 8, freq: str = "auto", labels: Sequence[str] | None = None) -> go.Figure:
    """Mentions per publication period of the top entities.

    Lines need two periods; with a single period (one article, one day) it shows grouped bars
    at that date instead of invisible one-point lines.
    """
    title = "Mentions over time (by publication date)"
    counts = entity_counts(mentions, entities, labels=labels).head(top_n)
    pub = articles[["article_id", "published"]].dropna(subset=["published"])
    m = mentions[mentions["entity_id"].isin(counts["entity_id"])].merge(pub, on="article_id")
    if m.empty:
        return _note(title, "No mentions in articles with a publication date.")
    m["period"] = _period(_utc(m["published"]), freq)
    per = m.groupby(["entity_id", "period"]).size().rename("n").reset_index()
    periods = sorted(per["period"].unique())
    counts["display"] = _display_names(counts)
    fig = go.Figure()
    for _, ent in counts.iterrows():
        series = per[per["entity_id"] == ent["entity_id"]].set_index("period")["n"]
        series = series.reindex(periods, fill_value=0)
        days = [str(pd.Timestamp(p).date()) for p in series.index]
        hover = [f"<b>{ent['display']}</b><br>{day}: {n} mention(s)" for day, n in zip(days, series)]
        style: dict[str, Any] = {"y": series.to_numpy(), "name": ent["display"], "hovertext": hover,
                                 "hoverinfo": "text"}
        if len(periods) == 1:
            fig.add_trace(go.Bar(x=days, **style))
        else:
            fig.add_trace(go.Scatter(x=list(series.index), mode="lines+markers", **style))
    fig.update_layout(title=title, yaxis_title="mentions", xaxis_title="published", barmode="group",
                      legend_title="entity", hovermode="closest")
    if len(periods) == 1:
        fig.update_xaxes(type="category")
    return fig


def source_heatmap(mentions: pd.DataFrame, articles: pd.DataFrame, entities: pd.DataFrame, *,
                   top_n: int = 15, labels: Sequence[str] | None = None, max_sources: int = 20) -> go.Figure:
    """Share of each source's mentions going to each top entity: compares outlets' attention.

    Shares (not raw counts) so a prolific source does not drown the others; counts are in the hover.
    """
    title = "Mentions per source (share of the source's mentions)"
    counts = entity_counts(mentions, entities, labels=labels).head(top_n)
    if counts.empty:
        return _note(title, "No entity mentions in these tables.")
    src = articles[["article_id", "source"]].copy()
    src["source"] = src["source"].fillna(_UNKNOWN_SOURCE)
    m = mentions.merge(src, on="article_id")
    totals = m.groupby("source").size().sort_values(ascending=False).head(max_sources)
    m = m[m["source"].isin(totals.index) & m["entity_id"].isin(counts["entity_id"])]
    grid = m.groupby(["entity_id", "source"]).size().unstack(fill_value=0)
    grid = grid.reindex(index=counts["entity_id"], columns=totals.index, fill_value=0)
    share = grid.div(totals, axis=1)
    rows = list(_display_names(counts))
    cols = [_esc(s) for s in totals.index]
    hover = [[f"<b>{r}</b><br>{c}<br>{grid.iat[i, j]} of {totals.iat[j]} mentions ({share.iat[i, j]:.0%})"
              for j, c in enumerate(cols)] for i, r in enumerate(rows)]
    fig = go.Figure(go.Heatmap(z=share.to_numpy(), x=cols, y=rows, colorscale="Blues", zmin=0,
                               hovertext=hover, hoverinfo="text", colorbar={"title": "share", "tickformat": ".0%"}))
    fig.update_layout(title=title, xaxis_title="source", yaxis={"autorange": "reversed"},
                      height=max(300, 26 * len(rows) + 160))
    return fig


def _table(header: Sequence[str], columns: Sequence[Sequence[object]], *, title: str,
           widths: Sequence[float] | None = None) -> go.Figure:
    fig = go.Figure(go.Table(
        columnwidth=list(widths) if widths else None,
        header={"values": [f"<b>{html.escape(h)}</b>" for h in header], "align": "left", "fill_color": "#e8eef6"},
        cells={"values": [list(c) for c in columns], "align": "left"},
    ))
    lines = sum(max(str(cell).count("<br>") + 1 for cell in row) for row in zip(*columns))
    fig.update_layout(title=title, height=min(900, 110 + 22 * max(lines, 1)),
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


def entity_table(mentions: pd.DataFrame, entities: pd.DataFrame, *, top_n: int = 20,
                 labels: Sequence[str] | None = None, max_aliases: int = 6) -> go.Figure:
    """The top entities with their surface forms, so readers see what was merged into each."""
    title = "Top entities and their aliases"
    counts = entity_counts(mentions, entities, labels=labels).head(top_n)
    if counts.empty:
        return _note(title, "No entity mentions in these tables.")
    aliases = counts["aliases"].map(
        lambda a: ", ".join(_esc(x, limit=40) for x in a[:max_aliases]) + (" …" if len(a) > max_aliases else ""))
    return _table(["entity", "type", "mentions", "articles", "aliases"],
                  [_display_names(counts), counts["label"].map(_esc), counts["n_mentions"],
                   counts["n_articles"], aliases], title=title, widths=[3, 1, 1, 1, 6])


def articles_table(mentions: pd.DataFrame, articles: pd.DataFrame, *, entity_id: str | None,
                   top_n: int = 20) -> go.Figure:
    """The articles that mention ``entity_id`` most, newest first among equals: where to read on."""
    title = "Articles mentioning the focus entity"
    m = mentions[mentions["entity_id"] == entity_id]
    if m.empty:
        return _note(title, "No article mentions the focus entity.")
    per = m.groupby("article_id").size().rename("n").reset_index()
    arts = per.merge(articles[["article_id", "title", "source", "published"]], on="article_id")
    arts = arts.sort_values(["n", "published"], ascending=[False, False], na_position="last").head(top_n)
    published = _utc(arts["published"]).map(lambda p: str(p.date()) if pd.notna(p) else "undated")
    return _table(["title", "source", "published", "mentions"],
                  [arts["title"].map(lambda t: _esc(t, limit=100) or "(untitled)"), arts["source"].map(_esc),
                   published, arts["n"]], title=title, widths=[6, 2, 1.3, 1])


# --- relationships -------------------------------------------------------------------------------


def entity_graph(relations: pd.DataFrame, mentions: pd.DataFrame, entities: pd.DataFrame, *,
                 top_n: int = 40, kinds: Sequence[str] = _EDGE_KINDS, max_evidence: int = 3) -> nx.Graph:
    """An undirected graph of the ``top_n`` most mentioned linked entities.

    Edges merge all relation rows of a pair: ``weight`` counts them, ``kinds`` counts them by
    kind, ``evidence`` keeps the first few sentences. Node ``centrality`` is betweenness within
    the shown graph (cheap at this size, and what the reader sees).
    """
    graph = nx.Graph()
    rel = relations[relations["kind"].isin(list(kinds))
                    & (relations["source_entity_id"] != relations["target_entity_id"])]
    if rel.empty:
        return graph
    counts = entity_counts(mentions, entities).set_index("entity_id")
    linked = pd.unique(pd.concat([rel["source_entity_id"], rel["target_entity_id"]]))
    nodes = counts.loc[counts.index.intersection(linked)].sort_values("n_mentions", ascending=False,
                                                                        kind="stable").head(top_n)
    pairs = rel[rel["source_entity_id"].isin(nodes.index) & rel["target_entity_id"].isin(nodes.index)].copy()
    ends = np.sort(pairs[["source_entity_id", "target_entity_id"]].to_numpy(dtype=object), axis=1)
    pairs["a"], pairs["b"] = ends[:, 0], ends[:, 1]
    for (eid, row), name in zip(nodes.iterrows(), _display_names(nodes.reset_index())):
        graph.add_node(eid, name=name, label=row["label"], n_mentions=int(row["n_mentions"]))
    for (a, b), grp in pairs.groupby(["a", "b"], sort=False):
        graph.add_edge(a, b, weight=len(grp), kinds=grp["kind"].value_counts().to_dict(),
                       evidence=list(grp["evidence"].drop_duplicates().head(max_evidence)))
    graph.remove_nodes_from([n for n, d in graph.degree() if d == 0])
    nx.set_node_attributes(graph, nx.betweenness_centrality(graph), "centrality")
    return graph


def network_figure(graph: nx.Graph, *, seed: int = 7, focus: str | None = None,
                   title: str = "Entity network") -> go.Figure:
    """Spring-layout network: node size by mentions, colour by type, edge width by weight.

    Hovering a node shows its counts and centrality; hovering an edge's midpoint shows the
    relation kinds and evidence sentences. ``focus`` outlines one node.
    """
    if graph.number_of_nodes() == 0:
        return _note(title, "No relations between entities in these tables.")
    pos = nx.spring_layout(graph, seed=seed, weight="weight", k=1.5 / math.sqrt(graph.number_of_nodes()))
    fig = go.Figure()
    max_w = max((w for _, _, w in graph.edges(data="weight")), default=1)
    buckets: dict[int, list[tuple[str, str]]] = {}
    for a, b, w in graph.edges(data="weight"):
        buckets.setdefault(1 + round(5 * math.sqrt(w / max_w)), []).append((a, b))
    for width, edges in sorted(buckets.items()):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for a, b in edges:
            xs += [pos[a][0], pos[b][0], None]
            ys += [pos[a][1], pos[b][1], None]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"width": width, "color": "#b0b0b0"},
                                 hoverinfo="skip", showlegend=False))
    mids, hover = [], []
    for a, b, data in graph.edges(data=True):
        mids.append(((pos[a][0] + pos[b][0]) / 2, (pos[a][1] + pos[b][1]) / 2))
        kinds = ", ".join(f"{_esc(k)} ×{n}" for k, n in sorted(data["kinds"].items()))
        ev = "<br>".join("• " + _wrap(e, limit=220) for e in data["evidence"])
        hover.append(f"<b>{graph.nodes[a]['name']} — {graph.nodes[b]['name']}</b><br>{kinds}<br>{ev}")
    fig.add_trace(go.Scatter(x=[m[0] for m in mids], y=[m[1] for m in mids], mode="markers",
                             marker={"size": 6, "color": "#b0b0b0", "opacity": 0.4}, name="evidence",
                             hovertext=hover, hoverinfo="text", showlegend=False))
    max_m = max(d for _, d in graph.nodes(data="n_mentions"))
    by_label: dict[str, list[str]] = {}
    for node, label in graph.nodes(data="label"):
        by_label.setdefault(str(label), []).append(node)
    for label, nodes in sorted(by_label.items()):
        data = [graph.nodes[n] for n in nodes]
        fig.add_trace(go.Scatter(
            x=[pos[n][0] for n in nodes], y=[pos[n][1] for n in nodes], mode="markers+text", name=_esc(label),
            text=[d["name"] for d in data], textposition="top center",
            marker={"size": [12 + 28 * math.sqrt(d["n_mentions"] / max_m) for d in data], "color": _color(label),
                    "line": {"width": [4 if n == focus else 1 for n in nodes], "color": "#222"}},
            hovertext=[f"<b>{d['name']}</b> ({_esc(label)})<br>{d['n_mentions']} mentions, "
                       f"{graph.degree(n)} neighbours<br>betweenness {d['centrality']:.2f}"
                       for n, d in zip(nodes, data)],
            hoverinfo="text",
        ))
    fig.update_layout(title=title, legend_title="type", hovermode="closest", height=650,
                      xaxis={"visible": False}, yaxis={"visible": False}, plot_bgcolor="white")
    return fig


def ego_network(graph: nx.Graph, focus: str | None, *, radius: int = 1, seed: int = 7) -> go.Figure:
    """The focus entity with its neighbours, to read one actor's connections without the clutter."""
    if focus is None or focus not in graph:
        return _note("Ego network", "The focus entity has no relations in these tables.")
    name = graph.nodes[focus]["name"]
    return network_figure(nx.ego_graph(graph, focus, radius=radius), seed=seed, focus=focus,
                          title=f"Around {name}")


def evidence_table(relations: pd.DataFrame, entities: pd.DataFrame, *, focus: str | None = None,
                   kinds: Sequence[str] = _EDGE_KINDS, top_n: int = 50) -> go.Figure:
    """The sentences behind the edges (of ``focus``, when given), strongest pairs first."""
    title = "Evidence for the relations"
    rel = relations[relations["kind"].isin(list(kinds))]
    if focus is not None:
        rel = rel[(rel["source_entity_id"] == focus) | (rel["target_entity_id"] == focus)]
    if rel.empty:
        return _note(title, "No relations to show.")
    names = entities.set_index("entity_id")["name"]
    rel = rel.assign(pair_n=rel.groupby(["source_entity_id", "target_entity_id"])["kind"].transform("size"))
    rel = rel.sort_values(["pair_n", "article_id", "sentence_id"], ascending=[False, True, True],
                          kind="stable").head(top_n)
    def name(ids: pd.Series) -> list[str]:
        return [_esc(names.get(i, i), limit=50) for i in ids]

    return _table(["source", "target", "kind", "detail", "article", "evidence"],
                  [name(rel["source_entity_id"]), name(rel["target_entity_id"]), rel["kind"].map(_esc),
                   rel["detail"].map(_esc), rel["article_id"].map(_esc),
                   rel["evidence"].map(lambda e: _wrap(e, limit=300, width=65))],
                  title=title, widths=[2, 2, 1.2, 1.3, 2, 6.5])


# --- timeline ------------------------------------------------------------------------------------


def dated_expressions(dates: pd.DataFrame, mentions: pd.DataFrame, entities: pd.DataFrame,
                      articles: pd.DataFrame, sentences: pd.DataFrame, *, top_n: int = 10,
                      labels: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per (dated expression, top entity in its sentence), with sentence and article.

    Expressions without a resolved interval (durations, PRESENT_REF) are left out; those whose
    sentence names none of the top entities get the group "(no entity)".
    """
    cols = ["article_id", "sentence_id", "text", "value", "mod", "granularity", "start", "end",
            "entity_id", "entity", "sentence", "title", "source", "published"]
    d = dates.dropna(subset=["start"]).copy()
    if d.empty:
        return pd.DataFrame(columns=cols)
    d["start"] = _naive_day(d["start"])
    d["end"] = _naive_day(d["end"].fillna(d["start"]))
    counts = entity_counts(mentions, entities, labels=labels).head(top_n)
    counts["entity"] = _display_names(counts)
    ents = mentions[["article_id", "sentence_id", "entity_id"]].drop_duplicates()
    ents = ents.merge(counts[["entity_id", "entity"]], on="entity_id")
    d = d.merge(ents, on=["article_id", "sentence_id"], how="left")
    d["entity"] = d["entity"].fillna(_NO_ENTITY)
    sent = sentences[["article_id", "sentence_id", "text"]].rename(columns={"text": "sentence"})
    d = d.merge(sent, on=["article_id", "sentence_id"], how="left")
    d = d.merge(articles[["article_id", "title", "source", "published"]], on="article_id", how="left")
    return d[cols].reset_index(drop=True)


def _robust_range(values: pd.Series, *, keep: pd.Series | None = None) -> list[pd.Timestamp]:
    """An initial axis range over the 2nd to 98th percentile of ``values`` (and all of ``keep``).

    A few far-off dates ("im 12. Jahrhundert") would otherwise squash the rest into one column;
    they stay in the figure, and Plotly's autoscale button shows them.
    """
    lo, hi = values.quantile(0.02), values.quantile(0.98)
    if keep is not None and not keep.empty:
        lo, hi = min(lo, keep.min()), max(hi, keep.max())
    pad = max((hi - lo) * 0.05, pd.Timedelta(days=30))
    return [lo - pad, hi + pad]


def _sample(df: pd.DataFrame, max_points: int, seed: int) -> tuple[pd.DataFrame, str]:
    """At most ``max_points`` rows (a seeded sample) and a title suffix saying so."""
    if len(df) <= max_points:
        return df, ""
    return df.sample(max_points, random_state=seed).sort_index(), f" (sample of {max_points} of {len(df)})"


def _date_hover(row: Any) -> str:
    span = f"{row.start.date()}" if row.start == row.end else f"{row.start.date()} – {row.end.date()}"
    value = _esc(row.value) + (f" ({_esc(row.mod)})" if isinstance(row.mod, str) else "")
    return (f"<b>{_esc(row.text, limit=60)}</b> → {span}<br>TIMEX3 {value}<br>{_wrap(row.sentence)}"
            f"<br><i>{_esc(row.title, limit=80)}</i> · {_esc(row.source, limit=40) or 'unknown source'}"
            f" · {_esc(row.published.date() if pd.notna(row.published) else 'undated')}")


def timeline_figure(expressions: pd.DataFrame, claims: pd.DataFrame | None = None, *,
                    dates: pd.DataFrame | None = None, max_points: int = 3000, seed: int = 7,
                    title: str = "What the articles date, by entity named in the same sentence") -> go.Figure:
    """Dated expressions on a time axis, one row per entity: points for days, bars for spans.

    ``expressions`` comes from :func:`dated_expressions`. Given ``claims`` and ``dates``, claims
    are added on a "claims" row at the first date their sentence refers to.
    """
    if expressions.empty:
        return _note(title, "No resolved dates in these tables.")
    ex, suffix = _sample(expressions, max_points, seed)
    ex = ex.assign(hover=[_date_hover(r) for r in ex.itertuples()])
    order = ex["entity"].value_counts().index.tolist()
    order = [e for e in order if e != _NO_ENTITY] + ([_NO_ENTITY] if _NO_ENTITY in order else [])
    spans = ex[ex["end"] > ex["start"]]
    days = ex[ex["end"] <= ex["start"]]
    fig = go.Figure()
    if not spans.empty:
        width = (spans["end"] - spans["start"] + pd.Timedelta(days=1)).dt.total_seconds() * 1000
        fig.add_trace(go.Bar(base=spans["start"], x=width, y=spans["entity"], orientation="h",
                             name="months, quarters, years, spans", marker={"color": "#6baed6", "opacity": 0.45},
                             hovertext=spans["hover"], hoverinfo="text"))
    if not days.empty:
        fig.add_trace(go.Scatter(x=days["start"], y=days["entity"], mode="markers", name="days",
                                 marker={"color": "#08519c", "size": 9, "symbol": "circle"},
                                 hovertext=days["hover"], hoverinfo="text"))
    if claims is not None and dates is not None and not claims.empty:
        _add_claims(fig, claims, dates, order)
        order = order + ["claims"]
    fig.update_layout(title=title + suffix, barmode="overlay", hovermode="closest", legend_title="kind",
                      xaxis={"type": "date", "title": "referenced date",
                             "range": _robust_range(pd.concat([ex["start"], ex["end"]]))},
                      yaxis={"categoryorder": "array", "categoryarray": order[::-1], "type": "category"},
                      height=max(320, 34 * len(order) + 160))
    return fig


def _add_claims(fig: go.Figure, claims: pd.DataFrame, dates: pd.DataFrame, order: list[str]) -> None:
    """Claims at the first resolved date of their sentence, one trace per status."""
    first = (dates.dropna(subset=["start"]).sort_values("start_char")
             .drop_duplicates(["article_id", "sentence_id"])[["article_id", "sentence_id", "start", "text"]])
    c = claims.merge(first.rename(columns={"text": "date_text"}), on=["article_id", "sentence_id"])
    if c.empty:
        return
    c["start"] = _naive_day(c["start"])
    symbols = {"asserted": "diamond", "hedged": "diamond-open", "alleged": "x", "denied": "triangle-down"}
    for status, part in c.groupby("status", sort=True):
        hover = [f"<b>claim ({_esc(status)}, {_esc(r.kind)})</b> · {_esc(r.date_text, limit=60)}<br>"
                 f"{_esc(r.source_text, limit=60) or 'unattributed'} {_esc(r.cue_text, limit=30)}: "
                 f"{_wrap(r.text, limit=250)}" for r in part.itertuples()]
        fig.add_trace(go.Scatter(x=part["start"], y=["claims"] * len(part), mode="markers",
                                 name=f"claim: {_esc(status)}",
                                 marker={"symbol": symbols.get(str(status), "diamond"), "size": 11,
                                         "color": "#d62728"},
                                 hovertext=hover, hoverinfo="text"))


def published_vs_referenced(dates: pd.DataFrame, articles: pd.DataFrame, sentences: pd.DataFrame, *,
                            max_points: int = 3000, seed: int = 7) -> go.Figure:
    """Publication date (x) against the date talked about (y): above the diagonal is the future.

    Spans are plotted at their midpoint, with the whole span in the hover; the initial view
    leaves out the farthest few dates (autoscale shows them).
    """
    title = "Publication date vs the dates talked about"
    d = dates.dropna(subset=["start"]).merge(articles[["article_id", "published", "title", "source"]],
                                             on="article_id").dropna(subset=["published"])
    if d.empty:
        return _note(title, "No resolved dates in dated articles.")
    d, suffix = _sample(d, max_points, seed)
    sent = sentences[["article_id", "sentence_id", "text"]].rename(columns={"text": "sentence"})
    d = d.merge(sent, on=["article_id", "sentence_id"], how="left")
    d["start"] = _naive_day(d["start"])
    d["end"] = _naive_day(d["end"].fillna(d["start"]))
    d["published"] = _naive_day(d["published"])
    d["mid"] = d["start"] + (d["end"] - d["start"]) / 2
    d["granularity"] = d["granularity"].fillna("other")
    fig = go.Figure()
    for gran, part in d.groupby("granularity", sort=True):
        fig.add_trace(go.Scatter(x=part["published"], y=part["mid"], mode="markers", name=_esc(gran),
                                 marker={"size": 8, "opacity": 0.7},
                                 hovertext=[_date_hover(r) for r in part.itertuples()], hoverinfo="text"))
    lo, hi = d["published"].min(), d["published"].max()
    fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", name="same day",
                             line={"dash": "dot", "color": "#999"}, hoverinfo="skip"))
    fig.update_layout(title=title + suffix, xaxis_title="published", yaxis_title="referenced date",
                      yaxis_range=_robust_range(d["mid"], keep=d["published"]),
                      xaxis_range=_robust_range(d["published"]),  # one publication day: a month either side
                      legend_title="granularity", hovermode="closest", height=520)
    return fig

"""Who is mentioned: top entities, counts per period, sources compared, aliases, where to read."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from kit.charts._base import (
    UNKNOWN_SOURCE,
    article_labels,
    color,
    display_names,
    esc,
    note,
    table,
    utc,
)
from kit.charts.who import entity_counts

# (largest span in days, pandas period code, strftime of a bin's label, what a bin is called)
_BINS = ((62, "D", "%Y-%m-%d", "day"), (731, "M", "%Y-%m", "month"), (8 * 366, "Q", "", "quarter"),
         (None, "Y", "%Y", "year"))


def choose_bin(dates: pd.Series) -> tuple[str, str]:
    """The period code and its name for counting ``dates``: days, months, quarters or years by span."""
    d = utc(dates).dropna()
    span = (d.max() - d.min()).days if len(d) else 0
    for limit, code, _, name in _BINS:
        if limit is None or span <= limit:
            return code, name
    raise AssertionError("unreachable")


def period_labels(dates: pd.Series, code: str) -> tuple[pd.Series, list[str]]:
    """Each date's bin label, and every bin label from first to last (gaps included, so bars never lie)."""
    periods = utc(dates).dt.tz_convert(None).dt.to_period(code)
    fmt = next(f for _, c, f, _ in _BINS if c == code)

    def label(p: pd.Period) -> str:
        return f"{p.year} Q{p.quarter}" if code == "Q" else p.strftime(fmt)

    full = pd.period_range(periods.min(), periods.max(), freq=code) if len(periods) else []
    return periods.map(label), [label(p) for p in full]


_TYPE_NAMES = {"PER": "People", "ORG": "Organisations", "LOC": "Places", "MISC": "Other names"}


def top_by_type(mentions: pd.DataFrame, entities: pd.DataFrame, *, top_n: int = 10,
                labels: Sequence[str] = ("PER", "ORG", "LOC")) -> go.Figure:
    """The most mentioned people, organisations and places side by side, people first.

    One ranking over all types lets places crowd out every person in a regional corpus; one
    panel per type keeps each in view.
    """
    title = "Most mentioned, by type"
    counts = entity_counts(mentions, entities)
    present = [lab for lab in labels if (counts["label"] == lab).any()]
    if not present:
        return note(title, "No entity mentions in these tables.")
    fig = make_subplots(rows=1, cols=len(present), horizontal_spacing=0.12,
                        subplot_titles=[_TYPE_NAMES.get(lab, esc(lab)) for lab in present])
    for col, label in enumerate(present, start=1):
        part = counts[counts["label"] == label].head(top_n).copy()
        part["display"] = display_names(part)
        fig.add_trace(go.Bar(
            x=part["n_mentions"][::-1], y=part["display"][::-1], orientation="h", name=esc(label),
            marker_color=color(label), showlegend=False, hoverinfo="text",
            hovertext=[f"<b>{d}</b> ({esc(label)})<br>{n} mentions in {a} article(s)" for d, n, a in
                       zip(part["display"][::-1], part["n_mentions"][::-1], part["n_articles"][::-1])]),
            row=1, col=col)
    fig.update_yaxes(type="category", automargin=True)
    fig.update_xaxes(title_text="mentions")
    fig.update_layout(title=title, height=max(320, 26 * top_n + 140), margin={"l": 10})
    return fig


def top_entities_bar(mentions: pd.DataFrame, entities: pd.DataFrame, *, top_n: int = 15,
                     labels: Sequence[str] | None = None) -> go.Figure:
    """Horizontal bars of the most mentioned entities, coloured by type, the top one on top."""
    title = "Most mentioned entities"
    counts = entity_counts(mentions, entities, labels=labels).head(top_n)
    if counts.empty:
        return note(title, "No entity mentions in these tables.")
    counts["display"] = display_names(counts)
    fig = go.Figure()
    for label, part in counts.groupby("label", sort=True):
        fig.add_trace(go.Bar(
            x=part["n_mentions"], y=part["display"], orientation="h", name=esc(label),
            marker_color=color(str(label)),
            hovertext=[f"<b>{d}</b> ({esc(label)})<br>{n} mentions in {a} article(s)"
                       for d, n, a in zip(part["display"], part["n_mentions"], part["n_articles"])],
            hoverinfo="text",
        ))
    fig.update_layout(
        title=title, xaxis_title="mentions", legend_title="type", barmode="overlay",
        yaxis={"categoryorder": "array", "categoryarray": list(counts["display"])[::-1]},
        height=max(300, 28 * len(counts) + 120),
    )
    return fig


def mentions_over_time(mentions: pd.DataFrame, articles: pd.DataFrame, entities: pd.DataFrame, *,
                       top_n: int = 8, labels: Sequence[str] | None = None,
                       entity_ids: Sequence[str] | None = None, title: str | None = None) -> go.Figure:
    """Mentions per day, month, quarter or year (chosen from the span) of the top entities, as stacked bars.

    Every bin between the first and last is drawn, empty ones too, so a quiet year reads as a
    gap and not as a line between two spikes. ``entity_ids`` picks the entities instead of the top.
    """
    counts = entity_counts(mentions, entities, labels=labels)
    counts = counts[counts["entity_id"].isin(entity_ids)] if entity_ids is not None else counts.head(top_n)
    pub = articles[["article_id", "published"]].dropna(subset=["published"])
    m = mentions[mentions["entity_id"].isin(counts["entity_id"])].merge(pub, on="article_id")
    if m.empty:
        undated = articles["published"].isna().sum()
        why = (f"None of the {undated} articles has a publication date." if undated == len(articles)
               else "No mentions of these entities in articles with a publication date.")
        return note(title or "Mentions over time", why)
    code, bin_name = choose_bin(pub["published"])  # the corpus's span, so entities compare on one axis
    title = title or f"Mentions per {bin_name} (by publication date)"
    _, bins = period_labels(pub["published"], code)
    m["bin"], _ = period_labels(m["published"], code)
    per = m.groupby(["entity_id", "bin"]).size()
    counts["display"] = display_names(counts)
    fig = go.Figure()
    for ent in counts.itertuples():
        series = per.get(ent.entity_id, pd.Series(dtype=int)).reindex(bins, fill_value=0)
        fig.add_trace(go.Bar(x=bins, y=series.to_numpy(), name=ent.display, hoverinfo="text",
                             hovertext=[f"<b>{ent.display}</b><br>{b}: {n} mention(s)" for b, n in series.items()]))
    undated = int(articles["published"].isna().sum())
    fig.update_layout(title=title + (f"; {undated} undated article(s) left out" if undated else ""),
                      yaxis_title="mentions", xaxis={"type": "category", "title": f"published ({bin_name})"},
                      barmode="stack", legend_title="entity", hovermode="closest", bargap=0.15)
    return fig


def source_heatmap(mentions: pd.DataFrame, articles: pd.DataFrame, entities: pd.DataFrame, *,
                   top_n: int = 15, labels: Sequence[str] | None = None, max_sources: int = 20) -> go.Figure:
    """Share of each source's mentions going to each top entity: compares outlets' attention.

    Shares (not raw counts) so a prolific source does not drown the others; counts are in the
    hover. With fewer than two sources there is nothing to compare, and the figure says so.
    """
    title = "Mentions per source (share of the source's mentions)"
    counts = entity_counts(mentions, entities, labels=labels).head(top_n)
    if counts.empty:
        return note(title, "No entity mentions in these tables.")
    src = articles[["article_id", "source"]].copy()
    src["source"] = src["source"].fillna(UNKNOWN_SOURCE)
    if src["source"].nunique() < 2:
        only = src["source"].iloc[0] if len(src) else UNKNOWN_SOURCE
        return note("Sources compared", f"All {len(src)} articles come from one source ({only}): "
                                        "there is nothing to compare.")
    m = mentions.merge(src, on="article_id")
    totals = m.groupby("source").size().sort_values(ascending=False).head(max_sources)
    m = m[m["source"].isin(totals.index) & m["entity_id"].isin(counts["entity_id"])]
    grid = m.groupby(["entity_id", "source"]).size().unstack(fill_value=0)
    grid = grid.reindex(index=counts["entity_id"], columns=totals.index, fill_value=0)
    share = grid.div(totals, axis=1)
    rows = list(display_names(counts))
    cols = [esc(s) for s in totals.index]
    hover = [[f"<b>{r}</b><br>{c}<br>{grid.iat[i, j]} of {totals.iat[j]} mentions ({share.iat[i, j]:.0%})"
              for j, c in enumerate(cols)] for i, r in enumerate(rows)]
    fig = go.Figure(go.Heatmap(z=share.to_numpy(), x=cols, y=rows, colorscale="Blues", zmin=0,
                               hovertext=hover, hoverinfo="text", colorbar={"title": "share", "tickformat": ".0%"}))
    fig.update_layout(title=title, xaxis_title="source", yaxis={"autorange": "reversed"},
                      height=max(300, 26 * len(rows) + 160))
    return fig


def _joined(items: object, limit: int) -> str:
    """Up to ``limit`` escaped items of a list cell (a list or numpy array), comma-separated."""
    listed = items.tolist() if hasattr(items, "tolist") else items
    values = [str(x) for x in listed] if isinstance(listed, (list, tuple)) else []
    return ", ".join(esc(x, limit=40) for x in values[:limit]) + (" …" if len(values) > limit else "")


def entity_table(mentions: pd.DataFrame, entities: pd.DataFrame, *, top_n: int = 20,
                 labels: Sequence[str] | None = None, max_aliases: int = 6) -> go.Figure:
    """The top entities with their surface forms and roles, so readers see what was merged into each."""
    title = "Top entities, their aliases and roles"
    counts = entity_counts(mentions, entities, labels=labels).head(top_n)
    if counts.empty:
        return note(title, "No entity mentions in these tables.")
    roles = counts["entity_id"].map(entities.drop_duplicates("entity_id").set_index("entity_id")["roles"])
    return table(["entity", "type", "mentions", "articles", "aliases", "roles"],
                 [display_names(counts), counts["label"].map(esc), counts["n_mentions"], counts["n_articles"],
                  counts["aliases"].map(lambda a: _joined(a, max_aliases)),
                  roles.map(lambda r: _joined(r, 4))], title=title, widths=[3, 1, 1, 1, 5, 3])


def articles_table(mentions: pd.DataFrame, articles: pd.DataFrame, *, entity_id: str | None,
                   top_n: int = 20, name: str | None = None) -> go.Figure:
    """The articles that mention ``entity_id`` most, newest first among equals: where to read on.

    Untitled articles show their opening words; undated ones say so and sort last.
    """
    title = f"Articles mentioning {esc(name)}" if name else "Articles mentioning the focus entity"
    m = mentions[mentions["entity_id"] == entity_id]
    if m.empty:
        return note(title, "No article mentions the focus entity.")
    per = m.groupby("article_id").size().rename("n").reset_index()
    arts = per.merge(article_labels(articles), on="article_id")
    arts = arts.sort_values(["n", "published"], ascending=[False, False], na_position="last").head(top_n)
    return table(["title", "published", "source", "mentions"],
                 [arts["title"], arts["date"], arts["source"], arts["n"]], title=title, widths=[7, 1.4, 2, 1],
                 drop_uninformative=True)

"""What happened when: the dates the articles talk about, as an overview and a zoomable detail."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from kit.charts._base import NO_ENTITY, display_names, esc, naive_day, note, wrap
from kit.charts.who import entity_counts


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
    d["start"] = naive_day(d["start"])
    d["end"] = naive_day(d["end"].fillna(d["start"]))
    counts = entity_counts(mentions, entities, labels=labels).head(top_n)
    counts["entity"] = display_names(counts)
    ents = mentions[["article_id", "sentence_id", "entity_id"]].drop_duplicates()
    ents = ents.merge(counts[["entity_id", "entity"]], on="entity_id")
    d = d.merge(ents, on=["article_id", "sentence_id"], how="left")
    d["entity"] = d["entity"].fillna(NO_ENTITY)
    sent = sentences[["article_id", "sentence_id", "text"]].rename(columns={"text": "sentence"})
    d = d.merge(sent, on=["article_id", "sentence_id"], how="left")
    d = d.merge(articles[["article_id", "title", "source", "published"]], on="article_id", how="left")
    return d[cols].reset_index(drop=True)


def _robust_range(values: pd.Series, *, keep: pd.Series | None = None) -> list[pd.Timestamp]:
    """An initial axis range over the 2nd to 98th percentile of ``values`` (and all of ``keep``).

    A few far-off dates ("im 12. Jahrhundert") would otherwise squash the rest into one column;
    they stay in the figure, and the range slider or autoscale shows them.
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
    value = esc(row.value) + (f" ({esc(row.mod)})" if isinstance(row.mod, str) else "")
    published = row.published.date() if pd.notna(row.published) else "undated"
    return (f"<b>{esc(row.text, limit=60)}</b> → {span}<br>TIMEX3 {value}<br>{wrap(row.sentence)}"
            f"<br><i>{esc(row.title, limit=80) or 'untitled'}</i> · {esc(row.source, limit=40) or 'unknown source'}"
            f" · {published}")


def timeline_overview(expressions: pd.DataFrame, *, title: str = "How much the articles talk about each period"
                      ) -> go.Figure:
    """Dated expressions counted per month, year or decade (chosen from the span), as bars.

    The overview for a century of dates: one bar per bin, every bin from first to last drawn,
    coloured by granularity, so the detail below can be read against it.
    """
    if expressions.empty:
        return note(title, "The articles name no date that could be placed on a calendar.")
    ex = expressions.drop_duplicates(["article_id", "sentence_id", "text", "start"])
    years = ex["start"].dt.year
    lo, hi = int(years.quantile(0.02)), int(years.quantile(0.98))  # a few far-off dates get their own bins
    span = hi - lo
    if span <= 2:
        key, unit = ex["start"].dt.strftime("%Y-%m"), "month"
        full = [p.strftime("%Y-%m") for p in pd.period_range(f"{lo}-01", f"{hi}-12", freq="M")]
    elif span <= 60:
        key, unit = years.astype(str), "year"
        full = [str(y) for y in range(lo, hi + 1)]
    else:
        lo, hi = lo // 10 * 10, hi // 10 * 10
        key, unit = ((years // 10) * 10).astype(str) + "s", "decade"
        full = [f"{y}s" for y in range(lo, hi + 1, 10)]
    level = (years // 10) * 10 if unit == "decade" else years
    before, after = f"before {lo}", f"after {hi + 9 if unit == 'decade' else hi}"
    key = key.where(level >= lo, before).where(level <= hi, after)
    full = ([before] if (level < lo).any() else []) + full + ([after] if (level > hi).any() else [])
    fig = go.Figure()
    for gran, part in ex.assign(bin=key).groupby(ex["granularity"].fillna("other"), sort=True):
        per = part.groupby("bin").size().reindex(full, fill_value=0)
        fig.add_trace(go.Bar(x=full, y=per.to_numpy(), name=esc(gran), hoverinfo="text",
                             hovertext=[f"{b}: {n} {esc(gran)} expression(s)" for b, n in per.items()]))
    fig.update_layout(title=f"{title} (per {unit} referred to)", barmode="stack", yaxis_title="dated expressions",
                      xaxis={"type": "category", "title": f"{unit} referred to"}, legend_title="granularity",
                      height=360, bargap=0.1)
    return fig


def timeline_figure(expressions: pd.DataFrame, claims: pd.DataFrame | None = None, *,
                    dates: pd.DataFrame | None = None, max_points: int = 3000, seed: int = 7, n_labels: int = 12,
                    title: str = "What the articles date, by entity named in the same sentence",
                    empty: str = "No resolved dates in these tables.") -> go.Figure:
    """Dated expressions on a zoomable time axis, one row per entity: points for days, bars for spans.

    ``expressions`` comes from :func:`dated_expressions`. The ``n_labels`` most often named days
    carry a label; the range slider below zooms to any period. Given ``claims`` and ``dates``,
    claims are added on a "claims" row at the first date their sentence refers to.
    """
    if expressions.empty:
        return note(title, empty)
    ex, suffix = _sample(expressions, max_points, seed)
    ex = ex.assign(hover=[_date_hover(r) for r in ex.itertuples()])
    order = ex["entity"].value_counts().index.tolist()
    order = [e for e in order if e != NO_ENTITY] + ([NO_ENTITY] if NO_ENTITY in order else [])
    spans = ex[ex["end"] > ex["start"]]
    days = ex[ex["end"] <= ex["start"]]
    fig = go.Figure()
    if not spans.empty:
        width = (spans["end"] - spans["start"] + pd.Timedelta(days=1)).dt.total_seconds() * 1000
        fig.add_trace(go.Bar(base=spans["start"], x=width, y=spans["entity"], orientation="h",
                             name="months, quarters, years, spans", marker={"color": "#6baed6", "opacity": 0.45},
                             hovertext=spans["hover"], hoverinfo="text"))
    if not days.empty:
        named = days.groupby("start")["article_id"].nunique().sort_values(ascending=False, kind="stable")
        top = set(named.head(n_labels).index)
        first = days.drop_duplicates(["start", "entity"])
        label = first["start"].isin(top) & ~first.duplicated("start")
        text = [f"{esc(t, limit=28)}" if lab else "" for t, lab in zip(first["text"], label)]
        fig.add_trace(go.Scatter(x=days["start"], y=days["entity"], mode="markers", name="days",
                                 marker={"color": "#08519c", "size": 9, "symbol": "circle"},
                                 hovertext=days["hover"], hoverinfo="text"))
        fig.add_trace(go.Scatter(x=first["start"][label], y=first["entity"][label], mode="text",
                                 text=[t for t, lab in zip(text, label) if lab], textposition="top center",
                                 textfont={"size": 11, "color": "#08519c"}, hoverinfo="skip",
                                 name="most named days", showlegend=False))
    if claims is not None and dates is not None and not claims.empty:
        _add_claims(fig, claims, dates)
        order = order + ["claims"]
    fig.update_layout(title=title + suffix, barmode="overlay", hovermode="closest", legend_title="kind",
                      xaxis={"type": "date", "title": "referenced date (drag the slider below to zoom)",
                             "range": _robust_range(pd.concat([ex["start"], ex["end"]])),
                             "rangeslider": {"visible": True, "thickness": 0.08}},
                      yaxis={"categoryorder": "array", "categoryarray": order[::-1], "type": "category"},
                      height=max(380, 34 * len(order) + 220))
    return fig


def _add_claims(fig: go.Figure, claims: pd.DataFrame, dates: pd.DataFrame) -> None:
    """Claims at the first resolved date of their sentence, one trace per status."""
    first = (dates.dropna(subset=["start"]).sort_values("start_char")
             .drop_duplicates(["article_id", "sentence_id"])[["article_id", "sentence_id", "start", "text"]])
    c = claims.merge(first.rename(columns={"text": "date_text"}), on=["article_id", "sentence_id"])
    if c.empty:
        return
    c["start"] = naive_day(c["start"])
    symbols = {"asserted": "diamond", "hedged": "diamond-open", "alleged": "x", "denied": "triangle-down"}
    for status, part in c.groupby("status", sort=True):
        hover = [f"<b>claim ({esc(status)}, {esc(r.kind)})</b> · {esc(r.date_text, limit=60)}<br>"
                 f"{esc(r.source_text, limit=60) or 'unattributed'} {esc(r.cue_text, limit=30)}: "
                 f"{wrap(r.text, limit=250)}" for r in part.itertuples()]
        fig.add_trace(go.Scatter(x=part["start"], y=["claims"] * len(part), mode="markers",
                                 name=f"claim: {esc(status)}",
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
    if articles["published"].isna().all():
        return note(title, f"None of the {len(articles)} articles has a publication date, so there is "
                           "nothing to compare the dates they name with.")
    d = dates.dropna(subset=["start"]).merge(articles[["article_id", "published", "title", "source"]],
                                             on="article_id").dropna(subset=["published"])
    if d.empty:
        return note(title, "No resolved dates in dated articles.")
    d, suffix = _sample(d, max_points, seed)
    sent = sentences[["article_id", "sentence_id", "text"]].rename(columns={"text": "sentence"})
    d = d.merge(sent, on=["article_id", "sentence_id"], how="left")
    d["start"] = naive_day(d["start"])
    d["end"] = naive_day(d["end"].fillna(d["start"]))
    d["published"] = naive_day(d["published"])
    d["mid"] = d["start"] + (d["end"] - d["start"]) / 2
    d["granularity"] = d["granularity"].fillna("other")
    fig = go.Figure()
    for gran, part in d.groupby("granularity", sort=True):
        fig.add_trace(go.Scatter(x=part["published"], y=part["mid"], mode="markers", name=esc(gran),
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

"""One entity's file: who it is (aliases, roles), what it says, what is said about it, whom it meets."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kit.charts._base import EDGE_KINDS, article_labels, day_text, esc, note, table, wrap
from kit.charts.mentions import _joined


def entity_profile(mentions: pd.DataFrame, entities: pd.DataFrame, articles: pd.DataFrame, focus: str | None
                   ) -> go.Figure:
    """Name, type, counts, first and last article, every alias and role of the focus entity."""
    title = "Who this is"
    row = entities[entities["entity_id"] == focus]
    if focus is None or row.empty:
        return note(title, "No focus entity in these tables.")
    e = row.iloc[0]
    m = mentions[mentions["entity_id"] == focus]
    published = pd.to_datetime(articles.loc[articles["article_id"].isin(m["article_id"]), "published"], utc=True)
    forms = m["text"].value_counts()
    fields = [
        ("name", esc(e["name"])), ("type", esc(e["label"])),
        ("mentions", f"{len(m)} in {m['article_id'].nunique()} article(s)"),
        ("first / last article", f"{day_text(published.min())} / {day_text(published.max())}"
         if published.notna().any() else "undated"),
        ("written as", ", ".join(f"{esc(t, limit=40)} ×{n}" for t, n in forms.head(12).items())),
        ("all aliases", _joined(e["aliases"], 20)), ("roles", _joined(e["roles"], 12) or "none found"),
    ]
    return table(["", ""], [[f"<b>{k}</b>" for k, _ in fields], [v for _, v in fields]], title=title, widths=[1, 5])


def claims_by(claims: pd.DataFrame, articles: pd.DataFrame, focus: str | None, *, top_n: int = 40) -> go.Figure:
    """What the focus entity is quoted as saying: claims whose source is the entity."""
    title = "Claims made by this entity"
    c = claims[claims["source_entity_id"] == focus] if focus is not None else claims.iloc[:0]
    if c.empty:
        return note(title, "The tables attribute no claim to this entity.")
    return _claims_table(c, articles, title=f"{title} ({len(c)})", top_n=top_n)


def claims_about(claims: pd.DataFrame, mentions: pd.DataFrame, articles: pd.DataFrame, focus: str | None, *,
                 top_n: int = 40) -> go.Figure:
    """What others claim about the focus entity: claims whose content names it and whose source is someone else."""
    title = "Claims about this entity"
    m = mentions.loc[mentions["entity_id"] == focus, ["article_id", "start_char"]]
    c = claims.merge(m.rename(columns={"start_char": "m_start"}), on="article_id")
    c = c[(c["m_start"] >= c["start_char"]) & (c["m_start"] < c["end_char"])
          & (c["source_entity_id"].fillna("") != (focus or ""))].drop_duplicates("claim_id")
    if c.empty:
        return note(title, "No claim in these tables names this entity in what it claims.")
    return _claims_table(c, articles, title=f"{title} ({len(c)})", top_n=top_n)


def _claims_table(c: pd.DataFrame, articles: pd.DataFrame, *, title: str, top_n: int) -> go.Figure:
    c = c.merge(article_labels(articles), on="article_id", how="left")
    c = c.sort_values("published", ascending=False, na_position="last").head(top_n)
    who = c["source_text"].map(lambda s: esc(s, limit=40) or "<i>unattributed</i>")
    return table(["source", "cue", "status", "what is claimed", "article", "published", "outlet"],
                 [who, c["cue_text"].map(lambda s: esc(s, limit=30)), c["status"].map(esc),
                  c["text"].map(lambda t: wrap(t, limit=280, width=55)), c["title"].fillna(""),
                  c["date"].fillna("undated"), c["source"].fillna("")],
                 title=title, widths=[1.6, 1.2, 1, 5.5, 3, 1.3, 1.4], drop_uninformative=True)


def co_mentioned_bar(relations: pd.DataFrame, entities: pd.DataFrame, focus: str | None, *, top_n: int = 20
                     ) -> go.Figure:
    """The entities most often linked to the focus, as bars split by kind of link."""
    title = "Most often linked to this entity"
    rel = relations[relations["kind"].isin(EDGE_KINDS)] if focus else relations.iloc[:0]
    rel = rel[(rel["source_entity_id"] == focus) ^ (rel["target_entity_id"] == focus)]
    if rel.empty:
        return note(title, "This entity shares no sentence or claim with another entity in these tables.")
    other = rel["target_entity_id"].where(rel["source_entity_id"] == focus, rel["source_entity_id"])
    per = pd.crosstab(other, rel["kind"])
    per = per.loc[per.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top_n]]
    info = entities.drop_duplicates("entity_id").set_index("entity_id")
    names = [f"{esc(info['name'].get(i, i), limit=40)} ({esc(info['label'].get(i, ''))})" for i in per.index]
    fig = go.Figure()
    for kind in per.columns:
        fig.add_trace(go.Bar(x=per[kind].to_numpy(), y=names, orientation="h", name=esc(kind), hoverinfo="text",
                             hovertext=[f"{n}: {v} {esc(kind)} link(s)" for n, v in zip(names, per[kind])]))
    fig.update_layout(title=title, barmode="stack", xaxis_title="sentences linking them", legend_title="link",
                      yaxis={"categoryorder": "array", "categoryarray": names[::-1]},
                      height=max(300, 26 * len(names) + 120))
    fig.update_traces(marker_line_width=0)
    return fig

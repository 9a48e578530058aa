"""Plotly figure builders for the curated notebooks, one module per question.

``who`` decides what the "who" views count (people first: PER, ORG, LOC), ``mentions`` charts
who is named and when, ``network`` who is linked to whom, ``timeline`` the dates the articles
talk about, ``dossier`` one entity. Every builder takes DataFrames of the kit's tables (column
names from ``kit.tables.schemas``), keyword-only options, and returns a figure that is never
empty: with no data it says why in a sentence. Article text is HTML-escaped before it reaches a figure.
"""

from __future__ import annotations

from kit.charts._base import LABEL_COLORS, article_labels, show
from kit.charts.dossier import claims_about, claims_by, co_mentioned_bar, entity_profile
from kit.charts.mentions import (
    articles_table,
    choose_bin,
    entity_table,
    mentions_over_time,
    source_heatmap,
    top_by_type,
    top_entities_bar,
)
from kit.charts.network import ego_graph, ego_network, entity_graph, evidence_table, network_figure
from kit.charts.timeline import dated_expressions, published_vs_referenced, timeline_figure, timeline_overview
from kit.charts.who import (
    UnknownEntityError,
    adjective_rows,
    close_matches,
    entity_counts,
    filter_tables,
    resolve_focus,
    who_mentions,
)

__all__ = [
    "LABEL_COLORS",
    "UnknownEntityError",
    "adjective_rows",
    "article_labels",
    "articles_table",
    "choose_bin",
    "claims_about",
    "claims_by",
    "close_matches",
    "co_mentioned_bar",
    "dated_expressions",
    "ego_graph",
    "ego_network",
    "entity_counts",
    "entity_graph",
    "entity_profile",
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
    "timeline_overview",
    "top_by_type",
    "top_entities_bar",
    "who_mentions",
]

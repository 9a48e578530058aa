"""Chart builders on synthetic tables (several articles, one hostile) and on a single article."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from _notebook_fixtures import XSS_NAME, XSS_TITLE, one_article, write_tables

from kit import charts
from kit.tables.schemas import TABLE_NAMES

Tables = dict[str, pd.DataFrame]


def _read(folder: Path) -> Tables:
    return {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLE_NAMES}


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Tables:
    return _read(write_tables(tmp_path_factory.mktemp("many")))


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Tables:
    return _read(write_tables(tmp_path_factory.mktemp("one"), one_article()))


def _names(t: Tables, ids: list[str]) -> list[str]:
    return [t["entities"].set_index("entity_id").loc[i, "name"] for i in ids]


def _musk(t: Tables) -> str:
    return str(t["entities"].loc[t["entities"]["name"] == "Elon Musk", "entity_id"].iloc[0])


def _no_raw_payload(fig: go.Figure) -> str:
    """The figure's JSON, asserting no hostile markup survives unescaped anywhere in it."""
    text = json.dumps(fig.to_plotly_json(), default=str, ensure_ascii=False)
    for raw in ("<img", "<script", "onerror=\""):
        assert raw not in text
    return text


def test_entity_counts_follow_filters(many: Tables) -> None:
    counts = charts.entity_counts(many["mentions"], many["entities"])
    assert counts.iloc[0]["name"] == "Elon Musk" and counts.iloc[0]["n_mentions"] == 10
    assert counts["n_mentions"].is_monotonic_decreasing
    only_orgs = charts.entity_counts(many["mentions"], many["entities"], labels=["ORG"])
    assert set(only_orgs["label"]) == {"ORG"}
    tagesschau = charts.filter_tables(many, sources=["Tagesschau"])
    assert set(tagesschau["articles"]["article_id"]) == {"a2", "a3", "a6"}
    assert set(tagesschau["mentions"]["article_id"]) <= {"a2", "a3", "a6"}
    august = charts.filter_tables(many, start="2024-08-01", end="2024-08-12")
    assert set(august["articles"]["article_id"]) == {"a3", "a5"}  # end day included, undated a6 dropped


def test_resolve_focus_by_name_alias_or_default(many: Tables) -> None:
    musk = _musk(many)
    assert charts.resolve_focus(many["mentions"], many["entities"]) == musk
    assert charts.resolve_focus(many["mentions"], many["entities"], "musk") == musk  # an alias
    with pytest.raises(KeyError, match="Nobody"):
        charts.resolve_focus(many["mentions"], many["entities"], "Nobody")


@pytest.mark.parametrize("tables", ["many", "single"])
def test_top_entities_bar_puts_the_most_mentioned_on_top(tables: str, request: pytest.FixtureRequest) -> None:
    t: Tables = request.getfixturevalue(tables)
    fig = charts.top_entities_bar(t["mentions"], t["entities"], top_n=5)
    order = list(fig.layout.yaxis.categoryarray)
    assert order[-1] == "Elon Musk"  # Plotly draws the last category at the top
    bars = {y: x for trace in fig.data for x, y in zip(trace.x, trace.y)}
    assert len(bars) == 5 and bars["Elon Musk"] == max(bars.values())
    assert {trace.name for trace in fig.data} <= set(charts.LABEL_COLORS)


def test_hostile_names_are_escaped_everywhere(many: Tables) -> None:
    t = many
    hostile = charts.top_entities_bar(t["mentions"], t["entities"], top_n=20)
    text = _no_raw_payload(hostile)
    assert "&lt;img src=x onerror=" in text
    musk = _musk(t)
    graph = charts.entity_graph(t["relations"], t["mentions"], t["entities"])
    expressions = charts.dated_expressions(t["dates"], t["mentions"], t["entities"], t["articles"], t["sentences"])
    for fig in [
        charts.mentions_over_time(t["mentions"], t["articles"], t["entities"], top_n=20),
        charts.source_heatmap(t["mentions"], t["articles"], t["entities"], top_n=20),
        charts.entity_table(t["mentions"], t["entities"], top_n=20),
        charts.network_figure(graph),
        charts.ego_network(graph, musk),
        charts.evidence_table(t["relations"], t["entities"], focus=musk),
        charts.timeline_figure(expressions, t["claims"], dates=t["dates"]),
        charts.published_vs_referenced(t["dates"], t["articles"], t["sentences"]),
    ]:
        _no_raw_payload(fig)
    titles = _no_raw_payload(charts.articles_table(t["mentions"], t["articles"], entity_id=musk))
    assert "&lt;script&gt;window.__kitXss" in titles and XSS_TITLE not in titles
    assert "&lt;b&gt;Evil&lt;/b&gt; Source" in titles


def test_mentions_over_time_lines_or_single_date_bars(many: Tables, single: Tables) -> None:
    fig = charts.mentions_over_time(many["mentions"], many["articles"], many["entities"], top_n=3)
    assert [t.type for t in fig.data] == ["scatter"] * 3 and fig.data[0].name == "Elon Musk"
    assert sum(fig.data[0].y) == 9  # 10 mentions, one of them in the undated article a6
    one = charts.mentions_over_time(single["mentions"], single["articles"], single["entities"], top_n=3)
    assert [t.type for t in one.data] == ["bar"] * 3
    assert list(one.data[0].x) == ["2024-10-25"] and one.data[0].y[0] == 4


def test_source_heatmap_shares(many: Tables) -> None:
    fig = charts.source_heatmap(many["mentions"], many["articles"], many["entities"], top_n=4)
    heat = fig.data[0]
    assert heat.type == "heatmap" and heat.y[0] == "Elon Musk"
    assert "Tagesschau" in heat.x and "(unknown source)" in heat.x and "&lt;b&gt;Evil&lt;/b&gt; Source" in heat.x
    assert all(0 <= v <= 1 for row in heat.z for v in row)


def test_entity_table_lists_aliases(single: Tables) -> None:
    fig = charts.entity_table(single["mentions"], single["entities"], top_n=3)
    entity, label, n, _, aliases = fig.data[0].cells.values
    assert entity[0] == "Elon Musk" and label[0] == "PER" and n[0] == 4
    assert "Musk" in aliases[0] and "Elon Musk" in aliases[0]


def test_entity_graph_merges_kinds_and_keeps_evidence(many: Tables) -> None:
    g = charts.entity_graph(many["relations"], many["mentions"], many["entities"], top_n=5)
    assert g.number_of_nodes() <= 5 and _musk(many) in g
    tesla = str(many["entities"].loc[many["entities"]["name"] == "Tesla", "entity_id"].iloc[0])
    edge = g.edges[_musk(many), tesla]
    assert edge["kinds"] == {"co_mention": 2, "role": 2} and edge["weight"] == 4
    assert edge["evidence"] == ["Musk ist Tesla-Chef und Kopf von SpaceX."]
    assert all(0 <= c <= 1 for _, c in g.nodes(data="centrality"))


def test_network_figure_sizes_colours_and_hover(many: Tables) -> None:
    g = charts.entity_graph(many["relations"], many["mentions"], many["entities"])
    fig = charts.network_figure(g)
    nodes = {t.name: t for t in fig.data if t.mode == "markers+text"}
    assert set(nodes) <= set(charts.LABEL_COLORS) and sum(len(t.x) for t in nodes.values()) == g.number_of_nodes()
    per = nodes["PER"]
    sizes = dict(zip(per.text, per.marker.size))
    assert sizes["Elon Musk"] == max(sizes.values())
    evidence = next(t for t in fig.data if t.name == "evidence")
    assert len(evidence.x) == g.number_of_edges()
    assert any("Tesla-Chef" in h for h in evidence.hovertext)
    ego = charts.ego_network(g, _musk(many))
    assert ego.layout.title.text == "Around Elon Musk"


def test_relationship_views_on_one_article(single: Tables) -> None:
    g = charts.entity_graph(single["relations"], single["mentions"], single["entities"])
    focus = charts.resolve_focus(single["mentions"], single["entities"])
    assert focus is not None and focus in g
    table = charts.evidence_table(single["relations"], single["entities"], focus=focus)
    source, target, kind, *_ , evidence = table.data[0].cells.values
    assert {"co_mention", "claim", "role"} >= set(kind) and all(ev for ev in evidence)
    assert all("Elon Musk" in (s, t) for s, t in zip(source, target))


def test_empty_tables_give_a_note_not_an_empty_chart(single: Tables) -> None:
    none = {name: df.iloc[0:0] for name, df in single.items()}
    figs = [
        charts.top_entities_bar(none["mentions"], none["entities"]),
        charts.mentions_over_time(none["mentions"], none["articles"], none["entities"]),
        charts.network_figure(charts.entity_graph(none["relations"], none["mentions"], none["entities"])),
        charts.timeline_figure(charts.dated_expressions(none["dates"], none["mentions"], none["entities"],
                                                        none["articles"], none["sentences"])),
        charts.published_vs_referenced(none["dates"], none["articles"], none["sentences"]),
    ]
    for fig in figs:
        assert not fig.data and fig.layout.annotations[0].text


def test_timeline_points_days_and_bars_spans(many: Tables) -> None:
    t = many
    ex = charts.dated_expressions(t["dates"], t["mentions"], t["entities"], t["articles"], t["sentences"])
    assert "P2Y" not in set(ex["value"])  # durations have no interval to draw
    fig = charts.timeline_figure(ex, t["claims"], dates=t["dates"])
    spans = next(tr for tr in fig.data if tr.type == "bar")
    end_2022 = [i for i, h in enumerate(spans.hovertext) if h.startswith("<b>Ende 2022</b>")]
    assert end_2022 and pd.Timestamp(spans.base[end_2022[0]]) == pd.Timestamp("2022-10-01")
    assert spans.x[end_2022[0]] == 92 * 86_400_000  # October to December, in milliseconds
    days = next(tr for tr in fig.data if tr.name == "days")
    assert all("→ 2024-08-11<br>" in h for h in days.hovertext)
    claims = [tr for tr in fig.data if str(tr.name).startswith("claim")]
    assert {tr.name for tr in claims} == {"claim: asserted", "claim: hedged"}
    assert all(set(tr.y) == {"claims"} for tr in claims)
    assert list(fig.layout.yaxis.categoryarray)[-1] == "Elon Musk"
    lo, hi = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert lo < pd.Timestamp("2022-02-01") and hi > pd.Timestamp("2024-11-30")  # every date in view


def test_timeline_and_scatter_on_one_article(single: Tables) -> None:
    t = single
    ex = charts.dated_expressions(t["dates"], t["mentions"], t["entities"], t["articles"], t["sentences"])
    fig = charts.timeline_figure(ex)
    assert {"Elon Musk", "Wladimir Putin"} <= {y for tr in fig.data for y in tr.y}
    scatter = charts.published_vs_referenced(t["dates"], t["articles"], t["sentences"])
    year = next(tr for tr in scatter.data if tr.name == "year")
    assert pd.Timestamp(year.x[0]) == pd.Timestamp("2024-10-25")
    assert pd.Timestamp(year.y[0]).strftime("%Y-%m") == "2022-11"  # the middle of "Ende 2022"


def test_large_inputs_are_sampled(many: Tables) -> None:
    t = many
    ex = charts.dated_expressions(t["dates"], t["mentions"], t["entities"], t["articles"], t["sentences"])
    fig = charts.timeline_figure(ex, max_points=3)
    assert sum(len(tr.y) for tr in fig.data) == 3 and "sample of 3" in fig.layout.title.text


def test_show_embeds_plotlyjs_once_and_no_mathjax(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    monkeypatch.setattr(charts, "_plotlyjs_embedded", False)
    fig = go.Figure(go.Bar(x=[1], y=[XSS_NAME]))
    charts.show(fig)
    charts.show(fig)
    assert shown[0].count("window.PlotlyConfig") == 1 and "window.PlotlyConfig" not in shown[1]
    assert all("MathJax.js" not in s and "<script src" not in s for s in shown)

"""Chart builders on synthetic tables (several articles, one hostile) and on a single article."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from _notebook_fixtures import XSS_NAME, XSS_TITLE, one_article, write_tables

from kit import charts
from kit.charts import _base
from kit.tables.schemas import TABLE_NAMES

Tables = dict[str, pd.DataFrame]


def _read(folder: Path) -> Tables:
    return {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLE_NAMES}


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Tables:
    """Every table as built, MISC and derived adjectives included."""
    return _read(write_tables(tmp_path_factory.mktemp("many")))


@pytest.fixture(scope="module")
def many(raw: Tables) -> Tables:
    """What the notebooks chart by default: people, organisations and places."""
    return charts.filter_tables(raw)


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Tables:
    return charts.filter_tables(_read(write_tables(tmp_path_factory.mktemp("one"), one_article())))


def _id(t: Tables, name: str) -> str:
    return str(t["entities"].loc[t["entities"]["name"] == name, "entity_id"].iloc[0])


def _musk(t: Tables) -> str:
    return _id(t, "Elon Musk")


def _no_raw_payload(fig: go.Figure) -> str:
    """The figure's JSON, asserting no hostile markup survives unescaped anywhere in it."""
    text = json.dumps(fig.to_plotly_json(), default=str, ensure_ascii=False)
    for raw in ("<img", "<script", "onerror=\""):
        assert raw not in text
    return text


def test_who_views_leave_out_misc_and_derived_adjectives(raw: Tables) -> None:
    everything = charts.entity_counts(raw["mentions"], raw["entities"])
    assert everything.iloc[0]["name"] == "russisch" and everything.iloc[0]["n_mentions"] == 12
    who = charts.who_mentions(raw)
    assert set(who["label"]) == {"PER", "ORG", "LOC"}
    assert charts.entity_counts(who, raw["entities"]).iloc[0]["name"] == "Elon Musk"
    with_misc = charts.who_mentions(raw, include_misc=True)
    assert set(with_misc["text"]) >= {"Starlink"} and "russische" not in set(with_misc["text"])
    with_adj = charts.who_mentions(raw, include_adjectives=True)
    assert "russische" in set(with_adj["text"]) and "Starlink" not in set(with_adj["text"])


def test_a_mention_kind_column_decides_what_is_an_adjective(raw: Tables) -> None:
    """Tables with the entities branch's ``mention_kind``: an adjective of any label stays out by default."""
    m = raw["mentions"].copy()
    m["mention_kind"] = "name"
    m.loc[m["text"] == "Putin", "mention_kind"] = "adjective"  # pretend: a LOC/PER-linked adjective
    tables = {**raw, "mentions": m}
    assert "Putin" not in set(charts.who_mentions(tables)["text"])
    assert "russische" in set(charts.who_mentions(tables, include_misc=True)["text"])  # kind "name" now
    assert "Putin" in set(charts.who_mentions(tables, include_adjectives=True)["text"])


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


def test_default_focus_is_the_most_mentioned_person(raw: Tables, many: Tables) -> None:
    assert charts.resolve_focus(raw["mentions"], raw["entities"], prefer=None) == _id(raw, "russisch")
    assert charts.resolve_focus(raw["mentions"], raw["entities"]) == _musk(raw)  # a person, even with MISC in
    orgs = charts.filter_tables(raw, labels=["ORG"])
    assert charts.resolve_focus(orgs["mentions"], orgs["entities"]) == _id(raw, "Tesla")  # no person: the top
    assert charts.resolve_focus(many["mentions"], many["entities"], "musk") == _musk(many)  # an alias


def test_an_unknown_focus_names_close_matches(many: Tables) -> None:
    with pytest.raises(charts.UnknownEntityError, match="did you mean: 'Elon Musk'") as err:
        charts.resolve_focus(many["mentions"], many["entities"], "Elon Mask")
    assert "Nobody" not in str(err.value)
    with pytest.raises(charts.UnknownEntityError, match="'Nobody'") as none:
        charts.resolve_focus(many["mentions"], many["entities"], "Nobody")
    assert "did you mean" not in str(none.value)


@pytest.mark.parametrize("tables", ["many", "single"])
def test_top_entities_bar_puts_the_most_mentioned_on_top(tables: str, request: pytest.FixtureRequest) -> None:
    t: Tables = request.getfixturevalue(tables)
    fig = charts.top_entities_bar(t["mentions"], t["entities"], top_n=5)
    order = list(fig.layout.yaxis.categoryarray)
    assert order[-1] == "Elon Musk"  # Plotly draws the last category at the top
    bars = {y: x for trace in fig.data for x, y in zip(trace.x, trace.y)}
    assert len(bars) == 5 and bars["Elon Musk"] == max(bars.values())
    assert {trace.name for trace in fig.data} <= {"PER", "ORG", "LOC"}


def test_hostile_names_are_escaped_everywhere(many: Tables) -> None:
    from kit import geo

    t = many
    hostile = charts.top_entities_bar(t["mentions"], t["entities"], top_n=20)
    text = _no_raw_payload(hostile)
    assert "&lt;img src=x onerror=" in text
    musk = _musk(t)
    graph = charts.entity_graph(t["relations"], t["mentions"], t["entities"])
    expressions = charts.dated_expressions(t["dates"], t["mentions"], t["entities"], t["articles"], t["sentences"])
    hostile_id = _id(t, XSS_NAME)
    for fig in [
        charts.mentions_over_time(t["mentions"], t["articles"], t["entities"], top_n=20),
        charts.source_heatmap(t["mentions"], t["articles"], t["entities"], top_n=20),
        charts.entity_table(t["mentions"], t["entities"], top_n=20),
        charts.network_figure(graph),
        charts.ego_network(t["relations"], t["mentions"], t["entities"], musk),
        charts.evidence_table(t["relations"], t["entities"], t["articles"], focus=musk),
        charts.evidence_table(t["relations"], t["entities"], t["articles"]),
        charts.timeline_overview(expressions),
        charts.timeline_figure(expressions, t["claims"], dates=t["dates"]),
        charts.published_vs_referenced(t["dates"], t["articles"], t["sentences"]),
        charts.entity_profile(t["mentions"], t["entities"], t["articles"], hostile_id),
        charts.claims_by(t["claims"], t["articles"], hostile_id),
        charts.claims_about(t["claims"], t["mentions"], t["articles"], musk),
        charts.co_mentioned_bar(t["relations"], t["entities"], musk),
        geo.places_map(geo.place_points(t["mentions"], t["entities"])),
    ]:
        _no_raw_payload(fig)
    titles = _no_raw_payload(charts.articles_table(t["mentions"], t["articles"], entity_id=musk))
    assert "&lt;script&gt;window.__kitXss" in titles and XSS_TITLE not in titles
    assert "&lt;b&gt;Evil&lt;/b&gt; Source" in titles


def test_mentions_over_time_are_bars_per_bin_with_gaps(many: Tables, single: Tables) -> None:
    fig = charts.mentions_over_time(many["mentions"], many["articles"], many["entities"], top_n=3)
    assert [t.type for t in fig.data] == ["bar"] * 3 and fig.data[0].name == "Elon Musk"
    assert fig.layout.barmode == "stack" and "per month" in fig.layout.title.text  # March to October 2024
    assert list(fig.data[0].x) == [f"2024-{m:02d}" for m in range(3, 11)]  # empty months drawn too
    assert sum(fig.data[0].y) == 9  # 10 mentions, one of them in the undated article a6
    assert "1 undated article(s) left out" in fig.layout.title.text
    one = charts.mentions_over_time(single["mentions"], single["articles"], single["entities"], top_n=3)
    assert list(one.data[0].x) == ["2024-10-25"] and one.data[0].y[0] == 4
    tesla = charts.mentions_over_time(many["mentions"], many["articles"], many["entities"],
                                      entity_ids=[_id(many, "Tesla")])
    assert [t.name for t in tesla.data] == ["Tesla"]


@pytest.mark.parametrize(("days", "name"), [(10, "day"), (200, "month"), (1500, "quarter"), (9000, "year")])
def test_the_bin_follows_the_span(days: int, name: str) -> None:
    dates = pd.Series([pd.Timestamp("2000-01-01", tz="UTC"), pd.Timestamp("2000-01-01", tz="UTC")
                       + pd.Timedelta(days=days)])
    assert charts.choose_bin(dates)[1] == name


def test_undated_corpus_says_so(single: Tables) -> None:
    arts = single["articles"].assign(published=pd.NaT)
    fig = charts.mentions_over_time(single["mentions"], arts, single["entities"])
    assert not fig.data and "None of the 1 articles has a publication date" in fig.layout.annotations[0].text
    pvr = charts.published_vs_referenced(single["dates"], arts, single["sentences"])
    assert "publication date" in pvr.layout.annotations[0].text


def test_source_heatmap_shares(many: Tables, single: Tables) -> None:
    fig = charts.source_heatmap(many["mentions"], many["articles"], many["entities"], top_n=4)
    heat = fig.data[0]
    assert heat.type == "heatmap" and heat.y[0] == "Elon Musk"
    assert "Tagesschau" in heat.x and "(unknown source)" in heat.x and "&lt;b&gt;Evil&lt;/b&gt; Source" in heat.x
    assert all(0 <= v <= 1 for row in heat.z for v in row)
    one = charts.source_heatmap(single["mentions"], single["articles"], single["entities"])
    assert not one.data and "one source (Wall Street Journal)" in one.layout.annotations[0].text


def test_entity_table_lists_aliases_and_roles(single: Tables) -> None:
    fig = charts.entity_table(single["mentions"], single["entities"], top_n=3)
    entity, label, n, _, aliases, roles = fig.data[0].cells.values
    assert entity[0] == "Elon Musk" and label[0] == "PER" and n[0] == 4
    assert "Musk" in aliases[0] and "Elon Musk" in aliases[0] and roles[0] == "Tesla-Chef"


def test_where_to_read_names_untitled_articles_by_their_opening(many: Tables) -> None:
    fig = charts.articles_table(many["mentions"], many["articles"], entity_id=_id(many, "Tesla"), top_n=10)
    titles, dates, sources, _ = fig.data[0].cells.values
    untitled = [i for i, t in enumerate(titles) if t.startswith("<i>")]
    assert [titles[i] for i in untitled] == ["<i>Tesla meldete im dritten Quartal Gewinne, am 11. August seit zwei…</i>"]
    assert [dates[i] for i in untitled] == ["2024-09-30"]
    assert "(untitled)" not in titles and "(unknown source)" in sources


def test_entity_graph_merges_kinds_and_keeps_evidence(many: Tables) -> None:
    g = charts.entity_graph(many["relations"], many["mentions"], many["entities"], top_n=5)
    assert g.number_of_nodes() <= 5 and _musk(many) in g
    edge = g.edges[_musk(many), _id(many, "Tesla")]
    assert edge["kinds"] == {"co_mention": 2, "role": 2} and edge["weight"] == 4
    assert edge["evidence"] == ["Musk ist Tesla-Chef und Kopf von SpaceX."]
    assert all(0 <= c <= 1 for _, c in g.nodes(data="centrality"))


def test_network_labels_only_the_largest_nodes_and_never_overlap(many: Tables) -> None:
    g = charts.entity_graph(many["relations"], many["mentions"], many["entities"])
    fig = charts.network_figure(g, label_top=3)
    nodes = {t.name: t for t in fig.data if t.mode == "markers+text"}
    assert set(nodes) <= {"PER", "ORG", "LOC"} and sum(len(t.x) for t in nodes.values()) == g.number_of_nodes()
    labels = [x for t in nodes.values() for x in t.text if x]
    assert "Elon Musk" in labels and 1 <= len(labels) <= 3
    per = nodes["PER"]
    sizes = dict(zip(per.hovertext, per.marker.size))
    assert max(sizes, key=sizes.__getitem__).startswith("<b>Elon Musk</b>")
    evidence = next(t for t in fig.data if t.name == "evidence")
    assert len(evidence.x) == g.number_of_edges()
    assert any("Tesla-Chef" in h for h in evidence.hovertext)


def test_label_placement_moves_or_drops_colliding_labels() -> None:
    from kit.charts.network import _place_labels

    pos = {"a": [0.0, 0.0], "b": [0.001, 0.0], "c": [0.002, 0.0], "e": [0.003, 0.0], "f": [0.004, 0.0],
           "d": [1.0, 1.0]}
    places = _place_labels({k: pd.Series(v).to_numpy() for k, v in pos.items()}, ["a", "b", "c", "e", "f", "d"],
                           {k: "Ein langer Name" for k in pos})
    assert [places[k] for k in "abce"] == ["top center", "bottom center", "middle right", "middle left"]
    assert places["d"] == "top center"  # far away: its first choice is free
    assert "f" not in places  # no room left beside it: named on hover only


def test_ego_view_shows_every_neighbour_not_only_the_top(many: Tables) -> None:
    musk = _musk(many)
    top = charts.entity_graph(many["relations"], many["mentions"], many["entities"], top_n=3)
    ego = charts.ego_graph(many["relations"], many["mentions"], many["entities"], musk)
    linked = many["relations"].query("source_entity_id == @musk or target_entity_id == @musk")
    neighbours = (set(linked["source_entity_id"]) | set(linked["target_entity_id"])) - {musk}
    assert set(ego) == neighbours | {musk} and len(neighbours) > top.number_of_nodes()
    fig = charts.ego_network(many["relations"], many["mentions"], many["entities"], musk)
    assert fig.layout.title.text.startswith(f"Around Elon Musk: all {len(neighbours)} linked entities")


def test_evidence_names_the_article_and_every_neighbour(single: Tables, many: Tables) -> None:
    focus = charts.resolve_focus(single["mentions"], single["entities"])
    table = charts.evidence_table(single["relations"], single["entities"], single["articles"], focus=focus)
    other, kind, evidence, title, published, source = table.data[0].cells.values
    assert {k.split(" ")[0] for k in kind} <= {"co_mention", "claim", "role"} and all(evidence)
    assert set(title) == {"Musk und Putin"} and set(published) == {"2024-10-25"}
    assert set(source) == {"Wall Street Journal"} and "Elon Musk" not in other
    musk = _musk(many)
    full = charts.evidence_table(many["relations"], many["entities"], many["articles"], focus=musk, top_n=1)
    names = set(full.data[0].cells.values[0])
    assert len(names) == len(charts.ego_graph(many["relations"], many["mentions"], many["entities"], musk)) - 1


def test_dossier_views(many: Tables) -> None:
    t, musk, trump = many, _musk(many), _id(many, "Donald Trump")
    profile = charts.entity_profile(t["mentions"], t["entities"], t["articles"], musk)
    fields = dict(zip(*profile.data[0].cells.values))
    assert fields["<b>roles</b>"] == "Tesla-Chef" and "Musk ×" in fields["<b>written as</b>"]
    said = charts.claims_by(t["claims"], t["articles"], trump)
    assert list(said.data[0].cells.values[1]) == ["kündigte an"]
    about = charts.claims_about(t["claims"], t["mentions"], t["articles"], musk)
    sources = about.data[0].cells.values[0]
    assert "Donald Trump" in sources and any("unattributed" in s for s in sources)
    bar = charts.co_mentioned_bar(t["relations"], t["entities"], musk)
    assert {tr.name for tr in bar.data} == {"co_mention", "claim", "role"}
    nobody = charts.claims_by(t["claims"], t["articles"], _id(t, "Taiwan"))
    assert not nobody.data and "no claim" in nobody.layout.annotations[0].text


def test_places_map_is_drawn_from_shipped_outlines(many: Tables) -> None:
    from kit import geo

    points = geo.place_points(many["mentions"], many["entities"])
    assert set(points["name"]) == {"Taiwan", "Ukraine"} and set(points["kind"]) == {"country"}
    assert set(points["iso3"]) == {"TWN", "UKR"}
    fig = geo.places_map(points)
    assert fig.data[0].type == "choropleth" and fig.layout.geo.resolution == 110
    script = geo.geo_assets_html()
    assert "PlotlyGeoAssets" in script and "world_110m" in script and "</script>" not in script[8:-9]


def test_a_city_is_located_by_its_german_name() -> None:
    from kit import geo

    entities = pd.DataFrame({"entity_id": ["L1", "L2"], "name": ["München", "Nirgendwo"], "label": ["LOC", "LOC"],
                             "key": ["münchen", "nirgendwo"], "aliases": [["München"], ["Nirgendwo"]]})
    mentions = pd.DataFrame({"article_id": ["a", "a"], "entity_id": ["L1", "L2"], "label": ["LOC", "LOC"],
                             "text": ["München", "Nirgendwo"]})
    points = geo.place_points(mentions, entities)
    assert list(points["name"]) == ["München"] and round(points["lat"].iloc[0]) == 48


def test_empty_tables_give_a_note_not_an_empty_chart(single: Tables) -> None:
    none = {name: df.iloc[0:0] for name, df in single.items()}
    ex = charts.dated_expressions(none["dates"], none["mentions"], none["entities"], none["articles"],
                                  none["sentences"])
    figs = [
        charts.top_entities_bar(none["mentions"], none["entities"]),
        charts.mentions_over_time(none["mentions"], none["articles"], none["entities"]),
        charts.network_figure(charts.entity_graph(none["relations"], none["mentions"], none["entities"])),
        charts.ego_network(none["relations"], none["mentions"], none["entities"], None),
        charts.evidence_table(none["relations"], none["entities"], none["articles"]),
        charts.timeline_overview(ex),
        charts.timeline_figure(ex),
        charts.published_vs_referenced(none["dates"], none["articles"], none["sentences"]),
        charts.entity_profile(none["mentions"], none["entities"], none["articles"], None),
        charts.claims_by(none["claims"], none["articles"], None),
        charts.claims_about(none["claims"], none["mentions"], none["articles"], None),
        charts.co_mentioned_bar(none["relations"], none["entities"], None),
    ]
    for fig in figs:
        assert not fig.data and fig.layout.annotations[0].text.endswith(".")


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
    labels = next(tr for tr in fig.data if tr.name == "most named days")
    assert list(labels.text) == ["am 11. August"]  # the one day, labelled once
    claims = [tr for tr in fig.data if str(tr.name).startswith("claim")]
    assert {tr.name for tr in claims} == {"claim: asserted", "claim: hedged"}
    assert all(set(tr.y) == {"claims"} for tr in claims)
    assert list(fig.layout.yaxis.categoryarray)[-1] == "Elon Musk"
    assert fig.layout.xaxis.rangeslider.visible
    lo, hi = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert lo < pd.Timestamp("2022-02-01") and hi > pd.Timestamp("2024-11-30")  # every date in view


def test_timeline_overview_bins_a_century(many: Tables) -> None:
    ex = charts.dated_expressions(many["dates"], many["mentions"], many["entities"], many["articles"],
                                  many["sentences"])
    fig = charts.timeline_overview(ex)
    x = list(fig.data[0].x)  # 2022 to 2024: months, the quiet ones too
    assert "per month" in fig.layout.title.text and (x[0], x[-1], len(x)) == ("2022-01", "2024-12", 36)
    years = [1900 + 2 * i for i in range(50)] + [1200]  # a century, and one medieval date
    old = pd.DataFrame({"article_id": [str(i) for i in range(51)], "sentence_id": 0, "text": "x",
                        "start": pd.to_datetime([f"{y}-06-01" for y in years]), "granularity": "year"})
    century = charts.timeline_overview(old)
    x = list(century.data[0].x)
    assert "per decade" in century.layout.title.text and x[0] == "before 1900" and x[1] == "1900s"
    assert x[-1] == "1990s" and sum(century.data[0].y) == 51


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
    assert sum(len(tr.y) for tr in fig.data if tr.name != "most named days") == 3
    assert "sample of 3" in fig.layout.title.text


def test_show_embeds_plotlyjs_once_and_no_mathjax(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    monkeypatch.setattr(_base, "_plotlyjs_embedded", False)
    monkeypatch.delenv(_base.PLOTLYJS_ENV, raising=False)
    fig = go.Figure(go.Bar(x=[1], y=[XSS_NAME]))
    charts.show(fig)
    charts.show(fig)
    assert shown[0].count("window.PlotlyConfig") == 1 and "window.PlotlyConfig" not in shown[1]
    assert all("MathJax.js" not in s and "<script src" not in s for s in shown)
    monkeypatch.setattr(_base, "_plotlyjs_embedded", False)
    monkeypatch.setenv(_base.PLOTLYJS_ENV, "external")  # under `kit render`: the page links one copy
    charts.show(fig)
    assert "window.PlotlyConfig" not in shown[2] and html.escape(XSS_NAME) not in shown[2][:0]


def test_people_stay_in_view_where_places_dominate(many: Tables) -> None:
    fig = charts.top_by_type(many["mentions"], many["entities"], top_n=2)
    assert [a.text for a in fig.layout.annotations] == ["People", "Organisations", "Places"]
    assert list(fig.data[0].y)[-1] == "Elon Musk" and {t.name for t in fig.data} == {"PER", "ORG", "LOC"}
    places = charts.filter_tables(many, labels=["LOC"])
    assert [a.text for a in charts.top_by_type(places["mentions"], places["entities"]).layout.annotations] == [
        "Places"]


def test_the_network_takes_its_nodes_in_turn_from_each_type(many: Tables) -> None:
    counts = charts.entity_counts(many["mentions"], many["entities"])
    assert list(counts["label"].head(3)) != ["PER", "ORG", "LOC"]  # a plain top 3 would not mix the types
    g = charts.entity_graph(many["relations"], many["mentions"], many["entities"], top_n=3)
    assert sorted(label for _, label in g.nodes(data="label")) == ["LOC", "ORG", "PER"]
    plain = charts.entity_graph(many["relations"], many["mentions"], many["entities"], top_n=3, balance=False)
    assert set(plain) == set(counts["entity_id"].head(3))


def test_columns_that_say_nothing_are_left_out(single: Tables) -> None:
    arts = single["articles"].assign(published=pd.NaT, source=None)
    fig = charts.articles_table(single["mentions"], arts, entity_id=_musk(single))
    assert [h for h in fig.data[0].header.values] == ["<b>title</b>", "<b>mentions</b>"]
    assert "no article here has a publication date or source" in fig.layout.title.text

"""Who is linked to whom: the entity network, the network around one entity, and the evidence."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kit.charts._base import EDGE_KINDS, article_labels, color, display_names, esc, note, table, wrap
from kit.charts.who import entity_counts


def _pairs(relations: pd.DataFrame, kinds: Sequence[str]) -> pd.DataFrame:
    """Relation rows of ``kinds`` between two different entities, with the pair sorted into ``a``, ``b``."""
    rel = relations[relations["kind"].isin(list(kinds))
                    & (relations["source_entity_id"] != relations["target_entity_id"])].copy()
    ends = np.sort(rel[["source_entity_id", "target_entity_id"]].to_numpy(dtype=object), axis=1)
    rel["a"], rel["b"] = (ends[:, 0], ends[:, 1]) if len(rel) else ([], [])
    return rel


def _graph(pairs: pd.DataFrame, nodes: pd.DataFrame, max_evidence: int) -> nx.Graph:
    graph = nx.Graph()
    for row, name in zip(nodes.itertuples(), display_names(nodes)):
        graph.add_node(row.entity_id, name=name, label=row.label, n_mentions=int(row.n_mentions))
    for (a, b), grp in pairs.groupby(["a", "b"], sort=False):
        if a in graph and b in graph:
            graph.add_edge(a, b, weight=len(grp), kinds=grp["kind"].value_counts().to_dict(),
                           evidence=list(grp["evidence"].drop_duplicates().head(max_evidence)))
    return graph


_PLACES = ("top center", "bottom center", "middle right", "middle left")


def _place_labels(pos: dict[str, np.ndarray], order: Sequence[str], names: dict[str, str], *,
                  width_px: float = 1100, height_px: float = 620) -> dict[str, str]:
    """A text position for each node in ``order`` whose label fits beside it without touching an earlier one.

    Greedy, largest first: tries above, below, right, left; a node whose label fits nowhere is
    left unlabelled (it still names itself on hover).
    """
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    sx = (max(xs) - min(xs) or 1.0) / width_px  # layout units per pixel
    sy = (max(ys) - min(ys) or 1.0) / height_px
    placed: list[tuple[float, float, float, float]] = []
    chosen: dict[str, str] = {}
    for node in order:
        x, y = float(pos[node][0]), float(pos[node][1])
        w, h, r = 7.2 * len(names[node]) * sx, 16 * sy, 12 * sy
        boxes = {"top center": (x - w / 2, x + w / 2, y + r, y + r + h),
                 "bottom center": (x - w / 2, x + w / 2, y - r - h, y - r),
                 "middle right": (x + 12 * sx, x + 12 * sx + w, y - h / 2, y + h / 2),
                 "middle left": (x - 12 * sx - w, x - 12 * sx, y - h / 2, y + h / 2)}
        for place in _PLACES:
            b = boxes[place]
            if not any(b[0] < o[1] and o[0] < b[1] and b[2] < o[3] and o[2] < b[3] for o in placed):
                placed.append(b)
                chosen[node] = place
                break
    return chosen


def _balanced(counts: pd.DataFrame, top_n: int) -> pd.DataFrame:
    """The ``top_n`` rows taken in turn from each type's ranking (people first), most mentioned first.

    A single ranking lets the places of a regional corpus fill the whole network; taking turns
    keeps people and organisations in it whenever the tables link any.
    """
    rank = counts.groupby("label").cumcount()
    order = {"PER": 0, "ORG": 1, "LOC": 2}
    turn = counts.assign(_rank=rank, _type=counts["label"].map(order).fillna(3))
    picked = turn.sort_values(["_rank", "_type"], kind="stable").head(top_n).index
    return counts.loc[counts.index.isin(picked)]


def entity_graph(relations: pd.DataFrame, mentions: pd.DataFrame, entities: pd.DataFrame, *,
                 top_n: int | None = 40, kinds: Sequence[str] = EDGE_KINDS, max_evidence: int = 3,
                 balance: bool = True) -> nx.Graph:
    """An undirected graph of the ``top_n`` most mentioned linked entities (``None``: all of them).

    ``balance`` takes the nodes in turn from each type's ranking (see :func:`_balanced`); without
    it the ``top_n`` most mentioned whatever their type.

    Edges merge all relation rows of a pair: ``weight`` counts them, ``kinds`` counts them by
    kind, ``evidence`` keeps the first few sentences. Node ``centrality`` is betweenness within
    the shown graph (what the reader sees; skipped above 500 nodes, where it is slow).
    """
    pairs = _pairs(relations, kinds)
    if pairs.empty:
        return nx.Graph()
    counts = entity_counts(mentions, entities)
    linked = set(pairs["a"]) | set(pairs["b"])
    nodes = counts[counts["entity_id"].isin(linked)]
    if top_n is not None:
        nodes = _balanced(nodes, top_n) if balance else nodes.head(top_n)
    graph = _graph(pairs, nodes, max_evidence)
    graph.remove_nodes_from([n for n, d in graph.degree() if d == 0])
    if graph.number_of_nodes() <= 500:
        nx.set_node_attributes(graph, nx.betweenness_centrality(graph), "centrality")
    return graph


def network_figure(graph: nx.Graph, *, seed: int = 7, focus: str | None = None, label_top: int = 12,
                   title: str = "Entity network") -> go.Figure:
    """Spring-layout network: node size by mentions, colour by type, edge width by weight.

    Only the ``label_top`` most mentioned nodes (and ``focus``) carry a label, so labels do not
    collide; every node names itself on hover, with its counts and centrality. Hovering an
    edge's midpoint shows the relation kinds and evidence sentences.
    """
    if graph.number_of_nodes() == 0:
        return note(title, "No relations between these entities in these tables.")
    pos = nx.spring_layout(graph, seed=seed, weight="weight", k=1.8 / math.sqrt(graph.number_of_nodes()))
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
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"width": width, "color": "#c4c4c4"},
                                 hoverinfo="skip", showlegend=False))
    mids, hover = [], []
    for a, b, data in graph.edges(data=True):
        mids.append(((pos[a][0] + pos[b][0]) / 2, (pos[a][1] + pos[b][1]) / 2))
        kinds = ", ".join(f"{esc(k)} ×{n}" for k, n in sorted(data["kinds"].items()))
        ev = "<br>".join("• " + wrap(e, limit=220) for e in data["evidence"])
        hover.append(f"<b>{graph.nodes[a]['name']} — {graph.nodes[b]['name']}</b><br>{kinds}<br>{ev}")
    fig.add_trace(go.Scatter(x=[m[0] for m in mids], y=[m[1] for m in mids], mode="markers",
                             marker={"size": 6, "color": "#b0b0b0", "opacity": 0.4}, name="evidence",
                             hovertext=hover, hoverinfo="text", showlegend=False))
    max_m = max(d for _, d in graph.nodes(data="n_mentions"))
    ranked = sorted(graph.nodes, key=lambda n: (-graph.nodes[n]["n_mentions"], graph.nodes[n]["name"]))
    wanted = ([focus] if focus in graph else []) + [n for n in ranked[:label_top] if n != focus]
    places = _place_labels(pos, wanted, {n: html.unescape(graph.nodes[n]["name"]) for n in wanted})
    by_label: dict[str, list[str]] = {}
    for node in ranked:
        by_label.setdefault(str(graph.nodes[node]["label"]), []).append(node)
    for label, nodes in sorted(by_label.items()):
        data = [graph.nodes[n] for n in nodes]
        fig.add_trace(go.Scatter(
            x=[pos[n][0] for n in nodes], y=[pos[n][1] for n in nodes], mode="markers+text", name=esc(label),
            text=[d["name"] if n in places else "" for n, d in zip(nodes, data)],
            textposition=[places.get(n, "top center") for n in nodes],
            textfont={"size": [14 if n == focus else 12 for n in nodes]},
            marker={"size": [10 + 30 * math.sqrt(d["n_mentions"] / max_m) for d in data], "color": color(label),
                    "line": {"width": [4 if n == focus else 1 for n in nodes], "color": "#222"}},
            hovertext=[f"<b>{d['name']}</b> ({esc(label)})<br>{d['n_mentions']} mentions, "
                       f"{graph.degree(n)} neighbours here" + (f"<br>betweenness {d['centrality']:.2f}"
                                                                  if "centrality" in d else "")
                       for n, d in zip(nodes, data)],
            hoverinfo="text",
        ))
    shown = f"{graph.number_of_nodes()} entities; {len(places)} of the most mentioned labelled"
    fig.update_layout(title=f"{title}<br><sup>{shown}, hover a node or an edge's midpoint for the rest</sup>",
                      legend_title="type", hovermode="closest", height=700,
                      xaxis={"visible": False}, yaxis={"visible": False}, plot_bgcolor="white")
    return fig


def ego_graph(relations: pd.DataFrame, mentions: pd.DataFrame, entities: pd.DataFrame, focus: str | None, *,
              kinds: Sequence[str] = EDGE_KINDS, max_evidence: int = 3) -> nx.Graph:
    """The focus entity, every entity linked to it, and the links among those (not limited to a top N)."""
    pairs = _pairs(relations, kinds)
    if focus is None or pairs.empty:
        return nx.Graph()
    own = pairs[(pairs["a"] == focus) | (pairs["b"] == focus)]
    members = set(own["a"]) | set(own["b"])
    counts = entity_counts(mentions, entities)
    graph = _graph(pairs[pairs["a"].isin(members) & pairs["b"].isin(members)],
                   counts[counts["entity_id"].isin(members)], max_evidence)
    graph.remove_nodes_from([n for n, d in graph.degree() if d == 0])
    return graph


def ego_network(relations: pd.DataFrame, mentions: pd.DataFrame, entities: pd.DataFrame, focus: str | None, *,
                seed: int = 7, label_top: int = 15) -> go.Figure:
    """Every neighbour of the focus entity, to read one actor's connections without the clutter."""
    graph = ego_graph(relations, mentions, entities, focus)
    if focus is None or focus not in graph:
        return note("Around the focus entity", "The focus entity has no relations in these tables.")
    name = graph.nodes[focus]["name"]
    return network_figure(graph, seed=seed, focus=focus, label_top=label_top,
                          title=f"Around {name}: all {graph.number_of_nodes() - 1} linked entities")


def evidence_table(relations: pd.DataFrame, entities: pd.DataFrame, articles: pd.DataFrame, *,
                   focus: str | None = None, kinds: Sequence[str] = EDGE_KINDS, top_n: int = 60) -> go.Figure:
    """The sentences behind the edges (of ``focus``, when given), strongest pairs first.

    Every pair gets its first sentence before any pair gets a second, so each neighbour of the
    focus appears; each row names its article by title, date and source.
    """
    title = "Evidence for the relations"
    rel = relations[relations["kind"].isin(list(kinds))]
    if focus is not None:
        rel = rel[(rel["source_entity_id"] == focus) | (rel["target_entity_id"] == focus)]
    if rel.empty:
        return note(title, "No relations to show.")
    names = entities.drop_duplicates("entity_id").set_index("entity_id")["name"]
    pair = rel[["source_entity_id", "target_entity_id"]].apply(lambda r: tuple(sorted(r)), axis=1)
    rel = rel.assign(pair=pair, pair_n=pair.map(pair.value_counts()))
    rel = rel.sort_values(["pair_n", "pair", "article_id", "sentence_id"], ascending=[False, True, True, True],
                          kind="stable")
    rel = rel.assign(rank=rel.groupby("pair").cumcount()).sort_values(["rank", "pair_n"], ascending=[True, False],
                                                                       kind="stable")
    n_pairs = rel["pair"].nunique()
    rel = rel.head(max(top_n, n_pairs))
    rel = rel.merge(article_labels(articles), on="article_id", how="left")

    def other(row: pd.Series) -> str:
        a, b = row["source_entity_id"], row["target_entity_id"]
        if focus is not None:
            return esc(names.get(b if a == focus else a, b if a == focus else a), limit=50)
        return f"{esc(names.get(a, a), limit=40)} — {esc(names.get(b, b), limit=40)}"

    kind = rel["kind"].map(esc) + rel["detail"].map(lambda d: f" ({esc(d, limit=30)})" if isinstance(d, str) else "")
    return table(["linked entity" if focus else "pair", "link", "evidence", "article", "published", "source"],
                 [rel.apply(other, axis=1), kind, rel["evidence"].map(lambda e: wrap(e, limit=300, width=60)),
                  rel["title"].fillna(""), rel["date"].fillna("undated"), rel["source"].fillna("")],
                 title=f"{title}: {n_pairs} linked pair(s), {len(rel)} sentence(s) shown",
                 widths=[2, 1.4, 6, 3, 1.3, 1.5], drop_uninformative=True)

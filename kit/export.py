"""``kit export``: the tables as CSV and Excel with entity names joined in, the network for Gephi.

What an Excel user wants: every id that points at an entity or article gets the name or title
beside it, lists become ``; ``-joined text, timestamps become plain UTC dates and times. The
workbook is written cell by cell as text or numbers, never as formulas, so an article that
begins with ``=`` cannot run anything in a spreadsheet; Excel's 32,767-character cell limit
truncates long article texts there (the CSV keeps them whole). The entity network (every
linked entity, all relation kinds) is written as GraphML and GEXF with networkx's writers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from kit.errors import KitError
from kit.tables.io import table_path
from kit.tables.schemas import TABLE_NAMES

__all__ = ["ExportError", "export", "export_frames", "network"]

EXCEL_CELL_LIMIT = 32767
_TRUNCATED = " … [truncated for Excel; the CSV has the whole text]"


class ExportError(KitError):
    """The tables folder cannot be exported (missing, or not written by ``kit build``)."""


def _text(value: object) -> object:
    """Lists and arrays as ``; ``-joined text (nested ones as JSON); other values unchanged."""
    if isinstance(value, (list, tuple, np.ndarray)):
        items = [v.tolist() if isinstance(v, np.ndarray) else v for v in value]
        if any(isinstance(v, (list, tuple, dict)) for v in items):
            return json.dumps(items, ensure_ascii=False)
        return "; ".join(str(v) for v in items)
    return value


def export_frames(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every table with names joined in beside their ids, lists flattened, timestamps as naive UTC."""
    names = tables["entities"].drop_duplicates("entity_id").set_index("entity_id")["name"]
    titles = tables["articles"].drop_duplicates("article_id").set_index("article_id")["title"]
    out: dict[str, pd.DataFrame] = {}
    for name in TABLE_NAMES:
        df = tables[name].copy()
        inserts: list[tuple[str, str, pd.Series]] = []
        for col in ("entity_id", "source_entity_id", "target_entity_id"):
            if col in df.columns and name != "entities":
                inserts.append((col, col.replace("entity_id", "entity_name").replace("__", "_").lstrip("_")
                                if col != "entity_id" else "entity_name", df[col].map(names)))
        if "article_id" in df.columns and name != "articles":
            inserts.append(("article_id", "article_title", df["article_id"].map(titles)))
        for after, new, values in inserts:
            df.insert(df.columns.get_loc(after) + 1, new, values)
        for col in df.columns:
            if df[col].dtype == object:
                df[col] = df[col].map(_text)
            elif isinstance(df[col].dtype, pd.DatetimeTZDtype):
                df[col] = df[col].dt.tz_convert("UTC").dt.tz_localize(None)
        out[name] = df
    return out


def network(tables: Mapping[str, pd.DataFrame]) -> nx.Graph:
    """The whole entity network: nodes with name, type and counts; edges with kind counts and evidence."""
    from kit.charts.network import entity_graph

    graph = entity_graph(tables["relations"], tables["mentions"], tables["entities"], top_n=None)
    flat = nx.Graph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, label=str(data["name"]), type=str(data["label"]), n_mentions=int(data["n_mentions"]),
                      **({"betweenness": float(data["centrality"])} if "centrality" in data else {}))
    for a, b, data in graph.edges(data=True):
        kinds = {f"n_{k}": int(v) for k, v in data["kinds"].items()}
        flat.add_edge(a, b, weight=int(data["weight"]), evidence=" | ".join(str(e) for e in data["evidence"]),
                      **kinds)
    return flat


def _plain(graph: nx.Graph) -> nx.Graph:
    """Node names as plain text: the charts escape them for Plotly, Gephi shows them raw."""
    import html

    for _, data in graph.nodes(data=True):
        data["label"] = html.unescape(data["label"])
    return graph


def _cell(ws: Any, value: object) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return WriteOnlyCell(ws, value=None)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        if len(value) > EXCEL_CELL_LIMIT:
            value = value[: EXCEL_CELL_LIMIT - len(_TRUNCATED)] + _TRUNCATED
        value = "".join(c for c in value if c in "\t\n\r" or ord(c) >= 32)  # XML 1.0 forbids other controls
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # never a formula
        return cell
    if isinstance(value, (bool, int, float, pd.Timestamp)) or hasattr(value, "isoformat"):
        return WriteOnlyCell(ws, value=value.to_pydatetime() if isinstance(value, pd.Timestamp) else value)
    return _cell(ws, str(value))


def _write_xlsx(frames: Mapping[str, pd.DataFrame], path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, df in frames.items():
        ws = wb.create_sheet(name)
        ws.freeze_panes = "A2"
        ws.append([_cell(ws, c) for c in df.columns])
        for row in df.itertuples(index=False):
            ws.append([_cell(ws, v) for v in row])
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    tmp.replace(path)


def export(tables_dir: Path, *, out: Path) -> list[Path]:
    """Write ``out/<table>.csv``, ``out/tables.xlsx`` and ``out/network.graphml``/``.gexf``; returns the files."""
    import kit

    tables_dir = Path(tables_dir)
    if not tables_dir.is_dir():
        raise ExportError(f"no tables folder at {tables_dir}; run `kit build` first")
    if not table_path(tables_dir, "articles").exists():
        raise ExportError(f"{tables_dir} holds no articles table; is it a folder written by `kit build`?")
    tables = kit.load(tables_dir)
    frames = export_frames(tables)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, df in frames.items():
        path = out / f"{name}.csv"
        df.to_csv(path, index=False, encoding="utf-8-sig")  # the BOM makes Excel read UTF-8
        written.append(path)
    _write_xlsx(frames, out / "tables.xlsx")
    written.append(out / "tables.xlsx")
    graph = _plain(network(tables))
    nx.write_graphml(graph, out / "network.graphml")
    nx.write_gexf(graph, out / "network.gexf")
    written += [out / "network.graphml", out / "network.gexf"]
    return written

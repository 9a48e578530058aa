"""``kit export``: CSV and Excel with names joined in, the network as GraphML and GEXF, all reopened."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import openpyxl
import pandas as pd
import pytest
from _notebook_fixtures import XSS_NAME, XSS_TITLE, Article, Sentence, sample_articles, write_tables
from typer.testing import CliRunner

from kit.cli import app
from kit.export import EXCEL_CELL_LIMIT, ExportError, export
from kit.tables.schemas import TABLE_NAMES


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    formula = Article("f1", "=HYPERLINK(\"http://example.invalid\",\"klick\")", None, "+Quelle",
                      [Sentence(["=1+1 ", ("Elon Musk", "musk"), " schrieb " + "x" * 40_000])])
    tables = write_tables(tmp_path_factory.mktemp("tables"), [*sample_articles(), formula])
    out = tmp_path_factory.mktemp("export")
    export(tables, out=out)
    return out


def test_every_table_as_csv_with_names_beside_ids(exported: Path) -> None:
    for name in TABLE_NAMES:
        assert (exported / f"{name}.csv").is_file()
    rel = pd.read_csv(exported / "relations.csv")
    assert {"source_entity_name", "target_entity_name", "article_title"} <= set(rel.columns)
    role = rel[rel["kind"] == "role"].iloc[0]
    assert (role["source_entity_name"], role["target_entity_name"]) == ("Elon Musk", "Tesla")
    mentions = pd.read_csv(exported / "mentions.csv")
    assert list(mentions.columns[:2]) == ["article_id", "article_title"]  # the BOM does not leak into a name
    assert XSS_NAME in set(mentions["entity_name"])  # data stays as it is: the CSV is for programs too
    entities = pd.read_csv(exported / "entities.csv")
    musk = entities[entities["name"] == "Elon Musk"].iloc[0]
    assert "Musk" in musk["aliases"].split("; ") and musk["roles"] == "Tesla-Chef"
    claims = pd.read_csv(exported / "claims.csv")
    assert "source_entity_name" in claims.columns and claims["content_spans"].str.startswith("[[").all()
    articles = pd.read_csv(exported / "articles.csv")
    assert len(articles.loc[articles["article_id"] == "f1", "text"].iloc[0]) > 40_000  # whole in the CSV


def test_the_workbook_opens_and_never_holds_a_formula(exported: Path) -> None:
    sheets = pd.read_excel(exported / "tables.xlsx", sheet_name=None)
    assert list(sheets) == list(TABLE_NAMES)
    assert XSS_TITLE in set(sheets["articles"]["title"])
    wb = openpyxl.load_workbook(exported / "tables.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    titles = [c.value for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert titles and all(c.data_type == "s" for c in cells if c.value in titles)
    longest = max(len(c.value) for c in cells if isinstance(c.value, str))
    assert longest <= EXCEL_CELL_LIMIT
    published = wb["articles"]["D2"].value
    assert published is not None and getattr(published, "tzinfo", None) is None  # Excel has no time zones


def test_the_network_opens_in_networkx(exported: Path) -> None:
    for graph in (nx.read_graphml(exported / "network.graphml"), nx.read_gexf(exported / "network.gexf")):
        labels = {data["label"]: data for _, data in graph.nodes(data=True)}
        assert labels["Elon Musk"]["type"] == "PER" and labels["Elon Musk"]["n_mentions"] >= 10
        assert XSS_NAME in labels  # names as they are, not HTML-escaped for Plotly
        assert "russisch" in labels or "Starlink" in labels  # every linked entity, not only the who-views'
        musk = next(n for n, d in graph.nodes(data=True) if d["label"] == "Elon Musk")
        tesla = next(n for n, d in graph.nodes(data=True) if d["label"] == "Tesla")
        edge = graph.edges[musk, tesla]
        assert edge["weight"] == 4 and edge["n_role"] == 2 and "Tesla-Chef" in edge["evidence"]


def test_cli_export(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["export", str(tmp_path / "missing"), "--out", str(tmp_path / "o")])
    assert missing.exit_code == 2 and "no tables folder" in missing.output and not (tmp_path / "o").exists()
    (tmp_path / "empty").mkdir()
    empty = runner.invoke(app, ["export", str(tmp_path / "empty"), "--out", str(tmp_path / "o")])
    assert empty.exit_code == 2 and "holds no articles table" in empty.output
    tables = write_tables(tmp_path / "tables")
    ok = runner.invoke(app, ["export", str(tables), "--out", str(tmp_path / "out")])
    assert ok.exit_code == 0 and "tables.xlsx" in ok.output and (tmp_path / "out" / "network.gexf").is_file()
    with pytest.raises(ExportError):
        export(tmp_path / "missing", out=tmp_path / "x")

"""``kit.render``: every curated notebook executes on real and synthetic tables into offline HTML."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import nbformat
import pytest
from _notebook_fixtures import XSS_NAME, XSS_SENTENCE, XSS_TITLE, many_articles, write_tables

import kit
from kit.rendering import RenderError, default_notebooks, inject_parameters, render
from kit.settings import shared_data_dir

NOTEBOOKS = {p.stem: p for p in default_notebooks()}
WIKINEWS = shared_data_dir() / "corpus" / "wikinews_de.jsonl"

# Anything that would make a page reach the network when opened.
_REMOTE = re.compile(
    r"<script[^>]*\bsrc\s*=|<link[^>]*href\s*=\s*[\"']?(https?:)?//|@import|url\(\s*[\"']?(https?:)?//"
    r"|<iframe|MathJax\.js|require\.min\.js|mermaid\.esm",
    re.IGNORECASE,
)


def expected_figures(notebook: Path) -> int:
    """Figures a notebook shows: one per ``charts.show(`` call in its code cells."""
    nb = nbformat.read(notebook, as_version=4)
    return sum(c.source.count("charts.show(") for c in nb.cells if c.cell_type == "code")


def check_page(page: Path) -> str:
    """Assert ``page`` holds all its notebook's figures, plotly.js once, and nothing remote."""
    text = page.read_text(encoding="utf-8")
    assert text.count('class="plotly-graph-div"') == expected_figures(NOTEBOOKS[page.stem])
    assert text.count("window.PlotlyConfig") == 1, "plotly.js must be embedded exactly once"
    assert not _REMOTE.search(text), _REMOTE.search(text)
    assert "data-mime-type=\"application/vnd.jupyter.stderr\"" not in text, "warnings in the output"
    return text


def assert_escaped(texts: list[str]) -> None:
    """No hostile markup survives raw in any page; the hostile name shows, escaped, in some page."""
    for text in texts:
        for raw in (XSS_TITLE, XSS_NAME, XSS_SENTENCE, "<img src=x", "<script>window.__kitXss"):
            assert raw not in text


def _build(inputs: list[Path], out: Path) -> Path:
    kit.build(inputs, out=out, progress=False)
    return out


@pytest.fixture(scope="module")
def synthetic_tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tables(tmp_path_factory.mktemp("tables"))


@pytest.fixture(scope="module")
def synthetic_pages(synthetic_tables: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return render(synthetic_tables, out=tmp_path_factory.mktemp("html"), save_notebooks=True)


def test_default_notebooks_are_the_curated_three() -> None:
    assert sorted(NOTEBOOKS) == ["mentions", "relationships", "timeline"]
    for path in NOTEBOOKS.values():
        nb = nbformat.read(path, as_version=4)
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
        params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(params) == 1 and 'TABLES = "../data/tables"' in params[0].source
        for name in ("START", "END", "LABELS", "TOP_N", "FOCUS_ENTITY", "SOURCES"):
            assert f"\n{name} = " in params[0].source
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit notebooks cleared"


def test_synthetic_pages_hold_every_figure_offline(synthetic_pages: list[Path]) -> None:
    assert [p.name for p in synthetic_pages] == ["mentions.html", "relationships.html", "timeline.html"]
    texts = [check_page(p) for p in synthetic_pages]
    assert_escaped(texts)
    assert any("&lt;img src=x onerror=" in t for t in texts)
    assert "&lt;script&gt;window.__kitXss='title'&lt;" in texts[0]  # Plotly's JSON writes / as \\u002f
    assert not list(synthetic_pages[0].parent.glob(".*.tmp")), "temporary files are cleaned up"


def test_executed_notebooks_are_saved_with_injected_parameters(synthetic_tables: Path,
                                                               synthetic_pages: list[Path]) -> None:
    for page in synthetic_pages:
        nb = nbformat.read(page.with_suffix(".ipynb"), as_version=4)
        tags = [c.metadata.get("tags", []) for c in nb.cells]
        at = tags.index(["parameters"])
        assert tags[at + 1] == ["injected-parameters"]
        assert nb.cells[at + 1].source == f"# Parameters\nTABLES = {str(synthetic_tables.resolve())!r}\n"


def test_parameters_change_what_is_shown(tmp_path: Path) -> None:
    tables = write_tables(tmp_path / "tables")
    params = {"TOP_N": 2, "SOURCES": ["Tagesschau"], "FOCUS_ENTITY": "Tesla", "START": "2024-01-01"}
    [page] = render(tables, out=tmp_path / "html", notebooks=[NOTEBOOKS["mentions"]], parameters=params,
                    save_notebooks=True)
    nb = nbformat.read(page.with_suffix(".ipynb"), as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "TOP_N = 2\n" in injected.source and "SOURCES = ['Tagesschau']\n" in injected.source
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "2 articles," in printed  # a2 and a3: Tagesschau, published since START (a6 is undated)
    text = check_page(page)
    first = json.loads(re.search(r'Plotly\.newPlot\(\s*"[^"]+",\s*(\[.*?\]),\s*\{', text, re.DOTALL).group(1))
    assert sum(len(trace["y"]) for trace in first) == 2


def test_inject_parameters_replaces_and_rejects_code() -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("A = 1", metadata={"tags": ["parameters"]}),
                                         nbformat.v4.new_code_cell("print(A)")])
    inject_parameters(nb, {"A": 2})
    inject_parameters(nb, {"A": 3})
    assert [c.source for c in nb.cells] == ["A = 1", "# Parameters\nA = 3\n", "print(A)"]
    with pytest.raises(RenderError):
        inject_parameters(nb, {"A": object()})
    with pytest.raises(RenderError):
        inject_parameters(nb, {"A = 1; import os; B": 1})


def test_a_failing_notebook_raises_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("TABLES = None", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("raise ValueError('boom')")]), bad)
    (tmp_path / "tables").mkdir()
    with pytest.raises(RenderError, match="bad.ipynb"):
        render(tmp_path / "tables", out=tmp_path / "html", notebooks=[bad])
    assert not list((tmp_path / "html").iterdir())
    with pytest.raises(RenderError, match="not found"):
        render(tmp_path / "missing", out=tmp_path / "html")


def test_sample_article(sample_tables: Path, tmp_path: Path) -> None:
    """The shipped one-article sample: every chart renders (a single date, few entities)."""
    started = time.monotonic()
    pages = render(sample_tables, out=tmp_path / "html")
    print(f"sample: {len(pages)} notebooks in {time.monotonic() - started:.1f}s")
    for page in pages:
        check_page(page)


def test_hostile_article_built_by_kit(tmp_path: Path) -> None:
    record = {"id": "hostile", "title": XSS_TITLE, "published": "2024-08-12", "language": "de",
              "source": "<b>Evil</b>", "text": f"{XSS_SENTENCE} Elon Musk traf {XSS_NAME} am 11. August 2024 "
              f"in Berlin. Laut {XSS_NAME} soll Tesla im November 2024 wachsen."}
    src = tmp_path / "hostile.jsonl"
    src.write_text(json.dumps(record) + "\n", encoding="utf-8")
    pages = render(_build([src], tmp_path / "tables"), out=tmp_path / "html")
    assert_escaped([check_page(p) for p in pages])


@pytest.mark.slow
def test_wikinews_corpus(tmp_path: Path) -> None:
    if not WIKINEWS.is_file():
        pytest.skip(f"shared corpus not available at {WIKINEWS}")
    tables = _build([WIKINEWS], tmp_path / "tables")
    for notebook in NOTEBOOKS.values():
        started = time.monotonic()
        [page] = render(tables, out=tmp_path / "html", notebooks=[notebook])
        print(f"wikinews: {notebook.stem} in {time.monotonic() - started:.1f}s")
        check_page(page)


@pytest.mark.slow
def test_thousand_articles_within_budget(tmp_path: Path) -> None:
    """A corpus-sized table set: each notebook executes and exports in under a minute."""
    tables = write_tables(tmp_path / "tables", many_articles(1000))
    for notebook in NOTEBOOKS.values():
        started = time.monotonic()
        [page] = render(tables, out=tmp_path / "html", notebooks=[notebook])
        elapsed = time.monotonic() - started
        print(f"1000 articles: {notebook.stem} in {elapsed:.1f}s")
        assert elapsed < 60
        check_page(page)

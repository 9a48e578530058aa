"""``kit.render`` and ``kit render``: every curated notebook executes on real and synthetic tables into
offline HTML; the set shares one plotly.js; the article browser and an index are written beside them."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import nbformat
import pytest
from _notebook_fixtures import XSS_NAME, XSS_SENTENCE, XSS_TITLE, many_articles, write_tables
from typer.testing import CliRunner

import kit
from kit.cli import app
from kit.rendering import (
    PLOTLYJS_FILE,
    RenderError,
    default_notebooks,
    find_notebooks,
    inject_parameters,
    render,
)
from kit.settings import shared_data_dir

NOTEBOOKS = {p.stem: p for p in default_notebooks()}
WIKINEWS = shared_data_dir() / "corpus" / "wikinews_de.jsonl"
SHARED_PLOTLYJS = f'<script src="{PLOTLYJS_FILE}" charset="utf-8"></script>'

# Anything that would make a page reach the network when opened (the shared plotly.js beside it is local).
_REMOTE = re.compile(
    r"<script[^>]*\bsrc\s*=(?!\s*\"plotly\.min\.js\")|<link[^>]*href\s*=\s*[\"']?(https?:)?//"
    r"|@import|url\(\s*[\"']?(https?:)?//|<iframe|MathJax\.js|require\.min\.js|mermaid\.esm",
    re.IGNORECASE,
)


def expected_figures(notebook: Path) -> int:
    """Figures a notebook shows: one per ``charts.show(`` or ``geo.show_map(`` call in its code cells."""
    nb = nbformat.read(notebook, as_version=4)
    return sum(c.source.count("charts.show(") + c.source.count("geo.show_map(")
               for c in nb.cells if c.cell_type == "code")


def check_page(page: Path, *, shared: bool = True) -> str:
    """Assert ``page`` holds all its notebook's figures, plotly.js once (inline or beside it), nothing remote."""
    text = page.read_text(encoding="utf-8")
    assert text.count('class="plotly-graph-div"') == expected_figures(NOTEBOOKS[page.stem])
    if shared:
        assert text.count(SHARED_PLOTLYJS) == 1 and "window.PlotlyConfig" not in text
        assert (page.parent / PLOTLYJS_FILE).stat().st_size > 1_000_000
    else:
        assert text.count("window.PlotlyConfig") == 1 and SHARED_PLOTLYJS not in text
    assert not _REMOTE.search(text), _REMOTE.search(text)
    assert "data-mime-type=\"application/vnd.jupyter.stderr\"" not in text, "warnings in the output"
    return text


def assert_escaped(texts: list[str]) -> None:
    """No hostile markup survives raw in any page."""
    for text in texts:
        for raw in (XSS_TITLE, XSS_NAME, XSS_SENTENCE, "<img src=x", "<script>window.__kitXss"):
            assert raw not in text


def _build(inputs: list[Path], out: Path) -> Path:
    kit.build(inputs, out=out, progress=False)
    return out


def _printed(nb_path: Path) -> str:
    nb = nbformat.read(nb_path, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.fixture(scope="module")
def synthetic_tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tables(tmp_path_factory.mktemp("tables"))


@pytest.fixture(scope="module")
def synthetic_pages(synthetic_tables: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return render(synthetic_tables, out=tmp_path_factory.mktemp("html"), save_notebooks=True)


def test_default_notebooks_are_the_curated_five() -> None:
    assert sorted(NOTEBOOKS) == ["dossier", "mentions", "places", "relationships", "timeline"]
    for path in NOTEBOOKS.values():
        nb = nbformat.read(path, as_version=4)
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
        params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(params) == 1 and 'TABLES = "../data/tables"' in params[0].source
        for name in ("START", "END", "LABELS", "INCLUDE_ADJECTIVES", "TOP_N", "FOCUS_ENTITY", "SOURCES"):
            assert f"\n{name} = " in params[0].source
        assert 'LABELS = ["PER", "ORG", "LOC"]' in params[0].source  # people first
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit notebooks cleared"


def test_synthetic_pages_hold_every_figure_offline(synthetic_pages: list[Path]) -> None:
    assert [p.name for p in synthetic_pages] == [f"{n}.html" for n in sorted(NOTEBOOKS)]
    texts = [check_page(p) for p in synthetic_pages]
    assert_escaped(texts)
    assert any("&lt;img src=x onerror=" in t for t in texts)
    assert "&lt;script&gt;window.__kitXss='title'&lt;" in texts[1]  # mentions; Plotly's JSON writes / as \\u002f
    out = synthetic_pages[0].parent
    assert not list(out.glob(".*.tmp")), "temporary files are cleaned up"
    assert "PlotlyGeoAssets" in (out / "places.html").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{p.name}"' in index for p in synthetic_pages) and 'href="articles.html"' in index
    browser = (out / "articles.html").read_text(encoding="utf-8")
    assert_escaped([browser])
    assert "<script src" not in browser and "\\u003cscript\\u003ewindow.__kitXss" in browser


def test_executed_notebooks_are_saved_with_injected_parameters(synthetic_tables: Path,
                                                               synthetic_pages: list[Path]) -> None:
    for page in synthetic_pages:
        nb = nbformat.read(page.with_suffix(".ipynb"), as_version=4)
        tags = [c.metadata.get("tags", []) for c in nb.cells]
        at = tags.index(["parameters"])
        assert tags[at + 1] == ["injected-parameters"]
        assert nb.cells[at + 1].source == f"# Parameters\nTABLES = {str(synthetic_tables.resolve())!r}\n"
        assert "focus: Elon Musk" in _printed(page.with_suffix(".ipynb"))  # the most mentioned person


def test_parameters_change_what_is_shown(tmp_path: Path) -> None:
    tables = write_tables(tmp_path / "tables")
    params = {"TOP_N": 2, "SOURCES": ["Tagesschau"], "FOCUS_ENTITY": "Tesla", "START": "2024-01-01"}
    [page] = render(tables, out=tmp_path / "html", notebooks=["mentions"], parameters=params, save_notebooks=True)
    nb = nbformat.read(page.with_suffix(".ipynb"), as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "TOP_N = 2\n" in injected.source and "SOURCES = ['Tagesschau']\n" in injected.source
    printed = _printed(page.with_suffix(".ipynb"))
    assert "2 articles," in printed and "focus: Tesla" in printed  # a2 and a3: Tagesschau, since START
    text = check_page(page, shared=False)  # one page: self-contained
    plots = re.findall(r'Plotly\.newPlot\(\s*"[^"]+",\s*(\[.*?\]),\s*\{', text, re.DOTALL)
    assert sum(len(trace["y"]) for trace in json.loads(plots[1])) == 2  # the overall top, after the by-type panels
    assert not (tmp_path / "html" / "articles.html").exists()  # the browser comes with the whole set


def test_misc_and_adjectives_only_on_request(tmp_path: Path) -> None:
    tables = write_tables(tmp_path / "tables")
    [page] = render(tables, out=tmp_path / "html", notebooks=["mentions"], save_notebooks=True,
                    parameters={"LABELS": ["PER", "ORG", "LOC", "MISC"], "INCLUDE_ADJECTIVES": True})
    assert "focus: Elon Musk" in _printed(page.with_suffix(".ipynb"))  # still a person
    text = page.read_text(encoding="utf-8")
    assert '"russisch"' in text and '"Starlink"' in text


def test_notebooks_by_name_and_clear_errors(synthetic_tables: Path, tmp_path: Path) -> None:
    assert find_notebooks(["mentions", "timeline.ipynb"]) == [NOTEBOOKS["mentions"], NOTEBOOKS["timeline"]]
    with pytest.raises(RenderError, match="no notebook 'mentionz': did you mean mentions"):
        find_notebooks(["mentionz"])
    with pytest.raises(RenderError, match="unknown parameter 'TOPN': did you mean TOP_N"):
        render(synthetic_tables, out=tmp_path / "a", parameters={"TOPN": 3})
    with pytest.raises(RenderError, match=r"dossier: no entity named 'Elon Mask'.*did you mean: 'Elon Musk'") as err:
        render(synthetic_tables, out=tmp_path / "b", notebooks=["dossier"], parameters={"FOCUS_ENTITY": "Elon Mask"})
    assert "Traceback" not in str(err.value) and len(str(err.value).splitlines()) == 1
    assert not (tmp_path / "b" / "dossier.html").exists()


def test_cli_render_exit_codes(synthetic_tables: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    cases = [
        (["render", str(tmp_path / "missing"), "--out", str(tmp_path / "o1")], "no tables folder"),
        (["render", str(tmp_path), "--out", str(tmp_path / "o2")], "holds no articles table"),
        (["render", str(synthetic_tables), "--out", str(tmp_path / "o3"), "-n", "mentionz"], "did you mean mentions"),
        (["render", str(synthetic_tables), "--out", str(tmp_path / "o4"), "--param", "TOPN=3"], "did you mean TOP_N"),
        (["render", str(synthetic_tables), "--out", str(tmp_path / "o5"), "-n", "mentions",
          "--param", "FOCUS_ENTITY=Elon Mask"], "did you mean: 'Elon Musk'"),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o1").exists() and not (tmp_path / "o2").exists()
    ok = runner.invoke(app, ["render", str(synthetic_tables), "--out", str(tmp_path / "ok"), "-n", "mentions"])
    assert ok.exit_code == 0 and ok.output.strip().endswith("mentions.html")


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
    with pytest.raises(RenderError, match="bad.ipynb failed on .*ValueError: boom"):
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
              f"in Berlin. Laut {XSS_NAME} soll Tesla im November 2024 wachsen. 🚀 Ende."}
    src = tmp_path / "hostile.jsonl"
    src.write_text(json.dumps(record) + "\n", encoding="utf-8")
    pages = render(_build([src], tmp_path / "tables"), out=tmp_path / "html")
    assert_escaped([check_page(p) for p in pages] + [(tmp_path / "html" / "articles.html").read_text("utf-8")])


@pytest.mark.slow
def test_wikinews_corpus(tmp_path: Path) -> None:
    """The bars on the shared corpus: no derived adjective among the default bars, a person in focus."""
    if not WIKINEWS.is_file():
        pytest.skip(f"shared corpus not available at {WIKINEWS}")
    tables = _build([WIKINEWS], tmp_path / "tables")
    started = time.monotonic()
    pages = render(tables, out=tmp_path / "html", save_notebooks=True)
    print(f"wikinews: {len(pages)} notebooks in {time.monotonic() - started:.1f}s")
    for page in pages:
        check_page(page)
    text = (tmp_path / "html" / "mentions.html").read_text(encoding="utf-8")
    by_type, overall = (json.loads(m) for m in re.findall(r'Plotly\.newPlot\(\s*"[^"]+",\s*(\[.*?\]),\s*\{',
                                                          text, re.DOTALL)[:2])
    for bars, n in ((by_type, 30), (overall, 15)):  # 10 people, organisations and places; the overall top 15
        names = [y for trace in bars for y in trace["y"]]
        assert len(names) == n and all(x[:1].isupper() for x in names), names  # "deutsch", "russisch" stay out
        assert {trace["name"] for trace in bars} <= {"PER", "ORG", "LOC"}
    focus = re.search(r"focus: (.+)", _printed(tmp_path / "html" / "mentions.ipynb")).group(1)
    loaded = kit.load(tables)["entities"]
    assert set(loaded.loc[loaded["name"] == focus, "label"]) == {"PER"}


@pytest.mark.slow
def test_thousand_articles_within_budget(tmp_path: Path) -> None:
    """A corpus-sized table set: each notebook executes and exports in under a minute."""
    tables = write_tables(tmp_path / "tables", many_articles(1000))
    for name in sorted(NOTEBOOKS):
        started = time.monotonic()
        [page] = render(tables, out=tmp_path / "html", notebooks=[name], self_contained=False)
        elapsed = time.monotonic() - started
        print(f"1000 articles: {name} in {elapsed:.1f}s")
        assert elapsed < 60
        check_page(page)
    started = time.monotonic()
    from kit.browser import write_browser

    browser = write_browser(kit.load(tables), tmp_path / "html" / "articles.html")
    print(f"1000 articles: browser {browser.stat().st_size / 1e6:.1f} MB in {time.monotonic() - started:.1f}s")
    assert browser.stat().st_size < 8_000_000

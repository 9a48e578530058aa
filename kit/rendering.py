"""Execute the curated notebooks on a folder of tables and export them as HTML pages that work offline.

Parameters are injected papermill-style (a cell tagged ``injected-parameters`` after the one
tagged ``parameters``), notebooks run under nbclient, and nbconvert exports them with a template
that loads nothing from the network: no require.js, MathJax, mermaid or widget scripts. A set of
pages shares one ``plotly.min.js`` written beside them (5 MB once, not per page); a single page,
or ``self_contained=True``, embeds it. The article browser (``kit.browser``) and an index page
are written beside the notebooks' pages.
"""

from __future__ import annotations

import ast
import html
import importlib.resources
import os
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import nbformat
from jinja2 import DictLoader
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter
from tqdm import tqdm

from kit.errors import KitError
from kit.settings import PACKAGE_DIR, PROJECT_DIR

__all__ = ["NOTEBOOKS_DIR", "PLOTLYJS_FILE", "RenderError", "default_notebooks", "find_notebooks",
           "inject_parameters", "notebook_parameters", "render"]


def _notebooks_dir() -> Path:
    """The shipped notebooks: ``kit/notebooks`` inside an installed wheel, ``notebooks/`` in a checkout."""
    packaged = Path(str(importlib.resources.files("kit").joinpath("notebooks")))
    return packaged if packaged.is_dir() and any(packaged.glob("*.ipynb")) else PROJECT_DIR / "notebooks"


NOTEBOOKS_DIR = _notebooks_dir()
PLOTLYJS_FILE = "plotly.min.js"
BROWSER_FILE = "articles.html"

# Extends JupyterLab's template, emptying every block that would load a script from a CDN.
_OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""
# The kernel warns on every start that local TCP is unencrypted: noise in `kit render`'s output.
_KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]
_REMOTE_SCRIPT = re.compile(r"<script[^>]+src\s*=\s*[\"']?\s*(https?:)?//", re.IGNORECASE)
# Errors a notebook raises on purpose about its parameters: shown as one line, not a traceback.
_USER_ERRORS = ("UnknownEntityError",)


class RenderError(KitError):
    """A notebook failed to execute, was not found, or its page would load code from the network."""


def default_notebooks() -> list[Path]:
    """The curated notebooks shipped with the kit."""
    return sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def find_notebooks(names: Sequence[str | Path]) -> list[Path]:
    """Notebooks by shipped name (``mentions``) or by path; an unknown name lists the shipped ones."""
    from kit.charts.who import close_matches

    shipped = {p.stem: p for p in default_notebooks()}
    found: list[Path] = []
    for name in names:
        path = Path(name)
        if path.suffix == ".ipynb" and path.is_file():
            found.append(path)
        elif path.stem in shipped and (path.suffix in ("", ".ipynb")) and len(path.parts) == 1:
            found.append(shipped[path.stem])
        else:
            near = close_matches(path.stem, shipped)
            hint = f"did you mean {', '.join(near)}? " if near else ""
            raise RenderError(f"no notebook {str(name)!r}: {hint}the shipped ones are {', '.join(shipped)} "
                              "(or give the path of an .ipynb file)")
    return found


def notebook_parameters(path: Path) -> list[str]:
    """The names assigned in a notebook's ``parameters`` cell."""
    nb = nbformat.read(path, as_version=4)
    names: list[str] = []
    for cell in nb.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            for node in ast.parse(cell.source).body:
                if isinstance(node, ast.Assign):
                    names += [t.id for t in node.targets if isinstance(t, ast.Name)]
    return names


def _check_parameters(paths: Sequence[Path], parameters: Mapping[str, Any]) -> None:
    from kit.charts.who import close_matches

    known = {name for p in paths for name in notebook_parameters(p)}
    for name in parameters:
        if name not in known:
            near = close_matches(name, known, n=3)
            hint = f"did you mean {', '.join(near)}? " if near else ""
            raise RenderError(f"unknown parameter {name!r}: {hint}the notebooks take {', '.join(sorted(known))}")


def _literal(name: str, value: Any) -> str:
    """``value`` as Python source; only literals, so a parameter can never inject code."""
    if isinstance(value, Path):
        value = str(value)
    source = repr(value)
    try:
        same = ast.literal_eval(source) == value
    except (ValueError, SyntaxError):
        same = False
    if not same or not name.isidentifier():
        raise RenderError(f"parameter {name}={value!r} is not a Python literal with a valid name")
    return source


def inject_parameters(nb: nbformat.NotebookNode, parameters: Mapping[str, Any]) -> None:
    """Insert (or replace) the ``injected-parameters`` cell after the ``parameters`` cell, like papermill."""
    cells = [c for c in nb.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    source = "# Parameters\n" + "".join(f"{k} = {_literal(k, v)}\n" for k, v in parameters.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    at = next((i + 1 for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])), 0)
    cells.insert(at, cell)
    nb.cells = cells


def _exporter() -> HTMLExporter:
    return HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"kit_offline.html.j2": _OFFLINE_TEMPLATE})],
                        template_file="kit_offline.html.j2")


def _write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder, so readers never see half a page."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _kernel_env(shared_plotlyjs: bool) -> dict[str, str]:
    """The renderer's environment, with this ``kit`` first on the kernel's import path."""
    from kit.charts._base import PLOTLYJS_ENV

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PACKAGE_DIR.parent), env.get("PYTHONPATH")) if p)
    env[PLOTLYJS_ENV] = "external" if shared_plotlyjs else "inline"
    return env


def _write_plotlyjs(out: Path) -> None:
    """``out/plotly.min.js`` from the installed plotly, rewritten only when it differs."""
    from plotly.offline import get_plotlyjs

    target = out / PLOTLYJS_FILE
    code = get_plotlyjs()
    if not target.exists() or target.read_text(encoding="utf-8") != code:
        _write_atomic(target, code)


def _link_plotlyjs(page: str) -> str:
    """Load the shared plotly.js (a relative path beside the page) before any figure."""
    tag = f'<script src="{PLOTLYJS_FILE}" charset="utf-8"></script>\n'
    return page.replace("</head>", tag + "</head>", 1)


def _error_message(path: Path, tables: Path, exc: CellExecutionError) -> str:
    ename, evalue = getattr(exc, "ename", ""), getattr(exc, "evalue", "")
    if ename in _USER_ERRORS:
        return f"{path.stem}: {evalue}"
    return f"{path.name} failed on {tables}: {ename}: {evalue}"


def _index_page(pages: Sequence[Path], browser: Path | None) -> str:
    items = [(p.name, p.stem.replace("_", " ")) for p in pages]
    if browser is not None:
        items.append((browser.name, "article browser: every article with its entities, dates and claims"))
    links = "".join(f'<li><a href="{html.escape(href)}">{html.escape(text)}</a></li>' for href, text in items)
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>kit: rendered notebooks</title></head>"
            f"<body style='font:16px system-ui;margin:2em'><h1>Rendered notebooks</h1><ul>{links}</ul></body></html>")


def render(
    tables: Path,
    *,
    out: Path,
    notebooks: Sequence[str | Path] | None = None,
    parameters: dict[str, Any] | None = None,
    timeout: int = 600,
    save_notebooks: bool = False,
    self_contained: bool | None = None,
    browser: bool | None = None,
) -> list[Path]:
    """Execute each notebook on ``tables`` and write ``out/<name>.html``; returns the notebook pages.

    ``notebooks`` are shipped names (``"mentions"``) or paths (default: all shipped ones);
    ``parameters`` override the notebooks' defaults (``TABLES`` is always ``tables``) and must be
    names their parameters cells define; ``timeout`` bounds each cell in seconds;
    ``save_notebooks`` also writes the executed ``out/<name>.ipynb``. ``self_contained`` embeds
    plotly.js in every page (default: only when rendering one page); otherwise it is written once
    as ``out/plotly.min.js``. ``browser`` also writes ``out/articles.html`` and ``out/index.html``
    (default: when rendering the shipped set).
    """
    tables = Path(tables).resolve()
    if not tables.is_dir():
        raise RenderError(f"tables folder not found: {tables}")
    paths = default_notebooks() if notebooks is None else find_notebooks(notebooks)
    if not paths:
        raise RenderError(f"no notebooks to render (looked in {NOTEBOOKS_DIR})")
    _check_parameters(paths, parameters or {})
    params = {**(parameters or {}), "TABLES": str(tables)}
    shared = not (self_contained if self_contained is not None else len(paths) == 1)
    with_browser = browser if browser is not None else notebooks is None
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    exporter = _exporter()
    pages: list[tuple[Path, str, nbformat.NotebookNode]] = []
    for path in tqdm(paths, desc="Rendering notebooks", unit="notebook", file=sys.stderr):
        nb = nbformat.read(path, as_version=4)
        inject_parameters(nb, params)
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", extra_arguments=_KERNEL_ARGS,
                                resources={"metadata": {"path": str(path.resolve().parent)}})
        try:
            client.execute(env=_kernel_env(shared))
        except CellExecutionError as exc:
            raise RenderError(_error_message(path, tables, exc)) from exc
        page, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        if _REMOTE_SCRIPT.search(page):
            raise RenderError(f"{path.name}: the page would load a script from the network")
        pages.append((out / f"{path.stem}.html", _link_plotlyjs(page) if shared else page, nb))
    if shared:
        _write_plotlyjs(out)
    for target, page, nb in pages:  # all executed: write none when one fails
        _write_atomic(target, page)
        if save_notebooks:
            _write_atomic(target.with_suffix(".ipynb"), nbformat.writes(nb))
    written = [target for target, _, _ in pages]
    if with_browser:
        import kit
        from kit.browser import write_browser

        browser_page = write_browser(kit.load(tables), out / BROWSER_FILE)
        _write_atomic(out / "index.html", _index_page(written, browser_page))
    return written

"""Execute the curated notebooks on a folder of tables and export self-contained HTML pages.

Parameters are injected papermill-style (a cell tagged ``injected-parameters`` after the one
tagged ``parameters``), notebooks run under nbclient, and nbconvert exports them with a template
that loads nothing from the network: no require.js, MathJax, mermaid or widget scripts. Figures
carry their own plotly.js (see ``kit.charts.show``), so pages open offline.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from collections.abc import Mapping
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

__all__ = ["NOTEBOOKS_DIR", "RenderError", "default_notebooks", "inject_parameters", "render"]

NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"

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


class RenderError(KitError):
    """A notebook failed to execute or its page would load code from the network."""


def default_notebooks() -> list[Path]:
    """The curated notebooks shipped in the project's ``notebooks/`` folder."""
    return sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


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


def _kernel_env() -> dict[str, str]:
    """The renderer's environment, with this ``kit`` first on the kernel's import path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PACKAGE_DIR.parent), env.get("PYTHONPATH")) if p)
    return env


def render(
    tables: Path,
    *,
    out: Path,
    notebooks: list[Path] | None = None,
    parameters: dict[str, Any] | None = None,
    timeout: int = 600,
    save_notebooks: bool = False,
) -> list[Path]:
    """Execute each notebook on ``tables`` and write ``out/<name>.html``; returns the pages.

    ``parameters`` override the notebooks' defaults (``TABLES`` is always ``tables``);
    ``timeout`` bounds each cell in seconds; ``save_notebooks`` also writes the executed
    ``out/<name>.ipynb``. Notebooks run with their own folder as working directory.
    """
    tables = Path(tables).resolve()
    if not tables.is_dir():
        raise RenderError(f"tables folder not found: {tables}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = default_notebooks() if notebooks is None else [Path(p) for p in notebooks]
    if not paths:
        raise RenderError(f"no notebooks to render (looked in {NOTEBOOKS_DIR})")
    params = {**(parameters or {}), "TABLES": str(tables)}
    exporter = _exporter()
    written: list[Path] = []
    for path in tqdm(paths, desc="Rendering notebooks", unit="notebook", file=sys.stderr):
        nb = nbformat.read(path, as_version=4)
        inject_parameters(nb, params)
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", extra_arguments=_KERNEL_ARGS,
                                resources={"metadata": {"path": str(path.resolve().parent)}})
        try:
            client.execute(env=_kernel_env())
        except CellExecutionError as exc:
            raise RenderError(f"{path.name} failed on {tables}:\n{exc}") from exc
        page, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        if _REMOTE_SCRIPT.search(page):
            raise RenderError(f"{path.name}: the page would load a script from the network")
        target = out / f"{path.stem}.html"
        _write_atomic(target, page)
        if save_notebooks:
            _write_atomic(out / f"{path.stem}.ipynb", nbformat.writes(nb))
        written.append(target)
    return written

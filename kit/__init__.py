"""Investigative dataset kit: news articles in, linked Parquet tables out, Plotly notebooks on top.

The public API mirrors the ``kit`` command: ``build`` turns article files into tables,
``load`` reads them back as pandas DataFrames, ``render`` executes and renders the notebooks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"
__all__ = ["__version__", "build", "load", "render"]

if TYPE_CHECKING:
    from kit.core import build
    from kit.rendering import render
    from kit.tables.io import load


def __getattr__(name: str) -> Any:
    # Lazy: `import kit` stays fast and does not load spaCy until a function is used.
    if name == "build":
        from kit.core import build

        return build
    if name == "load":
        from kit.tables.io import load

        return load
    if name == "render":
        from kit.rendering import render

        return render
    raise AttributeError(name)

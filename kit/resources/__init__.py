"""Linguistic resources kept as data (YAML), checked against their spec and loaded once per process.

A language without a resource file gets no rules of that kind (the one policy of
``kit.resources.spec``): ``load_resource("entities", "fr")`` is an empty mapping, never English.
"""

from __future__ import annotations

import functools
from typing import Any

from kit.resources.kinds import spec_of
from kit.resources.spec import load_checked

__all__ = ["load_resource"]


@functools.lru_cache(maxsize=64)
def load_resource(name: str, lang: str | None = None) -> Any:
    """``load_resource("entities", "de")`` reads ``resources/de/entities.yaml`` validated against its
    spec (``kit.resources.kinds``): a misspelt key is a ResourceError naming file and key.

    ``lang=None`` reads a language-neutral file (``resources/labels.yaml``). Without a file for
    the language: an empty mapping (no rules of that kind).
    """
    data = load_checked(name, lang, spec_of(name))
    return {} if data is None else data

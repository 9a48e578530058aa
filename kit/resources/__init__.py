"""Linguistic resources kept as data (YAML), loaded once per process."""

from __future__ import annotations

import functools
from typing import Any

import yaml

from kit.settings import RESOURCES_DIR

__all__ = ["load_resource"]


@functools.lru_cache(maxsize=64)
def load_resource(name: str, lang: str | None = None) -> Any:
    """``load_resource("entities", "de")`` reads ``resources/de/entities.yaml``.

    Languages without their own file fall back to English, then to an empty mapping.
    """
    candidates = [RESOURCES_DIR / f"{name}.yaml"] if lang is None else [
        RESOURCES_DIR / lang / f"{name}.yaml",
        RESOURCES_DIR / "en" / f"{name}.yaml",
    ]
    for path in candidates:
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                return yaml.safe_load(handle) or {}
    return {}

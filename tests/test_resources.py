"""The linguistic resource files parse as intended: YAML 1.1 reads a bare on/off/yes/no as a boolean."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from kit.settings import RESOURCES_DIR


def _bools_in_lists(data: Any, where: str = "") -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _bools_in_lists(value, f"{where}/{key}")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            if isinstance(item, bool):
                yield f"{where}[{index}]"
            yield from _bools_in_lists(item, f"{where}[{index}]")


@pytest.mark.parametrize(
    "path", sorted(RESOURCES_DIR.rglob("*.yaml")), ids=lambda p: str(Path(p).relative_to(RESOURCES_DIR))
)
def test_word_lists_hold_no_booleans(path: Path) -> None:
    """A word such as "on" must be quoted in a list, or it silently becomes True."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(_bools_in_lists(data)) == []

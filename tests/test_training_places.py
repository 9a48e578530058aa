"""`kit train places` end to end on a few raw lines (the shipped list reads 120,000 per file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.settings import shared_data_dir
from kit.training.places import build_places


def test_build_places_writes_a_credited_filtered_list(tmp_path: Path) -> None:
    if not (shared_data_dir() / "raw" / "de").is_dir():
        pytest.skip("raw German text not available")
    out = build_places("de", out=tmp_path / "places.txt", lines=300)
    lines = out.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    names = [line for line in lines if not line.startswith("#")]
    assert any("GeoNames" in line and "CC BY 4.0" in line for line in header)
    assert any("first 300 lines" in line for line in header)
    assert {"Garbsen", "Sindelfingen", "Berlin"} <= set(names)
    assert names == sorted(names) and len(names) > 30_000
    assert not list(tmp_path.glob("*.tmp"))


def test_build_places_refuses_a_language_without_settings(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no place gazetteer"):
        build_places("fr", out=tmp_path / "places.txt")

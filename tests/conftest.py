"""Shared fixtures: the sample article, the shared corpora (skipped when absent), built tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit import settings

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = PROJECT / "data" / "articles"


def shared_data() -> Path:
    """``../shared/data``; tests that need it skip cleanly when it is absent."""
    path = settings.shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"shared corpora not found at {path}")
    return path


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE_DIR


@pytest.fixture(scope="session")
def sample_tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tables built once from the sample article with the shipped pipelines."""
    import kit

    out = tmp_path_factory.mktemp("sample_tables")
    kit.build([SAMPLE_DIR], out=out, progress=False)
    return out

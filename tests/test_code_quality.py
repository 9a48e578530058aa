"""The code stays clean: ruff and mypy --strict over the package (the configs live in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=PROJECT, capture_output=True, text=True, check=False)


def test_ruff() -> None:
    result = run("ruff", "check", "kit", "tests", "bench")
    assert result.returncode == 0, result.stdout[-4000:]


def test_mypy_strict() -> None:
    result = run("mypy")
    assert result.returncode == 0, result.stdout[-4000:]

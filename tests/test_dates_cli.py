"""`kit eval dates` on the kit's own essay set: both conventions, and a clear usage error."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from kit.cli import app

ESSAYS = Path(__file__).resolve().parent / "data" / "dates_de_essays"


def _value_f1(output: str) -> float:
    found = re.search(r"value F1 ([0-9.]+)", output)
    assert found, output
    return float(found.group(1))


def test_eval_dates_timeml_strict_flag() -> None:
    runner = CliRunner()
    default = runner.invoke(app, ["eval", "dates", str(ESSAYS), "--lang", "de"])
    strict = runner.invoke(app, ["eval", "dates", str(ESSAYS), "--lang", "de", "--timeml-strict"])
    assert default.exit_code == 0 and strict.exit_code == 0, (default.output, strict.output)
    assert "kit (timeml_strict)" in strict.output and "kit (timeml_strict)" not in default.output
    assert _value_f1(strict.output) > _value_f1(default.output)  # the set follows the scheme


def test_eval_dates_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "dates", str(tmp_path / "missing"), "--timeml-strict"])
    assert result.exit_code == 2 and "no such file or folder" in result.output

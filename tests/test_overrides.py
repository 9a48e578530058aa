"""The overrides file: schema-checked, hostile YAML refused, every error names file and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kit.errors import KitError
from kit.overrides import Overrides, load_overrides


def load(tmp_path: Path, text: str | bytes) -> Overrides:
    path = tmp_path / "overrides.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return load_overrides(path)


def error(tmp_path: Path, text: str | bytes) -> str:
    with pytest.raises(KitError) as exc:
        load(tmp_path, text)
    return str(exc.value)


def test_a_valid_file_with_every_key(tmp_path: Path) -> None:
    o = load(tmp_path, "merge:\n  - [Wladimir Putin, Putin]\nrename: {Elon Musk: Elon R. Musk}\n"
                       "relabel: {Occupy Frankfurt: ORG}\nblock: [Spam]\nsplit: [Tesla]\n")
    assert o == Overrides([["Wladimir Putin", "Putin"]], {"Elon Musk": "Elon R. Musk"}, {"Occupy Frankfurt": "ORG"},
                          ["Spam"], ["Tesla"])


def test_wrong_types_name_the_key_and_line(tmp_path: Path) -> None:
    message = error(tmp_path, "# mine\nblock: [a]\nmerge: 5\n")
    assert "overrides.yaml, line 3" in message and "`merge`" in message
    message = error(tmp_path, "rename: [a, b]\n")
    assert "line 1" in message and "`rename`" in message
    assert "`relabel`" in error(tmp_path, "relabel: {Tesla: COMPANY}\n")
    assert "`merge`" in error(tmp_path, "merge: [[Putin]]\n")  # a group of one merges nothing
    assert "`block`" in error(tmp_path, "block: {a: b}\n")


def test_unknown_keys_and_non_mappings_are_refused(tmp_path: Path) -> None:
    message = error(tmp_path, "merge: []\nrenmae: {a: b}\n")
    assert "line 2" in message and "unknown key `renmae`" in message
    assert "expected a mapping" in error(tmp_path, "- a\n- b\n")


def test_an_empty_key_is_no_names_and_a_single_name_is_a_list_of_one(tmp_path: Path) -> None:
    assert load(tmp_path, "block:\n").block == []
    assert load(tmp_path, "block: Wladimir Putin\nsplit: Musk\n") == Overrides(block=["Wladimir Putin"], split=["Musk"])
    assert load(tmp_path, "") == Overrides()


def test_latin1_directory_missing_and_alias_bombs(tmp_path: Path) -> None:
    message = error(tmp_path, "block: [a]\nrename: {M\xfcller: X}\n".encode("latin-1"))
    assert "line 2" in message and "not UTF-8" in message
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    with pytest.raises(KitError, match="is a directory"):
        load_overrides(folder)
    with pytest.raises(KitError, match="not found"):
        load_overrides(tmp_path / "missing.yaml", required=True)
    assert load_overrides(tmp_path / "missing.yaml") == Overrides()  # the default OUT/overrides.yaml is optional
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for i, prev in zip("bcdefghij", "abcdefghi", strict=True):
        bomb += f"{i}: &{i} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    assert "refused" in error(tmp_path, bomb + "block: *j\n")  # billion laughs


def test_the_cli_exits_2_with_the_line_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "o.yaml"
    bad.write_text("merge: 5\n", encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Elon Musk traf Wladimir Putin.", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kit.cli", "build", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
         "--overrides", str(bad), "--pipeline", "de=blank", "--quiet"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "o.yaml, line 1" in result.stderr and "Traceback" not in result.stderr

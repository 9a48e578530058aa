"""The two YAML loaders: user YAML with limits (kit.safe_yaml) and resources against a spec."""

from __future__ import annotations

from typing import NotRequired, TypedDict

import pytest

from kit.resources.spec import ResourceError, check
from kit.safe_yaml import UnsafeYamlError, load_user_yaml


def _billion_laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for i in range(1, levels):
        name = chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


def test_user_yaml_reads_ordinary_documents() -> None:
    assert load_user_yaml("merge: [[a, b]]\nblock: [c]\n", source="o.yaml") == {"merge": [["a", "b"]], "block": ["c"]}


def test_user_yaml_refuses_alias_bombs_quickly() -> None:
    with pytest.raises(UnsafeYamlError, match=r"bomb\.yaml: more than [\d,]+ values once its aliases are expanded"):
        load_user_yaml(_billion_laughs(), source="bomb.yaml")


def test_user_yaml_names_the_line_of_a_syntax_error() -> None:
    with pytest.raises(UnsafeYamlError, match=r"bad\.yaml: line 2 not valid YAML"):
        load_user_yaml("a: [1,\n b: }", source="bad.yaml")


def test_user_yaml_refuses_deep_nesting_and_huge_files() -> None:
    with pytest.raises(UnsafeYamlError, match="nested"):
        load_user_yaml("[" * 5000, source="deep.yaml")
    with pytest.raises(UnsafeYamlError, match="larger than"):
        load_user_yaml("a: " + "x" * 2_000_000, source="big.yaml")


class _Spec(TypedDict):
    words: list[str]
    weights: NotRequired[dict[str, float]]
    flag: NotRequired[bool]


def test_spec_accepts_a_matching_file() -> None:
    assert check({"words": ["a"], "flag": True}, _Spec, source="x.yaml") == {"words": ["a"], "flag": True}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"words": [], "wrods": []}, "unknown key 'wrods'"),
        ({"flag": True}, "missing key 'words'"),
        ({"words": "a"}, "key 'words': expected a list"),
        ({"words": ["on", True]}, r"key 'words'\[1\]: expected str, got bool"),
        ({"words": [], "weights": {"a": "x"}}, r"key 'weights'.a: expected float"),
    ],
)
def test_spec_errors_name_file_and_key(data: dict[str, object], message: str) -> None:
    with pytest.raises(ResourceError, match=message) as caught:
        check(data, _Spec, source="resources/de/x.yaml")
    assert "resources/de/x.yaml" in str(caught.value)

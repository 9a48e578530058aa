"""The user's entity overrides file, read safely and checked against its schema.

The file is the user's: it goes through :func:`kit.safe_yaml.load_user_yaml` (size, alias and
depth limits), and every key and value is checked, so a wrong type or a misspelt key is an error
naming the file and the line (exit 2), never a traceback or a rule silently not applied::

    merge:                      # join entities: every listed name (or entity id) into the first
      - ["Wladimir Putin", "Vladimir Putin", "Putin"]
    rename:                     # the preferred name of an entity
      "Elon Musk": "Elon R. Musk"
    relabel:                    # the type of an entity (PER, ORG, LOC, MISC)
      "Occupy Frankfurt": ORG
    block: ["Starlink-Unterstützung"]   # drop an entity and all its mentions and relations
    split: ["Tesla"]            # a name that must not join a longer name

``block`` and ``split`` also take a single name (``block: Wladimir Putin``); an empty key
(``block:``) means no names.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kit.errors import KitError
from kit.safe_yaml import load_user_yaml

__all__ = ["LABELS", "Overrides", "OverridesError", "load_overrides", "warn_unmatched"]

LABELS = ("PER", "ORG", "LOC", "MISC")
_KEYS = ("merge", "rename", "relabel", "block", "split")


class OverridesError(KitError):
    """An overrides file that cannot be read or does not match the schema (names file and line)."""


@dataclass(frozen=True, slots=True)
class Overrides:
    merge: list[list[str]] = field(default_factory=list)
    rename: dict[str, str] = field(default_factory=dict)
    relabel: dict[str, str] = field(default_factory=dict)
    block: list[str] = field(default_factory=list)
    split: list[str] = field(default_factory=list)


def _lines(text: str) -> dict[str, int]:
    """Line of each top-level key (composing the node graph expands no alias)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _name(value: Any) -> str | None:
    """A name is a string (or a number, as YAML reads "1860"); anything else is no name."""
    if isinstance(value, bool) or value is None:
        return None
    return str(value) if isinstance(value, (str, int, float)) else None


def _names(value: Any, *, single_ok: bool) -> list[str] | None:
    if value is None:
        return []
    if single_ok and _name(value) is not None:
        return [str(_name(value))]
    if not isinstance(value, list):
        return None
    names = [_name(v) for v in value]
    return None if any(n is None for n in names) else [str(n) for n in names]


def _mapping(value: Any, *, labels: bool) -> dict[str, str] | None:
    if value is None:
        return {}
    if not isinstance(value, dict):
        return None
    out: dict[str, str] = {}
    for k, v in value.items():
        name, target = _name(k), _name(v)
        if name is None or target is None or (labels and target not in LABELS):
            return None
        out[name] = target
    return out


def _check(data: Any, source: str, lines: dict[str, int]) -> Overrides:
    if data is None:
        return Overrides()
    if not isinstance(data, dict):
        raise OverridesError(f"{source}, line 1: expected a mapping with the keys {', '.join(_KEYS)}, "
                             f"got {type(data).__name__}")

    def fail(key: str, expected: str) -> OverridesError:
        return OverridesError(f"{source}, line {lines.get(str(key), 1)}: `{key}` must be {expected}, "
                              f"got {data[key]!r:.80}")

    unknown = [str(k) for k in data if k not in _KEYS]
    if unknown:
        key = unknown[0]
        raise OverridesError(f"{source}, line {lines.get(key, 1)}: unknown key `{key}` (expected {', '.join(_KEYS)})")
    merge_raw = data.get("merge")
    merge: list[list[str]] = []
    if merge_raw is not None:
        if not isinstance(merge_raw, list):
            raise fail("merge", "a list of groups of names, e.g. [[\"Wladimir Putin\", \"Putin\"]]")
        for group in merge_raw:
            names = _names(group, single_ok=False)
            if names is None or len(names) < 2:
                raise fail("merge", "a list of groups of at least two names, e.g. [[\"Wladimir Putin\", \"Putin\"]]")
            merge.append(names)
    rename = _mapping(data.get("rename"), labels=False)
    if rename is None:
        raise fail("rename", "a mapping of name: new name, e.g. {\"Elon Musk\": \"Elon R. Musk\"}")
    relabel = _mapping(data.get("relabel"), labels=True)
    if relabel is None:
        raise fail("relabel", f"a mapping of name: label, the label one of {', '.join(LABELS)}")
    lists: dict[str, list[str]] = {}
    for key in ("block", "split"):
        names = _names(data.get(key), single_ok=True)
        if names is None:
            raise fail(key, "a name or a list of names")
        lists[key] = names
    return Overrides(merge=merge, rename=rename, relabel=relabel, block=lists["block"], split=lists["split"])


def load_overrides(path: Path | None, *, required: bool = False) -> Overrides:
    """Read and check the overrides file. A missing default file means no overrides; a file the
    user named (``required``) must exist."""
    if path is None:
        return Overrides()
    if not path.exists():
        if required:
            raise OverridesError(f"{path}: overrides file not found")
        return Overrides()
    if path.is_dir():
        raise OverridesError(f"{path}: is a directory, not an overrides file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise OverridesError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise OverridesError(f"{path}, line {line}: not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8") from None
    data = load_user_yaml(text, source=str(path))
    return _check(data, str(path), _lines(text))


def warn_unmatched(names: list[str]) -> None:
    """Overrides naming no entity of this build are said on stderr, not silently ignored."""
    if names:
        shown = ", ".join(repr(n) for n in names[:10]) + (" ..." if len(names) > 10 else "")
        print(f"kit: overrides: {len(names)} name(s) match no entity of this build: {shown}", file=sys.stderr)

"""Checked loading of the kit's resource files against a typed spec.

Each resource kind (``claims``, ``dates``, ``entities``, ...) declares the keys its YAML file may
hold as a ``TypedDict`` next to the code that uses it, as followthemoney declares its schema. The
file is validated once, on load: an unknown key (a misspelling), a missing required key or a value
of the wrong type is a :class:`ResourceError` naming the file and the key, never an empty set that
silently switches a rule off.

Languages without resources: **one policy for every kind**. :func:`load_checked` returns ``None``
when ``resources/<lang>/<kind>.yaml`` does not exist, and the component that asked runs no rules
of that kind for that language (no claims, no dates, no entity rules). English rules are never
applied to another language's text.
"""

from __future__ import annotations

import functools
import types
import typing
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

import yaml

from kit.errors import KitError
from kit.settings import RESOURCES_DIR

__all__ = ["ResourceError", "check", "load_checked", "resource_path"]

T = TypeVar("T")


class ResourceError(KitError):
    """A resource file that does not match its spec; the message names the file and the key."""


def resource_path(kind: str, lang: str | None = None) -> Path:
    """``resources/<lang>/<kind>.yaml``, or ``resources/<kind>.yaml`` for language-neutral kinds."""
    return RESOURCES_DIR / f"{kind}.yaml" if lang is None else RESOURCES_DIR / lang / f"{kind}.yaml"


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or str(tp).replace("typing.", "")


def _check_value(value: Any, tp: Any, where: str) -> None:
    """Raise ResourceError when ``value`` does not fit the annotation ``tp`` (recursively)."""
    if tp is Any:
        return
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        errors = []
        for option in get_args(tp):
            try:
                _check_value(value, option, where)
                return
            except ResourceError as exc:
                errors.append(str(exc))
        raise ResourceError(f"{where}: expected {_type_name(tp)}, got {type(value).__name__} {value!r:.60}")
    if origin is typing.Literal:
        if value not in get_args(tp):
            raise ResourceError(f"{where}: expected one of {get_args(tp)}, got {value!r:.60}")
        return
    if tp is type(None):
        if value is not None:
            raise ResourceError(f"{where}: expected nothing (null), got {value!r:.60}")
        return
    if typing.is_typeddict(tp):
        _check_mapping(value, tp, where)
        return
    if origin in (list, tuple) or tp in (list, tuple):
        if not isinstance(value, list):
            raise ResourceError(f"{where}: expected a list, got {type(value).__name__} {value!r:.60}")
        args = get_args(tp)
        if args:
            for i, item in enumerate(value):
                _check_value(item, args[0], f"{where}[{i}]")
        return
    if origin is dict or tp is dict:
        if not isinstance(value, dict):
            raise ResourceError(f"{where}: expected a mapping, got {type(value).__name__} {value!r:.60}")
        args = get_args(tp)
        if args:
            for key, item in value.items():
                _check_value(key, args[0], f"{where} key {key!r}")
                _check_value(item, args[1], f"{where}.{key}")
        return
    if tp is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif tp is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif tp is str:
        # YAML reads bare on/yes/no/1 as bool/int: a word list must quote them, so refuse those.
        ok = isinstance(value, str)
    else:
        ok = isinstance(value, tp)
    if not ok:
        raise ResourceError(f"{where}: expected {_type_name(tp)}, got {type(value).__name__} {value!r:.60}")


def _check_mapping(data: Any, spec: Any, where: str) -> None:
    if not isinstance(data, dict):
        raise ResourceError(f"{where}: expected a mapping of keys, got {type(data).__name__}")
    hints = get_type_hints(spec)
    raw = get_type_hints(spec, include_extras=True)
    # Read NotRequired from the annotations: ``__required_keys__`` misses it under postponed annotations.
    required = {
        key
        for key, tp in raw.items()
        if get_origin(tp) is not typing.NotRequired and (spec.__total__ or get_origin(tp) is typing.Required)
    }
    unknown = sorted(set(map(str, data)) - set(hints))
    if unknown:
        raise ResourceError(f"{where}: unknown key {unknown[0]!r} (known keys: {', '.join(sorted(hints))})")
    missing = sorted(required - set(data))
    if missing:
        raise ResourceError(f"{where}: missing key {missing[0]!r}")
    for key, value in data.items():
        _check_value(value, hints[key], f"{where}: key {key!r}")


def check(data: Any, spec: type[T], *, source: str) -> T:
    """Validate parsed YAML against ``spec`` (a TypedDict, or a type such as ``dict[str, str]`` for
    a file that is one open mapping); return it typed, or raise ResourceError."""
    if typing.is_typeddict(spec):
        _check_mapping(data, spec, source)
    else:
        _check_value(data, spec, source)
    return typing.cast(T, data)


@functools.lru_cache(maxsize=128)
def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        raise ResourceError(f"{path}: not valid YAML: {str(exc).splitlines()[0]}") from None


def load_checked(kind: str, lang: str | None, spec: type[T]) -> T | None:
    """The resource ``kind`` of ``lang`` validated against ``spec``; ``None`` when the language has
    no such file (the component then runs no rules of that kind; see the module docstring)."""
    path = resource_path(kind, lang)
    if not path.exists():
        return None
    data = _read(path)
    return check({} if data is None else data, spec, source=str(path.relative_to(RESOURCES_DIR.parent)))

"""YAML from users (front matter, overrides files) read with limits, so hostile YAML cannot hang
or exhaust a build: a size cap, an alias cap ("billion laughs"), a nesting cap, and errors that
name the source and line instead of a traceback.

Resource files shipped with the kit are trusted and read by ``kit.resources``; everything a user
hands the kit goes through :func:`load_user_yaml`.
"""

from __future__ import annotations

from typing import Any

import yaml

from kit.errors import KitError

__all__ = ["MAX_ALIASES", "MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "UnsafeYamlError", "load_user_yaml"]

MAX_BYTES = 1_000_000  # a front matter or overrides file is small; a megabyte is already generous
MAX_ALIASES = 1_000  # anchors are legitimate, thousands of uses of them are not
MAX_NODES = 100_000  # values after expanding every alias: "billion laughs" expands exponentially
MAX_DEPTH = 50


class UnsafeYamlError(KitError):
    """User YAML that is malformed or breaks one of the limits; the message names source and line."""


class _LimitedLoader(yaml.SafeLoader):  # type: ignore[misc]
    """A SafeLoader that counts alias uses and nesting depth while composing the node graph."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise UnsafeYamlError(f"line {mark.line + 1}: more than {MAX_ALIASES} aliases (refused)")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise UnsafeYamlError(f"line {mark.line + 1}: nested deeper than {MAX_DEPTH} levels (refused)")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the document has once every alias is expanded (shared nodes counted per use)."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # a recursive alias counts once instead of looping
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(key) + size(value) for key, value in node.value)
        sizes[id(node)] = total = min(total, MAX_NODES + 1)
        return total

    return size(root)


def load_user_yaml(text: str, *, source: str) -> Any:
    """Parse user YAML safely; raise :class:`UnsafeYamlError` naming ``source`` and the line."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise UnsafeYamlError(f"{source}: larger than {MAX_BYTES:,} bytes (refused)")
    loader = _LimitedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node) > MAX_NODES:
            raise UnsafeYamlError(f"more than {MAX_NODES:,} values once its aliases are expanded (refused)")
        return loader.construct_document(node)
    except UnsafeYamlError as exc:
        raise UnsafeYamlError(f"{source}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UnsafeYamlError(f"{source}:{where} not valid YAML: {problem}") from None
    except RecursionError:
        raise UnsafeYamlError(f"{source}: nested too deeply (refused)") from None
    finally:
        loader.dispose()

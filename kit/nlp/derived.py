"""Derived adjectives ("russisch", "US-amerikanisch") as mentions of the place they come from.

GermEval tags "russischen" as MISC, so the entity list used to be led by "deutsch" and
"sudanesisch". A derived adjective is not an entity of its own: its mention keeps its words, gets
the kind ``adjective``, and is linked to its base (Russland) where ``resources/<lang>/adjectives.yaml``
names one. "Who" views and entity counts leave adjective mentions out by default.
"""

from __future__ import annotations

import functools

from kit.resources import load_resource

__all__ = ["adjective_base", "base_entity"]


def adjective_base(name: str, lang: str) -> str | None:
    """The base form of a derived adjective ("russischen" -> "russisch"), or None for other names."""
    rules = load_resource("entities", lang)
    last = name.rsplit("-", 1)[-1]
    if " " in name or not last[:1].islower():
        return None
    stems = tuple(str(s) for s in rules.get("adjective_stems", []))
    for ending in sorted((str(e) for e in rules.get("adjective_endings", [])), key=len, reverse=True):
        stem = name[: -len(ending)]
        if name.endswith(ending) and stem.endswith(stems):
            return stem
    if name.endswith(stems) or name.lower() in _lexicon(lang):
        return name
    return None


@functools.lru_cache(maxsize=8)
def _lexicon(lang: str) -> dict[str, str]:
    data = load_resource("adjectives", lang)
    return {str(k).lower(): str(v) for k, v in (data.get("adjectives") or {}).items()}


def base_entity(base: str, lang: str) -> str | None:
    """The place a derived adjective comes from ("russisch" -> "Russland"), None when unknown."""
    return _lexicon(lang).get(base.lower())

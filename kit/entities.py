"""Build-wide canonical entities, computed on compact keys (never on documents).

Input: the raw mentions of the whole build (entity id, label, canonical name, key, surface text)
and the articles' publication times. Output: the ``entities`` table and a remapping of raw entity
ids, after two steps: a surname mentioned alone joins the one full name it belongs to anywhere in
the build, and the user's overrides file is applied (merge, split, rename, block).

Overrides file (YAML), re-applied on every build::

    merge:                      # join entities: every listed name (or entity id) into the first
      - ["Wladimir Putin", "Vladimir Putin", "Putin"]
    rename:                     # the preferred name of an entity
      "Elon Musk": "Elon R. Musk"
    block: ["Starlink-Unterstützung"]   # drop an entity and all its mentions and relations
    split: ["Tesla"]            # a name (alias) that must not join a longer name
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from kit.errors import KitError
from kit.nlp.canon import name_key
from kit.tables.schemas import ENTITIES

__all__ = ["Overrides", "canonicalise", "load_overrides"]


@dataclass(frozen=True, slots=True)
class Overrides:
    merge: list[list[str]] = field(default_factory=list)
    rename: dict[str, str] = field(default_factory=dict)
    block: list[str] = field(default_factory=list)
    split: list[str] = field(default_factory=list)


@dataclass
class _Group:
    """Everything the mentions of one final entity say about it."""

    names: Counter[str] = field(default_factory=Counter)
    aliases: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    articles: set[str] = field(default_factory=set)


def load_overrides(path: Path | None) -> Overrides:
    """Read and check the overrides file; a missing path means no overrides."""
    if path is None or not path.exists():
        return Overrides()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise KitError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or set(data) - {"merge", "rename", "block", "split"}:
        raise KitError(f"{path}: expected only the keys merge, rename, block, split")
    return Overrides(
        merge=[[str(n) for n in group] for group in data.get("merge", [])],
        rename={str(k): str(v) for k, v in (data.get("rename") or {}).items()},
        block=[str(n) for n in data.get("block", [])],
        split=[str(n) for n in data.get("split", [])],
    )


def _surname_joins(names: dict[str, Counter[str]], labels: dict[str, str]) -> dict[str, str]:
    """A single-word person name joins the one multi-word person name ending with it."""
    by_last: dict[str, set[str]] = defaultdict(set)
    for eid, counter in names.items():
        name = counter.most_common(1)[0][0]
        if labels[eid] == "PER" and len(name.split()) > 1:
            by_last[name.split()[-1]].add(eid)
    joins: dict[str, str] = {}
    for eid, counter in names.items():
        name = counter.most_common(1)[0][0]
        if labels[eid] == "PER" and len(name.split()) == 1 and len(by_last.get(name, ())) == 1:
            joins[eid] = next(iter(by_last[name]))
    return joins


def canonicalise(
    mentions: pa.Table, published: dict[str, Any], overrides: Overrides
) -> tuple[pa.Table, dict[str, str], set[str]]:
    """Entities table, raw-id -> final-id remapping, and the blocked final ids."""
    cols = {name: mentions[name].to_pylist() for name in ("article_id", "entity_id", "label", "canonical", "text", "role")}
    names: dict[str, Counter[str]] = defaultdict(Counter)
    label_votes: dict[str, Counter[str]] = defaultdict(Counter)
    for eid, label, canonical in zip(cols["entity_id"], cols["label"], cols["canonical"], strict=True):
        names[eid][canonical] += 1
        label_votes[eid][label] += 1
    labels = {eid: votes.most_common(1)[0][0] for eid, votes in label_votes.items()}
    split_names = set(overrides.split)
    remap = {
        eid: target
        for eid, target in _surname_joins(names, labels).items()
        if names[eid].most_common(1)[0][0] not in split_names
    }

    def final(eid: str) -> str:
        seen = set()
        while eid in remap and eid not in seen:
            seen.add(eid)
            eid = remap[eid]
        return eid

    by_name: dict[str, str] = {}
    for eid, counter in names.items():
        for name in counter:
            by_name.setdefault(name, eid)
    for merge in overrides.merge:
        ids = [by_name.get(n, n) for n in merge if by_name.get(n, n) in names]
        for other in ids[1:]:
            if final(other) != final(ids[0]):
                remap[final(other)] = final(ids[0])
    blocked = {final(by_name[n]) for n in overrides.block if n in by_name}

    groups: dict[str, _Group] = {}
    for aid, eid, canonical, text, role in zip(
        cols["article_id"], cols["entity_id"], cols["canonical"], cols["text"], cols["role"], strict=True
    ):
        target = final(eid)
        group = groups.setdefault(target, _Group())
        if role:
            group.roles[role] += 1
        group.names[canonical] += 1
        group.aliases[text] += 1
        group.aliases[canonical] += 0
        group.articles.add(aid)
    rows: list[dict[str, Any]] = []
    renames = overrides.rename
    for eid, group in groups.items():
        if eid in blocked:
            continue
        full_names = [n for n, _ in group.names.most_common() if len(n.split()) > 1] or [
            n for n, _ in group.names.most_common()
        ]
        name = renames.get(full_names[0], full_names[0])
        times = [published[a] for a in group.articles if published.get(a) is not None]
        label = labels.get(eid, "MISC")
        rows.append(
            {
                "entity_id": eid,
                "name": name,
                "label": label,
                "key": name_key(full_names[0], label),
                "aliases": [alias for alias, _ in group.aliases.most_common()],
                "roles": [role for role, _ in group.roles.most_common()],
                "n_mentions": group.names.total(),
                "n_articles": len(group.articles),
                "first_published": min(times) if times else None,
                "last_published": max(times) if times else None,
            }
        )
    rows.sort(key=lambda r: (-r["n_mentions"], r["name"]))
    final_map = {eid: final(eid) for eid in names if final(eid) != eid}
    return pa.Table.from_pylist(rows, schema=ENTITIES), final_map, blocked


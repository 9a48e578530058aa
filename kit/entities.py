"""Build-wide canonical entities, computed on compact keys (never on documents).

Input: the raw mentions of the whole build (entity id, label, canonical name, surface text, kind)
and the articles' publication times. Output: the ``entities`` table and a remapping of raw entity
ids, after these steps:

1. one entity per name key, whatever labels its articles gave it: the label is the majority of
   its mentions by name, and the votes are kept (``label_votes``), so "Alaska" is one LOC entity
   even where one article read it as a person;
2. a single-word person name joins the one full person name it is the surname of, and only
   when exactly one full name in the build ends with it and none starts with it ("William" joins
   nobody when "William R. Dougan" is named: a bare first name may be anyone's);
3. the user's overrides (kit/overrides.py): merge, split, rename, relabel, block.

Derived adjectives ("russische", linked to Russland in the article) are counted apart
(``n_adjective_mentions``) and never decide a name or a label.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from kit.nlp.canon import entity_id, name_key
from kit.overrides import Overrides, load_overrides, warn_unmatched
from kit.tables.schemas import ENTITIES

__all__ = ["MENTION_COLUMNS", "Overrides", "canonicalise", "load_overrides"]

# The raw mention columns canonicalisation reads (the build passes exactly these).
MENTION_COLUMNS = ["article_id", "entity_id", "label", "canonical", "text", "role", "mention_kind"]


@dataclass
class _Group:
    """Everything the mentions of one final entity say about it."""

    names: Counter[str] = field(default_factory=Counter)
    adjective_names: Counter[str] = field(default_factory=Counter)
    votes: Counter[str] = field(default_factory=Counter)
    aliases: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    articles: set[str] = field(default_factory=set)
    n_adjectives: int = 0

    def top_name(self) -> str:
        """The most frequent name; for a person the most frequent full name ("Elon Musk", not "Musk")."""
        names = self.names or self.adjective_names
        full = [n for n, _ in names.most_common() if len(n.split()) > 1]
        if full and self.votes and self.votes.most_common(1)[0][0] == "PER":
            return full[0]
        return names.most_common(1)[0][0]

    def label(self) -> str:
        if self.votes:
            return self.votes.most_common(1)[0][0]
        # only adjectives: linked ones name a place ("Sudan"), unlinked ones stay MISC ("jüdisch")
        return "LOC" if self.top_name()[:1].isupper() else "MISC"


class _Union:
    """Union-find over raw entity ids."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        root = item
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while item != root:
            item, self.parent[item] = self.parent.get(item, item), root
        return root

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def _by_raw_id(cols: dict[str, list[Any]]) -> dict[str, _Group]:
    groups: dict[str, _Group] = defaultdict(_Group)
    for aid, eid, label, canonical, text, role, kind in zip(*(cols[c] for c in MENTION_COLUMNS), strict=True):
        group = groups[eid]
        if kind == "adjective":
            group.n_adjectives += 1
            group.adjective_names[canonical] += 1
        else:
            group.names[canonical] += 1
            group.votes[label] += 1
        group.aliases[text] += 1
        if role:
            group.roles[role] += 1
        group.articles.add(aid)
    return groups


_GENITIVE = ("s", "es", "'", "’")


def _keep_names_written_with_s(raw: dict[str, _Group], texts: list[str]) -> None:
    """A name that nobody in the build writes, while its form with a trailing s is written, is
    that form: "Reuter" (the lemma table's reading of "Reuters") becomes "Reuters" again."""
    written: set[str] = set()
    for text in set(texts):
        words = text.split()
        written.update(" ".join(words[i:]) for i in range(len(words)))
    for group in raw.values():
        for name in [n for n in group.names if n not in written]:
            for suffix in _GENITIVE:
                if name + suffix in written and name + suffix in group.aliases:
                    group.names[name + suffix] += group.names.pop(name)
                    break


def _same_thing_joins(raw: dict[str, _Group], union: _Union) -> None:
    """Raw entities that name one thing: the same name key under any label ("Alaska" LOC and PER),
    a place or organisation written only with a genitive s and its stem ("Russlands"), and a
    party named by a nominalised adjective in both forms ("Grünen"/"Grüne") when one reading is ORG."""
    tops = {eid: (group.top_name(), group.label()) for eid, group in raw.items()}
    first_by_key: dict[str, str] = {}
    for eid, (top, _) in tops.items():
        union.join(eid, first_by_key.setdefault(name_key(top, "LOC"), eid))
    by_top = {top_label: eid for eid, top_label in tops.items()}
    single = {top: eid for eid, (top, _) in tops.items() if " " not in top}
    for eid, (top, label) in tops.items():
        for suffix in _GENITIVE:
            stem_id = by_top.get((top[: -len(suffix)], label)) if top.endswith(suffix) else None
            if stem_id and label in ("LOC", "ORG") and stem_id != eid:
                union.join(eid, stem_id)
        other = single.get(top[:-1]) if top.endswith("en") and top[:1].isupper() else None
        if other and "ORG" in (label, tops[other][1]):
            union.join(eid, other)


def _person_joins(groups: dict[str, _Group], labels: dict[str, str], split: set[str]) -> list[tuple[str, str]]:
    """A single-word person name joins the one full person name it ends (never a bare first name,
    nor a surname several full names share)."""
    owners: dict[str, set[str]] = defaultdict(set)
    first_names: set[str] = set()
    for root, group in groups.items():
        name = group.top_name()
        if labels[root] == "PER" and len(name.split()) > 1:
            owners[name.split()[-1]].add(root)
            first_names.add(name.split()[0])
    joins = []
    for root, group in groups.items():
        name = group.top_name()
        if name in first_names or name in split:
            continue  # "William" alone may be any William: "Prinz William" is not "William R. Dougan"
        if labels[root] == "PER" and " " not in name and len(owners.get(name, ())) == 1:
            joins.append((root, next(iter(owners[name]))))
    return joins


def canonicalise(
    mentions: pa.Table, published: dict[str, Any], overrides: Overrides
) -> tuple[pa.Table, dict[str, str], set[str]]:
    """Entities table, raw-id -> final-id remapping, and the blocked final ids."""
    cols: dict[str, list[Any]] = {
        c: mentions[c].to_pylist() if c in mentions.column_names else [None] * mentions.num_rows
        for c in MENTION_COLUMNS
    }
    raw = _by_raw_id(cols)
    _keep_names_written_with_s(raw, cols["text"])
    union = _Union()
    _same_thing_joins(raw, union)
    merged = _merge(raw, union)
    labels = {root: group.label() for root, group in merged.items()}
    # 2. single-word person names
    for short, full in _person_joins(merged, labels, set(overrides.split)):
        union.join(short, full)
    # 3. the user's merges, then relabels, renames and blocks
    by_name: dict[str, str] = {}
    for eid, group in raw.items():
        for name in [*group.names, *group.adjective_names, *group.aliases]:
            by_name.setdefault(name, eid)
    unmatched = [n for group in overrides.merge for n in group if n not in by_name and n not in raw]
    for names in overrides.merge:
        ids = [by_name.get(n, n) for n in names if by_name.get(n, n) in raw]
        for other in ids[1:]:
            union.join(other, ids[0])
    merged = _merge(raw, union)
    unmatched += [n for n in [*overrides.block, *overrides.relabel, *overrides.rename, *overrides.split]
                  if n not in by_name]
    warn_unmatched(unmatched)
    relabel = {union.find(by_name[n]): label for n, label in overrides.relabel.items() if n in by_name}
    members: dict[str, list[str]] = defaultdict(list)
    for eid in raw:
        members[union.find(eid)].append(eid)
    blocked_roots = {union.find(by_name[n]) for n in overrides.block if n in by_name}
    blocked: set[str] = set()
    rows: list[dict[str, Any]] = []
    remap: dict[str, str] = {}
    used: set[str] = set()
    for root, group in merged.items():
        label = relabel.get(root) or group.label()
        top = group.top_name()
        final = entity_id(label, name_key(top, label))
        final = root if final in used else final  # two groups whose names share a key stay apart
        used.add(final)
        remap.update({eid: final for eid in members[root] if eid != final})
        if root in blocked_roots:
            blocked.add(final)
            continue
        rows.append(_row(final, group, label, top, overrides.rename.get(top, top), published))
    rows.sort(key=lambda r: (-r["n_mentions"], -r["n_adjective_mentions"], r["name"]))
    return pa.Table.from_pylist(rows, schema=ENTITIES), remap, blocked


def _merge(raw: dict[str, _Group], union: _Union) -> dict[str, _Group]:
    """One group per root; a root with one member keeps its group (most do: no copying)."""
    members: dict[str, list[_Group]] = defaultdict(list)
    for eid, group in raw.items():
        members[union.find(eid)].append(group)
    merged: dict[str, _Group] = {}
    for root, groups in members.items():
        if len(groups) == 1:
            merged[root] = groups[0]
            continue
        target = merged[root] = _Group()
        for group in groups:
            target.names.update(group.names)
            target.adjective_names.update(group.adjective_names)
            target.votes.update(group.votes)
            target.aliases.update(group.aliases)
            target.roles.update(group.roles)
            target.articles |= group.articles
            target.n_adjectives += group.n_adjectives
    return merged


def _row(eid: str, group: _Group, label: str, top: str, name: str, published: dict[str, Any]) -> dict[str, Any]:
    times = [published[a] for a in group.articles if published.get(a) is not None]
    aliases = Counter(group.aliases)
    for canonical in [*group.names, *group.adjective_names]:
        aliases[canonical] += 0
    return {
        "entity_id": eid,
        "name": name,
        "label": label,
        "key": name_key(top, label),
        "aliases": [alias for alias, _ in aliases.most_common()],
        "roles": [role for role, _ in group.roles.most_common()],
        "n_mentions": group.names.total(),
        "n_adjective_mentions": group.n_adjectives,
        "label_votes": sorted(group.votes.items(), key=lambda kv: (-kv[1], kv[0])),
        "n_articles": len(group.articles),
        "first_published": min(times) if times else None,
        "last_published": max(times) if times else None,
    }

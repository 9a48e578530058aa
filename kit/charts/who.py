"""Who the charts count: filters by date, source and entity type, counts, and the focus entity.

People first: the "who" views count PER, ORG and LOC; MISC names and derived adjectives
("russisch", "deutsch") stay out unless asked for, because they crowd people out of every top
list without being actors. Every view takes its mentions from :func:`who_mentions`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from kit.charts._base import utc
from kit.errors import KitError

WHO_LABELS = ("PER", "ORG", "LOC")
# Values of an entities-branch ``mentions.mention_kind`` column that mark a derived adjective.
ADJECTIVE_KINDS = frozenset({"adjective", "derived_adjective", "adj"})


class UnknownEntityError(KitError, LookupError):
    """A focus entity that names no entity in the tables; the message lists close matches."""


def adjective_rows(mentions: pd.DataFrame, entities: pd.DataFrame) -> pd.Series:
    """True for mentions that are derived adjectives.

    Where a row has a ``mention_kind``, its kind decides; where it has none (tables built before
    that column) a MISC mention whose entity name is lower-case is one: the canonical form of a
    derived adjective ("russischen" -> "russisch"), never of a name.
    """
    names = mentions["entity_id"].map(entities.drop_duplicates("entity_id").set_index("entity_id")["name"])
    lower = names.fillna(mentions["text"]).astype(str).str[:1].str.islower()
    guessed = (mentions["label"] == "MISC") & lower.fillna(False).astype(bool)
    if "mention_kind" not in mentions.columns:
        return guessed
    kind = mentions["mention_kind"]
    return (kind.isin(ADJECTIVE_KINDS).fillna(False).astype(bool) | (kind.isna() & guessed)).astype(bool)


def who_mentions(tables: Mapping[str, pd.DataFrame], *, include_adjectives: bool = False,
                 include_misc: bool = False, labels: Sequence[str] | None = None) -> pd.DataFrame:
    """The mentions a "who" view counts: PER/ORG/LOC (``labels`` overrides), MISC and adjectives on request."""
    mentions, entities = tables["mentions"], tables["entities"]
    wanted = set(labels) if labels is not None else set(WHO_LABELS) | ({"MISC"} if include_misc else set())
    adjective = adjective_rows(mentions, entities)
    keep = mentions["label"].isin(wanted) & ~adjective
    if include_adjectives:
        keep |= adjective
    return mentions[keep]


def filter_tables(
    tables: Mapping[str, pd.DataFrame],
    *,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    sources: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    include_adjectives: bool = False,
) -> dict[str, pd.DataFrame]:
    """Restrict every table to articles published in [start, end] from ``sources``, and to "who" entities.

    Notebook parameters map onto this, so one cell narrows all charts consistently. Articles
    without a publication date drop out only when a date bound is given. Mentions are those of
    :func:`who_mentions` (``labels`` None: PER, ORG, LOC); entities and relations keep those
    entities.
    """
    out = dict(tables)
    arts = out["articles"]
    keep = pd.Series(True, index=arts.index)
    published = utc(arts["published"])
    if start is not None:
        keep &= published >= pd.Timestamp(start, tz="UTC")
    if end is not None:
        keep &= published <= pd.Timestamp(end, tz="UTC") + pd.Timedelta(days=1) - pd.Timedelta(1, "us")
    if sources is not None:
        keep &= arts["source"].isin(list(sources))
    if not keep.all():
        ids = set(arts.loc[keep, "article_id"])
        out = {name: df[df["article_id"].isin(ids)] if "article_id" in df.columns else df
               for name, df in out.items()}
    out["mentions"] = who_mentions(out, include_adjectives=include_adjectives,
                                   include_misc=labels is not None and "MISC" in labels, labels=labels)
    ok = set(out["mentions"]["entity_id"])
    out["entities"] = out["entities"][out["entities"]["entity_id"].isin(ok)]
    rel = out["relations"]
    out["relations"] = rel[rel["source_entity_id"].isin(ok) & rel["target_entity_id"].isin(ok)]
    return out


def entity_counts(mentions: pd.DataFrame, entities: pd.DataFrame, *, labels: Sequence[str] | None = None
                  ) -> pd.DataFrame:
    """Mentions and articles per entity in these (possibly filtered) tables, most mentioned first.

    Counted from ``mentions`` rather than read from ``entities.n_mentions``, so date and source
    filters change the ranking. Ties break by name for a stable order.
    """
    cols = ["entity_id", "name", "label", "aliases", "n_mentions", "n_articles"]
    m = mentions if labels is None else mentions[mentions["label"].isin(list(labels))]
    if m.empty:
        return pd.DataFrame(columns=cols)
    grouped = m.groupby("entity_id").agg(n_mentions=("article_id", "size"), n_articles=("article_id", "nunique"))
    info = entities.drop_duplicates("entity_id").set_index("entity_id")[["name", "label", "aliases"]]
    out = grouped.join(info, how="left").reset_index()
    fallback = m.groupby("entity_id").agg(first_text=("text", "first"), first_label=("label", "first"))
    out = out.join(fallback, on="entity_id")
    out["name"] = out["name"].fillna(out["first_text"])
    out["label"] = out["label"].fillna(out["first_label"])
    out["aliases"] = out["aliases"].map(lambda a: list(a) if isinstance(a, Iterable) and not isinstance(a, str) else [])
    out = out.sort_values(["n_mentions", "n_articles", "name"], ascending=[False, False, True], kind="stable")
    return out[cols].reset_index(drop=True)


def close_matches(wanted: str, names: Iterable[str], *, n: int = 5) -> list[str]:
    """Names like ``wanted`` (case-insensitive), best first: for "did you mean" messages."""
    by_folded: dict[str, str] = {}
    for name in names:
        by_folded.setdefault(str(name).casefold(), str(name))
    folded = wanted.casefold()
    hits = difflib.get_close_matches(folded, list(by_folded), n=n, cutoff=0.6)
    contains = [f for f in by_folded if folded and folded in f and f not in hits]
    return [by_folded[h] for h in [*hits, *contains][:n]]


def resolve_focus(mentions: pd.DataFrame, entities: pd.DataFrame, focus: str | None = None, *,
                  prefer: str | None = "PER") -> str | None:
    """The entity_id for a focus given as id, name or alias (case-insensitive).

    ``None`` picks the most mentioned entity labelled ``prefer`` (a person by default), else the
    most mentioned one. An unknown name raises :class:`UnknownEntityError` with close matches.
    """
    counts = entity_counts(mentions, entities)
    if counts.empty:
        return None
    if focus is None:
        preferred = counts[counts["label"] == prefer] if prefer else counts.iloc[:0]
        return str((preferred if not preferred.empty else counts)["entity_id"].iloc[0])
    wanted = str(focus).casefold()
    for row in counts.itertuples():
        if any(str(f).casefold() == wanted for f in (row.entity_id, row.name, *row.aliases)):
            return str(row.entity_id)
    names = [*counts["name"], *(a for aliases in counts["aliases"] for a in aliases)]
    near = close_matches(str(focus), names)
    hint = f"; did you mean: {', '.join(repr(n) for n in near)}?" if near else ""
    raise UnknownEntityError(f"no entity named {focus!r} in these tables (after the type, date and source "
                             f"filters){hint}")

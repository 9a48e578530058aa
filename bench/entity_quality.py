"""Entity-list quality counts of a built tables folder (issue 14's Wikinews bars).

    python bench/entity_quality.py TABLES [TABLES ...]

Prints, per folder: entities whose name appears in another row with a different label (bar
<= 0.3 %), multi-word ORG/LOC names with a dative/genitive adjective such as "Deutschen Post"
(bar <= 3 %), derived adjectives typed PER/ORG/LOC (bar <= 0.5 %), and the flagged names, so the
counts can be read, not only trusted.
"""

from __future__ import annotations

import sys
from collections import defaultdict

import pandas as pd

from kit.nlp.derived import adjective_base
from kit.nlp.inflection import looks_oblique


def quality(folder: str) -> dict[str, object]:
    entities = pd.read_parquet(f"{folder}/entities.parquet")
    total = len(entities)
    labels_by_name: dict[str, set[str]] = defaultdict(set)
    for name, label in zip(entities["name"], entities["label"], strict=True):
        labels_by_name[name.lower()].add(label)
    split = entities[[len(labels_by_name[n.lower()]) > 1 for n in entities["name"]]]
    multi = entities[entities["label"].isin(["ORG", "LOC"]) & (entities["name"].str.count(" ") > 0)]
    oblique = multi[[looks_oblique(n, "de") for n in multi["name"]]]
    typed = entities[entities["label"].isin(["PER", "ORG", "LOC"])]
    adjectives = typed[[adjective_base(n, "de") is not None for n in typed["name"]]]
    return {
        "entities": total,
        "split_across_labels": (len(split), round(100 * len(split) / total, 2), sorted(split["name"])[:12]),
        "oblique_multiword_org_loc": (len(oblique), len(multi), round(100 * len(oblique) / max(1, len(multi)), 2),
                                      sorted(oblique["name"])[:12]),
        "adjectives_as_per_org_loc": (len(adjectives), round(100 * len(adjectives) / total, 2),
                                      sorted(adjectives["name"])[:12]),
    }


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print(path)
        for key, value in quality(path).items():
            print(f"  {key}: {value}")

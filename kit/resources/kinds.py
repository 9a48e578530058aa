"""The spec of every resource kind the kit ships, so that one test can check every file.

Specs live next to the code that reads them (``kit.nlp.dates.spec``); the kinds read through
:func:`kit.resources.load_resource` (entity rules, label mapping, country aliases) are declared
here. ``SPECS`` names each kind's spec by import path, resolved lazily (a spec module may import
the component it belongs to).
"""

from __future__ import annotations

import importlib
from typing import Any, Literal, NotRequired, TypedDict

__all__ = ["SPECS", "Countries", "EntitiesSpec", "Labels", "spec_of"]


class EntitiesSpec(TypedDict):
    """``resources/<lang>/entities.yaml``: words of entity canonicalisation and the entity rules."""

    determiners: list[str]  # precede a name, not part of it ("der", "the")
    role_stems: list[str]  # a token containing one is a role ("US-Präsident")
    titles: list[str]  # "Dr.", "Prof."
    role_markers: list[str]  # introduce a role after a name ("als")
    genitive_suffixes: list[str]  # stripped from names ("Musks")
    adjective_stems: NotRequired[list[str]]  # derived adjectives join in their base form ("russisch")
    adjective_endings: NotRequired[list[str]]
    org_role_stems: list[str]  # roles that belong to an organisation ("Tesla-Chef")
    org_role_links: list[str]  # "Kopf von SpaceX"
    not_first_names: NotRequired[list[str]]  # words the first-name list holds that are not names here
    # Dictionary forms of names (kit.nlp.inflection): "Europäischen Union" -> "Europäische Union".
    name_adjective_stems: NotRequired[list[str]]
    name_adjective_endings: NotRequired[list[str]]
    determiner_genders: NotRequired[dict[str, dict[str, str]]]
    genitive_articles: NotRequired[list[str]]
    strong_endings: NotRequired[dict[str, str]]
    noun_genders: NotRequired[dict[str, str]]


Labels = dict[str, Literal["PER", "ORG", "LOC", "MISC"]]  # labels.yaml: other schemes' labels -> the kit's
Countries = dict[str, str]  # countries.yaml: lower-cased name -> ISO 3166 alpha-2 code


class AdjectivesSpec(TypedDict):
    """adjectives.yaml: derived adjective (base form) -> the entity it derives from."""

    adjectives: dict[str, str]

# kind -> "module:attribute" of its spec; kinds awaiting a spec are listed in AWAITING.
SPECS: dict[str, str] = {
    "dates": "kit.nlp.dates.spec:DatesSpec",
    "entities": "kit.resources.kinds:EntitiesSpec",
    "labels": "kit.resources.kinds:Labels",
    "countries": "kit.resources.kinds:Countries",
    "claims": "kit.nlp.claims.lexicon:ClaimsSpec",
    "adjectives": "kit.resources.kinds:AdjectivesSpec",
    "gazetteer": "kit.nlp.gazetteer:GazetteerSpec",
    "coref": "kit.nlp.coref:CorefSpec",
}
# Kinds read by their own loader until their spec lands (none left).
AWAITING: dict[str, str] = {}


def spec_of(kind: str) -> Any:
    """The spec declared for ``kind``; KeyError for a kind without one."""
    module, _, name = SPECS[kind].partition(":")
    return getattr(importlib.import_module(module), name)

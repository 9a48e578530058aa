"""Which spaCy pipeline runs for which language, and how the kit's components join it.

A language's pipeline is the user's choice (any installed spaCy package name or a path, e.g.
``de=de_core_news_lg``) or else the kit's own shipped pipeline. The kit's components (dates,
claims) are added to whichever pipeline runs, so every choice fills every table.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

from kit import settings
from kit.errors import PipelineError
from kit.nlp import (
    components,  # noqa: F401 - registers the kit's component factories
    extensions,
)
from kit.nlp.line_breaks import LINE_BREAKS

__all__ = [
    "ENTITY_RULES",
    "KIT_COMPONENTS",
    "PipelineSpec",
    "load_pipeline",
    "parse_specs",
    "resolve_spec",
    "spec_identity",
]

# The kit's components, in pipeline order, added after whichever pipeline runs.
# The entity rules come first: they fix NER's entities before dates and claims read them.
# The gazetteer runs before the consistency rule, so a listed name it finds once is found again.
ENTITY_RULES: tuple[str, ...] = (
    "kit_name_rules",
    "kit_org_rules",
    "kit_gazetteer",
    "kit_doc_consistency",
    "kit_places",
)
KIT_COMPONENTS: tuple[str, ...] = (*ENTITY_RULES, "kit_dates", "kit_claims")


@dataclass(frozen=True, slots=True)
class PipelineSpec:
    """A language, the pipeline to load for it (a package name, a path, or ``blank``) and the
    licence tier (:data:`kit.settings.TIERS`), which decides the claims span model and the name."""

    lang: str
    name: str
    tier: str = "default"


def parse_specs(items: list[str] | None) -> dict[str, str]:
    """``["de=de_core_news_lg", "en=/models/en"]`` to a mapping; env ``KIT_PIPELINE_DE`` etc. too."""
    specs = {
        key[len("KIT_PIPELINE_") :].lower(): value
        for key, value in os.environ.items()
        if key.startswith("KIT_PIPELINE_") and value
    }
    for item in items or []:
        lang, sep, name = item.partition("=")
        if not sep or not lang.strip() or not name.strip():
            raise PipelineError(f"pipeline choice {item!r} is not LANG=NAME_OR_PATH (e.g. de=de_core_news_lg)")
        specs[lang.strip().lower()] = name.strip()
    return specs


def resolve_spec(lang: str, chosen: Mapping[str, str] | None = None, tier: str | None = None) -> PipelineSpec:
    """The user's choice for ``lang``, else the tier's shipped pipeline, else a blank pipeline.

    ``tier`` None means ``KIT_TIER`` or ``default`` (:func:`kit.settings.resolve_tier`)."""
    tier = settings.resolve_tier(tier)
    if chosen and lang in chosen:
        return PipelineSpec(lang, chosen[lang], tier)
    shipped = settings.pipeline_dir(lang, tier)
    return PipelineSpec(lang, str(shipped) if shipped is not None else "blank", tier)


def _load_base(spec: PipelineSpec) -> Language:
    if spec.name == "blank":
        nlp = spacy.blank(spec.lang)
        nlp.add_pipe("sentencizer")
        nlp.meta["name"] = "blank"
        nlp.meta["version"] = "0.0.0"
        return nlp
    try:
        nlp = spacy.load(spec.name)
    except OSError as exc:
        where = "path" if Path(spec.name).exists() or os.sep in spec.name else "installed package"
        raise PipelineError(f"cannot load spaCy pipeline {spec.name!r} ({where}) for {spec.lang!r}: {exc}") from exc
    if nlp.lang != spec.lang:
        raise PipelineError(f"pipeline {spec.name!r} is for {nlp.lang!r}, not {spec.lang!r}")
    if not nlp.has_pipe("senter") and not nlp.has_pipe("parser") and not nlp.has_pipe("sentencizer"):
        nlp.add_pipe("sentencizer", first=True)
    elif nlp.has_pipe("parser") and not nlp.has_pipe("sentencizer") and not nlp.has_pipe(LINE_BREAKS):
        nlp.add_pipe(LINE_BREAKS, before="parser")  # headlines end at the line break, not at a full stop
    return nlp


@functools.lru_cache(maxsize=8)
def _cached(spec: PipelineSpec) -> Language:
    extensions.register_extensions()
    nlp = _load_base(spec)
    claims_model = settings.tier_claims_model(spec.lang, spec.tier)
    for factory in KIT_COMPONENTS:
        if nlp.has_pipe(factory):
            continue
        if factory == "kit_claims":
            nlp.add_pipe(factory, last=True, config={"model": str(claims_model) if claims_model else None})
        else:
            nlp.add_pipe(factory, last=True)
    return nlp


def load_pipeline(spec: PipelineSpec) -> Language:
    """Load once per process (workers call this too) and add the kit's components."""
    return _cached(spec)


@functools.lru_cache(maxsize=16)
def spec_identity(spec: PipelineSpec) -> tuple[str, str]:
    """``(name, version)`` written on every row, read from meta.json (no model is loaded).

    The version joins the model's version, the kit's version and a digest of the model's meta, the
    kit's linguistic resources and the claims span model in use, so that retraining a model or
    editing a resource file makes incremental builds redo the articles it affects.
    """
    if spec.name == "blank":
        meta: dict[str, object] = {"name": "blank", "version": "0.0.0"}
    else:
        path = Path(spec.name)
        if not path.exists():
            try:
                path = spacy.util.get_package_path(spec.name)
            except (ModuleNotFoundError, OSError) as exc:
                raise PipelineError(f"no installed spaCy pipeline {spec.name!r} for {spec.lang!r}: {exc}") from exc
        meta_file = path / "meta.json"
        meta = dict(spacy.util.load_meta(meta_file)) if meta_file.exists() else dict(load_pipeline(spec).meta)
    digest = hashlib.blake2b(json.dumps(meta, sort_keys=True, default=str).encode(), digest_size=4)
    claims_model = settings.tier_claims_model(spec.lang, spec.tier)
    for folder in (settings.RESOURCES_DIR, *([claims_model] if claims_model else [])):
        for resource in sorted(folder.rglob("*")):
            if resource.is_file():
                digest.update(resource.read_bytes())
    from kit import __version__

    suffix = "" if spec.tier == "default" else f"-{spec.tier}"
    name = f"{spec.lang}_{meta.get('name', 'pipeline')}{suffix}"
    return name, f"{meta.get('version', '0.0.0')}{suffix}+kit{__version__}.{digest.hexdigest()}"

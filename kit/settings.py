"""Settings in one place: paths, limits and defaults, each overridable by environment variable."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "BATCH_SIZE",
    "CLAIMS_MODELS",
    "DEFAULT_PIPELINES",
    "MAX_ARTICLE_TOKENS",
    "MAX_FILE_BYTES",
    "MODELS_DIR",
    "PACKAGE_DIR",
    "PROJECT_DIR",
    "RESEARCH_PIPELINES",
    "RESOURCES_DIR",
    "TIERS",
    "claims_model_path",
    "pipeline_dir",
    "resolve_tier",
    "shared_data_dir",
    "shared_dir",
    "tier_claims_model",
]

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR / "resources"
MODELS_DIR = PACKAGE_DIR / "models"
PROJECT_DIR = PACKAGE_DIR.parent

# The kit's own shipped pipelines, by language (folders under MODELS_DIR).
DEFAULT_PIPELINES: dict[str, str] = {"de": "de_kit_news", "en": "en_kit_news"}
# The kit's trained claims span models, by language (``kit train claims``; trained on
# non-commercial data, see their model cards, so they run in the research tier only).
CLAIMS_MODELS: dict[str, str] = {"de": "de_kit_claims"}

# Licence tiers. "default": every shipped model is trained on data a commercial newsroom may use.
# "research": adds models trained on non-commercial data (named ``<pipeline>-research`` on every
# row and in the manifest). One switch: ``kit build --tier``, ``kit.build(tier=...)``, ``KIT_TIER``.
TIERS: tuple[str, ...] = ("default", "research")
# The research tier's NER pipelines (folders under MODELS_DIR); a language without one runs its
# default NER pipeline in the research tier.
RESEARCH_PIPELINES: dict[str, str] = {"de": "de_kit_news_research"}

MAX_FILE_BYTES = int(os.environ.get("KIT_MAX_FILE_BYTES", str(50 * 1024 * 1024)))
MAX_ARTICLE_TOKENS = int(os.environ.get("KIT_MAX_ARTICLE_TOKENS", "200000"))
BATCH_SIZE = int(os.environ.get("KIT_BATCH_SIZE", "64"))  # articles per chunk (a worker's task)
# A longer article runs through the pipeline in segments cut at paragraph breaks (kit.segments).
SEGMENT_CHARS = int(os.environ.get("KIT_SEGMENT_CHARS", "100000"))
# Docs per nlp.pipe batch: measured fastest on 2 cores, and it keeps the tok2vec's batch arrays
# (which grow with the batch) from adding hundreds of MB to a worker's peak memory.
PIPE_BATCH_SIZE = int(os.environ.get("KIT_PIPE_BATCH_SIZE", "16"))
# ... and at most this many characters per batch (a long article's segment goes alone).
PIPE_BATCH_CHARS = int(os.environ.get("KIT_PIPE_BATCH_CHARS", "100000"))


def shared_dir() -> Path:
    """The workplace's ``shared/`` folder beside the project root (``KIT_SHARED`` overrides)."""
    return Path(os.environ.get("KIT_SHARED", PROJECT_DIR.parent / "shared"))


def shared_data_dir() -> Path:
    """Training and development corpora; read from here, never copied into the project."""
    return shared_dir() / "data"


def resolve_tier(tier: str | None = None) -> str:
    """The tier asked for, else ``KIT_TIER``, else ``default``; an unknown name is a setup error."""
    chosen = (tier if tier is not None else os.environ.get("KIT_TIER", "") or "default").strip().lower()
    if chosen not in TIERS:
        from kit.errors import PipelineError

        source = "tier" if tier is not None else "KIT_TIER"
        raise PipelineError(f"unknown {source} {chosen!r}: use one of {', '.join(TIERS)}")
    return chosen


def pipeline_dir(lang: str, tier: str = "default") -> Path | None:
    """The shipped NER pipeline of a language in a tier (the research tier falls back to the
    default pipeline where it has none of its own); None when the language has none."""
    names = [RESEARCH_PIPELINES.get(lang)] if tier == "research" else []
    for name in [*names, DEFAULT_PIPELINES.get(lang)]:
        if name and (MODELS_DIR / name / "meta.json").exists():
            return MODELS_DIR / name
    return None


def tier_claims_model(lang: str, tier: str = "default") -> Path | None:
    """The claims span model a tier runs: the research tier runs :func:`claims_model_path`; the
    default tier runs the rules alone, because every span model is trained on non-commercial data,
    unless ``KIT_CLAIMS_MODEL_<LANG>`` names a model explicitly."""
    if tier == "research" or os.environ.get(f"KIT_CLAIMS_MODEL_{lang.upper()}") is not None:
        return claims_model_path(lang)
    return None


def claims_model_path(lang: str) -> Path | None:
    """The claims span model for a language: ``KIT_CLAIMS_MODEL_<LANG>`` (a folder, or ``none`` for
    rules only, e.g. where the model's non-commercial licence rules it out), else the shipped one."""
    chosen = os.environ.get(f"KIT_CLAIMS_MODEL_{lang.upper()}")
    if chosen is not None:
        return None if chosen.strip().lower() in {"", "none"} else Path(chosen)
    name = CLAIMS_MODELS.get(lang)
    shipped = MODELS_DIR / name if name else None
    return shipped if shipped is not None and (shipped / "config.cfg").exists() else None

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
    "RESOURCES_DIR",
    "claims_model_path",
    "shared_data_dir",
    "shared_dir",
]

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR / "resources"
MODELS_DIR = PACKAGE_DIR / "models"
PROJECT_DIR = PACKAGE_DIR.parent

# The kit's own shipped pipelines, by language (folders under MODELS_DIR).
DEFAULT_PIPELINES: dict[str, str] = {"de": "de_kit_news", "en": "en_kit_news"}
# The kit's trained claims span models, by language (``kit train claims``; trained on
# non-commercial data, see their model cards).
CLAIMS_MODELS: dict[str, str] = {"de": "de_kit_claims"}

MAX_FILE_BYTES = int(os.environ.get("KIT_MAX_FILE_BYTES", str(50 * 1024 * 1024)))
MAX_ARTICLE_TOKENS = int(os.environ.get("KIT_MAX_ARTICLE_TOKENS", "200000"))
BATCH_SIZE = int(os.environ.get("KIT_BATCH_SIZE", "64"))  # articles per chunk (a worker's task)
# Docs per nlp.pipe batch: measured fastest on 2 cores, and it keeps the tok2vec's batch arrays
# (which grow with the batch) from adding hundreds of MB to a worker's peak memory.
PIPE_BATCH_SIZE = int(os.environ.get("KIT_PIPE_BATCH_SIZE", "16"))


def shared_dir() -> Path:
    """The workplace's ``shared/`` folder beside the project root (``KIT_SHARED`` overrides)."""
    return Path(os.environ.get("KIT_SHARED", PROJECT_DIR.parent / "shared"))


def shared_data_dir() -> Path:
    """Training and development corpora; read from here, never copied into the project."""
    return shared_dir() / "data"


def claims_model_path(lang: str) -> Path | None:
    """The claims span model for a language: ``KIT_CLAIMS_MODEL_<LANG>`` (a folder, or ``none`` for
    rules only, e.g. where the model's non-commercial licence rules it out), else the shipped one."""
    chosen = os.environ.get(f"KIT_CLAIMS_MODEL_{lang.upper()}")
    if chosen is not None:
        return None if chosen.strip().lower() in {"", "none"} else Path(chosen)
    name = CLAIMS_MODELS.get(lang)
    shipped = MODELS_DIR / name if name else None
    return shipped if shipped is not None and (shipped / "config.cfg").exists() else None

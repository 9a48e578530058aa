"""Language detection with lingua (its models ship inside the package: nothing downloads)."""

from __future__ import annotations

import functools
from typing import Any

from kit.ingest.records import Article

__all__ = ["DETECTABLE", "LanguageChooser", "detect_language"]

# ISO 639-1 codes the detector chooses among; a small set keeps it fast and memory-light.
DETECTABLE: tuple[str, ...] = ("de", "en", "fr", "it", "es", "nl", "pt", "pl", "ru", "tr", "sv", "da", "uk", "cs")


@functools.lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in DETECTABLE]
    # Low-accuracy mode uses trigram models only: it loads in milliseconds instead of seconds and is
    # as reliable as the full mode on article-length texts (it only struggles on a few words).
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


def detect_language(text: str, *, default: str = "de") -> str:
    """ISO 639-1 code of the text's language (from its first 2,000 characters)."""
    language = _detector().detect_language_of(text[:2000])
    if language is None:
        return default
    return str(language.iso_code_639_1.name).lower()


class LanguageChooser:
    """Gives every article a language: the record's own, else the detected one."""

    def __init__(self, default: str = "de") -> None:
        self.default = default

    def choose(self, article: Article) -> str:
        if article.language is None:
            article.language = detect_language(article.text, default=self.default)
            article.language_detected = True
        return article.language

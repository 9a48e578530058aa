"""Kept import path: the lexicon lives in :mod:`kit.nlp.claims.lexicon` (``kit.training`` imports it here)."""

from kit.nlp.claims.lexicon import (
    CONTEXT_FILE,
    LEARNED_FILE,
    Lexicon,
    PrepCue,
    find_lexicon,
    learned_context,
    learned_cues,
    load_lexicon,
)

__all__ = [
    "CONTEXT_FILE",
    "LEARNED_FILE",
    "Lexicon",
    "PrepCue",
    "find_lexicon",
    "learned_context",
    "learned_cues",
    "load_lexicon",
]

"""One module of claim grammar per language behind :class:`LanguageRules`, chosen once per language."""

from __future__ import annotations

from kit.nlp.claims.lang.base import LanguageRules
from kit.nlp.claims.lang.de import German
from kit.nlp.claims.lang.en import English

__all__ = ["LanguageRules", "rules_for"]

_RULES: dict[str, LanguageRules] = {rules.code: rules for rules in (German(), English())}


def rules_for(lang: str) -> LanguageRules | None:
    """The grammar of ``lang``; None when the kit has none (then it makes no claims for it)."""
    return _RULES.get(lang)

"""Dictionary form of German multi-word names: the nominative a reporter writes in a list.

Mentions keep the case of their sentence ("der Europäischen Union", "des Deutschen Bundestages");
the entity list should say "Europäische Union" and "Deutscher Bundestag". There is no German
parser in the kit, so this uses what it has: adjective endings, the word before the name and the
lemmatizer's lookup table (for genitive and plural heads), with the head noun's gender from a
suffix list. Rules and word lists live in ``resources/<lang>/entities.yaml``; a language without
them keeps its names as written (English is unaffected).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from spacy.tokens import Token

from kit.resources import load_resource

__all__ = ["dictionary_form", "looks_oblique"]


@functools.lru_cache(maxsize=8)
def _rules(lang: str) -> dict[str, Any]:
    data = load_resource("entities", lang)
    return {
        "endings": sorted((str(e) for e in data.get("name_adjective_endings", [])), key=len, reverse=True),
        "stems": tuple(str(s) for s in data.get("name_adjective_stems", [])),
        "strong": {str(k): str(v) for k, v in (data.get("strong_endings") or {}).items()},
        "genders": sorted(
            ((str(k), str(v)) for k, v in (data.get("noun_genders") or {}).items()), key=lambda kv: -len(kv[0])
        ),
        "genitive_articles": {str(w).lower() for w in data.get("genitive_articles", [])},
        "determiners": {
            str(det).lower(): {str(k): str(v) for k, v in endings.items()}
            for det, endings in (data.get("determiner_genders") or {}).items()
        },
    }


def _split_adjective(text: str, lemma: str, rules: dict[str, Any]) -> tuple[str, str] | None:
    """(stem, ending) when ``text`` is an inflected adjective ("Europäischen" -> "Europäisch", "en")."""
    if not text[:1].isupper() or not text.replace("-", "").isalpha():
        return None
    for ending in rules["endings"]:
        stem = text[: -len(ending)]
        if text.endswith(ending) and len(stem) >= 3 and stem.lower().endswith(rules["stems"]):
            if lemma == stem:  # a noun whose lemma is the stem ("Menschen" -> "Mensch")
                return None
            return stem, ending
    return None


def _gender(head: str, rules: dict[str, Any]) -> str | None:
    last = head.rsplit("-", 1)[-1].lower()
    for suffix, gender in rules["genders"]:
        if last.endswith(suffix):
            return str(gender)
    return None


def _genitive_stem(head: str, rules: dict[str, Any]) -> str:
    """"Fußball-Bundes" -> "Fußball-Bund" where the noun list knows the stem as masculine/neuter."""
    for suffix in ("es", "s"):
        stem = head[: -len(suffix)]
        if head.endswith(suffix) and _gender(stem, rules) in ("m", "n"):
            return stem
    return head


def looks_oblique(name: str, lang: str) -> bool:
    """True when a name starts with a dative/genitive adjective ("Deutschen Post", "Europäischen Union")."""
    rules = _rules(lang)
    words = name.split()
    if not rules["stems"]:
        return False
    split = _split_adjective(words[0], "", rules) if len(words) > 1 else None
    return split is not None and split[1] in ("en", "em")


def dictionary_form(tokens: Sequence[Token], before: Token | None, lang: str) -> str | None:
    """The name in dictionary form, or None when the rules cannot tell (then keep it as written).

    ``tokens`` are the name's words (determiners and roles already stripped); ``before`` is the
    word in front of them ("der", "des", "dem"), which helps with gender and case.
    """
    rules = _rules(lang)
    if len(tokens) < 2 or not rules["strong"]:
        return None
    adjectives: list[tuple[Token, str, str]] = []
    for token in tokens[:-1]:
        split = _split_adjective(token.text, token.lemma_, rules)
        if split is None:
            break
        adjectives.append((token, *split))
    if not adjectives:
        return None
    head = tokens[len(adjectives)]
    if not head.text[:1].isupper():
        return None
    head_text, plural = head.text, False
    lemma = head.lemma_
    if lemma and lemma != head.text and lemma[:1].isupper():
        if head.text in (lemma + "s", lemma + "es"):
            head_text = lemma  # genitive: "Bundestages" -> "Bundestag"
        elif head.text.startswith(lemma):
            plural = True  # "Staaten" -> "Staat", "Nationen" -> "Nation"
    if head_text.endswith("n") and _gender(head_text[:-1], rules) == "pl":
        head_text, plural = head_text[:-1], True  # dative plural: "den Olympischen Spielen"
    if head_text == head.text and before is not None and before.lower_ in rules["genitive_articles"]:
        head_text = _genitive_stem(head.text, rules)  # "des Deutschen Fußball-Bundes"
    ending = adjectives[-1][2]
    gender = "pl" if plural else _gender(head_text, rules)
    if gender is None and before is not None:
        gender = rules["determiners"].get(before.lower_, {}).get(ending)
    if gender is None:
        return None
    if gender == "f" and head_text != head.text:
        return None  # a feminine noun takes no genitive -s: the reading is wrong
    strong = rules["strong"].get(gender)
    if strong is None:
        return None
    parts = [stem + strong + tok.whitespace_ for tok, stem, _ in adjectives]
    parts.append(head_text + head.whitespace_)
    parts += [tok.text_with_ws for tok in tokens[len(adjectives) + 1 :]]
    return "".join(parts).strip()

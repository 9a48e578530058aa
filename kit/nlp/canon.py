"""Canonical entities: clean names, join short forms within an article, key names across articles.

Within an article "Musk" and "Musks" join "Elon Musk", "WSJ" joins "Wall Street Journal", and a
role in front of a name ("US-Präsident Donald Trump") is kept apart as ``role``. Across articles
the name key joins: countries by ISO code in any language (pycountry's translations), other names
by their ``fingerprints`` key. Rules live in ``resources/<lang>/entities.yaml``.
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import re
from collections import Counter
from typing import Any, NamedTuple

import fingerprints
from spacy.tokens import Doc, Span

from kit.nlp.derived import adjective_base, base_entity
from kit.nlp.inflection import dictionary_form
from kit.resources import load_resource

__all__ = [
    "CanonicalMention",
    "canonical_mentions",
    "country_code",
    "entity_id",
    "is_role",
    "map_label",
    "name_key",
]

_STRIP_CHARS = "\"'„“”‚‘’»«›‹()[]{}.,;:!?-–— \n\t"
_ABBREVIATED = re.compile(r"\s(?:[A-ZÄÖÜ]|[IVX]+)$")  # a last word that is an initial or a regnal number


class CanonicalMention(NamedTuple):
    """A mention with the name it joins within its article, and that name's cross-article key."""

    start_char: int
    end_char: int
    text: str
    label: str
    canonical: str
    key: str
    entity_id: str
    role: str | None
    kind: str = "name"  # "name", or "adjective" for a derived adjective linked to its base ("russisch")


def map_label(label: str) -> str | None:
    """PER/ORG/LOC/MISC for any scheme's label (spaCy English's PERSON, GPE, ...); None: not an entity."""
    mapped = load_resource("labels").get(label.upper())
    return str(mapped) if mapped else None


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Lower-cased country names in German and English (official, common, alpha codes) to alpha-2."""
    import pycountry

    german = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"], fallback=True)
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        variants = {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)}
        variants |= {german.gettext(v) for v in list(variants) if v}
        variants |= {country.alpha_3} if country.alpha_3 in ("USA",) else set()
        for variant in variants:
            if variant:
                names.setdefault(variant.lower(), code)
    for alias, code in load_resource("countries").items():
        names[str(alias).lower()] = str(code)
    return names


def country_code(name: str) -> str | None:
    """ISO 3166 alpha-2 code for a country name in German or English, else None."""
    return _country_names().get(name.lower())


@functools.lru_cache(maxsize=65536)
def name_key(name: str, label: str) -> str:
    """Cross-article join key: ``country:ru`` for countries, else the ``fingerprints`` key."""
    if label in ("LOC", "ORG", "MISC"):
        code = country_code(name)
        if code:
            return f"country:{code.lower()}"
    return _fingerprint(name)


@functools.lru_cache(maxsize=65536)
def _fingerprint(name: str) -> str:
    """The ``fingerprints`` key, cached apart from the label (it is the slow part of a name key)."""
    return fingerprints.generate(name) or name.lower()


def entity_id(label: str, key: str) -> str:
    """Stable id from label and key: the same name gets the same id in every build."""
    if key.startswith("country:"):
        label = "LOC"
    return "E" + hashlib.blake2b(f"{label}|{key}".encode(), digest_size=8).hexdigest()


def _rules(lang: str) -> dict[str, Any]:
    return dict(load_resource("entities", lang))


def is_role(token_text: str, stems: tuple[str, ...]) -> bool:
    lower = token_text.lower()
    return any(stem in lower for stem in stems)


def _clean(span: Span, rules: dict[str, Any]) -> tuple[str, int, str | None]:
    """Name without determiners, titles and roles; returns (name, first kept token index, role)."""
    stems = tuple(rules.get("role_stems", ()))
    drop = {w.lower() for w in rules.get("determiners", [])} | {w.lower() for w in rules.get("titles", [])}
    tokens = list(span)
    role_tokens: list[str] = []
    while len(tokens) > 1 and (tokens[0].lower_ in drop or is_role(tokens[0].text, stems) or tokens[0].is_lower):
        if is_role(tokens[0].text, stems):
            role_tokens.append(tokens[0].text)
        tokens = tokens[1:]
    name = span.doc[tokens[0].i : span.end].text.strip(_STRIP_CHARS) if tokens else span.text
    if tokens and span.text.rstrip(_STRIP_CHARS.replace(".", "")).endswith(".") and _ABBREVIATED.search(name):
        name += "."  # "Andrej H.", "Elisabeth II.": the dot belongs to the name
    return name or span.text.strip(_STRIP_CHARS) or span.text, tokens[0].i if tokens else span.start, (
        " ".join(role_tokens) or None
    )


def _context_role(span: Span, rules: dict[str, Any]) -> str | None:
    """A role right before the name ("dem russischen Präsidenten Wladimir Putin")."""
    stems = tuple(rules.get("role_stems", ()))
    determiners = {w.lower() for w in rules.get("determiners", [])}
    doc = span.doc
    for i in range(span.start - 1, max(-1, span.start - 4), -1):
        token = doc[i]
        if token.is_punct or token.ent_type_:
            return None
        if is_role(token.text, stems):
            first = i
            while first > 0 and first > i - 2 and not doc[first].is_sent_start:
                before = doc[first - 1]
                if not (before.is_lower and before.is_alpha) or before.lower_ in determiners:
                    break
                first -= 1
            return doc[first : i + 1].text
        if token.is_sent_start:
            return None
    return None


def _role_after(span: Span, rules: dict[str, Any]) -> str | None:
    """A role the sentence gives a person after the name: "Musk ist nicht nur als Tesla-Chef
    bekannt", "... als Kopf von SpaceX" (a role marker, a role word, and a linked organisation)."""
    markers = {w.lower() for w in rules.get("role_markers", [])}
    links = {w.lower() for w in rules.get("org_role_links", [])}
    stems = tuple(rules.get("role_stems", ()))
    doc = span.doc
    for i in range(span.end, min(len(doc) - 1, span.end + 6)):
        token = doc[i]
        if token.is_sent_start or token.ent_type_ or token.text in {".", ";", ":", ",", "?", "!"}:
            return None
        role = doc[i + 1]
        if token.lower_ not in markers or not is_role(role.text, stems):
            continue
        after = role.i + 1
        if after < len(doc) and doc[after].ent_type_ == "PER":
            return None  # "als Präsident Biden": an apposition of another person
        if after + 1 < len(doc) and doc[after].lower_ in links and doc[after + 1].ent_iob_ == "B":
            end = after + 2
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1
            return doc[role.i : end].text
        return role.text
    return None


def _genitive_context(span: Span, rules: dict[str, Any]) -> bool:
    """The word after the name is a capitalised noun ("Chinas Regierung", "Putins Sprecher") or the
    word before it is a genitive article ("des Konzerns"): places where a trailing s is a genitive."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    before = doc[span.start - 1] if span.start > 0 else None
    genitive_articles = {str(w).lower() for w in rules.get("genitive_articles", [])}
    if before is not None and before.lower_ in genitive_articles:
        return True
    if before is not None and before.text[:1].isupper() and before.is_alpha and not before.is_sent_start:
        return not before.ent_type_  # "die Regierung Chinas"
    return after is not None and after.text[:1].isupper() and after.is_alpha and not after.ent_type_


def _strip_genitive(name: str, span: Span, names: set[str], rules: dict[str, Any]) -> str:
    """"Musks" -> "Musk" when "Musk" is named in the article, or the lemma table agrees and the
    context is a genitive one; "Reuters berichtete" keeps its s (a name known with the s)."""
    last = span[-1]
    for suffix in sorted(rules.get("genitive_suffixes", []), key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            stem = name[: -len(suffix)]
            lemma_agrees = last.lemma_ and last.lemma_ != last.text and last.text.endswith(suffix) and (
                stem.endswith(last.lemma_)
            )
            if stem in names or suffix in ("'s", "’s") or (lemma_agrees and _genitive_context(span, rules)):
                return stem
    return name


def _acronym(name: str) -> str:
    return "".join(part[0] for part in name.replace("-", " ").split() if part[:1].isupper())


def canonical_mentions(doc: Doc, *, lang: str | None = None) -> list[CanonicalMention]:
    """The doc's entity mentions with canonical names, keys and ids (document-level consistency)."""
    rules = _rules(lang or doc.lang_)
    stems = tuple(rules.get("role_stems", ()))
    language = lang or doc.lang_
    raw: list[tuple[Span, str, str, str | None, int]] = []
    adjectives: list[CanonicalMention] = []
    for ent in doc.ents:
        label = map_label(ent.label_)
        if label is None:
            continue
        name, first, role = _clean(ent, rules)
        base = adjective_base(name, language)
        if base is not None:
            adjectives.append(_adjective_mention(ent, base, language))
            continue
        if " " not in name and is_role(name, stems):
            continue  # a role alone ("Tech-Visionär", "Tesla-Chef") names nobody
        if label == "PER":  # roles are said of people ("als Kopf von SpaceX" is no role of SpaceX)
            role = role or _context_role(ent, rules) or _role_after(ent, rules)
        raw.append((ent, label, name, role, first))
    names = {name for _, _, name, _, _ in raw}
    names |= {name.split()[-1] for name in names if " " in name}
    cleaned = [
        (ent, label, _name_form(ent, label, name, first, names, rules, language), role)
        for ent, label, name, role, first in raw
    ]

    # One label per name in the article: the majority label (ties: first seen).
    votes: dict[str, Counter[str]] = {}
    for _, label, name, _ in cleaned:
        votes.setdefault(name, Counter())[label] += 1
    label_of = {name: counter.most_common(1)[0][0] for name, counter in votes.items()}

    # Short forms join the longer name they abbreviate (surname, acronym or leading part): the only
    # candidate, or one mentioned at least twice as often as every other ("Mitt Romney" beats a
    # stray "Santorum Romney").
    frequency = Counter(name for _, _, name, _ in cleaned)
    long_names = sorted({n for n in label_of if " " in n or "-" in n}, key=len, reverse=True)

    def expand(name: str) -> str:
        if name in long_names:
            return name
        candidates = [
            full
            for full in long_names
            if (full.split()[-1] == name and label_of[full] == "PER" and label_of[name] != "LOC")  # not "Occupy Frankfurt"
            or (label_of[full] == "PER" and full.split()[0] == name)  # "Xi" for "Xi Jinping"
            or (label_of[full] == "ORG" and len(name) >= 2 and name.isupper() and _acronym(full) == name)
            or (label_of[full] in ("ORG", "MISC") and full.startswith(name + " "))
        ]
        if len(candidates) > 1:
            candidates.sort(key=lambda full: frequency[full], reverse=True)
            if frequency[candidates[0]] < 2 * frequency[candidates[1]]:
                return name
        return candidates[0] if candidates else name

    canonical_of = {name: expand(name) for name in label_of}
    mentions: list[CanonicalMention] = []
    for ent, _, name, role in cleaned:
        canonical = canonical_of[name]
        label = label_of[canonical]
        key = name_key(canonical, label)
        mentions.append(
            CanonicalMention(ent.start_char, ent.end_char, ent.text, label, canonical, key, entity_id(label, key), role)
        )
    return sorted([*mentions, *adjectives], key=lambda m: m.start_char)


def _adjective_mention(ent: Span, base: str, lang: str) -> CanonicalMention:
    """A derived adjective, linked to the place it comes from ("russischen" -> Russland) if known."""
    place = base_entity(base, lang)
    canonical, label = (place, "LOC") if place else (base, map_label(ent.label_) or "MISC")
    key = name_key(canonical, label)
    return CanonicalMention(
        ent.start_char, ent.end_char, ent.text, label, canonical, key, entity_id(label, key), None, "adjective"
    )


def _name_form(
    ent: Span, label: str, name: str, first: int, names: set[str], rules: dict[str, Any], lang: str
) -> str:
    """Multi-word non-person names in dictionary form, else the name without a genitive s."""
    if label != "PER" and " " in name:
        tokens = list(ent.doc[first : ent.end])
        while tokens and tokens[-1].is_punct:
            tokens.pop()
        before = ent.doc[first - 1] if first > 0 else None
        if " ".join(t.text for t in tokens) == name and not ent.text.rstrip(_STRIP_CHARS.replace("-", "")).endswith("-"):
            form = dictionary_form(tokens, before, lang)
            if form:
                return form
    return _strip_genitive(name, ent, names, rules)

"""Scoring the kit's temporal tagger (``kit_dates``) against TimeML corpora, TempEval-3 style.

Reads TimeML files (TIMEX3, e.g. KRAUTS, TempEval-3) and ACE-style inline TIMEX2 files (e.g.
WikiWarsDE's ``keyinline``, where ``VAL`` becomes the value and there is no type). Only the
``<TEXT>`` element is annotated text; each document's creation time (TIMEX3 with
``functionInDocument="CREATION_TIME"``) is the anchor, and documents without one are tagged in
narrative mode.

Figures, as in TempEval-3 (UzZaman et al. 2013):

- strict span P/R/F1: exact character offsets;
- relaxed span P/R/F1: any overlap, matched one to one;
- type and value accuracy over the relaxed matches (pairs whose gold has the attribute);
- value F1 = relaxed F1 x value accuracy (TempEval-3's "value F1").

``evaluate`` runs the kit's tagger on a blank pipeline (no model needed); ``evaluate_system``
scores another system's TimeML output, such as HeidelTime's, against the same gold, so that
reports can put both side by side.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, NamedTuple

import spacy
from spacy.language import Language

import kit.nlp.dates  # noqa: F401  (registers the kit_dates factory)
from kit.errors import EvaluationDataError

__all__ = [
    "GoldTimex",
    "TimemlDoc",
    "evaluate",
    "evaluate_system",
    "format_report",
    "read_timeml",
    "score",
]

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)((?:\s+[^>]*?)?)(/?)>", re.DOTALL)
_ATTR = re.compile(r'([A-Za-z_:]+)\s*=\s*"([^"]*)"')
_DCT = re.compile(r"<TIMEX3\b[^>]*functionInDocument=\"CREATION_TIME\"[^>]*>", re.DOTALL)
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)
_SUFFIXES = (".tml", ".xml", ".timeml")
_STANDOFF = (".apf.xml",)  # ACE standoff (WikiWars' key folder): no text, the inline files are read


class GoldTimex(NamedTuple):
    """One annotated expression; ``type`` is None for TIMEX2 (which has no type attribute)."""

    start: int
    end: int
    text: str
    type: str | None
    value: str | None


@dataclass
class TimemlDoc:
    """A TimeML document reduced to what scoring needs: plain text, anchor, annotations."""

    name: str
    text: str
    dct: dt.date | None
    timexes: list[GoldTimex] = field(default_factory=list)


def read_timeml(path: Path) -> TimemlDoc:
    """Plain text of ``<TEXT>`` with character offsets of its outermost TIMEX3/TIMEX2 elements."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    dct: dt.date | None = None
    m = _DCT.search(raw)
    if m:
        value = dict(_ATTR.findall(m.group(0))).get("value", "")
        try:
            dct = dt.date.fromisoformat(value[:10])
        except ValueError:
            dct = None
    body = _TEXT.search(raw)
    content = body.group(1) if body else raw
    parts: list[str] = []
    length = 0
    stack: list[tuple[int, dict[str, str]] | None] = []
    timexes: list[GoldTimex] = []
    pos = 0
    for tag in _TAG.finditer(content):
        chunk = html.unescape(content[pos : tag.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = tag.end()
        closing, name, attrs, selfclosing = tag.groups()
        if name.upper() not in ("TIMEX3", "TIMEX2") or selfclosing:
            continue
        if not closing:
            outer = not any(stack)
            stack.append((length, dict(_ATTR.findall(attrs))) if outer else None)
            continue
        if not stack:
            continue
        opened = stack.pop()
        if opened is None:
            continue
        start, attributes = opened
        text = "".join(parts)[start:length]
        value = attributes.get("value") or attributes.get("VAL") or attributes.get("val")
        timexes.append(GoldTimex(start, length, text, attributes.get("type"), value))
    parts.append(html.unescape(content[pos:]))
    return TimemlDoc(path.name, "".join(parts), dct, sorted(timexes))


def _files(path: Path) -> list[Path]:
    """The TimeML files under ``path``, each document once: byte-identical copies are scored once,
    and a folder whose subfolders annotate the same documents differently (gold beside a system's
    output, inline beside standoff) is refused rather than scored twice."""
    if path.is_file():
        return [path]
    files = sorted(
        p
        for p in path.rglob("*")
        if p.is_file() and p.name.lower().endswith(_SUFFIXES) and not p.name.lower().endswith(_STANDOFF)
    )
    kept: dict[str, Path] = {}
    clashes: set[Path] = set()
    for f in files:
        first = kept.setdefault(f.name, f)
        if first != f and first.read_bytes() != f.read_bytes():
            clashes |= {first.parent, f.parent}
    if clashes:
        names = ", ".join(sorted(str(folder.relative_to(path)) for folder in clashes))
        raise EvaluationDataError(
            f"{path}: these folders annotate the same documents differently: {names}; "
            "pass the gold folder alone"
        )
    return sorted(kept.values())


def _guess_lang(text: str) -> str:
    """German or English from function words: the corpora are one or the other."""
    words = re.findall(r"[a-zäöüß]+", text.lower())
    de = sum(w in ("der", "die", "und", "das", "nicht", "mit", "ist") for w in words)
    de += sum(any(c in w for c in "äöüß") for w in words)  # "Was früher als Luxus galt": not English
    en = sum(w in ("the", "and", "of", "is", "that", "with", "was") for w in words)
    return "de" if de > en else "en"


@functools.cache
def _pipeline(lang: str, timeml_strict: bool = False) -> Language:
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kit_dates", config={"mode": "news", "timeml_strict": timeml_strict})
    return nlp


def _tag(doc: TimemlDoc, lang: str, timeml_strict: bool = False) -> list[GoldTimex]:
    nlp = _pipeline(lang, timeml_strict)
    sdoc = nlp.make_doc(doc.text)
    sdoc._.published = doc.dct
    for _, component in nlp.pipeline:
        sdoc = component(sdoc)
    return [GoldTimex(t.start_char, t.end_char, t.text, t.type, t.value) for t in sdoc._.timexes]


@dataclass
class _Counts:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    typed: int = 0  # relaxed matches whose gold has a type
    type_correct: int = 0
    valued: int = 0
    value_correct: int = 0

    def add(self, other: _Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def score(gold: list[GoldTimex], system: list[GoldTimex]) -> tuple[_Counts, list[dict[str, Any]]]:
    """Counts for one document and the disagreements (for error analysis)."""
    counts = _Counts(gold=len(gold), system=len(system))
    gold_spans = {(g.start, g.end) for g in gold}
    counts.strict = sum((s.start, s.end) in gold_spans for s in system)
    used: set[int] = set()
    errors: list[dict[str, Any]] = []
    for g in gold:
        match = next(
            (i for i, s in enumerate(system) if i not in used and s.start < g.end and g.start < s.end), None
        )
        if match is None:
            errors.append({"kind": "missed", "gold": g.text, "value": g.value, "type": g.type})
            continue
        used.add(match)
        s = system[match]
        counts.relaxed += 1
        if g.type:
            counts.typed += 1
            counts.type_correct += g.type == s.type
        if g.value:
            counts.valued += 1
            counts.value_correct += g.value == s.value
        if g.value != s.value or (g.type and g.type != s.type) or (g.start, g.end) != (s.start, s.end):
            errors.append(
                {
                    "kind": "mismatch",
                    "gold": g.text,
                    "system": s.text,
                    "type": g.type,
                    "system_type": s.type,
                    "value": g.value,
                    "system_value": s.value,
                }
            )
    errors.extend(
        {"kind": "spurious", "system": s.text, "system_type": s.type, "system_value": s.value}
        for i, s in enumerate(system)
        if i not in used
    )
    return counts, errors


def _prf(tp: int, n_system: int, n_gold: int) -> dict[str, float]:
    p = tp / n_system if n_system else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _summary(
    counts: _Counts, per_file: list[dict[str, Any]], errors: list[dict[str, Any]], system_name: str
) -> dict[str, Any]:
    relaxed = _prf(counts.relaxed, counts.system, counts.gold)
    value_accuracy = counts.value_correct / counts.valued if counts.valued else 0.0
    return {
        "system": system_name,
        "files": len(per_file),
        "gold": counts.gold,
        "predicted": counts.system,
        "strict": _prf(counts.strict, counts.system, counts.gold),
        "relaxed": relaxed,
        "type_accuracy": counts.type_correct / counts.typed if counts.typed else None,
        "value_accuracy": value_accuracy,
        "value_f1": relaxed["f1"] * value_accuracy,
        "per_file": per_file,
        "errors": errors,
    }


def _run(pairs: Iterable[tuple[str, list[GoldTimex], list[GoldTimex]]], system_name: str) -> dict[str, Any]:
    total = _Counts()
    per_file: list[dict[str, Any]] = []
    all_errors: list[dict[str, Any]] = []
    for name, gold, system in pairs:
        counts, errors = score(gold, system)
        total.add(counts)
        per_file.append(
            {
                "file": name,
                "gold": counts.gold,
                "predicted": counts.system,
                "strict": counts.strict,
                "relaxed": counts.relaxed,
                "value_correct": counts.value_correct,
            }
        )
        all_errors.extend({"file": name, **e} for e in errors)
    return _summary(total, per_file, all_errors, system_name)


def evaluate(
    path: Path, *, lang: str | None = None, limit: int | None = None, timeml_strict: bool = False
) -> dict[str, Any]:
    """Tag every TimeML file under ``path`` with ``kit_dates`` and score it against its gold.

    ``lang`` None guesses German or English per document; ``limit`` takes the first files in
    name order (for quick checks and test slices); ``timeml_strict`` scores the scheme's reading
    (docs/dates.md, "Conventions").
    """
    files = _files(Path(path))[:limit]

    def pairs() -> Iterable[tuple[str, list[GoldTimex], list[GoldTimex]]]:
        for f in files:
            doc = read_timeml(f)
            yield f.name, doc.timexes, _tag(doc, lang or _guess_lang(doc.text), timeml_strict)

    result = _run(pairs(), "kit (timeml_strict)" if timeml_strict else "kit")
    result["path"] = str(path)
    return result


def _realign(system: TimemlDoc, gold_text: str) -> list[GoldTimex]:
    """Move a system's offsets onto the gold text when whitespace or encoding differs."""
    if system.text.rstrip() == gold_text.rstrip():
        return system.timexes
    matcher = SequenceMatcher(None, system.text, gold_text, autojunk=False)
    mapping: dict[int, int] = {}
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size + 1):
            mapping[a + k] = b + k
    return [
        t._replace(start=mapping[t.start], end=mapping[t.end])
        for t in system.timexes
        if t.start in mapping and t.end in mapping
    ]


def evaluate_system(
    gold_path: Path, system_path: Path, *, limit: int | None = None, name: str = "HeidelTime"
) -> dict[str, Any]:
    """Score another tagger's TimeML output (files paired by name) against the gold."""
    gold_files = _files(Path(gold_path))[:limit]
    system_dir = Path(system_path)

    def pairs() -> Iterable[tuple[str, list[GoldTimex], list[GoldTimex]]]:
        for f in gold_files:
            gold = read_timeml(f)
            candidate = system_dir / f.name if system_dir.is_dir() else system_dir
            system = _realign(read_timeml(candidate), gold.text) if candidate.is_file() else []
            yield f.name, gold.timexes, system

    result = _run(pairs(), name)
    result["path"] = str(gold_path)
    return result


def format_report(result: dict[str, Any], *, errors: int = 0) -> str:
    """A short text table of a result from ``evaluate`` or ``evaluate_system``."""

    def row(label: str, prf: dict[str, float]) -> str:
        return f"  {label:<14}P {prf['precision']:.3f}  R {prf['recall']:.3f}  F1 {prf['f1']:.3f}"

    type_acc = result["type_accuracy"]
    lines = [
        (
            f"{result['system']} on {result.get('path', '?')}: {result['files']} files, "
            f"{result['gold']} gold, {result['predicted']} predicted"
        ),
        row("strict span", result["strict"]),
        row("relaxed span", result["relaxed"]),
        f"  type accuracy  {type_acc:.3f}" if type_acc is not None else "  type accuracy  n/a (TIMEX2)",
        f"  value accuracy {result['value_accuracy']:.3f}   value F1 {result['value_f1']:.3f}",
    ]
    for e in result["errors"][:errors]:
        lines.append("  " + " | ".join(f"{k}={v}" for k, v in e.items()))
    return "\n".join(lines)

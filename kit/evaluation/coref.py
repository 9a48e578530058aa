"""Scores the pronoun coreference step (:mod:`kit.nlp.coref`) on GUM's coreference annotation.

GUM (``../shared/data/ud/en/gum``) marks every mention in the CoNLL-U MISC column
(``Entity=(3-person-...`` opens mention of entity 3, ``3)`` closes it; ``global.Entity`` names the
fields: group id, entity type, ...).  Only the documents listed in ``files.dev`` that are present
are read (the test documents are held out).  Each document is rebuilt from its words (so token
indices are GUM's), the pipeline (default: the shipped English one) runs over it, and
``kit.nlp.coref`` resolves every third-person pronoun of ``coref.yaml``.

- gold: pronoun mentions whose entity is a person or an organisation and was mentioned before;
- a resolution is correct when the smallest gold mention holding the predicted mention belongs to
  the pronoun's entity;
- precision = correct / all resolutions (a resolved pleonastic "it" counts against it), recall =
  correct / gold; ``reachable`` = gold pronouns whose entity has an earlier mention that the
  pipeline's NER found with a label the rules accept (the recall a perfect chooser could reach).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kit.errors import KitError
from kit.nlp.coref import Resolver, find_rules
from kit.settings import DEFAULT_PIPELINES, MODELS_DIR

__all__ = ["GumDocument", "evaluate", "format_report", "read_gum"]

GOLD_TYPES = ("person", "organization")
_OPEN = re.compile(r"\((\d+)-([^()\-]+)[^()]*(\))?")
_CLOSE = re.compile(r"^(\d+)\)")


@dataclass(frozen=True)
class GumDocument:
    name: str
    words: list[str]
    spaces: list[bool]
    sent_starts: list[bool]
    heads: list[int]  # absolute token index of the head (itself for the root)
    deps: list[str]
    pos: list[str]
    lemmas: list[str]
    mentions: list[tuple[int, int, int, str]]  # (start, end, entity id, entity type)


def _entity_marks(value: str) -> Iterator[tuple[str, int, str]]:
    """("open" / "close" / "single", entity id, type) of one ``Entity=`` value, in order."""
    k = 0
    while k < len(value):
        if value[k] == "(":
            m = _OPEN.match(value, k)
            if m is None:
                raise KitError(f"unreadable GUM entity annotation {value!r}")
            yield ("single" if m.group(3) else "open"), int(m.group(1)), m.group(2)
            k = m.end()
        else:
            m = _CLOSE.match(value[k:])
            if m is None:
                raise KitError(f"unreadable GUM entity annotation {value!r}")
            yield "close", int(m.group(1)), ""
            k += m.end()


def read_gum(path: Path) -> GumDocument:
    """One GUM CoNLL-U document: words (multi-word token ranges and empty nodes left out), gold
    syntax and mentions."""
    words: list[str] = []
    spaces: list[bool] = []
    starts: list[bool] = []
    heads: list[int] = []
    deps: list[str] = []
    pos: list[str] = []
    lemmas: list[str] = []
    mentions: list[tuple[int, int, int, str]] = []
    opened: dict[int, list[tuple[int, str]]] = {}
    sent_base = 0
    new_sent = True
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            new_sent, sent_base = True, len(words)
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise KitError(f"{path.name}:{line_no}: expected 10 columns, got {len(cols)}")
        if "-" in cols[0] or "." in cols[0]:
            continue
        i = len(words)
        words.append(cols[1])
        misc = dict(f.split("=", 1) for f in cols[9].split("|") if "=" in f)
        spaces.append(misc.get("SpaceAfter") != "No")
        starts.append(new_sent)
        new_sent = False
        head = int(cols[6]) if cols[6].isdigit() else 0
        heads.append(sent_base + head - 1 if head else i)
        deps.append(cols[7])
        pos.append(cols[3])
        lemmas.append(cols[2])
        for kind, ent, etype in _entity_marks(misc.get("Entity", "")):
            if kind == "single":
                mentions.append((i, i + 1, ent, etype))
            elif kind == "open":
                opened.setdefault(ent, []).append((i, etype))
            elif opened.get(ent):
                start, etype = opened[ent].pop()
                mentions.append((start, i + 1, ent, etype))
    return GumDocument(path.stem, words, spaces, starts, heads, deps, pos, lemmas, mentions)


def dev_files(folder: Path) -> list[Path]:
    """The dev documents of ``files.dev`` that are present (the test documents are never read)."""
    listing = folder / "files.dev"
    if not listing.exists():
        raise KitError(f"{folder}: no files.dev (a GUM folder lists its dev documents there)")
    names = [n.strip() for n in listing.read_text(encoding="utf-8").split() if n.strip()]
    return [folder / f"{n}.conllu" for n in names if (folder / f"{n}.conllu").exists()]


def _pipeline(model: str | None) -> Language:
    target = model or str(MODELS_DIR / DEFAULT_PIPELINES["en"])
    try:
        return spacy.load(target)
    except OSError as exc:
        raise KitError(f"cannot load the pipeline {target}: {exc}") from exc


def _doc(nlp: Language, gold: GumDocument, gold_syntax: bool) -> Doc:
    """The document on GUM's words through the pipeline; ``gold_syntax``: GUM's parse instead of the
    pipeline's (the pipeline's parser and sentence splitter are skipped)."""
    if gold_syntax:
        doc = Doc(
            nlp.vocab,
            words=gold.words,
            spaces=gold.spaces,
            heads=gold.heads,
            deps=gold.deps,
            pos=gold.pos,
            lemmas=gold.lemmas,
            sent_starts=list[bool | int | None](gold.sent_starts),
        )
        skip = {
            "parser",
            "senter",
            "sentencizer",
            "tagger",
            "morphologizer",
            "lemmatizer",
            "trainable_lemmatizer",
        }
    else:
        doc = Doc(nlp.vocab, words=gold.words, spaces=gold.spaces)
        skip = set()
    for name, proc in nlp.pipeline:
        if name not in skip and not name.startswith("kit_"):
            doc = proc(doc)
    return doc


def _score(doc: Doc, gold: GumDocument, counts: dict[str, int]) -> None:
    rules = find_rules("en")
    assert rules is not None
    resolver = Resolver(doc, rules)
    by_start: dict[int, list[tuple[int, int, int, str]]] = {}
    for m in gold.mentions:
        by_start.setdefault(m[0], []).append(m)
    single = {m[0]: m for m in gold.mentions if m[1] - m[0] == 1}
    first_of: dict[int, int] = {}
    for m in sorted(gold.mentions):
        first_of.setdefault(m[2], m[0])
    types = {m[2]: m[3] for m in gold.mentions}
    for tok in doc:
        if tok.lower_ not in rules.pronouns:
            continue
        mention = single.get(tok.i)
        ent = mention[2] if mention else None
        is_gold = ent is not None and types[ent] in GOLD_TYPES and first_of[ent] < tok.i
        if is_gold:
            counts["gold"] += 1
            earlier = [m for m in gold.mentions if m[2] == ent and m[1] <= tok.i]
            if any(
                e.end <= tok.i and any(m[0] <= e.start and e.end <= m[1] for m in earlier)
                for e in resolver.ents
                if resolver.compatible(e, rules.pronouns[tok.lower_])
            ):
                counts["reachable"] += 1
        found = resolver.antecedent(tok.i)
        if found is None:
            continue
        counts["predicted"] += 1
        holding = [m for m in gold.mentions if m[0] <= found.start and found.end <= m[1]]
        if is_gold and holding and min(holding, key=lambda m: m[1] - m[0])[2] == ent:
            counts["correct"] += 1


def evaluate(
    path: Path, *, model: str | None = None, gold_syntax: bool = False, limit: int | None = None
) -> dict[str, object]:
    """Pronoun resolution precision / recall on the GUM dev documents under ``path``."""
    path = Path(path)
    files = dev_files(path) if path.is_dir() else [path]
    if limit is not None:
        files = files[:limit]
    if not files:
        raise KitError(f"{path}: no GUM dev documents found")
    nlp = _pipeline(model)
    counts = dict.fromkeys(("gold", "reachable", "predicted", "correct"), 0)
    for file in files:
        gold = read_gum(file)
        _score(_doc(nlp, gold, gold_syntax), gold, counts)
    p = counts["correct"] / counts["predicted"] if counts["predicted"] else 0.0
    r = counts["correct"] / counts["gold"] if counts["gold"] else 0.0
    return {
        "path": str(path),
        "model": model or DEFAULT_PIPELINES["en"],
        "syntax": "gold (GUM)" if gold_syntax else "+".join(nlp.pipe_names),
        "documents": len(files),
        **counts,
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "reachable_share": counts["reachable"] / counts["gold"] if counts["gold"] else 0.0,
    }


def format_report(result: dict[str, object]) -> str:
    return "\n".join(
        [
            f"coref evaluation: {result['path']} ({result['model']}; syntax {result['syntax']})",
            (
                f"documents {result['documents']}; third-person pronouns referring to a person or organisation "
                f"mentioned before: {result['gold']} (reachable through NER: {result['reachable']}, "
                f"{result['reachable_share']:.3f})"
            ),
            f"resolved {result['predicted']}, correct {result['correct']}",
            f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  F1 {result['f1']:.3f}",
        ]
    )

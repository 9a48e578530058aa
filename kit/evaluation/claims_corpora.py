"""Readers of the gold attribution corpora: the one place evaluation and training read them from.

Every reader returns :class:`GoldDocument`: the text and, per attribution, the character spans of
its cue, source and content (in that order).  Formats, chosen by what a path holds:

- SpkAtt-2023 JSON (``*.json``; news task 2 and Bundestag task 1 share it): ``Sentences`` with
  ``Tokens``; ``Annotations`` with token ids ``"sentence:token"`` under ``Cue``, ``Source``,
  ``Message``.  The text is rebuilt from the tokens as running text (see :func:`detokenise`), a
  blank line between sentences, so every token's offsets are known.
- brat standoff (``*.ann`` beside a ``*.txt`` of the same stem, or PolNeAR's ``attributions/`` and
  ``text/`` folders, where the ``.ann`` stem carries an ``_annotator`` suffix): ``T`` lines labelled
  ``Source``, ``Cue``, ``Content`` and ``E`` lines that group them into one attribution.
- Redewiedergabe column TSV (``rwk_*.tsv``): one token per line; ``stwr`` holds the
  speech/thought/writing instances a token belongs to (``type.medium.id...``, nested with ``|``),
  ``speaker`` and ``intexpr`` (the introducing expression) name instance ids.  An instance is an
  attribution when its medium includes speech or writing (thought is not a claim): content = its
  ``stwr`` tokens, cue = its ``intexpr`` tokens, source = its ``speaker`` tokens.  Sentences are
  joined by one space (the samples are running prose, not one sentence per paragraph).

:func:`fold_of` puts a document in one of k folds by a stable hash of its name, so cross-validation
leaves whole documents out and gives the same folds on every machine and run.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "GoldDocument",
    "brat_text",
    "detokenise",
    "documents",
    "fold_of",
    "guess_lang",
    "read_brat",
    "read_redewiedergabe",
    "read_spkatt",
]

Spans = list[tuple[int, int]]


@dataclass(frozen=True)
class GoldDocument:
    name: str
    text: str
    attributions: list[list[Spans]]  # per attribution: cue, source, content char spans


# Detokenising: no space after an opening mark, none before a closing mark or punctuation, so
# quotations look as they do in running text ("„weit hinter“", "sagte, dass").
_OPENING = frozenset("„»([‚")
_CLOSING = frozenset("“”«)],.;:!?‘")


def detokenise(
    sentences: Sequence[Sequence[str]], sentence_sep: str = "\n\n"
) -> tuple[str, list[list[tuple[int, int]]]]:
    """Running text from token lists and each token's (start, end) offsets, per sentence."""
    parts: list[str] = []
    offsets: list[list[tuple[int, int]]] = []
    pos = 0
    straight_open = False
    for tokens in sentences:
        if parts:
            parts.append(sentence_sep)
            pos += len(sentence_sep)
        glue_next = False
        if sentence_sep == "\n\n":
            straight_open = False
        row: list[tuple[int, int]] = []
        for k, token in enumerate(tokens):
            opening = token in _OPENING or token == '"' and not straight_open
            closing = token in _CLOSING or token == '"' and straight_open
            if token == '"':
                straight_open = not straight_open
            if k and not glue_next and not closing:
                parts.append(" ")
                pos += 1
            glue_next = opening
            row.append((pos, pos + len(token)))
            parts.append(token)
            pos += len(token)
        offsets.append(row)
    return "".join(parts), offsets


def read_spkatt(path: Path) -> GoldDocument:
    """A SpkAtt-2023 JSON file (news task 2 or Bundestag task 1)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    sentences = data["Sentences"]
    text, rows = detokenise([s["Tokens"] for s in sentences])
    offsets = {
        f"{s['SentenceId']}:{k}": span
        for s, row in zip(sentences, rows, strict=True)
        for k, span in enumerate(row)
    }
    gold = [
        [[offsets[t] for t in ann.get(key) or () if t in offsets] for key in ("Cue", "Source", "Message")]
        for ann in data["Annotations"]
    ]
    return GoldDocument(path.stem, text, gold)


_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")


def read_brat(ann: Path, txt: Path) -> GoldDocument:
    """A brat ``.ann`` file and the text it indexes."""
    text = txt.read_text(encoding="utf-8")
    spans: dict[str, Spans] = {}
    events: list[dict[str, str]] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        m = _T_LINE.match(line)
        if m:
            spans[m.group(1)] = [(int(a), int(b)) for a, b in (p.split() for p in m.group(3).split(";"))]
            continue
        m = _E_LINE.match(line)
        if m:
            events.append(dict(arg.split(":", 1) for arg in m.group(2).split() if ":" in arg))
    gold = [[spans.get(event.get(role, ""), []) for role in ("Cue", "Source", "Content")] for event in events]
    return GoldDocument(ann.stem, text, gold)


def brat_text(ann: Path) -> Path | None:
    """The ``.txt`` a brat ``.ann`` file indexes (same folder or PolNeAR's ``text/``), if any."""
    for folder in (ann.parent, ann.parent.parent / "text"):
        for stem in (ann.stem, re.sub(r"_[0-9a-f]{4}$", "", ann.stem)):
            candidate = folder / f"{stem}.txt"
            if candidate.exists():
                return candidate
    return None


_CLAIM_MEDIA = ("speech", "writing")


def read_redewiedergabe(path: Path) -> GoldDocument:
    """A Redewiedergabe column TSV sample; speech and writing instances become attributions."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or not lines[0].startswith("tok\t"):
        raise ValueError(f"{path}: not a Redewiedergabe TSV (no 'tok' header)")
    header = lines[0].split("\t")
    col = {name: header.index(name) for name in ("tok", "sentstart", "stwr", "speaker", "intexpr")}
    sentences: list[list[str]] = []
    fields: list[list[str]] = []
    for line in lines[1:]:
        cells = line.split("\t")
        if len(cells) < len(header):
            continue
        if cells[col["sentstart"]] == "yes" or not sentences:
            sentences.append([])
        sentences[-1].append(cells[col["tok"]])
        fields.append(cells)
    text, rows = detokenise(sentences, sentence_sep=" ")
    offsets = [span for row in rows for span in row]
    roles: dict[str, list[Spans]] = {}
    claim_ids: set[str] = set()
    for span, cells in zip(offsets, fields, strict=True):
        for instance in cells[col["stwr"]].split("|"):
            attrs = instance.split(".")
            if len(attrs) >= 3:
                media = re.split(r"[ _]", attrs[1])
                if any(m in _CLAIM_MEDIA for m in media):
                    claim_ids.add(attrs[2])
                roles.setdefault(attrs[2], [[], [], []])[2].append(span)
        for slot, name in ((0, "intexpr"), (1, "speaker")):
            value = cells[col[name]]
            if value.startswith(f"{name}."):
                for ident in value.split(".", 1)[1].split("_"):
                    roles.setdefault(ident, [[], [], []])[slot].append(span)
    gold = [roles[i] for i in sorted(claim_ids, key=lambda s: (len(s), s))]
    return GoldDocument(path.stem, text, gold)


def documents(path: Path) -> Iterator[GoldDocument]:
    """Gold documents under ``path`` (a file or folder) in a stable order, whatever the format."""
    if path.is_file():
        files = [path]
    else:
        files = sorted(
            p
            for p in path.rglob("*")
            if p.suffix in (".json", ".ann") or p.suffix == ".tsv" and p.name.startswith("rwk_")
        )
    for file in files:
        if file.suffix == ".json":
            yield read_spkatt(file)
        elif file.suffix == ".tsv":
            yield read_redewiedergabe(file)
        elif file.suffix == ".ann":
            txt = brat_text(file)
            if txt is not None:
                yield read_brat(file, txt)


def guess_lang(path: Path) -> str:
    """German for SpkAtt JSON and Redewiedergabe TSV, else English (PolNeAR brat)."""
    if path.is_file():
        return "en" if path.suffix == ".ann" else "de"
    return "de" if any(path.rglob("*.json")) or any(path.rglob("rwk_*.tsv")) else "en"


def fold_of(name: str, k: int) -> int:
    """The fold (0..k-1) of a document: a stable hash of its name, the same on every run."""
    return int.from_bytes(hashlib.sha1(name.encode("utf-8")).digest()[:4], "big") % k

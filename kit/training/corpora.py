"""Readers for the NER corpora in ``shared/data/ner``: one gold format for training and evaluation.

Every corpus becomes a stream of :class:`GoldDoc` (text + character spans with the kit's labels
PER/ORG/LOC/MISC), so the DocBin converter and the scorer share the same reading, label mapping
(``label_maps.yaml``) and train/dev split (``corpora.yaml``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from kit.settings import shared_data_dir

__all__ = [
    "LABELS",
    "CorpusSpec",
    "GoldDoc",
    "SilverFilter",
    "corpus_of_path",
    "corpus_specs",
    "detect_format",
    "iter_corpus",
    "label_map",
    "map_label",
    "read_conll",
    "read_germeval",
    "read_gold",
    "read_hipe",
    "read_indexed",
    "read_smartdata",
    "split_of",
    "tags_to_spans",
]

LABELS: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")
_HERE = Path(__file__).resolve().parent
LABEL_MAPS_FILE = _HERE / "label_maps.yaml"
CORPORA_FILE = _HERE / "corpora.yaml"
DEV_PERCENT = 20  # share of documents held out as dev where a corpus ships without a dev file

_TAG = re.compile(r"^(O|[BIESL][-_][A-Za-z][\w.-]*)$")
_SENT_END = {".", "!", "?"}
_LONG_SENTENCE = 120  # corpora without sentence breaks (Europeana) are cut at "." beyond this
_BLOCK = 20  # train/dev split unit: blocks of this many sentences of one document


@dataclass
class GoldDoc:
    """Gold text with entity spans as character offsets ``(start, end, label)``.

    ``words`` is kept for token-based corpora so that a model can be run on the gold
    tokenisation (the text is the words joined by single spaces).
    """

    doc_id: str  # "<document>\t<sentence>": the part before the tab decides the train/dev split
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    words: list[str] | None = None


@dataclass(frozen=True)
class CorpusSpec:
    """One corpus entry of ``corpora.yaml``: files per split, format, label map, licence."""

    name: str
    lang: str
    fmt: str
    labels: str
    licence: str
    source: str
    train: tuple[str, ...]
    dev: tuple[str, ...]
    use: bool
    note: str = ""
    model_licence: str = ""  # the licence a model trained on it takes on
    tier: str = "default"  # "research": trained on only by the research tier (non-commercial data)
    mix: float | None = None  # silver data: at most this many tokens per gold training token
    filters: SilverFilter | None = None


@dataclass(frozen=True)
class SilverFilter:
    """Filters for silver sentences (``filter`` in ``corpora.yaml``): what a sentence must not be.

    ``drop_tokens``: a sentence holding one of these tokens is dropped (WikiANN's "WEITERLEITUNG"
    redirect lines); ``min_tokens``: shorter sentences are fragments (list items, titles);
    ``drop_substrings``: wiki markup left in a token ("]]", "''") marks a broken sentence;
    ``max_name_share``: a sentence whose tokens are mostly names is a list or caption, which
    feeds the every-sentence-has-a-name bias of anchor-link silver data.
    """

    drop_tokens: frozenset[str] = frozenset()
    drop_substrings: tuple[str, ...] = ()
    min_tokens: int = 0
    max_name_share: float = 1.0

    def keep(self, doc: GoldDoc) -> bool:
        words = doc.words if doc.words is not None else doc.text.split()
        if len(words) < self.min_tokens or self.drop_tokens.intersection(words):
            return False
        if any(mark in doc.text for mark in self.drop_substrings):
            return False
        name_chars = sum(len(doc.text[start:end].replace(" ", "")) for start, end, _ in doc.spans)
        return name_chars <= self.max_name_share * max(1, len(doc.text.replace(" ", "")))


@cache
def _label_maps() -> dict[str, dict[str, str]]:
    with LABEL_MAPS_FILE.open(encoding="utf-8") as f:
        data: dict[str, dict[str, str]] = yaml.safe_load(f)
    return data


def label_map(corpus: str) -> dict[str, str]:
    """The type -> kit label mapping for a corpus (``default`` for unknown corpora)."""
    maps = _label_maps()
    return maps.get(corpus, maps["default"])


def _norm_type(raw: str) -> str:
    return raw.strip().lower().replace("_", "-")


def map_label(raw: str, corpus: str) -> str | None:
    """Map a corpus entity type to PER/ORG/LOC/MISC, or None when it is not a kit entity."""
    return label_map(corpus).get(_norm_type(raw))


def tags_to_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Token spans ``(start, end, type)`` from IOB1, IOB2 or BIOES/BILOU tags.

    An ``I-`` after ``O`` or after another type opens an entity (IOB1), so the same
    function reads both IOB schemes.
    """
    spans: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, typ = tag.replace("_", "-", 1).partition("-")
        continues = prefix in {"I", "E", "L"} and typ == kind and start >= 0
        if start >= 0 and not continues:
            spans.append((start, i, kind))
            start, kind = -1, ""
        if prefix in {"B", "S", "U"} or (prefix in {"I", "E", "L"} and not continues):
            start, kind = i, typ
        if prefix in {"E", "L", "S", "U"} and start >= 0:
            spans.append((start, i + 1, kind))
            start, kind = -1, ""
    return spans


def split_of(key: str, *, dev_percent: int = DEV_PERCENT) -> str:
    """Deterministic train/dev assignment of a document by hash of its id (stable across runs)."""
    bucket = int(hashlib.md5(key.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "dev" if bucket < dev_percent else "train"


def _from_words(doc_id: str, words: list[str], tags: list[str], corpus: str) -> GoldDoc:
    offsets: list[int] = []
    pos = 0
    for w in words:
        offsets.append(pos)
        pos += len(w) + 1
    spans: list[tuple[int, int, str]] = []
    for start, end, typ in tags_to_spans(tags):
        label = map_label(typ, corpus)
        if label is not None:
            spans.append((offsets[start], offsets[end - 1] + len(words[end - 1]), label))
    return GoldDoc(doc_id=doc_id, text=" ".join(words), spans=spans, words=list(words))


def _chunks(words: list[str], tags: list[str]) -> Iterator[tuple[list[str], list[str]]]:
    """Cut over-long 'sentences' (corpora without sentence breaks) after sentence-final marks."""
    start = 0
    for i, w in enumerate(words):
        nxt = tags[i + 1] if i + 1 < len(words) else "O"
        if i - start + 1 >= _LONG_SENTENCE and w in _SENT_END and not nxt.startswith("I"):
            yield words[start : i + 1], tags[start : i + 1]
            start = i + 1
    if start < len(words):
        yield words[start:], tags[start:]


def _open_text(path: Path) -> Iterator[str]:
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as f:
            yield from f
    else:
        with path.open(encoding="utf-8") as f:
            yield from f


def read_conll(path: Path, *, corpus: str = "default") -> Iterator[GoldDoc]:
    """CoNLL-style columns: token first, BIO tag last; blank line = sentence break.

    ``-DOCSTART-`` and ``#`` comment lines start a new document; the train/dev split unit is
    a block of sentences of one document (some files are a single long document);
    lines whose last column is not a tag (OCR debris in Europeana) are skipped.
    """
    doc_no, sent_no = 0, 0
    words: list[str] = []
    tags: list[str] = []

    def flush() -> Iterator[GoldDoc]:
        nonlocal sent_no
        for w, t in _chunks(words, tags):
            block = f"{path.name}:{doc_no}:{sent_no // _BLOCK}"
            yield _from_words(f"{block}\t{sent_no}", w, t, corpus)
            sent_no += 1
        words.clear()
        tags.clear()

    for line in _open_text(path):
        fields = line.split()
        if not fields:
            yield from flush()
            continue
        if fields[0] == "-DOCSTART-" or (fields[0].startswith("#") and not _TAG.match(fields[-1])):
            yield from flush()
            doc_no, sent_no = doc_no + 1, 0
            continue
        if len(fields) < 2 or not _TAG.match(fields[-1]):
            continue
        words.append(fields[0])
        tags.append(fields[-1])
    yield from flush()


def read_germeval(path: Path, *, corpus: str = "germeval2014") -> Iterator[GoldDoc]:
    """GermEval 2014 TSV: index, token, outer tag, nested tag (ignored); ``#`` line = source URL."""
    doc_id = ""
    words: list[str] = []
    tags: list[str] = []
    for line in [*_open_text(path), ""]:
        fields = line.rstrip("\n").split("\t")
        if line.startswith("#\t"):
            doc_id = fields[1] if len(fields) > 1 else ""
        elif len(fields) >= 3:
            words.append(fields[1])
            tags.append(fields[2])
        elif words:
            yield _from_words(f"{doc_id}\t{len(words)}:{words[0]}", words, tags, corpus)
            words, tags = [], []


def read_smartdata(path: Path, *, corpus: str = "smartdata") -> Iterator[GoldDoc]:
    """SmartData JSON (a stream of pretty-printed documents), spans from ``conceptMentions``."""
    raw = "".join(_open_text(path))
    decoder = json.JSONDecoder()
    pos = 0
    while True:
        while pos < len(raw) and raw[pos].isspace():
            pos += 1
        if pos >= len(raw):
            return
        obj, pos = decoder.raw_decode(raw, pos)
        text: str = obj["text"]["string"]
        spans: list[tuple[int, int, str]] = []
        for mention in (obj.get("conceptMentions") or {}).get("array", []):
            label = map_label(mention["type"], corpus)
            if label is not None:
                spans.append((mention["span"]["start"], mention["span"]["end"], label))
        yield GoldDoc(doc_id=str(obj["id"]), text=text, spans=sorted(spans))


_HIPE_DOC = re.compile(r"^# (?:hipe2022:)?document_id\s*=")
_HIPE_SENT_END = ("PySBDSegment", "EndOfSentence")  # HIPE 2020 / HIPE 2022 sentence marks


def read_hipe(path: Path, *, corpus: str = "hipe2020") -> Iterator[GoldDoc]:
    """CLEF-HIPE TSV (2020 and 2022): token + coarse literal tag; sentences end at the MISC
    column's ``PySBDSegment`` (2020) or ``EndOfSentence`` (2022) marks; over-long runs are cut."""
    doc_id = ""
    words: list[str] = []
    tags: list[str] = []
    n = 0
    for line in [*_open_text(path), "# document_id = end"]:
        fields = line.rstrip("\n").split("\t")
        new_doc = bool(_HIPE_DOC.match(line))
        boundary = new_doc or (len(fields) > 9 and any(m in fields[9] for m in _HIPE_SENT_END))
        if len(fields) >= 10 and fields[0] != "TOKEN" and not line.startswith("#"):
            words.append(fields[0])
            tags.append(fields[1])
        if boundary and words:
            for w, t in _chunks(words, tags):
                yield _from_words(f"{doc_id}\t{n}", w, t, corpus)
                n += 1
            words, tags = [], []
        if new_doc:
            doc_id = line.split("=", 1)[1].strip()


def read_indexed(path: Path, *, corpus: str = "default") -> Iterator[GoldDoc]:
    """WikiANN / WikiNEuRal ``.conllu``: index, token, BIO tag; blank line = sentence.

    Each sentence is its own document for the train/dev split (the sentences are unrelated)."""
    words: list[str] = []
    tags: list[str] = []
    n = 0
    for line in [*_open_text(path), ""]:
        fields = line.rstrip("\n").split("\t")
        if len(fields) >= 3 and _TAG.match(fields[-1]):
            words.append(fields[1])
            tags.append(fields[-1])
        elif not line.strip() and words:
            yield _from_words(f"{path.name}:{n}\t{n}", words, tags, corpus)
            words, tags = [], []
            n += 1


_READERS = {
    "conll": read_conll,
    "germeval": read_germeval,
    "smartdata": read_smartdata,
    "hipe": read_hipe,
    "indexed": read_indexed,
}


def detect_format(path: Path) -> str:
    """Guess the format from the file name (override with ``fmt`` where this is wrong)."""
    name = path.name.lower()
    if name.endswith((".json", ".json.gz")):
        return "smartdata"
    if "germeval" in str(path).lower() or name.startswith("ner-de-"):
        return "germeval"
    if "hipe" in str(path).lower():
        return "hipe"
    return "conll"


_FORMAT_CORPUS = {"germeval": "germeval2014", "smartdata": "smartdata", "hipe": "hipe2020"}


def corpus_of_path(path: Path, *, fmt: str | None = None) -> str:
    """The label-map name of a corpus file: a ``label_maps.yaml`` key found in its path,
    else the corpus its format belongs to (GermEval, SmartData, HIPE), else ``default``."""
    text = str(path).lower()
    for name in _label_maps():
        if name != "default" and name in text:
            return name
    return _FORMAT_CORPUS.get(fmt or detect_format(Path(path)), "default")


def read_gold(
    path: Path, *, fmt: str | None = None, corpus: str | None = None, split: str | None = None
) -> Iterator[GoldDoc]:
    """Read any supported gold file; ``split`` keeps only the hash-assigned train or dev docs."""
    path = Path(path)
    fmt = fmt or detect_format(path)
    docs: Iterable[GoldDoc] = _READERS[fmt](path, corpus=corpus or corpus_of_path(path, fmt=fmt))
    for doc in docs:
        if split is None or split_of(doc.doc_id.split("\t", 1)[0]) == split:
            yield doc


@cache
def _corpora() -> dict[str, dict[str, dict[str, Any]]]:
    with CORPORA_FILE.open(encoding="utf-8") as f:
        data: dict[str, dict[str, dict[str, Any]]] = yaml.safe_load(f)
    return data


def corpus_specs(lang: str) -> list[CorpusSpec]:
    """All corpora listed for a language in ``corpora.yaml`` (used or not for the shipped model)."""
    return [
        CorpusSpec(
            tier=str(entry.get("tier", "default")),
            model_licence=str(entry.get("model_licence", "")),
            mix=float(entry["mix"]) if "mix" in entry else None,
            filters=_silver_filter(entry.get("filter")),
            name=name,
            lang=lang,
            fmt=entry["fmt"],
            labels=entry.get("labels", name),
            licence=entry["licence"],
            source=entry.get("source", ""),
            train=tuple(entry.get("train", [])),
            dev=tuple(entry.get("dev", [])),
            use=bool(entry.get("use", True)),
            note=entry.get("note", ""),
        )
        for name, entry in _corpora()[lang].items()
    ]


def _silver_filter(entry: dict[str, Any] | None) -> SilverFilter | None:
    if entry is None:
        return None
    return SilverFilter(
        drop_tokens=frozenset(entry.get("drop_tokens", [])),
        drop_substrings=tuple(entry.get("drop_substrings", [])),
        min_tokens=int(entry.get("min_tokens", 0)),
        max_name_share=float(entry.get("max_name_share", 1.0)),
    )


def iter_corpus(spec: CorpusSpec, split: str, *, data_dir: Path | None = None) -> Iterator[GoldDoc]:
    """Documents of one split; a file entry ``name#train`` / ``name#dev`` means a hash split."""
    root = data_dir or shared_data_dir()
    for entry in spec.train if split == "train" else spec.dev:
        rel, _, part = entry.partition("#")
        docs = read_gold(root / rel, fmt=spec.fmt, corpus=spec.labels, split=part or None)
        if spec.filters is not None and split == "train":
            docs = (d for d in docs if spec.filters.keep(d))
        yield from docs

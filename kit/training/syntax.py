"""Train the English syntax components (tagger, morphologizer, edit-tree lemmatizer, parser) on GUM.

GUM ships one CoNLL-U file per document and official ``files.train`` / ``files.dev`` lists;
only the documents present are read (genres under non-commercial licences are absent), and the
held-out test documents are never touched. :func:`read_conllu` turns a file into spaCy Docs
(multiword tokens and empty nodes handled, text rebuilt from ``SpaceAfter=No``), :func:`train`
runs ``spacy train`` with the pinned config and :func:`ship` joins the result with the
shipped NER into ``en_kit_news`` and writes its card.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from kit.errors import KitError
from kit.settings import shared_data_dir

__all__ = [
    "CONFIGS_DIR",
    "GUM_DIR",
    "SYNTAX_COMPONENTS",
    "ConlluError",
    "convert",
    "gum_files",
    "read_conllu",
    "syntax_scores",
    "train",
]

CONFIGS_DIR = Path(__file__).resolve().parent / "configs"
GUM_DIR = Path("ud") / "en" / "gum"
# The components this module trains; ``ship`` copies them into the English pipeline.
SYNTAX_COMPONENTS: tuple[str, ...] = ("tagger", "morphologizer", "lemmatizer", "parser")
# Sentences per training Doc: a document's sentences are cut into pieces this long, never
# across files, so batches mix documents while the parser still learns sentence boundaries.
SENTENCES_PER_DOC = 10
# What ends a paragraph in the training text: articles separate paragraphs by a blank line and
# put a headline, dateline or section name on a line of its own.
PARAGRAPH_BREAK = "\n\n"
LINE_BREAK = "\n"


class ConlluError(KitError):
    """A CoNLL-U file the reader cannot turn into tokens (names the file and line)."""


@dataclass
class _Word:
    form: str
    lemma: str
    upos: str
    xpos: str
    feats: str
    head: int
    deprel: str
    space: bool


@dataclass
class _Sentence:
    words: list[_Word] = field(default_factory=list)
    # ranges of multiword tokens: (first id, last id, surface form, space after)
    ranges: list[tuple[int, int, str, bool]] = field(default_factory=list)
    new_paragraph: bool = False
    heading: bool = False


def _space_after(misc: str) -> bool:
    return "SpaceAfter=No" not in misc.split("|")


def _sentences(path: Path) -> Iterator[_Sentence]:
    sentence = _Sentence()
    with path.open(encoding="utf-8") as f:
        for number, raw in enumerate(f, start=1):
            line = raw.rstrip("\n")
            if not line.strip():
                if sentence.words:
                    yield sentence
                    sentence = _Sentence()
                continue
            if line.startswith("#"):
                if line.startswith("# newpar") and not line.startswith("# newpar_"):
                    sentence.new_paragraph = True
                if line.startswith("# newpar_block = head"):
                    sentence.heading = True
                continue
            cols = line.split("\t")
            if len(cols) != 10:
                raise ConlluError(f"{path}:{number}: expected 10 tab-separated columns, found {len(cols)}")
            ident = cols[0]
            if "." in ident:  # empty node of the enhanced graph: not a token
                continue
            if "-" in ident:
                first, _, last = ident.partition("-")
                sentence.ranges.append((int(first), int(last), cols[1], _space_after(cols[9])))
                continue
            try:
                head = int(cols[6])
            except ValueError as exc:
                raise ConlluError(f"{path}:{number}: head {cols[6]!r} is not a number") from exc
            if int(ident) != len(sentence.words) + 1:
                raise ConlluError(f"{path}:{number}: word id {ident} out of order")
            sentence.words.append(
                _Word(cols[1], cols[2], cols[3], cols[4], cols[5], head, cols[7], _space_after(cols[9]))
            )
    if sentence.words:
        yield sentence


def _tokens(sentence: _Sentence) -> tuple[list[_Word], list[int]]:
    """Tokens of a sentence and, per word id (1-based, index 0 unused), its token index.

    A multiword token whose words spell its surface form ("Byron's" = "Byron" + "'s") stays
    split, as spaCy's English tokenizer splits it; one that does not is one token carrying the
    annotation of its syntactic head word (the word whose head lies outside the range).
    """
    words = sentence.words
    index = [0] * (len(words) + 1)
    tokens: list[_Word] = []
    ranges = {first: (last, form, space) for first, last, form, space in sentence.ranges}
    i = 1
    while i <= len(words):
        if i in ranges:
            last, form, space = ranges[i]
            span = words[i - 1 : last]
            if "".join(w.form for w in span) == form:
                for j, w in enumerate(span):
                    index[i + j] = len(tokens)
                    tokens.append(_Word(**{**w.__dict__, "space": space if i + j == last else False}))
            else:
                inside = set(range(i, last + 1))
                head_word = next((w for w in span if w.head not in inside), span[0])
                for j in inside:
                    index[j] = len(tokens)
                tokens.append(_Word(**{**head_word.__dict__, "form": form, "space": space}))
            i = last + 1
        else:
            index[i] = len(tokens)
            tokens.append(words[i - 1])
            i += 1
    return tokens, index


def read_conllu(
    path: Path, vocab: Vocab, *, sentences_per_doc: int = SENTENCES_PER_DOC, paragraph_breaks: bool = False
) -> Iterator[Doc]:
    """Gold Docs of one CoNLL-U document, ``sentences_per_doc`` sentences each (0: the whole file).

    UD's ``root`` becomes spaCy's ``ROOT``; subtypes (``nsubj:pass``) are kept. With
    ``paragraph_breaks`` a blank line ends each paragraph (``# newpar``) and a line break each
    heading, as ``SPACE`` tokens attached to the word before them, as in the articles the kit
    reads: without them the parser never sees a line break and hangs sentences on it.
    """
    chunk: list[_Sentence] = []
    for sentence in _sentences(path):
        chunk.append(sentence)
        if sentences_per_doc and len(chunk) == sentences_per_doc:
            yield _doc(chunk, vocab, paragraph_breaks)
            chunk = []
    if chunk:
        yield _doc(chunk, vocab, paragraph_breaks)


def _doc(sentences: list[_Sentence], vocab: Vocab, paragraph_breaks: bool = False) -> Doc:
    forms: list[str] = []
    spaces: list[bool] = []
    tags: list[str] = []
    pos: list[str] = []
    morphs: list[str] = []
    lemmas: list[str] = []
    heads: list[int] = []
    deps: list[str] = []
    starts: list[bool | int | None] = []
    heading = False
    for sentence in sentences:
        if paragraph_breaks and sentence.new_paragraph and forms:
            brk = LINE_BREAK if heading else PARAGRAPH_BREAK
            spaces[-1] = False
            forms.append(brk)
            spaces.append(False)
            tags.append("_SP")
            pos.append("SPACE")
            morphs.append("")
            lemmas.append(brk)
            heads.append(len(forms) - 2)
            deps.append("dep")
            starts.append(False)
        heading = sentence.heading or (heading and not sentence.new_paragraph)
        tokens, index = _tokens(sentence)
        offset = len(forms)
        for k, tok in enumerate(tokens):
            forms.append(tok.form)
            spaces.append(tok.space)
            tags.append(tok.xpos if tok.xpos != "_" else "")
            pos.append(tok.upos if tok.upos != "_" else "")
            morphs.append(tok.feats if tok.feats != "_" else "")
            lemmas.append(tok.lemma)
            heads.append(offset + (index[tok.head] if tok.head else k))
            deps.append("ROOT" if tok.head == 0 else tok.deprel)
            starts.append(k == 0)
    if spaces:
        spaces[-1] = False
    return Doc(
        vocab,
        words=forms,
        spaces=spaces,
        tags=tags,
        pos=pos,
        morphs=morphs,
        lemmas=lemmas,
        heads=heads,
        deps=deps,
        sent_starts=starts,
    )


def gum_files(split: str, *, data_dir: Path | None = None) -> list[Path]:
    """The GUM documents of an official split (``train`` or ``dev``) that are present."""
    if split not in ("train", "dev"):
        raise KitError(f"GUM split {split!r}: only train and dev are read (test is held out)")
    folder = (data_dir or shared_data_dir()) / GUM_DIR
    listing = folder / f"files.{split}"
    if not listing.exists():
        raise KitError(f"no GUM split list at {listing}: is ../shared/data present?")
    names = [line.strip() for line in listing.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [folder / f"{name}.conllu" for name in names if (folder / f"{name}.conllu").exists()]


def genre_counts(paths: list[Path]) -> dict[str, int]:
    """Documents per GUM genre (the second part of the file name), for the card."""
    return dict(sorted(Counter(p.stem.split("_")[1] for p in paths).items()))


def convert(work: Path, *, data_dir: Path | None = None) -> tuple[Path, Path, dict[str, Any]]:
    """GUM train and dev as DocBins in ``work``; returns their paths and what went in."""
    vocab = spacy.blank("en").vocab
    info: dict[str, Any] = {}
    out = []
    for split in ("train", "dev"):
        files = gum_files(split, data_dir=data_dir)
        db = DocBin(store_user_data=False)
        words = 0
        for path in files:
            for doc in read_conllu(path, vocab, paragraph_breaks=split == "train"):
                db.add(doc)
                words += len(doc)
        target = work / f"gum_{split}.spacy"
        db.to_disk(target)
        info[split] = {"docs": len(files), "tokens": words, "genres": genre_counts(files)}
        out.append(target)
        print(f"[kit] GUM {split}: {len(files)} documents, {words} tokens", flush=True)
    return out[0], out[1], info


def syntax_scores(nlp: Language, *, data_dir: Path | None = None) -> dict[str, Any]:
    """POS, morphology, lemma, UAS/LAS and sentence scores on the GUM dev documents, read whole
    (one Doc per file, so sentence boundaries are the pipeline's own)."""
    from spacy.training import Example

    examples = []
    files = gum_files("dev", data_dir=data_dir)
    for path in files:
        for gold in read_conllu(path, nlp.vocab, sentences_per_doc=0):
            examples.append(Example(nlp.make_doc(gold.text), gold))
    start = time.perf_counter()
    scores = nlp.evaluate(examples)
    seconds = time.perf_counter() - start
    keep = ("tag_acc", "pos_acc", "morph_acc", "lemma_acc", "dep_uas", "dep_las", "sents_p", "sents_r", "sents_f")
    result: dict[str, Any] = {k: round(float(scores[k]), 4) for k in keep if scores.get(k) is not None}
    result["docs"] = len(files)
    result["tokens"] = sum(len(e.reference) for e in examples)
    result["seconds"] = round(seconds, 1)
    return result


def _config() -> Path:
    return CONFIGS_DIR / "en_syntax.cfg"


def train(
    *,
    out: Path,
    work: Path | None = None,
    data_dir: Path | None = None,
    seed: int = 0,
    max_steps: int | None = None,
    config: Path | None = None,
    overrides: dict[str, Any] | None = None,
    train_path: Path | None = None,
    dev_path: Path | None = None,
) -> tuple[Path, dict[str, Any]]:
    """Train with the pinned config (default ``en_syntax.cfg``: the syntax alone, on GUM converted
    here unless ``train_path``/``dev_path`` are given); the best checkpoint is copied to ``out``.
    Returns it and what went in (documents, tokens, genres, seconds)."""
    from spacy.cli.train import train as spacy_train

    temporary = work is None
    work = Path(work) if work is not None else Path(tempfile.mkdtemp(prefix="kit_syntax_en_"))
    work.mkdir(parents=True, exist_ok=True)
    info: dict[str, Any] = {}
    if train_path is None or dev_path is None:
        train_path, dev_path, info = convert(work, data_dir=data_dir)
    overrides = {**(overrides or {}), "system.seed": seed, "paths.train": str(train_path), "paths.dev": str(dev_path)}
    if max_steps is not None:
        overrides["training.max_steps"] = max_steps
    config_path = Path(config) if config is not None else _config()
    start = time.perf_counter()
    spacy_train(config_path, work / "output", use_gpu=-1, overrides=overrides)
    info["train_seconds"] = round(time.perf_counter() - start)
    info["config"] = config_path.name
    info["seed"] = seed
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(work / "output" / "model-best", out)
    if temporary:
        shutil.rmtree(work, ignore_errors=True)
    return out, info

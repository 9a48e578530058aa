"""The shipped English pipeline ``en_kit_news``: the GUM-trained syntax joined with the NER.

``kit train syntax --lang en`` trains tok2vec + tagger + morphologizer + edit-tree lemmatizer +
parser on GUM (``configs/en_syntax.cfg``), adds the NER of the shipped pipeline (written by
``kit train ner --lang en``) with a private copy of the NER's own tok2vec, scores the result on
every NER dev set, on GUM dev and for speed, and writes it with its card.

Why the NER keeps its own tok2vec (``docs/en_syntax.md``): trained together on one tok2vec
(``configs/en_syntax_joint.cfg``, :func:`convert_joint`) the NER lost 3 points on wikigold and 10
on re3d; syntax heads on the NER's frozen tok2vec learn little (GUM dev LAS 0.38 after 750 steps
against 0.68 with a tok2vec of their own). The syntax's own tok2vec is small (width 64, depth 3)
so that two tok2vecs still run fast enough.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import DocBin

from kit.settings import DEFAULT_PIPELINES, MODELS_DIR, shared_data_dir
from kit.training.model_card import dir_size, render_card
from kit.training.syntax import CONFIGS_DIR, syntax_scores, train

__all__ = ["GUM_REPEAT", "GUM_SOURCE", "JOINT_CONFIG", "MODEL_VERSION", "assemble", "convert_joint", "ner_training", "ship", "train_and_ship"]

MODEL_VERSION = "0.3.0"
# The measured alternative: NER and syntax trained together on one tok2vec (not shipped).
JOINT_CONFIG = "en_syntax_joint.cfg"
# In the joint training GUM's documents go in twice: the NER corpora hold 3.3 times as many tokens, and with GUM once
# the syntax was still far behind after 1,500 steps (LAS 0.38 against 0.72 trained alone).
GUM_REPEAT = 2
DESCRIPTION = (
    "English news pipeline of the investigative dataset kit: tagger, morphologizer, edit-tree "
    "lemmatizer and dependency parser trained on GUM (sentences from the parser), NER (PER, ORG, "
    "LOC, MISC) trained on public corpora with a tok2vec of its own (see MODEL_CARD.md)."
)
GUM_SOURCE: dict[str, str] = {
    "name": "GUM (Georgetown University Multilayer corpus, UD English-GUM; Zeldes 2017)",
    "licence": "per genre: Wikinews news/interviews/bios CC BY, Wikivoyage CC BY-SA, OpenStax textbooks "
    "CC BY, YouTube CC vlogs CC BY, political speeches public domain, Santa Barbara conversation CC BY; "
    "the non-commercial genres (fiction, wikiHow) and reddit are not present and not used",
    "url": "https://github.com/UniversalDependencies/UD_English-GUM (annotators: https://gucorpling.org/gum/)",
}


def convert_joint(work: Path, *, data_dir: Path | None = None) -> tuple[Path, Path, dict[str, Any]]:
    """One training and one dev DocBin: the NER corpora's and GUM's (GUM train ``GUM_REPEAT`` times)."""
    from kit.training.ner import convert as ner_convert
    from kit.training.ner import training_corpora
    from kit.training.syntax import convert as gum_convert

    used = tuple(s.name for s in training_corpora("en"))
    ner_train, ner_dev = ner_convert("en", work / "ner", data_dir=data_dir, corpora=used)
    (work / "gum").mkdir(parents=True, exist_ok=True)
    gum_train, gum_dev, info = gum_convert(work / "gum", data_dir=data_dir)
    vocab = spacy.blank("en").vocab
    paths = []
    for name, parts in (("train", [ner_train, *[gum_train] * GUM_REPEAT]), ("dev", [ner_dev, gum_dev])):
        joint = DocBin(store_user_data=False)
        for part in parts:
            for doc in DocBin().from_disk(part).get_docs(vocab):
                joint.add(doc)
        joint.to_disk(work / f"joint_{name}.spacy")
        paths.append(work / f"joint_{name}.spacy")
    info.update(ner_train_docs=len(DocBin().from_disk(ner_train)), ner_used=list(used), ner_config=JOINT_CONFIG)
    return paths[0], paths[1], info


def ner_training(source: Path) -> dict[str, Any]:
    """How a pipeline's NER was trained, for the card: kept in meta from 0.3.0 on, read from the
    NER-only pipeline's meta and card (``kit train ner``) before that."""
    meta = json.loads((source / "meta.json").read_text(encoding="utf-8"))
    if "kit_ner_training" in meta:
        return dict(meta["kit_ner_training"])
    card = (source / "MODEL_CARD.md").read_text(encoding="utf-8") if (source / "MODEL_CARD.md").exists() else ""
    docs = re.search(r"^(\d+) training documents", card, re.MULTILINE)
    steps = re.search(r"max_steps (\d+)", card)
    seed = re.search(r"seed (\d+)", card)
    config = re.search(r"Config `kit/training/configs/([^`]+)`", card)
    return {
        "ner_train_docs": int(docs.group(1)) if docs else 0,
        "ner_max_steps": int(steps.group(1)) if steps else None,
        "ner_seed": int(seed.group(1)) if seed else 0,
        "ner_config": config.group(1) if config else "ner_en.cfg",
        "ner_used": [str(s["name"]) for s in meta.get("sources", []) if "GUM" not in str(s["name"])],
        "ner_version": str(meta.get("version", "")),
    }


def assemble(best: Path, *, ner_source: Path | None = None) -> Language:
    """The trained pipeline with its meta; ``ner_source``: add (or replace its NER by) that
    pipeline's NER, which keeps a private copy of its own tok2vec."""
    nlp = spacy.load(best)
    if ner_source is not None:
        source = spacy.load(ner_source)
        if "tok2vec" in source.pipe_names and "ner" in source.get_pipe("tok2vec").listening_components:  # type: ignore[attr-defined]
            source.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
        if nlp.has_pipe("ner"):
            nlp.remove_pipe("ner")
        nlp.add_pipe("ner", source=source)
        nlp.meta["kit_ner_training"] = ner_training(ner_source)
    nlp.meta.update(
        name="kit_news",
        lang="en",
        version=MODEL_VERSION,
        description=DESCRIPTION,
        author="investigative dataset kit",
        license="CC BY-SA 4.0",  # NER corpora (WikiANN) and GUM's Wikivoyage: CC BY-SA; nothing NC
    )
    return nlp


def ship(nlp: Language, *, out: Path, info: dict[str, Any], data_dir: Path | None = None) -> Path:
    """Score the pipeline (every NER dev set, GUM dev, speed) and write it with its card."""
    from kit.training.corpora import corpus_specs
    from kit.training.ner import dev_scores, pipeline_checks

    data_dir = data_dir or shared_data_dir()
    used = tuple(info["ner_used"])
    nlp.meta["sources"] = [
        *({"name": s.name, "licence": s.licence, "url": s.source} for s in corpus_specs("en") if s.name in used),
        GUM_SOURCE,
    ]
    scores = dev_scores(nlp, "en", data_dir=data_dir)
    syntax = syntax_scores(nlp, data_dir=data_dir)
    checks = pipeline_checks(nlp, "en", data_dir=data_dir)
    print(f"[kit] GUM dev: {json.dumps(syntax)}", flush=True)
    nlp.meta["performance"] = {
        "dev_f1": {name: round(s["micro"]["f"], 4) for name, s in scores.items()},
        "gum_dev": {k: v for k, v in syntax.items() if k != "seconds"},
        "words_per_second": checks.get("words_per_second"),
    }
    staging = out.with_name(out.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    nlp.to_disk(staging)
    (staging / "scores.json").write_text(
        json.dumps({"dev": scores, "gum_dev": syntax, **checks}, indent=2), encoding="utf-8"
    )
    notes = CONFIGS_DIR / "notes_en.md"
    card = render_card(
        lang="en",
        meta=nlp.meta | {"pipeline": nlp.pipe_names},
        config_name=info["ner_config"],
        seed=info["ner_seed"],
        max_steps=info["ner_max_steps"],
        train_docs=info["ner_train_docs"],
        scores=scores,
        checks=checks,
        size_bytes=dir_size(staging),
        vectors="none",
        used=used,
        extra=notes.read_text(encoding="utf-8") if notes.exists() else "",
        syntax={**info, "scores": syntax},
    )
    (staging / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    print(f"[kit] wrote {out}", flush=True)
    return out


def train_and_ship(
    *,
    out: Path | None = None,
    seed: int = 0,
    max_steps: int | None = None,
    data_dir: Path | None = None,
    work: Path | None = None,
) -> Path:
    """``kit train syntax --lang en``: train on GUM, join with the shipped NER, score, write."""
    shipped = MODELS_DIR / DEFAULT_PIPELINES["en"]
    out = out or shipped
    data_dir = data_dir or shared_data_dir()
    temporary = work is None
    work = Path(work) if work is not None else Path(tempfile.mkdtemp(prefix="kit_syntax_en_"))
    ner_copy = work / "ner_source"  # ``out`` may be the shipped folder itself
    shutil.rmtree(ner_copy, ignore_errors=True)
    shutil.copytree(shipped, ner_copy)
    best, info = train(out=work / "best", work=work, data_dir=data_dir, seed=seed, max_steps=max_steps)
    info["max_steps"] = max_steps or spacy.util.load_config(CONFIGS_DIR / "en_syntax.cfg")["training"]["max_steps"]
    nlp = assemble(best, ner_source=ner_copy)
    nlp.meta["kit_syntax_training"] = info
    path = ship(nlp, out=out, info={**nlp.meta["kit_ner_training"], **info}, data_dir=data_dir)
    if temporary:
        shutil.rmtree(work, ignore_errors=True)
    return path

"""Join the GUM-trained syntax components with the English NER into the shipped ``en_kit_news``.

Two ways to join them, chosen by measurement (``docs/en_syntax.md``): the syntax components
listen to their own tok2vec and the NER keeps its own, embedded in it (``share=False``), or the
syntax components were trained on the NER's frozen tok2vec and all share it (``share=True``,
config ``en_syntax_shared.cfg``): one tok2vec per word instead of two, the NER's weights untouched.
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

from kit.settings import DEFAULT_PIPELINES, MODELS_DIR, shared_data_dir
from kit.training.model_card import dir_size, render_card
from kit.training.syntax import CONFIGS_DIR, gum_files, syntax_scores, train

__all__ = ["GUM_SOURCE", "MODEL_VERSION", "SHARED_CONFIG", "assemble", "ship", "train_and_ship"]

MODEL_VERSION = "0.3.0"
# The config of the shipped variant: syntax components on the NER's frozen tok2vec.
SHARED_CONFIG = "en_syntax_shared.cfg"
DESCRIPTION = (
    "English news pipeline of the investigative dataset kit: tagger, morphologizer, edit-tree "
    "lemmatizer and dependency parser trained on GUM (sentences from the parser), NER (PER, ORG, "
    "LOC, MISC) trained on public corpora (see MODEL_CARD.md)."
)
GUM_SOURCE: dict[str, str] = {
    "name": "GUM (Georgetown University Multilayer corpus, UD English-GUM; Zeldes 2017)",
    "licence": "per genre: Wikinews news/interviews/bios CC BY, Wikivoyage CC BY-SA, OpenStax textbooks "
    "CC BY, YouTube CC vlogs CC BY, political speeches public domain, Santa Barbara conversation CC BY; "
    "the non-commercial genres (fiction, wikiHow) and reddit are not present and not used",
    "url": "https://github.com/UniversalDependencies/UD_English-GUM (annotators: https://gucorpling.org/gum/)",
}


def _ner_training(source: Path, meta: dict[str, Any]) -> dict[str, Any]:
    """How the NER was trained (for its part of the card): kept in meta from 0.3.0 on, read from
    the 0.2.0 card before that."""
    if "kit_ner_training" in meta:
        return dict(meta["kit_ner_training"])
    card = (source / "MODEL_CARD.md").read_text(encoding="utf-8") if (source / "MODEL_CARD.md").exists() else ""
    docs = re.search(r"^(\d+) training documents", card, re.MULTILINE)
    steps = re.search(r"max_steps (\d+)", card)
    seed = re.search(r"seed (\d+)", card)
    config = re.search(r"Config `kit/training/configs/([^`]+)`", card)
    return {
        "train_docs": int(docs.group(1)) if docs else 0,
        "max_steps": int(steps.group(1)) if steps else None,
        "seed": int(seed.group(1)) if seed else 0,
        "config": config.group(1) if config else "ner_en.cfg",
        "used": [s["name"] for s in meta.get("sources", []) if "GUM" not in s["name"]],
        "vectors": "none",
    }


def assemble(syntax: Path, ner_source: Path, *, share: bool) -> Language:
    """tok2vec + tagger + morphologizer + lemmatizer + parser from ``syntax``, NER from ``ner_source``.

    ``share``: the syntax pipeline's tok2vec is the NER's (trained frozen on it), so the NER joins
    as a listener; otherwise the NER gets a private copy of its tok2vec.
    """
    nlp = spacy.load(syntax)
    source = spacy.load(ner_source)
    ner_listens = "tok2vec" in source.pipe_names and source.get_pipe("tok2vec").listening_components  # type: ignore[attr-defined]
    if not share and ner_listens:
        source.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
    nlp.add_pipe("ner", source=source)
    if share:
        nlp.get_pipe("ner")  # the listener now hears nlp's tok2vec, the NER's own weights
        if not ner_listens:
            raise ValueError(f"{ner_source}: its NER has no tok2vec to share (train with the own-tok2vec config)")
    nlp.meta.update(
        name="kit_news",
        lang="en",
        version=MODEL_VERSION,
        description=DESCRIPTION,
        author="investigative dataset kit",
        license=source.meta.get("license", "CC BY-SA 4.0"),  # GUM's strictest genre is CC BY-SA too
        sources=[*[s for s in source.meta.get("sources", []) if "GUM" not in s["name"]], GUM_SOURCE],
        kit_ner_training=_ner_training(ner_source, source.meta),
    )
    return nlp


def ship(
    nlp: Language,
    *,
    out: Path,
    syntax_info: dict[str, Any],
    data_dir: Path | None = None,
) -> Path:
    """Score the joined pipeline (NER dev sets, GUM dev, speed), write it with its card."""
    from kit.training.ner import dev_scores, pipeline_checks

    data_dir = data_dir or shared_data_dir()
    scores = dev_scores(nlp, "en", data_dir=data_dir)
    syntax = syntax_scores(nlp, data_dir=data_dir)
    checks = pipeline_checks(nlp, "en", data_dir=data_dir)
    print(f"[kit] GUM dev: {json.dumps(syntax)}", flush=True)
    nlp.meta["performance"] = {
        "dev_f1": {name: round(s["micro"]["f"], 4) for name, s in scores.items()},
        "gum_dev": {k: v for k, v in syntax.items() if k not in ("seconds",)},
        "words_per_second": checks.get("words_per_second"),
    }
    ner = nlp.meta["kit_ner_training"]
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
        config_name=ner["config"],
        seed=ner["seed"],
        max_steps=ner["max_steps"],
        train_docs=ner["train_docs"],
        scores=scores,
        checks=checks,
        size_bytes=dir_size(staging),
        vectors=ner["vectors"],
        used=tuple(ner["used"]),
        extra=notes.read_text(encoding="utf-8") if notes.exists() else "",
        syntax={**syntax_info, "scores": syntax},
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
    """``kit train syntax --lang en``: train on the shipped NER's frozen tok2vec, join, score, write.

    The NER and its tok2vec come from the shipped ``en_kit_news`` (``kit train ner --lang en``
    first writes a NER-only pipeline there; this then adds the syntax).
    """
    shipped = MODELS_DIR / DEFAULT_PIPELINES["en"]
    out = out or shipped
    data_dir = data_dir or shared_data_dir()
    if not gum_files("train", data_dir=data_dir):
        raise FileNotFoundError(f"no GUM training documents under {data_dir}")
    temporary = work is None
    work = Path(work) if work is not None else Path(tempfile.mkdtemp(prefix="kit_syntax_en_"))
    ner_copy = work / "ner_source"
    shutil.rmtree(ner_copy, ignore_errors=True)
    shutil.copytree(shipped, ner_copy)  # ``out`` may be the shipped folder itself
    config = CONFIGS_DIR / SHARED_CONFIG
    best, info = train(
        out=work / "syntax_best",
        work=work / "train",
        data_dir=data_dir,
        seed=seed,
        max_steps=max_steps,
        config=config,
        overrides={"paths.ner_model": str(ner_copy)},
    )
    info["files_train"] = len(gum_files("train", data_dir=data_dir))
    nlp = assemble(best, ner_copy, share=True)
    path = ship(nlp, out=out, syntax_info=info, data_dir=data_dir)
    if temporary:
        shutil.rmtree(work, ignore_errors=True)
    return path

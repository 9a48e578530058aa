"""Train the German claims span model (``kit/models/de_kit_claims``) from SpkAtt news.

``kit train claims --lang de``: SpkAtt news ``train/task2`` files -> Docs whose entities are the
gold CUE / SOURCE / CONTENT spans -> ``spacy train`` with the pinned config and seed -> shipped with a
MODEL_CARD.md.  The kit's dev fifth (sorted index % 5 == 0) is never trained on; checkpoints are
chosen on a slice of the training files (index % 20 == 1) that is held out from training.  The
model only proposes spans; ``kit_claims`` links them and keeps the rules' kind and status.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example

from kit.evaluation.claims import ROLES, Attribution, gold_attributions, predicted_attributions, score
from kit.evaluation.claims_corpora import GoldDocument, read_spkatt
from kit.nlp.claims import extract_claims
from kit.nlp.registry import KIT_COMPONENTS
from kit.settings import CLAIMS_MODELS, DEFAULT_PIPELINES, MODELS_DIR, shared_data_dir
from kit.training.model_card import dir_size

__all__ = ["LABELS", "split_files", "to_doc", "train"]

LABELS = ("CUE", "SOURCE", "CONTENT")  # also the priority where gold roles of attributions overlap
CONFIGS_DIR = Path(__file__).resolve().parent / "configs"
_NEWS = Path("claims") / "spkatt_news" / "train" / "task2"


def split_files(shared: Path | None = None) -> dict[str, list[Path]]:
    """The kit's SpkAtt news splits: ``dev`` (index % 5 == 0, never trained on), ``val`` (% 20 == 1,
    checkpoint choice) and ``train`` (the rest), over the sorted file list."""
    folder = (shared or shared_data_dir()) / _NEWS
    files = sorted(folder.glob("*.json"))
    out: dict[str, list[Path]] = {"train": [], "val": [], "dev": []}
    for i, path in enumerate(files):
        out["dev" if i % 5 == 0 else "val" if i % 20 == 1 else "train"].append(path)
    return out


def to_doc(nlp: Language, gold: GoldDocument) -> Doc:
    """Tokenised gold text with one entity per contiguous run of a role of one attribution."""
    doc = nlp.make_doc(gold.text)
    owner: list[tuple[str, int] | None] = [None] * len(doc)
    for label, role in zip(LABELS, range(3), strict=True):
        for a, roles in enumerate(gold.attributions):
            for start, end in roles[role]:
                span = doc.char_span(start, end, alignment_mode="expand")
                for tok in span if span is not None else ():
                    if owner[tok.i] is None and not tok.is_space:
                        owner[tok.i] = (label, a)
    for i, tok in enumerate(doc):  # a sentence break inside a quotation stays inside the span
        if (
            tok.is_space
            and 0 < i < len(doc) - 1
            and owner[i - 1] is not None
            and owner[i - 1] == owner[i + 1]
        ):
            owner[i] = owner[i - 1]
    ents: list[Span] = []
    start = 0
    for i in range(1, len(doc) + 1):
        if i == len(doc) or owner[i] != owner[start]:
            tag = owner[start]
            if tag is not None:
                ents.append(Span(doc, start, i, label=tag[0]))
            start = i
    doc.ents = ents
    return doc


def _write(nlp: Language, files: list[Path], path: Path) -> None:
    DocBin(docs=[to_doc(nlp, read_spkatt(f)) for f in files], store_user_data=False).to_disk(path)


def _claims_scores(files: list[Path], model: Path | None) -> tuple[dict[str, dict[str, float]], float]:
    """``kit eval claims`` figures on ``files`` with the shipped news pipeline, with or without the
    span model, and the claims step's share of the whole pipeline's time."""
    nlp = spacy.load(MODELS_DIR / DEFAULT_PIPELINES["de"], exclude=["kit_claims"])
    for factory in KIT_COMPONENTS:  # the whole pipeline the kit runs, claims timed on its own
        if factory != "kit_claims" and not nlp.has_pipe(factory):
            nlp.add_pipe(factory, last=True)
    gold_all: list[list[Attribution]] = []
    pred_all: list[list[Attribution]] = []
    spent = {"pipeline": 0.0, "claims": 0.0}
    for path in files:
        gold = read_spkatt(path)
        t0 = time.perf_counter()
        doc = nlp(gold.text)
        t1 = time.perf_counter()
        claims = extract_claims(doc, lang="de", model=model)
        spent["pipeline"] += t1 - t0
        spent["claims"] += time.perf_counter() - t1
        gold_all.append(gold_attributions(doc, gold))
        pred_all.append(predicted_attributions(doc, claims))
    return score(gold_all, pred_all), spent["claims"] / (spent["pipeline"] + spent["claims"])


def _card(
    out: Path,
    *,
    seed: int,
    seconds: float,
    spans: dict[str, Any],
    rules: dict[str, dict[str, float]],
    combined: dict[str, dict[str, float]],
    shares: tuple[float, float],
    n_files: dict[str, int],
) -> str:
    rows = ["| role | rules F1 | rules + model P | R | F1 |", "|---|---:|---:|---:|---:|"]
    for role in ROLES:
        c = combined[role]
        rows.append(
            f"| {role} | {rules[role]['f1']:.3f} | {c['precision']:.3f} | {c['recall']:.3f} "
            f"| **{c['f1']:.3f}** |"
        )
    per_label = ["| label | P | R | F1 |", "|---|---:|---:|---:|"]
    for label, s in sorted((spans.get("ents_per_type") or {}).items()):
        per_label.append(f"| {label} | {s['p']:.3f} | {s['r']:.3f} | {s['f']:.3f} |")
    return "\n".join(
        [
            "# de_kit_claims",
            "",
            "Span model of the kit's claims component: its own small tok2vec (hash embeddings, no",
            "vectors) and a transition-based span tagger (spaCy `ner`) with labels CUE, SOURCE, CONTENT.",
            "`kit_claims` runs it on sentences that can hold a claim; it widens the rules' paraphrased",
            "contents, while cues, sources, kind, status and entity linking stay rule-based (docs/claims.md).",
            "",
            "## Licence: non-commercial",
            "",
            "Trained on **SpkAtt-2023 news** (German news articles annotated with speech, thought and",
            "writing attributions), licensed **CC BY-NC-SA 4.0**.  The model's weights are derived from it,",
            "so **this model may be used for non-commercial purposes only**, with attribution, and shared",
            "under the same licence.  It therefore runs only in the kit's **research tier**",
            "(`kit build --tier research`, `kit.build(..., tier=\"research\")` or `KIT_TIER=research`; rows",
            "named `de_kit_news-research`); the default tier runs the claims rules alone.",
            "",
            "## Data",
            "",
            f"SpkAtt news `train/task2`, sorted file list: training {n_files['train']} files",
            f"(index % 5 != 0, % 20 != 1), checkpoint choice {n_files['val']} files (% 20 == 1),",
            f"kit dev {n_files['dev']} files (% 5 == 0, never trained on).  Overlapping roles of nested",
            "attributions are resolved CUE > SOURCE > CONTENT.  SpkAtt Bundestag (speeches) was not used",
            "(no licence file in the shared copy; another domain).",
            "",
            "## Scores",
            "",
            "Claims on the kit dev split (`kit eval claims`, token overlap, shipped `de_kit_news`):",
            "",
            *rows,
            "",
            "Spans alone on the checkpoint slice (exact match):",
            "",
            *per_label,
            "",
            "Claims step share of the whole German pipeline's time on these texts (`de_kit_news` +",
            "the kit's components):",
            f"{shares[1]:.0%} with the model (rules only {shares[0]:.0%}); the model runs only on sentences",
            "that can hold a claim.",
            "",
            "## Build",
            "",
            f"`kit train claims --lang de` (config `kit/training/configs/claims_de.cfg`, seed {seed}),",
            f"{seconds / 60:.0f} min on one CPU thread; size {dir_size(out) / 1e6:.1f} MB.",
            "",
        ]
    )


def train(
    lang: str = "de",
    *,
    out: Path | None = None,
    seed: int = 0,
    max_steps: int | None = None,
    shared: Path | None = None,
) -> Path:
    """Train, ship to ``out`` (default ``kit/models/de_kit_claims``) and write the model card."""
    from spacy.cli.train import train as spacy_train

    if lang not in CLAIMS_MODELS:
        raise ValueError(f"no claims training data for {lang!r} (German only)")
    out = out or MODELS_DIR / CLAIMS_MODELS[lang]
    splits = split_files(shared)
    if not splits["train"]:
        raise FileNotFoundError(f"no SpkAtt news files under {(shared or shared_data_dir()) / _NEWS}")
    nlp = spacy.blank(lang)
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _write(nlp, splits["train"], work / "train.spacy")
        _write(nlp, splits["val"], work / "val.spacy")
        overrides: dict[str, Any] = {
            "paths.train": str(work / "train.spacy"),
            "paths.dev": str(work / "val.spacy"),
            "system.seed": seed,
        }
        if max_steps is not None:
            overrides["training.max_steps"] = max_steps
        spacy_train(CONFIGS_DIR / f"claims_{lang}.cfg", work / "run", overrides=overrides, use_gpu=-1)
        best = spacy.load(work / "run" / "model-best")
        val_scores = best.evaluate(_examples(best, work / "val.spacy"))
        best.meta.update(
            name=CLAIMS_MODELS[lang].removeprefix(f"{lang}_"),
            version="0.1.0",
            license="CC BY-NC-SA 4.0",
            description="Claims span model (CUE, SOURCE, CONTENT) of the investigative dataset kit; "
            "trained on SpkAtt-2023 news, non-commercial use only (see MODEL_CARD.md).",
        )
        if out.exists():
            shutil.rmtree(out)
        best.to_disk(out)
    seconds = time.time() - started
    rules, rules_share = _claims_scores(splits["dev"], None)
    combined, share = _claims_scores(splits["dev"], out)
    card = _card(
        out,
        seed=seed,
        seconds=seconds,
        spans=val_scores,
        rules=rules,
        combined=combined,
        shares=(rules_share, share),
        n_files={k: len(v) for k, v in splits.items()},
    )
    (out / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    return out


def _examples(nlp: Language, path: Path) -> list[Example]:
    return [Example(nlp.make_doc(d.text), d) for d in DocBin().from_disk(path).get_docs(nlp.vocab)]

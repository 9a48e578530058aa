"""MODEL_CARD.md for a shipped pipeline, generated from the training run's own numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kit.training.corpora import LABELS, corpus_specs, label_map

__all__ = ["dir_size", "render_card"]


def dir_size(path: Path) -> int:
    """Bytes of a model folder, as its card reports them."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _score_rows(scores: dict[str, dict[str, Any]]) -> list[str]:
    rows = [
        "| dev set | docs | words | P | R | F1 | " + " | ".join(f"{label} F1" for label in LABELS) + " |",
        "|---|---:|---:|---:|---:|---:|" + "---:|" * len(LABELS),
    ]
    for name, result in scores.items():
        micro = result["micro"]
        per_label = [
            f"{result['per_label'][label]['f']:.3f}" if label in result["per_label"] else "–"
            for label in LABELS
        ]
        rows.append(
            f"| {name} | {result['docs']} | {result['words']} | {micro['p']:.3f} | {micro['r']:.3f} | "
            f"**{micro['f']:.3f}** | " + " | ".join(per_label) + " |"
        )
    return rows


def _label_detail(scores: dict[str, dict[str, Any]]) -> list[str]:
    rows = ["| dev set | label | P | R | F1 | gold | predicted |", "|---|---|---:|---:|---:|---:|---:|"]
    for name, result in scores.items():
        for label, s in result["per_label"].items():
            rows.append(
                f"| {name} | {label} | {s['p']:.3f} | {s['r']:.3f} | {s['f']:.3f} | "
                f"{s['tp'] + s['fn']} | {s['tp'] + s['fp']} |"
            )
    return rows


def _tier_note(meta: dict[str, Any], tier: str) -> str:
    if tier == "default":
        return "the default pipeline"
    return f"rows are named `{meta['lang']}_{meta['name']}-{tier}`"


def render_card(
    *,
    lang: str,
    meta: dict[str, Any],
    config_name: str,
    seed: int,
    max_steps: int | None,
    train_docs: int,
    scores: dict[str, dict[str, Any]],
    checks: dict[str, Any],
    size_bytes: int,
    vectors: str,
    used: tuple[str, ...],
    tier: str = "default",
    extra: str = "",
    syntax: dict[str, Any] | None = None,
) -> str:
    """The card text: data and licences, label mapping, how to retrain, dev scores, speed, size.

    ``syntax`` (GUM conversion info and ``scores`` from :func:`kit.training.syntax.syntax_scores`)
    adds the tagger/parser part and says that the parser splits sentences."""
    specs = corpus_specs(lang)
    lines = [
        f"# {meta['lang']}_{meta['name']} {meta['version']}",
        "",
        meta["description"],
        "",
        f"Pipeline: {', '.join(meta.get('pipeline', []))}. NER labels: {', '.join(LABELS)}.",
        "",
        "## Licence",
        "",
        f"**{meta.get('license', 'not stated')}**, licence tier `{tier}` ({_tier_note(meta, tier)}).",
        "The model's weights are derived from its training data, so it takes on the strictest terms",
        "of the corpora it was trained on (`model_licence` in `kit/training/corpora.yaml`, strictest",
        (
            "first: CC BY-NC-SA > CC BY-SA > CC BY > CC0). "
            + (
                "It contains no non-commercial data: a commercial newsroom may use it under those terms."
                if "NC" not in str(meta.get("license", ""))
                else "It contains non-commercial data: research and other non-commercial use only "
                "(`kit build --tier research`)."
            )
        ),
        "",
        "## Training data",
        "",
        "| corpus | used for training | licence | source | note |",
        "|---|---|---|---|---|",
    ]
    for s in specs:
        lines.append(
            f"| {s.name} | {'yes' if s.name in used else 'no (dev only)'} | {s.licence} | {s.source} | {s.note} |"
        )
    hashed = ", ".join(s.name for s in specs if any("#" in entry for entry in s.train))
    lines += [
        "",
        f"{train_docs} training documents/sentences. Corpora without a dev file ({hashed}) are split",
        "80/20 by a hash of the document id or sentence block (`kit.training.corpora.split_of`); the dev",
        "parts are never trained on. Corpora marked `research` in `corpora.yaml` are trained on only",
        "by the research tier; in the other tier they are only evaluated.",
        "",
        "## Label mapping",
        "",
        "Kept as data in `kit/training/label_maps.yaml` (shared by training and evaluation); a type",
        "not listed there is not an entity. Derived adjectives (GermEval `*deriv`, e.g. *deutschen*)",
        "are MISC like in CoNLL-2003/Europarl, never LOC; GermEval `*part` (a name inside a longer",
        "word, e.g. *EU-Staaten*) is not an entity; SmartData/MobIE routes, dates, triggers are not.",
        "",
        "| corpus | source type -> label |",
        "|---|---|",
    ]
    for s in specs:
        mapping = ", ".join(f"{k} -> {v}" for k, v in label_map(s.labels).items())
        lines.append(f"| {s.name} | {mapping} |")
    lines += [
        "",
        "## How it was trained",
        "",
        "```",
        (
            f"kit train ner --lang {lang}{' --tier ' + tier if tier != 'default' else ''}"
            f"   # = kit.training.ner.train(lang={lang!r}, seed={seed}, max_steps={max_steps}, tier={tier!r})"
        ),
        *(
            [
                (
                    f"kit train syntax --lang {lang}   # = kit.training.syntax_ship.train_and_ship("
                    f"seed={syntax.get('seed')}, max_steps={syntax.get('max_steps')}): adds the syntax to the NER above"
                )
            ]
            if syntax
            else []
        ),
        "```",
        "",
        f"Config `kit/training/configs/{config_name}` (CNN tok2vec + transition-based NER, spaCy",
        f"{meta.get('spacy_version', '')}), seed {seed}, max_steps {max_steps}; the checkpoint with the best",
        "micro F1 on the selection dev set (see `SELECTION_DEV` in `kit/training/ner.py`) is shipped.",
        f"Static vectors: {vectors}.",
        *(
            _syntax_training(syntax)
            if syntax
            else [
                "Sentence splitting: spaCy's rule `sentencizer` with line breaks as extra boundaries",
                "(headlines and datelines have no full stop). Lemmas: spaCy lookup table",
                "(spacy-lookups-data); for German extended with genitives of capitalised words found in",
                "the raw text (*Putins* -> *Putin*).",
            ]
        ),
        "",
        *(_syntax_rows(syntax) if syntax else []),
        "## Dev scores (exact span and label match, micro-averaged)",
        "",
        *_score_rows(scores),
        "",
        "Per label:",
        "",
        *_label_detail(scores),
        "",
        "## Sentence splitting and speed",
        "",
    ]
    for name, s in checks.get("sentences_ud", {}).items():
        lines.append(f"- UD `{name}` sentence starts: P {s['p']:.3f} R {s['r']:.3f} F1 {s['f']:.3f}")
    if "words_per_second" in checks:
        lines.append(
            f"- speed: {checks['words_per_second']:,} words/s, whole pipeline, `nlp.pipe` on one CPU "
            f"core over {checks['speed_corpus']}"
        )
    lines.append(f"- size on disk: {size_bytes / 1e6:.1f} MB")
    if extra:
        lines += ["", extra]
    return "\n".join(lines) + "\n"


def _syntax_training(syntax: dict[str, Any]) -> list[str]:
    train = syntax.get("train", {})
    genres = ", ".join(f"{g} {n}" for g, n in train.get("genres", {}).items())
    return [
        "",
        "Tagger (PTB tags), morphologizer (UPOS + UD features), edit-tree lemmatizer and",
        "dependency parser (UD relations with subtypes; root `ROOT`) on a tok2vec of their own (the NER",
        f"keeps its own, see `docs/en_syntax.md`): config `kit/training/configs/{syntax.get('config')}`,",
        (
            f"seed {syntax.get('seed')}, max_steps {syntax.get('max_steps')}, trained {syntax.get('train_seconds')} s"
            " on the GUM train documents present:"
        ),
        f"{train.get('docs')} documents, {train.get('tokens')} tokens ({genres}). GUM's fiction, wikiHow",
        "(CC BY-NC-SA) and reddit documents are not in `../shared/data` and are not used; the test",
        "documents are held out. GUM texts: Wikinews news, interviews and biographies CC BY, Wikivoyage",
        "CC BY-SA, OpenStax textbooks CC BY, YouTube vlogs CC BY, political speeches public domain,",
        "Santa Barbara conversations CC BY (Du Bois); annotation by the GUM annotators (Zeldes 2017,",
        "*The GUM Corpus*, LRE 51(3)). Paragraph ends become blank lines, heading ends line breaks",
        "(`SPACE` tokens), as in news text. The checkpoint with the best weighted GUM dev score",
        "(`score_weights` in the config, LAS weighing most) is shipped.",
        "Sentence splitting: the parser; a line break always starts a sentence (`kit_line_breaks`, added",
        "before the parser when the kit loads a pipeline with a parser; headlines and datelines have",
        "no full stop). Lemmas: the edit-tree lemmatizer (the lookup table is gone).",
    ]


def _syntax_rows(syntax: dict[str, Any]) -> list[str]:
    s = syntax["scores"]
    dev = syntax.get("dev", {})
    genres = ", ".join(f"{g} {n}" for g, n in dev.get("genres", {}).items())
    return [
        "## Syntax: GUM dev scores",
        "",
        f"{s['docs']} GUM dev documents ({genres}), {s['tokens']} tokens, each read as one text, so",
        "sentence boundaries are the parser's own. POS = UPOS, tag = PTB tag, morph = UD features.",
        "",
        "| POS | tag | morph | lemma | UAS | LAS | sentence P | sentence R | sentence F |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        "| "
        + " | ".join(
            f"{s[k]:.3f}"
            for k in ("pos_acc", "tag_acc", "morph_acc", "lemma_acc", "dep_uas", "dep_las", "sents_p", "sents_r", "sents_f")
        )
        + " |",
        "",
        "LAS on the GUM test documents is not measured here: they are held out for outside checks.",
        "",
    ]


def write_card(path: Path, text: str) -> None:
    """Write the card next to the model files."""
    path.write_text(text, encoding="utf-8")

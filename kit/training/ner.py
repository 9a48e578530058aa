"""Train the kit's NER pipelines (``de_kit_news``, ``en_kit_news``) from the shared corpora.

One entry point, :func:`train`: corpora -> DocBins -> ``spacy train`` with the pinned config
and seed -> pipeline assembled with sentence splitting and lookup lemmas -> scored on every
dev set -> written with its MODEL_CARD.md. Everything it needs besides the shared data is
in this package, so the shipped model can be rebuilt with ``kit train ner --lang de``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans

from kit.settings import DEFAULT_PIPELINES, MODELS_DIR, RESEARCH_PIPELINES, shared_data_dir
from kit.training.corpora import CorpusSpec, GoldDoc, corpus_specs, iter_corpus, label_map
from kit.training.model_card import dir_size, render_card

__all__ = [
    "CONFIGS_DIR",
    "MODEL_VERSION",
    "assemble",
    "convert",
    "dev_scores",
    "pipeline_checks",
    "ship",
    "to_doc",
    "train",
]

CONFIGS_DIR = Path(__file__).resolve().parent / "configs"
# Bumped when a language's shipped model changes (rows carry it as part of pipeline_version).
MODEL_VERSION = {"de": "0.2.0", "en": "0.2.0"}
# Licence tiers: "default" trains on data a commercial newsroom may use; "research" adds
# non-commercial data (``tier: research`` in corpora.yaml).
TIERS: tuple[str, ...] = ("default", "research")
# Dev sets whose micro F1 chooses the best checkpoint: general news and business news.
SELECTION_DEV = {"de": ("germeval2014", "smartdata"), "en": ("wikigold", "btc")}
DESCRIPTION = {
    "de": "German news pipeline of the investigative dataset kit: sentence splitting, "
    "lookup lemmas and NER (PER, ORG, LOC, MISC) trained on public corpora (see MODEL_CARD.md).",
    "en": "English news pipeline of the investigative dataset kit: sentence splitting, "
    "lookup lemmas and NER (PER, ORG, LOC, MISC) trained on public corpora (see MODEL_CARD.md).",
}


def to_doc(nlp: Language, gold: GoldDoc) -> Doc:
    """A spaCy Doc with gold entities; gold tokens are kept where the corpus has them."""
    if gold.words is not None:
        doc = Doc(nlp.vocab, words=gold.words)
    else:
        doc = nlp.make_doc(gold.text)
    spans = []
    for start, end, label in gold.spans:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.ents = filter_spans(spans)
    return doc


def _write(nlp: Language, docs: Iterable[GoldDoc], path: Path) -> int:
    db = DocBin(store_user_data=False)
    for gold in docs:
        if gold.text.strip():
            db.add(to_doc(nlp, gold))
    db.to_disk(path)
    return len(db)


def _tokens(gold: GoldDoc) -> int:
    return len(gold.words) if gold.words is not None else len(gold.text.split())


def _sample(docs: Iterable[GoldDoc], budget: float) -> list[GoldDoc]:
    """Silver sentences in a fixed pseudo-random order (hash of the id) up to a token budget."""
    ordered = sorted(docs, key=lambda d: hashlib.md5(d.doc_id.encode("utf-8")).hexdigest())
    kept, total = [], 0
    for doc in ordered:
        if total + _tokens(doc) > budget:
            break
        kept.append(doc)
        total += _tokens(doc)
    return kept


# Licences a model can take on from its training data, least to most restrictive.
LICENCE_ORDER: tuple[str, ...] = ("CC0 1.0", "CC BY 4.0", "CC BY-SA 4.0", "CC BY-NC-SA 4.0")


def model_licence(lang: str, used: Iterable[str]) -> str:
    """The strictest ``model_licence`` of the corpora a model is trained on (its data's terms)."""
    names = set(used)
    found = [s.model_licence for s in corpus_specs(lang) if s.name in names]
    unknown = sorted(set(found) - set(LICENCE_ORDER))
    if unknown or not found:
        raise ValueError(f"corpora.yaml: no known model_licence for {sorted(names)} ({unknown})")
    return max(found, key=LICENCE_ORDER.index)


def training_corpora(lang: str, tier: str = "default") -> list[CorpusSpec]:
    """The corpora a tier trains on: ``use`` ones, plus the research-only ones in the research tier."""
    if tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r} (one of {', '.join(TIERS)})")
    return [s for s in corpus_specs(lang) if s.use and (s.tier == "default" or tier == "research")]


def convert(
    lang: str, work: Path, *, data_dir: Path | None = None, corpora: Iterable[str] | None = None
) -> tuple[Path, Path]:
    """Write ``train.spacy`` (train splits of the corpora) and ``dev.spacy`` (selection dev).

    Gold corpora go in whole; a silver corpus (``mix`` in ``corpora.yaml``) is filtered and
    sampled to at most ``mix`` tokens per gold training token, so that its names widen the
    model's knowledge without its every-sentence-has-a-name bias outweighing the gold data.
    """
    nlp = spacy.blank(lang)
    names = set(corpora) if corpora is not None else {s.name for s in training_corpora(lang)}
    specs = [s for s in corpus_specs(lang) if s.name in names]
    work.mkdir(parents=True, exist_ok=True)
    train_path, dev_path = work / "train.spacy", work / "dev.spacy"
    gold = [g for s in specs if s.mix is None for g in iter_corpus(s, "train", data_dir=data_dir)]
    gold_tokens = sum(_tokens(g) for g in gold)
    mixed = list(gold)
    for spec in specs:
        if spec.mix is None:
            continue
        silver = _sample(iter_corpus(spec, "train", data_dir=data_dir), spec.mix * gold_tokens)
        nameless = sum(1 for g in silver if not g.spans) / max(1, len(silver))
        print(
            f"[kit] silver {spec.name}: {len(silver)} sentences, {sum(map(_tokens, silver))} tokens "
            f"(gold {gold_tokens} tokens, mix {spec.mix}), {nameless:.1%} without a name",
            flush=True,
        )
        mixed.extend(silver)
    nameless = sum(1 for g in mixed if not g.spans) / max(1, len(mixed))
    n_train = _write(nlp, mixed, train_path)
    selection = [s for s in corpus_specs(lang) if s.name in SELECTION_DEV[lang]]
    n_dev = _write(nlp, (g for s in selection for g in iter_corpus(s, "dev", data_dir=data_dir)), dev_path)
    print(
        f"[kit] converted {[s.name for s in specs]}: {n_train} train docs ({nameless:.1%} without a name), "
        f"{n_dev} dev docs",
        flush=True,
    )
    return train_path, dev_path


# Sentence ends for the rule sentencizer: spaCy's punctuation plus blank-line and line breaks,
# because headlines, datelines and paragraphs of news text carry no final full stop.
NEWLINE_BREAKS = ("\n", "\n\n", "\n\n\n", "\n\n\n\n", "\r\n", "\r\n\r\n", " \n", "\n ")


def _name_genitives(lang: str, table: Any, *, data_dir: Path) -> dict[str, str]:
    """Genitive -> base form of names the lookup table lacks ("Putins" -> "Putin").

    Taken from the raw text (``raw/<lang>``): a capitalised word ending in "s" that the table
    does not know, seen at least 3 times, whose stem is seen at least twice as often (so
    "Hans" does not become "Han" nor "Kurs" "Kur"). German only; a few common nouns get
    the same treatment, which is right for their genitives too ("Bundesgerichts").
    """
    if lang != "de":
        return {}
    counts: Counter[str] = Counter()
    capitalised = re.compile(r"\b[A-ZÄÖÜ][a-zäöüß]+\b")
    for path in sorted((data_dir / "raw" / lang).glob("*.txt.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                counts.update(capitalised.findall(line))
    genitives = {}
    for word, n in counts.items():
        if len(word) <= 4 or not word.endswith("s") or n < 3 or word in table:
            continue
        # "-es" genitives ("Theaterstückes") take the shorter stem when that is the common word
        for stem in (word[:-2], word[:-1]) if word.endswith("es") else (word[:-1],):
            if stem not in table and counts[stem] >= 2 * n:
                genitives[word] = stem
                break
    return genitives


def assemble(best: Path, lang: str, *, used: Iterable[str], data_dir: Path | None = None) -> Language:
    """The shipped pipeline: trained NER + rule sentencizer + lookup lemmatizer + meta."""
    from spacy.pipeline import Sentencizer

    nlp = spacy.load(best)
    punct = [*Sentencizer.default_punct_chars, *NEWLINE_BREAKS]
    nlp.add_pipe("sentencizer", first=True, config={"punct_chars": punct})
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    lemmatizer.initialize()  # type: ignore[attr-defined]
    table = lemmatizer.lookups.get_table("lemma_lookup")  # type: ignore[attr-defined]
    for word, lemma in _name_genitives(lang, table, data_dir=data_dir or shared_data_dir()).items():
        table[word] = lemma
    nlp.meta.update(
        name="kit_news",
        lang=lang,
        version=MODEL_VERSION[lang],
        description=DESCRIPTION[lang],
        author="investigative dataset kit",
        license=model_licence(lang, used),
        sources=[
            {"name": s.name, "licence": s.licence, "url": s.source}
            for s in corpus_specs(lang)
            if s.name in used
        ],
    )
    return nlp


def _data_dir(shared: Path | None) -> Path:
    """``shared`` may be the workplace's shared folder or its ``data`` folder itself."""
    if shared is None:
        return shared_data_dir()
    return shared / "data" if (shared / "data").is_dir() else shared


def dev_scores(nlp: Language, lang: str, *, data_dir: Path | None = None) -> dict[str, dict[str, Any]]:
    """Scores on the dev split of every corpus listed for the language (used or not),
    on the labels each corpus annotates."""
    from kit.evaluation.ner import score_docs

    scores = {}
    for spec in corpus_specs(lang):
        if spec.dev:
            golds = iter_corpus(spec, "dev", data_dir=data_dir)
            scores[spec.name] = score_docs(nlp, golds, labels=set(label_map(spec.labels).values()))
            print(f"[kit] dev {spec.name}: F1 {scores[spec.name]['micro']['f']:.3f}", flush=True)
    return scores


def pipeline_checks(nlp: Language, lang: str, *, data_dir: Path) -> dict[str, Any]:
    """Speed on the Wikinews corpus (one thread) and sentence splitting on UD, for the card."""
    from kit.evaluation.ner import read_conllu_sentences, sentence_scores, words_per_second

    checks: dict[str, Any] = {}
    wikinews = data_dir / "corpus" / f"wikinews_{lang}.jsonl"
    if wikinews.exists():
        with wikinews.open(encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in f]
        checks["speed_corpus"] = f"corpus/wikinews_{lang}.jsonl ({len(texts)} articles)"
    else:  # no news corpus for the language: the dev sentences, 20 to a text
        sentences = [g.text for s in corpus_specs(lang) for g in iter_corpus(s, "dev", data_dir=data_dir)]
        texts = [" ".join(sentences[i : i + 20]) for i in range(0, len(sentences), 20)]
        checks["speed_corpus"] = f"the dev sentences of all {lang} corpora, 20 per text ({len(texts)} texts)"
    words_per_second(nlp, texts[:10])  # warm-up
    checks["words_per_second"] = round(words_per_second(nlp, texts))
    ud = {
        p.name: sentence_scores(nlp, read_conllu_sentences(p))
        for p in sorted((data_dir / "ud" / lang).glob("*.conllu"))
    }
    if ud:
        checks["sentences_ud"] = ud
    return checks


def _config(lang: str) -> Path:
    return CONFIGS_DIR / f"ner_{lang}.cfg"


def train(
    lang: str = "de",
    *,
    out: Path | None = None,
    shared: Path | None = None,
    seed: int = 0,
    max_steps: int | None = None,
    work: Path | None = None,
    corpora: Iterable[str] | None = None,
    config: Path | None = None,
    tier: str = "default",
) -> Path:
    """Convert corpora, train with the pinned config and seed, score every dev set, ship.

    ``out`` defaults to the package's ``kit/models/<lang>_kit_news``; ``work`` keeps the
    DocBins, vectors and checkpoints (a temporary folder, removed afterwards, when not given;
    reused when given, so a second run skips the floret training); ``corpora`` overrides
    which corpora are trained on and ``config`` replaces the pinned config (ablations);
    ``tier="research"`` adds the non-commercial corpora and writes the research pipeline.
    Returns the model folder.
    """
    from spacy.cli.train import train as spacy_train
    from spacy.training.initialize import convert_vectors

    if out is None:
        out = MODELS_DIR / (RESEARCH_PIPELINES[lang] if tier == "research" else DEFAULT_PIPELINES[lang])
    data_dir = _data_dir(shared)
    temporary = work is None
    work = Path(work) if work is not None else Path(tempfile.mkdtemp(prefix=f"kit_ner_{lang}_"))
    config_path = Path(config) if config is not None else _config(lang)
    settings = spacy.util.load_config(config_path)
    overrides: dict[str, Any] = {"system.seed": seed}
    if max_steps is not None:
        overrides["training.max_steps"] = max_steps
    vectors = "none"
    if settings["components"]["tok2vec"]["model"]["embed"]["include_static_vectors"]:
        from kit.training.vectors import train_floret, vector_settings

        vectors_dir = work / "vectors"
        if not (vectors_dir / "config.cfg").exists():
            holder = spacy.blank(lang)
            convert_vectors(
                holder, train_floret(lang, work, data_dir=data_dir), truncate=0, prune=-1, mode="floret"
            )
            holder.to_disk(vectors_dir)
        overrides["paths.vectors"] = str(vectors_dir)
        floret = vector_settings(lang)["floret"]
        vectors = (
            f"floret {floret['bucket']} buckets x {floret['dim']} dims, trained on raw text "
            f"(`kit/training/configs/vectors_{lang}.yaml`)"
        )

    used = tuple(corpora) if corpora is not None else tuple(s.name for s in training_corpora(lang, tier))
    train_path, dev_path = convert(lang, work, data_dir=data_dir, corpora=used)
    overrides.update({"paths.train": str(train_path), "paths.dev": str(dev_path)})
    start = time.perf_counter()
    spacy_train(config_path, work / "output", use_gpu=-1, overrides=overrides)
    print(f"[kit] training took {time.perf_counter() - start:.0f} s", flush=True)

    shipped = ship(
        work / "output" / "model-best",
        lang,
        out=out,
        data_dir=data_dir,
        seed=seed,
        max_steps=max_steps if max_steps is not None else settings["training"]["max_steps"],
        train_docs=len(DocBin().from_disk(train_path)),
        vectors=vectors,
        used=used,
        config_name=config_path.name,
        tier=tier,
    )
    if temporary:
        shutil.rmtree(work, ignore_errors=True)
    return shipped


def ship(
    best: Path,
    lang: str,
    *,
    out: Path,
    data_dir: Path | None = None,
    seed: int,
    max_steps: int,
    train_docs: int,
    vectors: str,
    used: tuple[str, ...],
    config_name: str | None = None,
    tier: str = "default",
) -> Path:
    """Assemble a trained checkpoint, score it on every dev set and write it with its card."""
    data_dir = data_dir or shared_data_dir()
    nlp = assemble(best, lang, used=used, data_dir=data_dir)
    scores = dev_scores(nlp, lang, data_dir=data_dir)
    checks = pipeline_checks(nlp, lang, data_dir=data_dir)
    nlp.meta["performance"] = {
        "dev_f1": {name: round(s["micro"]["f"], 4) for name, s in scores.items()},
        "words_per_second": checks.get("words_per_second"),
    }
    staging = out.with_name(out.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    nlp.to_disk(staging)
    (staging / "scores.json").write_text(json.dumps({"dev": scores, **checks}, indent=2), encoding="utf-8")
    notes = CONFIGS_DIR / (f"notes_{lang}.md" if tier == "default" else f"notes_{lang}_{tier}.md")
    card = render_card(
        lang=lang,
        meta=nlp.meta | {"pipeline": nlp.pipe_names},
        config_name=config_name or _config(lang).name,
        seed=seed,
        max_steps=max_steps,
        train_docs=train_docs,
        scores=scores,
        checks=checks,
        size_bytes=dir_size(staging),
        vectors=vectors,
        used=used,
        tier=tier,
        extra=notes.read_text(encoding="utf-8") if notes.exists() else "",
    )
    (staging / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    print(f"[kit] wrote {out}", flush=True)
    return out

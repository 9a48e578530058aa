"""The quality gate: every development figure of the kit in one committed file,
``tests/eval_baseline.json`` (component -> dataset -> metric -> value), as trafilatura pins its
evaluation.

- CI (``tests/test_eval_baseline.py`` and the floor tests in ``tests/test_evaluation_*.py``)
  fails when a measured figure drops below its baseline by more than ``tolerance`` (float noise).
- ``python -m kit.evaluation.baseline update`` re-measures and raises figures; it refuses to
  lower one unless ``--allow-lower`` is given, and prints which. ``--only ner`` (or
  ``--only claims/polnear_dev``) re-measures a part, e.g. after merging a new model.
- ``python -m kit.evaluation.baseline docs`` rewrites the tables between
  ``<!-- baseline:start -->`` and ``<!-- baseline:end -->`` in README.md and docs/dates.md from
  the file (``--check``: exit 1 when they differ; a test runs it).

What each dataset is (which files, which pipeline, which slice) is defined once, in ``MEASURES``
below; tests and the update command both run these definitions.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.settings import PROJECT_DIR, shared_data_dir

__all__ = [
    "BASELINE_FILE",
    "MEASURES",
    "Measure",
    "compare",
    "floor",
    "load",
    "measure",
    "render_docs",
    "update",
]

BASELINE_FILE = PROJECT_DIR / "tests" / "eval_baseline.json"
_DIGITS = 4  # figures are stored rounded; a change below this is no change

Figures = dict[str, dict[str, dict[str, float]]]  # component -> dataset -> metric -> value


@dataclass(frozen=True)
class Measure:
    """One evaluation run: ``run(data_dir)`` returns its metrics; ``needs`` must exist under the
    shared data folder (else the run is unavailable and tests skip)."""

    component: str
    dataset: str
    label: str  # how the docs name the dataset
    needs: str
    run: Callable[[Path], dict[str, float]]
    slow: bool = True  # whole corpora: CI runs them, the quick loop (-m "not slow") does not


# --- dates ----------------------------------------------------------------------------------


def _dates(
    relative: str, lang: str, limit: int | None = None, *, timeml_strict: bool = False, root: Path | None = None
) -> Callable[[Path], dict[str, float]]:
    """``root``: a folder of the project (the essay set in tests/data) instead of the shared data."""

    def run(data: Path) -> dict[str, float]:
        from kit.evaluation.dates import evaluate

        result = evaluate((root or data) / relative, lang=lang, limit=limit, timeml_strict=timeml_strict)
        figures = {
            "strict_f1": result["strict"]["f1"],
            "relaxed_precision": result["relaxed"]["precision"],
            "relaxed_recall": result["relaxed"]["recall"],
            "relaxed_f1": result["relaxed"]["f1"],
            "value_accuracy": result["value_accuracy"],
            "value_f1": result["value_f1"],
        }
        if result.get("type_accuracy") is not None:  # TIMEX2 corpora have no types
            figures["type_accuracy"] = result["type_accuracy"]
        return figures

    return run


_KRAUTS = "dates/krauts/KRAUTS_Dolomiten-42"
_WIKIWARS = "dates/wikiwarsde/WikiWarsDE_20110412/keyinline"
_TEMPEVAL = "dates/tempeval3/Training"
_ESSAYS = "tests/data/dates_de_essays"  # the kit's own essay/preview set (in the project)

# --- NER: the dev split of every corpus in kit/training/corpora.yaml, with the entity rules ----


def _ner_pipeline(lang: str) -> tuple[Any, list[str]]:
    """The shipped pipeline and the components a build runs up to the entity rules.

    The pipeline is the process-wide cached one (``load_pipeline``): callers select the
    components with ``with nlp.select_pipes(enable=...)`` so a later build in the same
    process still gets dates and claims."""
    from kit.nlp.registry import ENTITY_RULES, PipelineSpec, load_pipeline
    from kit.settings import DEFAULT_PIPELINES, MODELS_DIR

    nlp = load_pipeline(PipelineSpec(lang, str(MODELS_DIR / DEFAULT_PIPELINES[lang])))
    keep = [name for name in nlp.pipe_names if not name.startswith("kit_") or name in ENTITY_RULES]
    return nlp, keep


def _ner_figures(result: dict[str, Any]) -> dict[str, float]:
    figures = {
        "f1": result["micro"]["f"],
        "precision": result["micro"]["p"],
        "recall": result["micro"]["r"],
    }
    for label, scores in sorted(result["per_label"].items()):
        figures[f"f1_{label}"] = scores["f"]
    return figures


def _ner_dev(lang: str, corpus: str) -> Callable[[Path], dict[str, float]]:
    def run(data: Path) -> dict[str, float]:
        from kit.evaluation.ner import score_docs
        from kit.training.corpora import corpus_specs, iter_corpus, label_map

        spec = next(s for s in corpus_specs(lang) if s.name == corpus)
        golds = iter_corpus(spec, "dev", data_dir=data)
        nlp, keep = _ner_pipeline(lang)
        with nlp.select_pipes(enable=keep):
            return _ner_figures(score_docs(nlp, golds, labels=set(label_map(spec.labels).values())))

    return run


def _ner_slice(relative: str, limit: int) -> Callable[[Path], dict[str, float]]:
    """The quick CI slice of tests/test_evaluation_ner.py: the model alone and with the rules."""

    def run(data: Path) -> dict[str, float]:
        import spacy

        from kit.evaluation.ner import evaluate
        from kit.settings import DEFAULT_PIPELINES, MODELS_DIR

        model = MODELS_DIR / DEFAULT_PIPELINES["de"]
        alone = evaluate(data / relative, model=spacy.load(model), split="dev", limit=limit)
        ruled = evaluate(data / relative, model=str(model), split="dev", limit=limit)
        return {"f1_model": alone["micro"]["f"], "f1": ruled["micro"]["f"]}

    return run


def _ner_dev_sets() -> list[tuple[str, str, str]]:
    """(lang, corpus, first dev file) for every corpus with a dev split; [] without the corpora list."""
    try:
        from kit.training.corpora import corpus_specs
    except ImportError:  # pragma: no cover - training extras missing
        return []
    return [
        (lang, s.name, s.dev[0].partition("#")[0])
        for lang in ("de", "en")
        for s in corpus_specs(lang)
        if s.dev
    ]


# --- claims ---------------------------------------------------------------------------------

_SPKATT = "claims/spkatt_news/train/task2"
_POLNEAR = "claims/polnear/data/dev"


@contextmanager
def spkatt_dev_fifth(folder: Path, limit: int | None = None) -> Iterator[Path]:
    """Links to the kit's SpkAtt dev split (sorted files, index % 5 == 0; the span model never saw
    them), in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="kit_spkatt_dev_") as tmp:
        target = Path(tmp)
        for path in sorted(folder.glob("*.json"))[::5][:limit]:
            (target / path.name).symlink_to(path)
        yield target


def _claims(
    relative: str, lang: str, *, model: str | None, limit: int | None = None, fifth: bool = False
) -> Callable[[Path], dict[str, float]]:
    def run(data: Path) -> dict[str, float]:
        from kit.evaluation.claims import evaluate

        def figures(path: Path) -> dict[str, float]:
            result = evaluate(path, lang=lang, model=model, limit=limit)
            scores = result["scores"]
            assert isinstance(scores, dict)
            return {f"{role}_f1": scores[role]["f1"] for role in ("cue", "source", "content")}

        if not fifth:
            return figures(data / relative)
        with spkatt_dev_fifth(data / relative, limit) as folder:
            return figures(folder)

    return run


_STATUS_SET = PROJECT_DIR / "tests" / "data" / "claims_status.jsonl"


def _claims_status(data: Path) -> dict[str, float]:
    """Status precision and recall on the kit's 212 annotated Wikinews claims (texts in tests/data,
    so this runs without the shared corpora); ``matched`` is the share of annotated claims the
    build still finds by their cue."""
    from kit.evaluation.claims_status import evaluate

    result = evaluate(_STATUS_SET)
    per = result["per_status"]
    assert isinstance(per, dict) and isinstance(result["annotated"], int) and isinstance(result["matched"], int)
    figures = {"matched": result["matched"] / max(1, result["annotated"])}
    for status in ("asserted", "hedged", "alleged", "denied"):
        figures[f"precision_{status}"] = per[status]["precision"]
        figures[f"recall_{status}"] = per[status]["recall"]
    return figures


def _measures() -> list[Measure]:
    out = [
        Measure(
            "dates", "krauts", "KRAUTS Dolomiten (42 news, de)", _KRAUTS, _dates(_KRAUTS, "de"), slow=False
        ),
        Measure("dates", "wikiwarsde", "WikiWarsDE (22 narratives, de)", _WIKIWARS, _dates(_WIKIWARS, "de")),
        Measure(
            "dates", "tempeval3", "TempEval-3 training (256 news, en)", _TEMPEVAL, _dates(_TEMPEVAL, "en")
        ),
        Measure(
            "dates",
            "essays",
            "German essays/previews (20 texts, de; tests/data)",
            ".",
            _dates(_ESSAYS, "de", root=PROJECT_DIR),
            slow=False,
        ),
        # the same sets under the annotation scheme's reading (``timeml_strict``, docs/dates.md)
        Measure(
            "dates",
            "krauts_strict",
            "KRAUTS Dolomiten, `timeml_strict`",
            _KRAUTS,
            _dates(_KRAUTS, "de", timeml_strict=True),
            slow=False,
        ),
        Measure(
            "dates",
            "wikiwarsde_strict",
            "WikiWarsDE, `timeml_strict`",
            _WIKIWARS,
            _dates(_WIKIWARS, "de", timeml_strict=True),
        ),
        Measure(
            "dates",
            "tempeval3_strict",
            "TempEval-3 training, `timeml_strict`",
            _TEMPEVAL,
            _dates(_TEMPEVAL, "en", timeml_strict=True),
        ),
        Measure(
            "dates",
            "essays_strict",
            "German essays/previews, `timeml_strict`",
            ".",
            _dates(_ESSAYS, "de", timeml_strict=True, root=PROJECT_DIR),
            slow=False,
        ),
    ]
    out += [
        Measure("ner", corpus, f"{corpus} dev ({lang})", first, _ner_dev(lang, corpus))
        for lang, corpus, first in _ner_dev_sets()
    ]
    out += [
        Measure(
            "ner",
            "germeval2014_first300",
            "GermEval 2014 dev, first 300 sentences",
            "ner/de/germeval2014/NER-de-test.tsv",
            _ner_slice("ner/de/germeval2014/NER-de-test.tsv", 300),
            slow=False,
        ),
        Measure(
            "ner",
            "smartdata_first30",
            "SmartData dev, first 30 documents",
            "ner/de/smartdata/v3_20200302_dev.json.gz",
            _ner_slice("ner/de/smartdata/v3_20200302_dev.json.gz", 30),
            slow=False,
        ),
        Measure(
            "claims",
            "spkatt_dev_fifth",
            "SpkAtt Wikinews dev fifth (de, default tier: rules)",
            _SPKATT,
            _claims(_SPKATT, "de", model=None, fifth=True),
        ),
        Measure("claims", "polnear_dev", "PolNeAR dev (en)", _POLNEAR, _claims(_POLNEAR, "en", model=None)),
        Measure(
            "claims",
            "spkatt_first25_blank",
            "SpkAtt dev fifth, first 25 files, blank pipeline",
            _SPKATT,
            _claims(_SPKATT, "de", model="blank", limit=25, fifth=True),
            slow=False,
        ),
        Measure(
            "claims",
            "polnear_first20_blank",
            "PolNeAR dev, first 20 files, blank pipeline",
            _POLNEAR,
            _claims(_POLNEAR, "en", model="blank", limit=20),
            slow=False,
        ),
        Measure(
            "claims_status",
            "wikinews",
            "212 annotated Wikinews claims (de)",
            "",
            _claims_status,
            slow=False,
        ),
    ]
    return out


MEASURES: list[Measure] = _measures()


def _find(component: str, dataset: str) -> Measure:
    for m in MEASURES:
        if (m.component, m.dataset) == (component, dataset):
            return m
    raise KeyError(f"no evaluation {component}/{dataset} in kit.evaluation.baseline.MEASURES")


def available(m: Measure, data: Path | None = None) -> bool:
    """An evaluation without ``needs`` uses only files of the repository: always available."""
    return not m.needs or ((data or shared_data_dir()) / m.needs).exists()


def measure(component: str, dataset: str, data: Path | None = None) -> dict[str, float]:
    """Run one evaluation; its figures rounded as they are stored."""
    return _rounded(_find(component, dataset).run(data or shared_data_dir()))


def _rounded(figures: dict[str, float]) -> dict[str, float]:
    return {k: round(float(v), _DIGITS) for k, v in figures.items()}


# --- the file -------------------------------------------------------------------------------


def load(path: Path = BASELINE_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _save(data: dict[str, Any], path: Path) -> None:
    """Written in the order of ``MEASURES`` (components, then datasets), so diffs stay small."""
    order = {(m.component, m.dataset): i for i, m in enumerate(MEASURES)}
    figures: Figures = data.get("figures", {})
    first = {c: min((order.get((c, d), len(order)) for d in sets), default=0) for c, sets in figures.items()}
    data["figures"] = {
        c: dict(sorted(figures[c].items(), key=lambda item: order.get((c, item[0]), len(order))))
        for c in sorted(figures, key=lambda c: first[c])
    }
    path.write_text(json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False) + "\n", encoding="utf-8")


def floor(component: str, dataset: str, metric: str, path: Path = BASELINE_FILE) -> float:
    """The lowest value CI accepts: the baseline figure minus the stated tolerance."""
    data = load(path)
    return float(data["figures"][component][dataset][metric]) - float(data["tolerance"])


def compare(old: dict[str, float], new: dict[str, float]) -> tuple[dict[str, float], list[str], list[str]]:
    """Merge a re-measurement into stored figures: (merged, raised, lowered). A lowered figure is
    reported and kept at its new value only when the caller allows it. A figure the measurement
    no longer reports (a label neither annotated nor predicted any more) is removed when it was
    0.0 and otherwise counts as lowered."""
    merged = {k: v for k, v in old.items() if k in new}
    gone = {k: v for k, v in old.items() if k not in new}
    raised = [f"{metric} 0.0 -> removed (no such label now)" for metric, v in gone.items() if v == 0.0]
    lowered = [f"{metric} {v} -> not measured" for metric, v in gone.items() if v > 0.0]
    for metric, value in new.items():
        before = old.get(metric)
        if before is None or value > before:
            raised.append(f"{metric} {before if before is not None else 'new'} -> {value}")
            merged[metric] = value
        elif value < before:
            lowered.append(f"{metric} {before} -> {value}")
            merged[metric] = value
    return merged, raised, lowered


def update(
    only: list[str] | None = None,
    *,
    allow_lower: bool = False,
    path: Path = BASELINE_FILE,
    out: Callable[[str], None] = print,
    measures: list[Measure] | None = None,
    data_dir: Path | None = None,
) -> int:
    """Re-measure (all, or the ``component`` / ``component/dataset`` in ``only``), raise figures,
    refuse to lower any without ``allow_lower``. Returns an exit code (0 written, 1 refused)."""
    data: dict[str, Any] = load(path) if path.exists() else {"tolerance": 0.005, "figures": {}}
    figures: Figures = data.setdefault("figures", {})
    refused: list[str] = []
    changed = False
    data_dir = data_dir or shared_data_dir()
    for m in MEASURES if measures is None else measures:
        key = f"{m.component}/{m.dataset}"
        if only and not any(key == o or m.component == o for o in only):
            continue
        if not available(m, data_dir):
            out(f"{key}: skipped, {m.needs} not found under {data_dir} (stored figures kept)")
            continue
        out(f"{key}: measuring ...")
        new = _rounded(m.run(data_dir))
        old = figures.get(m.component, {}).get(m.dataset, {})
        merged, raised, lowered = compare(old, new)
        for line in raised:
            out(f"  raised {line}")
        for line in lowered:
            out(f"  {'LOWERED' if allow_lower else 'REFUSED (would lower)'} {line}")
        if lowered and not allow_lower:
            refused += [f"{key} {line}" for line in lowered]
            kept = {k: v for k, v in old.items() if (k in merged and merged[k] < v) or (k not in merged and v > 0.0)}
            merged = {**merged, **kept}
        if merged != old:
            figures.setdefault(m.component, {})[m.dataset] = dict(sorted(merged.items()))
            changed = True
    if changed:
        _save(data, path)
        out(f"written: {path}")
    if refused:
        out("refused to lower (re-run with --allow-lower if the drop is intended):")
        for line in refused:
            out(f"  {line}")
        return 1
    return 0


# --- tables generated from the file ---------------------------------------------------------

START, END = "<!-- baseline:start -->", "<!-- baseline:end -->"


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _readme_table(data: dict[str, Any]) -> str:
    figs: Figures = data["figures"]
    bars: dict[str, str] = data.get("held_out_bars", {})
    rows = ["| component | dev set | figure | bar (held-out) |", "|---|---|---|---|"]
    ner = figs.get("ner", {})
    for lang, title in (
        ("de", "German NER (`de_kit_news` + entity rules)"),
        ("en", "English NER (`en_kit_news` + entity rules)"),
    ):
        first = True
        for _lang, corpus, _path in _ner_dev_sets():
            if _lang != lang or corpus not in ner:
                continue
            f = ner[corpus]
            labels = ", ".join(f"{k[3:]} {_f(v)}" for k, v in f.items() if k.startswith("f1_"))
            rows.append(
                f"| {title if first else ''} | {corpus} dev | F1 {_f(f['f1'])} ({labels}) | {bars.get('ner/' + corpus, '')} |"
            )
            first = False
    dates = figs.get("dates", {})
    for key, title in (
        ("krauts", "dates, German | KRAUTS"),
        ("wikiwarsde", "dates, German narrative | WikiWarsDE"),
        ("tempeval3", "dates, English | TempEval-3 training (AQUAINT + TimeBank)"),
    ):
        if key in dates:
            f = dates[key]
            rows.append(
                f"| {title} | relaxed span F1 {_f(f['relaxed_f1'])}, value F1 {_f(f['value_f1'])} "
                f"| {bars.get('dates/' + key, '')} |"
            )
    claims = figs.get("claims", {})
    for key, title in (
        ("spkatt_dev_fifth", "claims, German | SpkAtt Wikinews (dev fifth; default tier, rules)"),
        ("polnear_dev", "claims, English | PolNeAR dev"),
    ):
        if key in claims:
            f = claims[key]
            rows.append(
                f"| {title} | cue {_f(f['cue_f1'])}, source {_f(f['source_f1'])}, content {_f(f['content_f1'])} "
                f"| {bars.get('claims/' + key, '')} |"
            )
    status = figs.get("claims_status", {}).get("wikinews")
    if status:
        shown = ", ".join(f"{s} {_f(status['precision_' + s])}" for s in ("asserted", "hedged", "alleged", "denied"))
        rows.append(
            f"| claims status, German | 212 annotated Wikinews claims | precision {shown} "
            f"| {bars.get('claims_status/wikinews', '')} |"
        )
    return "\n".join(rows)


def _dates_table(data: dict[str, Any]) -> str:
    dates = data["figures"].get("dates", {})
    labels = {m.dataset: m.label for m in MEASURES if m.component == "dates"}
    rows = [
        "| corpus | strict F1 | relaxed P | relaxed R | relaxed F1 | type acc. | value acc. | value F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, f in dates.items():
        rows.append(
            f"| {labels.get(key, key)} | {_f(f['strict_f1'])} | {_f(f['relaxed_precision'])} | "
            f"{_f(f['relaxed_recall'])} | {_f(f['relaxed_f1'])} | {_f(f.get('type_accuracy'))} | "
            f"{_f(f['value_accuracy'])} | **{_f(f['value_f1'])}** |"
        )
    return "\n".join(rows)


DOCS: dict[str, Callable[[dict[str, Any]], str]] = {"README.md": _readme_table, "docs/dates.md": _dates_table}


def _replace_block(text: str, table: str, name: str) -> str:
    if text.count(START) != 1 or text.count(END) != 1:
        raise ValueError(f"{name}: needs exactly one {START} ... {END} block")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{table}\n{END}{tail}"


def render_docs(*, check: bool = False, root: Path = PROJECT_DIR, out: Callable[[str], None] = print) -> int:
    """Rewrite (or with ``check`` compare) the generated tables; 1 when a file differs (check)."""
    data = load()
    stale = []
    for name, make in DOCS.items():
        path = root / name
        text = path.read_text(encoding="utf-8")
        wanted = _replace_block(text, make(data), name)
        if wanted != text:
            stale.append(name)
            if not check:
                path.write_text(wanted, encoding="utf-8")
                out(f"rewritten: {name}")
    if check and stale:
        out(
            f"out of date with {BASELINE_FILE.name}: {', '.join(stale)} (python -m kit.evaluation.baseline docs)"
        )
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kit.evaluation.baseline", description=__doc__.split("\n\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("update", help="re-measure, raise figures, refuse to lower without --allow-lower")
    up.add_argument("--only", action="append", help="component or component/dataset (repeatable)")
    up.add_argument("--allow-lower", action="store_true", help="accept lower figures (they are printed)")
    docs = sub.add_parser("docs", help="rewrite the generated tables in README.md and docs/dates.md")
    docs.add_argument("--check", action="store_true", help="exit 1 when a table differs from the file")
    sub.add_parser("list", help="the evaluations and whether their data is available")
    args = parser.parse_args(argv)
    if args.command == "update":
        code = update(args.only, allow_lower=args.allow_lower)
        return code or render_docs()
    if args.command == "docs":
        return render_docs(check=args.check)
    for m in MEASURES:
        state = "available" if available(m) else "missing"
        print(f"{m.component}/{m.dataset}\t{'slow' if m.slow else 'fast'}\t{state}\t{m.label}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

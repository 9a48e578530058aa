"""The ``kit`` command: thin wrappers around the Python API (build, render, export, fetch, train, eval, ...).

Exit codes: 0 success; 1 some inputs failed (files, records or URLs; the rest was built); 2 usage or
setup error (nothing published); 3 another build holds the output folder's lock. No traceback
reaches the user: every error is one line saying what and why (``KIT_DEBUG=1`` shows tracebacks).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from kit import __version__
from kit.errors import BuildLockedError, KitError


class _Kit(typer.Typer):
    """The command, with one top-level error handler: one clear line and an exit code by class."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except SystemExit:
            raise
        except KeyboardInterrupt:
            typer.echo("kit: interrupted", err=True)
            raise SystemExit(130) from None
        except Exception as exc:
            if os.environ.get("KIT_DEBUG"):
                raise
            raise SystemExit(_exit_for(exc)) from None


def _exit_for(exc: BaseException) -> int:
    if isinstance(exc, BuildLockedError):
        typer.echo(f"kit: error: {exc}", err=True)
        return 3
    if isinstance(exc, KitError):
        typer.echo(f"kit: error: {exc}", err=True)
    elif isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        typer.echo(f"kit: error: {exc.strerror or exc}{where}", err=True)
    elif isinstance(exc, MemoryError):
        typer.echo("kit: error: out of memory", err=True)
    else:
        typer.echo(f"kit: internal error: {type(exc).__name__}: {exc} (a bug in kit: please report it; "
                   "KIT_DEBUG=1 shows where)", err=True)
    return 2


app = _Kit(
    help="Investigative dataset kit: news articles in, linked Parquet tables and Plotly notebooks out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(pretty_exceptions_enable=False, help="Score the shipped components on standard evaluation formats.", no_args_is_help=True)
train_app = typer.Typer(pretty_exceptions_enable=False, help="Train the kit's own pipelines from ../shared/data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"kit: error: {message}", err=True)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kit {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = None,
) -> None:
    """Investigative dataset kit."""


@app.command()
def build(
    inputs: Annotated[list[str], typer.Argument(help="Article files, folders or glob patterns.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the tables and manifest.")] = Path(
        "data/tables"
    ),
    pipeline: Annotated[
        list[str] | None,
        typer.Option("--pipeline", "-p", help="LANG=NAME_OR_PATH, e.g. de=de_core_news_lg (repeatable)."),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")] = 1,
    engine: Annotated[str, typer.Option(help="local or dask.")] = "local",
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (default: a LocalCluster).")
    ] = None,
    overrides: Annotated[
        Path | None, typer.Option(help="Entity overrides YAML (default: OUT/overrides.yaml).")
    ] = None,
    csv_column: Annotated[
        list[str] | None,
        typer.Option("--csv-column", help="FIELD=COLUMN for CSV (repeatable); FIELD is text, title, published, "
                     "id, language, source, url or section; with --csv-no-header COLUMN is a 0-based position."),
    ] = None,
    csv_delimiter: Annotated[str | None, typer.Option(help="CSV delimiter (default: sniffed).")] = None,
    csv_quotechar: Annotated[str | None, typer.Option(help="CSV quote character.")] = None,
    csv_no_header: Annotated[bool, typer.Option(help="CSV has no header; map FIELD=POSITION (0 = first column).")] = False,
    max_file_mb: Annotated[float | None, typer.Option(help="Skip files larger than this.")] = None,
    max_tokens: Annotated[int | None, typer.Option(help="Truncate articles after this many tokens.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    follow_symlinks: Annotated[
        bool, typer.Option(help="Read symbolic links in input folders that point outside them.")
    ] = False,
    tier: Annotated[
        str | None,
        typer.Option(help="Licence tier: default (commercial use) or research (adds non-commercial models); env KIT_TIER."),
    ] = None,
) -> None:
    """Read articles and write the tables (articles, sentences, mentions, entities, dates, claims, relations)."""
    from kit.core import build as run_build
    from kit.ingest import CsvOptions
    from kit.settings import resolve_tier

    columns = {}
    for item in csv_column or []:
        field, sep, column = item.partition("=")
        if not sep:
            _fail(f"--csv-column {item!r} is not FIELD=COLUMN")
        columns[field.strip()] = column.strip()
    options = CsvOptions(columns, csv_delimiter, csv_quotechar, not csv_no_header)
    try:
        tier = resolve_tier(tier)
    except KitError as exc:
        _fail(str(exc))
    result = run_build(
        inputs, out=out, pipelines=pipeline, jobs=jobs, engine=engine, scheduler=scheduler,
        overrides=overrides, csv_options=options,
        max_file_bytes=None if max_file_mb is None else int(max_file_mb * 1024 * 1024),
        max_tokens=max_tokens, progress=not quiet, follow_symlinks=follow_symlinks, tier=tier,
    )
    counts = ", ".join(f"{n} {c}" for n, c in result.counts.items())
    typer.echo(f"kit: built {out} ({result.processed} processed, {result.reused} reused): {counts}", err=True)
    if result.failed or result.record_errors:
        typer.echo(f"kit: {len(result.failed)} file(s) and {len(result.record_errors)} record(s) failed; "
                   f"see {result.manifest}", err=True)
        raise typer.Exit(1)


@app.command()
def render(
    tables: Annotated[Path, typer.Argument(help="Tables folder built by `kit build`.")] = Path("data/tables"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the rendered HTML.")] = Path(
        "data/rendered"
    ),
    notebook: Annotated[
        list[str] | None,
        typer.Option("--notebook", "-n", help="Notebook to render, by name (mentions) or path (repeatable; "
                     "default: all, plus the article browser)."),
    ] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", help="NAME=JSON_VALUE notebook parameter (repeatable).")
    ] = None,
    self_contained: Annotated[
        bool | None,
        typer.Option("--self-contained/--shared-plotlyjs",
                     help="Embed plotly.js in every page (default when rendering one notebook), or write it "
                          "once as OUT/plotly.min.js for the set (default for several)."),
    ] = None,
) -> None:
    """Execute the curated notebooks against a tables folder and write HTML pages that work offline."""
    from kit.rendering import render as run_render
    from kit.tables.io import table_path

    parameters = {}
    for item in param or []:
        name, sep, value = item.partition("=")
        if not sep:
            _fail(f"--param {item!r} is not NAME=VALUE")
        try:
            parameters[name.strip()] = json.loads(value)
        except json.JSONDecodeError:
            parameters[name.strip()] = value
    if not tables.is_dir():
        _fail(f"no tables folder at {tables}; run `kit build` first")
    if not table_path(tables, "articles").exists():
        _fail(f"{tables} holds no articles table; is it a folder written by `kit build`?")
    try:
        written = run_render(tables, out=out, notebooks=notebook, parameters=parameters or None,
                             self_contained=self_contained)
    except KitError as exc:
        _fail(str(exc))
        return
    for path in written:
        typer.echo(str(path))


@app.command("export")
def export_tables(
    tables: Annotated[Path, typer.Argument(help="Tables folder built by `kit build`.")] = Path("data/tables"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the exported files.")] = Path(
        "data/export"
    ),
) -> None:
    """Write every table as CSV and one Excel workbook (entity names joined in), the network as GraphML and GEXF."""
    from kit.export import export

    try:
        written = export(tables, out=out)
    except KitError as exc:
        _fail(str(exc))
        return
    for path in written:
        typer.echo(str(path))


@app.command()
def fetch(
    urls: Annotated[Path, typer.Argument(help="Text file with one URL per line.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the fetched articles (JSON).")] = Path(
        "data/articles/fetched"
    ),
    delay: Annotated[float, typer.Option(help="Seconds between requests to the same host.")] = 1.0,
    cache: Annotated[Path | None, typer.Option(help="HTTP cache folder (default: OUT/.cache).")] = None,
    deadline: Annotated[float, typer.Option(help="Seconds one URL may take in total (redirects, retries).")] = 60.0,
    max_mb: Annotated[float, typer.Option(help="Largest response, in MB received (twice that decompressed).")] = 10.0,
) -> None:
    """Download pages politely (robots.txt, delay, cache) and save their main text as article records."""
    from kit.fetch import FetchLimits, fetch_urls

    if not urls.is_file():
        _fail(f"no URL list at {urls}")
    size = int(max_mb * 1024 * 1024)
    results = fetch_urls(urls, out=out, delay=delay, cache=cache,
                         limits=FetchLimits(deadline=deadline, max_bytes=size, max_decoded_bytes=2 * size))
    failed = [r for r in results if r.status == "failed"]
    for r in failed:
        typer.echo(f"kit: {r.url}: failed: {r.reason}", err=True)
    typer.echo(f"kit: fetched {len(results) - len(failed)} of {len(results)} URL(s) into {out}", err=True)
    if failed:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the tables' columns, types and meanings (Markdown)."""
    from kit.tables.schemas import describe

    typer.echo(describe())


@app.command()
def models(
    tier: Annotated[str | None, typer.Option(help="default or research (default: KIT_TIER, else default).")] = None,
) -> None:
    """List the pipelines the kit would use per language in a licence tier, with their licences."""
    from kit.nlp.registry import parse_specs, resolve_spec, spec_identity
    from kit.settings import DEFAULT_PIPELINES, TIERS, resolve_tier, tier_claims_model

    try:
        chosen_tier = resolve_tier(tier)
        chosen = parse_specs(None)
        typer.echo(f"tier: {chosen_tier} (tiers: {', '.join(TIERS)}; --tier, KIT_TIER)")
        typer.echo("lang\trow name\tpipeline\tclaims span model\tlicence")
        for lang in sorted(set(DEFAULT_PIPELINES) | set(chosen)):
            spec = resolve_spec(lang, chosen, chosen_tier)
            claims = tier_claims_model(lang, chosen_tier)
            typer.echo(
                f"{lang}\t{spec_identity(spec)[0]}\t{spec.name}\t{claims or 'none (claims rules alone)'}"
                f"\t{_licence(spec.name)}" + (f"; claims span model {_licence(str(claims))}" if claims else "")
            )
    except KitError as exc:
        _fail(str(exc))


def _licence(pipeline: str) -> str:
    """The licence a shipped pipeline states in its meta.json (its card says why)."""
    meta = Path(pipeline) / "meta.json"
    if not meta.exists():
        return "see the pipeline's own documentation"
    return str(json.loads(meta.read_text(encoding="utf-8")).get("license", "not stated"))


@train_app.command("ner")
def train_ner(
    lang: Annotated[str, typer.Option(help="de or en.")] = "de",
    out: Annotated[Path | None, typer.Option(help="Model folder (default: the shipped one).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    max_steps: Annotated[int | None, typer.Option(help="Stop after this many steps.")] = None,
    tier: Annotated[str, typer.Option(help="default, or research: adds the non-commercial corpora.")] = "default",
) -> None:
    """Train the NER pipeline from ../shared/data/ner and write its model card."""
    from kit.settings import TIERS
    from kit.training.ner import train

    if tier not in TIERS:
        _fail(f"unknown tier {tier!r}: use one of {', '.join(TIERS)}")
    path = train(lang, out=out, seed=seed, max_steps=max_steps, tier=tier)
    typer.echo(str(path))


@train_app.command("gazetteer")
def train_gazetteer(
    lang: Annotated[str, typer.Option(help="de or en.")] = "de",
    out: Annotated[Path | None, typer.Option(help="Output file (default: kit/resources/LANG/organisations.tsv).")] = None,
) -> None:
    """Rebuild the organisation list of kit_gazetteer (listed companies, football clubs)."""
    from kit.training.gazetteer import build_gazetteer

    try:
        path = build_gazetteer(lang, out=out)
    except (KitError, ValueError, OSError) as exc:
        _fail(str(exc))
        return
    typer.echo(str(path))


@train_app.command("places")
def train_places(
    lang: Annotated[str, typer.Option(help="de (the language with raw text to filter the names on).")] = "de",
    out: Annotated[Path | None, typer.Option(help="Output file (default: the shipped resource).")] = None,
    lines: Annotated[int, typer.Option(help="Lines read from each raw text file.")] = 120_000,
) -> None:
    """Build the place gazetteer from GeoNames, filtered by the shipped NER on ../shared/data/raw."""
    from kit.training.places import build_places

    try:
        path = build_places(lang, out=out, lines=lines)
    except ValueError as exc:
        _fail(str(exc))
    typer.echo(str(path))


@train_app.command("syntax")
def train_syntax(
    lang: Annotated[str, typer.Option(help="en (GUM; German runs without a parser).")] = "en",
    out: Annotated[Path | None, typer.Option(help="Model folder (default: the shipped one).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    max_steps: Annotated[int | None, typer.Option(help="Stop after this many steps.")] = None,
) -> None:
    """Train tagger, morphologizer, lemmatizer and parser on GUM, join them with the shipped NER."""
    if lang != "en":
        _fail(f"no treebank for {lang!r}: `kit train syntax` trains English only (--lang en)")
    from kit.training.syntax_ship import train_and_ship

    path = train_and_ship(out=out, seed=seed, max_steps=max_steps)
    typer.echo(str(path))


@train_app.command("claims")
def train_claims(
    lang: Annotated[str, typer.Option(help="de (the only language with training data).")] = "de",
    out: Annotated[Path | None, typer.Option(help="Model folder (default: the shipped one).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    max_steps: Annotated[int | None, typer.Option(help="Stop after this many steps.")] = None,
) -> None:
    """Train the claims span model from ../shared/data/claims/spkatt_news and write its model card."""
    from kit.training.claims_model import train

    path = train(lang, out=out, seed=seed, max_steps=max_steps)
    typer.echo(str(path))


def _report(module: str, path: Path, **options: object) -> None:
    import importlib

    evaluation = importlib.import_module(f"kit.evaluation.{module}")
    if not path.exists():
        _fail(f"no such file or folder: {path}")
    try:
        result = evaluation.evaluate(path, **{k: v for k, v in options.items() if v is not None})
    except KitError as exc:
        _fail(str(exc))
    typer.echo(evaluation.format_report(result))


@eval_app.command("ner")
def eval_ner(
    path: Annotated[Path, typer.Argument(help="CoNLL/BIO, GermEval TSV or SmartData JSON file.")],
    model: Annotated[str | None, typer.Option(help="Pipeline name or path (default: shipped).")] = None,
    lang: Annotated[str, typer.Option(help="Language.")] = "de",
    fmt: Annotated[str | None, typer.Option("--format", help="conll, germeval or smartdata.")] = None,
    limit: Annotated[int | None, typer.Option(help="Score only the first N sentences/docs.")] = None,
    rules: Annotated[
        bool, typer.Option(help="Run the kit's entity rules after NER, as a build does (--no-rules: the model alone).")
    ] = True,
) -> None:
    """Exact-span, label-aware precision/recall/F1 of NER."""
    _report("ner", path, model=model, lang=lang, fmt=fmt, limit=limit, rules=rules)


@eval_app.command("dates")
def eval_dates(
    path: Annotated[Path, typer.Argument(help="TimeML file or folder.")],
    lang: Annotated[str | None, typer.Option(help="Language (default: guessed).")] = None,
    limit: Annotated[int | None, typer.Option(help="Score only the first N files.")] = None,
    timeml_strict: Annotated[
        bool,
        typer.Option(
            "--timeml-strict",
            help="Follow the annotation scheme where the kit departs from it for readers "
            "(\"vor zwanzig Jahren\" as the DURATION inside; docs/dates.md).",
        ),
    ] = False,
) -> None:
    """TempEval-3 style scores of the temporal tagger: span F1 (strict, relaxed), type and value."""
    _report("dates", path, lang=lang, limit=limit, timeml_strict=timeml_strict)


@eval_app.command("claims")
def eval_claims(
    path: Annotated[
        Path, typer.Argument(help="SpkAtt JSON folder/file, Redewiedergabe TSV folder or brat (.ann) folder.")
    ],
    lang: Annotated[str | None, typer.Option(help="Language (default: guessed).")] = None,
    model: Annotated[str | None, typer.Option(help="Pipeline name or path (default: shipped).")] = None,
    limit: Annotated[int | None, typer.Option(help="Score only the first N documents.")] = None,
    folds: Annotated[
        int | None,
        typer.Option(
            min=2,
            help="Leave-documents-out: score K folds (stable hash of the file name), print mean ± std; "
            "the span model only on documents it was not trained on.",
        ),
    ] = None,
    claims_model: Annotated[
        str, typer.Option(help="Span model: default (shipped), none (rules only) or a folder.")
    ] = "default",
    syntax: Annotated[
        str | None,
        typer.Option(
            help="A spaCy pipeline whose POS, lemmas and parse are laid over the main one's (a parser in development)."
        ),
    ] = None,
) -> None:
    """Cue, source and content token-overlap F1 of the claims component."""
    options = {"lang": lang, "model": model, "limit": limit, "folds": folds, "claims_model": claims_model}
    _report("claims", path, **options, syntax=syntax)


@eval_app.command("coref")
def eval_coref(
    path: Annotated[
        Path, typer.Argument(help="GUM folder (its files.dev documents that are present) or one .conllu.")
    ],
    model: Annotated[
        str | None, typer.Option(help="Pipeline name or path (default: shipped English).")
    ] = None,
    gold_syntax: Annotated[
        bool, typer.Option(help="Use GUM's own sentences and parse instead of the pipeline's.")
    ] = False,
    limit: Annotated[int | None, typer.Option(help="Score only the first N documents.")] = None,
) -> None:
    """Precision/recall of pronoun resolution (he/she/it/they -> a named person or organisation)."""
    _report("coref", path, model=model, gold_syntax=gold_syntax, limit=limit)


@eval_app.command("claims-status")
def eval_claims_status(
    path: Annotated[
        Path, typer.Argument(help="Annotated claims JSONL (e.g. tests/data/claims_status.jsonl).")
    ],
    articles: Annotated[
        Path | None,
        typer.Option(help="The annotated articles as JSONL records (default: claims_status_articles.jsonl beside PATH)."),
    ] = None,
    tables: Annotated[
        Path | None,
        typer.Option(help="Score this tables folder (built with `kit build` from the annotated articles) instead."),
    ] = None,
) -> None:
    """Status precision/recall per status and confusion matrix: rebuilds the annotated articles with the
    current pipeline and matches its claims to the annotated ones by cue offsets."""
    _report("claims_status", path, articles=articles, tables=tables)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())

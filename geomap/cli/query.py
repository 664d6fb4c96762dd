"""``geomap query``: ask the article store which places, articles and claims match.

Every subcommand prints a table (default), JSON, CSV or GeoJSON. Place arguments
take a stored place id (``gn:170654``), a name as written in the articles or in
the gazetteer (``Albukamal``, ``Abu Kamal``), or ``LAT,LON`` where a point is meant.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import click

from geomap.cli.options import cli_errors, db_option, format_option, gazetteer_option
from geomap.output.csvfile import write_csv

FORMATS = ("table", "json", "csv", "geojson")
#: Table cells longer than this are cut (JSON and CSV keep everything).
CELL_WIDTH = 90

#: CSV rows of places also carry their coordinates.
PLACE_CSV_EXTRA = ("lat", "lon", "country_code")

limit_option = click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True,
                            help="At most this many articles (0: all).")


@dataclass(slots=True)
class Section:
    """One table of a result: a title, column names and rows (dicts; list values are joined).

    ``kind`` names the rows in the ``type`` column of a CSV with several sections;
    ``csv_extra`` are columns that CSV adds to the table's (coordinates, for instance).
    """

    title: str
    columns: list[str]
    rows: list[dict]
    note: str = ""
    kind: str = ""
    csv_extra: tuple[str, ...] = ()

    @property
    def csv_columns(self) -> list[str]:
        return [*self.columns, *self.csv_extra]


@dataclass(slots=True)
class Result:
    """A query result in every output shape: JSON payload, table sections, GeoJSON features.

    ``features`` is a function: geodesic circles and lines are computed only when GeoJSON is asked for.
    """

    payload: dict
    sections: list[Section]
    features: Callable[[], list[dict]] = list


def _open_store(db_path, gazetteer_path):
    from geomap.store import open_store

    return open_store(db_path, gazetteer_path=gazetteer_path)


def _none_if_zero(limit: int) -> int | None:
    return limit or None


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 100 else f"{value:.4g}" if abs(value) < 1 else f"{value:.2f}"
    if isinstance(value, (list, tuple)):
        return " | ".join(_cell(v) for v in value)
    return str(value)


def _short(text: str, width: int = CELL_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_table(sections: Sequence[Section]) -> str:
    """Aligned plain-text tables, one per section."""
    out = []
    for s in sections:
        out.append(f"{s.title}:" if s.rows else f"{s.title}: none")
        if s.rows:
            cells = [[_short(_cell(r.get(c))) for c in s.columns] for r in s.rows]
            widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(s.columns)]
            out.append("  ".join(c.ljust(w) for c, w in zip(s.columns, widths)).rstrip())
            out.extend("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells)
        if s.note:
            out.append(s.note)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def csv_table(sections: Sequence[Section]) -> tuple[list[str], list[dict]]:
    """The columns and rows of one CSV; with several sections, a first ``type`` column says which each row is."""
    several = len(sections) > 1
    columns = (["type"] if several else []) + list(dict.fromkeys(c for s in sections for c in s.csv_columns))
    rows = []
    for s in sections:
        for row in s.rows:
            values = {c: _cell(v) if isinstance(v, (list, tuple)) else v for c, v in row.items()}
            rows.append({"type": s.kind or s.title, **values} if several else values)
    return columns, rows


def emit(result: Result, fmt: str) -> None:
    """Print a result in the chosen format on stdout."""
    if fmt == "json":
        click.echo(json.dumps(result.payload, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        write_csv(sys.stdout, *csv_table(result.sections), extra_columns="ignore")
    elif fmt == "geojson":
        click.echo(json.dumps({"type": "FeatureCollection", "features": result.features()}, ensure_ascii=False))
    else:
        click.echo(render_table(result.sections), nl=False)


def _point(lat: float, lon: float, properties: dict) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}


def _place_dict(place) -> dict:
    return {"place_id": place.id, "name": place.name, "kind": place.kind, "lat": place.lat, "lon": place.lon,
            "country_code": place.country_code}


def _articles_section(matches, title: str = "articles") -> Section:
    shown = len(matches.articles)
    note = f"{shown} of {matches.total} articles (raise --limit, or 0 for all)" if shown < matches.total else ""
    rows = [{"article": a.id, "title": a.title, "mentions": a.count, "places": a.places, "sentences": a.sentences,
             "source": a.source} for a in matches.articles]
    return Section(title, ["article", "title", "mentions", "places", "sentences"], rows, note, kind="article",
                   csv_extra=("source",))


def _articles_payload(matches) -> dict:
    return {"total": matches.total,
            "articles": [{"id": a.id, "title": a.title, "source": a.source, "mentions": a.count,
                          "places": a.places, "sentences": a.sentences} for a in matches.articles]}


def _matched_note(query: str, places, how: str) -> str:
    names = ", ".join(f"{p.name} [{p.id}]" for p in places)
    return f"{query!r} -> {names} (by {how})"


def store_query_options(command):
    """The options every query of the store takes (--db, --gazetteer, --format), with library errors made
    clean CLI messages."""
    for decorate in (cli_errors, format_option(*FORMATS), gazetteer_option, db_option):
        command = decorate(command)
    return command


def contexts_option(default: int, per: str):
    """--contexts: how many sentences each result quotes."""
    return click.option("--contexts", type=click.IntRange(min=0), default=default, show_default=True,
                        help=f"Sentences quoted per {per}.")


@click.group("query")
def query():
    """Query the article store filled by `geomap ingest`.

    \b
    Examples:
      geomap query places --article seed-0
      geomap query articles --place Albukamal --format json
      geomap query near Damascus --km 30
      geomap query near 33.51,36.29 --km 30 --format geojson > near.geojson
      geomap query claims --covering Eilat
      geomap query claims --near Albukamal --km 50
    """


@query.command("places")
@click.option("--article", "article_id", required=True, help="The article's id (as ingested).")
@contexts_option(3, "place")
@store_query_options
def places_cmd(article_id, contexts, db_path, gazetteer_path, fmt):
    """The places an article mentions, most mentioned first, with the sentences that name them."""
    with _open_store(db_path, gazetteer_path) as store:
        found = store.places_of_article(article_id, contexts=contexts)
    rows = [{**_place_dict(e.place), "mentions": e.count, "surfaces": e.surfaces, "sentences": e.sentences}
            for e in found]
    emit(Result(
        payload={"article": article_id, "places": rows},
        sections=[Section(f"places of {article_id}", ["place_id", "name", "kind", "mentions", "surfaces",
                                                      "sentences"], rows, csv_extra=PLACE_CSV_EXTRA)],
        features=lambda: [_point(r["lat"], r["lon"], {**r, "article": article_id}) for r in rows]), fmt)


@query.command("articles")
@click.option("--place", "place", required=True, help="A place: stored id, name as written, or gazetteer name.")
@contexts_option(3, "article")
@limit_option
@store_query_options
def articles_cmd(place, contexts, limit, db_path, gazetteer_path, fmt):
    """The articles that mention a place, with the sentences that name it."""
    from geomap.store import ArticleMatches

    with _open_store(db_path, gazetteer_path) as store:
        found, how = store.find_places(place)
        if found:
            matches = store.articles_mentioning([rid for rid, _, _ in found], limit=_none_if_zero(limit),
                                                contexts=contexts)
        else:
            matches = ArticleMatches([], 0, [])
    section = _articles_section(matches, f"articles mentioning {place}")
    if found:
        section.note = "\n".join(filter(None, [_matched_note(place, matches.places, how), section.note]))
    else:
        section.note = f"no stored article mentions a place called {place!r}"
    by_id = {p.id: p for p in matches.places}
    emit(Result(
        payload={"query": place, "matched_by": how or None, "places": [_place_dict(p) for p in matches.places],
                 **_articles_payload(matches)},
        sections=[section],
        features=lambda: [_point(p.lat, p.lon, {**_place_dict(p), "articles": [a.id for a in matches.articles]})
                          for p in by_id.values()]), fmt)


@query.command("near")
@click.argument("center")
@click.option("--km", type=click.FloatRange(min=0, min_open=True), required=True, help="The radius in km.")
@contexts_option(1, "article")
@limit_option
@store_query_options
def near_cmd(center, km, contexts, limit, db_path, gazetteer_path, fmt):
    """The stored places within --km of CENTER (a place or LAT,LON), and the articles mentioning them."""
    with _open_store(db_path, gazetteer_path) as store:
        point = store.resolve_point(center)
        result = store.near(point, km, limit=_none_if_zero(limit), contexts=contexts)
    rows = [{**_place_dict(n.place), "distance_km": round(n.distance_km, 2), "articles": n.article_count,
             "mentions": n.mention_count} for n in result.places]
    centre = {"query": center, "name": point.label, "lat": point.lat, "lon": point.lon, "matched_by": point.matched,
              "place_id": point.place.id if point.place else None}
    places_section = Section(f"places within {km:g} km of {point.label}",
                             ["place_id", "name", "kind", "distance_km", "articles", "mentions"], rows,
                             f"centre: {point.label} ({point.lat:.4f}, {point.lon:.4f}), by {point.matched}"
                             if point.place else "", kind="place", csv_extra=PLACE_CSV_EXTRA)
    emit(Result(
        payload={"center": centre, "km": km, "places": rows, **_articles_payload(result.articles)},
        sections=[places_section, _articles_section(result.articles)],
        features=lambda: [_point(point.lat, point.lon, {**centre, "role": "center", "km": km})]
        + [_point(r["lat"], r["lon"], r) for r in rows]), fmt)


@query.command("claims")
@click.option("--covering", default=None, help="Range claims whose circle covers this place or LAT,LON.")
@click.option("--near", "near", default=None, help="Corridors passing within --km of this place or LAT,LON.")
@click.option("--km", type=click.FloatRange(min=0), default=None, help="Distance for --near, in km.")
@limit_option
@store_query_options
def claims_cmd(covering, near, km, limit, db_path, gazetteer_path, fmt):
    """Stored range and corridor claims: all of them, or those covering / passing near a place.

    With --covering: the range claims whose circle (origin, range) covers the point,
    measured geodesically. With --near and --km: the corridors whose geodesic line
    between waypoints passes within that distance. Without either: every claim.
    """
    if (near is None) != (km is None):
        raise click.UsageError("--near and --km go together")
    limit = _none_if_zero(limit)
    payload: dict = {}
    with _open_store(db_path, gazetteer_path) as store:
        ranges = corridors = None
        if covering is not None:
            point = store.resolve_point(covering)
            ranges = store.claims_covering(point)[:limit]
            payload["covering"] = {"query": covering, "name": point.label, "lat": point.lat, "lon": point.lon,
                                   "matched_by": point.matched}
        if near is not None:
            point = store.resolve_point(near)
            corridors = store.corridors_near(point, km)[:limit]
            payload["near"] = {"query": near, "name": point.label, "lat": point.lat, "lon": point.lon, "km": km,
                               "matched_by": point.matched}
        if covering is None and near is None:
            ranges, corridors = store.ranges(limit), store.corridors(limit)
    sections, range_rows, corridor_rows = [], [], []
    if ranges is not None:
        rows = [{"article": r.article_id, "weapon": r.weapon, "range_km": r.range_km, "origin": r.origin,
                 "origin_lat": r.origin_lat, "origin_lon": r.origin_lon,
                 "distance_km": None if r.distance_km is None else round(r.distance_km, 1), "sentence": r.sentence}
                for r in ranges]
        payload["ranges"] = rows
        title = f"range claims covering {payload['covering']['name']}" if covering else "range claims"
        sections.append(Section(title, ["article", "weapon", "range_km", "origin", "distance_km", "sentence"], rows,
                                kind="range", csv_extra=("origin_lat", "origin_lon")))
        range_rows = rows
    if corridors is not None:
        rows = [{"article": c.article_id, "kind": c.kind, "name": c.name,
                 "waypoints": [w["text"] for w in c.waypoints], "waypoint_coordinates": c.waypoints,
                 "distance_km": None if c.distance_km is None else round(c.distance_km, 1), "sentence": c.sentence}
                for c in corridors]
        payload["corridors"] = rows
        title = f"corridors within {km:g} km of {payload['near']['name']}" if near else "corridors"
        sections.append(Section(title, ["article", "kind", "name", "waypoints", "distance_km", "sentence"], rows,
                                kind="corridor"))
        corridor_rows = rows
    emit(Result(payload, sections, lambda: [_range_feature(r) for r in range_rows]
                + [f for f in map(_corridor_feature, corridor_rows) if f]), fmt)


def _range_feature(row: dict) -> dict:
    """A range claim as GeoJSON: its geodesic circle when it has an origin and a range, else its origin point."""
    props = {k: v for k, v in row.items() if k not in ("origin_lat", "origin_lon")}
    lat, lon = row["origin_lat"], row["origin_lon"]
    if lat is None or lon is None:
        return {"type": "Feature", "geometry": None, "properties": props}
    if not row["range_km"]:
        return _point(lat, lon, props)
    from shapely.geometry import mapping

    from geomap.claims.geometry import geodesic_circle

    return {"type": "Feature", "geometry": mapping(geodesic_circle((lat, lon), float(row["range_km"]))),
            "properties": props}


def _corridor_feature(row: dict) -> dict | None:
    """A corridor as a GeoJSON geodesic line through its located waypoints."""
    from geomap.store.base import located_points

    points = located_points(row["waypoint_coordinates"])
    props = {k: v for k, v in row.items() if k != "waypoint_coordinates"}
    if len(points) < 2:
        return _point(points[0][0], points[0][1], props) if points else None
    from shapely.geometry import mapping

    from geomap.claims.geometry import geodesic_line

    return {"type": "Feature", "geometry": mapping(geodesic_line(points)), "properties": props}

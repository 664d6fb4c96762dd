"""The content of a map as data: a GeoJSON FeatureCollection or a CSV table.

Both carry what the map shows: every resolved place with its mentions
(the mention text, its character offsets in the article, its sentence and
the sentence's offsets), every range claim (a geodesic circle polygon, its
origin and targets inside/outside) and every corridor (a geodesic line
through its ordered waypoints). The geometry helpers here are also what
:mod:`geomap.output.maps` draws from, so the map and the data agree.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TextIO

from geomap.model import Article, ClaimPlace, CorridorClaim, Mention, PlaceMentions, RangeClaim, RangeTarget

#: The columns of ``geomap export --format csv``; ``record`` says what a row is.
CSV_COLUMNS = (
    "record", "article_id", "claim_index", "sequence", "place_id", "name", "kind", "country_code",
    "lat", "lon", "count", "text", "start", "end", "sentence_start", "sentence_end", "sentence",
    "weapon", "range_km", "distance_km", "inside",
)


def has_coords(p: ClaimPlace | RangeTarget | None) -> bool:
    """True when a claim place or target has both coordinates."""
    return p is not None and p.lat is not None and p.lon is not None


def range_shape(claim: RangeClaim):
    """The claim's geodesic range circle, or the geodesic buffer of its origin's outline when the origin is an
    area (shapely, lon/lat, split at the antimeridian), or None.

    None when the claim has no numeric range or no located origin (a reach
    claim such as "could barely reach Sderot").
    """
    from geomap.claims.geometry import range_shape as claim_range_shape

    if not has_coords(claim.origin) or not claim.range_km or claim.range_km <= 0:
        return None
    return claim_range_shape(claim)


def located_waypoints(claim: CorridorClaim) -> list[ClaimPlace]:
    """The corridor's waypoints that have coordinates, in order."""
    return [w for w in claim.waypoints if has_coords(w)]


def corridor_shape(claim: CorridorClaim):
    """The geodesic line through the corridor's located waypoints (shapely, lon/lat), or None if under two."""
    from geomap.claims.geometry import geodesic_line

    points = [(w.lat, w.lon) for w in located_waypoints(claim)]
    return geodesic_line(points) if len(points) >= 2 else None


def _geometry(shape) -> dict | None:
    from shapely.geometry import mapping

    if shape is None:
        return None
    geo = mapping(shape)
    return {"type": geo["type"], "coordinates": _rounded(geo["coordinates"])}


def _rounded(coords, decimals: int = 5):
    """Coordinates rounded to ~1 m, as nested lists (GeoJSON has no tuples)."""
    if isinstance(coords, (int, float)):
        return round(coords, decimals)
    return [_rounded(c, decimals) for c in coords]


def mention_record(m: Mention) -> dict:
    """A mention with its article offsets and its sentence (text and offsets)."""
    return {"text": m.text, "start": m.start, "end": m.end, "sentence": m.sentence.text,
            "sentence_start": m.sentence.start, "sentence_end": m.sentence.end}


def _claim_place_record(p: ClaimPlace | None) -> dict | None:
    return None if p is None else p.to_record(with_inferred=True)


def place_feature(article: Article, pm: PlaceMentions) -> dict:
    """A Point feature for one place of one article, with every mention of it."""
    p = pm.place
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(p.lon, 5), round(p.lat, 5)]},
        "properties": {
            "record": "place", "article_id": article.id, "article_title": article.title,
            "place_id": p.id, "name": p.name, "kind": p.kind, "country_code": p.country_code,
            "count": pm.count, "mentions": [mention_record(m) for m in pm.mentions],
        },
    }


def range_feature(article: Article, claim: RangeClaim, index: int) -> dict:
    """A Polygon/MultiPolygon feature for a range claim (null geometry for a reach claim without a circle)."""
    props = claim.to_record()
    props["origin"] = _claim_place_record(claim.origin)
    props.update(record="range", article_id=article.id, claim_index=index, range_text=claim.range_text)
    return {"type": "Feature", "geometry": _geometry(range_shape(claim)), "properties": props}


def target_feature(article: Article, claim: RangeClaim, index: int, target: RangeTarget) -> dict:
    """A Point feature for a place a range claim is measured against, inside or outside its circle."""
    props = target.to_record()
    props.update(record="range_target", article_id=article.id, claim_index=index, weapon=claim.weapon,
                 range_km=claim.range_km)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [target.lon, target.lat]},
            "properties": props}


def corridor_feature(article: Article, claim: CorridorClaim, index: int) -> dict:
    """A LineString/MultiLineString feature for a corridor, its waypoints in order."""
    props = claim.to_record()
    props.update(record="corridor", article_id=article.id, claim_index=index)
    return {"type": "Feature", "geometry": _geometry(corridor_shape(claim)), "properties": props}


def article_features(article: Article) -> Iterator[dict]:
    """Every feature of one article: places, range circles and their targets, corridors."""
    for pm in article.places:
        yield place_feature(article, pm)
    for i, claim in enumerate(article.ranges):
        yield range_feature(article, claim, i)
        for target in claim.targets:
            if has_coords(target):
                yield target_feature(article, claim, i, target)
    for i, claim in enumerate(article.corridors):
        yield corridor_feature(article, claim, i)


def to_geojson(articles: Sequence[Article]) -> dict:
    """One FeatureCollection for all articles; ``articles`` lists their ids, titles and sources."""
    return {
        "type": "FeatureCollection",
        "articles": [{"id": a.id, "title": a.title, "source": a.source} for a in articles],
        "features": [f for a in articles for f in article_features(a)],
    }


def csv_rows(article: Article) -> Iterator[dict]:
    """The CSV rows of one article: place, mention, range, range_target, corridor and waypoint records."""
    base = {"article_id": article.id}
    for pm in article.places:
        p = pm.place
        place = dict(base, place_id=p.id, name=p.name, kind=p.kind, country_code=p.country_code,
                     lat=p.lat, lon=p.lon)
        yield dict(place, record="place", count=pm.count)
        for m in pm.mentions:
            yield dict(place, record="mention", text=m.text, start=m.start, end=m.end,
                       sentence_start=m.sentence.start, sentence_end=m.sentence.end, sentence=m.sentence.text)
    for i, claim in enumerate(article.ranges):
        origin = claim.origin
        yield dict(base, record="range", claim_index=i, weapon=claim.weapon, range_km=claim.range_km,
                   name=origin.text if origin else None, lat=origin.lat if origin else None,
                   lon=origin.lon if origin else None, text=claim.range_text, start=claim.start,
                   end=claim.end, sentence=claim.sentence)
        for t in claim.targets:
            yield dict(base, record="range_target", claim_index=i, weapon=claim.weapon,
                       range_km=claim.range_km, name=t.text, lat=t.lat, lon=t.lon,
                       distance_km=None if t.distance_km is None else round(t.distance_km, 1), inside=t.inside)
    for i, claim in enumerate(article.corridors):
        yield dict(base, record="corridor", claim_index=i, kind=claim.kind, name=claim.name,
                   start=claim.start, end=claim.end, sentence=claim.sentence)
        for seq, w in enumerate(claim.waypoints, 1):
            yield dict(base, record="waypoint", claim_index=i, sequence=seq, kind=claim.kind, name=w.text,
                       lat=w.lat, lon=w.lon)


def write_csv(articles: Iterable[Article], stream: TextIO) -> int:
    """Write the CSV of all articles (formula-like text neutralised); returns the number of rows written."""
    from geomap.output import csvfile

    return csvfile.write_csv(stream, CSV_COLUMNS, (row for article in articles for row in csv_rows(article)))


def write_geojson(articles: Sequence[Article], stream: TextIO) -> int:
    """Write the FeatureCollection of all articles; returns the number of features."""
    collection = to_geojson(articles)
    json.dump(collection, stream, ensure_ascii=False)
    stream.write("\n")
    return len(collection["features"])


def to_csv(articles: Iterable[Article]) -> str:
    """The CSV as a string."""
    out = io.StringIO()
    write_csv(articles, out)
    return out.getvalue()

"""Natural Earth layers: attribute CSVs that carry coordinates, and GeoJSON layers (``.gz`` or not).

The layer is named by the file (``ne_10m_admin_1_states_provinces.csv`` -> ``admin_1_states_provinces``)
and decides the kind: admin-1 -> ``admin1``, populated places -> ``city``, marine polygons and lakes ->
``water``, rivers -> ``river``, elevation points -> ``mountain``, disputed areas and map units ->
``region``, region polygons and points by their ``featurecla`` (Range/mtn -> ``mountain``, Desert ->
``desert``, Island -> ``island``, Peninsula/Plain/Plateau/... -> ``region``). Countries are skipped: the
default gazetteer owns them.

Points: the CSV's ``latitude``/``longitude`` (or ``lat_y``/``long_x``) label point; for GeoJSON the
representative point of the largest polygon, or the middle of the longest line, and the bbox of the
whole feature. Features that share an id (a river in several segments, a sea in two polygons) are merged
into one place: the point of the largest part, the union of the boxes. Ids are
``ne:<layer>:<ne_id>``, or ``ne:<layer>:<folded name>`` when the layer has no ``ne_id`` (the 4.x GeoJSON).
An admin-1 row whose GeoNames id (``gn_id``: the default build's ``gn:`` admin-1 places) or GeoNames
admin-1 code (``admin1:<gn_a1_code>``) the gazetteer already holds adds its names to that place instead of
duplicating it.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gazetteer.database import GazetteerWriter
from gazetteer.errors import ImportFormatError
from gazetteer.importers import (
    ImportOptions,
    PlaceRecord,
    consume,
    country_code,
    open_text,
    parse_nonnegative_int,
    parse_point,
)
from gazetteer.importers.report import ImportReport
from gazetteer.normalize import name_key

EXPECTED = ("a Natural Earth layer: an attribute CSV with latitude/longitude (or lat_y/long_x) columns, or a "
            "GeoJSON FeatureCollection")
SOURCE = "naturalearth"

#: (substring of the layer name, kind); None means "by featurecla". First match wins.
LAYER_KINDS = (
    ("admin_1", "admin1"), ("populated_places", "city"), ("marine", "water"), ("rivers", "river"),
    ("lakes", "water"), ("elevation_points", "mountain"), ("regions", None), ("disputed", "region"),
    ("map_units", "region"), ("map_subunits", "region"), ("admin_0", "country"),
)
#: featurecla (lower case) -> kind, for the region layers and layers we do not know.
FEATURECLA_KINDS = {
    "range/mtn": "mountain", "foothills": "mountain", "mountain": "mountain", "spot elevation": "mountain",
    "pass": "mountain", "desert": "desert", "island": "island", "island group": "island",
    "continent": "continent", "lake": "water", "alkaline lake": "water", "reservoir": "water",
    "river": "river", "lake centerline": "river", "waterfall": "landmark", "pole": "landmark",
}
_MARINE = frozenset({"sea", "gulf", "bay", "strait", "sound", "channel", "lagoon", "fjord", "ocean", "inlet",
                     "reef", "generic"})
#: Map-unit TYPEs that are whole countries (skipped like the admin-0 layer).
_COUNTRY_TYPES = frozenset({"sovereign country", "country"})
#: Columns whose values are alternate names (lower-cased keys); values may hold several names split by |.
NAME_FIELDS = ("name", "name_en", "nameascii", "name_long", "brk_name", "name_alt", "namealt", "gn_name",
               "woe_name", "namepar", "geounit", "subunit")
#: Parts of a name-keyed feature farther apart than this (degrees between boxes) are different places.
MERGE_DISTANCE_DEG = 5.0


def layer_name(path: Path) -> str:
    """``ne_10m_lakes.geojson.gz`` -> ``lakes``; a file not named like Natural Earth keeps its stem."""
    stem = path.name.lower().split(".")[0]
    return re.sub(r"^ne_\d+m_", "", stem)


def kind_for(layer: str, props: dict) -> str:
    """The kind of a feature of ``layer`` (``country`` for the ones the importer skips)."""
    featurecla = str(props.get("featurecla") or "").strip().lower()
    for fragment, kind in LAYER_KINDS:
        if fragment in layer:
            if kind == "region" and str(props.get("type") or "").strip().lower() in _COUNTRY_TYPES:
                return "country"
            if kind is not None:
                return kind
            break
    if featurecla in _MARINE:
        return "water"
    return FEATURECLA_KINDS.get(featurecla, "region")


def tidy_name(value) -> str:
    """Collapse spaces and title-case an all-capitals label (``ARCTIC OCEAN`` -> ``Arctic Ocean``)."""
    text = " ".join(str(value or "").split())
    return text.title() if text.isupper() and len(text) > 3 else text


def names_of(props: dict) -> list[str]:
    """Every name-like property, split on ``|`` (and on ``, `` in the alt-name columns)."""
    found = []
    for key in NAME_FIELDS:
        value = props.get(key)
        if not value or not isinstance(value, str):
            continue
        parts = value.split("|")
        if key in ("name_alt", "namealt"):
            parts = [p for part in parts for p in part.split(", ")]
        found.extend(tidy_name(p) for p in parts if p.strip())
    return list(dict.fromkeys(found))


def _ne_id(props: dict) -> str | None:
    value = props.get("ne_id")
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        return None
    return str(number) if number > 0 else None


def record_from(layer: str, props: dict, lat: float, lon: float,
                bbox: tuple[float, float, float, float] | None) -> PlaceRecord | None:
    """A record from a feature's lower-cased properties and point; None when it has no name."""
    preferred = ("brk_name", "name") if "disputed" in layer else ("name_long", "name_en", "name", "nameascii")
    name = next((tidy_name(props[k]) for k in preferred if isinstance(props.get(k), str) and props[k].strip()),
                "")
    if not name:
        return None
    ne_id = _ne_id(props)
    key = ne_id or name_key(name)
    admin1 = str(props.get("gn_a1_code") or "").strip()
    admin1 = admin1 if re.fullmatch(r"[A-Z]{2}\.[0-9A-Z]+", admin1) else None
    same_as = []
    if "admin_1" in layer:
        gn_id = parse_nonnegative_int(props.get("gn_id"))
        if gn_id:
            same_as.append(f"gn:{gn_id}")
        if admin1:
            same_as.append(f"admin1:{admin1}")
    population = parse_nonnegative_int(props.get("pop_max") or props.get("pop_est"))
    return PlaceRecord(id=f"ne:{layer}:{key}", name=name, kind=kind_for(layer, props), lat=lat, lon=lon,
                       source=SOURCE, cc=country_code(props.get("iso_a2")), admin1=admin1,
                       population=population, feature_code=str(props.get("featurecla") or "").strip() or None,
                       names=[n for n in names_of(props) if n != name], bbox=bbox, same_as=tuple(same_as))


# -- geometry ------------------------------------------------------------------------------------------------
@dataclass
class Shape:
    """What the importer keeps of a geometry: a representative point, the size of its part, the box."""

    lat: float
    lon: float
    size: float
    bbox: tuple[float, float, float, float]


def shape_of(geometry: dict) -> Shape | str:
    """A :class:`Shape` from a GeoJSON geometry, or the reason it is unusable.

    Polygons: the representative point of the largest polygon (always inside it). Lines: the middle of
    the longest merged line. Points: the point.
    """
    from shapely import make_valid
    from shapely.geometry import shape
    from shapely.ops import linemerge

    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        return f"unreadable geometry ({exc})"
    if geom.is_empty:
        return "empty geometry"
    parts = list(getattr(geom, "geoms", [geom]))
    kind = geom.geom_type
    if "Polygon" in kind:
        if not geom.is_valid:
            parts = [p for p in list(getattr(make_valid(geom), "geoms", [make_valid(geom)]))
                     if "Polygon" in p.geom_type] or parts
        biggest = max(parts, key=lambda p: p.area)
        point, size = biggest.representative_point(), biggest.area
    elif "LineString" in kind:
        merged = linemerge(geom) if kind == "MultiLineString" else geom
        biggest = max(getattr(merged, "geoms", [merged]), key=lambda p: p.length)
        point, size = biggest.interpolate(0.5, normalized=True), biggest.length
    elif "Point" in kind:
        point, size = parts[0], 0.0
    else:
        return f"unsupported geometry type {kind}"
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    if not (-90 <= point.y <= 90 and -180 <= point.x <= 180):
        return f"coordinates out of range ({point.y}, {point.x})"
    return Shape(point.y, point.x, size, (min_lat, max_lat, min_lon, max_lon))


def _box_gap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Degrees between two (min_lat, max_lat, min_lon, max_lon) boxes (0 when they overlap)."""
    lat_gap = max(0.0, max(a[0], b[0]) - min(a[1], b[1]))
    lon_gap = max(0.0, max(a[2], b[2]) - min(a[3], b[3]))
    return max(lat_gap, lon_gap)


class FeatureGroups:
    """Merges the parts of a feature that come as several rows under one id (river segments, seas)."""

    def __init__(self) -> None:
        self.groups: dict[str, tuple[PlaceRecord, float]] = {}  # id -> (record, size of its point's part)

    def add(self, record: PlaceRecord, size: float) -> None:
        base_id, suffix = record.id, 1
        while (held := self.groups.get(record.id)) is not None:
            current, current_size = held
            near = (current.bbox is None or record.bbox is None
                    or _box_gap(current.bbox, record.bbox) <= MERGE_DISTANCE_DEG)
            if near:
                self.groups[record.id] = self._merge(current, current_size, record, size)
                return
            suffix += 1  # same name far away: another place
            record.id = f"{base_id}~{suffix}"
        self.groups[record.id] = (record, size)

    @staticmethod
    def _merge(held: PlaceRecord, held_size: float, part: PlaceRecord, size: float) -> tuple[PlaceRecord, float]:
        main, other = (part, held) if size > held_size else (held, part)
        main.names = list(dict.fromkeys([*main.names, other.name, *other.names]))
        main.names = [n for n in main.names if n != main.name]
        if held.bbox and part.bbox:
            a, b = held.bbox, part.bbox
            main.bbox = (min(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3]))
        return main, max(size, held_size)

    def records(self) -> Iterator[PlaceRecord]:
        for record, _ in self.groups.values():
            yield record


# -- readers -------------------------------------------------------------------------------------------------
def _is_feature_line(text: str) -> bool:
    return text.startswith("{") and re.match(r'\{\s*"type"\s*:\s*"Feature"\s*,', text) is not None


def iter_geojson(path: Path, report: ImportReport) -> Iterator[tuple[int, dict]]:
    """``(line or feature number, feature)`` pairs, streaming when the file has one feature per line.

    ogr2ogr and most exporters write one feature per line: those lines are parsed one by one and a
    broken one is reported as malformed. Other layouts are parsed as a whole document.
    """
    rest: list[str] = []
    streamed = False
    with open_text(path) as fh:
        for number, line in enumerate(fh, 1):
            text = line.strip()
            if _is_feature_line(text):
                streamed = True
                report.rows_read += 1
                try:
                    yield number, json.loads(text.rstrip(","))
                except json.JSONDecodeError as exc:
                    report.note_malformed(number, f"broken GeoJSON feature ({exc.msg})")
            elif not streamed:
                rest.append(line)
    if streamed:
        return
    try:
        document = json.loads("".join(rest))
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}), so this is not "
                                f"{EXPECTED}; the gazetteer was not changed") from None
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise ImportFormatError(f"{path}: JSON without a 'features' list, so this is not {EXPECTED}")
    for number, feature in enumerate(features, 1):
        report.rows_read += 1
        yield number, feature


def read_geojson(path: Path, report: ImportReport, options: ImportOptions) -> Iterator[tuple[PlaceRecord, float]]:
    layer = layer_name(path)
    for number, feature in iter_geojson(path, report):
        if not isinstance(feature, dict):
            report.note_malformed(number, "not a GeoJSON feature")
            continue
        if feature.get("geometry") is None:  # valid GeoJSON (an unlocated feature), but nothing to place
            report.skip("features without a geometry")
            continue
        props = {str(k).lower(): v for k, v in (feature.get("properties") or {}).items()}
        shape = shape_of(feature["geometry"])
        if isinstance(shape, str):
            report.note_malformed(number, shape)
            continue
        record = record_from(layer, props, shape.lat, shape.lon, shape.bbox)
        if _keep(record, report, options):
            yield record, shape.size


def read_csv(path: Path, report: ImportReport, options: ImportOptions) -> Iterator[tuple[PlaceRecord, float]]:
    layer = layer_name(path)
    with open_text(path) as fh:
        reader = csv.DictReader(fh)
        fields = [f.lower() for f in reader.fieldnames or []]
        lat_key, lon_key = next(((a, b) for a, b in (("latitude", "longitude"), ("lat_y", "long_x"))
                                 if a in fields and b in fields), (None, None))
        if lat_key is None:
            hint = ("; its geometry is in the layer's GeoJSON: import that instead" if "featurecla" in fields
                    else "")
            raise ImportFormatError(f"{path}: no latitude/longitude (or lat_y/long_x) columns, so it cannot be "
                                    f"imported as {EXPECTED}{hint}")
        for row in reader:
            report.rows_read += 1
            if None in row or any(v is None for v in row.values()):
                report.note_malformed(reader.line_num, f"expected {len(fields)} columns")
                continue
            props = {k.lower(): v for k, v in row.items()}
            point = parse_point(props[lat_key], props[lon_key])
            if isinstance(point, str):
                report.note_malformed(reader.line_num, point)
                continue
            record = record_from(layer, props, point[0], point[1], None)
            if _keep(record, report, options):
                yield record, 0.0


def _keep(record: PlaceRecord | None, report: ImportReport, options: ImportOptions) -> bool:
    reason = "unnamed features" if record is None else options.left_out(record)
    if reason:
        report.skip(reason)
    return reason is None


def is_geojson(path: Path) -> bool:
    """True for a GeoJSON file (by name, else by its first character)."""
    name = path.name.lower()
    if name.endswith((".geojson", ".geojson.gz", ".json", ".json.gz")):
        return True
    if name.endswith((".csv", ".csv.gz")):
        return False
    with open_text(path) as fh:
        return fh.read(64).lstrip("\ufeff \r\n\t").startswith(("{", "["))


def run(path: Path, writer: GazetteerWriter, report: ImportReport, options: ImportOptions, *,
        progress: bool = False) -> None:
    """Import a Natural Earth CSV or GeoJSON layer into ``writer`` (parts of one feature merged first)."""
    groups = FeatureGroups()
    for record, size in (read_geojson if is_geojson(path) else read_csv)(path, report, options):
        groups.add(record, size)
    consume(groups.records(), writer, report, progress=progress)

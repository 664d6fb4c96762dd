"""Generic tables of places: tab-separated (or comma-separated) with a header naming the columns.

Such as the Who's On First extract (``wof_id, country, placetype, name, lat, lon, lbl_lat, lbl_lon, ...,
population, gn_id, gn_feature_code, ..., names_eng, names_ara, ...``). Columns are found by name,
case-insensitively:

=============  ======================================================================================
name           ``name``, ``name_en``, ``name_eng``, ``title``, ``label`` (the first present)
point          ``lbl_lat``/``lbl_lon`` when filled (a label point), else ``lat``/``latitude``/``lat_y``/``y``
               and ``lon``/``lng``/``long``/``longitude``/``long_x``/``x``
id             ``id``, ``wof_id``, ``place_id``; without one, the folded name and the rounded point
country        ``country``, ``cc``, ``country_code``, ``iso_country``, ``iso_a2``
kind           ``kind`` (one of our kinds), else a GeoNames ``gn_feature_code``/``feature_code``, else a
               Who's On First ``placetype``; names that say camp (Camp, Mukhayyam) make a ``camp``
names          every ``names_*`` column and ``alt_names``/``aliases``/``name_alt`` (``|``-separated),
               ``alternatenames`` (comma-separated)
=============  ======================================================================================

Ids are ``tsv:<source>:<id>`` where the source is ``wof`` for Who's On First tables and the file's stem
otherwise. We do not take ``gn:<gn_id>`` as the id: a later GeoNames import would replace the row and drop
its names. Instead a row whose ``gn_id`` the gazetteer already holds (a cities500 place of the default
build) adds its names to that place rather than creating a duplicate. Rows with ``is_current = 0`` are
skipped (Who's On First marks superseded or historical records so).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from gazetteer.database import GazetteerWriter
from gazetteer.importers import (
    ImportOptions,
    PlaceRecord,
    consume,
    country_code,
    open_text,
    parse_nonnegative_int,
    parse_point,
)
from gazetteer.importers.geonames import kind_for
from gazetteer.importers.report import ImportReport
from gazetteer.normalize import name_key
from gazetteer.place import KINDS

EXPECTED = "a tab-separated table with a header row naming its name, latitude and longitude columns"

_ID = ("id", "wof_id", "place_id")
_NAME = ("name", "name_en", "name_eng", "title", "label")
_LABEL_POINT = ("lbl_lat", "lbl_lon")
_LAT = ("lat", "latitude", "lat_y", "y")
_LON = ("lon", "lng", "long", "longitude", "long_x", "x")
_COUNTRY = ("country", "cc", "country_code", "iso_country", "iso_a2")
_FEATURE_CODE = ("gn_feature_code", "feature_code", "fcode")
_GEONAMES_ID = ("gn_id", "geonameid", "geonames_id")
_PIPE_NAMES = ("alt_names", "aliases", "name_alt")

#: Who's On First placetypes -> kinds.
PLACETYPE_KINDS = {
    "locality": "city", "localadmin": "admin2", "neighbourhood": "city", "macrohood": "city", "microhood": "city",
    "borough": "city", "county": "admin2", "region": "admin1", "macroregion": "region", "campus": "airport",
    "country": "country", "dependency": "region", "disputed": "region", "marinearea": "water",
    "ocean": "water", "continent": "continent", "empire": "region",
}
_CAMP = re.compile(r"\b(camp|mukhayyam|mukhayam|mokhayam|mokhayyam)\b", re.IGNORECASE)
_CAMP_KINDS = frozenset({"city", "landmark"})


def looks_like_camp(name: str) -> bool:
    """True when a name says it is a (refugee) camp.

    >>> looks_like_camp("Mukhayyam al Yarmuk"), looks_like_camp("Jarash Ref. Camp"), looks_like_camp("Campinas")
    (True, True, False)
    """
    return bool(_CAMP.search(name))


class Columns:
    """Where each field is in a header (indexes, or None when absent)."""

    def __init__(self, header: list[str]):
        lower = [h.strip().lower() for h in header]
        self.width = len(header)

        def first(candidates: tuple[str, ...]) -> int | None:
            return next((lower.index(c) for c in candidates if c in lower), None)

        self.id, self.name = first(_ID), first(_NAME)
        self.label_lat, self.label_lon = first(_LABEL_POINT[:1]), first(_LABEL_POINT[1:])
        self.lat, self.lon = first(_LAT), first(_LON)
        if self.lat is None and self.label_lat is not None:  # a table with only label points
            self.lat, self.lon = self.label_lat, self.label_lon
        self.country, self.kind, self.placetype = first(_COUNTRY), first(("kind",)), first(("placetype",))
        self.feature_code, self.geonames_id = first(_FEATURE_CODE), first(_GEONAMES_ID)
        self.population, self.is_current = first(("population",)), first(("is_current",))
        self.pipe_names = [i for i, h in enumerate(lower) if h.startswith("names_") or h in _PIPE_NAMES]
        self.comma_names = [i for i, h in enumerate(lower) if h == "alternatenames"]
        self.is_wof = "wof_id" in lower

    @property
    def usable(self) -> bool:
        return None not in (self.name, self.lat, self.lon)


def source_name(path: Path, columns: Columns) -> str:
    """``wof`` for Who's On First tables, else the file's stem (``my_places.tsv.gz`` -> ``my_places``)."""
    if columns.is_wof:
        return "wof"
    return re.sub(r"[^a-z0-9_]+", "_", path.name.split(".")[0].lower()).strip("_") or "table"


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None else ""


def kind_of_row(row: list[str], columns: Columns, name: str) -> str:
    """The kind a row declares (kind column, GeoNames code, WOF placetype), refined by a camp-like name."""
    kind = _cell(row, columns.kind).lower()
    if kind not in KINDS:
        code = _cell(row, columns.feature_code).upper()
        placetype = _cell(row, columns.placetype).lower()
        if code:
            kind = "city" if code.startswith(("PPL", "STLMT")) else kind_for("", code)
        else:
            kind = PLACETYPE_KINDS.get(placetype, "landmark")
    if kind in _CAMP_KINDS and looks_like_camp(name):
        kind = "camp"
    return kind


def parse_row(row: list[str], columns: Columns, source: str) -> PlaceRecord | str:
    """A record from one row, or the reason it is malformed."""
    if len(row) != columns.width:
        return f"expected {columns.width} columns, got {len(row)}"
    name = _cell(row, columns.name)
    if not name:
        return "empty name"
    if _cell(row, columns.label_lat) and _cell(row, columns.label_lon):
        point = parse_point(_cell(row, columns.label_lat), _cell(row, columns.label_lon))
    else:
        point = parse_point(_cell(row, columns.lat), _cell(row, columns.lon))
    if isinstance(point, str):
        return point
    names = [n for i in columns.pipe_names for n in row[i].split("|")]
    names += [n for i in columns.comma_names for n in row[i].split(",")]
    names = list(dict.fromkeys(n.strip() for n in names if n.strip() and n.strip() != name))
    row_id = _cell(row, columns.id) or f"{name_key(name)}@{point[0]:.4f},{point[1]:.4f}"
    geonames_id = _cell(row, columns.geonames_id)
    code = _cell(row, columns.feature_code).upper()
    return PlaceRecord(id=f"tsv:{source}:{row_id}", name=name, kind=kind_of_row(row, columns, name),
                       lat=point[0], lon=point[1], source=source, cc=country_code(_cell(row, columns.country)),
                       population=parse_nonnegative_int(_cell(row, columns.population)), feature_code=code or None,
                       names=names, same_as=(f"gn:{geonames_id}",) if geonames_id.isdigit() else ())


def read_places(path: Path, report: ImportReport, options: ImportOptions) -> Iterator[PlaceRecord]:
    """Stream the records of a table, counting malformed and filtered rows in ``report``."""
    from gazetteer.errors import ImportFormatError

    with open_text(path) as fh:
        header_line = fh.readline().lstrip("\ufeff")
        delimiter = "\t" if "\t" in header_line else ","
        quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
        header = next(csv.reader([header_line], delimiter=delimiter, quoting=quoting), [])
        columns = Columns(header)
        if not columns.usable:
            raise ImportFormatError(f"{path}: the header {header[:8]} has no name, latitude and longitude "
                                    f"columns, so this is not {EXPECTED}")
        source = source_name(path, columns)
        reader = csv.reader(fh, delimiter=delimiter, quoting=quoting)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            report.rows_read += 1
            line = reader.line_num + 1  # + the header line read before the reader
            record = parse_row(row, columns, source)
            if isinstance(record, str):
                report.note_malformed(line, record)
            elif _cell(row, columns.is_current) == "0":
                report.skip("not current (is_current = 0)")
            elif reason := options.left_out(record):
                report.skip(reason)
            else:
                yield record


def run(path: Path, writer: GazetteerWriter, report: ImportReport, options: ImportOptions, *,
        progress: bool = False) -> None:
    """Import a table of places into ``writer``."""
    consume(read_places(path, report, options), writer, report, progress=progress)

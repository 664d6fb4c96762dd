"""OurAirports ``airports.csv`` (ourairports.com/data), gzipped or not.

Columns used: ``ident, type, name, latitude_deg, longitude_deg, iso_country, municipality, gps_code,
iata_code, local_code, keywords``. Places get the id ``oa:<ident>``; an airport the gazetteer already
holds under its ICAO code (``ap:<code>``, the default build's airports) gets the OurAirports names and
keywords added instead of a duplicate.

Kinds: large, medium and small airports become ``airport``, or ``base`` when the name says it is military
(Air Base, Airbase, AB, Air Force Base, military...). Heliports, seaplane bases, balloon ports and closed
fields are skipped unless ``airport_types`` asks for them. ``keywords`` (comma-separated) are alternate
names; ICAO, IATA and GPS codes are indexed as codes.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from gazetteer.database import GazetteerWriter
from gazetteer.importers import ImportOptions, PlaceRecord, consume, country_code, open_text, parse_point
from gazetteer.importers.report import ImportReport

EXPECTED = ("an OurAirports airports.csv (comma-separated with a header: id, ident, type, name, latitude_deg, "
            "longitude_deg, ..., keywords)")
SOURCE = "ourairports"
REQUIRED = ("ident", "type", "name", "latitude_deg", "longitude_deg")
DEFAULT_TYPES = frozenset({"large_airport", "medium_airport", "small_airport"})

_MILITARY = re.compile(r"\b(air\s*base|airbase|air force|military|army air ?field|naval air station|"
                       r"air station)\b", re.IGNORECASE)
#: Abbreviations only in capitals ("Ab" is also a word: Persian "water").
_MILITARY_ABBREVIATIONS = re.compile(r"\b(AB|AFB|RAF|NAS)\b")


def is_military(name: str) -> bool:
    """True when an airfield's name says it is military.

    >>> is_military("Tiyas Air Base"), is_military("Incirlik AB"), is_military("Ramon International Airport")
    (True, True, False)
    """
    return bool(_MILITARY.search(name) or _MILITARY_ABBREVIATIONS.search(name))


def split_keywords(value: str) -> list[str]:
    """Alternate names from the ``keywords`` column (comma-separated)."""
    return [k.strip() for k in (value or "").split(",") if k.strip()]


def parse_row(row: dict[str, str]) -> PlaceRecord | str:
    """A record from one CSV row, or the reason it is malformed."""
    ident, name = (row.get("ident") or "").strip(), (row.get("name") or "").strip()
    if not ident:
        return "empty ident"
    if not name:
        return "empty name"
    point = parse_point(row.get("latitude_deg"), row.get("longitude_deg"))
    if isinstance(point, str):
        return point
    airport_type = (row.get("type") or "").strip().lower()
    kind = "base" if is_military(name) else "airport"
    gps, iata, local = (row.get(k, "").strip() for k in ("gps_code", "iata_code", "local_code"))
    codes = list(dict.fromkeys(c for c in (ident, gps, iata) if c))
    icao = [c for c in (gps, ident) if len(c) == 4 and c.isalpha()]
    return PlaceRecord(id=f"oa:{ident}", name=name, kind=kind, lat=point[0], lon=point[1], source=SOURCE,
                       cc=country_code(row.get("iso_country")), feature_code=airport_type or None,
                       names=split_keywords(row.get("keywords", "")), codes=codes,
                       same_as=tuple(dict.fromkeys(f"ap:{c.upper()}" for c in icao)))


def read_places(path: Path, report: ImportReport, options: ImportOptions) -> Iterator[PlaceRecord]:
    """Stream the records of an airports.csv, counting malformed and filtered rows in ``report``."""
    from gazetteer.errors import ImportFormatError

    types = options.airport_types or DEFAULT_TYPES
    with open_text(path) as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportFormatError(f"{path}: no {', '.join(missing)} column(s), so this is not {EXPECTED}")
        for row in reader:
            report.rows_read += 1
            if None in row or any(v is None for v in row.values()):
                report.note_malformed(reader.line_num, f"expected {len(reader.fieldnames)} columns")
                continue
            airport_type = (row["type"] or "").strip().lower()
            if airport_type not in types:  # before parsing: a third of the rows are heliports or closed
                report.skip(f"type {airport_type or '(empty)'} (ask for it with airport_types)")
                continue
            record = parse_row(row)
            if isinstance(record, str):
                report.note_malformed(reader.line_num, record)
            elif reason := options.left_out(record):
                report.skip(reason)
            else:
                yield record


def run(path: Path, writer: GazetteerWriter, report: ImportReport, options: ImportOptions, *,
        progress: bool = False) -> None:
    """Import an OurAirports airports.csv into ``writer``."""
    consume(read_places(path, report, options), writer, report, progress=progress)

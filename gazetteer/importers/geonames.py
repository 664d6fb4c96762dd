"""GeoNames dumps: ``allCountries``, per-country (``SY.zip``) and ``citiesN`` files, zipped or not.

The 19 tab-separated columns (UTF-8, no header) are: geonameid, name, asciiname, alternatenames
(comma-separated), latitude, longitude, feature class, feature code, country code, cc2, admin1 code,
admin2 code, admin3 code, admin4 code, population, elevation, dem, timezone, modification date.

Places get the id ``gn:<geonameid>``, the ids the default gazetteer gives its cities500 rows, so an import
upserts them. Side files: ``alternateNamesV2.txt`` adds names (and IATA/ICAO codes) to the imported places;
``admin1CodesASCII.txt`` gives first-level regions (ADM1 rows) their usual English label ("Deir ez-Zor"
rather than "Muḩāfaz̧at Dayr az Zawr"). ADM1 rows share the ``gn:<geonameid>`` ids of the default
build's admin-1 places, so they upsert them; one that the default build holds as ``admin1:<code>`` (no
GeoNames id known) adds its names to that place instead of duplicating it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from gazetteer.database import CODE, GazetteerWriter
from gazetteer.importers import ImportOptions, PlaceRecord, consume, open_text, parse_nonnegative_int, parse_point
from gazetteer.importers.report import ImportReport
from gazetteer.normalize import is_latin

EXPECTED = ("a GeoNames dump (19 tab-separated columns: geonameid, name, asciiname, alternatenames, latitude, "
            "longitude, feature class, feature code, country code, ...)")
SOURCE = "geonames"
COLUMNS = 19

# -- feature class/code -> kind ------------------------------------------------------------------------------
_KIND_BY_CODE = {
    "ADM1": "admin1", "ADM1H": "admin1", "ADM2": "admin2", "ADM2H": "admin2",
    "CMP": "camp", "CMPRF": "camp",
    "AIRB": "base", "AIRF": "base", "MILB": "base", "INSM": "base",
    "AIRP": "airport",
    "DSRT": "desert", "ATOL": "island",
    "RGN": "region", "RGNE": "region", "RGNH": "region", "RGNL": "region", "AREA": "region", "TERR": "region",
    "ZN": "region", "ZNB": "region",
}
#: Hydrographic codes that are bodies of water (other H codes -- wells, springs -- are landmarks).
_WATER_PREFIXES = ("SEA", "GULF", "STRT", "LK", "BAY", "OCN", "LGN", "RSV", "CHN", "SD", "INLT", "COVE", "FJD",
                   "HBR", "ESTY", "PND", "MRSH", "SWMP", "OVF", "GLCR")
#: Terrain codes that are regions rather than heights (other T codes -- MT, MTS, HLL, PLAT, PK, RDG -- are mountains).
_TERRAIN_REGION_PREFIXES = ("PEN", "PLN", "VAL", "BSN", "DPR", "DLTA", "CAPE", "PT", "ISTH", "CST", "PLDR",
                            "GRGE", "CNYN", "OAS")


def kind_for(feature_class: str, feature_code: str) -> str:
    """Map a GeoNames feature class and code to one of :data:`gazetteer.place.KINDS`.

    >>> kind_for("P", "PPLA"), kind_for("S", "CMPRF"), kind_for("S", "AIRB"), kind_for("H", "WAD")
    ('city', 'camp', 'base', 'river')
    >>> kind_for("T", "MTS"), kind_for("T", "DSRT"), kind_for("T", "ISLS"), kind_for("A", "PCLI")
    ('mountain', 'desert', 'island', 'country')
    """
    cls, code = feature_class.upper(), feature_code.upper()
    if code.startswith("PCL"):
        return "country"
    if code in _KIND_BY_CODE:
        return _KIND_BY_CODE[code]
    if cls == "P":
        return "city"
    if code.startswith("ADM") or code == "PRSH":
        return "admin2"
    if code.startswith(("STM", "WAD", "CNL")):
        return "river"
    if code.startswith("ISL"):
        return "island"
    if cls == "H":
        return "water" if code.startswith(_WATER_PREFIXES) else "landmark"
    if cls == "T":
        return "region" if code.startswith(_TERRAIN_REGION_PREFIXES) else "mountain"
    if cls == "A":
        return "region"
    return "landmark"  # other S (spots, buildings), L (parks, areas), R, V (vegetation), U


# -- side files ----------------------------------------------------------------------------------------------
def _side_file_rows(path: Path, report: ImportReport, problem: Callable[[list[str]], str | None],
                    expected: str) -> Iterator[list[str]]:
    """The cells of each well-formed line of a side file (``problem`` says what is wrong with a line, or None).

    Malformed lines are counted and reported; once the file is read, :class:`ImportFormatError` is raised
    (and the import leaves the gazetteer unchanged) when most of its lines are malformed: it is then not
    ``expected``.
    """
    from gazetteer.errors import ImportFormatError

    lines = bad = 0
    with open_text(path) as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            lines += 1
            cells = line.rstrip("\r\n").split("\t")
            reason = problem(cells)
            if reason:
                bad += 1
                report.note_side_malformed(path, number, reason)
                continue
            yield cells
    if lines == 0 or bad * 2 > lines:
        raise ImportFormatError(f"{path}: {bad} of {lines} lines are malformed, so this is not {expected}; "
                                f"the gazetteer was not changed")


def _admin1_problem(cells: list[str]) -> str | None:
    if len(cells) < 3 or "." not in cells[0] or not cells[1].strip():
        return f"expected 'CC.CODE<tab>name<tab>asciiname<tab>id', got {len(cells)} columns"
    return None


def read_admin1_codes(path: Path, report: ImportReport) -> dict[str, str]:
    """``{"SY.07": "Deir ez-Zor", ...}`` from ``admin1CodesASCII.txt`` (code, name, asciiname, geonameid)."""
    return {cells[0].strip(): cells[1].strip()
            for cells in _side_file_rows(path, report, _admin1_problem, "a GeoNames admin1CodesASCII.txt file")}


#: alternateNames pseudo-languages that are not names (links, ids, postcodes, codes).
PSEUDO_LANGUAGES = frozenset({"link", "wkdt", "post", "iata", "icao", "faac", "abbr", "unlc", "fr_1793", "tcid"})
#: Pseudo-languages kept as codes.
CODE_LANGUAGES = frozenset({"iata", "icao"})


class IdSet:
    """A compact set of non-negative integer ids, one bit each (13M GeoNames ids fit in 2 MB)."""

    def __init__(self) -> None:
        self._bits = bytearray()

    def add(self, value: int) -> None:
        index = value >> 3
        if index >= len(self._bits):
            self._bits.extend(bytes(max(index + 1 - len(self._bits), len(self._bits))))
        self._bits[index] |= 1 << (value & 7)

    def __contains__(self, value: int) -> bool:
        index = value >> 3
        return index < len(self._bits) and bool(self._bits[index] >> (value & 7) & 1)


def add_alternate_names(path: Path, writer: GazetteerWriter, report: ImportReport, imported: IdSet,
                        merged: dict[int, int]) -> None:
    """Attach the names of ``alternateNamesV2.txt`` to the places imported in this run.

    Columns: alternateNameId, geonameid, isolanguage, alternate_name, then flags (isPreferredName first).
    Pseudo-language rows are skipped, except ``iata``/``icao`` which become codes. A name with a language is
    also kept as the place's name in that language, in any script (:meth:`GazetteerWriter.add_localized_names`).
    """
    for cells in _side_file_rows(path, report, _alternate_name_problem, "a GeoNames alternateNamesV2.txt file"):
        geonameid = int(cells[1])
        if geonameid not in imported:
            continue
        language, name = cells[2].strip().lower(), cells[3].strip()
        if language in PSEUDO_LANGUAGES and language not in CODE_LANGUAGES:
            continue
        rid = merged.get(geonameid) or writer.rid_of(f"gn:{geonameid}")
        if rid is None or not name:
            continue
        if language and language not in PSEUDO_LANGUAGES:  # the geocoder's answers in that language
            writer.add_localized_names(rid, language, [name], preferred=cells[4:5] == ["1"])
        if not is_latin(name):  # the store indexes Latin-script names only
            continue
        writer.add_names(rid, [name], CODE if language in CODE_LANGUAGES else 0)
        report.names_added += 1


def _alternate_name_problem(cells: list[str]) -> str | None:
    if len(cells) < 4 or not cells[1].isdigit():
        return "expected alternateNameId, geonameid, isolanguage, alternate_name, ... (tab-separated)"
    return None


# -- the dump ------------------------------------------------------------------------------------------------
def parse_row(cells: list[str], admin1_labels: dict[str, str]) -> PlaceRecord | str:
    """A :class:`PlaceRecord` from the 19 cells of a dump line, or the reason it is malformed."""
    if len(cells) != COLUMNS:
        return f"expected {COLUMNS} tab-separated columns, got {len(cells)}"
    geonameid, name, asciiname, alternates, lat, lon, fclass, fcode, cc = cells[:9]
    if not geonameid.isdigit():
        return f"geonameid {geonameid!r} is not a number"
    if not name.strip():
        return "empty name"
    point = parse_point(lat, lon)
    if isinstance(point, str):
        return point
    cc = cc.strip().upper() or None
    admin1 = f"{cc}.{cells[10].strip()}" if cc and cells[10].strip() else None
    kind = kind_for(fclass, fcode)
    names = [asciiname, *alternates.split(",")]
    same_as: tuple[str, ...] = ()
    if kind == "admin1" and admin1:
        same_as = (f"admin1:{admin1}",)
        label = admin1_labels.get(admin1)
        if label and label != name:
            names.insert(0, name)
            name = label
    return PlaceRecord(id=f"gn:{geonameid}", name=name.strip(), kind=kind, lat=point[0], lon=point[1],
                       source=SOURCE, cc=cc, admin1=admin1, population=parse_nonnegative_int(cells[14]),
                       feature_code=fcode.strip().upper() or None, names=[n for n in names if n.strip()],
                       same_as=same_as)


def filter_reason(record: PlaceRecord, feature_class: str, options: ImportOptions) -> str | None:
    """Why a well-formed row is left out, or None to keep it."""
    if not options.keeps_country(record.cc):
        return "outside the requested countries"
    cls = feature_class.strip().upper()
    if options.feature_classes is not None:
        if cls not in options.feature_classes:
            return "outside the requested feature classes"
    elif cls == "U":
        return "undersea features (ask for them with feature class U)"
    return options.left_out(record)


def read_places(path: Path, report: ImportReport, options: ImportOptions,
                admin1_labels: dict[str, str]) -> Iterator[PlaceRecord]:
    """Stream the records of a dump, counting malformed and filtered rows in ``report``."""
    with open_text(path) as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#"):
                continue
            report.rows_read += 1
            cells = line.rstrip("\r\n").split("\t")
            if options.countries is not None and len(cells) == COLUMNS and not options.keeps_country(cells[8]):
                report.skip("outside the requested countries")  # fast path: most rows of allCountries
                continue
            record = parse_row(cells, admin1_labels)
            if isinstance(record, str):
                report.note_malformed(number, record)
                continue
            reason = filter_reason(record, cells[6], options)
            if reason:
                report.skip(reason)
                continue
            yield record


def run(path: Path, writer: GazetteerWriter, report: ImportReport, options: ImportOptions, *,
        progress: bool = False) -> None:
    """Import a GeoNames dump (and its side files) into ``writer``."""
    labels = read_admin1_codes(options.admin1_codes, report) if options.admin1_codes else {}
    imported = IdSet()
    merged: dict[int, int] = {}

    def remember(record: PlaceRecord, rid: int) -> None:
        geonameid = int(record.id[3:])
        imported.add(geonameid)
        if writer.rid_of(record.id) != rid:  # merged into an equivalent place (admin1:...)
            merged[geonameid] = rid

    consume(read_places(path, report, options, labels), writer, report, progress=progress, on_written=remember)
    if options.alternate_names:
        add_alternate_names(options.alternate_names, writer, report, imported, merged)

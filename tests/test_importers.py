"""Importers of standard gazetteer files: GeoNames, Natural Earth, OurAirports, generic TSV.

Small fixtures are written by the tests; the real files of ../shared/data/raw are read when present.
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from conftest import SHARED, require_shared
from gazetteer import Gazetteer
from gazetteer.database import CODE, CURATED, GazetteerWriter
from gazetteer.errors import GazetteerCorrupt, ImportFormatError
from gazetteer.importers import detect_format, import_file

RAW = SHARED / "data" / "raw"
needs_raw = pytest.mark.usefixtures("shared_raw")


@pytest.fixture
def shared_raw() -> Path:
    """../shared/data/raw, or a skip (a failure under CI) when it is absent."""
    return require_shared("data/raw")


# -- fixtures ------------------------------------------------------------------------------------------------
#: GeoNames dump rows (19 columns). Real names and coordinates; Syria is skipped (countries come from the build).
GEONAMES_ROWS = [
    ["174448", "Ālbū Kamāl", "Albu Kamal", "Abu Kamal,Al-Bukamal,Abou Kemal", "34.45226", "40.91854", "P",
     "PPLA2", "SY", "", "07", "", "", "", "57572", "", "178", "Asia/Damascus", "2020-06-10"],
    ["173480", "Al Mayādīn", "Al Mayadin", "Mayadin,Al-Mayadeen", "35.01982", "40.45154", "P", "PPLA2", "SY",
     "", "07", "", "", "", "54534", "", "190", "Asia/Damascus", "2020-06-10"],
    ["170792", "Muḩāfaz̧at Dayr az Zawr", "Muhafazat Dayr az Zawr", "Deir ez-Zor Governorate", "35.08333",
     "40.33333", "A", "ADM1", "SY", "", "07", "", "", "", "1239000", "", "250", "Asia/Damascus", "2020-06-10"],
    ["6300518", "Deir ez-Zor Airport", "Deir ez-Zor Airport", "", "35.2854", "40.17597", "S", "AIRP", "SY", "",
     "07", "", "", "", "0", "700", "214", "Asia/Damascus", "2020-06-10"],
    ["11429716", "Mukhayyam ar Rukban", "Mukhayyam ar Rukban", "Rukban,Rukban Camp", "33.30577", "38.69618",
     "S", "CMPRF", "SY", "", "14", "", "", "", "0", "", "700", "Asia/Damascus", "2020-06-10"],
    ["99071", "Euphrates", "Euphrates", "Al Furat,Firat", "31.00454", "47.44184", "H", "STM", "IQ", "", "",
     "", "", "", "0", "", "3", "Asia/Baghdad", "2020-06-10"],
    ["163843", "Syrian Arab Republic", "Syrian Arab Republic", "Syria", "35", "38", "A", "PCLI", "SY", "", "00",
     "", "", "", "22198110", "", "368", "Asia/Damascus", "2020-06-10"],
]
BROKEN_LINE = "this line\tis not\ta GeoNames row"


def write_dump(directory: Path, rows=GEONAMES_ROWS, extra_lines=(BROKEN_LINE,), zipped=False) -> Path:
    text = "".join("\t".join(r) + "\n" for r in rows) + "".join(line + "\n" for line in extra_lines)
    if not zipped:
        path = directory / "SY.txt"
        path.write_text(text, encoding="utf-8")
        return path
    path = directory / "SY.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "GeoNames per-country dump\n")
        zf.writestr("SY.txt", text)
    return path


@pytest.fixture
def base(tmp_path) -> Path:
    """A small gazetteer standing in for the default build: Albu Kamal (cities500 id) and Ramon Airport."""
    path = tmp_path / "gaz.sqlite"
    with GazetteerWriter(path) as w:
        w.add_place("gn:174448", "Ālbū Kamāl", "city", 34.45226, 40.91854, cc="SY", admin1="SY.07",
                    population=57572, source="test", names=["Abu Kamal"])
        w.add_place("ap:LLER", "Ilan and Asaf Ramon Airport", "airport", 29.723694, 35.011416, cc="IL",
                    source="test", codes=["LLER", "ETM"])
    return path


def ids(path: Path) -> set[str]:
    with sqlite3.connect(path) as con:
        return {r[0] for r in con.execute("SELECT id FROM place")}


def names_of(path: Path, place_id: str) -> dict[str, int]:
    with sqlite3.connect(path) as con:
        return dict(con.execute("SELECT n.key, n.flags FROM name n JOIN place p ON p.rid = n.rid WHERE p.id = ?",
                                (place_id,)))


# -- GeoNames ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("zipped", [False, True])
def test_geonames_dump_upserts_by_geonameid_and_maps_kinds(tmp_path, base, zipped):
    dump = write_dump(tmp_path, zipped=zipped)
    report = import_file(dump, base, progress=False)

    assert (report.rows_read, report.added, report.replaced, report.malformed) == (8, 5, 1, 1)
    assert report.skipped["countries (the default gazetteer owns them)"] == 1
    assert report.malformed_examples[0].line == 8 and "19 tab-separated columns" in report.malformed_examples[0].reason
    gaz = Gazetteer(base)
    assert len(gaz) == 2 + 5  # Albu Kamal replaced, not duplicated
    kinds = {p: gaz.get(p).kind for p in ("gn:173480", "gn:170792", "gn:6300518", "gn:11429716", "gn:99071")}
    assert kinds == {"gn:173480": "city", "gn:170792": "admin1", "gn:6300518": "airport",
                     "gn:11429716": "camp", "gn:99071": "river"}
    top = gaz.lookup("Al-Bukamal", limit=1)[0].place
    assert (top.id, top.admin1, round(top.lat, 3)) == ("gn:174448", "SY.07", 34.452)
    assert gaz.lookup("Rukban", kinds=["camp"])[0].place.id == "gn:11429716"


def test_geonames_filters_by_country_class_and_population(tmp_path, base):
    dump = write_dump(tmp_path, extra_lines=())
    iraq = import_file(dump, tmp_path / "iq.sqlite", countries="IQ", progress=False)
    assert ids(tmp_path / "iq.sqlite") == {"gn:99071"}
    assert iraq.skipped["outside the requested countries"] == 6

    import_file(dump, tmp_path / "p.sqlite", feature_classes=["P"], min_population=55_000, progress=False)
    assert ids(tmp_path / "p.sqlite") == {"gn:174448"}  # Al Mayadin (54,534 people) is under the minimum

    import_file(dump, tmp_path / "s.sqlite", countries=["sy"], feature_classes="S,A", min_population=10**9,
                progress=False)
    assert ids(tmp_path / "s.sqlite") == {"gn:170792", "gn:6300518", "gn:11429716"}  # not cities: kept


def test_geonames_alternate_names_and_admin1_labels(tmp_path, base):
    dump = write_dump(tmp_path, extra_lines=())
    alternates = tmp_path / "alternateNamesV2.txt"
    alternates.write_text("\n".join([
        "1\t174448\ten\tAbu Kemal\t\t\t\t\t\t",
        "2\t174448\tlink\thttps://en.wikipedia.org/wiki/Abu_Kamal\t\t\t\t\t\t",
        "3\t174448\tar\tالبوكمال\t1\t\t\t\t\t",
        "4\t6300518\ticao\tOSDZ\t\t\t\t\t\t",
        "5\t6300518\tiata\tDEZ\t\t\t\t\t\t",
        "6\t6300518\tpost\t12345\t\t\t\t\t\t",
        "7\t163843\ten\tSyria\t\t\t\t\t\t",     # a skipped place: not attached anywhere
        "8\tbroken line",
    ]) + "\n", encoding="utf-8")
    admin1 = tmp_path / "admin1CodesASCII.txt"
    admin1.write_text("SY.07\tDeir ez-Zor\tDeir ez-Zor\t170792\nSY.12\tIdlib\tIdlib\t169387\n", encoding="utf-8")

    report = import_file(dump, base, alternate_names=alternates, admin1_codes=admin1, progress=False)

    assert report.names_added == 3 and report.side_malformed == 1
    assert any(m.path.endswith("alternateNamesV2.txt") and m.line == 8 for m in report.malformed_examples)
    gaz = Gazetteer(base)
    governorate = gaz.get("gn:170792")
    assert (governorate.name, governorate.kind) == ("Deir ez-Zor", "admin1")
    assert "muhafazatdayrzawr" in names_of(base, "gn:170792")  # the dump's own name stays searchable
    airport = names_of(base, "gn:6300518")
    assert airport["osdz"] & CODE and airport["dez"] & CODE and "12345" not in airport
    assert "abukemal" in names_of(base, "gn:174448")
    assert not any("wikipedia" in k for k in names_of(base, "gn:174448"))


def test_geonames_upsert_keeps_curated_aliases(tmp_path):
    path = tmp_path / "gaz.sqlite"
    with GazetteerWriter(path) as w:
        w.add_place("gn:174448", "Ālbū Kamāl", "city", 34.45226, 40.91854, cc="SY", source="test",
                    aliases=["Albukamal"])
    import_file(write_dump(tmp_path, extra_lines=()), path, progress=False)
    assert names_of(path, "gn:174448").get("albukamal", 0) & CURATED


# -- atomicity and malformed files ---------------------------------------------------------------------------
def test_failed_import_leaves_the_gazetteer_byte_identical(tmp_path, base):
    before = base.read_bytes()
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(os.urandom(3000) + b"\n" + b"no tabs here\n" * 1500)

    with pytest.raises(ImportFormatError, match="garbage.txt"):
        import_file(garbage, base, progress=False)  # format not recognised
    with pytest.raises(ImportFormatError, match="garbage.txt.*not a GeoNames dump"):
        import_file(garbage, base, fmt="geonames", progress=False)  # stopped early: every row malformed

    assert base.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("gaz.sqlite")) == ["gaz.sqlite"]


@pytest.mark.parametrize("side", ["alternate_names", "admin1_codes"])
def test_a_side_file_of_another_format_fails_the_import_and_names_it(tmp_path, base, side):
    before = base.read_bytes()
    wrong = tmp_path / "cities.csv"
    wrong.write_text("name,lat,lon\nDamascus,33.51,36.29\nAleppo,36.2,37.16\n", encoding="utf-8")

    with pytest.raises(ImportFormatError, match=r"cities\.csv: 3 of 3 lines are malformed, so this is not a GeoNames"):
        import_file(write_dump(tmp_path, extra_lines=()), base, progress=False, **{side: wrong})
    assert base.read_bytes() == before


def test_mostly_malformed_file_is_rejected_with_its_expected_format(tmp_path, base):
    before = base.read_bytes()
    dump = write_dump(tmp_path, rows=GEONAMES_ROWS[:2], extra_lines=["1\tbad"] * 3)
    with pytest.raises(ImportFormatError) as info:
        import_file(dump, base, fmt="geonames", progress=False)
    message = str(info.value)
    assert "SY.txt" in message and "3 of 5 rows are malformed" in message and "19 tab-separated" in message
    assert base.read_bytes() == before


def test_truncated_zip_is_a_format_error_and_changes_nothing(tmp_path, base):
    before = base.read_bytes()
    dump = write_dump(tmp_path, zipped=True)
    dump.write_bytes(dump.read_bytes()[:60])
    with pytest.raises(ImportFormatError, match="SY.zip"):
        import_file(dump, base, fmt="geonames", progress=False)
    assert base.read_bytes() == before


def test_a_foreign_sqlite_file_is_not_overwritten(tmp_path):
    foreign = tmp_path / "notes.sqlite"
    with sqlite3.connect(foreign) as con:
        con.execute("CREATE TABLE notes(text)")
    before = foreign.read_bytes()
    with pytest.raises(GazetteerCorrupt, match="not a geomap gazetteer"):
        import_file(write_dump(tmp_path), foreign, progress=False)
    assert foreign.read_bytes() == before


# -- OurAirports ---------------------------------------------------------------------------------------------
OURAIRPORTS_CSV = """\
"id","ident","type","name","latitude_deg","longitude_deg","elevation_ft","continent","iso_country","iso_region","municipality","scheduled_service","gps_code","iata_code","local_code","home_link","wikipedia_link","keywords"
6354,"OS72","small_airport","Tiyas Air Base",34.5225982666,37.629901886,1805,"AS","SY","SY-HI","Tiyas","no",,,,,,"T-4,Tiyas Airbase,T4"
4188,"LLER","large_airport","Ramon International Airport",29.723694,35.011416,288,"AS","IL","IL-D","Eilat","yes","LLER","ETM",,,,"Ilan and Asaf Ramon"
4181,"LLNV","medium_airport","Nevatim Air Base",31.208299636799996,35.012298584,1330,"AS","IL","IL-D","Beersheba","no","LLNV","VTM",,,,
7001,"IL-0001","heliport","Rambam Hospital Heliport",32.8337,34.9872,10,"AS","IL","IL-HA","Haifa","no",,,,,,
4200,"OSXX","small_airport","Broken Field",north,east,0,"AS","SY","SY-HI",,"no",,,,,,
"""  # noqa: E501 (OurAirports' own lines)


def test_ourairports_bases_keywords_codes_and_merge(tmp_path, base):
    csv_path = tmp_path / "airports.csv.gz"
    csv_path.write_bytes(gzip.compress(OURAIRPORTS_CSV.encode()))
    assert detect_format(csv_path) == "ourairports"

    report = import_file(csv_path, base, progress=False)

    assert (report.rows_read, report.added, report.merged, report.malformed) == (5, 2, 1, 1)
    assert report.skipped == {"type heliport (ask for it with airport_types)": 1}
    gaz = Gazetteer(base)
    tiyas = gaz.lookup("T-4", limit=1)[0].place
    assert (tiyas.id, tiyas.kind, tiyas.country_code) == ("oa:OS72", "base", "SY")
    assert gaz.get("oa:LLNV").kind == "base"
    assert names_of(base, "oa:LLNV")["vtm"] & CODE
    # Ramon is already in the gazetteer as ap:LLER: its OurAirports names join that place, no duplicate
    assert "oa:LLER" not in ids(base)
    assert gaz.lookup("Ramon International Airport", limit=1)[0].place.id == "ap:LLER"


def test_ourairports_heliports_when_asked(tmp_path):
    csv_path = tmp_path / "airports.csv"
    csv_path.write_text(OURAIRPORTS_CSV, encoding="utf-8")
    import_file(csv_path, tmp_path / "h.sqlite", airport_types=["heliport"], progress=False)
    assert ids(tmp_path / "h.sqlite") == {"oa:IL-0001"}


# -- Natural Earth -------------------------------------------------------------------------------------------
def _feature(props: dict, geometry: dict) -> str:
    return json.dumps({"type": "Feature", "properties": props, "geometry": geometry})


def write_ne_geojson(path: Path) -> Path:
    """A tiny ogr2ogr-style layer of mixed features (kinds then come from ``featurecla``): the Dead Sea
    polygon, and the Jordan in two segments; one broken line."""
    dead_sea = {"type": "Polygon", "coordinates": [[[35.39, 31.05], [35.58, 31.05], [35.60, 31.78],
                                                     [35.46, 31.78], [35.39, 31.05]]]}
    upper = {"type": "LineString", "coordinates": [[35.63, 32.71], [35.57, 32.40], [35.55, 32.10]]}
    lower = {"type": "LineString", "coordinates": [[35.55, 32.10], [35.53, 31.80], [35.56, 31.76]]}
    lines = ['{', '"type": "FeatureCollection",', '"features": [',
             _feature({"featurecla": "Lake", "name": "Dead Sea", "name_alt": "Salt Sea"}, dead_sea) + ",",
             _feature({"featurecla": "River", "name": "Jordan", "rivernum": 229}, upper) + ",",
             '{ "type": "Feature", "properties": { "name": "broken", ',
             _feature({"featurecla": "Lake Centerline", "name": "Jordan", "rivernum": 229}, lower),
             ']', '}']
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    return path


def test_naturalearth_geojson_points_boxes_and_merged_segments(tmp_path, base):
    layer = write_ne_geojson(tmp_path / "ne_10m_levant_sample.geojson.gz")
    assert detect_format(layer) == "naturalearth"

    report = import_file(layer, base, progress=False)

    assert (report.rows_read, report.added, report.malformed) == (4, 2, 1)
    assert report.malformed_examples[0].line == 6
    gaz = Gazetteer(base)
    jordan = gaz.get("ne:levant_sample:jordan")
    assert jordan.kind == "river" and 31.76 <= jordan.lat <= 32.71 and 35.5 < jordan.lon < 35.65
    dead_sea = gaz.lookup("Salt Sea", limit=1)[0].place
    assert dead_sea.id == "ne:levant_sample:deadsea" and dead_sea.kind == "water"
    assert 31.05 < dead_sea.lat < 31.78 and 35.39 < dead_sea.lon < 35.6  # inside the polygon
    with sqlite3.connect(base) as con:
        box = con.execute("SELECT min_lat, max_lat FROM place_rtree WHERE rid = "
                          "(SELECT rid FROM place WHERE id = 'ne:levant_sample:jordan')").fetchone()
    assert box[0] == pytest.approx(31.76, abs=1e-3) and box[1] == pytest.approx(32.71, abs=1e-3)  # both segments


def test_naturalearth_csv_without_coordinates_points_to_the_geojson(tmp_path, base):
    marine = tmp_path / "ne_10m_geography_marine_polys.csv"
    marine.write_text("featurecla,name,namealt,ne_id\nsea,Red Sea,,1159106805\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="import that instead"):
        import_file(marine, base, progress=False)


# -- generic TSV ---------------------------------------------------------------------------------------------
def test_tsv_table_kinds_ids_and_geonames_merge(tmp_path, base):
    table = tmp_path / "my_places.tsv"
    table.write_text(
        "id\tname\tlat\tlon\tcountry\tkind\tgn_id\talt_names\n"
        "1\tZaatari camp\t32.2937\t36.3239\tJO\t\t\tZaatari|Az Za'atari camp\n"
        "2\tAlbukamal\t34.45\t40.92\tSY\tcity\t174448\tAl Bukamal\n"
        "3\tAl-Tanf garrison\t33.49\t38.66\tSY\tbase\t\t\n"
        "4\tNowhere\tabc\t38.0\tSY\t\t\t\n",
        encoding="utf-8")
    assert detect_format(table) == "tsv"

    report = import_file(table, base, progress=False)

    assert (report.added, report.merged, report.malformed) == (2, 1, 1)
    assert report.malformed_examples[0].line == 5 and "not numbers" in report.malformed_examples[0].reason
    gaz = Gazetteer(base)
    assert gaz.get("tsv:my_places:1").kind == "camp"
    assert gaz.get("tsv:my_places:3").kind == "base"
    assert "tsv:my_places:2" not in ids(base) and "bukamal" in names_of(base, "gn:174448")


# -- the real files of ../shared/data/raw --------------------------------------------------------------------
@needs_raw
def test_real_ourairports_has_tiyas_air_base(tmp_path, base):
    report = import_file(RAW / "ourairports" / "airports.csv.gz", base, countries=["SY", "IL"], progress=False)
    assert report.rows_read == 73_623 and report.malformed == 0
    gaz = Gazetteer(base)
    tiyas = gaz.get("oa:OS72")
    assert (tiyas.name, tiyas.kind) == ("Tiyas Air Base", "base")
    assert tiyas.lat == pytest.approx(34.5226, abs=1e-3) and tiyas.lon == pytest.approx(37.6299, abs=1e-3)
    assert gaz.lookup("OS72", limit=1)[0].place.id == "oa:OS72"
    assert gaz.get("oa:LLNV").kind == "base"


@needs_raw
def test_real_naturalearth_admin1_has_idlib(tmp_path):
    target = tmp_path / "ne.sqlite"
    report = import_file(RAW / "natural_earth_v5_attributes" / "ne_10m_admin_1_states_provinces.csv", target,
                         progress=False)
    assert report.added > 4_500 and report.malformed == 0
    idlib = Gazetteer(target).lookup("Idleb", country="SY", kinds=["admin1"], limit=1)[0].place
    assert (idlib.name, idlib.admin1) == ("Idlib", "SY.12")
    assert idlib.lat == pytest.approx(35.85, abs=0.05) and idlib.lon == pytest.approx(36.68, abs=0.05)


@needs_raw
def test_real_naturalearth_geojson_marine_polys(tmp_path):
    target = tmp_path / "ne.sqlite"
    import_file(RAW / "natural_earth_v4_geojson" / "ne_10m_geography_marine_polys.geojson.gz", target,
                progress=False)
    aqaba = Gazetteer(target).lookup("Gulf of Aqaba", kinds=["water"], limit=1)[0].place
    assert 28.0 < aqaba.lat < 29.6 and 34.4 < aqaba.lon < 35.0


@needs_raw
def test_real_whosonfirst_tsv_has_yarmouk_camp(tmp_path, base):
    report = import_file(RAW / "whosonfirst_levant_iraq" / "wof_admin_sy_iq_lb_ps_il_jo.tsv.gz", base,
                         countries="SY", progress=False)
    assert report.rows_read == 41_221 and report.malformed == 0
    camp = Gazetteer(base).lookup("Yarmouk", kinds=["camp"], limit=1)[0].place
    assert (camp.name, camp.country_code) == ("Mukhayyam al Yarmuk", "SY")
    assert camp.lat == pytest.approx(33.47, abs=0.01) and camp.lon == pytest.approx(36.30, abs=0.01)


def test_options_that_do_not_fit_the_format_are_refused(tmp_path, base):
    table = tmp_path / "airports.csv"
    table.write_text(OURAIRPORTS_CSV, encoding="utf-8")
    with pytest.raises(ImportFormatError, match="GeoNames dumps only"):
        import_file(table, base, feature_classes="P", progress=False)


def test_report_summary_names_counts_and_first_malformed_lines(tmp_path, base):
    report = import_file(write_dump(tmp_path), base, progress=False)
    text = str(report)
    assert "rows read 8" in text and "places added 5, replaced 1" in text
    assert f"{tmp_path / 'SY.txt'}:8: expected 19 tab-separated columns, got 3" in text
    assert report.to_dict()["skipped"] == {"countries (the default gazetteer owns them)": 1}
    with sqlite3.connect(base) as con:
        imports = json.loads(con.execute("SELECT value FROM meta WHERE key = 'imports'").fetchone()[0])
    assert imports[-1]["file"] == "SY.txt" and imports[-1]["added"] == 5


# -- imports survive a rebuild of the default gazetteer ------------------------------------------------------
def small_default_sources(writer, ctx, progress) -> None:
    """Stands in for the default build's sources (the real ones take half a minute): one city."""
    writer.add_place("gn:295277", "Eilat", "city", 29.55805, 34.94821, cc="IL", population=52299, source="test")
    ctx.counts["cities"] = 1


@pytest.fixture
def small_default(tmp_path, monkeypatch) -> Path:
    """The default gazetteer ($GEOMAP_GAZETTEER), built by the real build() from small_default_sources."""
    from gazetteer import build as builder

    monkeypatch.setattr(builder, "add_sources", small_default_sources)
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(tmp_path / "default.sqlite"))
    builder.build(progress=False)
    return tmp_path / "default.sqlite"


def write_table(path: Path, rows: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in ["id\tname\tlat\tlon\tcountry\tkind", *rows]), encoding="utf-8")
    return path


CAMPS = ["1\tZaatari camp\t32.2937\t36.3239\tJO\tcamp", "2\tRukban camp\t33.3058\t38.6962\tSY\tcamp"]


def test_stale_rebuild_reapplies_imports_and_names_those_whose_file_is_gone(tmp_path, monkeypatch, small_default):
    from gazetteer import build as builder

    camps = write_table(tmp_path / "camps.tsv", CAMPS)
    bases = write_table(tmp_path / "bases.tsv", ["1\tAl-Tanf garrison\t33.49\t38.66\tSY\tbase"])
    import_file(camps, small_default, countries="JO", progress=False)
    import_file(bases, small_default, progress=False)
    bases.unlink()
    monkeypatch.setattr(builder, "BUILD_VERSION", builder.BUILD_VERSION + 1)  # the installed sources changed

    with pytest.warns(builder.ImportsLostWarning) as caught:
        gaz = Gazetteer.open(quiet=True)  # stale: rebuilt on opening
    gaz.close()

    [message] = [str(w.message) for w in caught if w.category is builder.ImportsLostWarning]
    assert f"geomap gazetteer import {bases} --format tsv --path {small_default}" in message
    assert "camps.tsv" not in message
    assert ids(small_default) == {"gn:295277", "tsv:camps:1"}  # re-applied with its country filter (not Rukban)
    gaz = Gazetteer(small_default)
    assert not builder.is_stale(gaz.meta)
    assert [(e["file"], e["options"]) for e in gaz.meta["imports"]] == [("camps.tsv", {"countries": ["JO"]})]


def test_a_default_gazetteer_of_an_older_file_schema_is_rebuilt_with_its_imports(tmp_path, small_default):
    from gazetteer import GazetteerStale

    import_file(write_table(tmp_path / "camps.tsv", CAMPS), small_default, progress=False)
    with sqlite3.connect(small_default) as con:  # as an earlier geomap wrote it: no name index
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        con.execute("DROP TABLE name_index")
    with pytest.raises(GazetteerStale, match=f"rebuild it with `geomap gazetteer build --path {small_default}`"):
        Gazetteer(small_default)  # opened as a file: told how to rebuild it

    with Gazetteer.open(quiet=True) as gaz:  # opened as the default: rebuilt, imports and all
        assert gaz.lookup("Zaatari camp", limit=1)[0].place.id == "tsv:camps:1"
    assert ids(small_default) == {"gn:295277", "tsv:camps:1", "tsv:camps:2"}


def test_explicit_build_keeps_imports_unless_told_not_to(tmp_path, small_default):
    from gazetteer import build as builder

    import_file(write_table(tmp_path / "camps.tsv", CAMPS), small_default, progress=False)

    stats = builder.build(small_default, progress=False)
    assert (stats["imports_reapplied"], stats["imports_lost"]) == (1, 0)
    assert ids(small_default) == {"gn:295277", "tsv:camps:1", "tsv:camps:2"}

    with pytest.warns(builder.ImportsLostWarning, match="camps.tsv .not re-applied on request"):
        builder.build(small_default, progress=False, keep_imports=False)
    assert ids(small_default) == {"gn:295277"}


# -- concurrent, failed and killed builds --------------------------------------------------------------------
def files_beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))


def test_two_openers_of_a_stale_default_build_it_once(monkeypatch, small_default):
    from gazetteer import build as builder

    builds = []

    def slow_sources(writer, ctx, progress):
        builds.append(threading.get_ident())
        time.sleep(0.5)  # the other opener finds the file stale meanwhile
        small_default_sources(writer, ctx, progress)

    monkeypatch.setattr(builder, "add_sources", slow_sources)
    monkeypatch.setattr(builder, "BUILD_VERSION", builder.BUILD_VERSION + 1)  # the installed sources changed
    fresh = []

    def open_default():
        with Gazetteer.open(quiet=True) as gaz:
            fresh.append(not builder.is_stale(gaz.meta))

    openers = [threading.Thread(target=open_default) for _ in range(2)]
    for opener in openers:
        opener.start()
    for opener in openers:
        opener.join()

    assert len(builds) == 1 and fresh == [True, True]  # the second waited for the first's build and used it
    assert files_beside(small_default) == ["default.sqlite", "default.sqlite.lock"]


def test_a_failed_build_leaves_the_previous_file_and_no_temp_file(monkeypatch, small_default):
    from gazetteer import build as builder

    before = small_default.read_bytes()

    def interrupted(writer, ctx, progress):
        small_default_sources(writer, ctx, progress)
        raise KeyboardInterrupt

    monkeypatch.setattr(builder, "add_sources", interrupted)
    with pytest.raises(KeyboardInterrupt):
        builder.build(progress=False)
    # failing while finishing the file (here: a meta value that is no JSON) is cleaned up as well
    monkeypatch.setattr(builder, "add_sources", lambda writer, ctx, progress: writer.set_meta(bad=object()))
    with pytest.raises(TypeError):
        builder.build(progress=False)

    assert small_default.read_bytes() == before
    assert files_beside(small_default) == ["default.sqlite", "default.sqlite.lock"]


def test_a_build_removes_the_temp_file_of_a_killed_writer_not_of_a_live_one(small_default):
    from gazetteer import build as builder

    writer = ("import sys, time; from gazetteer.database import GazetteerWriter; "
              "print(GazetteerWriter(sys.argv[1]).tmp, flush=True); time.sleep(60)")
    killed = subprocess.Popen([sys.executable, "-c", writer, str(small_default)],
                              cwd=Path(__file__).resolve().parents[1], stdout=subprocess.PIPE, text=True)
    orphan = Path(killed.stdout.readline().strip())
    killed.kill()
    killed.wait()
    killed.stdout.close()
    live = GazetteerWriter(small_default, base=small_default)  # an import still writing
    try:
        assert orphan.exists() and orphan.name.startswith("default.sqlite.")
        builder.build(small_default, progress=False)
        assert not orphan.exists() and live.tmp.exists()
    finally:
        live.abort()
    assert files_beside(small_default) == ["default.sqlite", "default.sqlite.lock"]


# -- an import updates the lookup tables as a whole rebuild would -------------------------------------------
def lookup_tables(path: Path) -> dict:
    """What lookups read from a gazetteer file, as plain values (free of where in the arrays things sit)."""
    from gazetteer.index import NameIndex

    with sqlite3.connect(path) as con:
        index = NameIndex.load(con)
        keys = [k for (k,) in con.execute("SELECT DISTINCT key FROM name ORDER BY key")]
        rids = [r for (r,) in con.execute("SELECT rid FROM place ORDER BY rid")]
        return {
            "entries": {k: [index.place_and_flags(e) for e in index.entries(k)] for k in keys},
            "key_stats": {k: index.key_stats(k) for k in keys},
            "places": {r: (index.place(r), index.prominence[r], index.id_rank[r], index.name_fold[r]) for r in rids},
            "hashes": len(index.key_hash),
            "skel": con.execute("SELECT * FROM skel ORDER BY skel").fetchall(),
            "spell": con.execute("SELECT * FROM spell ORDER BY bucket").fetchall(),
        }


@pytest.mark.parametrize("update_at_most", [50_000, 0])  # an update, and the whole rebuild of a large import
def test_an_import_updates_the_lookup_tables_as_a_whole_rebuild_would(tmp_path, base, monkeypatch, update_at_most):
    from gazetteer import index
    from gazetteer.index import build_lookup_tables

    monkeypatch.setattr(index, "UPDATE_AT_MOST", update_at_most)

    import_file(write_dump(tmp_path), base, progress=False)  # adds places and replaces one
    import_file(write_table(tmp_path / "camps.tsv", CAMPS), base, progress=False)
    rows = ["1\tZaatari refugee camp\t32.2937\t36.3239\tJO\tcamp"]  # the same id renamed: its old names go
    import_file(write_table(tmp_path / "camps.tsv", rows), base, progress=False)
    updated = lookup_tables(base)

    rebuilt = tmp_path / "rebuilt.sqlite"
    rebuilt.write_bytes(base.read_bytes())
    with sqlite3.connect(rebuilt) as con:
        build_lookup_tables(con)
    assert updated == lookup_tables(rebuilt)
    assert "zaataricamp" not in updated["entries"] or not updated["entries"]["zaataricamp"]
    with Gazetteer(base) as gaz:
        assert gaz.lookup("Zaatari refugee camp", limit=1)[0].place.id == "tsv:camps:1"
        assert gaz.lookup("Zaatari camp", fuzzy=False) == []
        assert gaz.lookup("Zaatary refugee camp", limit=1)[0].place.id == "tsv:camps:1"  # a variant, via skel


def test_two_keys_that_share_a_hash_fail_the_build_and_are_named(tmp_path, base, monkeypatch):
    from gazetteer import index
    from gazetteer.errors import GazetteerError

    # a lookup would read one key's places for the other's: the build refuses, rather than merge them
    monkeypatch.setattr(index, "key_hash", lambda key: 7)
    with pytest.raises(GazetteerError, match="abukamal"):
        with GazetteerWriter(tmp_path / "shared.sqlite") as w:
            w.add_place("gn:1", "Abu Kamal", "city", 34.45, 40.92, cc="SY", source="test")
            w.add_place("ap:LLER", "Lller", "airport", 29.72, 35.01, cc="IL", source="test")
    assert not (tmp_path / "shared.sqlite").exists()


def test_a_gazetteer_written_on_a_machine_of_the_other_byte_order_reads_the_same(base):
    import array

    from gazetteer.index import _ARRAYS

    names = ["Abu Kamal", "Al-Bukamal", "Albu Kamall", "Ilan and Asaf Ramon Airport", "LLER",
             "Ilan and Asaf Ramon Aiport"]

    def lookups():
        with Gazetteer(base) as gaz:
            return {name: gaz.lookup(name) for name in names}

    before = lookups()
    other = "big" if sys.byteorder == "little" else "little"

    def swapped(blob: bytes, code: str) -> bytes:
        values = array.array(code, blob)
        values.byteswap()
        return values.tobytes()

    with sqlite3.connect(base) as con:  # what the same build writes on a machine of the other byte order
        stored = dict(con.execute("SELECT part, data FROM name_index"))
        meta = json.loads(stored["meta"])
        changed = {part: swapped(stored[part], code) for part, code in _ARRAYS.items()}
        changed["meta"] = json.dumps(dict(meta, byteorder=other))
        con.executemany("UPDATE name_index SET data = ? WHERE part = ?", [(v, k) for k, v in changed.items()])
        con.executemany("UPDATE skel SET hashes = ?, prominence = ? WHERE skel = ?",
                        [(swapped(h, "Q"), swapped(p, "d"), s)
                         for s, h, p in con.execute("SELECT skel, hashes, prominence FROM skel").fetchall()])

    assert lookups() == before
    # the variant (skel) and fuzzy fallbacks were read too
    assert before["Albu Kamall"][0].match == "variant" and before["Ilan and Asaf Ramon Aiport"][0].match == "fuzzy"

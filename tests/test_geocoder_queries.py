"""Geocoder queries as people type them: containers without commas, ISO codes, loose matches kept in bounds,
states' own points, provinces by abbreviation, names in other languages."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import require_shared
from gazetteer import OfflineGeocoder
from gazetteer.geodesy import great_circle_km


@pytest.fixture(scope="module")
def geocoder(gaz):
    return OfflineGeocoder(gaz)


@pytest.mark.parametrize("query, with_commas", [
    ("Paris France", "Paris, France"),
    ("Seattle WA USA", "Seattle, WA, USA"),
    ("Vancouver British Columbia Canada", "Vancouver, British Columbia, Canada"),
    ("Aleppo Syria", "Aleppo, Syria"),
    ("Mosul Iraq", "Mosul, Iraq"),
    ("Paris Texas", "Paris, Texas"),
])
def test_a_name_followed_by_its_containers_without_commas_answers_as_with_commas(geocoder, query, with_commas):
    found, expected = geocoder.geocode(query), geocoder.geocode(with_commas)
    assert found is not None and expected is not None
    assert found.raw["id"] == expected.raw["id"]


def test_containers_without_commas_need_the_name_to_be_a_place(geocoder):
    # "Qwzxv" is no place: the trailing country does not make an answer up
    assert geocoder.geocode("Qwzxv Syria") is None


@pytest.mark.parametrize("code, country", [
    ("DE", "Germany"), ("GB", "United Kingdom"), ("DEU", "Germany"), ("GBR", "United Kingdom"),
    ("RUS", "Russia"), ("BOL", "Bolivia"), ("US", "United States"), ("UK", "United Kingdom"),
])
def test_an_iso_code_is_its_country(geocoder, code, country):
    found = geocoder.geocode(code)
    assert found.raw["kind"] == "country" and found.address == country


def test_an_iso_code_respects_the_restrictions_asked_for(geocoder):
    outside = geocoder.geocode("DEU", country_codes="fr")
    assert outside is None or outside.raw["country_code"] != "DE"
    city = geocoder.geocode("DE", featuretype="city")
    assert city is None or city.raw["kind"] == "city"


@pytest.mark.parametrize("query, country", [("Vienna Austria", "AT"), ("Vienna, Austria", "AT")])
def test_a_query_with_a_country_is_not_answered_by_a_lookalike_elsewhere(geocoder, query, country):
    assert geocoder.geocode(query).raw["country_code"] == country


def test_a_loose_match_outside_the_container_given_is_no_answer(geocoder):
    # no Dumbo is in the gazetteer: a Nigerian town of similar letters is not in Brooklyn
    found = geocoder.geocode("Dumbo, Brooklyn")
    assert found is None or found.raw["country_code"] == "US"


def test_a_loose_match_needs_a_close_spelling(geocoder, gaz):
    # a typo of a known town still answers; letters in common alone do not
    assert geocoder.geocode("Mosull").raw["name"] == "Mosul"
    loose = [c for c in gaz.lookup("Dumbo", limit=5) if c.match in ("variant", "fuzzy")]
    assert loose, "the lookup itself still offers its loose matches (the parser relies on them)"
    assert geocoder.geocode("Dumbo") is None


def test_a_state_is_answered_at_its_own_centre_not_its_namesake_city(geocoder):
    state = geocoder.geocode("New York", featuretype="state")
    assert state.raw["kind"] == "admin1"
    # Nominatim puts New York state near 43.0 N, 75.5 W; New York City is 311 km from there
    assert great_circle_km(state.latitude, state.longitude, 43.0, -75.5) < 100
    assert great_circle_km(state.latitude, state.longitude, 40.71, -74.01) > 200
    # a division without a namesake city keeps its point
    ontario = geocoder.geocode("Ontario", featuretype="state")
    assert (ontario.latitude, ontario.longitude) == (ontario.raw["lat"], ontario.raw["lon"])


@pytest.mark.parametrize("query, country, admin1_name", [
    ("London, ON", "CA", "Ontario"), ("London, Ont.", "CA", "Ontario"), ("Perth, WA", "AU", "Western Australia"),
    ("Newcastle, NSW", "AU", "New South Wales"), ("Portland, OR", "US", "Oregon"),
    ("Kingston ON Canada", "CA", "Ontario"),
])
def test_province_and_state_abbreviations_beyond_the_us(geocoder, query, country, admin1_name):
    found = geocoder.geocode(query, addressdetails=True)
    assert found.raw["country_code"] == country
    assert found.raw["address"]["state"] == admin1_name


@pytest.mark.parametrize("query, country, not_name", [("Salvador", "BR", "El Salvador"), ("Paso", None, "El Paso")])
def test_a_spanish_el_is_no_arabic_article(geocoder, query, country, not_name):
    found = geocoder.geocode(query)
    assert found is None or found.raw["name"] != not_name
    if country:
        assert found.raw["country_code"] == country


@pytest.mark.parametrize("query, spanish", [("El Salvador", "SV"), ("El Paso", "US")])
def test_a_name_with_a_spanish_el_is_still_found_whole(geocoder, query, spanish):
    assert geocoder.geocode(query).raw["country_code"] == spanish


@pytest.mark.parametrize("queries", [("El Arish", "Al-Arish", "Arish"), ("el-Mayadin", "El Mayadin", "Mayadin"),
                                     ("Deir el Balah", "Deir al-Balah")])
def test_the_arabic_article_is_still_folded_away(gaz, queries):
    found = {gaz.lookup(query, limit=1)[0].place.id for query in queries}
    assert len(found) == 1


def test_names_are_indexed_without_the_el_only_where_it_may_be_arabic():
    from gazetteer.normalize import name_keys, query_keys

    assert name_keys("El Arish") == ["elarish", "arish"]
    assert name_keys("El Paso", el_is_article=False) == ["elpaso"]
    assert name_keys("El-Paso", el_is_article=False) == ["elpaso"]
    assert query_keys("El Paso")[:2] == ["elpaso", "paso"]


def test_language_names_countries_in_that_language(geocoder):
    assert geocoder.geocode("Germany", language="de").address == "Deutschland"
    assert geocoder.geocode("DE", language="fr").address == "Allemagne"
    aleppo = geocoder.geocode("Aleppo", language="de-DE,en;q=0.5", addressdetails=True)
    assert aleppo.raw["address"]["country"] == "Syrien" and aleppo.address.endswith("Syrien")
    assert geocoder.reverse("34.45, 40.92", zoom=3, language="es").address == "Siria"
    # without a language, or in one the translations lack, the gazetteer's names
    assert geocoder.geocode("Germany").address == "Germany"
    assert geocoder.geocode("Germany", language="xx").address == "Germany"


# -- the full GeoNames, imported as downloaded (README, "The full GeoNames") ----------------------------------
SHARED_RAW = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "raw"
#: Two GeoNames dump rows the test writes (19 columns): a village below the embedded build's 500 people, and
#: its province (an ADM1 row, which admin1CodesASCII gives an English label).
DUMP_ROWS = [
    ["90000001", "Qaryat al Ikhtibar", "Qaryat al Ikhtibar", "Ikhtibar", "35.10", "40.20", "P", "PPL", "SY", "",
     "07", "", "", "", "120", "", "200", "Asia/Damascus", "2024-01-01"],
    ["170792", "Muḩāfaz̧at Dayr az Zawr", "Muhafazat Dayr az Zawr", "", "35.08333", "40.33333", "A", "ADM1", "SY",
     "", "07", "", "", "", "1239000", "", "250", "Asia/Damascus", "2024-01-01"],
]


def shared_raw_or_skip() -> Path:
    """../shared/data/raw, or skip (locally) / fail (under CI=true) when it is absent."""
    return require_shared("data/raw")


def write_zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return path


def test_one_command_imports_the_geonames_files_as_downloaded_zipped(tmp_path):
    from click.testing import CliRunner

    from gazetteer import Gazetteer
    from gazetteer.database import GazetteerWriter
    from geomap.cli import main

    target = tmp_path / "gaz.sqlite"
    with GazetteerWriter(target) as writer:  # a small gazetteer standing in for the default build
        writer.add_place("gn:170063", "Aleppo", "city", 36.20124, 37.16117, cc="SY", source="test")
    dump = write_zip(tmp_path / "SY.zip", {"SY.txt": "".join("\t".join(row) + "\n" for row in DUMP_ROWS),
                                           "readme.txt": "the country's places\n"})
    alternates = write_zip(tmp_path / "alternateNamesV2.zip", {
        "alternateNamesV2.txt": ("1\t90000001\ten\tTest Village\t1\t\t\t\t\t\n"
                                 "2\t90000001\tlink\thttps://x.test\t\t\t\t\t\t\n"
                                 "3\t90000001\tde\tPruefdorf\t\t\t\t\t\t\n"
                                 "4\t90000001\tar\t\u0642\u0631\u064a\u0629\t1\t\t\t\t\t\n"
                                 "5\t170792\tde\tGouvernement Deir ez-Zor\t1\t\t\t\t\t\n"),
        "iso-languagecodes.txt": "ISO 639-3\tISO 639-2\tISO 639-1\tLanguage Name\nara\tara\tar\tArabic\n"})
    admin1 = tmp_path / "admin1CodesASCII.txt"
    admin1.write_text("SY.07\tDeir ez-Zor\tDeir ez-Zor\t170792\n", encoding="utf-8")

    result = CliRunner().invoke(main, ["gazetteer", "import", str(dump), "--alternate-names", str(alternates),
                                       "--admin1-codes", str(admin1), "--path", str(target)])

    assert result.exit_code == 0, result.output
    with Gazetteer(target) as gaz:
        geocoder = OfflineGeocoder(gaz)
        village = geocoder.geocode("Test Village, Syria")  # a name from the zipped alternate names
        assert village is not None and village.raw["id"] == "gn:90000001"
        assert gaz.get("gn:170792").name == "Deir ez-Zor"  # the province's English label
        assert geocoder.geocode("Aleppo").raw["id"] == "gn:170063"  # the gazetteer's places stay
        # the names the alternate names give in a language answer in that language, in any script
        german = geocoder.geocode("Test Village", language="de", addressdetails=True)
        assert german.raw["address"] == {"city": "Pruefdorf", "state": "Gouvernement Deir ez-Zor",
                                         "country": "Syrien", "country_code": "sy"}
        assert geocoder.geocode("Test Village", language="ar-SY").address.startswith("\u0642\u0631\u064a\u0629")
        assert geocoder.geocode("Test Village", language="fr").address == "Qaryat al Ikhtibar, Deir ez-Zor, Syrie"


def test_the_downloaded_admin1_codes_label_an_imported_province(tmp_path):
    from gazetteer import Gazetteer
    from gazetteer.database import GazetteerWriter
    from gazetteer.importers import import_file

    codes = shared_raw_or_skip() / "geonames_codes" / "admin1CodesASCII.txt"
    zipped_codes = write_zip(tmp_path / "admin1CodesASCII.zip", {"admin1CodesASCII.txt": codes.read_text("utf-8")})
    target = tmp_path / "gaz.sqlite"
    with GazetteerWriter(target) as writer:
        writer.add_place("gn:170063", "Aleppo", "city", 36.20124, 37.16117, cc="SY", source="test")
    dump = write_zip(tmp_path / "SY.zip", {"SY.txt": "".join("\t".join(row) + "\n" for row in DUMP_ROWS)})
    import_file(dump, target, admin1_codes=zipped_codes, progress=False)
    with Gazetteer(target) as gaz:
        province = gaz.get("gn:170792")
    assert province.kind == "admin1" and "Zor" in province.name and "Muḩāfaz" not in province.name


def test_a_bare_name_of_a_state_and_its_namesake_city_is_the_city(geocoder):
    # as with Nominatim: "New York" is the city; the state when a state is asked for
    city = geocoder.geocode("New York")
    assert city.raw["kind"] == "city" and great_circle_km(city.latitude, city.longitude, 40.71, -74.01) < 10
    assert geocoder.geocode("New York", featuretype="state").raw["kind"] == "admin1"
    assert geocoder.geocode("Ontario").raw["kind"] == "admin1"  # no namesake city at its point

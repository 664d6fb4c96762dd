"""The gazetteer as broad as conflict reporting (issue #22): air bases, crossings and passes, valleys,
forests and ranges, rivers of Asia and Africa, ports and terminals, former names, and a name followed
by its generic word ("Swat Valley", "Rafah border crossing")."""

from __future__ import annotations

import pytest

from gazetteer import geodesy


def first(gaz, name: str):
    """The place a lookup without context puts first."""
    found = gaz.lookup(name, limit=1)
    assert found, f"{name!r} finds nothing"
    return found[0].place


def km_from(place, lat: float, lon: float) -> float:
    return float(geodesy.distance_km(place.lat, place.lon, lat, lon))


@pytest.mark.parametrize(("name", "kind", "lat", "lon"), [
    # air bases that airportsdata lacks
    ("Al-Watiya", "base", 32.4747, 11.8975),
    ("Shindand airbase", "base", 33.3914, 62.2608),
    ("Chabelley airfield", "base", 11.5167, 43.0753),
    ("Dyagilevo", "base", 54.6447, 39.5703),
    ("Nur Khan airbase", "base", 33.6167, 73.0992),
    ("Al-Minhad", "base", 25.0269, 55.3661),
    ("Q-West", "base", 35.767, 43.125),
    # crossings and passes
    ("Torkham", "landmark", 34.1006, 71.0936),
    ("Khyber Pass", "landmark", 34.0833, 71.2),
    ("Salang tunnel", "landmark", 35.3167, 69.0333),
    ("Nathu La", "landmark", 27.3861, 88.8306),
    ("Wagah border", "landmark", 31.6047, 74.5728),
    ("San Ysidro crossing", "landmark", 32.5425, -117.0296),
    ("Verkhny Lars", "landmark", 42.74, 44.63),
    # forests, valleys and ranges
    ("Sambisa Forest", "landmark", 11.30, 13.50),
    ("Korengal Valley", "landmark", 34.87, 70.93),
    ("Rwenzori Mountains", "mountain", 0.38, 29.87),
    ("Hamrin Mountains", "mountain", 34.50, 44.50),
    ("Pankisi Gorge", "landmark", 42.20, 45.24),
    # rivers, at a city they flow through
    ("Irrawaddy", "river", 21.98, 96.08),
    ("Thanlwin River", "river", 16.89, 97.63),
    ("Kabul River", "river", 34.43, 70.45),
    ("Southern Bug", "river", 46.97, 32.00),
    # ports and terminals
    ("Ras Isa", "landmark", 15.12, 42.60),
    ("Yuzhny port", "landmark", 46.62, 31.02),
    ("Gwadar port", "landmark", 25.11, 62.33),
    ("Sheskharis", "landmark", 44.69, 37.80),
])
def test_new_rows_are_found_at_their_point(gaz, name, kind, lat, lon):
    place = first(gaz, name)
    assert place.kind == kind, f"{name!r} -> {place.name} ({place.kind})"
    assert km_from(place, lat, lon) < 5, f"{name!r} -> {place.name}, {km_from(place, lat, lon):.0f} km off"


@pytest.mark.parametrize(("former", "country_code", "kind"), [
    ("Zaire", "CD", "country"), ("Ceylon", "LK", "country"), ("Siam", "TH", "country"),
    ("Dahomey", "BJ", "country"), ("Upper Volta", "BF", "country"), ("East Pakistan", "BD", "country"),
    ("Rhodesia", "ZW", "country"), ("Bechuanaland", "BW", "country"),
    ("Calcutta", "IN", "city"), ("Artemivsk", "UA", "city"), ("Bombay", "IN", "city"), ("Rangoon", "MM", "city"),
])
def test_former_names_read_as_the_current_place(gaz, former, country_code, kind):
    place = first(gaz, former)
    assert (place.country_code, place.kind) == (country_code, kind), f"{former!r} -> {place.name}"


def test_calcutta_is_kolkata_not_the_south_african_village(gaz):
    assert km_from(first(gaz, "Calcutta"), 22.57, 88.36) < 25


def test_a_feature_the_gazetteer_has_is_found_whole(gaz):
    """'Panjshir Valley' is the valley, not the province named Panjshir."""
    place = first(gaz, "Panjshir Valley")
    assert (place.kind, place.name) == ("landmark", "Panjshir Valley")
    assert first(gaz, "Panjshir").kind != "landmark"


@pytest.mark.parametrize(("name", "lat", "lon"), [
    ("Morozovsk airfield", 48.35, 41.83),  # the town the air base is named after
    ("Chaman border", 30.92, 66.45),
    ("Dnipro crossing", 48.45, 34.98),
    ("Kunduz Valley", 36.73, 68.86),
])
def test_a_generic_word_the_gazetteer_lacks_reads_as_the_place_it_is_named_after(gaz, name, lat, lon):
    place = first(gaz, name)
    assert km_from(place, lat, lon) < 25, f"{name!r} -> {place.name}"


def test_generic_words_stack(gaz):
    """'Rafah border crossing': neither 'crossing' nor 'border' makes the name another place."""
    assert km_from(first(gaz, "Rafah border crossing"), 31.25, 34.26) < 10


def test_a_generic_word_takes_the_bare_name_exactly_not_by_a_fuzzy_match(gaz):
    """No place is called 'Qxzrvt': 'Qxzrvt Valley' must not become a place that only shares letters."""
    assert gaz.lookup("Qxzrvt Valley", limit=1) == []


def test_settlement_and_division_words_still_work(gaz):
    assert first(gaz, "Kirkuk city").kind == "city"
    assert first(gaz, "Idlib province").kind == "admin1"


def test_a_curated_region_is_read_in_an_article(parser):
    """Catatumbo, once no gazetteer name, is now the Colombian region by the Venezuelan border."""
    text = "Fighting between two armed groups in the Catatumbo region emptied villages north of Cucuta."
    mention = next(m for m in parser.parse(text).mentions if m.text == "Catatumbo")
    assert mention.place is not None and mention.place.id == "cur:catatumbo"

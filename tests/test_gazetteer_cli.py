"""`geomap gazetteer lookup | info | import` end to end, through click's CliRunner."""

from __future__ import annotations

import json

from click.testing import CliRunner

from gazetteer.geodesy import distance_km
from geomap.cli import main


def gazetteer_cli(*args):
    return CliRunner().invoke(main, ["gazetteer", *map(str, args)])


def test_lookup_json_lists_candidates_best_first_with_their_point_and_score(gaz):
    result = gazetteer_cli("lookup", "Al-Bukamal", "--json", "--limit", "3")
    assert result.exit_code == 0, result.output
    candidates = json.loads(result.output)
    assert 1 <= len(candidates) <= 3
    assert {"name", "lat", "lon", "kind", "country_code", "score"} <= set(candidates[0])
    assert [c["score"] for c in candidates] == sorted((c["score"] for c in candidates), reverse=True)
    top = candidates[0]
    assert (top["kind"], top["country_code"]) == ("city", "SY")
    assert distance_km(top["lat"], top["lon"], 34.452, 40.918) < 5  # Albu Kamal on the Euphrates


def test_lookup_with_country_and_kind(gaz):
    result = gazetteer_cli("lookup", "Yarmouk", "--country", "SY", "--kind", "camp", "--json")
    top = json.loads(result.output)[0]
    assert (top["kind"], top["country_code"]) == ("camp", "SY")
    assert distance_km(top["lat"], top["lon"], 33.47, 36.30) < 5  # south of Damascus


def test_lookup_of_a_demonym_says_how_to_ask_for_it(gaz):
    plain = gazetteer_cli("lookup", "Syrian")
    assert plain.exit_code == 1
    assert "no place found for 'Syrian'; it is the demonym of Syria: add --demonyms" in plain.output
    asked = gazetteer_cli("lookup", "Syrian", "--demonyms", "--limit", "1")
    assert asked.exit_code == 0 and "cc:SY (demonym)" in asked.output


def test_lookup_of_an_unknown_kind_lists_the_kinds(gaz):
    result = gazetteer_cli("lookup", "Aqaba", "--kind", "harbour")
    assert result.exit_code == 2
    assert "unknown kind 'harbour'" in result.output and "airport" in result.output


def test_import_reports_malformed_lines_and_the_imported_places_are_found(tmp_path, gaz):
    table = tmp_path / "towns.tsv"
    table.write_text("name\tlat\tlon\tcountry\n"
                     "Tell Tamer\t36.6500\t40.3700\tSY\n"
                     "Nowhere\tnorth\t40.0\tSY\n", encoding="utf-8")
    target = tmp_path / "gaz.sqlite"
    imported = gazetteer_cli("import", table, "--path", target)
    assert imported.exit_code == 0, imported.output
    assert "places added 1," in imported.output and "malformed lines 1" in imported.output
    assert "towns.tsv:3: coordinates are not numbers" in imported.output

    found = json.loads(gazetteer_cli("lookup", "Tal Tamr", "--path", target, "--json").output)
    assert found and found[0]["name"] == "Tell Tamer" and found[0]["country_code"] == "SY"
    info = gazetteer_cli("info", "--path", target)
    assert info.exit_code == 0 and str(target) in info.output


def test_lookup_in_a_missing_file_names_the_fix(tmp_path):
    result = gazetteer_cli("lookup", "Aqaba", "--path", tmp_path / "missing.sqlite")
    assert result.exit_code != 0
    assert "geomap gazetteer build --path" in result.output

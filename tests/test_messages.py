"""What `places`, `claims` and `map` print for a reader (issue #20): no silent empty output, plurals, short lists."""

from __future__ import annotations

import re

from click.testing import CliRunner

from geomap.cli import main

NO_PLACE = "The talks went on late into the evening, and the negotiators said little afterwards."
MANY_PLACES = ("A missile with a range of 250 km was fired from southern Lebanon toward Haifa. Later strikes hit "
               "Tyre, Sidon, Beirut, Damascus, Homs, Aleppo, Amman and Cairo. Weapons moved along the corridor "
               "from Iran through Iraq to Syria.")


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


def test_places_says_when_an_article_has_no_place(tmp_path):
    path = tmp_path / "talks.txt"
    path.write_text(NO_PLACE)
    result = run("places", "--model", "none", path)
    assert result.exit_code == 0, result.output
    assert "no places found in article 'talks'" in result.output


def test_places_table_keeps_a_sentence_with_a_line_break_on_one_row(tmp_path):
    path = tmp_path / "wrapped.txt"
    path.write_text("Shelling was heard overnight\nnorth of Aleppo, residents said.")
    result = run("places", "--model", "none", path)
    assert result.exit_code == 0, result.output
    [row] = [line for line in result.stdout.splitlines() if "Aleppo" in line and "x " in line]
    assert "overnight north of Aleppo" in row
    assert not any(line.startswith("north of Aleppo") for line in result.stdout.splitlines())


def test_claims_table_lists_what_a_reader_needs_and_the_rest_with_verbose(tmp_path):
    path = tmp_path / "strikes.txt"
    path.write_text(MANY_PLACES)
    short = run("claims", path)
    assert short.exit_code == 0, short.output
    assert "corridor :" not in short.output
    assert re.search(r"^  corridor +Iran -> Iraq -> Syria", short.output, re.M), short.output
    also = [line for line in short.output.splitlines() if line.strip().startswith("also")]
    assert len(also) == 1 and "--verbose" in also[0], short.output
    assert "inside the 250 km range" in also[0] and "outside" in also[0]
    full = run("claims", path, "--verbose")
    assert len([line for line in full.output.splitlines() if line.strip().startswith("also")]) >= 8
    assert "Cairo: " in full.output and "outside the 250 km range" in full.output


def test_claims_table_keeps_a_space_after_the_longest_kinds(tmp_path):
    path = tmp_path / "ferries.txt"
    path.write_text("Ferries carry trucks by sea from Helsinki to Tallinn every hour.\n", encoding="utf-8")
    result = run("claims", path)
    assert result.exit_code == 0, result.output
    assert re.search(r"^  sea route +Helsinki -> Tallinn", result.output, re.M), result.output


def test_map_summary_counts_in_the_singular_for_one(tmp_path):
    path = tmp_path / "eilat.txt"
    path.write_text("A missile with a range of 250 km was fired from Gaza toward Eilat.")
    result = run("map", path, "-o", tmp_path / "m.html")
    assert result.exit_code == 0, result.output
    assert "1 article," in result.output and "1 range," in result.output and "0 corridors" in result.output

"""Scoring claims against claim gold files (``geomap eval``), and the CI gate on ../shared/eval/dev/claims.dev.jsonl.

The gold passages here are written by the team; claims.dev.jsonl is read from ../shared, never copied.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import require_shared
from geomap.cli import main
from geomap.errors import InputError
from geomap.evaluation.claims import (
    ClaimGold,
    is_claim_gold_file,
    read_claim_gold,
    score_claims,
)

#: figure: the minimum on claims.dev.jsonl, a notch below what the extractor reaches
#: (reached: ranges 0.96 / 1.00, origin 3/3, corridors 0.85 / 0.97, negatives with a claim 0 of 8).
CLAIM_GATES = {
    "ranges_recall": 0.92, "ranges_precision": 0.95, "origin_right": 0.66,
    "corridors_recall": 0.80, "corridors_precision": 0.90,
}


def record(ranges=(), corridors=(), mentions=()) -> dict:
    return {"ranges": list(ranges), "corridors": list(corridors), "mentions": list(mentions)}


def corridor(*waypoints: str) -> dict:
    return {"kind": "route", "name": None, "waypoints": [{"text": w} for w in waypoints], "sentence": ""}


def test_a_range_is_found_within_five_percent_and_half_a_km_one_to_one():
    gold = ClaimGold("g", "", ranges=({"range_km": 1609.344, "origin": None}, {"range_km": 300, "origin": None}))
    result = score_claims([(gold, record([{"range_km": 1600.0}, {"range_km": 186.0}, {"range_km": None}]))])
    assert (result.found_ranges, result.predicted_ranges, result.right_predicted_ranges) == (1, 2, 1)
    assert result.ranges_recall == 0.5 and result.ranges_precision == 0.5
    assert any("range missed" in e and "300 km" in e for e in result.errors)
    assert any("false range" in e and "186 km" in e for e in result.errors)


def test_origin_right_when_one_text_contains_the_other():
    gold = ClaimGold("g", "", ranges=({"range_km": 500, "origin": "Kaliningrad"},
                                      {"range_km": 90, "origin": "Tyre"}))
    predicted = [{"range_km": 500, "origin": {"text": "Kaliningrad region"}},
                 {"range_km": 90, "origin": {"text": "Lebanon"}}]
    result = score_claims([(gold, record(predicted))])
    assert result.origin_right == 0.5
    assert any("origin wrong" in e and "'Tyre'" in e for e in result.errors)


def test_a_corridor_needs_half_its_waypoints_rounded_up_and_at_least_two():
    gold = ClaimGold("g", "", corridors=({"waypoints": ["Peru", "Ecuador", "Panama", "Mexico", "Texas"]},
                                         {"waypoints": ["Rafah"]}))
    result = score_claims([(gold, record(corridors=[corridor("Peru", "Ecuador"), corridor("Rafah crossing")]))])
    assert result.found_corridors == 1 and result.corridors_recall == 0.5  # 2 of 5 is not enough; Rafah is
    assert result.corridors_precision == 0.5


def test_a_negative_passage_with_any_claim_counts():
    gold = ClaimGold("n", "Kazan lies 800 km from the border.")
    result = score_claims([(gold, record([{"range_km": None, "targets": []}]))])
    assert (result.negatives, result.negatives_with_claim) == (1, 1)
    assert "negative passage" in result.errors[0]


def test_places_found_by_an_overlapping_mention_placed_within_161_km():
    gold = ClaimGold("p", "Buses left Kherson for Odesa.",
                     places=({"surface": "Kherson", "lat": 46.64, "lon": 32.61},
                             {"surface": "Odesa", "lat": 46.48, "lon": 30.72}))
    mentions = [{"start": 11, "end": 18, "lat": 46.6, "lon": 32.6}, {"start": 23, "end": 28, "lat": 40.0, "lon": 30.0}]
    assert score_claims([(gold, record(mentions=mentions))]).places_found == 0.5


def write_gold(tmp_path, lines: list[dict]):
    path = tmp_path / "claims.gold.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


GOLD = [
    {"id": "t1", "text": "Officials say the new drone has a range of 1,000 km and was fired from Kursk.",
     "places": [{"surface": "Kursk", "lat": 51.73, "lon": 36.19}],
     "ranges": [{"weapon": "drone", "origin": "Kursk", "range_km": 1000}], "corridors": []},
    {"id": "t2", "text": "Heroin is trafficked from Afghanistan through Iran to Turkey.", "places": [],
     "ranges": [], "corridors": [{"kind": "smuggling route", "waypoints": ["Afghanistan", "Iran", "Turkey"]}]},
    {"id": "t3", "text": "The rebels say their rockets reach 90 km, and they also fly kites.", "places": [],
     "ranges": [{"weapon": "rockets", "origin": None, "range_km": 120}], "corridors": []},
    {"id": "t4", "text": "Kazan is 800 km from the border.", "places": [], "ranges": [], "corridors": []},
]


def test_cli_eval_scores_a_claim_gold_file_and_lists_errors(tmp_path):
    path = write_gold(tmp_path, GOLD)
    assert is_claim_gold_file(path)
    result = CliRunner().invoke(main, ["eval", str(path), "--errors"])
    assert result.exit_code == 0, result.output
    assert "claims: 4 passages" in result.output
    assert "negatives with a claim" in result.output
    assert "t3: range missed: 'rockets' 120 km" in result.output


def test_cli_eval_claims_as_json(tmp_path):
    path = write_gold(tmp_path, GOLD[:2])
    result = CliRunner().invoke(main, ["eval", str(path), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)["claims"]
    assert scores["ranges_recall"] == 1.0 and scores["corridors_recall"] == 1.0 and scores["origin_right"] == 1.0


def test_a_bad_claim_gold_line_is_named(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "text": "x", "ranges": [], "corridors": []}\n{"id": "b", "ranges": []}\n',
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"line 2: a claim gold line needs"):
        read_claim_gold(path)


@pytest.mark.slow
def test_claims_dev_figures_do_not_regress(parser):
    path = require_shared("eval/dev/claims.dev.jsonl")
    passages = read_claim_gold(path)
    result = score_claims((p, parser.parse(p.text, id=p.id).to_record()) for p in passages)
    for figure, minimum in CLAIM_GATES.items():
        assert getattr(result, figure) >= minimum, f"{figure} {getattr(result, figure):.2f} < {minimum}"
    assert result.negatives_with_claim == 0, result.errors

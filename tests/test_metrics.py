"""Evaluation metrics (geomap.evaluation) with numbers worked out by hand, and the real dev gold files."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from conftest import require_shared
from gazetteer.place import Place
from geomap.cli import main
from geomap.errors import InputError
from geomap.evaluation import (
    EARTH_RADIUS_KM,
    EvaluationError,
    GoldDocument,
    GoldToponym,
    Prediction,
    evaluate,
    evaluate_oracle,
    great_circle_km,
    read_gold,
)
from geomap.model import Mention, Sentence

DEV_DOCUMENT_COUNTS = {"lgl.dev.jsonl": 294, "gwn.dev.jsonl": 100, "trnews.dev.jsonl": 59,
                       "geovirus.dev.jsonl": 114, "wiktor500.dev.jsonl": 250, "seed.jsonl": 1}

# Real coordinates.
NEW_YORK = (40.7128, -74.0060)
PARIS_FR = (48.8566, 2.3522)
PARIS_TX = (33.6609, -95.5555)
GAZA = (31.5017, 34.4668)
ABU_KAMAL = (34.4506, 40.9171)
DAMASCUS = (33.5138, 36.2765)

ONE_DEGREE_KM = EARTH_RADIUS_KM * math.pi / 180  # 111.195 km along a meridian
LN_MAX = math.log(20039)


def gold_doc(text: str, toponyms: list[tuple[str, tuple[float, float] | None]], *,
             corpus: str = "test", doc_id: str = "d1") -> GoldDocument:
    """A gold document whose toponyms are the successive occurrences of the given surfaces."""
    gold, cursor = [], 0
    for surface, point in toponyms:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        lat, lon = point if point else (None, None)
        gold.append(GoldToponym(start, cursor, surface, lat, lon))
    return GoldDocument(doc_id, corpus, text, tuple(gold))


def pred(text: str, surface: str, point: tuple[float, float] | None, *, after: int = 0) -> dict:
    """A predicted mention of ``surface`` (first occurrence at or after ``after``), as `geomap parse` writes it."""
    start = text.index(surface, after)
    lat, lon = point if point else (None, None)
    return {"start": start, "end": start + len(surface), "text": surface, "lat": lat, "lon": lon}


def scored(document: GoldDocument, predictions: list, **kwargs):
    return evaluate([document], lambda doc: predictions, **kwargs).overall


# --------------------------------------------------------------------------- distance

def test_great_circle_distance_on_the_mean_sphere():
    assert great_circle_km(0, 0, 1, 0) == pytest.approx(111.19508, abs=1e-4)
    assert great_circle_km(0, 0, 0, 180) == pytest.approx(math.pi * 6371.0088)
    assert great_circle_km(*GAZA, *GAZA) == 0
    # Abu Kamal is ~440 km from Damascus: far outside the 161 km of acc161.
    assert 420 < great_circle_km(*ABU_KAMAL, *DAMASCUS) < 460


# --------------------------------------------------------------------------- recognition

TEXT = "Officials from New York City and Paris met in Gaza."


def test_exact_and_overlap_matching_differ_on_a_partial_span():
    document = gold_doc(TEXT, [("New York City", NEW_YORK), ("Paris", PARIS_FR), ("Gaza", GAZA)])
    predictions = [pred(TEXT, "New York", NEW_YORK), pred(TEXT, "Paris", PARIS_FR), pred(TEXT, "met", None)]

    exact = scored(document, predictions, match="exact")
    # exact: only Paris matches -> P = R = 1/3, F1 = 2*1 / (3 + 3).
    assert (exact.exact.precision, exact.exact.recall, exact.exact.f1) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    # overlap: "New York" shares characters with "New York City" -> 2 of 3 on both sides.
    assert (exact.overlap.precision, exact.overlap.recall, exact.overlap.f1) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    # Resolution follows the chosen matching: exact scores Paris only, overlap also New York.
    assert exact.resolution.n_scored == 1 and exact.resolution.acc161_all == pytest.approx(1 / 3)
    overlap = scored(document, predictions, match="overlap")
    assert overlap.resolution.n_scored == 2 and overlap.resolution.acc161_all == pytest.approx(2 / 3)
    assert overlap.resolution.coverage == pytest.approx(2 / 3)


def test_matching_is_one_to_one():
    text = "Residents of Tel Aviv-Jaffa"
    document = gold_doc(text, [("Tel Aviv", (32.0853, 34.7818)), ("Jaffa", (32.0504, 34.7522))])
    # One prediction spanning both gold toponyms matches only one of them (the one it shares more with).
    spanning = [pred(text, "Tel Aviv-Jaffa", (32.0853, 34.7818))]
    scores = scored(document, spanning, match="overlap")
    assert (scores.overlap.n_matched, scores.overlap.precision, scores.overlap.recall) == (1, 1.0, 0.5)
    assert scores.overlap.f1 == pytest.approx(2 / 3)
    assert scores.exact.n_matched == 0
    assert scores.resolution.errors_km == (0.0,)  # matched to Tel Aviv, not Jaffa (8 shared characters > 5)

    # Two identical predictions of one gold toponym: one true positive, one false positive.
    twice = [pred(text, "Jaffa", None), pred(text, "Jaffa", None)]
    scores = scored(document, twice)
    assert (scores.exact.n_matched, scores.exact.precision, scores.exact.recall) == (1, 0.5, 0.5)


def test_overlap_tie_breaking_prefers_more_shared_characters_then_text_order():
    text = "near Abu Kamal"
    document = gold_doc(text, [("Abu Kamal", ABU_KAMAL)])
    # "Kamal" shares 5 characters, "Abu" 3: the "Kamal" prediction is matched and its coordinates scored.
    scores = scored(document, [pred(text, "Abu", DAMASCUS), pred(text, "Kamal", ABU_KAMAL)], match="overlap")
    assert scores.resolution.errors_km == (0.0,)
    assert scores.overlap.precision == 0.5

    text = "in Gaza City"
    document = gold_doc(text, [("Gaza City", GAZA)])
    # "Gaza" and "City" share 4 characters each and are 5 boundary characters off: the earlier span wins,
    # whatever order the system listed them in.
    scores = scored(document, [pred(text, "City", DAMASCUS), pred(text, "Gaza", GAZA)], match="overlap")
    assert scores.resolution.errors_km == (0.0,)


def test_gold_without_coordinates_counts_in_recognition_only():
    text = "Storms crossed the Midwest into Chicago."
    document = gold_doc(text, [("Midwest", None), ("Chicago", (41.8781, -87.6298))])
    scores = scored(document, [pred(text, "Midwest", (41.0, -93.0)), pred(text, "Chicago", (41.8781, -87.6298))])
    assert scores.exact.recall == 1.0 and scores.exact.precision == 1.0
    assert scores.resolution.n_gold_with_coordinates == 1
    assert scores.resolution.n_scored == 1          # the Midwest prediction is not scored
    assert scores.resolution.coverage == 1.0 and scores.resolution.acc161_all == 1.0


def test_prediction_without_coordinates_is_found_but_not_scored():
    document = gold_doc(TEXT, [("Paris", PARIS_FR), ("Gaza", GAZA)])
    scores = scored(document, [pred(TEXT, "Paris", PARIS_FR), pred(TEXT, "Gaza", None)])
    assert scores.exact.recall == 1.0
    assert scores.resolution.n_scored == 1
    assert scores.resolution.acc161 == 1.0
    assert scores.resolution.coverage == 0.5 and scores.resolution.acc161_all == 0.5


# --------------------------------------------------------------------------- resolution

def test_resolution_errors_acc161_mean_median_auc():
    text = "From Paris to Gaza via Damascus."
    document = gold_doc(text, [("Paris", PARIS_TX), ("Gaza", GAZA), ("Damascus", DAMASCUS)])
    # Exact for Gaza, 1 degree of latitude off for Damascus, Paris put in France instead of Texas.
    predictions = [pred(text, "Paris", PARIS_FR), pred(text, "Gaza", GAZA),
                   pred(text, "Damascus", (DAMASCUS[0] + 1, DAMASCUS[1]))]
    resolution = scored(document, predictions).resolution
    paris_error = great_circle_km(*PARIS_TX, *PARIS_FR)
    assert 7700 < paris_error < 7900
    assert sorted(resolution.errors_km) == pytest.approx([0.0, ONE_DEGREE_KM, paris_error])
    assert resolution.acc161 == pytest.approx(2 / 3)
    assert resolution.mean_km == pytest.approx((ONE_DEGREE_KM + paris_error) / 3)
    assert resolution.median_km == pytest.approx(ONE_DEGREE_KM)
    assert resolution.auc == pytest.approx((0 + math.log(1 + ONE_DEGREE_KM) + math.log(1 + paris_error)) / 3 / LN_MAX)
    assert resolution.acc161_all == pytest.approx(2 / 3)


def test_auc_is_zero_when_perfect_and_nearly_one_at_the_antipode():
    text = "Quito"
    document = gold_doc(text, [("Quito", (0.0, 0.0))])
    assert scored(document, [pred(text, "Quito", (0.0, 0.0))]).resolution.auc == 0.0
    worst = scored(document, [pred(text, "Quito", (0.0, 180.0))]).resolution
    assert worst.errors_km == pytest.approx((math.pi * EARTH_RADIUS_KM,))
    assert worst.auc == pytest.approx(math.log(1 + math.pi * EARTH_RADIUS_KM) / LN_MAX)
    assert 0.9998 < worst.auc < 1.0
    assert worst.acc161 == 0.0


def test_acc161_all_penalises_finding_less():
    text = "Gaza, Damascus, Abu Kamal and New York"
    document = gold_doc(text, [("Gaza", GAZA), ("Damascus", DAMASCUS), ("Abu Kamal", ABU_KAMAL),
                               ("New York", NEW_YORK)])
    cautious = scored(document, [pred(text, "Gaza", GAZA)]).resolution
    thorough = scored(document, [pred(text, "Gaza", GAZA), pred(text, "Damascus", DAMASCUS),
                                 pred(text, "Abu Kamal", DAMASCUS), pred(text, "New York", NEW_YORK)]).resolution
    # acc161 prefers the system that found one place; acc161_all prefers the one that found all four.
    assert (cautious.acc161, cautious.acc161_all) == (1.0, 0.25)
    assert (thorough.acc161, thorough.acc161_all) == (0.75, 0.75)


def test_corpus_and_overall_scores_are_micro_averages():
    first = gold_doc("Gaza", [("Gaza", GAZA)], corpus="a", doc_id="a1")
    second = gold_doc("Damascus, Paris and New York", [("Damascus", DAMASCUS), ("Paris", PARIS_FR),
                                                       ("New York", NEW_YORK)], corpus="a", doc_id="a2")
    third = gold_doc("Abu Kamal", [("Abu Kamal", ABU_KAMAL)], corpus="b", doc_id="b1")
    answers = {"a1": [pred("Gaza", "Gaza", GAZA)], "a2": [], "b1": [pred("Abu Kamal", "Abu Kamal", DAMASCUS)]}
    result = evaluate([first, second, third], lambda doc: answers[doc.id])

    assert list(result.corpora) == ["a", "b"]
    corpus_a = result.corpora["a"]
    # Micro: 1 found of 4 gold (macro over documents would say 0.5).
    assert corpus_a.n_documents == 2 and corpus_a.exact.recall == 0.25 and corpus_a.exact.precision == 1.0
    assert corpus_a.resolution.acc161_all == 0.25
    assert result.overall.exact.recall == pytest.approx(2 / 5)
    assert result.overall.resolution.errors_km == pytest.approx((0.0, great_circle_km(*ABU_KAMAL, *DAMASCUS)))
    assert result.overall.resolution.acc161 == 0.5
    # The empty document has no precision (nothing predicted) but its recall is 0.
    empty = result.documents[1].scores.exact
    assert empty.precision is None and empty.recall == 0.0 and empty.f1 == 0.0

    record = json.loads(json.dumps(result.to_dict(documents=True)))
    assert record["corpora"]["a"]["exact"]["recall"] == 0.25
    assert record["documents"][2]["toponyms"][0]["matched"] is True
    table = result.format_table().splitlines()
    assert [line.split()[0] for line in table[2:5]] == ["a", "b", "overall"]


def test_predictions_may_be_geomap_mentions():
    text = "Shelling hit Gaza."
    document = gold_doc(text, [("Gaza", GAZA)])
    sentence = Sentence(0, len(text), text)
    gaza = Place("gn:281133", "Gaza", "city", *GAZA, country_code="PS")
    start = text.index("Gaza")
    resolved = Mention(start, start + 4, "Gaza", sentence, place=gaza)
    unresolved = Mention(0, 8, "Shelling", sentence)
    assert Prediction.coerce(resolved) == Prediction(start, start + 4, *GAZA)
    scores = scored(document, [resolved, unresolved])
    assert scores.exact.precision == 0.5 and scores.resolution.acc161 == 1.0


def test_oracle_scores_resolution_of_the_gold_spans():
    text = "Gaza, Damascus and the Midwest"
    document = gold_doc(text, [("Gaza", GAZA), ("Damascus", DAMASCUS), ("Midwest", None)])
    seen_spans = []

    def resolve(doc, spans):
        seen_spans.append(spans)
        return [GAZA, None, (41.0, -93.0)]

    result = evaluate_oracle([document], resolve)
    assert seen_spans == [[(0, 4), (6, 14), (23, 30)]]
    assert result.overall.exact is None          # no recognition in oracle mode
    resolution = result.overall.resolution
    assert (resolution.n_gold_with_coordinates, resolution.n_scored) == (2, 1)
    assert resolution.coverage == 0.5 and resolution.acc161 == 1.0 and resolution.acc161_all == 0.5
    assert "ex F1" not in result.format_table()

    with pytest.raises(EvaluationError, match="2 results for 3 gold spans"):
        evaluate_oracle([document], lambda doc, spans: [GAZA, None])


def test_evaluation_error_is_a_geomap_error_importable_from_its_old_places():
    import geomap.errors
    import geomap.evaluation.metrics

    assert EvaluationError is geomap.errors.EvaluationError is geomap.evaluation.metrics.EvaluationError
    assert issubclass(EvaluationError, geomap.errors.GeomapError) and issubclass(EvaluationError, ValueError)


# --------------------------------------------------------------------------- gold files

@pytest.mark.parametrize("name", sorted(DEV_DOCUMENT_COUNTS))
def test_dev_files_read_with_consistent_offsets(name):
    documents = read_gold(require_shared(f"eval/dev/{name}"))
    assert len(documents) == DEV_DOCUMENT_COUNTS[name]
    assert all(doc.text[t.start:t.end] == t.surface for doc in documents for t in doc.toponyms)
    assert sum(len(doc.toponyms) for doc in documents) > 0
    assert len({doc.id for doc in documents}) == len(documents)


def test_gold_against_itself_is_perfect():
    documents = [doc for name in sorted(DEV_DOCUMENT_COUNTS) for doc in read_gold(require_shared(f"eval/dev/{name}"))]

    def predict_gold(doc):
        return [Prediction(t.start, t.end, t.lat, t.lon) for t in doc.toponyms]

    result = evaluate(documents, predict_gold)
    assert set(result.corpora) == {"lgl", "gwn", "trnews", "geovirus", "wiktor", "seed"}
    for scores in [*result.corpora.values(), result.overall]:
        assert scores.exact.f1 == 1.0 and scores.overlap.f1 == 1.0
        assert scores.resolution.acc161 == 1.0 and scores.resolution.acc161_all == 1.0
        assert scores.resolution.auc == 0.0 and scores.resolution.coverage == 1.0
    # seed.jsonl: 115 toponyms, one without coordinates.
    assert result.corpora["seed"].exact.n_gold == 115
    assert result.corpora["seed"].resolution.n_gold_with_coordinates == 114


def test_reader_reports_missing_files_and_bad_lines(tmp_path):
    with pytest.raises(InputError, match="gold file not found"):
        read_gold(tmp_path / "nope.jsonl")

    good = {"id": "x1", "corpus": "x", "text": "Gaza",
            "toponyms": [{"start": 0, "end": 4, "surface": "Gaza", "lat": GAZA[0], "lon": GAZA[1]}]}
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(good) + "\n\n" + '{"id": "x2", "text": ' + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"x\.jsonl, line 3: not valid JSON"):
        read_gold(path)
    assert [doc.id for doc in read_gold(path, limit=1)] == ["x1"]

    shifted = dict(good, toponyms=[dict(good["toponyms"][0], start=1, end=4)])
    path.write_text(json.dumps(shifted) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 1, toponym 1: text\[1:4\] is 'aza', not the surface 'Gaza'"):
        read_gold(path)

    no_corpus = {key: value for key, value in good.items() if key != "corpus"}
    path.write_text(json.dumps(no_corpus) + "\n", encoding="utf-8")
    assert read_gold(path)[0].corpus == "x"     # named after the file


def test_eval_command_reports_input_errors(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["eval", str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 1 and "gold file not found" in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = runner.invoke(main, ["eval", str(bad), "--model", "none"])
    assert result.exit_code == 1 and "line 1: not valid JSON" in result.output


def test_eval_command_scores_the_parser_the_same_with_workers():
    runner = CliRunner()
    files = [str(require_shared("eval/dev/seed.jsonl")), str(require_shared("eval/dev/lgl.dev.jsonl"))]
    args = ["eval", *files, "--limit", "3", "--model", "none", "--json"]
    single = runner.invoke(main, args)
    assert single.exit_code == 0, single.output
    report = json.loads(single.stdout)   # stderr may carry gazetteer build messages
    assert report["mode"] == "end-to-end" and list(report["corpora"]) == ["seed", "lgl"]
    assert report["corpora"]["seed"]["exact"]["n_gold"] == 115
    assert report["overall"]["n_documents"] == 4
    overall = report["overall"]
    for value in (overall["exact"]["f1"], overall["overlap"]["f1"], overall["resolution"]["acc161_all"]):
        assert 0.0 < value <= 1.0
    # Overlap matching can only find more than exact matching.
    assert overall["overlap"]["n_matched"] >= overall["exact"]["n_matched"]

    pooled = runner.invoke(main, [*args, "--workers", "2"])
    assert pooled.exit_code == 0, pooled.output
    assert json.loads(pooled.stdout) == report


def test_eval_command_oracle_table():
    seed = require_shared("eval/dev/seed.jsonl")
    result = CliRunner().invoke(main, ["eval", str(seed), "--oracle", "--model", "none"])
    assert result.exit_code == 0, result.output
    header, _, row, note = result.stdout.splitlines()
    assert header.split()[:3] == ["corpus", "docs", "geo"] and "ex F1" not in header
    assert row.split()[:3] == ["seed", "1", "114"]
    assert note.startswith("oracle:")


def test_eval_command_follows_each_corpus_demonym_convention():
    # TR-News annotates demonyms ("Canadian"): auto counts them there, as --demonyms yes does
    runner = CliRunner()
    args = ["eval", str(require_shared("eval/dev/trnews.dev.jsonl")), "--limit", "20", "--json"]
    reports = {}
    for choice in ("auto", "yes", "no"):
        result = runner.invoke(main, [*args, "--demonyms", choice])
        assert result.exit_code == 0, result.output
        reports[choice] = json.loads(result.stdout)
    assert reports["auto"]["demonyms"] == "auto"
    assert reports["auto"]["overall"]["exact"] == reports["yes"]["overall"]["exact"]
    assert reports["yes"]["overall"]["exact"]["recall"] > reports["no"]["overall"]["exact"]["recall"]

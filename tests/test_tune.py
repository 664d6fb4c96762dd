"""How a weight change is justified: bootstrap intervals, paired differences and cross-validation
(geomap/evaluation/resampling.py), and benchmarks/tune.py that reports them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import require_shared
from geomap.evaluation import read_gold, resampling, score_document

REPO = Path(__file__).resolve().parents[1]
SHARED_DEV = REPO.parent / "shared" / "eval" / "dev"


def needs_shared() -> None:
    """Skip (fail under CI) when ../shared/eval/dev is missing."""
    require_shared("eval/dev/seed.jsonl")


def test_the_bootstrap_interval_holds_the_estimate_and_narrows_with_more_documents():
    rng = np.random.default_rng(3)
    few = rng.integers(0, 2, 20)
    many = rng.integers(0, 2, 2000)
    small = resampling.bootstrap_ratio(few, np.ones(20))
    large = resampling.bootstrap_ratio(many, np.ones(2000))
    assert small.low <= small.estimate <= small.high
    assert small.estimate == pytest.approx(few.mean())
    assert (large.high - large.low) < (small.high - small.low) / 4


def test_the_ratio_is_of_summed_counts_not_a_mean_of_ratios():
    # one long document of 9 toponyms, 9 right; one short one of 1, wrong: 9/10, not (1 + 0) / 2
    assert resampling.bootstrap_ratio([9, 0], [9, 1]).estimate == pytest.approx(0.9)


def test_a_paired_difference_of_equal_scores_is_noise():
    num = np.random.default_rng(1).integers(0, 5, 50)
    diff = resampling.paired_difference(num, np.full(50, 5), num, np.full(50, 5))
    assert (diff.estimate, diff.low, diff.high) == (0.0, 0.0, 0.0) and diff.holds_zero


def test_a_gain_on_most_documents_is_no_noise_and_one_documents_gain_is():
    base = np.zeros(60)
    everywhere = resampling.paired_difference(np.ones(60), np.ones(60), base, np.ones(60))
    assert not everywhere.holds_zero and everywhere.estimate == 1.0
    one = base.copy()
    one[7] = 1
    assert resampling.paired_difference(one, np.ones(60), base, np.ones(60)).holds_zero


def test_stratified_resamples_keep_each_corpus_size():
    strata = ["lgl"] * 3 + ["gwn"] * 7
    rows = resampling.resample_indexes(10, strata=strata, resamples=200, seed=2)
    labels = np.asarray(strata)[rows]
    assert ((labels == "lgl").sum(axis=1) == 3).all()


def test_folds_cover_every_document_once():
    folds = resampling.document_folds(23, 5, seed=4)
    assert len(folds) == 5
    assert sorted(np.concatenate(folds).tolist()) == list(range(23))
    assert [f.tolist() for f in resampling.group_folds(["a", "b", "a", "c"])] == [[0, 2], [1], [3]]


def test_cross_validation_scores_each_fold_with_what_the_others_chose():
    # candidate 1 is better on documents 0-5, candidate 0 on 6-7: folds by document choose 1 for the
    # folds whose training part is mostly 0-5
    num = np.array([[0, 0, 0, 0, 0, 0, 1, 1], [1, 1, 1, 1, 1, 1, 0, 0]])
    den = np.ones_like(num)
    chosen, choices = resampling.cross_validate(num, den, [np.arange(0, 4), np.arange(4, 8)])
    assert choices == [0, 1]   # without 0-3 a tie (2 of 4 each): the one in use stays; without 4-7, 1 wins
    assert chosen.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    # on a tie the configuration in use stays
    assert resampling.cross_validate(np.ones((3, 4)), np.ones((3, 4)), [np.arange(4)], prefer=2)[1] == [2]


def test_ratio_counts_read_the_metrics_own_counts():
    needs_shared()
    doc = read_gold(SHARED_DEV / "seed.jsonl")[0]
    result = score_document(doc, [{"start": t.start, "end": t.end, "lat": t.lat, "lon": t.lon}
                                  for t in doc.toponyms[:10]])
    num, den = resampling.ratio_counts([result], "acc161_all")
    assert num[0] / den[0] == pytest.approx(result.scores.resolution.acc161_all)
    num, den = resampling.ratio_counts([result], "f1")
    assert num[0] / den[0] == pytest.approx(result.scores.exact.f1)


def test_tune_script_reports_a_grid_with_intervals_and_a_verdict():
    needs_shared()
    run = subprocess.run([sys.executable, str(REPO / "benchmarks" / "tune.py"), "--corpus", "geovirus",
                          "--corpus", "trnews", "--limit", "3", "--grid", "W_LIST=0.3,0.45", "--resamples", "100"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "5-fold cross-validation by document: held-out scores; chosen per fold: w_list=" in out
    assert "leave one corpus out" in out
    for line in ("geovirus", "trnews", "overall"):
        row = next(r for r in out.splitlines() if r.startswith(line) and "[" in r)
        assert row.split()[-1] in ("noise", "gain", "loss")


def test_tune_script_names_the_weights_when_one_is_unknown():
    run = subprocess.run([sys.executable, str(REPO / "benchmarks" / "tune.py"), "--set", "W_LISTS=0.5"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    assert "no weight is called 'W_LISTS'" in run.stderr and "w_list" in run.stderr

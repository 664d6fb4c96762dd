"""How sure a score is: bootstrap intervals over documents, paired differences, and cross-validation folds.

The corpus scores of :mod:`geomap.evaluation.metrics` are ratios of counts summed over documents
(micro-averages: acc161_all is the toponyms placed within 161 km over the gold toponyms with coordinates,
F1 twice the matches over gold plus predicted). Here a score is given as each document's numerator and
denominator (:func:`ratio_counts` reads them from the metrics' results), and resampling the documents says
how much the ratio could move with other documents of the same kind: a 95% interval. Two configurations
scored on the same documents are compared by resampling the documents once for both (a paired bootstrap):
when the interval of the difference holds 0, the difference is noise.

Used by ``benchmarks/tune.py``, which justifies a change of the weights in :mod:`geomap.text.weights`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

#: What a metric is made of, per document: (numerator, denominator).
RATIOS: dict[str, Callable] = {
    "acc161_all": lambda s: (s.resolution.n_within_161, s.resolution.n_gold_with_coordinates),
    "f1": lambda s: (2 * s.exact.n_matched, s.exact.n_gold + s.exact.n_predicted),
}


@dataclass(frozen=True, slots=True)
class Interval:
    """A score and its bootstrap interval (``low``, ``high``); ``estimate`` is the score on all documents."""

    estimate: float
    low: float
    high: float

    @property
    def holds_zero(self) -> bool:
        """Whether 0 lies in the interval: for a difference, noise."""
        return self.low <= 0.0 <= self.high


def ratio_counts(results: Sequence, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """The per-document (numerators, denominators) of ``metric`` ("acc161_all" or "f1") from
    :class:`~geomap.evaluation.metrics.DocumentResult` objects.

    >>> from geomap.evaluation.metrics import DocumentResult, RecognitionCounts, ResolutionCounts, Scores
    >>> doc = DocumentResult("d", "c", Scores(1, ResolutionCounts(4, (1.0, 500.0)), RecognitionCounts(4, 2, 2),
    ...                      RecognitionCounts(4, 2, 2)), ())
    >>> ratio_counts([doc], "acc161_all"), ratio_counts([doc], "f1")
    ((array([1.]), array([4.])), (array([4.]), array([6.])))
    """
    pairs = np.array([RATIOS[metric](r.scores) for r in results], dtype=float).reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Sum over the last axis, then divide (0 where nothing was counted)."""
    total = den.sum(axis=-1)
    return np.divide(num.sum(axis=-1), total, out=np.zeros_like(total, dtype=float), where=total > 0)


def resample_indexes(n: int, *, strata: Sequence | None = None, resamples: int = 1000,
                     seed: int = 0) -> np.ndarray:
    """``resamples`` rows of ``n`` document indexes drawn with replacement; within each stratum (corpus) when
    ``strata`` are given, so that every resample keeps the corpora's sizes.

    >>> resample_indexes(4, strata=["a", "a", "b", "b"], resamples=2, seed=1).shape
    (2, 4)
    """
    rng = np.random.default_rng(seed)
    if strata is None:
        return rng.integers(0, n, size=(resamples, n))
    labels = np.asarray(strata)
    columns = []
    for label in dict.fromkeys(labels.tolist()):
        members = np.flatnonzero(labels == label)
        columns.append(members[rng.integers(0, len(members), size=(resamples, len(members)))])
    return np.concatenate(columns, axis=1)


def bootstrap_ratio(num, den, *, strata: Sequence | None = None, resamples: int = 1000, seed: int = 0,
                    level: float = 0.95) -> Interval:
    """The ratio of summed counts and its percentile bootstrap interval over documents.

    >>> bootstrap_ratio([1, 1, 0, 1], [1, 1, 1, 1]).estimate
    0.75
    """
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    rows = resample_indexes(len(num), strata=strata, resamples=resamples, seed=seed)
    return _interval(_ratio(num, den), _ratio(num[rows], den[rows]), level)


def paired_difference(num_a, den_a, num_b, den_b, *, strata: Sequence | None = None, resamples: int = 1000,
                      seed: int = 0, level: float = 0.95) -> Interval:
    """Ratio a minus ratio b, the two scored on the same documents, with the paired bootstrap interval
    (each resample draws the same documents for both).

    >>> d = paired_difference([1, 1, 1, 0], [1, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 1])
    >>> d.estimate, d.low <= d.estimate <= d.high
    (0.25, True)
    """
    a = [np.asarray(x, dtype=float) for x in (num_a, den_a)]
    b = [np.asarray(x, dtype=float) for x in (num_b, den_b)]
    rows = resample_indexes(len(a[0]), strata=strata, resamples=resamples, seed=seed)
    observed = _ratio(*a) - _ratio(*b)
    resampled = _ratio(a[0][rows], a[1][rows]) - _ratio(b[0][rows], b[1][rows])
    return _interval(observed, resampled, level)


def _interval(observed, resampled: np.ndarray, level: float) -> Interval:
    low, high = np.quantile(resampled, [(1 - level) / 2, (1 + level) / 2])
    return Interval(float(observed), float(low), float(high))


def document_folds(n: int, k: int = 5, *, seed: int = 0) -> list[np.ndarray]:
    """``k`` folds of document indexes (shuffled with ``seed``), every document in exactly one.

    >>> sorted(int(i) for fold in document_folds(7, 3) for i in fold)
    [0, 1, 2, 3, 4, 5, 6]
    """
    order = np.random.default_rng(seed).permutation(n)
    return [np.sort(fold) for fold in np.array_split(order, min(k, n)) if len(fold)]


def group_folds(groups: Sequence) -> list[np.ndarray]:
    """One fold per group (leave one corpus out): the indexes of that group's documents.

    >>> [f.tolist() for f in group_folds(["lgl", "gwn", "lgl"])]
    [[0, 2], [1]]
    """
    labels = np.asarray(groups)
    return [np.flatnonzero(labels == label) for label in dict.fromkeys(labels.tolist())]


def cross_validate(num: np.ndarray, den: np.ndarray, folds: list[np.ndarray], *,
                   prefer: int = 0) -> tuple[np.ndarray, list[int]]:
    """Held-out choice among candidate configurations.

    ``num`` and ``den`` are (candidates x documents) counts of the metric that chooses. For each fold, the
    candidate with the best ratio on the other folds' documents is the fold's choice; on a tie, ``prefer``
    (the configuration in use: a change that gains nothing is not made) if it is among the best, else the
    first. Returns, per document, the candidate chosen without it, and the choice of each fold.

    >>> num = np.array([[1, 1, 0, 0], [0, 0, 1, 1]]); den = np.ones((2, 4))
    >>> cross_validate(num, den, [np.array([0, 1]), np.array([2, 3])])
    (array([1, 1, 0, 0]), [1, 0])
    >>> cross_validate(np.ones((2, 4)), den, [np.array([0, 1]), np.array([2, 3])], prefer=1)[1]
    [1, 1]
    """
    chosen = np.zeros(num.shape[1], dtype=int)
    choices = []
    for fold in folds:
        train = np.setdiff1d(np.arange(num.shape[1]), fold)
        scores = _ratio(num[:, train], den[:, train]) if len(train) else np.zeros(num.shape[0])
        best = prefer if scores[prefer] == scores.max() else int(np.argmax(scores))
        chosen[fold] = best
        choices.append(best)
    return chosen, choices

"""Geoparsing metrics: toponym recognition and resolution against gold documents.

The definitions are those of ``../shared/eval/README.md`` (the ones the
literature uses):

* **Recognition** -- precision, recall and F1 of predicted mentions against gold
  toponyms, matched one-to-one. *Exact*: identical ``(start, end)``.
  *Overlap*: the spans share at least one character; exact pairs are taken
  first, then the remaining overlapping pairs greedily (see
  :func:`match_overlap` for the tie-breaking).
* **Resolution** -- over gold toponyms with coordinates that were matched by a
  prediction with coordinates; the error is the great-circle distance
  (haversine, sphere of radius :data:`EARTH_RADIUS_KM`): ``acc161`` (share with
  error < 161 km), mean and median error, ``AUC`` (mean of
  ``ln(1 + error) / ln(20039)``; 0 is perfect) and ``coverage`` (scored /
  gold with coordinates).
* **acc161_all** -- found *and* within 161 km, over all gold toponyms with
  coordinates: misses count as wrong. The headline figure.

Counts are kept per document and summed (micro-averaged) per corpus and overall;
resolution errors are pooled. Everything here is a pure function of the gold and
the predictions: the system under test is passed in as a function
(:func:`evaluate`, :func:`evaluate_oracle`), or its outputs are scored directly
(:func:`score_predictions`, :func:`score_oracle`).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from gazetteer.core import EARTH_RADIUS_KM, haversine_km  # noqa: F401 (EARTH_RADIUS_KM: geomap.evaluation exports it)
from geomap.errors import EvaluationError
from geomap.evaluation.corpus import GoldDocument

#: Mean Earth radius (IUGG), km: the sphere of the great-circle errors.
#: The error (km) below which a toponym counts as correctly placed (100 miles).
ACC_THRESHOLD_KM = 161.0
#: The normaliser of the AUC: ln(1 + error) / ln(MAX_ERROR_KM) (Gritta et al. 2018).
MAX_ERROR_KM = 20039.0

MatchMode = Literal["exact", "overlap"]
Coordinates = tuple[float, float]


# --------------------------------------------------------------------------- predictions

@dataclass(frozen=True, slots=True)
class Prediction:
    """A predicted mention: a span and, when the system placed it, coordinates."""

    start: int
    end: int
    lat: float | None = None
    lon: float | None = None

    @property
    def coordinates(self) -> Coordinates | None:
        return None if self.lat is None or self.lon is None else (self.lat, self.lon)

    @classmethod
    def coerce(cls, value: object) -> Prediction:
        """Make a :class:`Prediction` of a mapping or an object with ``start``/``end``.

        Coordinates are read from ``lat``/``lon`` (a ``geomap parse`` record, a
        :class:`Prediction`) or from ``place.lat``/``place.lon`` (a
        :class:`geomap.model.Mention`; ``place`` None means unresolved).

        Raises
        ------
        EvaluationError
            When the value has no integer ``start``/``end``.
        """
        if isinstance(value, Prediction):
            return value
        get = value.get if isinstance(value, Mapping) else (lambda key: getattr(value, key, None))
        start, end = get("start"), get("end")
        if not (isinstance(start, int) and isinstance(end, int)):
            raise EvaluationError(f"a predicted mention needs integer start and end, got {value!r}")
        if isinstance(value, Mapping) or not hasattr(value, "place"):
            lat, lon = get("lat"), get("lon")
        else:
            place = value.place
            lat, lon = (None, None) if place is None else (place.lat, place.lon)
        return cls(start, end, lat, lon)


#: Great-circle distance in km between two WGS84 points (haversine, :data:`EARTH_RADIUS_KM`): the gazetteer's.
great_circle_km = haversine_km


# --------------------------------------------------------------------------- matching

def match_exact(gold: Sequence, predicted: Sequence) -> dict[int, int]:
    """Pair gold and predicted spans with identical ``(start, end)``, one-to-one.

    Parameters
    ----------
    gold, predicted : sequences of objects with ``start`` and ``end``

    Returns
    -------
    dict
        gold index -> predicted index. When several predictions share a span,
        the first one (in the given order) is matched and the others are false
        positives.
    """
    unused: dict[tuple[int, int], list[int]] = {}
    for p_index, p in enumerate(predicted):
        unused.setdefault((p.start, p.end), []).append(p_index)
    pairs = {}
    for g_index, g in enumerate(gold):
        queue = unused.get((g.start, g.end))
        if queue:
            pairs[g_index] = queue.pop(0)
    return pairs


def match_overlap(gold: Sequence, predicted: Sequence) -> dict[int, int]:
    """Pair gold and predicted spans that share at least one character, one-to-one.

    Exact pairs (:func:`match_exact`) are taken first. The remaining
    overlapping pairs are then taken greedily in this order (ties broken by the
    next key):

    1. most characters shared;
    2. closest boundaries (``|start - start'| + |end - end'|``);
    3. earliest gold span, then earliest predicted span (text order, then
       the given order).

    So "Gaza" predicted inside the gold "Gaza Strip" and "Gaza City" goes to the
    span it shares more characters with, and a prediction covering two gold
    toponyms matches only one of them.

    Returns
    -------
    dict
        gold index -> predicted index.
    """
    pairs = match_exact(gold, predicted)
    used_predictions = set(pairs.values())
    candidates = []
    for g_index, g in enumerate(gold):
        if g_index in pairs:
            continue
        for p_index, p in enumerate(predicted):
            if p_index in used_predictions:
                continue
            shared = min(g.end, p.end) - max(g.start, p.start)
            if shared > 0:
                boundary_distance = abs(g.start - p.start) + abs(g.end - p.end)
                candidates.append((-shared, boundary_distance, g.start, g.end, g_index, p.start, p.end, p_index))
    candidates.sort()
    for *_, g_index, _, _, p_index in candidates:
        if g_index not in pairs and p_index not in used_predictions:
            pairs[g_index] = p_index
            used_predictions.add(p_index)
    return pairs


MATCHERS: dict[str, Callable[[Sequence, Sequence], dict[int, int]]] = {
    "exact": match_exact,
    "overlap": match_overlap,
}


# --------------------------------------------------------------------------- counts

def _ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None when undefined (0 / 0 and the like)."""
    return numerator / denominator if denominator else None


@dataclass(frozen=True, slots=True)
class RecognitionCounts:
    """Counts of one recognition matching; ratios are None when undefined."""

    n_gold: int = 0
    n_predicted: int = 0
    n_matched: int = 0

    @property
    def precision(self) -> float | None:
        return _ratio(self.n_matched, self.n_predicted)

    @property
    def recall(self) -> float | None:
        return _ratio(self.n_matched, self.n_gold)

    @property
    def f1(self) -> float | None:
        # 2PR / (P + R) written on counts, so it is defined (0) when nothing is predicted.
        return _ratio(2 * self.n_matched, self.n_gold + self.n_predicted)

    @classmethod
    def combine(cls, counts: Iterable[RecognitionCounts]) -> RecognitionCounts:
        """Micro-average: the sum of the counts."""
        counts = list(counts)
        return cls(sum(c.n_gold for c in counts), sum(c.n_predicted for c in counts),
                   sum(c.n_matched for c in counts))

    def to_dict(self) -> dict:
        return {"n_gold": self.n_gold, "n_predicted": self.n_predicted, "n_matched": self.n_matched,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True, slots=True)
class ResolutionCounts:
    """The resolution errors of the scored toponyms, out of the gold toponyms with coordinates."""

    n_gold_with_coordinates: int = 0
    errors_km: tuple[float, ...] = ()

    @property
    def n_scored(self) -> int:
        return len(self.errors_km)

    @property
    def n_within_161(self) -> int:
        return sum(1 for e in self.errors_km if e < ACC_THRESHOLD_KM)

    @property
    def acc161(self) -> float | None:
        return _ratio(self.n_within_161, self.n_scored)

    @property
    def mean_km(self) -> float | None:
        return statistics.fmean(self.errors_km) if self.errors_km else None

    @property
    def median_km(self) -> float | None:
        return statistics.median(self.errors_km) if self.errors_km else None

    @property
    def auc(self) -> float | None:
        if not self.errors_km:
            return None
        return statistics.fmean(math.log1p(e) for e in self.errors_km) / math.log(MAX_ERROR_KM)

    @property
    def coverage(self) -> float | None:
        return _ratio(self.n_scored, self.n_gold_with_coordinates)

    @property
    def acc161_all(self) -> float | None:
        return _ratio(self.n_within_161, self.n_gold_with_coordinates)

    @classmethod
    def combine(cls, counts: Iterable[ResolutionCounts]) -> ResolutionCounts:
        """Pool the errors and sum the gold counts."""
        counts = list(counts)
        return cls(sum(c.n_gold_with_coordinates for c in counts),
                   tuple(e for c in counts for e in c.errors_km))

    def to_dict(self) -> dict:
        return {"n_gold_with_coordinates": self.n_gold_with_coordinates, "n_scored": self.n_scored,
                "n_within_161": self.n_within_161, "acc161": self.acc161, "mean_km": self.mean_km,
                "median_km": self.median_km, "auc": self.auc, "coverage": self.coverage,
                "acc161_all": self.acc161_all}


@dataclass(frozen=True, slots=True)
class Scores:
    """Recognition and resolution scores of a document, a corpus or everything.

    ``exact`` and ``overlap`` are None in oracle mode (the spans are given).
    """

    n_documents: int
    resolution: ResolutionCounts
    exact: RecognitionCounts | None = None
    overlap: RecognitionCounts | None = None

    @classmethod
    def combine(cls, scores: Iterable[Scores]) -> Scores:
        """Micro-average several scores (summed counts, pooled errors)."""
        scores = list(scores)
        oracle = any(s.exact is None for s in scores)
        return cls(
            n_documents=sum(s.n_documents for s in scores),
            resolution=ResolutionCounts.combine(s.resolution for s in scores),
            exact=None if oracle else RecognitionCounts.combine(s.exact for s in scores),
            overlap=None if oracle else RecognitionCounts.combine(s.overlap for s in scores),
        )

    def to_dict(self) -> dict:
        d = {"n_documents": self.n_documents}
        if self.exact is not None:
            d["exact"] = self.exact.to_dict()
            d["overlap"] = self.overlap.to_dict()
        d["resolution"] = self.resolution.to_dict()
        return d


# --------------------------------------------------------------------------- results

@dataclass(frozen=True, slots=True)
class ToponymOutcome:
    """What happened to one gold toponym.

    ``matched``: a prediction was matched to it (in oracle mode: the resolver
    placed it). ``error_km``: the resolution error, None when it was not scored
    (not matched, or no coordinates on either side).
    """

    start: int
    end: int
    surface: str
    matched: bool
    error_km: float | None

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "surface": self.surface, "matched": self.matched,
                "error_km": self.error_km}


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """The scores of one document, with the outcome of each gold toponym for error analysis.

    ``unmatched_predictions`` are the false positives (start, end) under the
    matching used for resolution.
    """

    id: str
    corpus: str
    scores: Scores
    toponyms: tuple[ToponymOutcome, ...]
    unmatched_predictions: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict:
        return {"id": self.id, "corpus": self.corpus, **self.scores.to_dict(),
                "toponyms": [t.to_dict() for t in self.toponyms],
                "unmatched_predictions": [list(span) for span in self.unmatched_predictions]}


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    """Per-document, per-corpus (in order of first appearance) and overall scores.

    ``mode`` is ``"end-to-end"`` or ``"oracle"``; ``match`` is the span
    matching used to pair toponyms for resolution (``"exact"`` or ``"overlap"``).
    """

    mode: str
    match: str
    documents: tuple[DocumentResult, ...]
    corpora: dict[str, Scores] = field(default_factory=dict)
    overall: Scores = field(default_factory=lambda: Scores(0, ResolutionCounts()))

    @classmethod
    def from_documents(cls, documents: Iterable[DocumentResult], *, mode: str, match: str) -> EvaluationResult:
        """Aggregate document results per corpus and overall (micro-averages)."""
        documents = tuple(documents)
        by_corpus: dict[str, list[Scores]] = {}
        for document in documents:
            by_corpus.setdefault(document.corpus, []).append(document.scores)
        corpora = {corpus: Scores.combine(scores) for corpus, scores in by_corpus.items()}
        overall = Scores.combine(corpora.values()) if corpora else Scores(0, ResolutionCounts())
        return cls(mode=mode, match=match, documents=documents, corpora=corpora, overall=overall)

    def to_dict(self, *, documents: bool = False) -> dict:
        """A JSON-ready dict; with ``documents=True`` it also holds every document's outcomes."""
        d = {"mode": self.mode, "match": self.match,
             "corpora": {name: scores.to_dict() for name, scores in self.corpora.items()},
             "overall": self.overall.to_dict()}
        if documents:
            d["documents"] = [doc.to_dict() for doc in self.documents]
        return d

    def format_table(self) -> str:
        """A plain-text table, one row per corpus and one overall (see :func:`format_table`)."""
        return format_table(self)


# --------------------------------------------------------------------------- scoring

def score_document(document: GoldDocument, predictions: Iterable, *, match: MatchMode = "exact") -> DocumentResult:
    """Score the predicted mentions of one document.

    Parameters
    ----------
    document : GoldDocument
    predictions : iterable
        Predicted mentions: mappings or objects with ``start``, ``end`` and
        ``lat``/``lon`` (or a ``place``), see :meth:`Prediction.coerce`.
    match : {"exact", "overlap"}
        The matching that pairs toponyms for resolution. Recognition is always
        reported under both.

    Returns
    -------
    DocumentResult
    """
    if match not in MATCHERS:
        raise ValueError(f"match must be one of {', '.join(MATCHERS)}, not {match!r}")
    predicted = [Prediction.coerce(p) for p in predictions]
    gold = document.toponyms
    pairs_by_mode = {mode: matcher(gold, predicted) for mode, matcher in MATCHERS.items()}
    recognition = {mode: RecognitionCounts(len(gold), len(predicted), len(pairs))
                   for mode, pairs in pairs_by_mode.items()}
    pairs = pairs_by_mode[match]
    placed = {g_index: predicted[p_index].coordinates for g_index, p_index in pairs.items()}
    resolution, outcomes = _score_resolution(document, placed)
    used = set(pairs.values())
    unmatched = tuple((p.start, p.end) for i, p in enumerate(predicted) if i not in used)
    scores = Scores(1, resolution, exact=recognition["exact"], overlap=recognition["overlap"])
    return DocumentResult(document.id, document.corpus, scores, outcomes, unmatched)


def score_oracle_document(document: GoldDocument, coordinates: Sequence) -> DocumentResult:
    """Score a resolver given the gold spans of one document.

    Parameters
    ----------
    document : GoldDocument
    coordinates : sequence
        One item per gold toponym, in the order of ``document.toponyms``:
        ``(lat, lon)`` or None when the resolver could not place it.

    Raises
    ------
    EvaluationError
        When the number of items is not the number of gold toponyms.
    """
    coordinates = list(coordinates)
    if len(coordinates) != len(document.toponyms):
        raise EvaluationError(f"document {document.id!r}: the resolver returned {len(coordinates)} results "
                              f"for {len(document.toponyms)} gold spans")
    placed = {}
    for g_index, value in enumerate(coordinates):
        point = _as_coordinates(value, document.id)
        if point is not None:
            placed[g_index] = point
    resolution, outcomes = _score_resolution(document, placed)
    return DocumentResult(document.id, document.corpus, Scores(1, resolution), outcomes)


def _as_coordinates(value: object, document_id: str) -> Coordinates | None:
    """A resolver's answer for one span as (lat, lon), or None when it placed nothing."""
    if value is None:
        return None
    try:
        lat, lon = value
    except (TypeError, ValueError):
        raise EvaluationError(f"document {document_id!r}: expected (lat, lon) or None per span, "
                              f"got {value!r}") from None
    return None if lat is None or lon is None else (float(lat), float(lon))


def _score_resolution(document: GoldDocument,
                      placed: Mapping[int, Coordinates | None]) -> tuple[ResolutionCounts, tuple[ToponymOutcome, ...]]:
    """Errors of the matched gold toponyms; ``placed`` maps gold index -> predicted coordinates or None."""
    errors = []
    outcomes = []
    for g_index, g in enumerate(document.toponyms):
        point = placed.get(g_index)
        error = None
        if g.has_coordinates and point is not None:
            error = great_circle_km(g.lat, g.lon, *point)
            errors.append(error)
        outcomes.append(ToponymOutcome(g.start, g.end, g.surface, g_index in placed, error))
    n_with_coordinates = sum(1 for g in document.toponyms if g.has_coordinates)
    return ResolutionCounts(n_with_coordinates, tuple(errors)), tuple(outcomes)


def score_predictions(pairs: Iterable[tuple[GoldDocument, Iterable]], *,
                      match: MatchMode = "exact") -> EvaluationResult:
    """Score end-to-end predictions given as ``(document, predicted mentions)`` pairs."""
    return EvaluationResult.from_documents((score_document(doc, predicted, match=match) for doc, predicted in pairs),
                                           mode="end-to-end", match=match)


def score_oracle(pairs: Iterable[tuple[GoldDocument, Sequence]]) -> EvaluationResult:
    """Score oracle resolutions given as ``(document, coordinates per gold span)`` pairs."""
    return EvaluationResult.from_documents((score_oracle_document(doc, coords) for doc, coords in pairs),
                                           mode="oracle", match="exact")


def evaluate(documents: Iterable[GoldDocument], predict: Callable[[GoldDocument], Iterable], *,
             match: MatchMode = "exact") -> EvaluationResult:
    """Evaluate a geoparser end to end.

    Parameters
    ----------
    documents : iterable of GoldDocument
    predict : callable
        ``predict(document)`` returns the predicted mentions of the document
        (see :func:`score_document`).
    match : {"exact", "overlap"}
        The matching used to pair toponyms for resolution.
    """
    return score_predictions(((doc, predict(doc)) for doc in documents), match=match)


def evaluate_oracle(documents: Iterable[GoldDocument],
                    resolve: Callable[[GoldDocument, list[tuple[int, int]]], Sequence]) -> EvaluationResult:
    """Evaluate resolution alone, given the gold spans.

    Parameters
    ----------
    documents : iterable of GoldDocument
    resolve : callable
        ``resolve(document, spans)`` with ``spans`` the ``(start, end)`` of every
        gold toponym returns, per span, ``(lat, lon)`` or None.
    """
    return score_oracle((doc, resolve(doc, doc.spans)) for doc in documents)


# --------------------------------------------------------------------------- table

def _number(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _recognition_column(kind: str, label: str, attr: str) -> tuple:
    """A table column showing one ratio of the ``kind`` ("exact" / "overlap") recognition counts."""
    return (f"{kind[:2]} {label}", 6, lambda s: _number(getattr(getattr(s, kind), attr), 3))


# (header, width, getter) of each column; getters take a Scores.
_NAME_COLUMN = ("corpus", 10)
_COUNT_COLUMNS = [("docs", 5, lambda s: str(s.n_documents))]
_RECOGNITION_COLUMNS = [("gold", 6, lambda s: str(s.exact.n_gold))] + [
    _recognition_column(kind, label, attr)
    for kind in ("exact", "overlap")
    for label, attr in (("P", "precision"), ("R", "recall"), ("F1", "f1"))
]
_RESOLUTION_COLUMNS = [
    ("geo", 6, lambda s: str(s.resolution.n_gold_with_coordinates)),
    ("acc161", 7, lambda s: _number(s.resolution.acc161, 3)),
    ("mean km", 8, lambda s: _number(s.resolution.mean_km, 0)),
    ("med km", 7, lambda s: _number(s.resolution.median_km, 0)),
    ("AUC", 6, lambda s: _number(s.resolution.auc, 3)),
    ("cover", 6, lambda s: _number(s.resolution.coverage, 3)),
    ("acc161_all", 10, lambda s: _number(s.resolution.acc161_all, 3)),
]


def format_table(result: EvaluationResult) -> str:
    """Format an :class:`EvaluationResult` as a plain-text table.

    One row per corpus, then ``overall`` when there are several corpora.
    Recognition columns (``gold`` count, ``ex``act and ``ov``erlap P/R/F1) are
    left out in oracle mode; undefined values show as ``-``.
    """
    columns = _COUNT_COLUMNS + ([] if result.mode == "oracle" else _RECOGNITION_COLUMNS) + _RESOLUTION_COLUMNS
    rows = list(result.corpora.items())
    if len(rows) != 1:
        rows.append(("overall", result.overall))
    name_width = max([_NAME_COLUMN[1]] + [len(name) for name, _ in rows])
    header = _NAME_COLUMN[0].ljust(name_width) + "".join(title.rjust(width + 1) for title, width, _ in columns)
    lines = [header, "-" * len(header)]
    for name, scores in rows:
        lines.append(name.ljust(name_width) + "".join(get(scores).rjust(width + 1) for _, width, get in columns))
    if result.mode == "oracle":
        legend = "geo = gold toponyms with coordinates; resolution given the gold spans"
    else:
        legend = (f"gold = gold toponyms, geo = those with coordinates; "
                  f"resolution over {result.match}-matched spans")
    note = f"{result.mode}: {legend}; acc161 = error < {ACC_THRESHOLD_KM:g} km"
    return "\n".join(lines + [note])

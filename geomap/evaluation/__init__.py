"""Evaluation of toponym recognition and resolution against gold corpora.

The metrics are those of ``../shared/eval/README.md``; see
:mod:`geomap.evaluation.metrics` for the definitions and
:mod:`geomap.evaluation.corpus` for the gold format.
"""

from geomap.evaluation.corpus import (
    DEMONYM_CORPORA,
    GoldDocument,
    GoldToponym,
    counts_demonyms,
    iter_gold,
    read_gold,
    read_gold_files,
)
from geomap.evaluation.metrics import (
    ACC_THRESHOLD_KM,
    EARTH_RADIUS_KM,
    MAX_ERROR_KM,
    DocumentResult,
    EvaluationError,
    EvaluationResult,
    Prediction,
    RecognitionCounts,
    ResolutionCounts,
    Scores,
    ToponymOutcome,
    evaluate,
    evaluate_oracle,
    format_table,
    great_circle_km,
    match_exact,
    match_overlap,
    score_document,
    score_oracle,
    score_oracle_document,
    score_predictions,
)

__all__ = [
    "ACC_THRESHOLD_KM", "EARTH_RADIUS_KM", "MAX_ERROR_KM",
    "DEMONYM_CORPORA", "GoldDocument", "GoldToponym", "counts_demonyms", "iter_gold", "read_gold",
    "read_gold_files",
    "DocumentResult", "EvaluationError", "EvaluationResult", "Prediction", "RecognitionCounts",
    "ResolutionCounts", "Scores", "ToponymOutcome",
    "evaluate", "evaluate_oracle", "format_table", "great_circle_km", "match_exact", "match_overlap",
    "score_document", "score_oracle", "score_oracle_document", "score_predictions",
]

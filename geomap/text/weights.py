"""The weights and thresholds of recognition and resolution, each with the reason for its value.

Every number that decides what is a place (:class:`RecognitionWeights`) and which place it is
(:class:`ResolutionWeights`) lives here, in one frozen :class:`EvidenceWeights` that is part of
:class:`geomap.pipeline.ParserConfig`. The evidence functions of :mod:`geomap.text.recognize` and
:mod:`geomap.text.resolve` read them from there, never from module globals; each field names the
function that weighs it, and ``tests/test_evidence.py`` tests that function. The reasons come from the
commits that set the values (``git log -S<old constant name> -- geomap/text``); figures are dev-corpus
scores before -> after. A change is justified with ``benchmarks/tune.py`` (see ``docs/accuracy.md``): a
gain inside its confidence interval is noise.

>>> weights = EvidenceWeights()
>>> weights.resolution.w_list, weights.recognition.common_word_zipf
(0.45, 4.0)
>>> weights.replace(w_list=0.6).resolution.w_list
0.6
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RecognitionWeights:
    """Thresholds that decide whether a span names a place (:mod:`geomap.text.recognize`).

    Prominence is the gazetteer's 0-1 score of how well known a place of that name is (countries and US
    states 0.66 and up); word frequencies are wordfreq's Zipf scale (:func:`geomap.text.word_frequency.word_zipf`:
    "the" 7.7, "Damascus" 3.6, a word it does not list 0).
    """

    #: ``one_sense_per_discourse``: below this prominence a gazetteer-only name the article mostly uses for
    #: a person (the model's PERSON entities outvote its place entities) is that person. Set with the first
    #: recognition filters (6cdf660).
    person_sense_prominence: float = 0.3
    #: ``is_person_surname``: below this prominence a gazetteer-only name the article uses as a surname
    #: ("Margaret Burley ... Burley said") is that person throughout, not Burley, Idaho (daa0711).
    surname_prominence: float = 0.6
    #: ``word_frequency_allows``: from this frequency a capitalised word is a common English word, a place
    #: only when it is prominent (:attr:`prominent`); also the bar under which a name the model calls a person
    #: may still be a place ("May", "Will" are common words; "Tamil Nadu" is not) (daa0711).
    common_word_zipf: float = 4.0
    #: ``word_frequency_allows``: from this frequency a capitalised word is as likely an ordinary word as a
    #: small place ("Meadow", "Abbey", "Licking"): it needs :attr:`uncommon_word_prominence` (daa0711).
    uncommon_word_zipf: float = 3.5
    #: ``word_frequency_allows``: words this frequent are pronouns, auxiliaries and the like ("We", "May",
    #: "Will"), never a place by themselves, whatever place shares their spelling (6cdf660).
    function_word_zipf: float = 5.8
    #: Below this frequency a word is no English word ("Sderot"; "Inca" is 3.0): ``model_label_allows`` lets a
    #: curated name the model calls an organisation, or a prominent one it calls a people, be a place only
    #: when it is this rare (Shire, the drug maker, is not the Tigray town: 3688a4c, f9bb4bf); and
    #: ``word_frequency_allows`` accepts a word this rare whatever its prominence.
    rare_word_zipf: float = 2.5
    #: ``unknown_entity_kept`` and ``word_frequency_allows``: a name whose last word is rarer than this is
    #: no English phrase ("Kfar Aza", "Ras Baalbek"): a model entity the gazetteer lacks is kept (reported
    #: unresolved) and a gazetteer phrase of several words is a place whatever its prominence (9820ec7).
    unknown_name_zipf: float = 3.0
    #: ``word_frequency_allows``: prominence from which a gazetteer-only name is a place even when it is a
    #: common word (US states are 0.66: "Georgia", "Washington") (9820ec7).
    prominent: float = 0.65
    #: A country-level name: ``word_frequency_allows`` accepts a common word opening a sentence only this
    #: prominent ("Jordan", not "Chase"), and ``model_label_allows`` a whole PERSON entity this prominent
    #: whatever its frequency (16c5e4a: sentence-initial country names and places tagged as persons).
    country_level_prominence: float = 0.9
    #: ``word_frequency_allows``: what an uncommon word (:attr:`uncommon_word_zipf`) needs (daa0711).
    uncommon_word_prominence: float = 0.5
    #: ``word_frequency_allows``: what a rare single word needs, unless it is no English word at all
    #: (:attr:`rare_word_zipf`) (9820ec7).
    rare_word_prominence: float = 0.35
    #: ``word_frequency_allows``: what a gazetteer phrase of several words needs, unless its last word is no
    #: English word (:attr:`unknown_name_zipf`) (9820ec7).
    multiword_prominence: float = 0.3
    #: ``model_label_allows``: the model calls some places persons, peoples or products ("Tamil Nadu",
    #: "close to Sderot", "Kaliningrad"): a whole entity that names a place this prominent, and no common word,
    #: is a place (16c5e4a, f9bb4bf).
    mislabelled_place_prominence: float = 0.5
    #: ``locative_place_allows``: a name after "in", "at", "near", "hit", "shelled"... is a place whatever
    #: label the model gave it when it is at least this prominent (and no common word): the model calls
    #: "Aleppo" a people or a language in such sentences (issue 22). ``benchmarks/tune.py --grid
    #: LOCATIVE_PROMINENCE=0.4,0.5,0.65`` chose 0.4 in every fold (overall acc161_all +0.001 [+0.000, +0.002],
    #: "gain"; each corpus alone noise; 0.65 the lowest).
    locative_prominence: float = 0.4
    #: ``model_label_allows``: a whole organisation entity that names a place this prominent is that place's
    #: institution and counts for it ("the Ohio Supreme Court" is in Ohio) (9820ec7).
    organisation_whole_prominence: float = 0.45
    #: ``model_label_allows``: the same for a place name inside an organisation's name (9820ec7).
    organisation_part_prominence: float = 0.3


@dataclass(frozen=True, slots=True)
class ResolutionWeights:
    """Weights of the evidence that ranks a name's candidates (:mod:`geomap.text.resolve`).

    A candidate's score is the sum of its evidence (see :meth:`geomap.text.resolve.Resolver.score`); the
    ``w_*`` fields are the weights of the terms. The first ones (prior, country, region, proximity, cue,
    label, exact) were set together in the first tuning on the dev corpora (9820ec7, 86a2eee) and carry no
    single measured effect: ``benchmarks/tune.py`` measures one.
    """

    #: ``prior_evidence``: the gazetteer's own ranking of the candidate (match quality, prominence,
    #: population, kind), the scale the other weights are measured against (9820ec7).
    w_prior: float = 1.0
    #: ``prior_evidence``: the name is written as the place's own (or curated) name, not an alternate,
    #: variant or typo (9820ec7).
    w_exact: float = 0.25
    #: ``country_share_evidence``: times the share of the article's reading in the candidate's country
    #: (9820ec7).
    w_country: float = 0.35
    #: ``region_share_evidence``: times the share of the article's reading in the candidate's first-level
    #: region (9820ec7; a name speaks for its region once however often it is said: 14fe75d, LGL acc161_all
    #: 0.729 -> 0.735).
    w_admin1: float = 0.25
    #: ``proximity_evidence``: with :attr:`near_saturation` of the article's other places within
    #: :attr:`near_km` (9820ec7).
    w_near: float = 0.25
    #: ``proximity_evidence``: how near the article's other places count (9820ec7).
    near_km: float = 400.0
    #: ``proximity_evidence``: the summed weight of nearby places from which proximity counts in full (three
    #: places read with full confidence) (9820ec7).
    near_saturation: float = 3.0
    #: ``cue_kind_evidence``, ``state_cue_evidence``, ``container_evidence``: a kind the words around the
    #: name call for ("Idlib province", "the port of Aqaba", "the state of Victoria", "a Delaware corporation":
    #: bef5782, TR-News acc161_all 0.773 -> 0.778; 7896094, GeoVirus 0.816 -> 0.818), the state of "Athens,
    #: Ga.", the Y of "X, Y" that contains the candidate (9820ec7).
    w_cue: float = 0.4
    #: ``cue_kind_evidence``, ``state_cue_evidence``: the share of :attr:`w_cue` a candidate of another kind
    #: or state loses (9820ec7).
    cue_mismatch: float = 0.5
    #: ``model_label_evidence``: the model's label fits the candidate's kind (GPE: a country or town, LOC: a
    #: region or water, FAC: a building); small, the model's labels are often wrong (9820ec7).
    w_label: float = 0.08
    #: ``country_name_evidence``: a country's own name, so that a bare "Jordan" among countries is the
    #: country and "China" among Texas towns still the country (40711c8).
    w_country_name: float = 0.25
    #: ``country_share_evidence``: a country named counts this many times a town of it for the article's
    #: countries (9820ec7).
    country_named_share: float = 1.5
    #: ``curated_no_country_evidence``: a curated name of a place of no country (the Atlantic, the Sahel)
    #: earns nothing from the article's countries, so a US town called Atlantic outscored the ocean in every
    #: US article (c624d14: GWN acc161 0.920 -> 0.927).
    w_curated_no_country: float = 0.45
    #: ``list_kind_evidence``: places listed together are of one kind: times the share of the list's other
    #: members read as the candidate's kind (71fe3cb: GeoVirus acc161 0.868 -> 0.881). At 0.3, with 30
    #: candidates a name, "Washington" among sixteen states read as Washington, New Jersey (075f518).
    w_list: float = 0.45
    #: ``kind_lists``: the share of a list's members first read as one kind that makes it a list of that
    #: kind ("Louisville and Lexington, Kentucky, Nashville, Tennessee" lists places with their states, not
    #: places of one kind) (71fe3cb).
    list_same_kind: float = 0.75
    #: ``colocation_evidence``: a candidate with places of the article's other names near it, times the
    #: number of such names (at most :attr:`colocated_max_names`): "Swansea" by "Pelion" is Swansea, South
    #: Carolina, "Edmonton" by "Tottenham" the one in north London (00d18df: LGL acc161 0.827 -> 0.846).
    #: 0.15 gains LGL more (0.863) but loses GWN and GeoVirus 2-4 places each.
    w_colocated: float = 0.1
    #: ``colocated_names``: how near another name's candidate must lie to speak for a candidate (a town's
    #: neighbours, not its region) (00d18df).
    colocated_km: float = 25.0
    #: ``colocation_evidence``: the most other names that count; more is no stronger evidence (00d18df).
    colocated_max_names: int = 2
    #: ``loose_reading_allowed``: how near the article's places a place read from a misspelling or
    #: transliteration variant must lie: a locality's reach ("Qatraneh" 35 km from Karak is Al Qatranah), not a
    #: region's ("Kiwanja" by Goma is not Kayanza, Burundi, 145 km off) (792f6ab; 3 of the 177 dev mentions
    #: read this way were the place meant).
    loose_near_km: float = 100.0
    #: ``article_regions``: the least a resolved mention counts for in what the article is about, however
    #: unsure its reading (18ae608).
    min_mention_weight: float = 0.2
    #: ``home_reading``: the home region counts as one mention of it read with this confidence. Alone it
    #: decides ("Arlington" in a Dallas paper is Arlington, Texas), and an article's own places outweigh it
    #: ("Paris" by "Lyon"). At 0.5 a bare "Paris" in a Dallas paper was Paris, Texas, and "London" in a
    #: Toronto one London, Ontario, by "the British government"; at 1.0 "London" in an Ohio paper was London,
    #: Ohio (18ae608).
    home_weight: float = 0.35
    #: ``Resolver.candidates_for``: how many places of a name the resolver weighs. A small town's namesakes
    #: are many (Windsor, Troy, Richland): at 12 the one in the state the article names was often not among
    #: them (075f518: WikToR acc161_all 0.555 -> 0.600 at 30, the same at 40 and 60; news corpora gained or
    #: held).
    candidates: int = 30
    #: ``reading_confidence``: the least confidence a resolved mention gets (9820ec7).
    min_confidence: float = 0.05
    #: ``reading_confidence``: the share of the top candidate's prior kept when its lead over the second is
    #: nil; the rest comes with the lead (9820ec7).
    confidence_base: float = 0.6
    #: ``reading_confidence``: the lead over the second candidate from which a reading is fully confident
    #: (9820ec7).
    confident_margin: float = 0.15
    #: ``reading_confidence``: the lead a lone candidate is taken to have (9820ec7).
    lone_candidate_margin: float = 0.5

    @property
    def w_contains(self) -> float:
        """``contents_evidence``: the Y of "X, Y" that has a place called X, more than a country's own name
        (:attr:`w_cue` + :attr:`w_country_name`), for "Athens, Georgia" is the state (the country has no
        Athens) (71fe3cb)."""
        return self.w_cue + self.w_country_name


@dataclass(frozen=True, slots=True)
class EvidenceWeights:
    """All the weights of recognition and resolution: the one set a :class:`~geomap.pipeline.Parser` uses."""

    recognition: RecognitionWeights = field(default_factory=RecognitionWeights)
    resolution: ResolutionWeights = field(default_factory=ResolutionWeights)

    def replace(self, **changes: float) -> EvidenceWeights:
        """A copy with some fields changed, by name, in either part (case-insensitive: ``W_LIST`` or
        ``w_list``).

        Raises
        ------
        KeyError
            For a name that is no field of either part (the message lists them).
        ValueError
            For a value that is no number of the field's type (``CANDIDATES=12.5``).

        >>> EvidenceWeights().replace(W_LIST=0.5, surname_prominence=0.7).recognition.surname_prominence
        0.7
        """
        parts = {"recognition": self.recognition, "resolution": self.resolution}
        updates: dict[str, dict[str, float]] = {name: {} for name in parts}
        for name, value in changes.items():
            part = next((p for p, obj in parts.items() if name.lower() in _field_names(obj)), None)
            if part is None:
                raise KeyError(f"no weight is called {name!r}; the weights are: {', '.join(weight_names())}")
            updates[part][name.lower()] = _typed(name, type(getattr(parts[part], name.lower())), value)
        return EvidenceWeights(*(dataclasses.replace(obj, **updates[p]) for p, obj in parts.items()))

    def changed(self) -> dict[str, float]:
        """The fields that differ from the defaults, by name.

        >>> EvidenceWeights().replace(home_weight=0.5).changed()
        {'home_weight': 0.5}
        """
        default = EvidenceWeights()
        return {name: getattr(part, name)
                for part, base in ((self.recognition, default.recognition), (self.resolution, default.resolution))
                for name in _field_names(part) if getattr(part, name) != getattr(base, name)}


def _typed(name: str, kind: type, value) -> float | int:
    """``value`` (a number or its text) as the field's type: a whole number for an int field."""
    try:
        number = float(value)
        if kind is int and not number.is_integer():
            raise ValueError
    except (TypeError, ValueError):
        raise ValueError(f"{name} takes {'a whole number' if kind is int else 'a number'}, not {value!r}") from None
    return kind(number)


def _field_names(obj) -> list[str]:
    return [f.name for f in dataclasses.fields(obj)]


def weight_names() -> list[str]:
    """Every weight's name, recognition's first.

    >>> "w_list" in weight_names() and "surname_prominence" in weight_names()
    True
    """
    return _field_names(RecognitionWeights) + _field_names(ResolutionWeights)

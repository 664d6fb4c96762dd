"""The evidence functions of recognition (geomap/text/recognize.py) and resolution (geomap/text/resolve.py).

One group of tests per function, in the order of the modules, each on sentences the team wrote. The weights the
functions read are those of geomap/text/weights.py; a test that moves a weight shows the decision it changes.
"""

from __future__ import annotations

from collections import Counter

import pytest

from gazetteer.database import CODE, CURATED, DEMONYM, PREFERRED
from gazetteer.place import Candidate, Place
from geomap.text import recognize as rec
from geomap.text import resolve as res
from geomap.text.recognize import Occupancy, Span
from geomap.text.weights import RecognitionWeights, ResolutionWeights

RW = RecognitionWeights()
W = ResolutionWeights()


def at(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    """The span of the ``nth`` occurrence of ``word`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


def place(id="p", name="Dover", kind="city", lat=0.0, lon=0.0, cc="GB", admin1=None, population=0) -> Place:
    return Place(id, name, kind, lat, lon, cc, admin1, population)


class _Ent:
    """The part of a spaCy entity recognition reads."""

    def __init__(self, text: str, label: str, start: int = 0):
        self.text, self.label_ = text, label
        self.start_char, self.end_char = start, start + len(text)


def cand(p: Place, score: float = 0.5, match: str = "exact") -> Candidate:
    return Candidate(p, score, p.name, match)


# =========================================================================== recognition

# --------------------------------------------------------------------------- written_as_place_name

def test_a_code_or_other_name_alone_is_no_mention():
    assert not rec.written_as_place_name(CODE, demonyms=False)
    assert not rec.written_as_place_name(0, demonyms=False)          # one of GeoNames' loose other names
    assert rec.written_as_place_name(PREFERRED, demonyms=False)
    assert rec.written_as_place_name(CURATED | CODE, demonyms=False)


def test_a_demonym_is_a_mention_only_when_demonyms_count():
    assert not rec.written_as_place_name(PREFERRED | DEMONYM, demonyms=False)
    assert rec.written_as_place_name(PREFERRED | DEMONYM, demonyms=True)


# --------------------------------------------------------------------------- cues before a name

def test_settlement_cue_reads_the_word_before_the_name():
    text = "Sirens sounded in Kibbutz Nahal Oz and in moshav Avivim after dark."
    assert rec.settlement_cue(text, at(text, "Nahal")[0])
    assert rec.settlement_cue(text, at(text, "Avivim")[0])
    assert not rec.settlement_cue(text, at(text, "Kibbutz")[0])


def test_named_person_cue():
    text = "The farmer has a daughter named Sofia and lives near Sofia."
    assert rec.named_person_cue(text, at(text, "Sofia")[0])
    assert not rec.named_person_cue(text, at(text, "Sofia", 1)[0])


def test_code_after_number():
    text = "The wall dates from 200 BC, they said in BC today."
    assert rec.code_after_number(text, at(text, "BC")[0], "BC")
    assert not rec.code_after_number(text, at(text, "BC", 1)[0], "BC")
    assert not rec.code_after_number("Route 9 Kent", 8, "Kent")      # not upper-case: a name after a number


# --------------------------------------------------------------------------- the model's label

def test_a_person_entity_is_a_place_only_whole_and_prominent_or_rare():
    assert not rec.person_entity_allows(False, "Chad", 0.95, PREFERRED, RW)     # part of "Chad Smith"
    assert rec.person_entity_allows(True, "Chad", 0.95, PREFERRED, RW)          # country-level
    assert rec.person_entity_allows(True, "Uttar Pradesh", 0.6, PREFERRED, RW)  # mislabelled, no English word
    assert not rec.person_entity_allows(True, "Chase", 0.6, PREFERRED, RW)      # a common word
    assert rec.person_entity_allows(True, "Khiam", 0.1, CURATED, RW)            # a curated small town


def test_an_organisation_counts_for_its_place():
    # "the Kansas Board of Regents": the part of the name that is a prominent place counts
    assert rec.organisation_entity_allows(False, "Kansas", 0.66, PREFERRED, RW)
    assert not rec.organisation_entity_allows(False, "Avon", 0.2, PREFERRED, RW)
    # a curated town the model calls a firm is the town, unless its name is an English word too
    assert rec.organisation_entity_allows(True, "Kamanyola", 0.1, CURATED, RW)
    assert not rec.organisation_entity_allows(True, "Shire", 0.1, CURATED, RW)


def test_a_people_entity_is_a_place_when_it_is_a_prominent_rare_name():
    assert rec.people_entity_allows(True, "Sderot", 0.55, PREFERRED, RW)
    assert not rec.people_entity_allows(True, "Sderot", 0.55, PREFERRED | DEMONYM, RW)
    assert not rec.people_entity_allows(False, "Sderot", 0.55, PREFERRED, RW)
    assert not rec.people_entity_allows(True, "Sderot", 0.2, PREFERRED, RW)


def test_a_product_entity_is_a_place_when_whole_prominent_and_no_common_word():
    assert rec.product_entity_allows(True, "Kaliningrad", 0.6, RW)
    assert not rec.product_entity_allows(True, "Windows", 0.6, RW)
    assert not rec.product_entity_allows(True, "Kaliningrad", 0.3, RW)


def test_model_label_allows_dispatches_on_the_label():
    assert not rec.model_label_allows("EVENT", True, "Kaliningrad", 0.9, PREFERRED, False, RW)
    assert rec.model_label_allows("PRODUCT", True, "Kaliningrad", 0.6, PREFERRED, False, RW)
    assert not rec.model_label_allows("PRODUCT", False, "Kaliningrad", 0.6, PREFERRED, False, RW)
    # with demonyms counted, a people the model names is weighed as a demonym elsewhere
    assert rec.model_label_allows("NORP", True, "Arabs", 0.1, PREFERRED, True, RW)
    assert not rec.model_label_allows("NORP", True, "Arabs", 0.1, PREFERRED, False, RW)


# --------------------------------------------------------------------------- word frequency

def test_a_phrase_is_a_place_when_prominent_or_no_english_phrase():
    assert rec.multiword_name_allows("Khan Yunis", 0.1, RW)
    assert not rec.multiword_name_allows("Green Valley", 0.1, RW)
    assert rec.multiword_name_allows("Green Valley", 0.4, RW)


def test_ordinary_word_lookalikes():
    text = "Traffic on Berlin Road slowed, the Southern line stopped and the NHS asked Leeds for help."
    assert rec.ordinary_word_lookalike(text, *at(text, "Berlin"), PREFERRED)       # a street
    assert rec.ordinary_word_lookalike(text, *at(text, "Southern"), PREFERRED)     # a direction
    assert rec.ordinary_word_lookalike(text, *at(text, "NHS"), PREFERRED)          # an acronym
    assert not rec.ordinary_word_lookalike(text, *at(text, "NHS"), CODE)           # ... unless a code
    assert not rec.ordinary_word_lookalike(text, *at(text, "Leeds"), PREFERRED)


def test_word_frequency_against_prominence():
    # "Georgia" is a common word (Zipf 4.5): a state is prominent enough, a hamlet is not
    assert rec.word_frequency_allows("Georgia", 0.7, False, RW)
    assert not rec.word_frequency_allows("Georgia", 0.4, False, RW)
    # opening a sentence, a common word needs a country-level place
    assert not rec.word_frequency_allows("Georgia", 0.7, True, RW)
    assert rec.word_frequency_allows("Georgia", 0.95, True, RW)
    # the commonest words never are places
    assert not rec.word_frequency_allows("Will", 1.0, False, RW)
    # no English word at all: any place
    assert rec.word_frequency_allows("Ouagadougou", 0.01, False, RW)


def test_a_higher_prominence_bar_drops_a_common_word():
    strict = RecognitionWeights(prominent=0.9)
    assert rec.word_frequency_allows("Georgia", 0.7, False, RW)
    assert not rec.word_frequency_allows("Georgia", 0.7, False, strict)


def test_is_sentence_initial():
    text = "Rain fell. Jordan closed its border. \"Jordan acts,\" he said of Jordan."
    assert rec.is_sentence_initial(text, at(text, "Jordan")[0])
    assert rec.is_sentence_initial(text, at(text, "Jordan", 1)[0])
    assert not rec.is_sentence_initial(text, at(text, "Jordan", 2)[0])
    assert rec.is_sentence_initial(text, 0)


# --------------------------------------------------------------------------- the model's spans

def test_gazetteer_completion_widens_a_short_entity():
    text = "Convoys left Deir ez-Zor at noon."
    s, e = at(text, "Deir")
    whole = at(text, "Deir ez-Zor")
    assert rec.gazetteer_completion(text, s, e, [whole], Occupancy(len(text))) == whole
    # not over a blocked span
    assert rec.gazetteer_completion(text, s, e, [whole], Occupancy(len(text), [whole])) == (s, e)


def test_demonym_entity():
    stats = {"syrian": (0.9, DEMONYM | PREFERRED, 1), "democrat": (0.1, PREFERRED, 1)}
    assert rec.demonym_entity("Syrians", stats)
    assert rec.demonym_entity("Syrian", stats)
    assert not rec.demonym_entity("Democrat", stats)


def test_unknown_entity_kept():
    assert rec.unknown_entity_kept("Umm al-Kheir", False, RW)
    assert not rec.unknown_entity_kept("Umm al-Kheir", True, RW)     # a known name inside is found alone
    assert not rec.unknown_entity_kept("the Eastern Front", False, RW)


def test_head_completes_name():
    never_same = lambda part, whole: False  # noqa: E731
    always_same = lambda part, whole: True  # noqa: E731
    assert rec.head_completes_name("Tal Afar airport", [], PREFERRED, always_same)
    assert rec.head_completes_name("Evin prison", ["Evin"], CURATED, never_same)
    assert not rec.head_completes_name("Evin prison", ["Evin"], PREFERRED, never_same)
    assert not rec.head_completes_name("Jenin camp", ["Jenin"], CURATED, always_same)


# --------------------------------------------------------------------------- one sense per discourse

def test_used_as_person():
    stats = {"marion": (0.2, PREFERRED, 3)}
    persons, places = Counter({"marion": 3}), Counter({"marion": 1})
    assert rec.used_as_person("marion", "gazetteer", stats, persons, places, RW)
    assert not rec.used_as_person("marion", "ner", stats, persons, places, RW)    # known, and the model's place
    assert rec.used_as_person("zorvan", "ner", stats, Counter({"zorvan": 1}), Counter(), RW)  # unknown surface
    assert not rec.used_as_person("marion", "gazetteer", stats, Counter({"marion": 1}), Counter({"marion": 2}), RW)


def test_used_as_surname_and_its_threshold():
    stats = {"denton": (0.5, PREFERRED, 4)}
    assert rec.used_as_surname("denton", "gazetteer", stats, {"denton"}, RW)
    assert not rec.used_as_surname("denton", "ner", stats, {"denton"}, RW)
    assert not rec.used_as_surname("denton", "gazetteer", stats, set(), RW)
    assert not rec.used_as_surname("denton", "gazetteer", stats, {"denton"}, RecognitionWeights(surname_prominence=0.4))


def test_person_surnames_reads_titles_speech_and_the_models_full_names():
    text = "Officer Quint arrived. Lena Marlow spoke first, then Hale said the road was shut."
    ents = [_Ent("Lena Marlow", "PERSON"), _Ent("Kibbutz Dan", "PERSON"), _Ent("Quint", "PERSON"),
            _Ent("Hale", "PERSON")]
    assert rec.person_surnames(text, ents) == {"quint", "marlow", "hale"}


def test_a_name_before_said_is_a_surname_only_when_a_person_has_it():
    text = "Traders in Manbij said the market reopened; Rana Kassem said prices rose, and Kassem said more."
    ents = [_Ent("Rana Kassem", "PERSON")]
    assert rec.person_surnames(text, ents) == {"kassem"}
    assert rec.person_surnames(text, ents + [_Ent("Manbij", "PERSON")]) == {"kassem", "manbij"}


@pytest.mark.parametrize("text, name, expected", [
    ("Clashes went on in Raqqa all week.", "Raqqa", True),
    ("Artillery shelled Homs at dawn.", "Homs", True),
    ("Drones struck Kharkiv overnight.", "Kharkiv", True),
    ("Fighting near Bakhmut intensified.", "Bakhmut", True),
    ("Raqqa residents queued for bread.", "Raqqa", False),
    ("The Homs delegation left early.", "Homs", False),
])
def test_locative_cue(text, name, expected):
    assert rec.locative_cue(text, text.index(name)) is expected


def test_locative_place_allows_a_prominent_name_that_is_no_common_word():
    assert rec.locative_place_allows("Raqqa", 0.6, RW)
    assert not rec.locative_place_allows("Raqqa", 0.3, RW)
    assert not rec.locative_place_allows("Hope", 0.9, RW)
    assert not rec.locative_place_allows("Raqqa", 0.6, RecognitionWeights(locative_prominence=0.7))


@pytest.mark.parametrize("text, name, expected", [
    ("A report by Chatham House found gaps.", "Chatham", True),
    ("Editors at the Jordan Times declined.", "Jordan", True),
    ("The Kyiv Independent reported losses.", "Kyiv", True),
    ("Supporters of Newcastle United marched.", "Newcastle", True),
    ("Fellows of the Brookings Institution wrote.", "Brookings", True),
    ("Strikes hit Gaza City again.", "Gaza", False),
    ("Rain fell on Kuwait City today.", "Kuwait", False),
    ("He flew to Jordan on Monday.", "Jordan", False),
])
def test_organisation_head_after(text, name, expected):
    assert rec.organisation_head_after(text, at(text, name)[1]) is expected


def test_state_abbreviation_spans_take_what_they_find():
    text = "Crews from Dothan, Ala. and Rome, Ga. arrived."
    taken = Occupancy(len(text))
    spans = [Span(*at(text, "Dothan"), "Dothan", "ner"), Span(*at(text, "Rome"), "Rome", "ner")]
    found = rec.state_abbreviation_spans(text, spans, taken)
    assert [s.text for s in found] == ["Ala.", "Ga."]
    assert not taken.free(*at(text, "Ga."))
    assert rec.state_abbreviation_spans(text, spans, taken) == []   # already taken


# --------------------------------------------------------------------------- the recognizer with a gazetteer

def test_recognizer_keeps_a_street_out_and_the_city_in(gaz):
    text = "Police closed Paris Avenue before the march reached Marseille."
    spans = rec.Recognizer(gaz, []).recognize(text)
    assert [s.text for s in spans] == ["Marseille"]


def test_recognizer_reads_its_thresholds_from_its_weights(gaz):
    text = "Heavy rain is expected over Georgia and Alabama tonight."
    found = [s.text for s in rec.Recognizer(gaz, []).recognize(text)]
    assert found == ["Georgia", "Alabama"]
    # "Alabama" is a common enough word (Zipf 4.3) to need the prominence of a US state (0.66)
    strict = rec.Recognizer(gaz, [], weights=RecognitionWeights(prominent=0.7)).recognize(text)
    assert [s.text for s in strict] == ["Georgia"]


def test_accept_weighs_the_evidence_in_order(gaz):
    recognizer = rec.Recognizer(gaz, [])
    text = "The Texas Rangers met the mayor of Zarqa; a girl named Zarqa sang."
    org = rec.EntityIndex([_Ent("The Texas Rangers", "ORG", 0)], {"ORG"})
    # the state's name inside a team's name counts for the state
    assert recognizer.accept(text, *at(text, "Texas"), (0.75, PREFERRED, 2), org)
    assert not recognizer.accept(text, *at(text, "Texas"), (0.2, PREFERRED, 2), org)
    # a rare name of a middling town is the town; the same name given to a girl is not
    assert recognizer.accept(text, *at(text, "Zarqa"), (0.5, PREFERRED, 3), org)
    assert not recognizer.accept(text, *at(text, "Zarqa", 1), (0.5, PREFERRED, 3), org)
    # unless the team curated it
    assert recognizer.accept(text, *at(text, "Zarqa", 1), (0.5, CURATED, 3), org)


# =========================================================================== resolution

# --------------------------------------------------------------------------- cues in the words around a name

@pytest.mark.parametrize("text, name, kinds", [
    ("Shelling hit Hama governorate overnight.", "Hama", {"admin1", "admin2"}),
    ("She moved to the state of Victoria last year.", "Victoria", {"admin1"}),
    ("The buyer is a Nevada limited partnership.", "Nevada", {"admin1"}),
    ("Jets took off from Incirlik air base at dawn.", "Incirlik", {"base", "airport"}),
    ("Barges moved down the Volga river slowly.", "Volga", {"water", "river"}),
    ("Families fled Zaatari refugee camp in the heat.", "Zaatari", {"camp", "city"}),
    ("Ships docked in the port of Haifa at noon.", "Haifa", {"city"}),
    ("The talks opened in Geneva on Monday.", "Geneva", None),
])
def test_surrounding_cue(text, name, kinds):
    assert res.surrounding_cue(text, *at(text, name)) == (kinds, None)


def test_surrounding_cue_reads_a_state_after_a_comma():
    text = "Flooding closed roads near Rome, Ga. on Sunday."
    assert res.surrounding_cue(text, *at(text, "Rome")) == (None, "GA")


def test_list_intro_kinds():
    text = "Voters in countries such as Chad, Niger and Mali went to the polls; cities like Lyon too."
    assert res.list_intro_kinds(text, at(text, "Chad")[0]) == {"country"}
    assert res.list_intro_kinds(text, at(text, "Lyon")[0]) == {"city"}
    assert res.list_intro_kinds(text, at(text, "Niger")[0]) is None


# --------------------------------------------------------------------------- lists and containers

class _S:
    def __init__(self, text, word, nth=0):
        self.start, self.end = at(text, word, nth)
        self.text = word


def test_place_lists_and_kind_lists():
    text = "Storms hit Iowa, Kansas, Ohio and Utah; Reno, Nevada was spared."
    spans = [_S(text, w) for w in ("Iowa", "Kansas", "Ohio", "Utah", "Reno", "Nevada")]
    lists = res.place_lists(text, spans)
    assert lists == [range(0, 4)]
    assert res.kind_lists(lists, ["admin1"] * 4 + ["city", "admin1"], W) == [range(0, 4)]
    # three of four read as states is not a list of one kind at a share of 0.8
    mixed = ["admin1", "admin1", "admin1", "city", "city", "admin1"]
    assert res.kind_lists(lists, mixed, W) == [range(0, 4)]
    assert res.kind_lists(lists, mixed, ResolutionWeights(list_same_kind=0.8)) == []


def test_listed_kinds_are_the_other_members_shares():
    kinds = res.listed_kinds([range(0, 3)], ["admin1", "city", "admin1"])
    assert kinds[1] == (("admin1", 1.0),)
    assert kinds[0] == (("admin1", 0.5), ("city", 0.5))


def test_comma_containers_skip_list_members():
    text = "From Reno, Nevada to Boise, Idaho"
    spans = [_S(text, w) for w in ("Reno", "Nevada", "Boise", "Idaho")]
    assert res.comma_containers(text, spans, set()) == {0: 1, 2: 3}
    assert res.comma_containers(text, spans, {0, 1}) == {2: 3}


def test_one_reading_per_name():
    a, b, c = res.Resolution("A", 0.3, ()), res.Resolution("B", 0.8, ()), res.Resolution(None, 0.0, ())
    names = ["x", "x", "x"]
    assert [r.candidate for r in res.one_reading_per_name(names, [a, b, c], set(), set())] == ["B"] * 3
    # the first mention explained by its neighbours wins over a later, more confident bare one
    assert [r.candidate for r in res.one_reading_per_name(names, [a, b, c], {0}, set())] == ["A"] * 3
    # a mention with its own cue keeps its own reading
    assert [r.candidate for r in res.one_reading_per_name(names, [a, b, c], set(), {0})] == ["A", "B", "B"]


# --------------------------------------------------------------------------- spatial coherence

def test_colocated_names_counts_the_other_names_near_a_candidate():
    york_uk = place("uk", "York", lat=53.96, lon=-1.08, admin1="GB.ENG")
    york_pa = place("pa", "York", lat=39.96, lon=-76.73, cc="US", admin1="US.PA")
    hanover = place("han", "Hanover", lat=39.85, lon=-76.85, cc="US", admin1="US.PA")
    pennsylvania = place("pa1", "Pennsylvania", "admin1", 40.9, -77.8, "US", "US.PA")
    names = {"york": (cand(york_uk), cand(york_pa)), "hanover": (cand(hanover),),
             "pennsylvania": (cand(pennsylvania),)}
    support = res.colocated_names(names, W.colocated_km)
    assert support["pa"] == 2          # Hanover within 25 km, Pennsylvania its region
    assert "uk" not in support
    assert support["pa1"] == 2         # the region of York and Hanover
    assert res.colocated_names(names, 10.0)["pa"] == 1


def test_a_country_named_as_written_speaks_for_no_town():
    china = place("cn", "China", "country", 35.0, 103.0, "CN")
    china_tx = place("ctx", "China", lat=30.05, lon=-94.34, cc="US", admin1="US.TX")
    beaumont = place("bmt", "Beaumont", lat=30.09, lon=-94.10, cc="US", admin1="US.TX")
    names = {"china": (cand(china), cand(china_tx)), "beaumont": (cand(beaumont),)}
    assert res.colocated_names(names, W.colocated_km) == {}


# --------------------------------------------------------------------------- what the article is about

def test_article_regions_count_a_name_once_however_often_it_is_said():
    dublin = place("dub", "Dublin", cc="IE", admin1="IE.L")
    ohio = place("oh", "Ohio", "admin1", cc="US", admin1="US.OH")
    readings = [(cand(dublin), 0.9)] * 5 + [(cand(ohio), 0.5)]
    regions, points = res.article_regions(readings, ["dublin"] * 5 + ["ohio"], W)
    assert regions.countries == Counter({"IE": 0.9, "US": 0.5})
    assert regions.countries_without("dublin") == Counter({"US": 0.5})
    assert points is not None


def test_article_regions_weigh_a_country_named_more_and_an_unsure_reading_at_least_the_minimum():
    france = place("fr", "France", "country", cc="FR")
    lyon = place("ly", "Lyon", cc="FR", admin1="FR.84")
    regions, _ = res.article_regions([(cand(france), 0.4), (cand(lyon), 0.01)], ["france", "lyon"], W)
    assert regions.own_countries["france"]["FR"] == pytest.approx(0.4 * W.country_named_share)
    assert regions.own_admins["lyon"]["FR.84"] == W.min_mention_weight


def test_regions_for_leaves_out_a_name_that_is_a_country_and_another_countrys_province():
    georgia = place("ge", "Georgia", "country", cc="GE")
    georgia_us = place("ga", "Georgia", "admin1", cc="US", admin1="US.GA")
    atlanta = place("atl", "Atlanta", cc="US", admin1="US.GA")
    readings = [(cand(georgia), 0.9), (cand(atlanta), 0.9)]
    regions, _ = res.article_regions(readings, ["georgia", "atlanta"], W)
    countries, admins = res.regions_for((cand(georgia), cand(georgia_us)), regions, "georgia")
    assert "GE" not in countries and countries["US"] > 0
    # a province named as written counts its own region
    assert admins == regions.admins


def test_home_reading():
    dallas = place("dal", "Dallas", cc="US", admin1="US.TX")
    assert res.home_reading(None, W) == []
    (home, weight), = res.home_reading(dallas, W)
    assert home.place is dallas and weight == W.home_weight


# --------------------------------------------------------------------------- the terms of a candidate's score

def test_prior_evidence_rewards_a_name_as_written():
    p = place()
    assert res.prior_evidence(cand(p, 0.5, "exact"), False, W) == pytest.approx(0.5 + W.w_exact)
    assert res.prior_evidence(cand(p, 0.5, "variant"), False, W) == pytest.approx(0.5)
    assert res.prior_evidence(cand(p, 0.5, "demonym"), True, W) == pytest.approx(0.5 + W.w_exact)


def test_model_label_evidence():
    assert res.model_label_evidence(place(kind="water"), "LOC", W) == W.w_label
    assert res.model_label_evidence(place(kind="water"), "GPE", W) == 0.0
    assert res.model_label_evidence(place(), None, W) == 0.0


def test_curated_no_country_evidence():
    atlantic = place(name="Atlantic Ocean", kind="water", cc=None)
    assert res.curated_no_country_evidence(cand(atlantic, match="curated"), W) == W.w_curated_no_country
    assert res.curated_no_country_evidence(cand(atlantic, match="exact"), W) == 0.0
    assert res.curated_no_country_evidence(cand(place(), match="curated"), W) == 0.0


def test_colocation_evidence_is_capped():
    p = place("x")
    assert res.colocation_evidence(p, {"x": 5}, W) == pytest.approx(W.w_colocated * W.colocated_max_names)
    assert res.colocation_evidence(p, {"x": 1}, W) == pytest.approx(W.w_colocated)
    assert res.colocation_evidence(p, None, W) == 0.0


def test_list_kind_evidence():
    assert res.list_kind_evidence(place(kind="admin1"), {"admin1": 0.5}, W) == pytest.approx(W.w_list * 0.5)
    assert res.list_kind_evidence(place(kind="city"), {"admin1": 1.0}, W) == 0.0


def test_country_name_evidence():
    jordan = place(name="Jordan", kind="country", cc="JO")
    assert res.country_name_evidence(cand(jordan), W) == W.w_country_name
    assert res.country_name_evidence(cand(jordan, match="fuzzy"), W) == 0.0


def test_cue_kind_and_state_cue_evidence():
    state = place(kind="admin1", cc="US", admin1="US.GA")
    town = place(cc="US", admin1="US.GA")
    assert res.cue_kind_evidence(state, {"admin1"}, W) == W.w_cue
    assert res.cue_kind_evidence(town, {"admin1"}, W) == pytest.approx(-W.w_cue * W.cue_mismatch)
    assert res.cue_kind_evidence(town, None, W) == 0.0
    assert res.state_cue_evidence(town, "GA", W) == W.w_cue
    assert res.state_cue_evidence(town, "AL", W) == pytest.approx(-W.w_cue * W.cue_mismatch)


def test_container_and_contents_evidence():
    georgia = place("ga", "Georgia", "admin1", cc="US", admin1="US.GA")
    athens = place("ath", "Athens", cc="US", admin1="US.GA")
    athens_gr = place("athg", "Athens", cc="GR", admin1="GR.35")
    assert res.container_evidence(athens, cand(georgia), W) == W.w_cue
    assert res.container_evidence(athens_gr, cand(georgia), W) == 0.0
    assert res.contents_evidence(georgia, (cand(athens_gr), cand(athens)), W) == W.w_contains
    assert res.contents_evidence(georgia, (cand(athens_gr),), W) == 0.0
    assert W.w_contains == pytest.approx(W.w_cue + W.w_country_name)


def test_country_and_region_share_evidence():
    p = place(cc="US", admin1="US.OH")
    assert res.country_share_evidence(p, Counter({"US": 1.0, "IE": 1.0}), 2.0, W) == pytest.approx(W.w_country / 2)
    assert res.country_share_evidence(p, Counter(), 0, W) == 0.0
    assert res.region_share_evidence(p, Counter({"US.OH": 3.0}), 3.0, W) == pytest.approx(W.w_admin1)
    assert res.region_share_evidence(place(admin1=None), Counter({"US.OH": 3.0}), 3.0, W) == 0.0


def test_proximity_evidence_saturates_and_leaves_out_the_name_itself():
    points = res.ContextPoints({(40.0, -83.0, "delaware"): 1.0, (40.1, -83.1, "marion"): 2.5})
    p = place(lat=40.05, lon=-83.05)
    assert res.proximity_evidence(p, points, None, W) == pytest.approx(W.w_near)       # 3.5 >= saturation
    assert res.proximity_evidence(p, points, "marion", W) == pytest.approx(W.w_near / 3)
    assert res.proximity_evidence(place(kind="country", lat=40, lon=-83), points, None, W) == 0.0
    assert res.proximity_evidence(place(lat=10.0, lon=10.0), points, None, W) == 0.0


def test_loose_reading_allowed_only_near_the_articles_places():
    points = res.ContextPoints({(31.18, 35.70, "karak"): 1.0})
    assert res.loose_reading_allowed(place(lat=31.0, lon=36.0), points, W)        # about 35 km off
    assert not res.loose_reading_allowed(place(lat=33.0, lon=36.0), points, W)    # about 200 km off
    assert not res.loose_reading_allowed(place(lat=31.0, lon=36.0), None, W)


def test_reading_confidence_grows_with_the_lead():
    top = cand(place(), 0.8)
    assert res.reading_confidence([(1.5, top), (1.0, top)], W) == pytest.approx(0.8)
    assert res.reading_confidence([(1.0, top), (1.0, top)], W) == pytest.approx(0.8 * W.confidence_base)
    assert res.reading_confidence([(1.0, cand(place(), 0.01))], W) == W.min_confidence


# --------------------------------------------------------------------------- the resolver with a gazetteer

def test_score_is_the_sum_of_the_evidence():
    georgia = place("ga", "Georgia", "admin1", 32.7, -83.4, "US", "US.GA")
    c = cand(georgia, 0.6)
    ev = res.MentionEvidence(cue_kinds={"admin1"}, label="GPE", listed_with={"admin1": 1.0},
                             countries=Counter({"US": 2.0, "GE": 2.0}), admins=Counter({"US.GA": 1.0}),
                             in_article=True)
    expected = (0.6 + W.w_exact + W.w_label + W.w_list + W.w_cue + W.w_country * 2.0 / 4.0 + W.w_admin1)
    assert res.Resolver(None).score(c, ev) == pytest.approx(expected)
    # the same reading with the list weighed at nothing loses exactly the list's part
    unlisted = res.Resolver(None, weights=ResolutionWeights(w_list=0.0)).score(c, ev)
    assert unlisted == pytest.approx(expected - W.w_list)


def test_rank_drops_a_far_misspelling_and_keeps_the_best():
    near = place("n", "Qasr", lat=31.0, lon=36.0)
    far = place("f", "Qasr", lat=10.0, lon=10.0)
    points = res.ContextPoints({(31.1, 35.9, "karak"): 1.0})
    resolver = res.Resolver(None)
    best, confidence = resolver.rank((cand(far, 0.9, "fuzzy"), cand(near, 0.5, "fuzzy")),
                                     res.MentionEvidence(points=points, in_article=True))
    assert best.place is near and 0 < confidence <= 1
    assert resolver.rank((cand(far, 0.9, "fuzzy"),), res.MentionEvidence(points=points, in_article=True)) == (None, 0.0)
    # before the article is known (the first reading), nothing is dropped
    assert resolver.rank((cand(far, 0.9, "fuzzy"),), res.MentionEvidence())[0].place is far


def test_a_container_decides_between_namesakes(gaz):
    text = "A storm damaged homes in Athens, Georgia, last week."
    spans = [Span(*at(text, "Athens"), "Athens", "given"), Span(*at(text, "Georgia"), "Georgia", "given")]
    athens, georgia = res.Resolver(gaz).resolve(text, spans)
    assert (athens.candidate.place.country_code, athens.candidate.place.admin1) == ("US", "US.GA")
    assert georgia.candidate.place.kind == "admin1"


def test_reference_spans_take_short_forms_not_names():
    text = "Aid reached the Strip; the Kingdom of Bahrain and the island's council agreed; the enclave waited."
    assert [s.text for s in rec.reference_spans(text, Occupancy(len(text)))] == ["Strip", "island", "enclave"]


def test_fits_reference_wants_a_place_of_the_right_kind():
    strip = place("g", "Gaza Strip", "region", cc="PS")
    assert res.fits_reference("Strip", strip) and res.fits_reference("enclave", strip)
    assert res.fits_reference("kingdom", place("j", "Jordan", "country", cc="JO"))
    assert not res.fits_reference("kingdom", place("i", "Iran", "country", cc="IR"))
    assert res.fits_reference("peninsula", place("c", "Crimea", "region", cc="UA"))
    assert not res.fits_reference("peninsula", strip)
    assert res.fits_reference("emirate", place("q", "Qatar", "country", cc="QA"))


def test_referent_is_the_most_recent_fitting_place():
    from collections import namedtuple
    S = namedtuple("S", "text source")
    jordan, iran = (cand(place(c, n, "country", cc=c.upper())) for c, n in (("jo", "Jordan"), ("ir", "Iran")))
    spans = [S("Jordan", "ner"), S("Iran", "ner"), S("kingdom", "reference")]
    readings = [res.Resolution(jordan, 0.9, ()), res.Resolution(iran, 0.9, ()), res.Resolution(None, 0.0, ())]
    assert res.referent(spans, readings, 2).candidate is jordan
    assert res.referent(spans[1:], readings[1:], 1).candidate is None


def test_division_word_after():
    text = "Clashes in Kherson oblast and in Marib."
    assert res.division_word_after(text, at(text, "Kherson")[1]) == "oblast"
    assert res.division_word_after(text, at(text, "Marib")[1]) is None


def test_water_or_division_keeps_the_water_unless_the_division_is_cued():
    sea = cand(place("w", "Red Sea", "water", cc=None), match="curated")
    state = cand(place("s", "Red Sea", "admin1", cc="SD"))
    assert res.water_or_division((state, sea), False) == (sea,)
    assert res.water_or_division((state, sea), True) == (state, sea)
    assert res.water_or_division((state,), False) == (state,)


def test_a_loose_division_the_text_cues_in_a_country_the_article_names_is_allowed():
    mahra = place("m", "Al Mahrah", "admin1", cc="YE")
    cued = res.MentionEvidence({"admin1", "admin2"}, other_countries=Counter({"YE": 1.5}))
    assert res.cued_division_allowed(mahra, cued)
    assert not res.cued_division_allowed(mahra, res.MentionEvidence({"admin1", "admin2"}))
    assert not res.cued_division_allowed(mahra, res.MentionEvidence(None, other_countries=Counter({"YE": 1.5})))
    town = place("t", "Neston", "city", cc="GB")
    assert not res.cued_division_allowed(town, res.MentionEvidence({"city"}, other_countries=Counter({"GB": 1})))

"""The weights of recognition and resolution as one configuration object (geomap/text/weights.py), part of
ParserConfig (geomap/pipeline.py): defaults, changes by name, and a changed weight changing a decision."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from geomap.batch import ParsePool, build_parser
from geomap.pipeline import Parser, ParserConfig
from geomap.text.recognize import Span
from geomap.text.weights import EvidenceWeights, RecognitionWeights, ResolutionWeights, weight_names


def test_the_parser_configuration_holds_the_default_weights():
    config = ParserConfig()
    assert config.weights == EvidenceWeights()
    assert config.weights.resolution.w_list == 0.45
    assert config.weights.resolution.home_weight == 0.35
    assert config.weights.resolution.candidates == 30
    assert config.weights.recognition.surname_prominence == 0.6


def test_weights_are_frozen_and_survive_pickling():
    weights = EvidenceWeights()
    with pytest.raises(dataclasses.FrozenInstanceError):
        weights.resolution.w_list = 0.9
    config = ParserConfig(model="none", weights=weights.replace(w_list=0.6))
    assert pickle.loads(pickle.dumps(config)) == config
    assert hash(config) == hash(pickle.loads(pickle.dumps(config)))


def test_replace_finds_a_weight_by_name_in_either_part():
    weights = EvidenceWeights().replace(W_LIST="0.6", surname_prominence=0.7, CANDIDATES="12")
    assert weights.resolution.w_list == 0.6
    assert weights.recognition.surname_prominence == 0.7
    assert weights.resolution.candidates == 12 and isinstance(weights.resolution.candidates, int)
    assert weights.changed() == {"w_list": 0.6, "surname_prominence": 0.7, "candidates": 12}
    assert EvidenceWeights().changed() == {}


def test_an_unknown_weight_is_a_clear_error():
    with pytest.raises(KeyError, match="no weight is called 'W_LISTS'.*w_list"):
        EvidenceWeights().replace(W_LISTS=0.5)
    with pytest.raises(ValueError, match="CANDIDATES takes a whole number, not '12.5'"):
        EvidenceWeights().replace(CANDIDATES="12.5")
    with pytest.raises(ValueError, match="w_list takes a number, not 'high'"):
        EvidenceWeights().replace(w_list="high")


def test_every_weight_has_its_reason_beside_it():
    import inspect

    from geomap.text import weights as module

    source = inspect.getsource(module)
    for name in weight_names():
        line = next(i for i, text in enumerate(source.splitlines()) if text.strip().startswith(f"{name}:"))
        assert source.splitlines()[line - 1].strip().startswith("#:"), f"{name} has no reason above it"
    assert len(weight_names()) == len(set(weight_names()))


def test_worker_parsers_get_the_configured_weights(gaz):
    weights = EvidenceWeights(RecognitionWeights(surname_prominence=0.7), ResolutionWeights(w_list=0.6))
    parser = build_parser(ParserConfig(model="none", weights=weights))
    assert parser.config.weights == weights
    assert parser.recognizer.weights.surname_prominence == 0.7
    assert parser.resolver.weights.w_list == 0.6
    with ParsePool(ParserConfig(model="none", weights=weights), workers=2) as pool:
        assert pool.version.endswith(';weights={"surname_prominence":0.7,"w_list":0.6}')


def test_the_default_weights_leave_the_parser_version_as_it_was(gaz):
    parser = Parser(gazetteer=gaz, model="none")
    assert "weights" not in parser.version


def _resolve(gaz, text: str, names: list[str], **weights) -> list:
    parser = Parser(gazetteer=gaz, model="none", home="Dallas", weights=EvidenceWeights().replace(**weights),
                    claims=False)
    spans = [Span(text.index(n), text.index(n) + len(n), n, "given") for n in names]
    return [r.candidate.place for r in parser.resolver.resolve(text, spans)]


def test_the_home_weight_decides_a_name_the_article_leaves_open(gaz):
    text = "The council of Arlington voted on Tuesday to widen the main road."
    assert _resolve(gaz, text, ["Arlington"])[0].admin1 == "US.TX"     # read near the paper's home, Dallas
    # the reason given for 0.35: at 0.5 a bare "Paris" in a Dallas paper was Paris, Texas
    text = "The museum in Paris reopened after the repairs."
    assert _resolve(gaz, text, ["Paris"])[0].country_code == "FR"
    assert _resolve(gaz, text, ["Paris"], home_weight=0.5)[0].admin1 == "US.TX"


def test_the_list_weight_decides_a_member_of_a_list(gaz):
    text = "Farmers in Kansas, Nebraska, Iowa, Missouri and Washington asked for rain."
    names = ["Kansas", "Nebraska", "Iowa", "Missouri", "Washington"]
    assert _resolve(gaz, text, names)[-1].kind == "admin1"      # a state among states
    assert _resolve(gaz, text, names, w_list=0.0)[-1].kind != "admin1"

"""ParsePool (geomap.batch): the one worker pool behind `geomap parse`, `geomap ingest` and `geomap eval`."""

from __future__ import annotations

import pytest

from geomap.batch import ParsePool, parse_many, to_record
from geomap.errors import ModelUnavailable
from geomap.pipeline import Parser, ParserConfig
from geomap.store.ingest import parse_to_record

CONFIG = ParserConfig(model="none")  # gazetteer-only: quick to load in every worker
TEXTS = {"a": "Strikes hit Albukamal and Deir ez-Zor.", "b": "   ", "c": "Aid reached Gaza from Cairo.",
         "d": "Talks in Amman.", "e": "Flights from Beirut to Damascus resumed."}


@pytest.fixture(scope="module")
def expected() -> dict:
    """What one in-process parser gives each text: (record, error)."""
    parser = Parser(model="none", quiet=True)
    out = {}
    for doc_id, text in TEXTS.items():
        try:
            out[doc_id] = (to_record(parser, doc_id, text), None)
        except Exception as exc:
            out[doc_id] = (None, f"{type(exc).__name__}: {exc}")
    return out


@pytest.mark.parametrize("workers", [1, 2])
def test_pool_results_in_order_or_as_completed_with_per_item_errors(workers, expected):
    jobs = [(doc_id, (doc_id, text)) for doc_id, text in TEXTS.items()]
    with ParsePool(CONFIG, workers) as pool:
        assert pool.version == Parser(model="none", quiet=True).version
        ordered = list(pool.map(to_record, jobs))
        unordered = list(pool.map(to_record, jobs, ordered=False))
        single = pool.submit(parse_to_record, "a", TEXTS["a"]).result()
    assert [(key, result, error) for key, result, error in ordered] == [(k, *expected[k]) for k in TEXTS]
    assert sorted(unordered, key=lambda row: row[0]) == ordered
    assert ordered[1][2].startswith("InputError: ") and ordered[1][1] is None  # "b" is blank; the rest go on
    assert single[1] is None and single[0]["id"] == "a"


def test_parse_many_yields_id_result_error_in_input_order(expected):
    # The pool behind it runs with workers above; here in this process, on a given parser.
    parser = Parser(model="none", quiet=True)
    assert list(parse_many(TEXTS.items(), CONFIG, parser=parser)) == [(k, *expected[k]) for k in TEXTS]


def test_a_parser_that_cannot_start_raises_in_the_caller():
    config = ParserConfig(model="no_such_spacy_model")
    with pytest.raises(ModelUnavailable):
        ParsePool(config, 1)
    with ParsePool(config, 2) as pool, pytest.raises(ModelUnavailable):
        pool.version
    with pytest.raises(ModelUnavailable):
        list(parse_many([("a", TEXTS["a"])], config, workers=2))


def _die(parser, code):
    """A task that kills its worker process, as the out-of-memory killer would."""
    import os

    os._exit(code)


def test_a_worker_that_dies_is_a_clean_error_not_a_hang():
    from geomap.errors import WorkerDied

    with pytest.raises(WorkerDied, match="parser process died"):
        with ParsePool(CONFIG, 2) as pool:
            list(pool.map(_die, [("x", (1,)), ("y", (1,))]))

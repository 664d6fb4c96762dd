"""Accuracy gates on the development corpora in ../shared/eval/dev (exact spans).

Each gate sits a notch below what the code reaches, so a regression fails CI. The figures reached and what
limits them are recorded in docs/accuracy.md; `geomap eval ../shared/eval/dev/*.jsonl` prints them all.
"""

from __future__ import annotations

import pytest

from conftest import require_shared
from geomap.evaluation import counts_demonyms, evaluate, read_gold

# corpus: (minimum exact F1, minimum acc161_all); F1 is meaningless on WikToR (see ../shared/eval/README.md)
GATES = {
    "seed": (0.95, 0.95),
    "lgl": (0.73, 0.70),
    "gwn": (0.74, 0.68),
    "trnews": (0.82, 0.74),
    "geovirus": (0.85, 0.78),
    "wiktor500": (0.0, 0.50),
}


@pytest.fixture(scope="module")
def demonym_parser(parser):
    """The parser for corpora whose convention counts demonyms as toponyms."""
    from geomap import Parser

    return Parser(gazetteer=parser.gazetteer, demonyms=True, claims=False)


@pytest.mark.slow
@pytest.mark.parametrize("corpus", sorted(GATES))
def test_end_to_end_accuracy_does_not_regress(parser, demonym_parser, corpus):
    path = require_shared("eval/dev/" + ("seed.jsonl" if corpus == "seed" else f"{corpus}.dev.jsonl"))
    docs = read_gold(path)
    chosen = demonym_parser if counts_demonyms(corpus) else parser
    result = evaluate(docs, lambda d: chosen.parse(d.text, id=d.id).mentions)
    scores = result.overall
    f1_gate, acc_gate = GATES[corpus]
    assert scores.exact.f1 >= f1_gate, f"{corpus}: exact F1 {scores.exact.f1:.3f} < {f1_gate}"
    assert scores.resolution.acc161_all >= acc_gate, \
        f"{corpus}: acc161_all {scores.resolution.acc161_all:.3f} < {acc_gate}"

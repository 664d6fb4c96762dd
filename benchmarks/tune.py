"""Is a change of the weights worth it? Cross-validated dev scores with bootstrap intervals.

Evaluates a configuration of the weights of recognition and resolution (``geomap/text/weights.py``) on the
dev documents in ../shared/eval/dev, end to end as ``geomap eval`` does (each corpus with its demonym
convention), and compares it with the default configuration:

* ``--set NAME=VALUE`` changes a weight (any field of RecognitionWeights or ResolutionWeights, in either
  case: ``--set W_LIST=0.5``); without any, the configuration is the default one.
* ``--grid NAME=v1,v2,...`` gives candidate values (several ``--grid`` make their product). The weights are
  not fitted here, so cross-validation means: for each fold, the candidate with the best acc161_all on the
  other folds' documents is chosen and scored on the fold's own; the held-out scores of every fold together
  are the figure. Folds are by document (``--folds`` k, shuffled with ``--seed``) and by corpus (leave one
  corpus out: each corpus scored with the value the others chose).
* Each figure comes with a 95% bootstrap interval over documents (resampled within each corpus), and the
  paired difference against the default configuration with its own interval: "noise" when it holds 0.

The model's analysis of each document (the slow part) is made once; recognition runs once per set of
recognition weights and resolution once per configuration. ``--cache FILE`` keeps the analyses between
runs. ``--limit N`` takes the first N documents of each corpus, ``--corpus`` selects corpora.

Examples::

    .venv/bin/python benchmarks/tune.py --workers 2
    .venv/bin/python benchmarks/tune.py --grid W_LIST=0.3,0.45,0.6 --corpus lgl --corpus geovirus
    .venv/bin/python benchmarks/tune.py --set HOME_WEIGHT=0.5 --limit 40 --cache /tmp/geomap-analyses.pickle
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import pickle
import sys
import time
from pathlib import Path

import numpy as np
from _common import DEV  # benchmarks/_common.py: the dev corpora's folder

from geomap.evaluation import counts_demonyms, read_gold, score_document
from geomap.evaluation.metrics import Prediction
from geomap.evaluation.resampling import (
    bootstrap_ratio,
    cross_validate,
    document_folds,
    group_folds,
    paired_difference,
    ratio_counts,
)
from geomap.text.weights import EvidenceWeights, weight_names

#: The gold files of the dev set that annotate toponyms (claims.dev.jsonl annotates claims only).
GOLD_FILES = ("seed", "geovirus.dev", "gwn.dev", "trnews.dev", "lgl.dev", "wiktor500.dev")

# --------------------------------------------------------------------------- worker side (tasks of a ParsePool)
_recognizers: dict = {}
_resolvers: dict = {}


def analyse_task(parser, text: str):
    """The model's entities and sentences of a text, in a picklable form."""
    from geomap.text.nlp import ShiftedDoc

    doc = parser.analyse(text)
    return doc if isinstance(doc, ShiftedDoc) else ShiftedDoc([(doc, 0)])


def recognize_task(parser, weights, demonyms: bool, text: str, doc) -> list:
    """Recognition with other weights, on the parser's gazetteer and a ready analysis."""
    from gazetteer.sources.curated import not_place_phrases
    from geomap.text.recognize import Recognizer

    key = (weights, demonyms)
    if key not in _recognizers:
        _recognizers[key] = Recognizer(parser.gazetteer, not_place_phrases(), demonyms=demonyms, weights=weights)
    return _recognizers[key].recognize(text, None if parser.model.gazetteer_only else doc)


def resolve_task(parser, weights, demonyms: bool, text: str, spans: list) -> list[Prediction]:
    """Resolution with other weights: each span as a prediction (span and coordinates)."""
    from geomap.text.resolve import Resolver

    key = (weights, demonyms)
    if key not in _resolvers:
        _resolvers[key] = Resolver(parser.gazetteer, demonyms=demonyms, weights=weights)
    readings = _resolvers[key].resolve(text, spans)
    return [Prediction(s.start, s.end, *((r.candidate.place.lat, r.candidate.place.lon) if r.candidate else ()))
            for s, r in zip(spans, readings)]


# --------------------------------------------------------------------------- parent side

def parse_setting(text: str, *, grid: bool = False) -> tuple[str, list[str]]:
    """``NAME=VALUE`` (or ``NAME=v1,v2`` for a grid) as (name, values), checking the name."""
    name, sep, values = text.partition("=")
    if not sep or not values:
        raise SystemExit(f"tune.py: expected NAME=VALUE{',VALUE...' if grid else ''}, got {text!r}")
    if name.lower() not in weight_names():
        raise SystemExit(f"tune.py: no weight is called {name!r}; the weights are: {', '.join(weight_names())}")
    values = values.split(",") if grid else [values]
    for value in values:
        try:
            float(value)
        except ValueError:
            raise SystemExit(f"tune.py: {name}={value!r} is not a number") from None
    return name.lower(), values


def candidate_configs(base: EvidenceWeights, grids: list[tuple[str, list[str]]]) -> list[tuple[str, EvidenceWeights]]:
    """(label, weights) of every point of the grid, on top of ``base``; [("base", base)] without a grid."""
    if not grids:
        return [("the configuration", base)]
    names = [name for name, _ in grids]
    out = []
    for combo in itertools.product(*(values for _, values in grids)):
        label = ", ".join(f"{n}={v}" for n, v in zip(names, combo))
        out.append((label, base.replace(**dict(zip(names, combo)))))
    return out


def read_documents(corpora: list[str] | None, limit: int | None) -> list:
    """The gold documents of the dev set, corpus by corpus."""
    missing = [name for name in GOLD_FILES if not (DEV / f"{name}.jsonl").exists()]
    if missing:
        raise SystemExit(f"{DEV}: no {', '.join(missing)}: tune.py reads the dev corpora from ../shared/eval/dev")
    documents = [doc for name in GOLD_FILES for doc in read_gold(DEV / f"{name}.jsonl", limit=limit)]
    if corpora:
        known = sorted({d.corpus for d in documents})
        unknown = [c for c in corpora if c not in known]
        if unknown:
            raise SystemExit(f"tune.py: no corpus {', '.join(unknown)}; the corpora are {', '.join(known)}")
        documents = [d for d in documents if d.corpus in corpora]
    return documents


def analyses(pool, documents: list, model: str, cache: Path | None) -> list:
    """The model's analysis of every document, from ``cache`` when it has it."""
    stored = pickle.loads(cache.read_bytes()) if cache and cache.exists() else {}
    keys = [(model, d.id, hashlib.sha1(d.text.encode()).hexdigest()) for d in documents]
    todo = [(i, (d.text,)) for i, (d, key) in enumerate(zip(documents, keys)) if key not in stored]
    for i, doc, error in _progress(pool.map(analyse_task, todo), len(todo), "model"):
        if error:
            raise SystemExit(f"tune.py: document {documents[i].id!r}: {error}")
        stored[keys[i]] = doc
    if cache and todo:
        cache.write_bytes(pickle.dumps(stored))
    return [stored[key] for key in keys]


def run_configs(pool, documents: list, docs: list, configs: list[EvidenceWeights]) -> list[list]:
    """Each configuration's :class:`~geomap.evaluation.metrics.DocumentResult` of every document."""
    flags = [counts_demonyms(d.corpus) for d in documents]
    spans: dict = {}
    for weights in dict.fromkeys(c.recognition for c in configs):   # recognition once per recognition weights
        jobs = [(i, (weights, flags[i], d.text, docs[i])) for i, d in enumerate(documents)]
        spans[weights] = _collect(pool.map(recognize_task, jobs), len(jobs), "recognition", documents)
    results = []
    for n, weights in enumerate(configs, start=1):
        found = spans[weights.recognition]
        jobs = [(i, (weights.resolution, flags[i], d.text, found[i])) for i, d in enumerate(documents)]
        predictions = _collect(pool.map(resolve_task, jobs), len(jobs), f"resolution {n}/{len(configs)}", documents)
        results.append([score_document(d, p) for d, p in zip(documents, predictions)])
    return results


def _collect(outcomes, total: int, desc: str, documents: list) -> list:
    out = [None] * total
    for i, result, error in _progress(outcomes, total, desc):
        if error:
            raise SystemExit(f"tune.py: document {documents[i].id!r}: {error}")
        out[i] = result
    return out


def _progress(iterable, total: int, desc: str):
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit="doc", file=sys.stderr, disable=None, leave=False)


# --------------------------------------------------------------------------- the report

def _ci(interval, signed: bool = False) -> str:
    def number(value: float) -> str:
        return ("{:+.3f}" if signed else "{:.3f}").format(round(value, 3) or 0.0)  # no "-0.000"

    return f"{number(interval.estimate)} [{number(interval.low)}, {number(interval.high)}]"


def _verdict(interval) -> str:
    if interval.holds_zero:
        return "noise"
    return "gain" if interval.estimate > 0 else "loss"


def report(title: str, documents: list, held_out: list, default: list, *, resamples: int, seed: int) -> str:
    """A table of held-out scores per corpus and overall, with intervals and the paired difference."""
    corpora = list(dict.fromkeys(d.corpus for d in documents))
    rows = [(c, [i for i, d in enumerate(documents) if d.corpus == c]) for c in corpora]
    if len(corpora) > 1:
        rows.append(("overall", list(range(len(documents)))))
    header = (f"{'corpus':10} {'docs':>5}  {'acc161_all [95% CI]':>24}  {'vs default [95% CI]':>27} {'':5}  "
              f"{'F1 [95% CI]':>24}  {'vs default [95% CI]':>27} {'':5}")
    lines = [title, header, "-" * len(header)]
    for name, idx in rows:
        strata = [documents[i].corpus for i in idx] if name == "overall" else None
        cells = []
        for metric in ("acc161_all", "f1"):
            num, den = ratio_counts([held_out[i] for i in idx], metric)
            base_num, base_den = ratio_counts([default[i] for i in idx], metric)
            score = bootstrap_ratio(num, den, strata=strata, resamples=resamples, seed=seed)
            diff = paired_difference(num, den, base_num, base_den, strata=strata, resamples=resamples, seed=seed)
            cells.append(f"{_ci(score):>24}  {_ci(diff, signed=True):>27} {_verdict(diff):5}")
        lines.append(f"{name:10} {len(idx):5}  " + "  ".join(cells))
    return "\n".join(lines)


def arguments(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog="See the module docstring.")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a weight to change")
    ap.add_argument("--grid", action="append", default=[], metavar="NAME=v1,v2,...",
                    help="candidate values of a weight, chosen by cross-validation")
    ap.add_argument("--corpus", action="append", default=None,
                    help="a corpus to evaluate (seed, geovirus, gwn, trnews, lgl, wiktor); all when not given")
    ap.add_argument("--limit", type=int, default=None, help="the first N documents of each corpus")
    ap.add_argument("--workers", type=int, default=1, help="worker processes (each loads the model)")
    ap.add_argument("--folds", type=int, default=5, help="folds by document (default 5)")
    ap.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default 1000)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the folds and the resampling")
    ap.add_argument("--model", default="auto", help="spaCy model, as `geomap eval --model`")
    ap.add_argument("--gazetteer", default=None, help="gazetteer file (default: the user data directory's)")
    ap.add_argument("--cache", type=Path, default=None, help="a file keeping the model's analyses between runs")
    return ap.parse_args(argv)


def held_out_scores(candidates, base: EvidenceWeights, results: dict, documents: list, args):
    """Yield (title, held-out DocumentResult per document) for each cross-validation scheme; without a grid,
    the configuration's own results."""
    if len(candidates) == 1:
        yield f"{candidates[0][0]} on every document (nothing to choose without --grid)", results[candidates[0][1]]
        return
    schemes = [(f"{args.folds}-fold cross-validation by document",
                document_folds(len(documents), args.folds, seed=args.seed))]
    if len({d.corpus for d in documents}) > 1:
        schemes.append(("leave one corpus out", group_folds([d.corpus for d in documents])))
    num, den = zip(*(ratio_counts(results[weights], "acc161_all") for _, weights in candidates))
    in_use = next((n for n, (_, weights) in enumerate(candidates) if weights == base), 0)
    for title, folds in schemes:
        chosen, choices = cross_validate(np.array(num), np.array(den), folds, prefer=in_use)
        yield (f"{title}: held-out scores; chosen per fold: " + "; ".join(candidates[c][0] for c in choices),
               [results[candidates[c][1]][i] for i, c in enumerate(chosen)])


def main(argv=None) -> None:
    from geomap.batch import ParsePool
    from geomap.pipeline import ParserConfig

    args = arguments(argv)
    sets = dict(parse_setting(s) for s in args.set)
    try:
        base = EvidenceWeights().replace(**{name: values[0] for name, values in sets.items()})
        candidates = candidate_configs(base, [parse_setting(g, grid=True) for g in args.grid])
    except ValueError as exc:
        raise SystemExit(f"tune.py: {exc}") from None
    documents = read_documents(args.corpus, args.limit)
    configs = list(dict.fromkeys([EvidenceWeights()] + [weights for _, weights in candidates]))
    started = time.perf_counter()
    with ParsePool(ParserConfig(args.gazetteer, args.model, claims=False), args.workers) as pool:
        print(f"tune.py: {len(documents)} documents, {len(configs)} configurations; {pool.version}", file=sys.stderr)
        docs = analyses(pool, documents, args.model, args.cache)
        results = dict(zip(configs, run_configs(pool, documents, docs, configs)))
    changed = ", ".join(f"{k}={v}" for k, v in base.changed().items()) or "none"
    print(f"Configuration: the default weights, changed: {changed}; "
          f"{len(documents)} documents; bootstrap {args.resamples} resamples, seed {args.seed}")
    print()
    print_candidates(candidates, results, documents)
    for title, held_out in held_out_scores(candidates, base, results, documents, args):
        print(report(title, documents, held_out, results[EvidenceWeights()], resamples=args.resamples,
                     seed=args.seed))
        print()
    print(f"({time.perf_counter() - started:.0f} s; 'noise': the interval of the difference holds 0)")


def print_candidates(candidates, results, documents) -> None:
    """Each candidate's acc161_all on all documents (no interval: a grid's overview, not a result)."""
    if len(candidates) < 2:
        return
    corpora = list(dict.fromkeys(d.corpus for d in documents))
    print("Each candidate on all documents (acc161_all; in-sample, for orientation only):")
    print(f"{'candidate':30}" + "".join(f"{c:>10}" for c in corpora) + f"{'overall':>10}")
    for label, weights in candidates:
        cells = []
        for corpus in corpora + [None]:
            picked = [r for r, d in zip(results[weights], documents) if corpus is None or d.corpus == corpus]
            num, den = ratio_counts(picked, "acc161_all")
            cells.append(f"{num.sum() / den.sum() if den.sum() else 0:10.3f}")
        print(f"{label:30}" + "".join(cells))
    print()


if __name__ == "__main__":
    main()

"""``geomap eval``: score the geoparser against gold-annotated corpora.

The metrics live in :mod:`geomap.evaluation` and are pure; this module only
runs the parser over the gold documents (optionally in a pool of worker
processes, each holding its own :class:`geomap.Parser`) and prints the scores.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator, Sequence

import click

from geomap.cli.options import cli_errors, gazetteer_option, model_option

# The parser of a worker process, built once by _init_worker (or the error that prevented it).
_WORKER_PARSER = None


def _build_parser(model: str, gazetteer_path: str | None):
    """The geoparser under test, configured as ``geomap parse`` would be, without claim extraction."""
    from geomap import Parser

    return Parser(gazetteer_path, model, claims=False)


def _predict_mentions(parser, document) -> list[dict]:
    """End to end: the mentions ``geomap parse`` finds in the document (span and coordinates)."""
    record = parser.parse(document.text, id=document.id).to_record()
    return [{key: mention[key] for key in ("start", "end", "lat", "lon")} for mention in record["mentions"]]


def _resolve_gold_spans(parser, document) -> list[tuple[float, float] | None]:
    """Oracle: the coordinates the parser gives each gold span (None when unresolved)."""
    mentions = parser.resolve_spans(document.text, document.spans)
    return [None if m.place is None else (m.place.lat, m.place.lon) for m in mentions]


def _init_worker(model: str, gazetteer_path: str | None) -> None:
    """Pool initializer: build this process's parser once.

    A failure is kept and raised by the first task, so that the parent sees the
    error (a raising initializer would make the pool respawn workers forever).
    """
    global _WORKER_PARSER
    try:
        _WORKER_PARSER = _build_parser(model, gazetteer_path)
    except Exception as exc:  # noqa: BLE001 -- re-raised in _run_in_worker
        _WORKER_PARSER = exc


def _run_in_worker(task: Callable, document):
    """Run ``task(parser, document)`` with this worker's parser."""
    if isinstance(_WORKER_PARSER, BaseException):
        raise _WORKER_PARSER
    return task(_WORKER_PARSER, document)


def _run_task(task: Callable, documents: Sequence, *, model: str, gazetteer_path: str | None,
              workers: int) -> Iterator:
    """Yield ``task(parser, document)`` for each document, in order, in ``workers`` processes.

    Parsing is a pure function of the document's id and text, so the order of
    work does not change the results.
    """
    if workers <= 1:
        parser = _build_parser(model, gazetteer_path)
        for document in documents:
            yield task(parser, document)
        return
    import multiprocessing

    from gazetteer import Gazetteer

    # Build (or rebuild) the default gazetteer here, once, rather than in every worker at the same time.
    Gazetteer.open(gazetteer_path).close()
    # spawn, not fork: the workers start clean instead of inheriting the parent's
    # threads (tqdm's monitor, BLAS) and open files.
    context = multiprocessing.get_context("spawn")
    with context.Pool(min(workers, len(documents)), initializer=_init_worker,
                      initargs=(model, gazetteer_path)) as pool:
        yield from pool.imap(functools.partial(_run_in_worker, task), documents)


@click.command("eval")
@click.argument("gold_files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--oracle", is_flag=True,
              help="Score resolution alone: the parser resolves the gold spans instead of finding its own.")
@click.option("--match", type=click.Choice(["exact", "overlap"]), default="exact", show_default=True,
              help="Span matching that pairs predicted and gold toponyms for resolution "
                   "(recognition is reported under both).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as a JSON object instead of a table.")
@model_option
@gazetteer_option
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Evaluate only the first N documents of each file.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Parse documents in N processes (each loads its own parser).")
@cli_errors
def eval_cmd(gold_files, oracle, match, as_json, model, gazetteer_path, limit, workers):
    """Score recognition and resolution against gold JSONL files (GOLD_FILES).

    \b
    Prints, per corpus and overall: exact and overlap precision/recall/F1,
    acc161 (share placed within 161 km), mean and median error (km), AUC,
    coverage, and acc161_all (found and within 161 km, over all gold toponyms
    with coordinates). The gold format and the metrics are those of
    ../shared/eval/README.md.

    \b
    Examples:
      geomap eval ../shared/eval/dev/*.jsonl --workers 2
      geomap eval ../shared/eval/dev/lgl.dev.jsonl --oracle --limit 50 --json
    """
    from tqdm import tqdm

    from geomap.errors import InputError
    from geomap.evaluation import read_gold_files, score_oracle, score_predictions

    documents = read_gold_files(gold_files, limit=limit)
    if not documents:
        raise InputError(f"no gold documents in {', '.join(gold_files)}")
    task = _resolve_gold_spans if oracle else _predict_mentions
    outputs = _run_task(task, documents, model=model, gazetteer_path=gazetteer_path, workers=workers)
    outputs = tqdm(outputs, total=len(documents), desc="eval", unit="doc", file=sys.stderr, disable=None)
    pairs = zip(documents, outputs)
    result = score_oracle(pairs) if oracle else score_predictions(pairs, match=match)
    if as_json:
        report = {"files": list(gold_files), "model": model, "limit": limit, **result.to_dict()}
        click.echo(json.dumps(report, indent=2))
    else:
        click.echo(result.format_table())

"""``geomap eval``: score the geoparser against gold-annotated corpora.

The metrics live in :mod:`geomap.evaluation` and are pure; this module only
runs the parser over the gold documents (optionally in a pool of worker
processes, each holding its own :class:`geomap.Parser`) and prints the scores.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence

import click

from geomap.cli.options import cli_errors, gazetteer_option, model_option


def _predict_mentions(parser, document) -> list[dict]:
    """End to end: the mentions ``geomap parse`` finds in the document (span and coordinates)."""
    record = parser.parse(document.text, id=document.id).to_record()
    return [{key: mention[key] for key in ("start", "end", "lat", "lon")} for mention in record["mentions"]]


def _resolve_gold_spans(parser, document) -> list[tuple[float, float] | None]:
    """Oracle: the coordinates the parser gives each gold span (None when unresolved)."""
    mentions = parser.resolve_spans(document.text, document.spans)
    return [None if m.place is None else (m.place.lat, m.place.lon) for m in mentions]


def _parse_claims(parser, document) -> dict:
    """End to end with claims: the record ``geomap parse`` writes for a claim gold passage."""
    return parser.parse(document.text, id=document.id).to_record()


def _run_task(task: Callable, documents: Sequence, *, model: str, gazetteer_path: str | None,
              workers: int, demonyms: bool = False, claims: bool = False) -> Iterator:
    """Yield ``task(parser, document)`` for each document, in order, in ``workers`` processes.

    The parser under test is configured as ``geomap parse`` would be, with claim
    extraction only when ``claims`` is set. Parsing is a pure function of the document's id and text, so the
    order of work does not change the results; a document the parser fails on
    stops the evaluation (its scores would be wrong).
    """
    from geomap.batch import ParsePool
    from geomap.errors import EvaluationError
    from geomap.pipeline import ParserConfig

    config = ParserConfig(gazetteer_path, model, claims=claims, demonyms=demonyms)
    with ParsePool(config, min(workers, len(documents))) as pool:
        for document, output, error in pool.map(task, ((document, (document,)) for document in documents)):
            if error is not None:
                raise EvaluationError(f"document {document.id!r}: the parser failed ({error})")
            yield output


def _run_by_convention(task: Callable, documents: Sequence, demonyms: str, **options) -> Iterator:
    """``_run_task`` over the documents, each parsed with its corpus's demonym convention; yields in order.

    ``demonyms`` is "auto" (by corpus, see :data:`geomap.evaluation.DEMONYM_CORPORA`), "yes" or "no".
    """
    from geomap.evaluation import counts_demonyms

    flags = [counts_demonyms(d.corpus) if demonyms == "auto" else demonyms == "yes" for d in documents]
    outputs: dict[int, object] = {}
    pending = iter(range(len(documents)))
    next_index = next(pending, None)
    for flag in dict.fromkeys(flags):
        indices = [i for i, f in enumerate(flags) if f == flag]
        for i, output in zip(indices, _run_task(task, [documents[i] for i in indices], demonyms=flag, **options)):
            outputs[i] = output
            while next_index is not None and next_index in outputs:
                yield outputs.pop(next_index)
                next_index = next(pending, None)


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
@click.option("--errors", "show_errors", is_flag=True,
              help="Claim gold files: also print every missed gold claim and every false claim.")
@click.option("--demonyms", type=click.Choice(["auto", "yes", "no"]), default="auto", show_default=True,
              help="Count demonyms ('Syrian') as mentions of their place: 'auto' follows each corpus's "
                   "annotation convention (lgl, gwn and trnews count them).")
@cli_errors
def eval_cmd(gold_files, oracle, match, as_json, model, gazetteer_path, limit, workers, show_errors, demonyms):
    """Score recognition and resolution against gold JSONL files (GOLD_FILES).

    \b
    Prints, per corpus and overall: exact and overlap precision/recall/F1,
    acc161 (share placed within 161 km), mean and median error (km), AUC,
    coverage, and acc161_all (found and within 161 km, over all gold toponyms
    with coordinates). The gold format and the metrics are those of
    ../shared/eval/README.md.

    \b
    Claim gold files (lines with ranges and corridors, no toponyms) are scored
    for claims instead: ranges recall/precision, origin right, corridors
    recall/precision, negative passages with a claim, and places found;
    --errors lists each missed and each false claim.

    \b
    Examples:
      geomap eval ../shared/eval/dev/*.jsonl --workers 2
      geomap eval ../shared/eval/dev/lgl.dev.jsonl --oracle --limit 50 --json
      geomap eval ../shared/eval/dev/claims.dev.jsonl --errors
    """
    from gazetteer.progress import progress_bar
    from geomap.errors import InputError
    from geomap.evaluation import read_gold_files, score_oracle, score_predictions
    from geomap.evaluation.claims import is_claim_gold_file

    claim_files = [path for path in gold_files if is_claim_gold_file(path)]
    if claim_files:
        _eval_claims(claim_files, as_json=as_json, show_errors=show_errors, model=model,
                     gazetteer_path=gazetteer_path, limit=limit, workers=workers)
        gold_files = [path for path in gold_files if path not in claim_files]
        if not gold_files:
            return
    documents = read_gold_files(gold_files, limit=limit)
    if not documents:
        raise InputError(f"no gold documents in {', '.join(gold_files)}")
    task = _resolve_gold_spans if oracle else _predict_mentions
    outputs = _run_by_convention(task, documents, demonyms, model=model, gazetteer_path=gazetteer_path,
                                 workers=workers)
    outputs = progress_bar(outputs, total=len(documents), desc="eval", unit=" docs")
    pairs = zip(documents, outputs)
    result = score_oracle(pairs) if oracle else score_predictions(pairs, match=match)
    if as_json:
        report = {"files": list(gold_files), "model": model, "limit": limit, "demonyms": demonyms,
                  **result.to_dict()}
        click.echo(json.dumps(report, indent=2))
    else:
        click.echo(result.format_table())


def _eval_claims(paths: Sequence[str], *, as_json: bool, show_errors: bool, limit: int | None, **options) -> None:
    """Score the claim gold files: parse each passage with claims and print the figures."""
    from gazetteer.progress import progress_bar
    from geomap.evaluation.claims import read_claim_gold, score_claims

    passages = [p for path in paths for p in read_claim_gold(path, limit=limit)]
    records = _run_task(_parse_claims, passages, claims=True, **options)
    records = progress_bar(records, total=len(passages), desc="eval claims", unit=" docs")
    result = score_claims(zip(passages, records))
    if as_json:
        report = {"files": list(paths), "limit": limit, "claims": result.to_dict()}
        if show_errors:
            report["errors"] = result.errors
        click.echo(json.dumps(report, indent=2))
    else:
        click.echo(result.format_table(errors=show_errors))

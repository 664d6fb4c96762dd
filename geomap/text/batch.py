"""Parsing many articles, in parallel worker processes.

Parsing is a pure function of (id, text) given a :class:`ParserConfig`, so
each worker builds one Parser at start-up and articles are mapped over the
pool in order; the same function could run on a cluster engine.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict

from geomap.text.pipeline import Parser, ParserConfig

_worker_parser: Parser | None = None
_worker_error: str | None = None


def _init_worker(config: dict) -> None:
    # A raising initializer makes a pool respawn workers forever: keep the error, report it per article.
    global _worker_parser, _worker_error
    try:
        _worker_parser = Parser(**config, quiet=True)
    except Exception as exc:
        _worker_error = f"{type(exc).__name__}: {exc}"


def _run(job: tuple[str, str, Callable]) -> tuple[str, object, str | None]:
    doc_id, text, finish = job
    if _worker_parser is None:
        return doc_id, None, _worker_error or "the parser could not start"
    try:
        return doc_id, finish(_worker_parser, doc_id, text), None
    except Exception as exc:  # reported per article; the batch goes on
        return doc_id, None, f"{type(exc).__name__}: {exc}"


def to_record(parser: Parser, doc_id: str, text: str) -> dict:
    """The default per-article work: the JSON record of ``geomap parse``."""
    return parser.parse(text, id=doc_id).to_record()


def parse_many(items: Iterable[tuple[str, str]], config: ParserConfig, *, workers: int = 1,
               finish: Callable = to_record, parser: Parser | None = None
               ) -> Iterator[tuple[str, object, str | None]]:
    """Yield ``(id, result, error)`` for each ``(id, text)``, in input order.

    ``finish(parser, id, text)`` is what each worker computes (a picklable
    module-level function); its result must be picklable. With ``workers=1``
    the work runs in this process (on ``parser`` when given).
    """
    if workers <= 1:
        global _worker_parser
        _worker_parser = parser or Parser(**asdict(config), quiet=True)
        for doc_id, text in items:
            yield _run((doc_id, text, finish))
        return
    ctx = mp.get_context("spawn" if mp.get_start_method(allow_none=True) == "spawn" else "fork")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(asdict(config),)) as pool:
        yield from pool.imap(_run, ((i, t, finish) for i, t in items), chunksize=4)

"""Parsing many articles, in parallel worker processes.

Parsing is a pure function of (id, text) given a :class:`ParserConfig`, so
each worker process builds one Parser at start-up and runs the tasks sent to
it; the same functions could run on a cluster engine. :class:`ParsePool` is
the one implementation behind ``geomap parse`` (:func:`parse_many`),
``geomap ingest`` (:mod:`geomap.store.ingest`) and ``geomap eval``.

A task is a picklable module-level function ``task(parser, *args)``; its
result must be picklable. An exception in a task is reported as an error
message for that item and the batch goes on; a parser that cannot be built
raises its error in the calling process. Workers end when their parent
process dies, even by ``kill -9`` (:func:`exit_with_parent`).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from geomap.errors import WorkerDied
from geomap.pipeline import Parser, ParserConfig

#: The outcome of one task: (result, None), or (None, "ExceptionType: message") when it failed.
TaskOutcome = tuple[Any, str | None]

# --------------------------------------------------------------------------- worker side
_worker_parser: Parser | None = None
_worker_init_error: Exception | None = None


def build_parser(config: ParserConfig, *, quiet: bool = True) -> Parser:
    """The parser a worker (or the main process) uses, built from a picklable config."""
    return Parser.from_config(config, quiet=quiet)


#: prctl(2) option: the signal the kernel sends this process when its parent dies.
PR_SET_PDEATHSIG = 1


def exit_with_parent(parent_pid: int) -> None:
    """Make this process end when its parent ``parent_pid`` dies, however it dies.

    On Linux the kernel kills it at once (``prctl(PR_SET_PDEATHSIG, SIGKILL)``); everywhere a
    watchdog thread (:func:`watch_parent`) ends it within a second of noticing the parent gone.
    A worker left behind would hold a parser's memory (about 220 MB) for nothing.
    """
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):  # no libc prctl: the watchdog still works
            pass
    watch_parent(parent_pid)


def watch_parent(parent_pid: int, interval: float = 1.0) -> None:
    """Start a daemon thread that ends this process once its parent is no longer ``parent_pid``.

    A process whose parent dies is re-parented (to init or a subreaper), so ``os.getppid()`` changes.
    The check runs once at once: the parent may have died before this was called.
    """
    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(interval)
        os._exit(1)

    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(target=watch, name="geomap-watch-parent", daemon=True).start()


def _init_worker(config: ParserConfig, parent_pid: int) -> None:
    # A raising initializer breaks the pool: keep the error, raise it from the first task instead.
    global _worker_parser, _worker_init_error
    exit_with_parent(parent_pid)
    try:
        _worker_parser = build_parser(config)
    except Exception as exc:
        _worker_init_error = exc


def _this_workers_parser() -> Parser:
    if _worker_init_error is not None:
        raise _worker_init_error
    return _worker_parser


def _worker_version() -> str:
    return _this_workers_parser().version


def _worker_run(task: Callable, args: tuple) -> TaskOutcome:
    return run_task(_this_workers_parser(), task, args)


def run_task(parser: Parser, task: Callable, args: tuple) -> TaskOutcome:
    """``task(parser, *args)`` as ``(result, None)``, or ``(None, message)`` when it raises."""
    try:
        return task(parser, *args), None
    except Exception as exc:  # one bad article must not stop the batch
        return None, f"{type(exc).__name__}: {exc}"


# --------------------------------------------------------------------------- parent side
class ParsePool:
    """Runs parse tasks with one :class:`Parser` per worker process, or in this process.

    Parameters
    ----------
    config : ParserConfig
        What each worker's parser does.
    workers : int
        Worker processes; with 1 (or fewer) the tasks run in this process, on ``parser``
        when given.
    parser : Parser, optional
        An already built parser for the in-process case.

    Use it as a context manager: leaving on an exception (Ctrl-C included) cancels the
    tasks not started yet instead of waiting for them.
    """

    def __init__(self, config: ParserConfig, workers: int = 1, *, parser: Parser | None = None):
        self.window = max(2, workers * 4)  # tasks in flight: keeps workers busy without reading everything ahead
        self._pool: ProcessPoolExecutor | None = None
        self._parser = parser
        if workers <= 1:
            self._parser = parser or build_parser(config, quiet=False)
            return
        from gazetteer import Gazetteer

        # Build (or rebuild) the default gazetteer here, once and saying so, not in every worker at the same time.
        Gazetteer.open(config.gazetteer_path).close()
        # spawn: workers start clean (no inherited SQLite handles or threads), the same on every OS
        self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_init_worker, initargs=(config, os.getpid()))
        # One probe per worker starts them all now, so they load their parsers side by side.
        self._probes = [self._pool.submit(_worker_version) for _ in range(workers)]

    @property
    def version(self) -> str:
        """The workers' :attr:`Parser.version` (raises the error that kept a parser from starting)."""
        return self._probes[0].result() if self._pool else self._parser.version

    def submit(self, task: Callable, *args) -> Future:
        """Start ``task(parser, *args)``; the future's result is a :data:`TaskOutcome`."""
        if self._pool:
            return self._pool.submit(_worker_run, task, args)
        future: Future = Future()
        future.set_result(run_task(self._parser, task, args))
        return future

    def map(self, task: Callable, jobs: Iterable[tuple[Any, tuple]], *, ordered: bool = True
            ) -> Iterator[tuple[Any, Any, str | None]]:
        """Yield ``(key, result, error)`` for each ``(key, args)`` job, running ``task(parser, *args)``.

        ``ordered`` yields in the order of ``jobs``, else as the tasks complete. At most
        :attr:`window` tasks are in flight, so ``jobs`` is read lazily. In this process
        each job runs when it is read.
        """
        if self._pool is None:
            for key, args in jobs:
                yield key, *run_task(self._parser, task, args)
            return
        in_flight: dict[Future, Any] = {}  # insertion order = job order
        for key, args in jobs:
            in_flight[self.submit(task, *args)] = key
            while len(in_flight) >= self.window:
                yield from _collect(in_flight, ordered)
        while in_flight:
            yield from _collect(in_flight, ordered)

    def close(self, cancel: bool = False) -> None:
        """Stop the workers: after the submitted tasks, or at once dropping those not started (``cancel``)."""
        if self._pool:
            self._pool.shutdown(wait=not cancel, cancel_futures=cancel)

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, exc_type, *_) -> None:
        self.close(cancel=exc_type is not None)


def _collect(in_flight: dict[Future, Any], ordered: bool) -> Iterator[tuple[Any, Any, str | None]]:
    """Yield ``(key, result, error)`` of the oldest task (``ordered``), or of every task done by now."""
    done = [next(iter(in_flight))] if ordered else wait(in_flight, return_when=FIRST_COMPLETED)[0]
    for future in done:
        key = in_flight.pop(future)
        try:
            outcome = future.result()
        except BrokenProcessPool:
            raise WorkerDied("a parser process died (killed, or out of memory?): run again, with fewer "
                             "--workers if memory is short") from None
        yield key, *outcome


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
    with ParsePool(config, workers, parser=parser) as pool:
        yield from pool.map(finish, ((doc_id, (doc_id, text)) for doc_id, text in items))

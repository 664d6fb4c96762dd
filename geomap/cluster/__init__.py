"""Parsing on a Dask cluster: an existing one (``--scheduler``), or local worker processes (``--dask N``).

Parsing is a pure function of ``(id, text)`` given a :class:`ParserConfig`, so
the cluster runs the same tasks as :class:`~geomap.batch.ParsePool`:

* each worker builds one :class:`Parser` (model and read-only gazetteer) once,
  in :class:`~geomap.cluster.worker.ParserPlugin`, a ``distributed.WorkerPlugin``; a worker that
  replaces a dead one builds its own the same way;
* articles go to the workers in partitions (lists of articles); a partition
  runs ``task(parser, *args)`` on each with :func:`~geomap.batch.run_task`,
  so a bad article is an error for that article, as in ``geomap parse``;
* finished partitions are written to a spool directory as they arrive, and read
  back in input order: the output is the one a plain parse gives, and neither a
  slow partition nor a long input fills the memory.

A worker that dies takes no record with it: the scheduler runs its partitions
again elsewhere. A partition that kills its workers again and again (Dask gives
up after ``distributed.scheduler.allowed-failures``) is reported as failed
articles, and the batch goes on.

:class:`DaskPool` has :class:`~geomap.batch.ParsePool`'s interface
(``version``, ``map``, a context manager); :func:`open_pool` picks one of them.
"""

from __future__ import annotations

import itertools
import logging
import pickle
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geomap.batch import ParsePool
from geomap.cluster.inputs import INSTALL_CLUSTER, require
from geomap.errors import ClusterError
from geomap.pipeline import Parser, ParserConfig

__all__ = ["DEFAULT_WORKER_TIMEOUT", "INSTALL_CLUSTER", "ClusterSpec", "DaskPool", "open_pool"]


#: The settings of a local cluster: no statistical profiler (it samples each worker's stack every 10 ms) and
#: slower housekeeping ticks; together they took a quarter of a local cluster's CPU time while it parsed
#: (benchmarks/bench_dask.py). A worker started by hand takes the same from the environment:
#: DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False and the like.
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.scheduler.work-stealing-interval": "1s",
}


#: How long a run waits, by default, for a worker to join a running scheduler that has none, at the start or
#: after all its workers left (seconds):
#: long enough for workers started with the scheduler to connect, short enough that a forgotten
#: `dask worker` is said before anyone wonders why nothing happens.
DEFAULT_WORKER_TIMEOUT = 60.0
#: How often a run waiting for partitions checks that the cluster still has workers (seconds).
WORKER_CHECK_SECONDS = 1.0


@dataclass(frozen=True)
class ClusterSpec:
    """Where to parse: the address of a running Dask scheduler, or a local cluster of ``local_workers``
    processes (one thread each); ``partition_size`` articles go to a worker at a time. A running scheduler
    with no worker (at the start, or once all have left) is given ``worker_timeout`` seconds for one to join
    before the run fails."""

    scheduler: str | None = None
    local_workers: int | None = None
    partition_size: int = 16
    worker_timeout: float = DEFAULT_WORKER_TIMEOUT

    def __post_init__(self):
        if (self.scheduler is None) == (self.local_workers is None):
            raise ValueError("a ClusterSpec takes either a scheduler address or a number of local workers")


# --------------------------------------------------------------------------- client side
class DaskPool:
    """Runs parse tasks on a Dask cluster, with one :class:`Parser` per worker.

    Parameters
    ----------
    config : ParserConfig
        What each worker's parser does (its gazetteer file must be readable on the workers).
    spec : ClusterSpec
        The cluster: a scheduler address, or a number of local worker processes.

    Attributes
    ----------
    startup_seconds : float
        How long the cluster took to start (local) or connect, and its workers to load their parsers.
    address : str
        The scheduler's address.
    worker_timeout : float
        How long a cluster without workers is waited for (seconds; 0: for ever).
    """

    def __init__(self, config: ParserConfig, spec: ClusterSpec):
        distributed = require("distributed", "parsing on a Dask cluster")
        import dask

        from geomap.cluster import worker  # imports distributed: only now that it is known to be there

        started = time.perf_counter()
        self._cluster = None
        self.partition_size = max(1, spec.partition_size)
        address = spec.scheduler
        if spec.local_workers:
            from gazetteer import Gazetteer

            # Build (or rebuild) the default gazetteer here, once, not in every worker at the same time.
            Gazetteer.open(config.gazetteer_path).close()
            with dask.config.set(LOCAL_CLUSTER_CONFIG):  # the nannies pass it on to their workers
                self._cluster = distributed.LocalCluster(
                    n_workers=spec.local_workers, processes=True, threads_per_worker=1, host="127.0.0.1",
                    dashboard_address=":0", silence_logs=logging.ERROR)  # any free port
            address = self._cluster.scheduler_address
        try:
            self.client = distributed.Client(address)  # waits distributed.comm.timeouts.connect
        except (OSError, TimeoutError, ValueError) as exc:
            self._close_cluster()
            raise ClusterError(f"cannot reach the Dask scheduler at {address} ({exc}); start one with "
                               "`dask scheduler`, or give --dask N for workers on this machine") from None
        self.address, self.worker_timeout = address, spec.worker_timeout
        self._wait_for_a_worker()
        plugin = worker.ParserPlugin(config)
        self.client.register_plugin(plugin)  # returns once every worker has loaded its parser (or failed to)
        self.plugin_name = plugin.name
        self._parse_partition = worker.parse_partition
        self._version = self.client.submit(worker.worker_version, self.plugin_name, pure=False).result()
        self.startup_seconds = time.perf_counter() - started

    def _wait_for_a_worker(self) -> None:
        """Return once the cluster has a worker; fail after :attr:`worker_timeout` seconds without one (0: wait
        for ever), since a task sent to a scheduler without workers waits for ever."""
        try:
            self.client.wait_for_workers(1, timeout=self.worker_timeout or None)  # 0: no deadline
        except TimeoutError:
            self.close()
            raise self._no_worker(f"no Dask worker joined the scheduler at {self.address}") from None

    def _no_worker(self, what: str) -> ClusterError:
        """The error of a cluster left without workers for :attr:`worker_timeout` seconds: ``what`` happened."""
        return ClusterError(f"{what} within {self.worker_timeout:g} s; start workers with `dask worker "
                            f"{self.address}` (each needs geomap and its gazetteer), or wait longer with "
                            "--worker-timeout")

    @property
    def version(self) -> str:
        """The workers' :attr:`Parser.version`."""
        return self._version

    @property
    def workers(self) -> int:
        """How many workers the cluster has now."""
        return len(self.client.scheduler_info(n_workers=-1)["workers"])

    def map(self, task: Callable, jobs: Iterable[tuple[Any, tuple]], *, ordered: bool = True
            ) -> Iterator[tuple[Any, Any, str | None]]:
        """Yield ``(key, result, error)`` for each ``(key, args)`` job, running ``task(parser, *args)``.

        ``ordered`` yields in the order of ``jobs`` (partitions that finish early wait in a
        spool directory, on disk), else as partitions complete. ``jobs`` is read lazily.
        """
        partitions = self._partitions(task, jobs)
        if not ordered:
            for _, results in partitions:
                yield from results
            return
        with tempfile.TemporaryDirectory(prefix="geomap-spool-") as spool:
            yield from _in_order(partitions, Path(spool))

    def _partitions(self, task: Callable, jobs: Iterable[tuple[Any, tuple]]
                    ) -> Iterator[tuple[int, list[tuple[Any, Any, str | None]]]]:
        """``(index, results)`` of each partition of ``jobs``, as they complete; a bounded number in flight."""
        window = 2 * max(1, self.workers) + 1
        batches = enumerate(_batched(jobs, self.partition_size))
        in_flight: dict[str, tuple[Any, int, list]] = {}  # future key: (future, index, article keys)
        for index, batch in itertools.islice(batches, window):
            self._submit(in_flight, index, task, batch)
        while in_flight:
            for future in self._finished([future for future, _, _ in in_flight.values()]):
                _, index, keys = in_flight.pop(future.key)
                yield index, self._results(future, keys)
                for next_index, batch in itertools.islice(batches, 1):
                    self._submit(in_flight, next_index, task, batch)

    def _finished(self, futures: list) -> list:
        """The ``futures`` that have finished, once one has; fails when the cluster has been left without workers
        for :attr:`worker_timeout` seconds (its tasks would wait for ever)."""
        from distributed import wait

        alone_since = None
        while True:
            try:
                return list(wait(futures, timeout=WORKER_CHECK_SECONDS, return_when="FIRST_COMPLETED").done)
            except TimeoutError:
                if self.workers:
                    alone_since = None
                    continue
                alone_since = alone_since or time.monotonic()
                if self.worker_timeout and time.monotonic() - alone_since >= self.worker_timeout:
                    raise self._no_worker(f"every Dask worker left the scheduler at {self.address} and none "
                                          "joined again") from None

    def _submit(self, in_flight: dict, index: int, task: Callable, batch: list[tuple[Any, tuple]]) -> None:
        future = self.client.submit(self._parse_partition, self.plugin_name, task, [args for _, args in batch],
                                    pure=False, key=f"geomap-partition-{index}-{time.time_ns()}")
        in_flight[future.key] = (future, index, [key for key, _ in batch])

    @staticmethod
    def _results(future, keys: list) -> list[tuple[Any, Any, str | None]]:
        from distributed import KilledWorker

        try:
            outcomes = future.result()
        except KilledWorker:
            message = ("WorkerDied: the Dask workers parsing this article's partition died again and again "
                       "(out of memory?)")
            outcomes = [(None, message)] * len(keys)
        finally:
            future.release()  # the result is here now: the cluster may forget it
        return [(key, *outcome) for key, outcome in zip(keys, outcomes)]

    def _close_cluster(self) -> None:
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def close(self, cancel: bool = False) -> None:
        """Disconnect; a local cluster is stopped (its unfinished partitions dropped)."""
        self.client.close()
        self._close_cluster()

    def __enter__(self) -> DaskPool:
        return self

    def __exit__(self, exc_type, *_) -> None:
        self.close(cancel=exc_type is not None)


def _batched(jobs: Iterable, size: int) -> Iterator[list]:
    iterator = iter(jobs)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _in_order(partitions: Iterable[tuple[int, list]], spool: Path) -> Iterator:
    """The items of ``(index, items)`` partitions that arrive in any order, in index order; a partition that
    arrives before its turn is written to ``spool`` and read back when its turn comes.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     list(_in_order([(1, ["c"]), (0, ["a", "b"]), (2, ["d"])], Path(d)))
    ['a', 'b', 'c', 'd']
    """
    next_index = 0
    for index, items in partitions:
        if index != next_index:
            (spool / f"{index}.pickle").write_bytes(pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL))
            continue
        yield from items
        next_index += 1
        while (waiting := spool / f"{next_index}.pickle").exists():
            yield from pickle.loads(waiting.read_bytes())
            waiting.unlink()
            next_index += 1


def open_pool(config: ParserConfig, *, workers: int = 1, cluster: ClusterSpec | None = None,
              parser: Parser | None = None) -> ParsePool | DaskPool:
    """A :class:`DaskPool` on ``cluster`` when given, else a :class:`~geomap.batch.ParsePool` of
    ``workers`` processes (or this process, on ``parser`` when given)."""
    if cluster is not None:
        return DaskPool(config, cluster)
    return ParsePool(config, workers, parser=parser)

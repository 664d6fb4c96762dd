"""Parsing on Dask (issue #23): 2 local workers against 1, and the cluster against the process pool.

Run from the repository root (needs the ``[cluster]`` extra)::

    .venv/bin/python benchmarks/bench_dask.py [--articles 160] [--repeats 3] [--partition-size 4]

Each run opens a pool, parses news articles of ../shared/eval/dev (seed, GeoVirus,
GeoWebNews, TR-News, LGL taken in turn) into ``geomap parse`` records in input order,
and closes the pool: what ``geomap parse --dask N`` (``geomap.cluster.DaskPool`` on a
``distributed.LocalCluster`` of N processes, one thread each) and ``geomap parse
--workers N`` (``geomap.batch.ParsePool``) do. The worker start-up (the cluster or
pool started and every worker's parser loaded) is timed on its own and left out of the
parsing rates.

(a) Dask with 2 workers against Dask with 1, same articles. Goal: at least 1.7x.
(b) Dask against the process pool, both with 2 workers. Goal: at least 0.9x. The ratio of the CPU
    seconds both spend (this process and its workers), which the load from other
    processes hardly moves, is shown beside it.

The three alternate within each round, in a rotating order, and the ratios are taken
per round, so that load from other processes hits them alike. On a machine shared
with other sessions, Linux's autogroup scheduling gives each session one fair share
of the CPUs however many processes it runs: there the wall-time ratio of (a) stays
near 1. The table adds what the CPU times predict for free cores (the wall time of a
run is then its busiest process's CPU time, or all its CPU time shared by the cores,
whichever is longer).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import dev_documents, table_header, table_row  # noqa: E402

GOAL_SCALING = 1.7
GOAL_AGAINST_POOL = 0.9


@dataclass
class Run:
    """One run: start-up (pool open, every worker's parser loaded) and parsing, in wall seconds; and the CPU
    seconds of this process and its children (the workers) while parsing."""

    startup: float
    parsing: float
    parsing_cpu: float
    busiest_cpu: float  # the CPU seconds of the process that worked most (a worker)
    cores: int = 1  # the workers

    @property
    def idle_machine_seconds(self) -> float:
        """The parsing's wall time on as many free cores as workers, estimated from CPU times: the busiest
        process's CPU time, or the total shared by the cores, whichever is longer."""
        return max(self.busiest_cpu, self.parsing_cpu / self.cores)


def cpu_seconds() -> dict[int, float]:
    """User and system CPU seconds of this process and of each process below it, so far, by process id."""
    import psutil

    me = psutil.Process()
    out = {}
    for proc in [me, *me.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        out[proc.pid] = times.user + times.system
    return out


def time_run(docs: list[tuple[str, str]], engine: str, workers: int, partition_size: int) -> Run:
    """Open a pool and wait until every worker has its parser, then parse ``docs`` into records in input order
    (failing on any error), then close it."""
    from geomap.batch import to_record
    from geomap.cluster import ClusterSpec, open_pool
    from geomap.pipeline import ParserConfig

    cluster = ClusterSpec(local_workers=workers, partition_size=partition_size) if engine == "dask" else None
    start = time.perf_counter()
    with open_pool(ParserConfig(), workers=workers, cluster=cluster) as pool:
        if engine == "pool":  # one probe per worker, done once its parser is loaded (DaskPool waits in __init__)
            for probe in pool._probes:
                probe.result()
        ready, before = time.perf_counter(), cpu_seconds()
        for doc_id, _, error in pool.map(to_record, ((doc_id, (doc_id, text)) for doc_id, text in docs)):
            if error:
                raise SystemExit(f"{engine} failed on {doc_id}: {error}")
        parsing, after = time.perf_counter() - ready, cpu_seconds()
    spent = [seconds - before.get(pid, 0.0) for pid, seconds in after.items()]
    return Run(ready - start, parsing, sum(spent), max(spent), cores=workers)


def measure(docs, repeats: int, partition_size: int) -> dict[str, list[Run]]:
    """The runs of each setup, the setups alternating in a rotating order."""
    setups = {"dask-1": ("dask", 1), "dask-2": ("dask", 2), "pool-2": ("pool", 2)}
    runs: dict[str, list[Run]] = {name: [] for name in setups}
    names = list(setups)
    for round_no in range(repeats):
        for name in names[round_no % 3:] + names[:round_no % 3]:
            run = time_run(docs, *setups[name], partition_size)
            runs[name].append(run)
            print(f"round {round_no + 1}: {name} start-up {run.startup:.1f} s, parsing {run.parsing:.1f} s "
                  f"({run.parsing_cpu:.1f} CPU s)", file=sys.stderr)
    return runs


def report(docs, runs: dict[str, list[Run]]) -> list[str]:
    n = len(docs)

    def per_round(name: str, field: str) -> list[float]:
        return [getattr(run, field) for run in runs[name]]

    def ratios(numerator: list[float], denominator: list[float]) -> list[float]:
        return [a / b for a, b in zip(numerator, denominator)]

    scaling = ratios(per_round("dask-1", "parsing"), per_round("dask-2", "parsing"))
    against_pool = ratios(per_round("pool-2", "parsing"), per_round("dask-2", "parsing"))
    rows = [table_row(f"{label} (art/s)", [n / t for t in per_round(name, "parsing")], ".1f")
            for name, label in (("dask-1", "Dask, 1 worker"), ("dask-2", "Dask, 2 workers"),
                                ("pool-2", "process pool, 2 workers"))]
    rows += [
        table_row("(a) Dask 2 workers / 1 worker", scaling, ".2f", f">= {GOAL_SCALING}",
                  statistics.median(scaling) >= GOAL_SCALING),
        table_row("    estimated on free cores (CPU s)", ratios(per_round("dask-1", "idle_machine_seconds"),
                                                              per_round("dask-2", "idle_machine_seconds")), ".2f"),
        table_row("(b) Dask / process pool, 2 workers", against_pool, ".2f", f">= {GOAL_AGAINST_POOL}",
                  statistics.median(against_pool) >= GOAL_AGAINST_POOL),
        table_row("    estimated on free cores (CPU s)", ratios(per_round("pool-2", "idle_machine_seconds"),
                                                              per_round("dask-2", "idle_machine_seconds")), ".2f"),
        table_row("    CPU s: process pool / Dask (load-indep.)",
                  ratios(per_round("pool-2", "parsing_cpu"), per_round("dask-2", "parsing_cpu")), ".2f"),
        table_row("    start-up included", ratios([r.startup + r.parsing for r in runs["pool-2"]],
                                                  [r.startup + r.parsing for r in runs["dask-2"]]), ".2f"),
    ]
    rows += [table_row(f"start-up, {label} (s)", per_round(name, "startup"), ".1f")
             for name, label in (("dask-1", "Dask 1 worker"), ("dask-2", "Dask 2 workers"),
                                 ("pool-2", "process pool 2 workers"))]
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=160, help="news articles parsed in each run")
    ap.add_argument("--repeats", type=int, default=3, help="rounds")
    ap.add_argument("--partition-size", type=int, default=4, help="articles per Dask task")
    args = ap.parse_args()
    from gazetteer import Gazetteer

    Gazetteer.open().close()  # rebuild a stale default gazetteer now, not inside a timing
    docs = dev_documents(limit=args.articles)
    chars = sum(len(text) for _, text in docs)
    load = os.getloadavg()[0]
    print(f"{len(docs)} news articles, {chars:,} characters; partitions of {args.partition_size}; "
          f"load average {load:.1f} on {os.cpu_count()} CPUs", file=sys.stderr)
    runs = measure(docs, args.repeats, args.partition_size)
    print(f"\nbench_dask: {len(docs)} articles, {args.repeats} rounds; load average {load:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end, on {os.cpu_count()} CPUs")
    print(table_header())
    for row in report(docs, runs):
        print(row)


if __name__ == "__main__":
    main()

"""Parsing on Dask (issue #23): 2 local workers against 1, and the cluster against the process pool.

Run from the repository root (needs the ``[cluster]`` extra)::

    .venv/bin/python benchmarks/bench_dask.py [--articles 120] [--repeats 3] [--partition-size 8]

Each run opens a pool, parses news articles of ../shared/eval/dev (seed, GeoVirus,
GeoWebNews, TR-News, LGL taken in turn) into ``geomap parse`` records in input order,
and closes the pool: what ``geomap parse --dask N`` (``geomap.cluster.DaskPool`` on a
``distributed.LocalCluster`` of N processes, one thread each) and ``geomap parse
--workers N`` (``geomap.text.batch.ParsePool``) do. The worker start-up (a cluster or
a pool started, each worker's parser loaded, one short article parsed, the pool
closed) is timed on its own and left out of the parsing rates.

(a) Dask with 2 workers against Dask with 1, same articles. Goal: at least 1.7x.
(b) Dask against the process pool, both with 2 workers. Goal: at least 0.9x.

The three alternate within each round, in a rotating order, and the ratios are taken
per round, so that load from other processes hits them alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import dev_documents, table_header, table_row  # noqa: E402

GOAL_SCALING = 1.7
GOAL_AGAINST_POOL = 0.9
WARM_UP = [("warm-up", "Strikes hit Albukamal.")]


def time_run(docs: list[tuple[str, str]], engine: str, workers: int, partition_size: int) -> float:
    """Wall seconds to open the pool, parse ``docs`` in input order and close it (failing on any error)."""
    from geomap.cluster import ClusterSpec, open_pool
    from geomap.text.batch import to_record
    from geomap.text.pipeline import ParserConfig

    cluster = ClusterSpec(local_workers=workers, partition_size=partition_size) if engine == "dask" else None
    start = time.perf_counter()
    with open_pool(ParserConfig(), workers=workers, cluster=cluster) as pool:
        for doc_id, _, error in pool.map(to_record, ((doc_id, (doc_id, text)) for doc_id, text in docs)):
            if error:
                raise SystemExit(f"{engine} failed on {doc_id}: {error}")
    return time.perf_counter() - start


def measure(docs, repeats: int, partition_size: int) -> dict[str, dict[str, list[float]]]:
    """For each setup: the wall time of whole runs and of start-up runs (one short article), per round."""
    setups = {"dask-1": ("dask", 1), "dask-2": ("dask", 2), "pool-2": ("pool", 2)}
    runs = {name: {"total": [], "startup": []} for name in setups}
    names = list(setups)
    for round_no in range(repeats):
        order = names[round_no % 3:] + names[:round_no % 3]
        for name in order:
            engine, workers = setups[name]
            runs[name]["startup"].append(time_run(WARM_UP, engine, workers, partition_size))
            runs[name]["total"].append(time_run(docs, engine, workers, partition_size))
            print(f"round {round_no + 1}: {name} start-up {runs[name]['startup'][-1]:.1f} s, "
                  f"whole run {runs[name]['total'][-1]:.1f} s", file=sys.stderr)
    return runs


def parsing_seconds(run: dict[str, list[float]]) -> list[float]:
    """Each round's whole run less the median start-up of that setup."""
    startup = statistics.median(run["startup"])
    return [total - startup for total in run["total"]]


def report(docs, runs) -> list[str]:
    n = len(docs)
    parse = {name: parsing_seconds(run) for name, run in runs.items()}
    scaling = [one / two for one, two in zip(parse["dask-1"], parse["dask-2"])]
    against_pool = [pool / dask for pool, dask in zip(parse["pool-2"], parse["dask-2"])]
    whole_against_pool = [pool / dask for pool, dask in zip(runs["pool-2"]["total"], runs["dask-2"]["total"])]
    return [
        table_row("Dask, 1 worker (art/s)", [n / t for t in parse["dask-1"]], ".1f"),
        table_row("Dask, 2 workers (art/s)", [n / t for t in parse["dask-2"]], ".1f"),
        table_row("process pool, 2 workers (art/s)", [n / t for t in parse["pool-2"]], ".1f"),
        table_row("(a) Dask 2 workers / 1 worker", scaling, ".2f", f">= {GOAL_SCALING}",
                  statistics.median(scaling) >= GOAL_SCALING),
        table_row("(b) Dask / process pool, 2 workers", against_pool, ".2f", f">= {GOAL_AGAINST_POOL}",
                  statistics.median(against_pool) >= GOAL_AGAINST_POOL),
        table_row("    the same, start-up included", whole_against_pool, ".2f"),
        table_row("start-up, Dask 1 worker (s)", runs["dask-1"]["startup"], ".1f"),
        table_row("start-up, Dask 2 workers (s)", runs["dask-2"]["startup"], ".1f"),
        table_row("start-up, process pool 2 workers (s)", runs["pool-2"]["startup"], ".1f"),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=120, help="news articles parsed in each run")
    ap.add_argument("--repeats", type=int, default=3, help="rounds")
    ap.add_argument("--partition-size", type=int, default=8, help="articles per Dask task")
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

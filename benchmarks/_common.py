"""Helpers shared by the benchmarks: the dev corpora, repeated measurements, child processes, the table.

The dev corpora are read from ../shared/eval/dev at run time and written only to
temporary files: never into the project.
"""

from __future__ import annotations

import itertools
import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "dev"
#: The news corpora of the dev set (WikToR is Wikipedia text, not news), the sample article first.
NEWS_CORPORA = ("seed", "geovirus.dev", "gwn.dev", "trnews.dev", "lgl.dev")
DEV_CORPORA = NEWS_CORPORA + ("wiktor500.dev",)


def dev_documents(corpora=NEWS_CORPORA, limit: int | None = None) -> list[tuple[str, str]]:
    """``(id, text)`` of the dev corpora, taken from each in turn so that any prefix mixes them all."""
    missing = [name for name in corpora if not (DEV / f"{name}.jsonl").exists()]
    if missing:
        raise SystemExit(f"{DEV}: no {', '.join(missing)}: the benchmarks read the dev corpora from ../shared/eval/dev")
    per_corpus = []
    for name in corpora:
        with (DEV / f"{name}.jsonl").open(encoding="utf-8") as stream:
            per_corpus.append([(doc["id"], doc["text"]) for doc in map(json.loads, stream)])
    interleaved = [doc for docs in itertools.zip_longest(*per_corpus) for doc in docs if doc is not None]
    return interleaved[:limit]


def write_jsonl(docs: list[tuple[str, str]], path: Path) -> Path:
    """The documents as a ``geomap parse`` input: one ``{"id", "text"}`` a line."""
    with path.open("w", encoding="utf-8") as out:
        for doc_id, text in docs:
            out.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    return path


def timings(func, repeat: int, *, before_each=None) -> tuple[list[float], object]:
    """Wall seconds of each of ``repeat`` runs of ``func()``, and what the last run returned.

    ``before_each()``, when given, runs untimed before each run (to clear a cache, say).
    """
    seconds, result = [], None
    for _ in range(repeat):
        if before_each is not None:
            before_each()
        start = time.perf_counter()
        result = func()
        seconds.append(time.perf_counter() - start)
    return seconds, result


def spread(values: list[float]) -> tuple[float, float, float]:
    """(median, min, max) of repeated measurements."""
    return statistics.median(values), min(values), max(values)


def table_header() -> str:
    return f"{'figure':<44} {'measured':>10}  {'noise (min - max)':<21} {'goal':<10} verdict"


def table_row(figure: str, values: list[float], fmt: str, goal: str = "(info)", passed: bool | None = None) -> str:
    """One line of the report: the figure, its median, min - max over repeats, the goal and the verdict."""
    median, low, high = spread(values)
    noise = f"{low:{fmt}} - {high:{fmt}}" if len(values) > 1 else "-"
    verdict = "-" if passed is None else "pass" if passed else "FAIL"
    return f"{figure:<44} {median:>10{fmt}}  {noise:<21} {goal:<10} {verdict}"


@dataclass
class ChildRun:
    """What one child process took: wall seconds, CPU seconds (user + system), peak resident set."""

    seconds: float
    cpu_seconds: float
    max_rss_mb: float
    stderr: str


#: Runs a command and reports its wall time and rusage. A child's ru_maxrss counts the RSS of the
#: process it was forked from (the kernel carries it over at exec), so children are started from
#: this small launcher, never from a benchmark process that may hold a model and a gazetteer.
_LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(json.dumps({"seconds": time.perf_counter() - start, "returncode": os.waitstatus_to_exitcode(status),
                  "cpu_seconds": usage.ru_utime + usage.ru_stime, "max_rss": usage.ru_maxrss}))
"""


def run_child(args: list[str], *, cwd: Path = ROOT) -> ChildRun:
    """Run a command to its end (failing loudly); its wall time, CPU time and own peak RSS."""
    done = subprocess.run([sys.executable, "-c", _LAUNCHER, *map(str, args)], cwd=cwd, capture_output=True,
                          text=True)
    report = json.loads(done.stdout) if done.returncode == 0 and done.stdout.strip() else {"returncode": -1}
    if report["returncode"] != 0:
        raise SystemExit(f"{' '.join(map(str, args))} failed ({report['returncode']}):\n{done.stderr}")
    # ru_maxrss is in KiB on Linux, in bytes on macOS
    rss_mb = report["max_rss"] / (2**20 if sys.platform == "darwin" else 2**10)
    return ChildRun(report["seconds"], report["cpu_seconds"], rss_mb, done.stderr)

"""Killing a real ``geomap ingest`` with SIGKILL at random moments loses nothing committed.

A subprocess ingests about sixty real articles with two worker processes and
prints each article id as it commits (``-v``). It is killed (its whole process
group, workers included) at a random moment: once while starting or creating
the store, then after a random number of commits plus a random fraction of a
second, so the kill lands anywhere in the writing (the moments are counted in
commits, not seconds, so a loaded machine does not make every kill land in the
start-up). Each time the store must open, pass
``PRAGMA integrity_check``, hold every article the process said it committed,
and hold only whole articles (each article row's sentence, mention and claim
counts equal its rows). The next run resumes; a last run completes the ingest.

The random moments come from ``GEOMAP_KILL_SEED`` when set (printed on failure).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from geomap.store import ArticleStore

REPO = Path(__file__).resolve().parents[1]
ARTICLES = 60
ROUNDS = 6


def write_corpus(path: Path) -> list[str]:
    """A JSONL of the sample article and dev articles (read from ../shared at run time); returns the ids."""
    # Imported here, not at the top: spawned children import this module, and there the repository's root
    # conftest.py (the doctests') is the module named conftest.
    from conftest import require_shared

    lines = []
    dev = require_shared("eval/dev")
    with open(dev / "seed.jsonl") as seed, open(dev / "geovirus.dev.jsonl") as geovirus:
        for line in itertools.islice(itertools.chain(seed, geovirus), ARTICLES):
            rec = json.loads(line)
            lines.append(json.dumps({"id": rec["id"], "text": rec["text"]}))
    path.write_text("\n".join(lines) + "\n")
    return [json.loads(line)["id"] for line in lines]


def start_ingest(corpus: Path, db: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-c", "from geomap.cli import main; main()", "ingest", str(corpus), "--db", str(db),
           "--workers", "2", "--no-progress", "-v"]
    return subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # its own process group: the kill takes the workers too


def committed_ids(stdout: str) -> set[str]:
    """The ids the process printed after committing them (a line cut by the kill is not trusted)."""
    lines = stdout.split("\n")[:-1]  # the last element is unfinished (or empty)
    return {line.split("\t", 1)[1] for line in lines if "\t" in line}


def assert_consistent(db: Path, must_hold: set[str], context: str) -> set[str]:
    """The store opens, is intact, holds ``must_hold`` and only whole articles; returns its ids."""
    if not db.exists():
        assert not must_hold, f"{context}: articles were reported committed but there is no store file"
        return set()
    with ArticleStore.open(db, create=True) as store:  # create: a store killed while being created is empty
        report = store.check()
        assert report.ok, f"{context}: {report.problems}"
        stored = set(store.article_ids())
        for article in store.load_articles(sorted(stored)):
            assert article.text and article.sentences, f"{context}: article {article.id} is partial"
    missing = must_hold - stored
    assert not missing, f"{context}: committed articles lost: {sorted(missing)}"
    return stored


class Ingest:
    """A running ``geomap ingest -v`` whose committed-id lines are collected as they arrive."""

    def __init__(self, corpus: Path, db: Path):
        self.proc = start_ingest(corpus, db)
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:  # only whole lines: the process printed them after the commit
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def wait_for_commits(self, n: int, timeout: float = 120.0) -> None:
        with self.changed:
            self.changed.wait_for(lambda: len(self.lines) >= n or self.proc.poll() is not None, timeout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)

    def finish(self, timeout: float = 300.0) -> tuple[set[str], str]:
        """Wait for the end; the committed ids and stderr."""
        self.proc.wait(timeout)
        self.reader.join(timeout)
        err = self.proc.stderr.read()
        return committed_ids("".join(self.lines)), err


def test_sigkill_at_random_moments_keeps_the_store_consistent(tmp_path):
    seed = int(os.environ.get("GEOMAP_KILL_SEED", time.time_ns() % 100_000))
    rng = random.Random(seed)
    corpus = tmp_path / "corpus.jsonl"
    ids = set(write_corpus(corpus))
    db = tmp_path / "store.sqlite"
    committed: set[str] = set()
    for round_no in range(1, ROUNDS + 1):
        run = Ingest(corpus, db)
        if round_no == 1:
            when = f"{rng.uniform(0.0, 2.0):.2f} s after the start"
            time.sleep(float(when.split()[0]))
        else:
            commits, extra = rng.randint(1, 8), rng.uniform(0.0, 0.25)
            when = f"{commits} commits + {extra:.2f} s"
            run.wait_for_commits(commits)
            time.sleep(extra)
        run.kill()
        done, err = run.finish()
        context = f"round {round_no}, killed at {when} (GEOMAP_KILL_SEED={seed}); stderr: {err[-500:]}"
        assert run.proc.returncode in (0, -signal.SIGKILL), context
        committed |= done
        stored = assert_consistent(db, committed, context)
        assert stored <= ids, context
        print(f"round {round_no}: killed at {when}; {len(committed)} reported committed, {len(stored)} stored")
    final = Ingest(corpus, db)
    done, err = final.finish()
    assert final.proc.returncode == 0, err
    assert assert_consistent(db, committed | done, "final run") == ids
    assert len(committed) >= ROUNDS - 1, "the kills should have landed after some commits"
    again = Ingest(corpus, db)
    done, err = again.finish()
    assert not done and "0 new, 0 updated, 0 re-parsed" in err, err  # nothing is written again


# --------------------------------------------------------------------------- workers die with their parent
def own_corpus(path: Path, n: int) -> None:
    """A JSONL of ``n`` short articles written for this test (own sentences, no corpus text)."""
    towns = ["Aleppo", "Homs", "Hama", "Idlib", "Latakia", "Tartus", "Raqqa", "Deir ez-Zor", "Mosul", "Erbil"]
    with path.open("w") as out:
        for i in range(n):
            a, b = towns[i % len(towns)], towns[(i * 3 + 1) % len(towns)]
            text = (f"Report {i}: convoys left {a} at dawn and reached {b} by night. Officials in {a} said the "
                    f"road to {b} stayed open, while shelling was heard north of {b}.")
            out.write(json.dumps({"id": f"own-{i}", "text": text}) + "\n")


def wait_gone(procs, timeout: float) -> list:
    """The processes of ``procs`` still running (zombies count as gone) after up to ``timeout`` seconds."""
    import psutil

    deadline = time.monotonic() + timeout
    alive = list(procs)
    while alive and time.monotonic() < deadline:
        alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        time.sleep(0.2)
    return alive


def test_workers_exit_when_the_ingest_is_killed(tmp_path):
    import psutil

    corpus = tmp_path / "corpus.jsonl"
    own_corpus(corpus, 2000)
    run = Ingest(corpus, tmp_path / "store.sqlite")
    children = []
    try:
        run.wait_for_commits(1)
        assert run.proc.poll() is None, "the ingest ended before it could be killed"
        children = psutil.Process(run.proc.pid).children(recursive=True)
        assert len(children) >= 2, children     # the two workers (and multiprocessing's helpers)
        os.kill(run.proc.pid, signal.SIGKILL)   # the parent only: its workers are left to notice
        run.proc.wait(10)
        left = wait_gone(children, 10.0)
        assert not left, f"still running 10 s after the parent was killed: {[p.cmdline() for p in left]}"
    finally:  # whatever happened, nothing of this ingest is left running (its own process group)
        try:
            os.killpg(run.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _watched_child(parent_pid: int) -> None:
    """A process that only runs the portable watchdog (no prctl), then waits to be ended by it."""
    from geomap.batch import watch_parent

    watch_parent(parent_pid, interval=0.2)
    time.sleep(60)


def _middle_process(ready) -> None:
    """Starts the watched child, reports its pid, and sleeps until it is killed."""
    import multiprocessing

    child = multiprocessing.get_context("spawn").Process(target=_watched_child, args=(os.getpid(),))
    child.start()
    ready.put(child.pid)
    time.sleep(60)


def test_the_portable_watchdog_ends_a_worker_whose_parent_died():
    import multiprocessing

    import psutil

    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Queue()
    middle = ctx.Process(target=_middle_process, args=(ready,))
    middle.start()
    child = psutil.Process(ready.get(timeout=60))
    time.sleep(1.0)  # the child is running its watchdog
    assert child.is_running()
    os.kill(middle.pid, signal.SIGKILL)
    middle.join(10)
    left = wait_gone([child], 10.0)
    if left:
        child.kill()
    assert not left, "the watched process outlived its parent"

"""Parsing on a real Dask cluster: a scheduler and two worker processes over TCP on 127.0.0.1, started here.

The cluster's output must be the output of a plain ``geomap parse`` of the same
input, byte for byte (in input order, so also after sorting by id); a worker
killed while it parses loses no article; ``--dask 2`` starts its own local
cluster; ``--format parquet`` writes GeoParquet tables that read back as the
same mentions and claims. The articles are the project's examples and short
sentences written for these tests.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

if not os.environ.get("CI"):  # under CI the extra must be there (make test installs it): fail, never skip
    pytest.importorskip("distributed", reason='the cluster tests need: pip install "geomap-mentions[cluster]"')

from click.testing import CliRunner  # noqa: E402
from distributed import Client  # noqa: E402

from geomap.cli import main  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "geomap" / "examples"
#: Short articles written for these tests (a range claim, a corridor, a few places, one with none).
OWN_ARTICLES = {
    "t-ferry": "The night ferry left Helsinki at nine and reached Tallinn before midnight, two hours late.",
    "t-flood": "Flood water closed the motorway between Dresden and Leipzig; trains still ran to Berlin.",
    "t-range": "A missile with a range of 300 km was launched from Crimea toward Odesa on Tuesday.",
    "t-route": "Aid trucks took the road from Amman through Zarqa to Mafraq, near the Syrian border.",
    "t-port": "Dockworkers in Rotterdam and Antwerp walked out, and ships waited off Hamburg.",
    "t-quiet": "Nobody said where the meeting would be held, only that it would be soon.",
    "t-alps": "Snow cut off villages above Innsbruck, and the pass into Italy at Brenner was shut.",
    "t-coast": "Fishermen from Dakar sailed north past Saint-Louis toward the Mauritanian coast.",
}


def write_articles(path: Path, suffix: str = "") -> list[str]:
    """The examples and the short articles as JSONL (with one empty text, a line parse must skip)."""
    docs = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.txt"))]
    docs += list(OWN_ARTICLES.items())
    lines = [json.dumps({"id": doc_id + suffix, "text": text}) for doc_id, text in docs]
    lines.insert(5, json.dumps({"id": "empty" + suffix, "text": ""}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [doc_id + suffix for doc_id, _ in docs]


def run_parse(*args: str, env: dict | None = None):
    result = CliRunner().invoke(main, ["parse", *args], env=env, catch_exceptions=False)
    return result


def skipped_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("skipped:")]


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> tuple[Path, list[str]]:
    path = tmp_path_factory.mktemp("dask-input") / "articles.jsonl"
    return path, write_articles(path)


@pytest.fixture(scope="module")
def plain(articles, tmp_path_factory) -> tuple[str, str]:
    """What a plain ``geomap parse`` (one process, no cluster) writes for the articles: (output, stderr)."""
    out = tmp_path_factory.mktemp("dask-plain") / "plain.jsonl"
    result = run_parse(str(articles[0]), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8"), result.stderr


def _stop(processes: list[subprocess.Popen]) -> None:
    for proc in processes:  # each started in its own session: its group holds the nanny's worker too
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for proc in processes:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


DASK = [sys.executable, "-m", "dask"]


def start_scheduler(folder: Path, processes: list[subprocess.Popen]) -> str:
    """Start a real Dask scheduler on 127.0.0.1 (its process appended to ``processes``); its address."""
    scheduler_file = folder / "scheduler.json"
    processes.append(subprocess.Popen(DASK + ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                              "--scheduler-file", str(scheduler_file)], **quiet(folder)))
    deadline = time.monotonic() + 60
    while not scheduler_file.exists():
        assert time.monotonic() < deadline, (folder / "log.txt").read_text()
        time.sleep(0.2)
    return json.loads(scheduler_file.read_text())["address"]


def quiet(folder: Path) -> dict:
    """Popen arguments: output to the folder's log, in a session of its own (stopped as a group)."""
    return {"stdout": subprocess.DEVNULL, "stderr": (folder / "log.txt").open("a"), "start_new_session": True}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A real Dask scheduler and two worker processes (each under its nanny) on 127.0.0.1: its address."""
    folder = tmp_path_factory.mktemp("dask-cluster")
    processes: list[subprocess.Popen] = []
    try:
        address = start_scheduler(folder, processes)
        for _ in range(2):
            processes.append(subprocess.Popen(DASK + ["worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                                      "--nworkers", "1", "--no-dashboard"], **quiet(folder)))
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        _stop(processes)


def test_cluster_parse_is_byte_for_byte_the_plain_parse(articles, plain, cluster, tmp_path):
    out = tmp_path / "cluster.jsonl"
    # the scheduler from the environment, as a user of an existing cluster sets it
    result = run_parse(str(articles[0]), "-o", str(out), "--partition-size", "2",
                       env={"DASK_SCHEDULER_ADDRESS": cluster})
    assert result.exit_code == 0, result.output
    plain_out, plain_err = plain
    got = out.read_text(encoding="utf-8")
    assert got == plain_out  # the same records in the same (input) order
    assert sorted(got.splitlines()) == sorted(plain_out.splitlines())
    assert [json.loads(line)["id"] for line in got.splitlines()] == articles[1]
    # the bad line is reported as a plain parse reports it
    assert skipped_lines(result.stderr) == skipped_lines(plain_err) != []
    assert f"parsed {len(articles[1])} article(s)" in result.stderr


def test_cluster_reads_globs_and_urls_in_the_order_given(articles, plain, cluster, tmp_path):
    lines = articles[0].read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "part-1.jsonl").write_text("".join(lines[:6]), encoding="utf-8")
    (tmp_path / "part-2.jsonl").write_text("".join(lines[6:9]), encoding="utf-8")
    (tmp_path / "rest.jsonl").write_text("".join(lines[9:]), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run_parse(str(tmp_path / "part-*.jsonl"), (tmp_path / "rest.jsonl").as_uri(), "-o", str(out),
                       "--scheduler", cluster, "--partition-size", "3")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == plain[0]


def kill_a_busy_worker(client: Client, run: subprocess.Popen) -> None:
    """Kill (SIGKILL) a worker of the cluster while it parses a partition for ``run``."""
    import psutil

    pids = client.run(os.getpid)
    deadline = time.monotonic() + 300
    while run.poll() is None and time.monotonic() < deadline:
        busy = [w for w, keys in client.processing().items() if any("geomap-partition" in k for k in keys)]
        if busy:  # a worker that holds a partition at this moment
            psutil.Process(pids[busy[0]]).kill()
            return
        time.sleep(0.05)
    raise AssertionError("the run ended before a worker could be killed")


def long_input(folder: Path, copies: int = 3) -> list[Path]:
    """The articles ``copies`` times under other ids: a run long enough to kill a worker in it."""
    inputs = []
    for i in range(copies):
        inputs.append(folder / f"copy-{i}.jsonl")
        write_articles(inputs[-1], suffix=f"~{i}")
    return inputs


def test_a_worker_killed_mid_run_loses_no_article(articles, plain, cluster, tmp_path):
    copies = 3
    inputs = long_input(tmp_path, copies)
    out = tmp_path / "out.jsonl"
    run = subprocess.Popen([sys.executable, "-c", "from geomap.cli import main; main()", "parse", *map(str, inputs),
                            "-o", str(out), "--scheduler", cluster, "--partition-size", "1"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with Client(cluster, timeout=60) as client:
        kill_a_busy_worker(client, run)
        _, stderr = run.communicate(timeout=600)
        client.wait_for_workers(2, timeout=120)  # the nanny starts a new worker: the next tests have two
    assert run.returncode == 0, stderr
    expected = []
    for i in range(copies):
        for line in plain[0].splitlines():
            record = json.loads(line)
            expected.append(json.dumps({**record, "id": f"{record['id']}~{i}"}, ensure_ascii=False))
    assert out.read_text(encoding="utf-8").splitlines() == expected
    assert len(skipped_lines(stderr)) == copies  # the empty article of each copy, nothing else


def test_dask_2_starts_a_local_cluster_end_to_end(articles, plain, tmp_path):
    out = tmp_path / "local.jsonl"
    result = run_parse(str(articles[0]), "-o", str(out), "--dask", "2", "--partition-size", "2")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == plain[0]


def test_ingest_parses_on_the_cluster(cluster, plain, tmp_path):
    from geomap.store import ArticleStore

    folder = tmp_path / "articles"
    folder.mkdir()
    for path in EXAMPLES.glob("*.txt"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "store.sqlite"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--scheduler", cluster,
                                       "--partition-size", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "4 new" in result.stderr
    records = {r["id"]: r for r in map(json.loads, plain[0].splitlines())}
    with ArticleStore.open(db) as store:
        assert sorted(store.article_ids()) == sorted(p.stem for p in EXAMPLES.glob("*.txt"))
        for article_id in store.article_ids():  # the places the plain parse resolved, each as often
            stored = {p.place.id: p.count for p in store.places_of_article(article_id)}
            parsed: dict[str, int] = {}
            for m in records[article_id]["mentions"]:
                if m["place_id"] and m["lat"] is not None:
                    parsed[m["place_id"]] = parsed.get(m["place_id"], 0) + 1
            assert stored == parsed


def test_parquet_tables_read_back_as_the_parse_records(articles, plain, cluster, tmp_path):
    import pyarrow.parquet as pq
    import shapely

    from gazetteer.geodesy import distance_km

    out = tmp_path / "tables"
    result = run_parse(str(articles[0]), "-o", str(out), "--format", "parquet", "--scheduler", cluster)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["articles.parquet", "corridors.parquet", "mentions.parquet",
                                                     "ranges.parquet"]
    records = [json.loads(line) for line in plain[0].splitlines()]
    assert pq.read_table(out / "articles.parquet").column("article_id").to_pylist() == articles[1]

    mentions = pq.read_table(out / "mentions.parquet")
    geo = json.loads(mentions.schema.metadata[b"geo"])
    assert geo["version"] == "1.1.0" and geo["primary_column"] == "geometry"
    assert geo["columns"]["geometry"]["encoding"] == "WKB" and geo["columns"]["geometry"]["geometry_types"] == ["Point"]
    assert "crs" not in geo["columns"]["geometry"]  # omitted: OGC:CRS84, longitude first
    rows = mentions.to_pylist()
    assert len(rows) == sum(len(r["mentions"]) for r in records)
    ferry = next(r for r in rows if r["article_id"] == "t-ferry" and r["text"] == "Tallinn")
    point = shapely.from_wkb(ferry["geometry"])
    assert (point.geom_type, point.x, point.y) == ("Point", ferry["lon"], ferry["lat"])
    assert 59 < point.y < 60 and 24 < point.x < 25  # Tallinn, lon/lat
    assert all((r["geometry"] is None) == (r["lat"] is None) for r in rows)

    ranges = pq.read_table(out / "ranges.parquet")
    assert "Polygon" in json.loads(ranges.schema.metadata[b"geo"])["columns"]["geometry"]["geometry_types"]
    claim = next(r for r in ranges.to_pylist() if r["article_id"] == "t-range")
    assert (claim["range_km"], claim["origin"]["text"]) == (300.0, "Crimea")
    circle = shapely.from_wkb(claim["geometry"])
    origin = (claim["origin"]["lat"], claim["origin"]["lon"])
    assert circle.geom_type == "Polygon" and circle.contains(shapely.Point(origin[1], origin[0]))
    for lon, lat in circle.exterior.coords:  # every vertex 300 km from the origin, on the ground
        assert distance_km(*origin, lat, lon) == pytest.approx(300.0, rel=0.005)
    corridors = pq.read_table(out / "corridors.parquet").to_pylist()
    assert len(corridors) == sum(len(r["corridors"]) for r in records)
    for row in corridors:
        if row["geometry"] is not None:
            assert shapely.from_wkb(row["geometry"]).geom_type in {"LineString", "MultiLineString", "Point"}


def test_without_the_cluster_packages_dask_says_what_to_install(articles, tmp_path):
    # The packages hidden from the import system, as on an installation without the extra.
    code = ("import sys; sys.modules['distributed'] = None; sys.modules['dask'] = None\n"
            "from geomap.cli import main\n"
            f"main(['parse', {str(articles[0])!r}, '-o', {str(tmp_path / 'x.jsonl')!r}, '--dask', '2'])")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert 'pip install "geomap-mentions[cluster]"' in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "x.jsonl").exists()


def test_an_unreachable_scheduler_is_a_clear_error(articles, tmp_path):
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):  # no one listens on port 9
        result = run_parse(str(articles[0]), "-o", str(tmp_path / "x.jsonl"), "--scheduler", "tcp://127.0.0.1:9")
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr


@pytest.mark.parametrize("command", ["parse", "ingest"])
def test_a_scheduler_without_workers_fails_after_the_worker_timeout(command, articles, tmp_path):
    processes: list[subprocess.Popen] = []
    try:
        address = start_scheduler(tmp_path, processes)  # a real scheduler that no worker ever joins
        out = ["-o", str(tmp_path / "x.jsonl")] if command == "parse" else ["--db", str(tmp_path / "s.sqlite")]
        started = time.monotonic()
        result = CliRunner().invoke(main, [command, str(articles[0]), *out, "--worker-timeout", "3"],
                                    env={"DASK_SCHEDULER_ADDRESS": address}, catch_exceptions=False)
        waited = time.monotonic() - started
    finally:
        _stop(processes)
    assert result.exit_code == 1, result.output
    assert f"no Dask worker joined the scheduler at {address} within 3 s" in result.stderr
    assert f"dask worker {address}" in result.stderr and "Traceback" not in result.stderr
    assert 3 <= waited < 60
    assert not (tmp_path / "x.jsonl").exists()


def test_a_cluster_left_without_workers_fails_after_the_worker_timeout(tmp_path):
    processes: list[subprocess.Popen] = []
    try:
        address = start_scheduler(tmp_path, processes)
        # one worker with no nanny to start another when it dies
        processes.append(subprocess.Popen(DASK + ["worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                                  "--no-nanny", "--no-dashboard"], **quiet(tmp_path)))
        out = tmp_path / "out.jsonl"
        run = subprocess.Popen([sys.executable, "-c", "from geomap.cli import main; main()", "parse",
                                *map(str, long_input(tmp_path)), "-o", str(out), "--scheduler", address,
                                "--partition-size", "1", "--worker-timeout", "3"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        with Client(address, timeout=60) as client:
            client.wait_for_workers(1, timeout=120)
            kill_a_busy_worker(client, run)
            left = time.monotonic()
            _, stderr = run.communicate(timeout=120)
            waited = time.monotonic() - left
    finally:
        _stop(processes)
    assert run.returncode == 1, stderr
    assert f"every Dask worker left the scheduler at {address} and none joined again within 3 s" in stderr
    assert "Traceback" not in stderr and 3 <= waited < 60
    assert not out.exists()  # no output that looks whole

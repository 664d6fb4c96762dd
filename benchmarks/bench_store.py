"""The article store: ingest throughput against `geomap parse` alone, and query latency on 10,000 articles.

Run from the repository root::

    .venv/bin/python benchmarks/bench_store.py [--articles 400] [--workers 1 2] [--store-size 10000]

Part 1 runs the two commands as a user would, in subprocesses, on the same JSONL of
dev articles (../shared/eval/dev, read at run time into a temporary file, never copied
into the project): ``geomap parse IN -o OUT`` (the obvious alternative: parse and write
JSON Lines) and ``geomap ingest IN --db NEW.sqlite`` (parse and store). Both include
start-up and model loading. The ratio is parse time / ingest time (goal >= 0.8: storing
costs at most a fifth of parsing). The two alternate over ``--repeat`` rounds and the
best time of each is kept, since other processes may share the machine.

Part 2 builds a SYNTHETIC store of ``--store-size`` articles by replicating the articles
parsed in part 1 under new ids (``ID#rN``), written with the real save path, then times
each ``geomap query`` (the library calls behind it, place-name resolution included, warm
page cache, distance caches cleared before every run) against the obvious alternative:
the same answer by a full scan without the indexes (no R*Tree, no mention index).
Goal: under 50 ms each.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import DEV, DEV_CORPORA, ROOT, timings  # noqa: E402  (the benchmarks' folder is on the path)

sys.path.insert(0, str(ROOT))
GEOMAP = [sys.executable, "-c", "from geomap.cli import main; main()"]


def write_corpus(path: Path, limit: int) -> int:
    """The first ``limit`` dev articles (the sample article first) as one JSONL of {id, text}."""
    n = 0
    with path.open("w", encoding="utf-8") as out:
        streams = [open(DEV / f"{name}.jsonl", encoding="utf-8") for name in DEV_CORPORA
                   if (DEV / f"{name}.jsonl").exists()]
        if not streams:
            raise SystemExit(f"no dev corpora in {DEV}: the benchmark reads them from ../shared/eval/dev")
        for line in itertools.islice(itertools.chain(*streams), limit):
            doc = json.loads(line)
            out.write(json.dumps({"id": doc["id"], "text": doc["text"]}, ensure_ascii=False) + "\n")
            n += 1
    return n


def run(args: list[str]) -> float:
    """Wall time of one geomap command (failing loudly)."""
    start = time.perf_counter()
    done = subprocess.run([*GEOMAP, *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"geomap {' '.join(args)} failed:\n{done.stderr}")
    return time.perf_counter() - start


def bench_ingest(corpus: Path, n: int, workers_list: list[int], repeat: int, tmp: Path) -> Path:
    """Part 1; returns the path of a store holding the parsed articles."""
    print(f"\nPart 1: ingest vs parse, {n} dev articles, best of {repeat} (wall time, start-up included)\n")
    print(f"{'workers':>7}  {'geomap parse':>12}  {'geomap ingest':>13}  {'parse art/s':>11}  {'ingest art/s':>12}"
          f"  {'ratio parse/ingest':>18}")
    store = tmp / "parsed.sqlite"
    for workers in workers_list:
        parse_t = ingest_t = math.inf
        for round_no in range(repeat):
            db = tmp / f"ingest-{workers}-{round_no}.sqlite"
            parse_t = min(parse_t, run(["parse", str(corpus), "-o", str(tmp / "parsed.jsonl"), "--workers",
                                        str(workers)]))
            ingest_t = min(ingest_t, run(["ingest", str(corpus), "--db", str(db), "--workers", str(workers),
                                          "--no-progress"]))
            if not store.exists():
                db.rename(store)
            else:
                db.unlink()
            for extra in tmp.glob(db.name + "-*"):
                extra.unlink()
        print(f"{workers:>7}  {parse_t:>11.1f}s  {ingest_t:>12.1f}s  {n / parse_t:>11.1f}  {n / ingest_t:>12.1f}"
              f"  {parse_t / ingest_t:>18.2f}")
    return store


def build_synthetic_store(source: Path, target: Path, size: int) -> float:
    """Replicate the parsed articles of ``source`` under new ids until ``target`` holds ``size``; seconds taken."""
    from geomap.store import ArticleStore, article_record

    with ArticleStore.open(source) as src:
        base = [(article_record(a), *src.article_status(a.id)) for a in src.load_articles(src.article_ids())]
    start = time.perf_counter()
    with ArticleStore.open(target, create=True) as store:
        for i in range(size):
            record, content_hash, version = base[i % len(base)]
            copy = i // len(base)
            if copy:
                record = {**record, "id": f"{record['id']}#r{copy}"}
            store.save_record(record, content_hash, version)
    return time.perf_counter() - start


def timed(func, repeat: int) -> tuple[float, float]:
    """(median, max) milliseconds of ``func()`` over ``repeat`` runs after one warm-up."""
    from geomap.store.base import clear_distance_caches

    func()
    seconds, _ = timings(func, repeat, before_each=clear_distance_caches)
    return statistics.median(seconds) * 1000, max(seconds) * 1000


# --------------------------------------------------------------------------- full-scan alternatives
def scan_articles(store, place_rids: list[int]) -> list[str]:
    """Articles mentioning the places, reading every mention row (no index)."""
    wanted = set(place_rids)
    counts: dict[int, int] = {}
    for article_rid, place_rid in store.con.execute("SELECT article_rid, place_rid FROM mention NOT INDEXED"):
        if place_rid in wanted:
            counts[article_rid] = counts.get(article_rid, 0) + 1
    top = sorted(counts, key=lambda r: (-counts[r], r))[:50]
    return [store.con.execute("SELECT id FROM article WHERE rid = ?", (r,)).fetchone()[0] for r in top]


def scan_near(store, lat: float, lon: float, km: float) -> list[str]:
    """Places within km, measuring every mentioned place (no R*Tree)."""
    from geomap.store.base import geodesic_km

    rows = store.con.execute("SELECT id, lat, lon FROM place WHERE rid IN (SELECT place_rid FROM mention)").fetchall()
    return [pid for pid, plat, plon in rows if geodesic_km(lat, lon, plat, plon) <= km]


def scan_covering(store, lat: float, lon: float) -> list[int]:
    """Range claims covering a point, measuring every claim with an origin (no R*Tree)."""
    from geomap.store.base import geodesic_km

    rows = store.con.execute("SELECT rid, origin_lat, origin_lon, range_km FROM range_claim"
                             " WHERE origin_lat IS NOT NULL AND range_km > 0").fetchall()
    return [rid for rid, olat, olon, km in rows if geodesic_km(olat, olon, lat, lon) <= km]


def scan_corridors(store, lat: float, lon: float, km: float) -> list[int]:
    """Corridors near a point, measuring every corridor (no R*Tree)."""
    from geomap.store.base import distance_to_corridor_km, located_points

    out = []
    for rid, data in store.con.execute("SELECT rid, data FROM corridor"):
        points = located_points(json.loads(data)["waypoints"])
        if points and distance_to_corridor_km(lat, lon, points) <= km:
            out.append(rid)
    return out


def result_size(result) -> int:
    """How many things a query found: places for near, all matching articles, else the list's length."""
    from geomap.store import ArticleMatches, NearResult

    if isinstance(result, NearResult):
        return len(result.places)
    if isinstance(result, ArticleMatches):
        return result.total
    return len(result)


def bench_queries(path: Path, repeat: int) -> None:
    from click.testing import CliRunner

    from geomap.cli import main
    from geomap.store import ArticleStore

    store = ArticleStore.open(path)
    n = store.count()
    albukamal = [rid for rid, _, _ in store.find_places("Albukamal")[0]]
    damascus, eilat = store.resolve_point("Damascus"), store.resolve_point("Eilat")
    alb_point = store.resolve_point("Albukamal")
    queries = [
        ("places --article seed-0", ["places", "--article", "seed-0"],
         lambda: store.places_of_article("seed-0"), None),
        ("articles --place Albukamal", ["articles", "--place", "Albukamal"],
         lambda: store.articles_mentioning([r for r, _, _ in store.find_places("Albukamal")[0]]),
         lambda: scan_articles(store, albukamal)),
        ("near Damascus --km 30", ["near", "Damascus", "--km", "30"],
         lambda: store.near(store.resolve_point("Damascus"), 30),
         lambda: scan_near(store, damascus.lat, damascus.lon, 30)),
        ("claims --covering Eilat", ["claims", "--covering", "Eilat"],
         lambda: store.claims_covering(store.resolve_point("Eilat")),
         lambda: scan_covering(store, eilat.lat, eilat.lon)),
        ("claims --near Albukamal --km 50", ["claims", "--near", "Albukamal", "--km", "50"],
         lambda: store.corridors_near(store.resolve_point("Albukamal"), 50),
         lambda: scan_corridors(store, alb_point.lat, alb_point.lon, 50)),
    ]
    counts = store.con.execute("SELECT (SELECT count(*) FROM mention), (SELECT count(*) FROM place),"
                               " (SELECT count(*) FROM range_claim), (SELECT count(*) FROM corridor)").fetchone()
    print(f"\nPart 2: query latency on a SYNTHETIC store of {n:,} articles (parsed dev articles replicated under new "
          f"ids): {counts[0]:,} mentions, {counts[1]:,} places, {counts[2]:,} range claims, {counts[3]:,} corridors;"
          f" median / max of {repeat} runs, ms\n")
    print(f"{'query':<34} {'results':>7}  {'indexed':>15}  {'full scan':>15}  {'speed-up':>8}  "
          f"{'CLI in-process':>14}  {'< 50 ms':>7}")
    runner = CliRunner()
    for label, cli_args, indexed, scan in queries:
        size = result_size(indexed())
        med, worst = timed(indexed, repeat)
        scan_cell, ratio = "-", "-"
        if scan is not None:
            smed, sworst = timed(scan, repeat)
            scan_cell, ratio = f"{smed:6.2f} / {sworst:6.2f}", f"{smed / med:7.1f}x"
        cli_med, _ = timed(lambda: runner.invoke(main, ["query", *cli_args, "--db", str(path)]), max(3, repeat // 4))
        print(f"{label:<34} {size:>7}  {med:6.2f} / {worst:6.2f}  {scan_cell:>15}  {ratio:>8}  {cli_med:>12.2f}  "
              f"{'yes' if worst < 50 else 'NO':>7}")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=400, help="dev articles for part 1 (max ~820)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to compare")
    parser.add_argument("--repeat", type=int, default=2, help="rounds of part 1 (best kept)")
    parser.add_argument("--store-size", type=int, default=10_000, help="articles in the synthetic store")
    parser.add_argument("--query-repeat", type=int, default=30, help="timed runs per query")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp_dir:
        tmp = Path(tmp_dir)
        corpus = tmp / "articles.jsonl"
        n = write_corpus(corpus, opts.articles)
        parsed = bench_ingest(corpus, n, opts.workers, opts.repeat, tmp)
        synthetic = tmp / "synthetic.sqlite"
        seconds = build_synthetic_store(parsed, synthetic, opts.store_size)
        print(f"\nsynthetic store: {opts.store_size:,} articles written with save_record in {seconds:.1f} s "
              f"({opts.store_size / seconds:,.0f} articles/s, one transaction each), "
              f"{synthetic.stat().st_size / 2**20:,.0f} MB")
        bench_queries(synthetic, opts.query_repeat)


if __name__ == "__main__":
    main()

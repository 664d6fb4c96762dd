"""The PostgreSQL + PostGIS store against the SQLite store: writing articles, and queries on 100,000 articles.

Run from the repository root (PostgreSQL 15 + PostGIS installed: ``make postgres``)::

    .venv/bin/python benchmarks/bench_postgis.py [--store-size 100000] [--db postgresql://...]

Without ``--db`` a throwaway cluster is started on a unix socket in a temporary directory
(as the tests do, ``tests/pg.py``) and removed after; fsync is off there, as it would be
for neither a real server nor the SQLite file (SQLite runs with its defaults: WAL,
synchronous=NORMAL), so part 1 also reports a run with PostgreSQL's fsync on, into a new database.

The articles are SYNTHETIC store records generated directly (no parsing, no ../shared data):
places in 60 clusters over the globe, each article mentioning 6 of them (a few places
much more often than others), one article in 20 with a range claim, one in 20 with a corridor
through three towns of one cluster.

Part 1 writes the same records into each store with ``save_records`` in batches of
:data:`geomap.store.ingest.BATCH_ARTICLES` (one transaction each, as ``geomap ingest``
writes): articles/s, and the ratio PostGIS / SQLite (goal >= 0.8). Parsing, the same for
both stores, is left out: it would hide the difference.

Part 2 times each ``geomap query`` behind the CLI (the library call, place-name resolution
included, distance caches cleared before every run) on both stores of ``--store-size``
articles, median / max of ``--query-repeat`` runs (goal: under 50 ms each), and checks that
both stores give the same answer.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from _common import ROOT, spread, table_header, table_row, timings  # noqa: E402

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
CLUSTERS = 60
PLACES = 6000


# --------------------------------------------------------------------------- synthetic records
def synthetic_places(rng: random.Random) -> list[dict]:
    """Places around cluster centres (jitter up to 1.5 degrees), as store records' place dicts."""
    centres = [(rng.uniform(-55, 65), rng.uniform(-180, 180)) for _ in range(CLUSTERS)]
    places = []
    for i in range(PLACES):
        lat, lon = centres[i % CLUSTERS]
        places.append({"id": f"syn:{i}", "name": f"Town {i}", "kind": "city", "lat": lat + rng.uniform(-1.5, 1.5),
                       "lon": ((lon + rng.uniform(-1.5, 1.5) + 180) % 360) - 180, "country_code": "XX",
                       "admin1": None, "population": rng.randint(0, 10**6), "source": "synthetic"})
    return places


def _claim_place(place: dict) -> dict:
    return {"text": place["name"], "lat": place["lat"], "lon": place["lon"], "inferred": False,
            "place_id": place["id"]}


def synthetic_record(i: int, places: list[dict], weights: list[float], rng: random.Random) -> dict:
    """One article's store record: three sentences naming six places, sometimes a range claim or a corridor."""
    picked = rng.choices(places, weights=weights, k=6)
    sentences, mentions, text = [], [], ""
    for s in range(3):
        a, b = picked[2 * s], picked[2 * s + 1]
        start = len(text)
        body = f"Report {i}.{s}: envoys from {a['name']} met officials of {b['name']} on Tuesday."
        for place in (a, b):
            at = start + body.index(place["name"], body.index("from") if place is a else body.index("of"))
            mentions.append({"start": at, "end": at + len(place["name"]), "text": place["name"], "sentence": s,
                             "source": "gazetteer", "label": None, "place_id": place["id"], "score": 0.9})
        text += body + " "
        sentences.append([start, start + len(body), None])
    sentence = text[sentences[0][0]:sentences[0][1]]
    ranges, corridors = [], []
    if i % 20 == 0:
        km = float(rng.choice((40, 80, 150, 300, 700)))
        ranges.append({"weapon": "rocket", "range_km": km, "range_min_km": None, "range_max_km": km,
                       "qualifier": None, "origin": _claim_place(picked[0]), "targets": [], "checks": [],
                       "sentence": sentence, "start": 0, "end": len(sentence), "range_text": f"{km:.0f} km"})
    if i % 20 == 10:  # a route through three towns of one cluster (a few hundred km)
        route = [places[(int(picked[0]["id"][4:]) + k * CLUSTERS) % len(places)] for k in range(3)]
        corridors.append({"kind": "corridor", "name": None, "waypoints": [_claim_place(p) for p in route],
                          "sentence": sentence, "start": 0, "end": len(sentence)})
    return {"id": f"syn-{i:07d}", "text": text, "title": f"Synthetic report {i}", "source": None,
            "meta": {"date": "2024-01-01"}, "sentences": sentences,
            "places": list({p["id"]: p for p in picked}.values()), "mentions": mentions,
            "ranges": ranges, "corridors": corridors}


def synthetic_records(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    places = synthetic_places(rng)
    weights = [1 / (rank + 1) ** 0.5 for rank in range(len(places))]
    return [synthetic_record(i, places, weights, rng) for i in range(n)]


# --------------------------------------------------------------------------- part 1
def write_all(store, records: list[dict]) -> float:
    """Seconds to write the records in ingest's batches."""
    from geomap.store.ingest import BATCH_ARTICLES

    start = time.perf_counter()
    for at in range(0, len(records), BATCH_ARTICLES):
        store.save_records([(r, "hash", "synthetic") for r in records[at:at + BATCH_ARTICLES]])
    return time.perf_counter() - start


def bench_writes(sqlite_db: str, postgres_url: str, records: list[dict], fsync_on) -> None:
    from geomap.store import open_store

    print(f"\nPart 1: writing {len(records):,} synthetic articles in batches (articles/s)\n")
    rates = {}
    for label, db in (("SQLite (WAL, synchronous=NORMAL)", sqlite_db), ("PostGIS (fsync off)", postgres_url)):
        with open_store(db, create=True) as store:
            rates[label] = len(records) / write_all(store, records)
    if fsync_on is not None:  # a throwaway cluster runs with fsync off: the same writes with it on, into a new database
        url = fsync_on(True)
        with open_store(url, create=True) as store:
            rates["PostGIS (fsync on)"] = len(records) / write_all(store, records)
        fsync_on(False)
    print(table_header())
    for label, rate in rates.items():
        print(table_row(label, [rate], ",.0f"))
    sqlite_rate, postgis_rate = rates["SQLite (WAL, synchronous=NORMAL)"], rates["PostGIS (fsync off)"]
    print(table_row("ratio PostGIS / SQLite (fsync off)", [postgis_rate / sqlite_rate], ".2f", ">= 0.8",
                    postgis_rate / sqlite_rate >= 0.8))
    if "PostGIS (fsync on)" in rates:
        ratio = rates["PostGIS (fsync on)"] / sqlite_rate
        print(table_row("ratio PostGIS (fsync on) / SQLite", [ratio], ".2f", ">= 0.8", ratio >= 0.8))


# --------------------------------------------------------------------------- part 2
def query_set(store) -> list[tuple[str, object]]:
    """The queries of ``geomap query`` as library calls (what the CLI runs), on the busiest place."""
    busiest = store._row("SELECT p.name FROM place p JOIN mention m ON m.place_rid = p.rid"
                         " GROUP BY p.rid, p.name ORDER BY count(*) DESC, p.name LIMIT 1")[0]
    place = store.find_places(busiest)[0][0][1]
    point = f"{place.lat:.4f},{place.lon:.4f}"
    return [
        ("places --article syn-0001234", lambda: store.places_of_article("syn-0001234")),
        (f"articles --place '{busiest}'",
         lambda: store.articles_mentioning([r for r, _, _ in store.find_places(busiest)[0]])),
        (f"near {point} --km 30", lambda: store.near(store.resolve_point(point), 30)),
        (f"near {point} --km 150", lambda: store.near(store.resolve_point(point), 150)),
        (f"claims --covering {point}", lambda: store.claims_covering(store.resolve_point(point))),
        (f"claims --near {point} --km 50", lambda: store.corridors_near(store.resolve_point(point), 50)),
    ]


def bench_queries(stores: dict[str, str], repeat: int) -> None:
    from geomap.store import open_store
    from geomap.store.base import clear_distance_caches

    opened = {label: open_store(db) for label, db in stores.items()}
    n = next(iter(opened.values())).count()
    print(f"\nPart 2: queries on SYNTHETIC stores of {n:,} articles; ms, median / min - max of {repeat} runs\n")
    print(table_header())
    answers: dict[str, list] = {}
    for label, store in opened.items():
        for name, query in query_set(store):
            query()  # warm-up
            seconds, result = timings(query, repeat, before_each=clear_distance_caches)
            answers.setdefault(name, []).append(repr(result))
            ms = [s * 1000 for s in seconds]
            print(table_row(f"{label}: {name}"[:44], ms, ".1f", "< 50 ms", spread(ms)[0] < 50))
    same = all(len(set(a)) == 1 for a in answers.values())
    print(f"\nboth stores give the same answers to every query: {'yes' if same else 'NO'}")
    for store in opened.values():
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store-size", type=int, default=100_000, help="synthetic articles in each store")
    parser.add_argument("--query-repeat", type=int, default=30, help="timed runs per query")
    parser.add_argument("--db", default=None, help="an existing PostgreSQL database (URL) instead of a throwaway one")
    opts = parser.parse_args()
    import tempfile

    records = synthetic_records(opts.store_size)
    with tempfile.TemporaryDirectory(prefix="bench-postgis-") as tmp:
        sqlite_db = str(Path(tmp) / "synthetic.sqlite")
        cluster = None
        if opts.db:
            url, fsync_on = opts.db, None
        else:
            import pg

            if pg.missing_postgres():
                raise SystemExit(pg.missing_postgres())
            cluster = pg.start_cluster()
            url = cluster.url(cluster.new_database())

            def fsync_on(on: bool) -> str:
                """Turn fsync (and synchronous commits) on or off; the URL of a new database to write."""
                cluster.sql(f"ALTER SYSTEM SET fsync = {'on' if on else 'off'}")
                cluster.sql(f"ALTER SYSTEM SET synchronous_commit = {'on' if on else 'off'}")
                cluster.sql("SELECT pg_reload_conf()")
                return cluster.url(cluster.new_database())
        try:
            bench_writes(sqlite_db, url, records, fsync_on)
            if cluster is not None:
                cluster.sql("VACUUM ANALYZE", dbname=url.split("/")[3].split("?")[0])
            bench_queries({"SQLite": sqlite_db, "PostGIS": url}, opts.query_repeat)
        finally:
            if cluster is not None:
                pg.stop_cluster(cluster)


if __name__ == "__main__":
    main()

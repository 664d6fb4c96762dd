"""Parsing (issue #3): throughput against spaCy NER alone, cold start, and peak memory, against goals.

Run from the repository root::

    .venv/bin/python benchmarks/bench_parse.py [--articles 300] [--repeats 3] [--workers 1 2]
                                               [--cold-repeats 5] [--memory-runs 2] [--profile]

(a) Throughput of ``geomap.batch.parse_many`` (what ``geomap parse`` runs, claims
    included) over news articles of ../shared/eval/dev (seed, GeoVirus, GeoWebNews,
    TR-News, LGL taken in turn), against the obvious alternative: ``nlp.pipe`` of the
    spaCy pipeline the Parser loads (the same model and components) over the same texts,
    with as many processes (``n_process``, batches of 16). Goal: geomap at least 0.7 of
    spaCy's rate. With one worker both run in this process, the model loaded beforehand;
    with more both include starting their processes (geomap's workers each load the
    model and the gazetteer, spaCy forks its own with the model loaded): geomap's worker
    start-up is shown on its own. The two alternate, and the ratio is taken per round so
    that load from other processes hits both alike; with one worker the ratio of CPU
    times (hardly touched by that load) is shown too.
(b) Cold start: wall time of a fresh ``.venv/bin/geomap places ../shared/eval/dev/seed.jsonl``
    (goal < 3 s), against ``python -c "import spacy; spacy.load(MODEL)"``; also the same
    command in the gazetteer-only mode (``--model none``: the start-up without the model).
(c) Memory: peak resident set (``os.wait4``) of ``geomap parse`` of all the dev corpora
    with one worker (goal < 1 GB), against a process running ``nlp.pipe`` over the same texts.

``--profile`` adds a cProfile of ``parse_many`` (one worker): geomap's own costs, beyond NER.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import DEV, DEV_CORPORA, ROOT, dev_documents, run_child, table_header, table_row, write_jsonl  # noqa: E402

GOAL_RATIO = 0.7
GOAL_COLD_S = 3.0
GOAL_RSS_MB = 1024.0
#: Texts per batch sent to each of spaCy's processes (its default, 1,000, would keep one process busy).
SPACY_MP_BATCH = 16
#: Runs the spaCy-only process of part (c) (reads the texts of a JSONL file, pipes them, drops the docs).
SPACY_PIPE_SCRIPT = """
import json, sys
from geomap.text.nlp import choose_model, load_nlp
nlp = load_nlp(choose_model("auto"))
with open(sys.argv[1], encoding="utf-8") as stream:
    for doc in nlp.pipe(json.loads(line)["text"] for line in stream):
        pass
"""


# --------------------------------------------------------------------------- (a) throughput
def time_spacy(nlp, texts: list[str], workers: int) -> tuple[float, float]:
    """(wall, CPU) seconds of ``nlp.pipe`` over the texts with ``workers`` processes (CPU: this process)."""
    options = {"n_process": workers, "batch_size": SPACY_MP_BATCH} if workers > 1 else {}
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, **options):
        pass
    return time.perf_counter() - wall, time.process_time() - cpu


def time_geomap(docs: list[tuple[str, str]], config, workers: int, parser) -> tuple[float, float]:
    """(wall, CPU) seconds of ``parse_many`` over the documents (CPU: this process), failing on any error."""
    from gazetteer import Gazetteer
    from geomap.batch import parse_many

    Gazetteer.open().close()  # the gazetteer's sources changed meanwhile: rebuild it now, not in the timing
    wall, cpu = time.perf_counter(), time.process_time()
    for doc_id, _, error in parse_many(docs, config, workers=workers, parser=parser if workers == 1 else None):
        if error:
            raise SystemExit(f"geomap failed on {doc_id}: {error}")
    return time.perf_counter() - wall, time.process_time() - cpu


def measure_throughput(docs, parser, workers: int, repeats: int) -> dict:
    """Alternating timings of spaCy alone and geomap over the same documents."""
    from geomap.pipeline import ParserConfig

    config = ParserConfig()  # what `geomap parse` uses by default
    texts = [text for _, text in docs]
    spacy_runs, geomap_runs = [], []
    for round_no in range(repeats):
        pair = [lambda: spacy_runs.append(time_spacy(parser.nlp, texts, workers)),
                lambda: geomap_runs.append(time_geomap(docs, config, workers, parser))]
        for run in pair if round_no % 2 == 0 else pair[::-1]:
            run()
    startup = []
    if workers > 1:  # start the workers and parse one short article: the start-up alone
        startup = [time_geomap([("warm-up", "Strikes hit Albukamal.")], config, workers, None)[0]
                   for _ in range(repeats)]
    return {"spacy": spacy_runs, "geomap": geomap_runs, "startup": startup}


def throughput_rows(docs, runs: dict, workers: int) -> list[str]:
    """Table lines of part (a) for one number of workers."""
    n, chars = len(docs), sum(len(text) for _, text in docs)
    spacy_wall = [wall for wall, _ in runs["spacy"]]
    geomap_wall = [wall for wall, _ in runs["geomap"]]
    ratios = [s / g for s, g in zip(spacy_wall, geomap_wall)]
    label = f"{workers} worker{'s' if workers > 1 else ''}"
    rows = [
        table_row(f"(a) geomap parse_many, {label} (art/s)", [n / t for t in geomap_wall], ".1f"),
        table_row("    geomap (chars/s)", [chars / t for t in geomap_wall], ",.0f"),
        table_row(f"    spaCy nlp.pipe, n_process={workers} (art/s)", [n / t for t in spacy_wall], ".1f"),
        table_row("    spaCy (chars/s)", [chars / t for t in spacy_wall], ",.0f"),
        table_row(f"    ratio geomap / spaCy, {label}", ratios, ".2f", f">= {GOAL_RATIO}",
                  statistics.median(ratios) >= GOAL_RATIO),
    ]
    if workers == 1:
        cpu = [s / g for (_, s), (_, g) in zip(runs["spacy"], runs["geomap"])]
        rows.append(table_row("    ratio of CPU times (load-independent)", cpu, ".2f"))
    if runs["startup"]:
        startup = statistics.median(runs["startup"])
        rows += [table_row(f"    geomap worker start-up, {label} (s)", runs["startup"], ".2f"),
                 table_row("    ratio, geomap start-up left out", [s / (g - startup) for s, g in
                                                                   zip(spacy_wall, geomap_wall)], ".2f")]
    return rows


def profile_geomap(docs, parser, top: int = 25) -> None:
    """Print where ``parse_many`` spends its time in geomap's and the gazetteer's own code."""
    from geomap.pipeline import ParserConfig

    profiler = cProfile.Profile()
    profiler.runcall(time_geomap, docs, ParserConfig(), 1, parser)
    stats = pstats.Stats(profiler, stream=sys.stdout)
    print(f"\nprofile of parse_many over {len(docs)} articles (1 worker): geomap and gazetteer functions, "
          "by cumulative time (Parser._doc is the spaCy pipeline)")
    stats.sort_stats("cumulative").print_stats(re.escape(str(ROOT)) + r"/(geomap|gazetteer)/", top)
    print("by own time, all functions")
    stats.sort_stats("tottime").print_stats(top)


# --------------------------------------------------------------------------- (b) cold start
def measure_cold_start(model: str, repeats: int) -> dict[str, list[float]]:
    """Wall seconds of fresh processes: geomap places on the seed article, with and without the model; spacy.load."""
    geomap = str(Path(sys.executable).with_name("geomap"))
    if not Path(geomap).exists():
        raise SystemExit(f"{geomap} not found: run the benchmark with the project's .venv/bin/python")
    seed = str(DEV / "seed.jsonl")
    commands = {
        "geomap places": [geomap, "places", seed],
        "spacy.load": [sys.executable, "-c", f"import spacy; spacy.load({model!r})"],
        "geomap places --model none": [geomap, "places", "--model", "none", seed],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, args in commands.items():
            run = run_child(args)
            if "rebuilding" in run.stderr:  # someone changed the gazetteer's sources: time a normal start
                run = run_child(args)
            times[name].append(run.seconds)
    return times


# --------------------------------------------------------------------------- (c) memory
def measure_memory(corpus: Path, runs: int) -> dict[str, list]:
    """Peak RSS (MB) and wall time of `geomap parse` (1 worker) and of a spaCy-only process on the same file."""
    geomap = str(Path(sys.executable).with_name("geomap"))
    out = {"geomap": [], "spacy": []}
    with tempfile.TemporaryDirectory(prefix="bench-parse-") as tmp:
        for _ in range(runs):
            out["geomap"].append(run_child([geomap, "parse", str(corpus), "-o", f"{tmp}/out.jsonl", "--workers", "1"]))
            out["spacy"].append(run_child([sys.executable, "-c", SPACY_PIPE_SCRIPT, str(corpus)]))
    return out


# --------------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300, help="news articles timed in part (a)")
    ap.add_argument("--repeats", type=int, default=3, help="rounds of part (a)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts of part (a)")
    ap.add_argument("--cold-repeats", type=int, default=5, help="fresh processes per command in part (b)")
    ap.add_argument("--memory-runs", type=int, default=2, help="runs of part (c); 0 skips it")
    ap.add_argument("--profile", action="store_true", help="profile geomap's own costs after part (a)")
    args = ap.parse_args()

    from gazetteer import Gazetteer
    from geomap import Parser

    Gazetteer.open().close()  # rebuild a stale default gazetteer now, not inside a timing
    parser = Parser(quiet=True)
    docs = dev_documents(limit=args.articles)
    chars = sum(len(text) for _, text in docs)
    print(f"parser: {parser.mode} ({', '.join(parser.nlp.pipe_names)}); {len(docs)} news articles, {chars:,} "
          f"characters; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", file=sys.stderr)
    parser.parse(docs[0][1])  # warm up caches and lazy imports before timing
    for _ in parser.nlp.pipe(text for _, text in docs[:8]):
        pass

    rows = []
    for workers in args.workers:
        print(f"(a) {workers} worker(s), {args.repeats} rounds...", file=sys.stderr)
        rows += throughput_rows(docs, measure_throughput(docs, parser, workers, args.repeats), workers)
    if args.profile:
        profile_geomap(docs, parser)

    print(f"(b) cold start, {args.cold_repeats} fresh processes per command...", file=sys.stderr)
    cold = measure_cold_start(parser.model.name, args.cold_repeats)
    rows += [
        table_row("(b) cold start: geomap places seed.jsonl (s)", cold["geomap places"], ".2f", f"< {GOAL_COLD_S:g} s",
                  statistics.median(cold["geomap places"]) < GOAL_COLD_S),
        table_row("    import spacy; spacy.load(model) (s)", cold["spacy.load"], ".2f"),
        table_row("    ratio geomap places / spacy.load",
                  [g / s for g, s in zip(cold["geomap places"], cold["spacy.load"])], ".2f"),
        table_row("    geomap places --model none (s)", cold["geomap places --model none"], ".2f"),
    ]

    if args.memory_runs > 0:
        with tempfile.TemporaryDirectory(prefix="bench-parse-") as tmp:
            all_docs = dev_documents(DEV_CORPORA)
            corpus = write_jsonl(all_docs, Path(tmp) / "dev.jsonl")
            print(f"(c) memory, {len(all_docs)} dev articles, {args.memory_runs} run(s)...", file=sys.stderr)
            memory = measure_memory(corpus, args.memory_runs)
        geomap_rss = [r.max_rss_mb for r in memory["geomap"]]
        spacy_rss = [r.max_rss_mb for r in memory["spacy"]]
        rows += [
            table_row(f"(c) geomap parse, {len(all_docs)} articles: max RSS (MB)", geomap_rss, ",.0f",
                      f"< {GOAL_RSS_MB:,.0f} MB", statistics.median(geomap_rss) < GOAL_RSS_MB),
            table_row("    spaCy nlp.pipe, same texts: max RSS (MB)", spacy_rss, ",.0f"),
            table_row("    ratio geomap / spaCy", [g / s for g, s in zip(geomap_rss, spacy_rss)], ".2f"),
            table_row("    geomap parse wall time, start-up incl. (s)", [r.seconds for r in memory["geomap"]], ".1f"),
            table_row("    spaCy-only process wall time (s)", [r.seconds for r in memory["spacy"]], ".1f"),
        ]

    print(f"\nmedian and min - max over repeats; load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    print(table_header())
    print("\n".join(rows))
    print("\nratios of throughput are geomap's rate / spaCy's (higher is better), taken per round; art/s = articles "
          "per second of wall time")


if __name__ == "__main__":
    main()

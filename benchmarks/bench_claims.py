"""How much claim extraction adds to parsing: geomap.parse with claims vs without, same texts.

Run from the repository root::

    .venv/bin/python benchmarks/bench_claims.py [--corpus gwn] [--limit 60] [--repeat 3]

The texts are the dev corpora of ../shared/eval/dev (read at run time, never copied). For each
corpus the table gives the time of ``Parser(claims=False).parse`` (the obvious alternative: no
claims), of ``Parser(claims=True).parse``, and of ``extract_claims`` alone on the parsed
articles, with the ratio and the overhead. The target is an overhead under 15 % (issue 19): claims
parse (dependency parse) only the sentences that carry a route cue and a place without a role.
"""

from __future__ import annotations

import argparse
import json
import sys

from _common import DEV, ROOT, timings  # the benchmarks' folder is on the path

sys.path.insert(0, str(ROOT))


def read_texts(corpus: str, limit: int) -> list[tuple[str, str]]:
    """(id, text) of the first ``limit`` documents of a dev corpus."""
    path = DEV / f"{corpus}.dev.jsonl"
    if not path.exists():
        raise SystemExit(f"{path} not found: the benchmark reads the dev corpora from ../shared/eval/dev")
    docs = []
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            doc = json.loads(line)
            docs.append((doc["id"], doc["text"]))
            if len(docs) >= limit:
                break
    return docs


def best_of(repeat: int, func) -> float:
    """The fastest of ``repeat`` timings of ``func()`` in seconds (the least disturbed run)."""
    return min(timings(func, repeat)[0])


def bench_corpus(name: str, docs, with_claims, without_claims, repeat: int) -> dict:
    """Time both parsers and extract_claims alone over the same documents."""
    from geomap.claims import extract_claims

    # Alternate the two parsers so that load from other processes hits both alike.
    without, with_ = float("inf"), float("inf")
    for _ in range(repeat):
        without = min(without, best_of(1, lambda: [without_claims.parse(text, id=i) for i, text in docs]))
        with_ = min(with_, best_of(1, lambda: [with_claims.parse(text, id=i) for i, text in docs]))
    parsed = [without_claims.parse(text, id=i) for i, text in docs]
    alone = best_of(repeat, lambda: [extract_claims(a, with_claims.gazetteer) for a in parsed])
    claims = sum(len(r) + len(c) for r, c in (extract_claims(a, with_claims.gazetteer) for a in parsed))
    chars = sum(len(text) for _, text in docs)
    return {"corpus": name, "docs": len(docs), "chars": chars, "claims": claims, "without": without,
            "with": with_, "alone": alone}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", action="append",
                    help="dev corpora to use (default: seed, claims, gwn, trnews, lgl)")
    ap.add_argument("--limit", type=int, default=60, help="documents per corpus")
    ap.add_argument("--repeat", type=int, default=3, help="timings per measure (the best is kept)")
    args = ap.parse_args(argv)

    from gazetteer import Gazetteer
    from geomap import Parser

    gazetteer = Gazetteer.open(quiet=True)
    with_claims = Parser(claims=True, gazetteer=gazetteer, quiet=True)
    without_claims = Parser(claims=False, gazetteer=gazetteer, quiet=True)
    print(f"parser: {with_claims.mode}")

    rows = []
    from geomap.claims.syntax import parser_pipeline

    parser_pipeline()  # load the dependency parser once, before timing (as a long-running parser would)
    for corpus in args.corpus or ["seed", "claims", "gwn", "trnews", "lgl"]:
        docs = read_texts(corpus, args.limit) if corpus != "seed" else _seed()
        with_claims.parse(docs[0][1])  # warm up caches before timing
        rows.append(bench_corpus(corpus, docs, with_claims, without_claims, args.repeat))

    header = (f"{'corpus':<8} {'docs':>5} {'chars':>9} {'claims':>6} {'parse, no claims':>17} "
              f"{'parse + claims':>15} {'ratio':>6} {'extract_claims':>15} {'overhead':>9}")
    print(header)
    print("-" * len(header))
    for r in rows:
        ratio = r["with"] / r["without"]
        overhead = r["alone"] / r["without"]
        print(f"{r['corpus']:<8} {r['docs']:>5} {r['chars']:>9,} {r['claims']:>6} {r['without']:>16.3f}s "
              f"{r['with']:>14.3f}s {ratio:>6.3f} {r['alone']:>14.4f}s {overhead:>8.1%}")
    print("\nratio = parse with claims / parse without; overhead = extract_claims alone / parse without "
          "(target: < 15 %). Timings: best of --repeat runs.")


def _seed() -> list[tuple[str, str]]:
    path = DEV / "seed.jsonl"
    doc = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    return [(doc["id"], doc["text"])]


if __name__ == "__main__":
    main()

"""Spellings of places in conflict reporting (issue #22): the share a lookup places within tolerance.

Run from the repository root::

    .venv/bin/python benchmarks/bench_conflict_spellings.py [--gazetteer PATH] [--misses] [FILE ...]

Each list (default: ``benchmarks/conflict_spellings.tsv``, the tuning list, and
``benchmarks/conflict_spellings.heldout.tsv``, a third of the places kept aside and never used
to choose curated rows) has the columns ``spelling  place  tolerance_km  lat  lon  source``:
a name as news writes it (transliteration variants, former names, a name followed by its
generic word), the place it means and that place's coordinates from a public source. The
tolerance is 25 km for towns and 161 km (100 miles, the usual geoparsing tolerance) for
regions, rivers, mountains, bases and crossings.

Each spelling is looked up without context (``Gazetteer.lookup(spelling, limit=1)``); it is
placed when the first candidate lies within the tolerance of the true point. The table gives
the share placed per list against the goal (98%), and ``--misses`` lists the misses of the
tuning list (those of the held-out list only with ``--heldout-misses``: read them after tuning,
never to tune). The obvious alternative is the same lookup with fuzzy matching off (only exact
and folded names): the ratio shows what the variant and fuzzy fallbacks add.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TUNING = HERE / "conflict_spellings.tsv"
HELDOUT = HERE / "conflict_spellings.heldout.tsv"
GOAL = 0.98


@dataclass(frozen=True)
class Spelling:
    """One row of a spelling list: a name as written and the place it means."""

    spelling: str
    place: str
    tolerance_km: float
    lat: float
    lon: float


def read_spellings(path: Path) -> list[Spelling]:
    """The rows of a spelling list (tab-separated, with a header)."""
    with path.open(encoding="utf-8", newline="") as stream:
        return [Spelling(row["spelling"], row["place"], float(row["tolerance_km"]), float(row["lat"]),
                         float(row["lon"])) for row in csv.DictReader(stream, delimiter="\t")]


def placements(gazetteer, spellings: list[Spelling], *, fuzzy: bool = True) -> list[tuple[Spelling, str, float]]:
    """For each spelling: the name of the first candidate (``""`` when none) and its distance in km (inf: none)."""
    from gazetteer import geodesy

    found = []
    for row in spellings:
        best = gazetteer.lookup(row.spelling, limit=1, fuzzy=fuzzy)
        if not best:
            found.append((row, "", float("inf")))
            continue
        place = best[0].place
        found.append((row, f"{place.name} ({place.kind}, {place.country_code or '-'})",
                      float(geodesy.distance_km(place.lat, place.lon, row.lat, row.lon))))
    return found


def share_placed(found: list[tuple[Spelling, str, float]]) -> float:
    """The share of spellings whose first candidate lies within their tolerance."""
    return sum(km <= row.tolerance_km for row, _, km in found) / len(found) if found else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="spelling lists (default: the tuning and held-out lists)")
    parser.add_argument("--gazetteer", type=Path, help="a built gazetteer file (default: the default gazetteer)")
    parser.add_argument("--misses", action="store_true", help="list the misses of the tuning list")
    parser.add_argument("--heldout-misses", action="store_true", help="list the misses of the held-out list too")
    args = parser.parse_args(argv)
    from gazetteer import Gazetteer

    gazetteer = Gazetteer.open(args.gazetteer) if args.gazetteer else Gazetteer.open()
    files = args.files or [TUNING, HELDOUT]
    print(f"{'list':<36} {'spellings':>9} {'placed':>8} {'exact only':>10} {'ratio':>6}  goal")
    for path in files:
        spellings = read_spellings(path)
        found = placements(gazetteer, spellings)
        share, exact = share_placed(found), share_placed(placements(gazetteer, spellings, fuzzy=False))
        ratio = share / exact if exact else float("inf")
        verdict = "met" if share >= GOAL else "NOT met"
        print(f"{path.name:<36} {len(spellings):>9} {share:>8.1%} {exact:>10.1%} {ratio:>6.2f}  "
              f">= {GOAL:.0%} {verdict}")
        if args.misses and path != HELDOUT or args.heldout_misses:
            for row, name, km in found:
                if km > row.tolerance_km:
                    where = f"{name}, {km:,.0f} km off" if name else "nothing"
                    print(f"    miss: {row.spelling!r} ({row.place}) -> {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

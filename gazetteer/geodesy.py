"""One geodesy for the whole project: distances, destinations, boxes and nearest points on WGS84.

Every distance geomap reports or compares is measured here, on the WGS84 ellipsoid with
pyproj's :class:`~pyproj.Geod` (Karney's algorithms, the same as geographiclib's), so a
claim's check, a store's ``near`` query and the gazetteer's ``near`` agree to the metre.
The one exception is :func:`great_circle_km`, the sphere the evaluation metrics of the
geoparsing literature define; it is named for that and used there, and to find (not measure)
a path's nearest point (:func:`nearest_on_steps`).

Conventions: arguments are ``(lat, lon)`` in degrees in that order; distances are in km;
shapely geometries are ``(lon, lat)``. The distance and destination functions are
vectorised: scalars give floats, array-likes broadcast and give numpy arrays.

>>> round(distance_km(31.5017, 34.4668, 29.5581, 34.9482), 1)   # Gaza City -> Eilat
220.4
>>> [tuple(round(v, 1) for v in b) for b in bounding_boxes(-17.0, -179.99, 150)]  # Fiji, astride 180
[(-18.4, 178.6, -15.6, 180.0), (-18.4, -180.0, -15.6, -178.6)]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from pyproj import Geod

#: The WGS84 ellipsoid every distance in geomap is measured on.
WGS84 = Geod(ellps="WGS84")

#: Mean Earth radius (IUGG) in km: the sphere of the geoparsing metrics (:func:`great_circle_km`).
MEAN_EARTH_RADIUS_KM = 6371.0088

#: Half the Earth's circumference along a meridian (km): no two points are further apart on a geodesic.
HALF_MERIDIAN_KM = 20_003.93

#: A km on WGS84 spans up to 0.56% more angle than on the sphere of the mean radius (along a meridian at
#: the equator, where the ellipsoid's radius of curvature is 6,335 km): spherical boxes are grown by this
#: much, and 1 km, so they hold the ellipsoid's circle too.
SPHERE_SLACK = 1.006

#: A (lat, lon) pair in degrees.
LatLon = tuple[float, float]

#: A box as (min_lat, min_lon, max_lat, max_lon) in degrees, min_lon <= max_lon.
Box = tuple[float, float, float, float]


def _scalar_or_array(value):
    return float(value) if np.ndim(value) == 0 else value


def distance_km(lat1, lon1, lat2, lon2):
    """Geodesic distance in km on WGS84 between points; broadcasts over arrays.

    >>> round(distance_km(33.5138, 36.2765, 34.4500, 40.9186))   # Damascus -> Abu Kamal
    441
    >>> distance_km([0.0, 0.0], [0.0, 1.0], 0.0, 0.0).round(1).tolist()
    [0.0, 111.3]
    """
    if all(isinstance(v, (float, int)) for v in (lat1, lon1, lat2, lon2)):  # one pair: 10x faster without arrays
        return float(WGS84.inv(lon1, lat1, lon2, lat2)[2]) / 1000.0
    lat1, lon1, lat2, lon2 = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (lat1, lon1, lat2, lon2)))
    _, _, metres = WGS84.inv(lon1.ravel(), lat1.ravel(), lon2.ravel(), lat2.ravel())
    return _scalar_or_array(np.asarray(metres).reshape(lat1.shape) / 1000.0)


def inverse(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float, float]:
    """The geodesic from point 1 to point 2: (initial bearing, bearing on arrival, km), bearings in degrees.

    >>> [round(v) for v in inverse(0.0, 0.0, 0.0, 1.0)]
    [90, 90, 111]
    """
    azimuth, back_azimuth, metres = WGS84.inv(lon1, lat1, lon2, lat2)
    arrival = (back_azimuth + 180.0) % 360.0
    return float(azimuth), float(arrival if arrival <= 180.0 else arrival - 360.0), float(metres) / 1000.0


def great_circle_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km on a sphere of radius :data:`MEAN_EARTH_RADIUS_KM` (haversine).

    The error measure of the geoparsing literature (and ``../shared/eval``'s metrics); everything
    else measures on WGS84 with :func:`distance_km`. Broadcasts over arrays.

    >>> round(great_circle_km(31.5017, 34.4668, 29.5581, 34.9482), 1)
    221.0
    """
    a = _haversine(lat1, lon1, lat2, lon2)
    return _scalar_or_array(2 * MEAN_EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0))))


def _haversine(lat1, lon1, lat2, lon2):
    """The haversine of the central angle between points (degrees in; 0 to 1, growing with the distance)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    return np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(np.subtract(lon2, lon1)) / 2) ** 2


def within_km(lats, lons, lat: float, lon: float, km: float) -> np.ndarray:
    """Which of the points (``lats``, ``lons`` in degrees) lie within ``km`` of (``lat``, ``lon``): a boolean array.

    >>> within_km([33.51, 29.56], [36.28, 34.95], 33.0, 36.0, 100).tolist()
    [True, False]
    """
    lats = np.asarray(lats, dtype=float)
    if lats.size == 0:
        return np.zeros(lats.shape, dtype=bool)
    return np.asarray(distance_km(lats, lons, lat, lon)) <= km


def destination(lat, lon, bearing_deg, km):
    """The point reached from (``lat``, ``lon``) after ``km`` along the geodesic of initial ``bearing_deg``.

    Returns ``(lat, lon)``, longitudes in [-180, 180]; broadcasts over arrays.

    >>> [round(v, 3) for v in destination(0.0, 0.0, 90.0, 111.3195)]
    [0.0, 1.0]
    >>> round(destination(-17.0, 179.9, 90.0, 50.0)[1], 2)   # across the antimeridian
    -179.63
    """
    lat, lon, bearing, km = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (lat, lon, bearing_deg, km)))
    lons, lats, _ = WGS84.fwd(lon.ravel(), lat.ravel(), bearing.ravel(), km.ravel() * 1000.0)
    lats, lons = np.asarray(lats).reshape(lat.shape), normalize_lon(np.asarray(lons).reshape(lat.shape))
    return _scalar_or_array(lats), _scalar_or_array(lons)


def normalize_lon(lon):
    """Longitude(s) brought into [-180, 180).

    >>> normalize_lon(190.0), normalize_lon(-181.0)
    (-170.0, 179.0)
    """
    return _scalar_or_array((np.asarray(lon, dtype=float) + 180.0) % 360.0 - 180.0)


def unwrap_lons(lons: Sequence[float]) -> list[float]:
    """Longitudes made continuous along a path (no jump over 180 degrees between neighbours).

    >>> unwrap_lons([179.0, -179.0, -178.0])
    [179.0, 181.0, 182.0]
    """
    out = [float(lons[0])]
    for lon in lons[1:]:
        out.append(out[-1] + (lon - out[-1] + 180.0) % 360.0 - 180.0)
    return out


def geodesic_path(waypoints: Sequence[LatLon], *, step_km: float = 25.0) -> list[LatLon]:
    """Points along the geodesics joining consecutive waypoints, every ``step_km`` at most, ends included.

    Longitudes are unwrapped (they may leave [-180, 180]) so the path is continuous across the antimeridian.

    >>> path = geodesic_path([(0.0, 179.0), (0.0, -179.0)], step_km=100)
    >>> len(path), round(path[-1][1], 1)
    (4, 181.0)
    """
    if len(waypoints) < 2:
        raise ValueError("a geodesic path needs at least two waypoints")
    path: list[LatLon] = [tuple(map(float, waypoints[0]))]
    for (lat1, lon1), (lat2, lon2) in zip(waypoints, waypoints[1:]):
        km = distance_km(lat1, lon1, lat2, lon2)
        inner = max(1, math.ceil(km / step_km)) - 1
        if inner:
            path += [(lat, lon) for lon, lat in WGS84.npts(lon1, lat1, lon2, lat2, inner)]
        path.append((float(lat2), float(lon2)))
    lons = unwrap_lons([lon for _, lon in path])
    return [(lat, lon) for (lat, _), lon in zip(path, lons)]


def bounding_boxes(lat: float, lon: float, km: float) -> list[Box]:
    """Boxes, as (min_lat, min_lon, max_lat, max_lon), that together hold the geodesic circle of ``km``.

    One box, or two when the circle crosses the antimeridian (one on each side); a circle reaching
    a pole gets the whole band of longitudes. Spherical cap extents grown by :data:`SPHERE_SLACK`
    and 1 km, so the boxes hold the WGS84 circle: a box may be a little large, never too small.

    >>> [tuple(round(v, 2) for v in b) for b in bounding_boxes(33.51, 36.29, 30)]
    [(33.23, 35.95, 33.79, 36.63)]
    >>> bounding_boxes(89.0, 0.0, 200)[0][1:4:2]   # over the pole: every longitude
    (-180.0, 180.0)
    """
    r = (km * SPHERE_SLACK + 1.0) / MEAN_EARTH_RADIUS_KM  # angular radius, radians
    r_deg = math.degrees(r)
    min_lat, max_lat = max(lat - r_deg, -90.0), min(lat + r_deg, 90.0)
    cos_lat = math.cos(math.radians(lat))
    if min_lat <= -90.0 or max_lat >= 90.0 or r >= math.pi / 2 or math.sin(r) >= cos_lat:
        return [(min_lat, -180.0, max_lat, 180.0)]
    half = math.degrees(math.asin(math.sin(r) / cos_lat))
    return lon_span_boxes(min_lat, max_lat, lon - half, lon + half)


def area_bounding_boxes(box: Box, km: float) -> list[Box]:
    """Boxes that together hold every point within ``km`` of an area whose outline lies in ``box``.

    ``box`` is (min_lat, min_lon, max_lat, max_lon). Grown as :func:`bounding_boxes` grows a point's box,
    with the longitude margin of the box's most poleward latitude (the widest); split at the antimeridian.

    >>> [tuple(round(v, 1) for v in b) for b in area_bounding_boxes((12.1, 42.5, 19.0, 54.5), 2000)]  # Yemen
    [(-6.0, 23.3, 37.1, 73.7)]
    """
    min_lat, min_lon, max_lat, max_lon = box
    r = (km * SPHERE_SLACK + 1.0) / MEAN_EARTH_RADIUS_KM
    r_deg = math.degrees(r)
    south, north = max(min_lat - r_deg, -90.0), min(max_lat + r_deg, 90.0)
    cos_lat = math.cos(math.radians(max(abs(min_lat), abs(max_lat))))
    if south <= -90.0 or north >= 90.0 or r >= math.pi / 2 or math.sin(r) >= cos_lat:
        return [(south, -180.0, north, 180.0)]
    half = math.degrees(math.asin(math.sin(r) / cos_lat))
    return lon_span_boxes(south, north, min_lon - half, max_lon + half)


def lon_span_boxes(min_lat: float, max_lat: float, west: float, east: float) -> list[Box]:
    """The boxes from longitude ``west`` eastwards to ``east``, split at the antimeridian.

    Longitudes may lie outside [-180, 180] (unwrapped); ``east`` below ``west`` means the span
    crosses the antimeridian. A span of 360 degrees or more is the whole band of latitudes.

    >>> lon_span_boxes(-19.0, -15.0, 177.0, -178.0)      # Fiji's islands, astride 180
    [(-19.0, 177.0, -15.0, 180.0), (-19.0, -180.0, -15.0, -178.0)]
    >>> lon_span_boxes(30.0, 40.0, 190.0, 200.0)
    [(30.0, -170.0, 40.0, -160.0)]
    """
    if east < west:
        east += 360.0
    if east - west >= 360.0:
        return [(min_lat, -180.0, max_lat, 180.0)]
    shift = 360.0 * math.floor((west + 180.0) / 360.0)  # bring the west end into [-180, 180)
    west, east = west - shift, east - shift
    if east > 180.0:
        return [(min_lat, west, max_lat, 180.0), (min_lat, -180.0, max_lat, east - 360.0)]
    return [(min_lat, west, max_lat, east)]


def in_boxes(lat: float, lon: float, boxes: Sequence[Box]) -> bool:
    """Whether the point lies in one of the boxes (as :func:`lon_span_boxes` gives them; edges included).

    >>> boxes = lon_span_boxes(-19.0, -15.0, 177.0, -178.0)
    >>> in_boxes(-17.0, 179.5, boxes), in_boxes(-17.0, -179.5, boxes), in_boxes(-17.0, 176.0, boxes)
    (True, True, False)
    """
    lon = normalize_lon(lon)
    return any(south <= lat <= north and (west <= lon <= east or west <= lon + 360.0 <= east)
               for south, west, north, east in boxes)


def path_box(path: Sequence[LatLon], *, margin_deg: float = 0.02) -> list[Box]:
    """The boxes of a densified path (as :func:`geodesic_path` gives), split at the antimeridian.

    ``margin_deg`` covers a geodesic's bulge between two path points (far less than 0.02 degrees
    between points 10 km apart).

    >>> path_box([(0.0, 179.0), (0.5, 181.0)], margin_deg=0.0)
    [(0.0, 179.0, 0.5, 180.0), (0.0, -180.0, 0.5, -179.0)]
    """
    lats = [p[0] for p in path]
    lons = unwrap_lons([p[1] for p in path])
    min_lat, max_lat = max(min(lats) - margin_deg, -90.0), min(max(lats) + margin_deg, 90.0)
    return lon_span_boxes(min_lat, max_lat, min(lons) - margin_deg, max(lons) + margin_deg)


def nearest_on_steps(lat: float, lon: float, path) -> tuple[float, LatLon]:
    """The nearest point of a polyline of short steps to a point, on the sphere: (great-circle km, (lat, lon)).

    A step runs straight in degrees from one point to the next (across the antimeridian when that is
    shorter). All steps are searched at once, with no loop: along a short step the haversine of the
    distance to the point is nearly a parabola, so the parabola through the step's ends and middle
    gives the step's nearest point; the nearest of these and of the vertices is kept. ``path`` is a
    sequence of (lat, lon) or an (n, 2) array; its longitudes may be unwrapped.

    >>> km, point = nearest_on_steps(1.0, 0.5, [(0.0, 0.0), (0.0, 1.0)])
    >>> round(km, 1), [round(v, 6) for v in point]
    (111.2, [0.0, 0.5])
    """
    points = np.asarray(path, dtype=float).reshape(-1, 2)
    if not len(points):
        raise ValueError("a nearest point needs a path of at least one point")
    lats, lons = points[:, 0], points[:, 1]
    hav = _haversine(lats, lons, lat, lon)
    if len(points) > 1:
        lat_a, dlat = lats[:-1], np.diff(lats)
        lon_a, dlon = lons[:-1], (np.diff(lons) + 180.0) % 360.0 - 180.0  # a step may cross the antimeridian
        start, end, middle = hav[:-1], hav[1:], _haversine(lat_a + dlat / 2, lon_a + dlon / 2, lat, lon)
        curve = 2 * (start + end) - 4 * middle  # hav(f) = start + slope * f + curve * f**2 through the three
        slope = end - start - curve
        lowest = np.clip(np.divide(-slope, 2 * curve, out=np.zeros_like(curve), where=curve > 0), 0.0, 1.0)
        feet_lat, feet_lon = lat_a + dlat * lowest, lon_a + dlon * lowest
        lats, lons = np.concatenate([lats, feet_lat]), np.concatenate([lons, feet_lon])
        hav = np.concatenate([hav, _haversine(feet_lat, feet_lon, lat, lon)])
    i = int(np.argmin(hav))
    km = 2 * MEAN_EARTH_RADIUS_KM * math.asin(math.sqrt(min(float(hav[i]), 1.0)))
    return km, (float(lats[i]), float(normalize_lon(lons[i])))


def nearest_on_path(lat: float, lon: float, path) -> tuple[float, LatLon]:
    """The nearest point of a polyline of short steps to a point: (geodesic km, (lat, lon)).

    ``path`` (a sequence of (lat, lon) or an (n, 2) array) should be densified (:func:`geodesic_path`) so
    its steps are short: within a step of a few km the line is taken as straight in degrees, which moves
    it by metres at most. The nearest point is found on the sphere (:func:`nearest_on_steps`, all steps
    at once) and measured on WGS84.

    >>> km, point = nearest_on_path(1.0, 0.5, geodesic_path([(0.0, 0.0), (0.0, 1.0)], step_km=10))
    >>> round(km), [round(v, 3) for v in point]
    (111, [0.0, 0.5])
    """
    _, best = nearest_on_steps(lat, lon, path)
    return distance_km(lat, lon, *best), best


def distance_to_path_km(lat: float, lon: float, waypoints: Sequence[LatLon], *, step_km: float = 10.0) -> float:
    """Geodesic km from a point to the geodesic line through ``waypoints`` (one waypoint: that point).

    >>> round(distance_to_path_km(34.45, 40.92, [(33.3, 44.4), (34.46, 40.94), (33.51, 36.29)]), 1)
    0.7
    """
    if len(waypoints) == 1:
        return distance_km(lat, lon, *waypoints[0])
    return nearest_on_path(lat, lon, geodesic_path(waypoints, step_km=step_km))[0]


def _outline_rings(outline) -> list[list[LatLon]]:
    """The (lat, lon) rings of a polygonal shapely geometry's boundary."""
    polygons = getattr(outline, "geoms", [outline])
    rings = []
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            rings.append([(y, x) for x, y in ring.coords])
    return rings


def distance_to_outline_km(lat: float, lon: float, outline) -> float:
    """Geodesic km from a point to the nearest point of an area's outline (a lon/lat shapely polygon); 0 inside.

    Each ring's edges, cut into steps of a quarter degree, are searched for the nearest point all at once
    (:func:`nearest_on_path`). Outlines split at the antimeridian work as they are.

    >>> from shapely.geometry import box
    >>> distance_to_outline_km(31.5, 34.5, box(34.0, 31.0, 35.0, 32.0))
    0.0
    >>> round(distance_to_outline_km(31.5, 33.0, box(34.0, 31.0, 35.0, 32.0)))
    95
    """
    from shapely.geometry import Point

    if outline.covers(Point(normalize_lon(lon), lat)):
        return 0.0
    best = math.inf
    for ring in _outline_rings(outline):
        dense = [p for a, b in zip(ring, ring[1:]) for p in _densified_edge(a, b)] + [ring[-1]]
        best = min(best, nearest_on_path(lat, lon, dense)[0])
    return best


def _densified_edge(a: LatLon, b: LatLon, step_deg: float = 0.25) -> list[LatLon]:
    """``a`` and points every ``step_deg`` towards ``b`` (``b`` itself excluded): outline edges made short."""
    dlon = (b[1] - a[1] + 180.0) % 360.0 - 180.0
    steps = max(1, math.ceil(max(abs(b[0] - a[0]), abs(dlon)) / step_deg))
    return [(a[0] + (b[0] - a[0]) * i / steps, a[1] + dlon * i / steps) for i in range(steps)]

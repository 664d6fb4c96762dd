"""Geodesic geometry of claims: range circles, corridor lines and buffers, GeoJSON features.

A thin layer of claim shapes over :mod:`gazetteer.geodesy`, which measures everything on the
WGS84 ellipsoid, never with planar degrees: a 2,000 km circle drawn as a planar circle in
degrees is wrong by hundreds of kilometres at high latitudes. Shapes that cross the
antimeridian are split into parts on either side (a :class:`~shapely.MultiPolygon` /
:class:`~shapely.MultiLineString`), so they draw correctly on a web map. Coordinates in
shapely objects are ``(lon, lat)``.
"""

from __future__ import annotations

from collections.abc import Sequence

from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, box
from shapely.ops import unary_union
from shapely.validation import make_valid

from gazetteer import geodesy
from gazetteer.geodesy import LatLon, geodesic_path

__all__ = ["geodesic_circle", "geodesic_line", "corridor_buffer", "outline_buffer", "range_shape", "range_features",
           "corridor_features"]


def _split_at_antimeridian(shape):
    """Cut a shape drawn with continuous longitudes into parts within [-180, 180].

    The parts beyond +180 or below -180 are shifted by 360 degrees back into range.
    """
    from shapely.affinity import translate

    parts = []
    for shift in (-360.0, 0.0, 360.0):
        window = box(-180.0 + shift, -90.0, 180.0 + shift, 90.0)
        piece = shape.intersection(window)
        if not piece.is_empty:
            parts.append(translate(piece, xoff=-shift))
    return unary_union(parts) if len(parts) > 1 else parts[0]


def _as_polygonal(shape) -> Polygon | MultiPolygon:
    """Keep only the polygonal parts of a shapely result (intersections may add slivers of lines)."""
    if isinstance(shape, (Polygon, MultiPolygon)):
        return shape
    polys = [g for g in getattr(shape, "geoms", []) if isinstance(g, Polygon)]
    return MultiPolygon(polys) if len(polys) > 1 else polys[0]


def geodesic_circle(center: LatLon, radius_km: float, *, points: int = 180) -> Polygon | MultiPolygon:
    """The geodesic circle of ``radius_km`` around ``center`` as a shapely polygon in (lon, lat).

    Each vertex is the geodesic destination from the centre at an evenly spaced bearing.
    A circle crossing the antimeridian comes back as a MultiPolygon split at +-180; a
    circle containing a pole is closed along that pole.

    Parameters
    ----------
    center : (lat, lon)
    radius_km : float
        Must be positive and under half the Earth's circumference (~20,000 km).
    points : int
        Number of vertices on the circle.
    """
    if not 0 < radius_km < 20_000:
        raise ValueError(f"a range circle needs a radius between 0 and 20,000 km, got {radius_km}")
    lats, ring_lons = geodesy.destination(center[0], center[1], [360.0 * i / points for i in range(points)],
                                          radius_km)
    lats = lats.tolist()
    # Start the walk at bearing 0 and go clockwise: the longitudes unwrap continuously.
    lons = geodesy.unwrap_lons([*ring_lons.tolist(), ring_lons[0]])
    winding = lons[-1] - lons[0]
    lons = lons[:-1]
    coords = list(zip(lons, lats))
    if abs(winding) > 180.0:
        # The circle encloses a pole: the ring's longitudes run through 360 degrees.
        pole = 90.0 if center[0] > 0 else -90.0
        end_lon = lons[0] + winding
        coords = coords + [(end_lon, lats[0]), (end_lon, pole), (lons[0], pole)]
    shape = Polygon(coords)
    if not shape.is_valid:
        shape = shape.buffer(0)
    minx, _, maxx, _ = shape.bounds
    if minx < -180.0 or maxx > 180.0:
        shape = _as_polygonal(_split_at_antimeridian(shape))
    return shape


def geodesic_line(waypoints: Sequence[LatLon], *, step_km: float = 25.0) -> LineString | MultiLineString:
    """The geodesic polyline through ``waypoints`` (lat, lon), split at the antimeridian."""
    line = LineString([(lon, lat) for lat, lon in geodesic_path(waypoints, step_km=step_km)])
    minx, _, maxx, _ = line.bounds
    if minx < -180.0 or maxx > 180.0:
        return _split_at_antimeridian(line)
    return line


def corridor_buffer(waypoints: Sequence[LatLon], width_km: float, *, step_km: float = 25.0
                    ) -> Polygon | MultiPolygon:
    """A band ``width_km`` wide (half on each side) around the geodesic line through ``waypoints``.

    Built from geodesic offsets: the points ``width_km / 2`` to the left and right of every
    step of the line form one band polygon; a geodesic disc at every waypoint rounds the
    ends and fills the outside of the turns.
    """
    if width_km <= 0:
        raise ValueError(f"a corridor width must be positive, got {width_km}")
    half = width_km / 2.0
    path = geodesic_path(waypoints, step_km=step_km)
    left: list[LatLon] = []
    right: list[LatLon] = []
    for (lat1, lon1), (lat2, lon2) in zip(path, path[1:]):
        bearing, arrival, km = geodesy.inverse(lat1, lon1, lat2, lon2)
        if km == 0:
            continue
        left += [geodesy.destination(lat1, lon1, bearing - 90.0, half),
                 geodesy.destination(lat2, lon2, arrival - 90.0, half)]
        right += [geodesy.destination(lat1, lon1, bearing + 90.0, half),
                  geodesy.destination(lat2, lon2, arrival + 90.0, half)]
    outline = left + right[::-1]
    lons = geodesy.unwrap_lons([path[0][1]] + [lon for _, lon in outline])[1:]
    band = make_valid(Polygon([(lon, lat) for (lat, _), lon in zip(outline, lons)]))
    pieces = [band]
    for lat, lon in waypoints:
        # Bring each disc next to the unwrapped path so the union stays continuous.
        pieces.append(_shift_near(geodesic_circle((lat, lon), half, points=48), path[0][1]))
    shape = unary_union(pieces)
    minx, _, maxx, _ = shape.bounds
    if minx < -180.0 or maxx > 180.0:
        shape = _split_at_antimeridian(shape)
    return _as_polygonal(shape)


def _shift_near(shape, reference_lon: float):
    """Translate a shape by a multiple of 360 degrees of longitude so it lies near ``reference_lon``."""
    from shapely.affinity import translate

    centre = shape.centroid.x
    shift = round((reference_lon - centre) / 360.0) * 360.0
    return translate(shape, xoff=shift) if shift else shape


# --- GeoJSON ----------------------------------------------------------------------------------


def _located(place) -> bool:
    return place is not None and place.lat is not None and place.lon is not None


#: An area's outline is simplified to at most this many vertices before it is buffered (a circle each).
MAX_BUFFER_VERTICES = 240


def outline_buffer(outline, km: float) -> Polygon | MultiPolygon:
    """The geodesic buffer of an area's outline: every point within ``km`` of the area (lon/lat shapely).

    The union of the area and of a geodesic circle around each vertex of its outline, simplified so that
    the vertices are at most a few percent of ``km`` apart (and at most :data:`MAX_BUFFER_VERTICES`).

    >>> from shapely.geometry import box
    >>> shape = outline_buffer(box(34.0, 31.0, 35.0, 32.0), 100)
    >>> shape.contains(box(34.0, 31.0, 35.0, 32.0)), round(shape.bounds[0], 1)
    (True, 32.9)
    """
    tolerance = max(0.01, km / 111.0 / 25)
    vertices = _outer_vertices(outline, tolerance)
    while len(vertices) > MAX_BUFFER_VERTICES:
        tolerance *= 1.6
        vertices = _outer_vertices(outline, tolerance)
    circles = [geodesic_circle(vertex, km, points=48) for vertex in vertices]
    return _as_polygonal(unary_union([make_valid(outline), *circles]))


def _outer_vertices(outline, tolerance: float) -> list[LatLon]:
    """The (lat, lon) vertices of the outer rings of an outline simplified by ``tolerance`` degrees."""
    simple = outline.simplify(tolerance, preserve_topology=True)
    return [(lat, lon) for polygon in getattr(simple, "geoms", [simple]) for lon, lat in polygon.exterior.coords[:-1]]


def range_shape(claim) -> Polygon | MultiPolygon:
    """Where a range claim reaches: the geodesic buffer of its origin's outline when the origin is an area
    (``claim.origin.outline``), else the geodesic circle around its origin. Needs a located origin and a range.
    """
    origin, km = claim.origin, float(claim.range_km)
    if getattr(origin, "outline", None) is not None:
        return outline_buffer(origin.outline, km)
    return geodesic_circle((origin.lat, origin.lon), km)


def range_features(claim, *, article_id: str | None = None) -> list[dict]:
    """GeoJSON features of a range claim: its geodesic circle (when it has a number and a located
    origin), else lines from the origin to its targets, else its targets as points.

    Every feature carries the claim's sentence and its character offsets in the article.
    """
    from shapely.geometry import MultiPoint, mapping

    properties = {"article": article_id, "claim": "range", **claim.to_record()}
    points = [(t.lon, t.lat) for t in claim.targets if _located(t)]
    if _located(claim.origin) and claim.range_km:
        shape = range_shape(claim)
    elif _located(claim.origin) and points:
        origin = (claim.origin.lat, claim.origin.lon)
        shape = unary_union([geodesic_line([origin, (lat, lon)]) for lon, lat in points])
    elif points:
        shape = MultiPoint(points)
    else:
        return []
    return [{"type": "Feature", "geometry": mapping(shape), "properties": properties}]


def corridor_features(claim, width_km: float, *, article_id: str | None = None) -> list[dict]:
    """GeoJSON features of a corridor: its geodesic line and a buffer ``width_km`` wide, or its
    single located waypoint as a point. Features carry the sentence and offsets."""
    from shapely.geometry import Point, mapping

    properties = {"article": article_id, "claim": "corridor", "width_km": width_km, **claim.to_record()}
    points = [(w.lat, w.lon) for w in claim.waypoints if _located(w)]
    if len(points) >= 2:
        return [
            {"type": "Feature", "geometry": mapping(geodesic_line(points)),
             "properties": {**properties, "part": "line"}},
            {"type": "Feature", "geometry": mapping(corridor_buffer(points, width_km)),
             "properties": {**properties, "part": "buffer"}},
        ]
    if points:
        return [{"type": "Feature", "geometry": mapping(Point(points[0][1], points[0][0])),
                 "properties": {**properties, "part": "waypoint"}}]
    return []

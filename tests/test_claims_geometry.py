"""Geodesic geometry of claims: range circles (split at the antimeridian), corridor lines and buffers."""

from __future__ import annotations

import pytest
from shapely.geometry import MultiLineString, MultiPolygon, Point, Polygon

from gazetteer.geodesy import destination, distance_km
from geomap.claims.geometry import corridor_buffer, geodesic_circle, geodesic_line

GAZA = (31.5017, 34.4668)
EILAT = (29.5581, 34.9482)
TEL_AVIV = (32.0853, 34.7818)
JERUSALEM = (31.7683, 35.2137)
IRAQ, ALBUKAMAL, SYRIA = (33.0, 44.0), (34.4523, 40.9185), (35.0, 38.0)
PYONGYANG = (39.0392, 125.7625)
ANCHORAGE = (61.2181, -149.9003)
GUAM = (13.4443, 144.7937)


def lonlat(point):
    return Point(point[1], point[0])


def test_geodesic_distance_gaza_eilat():
    assert distance_km(*GAZA, *EILAT) == pytest.approx(220.3, abs=1.0)


def test_circle_vertices_lie_at_the_radius():
    circle = geodesic_circle(GAZA, 250, points=72)
    for lon, lat in list(circle.exterior.coords)[:-1]:
        assert distance_km(*GAZA, lat, lon) == pytest.approx(250, rel=1e-6)


def test_range_circle_contains_places_within_and_not_beyond():
    circle = geodesic_circle(GAZA, 250)
    assert isinstance(circle, Polygon)
    assert circle.contains(lonlat(EILAT))
    assert not geodesic_circle(GAZA, 200).contains(lonlat(EILAT))


def test_circle_is_geodesic_not_planar_at_high_latitude():
    # A planar circle in degrees would be as wide in longitude as in latitude; at 60N the
    # geodesic circle spans about twice as many degrees of longitude.
    circle = geodesic_circle((60.0, 25.0), 500)
    minx, miny, maxx, maxy = circle.bounds
    assert (maxx - minx) / (maxy - miny) == pytest.approx(2.0, rel=0.1)


def test_circle_crossing_the_antimeridian_is_split():
    circle = geodesic_circle(GUAM, 4_500)
    assert isinstance(circle, MultiPolygon)
    assert all(-180 <= g.bounds[0] and g.bounds[2] <= 180 for g in circle.geoms)
    # Containment agrees with the geodesic distance on both sides of the antimeridian.
    for point in [(19.28, 166.65), (15.0, -177.0), (10.0, -172.0), (25.0, -175.0), (35.68, 139.65)]:
        assert circle.contains(lonlat(point)) is (distance_km(*GUAM, *point) < 4_500), point


def test_circle_around_a_pole_is_closed_along_it():
    circle = geodesic_circle((80.0, 0.0), 2_000)
    assert circle.contains(Point(100.0, 89.5))
    assert circle.contains(Point(-170.0, 85.0))
    assert not circle.contains(Point(0.0, 60.0))


def test_bad_radius_is_refused():
    with pytest.raises(ValueError, match="radius"):
        geodesic_circle(GAZA, 0)


def test_corridor_line_passes_through_its_waypoints():
    line = geodesic_line([IRAQ, ALBUKAMAL, SYRIA])
    assert line.distance(lonlat(ALBUKAMAL)) < 1e-9
    assert line.coords[0] == (IRAQ[1], IRAQ[0])
    assert line.coords[-1] == pytest.approx((SYRIA[1], SYRIA[0]))


def test_corridor_buffer_has_the_requested_width():
    band = corridor_buffer([IRAQ, ALBUKAMAL, SYRIA], 50)
    assert isinstance(band, Polygon)
    # Points 20 km either side of the midpoint of a leg are inside; 30 km are outside.
    from geographiclib.geodesic import Geodesic

    leg = Geodesic.WGS84.Inverse(*IRAQ, *ALBUKAMAL)
    mid = Geodesic.WGS84.Direct(*IRAQ, leg["azi1"], leg["s12"] / 2)
    middle = (mid["lat2"], mid["lon2"])
    for side in (-90, 90):
        assert band.contains(lonlat(destination(*middle, mid["azi2"] + side, 20)))
        assert not band.contains(lonlat(destination(*middle, mid["azi2"] + side, 30)))


def test_corridor_crossing_the_antimeridian_is_split():
    line = geodesic_line([(64.7, 177.5), ANCHORAGE])   # Anadyr to Anchorage
    assert isinstance(line, MultiLineString)
    band = corridor_buffer([(64.7, 177.5), ANCHORAGE], 100)
    assert isinstance(band, MultiPolygon)
    assert all(-180 <= g.bounds[0] and g.bounds[2] <= 180 for g in band.geoms)


def test_corridor_needs_two_waypoints():
    with pytest.raises(ValueError, match="two waypoints"):
        geodesic_line([GAZA])

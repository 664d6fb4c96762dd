"""The one geodesy (gazetteer.geodesy): WGS84 distances, destinations, antimeridian boxes, nearest points."""

from __future__ import annotations

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from shapely.geometry import Polygon

from gazetteer import geodesy


@pytest.mark.parametrize("a, b", [((31.5017, 34.4668), (29.5581, 34.9482)),   # Gaza City, Eilat
                                  ((-17.0, 179.9), (-16.5, -179.8)),          # across the antimeridian
                                  ((64.1, -21.9), (-33.9, 151.2))])            # Reykjavik, Sydney
def test_distance_agrees_with_geographiclib(a, b):
    expected = Geodesic.WGS84.Inverse(*a, *b)["s12"] / 1000.0
    assert geodesy.distance_km(*a, *b) == pytest.approx(expected, abs=1e-6)


def test_destination_then_distance_round_trip():
    lat, lon = geodesy.destination(33.51, 36.29, 73.0, 412.5)
    assert geodesy.distance_km(33.51, 36.29, lat, lon) == pytest.approx(412.5, abs=1e-6)


@pytest.mark.parametrize("lat, lon, km", [(-17.0, -179.99, 150), (-17.0, 179.99, 150), (65.0, 179.5, 300),
                                          (33.5, 36.3, 30), (-89.0, 10.0, 250), (0.0, -179.0, 2000)])
def test_bounding_boxes_hold_the_circle(lat, lon, km):
    boxes = geodesy.bounding_boxes(lat, lon, km)
    for bearing in range(0, 360, 5):
        plat, plon = geodesy.destination(lat, lon, bearing, km)
        assert any(b[0] <= plat <= b[2] and b[1] <= plon <= b[3] for b in boxes), (bearing, plat, plon, boxes)
    assert all(-180.0 <= b[1] <= b[3] <= 180.0 for b in boxes)


def test_a_circle_astride_the_antimeridian_gets_two_boxes():
    west, east = geodesy.bounding_boxes(-17.0, -179.99, 150)
    assert west[3] == 180.0 and east[1] == -180.0
    assert west[1] > 178.0 and east[3] < -178.0   # narrow boxes, not the whole band of longitudes


def test_nearest_point_on_a_path_across_the_antimeridian():
    path = geodesy.geodesic_path([(-17.0, 179.0), (-17.0, -179.0)], step_km=10)
    km, (plat, plon) = geodesy.nearest_on_path(-16.5, 180.0, path)
    assert km == pytest.approx(geodesy.distance_km(-16.5, 180.0, plat, plon))
    assert 50 < km < 60 and abs(abs(plon) - 180.0) < 0.05


def test_distance_to_an_outline_is_to_its_nearest_edge_not_its_centre():
    square = Polygon([(34.0, 29.0), (36.0, 29.0), (36.0, 31.0), (34.0, 31.0)])
    assert geodesy.distance_to_outline_km(30.0, 35.0, square) == 0.0
    # A point 1 degree of longitude east of the square's east edge, at 30N: about 96 km.
    expected = geodesy.distance_km(30.0, 37.0, 30.0, 36.0)
    assert geodesy.distance_to_outline_km(30.0, 37.0, square) == pytest.approx(expected, rel=1e-3)


def test_within_km_is_vectorised():
    mask = geodesy.within_km([33.51, 29.56, 34.45], [36.28, 34.95, 40.92], 33.51, 36.28, 500)
    assert mask.tolist() == [True, True, True]
    assert geodesy.within_km([33.51, 29.56, 34.45], [36.28, 34.95, 40.92], 33.51, 36.28, 100).tolist() == [
        True, False, False]


def _brute_force_km(lat, lon, path, samples=2000):
    """The distance to the nearest of ``samples`` points on each step of the path (straight in degrees)."""
    a, b = np.array(path[:-1]), np.array(path[1:])
    step = np.column_stack([b[:, 0] - a[:, 0], (b[:, 1] - a[:, 1] + 180.0) % 360.0 - 180.0])
    fractions = np.linspace(0.0, 1.0, samples)[:, None, None]
    dense = (a + fractions * step).reshape(-1, 2)
    return float(np.min(geodesy.distance_km(dense[:, 0], dense[:, 1], lat, lon)))


@pytest.mark.parametrize("waypoints, point", [
    ([(33.3, 44.4), (34.46, 40.94), (33.51, 36.29)], (34.0, 41.5)),        # beside the middle of a corridor
    ([(33.3, 44.4), (34.46, 40.94), (33.51, 36.29)], (34.5, 40.9)),        # by the bend, 5 km off
    ([(-17.0, 178.6), (-16.2, -179.4), (-17.6, -178.2)], (-16.55, 179.97)),  # Fiji's waters, astride 180
    ([(-17.0, 178.6), (-16.2, -179.4), (-17.6, -178.2)], (-16.9, -178.9)),
    ([(69.5, 160.0), (70.2, 175.0), (68.9, -172.0)], (70.6, 179.8)),       # the Arctic, where meridians converge
    ([(51.5, -0.1), (48.9, 2.4)], (50.0, 5.0)),                           # nearest at a corridor's end
])
def test_nearest_point_on_a_path_agrees_with_dense_sampling(waypoints, point):
    path = geodesy.geodesic_path(waypoints, step_km=10)
    km, (plat, plon) = geodesy.nearest_on_path(*point, path)
    assert km == pytest.approx(_brute_force_km(*point, path), abs=0.002)   # 2 m: the samples are 5 m apart
    assert km == pytest.approx(geodesy.distance_km(*point, plat, plon), abs=1e-9)
    assert -180.0 <= plon < 180.0


def test_nearest_point_search_takes_a_path_as_an_array():
    path = geodesy.geodesic_path([(-17.0, 179.0), (-17.0, -179.0)], step_km=10)
    assert geodesy.nearest_on_path(-16.5, 180.0, np.array(path)) == geodesy.nearest_on_path(-16.5, 180.0, path)

"""The doctests' gazetteer: a dozen real places, written with GazetteerWriter, that the public API's examples run on.

The examples in the packages' docstrings call ``Gazetteer.open()``, ``OfflineGeocoder()`` and ``geomap.parse()``
with no path, as a user would: for each doctest, ``GEOMAP_GAZETTEER`` points them at this small file, so they run
in a second and without the 160 MB default gazetteer.
"""

from __future__ import annotations

import sys

import pytest
from _pytest.doctest import DoctestItem

# id, name, kind, lat, lon, country, admin1, population, feature code, other names (GeoNames and countryinfo)
FIXTURE_PLACES = [
    ("cc:JO", "Jordan", "country", 31.0, 36.0, "JO", None, 9956011, "PCLI", ["Hashemite Kingdom of Jordan"]),
    ("cc:IL", "Israel", "country", 31.5, 34.75, "IL", None, 8883800, "PCLI", []),
    ("cc:PS", "Palestinian Territory", "country", 31.9, 35.2, "PS", None, 4569087, "PCLI", ["Palestine"]),
    ("cc:SY", "Syria", "country", 35.0, 38.0, "SY", None, 16906283, "PCLI", []),
    ("cc:LB", "Lebanon", "country", 33.83333, 35.83333, "LB", None, 6848925, "PCLI", []),
    ("cc:LY", "Libya", "country", 25.0, 17.0, "LY", None, 6678567, "PCLI", []),
    ("cc:FR", "France", "country", 46.0, 2.0, "FR", None, 66987244, "PCLI", []),
    ("cc:US", "United States", "country", 38.0, -97.0, "US", None, 327167434, "PCLI", ["USA"]),
    ("cc:GE", "Georgia", "country", 42.0, 43.5, "GE", None, 3704500, "PCLI", []),
    ("gn:4197000", "Georgia", "admin1", 32.32938, -83.11374, "US", "US.GA", 4835606, "ADM1", []),
    ("gn:443122", "Al ‘Aqabah", "admin1", 29.53209, 35.00628, "JO", "JO.21", 97048, "ADM1", ["Aqaba Governorate"]),
    ("gn:170792", "Deir ez-Zor Governorate", "admin1", 35.26932, 40.24012, "SY", "SY.07", 447454, "ADM1", []),
    ("gn:250774", "Aqaba", "city", 29.52667, 35.00778, "JO", "JO.21", 95048, None, ["Al Aqabah", "Akaba"]),
    ("gn:295277", "Eilat", "city", 29.55805, 34.94821, "IL", "IL.01", 52299, None, ["Elat"]),
    ("gn:281133", "Gaza", "city", 31.50161, 34.46672, "PS", "PS.GZ", 410000, None, ["Gaza City"]),
    ("gn:170794", "Deir ez-Zor", "city", 35.33588, 40.14084, "SY", "SY.07", 271800, None, ["Dayr az Zawr"]),
    ("gn:174448", "Ālbū Kamāl", "city", 34.45226, 40.91854, "SY", "SY.07", 57572, None,
     ["Abu Kamal", "Albukamal", "Al-Bukamal"]),
    ("gn:266826", "Tripoli", "city", 34.43352, 35.84415, "LB", "LB.09", 229398, None, ["Trablous"]),
    ("gn:2210247", "Tripoli", "city", 32.88743, 13.18733, "LY", "LY.77", 1302947, "PPLC", ["Tarabulus"]),
    ("gn:2988507", "Paris", "city", 48.85341, 2.3488, "FR", "FR.11", 2138551, "PPLC", []),
]


@pytest.fixture(scope="session")
def doctest_gazetteer(tmp_path_factory):
    """A small gazetteer file of FIXTURE_PLACES."""
    from gazetteer.database import GazetteerWriter

    path = tmp_path_factory.mktemp("doctest-gazetteer") / "gazetteer.sqlite"
    with GazetteerWriter(path) as writer:
        for pid, name, kind, lat, lon, cc, admin1, population, code, names in FIXTURE_PLACES:
            writer.add_place(pid, name, kind, lat, lon, cc=cc, admin1=admin1, population=population,
                             feature_code=code, names=names, source="doctest fixture (GeoNames)")
    return path


@pytest.fixture(autouse=True)
def _doctests_use_the_fixture_gazetteer(request, monkeypatch):
    """Point each doctest's default gazetteer (and default parser) at the fixture gazetteer."""
    if not isinstance(request.node, DoctestItem):
        return
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(request.getfixturevalue("doctest_gazetteer")))
    if request.node.name.startswith("geomap"):  # geomap.parse keeps its default parser: made anew on this file
        import geomap

        monkeypatch.setattr(sys.modules[geomap.parse.__module__], "_default", None)

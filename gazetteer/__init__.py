"""geomap's offline gazetteer: "where is this name?" with no network.

>>> from gazetteer import Gazetteer
>>> gaz = Gazetteer.open()
>>> [c.place.name for c in gaz.lookup("Deir Ezzor", limit=1)]
['Deir ez-Zor']
"""

from gazetteer.core import Gazetteer
from gazetteer.errors import (
    GazetteerCorrupt,
    GazetteerError,
    GazetteerNotFound,
    GazetteerStale,
    ImportFormatError,
    PlaceNotFound,
)
from gazetteer.place import KINDS, Candidate, Place

__all__ = ["Gazetteer", "OfflineGeocoder", "Place", "Candidate", "KINDS", "GazetteerError", "GazetteerNotFound",
           "GazetteerCorrupt", "GazetteerStale", "ImportFormatError", "PlaceNotFound"]


def __getattr__(name: str):
    # the geopy geocoder is imported on first use: geopy costs a fifth of a second at start-up
    if name == "OfflineGeocoder":
        from gazetteer.geocoder import OfflineGeocoder

        return OfflineGeocoder
    raise AttributeError(f"module 'gazetteer' has no attribute {name!r}")

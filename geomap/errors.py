"""Exceptions raised by geomap's text processing, claims, output and store.

Gazetteer errors live in :mod:`gazetteer.errors`; both hierarchies are turned
into clean messages at the CLI boundary.
"""

from __future__ import annotations


class GeomapError(Exception):
    """Base class of every geomap error."""


class InputError(GeomapError, ValueError):
    """An input article cannot be read as text (missing, binary, not UTF-8, empty)."""


class ModelUnavailable(GeomapError, RuntimeError):
    """A requested spaCy model is not installed."""


class StoreError(GeomapError):
    """The article store cannot be used."""


class StoreCorrupt(StoreError, ValueError):
    """The store file is not a readable geomap article store."""


class MapError(GeomapError, ValueError):
    """A map cannot be drawn from the given input."""


class EvaluationError(GeomapError, ValueError):
    """The system under test returned something that cannot be scored, or failed on a gold document."""


class WorkerDied(GeomapError, RuntimeError):
    """A parser worker process ended abruptly (killed, or out of memory)."""


class ClusterError(GeomapError, RuntimeError):
    """A Dask cluster cannot be used: its packages are not installed, or its scheduler cannot be reached."""

"""Exceptions raised by the gazetteer.

One hierarchy, so callers catch what they mean: everything derives from
:class:`GazetteerError`, and the subclasses also inherit the builtin that
describes the failure (``FileNotFoundError``, ``ValueError``...).
"""

from __future__ import annotations


class GazetteerError(Exception):
    """Base class of every error the gazetteer raises."""


class GazetteerNotFound(GazetteerError, FileNotFoundError):
    """The gazetteer file does not exist (build it with ``geomap gazetteer build``)."""


class GazetteerCorrupt(GazetteerError, ValueError):
    """The file exists but is not a readable geomap gazetteer."""


class GazetteerNotWritable(GazetteerError, PermissionError):
    """The gazetteer cannot be written where it was asked for (a read-only folder or mount)."""


class GazetteerStale(GazetteerError):
    """The file was built from other source versions, or in another file schema, than this geomap's."""


class ImportFormatError(GazetteerError, ValueError):
    """An import file is not in the format its importer expects."""


class PlaceNotFound(GazetteerError, KeyError):
    """No place has the requested id."""

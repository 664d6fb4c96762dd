"""Which store a ``--db`` value means: a PostgreSQL URL, or a SQLite file.

One function decides (:func:`store_location`), so that no command takes a URL for a
file name, and :func:`open_store` opens what it decided.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from geomap.errors import StoreError

#: URL schemes of a PostgreSQL store (libpq's two spellings).
POSTGRES_SCHEMES = ("postgresql", "postgres")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def store_location(db: str | os.PathLike | None = None) -> str | Path:
    """A PostgreSQL URL (returned as the string) or the SQLite file (a Path) that ``db`` names.

    ``db`` None or empty: ``$GEOMAP_DB``, else ``articles.sqlite`` in the user data directory.
    Raises :class:`StoreError` for a URL of another scheme.

    >>> store_location("postgresql://ana@db.example/news")
    'postgresql://ana@db.example/news'
    >>> store_location("archive/articles.sqlite")
    PosixPath('archive/articles.sqlite')
    >>> store_location("mysql://db.example/news")
    Traceback (most recent call last):
    ...
    geomap.errors.StoreError: mysql://db.example/news: an article store is a SQLite file or a PostgreSQL URL \
(postgresql://user@host/dbname), not a mysql:// URL
    """
    if db is None or db == "":
        db = os.environ.get("GEOMAP_DB") or None
    if db is None:
        from geomap.store.db import default_store_path

        return default_store_path()
    if isinstance(db, os.PathLike):
        return Path(db)
    match = _SCHEME.match(db)
    if match is None:
        return Path(db)
    if match.group(1).lower() in POSTGRES_SCHEMES:
        return db
    raise StoreError(f"{db}: an article store is a SQLite file or a PostgreSQL URL (postgresql://user@host/dbname), "
                     f"not a {match.group(1)}:// URL")


def open_store(db: str | os.PathLike | None = None, *, create: bool = False, gazetteer_path=None):
    """Open (with ``create``, create) the store ``db`` names (:func:`store_location`).

    Returns a :class:`geomap.store.db.ArticleStore` (SQLite) or a
    :class:`geomap.store.postgis.PostgisStore`; both have the interface of
    :class:`geomap.store.base.StoreBase`.
    """
    location = store_location(db)
    if isinstance(location, Path):
        from geomap.store.db import ArticleStore

        return ArticleStore(location, create=create, gazetteer_path=gazetteer_path)
    from geomap.store.postgis import PostgisStore

    return PostgisStore(location, create=create, gazetteer_path=gazetteer_path)

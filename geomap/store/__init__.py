"""The article store: a SQLite file (WAL, R*Tree) or a PostgreSQL + PostGIS database, and ingestion into it.

:func:`open_store` takes what ``--db`` takes: a file path (SQLite) or a PostgreSQL URL.

>>> from geomap.store import open_store
>>> with open_store("articles.sqlite") as store:                 # doctest: +SKIP
...     found, how = store.find_places("Albukamal")
...     [a.id for a in store.articles_mentioning([rid for rid, _, _ in found]).articles]
['seed-0']
"""

from geomap.store.base import (
                               ArticleMatch,
                               ArticleMatches,
                               CorridorMatch,
                               IntegrityReport,
                               NearbyPlace,
                               NearResult,
                               PlaceInArticle,
                               QueryPoint,
                               RangeMatch,
                               StoreBase,
                               article_record,
)
from geomap.store.db import ArticleStore, default_store_path
from geomap.store.location import open_store, store_location

__all__ = ["ArticleStore", "StoreBase", "open_store", "store_location", "article_record", "default_store_path",
           "ArticleMatch", "ArticleMatches", "CorridorMatch", "IntegrityReport", "NearbyPlace", "NearResult",
           "PlaceInArticle", "QueryPoint", "RangeMatch"]

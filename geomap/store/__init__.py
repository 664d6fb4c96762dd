"""The local SQLite store of ingested articles (WAL, R*Tree), and parallel ingestion into it.

>>> from geomap.store import ArticleStore
>>> with ArticleStore.open("articles.sqlite") as store:                 # doctest: +SKIP
...     found, how = store.find_places("Albukamal")
...     [a.id for a in store.articles_mentioning([rid for rid, _, _ in found]).articles]
['seed-0']
"""

from geomap.store.db import (
                             ArticleMatch,
                             ArticleMatches,
                             ArticleStore,
                             CorridorMatch,
                             IntegrityReport,
                             NearbyPlace,
                             NearResult,
                             PlaceInArticle,
                             QueryPoint,
                             RangeMatch,
                             article_record,
                             default_store_path,
)

__all__ = ["ArticleStore", "article_record", "default_store_path", "ArticleMatch", "ArticleMatches", "CorridorMatch",
           "IntegrityReport", "NearbyPlace", "NearResult", "PlaceInArticle", "QueryPoint", "RangeMatch"]

"""The article store's SQLite schema and how a file is recognised as one.

A store file is marked with ``PRAGMA application_id`` (:data:`APPLICATION_ID`,
"geoa", not the gazetteer's "geom") so that a foreign SQLite file, a gazetteer
given by mistake and a corrupt file each get their own clear message.

Layout, one row per thing a query needs:

``article``      id, text, title, source, meta (JSON: url, date...), the content hash and the
                 pipeline version that parsed it, and the number of its sentence, mention,
                 range and corridor rows (the consistency check compares them with the rows).
``sentence``     (article, idx) -> offsets; ``text`` only when it differs from the article slice.
``mention``      (article, idx) -> offsets, surface, sentence idx, resolved place (NULL when
                 unresolved), score.
``place``        the resolved places, shared by all articles, keyed by gazetteer id;
                 ``place_rtree`` indexes their points, ``place_name`` their folded names
                 and every surface form that resolved to them (for queries by name).
``range_claim``  one row per range claim; ``range_rtree`` holds the bounding box of the
                 claim's circle (origin + range_km), for "which claims cover this point".
``corridor``     one row per corridor with its waypoints (JSON); ``corridor_rtree`` holds
                 the bounding box of its geodesic line.
"""

from __future__ import annotations

APPLICATION_ID = 0x67656F61  # "geoa": a geomap article store
GAZETTEER_APPLICATION_ID = 0x67656F6D  # "geom": told apart for a clearer message
SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE article(
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT,
    source TEXT,
    meta TEXT NOT NULL DEFAULT '{}',
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    sentence_count INTEGER NOT NULL,
    mention_count INTEGER NOT NULL,
    range_count INTEGER NOT NULL,
    corridor_count INTEGER NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE sentence(
    article_rid INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT,
    PRIMARY KEY(article_rid, idx)
) WITHOUT ROWID;
CREATE TABLE place(
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    country_code TEXT,
    admin1 TEXT,
    population INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT ''
);
CREATE VIRTUAL TABLE place_rtree USING rtree(rid, min_lat, max_lat, min_lon, max_lon);
CREATE TABLE place_name(key TEXT NOT NULL, place_rid INTEGER NOT NULL, PRIMARY KEY(key, place_rid)) WITHOUT ROWID;
CREATE TABLE mention(
    article_rid INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    sentence_idx INTEGER NOT NULL,
    source TEXT NOT NULL,
    label TEXT,
    place_rid INTEGER,
    score REAL NOT NULL,
    PRIMARY KEY(article_rid, idx)
) WITHOUT ROWID;
CREATE INDEX mention_place ON mention(place_rid, article_rid);
CREATE TABLE range_claim(
    rid INTEGER PRIMARY KEY,
    article_rid INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    weapon TEXT,
    range_km REAL,
    origin_lat REAL,
    origin_lon REAL,
    sentence TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX range_claim_article ON range_claim(article_rid);
CREATE VIRTUAL TABLE range_rtree USING rtree(rid, min_lat, max_lat, min_lon, max_lon);
CREATE TABLE corridor(
    rid INTEGER PRIMARY KEY,
    article_rid INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL,
    name TEXT,
    sentence TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX corridor_article ON corridor(article_rid);
CREATE VIRTUAL TABLE corridor_rtree USING rtree(rid, min_lat, max_lat, min_lon, max_lon);
"""

#: Tables every store must have (checked on open, so a half-made or foreign file is refused clearly).
TABLES = ("meta", "article", "sentence", "place", "place_rtree", "place_name", "mention",
          "range_claim", "range_rtree", "corridor", "corridor_rtree")


def create_script() -> str:
    """The whole schema as one transaction: a store is created completely or not at all.

    ``PRAGMA application_id`` writes the database header inside the same
    transaction, so a process killed while creating the file leaves an
    empty database, which the next open initialises again.
    """
    return (f"BEGIN IMMEDIATE;\n{SCHEMA}\nPRAGMA application_id = {APPLICATION_ID};\n"
            f"INSERT INTO meta(key, value) VALUES ('schema_version', '{SCHEMA_VERSION}');\nCOMMIT;")

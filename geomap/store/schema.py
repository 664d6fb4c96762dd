"""The article stores' schemas (SQLite and PostgreSQL + PostGIS), their versions and upgrades.

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
``range_claim``  one row per range claim; ``range_rtree`` holds the bounding boxes of the
                 claim's circle (origin + range_km), for "which claims cover this point".
``corridor``     one row per corridor with its waypoints (JSON); ``corridor_rtree`` holds
                 the bounding boxes of its geodesic line.

A circle or line crossing the antimeridian has two boxes, one each side
(:func:`gazetteer.geodesy.bounding_boxes`): box ``2 * rid + i`` of claim ``rid``,
so ``box / 2`` is the claim (SQLite divides integers as integers).

The PostgreSQL store (:data:`POSTGIS_SCHEMA`) has the same tables and columns, with
PostGIS columns instead of the R*Trees: ``place.geog`` and ``range_claim.origin``
(geography points), ``corridor.line`` (the geodesic line, geography) and
``range_claim.reach`` (the circle's boxes, geometry), each with a GiST index.

Upgrades: the version is ``meta.schema_version``; an older store is brought up to date
on open by the ordered steps of :data:`SQLITE_MIGRATIONS` / :data:`POSTGIS_MIGRATIONS`,
each in its own transaction, instead of being refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gazetteer import geodesy

APPLICATION_ID = 0x67656F61  # "geoa": a geomap article store
GAZETTEER_APPLICATION_ID = 0x67656F6D  # "geom": told apart for a clearer message
SCHEMA_VERSION = 2

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
CREATE VIRTUAL TABLE range_rtree USING rtree(box, min_lat, max_lat, min_lon, max_lon);
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
CREATE VIRTUAL TABLE corridor_rtree USING rtree(box, min_lat, max_lat, min_lon, max_lon);
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


# --------------------------------------------------------------------------- boxes of claims (SQLite R*Trees)
def range_boxes(lat: float | None, lon: float | None, km: float | None,
                area_box: Sequence[float] | None = None) -> list[geodesy.Box]:
    """The boxes holding a range claim's reach: the circle around its origin, or, for an origin that is an
    area, everything within ``km`` of the area's ``area_box`` (min_lat, min_lon, max_lat, max_lon); none when
    the claim has no origin or no range."""
    if not km:
        return []
    if area_box:
        return geodesy.area_bounding_boxes(tuple(area_box), float(km))
    if lat is None or lon is None:
        return []
    return geodesy.bounding_boxes(lat, lon, float(km))


def corridor_boxes(path: Sequence[tuple[float, float]]) -> list[geodesy.Box]:
    """The boxes holding a corridor's densified geodesic line (none for a corridor without located waypoints)."""
    return geodesy.path_box(path) if path else []


def rtree_rows(rid: int, boxes: Sequence[geodesy.Box]) -> list[tuple[int, float, float, float, float]]:
    """R*Tree rows ``(box, min_lat, max_lat, min_lon, max_lon)`` of a claim's boxes (box ``2 * rid + i``)."""
    return [(2 * rid + i, b[0], b[2], b[1], b[3]) for i, b in enumerate(boxes)]


# --------------------------------------------------------------------------- migrations
@dataclass(frozen=True, slots=True)
class Migration:
    """One upgrade step: brings a store from ``version - 1`` to ``version`` (run inside a transaction)."""

    version: int
    what: str
    apply: Callable


def pending(migrations: Sequence[Migration], version: int) -> list[Migration]:
    """The steps a store at ``version`` still needs, in order."""
    return [m for m in migrations if m.version > version]


def _sqlite_boxes_split_at_the_antimeridian(con) -> None:
    """Version 2: the R*Trees hold one box per side of the antimeridian (version 1 widened such boxes to 360°)."""
    from geomap.store.base import corridor_path, located_points

    for table in ("range_rtree", "corridor_rtree"):
        con.execute(f"DROP TABLE {table}")
        con.execute(f"CREATE VIRTUAL TABLE {table} USING rtree(box, min_lat, max_lat, min_lon, max_lon)")
    for rid, lat, lon, km in con.execute("SELECT rid, origin_lat, origin_lon, range_km FROM range_claim").fetchall():
        con.executemany("INSERT INTO range_rtree VALUES (?,?,?,?,?)", rtree_rows(rid, range_boxes(lat, lon, km)))
    for rid, data in con.execute("SELECT rid, data FROM corridor").fetchall():
        path = corridor_path(tuple(located_points(json.loads(data).get("waypoints") or [])))
        con.executemany("INSERT INTO corridor_rtree VALUES (?,?,?,?,?)", rtree_rows(rid, corridor_boxes(path)))


#: The SQLite store's upgrade steps, oldest first; the last one's version is :data:`SCHEMA_VERSION`.
SQLITE_MIGRATIONS = (
    Migration(2, "range and corridor boxes split at the antimeridian", _sqlite_boxes_split_at_the_antimeridian),
)

# --------------------------------------------------------------------------- PostgreSQL + PostGIS
POSTGIS_SCHEMA_VERSION = 1

#: The PostgreSQL store: ids sort by code point (COLLATE "C"), as SQLite sorts them, so queries list in one order.
POSTGIS_SCHEMA = """
CREATE TABLE meta(key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE article(
    rid bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    id text COLLATE "C" NOT NULL UNIQUE,
    title text,
    source text,
    meta text NOT NULL DEFAULT '{}',
    text text NOT NULL,
    content_hash text NOT NULL,
    pipeline_version text NOT NULL,
    sentence_count integer NOT NULL,
    mention_count integer NOT NULL,
    range_count integer NOT NULL,
    corridor_count integer NOT NULL,
    ingested_at text NOT NULL
);
CREATE TABLE sentence(
    article_rid bigint NOT NULL,
    idx integer NOT NULL,
    start integer NOT NULL,
    "end" integer NOT NULL,
    text text,
    PRIMARY KEY(article_rid, idx)
);
CREATE TABLE place(
    rid bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    id text COLLATE "C" NOT NULL UNIQUE,
    name text NOT NULL,
    kind text NOT NULL,
    lat double precision NOT NULL,
    lon double precision NOT NULL,
    country_code text,
    admin1 text,
    population bigint NOT NULL DEFAULT 0,
    source text NOT NULL DEFAULT '',
    geog geography(Point, 4326) NOT NULL
);
CREATE INDEX place_geog ON place USING gist(geog);
CREATE TABLE place_name(key text COLLATE "C" NOT NULL, place_rid bigint NOT NULL, PRIMARY KEY(key, place_rid));
CREATE TABLE mention(
    article_rid bigint NOT NULL,
    idx integer NOT NULL,
    start integer NOT NULL,
    "end" integer NOT NULL,
    text text NOT NULL,
    sentence_idx integer NOT NULL,
    source text NOT NULL,
    label text,
    place_rid bigint,
    score double precision NOT NULL,
    PRIMARY KEY(article_rid, idx)
);
CREATE INDEX mention_place ON mention(place_rid, article_rid);
CREATE TABLE range_claim(
    rid bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    article_rid bigint NOT NULL,
    idx integer NOT NULL,
    weapon text,
    range_km double precision,
    origin_lat double precision,
    origin_lon double precision,
    sentence text NOT NULL,
    data text NOT NULL,
    origin geography(Point, 4326),
    reach geometry(MultiPolygon, 4326)
);
CREATE INDEX range_claim_article ON range_claim(article_rid);
CREATE INDEX range_claim_reach ON range_claim USING gist(reach);
CREATE TABLE corridor(
    rid bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    article_rid bigint NOT NULL,
    idx integer NOT NULL,
    kind text NOT NULL,
    name text,
    sentence text NOT NULL,
    data text NOT NULL,
    line geography(Geometry, 4326)
);
CREATE INDEX corridor_article ON corridor(article_rid);
CREATE INDEX corridor_line ON corridor USING gist(line);
"""

#: The PostgreSQL store's upgrade steps, oldest first (none yet: version 1 is its first).
POSTGIS_MIGRATIONS: tuple[Migration, ...] = ()

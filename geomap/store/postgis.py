"""The article store in PostgreSQL + PostGIS: one store for a team, written by many ingests at once.

:class:`PostgisStore` has the interface of the SQLite :class:`geomap.store.db.ArticleStore`
(both are :class:`geomap.store.base.StoreBase`) and gives the same answers in the same order;
``geomap ... --db postgresql://user@host/dbname`` picks it (:func:`geomap.store.open_store`).

- Places are geography points with a GiST index (``near``: ``ST_DWithin``); a range claim keeps
  its origin (geography) and the boxes of its circle (geometry, GiST), so ``claims --covering``
  asks ``reach && point AND ST_DWithin(origin, point, range)``; a corridor keeps its geodesic line
  (geography, GiST). The index picks the candidates, :mod:`gazetteer.geodesy` measures them, as in SQLite.
- Writes: one transaction per batch; places and articles are upserted (``INSERT ... ON CONFLICT``)
  in id order, so concurrent ingests never deadlock and an article stored with the same content hash
  and pipeline version is left alone (two ingests of the same articles leave one copy); sentences and
  mentions go in with ``COPY``.
- The ``postgis`` extension is created when the user may; otherwise the error names the statement
  the database's owner must run.

Needs the ``postgis`` extra: ``pip install "geomap-mentions[postgis]"`` (psycopg 3).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import lru_cache

import numpy as np

from gazetteer import geodesy
from gazetteer.normalize import name_key
from geomap.errors import StoreCorrupt, StoreError
from geomap.store.base import IntegrityReport, StoreBase, corridor_path, located_points
from geomap.store.db import mention_rows_and_names, place_values
from geomap.store.schema import POSTGIS_MIGRATIONS, POSTGIS_SCHEMA, POSTGIS_SCHEMA_VERSION, pending, range_boxes

#: Marks a database as a geomap article store (``meta.application``).
APPLICATION = "geomap article store"
#: The advisory lock held while a store's schema is created or upgraded (two ingests starting at once).
SCHEMA_LOCK = 0x67656F61
#: Metres added to ST_DWithin's distance: the database only prefilters, so it may keep a few metres too many.
SLACK_M = 1.0
#: A corridor's stored line joins its 10 km steps by great-circle arcs: prefilter with 0.6 % and 1 km to spare.
CORRIDOR_SLACK = (1.006, 1000.0)
#: Times a batch is retried when PostgreSQL broke a deadlock or a serialisation conflict by aborting it.
RETRIES = 5
POINT = "ST_SetSRID(ST_MakePoint(?, ?), 4326)"


@lru_cache(maxsize=512)
def _pg_sql(sql: str) -> str:
    """The shared SQL (``?`` placeholders) in psycopg's style (``%s``)."""
    return sql.replace("%", "%%").replace("?", "%s")


def redact(url: str) -> str:
    """A URL fit for messages: its password replaced by ``***``.

    >>> redact("postgresql://ana:secret@db.example/news")
    'postgresql://ana:***@db.example/news'
    """
    return re.sub(r"(://[^:/@?]*):[^@/?]*@", r"\1:***@", url)


def _boxes_wkt(boxes: Sequence[geodesy.Box]) -> str | None:
    """The boxes as a WKT MULTIPOLYGON in (lon, lat), or None when there are none."""
    if not boxes:
        return None
    rings = [f"(({w} {s}, {e} {s}, {e} {n}, {w} {n}, {w} {s}))" for s, w, n, e in boxes]
    return f"MULTIPOLYGON({', '.join(rings)})"


def _line_wkt(waypoints: list[dict]) -> str | None:
    """A corridor's densified geodesic line as WKT (a POINT for one located waypoint), or None."""
    path = corridor_path(tuple(located_points(waypoints)))
    if not path:
        return None
    lons = np.atleast_1d(geodesy.normalize_lon(np.array([lon for _, lon in path])))
    coords = [f"{lon!r} {lat!r}" for (lat, _), lon in zip(path, lons.tolist())]
    return f"POINT({coords[0]})" if len(coords) == 1 else f"LINESTRING({', '.join(coords)})"


class PostgisStore(StoreBase):
    """A geomap article store in a PostgreSQL database with PostGIS.

    Parameters
    ----------
    url : str
        ``postgresql://user[:password]@host[:port]/dbname`` or ``postgresql:///dbname?host=/socket/dir``.
    create : bool
        Create the store's tables (and the postgis extension) when the database has none.
    gazetteer_path : path-like, optional
        The gazetteer used to resolve place names the store does not know.
    """

    NO_LIMIT = None

    def __init__(self, url: str, *, create: bool = False, gazetteer_path=None):
        super().__init__(gazetteer_path)
        self.url = url
        self.path = redact(url)
        #: Places this connection has committed, as written: (values, rid) by id; a batch skips those unchanged.
        self._places_written: dict[str, tuple[tuple, int]] = {}
        self._places_pending: dict[str, tuple[tuple, int]] = {}
        try:
            import psycopg
        except ImportError:
            raise StoreError(f"{self.path}: a PostgreSQL store needs psycopg: pip install "
                             "\"geomap-mentions[postgis]\"") from None
        self._psycopg = psycopg
        try:
            self.con = psycopg.connect(url, autocommit=True, connect_timeout=30)
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot connect to PostgreSQL ({str(exc).strip()})") from None
        try:
            self._open(create)
        except BaseException:
            self.con.close()
            raise

    @classmethod
    def open(cls, url: str, *, create: bool = False, gazetteer_path=None) -> "PostgisStore":
        return cls(url, create=create, gazetteer_path=gazetteer_path)

    def _disconnect(self) -> None:
        self.con.close()

    def _rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        return self.con.execute(_pg_sql(sql), params).fetchall()

    @contextmanager
    def _read_errors(self) -> Iterator[None]:
        try:
            yield
        except self._psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot read the article store ({str(exc).strip()})") from None

    @property
    def dbname(self) -> str:
        return self.con.info.dbname

    # -- opening -------------------------------------------------------------
    def _open(self, create: bool) -> None:
        with self._read_errors():
            exists = self._row("SELECT to_regclass('meta') IS NOT NULL")[0]
        if not exists:
            if not create:
                raise StoreError(f"{self.path}: no article store in database {self.dbname!r}; create one with "
                                 f"`geomap ingest ARTICLES --db {self.path}`")
            self._create()
        try:
            meta = dict(self._rows("SELECT key, value FROM meta"))
        except self._psycopg.Error:
            meta = {}  # a table 'meta' of another shape: not a store
        if meta.get("application") != APPLICATION:
            raise StoreCorrupt(f"{self.path}: database {self.dbname!r} has a table 'meta' but is not a geomap "
                               "article store; give another database with --db")
        version = int(meta.get("schema_version", "0"))
        if version > POSTGIS_SCHEMA_VERSION:
            raise StoreCorrupt(f"{self.path}: has store schema {version}, made by a newer geomap (this one reads up "
                               f"to {POSTGIS_SCHEMA_VERSION}); upgrade geomap")
        self._upgrade(version)

    @contextmanager
    def _schema_transaction(self) -> Iterator[None]:
        """A transaction holding the schema lock, failures named (DDL by two processes at once waits, not fails)."""
        try:
            with self.con.transaction():
                self.con.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                yield
        except self._psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot create or upgrade the article store ({str(exc).strip()})") from None

    def _create(self) -> None:
        self._ensure_postgis()
        with self._schema_transaction():
            if self._row("SELECT to_regclass('meta') IS NOT NULL")[0]:
                return  # another process created it while we waited for the lock
            self.con.execute(POSTGIS_SCHEMA)
            self.con.execute("INSERT INTO meta(key, value) VALUES ('application', %s), ('schema_version', %s)",
                             (APPLICATION, str(POSTGIS_SCHEMA_VERSION)))

    def _ensure_postgis(self) -> None:
        """Create the postgis extension, or say who must and how."""
        errors = self._psycopg.errors
        if self._row("SELECT 1 FROM pg_extension WHERE extname = 'postgis'"):
            return
        statement = f"CREATE EXTENSION postgis;  -- in database {self.dbname}"
        if not self._row("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'"):
            raise StoreError(f"{self.path}: PostGIS is not installed on the database server; install it there "
                             f"(Debian: apt-get install postgresql-15-postgis-3), then run: {statement}")
        try:
            with self._schema_transaction():
                self.con.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        except StoreError as exc:
            if not isinstance(exc.__context__, errors.InsufficientPrivilege):
                raise
            raise StoreError(f"{self.path}: database {self.dbname!r} has no postgis extension and user "
                             f"{self.con.info.user!r} may not create it; ask the database's owner to run: "
                             f"{statement} (e.g. psql -d {self.dbname} -c 'CREATE EXTENSION postgis;')") from None

    def _upgrade(self, version: int) -> None:
        """Bring an older store up to :data:`POSTGIS_SCHEMA_VERSION`, one step per transaction."""
        for step in pending(POSTGIS_MIGRATIONS, version):
            with self._schema_transaction():
                now = int(self._row("SELECT value FROM meta WHERE key = 'schema_version'")[0])
                if now < step.version:
                    step.apply(self.con)
                    self.con.execute("UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(step.version),))

    # -- spatial prefilters (GiST) -------------------------------------------
    def _places_within(self, lat: float, lon: float, km: float) -> tuple[str, list]:
        return f"ST_DWithin(p.geog, {POINT}::geography, ?)", [lon, lat, km * 1000 + SLACK_M]

    def _ranges_at(self, lat: float, lon: float) -> tuple[str, list]:
        # a range from an area reaches from the area's outline, not its point: the box alone prefilters it
        return (f"c.reach && {POINT} AND (c.data::jsonb -> 'origin' ->> 'area_id' IS NOT NULL"
                f" OR ST_DWithin(c.origin, {POINT}::geography, c.range_km * 1000 + {SLACK_M}))",
                [lon, lat, lon, lat])

    def _corridors_near(self, lat: float, lon: float, km: float) -> tuple[str, list]:
        factor, extra = CORRIDOR_SLACK
        return f"ST_DWithin(c.line, {POINT}::geography, ?)", [lon, lat, km * 1000 * factor + extra]

    # -- writing -------------------------------------------------------------
    def save_records(self, items: Sequence[tuple[dict, str, str]]) -> None:
        """Store (or replace) ``(record, content_hash, pipeline_version)`` items in one transaction.

        Safe with other processes writing the same store: rows are locked in id order, and a batch
        PostgreSQL aborts to break a deadlock is tried again.
        """
        errors = self._psycopg.errors
        items = sorted(items, key=lambda item: item[0]["id"])
        for attempt in range(RETRIES):
            self._places_pending = {}
            try:
                with self.con.transaction():
                    self._write(items)
                self._places_written.update(self._places_pending)
                return
            except (errors.DeadlockDetected, errors.SerializationFailure):
                if attempt == RETRIES - 1:
                    raise StoreError(f"{self.path}: cannot write to the article store (conflicts with other "
                                     "writers went on); run the ingest again") from None
                time.sleep(0.05 * (attempt + 1))
            except self._psycopg.Error as exc:
                raise StoreError(f"{self.path}: cannot write to the article store ({str(exc).strip()})") from None

    def _write(self, items: Sequence[tuple[dict, str, str]]) -> None:
        place_rids, names = self._upsert_places([p for record, _, _ in items for p in record["places"]])
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self.con.cursor() as cur:
            cur.executemany(
                "INSERT INTO article(id, title, source, meta, text, content_hash, pipeline_version, sentence_count,"
                " mention_count, range_count, corridor_count, ingested_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
                " ON CONFLICT (id) DO UPDATE SET title = excluded.title, source = excluded.source,"
                " meta = excluded.meta, text = excluded.text, content_hash = excluded.content_hash,"
                " pipeline_version = excluded.pipeline_version, sentence_count = excluded.sentence_count,"
                " mention_count = excluded.mention_count, range_count = excluded.range_count,"
                " corridor_count = excluded.corridor_count, ingested_at = excluded.ingested_at"
                " WHERE (article.content_hash, article.pipeline_version)"
                " IS DISTINCT FROM (excluded.content_hash, excluded.pipeline_version)"
                " RETURNING rid, xmax = 0",
                [(record["id"], record.get("title"), record.get("source"),
                  json.dumps(record.get("meta") or {}, ensure_ascii=False, default=str), record["text"],
                  content_hash, pipeline_version, len(record["sentences"]), len(record["mentions"]),
                  len(record["ranges"]), len(record["corridors"]), now)
                 for record, content_hash, pipeline_version in items], returning=True)
            rows = []
            while True:
                rows.append(cur.fetchone())  # None: stored with this content and pipeline already (another ingest)
                if not cur.nextset():
                    break
        stored = [(row[0], record) for row, (record, _, _) in zip(rows, items) if row is not None]
        replaced = [row[0] for row in rows if row is not None and not row[1]]
        if replaced:
            for table in ("sentence", "mention", "range_claim", "corridor"):
                self.con.execute(f"DELETE FROM {table} WHERE article_rid = ANY(%s)", (replaced,))
        names += self._insert_rows(stored, place_rids)
        keys, rids = zip(*sorted({(k, r) for k, r in names if k})) if names else ((), ())
        # once, in order: concurrent batches take these locks in one order
        self.con.execute("INSERT INTO place_name(key, place_rid) SELECT * FROM unnest(%s::text[], %s::bigint[])"
                         " ON CONFLICT DO NOTHING", (list(keys), list(rids)))

    def _upsert_places(self, places: list[dict]) -> tuple[dict[str, int], list[tuple[str, int]]]:
        """Insert or refresh the places (the newest parse wins), in id order.

        Returns their row ids by place id, and the (folded name, row id) pairs for place_name.
        """
        values = {p["id"]: place_values(p) for p in places}
        known = {pid: self._places_written[pid][1] for pid, v in values.items()
                 if self._places_written.get(pid, (None,))[0] == v}
        unique = {pid: v for pid, v in values.items() if pid not in known}
        if not unique:
            return known, []
        columns = list(zip(*(v for _, v in sorted(unique.items()))))
        self.con.execute(
            "INSERT INTO place(id, name, kind, lat, lon, country_code, admin1, population, source, geog)"
            " SELECT *, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography FROM unnest(%s::text[], %s::text[],"
            " %s::text[], %s::float8[], %s::float8[], %s::text[], %s::text[], %s::bigint[], %s::text[])"
            " AS v(id, name, kind, lat, lon, country_code, admin1, population, source)"
            " ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, lat = excluded.lat,"
            " lon = excluded.lon, country_code = excluded.country_code, admin1 = excluded.admin1,"
            " population = excluded.population, source = excluded.source, geog = excluded.geog"
            " WHERE (place.name, place.kind, place.lat, place.lon, place.country_code, place.admin1,"
            " place.population, place.source) IS DISTINCT FROM (excluded.name, excluded.kind, excluded.lat,"
            " excluded.lon, excluded.country_code, excluded.admin1, excluded.population, excluded.source)",
            [list(column) for column in columns])
        rids = dict(self.con.execute("SELECT id, rid FROM place WHERE id = ANY(%s)", (list(unique),)).fetchall())
        self._places_pending.update((pid, (v, rids[pid])) for pid, v in unique.items())
        return {**known, **rids}, [(name_key(v[1]), rids[pid]) for pid, v in unique.items()]

    def _insert_rows(self, stored: list[tuple[int, dict]], place_rids: dict[str, int]) -> list[tuple[str, int]]:
        """The sentences and mentions (COPY), range claims and corridors of the articles written; their names."""
        names, ranges, corridors = [], [], []
        with self.con.cursor() as cur:
            with cur.copy('COPY sentence (article_rid, idx, start, "end", text) FROM STDIN') as copy:
                for rid, record in stored:
                    for i, s in enumerate(record["sentences"]):
                        copy.write_row((rid, i, s[0], s[1], s[2]))
            with cur.copy('COPY mention (article_rid, idx, start, "end", text, sentence_idx, source, label,'
                          ' place_rid, score) FROM STDIN') as copy:
                for rid, record in stored:
                    rows, article_names = mention_rows_and_names(rid, record, place_rids)
                    for row in rows:
                        copy.write_row(row)
                    names += article_names
            for rid, record in stored:
                for i, r in enumerate(record["ranges"]):
                    origin = r.get("origin") or {}
                    lat, lon = origin.get("lat"), origin.get("lon")
                    ranges.append((rid, i, r.get("weapon"), r.get("range_km"), lat, lon, r.get("sentence") or "",
                                   json.dumps(r, ensure_ascii=False), lon, lat,
                                   _boxes_wkt(range_boxes(lat, lon, r.get("range_km"), origin.get("area_box")))))
                for i, c in enumerate(record["corridors"]):
                    corridors.append((rid, i, c.get("kind") or "corridor", c.get("name"), c.get("sentence") or "",
                                      json.dumps(c, ensure_ascii=False), _line_wkt(c.get("waypoints") or [])))
            cur.executemany(
                "INSERT INTO range_claim(article_rid, idx, weapon, range_km, origin_lat, origin_lon, sentence, data,"
                " origin, reach) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,"
                " ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, ST_GeomFromText(%s, 4326))", ranges)
            cur.executemany(
                "INSERT INTO corridor(article_rid, idx, kind, name, sentence, data, line)"
                " VALUES (%s,%s,%s,%s,%s,%s, ST_GeogFromText(%s))", corridors)
        return names

    # -- bookkeeping ---------------------------------------------------------
    def check(self) -> IntegrityReport:
        """Check that every article is whole and every located claim has its geometry."""
        with self._read_errors():
            problems = self._count_problems()
            missing = self._row("SELECT count(*) FROM range_claim WHERE origin_lat IS NOT NULL AND origin_lon IS NOT"
                                " NULL AND range_km > 0 AND (origin IS NULL OR reach IS NULL)")[0]
            if missing:
                problems.append(f"{missing} range_claim rows have no origin or reach geometry")
            n = self.count()
        return IntegrityReport(articles=n, problems=problems)

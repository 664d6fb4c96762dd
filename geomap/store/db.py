"""The article store in one SQLite file (WAL, R*Tree): the default store, for one machine.

:class:`ArticleStore` opens (validating, upgrading an older schema) or creates a store
file, saves articles one transaction per batch and answers the queries of ``geomap query``
(:class:`geomap.store.base.StoreBase`):

- :meth:`ArticleStore.places_of_article`: an article's places, mention counts, contexts;
- :meth:`ArticleStore.articles_mentioning`: the articles that mention a place, with the sentences;
- :meth:`ArticleStore.near`: the places and articles within a radius of a place or point;
- :meth:`ArticleStore.claims_covering`: range claims whose circle covers a point;
- :meth:`ArticleStore.corridors_near`: corridors whose geodesic line passes near a point;
- :meth:`ArticleStore.load_articles`: :class:`geomap.model.Article` values back (for maps).

R*Tree indexes only prefilter, with boxes that are a little too large and split at the
antimeridian (:func:`gazetteer.geodesy.bounding_boxes`); distances are geodesic on WGS84.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from gazetteer import geodesy
from gazetteer.files import sqlite_application_id, unwritable_folder
from gazetteer.normalize import name_key
from geomap.errors import StoreCorrupt, StoreError
from geomap.store.base import IntegrityReport, StoreBase, corridor_path, located_points
from geomap.store.schema import (
    APPLICATION_ID,
    GAZETTEER_APPLICATION_ID,
    SCHEMA_VERSION,
    SQLITE_MIGRATIONS,
    TABLES,
    corridor_boxes,
    create_script,
    pending,
    range_boxes,
    rtree_rows,
)


def default_store_path() -> Path:
    """``articles.sqlite`` in the user data directory (platformdirs): the store when neither --db nor GEOMAP_DB."""
    import platformdirs

    return Path(platformdirs.user_data_dir("geomap")) / "articles.sqlite"


def _boxes_condition(boxes: Sequence[geodesy.Box], key: str, table: str, rowid: str) -> tuple[str, list]:
    """``key IN (SELECT rowid FROM table ...)``: the rows whose R*Tree box in ``table`` meets any of ``boxes``."""
    test = "(max_lat >= ? AND min_lat <= ? AND max_lon >= ? AND min_lon <= ?)"
    params = [v for b in boxes for v in (b[0], b[2], b[1], b[3])]
    return f"{key} IN (SELECT {rowid} FROM {table} WHERE {' OR '.join([test] * len(boxes))})", params


class ArticleStore(StoreBase):
    """A geomap article store file.

    Open with :meth:`open` (or :func:`geomap.store.open_store`, which also takes a
    PostgreSQL URL). Writes happen one batch per transaction; readers in other
    processes see only whole articles (WAL mode lets them read while an ingest
    writes). Not shared between threads.

    Parameters
    ----------
    path : path-like
        The store file.
    create : bool
        Create the file (and its directory) when missing; otherwise a missing file is an error.
    gazetteer_path : path-like, optional
        The gazetteer used to resolve place names the store does not know (default gazetteer when None).
    """

    def __init__(self, path: str | Path, *, create: bool = False, gazetteer_path: str | Path | None = None):
        super().__init__(gazetteer_path)
        self.path = Path(path)
        self.con = self._connect(create)

    @classmethod
    def open(cls, path: str | Path | None = None, *, create: bool = False,
             gazetteer_path: str | Path | None = None) -> "ArticleStore":
        """Open the store file at ``path`` (default :func:`default_store_path`), validating it."""
        return cls(path or default_store_path(), create=create, gazetteer_path=gazetteer_path)

    def _disconnect(self) -> None:
        self.con.close()

    def _rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        return self.con.execute(sql, params).fetchall()

    # -- opening -------------------------------------------------------------
    def _fail(self, what: str, fix: str) -> StoreCorrupt:
        return StoreCorrupt(f"{self.path}: {what}; {fix}")

    def _unwritable(self) -> StoreError | None:
        """The error saying what to do when SQLite cannot write the store's file or its folder, else None."""
        refused = unwritable_folder(self.path.parent)
        if refused is None and self.path.exists() and not os.access(self.path, os.W_OK):
            refused = (self.path, "the file is read-only")
        if refused is None:
            return None
        folder, reason = refused
        return StoreError(f"cannot write to {folder} ({reason}), where the article store {self.path} is kept "
                          "(SQLite writes its -wal and -shm files beside it): give --db a file in a writable "
                          "folder, or set GEOMAP_DB to one")

    def _connect(self, create: bool) -> sqlite3.Connection:
        path = self.path
        if path.is_dir():
            raise StoreError(f"{path}: is a directory; give the store file, e.g. --db {path / 'articles.sqlite'}")
        if not path.exists():
            if not create:
                raise StoreError(f"{path}: no article store here; create one with `geomap ingest ARTICLES --db {path}`")
            unwritable = self._unwritable()
            if unwritable:
                raise unwritable
        elif path.stat().st_size and sqlite_application_id(path) is None:
            raise self._fail("is not a SQLite file (a foreign or corrupt file)",
                             "give a geomap article store with --db, or a new file name to create one")
        try:
            con = sqlite3.connect(path, isolation_level=None, timeout=30.0)
            con.execute("PRAGMA busy_timeout = 30000")
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.OperationalError as exc:  # cannot open or lock: the file is not to blame
            raise self._unwritable() or StoreError(f"{path}: cannot open the article store ({exc})") from None
        except sqlite3.DatabaseError as exc:
            raise self._fail(f"cannot be read as a SQLite database ({exc})",
                             "it is corrupt: delete it and ingest the articles again") from None
        if app_id == 0 and not tables:
            if not create:
                con.close()
                raise StoreError(f"{path}: the article store is empty; ingest articles with "
                                 f"`geomap ingest ARTICLES --db {path}`")
            self._initialise(con)
        elif app_id == GAZETTEER_APPLICATION_ID:
            con.close()
            raise self._fail("is a geomap gazetteer, not an article store",
                             "pass the article store with --db (or a new file name to create one)")
        elif app_id != APPLICATION_ID:
            con.close()
            raise self._fail("is a SQLite database but not a geomap article store",
                             "give a geomap article store with --db, or a new file name to create one")
        self._upgrade(con, self._validate(con))
        try:
            if con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                con.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError:
            pass  # a read-only file keeps its mode; reading still works
        # WAL + NORMAL: a commit is in the WAL file before it returns, so killing the process loses nothing committed.
        con.execute("PRAGMA synchronous = NORMAL")
        return con

    def _initialise(self, con: sqlite3.Connection) -> None:
        """Create the schema in one transaction; another process doing it at the same moment is fine."""
        try:
            con.executescript(create_script())
        except sqlite3.Error as exc:
            if con.in_transaction:
                con.execute("ROLLBACK")
            if con.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                con.close()
                raise StoreError(f"{self.path}: cannot create the article store ({exc})") from None

    def _validate(self, con: sqlite3.Connection) -> int:
        """The store's schema version, after checking its tables are there."""
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            missing = [t for t in TABLES if t not in tables]
            version = None if "meta" in missing else con.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.DatabaseError as exc:
            con.close()
            raise self._fail(f"cannot be read ({exc})",
                             "it is corrupt: delete it and ingest the articles again") from None
        if missing:
            con.close()
            raise self._fail(f"is an incomplete article store (missing tables: {', '.join(missing)})",
                             "delete it and ingest the articles again")
        if not version or not version[0].isdigit():
            con.close()
            raise self._fail("has no store schema version", "delete it and ingest the articles again")
        if int(version[0]) > SCHEMA_VERSION:
            con.close()
            raise self._fail(f"has store schema {version[0]}, made by a newer geomap (this one reads up to "
                             f"{SCHEMA_VERSION})", "upgrade geomap")
        return int(version[0])

    def _upgrade(self, con: sqlite3.Connection, version: int) -> None:
        """Bring an older store up to :data:`SCHEMA_VERSION`, one step per transaction (re-checked under the lock)."""
        for step in pending(SQLITE_MIGRATIONS, version):
            try:
                con.execute("BEGIN IMMEDIATE")
                now = int(con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
                if now < step.version:  # another process may have upgraded it meanwhile
                    step.apply(con)
                    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(step.version),))
                con.execute("COMMIT")
            except sqlite3.Error as exc:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                con.close()
                raise StoreError(f"{self.path}: cannot upgrade the article store to schema {step.version} "
                                 f"({step.what}): {exc}; open it once with write access") from None

    @contextmanager
    def _read_errors(self) -> Iterator[None]:
        """Turn SQLite failures while reading into a StoreCorrupt naming the file."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise self._fail(f"cannot be read ({exc})",
                             "it may be corrupt: run an integrity check or re-ingest") from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any exception.

        SQLite failures (disk full, a read-only file, a lock held too long) become a
        :class:`StoreError` naming the file; nothing of the transaction is kept.
        """
        try:
            self.con.execute("BEGIN IMMEDIATE")
            try:
                yield self.con
            except BaseException:
                if self.con.in_transaction:
                    self.con.execute("ROLLBACK")
                raise
            self.con.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.con.in_transaction:
                self.con.execute("ROLLBACK")
            raise StoreError(f"{self.path}: cannot write to the article store ({exc})") from None

    # -- spatial prefilters (R*Tree boxes) -------------------------------------
    def _places_within(self, lat: float, lon: float, km: float) -> tuple[str, list]:
        return _boxes_condition(geodesy.bounding_boxes(lat, lon, km), "p.rid", "place_rtree", "rid")

    def _ranges_at(self, lat: float, lon: float) -> tuple[str, list]:
        return _boxes_condition([(lat, lon, lat, lon)], "c.rid", "range_rtree", "box / 2")

    def _corridors_near(self, lat: float, lon: float, km: float) -> tuple[str, list]:
        return _boxes_condition(geodesy.bounding_boxes(lat, lon, km), "c.rid", "corridor_rtree", "box / 2")

    # -- writing -------------------------------------------------------------
    def save_records(self, items: Sequence[tuple[dict, str, str]]) -> None:
        """Store (or replace) ``(record, content_hash, pipeline_version)`` items in one transaction.

        An article stored with the same content hash and pipeline version is left as it is
        (another ingest stored it): ingesting the same articles twice leaves one copy.
        """
        with self.transaction() as con:
            for record, content_hash, pipeline_version in items:
                old = con.execute("SELECT rid, content_hash, pipeline_version FROM article WHERE id = ?",
                                  (record["id"],)).fetchone()
                if old and (old[1], old[2]) == (content_hash, pipeline_version):
                    continue
                if old:
                    self._delete_rows(old[0])
                self._insert_record(record, content_hash, pipeline_version)

    def _insert_record(self, record: dict, content_hash: str, pipeline_version: str) -> None:
        con = self.con
        place_rids = {p["id"]: self._upsert_place(p) for p in record["places"]}
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        rid = con.execute(
            "INSERT INTO article(id, title, source, meta, text, content_hash, pipeline_version, sentence_count,"
            " mention_count, range_count, corridor_count, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (record["id"], record.get("title"), record.get("source"),
             json.dumps(record.get("meta") or {}, ensure_ascii=False, default=str), record["text"],
             content_hash, pipeline_version, len(record["sentences"]), len(record["mentions"]),
             len(record["ranges"]), len(record["corridors"]), now)).lastrowid
        con.executemany('INSERT INTO sentence(article_rid, idx, start, "end", text) VALUES (?,?,?,?,?)',
                        [(rid, i, s[0], s[1], s[2]) for i, s in enumerate(record["sentences"])])
        mention_rows, names = mention_rows_and_names(rid, record, place_rids)
        con.executemany('INSERT INTO mention(article_rid, idx, start, "end", text, sentence_idx, source, label,'
                        ' place_rid, score) VALUES (?,?,?,?,?,?,?,?,?,?)', mention_rows)
        con.executemany("INSERT OR IGNORE INTO place_name(key, place_rid) VALUES (?, ?)", names)
        for i, r in enumerate(record["ranges"]):
            self._insert_range(rid, i, r)
        for i, c in enumerate(record["corridors"]):
            self._insert_corridor(rid, i, c)

    def _upsert_place(self, p: dict) -> int:
        """Insert or refresh a place (the newest parse wins); returns its row id."""
        rid = self.con.execute(
            "INSERT INTO place(id, name, kind, lat, lon, country_code, admin1, population, source)"
            " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind,"
            " lat = excluded.lat, lon = excluded.lon, country_code = excluded.country_code,"
            " admin1 = excluded.admin1, population = excluded.population, source = excluded.source RETURNING rid",
            place_values(p)).fetchone()[0]
        self.con.execute("INSERT OR REPLACE INTO place_rtree VALUES (?,?,?,?,?)",
                         (rid, p["lat"], p["lat"], p["lon"], p["lon"]))
        self.con.execute("INSERT OR IGNORE INTO place_name(key, place_rid) VALUES (?, ?)", (name_key(p["name"]), rid))
        return rid

    def _insert_range(self, article_rid: int, idx: int, r: dict) -> None:
        origin = r.get("origin") or {}
        lat, lon = origin.get("lat"), origin.get("lon")
        rid = self.con.execute(
            "INSERT INTO range_claim(article_rid, idx, weapon, range_km, origin_lat, origin_lon, sentence, data)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (article_rid, idx, r.get("weapon"), r.get("range_km"), lat, lon, r.get("sentence") or "",
             json.dumps(r, ensure_ascii=False))).lastrowid
        self.con.executemany("INSERT INTO range_rtree VALUES (?,?,?,?,?)",
                             rtree_rows(rid, range_boxes(lat, lon, r.get("range_km"), origin.get("area_box"))))

    def _insert_corridor(self, article_rid: int, idx: int, c: dict) -> None:
        rid = self.con.execute(
            "INSERT INTO corridor(article_rid, idx, kind, name, sentence, data) VALUES (?,?,?,?,?,?)",
            (article_rid, idx, c.get("kind") or "corridor", c.get("name"), c.get("sentence") or "",
             json.dumps(c, ensure_ascii=False))).lastrowid
        path = corridor_path(tuple(located_points(c.get("waypoints") or [])))
        self.con.executemany("INSERT INTO corridor_rtree VALUES (?,?,?,?,?)", rtree_rows(rid, corridor_boxes(path)))

    def _delete_rows(self, article_rid: int) -> None:
        """Delete an article and everything hanging from it (inside the caller's transaction).

        Places stay: they are shared, and queries only count places that still have mentions.
        """
        con = self.con
        for claims, tree in (("range_claim", "range_rtree"), ("corridor", "corridor_rtree")):
            con.execute(f"DELETE FROM {tree} WHERE box IN (SELECT 2 * rid FROM {claims} WHERE article_rid = ?"
                        f" UNION ALL SELECT 2 * rid + 1 FROM {claims} WHERE article_rid = ?)",
                        (article_rid, article_rid))
        for table in ("range_claim", "corridor", "mention", "sentence"):
            con.execute(f"DELETE FROM {table} WHERE article_rid = ?", (article_rid,))
        con.execute("DELETE FROM article WHERE rid = ?", (article_rid,))

    # -- bookkeeping ---------------------------------------------------------
    def check(self) -> IntegrityReport:
        """Check the file and that every article is whole: the counts on its row equal its rows.

        Also looks for rows whose article is gone and claims missing from (or
        left over in) the R*Tree indexes.
        """
        con = self.con
        with self._read_errors():
            problems = [f"integrity_check: {r[0]}" for r in con.execute("PRAGMA integrity_check") if r[0] != "ok"]
            problems += self._count_problems()
            located = "origin_lat IS NOT NULL AND origin_lon IS NOT NULL AND range_km > 0"
            for claims, tree, cond in (("range_claim", "range_rtree", located), ("corridor", "corridor_rtree", None)):
                extra = con.execute(f"SELECT count(*) FROM {tree} WHERE box / 2 NOT IN (SELECT rid FROM {claims})"
                                    ).fetchone()[0]
                if extra:
                    problems.append(f"{extra} {tree} rows belong to no claim")
                if cond:
                    missing = con.execute(f"SELECT count(*) FROM {claims} WHERE {cond} AND rid NOT IN "
                                          f"(SELECT box / 2 FROM {tree})").fetchone()[0]
                    if missing:
                        problems.append(f"{missing} {claims} rows are missing from {tree}")
            n = con.execute("SELECT count(*) FROM article").fetchone()[0]
        return IntegrityReport(articles=n, problems=problems)


# --------------------------------------------------------------------------- rows both stores write
def place_values(p: dict) -> tuple:
    """A place record's column values: (id, name, kind, lat, lon, country_code, admin1, population, source)."""
    return (p["id"], p["name"], p["kind"], p["lat"], p["lon"], p.get("country_code"), p.get("admin1"),
            p.get("population") or 0, p.get("source") or "")


def mention_rows_and_names(article_rid: int, record: dict, place_rids: dict[str, int]) -> tuple[list, list]:
    """A record's mention rows, and the (folded surface, place rid) pairs its resolved mentions add to place_name."""
    rows, names = [], set()
    for i, m in enumerate(record["mentions"]):
        place_rid = place_rids.get(m["place_id"]) if m["place_id"] else None
        rows.append((article_rid, i, m["start"], m["end"], m["text"], m["sentence"], m["source"], m["label"],
                     place_rid, m["score"]))
        if place_rid is not None:
            names.add((name_key(m["text"]), place_rid))
    return rows, sorted((k, r) for k, r in names if k)

"""The article store: parsed articles in SQLite (WAL), queried by place, radius and claim.

:class:`ArticleStore` opens (validating) or creates a store file, saves one
article per transaction and answers the queries of ``geomap query``:

- :meth:`ArticleStore.places_of_article`: an article's places, mention counts, contexts;
- :meth:`ArticleStore.articles_mentioning`: the articles that mention a place, with the sentences;
- :meth:`ArticleStore.near`: the places and articles within a radius of a place or point;
- :meth:`ArticleStore.claims_covering`: range claims whose circle covers a point;
- :meth:`ArticleStore.corridors_near`: corridors whose geodesic line passes near a point;
- :meth:`ArticleStore.load_articles`: :class:`geomap.model.Article` values back (for maps).

Articles travel as *store records* (:func:`article_record`): plain JSON-able
dicts, so parsing can run anywhere (worker processes today, a cluster job
later) and only the writer touches SQLite.

Distances are geodesic on WGS84 (geopy); R*Tree indexes only prefilter with
bounding boxes that are deliberately a little too large.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from gazetteer.core import EARTH_RADIUS_KM, haversine_km
from gazetteer.files import sqlite_application_id, unwritable_folder
from gazetteer.normalize import name_key, query_keys
from gazetteer.place import Place
from geomap.errors import StoreCorrupt, StoreError
from geomap.model import Article, ClaimPlace, CorridorClaim, Mention, RangeClaim, RangeTarget, Sentence
from geomap.store.schema import APPLICATION_ID, GAZETTEER_APPLICATION_ID, SCHEMA_VERSION, TABLES, create_script

#: The spherical distances (gazetteer.core's haversine on the mean Earth radius) are prefilters only; final
#: answers are geodesic. Spherical and WGS84 distances differ by less than 0.56 %: boxes are grown by this much
#: to stay supersets.
SPHERE_SLACK = 1.006


def default_store_path() -> Path:
    """``$GEOMAP_DB``, else ``articles.sqlite`` in the user data directory (platformdirs)."""
    env = os.environ.get("GEOMAP_DB")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("geomap")) / "articles.sqlite"


# --------------------------------------------------------------------------- records
def _claim_place_dict(cp: ClaimPlace) -> dict:
    return {"text": cp.text, "lat": cp.lat, "lon": cp.lon, "inferred": cp.inferred,
            "place_id": cp.place.id if cp.place else None}


def _target_dict(t: RangeTarget) -> dict:
    return {"text": t.text, "lat": t.lat, "lon": t.lon, "distance_km": t.distance_km, "inside": t.inside,
            "stated": t.stated, "place_id": t.place.id if t.place else None}


def article_record(article: Article) -> dict:
    """An Article as a store record: plain JSON-able data holding everything the store keeps.

    Unlike ``Article.to_record()`` (the ``geomap parse`` line) it keeps sentence
    offsets, full place records and claim details, so :meth:`ArticleStore.load_articles`
    can give the Article back. A sentence's text is kept only when it differs
    from the article's slice at its offsets. Mention candidates are not kept.
    """
    sentences = list(article.sentences)
    index = {(s.start, s.end): i for i, s in enumerate(sentences)}
    for m in article.mentions:  # a mention's sentence missing from article.sentences is added
        if (m.sentence.start, m.sentence.end) not in index:
            index[(m.sentence.start, m.sentence.end)] = len(sentences)
            sentences.append(m.sentence)
    places: dict[str, Place] = {}

    def register(place: Place | None) -> None:
        if place is not None:
            places.setdefault(place.id, place)

    for m in article.mentions:
        register(m.place)
    for r in article.ranges:
        register(r.origin.place if r.origin else None)
        for t in (*r.targets, *r.checks):
            register(t.place)
    for c in article.corridors:
        for w in c.waypoints:
            register(w.place)
    text = article.text
    return {
        "id": article.id,
        "text": text,
        "title": article.title,
        "source": article.source,
        "meta": dict(article.meta),
        "sentences": [[s.start, s.end, None if text[s.start:s.end] == s.text else s.text] for s in sentences],
        "places": [p.to_dict() for p in places.values()],
        "mentions": [{"start": m.start, "end": m.end, "text": m.text,
                      "sentence": index[(m.sentence.start, m.sentence.end)], "source": m.source,
                      "label": m.label, "place_id": m.place.id if m.place else None, "score": m.score}
                     for m in article.mentions],
        "ranges": [{"weapon": r.weapon, "range_km": r.range_km, "range_min_km": r.range_min_km,
                    "range_max_km": r.range_max_km, "qualifier": r.qualifier,
                    "origin": _claim_place_dict(r.origin) if r.origin else None,
                    "targets": [_target_dict(t) for t in r.targets],
                    "checks": [_target_dict(t) for t in r.checks],
                    "sentence": r.sentence, "start": r.start, "end": r.end, "range_text": r.range_text}
                   for r in article.ranges],
        "corridors": [{"kind": c.kind, "name": c.name, "waypoints": [_claim_place_dict(w) for w in c.waypoints],
                       "sentence": c.sentence, "start": c.start, "end": c.end} for c in article.corridors],
    }


# --------------------------------------------------------------------------- geometry
@lru_cache(maxsize=65536)
def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance on WGS84 in km (cached: claims from many articles share origins)."""
    from geomap.claims.geometry import distance_km

    return distance_km((lat1, lon1), (lat2, lon2))


def circle_bbox(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """A (min_lat, max_lat, min_lon, max_lon) box that contains the geodesic circle of ``km`` around a point.

    Spherical cap extents (the longitude half-width is ``asin(sin r / cos lat)``)
    with the radius grown by :data:`SPHERE_SLACK` and 1 km, so the box holds the
    WGS84 circle too. A circle reaching a pole or crossing the antimeridian
    gets the full longitude range: a larger box, never a wrong answer.

    >>> [round(v, 2) for v in circle_bbox(33.51, 36.29, 30)]
    [33.23, 33.79, 35.95, 36.63]
    """
    r = (km * SPHERE_SLACK + 1.0) / EARTH_RADIUS_KM  # angular radius, radians
    r_deg = math.degrees(r)
    min_lat, max_lat = lat - r_deg, lat + r_deg
    cos_lat = math.cos(math.radians(lat))
    if min_lat <= -90 or max_lat >= 90 or r >= math.pi / 2 or math.sin(r) >= cos_lat:
        return max(min_lat, -90.0), min(max_lat, 90.0), -180.0, 180.0
    half = math.degrees(math.asin(math.sin(r) / cos_lat))
    if lon - half < -180 or lon + half > 180:
        return min_lat, max_lat, -180.0, 180.0
    return min_lat, max_lat, lon - half, lon + half


def _path_bbox(path: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    """The box of a densified geodesic path (longitudes unwrapped), with a small margin for the arcs."""
    lats = [p[0] for p in path]
    lons = [p[1] for p in path]
    margin = 0.02  # degrees: a geodesic bulges far less than this between points 10 km apart
    min_lon, max_lon = min(lons) - margin, max(lons) + margin
    if min_lon < -180 or max_lon > 180:
        min_lon, max_lon = -180.0, 180.0
    return max(min(lats) - margin, -90.0), min(max(lats) + margin, 90.0), min_lon, max_lon


def located_points(waypoints: Iterable[dict]) -> list[tuple[float, float]]:
    """The (lat, lon) of the waypoints that have coordinates, in order."""
    return [(w["lat"], w["lon"]) for w in waypoints if w.get("lat") is not None and w.get("lon") is not None]


PATH_STEP_KM = 10.0


@lru_cache(maxsize=4096)
def _corridor_path(waypoints: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
    from geomap.claims.geometry import geodesic_path

    if len(waypoints) == 1:
        return waypoints
    return tuple(geodesic_path(waypoints, step_km=PATH_STEP_KM))


def distance_to_corridor_km(lat: float, lon: float, waypoints: Sequence[tuple[float, float]]) -> float:
    """Geodesic distance (km) from a point to the geodesic line through ``waypoints``.

    The line is densified every 10 km (:func:`geomap.claims.geometry.geodesic_path`);
    the nearest vertex is found on the sphere, the two 10 km steps beside it are
    searched (golden section) for the nearest point, and the distance to that point
    is measured on WGS84. Within a 10 km step the line is taken as straight in
    degrees, which moves it by metres at most. A corridor of one located waypoint
    is that point.

    >>> round(distance_to_corridor_km(34.45, 40.92, [(33.3, 44.4), (34.46, 40.94), (33.51, 36.29)]), 1)
    0.7
    """
    path = [(p[0], ((p[1] + 180) % 360) - 180) for p in _corridor_path(tuple(waypoints))]
    dists = [haversine_km(lat, lon, p[0], p[1]) for p in path]
    i = min(range(len(path)), key=dists.__getitem__)
    best = path[i]
    for j in (i - 1, i + 1):
        if 0 <= j < len(path):
            candidate = _nearest_on_step(lat, lon, path[i], path[j])
            if haversine_km(lat, lon, *candidate) < haversine_km(lat, lon, *best):
                best = candidate
    return geodesic_km(lat, lon, best[0], best[1])


def _nearest_on_step(lat: float, lon: float, a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """The point of the short step a-b nearest to (lat, lon), by golden-section search on the sphere."""
    dlon = ((b[1] - a[1] + 180) % 360) - 180  # a step may cross the antimeridian

    def at(frac: float) -> tuple[float, float]:
        return a[0] + (b[0] - a[0]) * frac, ((a[1] + dlon * frac + 180) % 360) - 180

    def dist(frac: float) -> float:
        return haversine_km(lat, lon, *at(frac))

    g = (math.sqrt(5) - 1) / 2
    lo, hi = 0.0, 1.0
    x1, x2 = hi - g * (hi - lo), lo + g * (hi - lo)
    f1, f2 = dist(x1), dist(x2)
    for _ in range(25):  # 10 km * 0.618**25: well under a metre
        if f1 < f2:
            hi, x2, f2 = x2, x1, f1
            x1 = hi - g * (hi - lo)
            f1 = dist(x1)
        else:
            lo, x1, f1 = x1, x2, f2
            x2 = lo + g * (hi - lo)
            f2 = dist(x2)
    return at((lo + hi) / 2)


# --------------------------------------------------------------------------- query results
@dataclass(frozen=True, slots=True)
class QueryPoint:
    """Where a query is centred: a stored place, a gazetteer place or bare coordinates."""

    lat: float
    lon: float
    label: str
    place: Place | None = None
    matched: str = "coordinates"   # "id", "stored name", "gazetteer" or "coordinates"


@dataclass(slots=True)
class PlaceInArticle:
    """A place of one article: how often it is mentioned, as what, and in which sentences."""

    place: Place
    count: int
    surfaces: list[str]
    sentences: list[str]


@dataclass(slots=True)
class ArticleMatch:
    """An article that mentions the queried place(s), with the sentences that do."""

    id: str
    title: str | None
    source: str | None
    count: int
    places: list[str]
    sentences: list[str]


@dataclass(slots=True)
class ArticleMatches:
    """The articles mentioning some places: the first ``limit`` of ``total``, most mentions first."""

    places: list[Place]
    total: int
    articles: list[ArticleMatch]


@dataclass(slots=True)
class NearbyPlace:
    place: Place
    distance_km: float
    article_count: int
    mention_count: int


@dataclass(slots=True)
class NearResult:
    center: QueryPoint
    km: float
    places: list[NearbyPlace]
    articles: ArticleMatches


@dataclass(slots=True)
class RangeMatch:
    """A stored range claim, with its origin's distance to the query point (when there is one)."""

    article_id: str
    weapon: str | None
    range_km: float | None
    origin: str | None
    origin_lat: float | None
    origin_lon: float | None
    sentence: str
    distance_km: float | None = None


@dataclass(slots=True)
class CorridorMatch:
    """A stored corridor, with its distance to the query point (when there is one)."""

    article_id: str
    kind: str
    name: str | None
    waypoints: list[dict]
    sentence: str
    distance_km: float | None = None


@dataclass(slots=True)
class IntegrityReport:
    """What :meth:`ArticleStore.check` found; ``ok`` when nothing is wrong."""

    articles: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --------------------------------------------------------------------------- the store
def _sql_list(n: int) -> str:
    return ",".join("?" * n)


_SENTENCE_TEXT = "COALESCE(s.text, substr(a.text, s.start + 1, s.\"end\" - s.start))"


class ArticleStore:
    """A geomap article store file.

    Open with :meth:`open`. Writes happen one article per transaction; readers
    in other processes see only whole articles (WAL mode lets them read while
    an ingest writes). Not shared between threads.

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
        self.path = Path(path)
        self.gazetteer_path = gazetteer_path
        self._gazetteer = None
        self.con = self._connect(create)

    @classmethod
    def open(cls, path: str | Path | None = None, *, create: bool = False,
             gazetteer_path: str | Path | None = None) -> "ArticleStore":
        """Open the store at ``path`` (default :func:`default_store_path`), validating it."""
        return cls(path or default_store_path(), create=create, gazetteer_path=gazetteer_path)

    def close(self) -> None:
        self.con.close()
        if self._gazetteer is not None:
            self._gazetteer.close()
            self._gazetteer = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

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
        self._validate(con)
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

    def _validate(self, con: sqlite3.Connection) -> None:
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            missing = [t for t in TABLES if t not in tables]
            version = None if "meta" in missing else con.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.DatabaseError as exc:
            con.close()
            raise self._fail(f"cannot be read ({exc})", "it is corrupt: delete it and ingest the articles again") from None
        if missing:
            con.close()
            raise self._fail(f"is an incomplete article store (missing tables: {', '.join(missing)})",
                             "delete it and ingest the articles again")
        if not version or version[0] != str(SCHEMA_VERSION):
            con.close()
            raise self._fail(f"has store schema {version[0] if version else '?'}, this geomap reads {SCHEMA_VERSION}",
                             "ingest the articles into a new file (--db NEW.sqlite)")

    @contextmanager
    def _read_errors(self) -> Iterator[None]:
        """Turn SQLite failures while reading into a StoreCorrupt naming the file."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise self._fail(f"cannot be read ({exc})", "it may be corrupt: run an integrity check or re-ingest") from None

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

    # -- writing -------------------------------------------------------------
    def article_status(self, article_id: str) -> tuple[str, str] | None:
        """``(content_hash, pipeline_version)`` of a stored article, or None when it is not stored."""
        with self._read_errors():
            row = self.con.execute("SELECT content_hash, pipeline_version FROM article WHERE id = ?",
                                   (article_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def article_source(self, article_id: str) -> str | None:
        """The source (file, ``file:line`` or URL) a stored article was read from."""
        with self._read_errors():
            row = self.con.execute("SELECT source FROM article WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def save_article(self, article: Article, content_hash: str, pipeline_version: str) -> None:
        """Store (or replace) one parsed article, all of it in one transaction."""
        self.save_record(article_record(article), content_hash, pipeline_version)

    def save_record(self, record: dict, content_hash: str, pipeline_version: str) -> None:
        """Store (or replace) one :func:`article_record`, all of it in one transaction."""
        with self.transaction() as con:
            old = con.execute("SELECT rid FROM article WHERE id = ?", (record["id"],)).fetchone()
            if old:
                self._delete_rows(old[0])
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
            mention_rows, names = [], set()
            for i, m in enumerate(record["mentions"]):
                place_rid = place_rids.get(m["place_id"]) if m["place_id"] else None
                mention_rows.append((rid, i, m["start"], m["end"], m["text"], m["sentence"], m["source"],
                                     m["label"], place_rid, m["score"]))
                if place_rid is not None:
                    names.add((name_key(m["text"]), place_rid))
            con.executemany('INSERT INTO mention(article_rid, idx, start, "end", text, sentence_idx, source, label,'
                            ' place_rid, score) VALUES (?,?,?,?,?,?,?,?,?,?)', mention_rows)
            con.executemany("INSERT OR IGNORE INTO place_name(key, place_rid) VALUES (?, ?)",
                            [(k, r) for k, r in names if k])
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
            (p["id"], p["name"], p["kind"], p["lat"], p["lon"], p.get("country_code"), p.get("admin1"),
             p.get("population") or 0, p.get("source") or "")).fetchone()[0]
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
        if lat is not None and lon is not None and r.get("range_km"):
            self.con.execute("INSERT INTO range_rtree VALUES (?,?,?,?,?)",
                             (rid, *circle_bbox(lat, lon, float(r["range_km"]))))

    def _insert_corridor(self, article_rid: int, idx: int, c: dict) -> None:
        rid = self.con.execute(
            "INSERT INTO corridor(article_rid, idx, kind, name, sentence, data) VALUES (?,?,?,?,?,?)",
            (article_rid, idx, c.get("kind") or "corridor", c.get("name"), c.get("sentence") or "",
             json.dumps(c, ensure_ascii=False))).lastrowid
        points = located_points(c.get("waypoints") or [])
        if points:
            self.con.execute("INSERT INTO corridor_rtree VALUES (?,?,?,?,?)",
                             (rid, *_path_bbox(_corridor_path(tuple(points)))))

    def _delete_rows(self, article_rid: int) -> None:
        """Delete an article and everything hanging from it (inside the caller's transaction).

        Places stay: they are shared, and queries only count places that still have mentions.
        """
        con = self.con
        con.execute("DELETE FROM range_rtree WHERE rid IN (SELECT rid FROM range_claim WHERE article_rid = ?)",
                    (article_rid,))
        con.execute("DELETE FROM corridor_rtree WHERE rid IN (SELECT rid FROM corridor WHERE article_rid = ?)",
                    (article_rid,))
        for table in ("range_claim", "corridor", "mention", "sentence"):
            con.execute(f"DELETE FROM {table} WHERE article_rid = ?", (article_rid,))
        con.execute("DELETE FROM article WHERE rid = ?", (article_rid,))

    def delete_article(self, article_id: str) -> bool:
        """Remove an article; False when it was not stored."""
        with self.transaction() as con:
            row = con.execute("SELECT rid FROM article WHERE id = ?", (article_id,)).fetchone()
            if row:
                self._delete_rows(row[0])
        return row is not None

    # -- bookkeeping ---------------------------------------------------------
    def count(self) -> int:
        with self._read_errors():
            return self.con.execute("SELECT count(*) FROM article").fetchone()[0]

    def article_ids(self) -> list[str]:
        with self._read_errors():
            return [r[0] for r in self.con.execute("SELECT id FROM article ORDER BY rid")]

    def check(self) -> IntegrityReport:
        """Check the file and that every article is whole: the counts on its row equal its rows.

        Also looks for rows whose article is gone and claims missing from (or
        left over in) the R*Tree indexes.
        """
        con = self.con
        with self._read_errors():
            problems = [f"integrity_check: {r[0]}" for r in con.execute("PRAGMA integrity_check") if r[0] != "ok"]
            for table, column in (("sentence", "sentence_count"), ("mention", "mention_count"),
                                  ("range_claim", "range_count"), ("corridor", "corridor_count")):
                for aid, stored, actual in con.execute(
                        f"SELECT a.id, a.{column}, (SELECT count(*) FROM {table} t WHERE t.article_rid = a.rid) AS n"
                        f" FROM article a WHERE a.{column} != n"):
                    problems.append(f"article {aid}: {column} is {stored} but it has {actual} {table} rows")
                orphans = con.execute(f"SELECT count(*) FROM {table} WHERE article_rid NOT IN "
                                      f"(SELECT rid FROM article)").fetchone()[0]
                if orphans:
                    problems.append(f"{orphans} {table} rows belong to no article")
            dangling = con.execute("SELECT count(*) FROM mention WHERE place_rid IS NOT NULL AND place_rid NOT IN "
                                   "(SELECT rid FROM place)").fetchone()[0]
            if dangling:
                problems.append(f"{dangling} mentions point to a missing place")
            for claims, tree, cond in (
                    ("range_claim", "range_rtree", "origin_lat IS NOT NULL AND origin_lon IS NOT NULL AND range_km > 0"),
                    ("corridor", "corridor_rtree", None)):
                extra = con.execute(f"SELECT count(*) FROM {tree} WHERE rid NOT IN (SELECT rid FROM {claims})").fetchone()[0]
                if extra:
                    problems.append(f"{extra} {tree} rows belong to no claim")
                if cond:
                    missing = con.execute(f"SELECT count(*) FROM {claims} WHERE {cond} AND rid NOT IN "
                                          f"(SELECT rid FROM {tree})").fetchone()[0]
                    if missing:
                        problems.append(f"{missing} {claims} rows are missing from {tree}")
            n = con.execute("SELECT count(*) FROM article").fetchone()[0]
        return IntegrityReport(articles=n, problems=problems)

    # -- place resolution ----------------------------------------------------
    def _places(self, where: str, params: Sequence) -> list[tuple[int, Place, int]]:
        """(rid, Place, mention count) of the stored places matching ``where``, most mentioned first."""
        rows = self.con.execute(
            "SELECT p.rid, p.id, p.name, p.kind, p.lat, p.lon, p.country_code, p.admin1, p.population, p.source,"
            " (SELECT count(*) FROM mention m WHERE m.place_rid = p.rid) AS n"
            f" FROM place p WHERE {where} ORDER BY n DESC, p.population DESC, p.rid", params).fetchall()
        return [(r[0], Place(*r[1:10]), r[10]) for r in rows]

    def _gazetteer_open(self):
        if self._gazetteer is None:
            from gazetteer import Gazetteer

            self._gazetteer = Gazetteer.open(self.gazetteer_path)
        return self._gazetteer

    def find_places(self, query: str) -> tuple[list[tuple[int, Place, int]], str]:
        """The stored places a user's place query means, and how they were matched.

        Tried in order: a stored place id (``gn:170794``); the folded names and
        the surface forms stored places were mentioned as (so ``Albukamal``
        finds the place the parser resolved it to); then the gazetteer's
        candidates for the name that the store holds (best first, the first one).
        Only places with at least one mention count. Returns ``([], "")`` when none.
        """
        with self._read_errors():
            found = [p for p in self._places("p.id = ?", (query,)) if p[2]]
            if found:
                return found, "id"
            keys = query_keys(query)
            if keys:
                found = [p for p in self._places(
                    f"p.rid IN (SELECT place_rid FROM place_name WHERE key IN ({_sql_list(len(keys))}))", keys) if p[2]]
                if found:
                    return found, "stored name"
            for cand in self._gazetteer_open().lookup(query, limit=10):
                found = [p for p in self._places("p.id = ?", (cand.place.id,)) if p[2]]
                if found:
                    return found, "gazetteer"
        return [], ""

    def resolve_point(self, query: str) -> QueryPoint:
        """A query's centre: ``LAT,LON``, a stored place (id or name) or the gazetteer's best place.

        Raises :class:`StoreError` when the name is known to neither the store nor the gazetteer.
        """
        point = parse_latlon(query)
        if point is not None:
            return QueryPoint(point[0], point[1], f"{point[0]:.4f},{point[1]:.4f}")
        found, how = self.find_places(query)
        if found:
            place = found[0][1]
            return QueryPoint(place.lat, place.lon, place.name, place, how)
        cands = self._gazetteer_open().lookup(query, limit=1)
        if not cands:
            raise StoreError(f"no place called {query!r} in the store {self.path} or the gazetteer; "
                             "give a place id, another spelling, or LAT,LON")
        place = cands[0].place
        return QueryPoint(place.lat, place.lon, place.name, place, "gazetteer")

    # -- queries -------------------------------------------------------------
    def _article_rid(self, article_id: str) -> int:
        row = self.con.execute("SELECT rid FROM article WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise StoreError(f"no article with id {article_id!r} in the store {self.path}")
        return row[0]

    def places_of_article(self, article_id: str, *, contexts: int = 3) -> list[PlaceInArticle]:
        """An article's resolved places, most mentioned first, with surfaces and up to ``contexts`` sentences."""
        with self._read_errors():
            rid = self._article_rid(article_id)
            rows = self.con.execute(
                "SELECT p.id, p.name, p.kind, p.lat, p.lon, p.country_code, p.admin1, p.population, p.source,"
                f" m.text, m.start, {_SENTENCE_TEXT} FROM mention m JOIN place p ON p.rid = m.place_rid"
                " JOIN sentence s ON s.article_rid = m.article_rid AND s.idx = m.sentence_idx"
                " JOIN article a ON a.rid = m.article_rid WHERE m.article_rid = ? ORDER BY m.start", (rid,)).fetchall()
        by_place: dict[str, PlaceInArticle] = {}
        for r in rows:
            entry = by_place.get(r[0])
            if entry is None:
                entry = by_place[r[0]] = PlaceInArticle(Place(*r[:9]), 0, [], [])
            entry.count += 1
            if r[9] not in entry.surfaces:
                entry.surfaces.append(r[9])
            if r[11] not in entry.sentences and len(entry.sentences) < contexts:
                entry.sentences.append(r[11])
        return sorted(by_place.values(), key=lambda e: -e.count)  # stable: first mention breaks ties

    def articles_mentioning(self, place_rids: Sequence[int], *, limit: int | None = 50,
                            contexts: int = 3) -> ArticleMatches:
        """The articles mentioning any of these stored places, most mentions first (then by id)."""
        rids = list(place_rids)
        marks = _sql_list(len(rids))
        with self._read_errors():
            places = [p for _, p, _ in self._places(f"p.rid IN ({marks})", rids)]
            total = self.con.execute(f"SELECT count(DISTINCT article_rid) FROM mention WHERE place_rid IN ({marks})",
                                     rids).fetchone()[0]
            top = self.con.execute(
                f"SELECT m.article_rid, count(*) AS n FROM mention m WHERE m.place_rid IN ({marks})"
                f" GROUP BY m.article_rid ORDER BY n DESC, m.article_rid LIMIT ?", (*rids, -1 if limit is None else limit)
            ).fetchall()
            matches = {}
            for article_rid, n in top:
                a = self.con.execute("SELECT id, title, source FROM article WHERE rid = ?", (article_rid,)).fetchone()
                matches[article_rid] = ArticleMatch(a[0], a[1], a[2], n, [], [])
            if matches:
                rows = self.con.execute(
                    f"SELECT DISTINCT m.article_rid, m.sentence_idx, p.name, {_SENTENCE_TEXT}"
                    " FROM mention m JOIN place p ON p.rid = m.place_rid"
                    " JOIN sentence s ON s.article_rid = m.article_rid AND s.idx = m.sentence_idx"
                    " JOIN article a ON a.rid = m.article_rid"
                    f" WHERE m.place_rid IN ({marks}) AND m.article_rid IN ({_sql_list(len(matches))})"
                    " ORDER BY m.article_rid, m.sentence_idx", (*rids, *matches)).fetchall()
                for article_rid, _, name, sentence in rows:
                    match = matches[article_rid]
                    if name not in match.places:
                        match.places.append(name)
                    if sentence not in match.sentences and len(match.sentences) < contexts:
                        match.sentences.append(sentence)
        return ArticleMatches(places, total, list(matches.values()))

    def near(self, center: QueryPoint, km: float, *, limit: int | None = 50, contexts: int = 1) -> NearResult:
        """The stored places within ``km`` (geodesic) of ``center``, nearest first, and the articles mentioning them."""
        if km <= 0:
            raise StoreError(f"the radius must be positive, got {km} km")
        box = circle_bbox(center.lat, center.lon, km)
        with self._read_errors():
            candidates = self._places(
                "p.rid IN (SELECT rid FROM place_rtree WHERE max_lat >= ? AND min_lat <= ? AND max_lon >= ?"
                " AND min_lon <= ?)", (box[0], box[1], box[2], box[3]))
            inside = []
            for rid, place, n in candidates:
                d = geodesic_km(center.lat, center.lon, place.lat, place.lon)
                if n and d <= km:
                    inside.append((rid, place, d, n))
            article_counts = dict(self.con.execute(
                f"SELECT place_rid, count(DISTINCT article_rid) FROM mention WHERE place_rid IN "
                f"({_sql_list(len(inside))}) GROUP BY place_rid", [r[0] for r in inside]).fetchall()) if inside else {}
        inside.sort(key=lambda r: (r[2], -r[3]))
        places = [NearbyPlace(place, d, article_counts.get(rid, 0), n) for rid, place, d, n in inside]
        articles = self.articles_mentioning([r[0] for r in inside], limit=limit, contexts=contexts)
        return NearResult(center, km, places, articles)

    def _range_rows(self, where: str, params: Sequence, limit: int | None = None) -> list[tuple]:
        """Range claim rows (article id, weapon, range_km, origin text, origin lat, lon, sentence)."""
        return self.con.execute(
            "SELECT a.id, c.weapon, c.range_km, json_extract(c.data, '$.origin.text'), c.origin_lat, c.origin_lon,"
            f" c.sentence FROM range_claim c JOIN article a ON a.rid = c.article_rid WHERE {where}"
            " ORDER BY c.article_rid, c.idx LIMIT ?", (*params, -1 if limit is None else limit)).fetchall()

    def claims_covering(self, point: QueryPoint) -> list[RangeMatch]:
        """The range claims whose circle (origin, range_km) covers the point: geodesic distance <= range.

        The R*Tree of circle boxes gives the candidates; each is then measured on WGS84.
        """
        with self._read_errors():
            rows = self._range_rows(
                "c.rid IN (SELECT rid FROM range_rtree WHERE min_lat <= ? AND max_lat >= ? AND min_lon <= ?"
                " AND max_lon >= ?)", (point.lat, point.lat, point.lon, point.lon))
        out = []
        for row in rows:
            d = geodesic_km(row[4], row[5], point.lat, point.lon)
            if d <= row[2]:
                out.append(RangeMatch(*row, distance_km=d))
        return out

    def ranges(self, limit: int | None = None) -> list[RangeMatch]:
        """Every stored range claim (the first ``limit``), in article order."""
        with self._read_errors():
            return [RangeMatch(*row) for row in self._range_rows("1", (), limit)]

    def _corridor_rows(self, where: str, params: Sequence, limit: int | None = None) -> list[tuple]:
        """Corridor rows (article id, kind, name, waypoints, sentence)."""
        rows = self.con.execute(
            "SELECT a.id, c.kind, c.name, json_extract(c.data, '$.waypoints'), c.sentence FROM corridor c"
            f" JOIN article a ON a.rid = c.article_rid WHERE {where} ORDER BY c.article_rid, c.idx LIMIT ?",
            (*params, -1 if limit is None else limit)).fetchall()
        return [(aid, kind, name, json.loads(wps), sentence) for aid, kind, name, wps, sentence in rows]

    def corridors_near(self, point: QueryPoint, km: float) -> list[CorridorMatch]:
        """The corridors whose geodesic line passes within ``km`` of the point, nearest first."""
        if km < 0:
            raise StoreError(f"the distance must not be negative, got {km} km")
        box = circle_bbox(point.lat, point.lon, km)
        with self._read_errors():
            rows = self._corridor_rows(
                "c.rid IN (SELECT rid FROM corridor_rtree WHERE max_lat >= ? AND min_lat <= ? AND max_lon >= ?"
                " AND min_lon <= ?)", box)
        out, distances = [], {}  # many articles repeat one corridor (Iraq - Albukamal - Syria): measure it once
        for aid, kind, name, waypoints, sentence in rows:
            line = tuple(located_points(waypoints))
            if line not in distances:
                distances[line] = distance_to_corridor_km(point.lat, point.lon, line)
            d = distances[line]
            if d <= km:
                out.append(CorridorMatch(aid, kind, name, waypoints, sentence, d))
        return sorted(out, key=lambda c: c.distance_km)

    def corridors(self, limit: int | None = None) -> list[CorridorMatch]:
        """Every stored corridor (the first ``limit``), in article order."""
        with self._read_errors():
            return [CorridorMatch(*row) for row in self._corridor_rows("1", (), limit)]

    # -- selection for maps ----------------------------------------------------
    def select_ids(self, *, article: str | None = None, place: str | None = None, near: str | None = None,
                   km: float | None = None, covering: str | None = None, limit: int | None = None) -> list[str]:
        """The ids of the articles a ``geomap query`` selector picks (for ``geomap map --db``).

        ``article``: that article; ``place``: the articles mentioning the place;
        ``near`` + ``km``: the articles mentioning a place within the radius, plus those
        with a corridor passing within it; ``covering``: the articles with a range
        claim covering the point. Several selectors: the union, in that order.
        """
        ids: dict[str, None] = {}
        if article is not None:
            self._article_rid(article)
            ids[article] = None
        if place is not None:
            found, _ = self.find_places(place)
            if not found:
                raise StoreError(f"no stored article mentions a place called {place!r} ({self.path})")
            ids.update(dict.fromkeys(a.id for a in self.articles_mentioning([r for r, _, _ in found],
                                                                            limit=limit, contexts=0).articles))
        if near is not None:
            if km is None:
                raise StoreError("near needs a radius (--km)")
            center = self.resolve_point(near)
            ids.update(dict.fromkeys(a.id for a in self.near(center, km, limit=limit, contexts=0).articles.articles))
            ids.update(dict.fromkeys(c.article_id for c in self.corridors_near(center, km)))
        if covering is not None:
            ids.update(dict.fromkeys(r.article_id for r in self.claims_covering(self.resolve_point(covering))))
        return list(ids)[:limit] if limit is not None else list(ids)

    # -- articles back ---------------------------------------------------------
    def load_articles(self, ids: Iterable[str]) -> list[Article]:
        """The stored articles as :class:`geomap.model.Article` values, in the order of ``ids``.

        Everything the parser produced comes back (sentences, mentions with their
        places, range and corridor claims with their places) except the mentions'
        candidate lists, which the store does not keep. Raises :class:`StoreError`
        naming the ids that are not stored.
        """
        ids = list(ids)
        with self._read_errors():
            articles = [self._load_article(article_id) for article_id in ids]
        missing = [i for i, a in zip(ids, articles) if a is None]
        if missing:
            shown = ", ".join(map(repr, missing[:5])) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            raise StoreError(f"not in the store {self.path}: {shown}")
        return articles

    def _load_article(self, article_id: str) -> Article | None:
        con = self.con
        row = con.execute("SELECT rid, text, title, source, meta FROM article WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        rid, text, title, source, meta = row
        sentences = [Sentence(start, end, stext if stext is not None else text[start:end])
                     for start, end, stext in con.execute(
                         'SELECT start, "end", text FROM sentence WHERE article_rid = ? ORDER BY idx', (rid,))]
        mentions = []
        for start, end, mtext, sidx, source_, label, score, *prow in con.execute(
                'SELECT m.start, m."end", m.text, m.sentence_idx, m.source, m.label, m.score, p.id, p.name, p.kind,'
                ' p.lat, p.lon, p.country_code, p.admin1, p.population, p.source FROM mention m'
                ' LEFT JOIN place p ON p.rid = m.place_rid WHERE m.article_rid = ? ORDER BY m.idx', (rid,)):
            place = Place(*prow) if prow[0] is not None else None
            mentions.append(Mention(start, end, mtext, sentences[sidx], source=source_, label=label, place=place,
                                    score=score))
        range_data = [json.loads(d) for (d,) in con.execute(
            "SELECT data FROM range_claim WHERE article_rid = ? ORDER BY idx", (rid,))]
        corridor_data = [json.loads(d) for (d,) in con.execute(
            "SELECT data FROM corridor WHERE article_rid = ? ORDER BY idx", (rid,))]
        places = self._places_by_id(_claim_place_ids(range_data, corridor_data))
        return Article(id=article_id, text=text, sentences=sentences, mentions=mentions,
                       ranges=[_range_claim(r, places) for r in range_data],
                       corridors=[_corridor_claim(c, places) for c in corridor_data],
                       title=title, source=source, meta=json.loads(meta))

    def _places_by_id(self, place_ids: set[str]) -> dict[str, Place]:
        if not place_ids:
            return {}
        return {p.id: p for _, p, _ in self._places(f"p.id IN ({_sql_list(len(place_ids))})", list(place_ids))}


# --------------------------------------------------------------------------- helpers
def parse_latlon(text: str) -> tuple[float, float] | None:
    """``"33.51,36.29"`` -> (33.51, 36.29); None when ``text`` is not two numbers.

    Raises :class:`StoreError` for numbers outside the latitude/longitude ranges.

    >>> parse_latlon("29.55, 34.95"), parse_latlon("Eilat")
    ((29.55, 34.95), None)
    """
    parts = text.split(",")
    if len(parts) != 2:
        return None
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise StoreError(f"{text!r}: latitude must be in [-90, 90] and longitude in [-180, 180]")
    return lat, lon


def _claim_place_ids(ranges: list[dict], corridors: list[dict]) -> set[str]:
    ids = set()
    for r in ranges:
        for d in (r.get("origin") or {}, *r.get("targets", []), *r.get("checks", [])):
            if d.get("place_id"):
                ids.add(d["place_id"])
    for c in corridors:
        ids.update(w["place_id"] for w in c.get("waypoints", []) if w.get("place_id"))
    return ids


def _claim_place(d: dict | None, places: dict[str, Place]) -> ClaimPlace | None:
    if not d:
        return None
    return ClaimPlace(d["text"], d["lat"], d["lon"], places.get(d.get("place_id") or ""), bool(d.get("inferred")))


def _target(d: dict, places: dict[str, Place]) -> RangeTarget:
    return RangeTarget(d["text"], d["lat"], d["lon"], d["distance_km"], d["inside"], bool(d.get("stated", True)),
                       places.get(d.get("place_id") or ""))


def _range_claim(r: dict, places: dict[str, Place]) -> RangeClaim:
    return RangeClaim(weapon=r["weapon"], range_km=r["range_km"], range_min_km=r["range_min_km"],
                      range_max_km=r["range_max_km"], qualifier=r["qualifier"],
                      origin=_claim_place(r["origin"], places), targets=[_target(t, places) for t in r["targets"]],
                      sentence=r["sentence"], start=r["start"], end=r["end"], range_text=r.get("range_text", ""),
                      checks=[_target(t, places) for t in r.get("checks", [])])


def _corridor_claim(c: dict, places: dict[str, Place]) -> CorridorClaim:
    return CorridorClaim(kind=c["kind"], name=c["name"], waypoints=[_claim_place(w, places) for w in c["waypoints"]],
                         sentence=c["sentence"], start=c["start"], end=c["end"])

"""What every article store shares, whatever holds it (SQLite or PostgreSQL + PostGIS).

- *store records* (:func:`article_record`): an Article as plain JSON-able data, so parsing
  can run anywhere (worker processes, a cluster) and only the writer touches the database;
- the values queries return (:class:`NearResult`, :class:`RangeMatch`...);
- :class:`StoreBase`: the queries of ``geomap query`` and ``geomap map --db`` written once in
  the SQL both databases speak (``?`` placeholders), with three spatial hooks each backend
  answers with its own index (R*Tree boxes, PostGIS ``ST_DWithin``): the places within a
  radius, the range claims whose circle may cover a point, the corridors that may pass near it.

Every distance a query reports or compares is measured in Python by :mod:`gazetteer.geodesy`
(WGS84), after the database's index has picked the candidates: both stores give the same
answers, to the last digit, in the same order (every ORDER BY ends on a unique key).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from gazetteer import geodesy
from gazetteer.normalize import query_keys
from gazetteer.place import Place
from geomap.errors import StoreError
from geomap.model import Article, ClaimPlace, CorridorClaim, Mention, RangeClaim, RangeTarget, Sentence


# --------------------------------------------------------------------------- records
def _claim_place_dict(cp: ClaimPlace) -> dict:
    d = {"text": cp.text, "lat": cp.lat, "lon": cp.lon, "inferred": cp.inferred, "area_id": cp.area_id,
         "place_id": cp.place.id if cp.place else None}
    if cp.outline is not None:  # a range from an area reaches from its outline: the index needs the outline's box
        min_lon, min_lat, max_lon, max_lat = cp.outline.bounds
        d["area_box"] = [min_lat, min_lon, max_lat, max_lon]
    return d


def _target_dict(t: RangeTarget) -> dict:
    return {"text": t.text, "lat": t.lat, "lon": t.lon, "distance_km": t.distance_km, "inside": t.inside,
            "stated": t.stated, "place_id": t.place.id if t.place else None}


def _record_sentences(article: Article) -> tuple[list[Sentence], dict[tuple[int, int], int]]:
    """The article's sentences plus any mention's sentence missing from them, and their index by offsets."""
    sentences = list(article.sentences)
    index = {(s.start, s.end): i for i, s in enumerate(sentences)}
    for m in article.mentions:
        if (m.sentence.start, m.sentence.end) not in index:
            index[(m.sentence.start, m.sentence.end)] = len(sentences)
            sentences.append(m.sentence)
    return sentences, index


def _record_places(article: Article) -> list[Place]:
    """Every place the article refers to (mentions, claim origins, targets, waypoints), once, first seen first."""
    found = [m.place for m in article.mentions]
    for r in article.ranges:
        found += [r.origin.place if r.origin else None, *(t.place for t in (*r.targets, *r.checks))]
    for c in article.corridors:
        found += [w.place for w in c.waypoints]
    places: dict[str, Place] = {}
    for place in found:
        if place is not None:
            places.setdefault(place.id, place)
    return list(places.values())


def _range_dict(r: RangeClaim) -> dict:
    return {"weapon": r.weapon, "range_km": r.range_km, "range_min_km": r.range_min_km,
            "range_max_km": r.range_max_km, "qualifier": r.qualifier,
            "origin": _claim_place_dict(r.origin) if r.origin else None,
            "targets": [_target_dict(t) for t in r.targets], "checks": [_target_dict(t) for t in r.checks],
            "sentence": r.sentence, "start": r.start, "end": r.end, "range_text": r.range_text}


def _corridor_dict(c: CorridorClaim) -> dict:
    return {"kind": c.kind, "name": c.name, "waypoints": [_claim_place_dict(w) for w in c.waypoints],
            "sentence": c.sentence, "start": c.start, "end": c.end}


def article_record(article: Article) -> dict:
    """An Article as a store record: plain JSON-able data holding everything the store keeps.

    Unlike ``Article.to_record()`` (the ``geomap parse`` line) it keeps sentence
    offsets, full place records and claim details, so :meth:`StoreBase.load_articles`
    can give the Article back. A sentence's text is kept only when it differs
    from the article's slice at its offsets. Mention candidates are not kept.
    """
    sentences, index = _record_sentences(article)
    text = article.text
    return {
        "id": article.id,
        "text": text,
        "title": article.title,
        "source": article.source,
        "meta": dict(article.meta),
        "sentences": [[s.start, s.end, None if text[s.start:s.end] == s.text else s.text] for s in sentences],
        "places": [p.to_dict() for p in _record_places(article)],
        "mentions": [{"start": m.start, "end": m.end, "text": m.text,
                      "sentence": index[(m.sentence.start, m.sentence.end)], "source": m.source,
                      "label": m.label, "place_id": m.place.id if m.place else None, "score": m.score}
                     for m in article.mentions],
        "ranges": [_range_dict(r) for r in article.ranges],
        "corridors": [_corridor_dict(c) for c in article.corridors],
    }


# --------------------------------------------------------------------------- geometry
#: Corridors are densified every 10 km before their distance to a point is measured.
PATH_STEP_KM = 10.0


@lru_cache(maxsize=65536)
def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance on WGS84 in km (:func:`gazetteer.geodesy.distance_km`, cached: claims share origins)."""
    return geodesy.distance_km(lat1, lon1, lat2, lon2)


def located_points(waypoints: Iterable[dict]) -> list[tuple[float, float]]:
    """The (lat, lon) of the waypoints that have coordinates, in order."""
    return [(w["lat"], w["lon"]) for w in waypoints if w.get("lat") is not None and w.get("lon") is not None]


@lru_cache(maxsize=4096)
def corridor_path(waypoints: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
    """The geodesic line through the waypoints, densified every :data:`PATH_STEP_KM` (one or none: as given)."""
    if len(waypoints) <= 1:
        return waypoints
    return tuple(geodesy.geodesic_path(waypoints, step_km=PATH_STEP_KM))


@lru_cache(maxsize=4096)
def corridor_line(waypoints: tuple[tuple[float, float], ...]) -> np.ndarray:
    """:func:`corridor_path` as a read-only (n, 2) array of (lat, lon), the form the distance search takes."""
    line = np.array(corridor_path(waypoints), dtype=float).reshape(-1, 2)
    line.flags.writeable = False
    return line


def clear_distance_caches() -> None:
    """Forget every cached distance and corridor line (benchmarks time queries from cold)."""
    for cached in (geodesic_km, corridor_path, corridor_line):
        cached.cache_clear()


def distance_to_corridor_km(lat: float, lon: float, waypoints: Sequence[tuple[float, float]]) -> float:
    """Geodesic distance (km) from a point to the geodesic line through ``waypoints``.

    :func:`gazetteer.geodesy.nearest_on_path` on the line densified every 10 km
    (cached: many articles repeat one corridor). A corridor of one located waypoint is that point.

    >>> round(distance_to_corridor_km(34.45, 40.92, [(33.3, 44.4), (34.46, 40.94), (33.51, 36.29)]), 1)
    0.7
    """
    line = corridor_line(tuple(waypoints))
    if len(line) == 1:
        return geodesic_km(lat, lon, *line[0].tolist())
    return geodesy.nearest_on_path(lat, lon, line)[0]


def corridor_distance_within(lat: float, lon: float, waypoints: Sequence[tuple[float, float]],
                             km: float) -> float | None:
    """:func:`distance_to_corridor_km`, or None when the line is surely further than ``km``.

    The line's nearest point is found on the sphere (:func:`gazetteer.geodesy.nearest_on_steps`);
    when even that is more than ``km`` away, with :data:`gazetteer.geodesy.SPHERE_SLACK`, the
    point is not measured on WGS84.
    """
    line = corridor_line(tuple(waypoints))
    if len(line) == 1:
        return geodesic_km(lat, lon, *line[0].tolist())
    sphere_km, nearest = geodesy.nearest_on_steps(lat, lon, line)
    if sphere_km > km * geodesy.SPHERE_SLACK + 1.0:
        return None
    return geodesy.distance_km(lat, lon, *nearest)


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



# --------------------------------------------------------------------------- the queries, once for both stores
def sql_list(n: int) -> str:
    """``?,?,?``: the placeholders of an IN list of ``n`` values."""
    return ",".join("?" * n)


#: A sentence's text: stored when it differs from the article's slice, else that slice.
SENTENCE_TEXT = "COALESCE(s.text, substr(a.text, s.start + 1, s.\"end\" - s.start))"


class StoreBase:
    """The public interface of an article store, and everything in it that is the same SQL on both databases.

    A backend (:class:`geomap.store.db.ArticleStore` for SQLite,
    :class:`geomap.store.postgis.PostgisStore`) connects, creates and upgrades its
    schema, writes records (:meth:`save_records`), checks itself (:meth:`check`) and
    answers three spatial prefilters with its index: :meth:`_places_within`,
    :meth:`_ranges_at` and :meth:`_corridors_near`. Each returns an SQL condition
    that may select a few rows too many, never too few; the final test is geodesic,
    in Python, the same for both.

    ``path`` is what messages name: the file, or the database URL without its password.
    """

    #: The LIMIT parameter that means "no limit".
    NO_LIMIT: int | None = -1
    path: object

    def __init__(self, gazetteer_path=None):
        self.gazetteer_path = gazetteer_path
        self._gazetteer = None

    # -- what a backend provides ------------------------------------------------
    def _rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        """Run one statement (``?`` placeholders) and return its rows."""
        raise NotImplementedError

    @contextmanager
    def _read_errors(self) -> Iterator[None]:
        """Turn the database's failures while reading into a StoreError naming the store."""
        raise NotImplementedError

    def _places_within(self, lat: float, lon: float, km: float) -> tuple[str, list]:
        """A condition on ``place p`` holding for every place within ``km`` of the point."""
        raise NotImplementedError

    def _ranges_at(self, lat: float, lon: float) -> tuple[str, list]:
        """A condition on ``range_claim c`` holding for every claim whose circle covers the point."""
        raise NotImplementedError

    def _corridors_near(self, lat: float, lon: float, km: float) -> tuple[str, list]:
        """A condition on ``corridor c`` holding for every corridor passing within ``km`` of the point."""
        raise NotImplementedError

    def save_records(self, items: Sequence[tuple[dict, str, str]]) -> None:
        """Store (or replace) ``(record, content_hash, pipeline_version)`` items, all in one transaction."""
        raise NotImplementedError

    def check(self) -> IntegrityReport:
        """Check that every article is whole (see :meth:`_count_problems`) and the indexes hold every claim."""
        raise NotImplementedError

    def _disconnect(self) -> None:
        raise NotImplementedError

    # -- life ----------------------------------------------------------------------
    def close(self) -> None:
        self._disconnect()
        if self._gazetteer is not None:
            self._gazetteer.close()
            self._gazetteer = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _row(self, sql: str, params: Sequence = ()) -> tuple | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _limit(self, limit: int | None) -> int | None:
        return self.NO_LIMIT if limit is None else limit

    # -- writing and bookkeeping ---------------------------------------------------
    def article_status(self, article_id: str) -> tuple[str, str] | None:
        """``(content_hash, pipeline_version)`` of a stored article, or None when it is not stored."""
        with self._read_errors():
            row = self._row("SELECT content_hash, pipeline_version FROM article WHERE id = ?", (article_id,))
        return (row[0], row[1]) if row else None

    def article_source(self, article_id: str) -> str | None:
        """The source (file, ``file:line`` or URL) a stored article was read from."""
        with self._read_errors():
            row = self._row("SELECT source FROM article WHERE id = ?", (article_id,))
        return row[0] if row else None

    def save_article(self, article: Article, content_hash: str, pipeline_version: str) -> None:
        """Store (or replace) one parsed article, all of it in one transaction."""
        self.save_record(article_record(article), content_hash, pipeline_version)

    def save_record(self, record: dict, content_hash: str, pipeline_version: str) -> None:
        """Store (or replace) one :func:`article_record`, all of it in one transaction."""
        self.save_records([(record, content_hash, pipeline_version)])

    def count(self) -> int:
        with self._read_errors():
            return self._row("SELECT count(*) FROM article")[0]

    def article_ids(self) -> list[str]:
        """Every stored article id, in id order."""
        with self._read_errors():
            return [r[0] for r in self._rows("SELECT id FROM article ORDER BY id")]

    def _count_problems(self) -> list[str]:
        """Articles whose stored counts differ from their rows, rows of no article, mentions of no place."""
        problems = []
        for table, column in (("sentence", "sentence_count"), ("mention", "mention_count"),
                              ("range_claim", "range_count"), ("corridor", "corridor_count")):
            for aid, stored, actual in self._rows(
                    f"SELECT a.id, a.{column}, count(t.article_rid) FROM article a LEFT JOIN {table} t"
                    f" ON t.article_rid = a.rid GROUP BY a.rid, a.id, a.{column}"
                    f" HAVING count(t.article_rid) != a.{column} ORDER BY a.id"):
                problems.append(f"article {aid}: {column} is {stored} but it has {actual} {table} rows")
            orphans = self._row(f"SELECT count(*) FROM {table} WHERE article_rid NOT IN (SELECT rid FROM article)")[0]
            if orphans:
                problems.append(f"{orphans} {table} rows belong to no article")
        dangling = self._row("SELECT count(*) FROM mention WHERE place_rid IS NOT NULL AND place_rid NOT IN "
                             "(SELECT rid FROM place)")[0]
        if dangling:
            problems.append(f"{dangling} mentions point to a missing place")
        return problems

    # -- place resolution ----------------------------------------------------------
    def _places(self, where: str, params: Sequence) -> list[tuple[int, Place, int]]:
        """(rid, Place, mention count) of the stored places matching ``where``, most mentioned first."""
        rows = self._rows(
            "SELECT p.rid, p.id, p.name, p.kind, p.lat, p.lon, p.country_code, p.admin1, p.population, p.source,"
            " (SELECT count(*) FROM mention m WHERE m.place_rid = p.rid) AS n"
            f" FROM place p WHERE {where} ORDER BY n DESC, p.population DESC, p.id", params)
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
                    f"p.rid IN (SELECT place_rid FROM place_name WHERE key IN ({sql_list(len(keys))}))", keys) if p[2]]
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

    # -- queries -------------------------------------------------------------------
    def _article_rid(self, article_id: str) -> int:
        row = self._row("SELECT rid FROM article WHERE id = ?", (article_id,))
        if row is None:
            raise StoreError(f"no article with id {article_id!r} in the store {self.path}")
        return row[0]

    def places_of_article(self, article_id: str, *, contexts: int = 3) -> list[PlaceInArticle]:
        """An article's resolved places, most mentioned first, with surfaces and up to ``contexts`` sentences."""
        with self._read_errors():
            rid = self._article_rid(article_id)
            rows = self._rows(
                "SELECT p.id, p.name, p.kind, p.lat, p.lon, p.country_code, p.admin1, p.population, p.source,"
                f" m.text, m.start, {SENTENCE_TEXT} FROM mention m JOIN place p ON p.rid = m.place_rid"
                " JOIN sentence s ON s.article_rid = m.article_rid AND s.idx = m.sentence_idx"
                " JOIN article a ON a.rid = m.article_rid WHERE m.article_rid = ? ORDER BY m.start, m.idx", (rid,))
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

    def articles_mentioning(self, place_rids: Sequence[int], *, limit: int | None = 50, contexts: int = 3,
                            places: Sequence[Place] | None = None) -> ArticleMatches:
        """The articles mentioning any of these stored places, most mentions first (then by id).

        ``places``: the places of ``place_rids`` as :meth:`_places` orders them, when the caller has
        them already (one query fewer).
        """
        rids = list(place_rids)
        marks = sql_list(len(rids))
        if not rids:
            return ArticleMatches([], 0, [])
        with self._read_errors():
            if places is None:
                places = [p for _, p, _ in self._places(f"p.rid IN ({marks})", rids)]
            places = list(places)
            # one pass over the mentions; only the articles reaching the limit-th highest count are looked up
            # (one by one: a join would read the whole article table) to be sorted by id
            least = "COALESCE((SELECT n FROM g ORDER BY n DESC LIMIT 1 OFFSET ?), 0)" if limit else "?"
            top = self._rows(
                f"WITH g AS MATERIALIZED (SELECT article_rid, count(*) AS n FROM mention WHERE place_rid IN ({marks})"
                " GROUP BY article_rid) SELECT g.article_rid, (SELECT a.id FROM article a WHERE a.rid = g.article_rid)"
                f" AS aid, g.n, (SELECT count(*) FROM g) FROM g WHERE g.n >= {least} ORDER BY g.n DESC, aid LIMIT ?",
                (*rids, limit - 1 if limit else 0, self._limit(limit)))
            total = top[0][3] if top else self._row(
                f"SELECT count(DISTINCT article_rid) FROM mention WHERE place_rid IN ({marks})", rids)[0]
            about = {rid: (title, source) for rid, title, source in self._rows(
                f"SELECT rid, title, source FROM article WHERE rid IN ({sql_list(len(top))})", [r[0] for r in top])
                } if top else {}
            matches = {rid: ArticleMatch(aid, *about[rid], n, [], []) for rid, aid, n, _ in top}
            if matches:
                rows = self._rows(
                    f"SELECT DISTINCT m.article_rid, m.sentence_idx, p.name, {SENTENCE_TEXT}"
                    " FROM mention m JOIN place p ON p.rid = m.place_rid"
                    " JOIN sentence s ON s.article_rid = m.article_rid AND s.idx = m.sentence_idx"
                    " JOIN article a ON a.rid = m.article_rid"
                    f" WHERE m.place_rid IN ({marks}) AND m.article_rid IN ({sql_list(len(matches))})"
                    " ORDER BY m.article_rid, m.sentence_idx, p.name", (*rids, *matches))
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
        with self._read_errors():
            candidates = [c for c in self._places(*self._places_within(center.lat, center.lon, km)) if c[2]]
            distances = np.atleast_1d(geodesy.distance_km(
                [p.lat for _, p, _ in candidates], [p.lon for _, p, _ in candidates], center.lat, center.lon))
            inside = [(rid, place, float(d), n) for (rid, place, n), d in zip(candidates, distances) if d <= km]
            article_counts = dict(self._rows(
                f"SELECT place_rid, count(DISTINCT article_rid) FROM mention WHERE place_rid IN "
                f"({sql_list(len(inside))}) GROUP BY place_rid", [r[0] for r in inside])) if inside else {}
        inside.sort(key=lambda r: (r[2], -r[3]))
        places = [NearbyPlace(place, d, article_counts.get(rid, 0), n) for rid, place, d, n in inside]
        in_query_order = [place for (rid, place, _), d in zip(candidates, distances) if d <= km]
        articles = self.articles_mentioning([r[0] for r in inside], limit=limit, contexts=contexts,
                                            places=in_query_order)
        return NearResult(center, km, places, articles)

    def _range_rows(self, where: str, params: Sequence, limit: int | None = None,
                    with_area: bool = False) -> list[tuple]:
        """Range claim rows (article id, weapon, range_km, origin text, origin lat, lon, sentence), and with
        ``with_area`` the origin's area id last (None for an origin that is a point)."""
        rows = self._rows(
            "SELECT a.id, c.weapon, c.range_km, c.data, c.origin_lat, c.origin_lon, c.sentence FROM range_claim c"
            f" JOIN article a ON a.rid = c.article_rid WHERE {where} ORDER BY a.id, c.idx LIMIT ?",
            (*params, self._limit(limit)))
        out = []
        for aid, weapon, km, data, lat, lon, sentence in rows:
            origin = json.loads(data).get("origin") or {}
            out.append((aid, weapon, km, origin.get("text"), lat, lon, sentence)
                       + ((origin.get("area_id"),) if with_area else ()))
        return out

    def _reach_km(self, lat: float | None, lon: float | None, area_id: str | None, point: QueryPoint) -> float:
        """How far the point lies from a range's origin: from the area's outline when the origin is an area
        (0 inside it), else from the origin's point; measured on WGS84."""
        outline = self._gazetteer_open().outline(area_id) if area_id else None
        if outline is not None:
            return geodesy.distance_to_outline_km(point.lat, point.lon, outline)
        return geodesic_km(lat, lon, point.lat, point.lon)

    def claims_covering(self, point: QueryPoint) -> list[RangeMatch]:
        """The range claims whose reach covers the point: geodesic distance <= range, from the origin's point
        or, for an origin that is an area (a country, a region), from its outline.

        The backend's index gives the candidates; each is then measured on WGS84.
        """
        with self._read_errors():
            rows = self._range_rows(*self._ranges_at(point.lat, point.lon), with_area=True)
        out = []
        for *row, area_id in rows:
            d = self._reach_km(row[4], row[5], area_id, point)
            if d <= row[2]:
                out.append(RangeMatch(*row, distance_km=d))
        return out

    def ranges(self, limit: int | None = None) -> list[RangeMatch]:
        """Every stored range claim (the first ``limit``), in article order."""
        with self._read_errors():
            return [RangeMatch(*row) for row in self._range_rows("TRUE", (), limit)]

    def _corridor_rows(self, where: str, params: Sequence, limit: int | None = None) -> list[tuple]:
        """Corridor rows (article id, kind, name, waypoints, sentence)."""
        rows = self._rows(
            "SELECT a.id, c.kind, c.name, c.data, c.sentence FROM corridor c"
            f" JOIN article a ON a.rid = c.article_rid WHERE {where} ORDER BY a.id, c.idx LIMIT ?",
            (*params, self._limit(limit)))
        return [(aid, kind, name, json.loads(data)["waypoints"], sentence) for aid, kind, name, data, sentence in rows]

    def corridors_near(self, point: QueryPoint, km: float) -> list[CorridorMatch]:
        """The corridors whose geodesic line passes within ``km`` of the point, nearest first."""
        if km < 0:
            raise StoreError(f"the distance must not be negative, got {km} km")
        with self._read_errors():
            rows = self._corridor_rows(*self._corridors_near(point.lat, point.lon, km))
        out, distances = [], {}  # many articles repeat one corridor (Iraq - Albukamal - Syria): measure it once
        for aid, kind, name, waypoints, sentence in rows:
            line = tuple(located_points(waypoints))
            if not line:
                continue
            if line not in distances:
                distances[line] = corridor_distance_within(point.lat, point.lon, line, km)
            d = distances[line]
            if d is not None and d <= km:
                out.append(CorridorMatch(aid, kind, name, waypoints, sentence, d))
        return sorted(out, key=lambda c: c.distance_km)

    def corridors(self, limit: int | None = None) -> list[CorridorMatch]:
        """Every stored corridor (the first ``limit``), in article order."""
        with self._read_errors():
            return [CorridorMatch(*row) for row in self._corridor_rows("TRUE", (), limit)]

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
        row = self._row("SELECT rid, text, title, source, meta FROM article WHERE id = ?", (article_id,))
        if row is None:
            return None
        rid, text, title, source, meta = row
        sentences = [Sentence(start, end, stext if stext is not None else text[start:end])
                     for start, end, stext in self._rows(
                         'SELECT start, "end", text FROM sentence WHERE article_rid = ? ORDER BY idx', (rid,))]
        mentions = []
        for start, end, mtext, sidx, source_, label, score, *prow in self._rows(
                'SELECT m.start, m."end", m.text, m.sentence_idx, m.source, m.label, m.score, p.id, p.name, p.kind,'
                ' p.lat, p.lon, p.country_code, p.admin1, p.population, p.source FROM mention m'
                ' LEFT JOIN place p ON p.rid = m.place_rid WHERE m.article_rid = ? ORDER BY m.idx', (rid,)):
            place = Place(*prow) if prow[0] is not None else None
            mentions.append(Mention(start, end, mtext, sentences[sidx], source=source_, label=label, place=place,
                                    score=score))
        range_data = [json.loads(d) for (d,) in self._rows(
            "SELECT data FROM range_claim WHERE article_rid = ? ORDER BY idx", (rid,))]
        corridor_data = [json.loads(d) for (d,) in self._rows(
            "SELECT data FROM corridor WHERE article_rid = ? ORDER BY idx", (rid,))]
        places = self._places_by_id(_claim_place_ids(range_data, corridor_data))
        return Article(id=article_id, text=text, sentences=sentences, mentions=mentions,
                       ranges=[RangeClaim.from_record(r, places) for r in range_data],
                       corridors=[CorridorClaim.from_record(c, places) for c in corridor_data],
                       title=title, source=source, meta=json.loads(meta))

    def _places_by_id(self, place_ids: set[str]) -> dict[str, Place]:
        if not place_ids:
            return {}
        return {p.id: p for _, p, _ in self._places(f"p.id IN ({sql_list(len(place_ids))})", list(place_ids))}



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



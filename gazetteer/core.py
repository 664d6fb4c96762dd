"""The :class:`Gazetteer`: look names up, fetch places, search near a point, test containment."""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from gazetteer.errors import GazetteerNotFound, PlaceNotFound
from gazetteer.normalize import _merge_variants, fold, query_keys, skeleton
from gazetteer.place import Candidate, Place
from gazetteer.store import CODE, CURATED, DEMONYM, PREFERRED, connect_readonly, read_meta

EARTH_RADIUS_KM = 6371.0088

_PLACE_COLS = "p.rid, p.id, p.name, p.kind, p.lat, p.lon, p.cc, p.admin1, p.population, p.prominence, p.source"
# Where a lookup ranks by in a (key, flags, *_PLACE_COLS) row of Gazetteer._rows_for_keys.
_ROW_RID, _ROW_ID, _ROW_NAME, _ROW_POPULATION, _ROW_PROMINENCE = 2, 3, 4, 10, 11

# How well each kind of match speaks for the name (the rest of a candidate's score is prominence).
MATCH_EXACT = 1.0
MATCH_CURATED = 0.98
MATCH_PREFERRED = 0.96
MATCH_ALTERNATE = 0.92
MATCH_CODE = 0.8
MATCH_DEMONYM = 0.75
MATCH_VARIANT = 0.75
MATCH_FUZZY = 0.65
GLUED_ARTICLE_PENALTY = 0.95
#: Least rapidfuzz ``fuzz.ratio`` (0-100) of a fuzzy match.
FUZZY_CUTOFF = 84
MATCH_WEIGHT = 0.55
#: A skeleton match counts only when the spellings, vowels included, are this alike (Qasam is not Kisumu).
MIN_VARIANT_SIMILARITY = 0.6


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of radius 6371.0088 km.

    >>> round(haversine_km(31.5017, 34.4668, 29.5581, 34.9482))  # Gaza City -> Eilat (WGS84 geodesic: 220.4)
    221
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def fuzzy_length_range(length: int, cutoff: float = FUZZY_CUTOFF) -> tuple[int, int]:
    """The key lengths that can reach ``cutoff`` against a key of ``length`` (a lossless prefilter).

    ``fuzz.ratio`` is ``200 * common / (len1 + len2)`` with ``common <= min(len1, len2)``.

    >>> fuzzy_length_range(10)
    (8, 13)
    """
    r = cutoff / 100.0
    return math.ceil(length * r / (2 - r) - 1e-9), math.floor(length * (2 - r) / r + 1e-9)


def similar_variants(keys: Sequence[str], candidates: Sequence[str],
                     threshold: float = MIN_VARIANT_SIMILARITY) -> list[str]:
    """The ``candidates`` as alike as ``threshold`` to one of ``keys`` (:func:`gazetteer.normalize.variant_similarity`).

    The same figure, computed for all candidates at once: their transliteration variants are merged in
    one pass over the joined keys ('|' is in no key, so no merge crosses it). One call per pair was
    the larger part of a misspelling's lookup time.

    >>> similar_variants(["qasam", "aqaba"], ["kisumu", "akaba", "qassam"])
    ['akaba', 'qassam']
    """
    from rapidfuzz import fuzz

    merged_keys = _merge_variants("|".join(keys)).split("|")
    merged_candidates = _merge_variants("|".join(candidates)).split("|")
    return [candidate for candidate, merged in zip(candidates, merged_candidates)
            if max(fuzz.ratio(key, merged) for key in merged_keys) / 100.0 >= threshold]


def _place(row: Sequence) -> Place:
    return Place(id=row[1], name=row[2], kind=row[3], lat=row[4], lon=row[5], country_code=row[6],
                 admin1=row[7], population=row[8] or 0, source=row[10])


def _flag_quality(flags: int) -> float:
    if flags & CURATED:
        return MATCH_CURATED
    if flags & PREFERRED:
        return MATCH_PREFERRED
    if flags & ~(CODE | DEMONYM):
        return MATCH_ALTERNATE
    return MATCH_CODE if flags & CODE else MATCH_DEMONYM


class Gazetteer:
    """An open gazetteer file.

    Thread-safe for reading; cheap to open (nothing is loaded up front).
    Use :meth:`open` for the default file, built on first use.

    >>> gaz = Gazetteer.open()                                   # doctest: +SKIP
    >>> gaz.lookup("Abu Kamal", limit=1)[0].place.name           # doctest: +SKIP
    'Ālbū Kamāl'
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._con = connect_readonly(self.path)
        # One read transaction for the connection's life: SQLite then takes the file lock and checks the
        # header once, not at every statement (about half of a lookup's SQL time where system calls are
        # slow). Nothing waits on it: writers never change a gazetteer in place, they rename a new file.
        self._con.execute("BEGIN")
        self._lock = threading.Lock()
        self.meta = read_meta(self._con)
        self._cached_lookup = lru_cache(maxsize=65536)(self._lookup)

    @classmethod
    def open(cls, path: str | Path | None = None, *, build: bool = True, quiet: bool = False) -> "Gazetteer":
        """Open ``path`` (default: :func:`gazetteer.build.default_path`).

        The default gazetteer is built when missing, and rebuilt when the
        installed sources changed since it was built; when another process is
        already (re)building it, this one waits for that build and uses it.
        """
        from gazetteer import build as builder

        is_default = path is None
        path = Path(path) if path else builder.default_path()
        if not (is_default and build):
            if not path.exists():
                raise GazetteerNotFound(f"{path}: no gazetteer file here; build it with "
                                        f"`geomap gazetteer build --path {path}`")
            return cls(path)
        if path.exists():
            gaz = cls(path)
            if not builder.is_stale(gaz.meta):
                return gaz  # the usual case, without taking the build lock
            gaz.close()
        builder.build_if_needed(path, quiet=quiet)
        return cls(path)

    def close(self) -> None:
        self._con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __len__(self) -> int:
        return self._query("SELECT count(*) FROM place")[0][0]

    @property
    def version(self) -> str:
        """A short string identifying the gazetteer's content (for re-parsing stale results)."""
        src = self.meta.get("sources") or {}
        return ",".join(f"{k}={src[k]}" for k in sorted(src)) or self.meta.get("origin", "custom")

    def _query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self._lock:
            return self._con.execute(sql, params).fetchall()

    # -- lookups -------------------------------------------------------------
    def get(self, place_id: str) -> Place:
        """The place with this id; :class:`PlaceNotFound` when none has it."""
        rows = self._query(f"SELECT {_PLACE_COLS} FROM place p WHERE p.id = ?", (place_id,))
        if not rows:
            raise PlaceNotFound(place_id)
        return _place(rows[0])

    def lookup(self, name: str, *, country: str | None = None, kinds: Iterable[str] | None = None,
               limit: int = 10, fuzzy: bool = True, demonyms: bool = False) -> list[Candidate]:
        """Places a name may refer to, best first.

        Parameters
        ----------
        name : str
            As written: case, diacritics, punctuation, the Arabic article and
            common transliteration variants are folded away.
        country : str, optional
            ISO 3166-1 alpha-2 code to restrict to.
        kinds : iterable of str, optional
            Kinds to restrict to (see :data:`gazetteer.place.KINDS`).
        limit : int
            How many candidates at most.
        fuzzy : bool
            Fall back to fuzzy matching (lower scores) when nothing matches exactly.
        demonyms : bool
            Also match adjectives of places ("Syrian" -> Syria).

        Returns
        -------
        list of Candidate
            ``score`` blends match quality (exact > folded > variant > fuzzy)
            with the place's prominence.
        """
        kinds_t = tuple(sorted(kinds)) if kinds else None
        cc = country.upper() if country else None
        return list(self._cached_lookup(name, cc, kinds_t, limit, fuzzy, demonyms))

    def _rows_for_keys(self, keys: Sequence[str], cc: str | None, kinds: tuple | None) -> list[tuple]:
        """The (key, flags, *place columns) rows of the places indexed under ``keys``; see ``_ROW_*``."""
        sql = [f"SELECT n.key, n.flags, {_PLACE_COLS} FROM name n JOIN place p ON p.rid = n.rid "
               f"WHERE n.key IN ({','.join('?' * len(keys))})"]
        params: list = list(keys)
        if cc:
            sql.append("AND p.cc = ?")
            params.append(cc)
        if kinds:
            sql.append(f"AND p.kind IN ({','.join('?' * len(kinds))})")
            params.extend(kinds)
        return self._query(" ".join(sql), params)

    def _variant_keys(self, keys: Sequence[str]) -> list[str]:
        """Index keys that share a transliteration skeleton with one of ``keys`` and are spelt alike, sorted."""
        skeletons = sorted({s for s in map(skeleton, keys) if s})
        if not skeletons:
            return []
        same_skeleton = [k for (k,) in self._query(
            f"SELECT key FROM skel WHERE skel IN ({','.join('?' * len(skeletons))})", skeletons)]
        return sorted(set(similar_variants(keys, same_skeleton)))

    def _lookup(self, name, cc, kinds, limit, fuzzy, demonyms) -> tuple[Candidate, ...]:
        keys = query_keys(name)
        if not keys:
            return ()
        folded = fold(name)
        # place rid -> (score, match, row): rows stay tuples; only the `limit` kept become Place and Candidate
        best: dict[int, tuple[float, str, tuple]] = {}

        def consider(rows, quality_of, how):
            for row in rows:
                key, flags = row[0], row[1]
                if flags == DEMONYM and not demonyms:
                    continue
                if flags == CODE and not name.isupper():
                    continue  # "Dam" the word is not DAM the airport code
                quality = quality_of(key, flags)
                match = "curated" if how == "folded" and flags & CURATED else how
                if how == "folded" and flags == DEMONYM:
                    match = "demonym"     # "Canadian" read as Canada: the resolver weighs it by the span's label
                if how != "fuzzy" and fold(row[_ROW_NAME]) == folded:
                    quality, match = MATCH_EXACT, "exact"
                score = MATCH_WEIGHT * quality + (1 - MATCH_WEIGHT) * row[_ROW_PROMINENCE]
                old = best.get(row[_ROW_RID])
                if old is None or score > old[0]:
                    best[row[_ROW_RID]] = (score, match, row)

        primary = keys[0]
        consider(self._rows_for_keys(keys, cc, kinds),
                 lambda key, flags: _flag_quality(flags) * (1.0 if key == primary else GLUED_ARTICLE_PENALTY),
                 "folded")
        if not best:
            variant_keys = self._variant_keys(keys)
            if variant_keys:
                consider(self._rows_for_keys(variant_keys, cc, kinds), lambda key, flags: MATCH_VARIANT, "variant")
        if not best and fuzzy and len(primary) >= 5:
            from rapidfuzz import fuzz, process

            lo = primary[:3]
            shortest, longest = fuzzy_length_range(len(primary))  # the others cannot reach the cutoff
            # One '|'-joined string rather than a row per key: a common prefix has thousands of keys.
            [(joined,)] = self._query("SELECT group_concat(key, '|') FROM (SELECT DISTINCT key FROM name "
                                      "WHERE key >= ? AND key < ? AND length(key) BETWEEN ? AND ? ORDER BY key)",
                                      (lo, lo + "\x7f", shortest, longest))
            near_keys = joined.split("|") if joined else []
            hits = process.extract(primary, near_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=8)
            ratio = {k: s / 100.0 for k, s, _ in hits}
            if ratio:
                consider(self._rows_for_keys(list(ratio), cc, kinds),
                         lambda key, flags: MATCH_FUZZY * ratio[key], "fuzzy")
        ranked = sorted(best.values(),
                        key=lambda kept: (-kept[0], -(kept[2][_ROW_POPULATION] or 0), kept[2][_ROW_ID]))[:limit]
        candidates = []
        for score, match, row in ranked:
            place = _place(row[2:])
            candidates.append(Candidate(place, score, place.name, match, row[_ROW_PROMINENCE]))
        return tuple(candidates)

    def key_stats(self, keys: Iterable[str]) -> dict[str, tuple[float, int, int]]:
        """For index keys present in the gazetteer: (best prominence, union of flags, number of places).

        One query for many keys: the recogniser asks this for every capitalised
        phrase of an article instead of holding a matcher of every name in memory.
        """
        keys = list(dict.fromkeys(keys))
        out: dict[str, tuple[float, int, int]] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            rows = self._query(
                "SELECT n.key, max(p.prominence), n.flags, count(*) FROM name n JOIN place p ON p.rid = n.rid "
                f"WHERE n.key IN ({','.join('?' * len(chunk))}) GROUP BY n.key, n.flags", chunk)
            for key, prom, flags, n in rows:
                old = out.get(key)
                out[key] = (max(prom, old[0]), flags | old[1], n + old[2]) if old else (prom, flags, n)
        return out

    # -- space ---------------------------------------------------------------
    def near(self, lat: float, lon: float, km: float, *, kinds: Iterable[str] | None = None,
             limit: int | None = None) -> list[tuple[Place, float]]:
        """Places within ``km`` of a point, nearest first, with their distance in km."""
        dlat = km / 111.0
        dlon = km / max(1e-6, 111.0 * math.cos(math.radians(min(89.9, abs(lat)))))
        sql = (f"SELECT {_PLACE_COLS} FROM place_rtree r JOIN place p ON p.rid = r.rid "
               "WHERE r.max_lat >= ? AND r.min_lat <= ? AND r.max_lon >= ? AND r.min_lon <= ?")
        params: list = [lat - dlat, lat + dlat, lon - dlon, lon + dlon]
        kinds = tuple(kinds) if kinds else None
        if kinds:
            sql += f" AND p.kind IN ({','.join('?' * len(kinds))})"
            params.extend(kinds)
        found = []
        for row in self._query(sql, params):
            d = haversine_km(lat, lon, row[4], row[5])
            if d <= km:
                found.append((_place(row), d))
        found.sort(key=lambda pd: (pd[1], -pd[0].population))
        return found[:limit] if limit else found

    def outline(self, place_id: str):
        """The place's outline as a shapely geometry, or None when it has none."""
        import shapely

        rows = self._query("SELECT o.wkb FROM outline o JOIN place p ON p.rid = o.rid WHERE p.id = ?", (place_id,))
        return shapely.from_wkb(rows[0][0]) if rows else None

    def containing(self, lat: float, lon: float) -> list[Place]:
        """Places whose outline contains the point (countries, and any imported outlines)."""
        import shapely

        rows = self._query(
            f"SELECT o.wkb, {_PLACE_COLS} FROM outline o JOIN place_rtree r ON r.rid = o.rid "
            "JOIN place p ON p.rid = o.rid WHERE r.min_lat <= ? AND r.max_lat >= ? AND r.min_lon <= ? "
            "AND r.max_lon >= ?", (lat, lat, lon, lon))
        pt = shapely.Point(lon, lat)
        return [_place(row[1:]) for row in rows if shapely.from_wkb(row[0]).covers(pt)]

    def contains(self, place_id: str, lat: float, lon: float) -> bool | None:
        """Whether the place's outline contains the point; None when the place has no outline."""
        import shapely

        geom = self.outline(place_id)
        return None if geom is None else bool(geom.covers(shapely.Point(lon, lat)))

    def info(self) -> dict:
        """What the file holds: counts by kind, sources, size."""
        by_kind = dict(self._query("SELECT kind, count(*) FROM place GROUP BY kind ORDER BY 2 DESC"))
        names = self._query("SELECT count(*) FROM name")[0][0]
        return {"path": str(self.path), "size_mb": round(self.path.stat().st_size / 2**20, 1),
                "places": sum(by_kind.values()), "names": names, "by_kind": by_kind,
                "origin": self.meta.get("origin"), "sources": self.meta.get("sources"),
                "imports": self.meta.get("imports", [])}

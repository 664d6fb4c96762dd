"""The :class:`Gazetteer`: look names up, fetch places, search near a point, test containment."""

from __future__ import annotations

import heapq
import math
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from gazetteer.database import CODE, CURATED, DEMONYM, PREFERRED, connect_readonly, read_meta
from gazetteer.errors import GazetteerCorrupt, GazetteerNotFound, GazetteerStale, PlaceNotFound
from gazetteer.index import NameIndex, fold_checksum, spelling_bucket
from gazetteer.normalize import fold, merge_variants, name_keys, query_keys, skeleton, without_descriptor
from gazetteer.place import Candidate, Place, new_candidate

_PLACE_COLS = "p.rid, p.id, p.name, p.kind, p.lat, p.lon, p.cc, p.admin1, p.population, p.prominence, p.source"

# How well each kind of match speaks for the name (the rest of a candidate's score is prominence).
MATCH_EXACT = 1.0
#: A curated alias is the team's word on what news means by a name: it outranks the exact name of a place up to
#: about 0.12 more prominent (Bethlehem the West Bank city over Bethlehem, South Africa, three times its size;
#: Saida, Lebanon's Sidon, over Saïda in Algeria). At 0.98, below an exact name, 20 of the 656 aliases lost to
#: the places they were written to beat. A candidate's score is still at most 1.
MATCH_CURATED = 1.1
MATCH_PREFERRED = 0.96
#: Another name of a place (GeoNames' alternate names, which have no flag). They had this score by accident,
#: through the demonym's branch, where 0.92 was meant; at 0.85 or 0.92 the dev corpora scored no better, and
#: loose names beat curated towns ("Sufa", an alternate name of Suva, Fiji, over the kibbutz).
MATCH_ALTERNATE = 0.75
MATCH_CODE = 0.8
MATCH_DEMONYM = 0.75
#: A transliteration variant, times how alike the spellings are (Eilatt is Eilat before it is Yaltay).
MATCH_VARIANT = 0.75
MATCH_FUZZY = 0.65
GLUED_ARTICLE_PENALTY = 0.95
#: Least rapidfuzz ``fuzz.ratio`` (0-100) of a fuzzy match.
FUZZY_CUTOFF = 84
MATCH_WEIGHT = 0.55
#: A candidate's score is MATCH_WEIGHT * match quality + PROMINENCE_WEIGHT * the place's prominence.
PROMINENCE_WEIGHT = 1 - MATCH_WEIGHT
#: A skeleton match counts only when the spellings, vowels included, are this alike: Qasam is not Kisumu
#: (0.55), and Eilatt is not Yaltay (0.6). At 0.6, such far spellings of prominent places outranked the place
#: meant (Sukwaati read as Jakarta, Kairba as Kirov) and every misspelling read a dozen of them.
MIN_VARIANT_SIMILARITY = 0.75


def fuzzy_length_range(length: int, cutoff: float = FUZZY_CUTOFF) -> tuple[int, int]:
    """The key lengths that can reach ``cutoff`` against a key of ``length`` (a lossless prefilter).

    ``fuzz.ratio`` is ``200 * common / (len1 + len2)`` with ``common <= min(len1, len2)``.

    >>> fuzzy_length_range(10)
    (8, 13)
    """
    r = cutoff / 100.0
    return math.ceil(length * r / (2 - r) - 1e-9), math.floor(length * (2 - r) / r + 1e-9)


@lru_cache(maxsize=None)
def _rapidfuzz():
    """rapidfuzz's ``fuzz.ratio`` and ``process.extract``: imported on the first lookup that needs them (most
    never do), and then not at every call (an import statement costs a microsecond even when done)."""
    from rapidfuzz import fuzz, process

    return fuzz.ratio, process.extract


def alike_spellings(keys: Sequence[str], merged: Sequence[str],
                    threshold: float = MIN_VARIANT_SIMILARITY) -> dict[int, float]:
    """The ``merged`` spellings as alike as ``threshold`` to one of ``keys``: {index: similarity}, by index.

    ``merged`` are candidates' :func:`~gazetteer.normalize.merge_variants` forms (the gazetteer stores
    them); a similarity is :func:`~gazetteer.normalize.variant_similarity` to the most alike of ``keys``,
    in [0, 1]. The comparisons run in rapidfuzz, one call per key.

    >>> alike_spellings(["qasam", "aqaba"], [merge_variants(k) for k in ["kisumu", "akaba", "qassam"]])
    {1: 1.0, 2: 1.0}
    """
    similarity, extract = _rapidfuzz()
    alike: dict[int, float] = {}
    for key in keys:
        hits = extract(merge_variants(key), merged, scorer=similarity, score_cutoff=threshold * 100, limit=None)
        for _, ratio, i in hits:
            if ratio > alike.get(i, 0.0):
                alike[i] = ratio
    return {i: alike[i] / 100.0 for i in sorted(alike)}


def similar_variants(keys: Sequence[str], candidates: Sequence[str],
                     threshold: float = MIN_VARIANT_SIMILARITY) -> dict[str, float]:
    """The ``candidates`` as alike as ``threshold`` to one of ``keys``, with their similarity (in their order).

    >>> similar_variants(["qasam", "aqaba"], ["kisumu", "akaba", "qassam"])
    {'akaba': 1.0, 'qassam': 1.0}
    >>> similar_variants(["eilatt"], ["eilat", "yaltay"])
    {'eilat': 1.0}
    """
    alike = alike_spellings(keys, [merge_variants(c) for c in candidates], threshold)
    return {candidates[i]: s for i, s in alike.items()}


def _place(row: Sequence) -> Place:
    return Place(id=row[1], name=row[2], kind=row[3], lat=row[4], lon=row[5], country_code=row[6],
                 admin1=row[7], population=row[8] or 0, source=row[10])


def _flag_quality(flags: int) -> float:
    if flags & CURATED:
        return MATCH_CURATED
    if flags & PREFERRED:
        return MATCH_PREFERRED
    if not flags & (CODE | DEMONYM):
        return MATCH_ALTERNATE  # a plain alternate name has no flag
    return MATCH_CODE if flags & CODE else MATCH_DEMONYM


#: The match quality of every value of a name's flags (they fit in a byte), looked up rather than computed.
_FLAG_QUALITY = tuple(_flag_quality(flags) for flags in range(256))
#: A name's share of a candidate's score (MATCH_WEIGHT * its quality), by its flags; under a key with a glued
#: article taken off; and how it matched. So is an exact name's, and the most any name's can be.
_FLAG_SHARE = tuple(MATCH_WEIGHT * q for q in _FLAG_QUALITY)
_GLUED_FLAG_SHARE = tuple(MATCH_WEIGHT * (q * GLUED_ARTICLE_PENALTY) for q in _FLAG_QUALITY)
# "Canadian" read as Canada: the resolver weighs a demonym by the span's label
_FLAG_MATCH = tuple("curated" if flags & CURATED else "demonym" if flags == DEMONYM else "folded"
                    for flags in range(256))
_EXACT_SHARE = MATCH_WEIGHT * MATCH_EXACT
_MOST_SHARE = MATCH_WEIGHT * MATCH_CURATED
#: The flags of names a lookup passes over, by (demonyms wanted, name written in capitals): a demonym alone
#: is no name unless asked for, and a code only matches a name in capitals ("Dam" is not DAM the airport).
_SKIPPED_FLAGS = {(demonyms, upper): frozenset(([] if demonyms else [DEMONYM]) + ([] if upper else [CODE]))
                  for demonyms in (False, True) for upper in (False, True)}


def _key_shares(primary: bool, can_be_exact: bool, quality: float | None
                ) -> tuple[Sequence[float] | None, Sequence[str] | None, float, float]:
    """How a key's match adds to its places' scores: (shares by flags, matches by flags, share, top).

    With ``quality`` None the share and the kind of match go by the name's flags (``shares`` and ``matches``,
    indexed by flags; a key other than the query's first is a glued form); else every place of the key gets
    ``share``, MATCH_WEIGHT * quality. ``top`` is the most the match can add to a place's score, before its
    prominence.
    """
    if quality is None:
        shares = _FLAG_SHARE if primary else _GLUED_FLAG_SHARE
        return shares, _FLAG_MATCH, 0.0, _MOST_SHARE if can_be_exact else shares[CURATED]
    share = MATCH_WEIGHT * quality
    return None, None, share, _MOST_SHARE if can_be_exact else share


class _Ranking:
    """The places one lookup has scored, and the least score that can still make its ``limit``.

    A candidate's score is MATCH_WEIGHT * its match quality + PROMINENCE_WEIGHT * its place's prominence;
    a place matched under several keys keeps its best. The index lists each key's places most prominent
    first, so a key's places are read only while they can still beat the ``limit``-th best score.
    """

    __slots__ = ("index", "primaries", "folded_checksum", "limit", "skipped", "wanted", "score", "match", "floor",
                 "passed_demonym")

    def __init__(self, index: NameIndex, primaries: frozenset[str], folded: str, limit: int, skipped: frozenset[int],
                 wanted):
        # primaries: the keys of the name as written ("El Arish": elarish and arish); the other keys are glued forms
        self.index, self.primaries, self.limit, self.skipped, self.wanted = index, primaries, limit, skipped, wanted
        self.folded_checksum = fold_checksum(folded)  # of the name as written: see consider()
        self.score: dict[int, float] = {}  # place row id -> its best score so far
        self.match: dict[int, str] = {}    # place row id -> how that score's name matched
        # a heap of the scores of the `limit` best places so far, as each was first scored (never above its
        # best): a place that cannot score above the least of them cannot be among the `limit` returned
        self.floor = [-math.inf] * limit
        self.passed_demonym = False  # whether a name matched only as a demonym, which was not asked for

    def consider(self, spans: Iterable[tuple[str, range, float | None]], how: str, keys_by_bound: bool = False) -> None:
        """Score the places of each (key, entries, quality) of ``spans``; quality None: by the name's flags.

        ``keys_by_bound``: the keys after the first come by what their best place could score, highest
        first, so that once one's best place cannot make the ``limit``, neither can the rest's.
        """
        primaries, folded_checksum = self.primaries, self.folded_checksum
        skipped, wanted, best, matched, floor = self.skipped, self.wanted, self.score, self.match, self.floor
        index = self.index
        packed_entries, prominence, name_fold = index.entry, index.prominence, index.name_fold
        pushpop = heapq.heappushpop
        for key, entries, quality in spans:
            can_be_exact = key in primaries and how != "fuzzy"
            shares, matches, share, top = _key_shares(key in primaries, can_be_exact, quality)
            for entry in entries:
                packed = packed_entries[entry]
                rid = packed >> 8
                from_prominence = PROMINENCE_WEIGHT * prominence[rid]
                if top + from_prominence < floor[0]:
                    if keys_by_bound and entry == entries.start and not can_be_exact:
                        return
                    break  # the entries come most prominent first: none of the rest can do better
                flags = packed & 0xFF
                if flags in skipped:
                    self.passed_demonym |= flags == DEMONYM
                    continue  # a demonym, or "Dam" the word that is not DAM the airport code
                if wanted is not None and not wanted(rid):
                    continue
                if shares is not None:
                    score, match = shares[flags] + from_prominence, matches[flags]
                else:
                    score, match = share + from_prominence, how
                # a place whose name folds like the query's has the query's first key (a 32-bit checksum of
                # the folded names: two places of one key whose names differ share one with odds of 1 in 4e9)
                if can_be_exact and name_fold[rid] == folded_checksum:
                    exact = _EXACT_SHARE + from_prominence
                    if exact > score:  # a curated name keeps its edge
                        score = exact
                    match = "exact"
                old = best.get(rid)
                if old is None:
                    pushpop(floor, score)
                elif score <= old:
                    continue
                best[rid] = score
                matched[rid] = match

    def best(self) -> list[int]:
        """The row ids of the ``limit`` best places, best first (then by population, then id); their scores and
        matches are in ``score`` and ``match``."""
        scores = self.score
        if len(scores) == 1 or len(set(scores.values())) == len(scores):
            # no ties (the usual case): the scores alone order them
            return sorted(scores, key=scores.__getitem__, reverse=True)[:self.limit]
        population, id_rank = self.index.population, self.index.id_rank
        ranked = sorted([(-score, -population(rid), id_rank[rid], rid) for rid, score in scores.items()])
        return [rid for _, _, _, rid in ranked[:self.limit]]


class Gazetteer:
    """An open gazetteer file.

    Thread-safe for reading; cheap to open (nothing is loaded up front).
    Use :meth:`open` for the default file, built on first use.

    >>> gaz = Gazetteer.open()
    >>> gaz.lookup("Abu Kamal", limit=1)[0].place.name
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
        self._index: NameIndex | None = None
        self._divisions: dict[str, Place] | None = None
        self._localized: bool | None = None  # whether the file has names in languages (see localized_name)
        self._outlines: OutlineIndex | None = None
        self._outlines_lock = threading.Lock()
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
            try:
                gaz = cls(path)
            except GazetteerStale:
                pass  # written by another version of geomap, in another file schema: rebuilt below
            else:
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

    def division(self, admin1: str) -> Place | None:
        """The first-level division (state, province, governorate) of an admin1 code; None when none has it.

        >>> Gazetteer.open().division("SY.07").name
        'Deir ez-Zor Governorate'
        """
        if self._divisions is None:
            rows = self._query(f"SELECT {_PLACE_COLS} FROM place p WHERE p.kind = 'admin1' AND p.admin1 IS NOT NULL")
            self._divisions = {row[7]: _place(row) for row in rows}  # one scan, on first use: 4,000 places
        return self._divisions.get(admin1)

    def localized_name(self, place_id: str, language: str) -> str | None:
        """The place's name in a language (ISO 639: "de"; "de-AT" falls back to "de"), its preferred one first,
        from an import that gave names with languages (GeoNames' alternateNamesV2); None when it has none."""
        if self._localized is None:
            self._localized = bool(self._query("SELECT 1 FROM sqlite_master WHERE name = 'localized_name'"))
        if not self._localized:
            return None  # a file without names in languages (the embedded build)
        languages = list(dict.fromkeys([language, language.split("-")[0]]))
        rows = self._query("SELECT l.name FROM localized_name l JOIN place p ON p.rid = l.rid WHERE p.id = ? "
                               f"AND l.language IN ({','.join('?' * len(languages))}) "
                               "ORDER BY l.language = ? DESC, l.preferred DESC, l.name LIMIT 1",
                           (place_id, *languages, language))
        return rows[0][0] if rows else None

    def extent(self, place_id: str) -> tuple[float, float, float, float] | None:
        """The box (min_lat, max_lat, min_lon, max_lon) a place spans (a division: its member places'), its
        point's for a place without extent; None when no place has the id."""
        rows = self._query("SELECT r.min_lat, r.max_lat, r.min_lon, r.max_lon FROM place_rtree r "
                           "JOIN place p ON p.rid = r.rid WHERE p.id = ?", (place_id,))
        return rows[0] if rows else None

    def lookup(self, name: str, *, country: str | None = None, kinds: Iterable[str] | None = None,
               limit: int = 10, fuzzy: bool = True, demonyms: bool = False) -> list[Candidate]:
        """Places a name may refer to, best first.

        Parameters
        ----------
        name : str
            As written: case, diacritics, punctuation, the Arabic article and
            common transliteration variants are folded away; so is a last word
            "city", "town" or "village" that no place's name has ("Kirkuk city"),
            and "province", "region", "oblast", "state"... that no place's name
            has reads as the division of that name ("Kursk region"); "valley",
            "pass", "crossing", "forest"... that no place's name has reads as
            the place the feature is named after ("Swat Valley"); a first
            word "the", "kibbutz" or "moshav" that no place's name has is folded
            away too ("the Sudan", "Kibbutz Be'eri"; but The Hague).
        country : str, optional
            ISO 3166-1 alpha-2 code to restrict to.
        kinds : iterable of str, optional
            Kinds to restrict to (see :data:`gazetteer.place.KINDS`).
        limit : int
            How many candidates at most.
        fuzzy : bool
            Fall back to fuzzy matching (lower scores) when nothing matches exactly.
        demonyms : bool
            Also match adjectives of places ("Syrian" -> Syria). Without it, a
            name known only as a demonym matches nothing (no variant, no fuzzy match).

        Returns
        -------
        list of Candidate
            ``score`` blends match quality (exact > folded > variant > fuzzy)
            with the place's prominence.
        """
        kinds_t = tuple(sorted(kinds)) if kinds else None
        cc = country.upper() if country else None
        return list(self._cached_lookup(name, cc, kinds_t, limit, fuzzy, demonyms))

    @property
    def _names(self) -> NameIndex:
        """The in-memory name index, read from the file on first use (see :mod:`gazetteer.index`)."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    # read without the memory map: the blobs are copied into memory, and their file pages
                    # would otherwise stay mapped and be counted a second time in the process's RSS
                    [(mapped,)] = self._con.execute("PRAGMA mmap_size").fetchall()
                    self._con.execute("PRAGMA mmap_size = 0")
                    try:
                        self._index = NameIndex.load(self._con)
                    except (sqlite3.DatabaseError, KeyError, TypeError, ValueError) as exc:
                        raise GazetteerCorrupt(f"{self.path}: its name index cannot be read ({exc}); rebuild it "
                                               f"with `geomap gazetteer build --path {self.path}`") from None
                    finally:
                        self._con.execute(f"PRAGMA mmap_size = {mapped}")
        return self._index

    def _place_filter(self, cc: str | None, kinds: tuple | None):
        """A test of a place's row id for the ``country`` and ``kinds`` of a lookup; None when there are neither."""
        if not cc and not kinds:
            return None
        index = self._names
        country = index.country_code(cc) if cc else None
        kind_codes = index.kind_codes(kinds) if kinds else None
        cc_of, kind_of = index.cc_code, index.kind_code
        return lambda rid: ((country is None or cc_of[rid] == country) and
                            (kind_codes is None or kind_of[rid] in kind_codes))

    def _variant_keys(self, keys: Sequence[str]) -> Iterator[tuple[str, int, float]]:
        """Index keys that share a transliteration skeleton with one of ``keys`` and are spelt alike.

        Yields (key, its :func:`key_hash`, its match quality: :data:`MATCH_VARIANT` times the spellings'
        similarity), the highest score the key's places can reach first (then in stored order), but
        ``keys[0]`` first of all when it is one of them: it may match exactly. A misspelling's skeleton
        can be shared by a hundred keys, most of them never read: a key is made only when asked for.
        """
        skeletons = sorted({s for s in map(skeleton, keys) if s})
        if not skeletons:
            return
        rows = self._query("SELECT keys, merged, hashes, prominence FROM skel "
                           f"WHERE skel IN ({','.join('?' * len(skeletons))}) ORDER BY skel", skeletons)
        if not rows:
            return
        joined_keys, merged, stored_hashes, stored_prominence = zip(*rows)
        alike = alike_spellings(keys, "|".join(merged).split("|"))
        if not alike:
            return
        index = self._names
        same_skeleton = "|".join(joined_keys).split("|")
        prominence = index.stored_array(b"".join(stored_prominence), "d")
        # the best score a key's places can reach: its match quality's share and its best place's prominence's
        reach = {i: MATCH_WEIGHT * MATCH_VARIANT * similarity + PROMINENCE_WEIGHT * prominence[i]
                 for i, similarity in alike.items()}
        if keys[0] in same_skeleton:
            reach[same_skeleton.index(keys[0])] = math.inf
        hashes = index.stored_array(b"".join(stored_hashes), "Q")
        # sorted by a float alone (list.sort's fast case), stably: equal reaches stay in stored order
        for i in sorted(reach, key=reach.__getitem__, reverse=True):
            yield same_skeleton[i], hashes[i], MATCH_VARIANT * alike[i]

    def _fuzzy_keys(self, key: str) -> dict[str, float]:
        """Index keys within :data:`FUZZY_CUTOFF` of ``key`` (``fuzz.ratio``), with their ratio in [0, 1]; 8 at most.

        Only keys with the same first three letters are compared (a lookup's fuzzy fallback forgives typos,
        not a different start), and only those of a length that can reach the cutoff.
        """
        similarity, extract = _rapidfuzz()
        shortest, longest = fuzzy_length_range(len(key))
        rows = self._query("SELECT keys FROM spell WHERE bucket BETWEEN ? AND ?",
                           (spelling_bucket(key[:3], shortest), spelling_bucket(key[:3], longest)))
        near_keys = "|".join([joined for (joined,) in rows]).split("|")  # one split: faster than one a row
        hits = extract(key, near_keys, scorer=similarity, score_cutoff=FUZZY_CUTOFF, limit=None)
        best = sorted((-score, k) for k, score, _ in hits)[:8]  # ties go to the first key in sort order
        return {k: -score / 100.0 for score, k in best}

    def _lookup(self, name, cc, kinds, limit, fuzzy, demonyms) -> tuple[Candidate, ...]:
        keys = query_keys(name)
        if not keys or limit < 1:
            return ()
        index = self._names
        primary = keys[0]
        wanted = self._place_filter(cc, kinds) if cc or kinds else None
        skipped = _SKIPPED_FLAGS[demonyms, name.isupper()]
        ranking = _Ranking(index, frozenset(name_keys(name)), fold(name), limit, skipped, wanted)
        ranking.consider([(key, index.entries(key), None) for key in keys], "folded")
        if not ranking.score:
            if ranking.passed_demonym:
                return ()  # "Russian" is no place's name: not a misspelling of one either (Nyūzen)
            if (found := self._lookup_described(name, cc, kinds, limit, fuzzy, demonyms)) is not None:
                return found
            ranking.consider(((key, index.entries_of_hash(hashed), quality)
                              for key, hashed, quality in self._variant_keys(keys)), "variant", keys_by_bound=True)
        if not ranking.score and fuzzy and len(primary) >= 5:
            ranking.consider(((key, index.entries(key), MATCH_FUZZY * ratio)
                              for key, ratio in self._fuzzy_keys(primary).items()), "fuzzy")
        return self._candidates(ranking)

    def _lookup_described(self, name, cc, kinds, limit, fuzzy, demonyms) -> tuple[Candidate, ...] | None:
        """The places of a name that no place has, read without its descriptor; None when that finds nothing.

        No place is called "Kirkuk city": Kirkuk is (but Mexico City is found whole, as itself); nor
        "Idlib province": the province of Idlib is, but not the city (and "Islamic State" no place); nor
        "Swat Valley" (when the gazetteer lacks the valley): the place it is named after is, by its own
        name only, not a fuzzy match of it.
        """
        if not (described := without_descriptor(name)):
            return None
        bare, named_kinds = described
        if named_kinds is None:
            return self._lookup(bare, cc, kinds, limit, fuzzy, demonyms)
        if not named_kinds:  # a feature word (FEATURE_WORDS)
            return self._lookup(bare, cc, kinds, limit, False, demonyms) or None
        if wanted := tuple(k for k in named_kinds if not kinds or k in kinds):
            if found := self._lookup(bare, cc, wanted, limit, False, demonyms):
                return found
        return None

    def _candidates(self, ranking: _Ranking) -> tuple[Candidate, ...]:
        """The candidates of a lookup's ``limit`` best places, best first."""
        index = self._names
        candidates = []
        scores, matches, prominence = ranking.score, ranking.match, index.prominence
        for rid in ranking.best():
            place = index.place(rid)
            score = scores[rid]
            candidates.append(new_candidate(place, score if score < 1.0 else 1.0,  # a curated alias's edge can
                                            place.name, matches[rid], prominence[rid]))  # take a score past 1
        return tuple(candidates)

    def key_stats(self, keys: Iterable[str]) -> dict[str, tuple[float, int, int]]:
        """For index keys present in the gazetteer: (best prominence, union of flags, number of places).

        The recogniser asks this for every capitalised phrase of an article instead of holding a
        matcher of every name in memory.
        """
        index = self._names
        return {key: stats for key in dict.fromkeys(keys) if (stats := index.key_stats(key))}

    # -- space ---------------------------------------------------------------
    def near(self, lat: float, lon: float, km: float, *, kinds: Iterable[str] | None = None,
             limit: int | None = None) -> list[tuple[Place, float]]:
        """Places within ``km`` of a point, nearest first, with their geodesic distance in km (WGS84).

        A circle across the antimeridian is searched on both sides of it.
        """
        from gazetteer import geodesy

        kinds = tuple(kinds) if kinds else None
        sql = (f"SELECT {_PLACE_COLS} FROM place_rtree r JOIN place p ON p.rid = r.rid "
               "WHERE r.max_lat >= ? AND r.min_lat <= ? AND r.max_lon >= ? AND r.min_lon <= ?")
        if kinds:
            sql += f" AND p.kind IN ({','.join('?' * len(kinds))})"
        rows = {row[0]: row for south, west, north, east in geodesy.bounding_boxes(lat, lon, km)
                for row in self._query(sql, (south, north, west, east, *(kinds or ())))}.values()
        if not rows:
            return []
        rows = list(rows)
        distances = geodesy.distance_km([row[4] for row in rows], [row[5] for row in rows], lat, lon)
        found = [(_place(row), float(d)) for row, d in zip(rows, distances) if d <= km]
        found.sort(key=lambda pd: (pd[1], -pd[0].population))
        return found[:limit] if limit else found

    def _outline_index(self) -> OutlineIndex:
        """The outlines, parsed and indexed on first use (once per open gazetteer)."""
        if self._outlines is None:
            with self._outlines_lock:
                if self._outlines is None:
                    self._outlines = OutlineIndex(self._query(
                        f"SELECT o.wkb, {_PLACE_COLS} FROM outline o JOIN place p ON p.rid = o.rid ORDER BY o.rid"))
        return self._outlines

    def outline(self, place_id: str):
        """The place's outline as a shapely geometry, or None when it has none."""
        return self._outline_index().outline(place_id)

    def containing(self, lat: float, lon: float) -> list[Place]:
        """Places whose outline contains the point (countries, and any imported outlines).

        The outlines are parsed once and searched through a spatial index (a shapely ``STRtree``).
        """
        return self._outline_index().containing(lat, lon)

    def contains(self, place_id: str, lat: float, lon: float) -> bool | None:
        """Whether the place's outline contains the point; None when the place has no outline."""
        return self._outline_index().contains(place_id, lat, lon)

    def info(self) -> dict:
        """What the file holds: counts by kind, sources, size."""
        by_kind = dict(self._query("SELECT kind, count(*) FROM place GROUP BY kind ORDER BY 2 DESC"))
        names = self._query("SELECT count(*) FROM name")[0][0]
        return {"path": str(self.path), "size_mb": round(self.path.stat().st_size / 2**20, 1),
                "places": sum(by_kind.values()), "names": names, "by_kind": by_kind,
                "origin": self.meta.get("origin"), "sources": self.meta.get("sources"),
                "imports": self.meta.get("imports", [])}


class OutlineIndex:
    """The outlines of a gazetteer's places, parsed once, prepared, and indexed by a shapely ``STRtree``.

    Parameters
    ----------
    rows : sequence of tuples
        An outline's WKB, then the columns of its place (``_PLACE_COLS``), in the order answers come in.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> row = (box(34.0, 31.0, 35.0, 32.0).wkb, 1, "x:1", "Square", "region", 31.5, 34.5, "", "", 0, 0.1, "test")
    >>> [p.name for p in OutlineIndex([row]).containing(31.5, 34.5)], OutlineIndex([row]).containing(0.0, 0.0)
    (['Square'], [])
    """

    def __init__(self, rows: Sequence[tuple]):
        import shapely

        self.places = [_place(row[1:]) for row in rows]
        self.shapes = shapely.from_wkb([row[0] for row in rows])
        shapely.prepare(self.shapes)  # each shape's own index of its edges: covers() in log time
        self.tree = shapely.STRtree(self.shapes)
        self._by_id = {place.id: i for i, place in enumerate(self.places)}

    def outline(self, place_id: str):
        """The outline of the place with this id, or None."""
        i = self._by_id.get(place_id)
        return None if i is None else self.shapes[i]

    def containing(self, lat: float, lon: float) -> list[Place]:
        """The places whose outline covers the point, in the order of the rows."""
        import shapely

        from gazetteer.geodesy import normalize_lon

        point = shapely.Point(normalize_lon(lon), lat)
        near = self.tree.query(point)  # the shapes whose box holds the point; then the prepared test
        near = near[shapely.covers(self.shapes[near], point)]
        return [self.places[i] for i in sorted(near.tolist())]

    def contains(self, place_id: str, lat: float, lon: float) -> bool | None:
        """Whether the place's outline covers the point; None when it has no outline."""
        import shapely

        from gazetteer.geodesy import normalize_lon

        shape = self.outline(place_id)
        return None if shape is None else bool(shape.covers(shapely.Point(normalize_lon(lon), lat)))

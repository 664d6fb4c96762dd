"""The name index: what a lookup reads, held in memory as a few packed arrays.

A lookup once ran an SQL join of the ``name`` and ``place`` tables for every
name. Python's sqlite3 costs about half a microsecond for each value it hands
back, and a place is a dozen values, so that join was most of a lookup's time.
The index holds what ranking and a :class:`~gazetteer.place.Place` need instead:

- every index key's 64-bit hash (sorted), and the span of its (place, flags) entries, the most
  prominent place first (so that a lookup can stop reading a long span early);
- for every place, by row id: point, prominence, population, kind, country, source, a
  checksum of its folded name, and one packed text record (id, name, admin1).

The writer builds it from the tables when it closes a file (:func:`build_lookup_tables`)
and stores it in the file as a handful of blobs (table ``name_index``), so a
gazetteer is still one SQLite file, and the tables stay the truth it is built
from. :meth:`NameIndex.load` reads them back into memory on a gazetteer's first
lookup: about 35 MB for the default gazetteer, in about 50 ms.

>>> key_hash("damascus") == key_hash("damascus"), key_hash("damascus") == key_hash("damaskus")
(True, False)
"""

from __future__ import annotations

import array
import hashlib
import json
import sqlite3
import sys
import zlib
from bisect import bisect_left
from itertools import groupby
from collections.abc import Iterable

from gazetteer.normalize import fold, variant_forms
from gazetteer.place import Place

#: Separates the fields of a place's text record (no name contains it).
_SEP = "\x1f"
#: The numeric arrays of the index, with their ``array`` type codes (fixed widths on every platform we run).
_ARRAYS = {
    "key_hash": "Q",      # sorted 64-bit hashes of the index keys
    "bucket_start": "I",  # hashes with top bits b: key_hash[bucket_start[b]:bucket_start[b + 1]]
    "key_start": "I",     # entries of the key of hash i: key_start[i] .. key_end[i], most prominent place first
    "key_end": "I",
    "key_flags": "B",     # the union of the flags of the key's entries
    "entry_rid": "I",     # the place of each entry
    "entry_flags": "B",   # the name.flags of each entry (PREFERRED, CURATED, CODE, DEMONYM)
    "lat": "d", "lon": "d", "prominence": "d", "population": "q",
    "kind": "H", "cc": "H", "source": "H",   # codes into the "tables" part
    "id_rank": "I",       # rank of the place's id among all ids: the last tie-break of a lookup, as an integer
    "name_fold": "I",     # fold_checksum() of the place's name (a column of the place table): most places are
                          # told from an exact match by it
    "record_start": "I",  # text record of rid r: text[record_start[r]:record_start[r + 1]]
}


#: Hashes are found by their top bits first, then by bisection among the few that share them: a
#: bisection of all 660,000 hashes took 20 probes and most of a lookup's index time.
_BUCKET_SHIFT = 48


def key_hash(key: str) -> int:
    """A stable 64-bit hash of an index key (Python's ``hash`` changes from one process to the next).

    Two of the default gazetteer's 660,000 keys share a hash with odds of about 1 in 10^8.
    """
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")


class NameIndex:
    """The in-memory lookup index of a gazetteer file (see the module docstring).

    Use :meth:`load` on an open connection; the arrays are read-only views of the stored blobs.
    """

    def __init__(self, parts: dict[str, memoryview], text: bytes, tables: dict[str, list], byteorder: str):
        self.byteorder = byteorder  # of the machine that built the file
        self.key_hash, self.bucket_start = parts["key_hash"], parts["bucket_start"]
        self.key_start, self.key_end, self.key_flags = parts["key_start"], parts["key_end"], parts["key_flags"]
        self.entry_rid = parts["entry_rid"]
        self.entry_flags = parts["entry_flags"]
        self.lat, self.lon = parts["lat"], parts["lon"]
        self.prominence, self.population = parts["prominence"], parts["population"]
        self.kind_code, self.cc_code, self.source_code = parts["kind"], parts["cc"], parts["source"]
        self.id_rank, self.name_fold = parts["id_rank"], parts["name_fold"]
        self.record_start = parts["record_start"]
        self.text = text
        self.kinds: list[str] = tables["kind"]
        self.countries: list[str | None] = tables["cc"]
        self.sources: list[str] = tables["source"]
        self._kind_codes = {k: i for i, k in enumerate(self.kinds)}
        self._cc_codes = {c: i for i, c in enumerate(self.countries)}

    # -- reading -------------------------------------------------------------
    @classmethod
    def load(cls, con: sqlite3.Connection) -> "NameIndex":
        """Read the index stored in the gazetteer that ``con`` reads."""
        stored = dict(con.execute("SELECT part, data FROM name_index"))
        meta = json.loads(stored.pop("meta"))
        parts = {name: _native(stored[name], code, meta["byteorder"]) for name, code in _ARRAYS.items()}
        return cls(parts, stored["text"], meta["tables"], meta["byteorder"])

    def _position(self, key: str) -> int:
        """Where ``key`` is in the sorted hashes; -1 when it is not indexed."""
        wanted = key_hash(key)
        bucket = wanted >> _BUCKET_SHIFT
        end = self.bucket_start[bucket + 1]
        i = bisect_left(self.key_hash, wanted, self.bucket_start[bucket], end)
        return i if i < end and self.key_hash[i] == wanted else -1

    def span(self, position: int) -> range:
        """The entries of the key at ``position`` in the sorted hashes, most prominent place first."""
        return range(self.key_start[position], self.key_end[position])

    def entries(self, key: str) -> range:
        """Positions of the (place, flags) entries under ``key``, most prominent place first; empty when none."""
        i = self._position(key)
        return self.span(i) if i >= 0 else range(0)

    def stored_array(self, blob: bytes, code: str) -> memoryview:
        """An array the ``skel`` table stores beside the index (its ``array`` type code), as this machine reads it."""
        return _native(blob, code, self.byteorder)

    def key_stats(self, key: str) -> tuple[float, int, int] | None:
        """(best prominence, union of flags, number of places) of an index key; None when it is not indexed."""
        i = self._position(key)
        if i < 0:
            return None
        start = self.key_start[i]
        return self.prominence[self.entry_rid[start]], self.key_flags[i], self.key_end[i] - start

    def record(self, rid: int) -> list[str]:
        """The text fields of a place: [id, name], and its admin1 when it is not None."""
        return self.text[self.record_start[rid]:self.record_start[rid + 1]].decode().split(_SEP)

    def name(self, rid: int) -> str:
        return self.record(rid)[1]

    def place(self, rid: int) -> Place:
        fields = self.record(rid)
        # positional: a frozen dataclass takes keywords at twice the cost, and lookups make many places
        return Place(fields[0], fields[1], self.kinds[self.kind_code[rid]], self.lat[rid], self.lon[rid],
                     self.countries[self.cc_code[rid]], fields[2] if len(fields) > 2 else None,
                     self.population[rid], self.sources[self.source_code[rid]])

    def kind_codes(self, kinds: Iterable[str]) -> frozenset[int]:
        """The codes of ``kinds`` (kinds no place has are left out)."""
        return frozenset(self._kind_codes[k] for k in kinds if k in self._kind_codes)

    def country_code(self, cc: str) -> int:
        """The code of a country; -1 when no place has it."""
        return self._cc_codes.get(cc, -1)


def _native(blob: bytes, code: str, byteorder: str) -> memoryview:
    """A stored array (``array`` type ``code``) as this machine reads it: byte-swapped when written by a machine
    of the other byte order."""
    if byteorder != sys.byteorder and array.array(code).itemsize > 1:
        swapped = array.array(code, blob)
        swapped.byteswap()
        blob = swapped.tobytes()
    return memoryview(blob).cast(code)


def fold_checksum(folded: str) -> int:
    """A 32-bit checksum of a folded name (:func:`gazetteer.normalize.fold`): equal names have equal ones."""
    return zlib.crc32(folded.encode())


def spelling_bucket(prefix: str, length: int) -> str:
    """The ``spell`` table's row of the index keys that start with ``prefix`` (3 letters) and have ``length``.

    >>> spelling_bucket("dam", 8)
    'dam008'
    """
    return f"{prefix}{length:03d}"


# -- building --------------------------------------------------------------------------------------------------
def build_lookup_tables(con: sqlite3.Connection) -> None:
    """(Re)build what lookups read, from the ``place`` and ``name`` tables of a gazetteer being written.

    That is the name index (table ``name_index``, see :class:`NameIndex`); the keys of the fuzzy
    fallback by first three letters and length (table ``spell``: a misspelt name is compared with a
    few hundred keys, read in a few rows, rather than with every key that starts alike); and the keys of
    each transliteration skeleton with their merged spellings, their positions in the name index and
    the prominence of their most prominent place (table ``skel``, one row a skeleton).
    """
    import numpy as np

    keys, positions, best_prominence = _build_name_index(con)
    spellings: dict[str, list[str]] = {}
    for key in keys:
        if len(key) >= 4:
            spellings.setdefault(spelling_bucket(key[:3], len(key)), []).append(key)
    con.execute("DELETE FROM spell")
    con.executemany("INSERT INTO spell VALUES (?, ?)",
                    ((bucket, "|".join(alike)) for bucket, alike in sorted(spellings.items())))

    merged, skeletons = variant_forms(keys)
    by_skeleton = sorted((i for i, skel in enumerate(skeletons) if skel), key=skeletons.__getitem__)
    order = np.array(by_skeleton, np.int64)
    positions, best_prominence = positions[order].tobytes(), best_prominence[order].tobytes()
    # each skeleton's keys (and merged forms) are a slice of all of them joined in skeleton order
    ordered_skeletons = [skeletons[i] for i in by_skeleton]
    ordered_keys, ordered_merged = [keys[i] for i in by_skeleton], [merged[i] for i in by_skeleton]
    joined_keys, joined_merged = "|".join(ordered_keys), "|".join(ordered_merged)
    key_at = np.concatenate(([0], np.cumsum([len(k) + 1 for k in ordered_keys]))).tolist()
    merged_at = np.concatenate(([0], np.cumsum([len(m) + 1 for m in ordered_merged]))).tolist()
    bounds = np.concatenate(([0], np.cumsum([sum(1 for _ in group) for _, group in groupby(ordered_skeletons)])))
    con.execute("DELETE FROM skel")
    con.executemany("INSERT INTO skel VALUES (?, ?, ?, ?, ?)", (
        (ordered_skeletons[a], joined_keys[key_at[a]:key_at[b] - 1], joined_merged[merged_at[a]:merged_at[b] - 1],
         positions[4 * a:4 * b], best_prominence[8 * a:8 * b])
        for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist())))


def _build_name_index(con: sqlite3.Connection):
    """Build and store the name index.

    Returns the index keys, sorted, with their positions in it and their best places' prominence (numpy).
    """
    import numpy as np  # the build only: a lookup reads the arrays through memoryviews

    places = con.execute("SELECT rid, id, name, kind, lat, lon, cc, admin1, population, prominence, source, "
                         "name_fold FROM place ORDER BY rid").fetchall()
    size = (places[-1][0] if places else 0) + 1  # row ids are dense: they index the per-place arrays
    (rids, ids, names_, kinds, lats, lons, countries, admin1s, populations, prominences, sources,
     name_folds) = zip(*places) if places else [()] * 12
    rids = np.array(rids, np.int64)

    def by_rid(values, dtype) -> np.ndarray:
        column = np.zeros(size, dtype)
        column[rids] = np.array(values, dtype)
        return column

    tables: dict[str, dict] = {"kind": {}, "cc": {}, "source": {}}

    def codes(part: str, values) -> np.ndarray:
        table = tables[part]
        return by_rid([table.setdefault(value, len(table)) for value in values], np.uint16)

    records = [b""] * size
    for rid, place_id, name, admin1 in zip(rids.tolist(), ids, names_, admin1s):
        records[rid] = _SEP.join((place_id, name) if admin1 is None else (place_id, name, admin1)).encode()
    record_start = np.zeros(size + 1, np.uint32)
    np.cumsum([len(record) for record in records], out=record_start[1:])
    id_rank = np.zeros(size, np.uint32)
    id_rank[rids[sorted(range(len(ids)), key=ids.__getitem__)]] = np.arange(len(ids), dtype=np.uint32)
    prominence = by_rid(prominences, np.float64)

    # entries in key order, each key's places by prominence (then row id); the keys' hashes, sorted, point
    # at their spans
    names = con.execute("SELECT key, rid, flags FROM name ORDER BY key, rid").fetchall()
    starts = [i for i in range(len(names)) if i == 0 or names[i][0] != names[i - 1][0]]
    bounds = np.array(starts + [len(names)], np.uint32)
    entry_rid = np.fromiter((rid for _, rid, _ in names), np.uint32, len(names))
    entry_flags = np.fromiter((flags for _, _, flags in names), np.uint8, len(names))
    key_of_entry = np.repeat(np.arange(len(starts)), np.diff(bounds))
    by_prominence = np.lexsort((entry_rid, -prominence[entry_rid], key_of_entry))
    entry_rid, entry_flags = entry_rid[by_prominence], entry_flags[by_prominence]
    key_flags = np.bitwise_or.reduceat(entry_flags, bounds[:-1]) if starts else np.zeros(0, np.uint8)
    hashes = np.fromiter((key_hash(names[i][0]) for i in starts), np.uint64, len(starts))
    order = np.argsort(hashes, kind="stable")
    sorted_hashes = hashes[order]
    top_bits = np.arange(1 << (64 - _BUCKET_SHIFT), dtype=np.uint64) << np.uint64(_BUCKET_SHIFT)
    arrays = {
        "key_hash": sorted_hashes,
        "bucket_start": np.append(np.searchsorted(sorted_hashes, top_bits), len(starts)).astype(np.uint32),
        "key_start": bounds[:-1][order], "key_end": bounds[1:][order], "key_flags": key_flags[order],
        "entry_rid": entry_rid, "entry_flags": entry_flags,
        "lat": by_rid(lats, np.float64), "lon": by_rid(lons, np.float64), "prominence": prominence,
        "population": by_rid([population or 0 for population in populations], np.int64),
        "kind": codes("kind", kinds), "cc": codes("cc", countries), "source": codes("source", sources),
        "id_rank": id_rank, "name_fold": by_rid(name_folds, np.uint32), "record_start": record_start,
    }
    meta = {"byteorder": sys.byteorder, "tables": {part: list(table) for part, table in tables.items()}}
    rows = [("meta", json.dumps(meta)), ("text", b"".join(records))]
    for part, code in _ARRAYS.items():
        data = arrays[part]
        assert data.dtype.itemsize == array.array(code).itemsize, part
        rows.append((part, data.tobytes()))
    con.execute("DELETE FROM name_index")
    con.executemany("INSERT INTO name_index VALUES (?, ?)", rows)
    positions = np.empty(len(starts), np.uint32)
    positions[order] = np.arange(len(starts), dtype=np.uint32)
    return [names[i][0] for i in starts], positions, prominence[entry_rid[bounds[:-1]]]

"""The name index: what a lookup reads, held in memory as a few packed arrays.

A lookup once ran an SQL join of the ``name`` and ``place`` tables for every
name. Python's sqlite3 costs about half a microsecond for each value it hands
back, and a place is a dozen values, so that join was most of a lookup's time.
The index holds what ranking and a :class:`~gazetteer.place.Place` need instead:

- every index key's 64-bit hash (sorted), and the span of its (place, flags) entries, the most
  prominent place first (so that a lookup can stop reading a long span early);
- for every place, by row id: what ranking reads (prominence, a checksum of its folded name, the
  rank of its id; kind and country for filters), and one fixed-size record of the rest of its
  :class:`~gazetteer.place.Place` (point, population, source, kind, country, and where its packed
  text, id, name and admin1, lies).

The writer builds it from the tables when it closes a new file, and updates it for
what an import changed (:func:`build_lookup_tables`); it is stored in the file as a
handful of blobs (table ``name_index``), so a gazetteer is still one SQLite file,
and the tables stay the truth it is built from. :meth:`NameIndex.load` reads them
back into memory on a gazetteer's first lookup: about 35 MB for the default
gazetteer, in about 50 ms.

>>> key_hash("damascus") == key_hash("damascus"), key_hash("damascus") == key_hash("damaskus")
(True, False)
"""

from __future__ import annotations

import array
import json
import sqlite3
import struct
import sys
import zlib
from bisect import bisect_left
from collections.abc import Iterable

from gazetteer.errors import GazetteerError
from gazetteer.normalize import variant_forms
from gazetteer.place import Place, new_place

#: Separates the fields of a place's text record (no name contains it).
_SEP = "\x1f"
#: The numeric arrays of the index, with their ``array`` type codes (fixed widths on every platform we run).
_ARRAYS = {
    "key_hash": "Q",      # sorted 64-bit hashes of the index keys (see key_hash)
    "bucket_start": "I",  # hashes with top bits b: key_hash[bucket_start[b]:bucket_start[b + 1]]
    "key_start": "I",     # entries of the key of hash i: key_start[i] .. key_end[i], most prominent place first
    "key_end": "I",
    "key_flags": "B",     # the union of the flags of the key's entries
    "entry": "I",         # each entry's place and name.flags (PREFERRED, CURATED, CODE, DEMONYM): rid << 8 | flags
    "prominence": "d",
    "kind": "H", "cc": "H",  # codes into the "tables" part, read by lookups restricted to kinds or a country
    "id_rank": "I",       # rank of the place's id among all ids: the last tie-break of a lookup, as an integer
    "name_fold": "I",     # fold_checksum() of the place's name (a column of the place table): a lookup tells an
                          # exact match by it
}
#: The rest of a place's Place, one record a place by row id (the part "place"), little-endian on every machine.
#: A lookup reads a place's fields in one call and from one or two cache lines, not from nine arrays.
#: Its fields with their ``struct`` codes: the one description that the reader's ``struct`` and the
#: builder's numpy record type are both made from (padded to 40 bytes).
_PLACE_RECORD_FIELDS = (("lat", "d"), ("lon", "d"), ("population", "q"), ("text_start", "I"), ("text_end", "I"),
                        ("kind", "H"), ("cc", "H"), ("source", "H"))
PLACE_RECORD = struct.Struct("<" + "".join(code for _, code in _PLACE_RECORD_FIELDS) + "2x")
#: The parts of _ARRAYS indexed by a place's row id, and those in the order of the sorted key hashes.
_PLACE_ARRAYS = ("prominence", "kind", "cc", "id_rank", "name_fold")
_KEY_ARRAYS = ("key_hash", "key_start", "key_end", "key_flags")


#: Hashes are found by their top 18 bits first (2.5 keys share them on average), then by bisection among
#: those: a bisection of all 660,000 hashes took 20 probes and most of a lookup's index time.
_BUCKET_BITS = 18
_BUCKET_SHIFT = 64 - _BUCKET_BITS
_CRC_BUCKET_SHIFT = _BUCKET_SHIFT - 32  # the same bits, of a hash's high half
_NO_ENTRIES = range(0)


def key_hash(key: str) -> int:
    """A stable 64-bit hash of an index key (Python's ``hash`` changes from one process to the next).

    The key's CRC-32 in the high half and its Adler-32 in the low half: two checksums zlib computes in C, in
    under half the time of a cryptographic hash. A lookup compares the CRC first (every key it asks for), and
    computes the Adler-32 only when an indexed key has that CRC (only found keys). About 60 pairs of the
    default gazetteer's 660,000 keys share a CRC; a whole build fails, naming them, if two keys share both
    halves (an import's update of a few keys cannot tell, with odds of about 1 in 10^9 a key).

    >>> hex(key_hash("damascus"))
    '0xa425a33e0e940352'
    """
    encoded = key.encode()
    return zlib.crc32(encoded) << 32 | zlib.adler32(encoded)


class NameIndex:
    """The in-memory lookup index of a gazetteer file (see the module docstring).

    Use :meth:`load` on an open connection; the arrays are read-only views of the stored blobs.
    """

    def __init__(self, parts: dict[str, memoryview], records: bytes, text: bytes, tables: dict[str, list],
                 byteorder: str):
        self.byteorder = byteorder  # of the machine that built the file
        self.key_hash, self.bucket_start = parts["key_hash"], parts["bucket_start"]
        # the hashes' halves, as strided views of the same memory: the CRCs to bisect, the Adler-32s to confirm
        halves = self.key_hash.cast("B").cast("I")
        high = 1 if sys.byteorder == "little" else 0
        self.key_crc, self.key_check = halves[high::2], halves[1 - high::2]
        self.key_start, self.key_end, self.key_flags = parts["key_start"], parts["key_end"], parts["key_flags"]
        self.entry = parts["entry"]
        self.prominence = parts["prominence"]
        self.kind_code, self.cc_code = parts["kind"], parts["cc"]
        self.id_rank, self.name_fold = parts["id_rank"], parts["name_fold"]
        self.records = records
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
        # a damaged part would fail a lookup far from here, or read another place's fields: fail now instead
        places, keys = len(parts["prominence"]), len(parts["key_hash"])
        if (any(len(parts[part]) != places for part in _PLACE_ARRAYS) or
                len(stored["place"]) != places * PLACE_RECORD.size):
            raise ValueError("its parts by place differ in length")
        if any(len(parts[part]) != keys for part in _KEY_ARRAYS):
            raise ValueError("its parts by key differ in length")
        return cls(parts, stored["place"], stored["text"], meta["tables"], meta["byteorder"])

    def _position(self, crc: int, check: int | bytes) -> int:
        """Where the key of :func:`key_hash` halves ``crc`` and ``check`` is in the sorted hashes; -1 when no key
        has them. ``check`` may be the key's bytes: their Adler-32 is then computed only if some key has the CRC.
        """
        bucket = crc >> _CRC_BUCKET_SHIFT
        end = self.bucket_start[bucket + 1]
        key_crc = self.key_crc
        i = bisect_left(key_crc, crc, self.bucket_start[bucket], end)
        if i == end or key_crc[i] != crc:
            return -1  # most keys a lookup asks for and does not find end here
        if check.__class__ is bytes:
            check = zlib.adler32(check)
        key_check = self.key_check
        while key_check[i] != check:  # keys that share the CRC
            i += 1
            if i == end or key_crc[i] != crc:
                return -1
        return i

    def entries(self, key: str) -> range:
        """Positions of the (place, flags) entries under ``key``, most prominent place first; empty when none."""
        encoded = key.encode()
        i = self._position(zlib.crc32(encoded), encoded)
        return range(self.key_start[i], self.key_end[i]) if i >= 0 else _NO_ENTRIES

    def entries_of_hash(self, hashed: int) -> range:
        """:meth:`entries` of the key of a :func:`key_hash` (the ``skel`` table stores them)."""
        i = self._position(hashed >> 32, hashed & 0xFFFFFFFF)
        return range(self.key_start[i], self.key_end[i]) if i >= 0 else _NO_ENTRIES

    def stored_array(self, blob: bytes, code: str) -> memoryview:
        """An array the ``skel`` table stores beside the index (its ``array`` type code), as this machine reads it."""
        return _native(blob, code, self.byteorder)

    def key_stats(self, key: str) -> tuple[float, int, int] | None:
        """(best prominence, union of flags, number of places) of an index key; None when it is not indexed."""
        encoded = key.encode()
        i = self._position(zlib.crc32(encoded), encoded)
        if i < 0:
            return None
        start = self.key_start[i]
        return self.prominence[self.entry[start] >> 8], self.key_flags[i], self.key_end[i] - start

    def place_and_flags(self, entry: int) -> tuple[int, int]:
        """The place (row id) and name flags of an entry."""
        packed = self.entry[entry]
        return packed >> 8, packed & 0xFF

    def place(self, rid: int) -> Place:
        lat, lon, population, start, end, kind, cc, source = PLACE_RECORD.unpack_from(self.records,
                                                                                      rid * PLACE_RECORD.size)
        fields = self.text[start:end].decode().split(_SEP)  # id, name, and admin1 when it is not None
        return new_place(fields[0], fields[1], self.kinds[kind], lat, lon, self.countries[cc],
                         fields[2] if len(fields) > 2 else None, population, self.sources[source])

    def population(self, rid: int) -> int:
        return PLACE_RECORD.unpack_from(self.records, rid * PLACE_RECORD.size)[2]

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
#: Beyond this many changed keys an import rebuilds the lookup tables whole: asking for the keys a few
#: hundred at a time would then cost more, and the whole build also drops what updates left unused.
UPDATE_AT_MOST = 50_000


def build_lookup_tables(con: sqlite3.Connection, changed_keys: Iterable[str] | None = None,
                        changed_rids: Iterable[int] | None = None) -> None:
    """(Re)build what lookups read, from the ``place`` and ``name`` tables of a gazetteer being written.

    That is the name index (table ``name_index``, see :class:`NameIndex`); the keys of the fuzzy
    fallback by first three letters and length (table ``spell``: a misspelt name is compared with a
    few hundred keys, read in a few rows, rather than with every key that starts alike); and the keys of
    each transliteration skeleton with their merged spellings, hashes and the prominence of their most
    prominent place (table ``skel``, one row a skeleton).

    With ``changed_keys`` and ``changed_rids`` (the keys and places an import added, replaced or renamed),
    the stored tables are updated rather than rebuilt: an import of a few places then takes a second or two,
    not the quarter of a minute of a whole rebuild. The spans and records an update replaces stay in the
    arrays, unused, until the next whole build.
    """
    keys = None if changed_keys is None else sorted(set(changed_keys))
    whole = keys is None or len(keys) > UPDATE_AT_MOST or not _has_native_lookup_tables(con)
    keys = None if whole else keys
    prominence = _write_name_index(con, keys, None if whole else set(changed_rids or ()))
    keys = list(prominence) if whole else keys
    _write_spellings(con, keys, whole, set(prominence))
    _write_skeletons(con, keys, whole, prominence)


def _has_native_lookup_tables(con: sqlite3.Connection) -> bool:
    """Whether the file has lookup tables that an update can add to (written in this machine's byte order)."""
    row = con.execute("SELECT data FROM name_index WHERE part = 'meta'").fetchone()
    return row is not None and json.loads(row[0])["byteorder"] == sys.byteorder


def select_in_chunks(con: sqlite3.Connection, sql: str, values: list, size: int = 500) -> list[tuple]:
    """The rows of ``sql`` (which has one ``IN ({})``) for all ``values``, asked ``size`` at a time."""
    rows: list[tuple] = []
    for i in range(0, len(values), size):
        chunk = values[i:i + size]
        rows += con.execute(sql.format(",".join("?" * len(chunk))), chunk).fetchall()
    return rows


def _stored_arrays(con: sqlite3.Connection):
    """The stored index as writable numpy arrays (the place records one of them), with its text and code tables."""
    import numpy as np

    stored = dict(con.execute("SELECT part, data FROM name_index"))
    meta = json.loads(stored["meta"])
    arrays = {part: np.array(_native(stored[part], code, meta["byteorder"]), np.dtype(code))
              for part, code in _ARRAYS.items()}
    arrays["place"] = np.frombuffer(stored["place"], _place_record_dtype()).copy()
    return arrays, stored["text"], meta["tables"]


def _place_record_dtype():
    """:data:`PLACE_RECORD` as a numpy record type (the builder's view of the same bytes)."""
    import numpy as np

    fields = [(name, "<" + code) for name, code in _PLACE_RECORD_FIELDS]
    dtype = np.dtype(fields + [("", f"V{PLACE_RECORD.size - np.dtype(fields).itemsize}")])
    assert dtype.itemsize == PLACE_RECORD.size
    return dtype


def _write_name_index(con: sqlite3.Connection, changed_keys: list[str] | None,
                      changed_rids: set[int] | None) -> dict[str, float]:
    """Build (``changed_keys`` None) or update the stored name index.

    Returns the keys it indexed anew, each with the prominence of its most prominent place.
    """
    whole = changed_keys is None
    arrays, text, tables = _starting_arrays(con, whole)
    text = _index_places(con, arrays, text, tables, None if whole else changed_rids or set())
    indexed, best = _index_keys(con, arrays, None if whole else changed_keys)
    _store_name_index(con, arrays, text, tables)
    return dict(zip(indexed, best.tolist()))


def _starting_arrays(con: sqlite3.Connection, whole: bool) -> tuple[dict, bytes, dict[str, dict[str, int]]]:
    """The arrays, text and code tables an index build starts from: empty for a whole build, else the stored."""
    import numpy as np  # the build only: a lookup reads the arrays through memoryviews

    if whole:
        arrays = {part: np.zeros(0, np.dtype(code)) for part, code in _ARRAYS.items()}
        arrays["place"] = np.zeros(0, _place_record_dtype())
        text, stored_tables = b"", {"kind": [], "cc": [], "source": []}
    else:
        arrays, text, stored_tables = _stored_arrays(con)
    tables = {part: {value: code for code, value in enumerate(values)} for part, values in stored_tables.items()}
    return arrays, text, tables


def _index_places(con: sqlite3.Connection, arrays: dict, text: bytes, tables: dict[str, dict[str, int]],
                  changed_rids: set[int] | None) -> bytes:
    """Write the places into ``arrays``: the changed ones (all of them when ``changed_rids`` is None), by row id;
    their id and name are appended to ``text``, which is returned. The ranks by id are computed anew."""
    import numpy as np

    # -- places: the changed ones (all of them in a whole build), by row id
    size = (con.execute("SELECT max(rid) FROM place").fetchone()[0] or 0) + 1
    for part in _PLACE_ARRAYS + ("place",):
        grown = np.zeros(size, arrays[part].dtype)
        kept = min(size, len(arrays[part]))
        grown[:kept] = arrays[part][:kept]
        arrays[part] = grown
    sql = "SELECT rid, id, name, kind, lat, lon, cc, admin1, population, prominence, source, name_fold FROM place"
    places = (con.execute(sql).fetchall() if changed_rids is None
              else select_in_chunks(con, sql + " WHERE rid IN ({})", sorted(changed_rids)))
    if places:
        text = _index_place_rows(arrays, text, tables, places)
    # a new id moves the rank of every id after it: the ranks are computed anew
    by_id = np.array([rid for (rid,) in con.execute("SELECT rid FROM place ORDER BY id")], np.int64)
    arrays["id_rank"][by_id] = np.arange(len(by_id))
    return text


def _index_place_rows(arrays: dict, text: bytes, tables: dict[str, dict[str, int]], places: list[tuple]) -> bytes:
    """Write rows of the place table into ``arrays`` and ``text`` (returned); new kinds, countries and sources
    get the next code of their table."""
    import numpy as np

    (rids, ids, names_, kinds, lats, lons, countries, admin1s, populations, prominences, sources,
     name_folds) = zip(*places)
    rids = np.array(rids, np.int64)
    arrays["prominence"][rids] = np.array(prominences, np.float64)
    arrays["name_fold"][rids] = np.array(name_folds, np.uint32)
    records = arrays["place"]
    for field, values in (("lat", lats), ("lon", lons),
                          ("population", [population or 0 for population in populations])):
        records[field][rids] = values
    for part, values in (("kind", kinds), ("cc", countries), ("source", sources)):
        table = tables[part]
        codes = np.array([table.setdefault(value, len(table)) for value in values], np.uint16)
        records[part][rids] = codes
        if part in arrays:
            arrays[part][rids] = codes
    fields = [_SEP.join((place_id, name) if admin1 is None else (place_id, name, admin1)).encode()
              for place_id, name, admin1 in zip(ids, names_, admin1s)]
    lengths = np.array([len(field) for field in fields], np.int64)
    records["text_end"][rids] = len(text) + np.cumsum(lengths)
    records["text_start"][rids] = records["text_end"][rids] - lengths
    return text + b"".join(fields)


def _index_keys(con: sqlite3.Connection, arrays: dict, changed_keys: list[str] | None) -> tuple[list[str], object]:
    """Write the keys into ``arrays``: the changed ones (all of them when ``changed_keys`` is None), each with its
    places most prominent first (then by row id), appended to the entries; the sorted hashes point at their spans.

    Returns the keys indexed and the prominence of each one's most prominent place (a numpy array).
    """
    import numpy as np

    whole = changed_keys is None
    sql = "SELECT key, rid, flags FROM name"
    names = con.execute(sql).fetchall() if whole else select_in_chunks(con, sql + " WHERE key IN ({})", changed_keys)
    names.sort()
    starts = [i for i in range(len(names)) if i == 0 or names[i][0] != names[i - 1][0]]
    bounds = np.array(starts + [len(names)], np.int64)
    entry_rid = np.fromiter((rid for _, rid, _ in names), np.uint32, len(names))
    entry_flags = np.fromiter((flags for _, _, flags in names), np.uint8, len(names))
    key_of_entry = np.repeat(np.arange(len(starts)), np.diff(bounds))
    by_prominence = np.lexsort((entry_rid, -arrays["prominence"][entry_rid], key_of_entry))
    entry_rid, entry_flags = entry_rid[by_prominence], entry_flags[by_prominence]
    if len(entry_rid) and entry_rid.max() >= 1 << 24:
        raise GazetteerError("a gazetteer holds at most 16.7 million places (a name index entry holds a row id "
                             "of 24 bits)")
    offset = len(arrays["entry"])
    arrays["entry"] = np.concatenate((arrays["entry"], (entry_rid << np.uint32(8)) | entry_flags))
    indexed = [names[i][0] for i in starts]
    gone = [] if whole else sorted(set(changed_keys) - set(indexed))  # changed keys left with no place: dropped
    no_span = np.zeros(len(gone), np.int64)
    spans = {
        "key_hash": np.fromiter(map(key_hash, indexed + gone), np.uint64, len(indexed) + len(gone)),
        "key_start": np.concatenate((bounds[:-1] + offset, no_span)).astype(np.uint32),
        "key_end": np.concatenate((bounds[1:] + offset, no_span)).astype(np.uint32),
        "key_flags": np.concatenate((np.bitwise_or.reduceat(entry_flags, bounds[:-1]) if starts
                                     else np.zeros(0, np.uint8), no_span.astype(np.uint8))),
    }
    _merge_key_spans(arrays, spans)
    if whole:
        _check_hashes_unique(arrays["key_hash"], indexed)
    top_bits = np.arange(1 << (64 - _BUCKET_SHIFT), dtype=np.uint64) << np.uint64(_BUCKET_SHIFT)
    arrays["bucket_start"] = np.append(np.searchsorted(arrays["key_hash"], top_bits),
                                       len(arrays["key_hash"])).astype(np.uint32)
    best = arrays["prominence"][entry_rid[bounds[:-1]]] if starts else np.zeros(0)
    return indexed, best


def _merge_key_spans(arrays: dict, spans: dict) -> None:
    """Keys indexed already get their new span (an empty one drops them); new keys join the sorted hashes."""
    import numpy as np

    stored_hashes = arrays["key_hash"]
    at = np.searchsorted(stored_hashes, spans["key_hash"])
    known = np.zeros(len(at), bool)
    inside = at < len(stored_hashes)
    known[inside] = stored_hashes[at[inside]] == spans["key_hash"][inside]
    for part in _KEY_ARRAYS:
        arrays[part][at[known]] = spans[part][known]
        arrays[part] = np.concatenate((arrays[part], spans[part][~known]))
    order = np.argsort(arrays["key_hash"], kind="stable")
    order = order[arrays["key_end"][order] > arrays["key_start"][order]]
    for part in _KEY_ARRAYS:
        arrays[part] = arrays[part][order]


def _check_hashes_unique(hashes, keys: list[str]) -> None:
    """:class:`GazetteerError` when two of the sorted ``hashes`` (of ``keys``) are one."""
    import numpy as np

    if (same := np.flatnonzero(hashes[1:] == hashes[:-1])).size:
        shared = hashes[same[0]]
        raise GazetteerError(f"the index keys {[k for k in keys if key_hash(k) == shared]} share a hash: "
                             "gazetteer.index.key_hash needs more bits")


def _store_name_index(con: sqlite3.Connection, arrays: dict, text: bytes, tables: dict[str, dict[str, int]]) -> None:
    """Replace the ``name_index`` rows with the arrays, the text and the code tables."""
    import numpy as np

    meta = {"byteorder": sys.byteorder, "tables": {part: list(table) for part, table in tables.items()}}
    rows = [("meta", json.dumps(meta)), ("text", bytes(text)), ("place", arrays["place"].tobytes())]
    for part, code in _ARRAYS.items():
        data = arrays[part].astype(np.dtype(code), copy=False)
        assert data.dtype.itemsize == array.array(code).itemsize, part
        rows.append((part, data.tobytes()))
    con.execute("DELETE FROM name_index")
    con.executemany("INSERT INTO name_index VALUES (?, ?)", rows)


def _write_spellings(con: sqlite3.Connection, keys: list[str], whole: bool, indexed: set[str]) -> None:
    """The ``spell`` rows of ``keys``: all of them (``whole``), or the buckets those keys changed.

    ``indexed``: the keys among them that still name a place.
    """
    spellings: dict[str, list[str]] = {}
    for key in keys:
        if len(key) >= 4:
            spellings.setdefault(spelling_bucket(key[:3], len(key)), []).append(key)
    if whole:
        con.execute("DELETE FROM spell")
    else:
        stored = dict(select_in_chunks(con, "SELECT bucket, keys FROM spell WHERE bucket IN ({})", sorted(spellings)))
        for bucket, changed in spellings.items():
            old = set(stored[bucket].split("|")) if bucket in stored else set()
            spellings[bucket] = sorted((old - set(changed)) | (set(changed) & indexed))
        select_in_chunks(con, "DELETE FROM spell WHERE bucket IN ({})", sorted(spellings))
    con.executemany("INSERT INTO spell VALUES (?, ?)",
                    ((bucket, "|".join(alike)) for bucket, alike in sorted(spellings.items()) if alike))


def _write_skeletons(con: sqlite3.Connection, keys: list[str], whole: bool, prominence: dict[str, float]) -> None:
    """The ``skel`` rows of ``keys``: all of them (``whole``), or the skeletons those keys changed.

    ``prominence`` has the best prominence of the keys just indexed; the other keys of a changed
    skeleton keep what their stored row says.
    """
    merged, skeletons = variant_forms(keys)
    forms = dict(zip(keys, merged))
    groups: dict[str, list[str]] = {}
    for key, skel in zip(keys, skeletons):
        if skel:
            groups.setdefault(skel, []).append(key)
    if whole:
        con.execute("DELETE FROM skel")
    else:
        changed = set(keys)
        # the keys of a stored row that did not change keep their merged form and best prominence: every key
        # of a place the import replaced is among the changed ones
        prominence = dict(prominence)
        stored = select_in_chunks(con, "SELECT skel, keys, merged, prominence FROM skel WHERE skel IN ({})",
                                  sorted(groups))
        for skel, old_keys, old_merged, old_prominence in stored:
            for key, form, best in zip(old_keys.split("|"), old_merged.split("|"), array.array("d", old_prominence)):
                if key not in changed:
                    forms[key], prominence[key] = form, best
                    groups[skel].append(key)
        select_in_chunks(con, "DELETE FROM skel WHERE skel IN ({})", sorted(groups))
    rows = []
    for skel in sorted(groups):
        group = sorted(key for key in groups[skel] if key in prominence)  # a key left with no place leaves
        if group:
            rows.append((skel, "|".join(group), "|".join(forms[key] for key in group),
                         array.array("Q", map(key_hash, group)).tobytes(),
                         array.array("d", (prominence[key] for key in group)).tobytes()))
    con.executemany("INSERT INTO skel VALUES (?, ?, ?, ?, ?)", rows)

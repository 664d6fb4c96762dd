"""The gazetteer's SQLite file: schema, validation and a streaming, atomic writer.

A gazetteer file is marked with ``PRAGMA application_id`` so that a foreign
SQLite file is told apart from a corrupt one. Writers build into a temporary
file beside the target and rename it into place only when everything
succeeded: a failed build or import leaves the previous file intact and removes
its temporary file. A writer holds an exclusive ``flock`` on its temporary file
while it lives, so that the file a killed process left behind can be told from
one being written (:func:`remove_orphaned_temp_files`).
"""

from __future__ import annotations

import glob
import json
import math
import os
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: writers take no locks, and orphaned temporary files are left alone
    fcntl = None

from gazetteer.errors import GazetteerCorrupt, GazetteerNotFound, GazetteerNotWritable, GazetteerStale
from gazetteer.files import sqlite_application_id, unwritable_folder
from gazetteer.index import build_lookup_tables, fold_checksum, select_in_chunks
from gazetteer.normalize import EL_NOT_ARTICLE_COUNTRIES, fold, is_latin, name_keys
from gazetteer.progress import step

APPLICATION_ID = 0x67656F6D  # "geom"
#: 2: the name index and the fuzzy fallback's spelling buckets (gazetteer.index) are stored in the file.
#: 3: the index holds a record a place and packed entries, and hashes its keys with a Karp-Rabin fingerprint.
SCHEMA_VERSION = 3

# name.flags bits
PREFERRED = 1      # the place's own main name
CURATED = 2        # an alias the team curated: news uses it for exactly this place
CODE = 4           # an abbreviation or code (US, UAE, LAX)
DEMONYM = 8        # an adjective of the place (Syrian): recognised only where a corpus counts demonyms

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE place(
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    cc TEXT,
    admin1 TEXT,
    population INTEGER NOT NULL DEFAULT 0,
    prominence REAL NOT NULL DEFAULT 0,
    source TEXT NOT NULL,
    feature_code TEXT,
    name_fold INTEGER NOT NULL  -- gazetteer.index.fold_checksum of the folded name: lookups' test of an exact match
);
CREATE TABLE name(key TEXT NOT NULL, rid INTEGER NOT NULL, flags INTEGER NOT NULL DEFAULT 0,
                  PRIMARY KEY(key, rid)) WITHOUT ROWID;
CREATE TABLE skel(skel TEXT PRIMARY KEY, keys TEXT NOT NULL, merged TEXT NOT NULL, hashes BLOB NOT NULL,
                  prominence BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE outline(rid INTEGER PRIMARY KEY, wkb BLOB NOT NULL);
CREATE TABLE name_index(part TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE spell(bucket TEXT PRIMARY KEY, keys TEXT NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE place_rtree USING rtree(rid, min_lat, max_lat, min_lon, max_lon);
"""
#: Names of places in a language (an ISO 639 code, GeoNames' "isolanguage"), for answers in that language; made by
#: an import that has them (GeoNames' alternateNamesV2), so files without it are read as having none.
LOCALIZED_NAMES = """CREATE TABLE IF NOT EXISTS localized_name(rid INTEGER NOT NULL, language TEXT NOT NULL,
    name TEXT NOT NULL, preferred INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(rid, language, name)) WITHOUT ROWID;"""

INDEXES = """
CREATE INDEX IF NOT EXISTS name_rid ON name(rid);
"""

#: Base prominence of each kind, before population: how likely a bare name in news means this kind of place.
KIND_PROMINENCE = {
    "continent": 0.95, "country": 0.95, "region": 0.8, "water": 0.75, "admin1": 0.62, "river": 0.7,
    "desert": 0.6, "mountain": 0.55, "camp": 0.55, "base": 0.55, "island": 0.5, "landmark": 0.5,
    "airport": 0.45, "admin2": 0.4, "city": 0.0,
}


#: Kinds whose population, where a curated table gives one (``populations.tsv``), counts as a town's would,
#: less a discount: their base prominence says how likely a bare name means such a place, not how well known
#: this one is. Divisions are left out: theirs is their member places' sum, and "DeKalb" would then read as
#: DeKalb County rather than the town (LGL).
POPULATED_KINDS = frozenset({"island", "region"})
POPULATED_KIND_DISCOUNT = 0.1


def default_prominence(kind: str, population: int, feature_code: str | None = None) -> float:
    """A prior in [0, 1] of how well known a place is, from its kind and population.

    >>> round(default_prominence("city", 1_000_000), 2), round(default_prominence("city", 500), 2)
    (0.75, 0.34)
    """
    pop_term = math.log10(population + 1) / 8.0 if population > 0 else 0.0
    base = KIND_PROMINENCE.get(kind, 0.3)
    if kind == "city":
        score = pop_term
        if feature_code == "PPLC":
            score += 0.15
        elif feature_code in ("PPLA",):
            score += 0.05
    else:
        score = base + 0.05 * min(1.0, pop_term)
        if kind in POPULATED_KINDS:
            # an island of eight million people is better known than a district of its name (Long Island)
            score = max(score, pop_term - POPULATED_KIND_DISCOUNT)
    return max(0.0, min(1.0, score))


def check_file(path: Path) -> None:
    """Raise a clear error when ``path`` is missing, not SQLite, or not a gazetteer."""
    if not path.exists():
        raise GazetteerNotFound(f"{path}: no gazetteer file here; build it with `geomap gazetteer build`")
    app_id = sqlite_application_id(path)
    if app_id is None:
        raise GazetteerCorrupt(f"{path}: is not a SQLite file (corrupt or a foreign file); "
                               f"delete it and run `geomap gazetteer build --path {path}`")
    if app_id != APPLICATION_ID:
        raise GazetteerCorrupt(f"{path}: is a SQLite file but not a geomap gazetteer; point --gazetteer at a "
                               f"gazetteer file or build one with `geomap gazetteer build --path NEW.sqlite`")


def check_writable(path: Path) -> None:
    """Raise :class:`GazetteerNotWritable`, saying what to do, when no gazetteer can be written at ``path``."""
    refused = unwritable_folder(path.parent)
    if refused:
        folder, reason = refused
        raise GazetteerNotWritable(
            f"cannot write to {folder} ({reason}), where the gazetteer {path} goes: build it in a writable place "
            "with `geomap gazetteer build --path FILE`, or set GEOMAP_GAZETTEER=FILE (the other commands take "
            "--gazetteer FILE too)")


def connect_readonly(path: Path) -> sqlite3.Connection:
    """Open a validated gazetteer read-only."""
    check_file(path)
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        con.execute("PRAGMA query_only = 1")
        # Read pages from a memory map of the file rather than with a system call for each page missing
        # from SQLite's small page cache (lookups 10-20% faster). The mapped pages are the kernel's page
        # cache of the file: they count in the RSS once touched, but are shared and reclaimable.
        con.execute(f"PRAGMA mmap_size = {path.stat().st_size}")
        version = con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise _unreadable(path, exc) from None
    if not version or int(version[0]) != SCHEMA_VERSION:
        con.close()
        raise GazetteerStale(f"{path}: gazetteer schema {version[0] if version else '?'} is not the supported "
                             f"{SCHEMA_VERSION}; rebuild it with `geomap gazetteer build --path {path}`")
    return con


def _unreadable(path: Path, exc: sqlite3.DatabaseError) -> GazetteerCorrupt:
    return GazetteerCorrupt(f"{path}: cannot be read as a gazetteer ({exc}); delete it and rebuild with "
                            f"`geomap gazetteer build --path {path}`")


def read_meta(con: sqlite3.Connection) -> dict:
    return {k: json.loads(v) for k, v in con.execute("SELECT key, value FROM meta")}


def read_file_meta(path: Path) -> dict:
    """The meta table of the gazetteer at ``path``, whatever its schema version (to tell what rebuilds it)."""
    check_file(path)
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return read_meta(con)
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise _unreadable(path, exc) from None


def _claimed_temp_file(target: Path) -> tuple[Path, int]:
    """A new empty file beside ``target``, and an open descriptor that holds an exclusive flock on it.

    The file gets the mode of ``target`` (0644 for a new one) rather than mkstemp's private 0600: it
    becomes ``target``.
    """
    while True:
        fd, name = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
        if fcntl is None:
            return Path(name), fd
        fcntl.flock(fd, fcntl.LOCK_EX)
        if os.fstat(fd).st_nlink:  # else swept as an orphan between its creation and the lock: take another
            os.fchmod(fd, stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o644)
            return Path(name), fd
        os.close(fd)


def remove_orphaned_temp_files(path: str | Path) -> list[Path]:
    """Delete the temporary files that killed writers left beside ``path``; returns those deleted.

    A writer that fails or is interrupted removes its own temporary file; one
    killed by a signal cannot. Live writers (another process's import, say)
    hold a lock on theirs, which are kept.
    """
    path = Path(path)
    if fcntl is None:
        return []
    removed = []
    for tmp in map(Path, glob.glob(f"{glob.escape(str(path))}.*.tmp")):
        try:
            fd = os.open(tmp, os.O_RDONLY)
        except FileNotFoundError:
            continue  # renamed into place or removed meanwhile
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.path.samestat(os.fstat(fd), tmp.stat()):  # still the file of that name, not a finished one
                tmp.unlink()
                removed.append(tmp)
        except (BlockingIOError, FileNotFoundError):
            pass  # a live writer's, or gone
        finally:
            os.close(fd)
    return removed


class GazetteerWriter:
    """Streams places and names into a new gazetteer file, atomically.

    Use as a context manager: on a clean exit the indexes are built and the
    file replaces ``path``; on an exception the temporary file is removed and
    ``path`` is untouched. With ``base`` the new file starts as a copy of an
    existing gazetteer (imports add to it; a place with an existing id is
    replaced, names included).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.sqlite"
    >>> with GazetteerWriter(p) as w:
    ...     _ = w.add_place("x:1", "Eilat", "city", 29.558, 34.948, cc="IL", population=47800,
    ...                     source="doctest", names=["Elat"])
    >>> p.exists()
    True
    """

    BATCH = 20_000

    def __init__(self, path: str | Path, *, base: str | Path | None = None, progress: bool = False):
        self.path = Path(path)
        self.progress = progress  # the closing's indexing step shows a bar on a terminal
        check_writable(self.path)
        # the descriptor stays open, holding the lock that marks the temporary file as being written
        self.tmp, self._claim = _claimed_temp_file(self.path)
        self.con = None
        try:
            self._start(base)
        except BaseException:
            self.abort()
            raise

    def _start(self, base: str | Path | None) -> None:
        """Open the temporary file (a copy of ``base``, or empty: SQLite takes an empty file as a new database)."""
        if base is not None:
            shutil.copyfile(base, self.tmp)
        self.con = sqlite3.connect(self.tmp)
        self.con.execute("PRAGMA journal_mode = OFF")
        self.con.execute("PRAGMA synchronous = OFF")
        self.con.execute("PRAGMA cache_size = -200000")
        if base is None:
            self.con.executescript(SCHEMA)
            self.con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.meta = {"schema_version": SCHEMA_VERSION}
            self._ids: dict[str, int] = {}
            self._next_rid = 1
        else:
            self.meta = read_meta(self.con)
            if self.meta.get("schema_version") != SCHEMA_VERSION:
                raise GazetteerStale(f"{base}: gazetteer schema {self.meta.get('schema_version', '?')} is not the "
                                     f"supported {SCHEMA_VERSION}; rebuild it with `geomap gazetteer build --path "
                                     f"{base}`, then import again")
            self._ids = dict(self.con.execute("SELECT id, rid FROM place"))
            self._next_rid = (self.con.execute("SELECT max(rid) FROM place").fetchone()[0] or 0) + 1
        self._places: list[tuple] = []
        self._names: dict[tuple[str, int], int] = {}
        self._has_localized = False  # whether the localized_name table is known to exist (made on first use)
        self._spanish_el: set[int] = set()  # places where "El" is the Spanish article (EL_NOT_ARTICLE_COUNTRIES)
        self._boxes: list[tuple] = []
        self._replaced: list[int] = []
        self.count = 0
        # What an import changes, so that closing updates the lookup tables instead of rebuilding them;
        # None in a new file, whose tables are built whole.
        self._changed: tuple[set[str], set[int]] | None = (set(), set()) if base is not None else None

    # -- writing -------------------------------------------------------------
    def add_place(self, id: str, name: str, kind: str, lat: float, lon: float, *, cc: str | None = None,
                  admin1: str | None = None, population: int = 0, source: str, feature_code: str | None = None,
                  names: Iterable[str] = (), aliases: Iterable[str] = (), codes: Iterable[str] = (),
                  demonyms: Iterable[str] = (),
                  prominence: float | None = None, bbox: tuple[float, float, float, float] | None = None,
                  outline_wkb: bytes | None = None) -> int:
        """Add (or replace) a place and index its names; returns its row id.

        ``names`` are alternate names from the source, ``aliases`` curated
        names, ``codes`` abbreviations, ``demonyms`` adjectives (Syrian); names in non-Latin scripts are skipped.
        ``bbox`` is (min_lat, max_lat, min_lon, max_lon) when the place has an extent.
        """
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"{id}: coordinates out of range ({lat}, {lon})")
        rid = self._ids.get(id)
        if rid is None:
            rid = self._next_rid
            self._next_rid += 1
            self._ids[id] = rid
        else:
            self._replaced.append(rid)
        if prominence is None:
            prominence = default_prominence(kind, population, feature_code)
        self._places.append((rid, id, name, kind, lat, lon, cc, admin1, int(population or 0), prominence,
                             source, feature_code, fold_checksum(fold(name))))
        if cc in EL_NOT_ARTICLE_COUNTRIES:
            self._spanish_el.add(rid)  # its "El ..." names are not indexed without the "El"
        self.add_names(rid, [name], PREFERRED)
        self.add_names(rid, names, 0)
        self.add_names(rid, aliases, CURATED)
        self.add_names(rid, codes, CODE)
        self.add_names(rid, demonyms, DEMONYM)
        min_lat, max_lat, min_lon, max_lon = bbox or (lat, lat, lon, lon)
        if min_lon > max_lon:  # the extent crosses the antimeridian: index it across all longitudes
            min_lon, max_lon = -180.0, 180.0
        self._boxes.append((rid, min_lat, max_lat, min_lon, max_lon))
        if outline_wkb is not None:
            self.con.execute("INSERT OR REPLACE INTO outline VALUES (?, ?)", (rid, outline_wkb))
        self.count += 1
        if len(self._places) >= self.BATCH:
            self.flush()
        return rid

    def add_names(self, rid: int, names: Iterable[str], flags: int) -> None:
        for n in names:
            if not n or not is_latin(n):
                continue
            for key in name_keys(n, el_is_article=rid not in self._spanish_el):
                if len(key) < 2 or key.isdigit():
                    continue
                k = (key, rid)
                self._names[k] = self._names.get(k, 0) | flags

    def add_localized_names(self, rid: int, language: str, names: Iterable[str], preferred: bool = False) -> None:
        """Record names of a place in a ``language`` (an ISO 639 code: "de", "zh-CN"), in any script, for answers
        in that language; they are not indexed for lookups (:meth:`add_names` does that)."""
        rows = [(rid, language, n, int(preferred)) for n in names if n]
        if rows:
            if not self._has_localized:
                self.con.execute(LOCALIZED_NAMES)
                self._has_localized = True
            self.con.executemany("INSERT INTO localized_name VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                                 "preferred = max(preferred, excluded.preferred)", rows)

    def move_place(self, id: str, lat: float, lon: float) -> None:
        """Give an added place another representative point (its indexed extent is kept)."""
        self._update_place(id, "lat = ?, lon = ?", (lat, lon))

    def set_population(self, id: str, population: int) -> None:
        """Give an added place a population, and the prominence that goes with it (:func:`default_prominence`)."""
        self.flush()
        row = self.con.execute("SELECT kind, feature_code FROM place WHERE id = ?", (id,)).fetchone()
        if row is None:
            raise KeyError(f"{id}: no such place")
        kind, feature_code = row
        self._update_place(id, "population = ?, prominence = ?",
                           (population, default_prominence(kind, population, feature_code)))

    def _update_place(self, id: str, assignments: str, values: tuple) -> None:
        """Set columns of an added place (``assignments``: "col = ?, ...") and mark it changed for an import."""
        if id not in self._ids:
            raise KeyError(f"{id}: no such place")
        self.flush()
        self.con.execute(f"UPDATE place SET {assignments} WHERE id = ?", (*values, id))
        if self._changed is not None:
            self._changed[1].add(self._ids[id])

    def rid_of(self, id: str) -> int | None:
        return self._ids.get(id)

    def flush(self) -> None:
        cur = self.con.cursor()
        if self._changed is not None:
            keys, rids = self._changed
            keys.update(key for key, _ in self._names)
            rids.update(place[0] for place in self._places)
            # the names a replaced place is about to lose
            keys.update(k for (k,) in select_in_chunks(self.con, "SELECT key FROM name WHERE rid IN ({})",
                                                       self._replaced))
        if self._replaced:
            # curated aliases outlive a re-import of the place they point at
            cur.executemany(f"DELETE FROM name WHERE rid = ? AND flags & {CURATED} = 0",
                            [(r,) for r in self._replaced])
            cur.executemany("DELETE FROM place_rtree WHERE rid = ?", [(r,) for r in self._replaced])
            self._replaced.clear()
        cur.executemany("INSERT OR REPLACE INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", self._places)
        cur.executemany("INSERT INTO name VALUES (?,?,?) ON CONFLICT(key, rid) DO UPDATE SET flags = flags | "
                        "excluded.flags", [(k, r, f) for (k, r), f in self._names.items()])
        cur.executemany("INSERT INTO place_rtree VALUES (?,?,?,?,?)", self._boxes)
        self._places.clear()
        self._names.clear()
        self._boxes.clear()

    def set_meta(self, **values) -> None:
        self.meta.update(values)

    # -- finishing -----------------------------------------------------------
    def close(self) -> None:
        """Index, analyse and compact the file, then rename it into place (see :meth:`__exit__`)."""
        self.flush()
        with step("indexing", self.progress):
            self.con.executescript(INDEXES)
            build_lookup_tables(self.con, *(self._changed or (None, None)))
            self.con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                 [(k, json.dumps(v, sort_keys=True)) for k, v in self.meta.items()])
            self.con.commit()
            self.con.execute("ANALYZE")
            self.con.commit()
            self.con.execute("VACUUM")
        self.con.close()
        os.replace(self.tmp, self.path)
        self._release_claim()

    def abort(self) -> None:
        """Drop the temporary file; ``path`` is untouched."""
        try:
            if self.con is not None:
                self.con.close()
        finally:
            self.tmp.unlink(missing_ok=True)
            self._release_claim()

    def _release_claim(self) -> None:
        if self._claim is not None:
            os.close(self._claim)
            self._claim = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.abort()
            return False
        try:
            self.close()
        except BaseException:  # a failed finish (disk full, interrupted VACUUM) leaves no temporary file either
            self.abort()
            raise
        return False

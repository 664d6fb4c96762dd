"""SQLite files and the folders they are written to: the checks the gazetteer and geomap's article store share.

A SQLite file is told from any other by its 100-byte header, and a geomap file from a foreign SQLite file by
the header's ``application_id``. A folder is writable when a file can really be made in it: the test holds for
read-only mounts and for root, whom file modes do not stop.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

#: The first bytes of every SQLite 3 database file.
SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_HEADER_BYTES = 100


def sqlite_application_id(path: str | Path) -> int | None:
    """The ``application_id`` in the header of the SQLite file ``path``; None when it is no SQLite file.

    An empty file is no SQLite file here (SQLite would take it as a new, empty database).

    >>> import sqlite3, tempfile, os
    >>> name = os.path.join(tempfile.mkdtemp(), "x.sqlite")
    >>> con = sqlite3.connect(name); _ = con.execute("PRAGMA application_id = 42"); con.commit(); con.close()
    >>> sqlite_application_id(name)
    42
    >>> _ = open(name, "wb").write(b"not a database"); sqlite_application_id(name) is None
    True
    """
    with open(path, "rb") as fh:
        header = fh.read(SQLITE_HEADER_BYTES)
    if len(header) < SQLITE_HEADER_BYTES or not header.startswith(SQLITE_MAGIC):
        return None
    return int.from_bytes(header[68:72], "big")


def unwritable_folder(folder: str | Path) -> tuple[Path, str] | None:
    """``(folder, reason)`` when no file can be made in ``folder`` (made first if missing), else None.

    The folder named is the one that refused: ``folder`` or the ancestor where making it failed.

    >>> unwritable_folder(tempfile.mkdtemp()) is None
    True
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # name the nearest folder that exists: the one that refused
        return next((p for p in folder.parents if p.exists()), folder), exc.strerror or str(exc)
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return folder, exc.strerror or str(exc)
    return None

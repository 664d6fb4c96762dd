"""Progress bars: the one set-up of every bar geomap and its gazetteer show.

A bar goes to stderr and only to a terminal: never into a log file or a pipe, and not under CI (env ``CI``).
A step whose length is not known gets a :func:`step` bar: its name, then the time it took.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


def shown(enabled: bool = True) -> bool:
    """Whether a bar is drawn: ``enabled``, stderr a terminal, and not under CI.

    >>> shown(False)
    False
    """
    return enabled and sys.stderr.isatty() and not os.environ.get("CI")


def progress_bar(iterable: Iterable | None = None, *, total: float | None = None, desc: str = "",
                 unit: str = " items", enabled: bool = True, **options):
    """A tqdm bar on stderr, drawn only when :func:`shown` (other ``options`` go to tqdm).

    >>> with progress_bar(range(3), desc="counting") as bar:    # off a terminal: drawn nowhere
    ...     sum(bar)
    3
    """
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit=unit, file=sys.stderr, mininterval=0.5,
                dynamic_ncols=True, disable=not shown(enabled), **options)


@contextmanager
def step(desc: str, enabled: bool = True) -> Iterator[None]:
    """A bar for a step of unknown length: its name while it runs, then the time it took.

    >>> with step("indexing"):
    ...     pass
    """
    bar = progress_bar(total=1, desc=desc, enabled=enabled, bar_format="{desc}: {elapsed}")
    try:
        yield
        bar.update(1)
    finally:
        bar.close()

"""The one CSV writer of geomap (``export``, ``query`` and ``places`` use it): spreadsheet-safe cells.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
after a tab or a carriage return, what follows) as a formula. Text from an
article can start that way, so such text cells get a leading ``'``, as
OWASP's advice on CSV injection says; numbers, and text that reads as a
plain number (``-77.03``), are written as they are.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import TextIO

#: What a spreadsheet reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_safe(value):
    """``value`` as a cell no spreadsheet runs: formula-like text gets a leading ``'``, the rest is kept.

    >>> spreadsheet_safe('=HYPERLINK("http://example.com")')
    '\\'=HYPERLINK("http://example.com")'
    >>> spreadsheet_safe("@SUM(1)"), spreadsheet_safe("\\tx")
    ("'@SUM(1)", "'\\tx")
    >>> spreadsheet_safe(-77.02824), spreadsheet_safe("-77.02824"), spreadsheet_safe("Gaza")
    (-77.02824, '-77.02824', 'Gaza')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(stream: TextIO, columns: Sequence[str], rows: Iterable[dict], *, extra_columns: str = "raise") -> int:
    """Write ``rows`` (dicts) under a header of ``columns``; every cell through :func:`spreadsheet_safe`.

    Missing keys and None are empty cells; ``extra_columns="ignore"`` drops keys that are not
    columns (the default raises, to catch a row that does not fit its table). Returns the number
    of rows written, the header excluded.
    """
    writer = csv.DictWriter(stream, fieldnames=list(columns), extrasaction=extra_columns, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
        n += 1
    return n

"""Reading gold-annotated documents (JSON Lines) for evaluation.

One document per line::

    {"id": "lgl-12", "corpus": "lgl", "text": "...",
     "toponyms": [{"start": 0, "end": 6, "surface": "Athens",
                   "lat": 33.96, "lon": -83.38, "geonameid": 4180386}]}

Offsets are 0-based and end-exclusive, and ``text[start:end] == surface``
must hold. ``lat``/``lon`` (together) and ``geonameid`` may be null. Keys
other than these (``ranges``, ``corridors``...) are kept in
:attr:`GoldDocument.extra`. Every problem is reported as an
:class:`~geomap.errors.InputError` naming the file and line.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geomap.errors import InputError
from geomap.reader import json_object

_DOCUMENT_KEYS = ("id", "corpus", "text", "toponyms")

#: Corpora whose gold annotates demonyms ("Syrian", "Canadian") as mentions of their place. Measured on the
#: dev halves: counting demonyms raises exact F1 on these (lgl 0.66 -> 0.69, gwn 0.69 -> 0.74, trnews
#: 0.80 -> 0.83) and lowers it on geovirus (0.85 -> 0.81); the sample article does not annotate them.
DEMONYM_CORPORA = frozenset({"lgl", "gwn", "trnews"})


def counts_demonyms(corpus: str) -> bool:
    """Whether a corpus's annotation convention counts demonyms as toponyms (see :data:`DEMONYM_CORPORA`).

    >>> counts_demonyms("lgl"), counts_demonyms("geovirus"), counts_demonyms("seed")
    (True, False, False)
    """
    return corpus.lower() in DEMONYM_CORPORA


@dataclass(frozen=True, slots=True)
class GoldToponym:
    """A gold toponym: a span of the text and, when the corpus gives them, its coordinates."""

    start: int
    end: int
    surface: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None

    @property
    def has_coordinates(self) -> bool:
        """True when the toponym can be scored for resolution."""
        return self.lat is not None


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """A gold-annotated document of one corpus."""

    id: str
    corpus: str
    text: str
    toponyms: tuple[GoldToponym, ...]
    extra: dict = field(default_factory=dict)

    @property
    def spans(self) -> list[tuple[int, int]]:
        """The (start, end) of every gold toponym, in file order."""
        return [(t.start, t.end) for t in self.toponyms]


def read_gold(path: str | Path, *, limit: int | None = None) -> list[GoldDocument]:
    """Read a gold JSONL file.

    Parameters
    ----------
    path : str or Path
        The JSON Lines file.
    limit : int, optional
        Read only the first ``limit`` documents.

    Returns
    -------
    list of GoldDocument
        In file order.

    Raises
    ------
    InputError
        When the file is missing or unreadable, or a line is not a valid gold document.
    """
    documents = iter_gold(path)
    if limit is not None:
        # islice stops before reading line limit+1, so a bad line after the limit is not an error.
        documents = itertools.islice(documents, limit)
    return list(documents)


def read_gold_files(paths: Iterable[str | Path], *, limit: int | None = None) -> list[GoldDocument]:
    """Read several gold files, in order; ``limit`` applies to each file."""
    return [document for path in paths for document in read_gold(path, limit=limit)]


def iter_gold(path: str | Path) -> Iterator[GoldDocument]:
    """Yield the documents of a gold JSONL file one by one (blank lines are skipped).

    Raises
    ------
    InputError
        As :func:`read_gold`.
    """
    path = Path(path)
    default_corpus = path.name.split(".")[0]
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: gold file not found (give the path of a JSONL gold file)") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory; give a JSONL gold file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the gold file ({exc.strerror})") from None
    with handle:
        try:
            for line_number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                yield parse_gold_line(line, default_corpus=default_corpus, where=f"{path}, line {line_number}")
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 text; gold files must be UTF-8 JSON Lines") from None


def parse_gold_line(line: str, *, default_corpus: str = "gold", where: str = "gold line") -> GoldDocument:
    """Parse one JSON line into a :class:`GoldDocument`.

    Parameters
    ----------
    line : str
        The JSON object of one document.
    default_corpus : str
        The corpus name when the line has no ``corpus`` key (the file name's stem by default).
    where : str
        Names the line in error messages (``file, line N``).

    Raises
    ------
    InputError
        When the line is not JSON, misses a key, or a toponym's offsets do not match its surface.
    """
    record = json_object(line, where, '{"id", "corpus", "text", "toponyms"}')
    missing = [key for key in ("id", "text", "toponyms") if key not in record]
    if missing:
        raise InputError(f"{where}: missing key(s) {', '.join(missing)}; a gold line needs "
                         f"{', '.join(_DOCUMENT_KEYS)}")
    text = record["text"]
    if not isinstance(text, str):
        raise InputError(f"{where}: 'text' must be a string")
    if not isinstance(record["toponyms"], list):
        raise InputError(f"{where}: 'toponyms' must be a list")
    toponyms = tuple(_parse_toponym(raw, text, f"{where}, toponym {i}")
                     for i, raw in enumerate(record["toponyms"], start=1))
    extra = {key: value for key, value in record.items() if key not in _DOCUMENT_KEYS}
    return GoldDocument(id=str(record["id"]), corpus=str(record.get("corpus") or default_corpus),
                        text=text, toponyms=toponyms, extra=extra)


def _parse_toponym(raw: object, text: str, where: str) -> GoldToponym:
    """Validate one toponym object of a gold line."""
    if not isinstance(raw, dict):
        raise InputError(f"{where}: expected an object with start, end, surface, lat, lon")
    try:
        start, end, surface = raw["start"], raw["end"], raw["surface"]
    except KeyError as exc:
        raise InputError(f"{where}: missing key {exc.args[0]!r}") from None
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise InputError(f"{where}: offsets start={start!r}, end={end!r} are not a span of the text "
                         f"(0 <= start < end <= {len(text)})")
    if text[start:end] != surface:
        raise InputError(f"{where}: text[{start}:{end}] is {text[start:end]!r}, not the surface {surface!r}")
    lat, lon = raw.get("lat"), raw.get("lon")
    if (lat is None) != (lon is None):
        raise InputError(f"{where}: lat and lon must both be given or both be null")
    if lat is not None and not _valid_coordinates(lat, lon):
        raise InputError(f"{where}: lat={lat!r}, lon={lon!r} are not WGS84 degrees")
    geonameid = raw.get("geonameid")
    if geonameid is not None and not str(geonameid).isdigit():
        raise InputError(f"{where}: geonameid {geonameid!r} is not a GeoNames id (an integer or null)")
    return GoldToponym(start=start, end=end, surface=surface,
                       lat=None if lat is None else float(lat), lon=None if lon is None else float(lon),
                       geonameid=None if geonameid is None else int(geonameid))


def _valid_coordinates(lat: object, lon: object) -> bool:
    """True for finite numbers within [-90, 90] x [-180, 180]."""
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (lat, lon))
    return numbers and -90 <= lat <= 90 and -180 <= lon <= 180

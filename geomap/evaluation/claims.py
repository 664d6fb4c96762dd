"""Scoring range and corridor claims against claim gold files (``../shared/eval/README.md``).

A claim gold line carries ``id``, ``text``, ``places`` (surfaces and coordinates, no offsets),
``ranges`` (``weapon``, ``origin``, ``range_km`` ...) and ``corridors`` (``kind``, ``name``,
``waypoints`` in route order). The figures:

- ranges: a gold range is found by a predicted range (one-to-one) whose ``range_km`` is within
  5% + 0.5 km of it; recall over gold ranges, precision over predicted ranges with a ``range_km``;
- origin right: of the found gold ranges with an origin, the share whose predicted origin text
  contains or is contained in the gold origin (case-insensitive);
- corridors: a gold corridor is found by a predicted corridor (one-to-one) holding at least
  max(2, half rounded up) of its waypoints (one for a one-waypoint corridor), compared as origins;
- negatives: passages with no gold range or corridor that yield a claim (the goal is 0);
- places: gold places found by a predicted mention overlapping an occurrence of the surface and
  placed within 161 km, over all gold places.

>>> gold = ClaimGold("d", "A missile with a range of 300 km.", places=(),
...                  ranges=({"range_km": 300, "origin": None},), corridors=())
>>> result = score_claims([(gold, {"ranges": [{"range_km": 310.0}], "corridors": [], "mentions": []})])
>>> result.ranges_recall, result.ranges_precision
(1.0, 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geomap.errors import InputError
from geomap.evaluation.metrics import ACC_THRESHOLD_KM, great_circle_km
from geomap.reader import json_object

__all__ = ["ClaimGold", "ClaimResult", "is_claim_gold_file", "read_claim_gold", "score_claims",
           "range_matches", "same_place_text"]


@dataclass(frozen=True, slots=True)
class ClaimGold:
    """One passage of a claim gold file."""

    id: str
    text: str
    places: tuple = ()
    ranges: tuple = ()
    corridors: tuple = ()

    @property
    def is_negative(self) -> bool:
        """True when the passage states no range and no corridor."""
        return not self.ranges and not self.corridors


def is_claim_gold_file(path: str | Path) -> bool:
    """True when the file's first document is a claim gold line (``ranges``/``corridors``, no ``toponyms``)."""
    try:
        with Path(path).open(encoding="utf-8") as handle:
            first = next((line for line in handle if line.strip()), "")
    except (OSError, UnicodeDecodeError):
        return False  # the geoparsing reader reports the problem with its own message
    try:
        record = json_object(first, str(path), "{}") if first else {}
    except InputError:
        return False
    return "toponyms" not in record and ("ranges" in record or "corridors" in record)


def read_claim_gold(path: str | Path, *, limit: int | None = None) -> list[ClaimGold]:
    """Read a claim gold JSONL file (every problem is an :class:`~geomap.errors.InputError` naming the line)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: gold file not found (give the path of a JSONL gold file)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the gold file as UTF-8 ({exc})") from None
    out = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        record = json_object(line, where, '{"id", "text", "ranges", "corridors"}')
        if not isinstance(record.get("text"), str) or "id" not in record:
            raise InputError(f"{where}: a claim gold line needs an 'id' and a 'text' string")
        for key in ("places", "ranges", "corridors"):
            if not isinstance(record.get(key, []), list):
                raise InputError(f"{where}: {key!r} must be a list")
        out.append(ClaimGold(str(record["id"]), record["text"], tuple(record.get("places", [])),
                             tuple(record.get("ranges", [])), tuple(record.get("corridors", []))))
        if limit is not None and len(out) >= limit:
            break
    return out


def range_matches(gold_km: float, predicted_km: float | None) -> bool:
    """True when a predicted range is within 5% + 0.5 km of the gold one.

    >>> range_matches(1609.344, 1600), range_matches(300, 186)
    (True, False)
    """
    return predicted_km is not None and abs(predicted_km - gold_km) <= 0.05 * gold_km + 0.5


def same_place_text(gold: str | None, predicted: str | None) -> bool:
    """True when one text contains the other, case-insensitively ("Krychaw" ~ "near Krychaw")."""
    if not gold or not predicted:
        return False
    a, b = gold.casefold().strip(), predicted.casefold().strip()
    return a in b or b in a


def _origin_text(origin) -> str | None:
    return origin.get("text") if isinstance(origin, dict) else origin


def _corridor_hits(gold_waypoints: list[str], predicted: dict) -> int:
    names = [w.get("text") if isinstance(w, dict) else w for w in predicted.get("waypoints", [])]
    return sum(any(same_place_text(g, p) for p in names) for g in gold_waypoints)


def _corridor_needed(count: int) -> int:
    return 1 if count <= 1 else max(2, math.ceil(count / 2))


@dataclass
class ClaimResult:
    """Counts and the errors behind them; the figures are properties."""

    gold_ranges: int = 0
    found_ranges: int = 0
    predicted_ranges: int = 0
    right_predicted_ranges: int = 0
    gold_origins: int = 0
    right_origins: int = 0
    gold_corridors: int = 0
    found_corridors: int = 0
    predicted_corridors: int = 0
    right_predicted_corridors: int = 0
    negatives: int = 0
    negatives_with_claim: int = 0
    gold_places: int = 0
    found_places: int = 0
    documents: int = 0
    errors: list[str] = field(default_factory=list)

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return None if whole == 0 else part / whole

    @property
    def ranges_recall(self) -> float | None:
        return self._share(self.found_ranges, self.gold_ranges)

    @property
    def ranges_precision(self) -> float | None:
        return self._share(self.right_predicted_ranges, self.predicted_ranges)

    @property
    def origin_right(self) -> float | None:
        return self._share(self.right_origins, self.gold_origins)

    @property
    def corridors_recall(self) -> float | None:
        return self._share(self.found_corridors, self.gold_corridors)

    @property
    def corridors_precision(self) -> float | None:
        return self._share(self.right_predicted_corridors, self.predicted_corridors)

    @property
    def places_found(self) -> float | None:
        return self._share(self.found_places, self.gold_places)

    def to_dict(self) -> dict:
        figures = ("ranges_recall", "ranges_precision", "origin_right", "corridors_recall",
                   "corridors_precision", "places_found")
        return {"documents": self.documents, "gold_ranges": self.gold_ranges,
                "predicted_ranges": self.predicted_ranges, "gold_origins": self.gold_origins,
                "gold_corridors": self.gold_corridors, "predicted_corridors": self.predicted_corridors,
                "negatives": self.negatives, "negatives_with_claim": self.negatives_with_claim,
                **{name: getattr(self, name) for name in figures}}

    def format_table(self, *, errors: bool = False) -> str:
        """A plain-text table of the figures (and, with ``errors``, every miss and false claim)."""
        def cell(value: float | None) -> str:
            return "-" if value is None else f"{value:.2f}"

        rows = [
            ("ranges recall / precision", f"{cell(self.ranges_recall)} / {cell(self.ranges_precision)}",
             f"{self.found_ranges}/{self.gold_ranges} found, {self.right_predicted_ranges}/"
             f"{self.predicted_ranges} right"),
            ("origin right", cell(self.origin_right), f"{self.right_origins}/{self.gold_origins}"),
            ("corridors recall / precision",
             f"{cell(self.corridors_recall)} / {cell(self.corridors_precision)}",
             f"{self.found_corridors}/{self.gold_corridors} found, {self.right_predicted_corridors}/"
             f"{self.predicted_corridors} right"),
            ("negatives with a claim", str(self.negatives_with_claim), f"of {self.negatives}"),
            ("places found", cell(self.places_found), f"{self.found_places}/{self.gold_places}"),
        ]
        width = max(len(r[0]) for r in rows)
        lines = [f"claims: {self.documents} passages"]
        lines += [f"  {name:<{width}}  {value:<13} {detail}" for name, value, detail in rows]
        if errors and self.errors:
            lines += ["", "errors:"] + [f"  {e}" for e in self.errors]
        return "\n".join(lines)


def _score_ranges(gold: ClaimGold, predicted: list[dict], result: ClaimResult) -> None:
    numeric = [p for p in predicted if p.get("range_km") is not None]
    free = list(range(len(numeric)))
    result.gold_ranges += len(gold.ranges)
    result.predicted_ranges += len(numeric)
    for g in gold.ranges:
        km = float(g["range_km"])
        candidates = [i for i in free if range_matches(km, numeric[i]["range_km"])]
        if not candidates:
            result.errors.append(f"{gold.id}: range missed: {g.get('weapon')!r} {km:g} km "
                                 f"({g.get('range_text')!r})")
            continue
        best = min(candidates, key=lambda i: abs(numeric[i]["range_km"] - km))
        free.remove(best)
        result.found_ranges += 1
        if g.get("origin"):
            result.gold_origins += 1
            said = _origin_text(numeric[best].get("origin"))
            if same_place_text(g["origin"], said):
                result.right_origins += 1
            else:
                result.errors.append(f"{gold.id}: origin wrong: {g.get('weapon')!r} {km:g} km from "
                                     f"{g['origin']!r}, predicted {said!r}")
    result.right_predicted_ranges += len(numeric) - len(free)
    for i in free:
        p = numeric[i]
        result.errors.append(f"{gold.id}: false range: {p.get('weapon')!r} {p['range_km']:g} km "
                             f"in {p.get('sentence', '')[:100]!r}")


def _score_corridors(gold: ClaimGold, predicted: list[dict], result: ClaimResult) -> None:
    free = list(range(len(predicted)))
    result.gold_corridors += len(gold.corridors)
    result.predicted_corridors += len(predicted)
    for g in gold.corridors:
        waypoints = list(g.get("waypoints", []))
        hits = {i: _corridor_hits(waypoints, predicted[i]) for i in free}
        best = max(hits, key=hits.get, default=None)
        if best is None or hits[best] < _corridor_needed(len(waypoints)):
            result.errors.append(f"{gold.id}: corridor missed: {g.get('kind')} {g.get('name')!r} {waypoints}")
            continue
        free.remove(best)
        result.found_corridors += 1
    result.right_predicted_corridors += len(predicted) - len(free)
    for i in free:
        p = predicted[i]
        names = [w.get("text") for w in p.get("waypoints", [])]
        result.errors.append(f"{gold.id}: false corridor: {p.get('kind')} {p.get('name')!r} {names} "
                             f"in {p.get('sentence', '')[:100]!r}")


def _score_places(gold: ClaimGold, mentions: list[dict], result: ClaimResult) -> None:
    for place in gold.places:
        surface, lat, lon = place.get("surface"), place.get("lat"), place.get("lon")
        if not surface or lat is None:
            continue
        result.gold_places += 1
        spans = _occurrences(gold.text, surface)
        if any(m.get("lat") is not None and a < m["end"] and m["start"] < b
               and great_circle_km(lat, lon, m["lat"], m["lon"]) < ACC_THRESHOLD_KM
               for a, b in spans for m in mentions):
            result.found_places += 1


def _occurrences(text: str, surface: str) -> Iterator[tuple[int, int]]:
    start = text.find(surface)
    while start >= 0:
        yield start, start + len(surface)
        start = text.find(surface, start + 1)


def score_claims(pairs: Iterable[tuple[ClaimGold, dict]]) -> ClaimResult:
    """Score (gold passage, parsed record) pairs; the record is ``Article.to_record()``'s dict."""
    result = ClaimResult()
    for gold, record in pairs:
        result.documents += 1
        ranges, corridors = record.get("ranges", []), record.get("corridors", [])
        _score_ranges(gold, ranges, result)
        _score_corridors(gold, corridors, result)
        _score_places(gold, record.get("mentions", []), result)
        if gold.is_negative:
            result.negatives += 1
            if ranges or corridors:
                result.negatives_with_claim += 1
                result.errors.append(f"{gold.id}: negative passage with {len(ranges)} range and "
                                     f"{len(corridors)} corridor claim(s)")
    return result

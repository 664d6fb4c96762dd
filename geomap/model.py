"""Typed values that flow one way: text -> mentions -> places and claims -> map / store / export.

:class:`Article` is what :func:`geomap.parse` returns. ``Article.to_record()``
gives the JSON line of ``geomap parse``: that format is a contract, keep it stable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from gazetteer.place import Candidate, Place


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the article, by 0-based, end-exclusive character offsets."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Mention:
    """One occurrence of a place name in the text.

    ``place`` is None when no candidate could be resolved: such mentions are
    reported as unresolved, never dropped. ``score`` is the resolution
    confidence in [0, 1] (0 when unresolved).
    """

    start: int
    end: int
    text: str
    sentence: Sentence
    source: str = "ner"          # "ner" (spaCy entity) or "gazetteer" (name index)
    label: str | None = None     # the spaCy label when the model found it
    place: Place | None = None
    score: float = 0.0
    candidates: tuple[Candidate, ...] = ()

    def to_record(self) -> dict:
        p = self.place
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "lat": p.lat if p else None,
            "lon": p.lon if p else None,
            "place_id": p.id if p else None,
            "name": p.name if p else None,
            "kind": p.kind if p else None,
            "country_code": p.country_code if p else None,
            "score": round(self.score, 4),
            "sentence": self.sentence.text,
        }


@dataclass(slots=True)
class PlaceMentions:
    """A resolved place with every mention of it in one article."""

    place: Place
    mentions: list[Mention]

    @property
    def count(self) -> int:
        return len(self.mentions)

    @property
    def sentences(self) -> list[Sentence]:
        """The distinct sentences that mention the place, in text order."""
        seen: dict[int, Sentence] = {}
        for m in self.mentions:
            seen.setdefault(m.sentence.start, m.sentence)
        return [seen[k] for k in sorted(seen)]


@dataclass(frozen=True, slots=True)
class ClaimPlace:
    """A place named by a claim (an origin or a corridor waypoint)."""

    text: str
    lat: float | None
    lon: float | None
    place: Place | None = None
    inferred: bool = False       # origin not stated in the claim's sentence but tied to it by the text
    area_id: str | None = None   # a range origin that is an area: its gazetteer id; the range is measured from
    outline: object | None = field(default=None, compare=False, repr=False)  # its outline (lon/lat shapely)

    @classmethod
    def from_record(cls, d: dict | None, places: Mapping[str, Place] | None = None) -> ClaimPlace | None:
        """The claim place of a ``geomap parse`` record or a store record (None for none); ``places`` gives the
        :class:`Place` of a store record's ``place_id``."""
        if not d:
            return None
        return cls(text=d.get("text") or "", lat=d.get("lat"), lon=d.get("lon"),
                   place=(places or {}).get(d.get("place_id") or ""), inferred=bool(d.get("inferred", False)),
                   area_id=d.get("area_id"))

    def to_record(self, *, with_inferred: bool = False) -> dict:
        d = {"text": self.text, "lat": self.lat, "lon": self.lon}
        if with_inferred:
            d["inferred"] = self.inferred
            d["area_id"] = self.area_id
        return d


@dataclass(frozen=True, slots=True)
class RangeTarget:
    """A place measured against a range claim's circle."""

    text: str
    lat: float | None
    lon: float | None
    distance_km: float | None
    inside: bool | None
    stated: bool = True          # named by the claim itself, not just mentioned in the article
    place: Place | None = None

    @classmethod
    def from_record(cls, d: dict, places: Mapping[str, Place] | None = None) -> RangeTarget:
        """The target of a ``geomap parse`` record or a store record (see :meth:`ClaimPlace.from_record`)."""
        return cls(text=d.get("text") or "", lat=d.get("lat"), lon=d.get("lon"), distance_km=d.get("distance_km"),
                   inside=d.get("inside"), stated=bool(d.get("stated", True)),
                   place=(places or {}).get(d.get("place_id") or ""))

    def to_record(self) -> dict:
        return {
            "text": self.text,
            "lat": self.lat,
            "lon": self.lon,
            "distance_km": None if self.distance_km is None else round(self.distance_km, 1),
            "inside": self.inside,
        }


@dataclass(slots=True)
class RangeClaim:
    """A claimed weapon range ("a missile with a range of 250 km") or reach claim.

    ``range_km`` is the upper bound, None for a reach claim without a number.
    ``checks`` holds the distance from the origin to every other place the
    article mentions (targets are the ones the claim itself names).
    """

    weapon: str | None
    range_km: float | None
    range_min_km: float | None
    range_max_km: float | None
    qualifier: str | None
    origin: ClaimPlace | None
    targets: list[RangeTarget]
    sentence: str
    start: int
    end: int
    range_text: str = ""
    checks: list[RangeTarget] = field(default_factory=list)

    @classmethod
    def from_record(cls, d: dict, places: Mapping[str, Place] | None = None) -> RangeClaim:
        """The claim of a ``geomap parse`` record or a store record (which also keeps ``checks`` and
        ``range_text``): the one way back from either."""
        return cls(weapon=d.get("weapon"), range_km=d.get("range_km"), range_min_km=d.get("range_min_km"),
                   range_max_km=d.get("range_max_km"), qualifier=d.get("qualifier"),
                   origin=ClaimPlace.from_record(d.get("origin"), places),
                   targets=[RangeTarget.from_record(t, places) for t in d.get("targets") or []],
                   sentence=d.get("sentence") or "", start=int(d.get("start") or 0), end=int(d.get("end") or 0),
                   range_text=d.get("range_text") or "",
                   checks=[RangeTarget.from_record(t, places) for t in d.get("checks") or []])

    def to_record(self) -> dict:
        return {
            "weapon": self.weapon,
            "range_km": self.range_km,
            "range_min_km": self.range_min_km,
            "range_max_km": self.range_max_km,
            "qualifier": self.qualifier,
            "origin": self.origin.to_record(with_inferred=True) if self.origin else None,
            "targets": [t.to_record() for t in self.targets],
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True)
class CorridorClaim:
    """A corridor, route, supply line, crossing or sea route, with ordered waypoints."""

    kind: str
    name: str | None
    waypoints: list[ClaimPlace]
    sentence: str
    start: int
    end: int

    @classmethod
    def from_record(cls, d: dict, places: Mapping[str, Place] | None = None) -> CorridorClaim:
        """The corridor of a ``geomap parse`` record or a store record (see :meth:`RangeClaim.from_record`)."""
        waypoints = (ClaimPlace.from_record(w, places) for w in d.get("waypoints") or [])
        return cls(kind=d.get("kind") or "corridor", name=d.get("name"), waypoints=[w for w in waypoints if w],
                   sentence=d.get("sentence") or "", start=int(d.get("start") or 0), end=int(d.get("end") or 0))

    def to_record(self) -> dict:
        return {
            "kind": self.kind,
            "name": self.name,
            "waypoints": [w.to_record() for w in self.waypoints],
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True)
class Article:
    """A parsed article: its text, sentences, mentions, places and spatial claims."""

    id: str
    text: str
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    ranges: list[RangeClaim] = field(default_factory=list)
    corridors: list[CorridorClaim] = field(default_factory=list)
    title: str | None = None
    source: str | None = None     # a path or URL the article came from
    meta: dict = field(default_factory=dict)

    @property
    def places(self) -> list[PlaceMentions]:
        """Resolved places with their mentions, most mentioned first, then by first mention."""
        by_id: dict[str, PlaceMentions] = {}
        for m in self.mentions:
            if m.place is None:
                continue
            pm = by_id.get(m.place.id)
            if pm is None:
                by_id[m.place.id] = PlaceMentions(m.place, [m])
            else:
                pm.mentions.append(m)
        return sorted(by_id.values(), key=lambda pm: (-pm.count, pm.mentions[0].start))

    @property
    def unresolved(self) -> list[Mention]:
        return [m for m in self.mentions if m.place is None]

    def to_record(self) -> dict:
        """The JSON line of ``geomap parse`` (a stable contract)."""
        return {
            "id": self.id,
            "mentions": [m.to_record() for m in self.mentions],
            "ranges": [r.to_record() for r in self.ranges],
            "corridors": [c.to_record() for c in self.corridors],
        }

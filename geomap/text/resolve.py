"""Resolution: which gazetteer place each recognised span refers to.

Candidates come from :meth:`gazetteer.Gazetteer.lookup` and are ranked with
the evidence an analyst uses:

* the name's own prior (match quality, prominence, population, kind);
* containment cues in the text: "Idlib province", "the port of Aqaba",
  "the border town of Albukamal", "the state of Victoria", "a Delaware corporation", "X, Y" and "X in Y";
* the countries and first-level regions the rest of the article is about;
* spatial coherence with the other places of the article, and with the other names' candidates
  (places near each other, a region and a place in it);
* lists of places of one kind ("Georgia, Oklahoma and Texas" are states), and of the kind their
  introduction names ("states including ...");
* one place per name per article, taken first from a mention its neighbours explain;
* a misspelling or transliteration variant only near the article's other places;
* the home region of the articles, when the caller gives one (a local paper's town): what the rest of
  the article does not decide is read near it.

Every resolved mention gets a confidence; spans with no candidate stay unresolved.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from gazetteer.abbreviations import us_state
from gazetteer.core import EARTH_RADIUS_KM
from gazetteer.normalize import DIVISION_WORDS, SETTLEMENT_WORDS, name_key
from gazetteer.place import Candidate, Place
from geomap.text.abbreviations import state_after, state_before_comma
from geomap.text.recognize import singular

# "Idlib province", "Deir ez-Zor governorate", "Clarke County" (when the span stopped before it)
ADMIN_AFTER = re.compile(rf"^\s+({'|'.join(DIVISION_WORDS)})\b", re.I)
# "the state of Victoria", "the state of Georgia" ("the State of Qatar" is a country; and "the province of
# Trujillo", Peru's, which the gazetteer lacks, read as the Venezuelan state of that name)
STATE_BEFORE = re.compile(r"\bstate of\s+$")
CITY_BEFORE = re.compile(r"\b(town|city|village|port|capital|suburb|neighbou?rhood|outskirts|streets) of\s+$", re.I)
CITY_AFTER = re.compile(rf"^\s+({'|'.join(SETTLEMENT_WORDS)})\b", re.I)
CAMP_CONTEXT = re.compile(r"^[\w\s'’-]{0,30}\bcamp\b", re.I)
WATER_AFTER = re.compile(r"^\s+(river|sea|lake|gulf|strait|bay)\b", re.I)
# "a Delaware limited liability company", "a Nevada corporation": the state a firm is incorporated in
INCORPORATED_AFTER = re.compile(r"^\s+(corporation|limited liability company|limited partnership|statutory trust|"
                                r"general partnership)\b", re.I)
BASE_AFTER = re.compile(r"^\s+(air ?base|base|airport|airfield)\b", re.I)
# "X, Y": Y a state or country containing X
COMMA_AFTER = re.compile(r"^,\s*")
#: What a list of places says its members are: "states including Georgia, Oklahoma and California".
LIST_INTRO = re.compile(r"\b(states|provinces|governorates|countries|nations|cities|towns)"
                        r"(\s+(including|such as|like|of))?\s*:?\s*$", re.I)
LIST_INTRO_KINDS = {"states": {"admin1"}, "provinces": {"admin1"}, "governorates": {"admin1"},
                    "countries": {"country"}, "nations": {"country"}, "cities": {"city"}, "towns": {"city"}}
#: What separates the members of a list of places: "Georgia, Oklahoma, Pennsylvania, Wisconsin and California".
LIST_SEPARATOR = re.compile(r"\s*(,|,?\s+(and|or)\b)\s*", re.I)

# Weights of the evidence (tuned on the dev corpora; see benchmarks/ and `geomap eval`).
W_PRIOR = 1.0
W_COUNTRY = 0.35
W_ADMIN1 = 0.25
W_NEAR = 0.25
W_CUE = 0.4
W_LABEL = 0.08
W_EXACT = 0.25      # the name is the place's own main name, not one of its alternates
NEAR_KM = 400.0
W_COUNTRY_NAME = 0.25  # a country's own name: a bare "Jordan" among countries is the country
#: A curated name of a place of no country (the Atlantic, the Sahel): such a place earns nothing from the
#: article's countries, so a US town called Atlantic outscored the ocean in every US article.
W_CURATED_NO_COUNTRY = 0.45
#: Places listed together are of one kind: times the share of the other members read as the candidate's kind.
#: At 0.3, with 30 candidates a name, "Washington" among sixteen states read as Washington, New Jersey.
W_LIST = 0.45
#: The Y of "X, Y" that has a place called X: more than a country's own name, for "Athens, Georgia" is the
#: state (the country has no Athens).
W_CONTAINS = W_CUE + W_COUNTRY_NAME
#: A candidate with places of the article's other names near it, times the number of such names (at most 2):
#: "Swansea" by "Pelion" is Swansea, South Carolina, "Edmonton" by "Tottenham" the one in north London.
#: 0.15 gains LGL more (0.863) but loses GWN and GeoVirus 2-4 places each.
W_COLOCATED = 0.1
COLOCATED_KM = 25.0
#: The matches of a name as written: the place's own name or a curated one, not an alternate, variant or typo.
AS_WRITTEN = frozenset({"exact", "curated"})
#: Kinds of place near everything, which no co-location speaks for.
WIDE_KINDS = frozenset({"country", "continent", "region", "water"})
#: The matches of a candidate that speak for the places near it (a fuzzy match is no evidence of anything).
SPEAKING_MATCHES = frozenset({"exact", "curated", "folded"})
#: The matches of a name that is not written as any place's name: a transliteration variant or a typo. On the
#: dev corpora, 3 of the 177 mentions read this way were the place meant ("Halliburton" read as Halberton,
#: England, "Kampungu" as Flying Fish Cove): such a reading needs the article's other places near it, or the
#: mention stays unresolved rather than put a marker where no place was meant.
LOOSE_MATCHES = frozenset({"variant", "fuzzy"})
#: How near the article's places a place read from a misspelling must lie: a locality's reach ("Qatraneh" 35 km
#: from Karak is Al Qatranah), not a region's ("Kiwanja" by Goma is not Kayanza, Burundi, 145 km off).
LOOSE_NEAR_KM = 100.0
#: The share of a list's members first read as one kind that makes it a list of that kind.
LIST_SAME_KIND = 0.75
#: The least a resolved mention counts for in what the article is about, however unsure its reading.
MIN_MENTION_WEIGHT = 0.2
#: The home region counts as one mention of it read with this confidence. Alone it decides ("Arlington" in a
#: Dallas paper is Arlington, Texas; "Richmond" in a London one is in London), and an article's own places
#: outweigh it ("Paris" by "Lyon"). At 0.5 "Dublin" in an Ohio paper was Dublin, Ohio, but a bare "Paris" in a
#: Dallas one was Paris, Texas, and "London" in a Toronto one London, Ontario, by "the British government"; at
#: 1.0 "London" in an Ohio paper was London, Ohio.
HOME_WEIGHT = 0.35
#: The name key the home region's evidence is filed under: no span's name has it, so none leaves it out.
HOME_KEY = "\0home"

LABEL_KINDS = {
    "GPE": {"country", "admin1", "admin2", "city", "region", "continent"},
    "LOC": {"region", "water", "river", "mountain", "desert", "island", "continent", "landmark", "country"},
    "FAC": {"airport", "base", "landmark", "camp"},
}


@dataclass(slots=True)
class Resolution:
    candidate: Candidate | None
    confidence: float
    candidates: tuple[Candidate, ...]


def _cue_kinds(text: str, start: int, end: int) -> tuple[set[str] | None, str | None]:
    """Kinds the words around a span call for, and a state/country code from "X, Y." when present."""
    after = text[end:end + 40]
    before = text[max(0, start - 40):start]
    found = state_after(text, end)
    state = found[2] if found else None
    if ADMIN_AFTER.match(after):
        return {"admin1", "admin2"}, state
    if STATE_BEFORE.search(before):
        return {"admin1"}, state
    if INCORPORATED_AFTER.match(after):
        return {"admin1"}, state
    if BASE_AFTER.match(after):
        return {"base", "airport"}, state
    if WATER_AFTER.match(after):
        return {"water", "river"}, state
    if CAMP_CONTEXT.match(after):
        return {"camp", "city"}, state
    if CITY_BEFORE.search(before) or CITY_AFTER.match(after):
        return {"city"}, state
    return None, state


def within_km(lats, lons, lat: float, lon: float, km: float):
    """Which of the points (numpy arrays of ``lats`` and ``lons`` in radians) lie within ``km`` of (``lat``,
    ``lon``), also in radians, on the great circle: a boolean array."""
    import numpy as np

    a = np.sin((lats - lat) / 2) ** 2 + math.cos(lat) * np.cos(lats) * np.sin((lons - lon) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0))) < km


def contains(container: Place, place: Place) -> bool:
    """Whether ``container`` is the country or first-level region of ``place`` (by their codes)."""
    if container.kind == "country":
        return place.country_code == container.country_code
    return container.kind == "admin1" and place.admin1 == container.admin1 and place is not container


def place_lists(text: str, spans: list) -> list[range]:
    """Runs of spans that list places ("Arizona, California, Colorado and Georgia"), as ranges of span indexes.

    A run of spans separated only by commas and "and"/"or" is a list when an "and"/"or" joins two of
    them, or it has four members or more: "Springfield, Illinois, USA" is a place and its containers.

    >>> from collections import namedtuple
    >>> S = namedtuple("S", "start end")
    >>> text = "Cases in Georgia, Oklahoma and Texas; Athens, Ga., too."
    >>> spans = [S(9, 16), S(18, 26), S(31, 36), S(38, 44), S(46, 49)]
    >>> place_lists(text, spans)
    [range(0, 3)]
    """
    lists = []
    start = 0
    joined = False
    for i in range(1, len(spans) + 1):
        gap = text[spans[i - 1].end:spans[i].start] if i < len(spans) else None
        separator = LIST_SEPARATOR.fullmatch(gap) if gap is not None else None
        if separator:
            joined |= separator.group(2) is not None
            continue
        if i - start >= 2 and (joined or i - start >= 4):
            lists.append(range(start, i))
        start, joined = i, False
    return lists


def colocated_names(names: dict[str, tuple[Candidate, ...]], km: float = COLOCATED_KM) -> dict[str, int]:
    """For each candidate (by place id) of each name, how many of the other names have a candidate near it.

    Near: within ``km`` of it; or, for a first-level region, in it, and for a place, the region it is in
    ("Melbourne" and "Victoria"). Only candidates that match their name as written (exact, curated or
    folded) speak for others; countries, continents, regions and seas are near everything and left out, and
    so is a name that is one of them as written.
    """
    import numpy as np

    points, regions = [], []
    for name, cands in names.items():
        if any(c.place.kind in WIDE_KINDS and c.match in AS_WRITTEN for c in cands):
            continue  # "China" among Texas towns is still the country, "Pacific" the ocean: no town gains
        for c in cands:
            if c.place.kind in WIDE_KINDS:
                continue
            (regions if c.place.kind == "admin1" else points).append((name, c))
    support: dict[str, set] = defaultdict(set)
    # a place and a first-level region it is in
    in_region: dict[str, set] = defaultdict(set)
    for name, c in points:
        if c.place.admin1 and c.match in SPEAKING_MATCHES:
            in_region[c.place.admin1].add(name)
    for name, c in regions:
        support[c.place.id] |= in_region.get(c.place.admin1, set()) - {name}
        if c.match in SPEAKING_MATCHES:
            for other, p in points:
                if other != name and p.place.admin1 == c.place.admin1:
                    support[p.place.id].add(name)
    # places near each other
    if len(points) >= 2:
        lat = np.radians([c.place.lat for _, c in points])
        lon = np.radians([c.place.lon for _, c in points])
        owners = [name for name, _ in points]
        speaks = np.array([c.match in SPEAKING_MATCHES for _, c in points])
        for i, (name, c) in enumerate(points):
            near = within_km(lat, lon, lat[i], lon[i], km) & speaks
            support[c.place.id].update(owners[j] for j in np.flatnonzero(near) if owners[j] != name)
    return {place_id: len(others) for place_id, others in support.items() if others}


@dataclass(slots=True)
class ArticleContext:
    """The countries and first-level regions an article's places were first read in, weighted, and each
    name's own share of the regions."""

    countries: Counter
    admins: Counter
    own_admins: dict[str, Counter]
    own_countries: dict[str, Counter]

    def admins_without(self, name: str | None) -> Counter:
        """The regions of the article's other names."""
        return _without(self.admins, self.own_admins, name)

    def countries_without(self, name: str | None) -> Counter:
        """The countries of the article's other names."""
        return _without(self.countries, self.own_countries, name)


def _without(total: Counter, own: dict[str, Counter], name: str | None) -> Counter:
    """``total`` less the share of one name (``own[name]``), when it has one."""
    return total - own[name] if name in own else total


def _country_or_province(cands) -> bool:
    """Whether a name is, as written, both a country and a first-level region of another country."""
    written = [c.place for c in cands if c.match in AS_WRITTEN and c.place.kind in ("country", "admin1")]
    return any(p.kind == "country" for p in written) and any(
        p.kind == "admin1" and p.country_code not in {q.country_code for q in written if q.kind == "country"}
        for p in written)


def _near_others(place: Place, points: "ContextPoints | None") -> bool:
    """Whether the article's other places (misspellings aside) lie within :data:`LOOSE_NEAR_KM` of a place."""
    return (points is not None and place.kind not in WIDE_KINDS
            and points.weight_near(place.lat, place.lon, LOOSE_NEAR_KM) > 0)


class ContextPoints:
    """The article's resolved places as arrays, for "how much of the article lies near here" in one pass."""

    def __init__(self, weights: dict[tuple[float, float, str], float]):
        import numpy as np

        self.lat = np.radians([k[0] for k in weights])
        self.lon = np.radians([k[1] for k in weights])
        self.keys = np.array([k[2] for k in weights], dtype=object)
        self.weights = np.array(list(weights.values()))

    def weight_near(self, lat: float, lon: float, km: float, exclude: str | None = None) -> float:
        """The summed weight of the places within ``km`` (great circle) of a point, ``exclude`` left out."""
        within = within_km(self.lat, self.lon, math.radians(lat), math.radians(lon), km)
        if exclude is not None:
            within &= self.keys != exclude
        return float(self.weights[within].sum())


#: How many places of a name the resolver weighs. A small town's namesakes are many (Windsor, Troy, Richland):
#: at 12, the one in the state the article names was often not among them (WikToR acc161_all 0.555; 0.600 at 30,
#: the same at 40 and 60; the news corpora gained or held).
CANDIDATES = 30


class Resolver:
    """Ranks gazetteer candidates for the spans of one article at a time."""

    def __init__(self, gazetteer, *, candidates: int = CANDIDATES, demonyms: bool = False,
                 home: Place | None = None):
        self.gaz = gazetteer
        self.limit = candidates
        self.demonyms = demonyms
        self.home = home
        # the home region, as one more reading of the article's (see HOME_WEIGHT)
        self._home_pick = [(Candidate(home, HOME_WEIGHT, home.name, "exact"), HOME_WEIGHT)] if home else []

    def candidates_for(self, surface: str, label: str | None) -> tuple[Candidate, ...]:
        demonyms = self.demonyms or label == "NORP"
        cands = self.gaz.lookup(surface, limit=self.limit, fuzzy=label is not None, demonyms=demonyms)
        if demonyms and singular(surface) != surface and all(c.match in LOOSE_MATCHES for c in cands):
            # "Russians": the plural of a demonym, which the gazetteer lists in the singular
            cands = self.gaz.lookup(singular(surface), limit=self.limit, fuzzy=False, demonyms=True) or cands
        if label == "NORP" and any(c.match == "demonym" for c in cands):
            # the model read "Canadian" as a nationality: Canada, never Canadian, Texas
            cands = [c for c in cands if c.match == "demonym"]
        return tuple(cands)

    def state_candidates(self, code: str) -> tuple[Candidate, ...]:
        """The US state a news-style abbreviation stands for ("Ga." -> Georgia), as its only candidate."""
        return tuple(us_state(self.gaz, code))

    def resolve(self, text: str, spans: list) -> list[Resolution]:
        """Resolve spans (objects with start, end, text, label) of one text, in order."""
        codes = [state_before_comma(text, s.start, s.end) for s in spans]   # "Athens, [Ga.]"
        cands = [self.state_candidates(code) if code else self.candidates_for(s.text, getattr(s, "label", None))
                 for s, code in zip(spans, codes)]
        cues = [(*_cue_kinds(text, s.start, s.end), getattr(s, "label", None)) for s in spans]
        for members in place_lists(text, spans):
            intro = LIST_INTRO.search(text, max(0, spans[members[0]].start - 40), spans[members[0]].start)
            if intro:  # "states including Georgia, ... and California": each member is of that kind
                kinds = LIST_INTRO_KINDS[intro.group(1).lower()]
                for i in members:
                    cues[i] = (cues[i][0] or kinds, *cues[i][1:])
        # A surface with the same cues resolves the same way wherever it occurs: rank it once (long articles
        # name the same places hundreds of times).
        keys = [(s.text, code, frozenset(kinds or ()), state, label)
                for s, code, (kinds, state, label) in zip(spans, codes, cues)]
        # pass 1: the prior alone, to learn what the article is about
        ranked: dict = {}
        for key, c, cue in zip(keys, cands, cues):
            if key not in ranked:
                ranked[key] = self._best(c, cue, None, None, None)
        first = [ranked[key] for key in keys]
        context, points = self._context(first, [name_key(s.text) for s in spans])
        support = colocated_names({name_key(s.text): c for s, c in zip(spans, cands)})
        # lists of places of one kind ("Georgia, Oklahoma and Texas"): not "Louisville and Lexington, Kentucky,
        # Nashville, Tennessee", which lists places with their states
        first_kinds = [pick.place.kind if pick else None for pick, _ in first]
        lists = [members for members in place_lists(text, spans)
                 if Counter(first_kinds[i] for i in members).most_common(1)[0][1] >= LIST_SAME_KIND * len(members)]
        listed = {i for members in lists for i in members}
        # comma-linked containers: "Athens, Ga." or "Mayadin, Syria" (the next span right after a comma), but
        # not the next member of a list
        containers: dict[int, int] = {}
        for i in range(len(spans) - 1):
            gap = text[spans[i].end:spans[i + 1].start]
            if re.fullmatch(r",\s*", gap) and i not in listed:
                containers[i] = i + 1
        # what a container contains: "Atlanta, Georgia" is the state, which has an Atlanta, not the country
        contents = {j: i for i, j in containers.items()}
        container_picks = {j: self._best(cands[j], cues[j], None, None, None, contents=cands[i])[0]
                           for j, i in contents.items()}
        # the kinds the other members of a span's list were first read as: {kind: share}
        list_kinds: dict[int, tuple] = {}
        for members in lists:
            kinds = [first_kinds[j] for j in members]
            for n, i in enumerate(members):
                others = Counter(kinds[:n] + kinds[n + 1:])
                list_kinds[i] = tuple(sorted((k, v / (len(members) - 1)) for k, v in others.items() if k))
        # pass 2: with the article's countries, regions and places
        ranked = {}
        result = []
        for i, (key, c, cue) in enumerate(zip(keys, cands, cues)):
            container = container_picks.get(containers[i]) if i in containers else None
            listed_with = list_kinds.get(i, ())
            contained = contents.get(i)
            full_key = (key, container.place.id if container else None, listed_with,
                        keys[contained] if contained is not None else None)
            if full_key not in ranked:
                ranked[full_key] = self._best(c, cue, context, points, container,
                                              exclude=name_key(spans[i].text), listed_with=dict(listed_with),
                                              contents=cands[contained] if contained is not None else (),
                                              support=support)
            best, conf = ranked[full_key]
            result.append(Resolution(best, conf, c))
        # one place per name per article: every bare mention of a name takes its most confident resolution,
        # and before any, that of its first mention when its neighbours explain it: a list of its kind ("states
        # including Georgia, ... and California") or its container ("Athens, Ga.") say more than a later bare
        # "California". A mention with its container keeps its own reading: "Lowell, a city in North Carolina
        # ... named after Lowell, Massachusetts"
        by_key: dict[str, Resolution] = {}
        weight: dict[str, tuple[bool, float]] = {}
        first: set[str] = set()
        for i, (s, r) in enumerate(zip(spans, result)):
            k = name_key(s.text)
            explained = k not in first and (i in list_kinds or i in containers or i in contents)
            first.add(k)
            evidence = (explained, r.confidence)
            if r.candidate and (k not in by_key or evidence > weight[k]):
                by_key[k], weight[k] = r, evidence
        final = []
        for i, (s, r) in enumerate(zip(spans, result)):
            k = name_key(s.text)
            final.append(by_key[k] if k in by_key and not cues[i][0] and i not in containers else r)
        return final

    def _context(self, picks, names: list[str]) -> tuple["ArticleContext", "ContextPoints | None"]:
        """What the article is about, from the first reading of each of its spans (``names``: their name keys)."""
        # a name speaks for its country and region once, however often it is said: "Dublin Arts Council" twelve
        # times is not twelve votes for Ireland against the article's one "Ohio"
        own_admins: dict[str, Counter] = defaultdict(Counter)
        own_countries: dict[str, Counter] = defaultdict(Counter)
        weights: Counter = Counter()      # one point per place, its mentions' weights summed
        home = self._home_pick
        for (cand, conf), name in zip(picks + home, names + [HOME_KEY] * len(home)):
            if cand is None:
                continue
            p = cand.place
            w = max(conf, MIN_MENTION_WEIGHT)
            if p.country_code:
                share = w * (1.5 if p.kind == "country" else 1.0)
                own_countries[name][p.country_code] = max(own_countries[name][p.country_code], share)
            if p.admin1:
                own_admins[name][p.admin1] = max(own_admins[name][p.admin1], w)
            if p.kind not in WIDE_KINDS and cand.match not in LOOSE_MATCHES:  # no misspelling supports itself
                weights[(p.lat, p.lon, name_key(p.name))] += w
        countries, admins = sum(own_countries.values(), Counter()), sum(own_admins.values(), Counter())
        return (ArticleContext(countries, admins, dict(own_admins), dict(own_countries)),
                ContextPoints(weights) if weights else None)

    def _best(self, cands, cue, context, points, container, exclude: str | None = None,
              listed_with: dict[str, float] | None = None, contents: tuple[Candidate, ...] = (),
              support: dict[str, int] | None = None):
        if not cands:
            return None, 0.0
        cue_kinds, state, label = cue
        scored = []
        # the regions of the rest of the article: a name mentioned six times does not make its own first
        # reading (Paris, France) the region an article about Paris, Texas is in. Its country still counts, once
        # (with it left out, "Paris" by "New York" was Paris, Texas). A country or province named is what the
        # article is about: its name counts ("China" among Texas towns, "Ontario" by Toronto and Buffalo)
        names_division = any(c.place.kind in ("country", "admin1") and c.match in AS_WRITTEN for c in cands)
        if context is None:
            countries, admins = Counter(), Counter()
        else:
            # a name that is a country and another country's province ("Georgia") is no evidence of its country
            countries = context.countries_without(exclude) if _country_or_province(cands) else context.countries
            admins = context.admins if names_division else context.admins_without(exclude)
        total_c, total_a = sum(countries.values()), sum(admins.values())
        for c in cands:
            p = c.place
            if c.match in LOOSE_MATCHES and context is not None and not _near_others(p, points):
                continue  # a misspelling of a place far from the article's others is not what it meant
            # with demonyms asked for, "Canadian" is written as Canada's adjective, as surely as Canadian (Texas)
            as_written = c.match in AS_WRITTEN or (c.match == "demonym" and self.demonyms)
            s = W_PRIOR * c.score + (W_EXACT if as_written else 0.0)
            if label in LABEL_KINDS and p.kind in LABEL_KINDS[label]:
                s += W_LABEL
            if c.match == "curated" and not p.country_code:
                s += W_CURATED_NO_COUNTRY
            if support:
                s += W_COLOCATED * min(2, support.get(p.id, 0))
            if listed_with:
                s += W_LIST * listed_with.get(p.kind, 0.0)
            if p.kind == "country" and c.match in AS_WRITTEN:
                s += W_COUNTRY_NAME   # "China" among Texas towns is still the country
            if cue_kinds:
                s += W_CUE if p.kind in cue_kinds else -W_CUE / 2
            if state:
                s += W_CUE if (p.country_code == "US" and p.admin1 == f"US.{state}") else -W_CUE / 2
            if container is not None and contains(container.place, p):
                s += W_CUE
            if contents and any(contains(p, content.place) for content in contents):
                s += W_CONTAINS  # the Y of "X, Y" that has an X
            if total_c:
                s += W_COUNTRY * countries.get(p.country_code, 0) / total_c
            if total_a and p.admin1:
                s += W_ADMIN1 * admins.get(p.admin1, 0) / total_a
            if points is not None and p.kind not in WIDE_KINDS:
                near = points.weight_near(p.lat, p.lon, NEAR_KM, exclude)
                if near:
                    s += W_NEAR * min(1.0, near / 3)
            scored.append((s, c))
        if not scored:
            return None, 0.0
        scored.sort(key=lambda t: (-t[0], -t[1].place.population, t[1].place.id))
        top_s, top = scored[0]
        margin = top_s - scored[1][0] if len(scored) > 1 else 0.5
        conf = max(0.05, min(1.0, top.score * (0.6 + 0.4 * min(1.0, margin / 0.15))))
        return top, conf

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

Each piece of evidence is one function below (``*_evidence``, :func:`surrounding_cue`,
:func:`colocated_names`, :func:`article_regions`...), weighed by a field of :class:`ResolutionWeights`
(:mod:`geomap.text.weights`, where each value's reason is); :meth:`Resolver.score` sums them. Every resolved
mention gets a confidence (:func:`reading_confidence`); spans with no candidate stay unresolved.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from gazetteer.division_abbreviations import us_state
from gazetteer.geodesy import within_km
from gazetteer.normalize import DIVISION_WORDS, SETTLEMENT_WORDS, name_key
from gazetteer.place import Candidate, Place
from geomap.text.recognize import REFERENCE_SOURCE, singular
from geomap.text.state_abbreviations import state_after, state_before_comma
from geomap.text.weights import ResolutionWeights

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
#: What a list of places says its members are: "states including Georgia, Oklahoma and California".
LIST_INTRO = re.compile(r"\b(states|provinces|governorates|countries|nations|cities|towns)"
                        r"(\s+(including|such as|like|of))?\s*:?\s*$", re.I)
LIST_INTRO_KINDS = {"states": {"admin1"}, "provinces": {"admin1"}, "governorates": {"admin1"},
                    "countries": {"country"}, "nations": {"country"}, "cities": {"city"}, "towns": {"city"}}
#: What separates the members of a list of places: "Georgia, Oklahoma, Pennsylvania, Wisconsin and California".
LIST_SEPARATOR = re.compile(r"\s*(,|,?\s+(and|or)\b)\s*", re.I)
#: How far before a list its introduction may start, in characters.
LIST_INTRO_REACH = 40

#: The kinds a division's generic word ("governorate", "oblast", "county") calls for.
DIVISION_KINDS = frozenset({"admin1", "admin2"})
#: The kinds of water a name may be: "Red Sea" is one before it is Sudan's state.
WATER_KINDS = frozenset({"water", "river"})
#: "the Red Sea governor": a word after a name that says it is a division's, besides the division words.
GOVERNOR_AFTER = re.compile(r"\s+(?:governor|governors|governorship)\b", re.I)
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
#: The name key the home region's evidence is filed under: no span's name has it, so none leaves it out.
HOME_KEY = "\0home"

LABEL_KINDS = {
    "GPE": {"country", "admin1", "admin2", "city", "region", "continent"},
    "LOC": {"region", "water", "river", "mountain", "desert", "island", "continent", "landmark", "country"},
    "FAC": {"airport", "base", "landmark", "camp"},
}


#: How many characters around a span its cue words may occupy ("the border town of", "governorate").
CUE_REACH = 40


@dataclass(slots=True)
class Resolution:
    """A span's reading: the chosen candidate (None when unresolved), its confidence, and all candidates."""

    candidate: Candidate | None
    confidence: float
    candidates: tuple[Candidate, ...]


# --------------------------------------------------------------------------- evidence in the words around a name

def surrounding_cue(text: str, start: int, end: int) -> tuple[set[str] | None, str | None]:
    """The kinds of place the words around a span call for, and a US state's code from "X, Ga." when present.

    "Idlib province", "the state of Victoria", "a Delaware corporation" call for a first-level division,
    "Ramon airbase" for a base, "the Jordan river" for water, "Jabalia camp" for a camp, "the port of Aqaba"
    for a town. "the province of X" calls for nothing: Peru's provinces are missing from the gazetteer and
    "Trujillo" read as Venezuela's state.

    >>> text = "Fighting in Idlib province and near the town of Saraqib, Macon, Ga."
    >>> sorted(surrounding_cue(text, 12, 17)[0]), surrounding_cue(text, 48, 55), surrounding_cue(text, 57, 62)
    (['admin1', 'admin2'], ({'city'}, None), (None, 'GA'))
    """
    after = text[end:end + CUE_REACH]
    before = text[max(0, start - CUE_REACH):start]
    found = state_after(text, end)
    state = found[2] if found else None
    if division_word_after(text, end):
        return {"admin1", "admin2"}, state
    if STATE_BEFORE.search(before) or INCORPORATED_AFTER.match(after):
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


def division_word_after(text: str, end: int) -> str | None:
    """The generic word of a division right after a name ("Mahra governorate", "Kherson oblast"), or None.

    >>> text = "Clashes in Shabwa governorate and in Aden."
    >>> division_word_after(text, text.index(" governorate")), division_word_after(text, len(text) - 1)
    ('governorate', None)
    """
    m = ADMIN_AFTER.match(text[end:end + CUE_REACH])
    return m.group(1) if m else None


def water_or_division(cands: tuple[Candidate, ...], division_cued: bool) -> tuple[Candidate, ...]:
    """A name that is, as written, both a water body and a division ("Red Sea", Sudan's state) is the water
    body unless the text cues the division (``division_cued``: "Red Sea state", "the Red Sea governor").

    >>> sea = Candidate(Place("w", "Red Sea", "water", 20.0, 38.0), 0.9, "Red Sea", "curated")
    >>> state = Candidate(Place("s", "Red Sea", "admin1", 20.0, 36.0, "SD"), 0.7, "Red Sea", "exact")
    >>> [c.place.kind for c in water_or_division((state, sea), False)], len(water_or_division((state, sea), True))
    (['water'], 2)
    """
    written = {c.place.kind for c in cands if c.match in AS_WRITTEN}
    if division_cued or not (written & WATER_KINDS and written & DIVISION_KINDS):
        return cands
    return tuple(c for c in cands if c.place.kind not in DIVISION_KINDS)


def list_intro_kinds(text: str, start: int) -> set[str] | None:
    """The kind of place the words introducing a list starting at ``start`` name: "states including ...".

    >>> text = "Snow fell in states such as Iowa, Ohio and Maine."
    >>> list_intro_kinds(text, text.index("Iowa")), list_intro_kinds(text, text.index("Ohio"))
    ({'admin1'}, None)
    """
    intro = LIST_INTRO.search(text, max(0, start - LIST_INTRO_REACH), start)
    return LIST_INTRO_KINDS[intro.group(1).lower()] if intro else None


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


def kind_lists(lists: list[range], first_kinds: list[str | None], w: ResolutionWeights) -> list[range]:
    """The lists of places of one kind: those whose members were first read mostly as one kind
    (:attr:`~ResolutionWeights.list_same_kind`). "Louisville and Lexington, Kentucky, Nashville, Tennessee"
    lists towns with their states, and is none.

    >>> w = ResolutionWeights()
    >>> kind_lists([range(0, 3), range(3, 7)], ["admin1"] * 3 + ["city", "admin1", "city", "admin1"], w)
    [range(0, 3)]
    """
    return [members for members in lists
            if Counter(first_kinds[i] for i in members).most_common(1)[0][1] >= w.list_same_kind * len(members)]


def listed_kinds(lists: list[range], first_kinds: list[str | None]) -> dict[int, tuple[tuple[str, float], ...]]:
    """For each member of a list, the kinds its other members were first read as, with their shares.

    >>> listed_kinds([range(0, 3)], ["admin1", "admin1", "city"])[2]
    (('admin1', 1.0),)
    """
    out = {}
    for members in lists:
        kinds = [first_kinds[j] for j in members]
        for n, i in enumerate(members):
            others = Counter(kinds[:n] + kinds[n + 1:])
            out[i] = tuple(sorted((k, v / (len(members) - 1)) for k, v in others.items() if k))
    return out


def comma_containers(text: str, spans: list, listed: set[int]) -> dict[int, int]:
    """The "X, Y" pairs, as X's index -> Y's: the next span right after a comma ("Athens, Ga.", "Mayadin,
    Syria"), unless X is a member of a list (the next member is no container).

    >>> from collections import namedtuple
    >>> S = namedtuple("S", "start end")
    >>> comma_containers("Dayton, Ohio and Erie", [S(0, 6), S(8, 12), S(17, 21)], set())
    {0: 1}
    """
    containers = {}
    for i in range(len(spans) - 1):
        gap = text[spans[i].end:spans[i + 1].start]
        if re.fullmatch(r",\s*", gap) and i not in listed:
            containers[i] = i + 1
    return containers


def one_reading_per_name(names: list[str], readings: list[Resolution], explained: set[int],
                         keeps_own: set[int]) -> list[Resolution]:
    """One place per name per article: every bare mention of a name takes the name's most confident reading.

    Before any, a name takes the reading of its first mention when its neighbours explain it (``explained``:
    a member of a list of its kind, "states including Georgia, ... and California", or one side of an "X,
    Y"), which says more than a later bare "California". A mention with its own cue or container
    (``keeps_own``) keeps its own reading: "Lowell, a city in North Carolina ... named after Lowell,
    Massachusetts".

    >>> low, high = Resolution("A", 0.4, ()), Resolution("B", 0.9, ())
    >>> [r.candidate for r in one_reading_per_name(["x", "x"], [low, high], set(), set())]
    ['B', 'B']
    >>> [r.candidate for r in one_reading_per_name(["x", "x"], [low, high], {0}, set())]
    ['A', 'A']
    """
    best: dict[str, Resolution] = {}
    weight: dict[str, tuple[bool, float]] = {}
    seen: set[str] = set()
    for i, (k, r) in enumerate(zip(names, readings)):
        evidence = (k not in seen and i in explained, r.confidence)
        seen.add(k)
        if r.candidate and (k not in best or evidence > weight[k]):
            best[k], weight[k] = r, evidence
    return [best[k] if k in best and i not in keeps_own else r for i, (k, r) in enumerate(zip(names, readings))]


#: Countries that are kingdoms and emirates, for "the kingdom" and "the emirate" (Wikipedia: List of current
#: monarchies).
KINGDOMS = frozenset({"SA", "JO", "MA", "BH", "GB", "ES", "NL", "BE", "SE", "NO", "DK", "TH", "KH", "BT", "LS", "SZ",
                      "TO"})
EMIRATES = frozenset({"AE", "QA", "KW"})
#: The island countries short forms mean ("the island" after Taiwan, Cyprus...).
ISLAND_COUNTRIES = frozenset({"TW", "CY", "MT", "LK", "CU", "IS", "IE", "JM", "MG", "SG", "BH", "HT", "DO"})
#: The peninsulas a bare "the peninsula" refers back to, by name key, besides names with "peninsula" in them.
PENINSULAS = frozenset({"crimea", "sinai", "korea", "north korea", "south korea", "gallipoli"})


def fits_reference(word: str, place: Place) -> bool:
    """Whether a short form ("Strip", "kingdom", "peninsula", "island", "emirate", "enclave", "republic")
    may stand for ``place``: a place of the right kind.

    >>> fits_reference("Strip", Place("g", "Gaza Strip", "region", 31.4, 34.4, "PS"))
    True
    >>> fits_reference("kingdom", Place("s", "Saudi Arabia", "country", 24.0, 45.0, "SA"))
    True
    >>> fits_reference("kingdom", Place("y", "Yemen", "country", 15.5, 48.0, "YE"))
    False
    """
    word, key = word.lower(), name_key(place.name)
    if word in ("strip", "peninsula"):
        return word in key or (word == "peninsula" and key in PENINSULAS)
    if word == "enclave":
        return place.kind in ("region", "city", "admin1", "admin2")
    if word == "island":
        return place.kind == "island" or (place.kind == "country" and place.country_code in ISLAND_COUNTRIES)
    codes = {"kingdom": KINGDOMS, "emirate": EMIRATES}.get(word)
    return place.kind == "country" and (codes is None or place.country_code in codes)


def referent(spans: list, readings: list[Resolution], i: int) -> Resolution:
    """The reading of a short form (span ``i``): that of the most recent preceding place of a fitting kind
    (:func:`fits_reference`), or none.

    >>> from collections import namedtuple
    >>> S = namedtuple("S", "text source")
    >>> gaza = Candidate(Place("g", "Gaza Strip", "region", 31.4, 34.4, "PS"), 0.9, "Gaza Strip", "exact")
    >>> spans = [S("Gaza Strip", "ner"), S("Strip", "reference")]
    >>> referent(spans, [Resolution(gaza, 0.9, (gaza,)), Resolution(None, 0.0, ())], 1).candidate.place.name
    'Gaza Strip'
    """
    for j in range(i - 1, -1, -1):
        cand = readings[j].candidate
        if spans[j].source != REFERENCE_SOURCE and cand is not None and fits_reference(spans[i].text, cand.place):
            return readings[j]
    return Resolution(None, 0.0, ())


# --------------------------------------------------------------------------- spatial coherence between names

def colocated_names(names: dict[str, tuple[Candidate, ...]], km: float) -> dict[str, int]:
    """For each candidate (by place id) of each name, how many of the other names have a candidate near it.

    Near: within ``km`` of it; or, for a first-level region, in it, and for a place, the region it is in
    ("Melbourne" and "Victoria"). Only candidates that match their name as written (exact, curated or
    folded) speak for others; countries, continents, regions and seas are near everything and left out, and
    so is a name that is one of them as written.
    """
    points, regions = _colocation_candidates(names)
    support: dict[str, set] = defaultdict(set)
    for found in (_support_within_regions(points, regions), _support_nearby(points, km)):
        for place_id, others in found.items():
            support[place_id] |= others
    return {place_id: len(others) for place_id, others in support.items() if others}


def _colocation_candidates(names: dict[str, tuple[Candidate, ...]]) -> tuple[list, list]:
    """The (name, candidate) pairs that co-location weighs: places (points) and first-level regions."""
    points, regions = [], []
    for name, cands in names.items():
        if any(c.place.kind in WIDE_KINDS and c.match in AS_WRITTEN for c in cands):
            continue  # "China" among Texas towns is still the country, "Pacific" the ocean: no town gains
        for c in cands:
            if c.place.kind not in WIDE_KINDS:
                (regions if c.place.kind == "admin1" else points).append((name, c))
    return points, regions


def _support_within_regions(points: list, regions: list) -> dict[str, set]:
    """A region supported by the names of places in it, and a place by the names of its region."""
    support: dict[str, set] = defaultdict(set)
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
    return support


def _support_nearby(points: list, km: float) -> dict[str, set]:
    """A place supported by the names with a place within ``km`` of it."""
    import numpy as np

    support: dict[str, set] = defaultdict(set)
    if len(points) < 2:
        return support
    lat = np.array([c.place.lat for _, c in points])
    lon = np.array([c.place.lon for _, c in points])
    owners = [name for name, _ in points]
    speaks = np.array([c.match in SPEAKING_MATCHES for _, c in points])
    for i, (name, c) in enumerate(points):
        near = within_km(lat, lon, lat[i], lon[i], km) & speaks
        support[c.place.id].update(owners[j] for j in np.flatnonzero(near) if owners[j] != name)
    return support


# --------------------------------------------------------------------------- what the article is about

@dataclass(slots=True)
class ArticleRegions:
    """The countries and first-level regions an article's places were first read in, weighted, and each
    name's own share of them (not to be confused with the claims' :class:`geomap.claims.ArticleContext`,
    an article's sentences and mentions indexed for claim extraction)."""

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


def regions_for(cands, regions: ArticleRegions | None, name: str | None) -> tuple[Counter, Counter]:
    """The article's countries and regions as evidence for the candidates of one name.

    The regions of the rest of the article: a name mentioned six times does not make its own first reading
    (Paris, France) the region an article about Paris, Texas is in. Its country still counts, once (with it
    left out, "Paris" by "New York" was Paris, Texas), unless the name is a country and another country's
    province ("Georgia"), which is no evidence of its country. A country or province named is what the
    article is about: its name counts ("China" among Texas towns, "Ontario" by Toronto and Buffalo).
    """
    if regions is None:
        return Counter(), Counter()
    names_division = any(c.place.kind in ("country", "admin1") and c.match in AS_WRITTEN for c in cands)
    countries = regions.countries_without(name) if _country_or_province(cands) else regions.countries
    admins = regions.admins if names_division else regions.admins_without(name)
    return countries, admins


class ContextPoints:
    """The article's resolved places as arrays, for "how much of the article lies near here" in one pass."""

    def __init__(self, weights: dict[tuple[float, float, str], float]):
        import numpy as np

        self.lat = np.array([k[0] for k in weights])
        self.lon = np.array([k[1] for k in weights])
        self.keys = np.array([k[2] for k in weights], dtype=object)
        self.weights = np.array(list(weights.values()))

    def weight_near(self, lat: float, lon: float, km: float, exclude: str | None = None) -> float:
        """The summed weight of the places within ``km`` (WGS84) of a point, ``exclude`` left out."""
        within = within_km(self.lat, self.lon, lat, lon, km)
        if exclude is not None:
            within &= self.keys != exclude
        return float(self.weights[within].sum())


def home_reading(home: Place | None, w: ResolutionWeights) -> list[tuple[Candidate, float]]:
    """The home region as one more reading of every article's, with :attr:`~ResolutionWeights.home_weight`
    as its confidence (none without a home region)."""
    return [(Candidate(home, w.home_weight, home.name, "exact"), w.home_weight)] if home else []


def article_regions(readings: list[tuple[Candidate | None, float]], names: list[str], w: ResolutionWeights
                    ) -> tuple[ArticleRegions, ContextPoints | None]:
    """What an article is about, from the first reading of each of its spans (``names``: their name keys).

    A name speaks for its country and region once, however often it is said: "Dublin Arts Council" twelve
    times is not twelve votes for Ireland against the article's one "Ohio". Every reading counts for at least
    :attr:`~ResolutionWeights.min_mention_weight`, a country named for
    :attr:`~ResolutionWeights.country_named_share` times that; a reading from a misspelling places no point.
    """
    own_admins: dict[str, Counter] = defaultdict(Counter)
    own_countries: dict[str, Counter] = defaultdict(Counter)
    weights: Counter = Counter()      # one point per place, its mentions' weights summed
    for (cand, conf), name in zip(readings, names):
        if cand is None:
            continue
        p = cand.place
        weight = max(conf, w.min_mention_weight)
        if p.country_code:
            share = weight * (w.country_named_share if p.kind == "country" else 1.0)
            own_countries[name][p.country_code] = max(own_countries[name][p.country_code], share)
        if p.admin1:
            own_admins[name][p.admin1] = max(own_admins[name][p.admin1], weight)
        if p.kind not in WIDE_KINDS and cand.match not in LOOSE_MATCHES:  # no misspelling supports itself
            weights[(p.lat, p.lon, name_key(p.name))] += weight
    countries, admins = sum(own_countries.values(), Counter()), sum(own_admins.values(), Counter())
    return (ArticleRegions(countries, admins, dict(own_admins), dict(own_countries)),
            ContextPoints(weights) if weights else None)


# --------------------------------------------------------------------------- evidence for one candidate

@dataclass(slots=True)
class MentionEvidence:
    """What the text and the rest of the article say about one mention, for ranking its candidates.

    ``cue_kinds``, ``state``: :func:`surrounding_cue` (or a list's introduction); ``label``: the model's;
    ``container``: the chosen reading of the Y of "X, Y" for X; ``contents``: X's candidates for Y;
    ``listed_with``: :func:`listed_kinds`; ``support``: :func:`colocated_names`; ``countries``, ``admins``:
    :func:`regions_for`; ``points``: the article's places; ``name``: this mention's name key, left out of
    the proximity; ``in_article``: False in the first reading, before anything of the article is known;
    ``other_countries``: the countries of the article's other names.
    """

    cue_kinds: set[str] | frozenset | None = None
    state: str | None = None
    label: str | None = None
    container: Candidate | None = None
    contents: tuple[Candidate, ...] = ()
    listed_with: dict[str, float] = field(default_factory=dict)
    support: dict[str, int] | None = None
    countries: Counter = field(default_factory=Counter)
    admins: Counter = field(default_factory=Counter)
    points: ContextPoints | None = None
    name: str | None = None
    in_article: bool = False
    other_countries: Counter = field(default_factory=Counter)
    total_countries: float = 0
    total_admins: float = 0

    def __post_init__(self):
        self.total_countries = sum(self.countries.values())
        self.total_admins = sum(self.admins.values())


def prior_evidence(c: Candidate, demonyms: bool, w: ResolutionWeights) -> float:
    """The gazetteer's own ranking of the candidate, and a bonus when the name is written as the place's own.

    With demonyms counted, "Canadian" is written as Canada's adjective, as surely as Canadian, Texas's name.

    >>> from gazetteer.place import Place
    >>> p = Place("x", "Dover", "city", 51.1, 1.3, "GB")
    >>> prior_evidence(Candidate(p, 0.5, "Dover", "exact"), False, ResolutionWeights())
    0.75
    """
    as_written = c.match in AS_WRITTEN or (c.match == "demonym" and demonyms)
    return w.w_prior * c.score + (w.w_exact if as_written else 0.0)


def model_label_evidence(place: Place, label: str | None, w: ResolutionWeights) -> float:
    """A little for a candidate of a kind the model's label fits (GPE: a town or country; LOC: a region or
    water; FAC: a building or base)."""
    return w.w_label if label in LABEL_KINDS and place.kind in LABEL_KINDS[label] else 0.0


def curated_no_country_evidence(c: Candidate, w: ResolutionWeights) -> float:
    """A fixed credit for a curated name of a place of no country (the Atlantic, the Sahel), which earns
    nothing from the article's countries."""
    return w.w_curated_no_country if c.match == "curated" and not c.place.country_code else 0.0


def colocation_evidence(place: Place, support: dict[str, int] | None, w: ResolutionWeights) -> float:
    """Spatial coherence between names: the other names with a candidate near this one (at most
    :attr:`~ResolutionWeights.colocated_max_names` count; see :func:`colocated_names`)."""
    return w.w_colocated * min(w.colocated_max_names, support.get(place.id, 0)) if support else 0.0


def list_kind_evidence(place: Place, listed_with: dict[str, float], w: ResolutionWeights) -> float:
    """Places listed together are of one kind: the share of the list's other members read as this kind."""
    return w.w_list * listed_with.get(place.kind, 0.0) if listed_with else 0.0


def country_name_evidence(c: Candidate, w: ResolutionWeights) -> float:
    """A country's own name as written: a bare "Jordan" among countries is the country."""
    return w.w_country_name if c.place.kind == "country" and c.match in AS_WRITTEN else 0.0


def cue_kind_evidence(place: Place, cue_kinds, w: ResolutionWeights) -> float:
    """The kind the words around the name call for ("Idlib province"): gained when the candidate is of it,
    partly lost when not (:attr:`~ResolutionWeights.cue_mismatch`)."""
    if not cue_kinds:
        return 0.0
    return w.w_cue if place.kind in cue_kinds else -w.w_cue * w.cue_mismatch


def state_cue_evidence(place: Place, state: str | None, w: ResolutionWeights) -> float:
    """The US state written after the name ("Athens, Ga."): gained by a candidate in it, partly lost by
    the others."""
    if not state:
        return 0.0
    return w.w_cue if (place.country_code == "US" and place.admin1 == f"US.{state}") else -w.w_cue * w.cue_mismatch


def container_evidence(place: Place, container: Candidate | None, w: ResolutionWeights) -> float:
    """For X of "X, Y": a candidate in the place Y was read as."""
    return w.w_cue if container is not None and contains(container.place, place) else 0.0


def contents_evidence(place: Place, contents: tuple[Candidate, ...], w: ResolutionWeights) -> float:
    """For Y of "X, Y": a candidate that has a place called X ("Atlanta, Georgia" is the state)."""
    return w.w_contains if contents and any(contains(place, content.place) for content in contents) else 0.0


def country_share_evidence(place: Place, countries: Counter, total: float, w: ResolutionWeights) -> float:
    """The share of the article's reading in the candidate's country."""
    return w.w_country * countries.get(place.country_code, 0) / total if total else 0.0


def region_share_evidence(place: Place, admins: Counter, total: float, w: ResolutionWeights) -> float:
    """The share of the article's reading in the candidate's first-level region."""
    return w.w_admin1 * admins.get(place.admin1, 0) / total if total and place.admin1 else 0.0


def proximity_evidence(place: Place, points: ContextPoints | None, name: str | None, w: ResolutionWeights) -> float:
    """The article's other places within :attr:`~ResolutionWeights.near_km`, up to
    :attr:`~ResolutionWeights.near_saturation` of them (countries, regions and seas are near everything)."""
    if points is None or place.kind in WIDE_KINDS:
        return 0.0
    near = points.weight_near(place.lat, place.lon, w.near_km, name)
    return w.w_near * min(1.0, near / w.near_saturation) if near else 0.0


def loose_reading_allowed(place: Place, points: ContextPoints | None, w: ResolutionWeights) -> bool:
    """Whether a place read from a misspelling or transliteration variant lies near the article's other
    places (:attr:`~ResolutionWeights.loose_near_km`): else it is not what the writer meant."""
    return (points is not None and place.kind not in WIDE_KINDS
            and points.weight_near(place.lat, place.lon, w.loose_near_km) > 0)


def cued_division_allowed(place: Place, ev: MentionEvidence) -> bool:
    """Whether a division read from a loose spelling is what the text calls for: the words around the name
    call for its kind ("Mahra governorate" for Al Mahrah) and the article's other names are in its country.

    >>> from collections import Counter
    >>> p = Place("x", "Al Mahrah", "admin1", 17.0, 51.5, "YE")
    >>> ev = MentionEvidence({"admin1", "admin2"}, other_countries=Counter({"YE": 1.5}))
    >>> cued_division_allowed(p, ev), cued_division_allowed(p, MentionEvidence({"admin1"}))
    (True, False)
    """
    return (place.kind in DIVISION_KINDS and bool(ev.cue_kinds) and place.kind in ev.cue_kinds
            and ev.other_countries.get(place.country_code, 0) > 0)


def reading_confidence(scored: list[tuple[float, Candidate]], w: ResolutionWeights) -> float:
    """The confidence of the best of ``scored`` (sorted, best first): its prior, times its lead over the
    second (full from :attr:`~ResolutionWeights.confident_margin`).

    >>> from gazetteer.place import Place
    >>> c = Candidate(Place("x", "Dover", "city", 51.1, 1.3, "GB"), 0.8, "Dover", "exact")
    >>> reading_confidence([(1.2, c), (1.0, c)], ResolutionWeights())
    0.8
    """
    top_s, top = scored[0]
    margin = top_s - scored[1][0] if len(scored) > 1 else w.lone_candidate_margin
    lead = min(1.0, margin / w.confident_margin)
    return max(w.min_confidence, min(1.0, top.score * (w.confidence_base + (1.0 - w.confidence_base) * lead)))


# --------------------------------------------------------------------------- the resolver

class Resolver:
    """Ranks gazetteer candidates for the spans of one article at a time.

    Parameters
    ----------
    gazetteer : gazetteer.Gazetteer
    demonyms : bool
        Count adjectives of places ("Syrian") as written mentions of them.
    home : Place, optional
        Where the articles come from: what an article leaves open is read near it.
    weights : ResolutionWeights
        The weights of the evidence (:mod:`geomap.text.weights`).
    """

    def __init__(self, gazetteer, *, demonyms: bool = False, home: Place | None = None,
                 weights: ResolutionWeights = ResolutionWeights()):
        self.gaz = gazetteer
        self.demonyms = demonyms
        self.home = home
        self.weights = weights
        self._home_pick = home_reading(home, weights)

    def candidates_for(self, surface: str, label: str | None) -> tuple[Candidate, ...]:
        """The places a surface may name (:attr:`~ResolutionWeights.candidates` of them), best first."""
        limit = self.weights.candidates
        demonyms = self.demonyms or label == "NORP"
        cands = self.gaz.lookup(surface, limit=limit, fuzzy=label is not None, demonyms=demonyms)
        if demonyms and singular(surface) != surface and all(c.match in LOOSE_MATCHES for c in cands):
            # "Russians": the plural of a demonym, which the gazetteer lists in the singular
            cands = self.gaz.lookup(singular(surface), limit=limit, fuzzy=False, demonyms=True) or cands
        if label == "NORP" and any(c.match == "demonym" for c in cands):
            # the model read "Canadian" as a nationality: Canada, never Canadian, Texas
            cands = [c for c in cands if c.match == "demonym"]
        return tuple(cands)

    def division_candidates(self, surface: str, word: str, cands: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
        """A name followed by a division's generic word ("Mahra governorate"): the divisions the gazetteer
        finds for the whole first (a loose spelling only when it holds the name: "Al Mahrah"), then the name's
        own candidates; unless the name is a division's as written, or a place of the name lies in the
        division's country: then the cue ranks the name's own places."""
        if any(c.place.kind in DIVISION_KINDS and c.match in AS_WRITTEN for c in cands):
            return cands     # the name is a division's as written ("Linares" province): the cue ranks it
        key = name_key(surface)
        # a loose spelling of the whole only when it holds the name as written ("Al Mahrah" for "Mahra")
        found = [c for c in self.gaz.lookup(f"{surface} {word}", limit=self.weights.candidates)
                 if c.place.kind in DIVISION_KINDS and (c.match not in LOOSE_MATCHES or key in name_key(c.place.name))]
        # a town of the name in the division's country is what the name says ("Farrukhabad district"): the cue
        # ranks the name's own places
        own = {c.place.country_code for c in cands}
        found = [c for c in found if c.place.country_code not in own]
        ids = {c.place.id for c in found}
        return tuple(found) + tuple(c for c in cands if c.place.id not in ids)

    def _text_candidates(self, text: str, span, cands: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
        """A span's candidates as the words after it select them: a division's generic word looks up the
        whole ("Mahra governorate", :meth:`division_candidates`); without one, a water body goes before a
        division of its name (:func:`water_or_division`)."""
        word = division_word_after(text, span.end)
        if word:
            return self.division_candidates(span.text, word, cands)
        return water_or_division(cands, GOVERNOR_AFTER.match(text, span.end) is not None)

    def state_candidates(self, code: str) -> tuple[Candidate, ...]:
        """The US state a news-style abbreviation stands for ("Ga." -> Georgia), as its only candidate."""
        return tuple(us_state(self.gaz, code))

    def resolve(self, text: str, spans: list) -> list[Resolution]:
        """Resolve spans (objects with start, end, text, label) of one text, in order.

        First each span is read on its own evidence (prior, cues); that reading says what the article is
        about; then each is read again with the article's countries, regions and places, its list and its
        "X, Y" container; last, each name gets one reading (:func:`one_reading_per_name`).
        """
        codes = [state_before_comma(text, s.start, s.end) for s in spans]   # "Athens, [Ga.]"
        cands = [() if s.source == REFERENCE_SOURCE else self.state_candidates(code) if code
                 else self.candidates_for(s.text, getattr(s, "label", None)) for s, code in zip(spans, codes)]
        names = [name_key(s.text) for s in spans]
        for i, s in enumerate(spans):
            found = self._text_candidates(text, s, cands[i]) if not codes[i] else cands[i]
            if found[:1] != cands[i][:1] and division_word_after(text, s.end):
                # "Farrukhabad district" is another name than the town's: its reading is not the bare name's
                names[i] = name_key(f"{s.text} {division_word_after(text, s.end)}")
            cands[i] = found
        lists = place_lists(text, spans)
        cues = self._cues(text, spans, lists)
        # A surface with the same cues resolves the same way wherever it occurs: rank it once (long articles
        # name the same places hundreds of times).
        keys = [(s.text, code, frozenset(kinds or ()), state, label)
                for s, code, (kinds, state, label) in zip(spans, codes, cues)]
        first = self._first_reading(keys, cands, cues)
        first_kinds = [pick.place.kind if pick else None for pick, _ in first]
        lists = kind_lists(lists, first_kinds, self.weights)
        list_kinds = listed_kinds(lists, first_kinds)
        containers = comma_containers(text, spans, {i for members in lists for i in members})
        readings = self._second_reading(keys, cands, cues, names, first, containers, list_kinds)
        explained = set(list_kinds) | set(containers) | set(containers.values())
        keeps_own = {i for i, cue in enumerate(cues) if cue[0]} | set(containers)
        readings = one_reading_per_name(names, readings, explained, keeps_own)
        return [referent(spans, readings, i) if s.source == REFERENCE_SOURCE else r
                for i, (s, r) in enumerate(zip(spans, readings))]

    def _cues(self, text: str, spans: list, lists: list[range]) -> list[tuple]:
        """Each span's (cue kinds, state code, model label); a list's introduction cues its members' kind."""
        cues = [(*surrounding_cue(text, s.start, s.end), getattr(s, "label", None)) for s in spans]
        for members in lists:
            kinds = list_intro_kinds(text, spans[members[0]].start)
            if kinds:  # "states including Georgia, ... and California": each member is of that kind
                for i in members:
                    cues[i] = (cues[i][0] or kinds, *cues[i][1:])
        return cues

    def _first_reading(self, keys: list, cands: list, cues: list) -> list[tuple[Candidate | None, float]]:
        """Each span read on its own evidence, to learn what the article is about."""
        ranked: dict = {}
        for key, c, cue in zip(keys, cands, cues):
            if key not in ranked:
                ranked[key] = self.rank(c, MentionEvidence(*cue))
        return [ranked[key] for key in keys]

    def _second_reading(self, keys: list, cands: list, cues: list, names: list[str], first: list,
                        containers: dict[int, int], list_kinds: dict) -> list[Resolution]:
        """Each span read with the article's countries, regions and places, its list and its container."""
        regions, points = article_regions(first + self._home_pick, names + [HOME_KEY] * len(self._home_pick),
                                          self.weights)
        support = colocated_names(dict(zip(names, cands)), self.weights.colocated_km)
        # what a container contains: "Atlanta, Georgia" is the state, which has an Atlanta, not the country
        contents = {j: i for i, j in containers.items()}
        container_picks = {j: self.rank(cands[j], MentionEvidence(*cues[j], contents=cands[i]))[0]
                           for j, i in contents.items()}
        ranked: dict = {}
        result = []
        for i, (key, c, cue) in enumerate(zip(keys, cands, cues)):
            container = container_picks.get(containers[i]) if i in containers else None
            listed_with = list_kinds.get(i, ())
            contained = contents.get(i)
            full_key = (key, container.place.id if container else None, listed_with,
                        keys[contained] if contained is not None else None)
            if full_key not in ranked:
                countries, admins = regions_for(c, regions, names[i])
                evidence = MentionEvidence(*cue, container=container, listed_with=dict(listed_with),
                                           contents=cands[contained] if contained is not None else (),
                                           support=support, countries=countries, admins=admins, points=points,
                                           name=names[i], in_article=True,
                                           other_countries=regions.countries_without(names[i]))
                ranked[full_key] = self.rank(c, evidence)
            best, conf = ranked[full_key]
            result.append(Resolution(best, conf, c))
        return result

    def rank(self, cands: tuple[Candidate, ...], evidence: MentionEvidence) -> tuple[Candidate | None, float]:
        """The best candidate on the evidence, with its confidence; (None, 0.0) when there is none.

        In the article, a reading from a misspelling far from its other places is dropped
        (:func:`loose_reading_allowed`).
        """
        scored = [(self.score(c, evidence), c) for c in cands
                  if not (c.match in LOOSE_MATCHES and evidence.in_article
                          and not loose_reading_allowed(c.place, evidence.points, self.weights)
                          and not cued_division_allowed(c.place, evidence))]
        if not scored:
            return None, 0.0
        scored.sort(key=lambda t: (-t[0], -t[1].place.population, t[1].place.id))
        return scored[0][1], reading_confidence(scored, self.weights)

    def score(self, c: Candidate, ev: MentionEvidence) -> float:
        """A candidate's score: the sum of its evidence, each term weighed by :class:`ResolutionWeights`."""
        p, w = c.place, self.weights
        s = prior_evidence(c, self.demonyms, w)
        for term in (model_label_evidence(p, ev.label, w), curated_no_country_evidence(c, w),
                     colocation_evidence(p, ev.support, w), list_kind_evidence(p, ev.listed_with, w),
                     country_name_evidence(c, w), cue_kind_evidence(p, ev.cue_kinds, w),
                     state_cue_evidence(p, ev.state, w), container_evidence(p, ev.container, w),
                     contents_evidence(p, ev.contents, w),
                     country_share_evidence(p, ev.countries, ev.total_countries, w),
                     region_share_evidence(p, ev.admins, ev.total_admins, w),
                     proximity_evidence(p, ev.points, ev.name, w)):
            s += term
        return s

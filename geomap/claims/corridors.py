"""Corridor and route claims: corridors, land bridges, supply lines, smuggling and sea routes,
pipelines, crossings, evacuation corridors.

A claim is anchored on a route word ("the Iranian corridor", "a land bridge", "the Rafah
crossing", "by sea") or on a transport verb with cargo and at least two places ("weapons
smuggled from Iran through Iraq into Syria"). Its waypoints are the places after route
prepositions, ordered as the route runs: the "from" places, then "via/through/across/along"
places in text order, then the "to/into" places ("from Iraq to Syria via Albukamal" ->
Iraq, Albukamal, Syria). A route word with no place in its sentence borrows the places of a
neighbouring sentence that moves something ("smuggle rifles into Sinai" ... "by boat").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from geomap.claims import ArticleContext, claim_place
from geomap.claims.named_corridors import find_named_corridors
from geomap.claims.syntax import path_role
from geomap.model import ClaimPlace, CorridorClaim, Sentence

# (pattern, canonical kind), most specific first.
_KINDS = (
    (r"evacuation\s+(?:corridors?|routes?)", "evacuation corridor"),
    (r"humanitarian\s+(?:corridors?|routes?)", "humanitarian corridor"),
    (r"(?:maritime|sea|shipping|grain|naval)\s+(?:corridors?|routes?|lanes?)", "sea route"),
    (r"smuggling\s+(?:routes?|corridors?|tunnels?|lines?)", "smuggling route"),
    (r"(?:migration|migrant|refugee|Balkan|Mediterranean)\s+routes?", "migration route"),
    (r"supply\s+lines?", "supply line"),
    (r"(?:supply|logistics?|resupply)\s+(?:routes?|corridors?)", "supply route"),
    (r"land\s+bridges?", "land bridge"),
    (r"(?:land\s+)?corridors?", "corridor"),
    (r"(?:gas\s+|oil\s+)?pipelines?", "pipeline"),
    (r"(?:border\s+)?crossings?(?!\s+(?:into|the|over|of)\b)", "crossing"),
    (r"(?:trade|transit|overland|land|ferry|rail(?:way)?|road|air|trafficking)\s+routes?", "route"),
    (r"rail(?:way|road)?\s+(?:lines?|links?)|railways?|railroads?", "railway"),
    (r"highways?|motorways?|expressways?|roads?(?=\s+(?:from|between|linking|connecting)\b)", "highway"),
    (r"gaps?|trails?", "route"),
    (r"(?:segments?|sections?|stretch(?:es)?)(?=\s+(?:of\s+(?:the\s+)?(?:road|highway|railway|line)\s+)?from\b)",
     "route"),
    (r"routes?(?=\s+(?:from|between|through|via|linking|connecting|to|into|across)\b)", "route"),
    (r"by\s+(?:sea|ship|boat|ships|boats)", "sea route"),
)
#: Every route word of _KINDS contains one of these (a cheap test before the pattern).
_KIND_WORDS = ("corridor", "route", "line", "bridge", "pipeline", "crossing", "rail", "road", "highway", "motorway",
               "expressway", "gap", "trail", "segment", "section", "stretch", "by", "lane", "tunnel")
_GAP_RE = re.compile(r"gaps?|trails?", re.IGNORECASE)  # a route word only in a name ("the Darien Gap")
_KIND_RE = re.compile(
    "|".join(rf"(?P<k{i}>\b{pattern}\b)" for i, (pattern, _) in enumerate(_KINDS)), re.IGNORECASE
)

# Route prepositions, and the role they give the place after them (at most four words between).
_ROUTE_PREP_RE = re.compile(
    r"^.*\b(?P<prep>from|out\s+of|between|linking|links|link|connecting|connects|connect|to|into|towards?|"
    r"reaching|via|through|across|along|over|with|around(?=\s+the\b)|"
    # a stop on the way: "would land at Djibouti", "calling at Piraeus"
    r"(?:land|lands|landed|landing|arrive|arrives|arrived|arriving|stop|stops|stopped|stopping|call|calls|"
    r"called|calling|dock|docks|docked|docking)\s+(?:at|in))\s+(?:[\w'’-]+\s+){0,4}$",
    re.IGNORECASE | re.DOTALL,
)
_PREP_ROLES = {
    "from": "start", "out of": "start", "between": "pair", "linking": "pair", "links": "pair", "link": "pair",
    "connecting": "pair", "connects": "pair", "connect": "pair",
    "to": "end", "into": "end", "toward": "end", "towards": "end", "reaching": "end", "with": "end",
    "via": "via", "through": "via", "across": "via", "along": "via", "over": "via", "around": "via",
}
# Between two places of a list; an aside in parentheses or a name recognition missed may sit in it
# ("Busia (in Kenya) and Tororo, Mbale").
_LIST_GAP_RE = re.compile(
    r"^\s*(?:\([^()]*\)\s*)?(?:(?:,|and|or|-|–|—)\s*(?:the\s+)?(?:[A-Z][\w'’-]+\s*(?=,|and\b|or\b|[-–—]))?)+$")
_ASIDE_RE = re.compile(r"\s*\)")
# A named corridor stating its course: "the Kerch Strait, lying between Crimea and Russia, joins ...".
_LINKS_AFTER_RE = re.compile(r"[^.;]{0,60}?\b(?:links?|linking|connects?|connecting|joins?|runs?)\b", re.IGNORECASE)
_SUPPLIER_AFTER_RE = re.compile(
    # the present tense of a trade; "has sent aid to Zimbabwe" is one delivery
    r"\s+(?:\w+\s+)?(?:supplies|sends|ships|exports|smuggles|delivers|transfers|provides|funnels)\b"
    r"(?!\s+(?:by|from)\b)",
    re.IGNORECASE)
_AWAY_RE = re.compile(r"\baway\s+from\s+(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE)
_CONTAINER_GAP_RE = re.compile(r"^\s*(?:Port\s+|port\s+)?(?:in|,\s*in)\s+(?:the\s+)?$")
_POSSESSIVE_GAP_RE = re.compile(r"^\s*['’]s?\s+$")
_NEW_LEG_AFTER_RE = re.compile(r"\s+(?:Port\s+)?(?:to|into)\s", re.IGNORECASE)
_HYPHEN_GAP_RE = re.compile(r"^\s*[-–—/]\s*$")
# Words that make a place a path argument; only a place with one shortly before it is worth a parse.
_PATH_WORD_RE = re.compile(
    r"\b(?:from|to|into|via|through|across|along|between|towards?|onto|around|past|over|"
    r"leav\w*|left|reach\w*|enter\w*|cross\w*|link\w*|connect\w*|join\w*)\b", re.IGNORECASE)
_PATH_WORD_WINDOW = 80
_HYPHEN_AFTER_RE = re.compile(r"\s*[-–—/]\s*[A-Z]")

_TRANSPORT_RE = re.compile(
    r"\b(?:smuggl\w*|ship(?:s|ped|ping)?|ferr(?:y|ied|ies|ying)|funnel\w*|transfer\w*|mov(?:e|es|ed|ing)|"
    r"deliver\w*|transport\w*|sen[dt]s?|sending|bring(?:s|ing)?|brought|r[au]n(?:s|ning)?|carr(?:y|ied|ies|ying)|"
    r"flow(?:s|ed|ing)?|arriv\w*|evacuat\w*|export\w*|pump\w*|supplie[ds]|supply(?:ing)?|"
    # not "continue", "passed" or "headed": "troops continue to advance", "the law passed", "headed by"
    r"sail(?:s|ed|ing)?|cross(?:es|ed|ing)?|pass(?:es|ing)|travel\w*|transit\w*|heading|"
    r"leav(?:e|es|ing)|left|extend(?:s|ed|ing)?|connect(?:s|ed|ing)?|link(?:s|ed|ing)?|"
    r"traffick\w*|reach(?:es|ed|ing)?|route[ds]?|routing|walk(?:s|ed|ing)?|trek\w*|fle(?:e|es|d|eing)|"
    r"hik(?:e|es|ed|ing)|drove|driv(?:e|es|en|ing))\b",
    re.IGNORECASE,
)
# What moves along a route: any cargo, people who migrate, or the line itself ("the cable runs from").
_CARGO_RE = re.compile(
    r"\b(?:weapons?|arms|rifles|guns|missiles?|rockets?|drones?|ammunition|munitions?|RPGs?|fighters|militants|supplies|"
    r"aid|grain|wheat|oil|crude|gas|fuel|equipment|explosives|components|troops|civilians|refugees|cash|money|"
    r"drugs?|narcotics|cocaine|heroin|methamphetamine|meth|captagon|yaba|opium|contraband|migrants?|"
    r"asylum[\s-]seekers|evacuees|passengers|goods|cargo|containers?|shipments?|consignments?|freight|"
    # vehicles in the plural: traffic; "a train that travelled from Winnipeg" is one trip
    r"exports?|imports?|vessels|ships|boats|tankers|trucks|lorries|convoys|buses|trains|barrels|electricity|"
    r"ferries|voyages?|sailings?)\b",
    re.IGNORECASE,
)
_SUPPLIES_RE = re.compile(r"\b(?:weapons?|arms|rifles|guns|missiles?|rockets?|drones?|ammunition|munitions?|RPGs?|"
                          r"supplies|aid|equipment|explosives|components|fighters|troops|militants|fuel)\b",
                          re.IGNORECASE)
# A line that runs its own course: "the cable runs from Norway to Britain", "a pipeline will stretch from".
_LINE_RUNS_RE = re.compile(
    r"\b(?:cables?|pipelines?|railways?|rail\s+lines?|roads?|highways?|lines?|tunnels?|bridges?)\b[^.;]{0,40}?"
    r"\b(?:runs?|running|ran|extends?|extending|stretch(?:es|ing)?|connects?|connecting|links?|linking|crosses|"
    r"passes|goes|will\s+(?:run|extend|stretch|connect|link|go))\b",
    re.IGNORECASE,
)
# People on foot make a route of their own ("he walked from Eritrea to Khartoum"); one who flies to talks does not.
_ON_FOOT_RE = re.compile(r"\b(?:walk(?:s|ed|ing)?|trek(?:s|ked|king)?|hik(?:e|es|ed|ing)|fle(?:e|es|d|eing))\b",
                         re.IGNORECASE)
# Fired weapons travel a trajectory, not a route: "rockets fired from Lebanon reaching Haifa".
_FIRING_RE = re.compile(r"\b(?:fired|launched|struck|shelled|intercepted|shot\s+down)\b", re.IGNORECASE)
_FROM_PLACE_RE = re.compile(r"^\W*From\s+(?:the\s+)?[A-Z]")
_CONTINUED_WITHIN = 2  # sentences within which a route starting where another ended goes on with it
_FROM_THERE_RE = re.compile(r"^\W*(?:and\s+)?(?:then\s+)?from\s+(?:there|here)\b", re.IGNORECASE)
# A sentence going on with the route of the one before: "From there, boats carry it to Spain", "The shipments
# sail through ...", "and then from the Aegean to the Adriatic".
_CONTINUATION_RE = re.compile(
    r"^\W*(?:(?:and\s+)?then\b|from\s+(?:there|here)\b|there\b|(?:these|the|those|such)\s+(?:[\w-]+\s+)?"
    r"(?:shipments?|weapons|goods|boats|ships|vessels|migrants|refugees|drugs|cargo|consignments?|trucks|fuel|"
    r"oil|gas|route|road|pipeline|railway|line|cable|corridor)\b|(?:they|it)\s+(?!(?:said|says|is|was)\b))",
    re.IGNORECASE,
)
_NAME_WORD_RE = re.compile(r"[A-Z][\w'’.-]*|\d+")
_SENTENCE_INITIAL = frozenset({"The", "A", "An", "This", "That", "Its", "Their", "His", "Her"})
@dataclass(frozen=True, slots=True)
class _Waypoint:
    """A place on a route with its role (start, via, end) and text position."""

    place: ClaimPlace
    role: str
    start: int
    end: int = -1


@lru_cache(maxsize=256)
def _motion_verb(text: str) -> re.Match | None:
    """The first motion verb of a sentence (asked for by several steps: searched once)."""
    return _TRANSPORT_RE.search(text)


def _kind_of(match: re.Match) -> str:
    """The canonical kind of a route-word match."""
    for i, (_, kind) in enumerate(_KINDS):
        if match.group(f"k{i}"):
            return kind
    raise AssertionError("a route-word match always has one group")


def corridor_name(sentence_text: str, start: int, end: int) -> str | None:
    """The corridor's proper name: capitalised words right before the route word, with it.

    >>> text = "securing the Iranian corridor from Iraq"
    >>> corridor_name(text, text.index("corridor"), text.index(" from"))
    'Iranian corridor'
    >>> corridor_name("a land corridor from Iraq", 2, 15) is None
    True
    """
    words = list(re.finditer(r"[\w'’.-]+", sentence_text[:start]))
    name_start = start
    for word in reversed(words[-3:]):
        if sentence_text[word.end():name_start].strip(" ") or not _NAME_WORD_RE.fullmatch(word.group(0)):
            break
        if word.group(0) in _SENTENCE_INITIAL:
            break
        name_start = word.start()
    quoted = re.search(r"[\"“‘']([^\"”’']{2,40})[\"”’']\s*$", sentence_text[:start])
    if name_start == start and quoted:
        return f"{quoted.group(1)} {sentence_text[start:end]}"
    if name_start == start:
        return None
    return sentence_text[name_start:end]


def route_waypoints(context: ArticleContext, sentence: Sentence, lo: int, hi: int) -> list[_Waypoint]:
    """Places after route prepositions in ``sentence`` between article offsets [lo, hi), with roles.

    Names after a route preposition that recognition missed are resolved with the gazetteer
    when one is available (see :meth:`ArticleContext.claim_mentions`). A place in parentheses is an aside
    ("Mutukula (in Uganda)"); a possessor gives its role to the place it holds ("to Israel's Haifa Port" ends
    at Haifa); "A to B, C to D" starts a new route at C.
    """
    found: list[_Waypoint] = []
    previous = None  # (end offset, role)
    text = context.article.text
    for mention in context.claim_mentions(sentence, lo, hi):
        gap = text[previous[0] if previous else sentence.start:mention.start]
        if _ASIDE_RE.match(text, mention.end) and "(" in gap and ")" not in gap:
            continue
        role = _waypoint_role(context, sentence, mention, gap, previous, found, hi)
        if role:
            found.append(_Waypoint(claim_place(mention), role, mention.start, mention.end))
        elif previous and previous[1] and _CONTAINER_GAP_RE.match(gap):
            previous = (mention.end, previous[1])  # "to the port of Mersin in Turkey, Limassol to ...": the
            continue                                # container is no waypoint, and the list goes on
        previous = (mention.end, role)
    return found


def _waypoint_role(context: ArticleContext, sentence: Sentence, mention, gap: str, previous: tuple | None,
                   found: list[_Waypoint], hi: int) -> str | None:
    """The route role of a place from the words between it and the place before (``gap``): the first rule
    that speaks decides; None when it is on no route. May change the waypoints ``found`` so far."""
    text = context.article.text
    if _AWAY_RE.search(gap):
        return None  # "divert traffic away from the strait": avoided, not on the route
    if previous:
        listed = _role_after_previous(text, mention, gap, previous, found)
        if listed is not False:
            return listed
    if prep := _ROUTE_PREP_RE.search(gap):
        role = _PREP_ROLES.get(re.sub(r"\s+", " ", prep.group("prep").lower()), "via")
        # "between the coast and Kampala": the second of the pair, its first no place, is the route's end
        return "end" if role == "pair" and _SECOND_OF_PAIR_RE.search(gap, prep.end("prep")) else role
    if not found and _SUPPLIER_AFTER_RE.match(text, mention.end):
        return "start"  # "Iran supplies weapons to the Houthis through Oman": the supplier is where it starts
    if _HYPHEN_AFTER_RE.match(text, mention.end) and mention.end < hi and not mention.text.isupper():
        return "pair"  # (an upper-case name before a dash is a dateline: "TAIPEI—China's army")
    if _PATH_WORD_RE.search(gap[-_PATH_WORD_WINDOW:]):
        # a path word too far for the patterns: the dependency parse says which argument the place is
        return _parsed_role(context, sentence, mention)
    return None


def _role_after_previous(text: str, mention, gap: str, previous: tuple, found: list[_Waypoint]
                         ) -> str | None | bool:
    """The role a place takes from the place before it: a possessor's ("Israel's Haifa Port"), the second of a
    dash pair ("the Iraq-Syria corridor"), the next of a list; False when the gap joins them in no such way."""
    if _POSSESSIVE_GAP_RE.match(gap):
        # the held place takes the possessor's role
        return found.pop().role if found and found[-1].end == previous[0] else None
    if _HYPHEN_GAP_RE.match(gap) and previous[1] in ("pair", "start", None):
        if found and found[-1].role == "pair":
            found[-1] = _Waypoint(found[-1].place, "start", found[-1].start)
        return "end"
    if previous[1] and _LIST_GAP_RE.match(gap):
        role = "end" if previous[1] == "pair" else previous[1]
        # "from A to B, C to D": C starts a route of its own
        return "start" if role == "end" and _NEW_LEG_AFTER_RE.match(text, mention.end) else role
    return False


def _parsed_role(context: ArticleContext, sentence: Sentence, mention) -> str | None:
    """The route role the sentence's dependency parse gives a mention (None without a model)."""
    doc = context.parsed(sentence)
    return None if doc is None else path_role(doc, mention.start - sentence.start, mention.end - sentence.start)


def split_routes(waypoints: list[_Waypoint]) -> list[list[_Waypoint]]:
    """Split a sentence's waypoints (text order) into routes: a new start after an end begins another route
    ("from Fujairah to Haifa, Dammam to Haifa via Haradh").
    """
    routes: list[list[_Waypoint]] = []
    for waypoint in waypoints:
        roles = {w.role for w in routes[-1]} if routes else set()
        if not routes or (waypoint.role == "start" and {"start", "end"} <= roles):
            routes.append([])
        routes[-1].append(waypoint)
    merged: list[list[_Waypoint]] = []
    for route in routes:  # a leg without an end goes on with the route before it
        if merged and not any(w.role == "end" for w in route):
            merged[-1] += route
        else:
            merged.append(route)
    return merged


# A clause contrast stating two routes, the old and the new: "ships that used to sail through the canal now go
# around the cape", "sail around the cape instead of through the canal", "rather than". The route changes at "cut".
_CONTRAST_RE = re.compile(
    r"\b(?:used\s+to|once|formerly|previously|until\s+recently|no\s+longer)\b.*?\b(?P<cut>now|today|instead)\b|"
    r"\b(?P<alternative>instead\s+of|rather\s+than)\b",
    re.IGNORECASE | re.DOTALL,
)
_SECOND_OF_PAIR_RE = re.compile(r"\band\s+(?:the\s+)?$", re.IGNORECASE)
# The words before either place of "between A and B" (A may be no place: "between the coast and Kampala").
_BETWEEN_BEFORE_RE = re.compile(r"\bbetween\s+(?:[\w'’.-]+\s+){0,5}$", re.IGNORECASE)


def alternative_routes(sentence: Sentence, waypoints: list[_Waypoint]) -> list[list[_Waypoint]]:
    """The routes of a sentence's waypoints (text order), split where a contrast states an old and a new route
    ("used to sail through the Suez Canal now go around the Cape"); the ends of "between A and B" are both
    routes' ends. Without a contrast, :func:`split_routes`.
    """
    contrast = _CONTRAST_RE.search(sentence.text)
    if contrast is None:
        return split_routes(waypoints)
    cut = sentence.start + (contrast.start("cut") if contrast.group("cut") else contrast.start("alternative"))
    shared = _between_ends(sentence, waypoints)
    own = [w for w in waypoints if w not in shared]
    sides = [[w for w in own if w.start < cut], [w for w in own if w.start >= cut]]
    if not all(sides):
        return split_routes(waypoints)
    return [route + shared for side in sides for route in split_routes(side)]


def _between_ends(sentence: Sentence, waypoints: list[_Waypoint]) -> list[_Waypoint]:
    """The waypoints of "between A and B": the ends of every route the sentence states."""
    return [w for w in waypoints if w.role in ("pair", "end")
            and _BETWEEN_BEFORE_RE.search(sentence.text[:w.start - sentence.start][-80:])]


def order_waypoints(waypoints: list[_Waypoint]) -> list[ClaimPlace]:
    """Order waypoints as the route runs; one per place.

    The first of "between A and B" comes first, then starts, and ends in text order ("from India to Fujairah and
    then to Haifa"); a via goes before the first end named after it, or before the last end when it follows them
    all ("... to Haifa via Jordan").
    """
    by_text = sorted(waypoints, key=lambda w: w.start)
    ends = [w for w in by_text if w.role == "end"]
    ordered = [w for w in by_text if w.role == "pair"] + [w for w in by_text if w.role == "start"] + ends
    for via in (w for w in by_text if w.role == "via"):
        later = next((e for e in ends if e.start > via.start), ends[-1] if ends else None)
        ordered.insert(ordered.index(later) if later is not None else len(ordered), via)
    seen: set[str] = set()
    out = []
    for w in ordered:
        key = _place_key(w.place)
        if key not in seen:
            seen.add(key)
            out.append(w.place)
    return out


def _neighbour_waypoints(context: ArticleContext, index: int) -> list[_Waypoint]:
    """Route places of the sentence just before (else after) that moves something ("bring RPGs into Gaza").

    Only directional places count (from, via, to): "between them" in a neighbour says nothing of the route.
    """
    for i in (index - 1, index + 1):  # the previous sentence first: it usually sets the scene
        if 0 <= i < len(context.sentences):
            sentence = context.sentences[i]
            if _motion_verb(sentence.text):
                waypoints = route_waypoints(context, sentence, sentence.start, sentence.end)
                if {w.role for w in waypoints} & {"start", "pair"} and any(w.role == "end" for w in waypoints):
                    continue  # the neighbour states a route of its own: borrowing would tell it twice
                found = [w for w in waypoints if w.role in ("start", "via", "end")]
                if found:
                    return found
    return []


def _scopes(sentence: Sentence, matches: list[re.Match]) -> list[tuple[int, int]]:
    """The part of the sentence each route word governs: from it (the first, from the sentence's start) to the
    next route word that starts a route of its own. Places follow the route word they belong to, and a route
    word after a route preposition is a waypoint's description, not a new route: in "the land corridor from
    Iraq into Syria via the border crossing at Albukamal" all three places are the corridor's.
    """
    own = [i == 0 or not _ROUTE_PREP_RE.search(sentence.text[matches[i - 1].end():m.start()])
           for i, m in enumerate(matches)]
    scopes = []
    for i, m in enumerate(matches):
        hi = next((sentence.start + matches[j].start() for j in range(i + 1, len(matches)) if own[j]),
                  sentence.end)
        scopes.append((sentence.start if i == 0 else sentence.start + m.start(), hi))
    return scopes


def _kind_claims(context: ArticleContext, index: int) -> list[CorridorClaim]:
    """Claims anchored on route words in one sentence."""
    sentence = context.sentences[index]
    low = sentence.text.lower()
    if not any(word in low for word in _KIND_WORDS):
        return []  # most sentences name no route: a substring test spares them the long pattern
    matches = list(_KIND_RE.finditer(sentence.text))
    claims = []
    for match, (lo, hi) in zip(matches, _scopes(sentence, matches)):
        claims += _route_word_claims(context, index, match, lo, hi)
    return claims


def _route_word_claims(context: ArticleContext, index: int, match: re.Match, lo: int, hi: int
                       ) -> list[CorridorClaim]:
    """The claims one route word anchors (its scope in the sentence is [lo, hi)); [] when it states no route."""
    sentence = context.sentences[index]
    start, end = sentence.start + match.start(), sentence.start + match.end()
    holder = next((m for m in context.mentions_in(sentence.start, sentence.end) if m.start < end and start < m.end),
                  None)
    if holder is not None and not find_named_corridors(holder.text):
        return []  # the route word is part of a place name ("Sams Crossing"), not of a corridor's
                   # ("the Netzarim Corridor", which recognition may also take for a place)
    by_word = match.group(0).lower().startswith("by ")
    if by_word and not _motion_verb(sentence.text):
        return []  # "surrounded by sea" is not a route
    name = holder.text if holder is not None else (
        None if by_word else corridor_name(sentence.text, match.start(), match.end()))
    tabled = bool(name and find_named_corridors(name))
    chain = _chain_before(context, sentence, start)
    waypoints = chain or _route_word_course(context, sentence, (lo, start, end, hi), tabled)
    if chain:
        name = context.article.text[chain[0].start:end]
    kind = _kind_of(match)
    if _names_no_route(match, kind, tabled, waypoints):
        return []
    if not waypoints and not tabled:
        waypoints = _neighbour_waypoints(context, index)  # a named corridor of the table keeps its course
    if _says_nothing_spatial(kind, name, waypoints):
        return []
    return [CorridorClaim(kind=kind, name=name if leg == 0 else None, waypoints=order_waypoints(route),
                          sentence=sentence.text, start=start, end=end)
            for leg, route in enumerate(split_routes(waypoints) or [[]])]


def _route_word_course(context: ArticleContext, sentence: Sentence, bounds: tuple[int, int, int, int],
                       tabled: bool) -> list[_Waypoint]:
    """The places of a route word's course: those after it first ("the corridor from Iraq to Syria"); those before
    it only when none follow ("sail from Larnaca to Gaza along a maritime corridor") and it is no table corridor.
    ``bounds`` are the article offsets (scope start, word start, word end, scope end)."""
    lo, start, end, hi = bounds
    return (route_waypoints(context, sentence, start, hi)
            or ([] if tabled else route_waypoints(context, sentence, lo, end)))


def _names_no_route(match: re.Match, kind: str, tabled: bool, waypoints: list) -> bool:
    """A gap or a trail is a route only by its known name ("the Darien Gap", not "the Portland Trail Blazers");
    a road or a railway only where the text runs it between places (not "Old Lexington Highway")."""
    if _GAP_RE.fullmatch(match.group(0)) and not tabled:
        return True
    return kind in ("railway", "highway") and not tabled and len(waypoints) < 2


def _says_nothing_spatial(kind: str, name: str | None, waypoints: list) -> bool:
    """"a crossing", "the route" without places say nothing spatial; nor does an unnamed corridor with one place
    ("the town that gives the corridor its name"); nor a route word with neither places nor a name."""
    if kind in ("crossing", "route", "corridor", "railway", "highway") and not name and len(waypoints) < 2:
        return True
    return not waypoints and not name


def _chain_before(context: ArticleContext, sentence: Sentence, word_start: int) -> list[_Waypoint]:
    """The dash-joined places right before a route word, in their order: "the Kabul-Jalalabad highway",
    "the Basra–Baghdad–Mosul railway"; [] when there is no such chain of two or more.
    """
    text = context.article.text
    chain: list = []
    for mention in reversed(context.claim_mentions(sentence, sentence.start, word_start)):
        after = chain[0].start if chain else word_start
        gap = text[mention.end:after]
        if not (gap.strip() == "" if not chain else _HYPHEN_GAP_RE.match(gap)):
            break
        chain.insert(0, mention)
    if len(chain) < 2:
        return []
    roles = ["start"] + ["via"] * (len(chain) - 2) + ["end"]
    return [_Waypoint(claim_place(m), role, m.start) for m, role in zip(chain, roles)]


def _motion_claim(context: ArticleContext, index: int) -> list[CorridorClaim]:
    """A route stated by a motion verb and its path arguments, anywhere in the sentence: "weapons smuggled from
    Iran through Iraq into Syria", "From Kherson to Mykolaiv, buses evacuate civilians", "the cable runs from
    Norway to Britain". Something must move along it (cargo, people, the line itself): one official's trip is
    no route; nor is a fired weapon's flight.
    """
    sentence = context.sentences[index]
    verb = _motion_verb(sentence.text)
    moves = (_CARGO_RE.search(sentence.text) or _ON_FOOT_RE.search(sentence.text) or _LINE_RUNS_RE.search(sentence.text)
             or re.search(r"\b(?:smuggl|traffick)", sentence.text, re.IGNORECASE))
    if not verb or not moves or _FIRING_RE.search(sentence.text):
        return []
    claims = []
    for route in alternative_routes(sentence, route_waypoints(context, sentence, sentence.start, sentence.end)):
        ordered = order_waypoints(route)
        roles = {w.role for w in route}
        if len(ordered) < 2 or (len(roles) < 2 and "pair" not in roles):
            continue  # two destinations ("aid sent to Egypt and Jordan") are not a route
        claims.append(CorridorClaim(kind=_motion_kind(sentence.text), name=None, waypoints=ordered,
                                    sentence=sentence.text, start=sentence.start + verb.start(),
                                    end=sentence.start + verb.end()))
    return claims


def _motion_kind(text: str) -> str:
    """The kind of a route stated by a verb, from what moves on it."""
    if re.search(r"\bsmuggl|\btraffick|\bdrugs?\b|cocaine|heroin|captagon|contraband", text, re.IGNORECASE):
        return "smuggling route"
    if re.search(r"\bmigrants?\b|refugees|asylum", text, re.IGNORECASE):
        return "migration route"
    if re.search(r"\b(?:sail\w*|by\s+sea|ships?|boats?|vessels)\b", text, re.IGNORECASE):
        return "sea route"
    if _SUPPLIES_RE.search(text):
        return "supply route"
    return "route"


def _continue_route(context: ArticleContext, claim: CorridorClaim, index: int) -> bool:
    """Extend ``claim`` with the route the next sentence goes on with; True when it did."""
    sentence = context.sentences[index]
    if not _CONTINUATION_RE.match(sentence.text) or not _motion_verb(sentence.text):
        return False
    if any(corridor_name(sentence.text, m.start(), m.end()) for m in _KIND_RE.finditer(sentence.text)):
        return False  # "The Middle Corridor is a route that connects ...": another corridor, named
    more = [w for w in route_waypoints(context, sentence, sentence.start, sentence.end)
            if w.role in ("start", "via", "end")]
    own = {w.role for w in more} >= {"start", "end"}
    if not more or (own and not _FROM_THERE_RE.match(sentence.text)):
        return False  # "The goods will be transported from Kandla to ...": a route of its own
    known = {_place_key(w) for w in claim.waypoints}
    claim.waypoints += [w for w in order_waypoints(more) if _place_key(w) not in known]
    claim.sentence = f"{claim.sentence} {sentence.text}"
    claim.end = sentence.end
    return True


def _place_key(place: ClaimPlace) -> str:
    return place.place.id if place.place else place.text.lower()


def _with_named_course(claims: list[CorridorClaim], sentence: Sentence) -> list[CorridorClaim]:
    """Give a claim naming a corridor of the curated table the table's course when the text states fewer than two
    of its places ("the Siliguri Corridor, a narrow strip of land"); a table corridor named in a sentence that
    moves something along it, and no other claim, becomes a claim of its own.
    """
    if not any(c.name for c in claims) and (claims or not _motion_verb(sentence.text)):
        return claims  # no name to look up, and nothing moves along a named corridor
    named = find_named_corridors(sentence.text)
    _give_table_courses(claims, sentence, named)
    if claims or not _motion_verb(sentence.text):
        return claims
    return _table_corridor_moved_along(sentence, named)


def _give_table_courses(claims: list[CorridorClaim], sentence: Sentence, named: list) -> None:
    """Give each claim naming a table corridor, with fewer than two places of its own, a course: the unnamed
    route beside it in the sentence ("the Lachin corridor, the only road linking A to B"), else the table's."""
    for claim in list(claims):
        entry = next((e for e, a, b in named if claim.name and _overlaps(claim, sentence, a, b)), None)
        if entry is None or len(claim.waypoints) >= 2:
            continue  # the text's own course first ("the Lachin corridor from Goris to Stepanakert")
        apposed = next((c for c in claims if c is not claim and not c.name and len(c.waypoints) >= 2), None)
        if apposed is not None:
            claim.waypoints = apposed.waypoints
            claims.remove(apposed)
        else:
            claim.waypoints = list(entry.waypoints)


def _table_corridor_moved_along(sentence: Sentence, named: list) -> list[CorridorClaim]:
    """A table corridor is a route of its own only where something moves along it ("through", "via", "links")."""
    used = [(e, a, b) for e, a, b in named
            if (_ROUTE_PREP_RE.search(sentence.text[:a]) and not _AWAY_RE.search(sentence.text[:a]))
            or _LINKS_AFTER_RE.match(sentence.text, b)]
    if not used:
        return []
    entry, a, b = used[0]
    return [CorridorClaim(kind=entry.kind, name=sentence.text[a:b], waypoints=list(entry.waypoints),
                          sentence=sentence.text, start=sentence.start + a, end=sentence.start + b)]


def _overlaps(claim: CorridorClaim, sentence: Sentence, a: int, b: int) -> bool:
    """True when the table name at [a, b) of the sentence is the claim's name ("the Netzarim Corridor")."""
    name_start = claim.end - len(claim.name)
    return name_start < sentence.start + b and sentence.start + a < claim.end


def _goes_on_from(claims: list[CorridorClaim], claim: CorridorClaim, context: ArticleContext) -> bool:
    """Append ``claim`` to an earlier route of the last sentences that ends where it starts ("... to Haifa Port.
    From Haifa Port, goods are shipped to Europe"); True when it did.
    """
    if not claim.waypoints or claim.name or not _FROM_PLACE_RE.match(claim.sentence):
        return False
    index = context.sentence_index(claim.start)
    first = _place_key(claim.waypoints[0])
    for earlier in reversed(claims):
        if index - context.sentence_index(earlier.start) > _CONTINUED_WITHIN:
            break
        if earlier.waypoints and _place_key(earlier.waypoints[-1]) == first:
            known = {_place_key(w) for w in earlier.waypoints}
            earlier.waypoints += [w for w in claim.waypoints if _place_key(w) not in known]
            return True
    return False


def _one_per_route(claims: list[CorridorClaim]) -> list[CorridorClaim]:
    """Drop a claim whose places are all on a longer claim of its sentence or kind: the same route told twice."""
    keys = [{_place_key(w) for w in c.waypoints} for c in claims]
    named: dict[str, int] = {}
    for i, claim in enumerate(claims):  # a corridor named again is the same corridor: keep its best telling
        if claim.name:
            best = named.setdefault(claim.name.casefold(), i)
            if len(claims[best].waypoints) < 2 <= len(claim.waypoints):
                named[claim.name.casefold()] = i
    claims_kept = [c for i, c in enumerate(claims) if not c.name or named[c.name.casefold()] == i]
    keys = [{_place_key(w) for w in c.waypoints} for c in claims_kept]
    claims = claims_kept

    def same_route(i: int, j: int) -> bool:
        related = claims[i].kind == claims[j].kind or claims[i].sentence == claims[j].sentence
        return related and keys[i] <= keys[j] and (len(keys[j]) > len(keys[i]) or j < i)

    return [c for i, c in enumerate(claims)
            if not keys[i] or not any(j != i and same_route(i, j) for j in range(len(claims)))]


def extract_corridors(context: ArticleContext) -> list[CorridorClaim]:
    """Every corridor and route claim of the article, in text order; a route the next sentences go on with
    ("From there, boats carry it to Spain") is one claim.
    """
    claims: list[CorridorClaim] = []
    index = 0
    while index < len(context.sentences):
        sentence = context.sentences[index]
        found = _with_named_course(_kind_claims(context, index) or _motion_claim(context, index), sentence)
        found = [c for c in found if not _goes_on_from(claims, c, context)]
        claims += found
        index += 1
        while found and index < len(context.sentences) and _continue_route(context, found[-1], index):
            index += 1
    return _one_per_route(claims)

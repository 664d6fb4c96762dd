"""Corridor and route claims: corridors, land bridges, supply lines, smuggling and sea routes,
pipelines, crossings, evacuation corridors.

A claim is anchored on a route word ("the Iranian corridor", "a land bridge", "the Rafah
crossing", "by sea") or on a transport verb with cargo and at least two places ("weapons
smuggled from Iran through Iraq into Syria"). Its waypoints are the places after route
prepositions, ordered as the route runs: the "from" places, then "via/through/across/along"
places in text order, then the "to/into" places ("from Iraq to Syria via Albukamal" ->
Iraq, Albukamal, Syria). A route word with no place in its sentence borrows the places of a
neighbouring sentence that moves something ("bring RPGs into Gaza" ... "by sea").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geomap.claims import ArticleContext, claim_place
from geomap.model import ClaimPlace, CorridorClaim, Sentence

# (pattern, canonical kind), most specific first.
_KINDS = (
    (r"evacuation\s+(?:corridors?|routes?)", "evacuation corridor"),
    (r"humanitarian\s+(?:corridors?|routes?)", "humanitarian corridor"),
    (r"(?:maritime|sea|shipping|grain|naval)\s+(?:corridors?|routes?|lanes?)", "sea route"),
    (r"smuggling\s+(?:routes?|corridors?|tunnels?|lines?)", "smuggling route"),
    (r"supply\s+lines?", "supply line"),
    (r"(?:supply|logistics?|resupply)\s+(?:routes?|corridors?)", "supply route"),
    (r"land\s+bridges?", "land bridge"),
    (r"(?:land\s+)?corridors?", "corridor"),
    (r"(?:gas\s+|oil\s+)?pipelines?", "pipeline"),
    (r"(?:border\s+)?crossings?(?!\s+(?:into|the|over|of)\b)", "crossing"),
    (r"(?:trade|transit|overland|land|ferry|rail(?:way)?|road|air|migration|trafficking)\s+routes?", "route"),
    (r"routes?(?=\s+(?:from|between|through|via|linking|connecting|to|into|across)\b)", "route"),
    (r"by\s+(?:sea|ship|boat|ships|boats)", "sea route"),
)
_KIND_RE = re.compile(
    "|".join(rf"(?P<k{i}>\b{pattern}\b)" for i, (pattern, _) in enumerate(_KINDS)), re.IGNORECASE
)

# Route prepositions, and the role they give the place after them (at most four words between).
_ROUTE_PREP_RE = re.compile(
    r"\b(?P<prep>from|out\s+of|between|linking|links|link|connecting|connects|connect|to|into|towards?|"
    r"reaching|via|through|across|along|over|with)\s+(?:[\w'’-]+\s+){0,4}$",
    re.IGNORECASE,
)
_PREP_ROLES = {
    "from": "start", "out of": "start", "between": "pair", "linking": "pair", "links": "pair", "link": "pair",
    "connecting": "pair", "connects": "pair", "connect": "pair",
    "to": "end", "into": "end", "toward": "end", "towards": "end", "reaching": "end", "with": "end",
    "via": "via", "through": "via", "across": "via", "along": "via", "over": "via",
}
_LIST_GAP_RE = re.compile(r"^\s*(?:,|and|or|,\s*and|,\s*or|-|–|—)\s*$", re.IGNORECASE)
_HYPHEN_GAP_RE = re.compile(r"^\s*[-–—/]\s*$")

_TRANSPORT_RE = re.compile(
    r"\b(?:smuggl\w*|ship(?:s|ped|ping)?|ferr(?:y|ied|ies|ying)|funnel\w*|transfer\w*|mov(?:e|es|ed|ing)|"
    r"deliver\w*|transport\w*|sen[dt]s?|sending|bring(?:s|ing)?|brought|r[au]n(?:s|ning)?|carr(?:y|ied|ies|ying)|"
    r"flow(?:s|ed|ing)?|arriv\w*|evacuat\w*|export\w*|pump\w*|supplie[ds]|supply(?:ing)?)\b",
    re.IGNORECASE,
)
_CARGO_RE = re.compile(
    r"\b(?:weapons?|arms|missiles?|rockets?|drones?|ammunition|munitions?|RPGs?|fighters|militants|supplies|"
    r"aid|grain|oil|gas|fuel|equipment|explosives|components|troops|civilians|refugees|cash|money)\b",
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


def _kind_of(match: re.Match) -> str:
    """The canonical kind of a route-word match."""
    for i, (_, kind) in enumerate(_KINDS):
        if match.group(f"k{i}"):
            return kind
    raise AssertionError("a route-word match always has one group")


def corridor_name(sentence_text: str, start: int, end: int) -> str | None:
    """The corridor's proper name: capitalised words right before the route word, with it.

    >>> text = "carving out the Iranian corridor from Iraq"
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
    when one is available (see :meth:`ArticleContext.claim_mentions`).
    """
    found: list[_Waypoint] = []
    previous = None  # (end offset, role, prep)
    text = context.article.text
    for mention in context.claim_mentions(sentence, lo, hi):
        gap = text[previous[0] if previous else sentence.start:mention.start]
        role = None
        if previous and _HYPHEN_GAP_RE.match(gap) and previous[1] in ("pair", "start", None):
            role = "end"  # "the Iraq-Syria corridor"
            if found and found[-1].role == "pair":
                found[-1] = _Waypoint(found[-1].place, "start", found[-1].start)
        elif previous and previous[1] and _LIST_GAP_RE.match(gap):
            role = "end" if previous[1] == "pair" else previous[1]
        elif prep := _ROUTE_PREP_RE.search(gap):
            role = _PREP_ROLES[re.sub(r"\s+", " ", prep.group("prep").lower())]
        elif _HYPHEN_GAP_RE.match(text[mention.end:mention.end + 2]) and mention.end < hi:
            role = "pair"
        if role:
            found.append(_Waypoint(claim_place(mention), role, mention.start))
        previous = (mention.end, role)
    return found


def order_waypoints(waypoints: list[_Waypoint]) -> list[ClaimPlace]:
    """Order waypoints as the route runs: starts, then vias in text order, then ends; one per place."""
    rank = {"start": 0, "pair": 0, "via": 1, "end": 2}
    ordered = sorted(waypoints, key=lambda w: (rank[w.role], w.start))
    seen: set[str] = set()
    out = []
    for w in ordered:
        key = w.place.place.id if w.place.place else w.place.text.lower()
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
            if _TRANSPORT_RE.search(sentence.text):
                found = [w for w in route_waypoints(context, sentence, sentence.start, sentence.end)
                         if w.role in ("start", "via", "end")]
                if found:
                    return found
    return []


def _scopes(sentence: Sentence, matches: list[re.Match]) -> list[tuple[int, int]]:
    """The part of the sentence each route word governs: from it (the first, from the sentence's start) to the
    next route word that starts a route of its own. Places follow the route word they belong to, and a route
    word after a route preposition is a waypoint's description, not a new route: in "the land corridor from
    Iraq into Syria via the border crossing at Albukamal" all three places are the corridor's.
    """
    own = [i == 0 or not _ROUTE_PREP_RE.search(sentence.text, matches[i - 1].end(), m.start())
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
    matches = list(_KIND_RE.finditer(sentence.text))
    claims = []
    for match, (lo, hi) in zip(matches, _scopes(sentence, matches)):
        kind = _kind_of(match)
        lo_word, hi_word = sentence.start + match.start(), sentence.start + match.end()
        if any(m.start < hi_word and lo_word < m.end for m in context.mentions_in(sentence.start, sentence.end)):
            continue  # the route word is part of a place name ("Sams Crossing")
        if match.group(0).lower().startswith("by ") and not _TRANSPORT_RE.search(sentence.text):
            continue  # "surrounded by sea" is not a route
        # Places after the route word first ("the corridor from Iraq to Syria"); those before it
        # only when none follow ("sail from Larnaca to Gaza along a maritime corridor").
        waypoints = (route_waypoints(context, sentence, sentence.start + match.start(), hi)
                     or route_waypoints(context, sentence, lo, sentence.start + match.end()))
        if not waypoints:
            waypoints = _neighbour_waypoints(context, index)
        name = corridor_name(sentence.text, match.start(), match.end())
        if kind in ("crossing", "route", "corridor") and not name and len(waypoints) < 2:
            continue  # "a crossing", "the route" without places say nothing spatial; nor does a corridor with
                      # one ("the town that gives the corridor its name ... move from Warsaw to the border")
        if not waypoints and not name:
            continue
        claims.append(CorridorClaim(
            kind=kind, name=name, waypoints=order_waypoints(waypoints), sentence=sentence.text,
            start=sentence.start + match.start(), end=sentence.start + match.end(),
        ))
    return claims


def _transport_claim(context: ArticleContext, index: int) -> list[CorridorClaim]:
    """A route stated by a verb alone: "weapons smuggled from Iran through Iraq into Syria"."""
    sentence = context.sentences[index]
    verb = _TRANSPORT_RE.search(sentence.text)
    if not verb or not _CARGO_RE.search(sentence.text):
        return []
    waypoints = route_waypoints(context, sentence, sentence.start + verb.start(), sentence.end)
    ordered = order_waypoints(waypoints)
    if len(ordered) < 2:
        return []
    kind = "smuggling route" if verb.group(0).lower().startswith("smuggl") else "supply route"
    return [CorridorClaim(kind=kind, name=None, waypoints=ordered, sentence=sentence.text,
                          start=sentence.start + verb.start(), end=sentence.start + verb.end())]


def extract_corridors(context: ArticleContext) -> list[CorridorClaim]:
    """Every corridor and route claim of the article, in text order."""
    claims: list[CorridorClaim] = []
    for index in range(len(context.sentences)):
        claims += _kind_claims(context, index) or _transport_claim(context, index)
    return claims

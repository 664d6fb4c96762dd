"""Weapon range and reach claims.

A *range claim* ties a distance to a weapon by a range cue: "a missile with a range of 250 km",
"a 300-km-range missile", "drones that can fly 2,500 km", "capable of striking targets up to
1,000 km away". A *reach claim* has no number: "its early rockets could hardly reach Ashkelon",
"rockets that put Tel Aviv within range". Distances without such a cue ("a strip 65 km wide",
"50 miles south of Kyiv", "some 1,000 km away") are not claims.

Places come from the article's resolved mentions, by their role in the sentence:

- origin: the place the weapon is fired, launched, deployed, stationed or based from ("fired from
  Sanaa", "stationed near Brest", "flying out of the airbase at Darwin", "batteries in Baltiysk"),
  in the claim's sentence or, marked ``inferred``, in the two before it; else the place the text
  ties the launching force to ("Yemen's Houthis", "the militias in southern Lebanon"),
  marked ``inferred``. An owner is not an origin ("Iran's missiles", "Ukraine has missiles"), nor
  is a direction ("from the direction of the sea"); with none of these the origin stays None;
- targets: after a target cue ("at", "toward", "reach", "hit", "as far as") in the claim's
  sentence, or in the next sentences when they describe the weapon striking ("One such rocket
  was launched at Nevatim air base and towards Beersheba").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from gazetteer import geodesy
from geomap.claims import ArticleContext, claim_place
from geomap.claims.quantities import Distance, find_distances
from geomap.model import ClaimPlace, Mention, RangeClaim, RangeTarget, Sentence

# --- weapons --------------------------------------------------------------------------------

_WEAPON_WORDS = (
    r"missiles?|rockets?|drones?|UAVs?|projectiles?|shells?|artillery|howitzers?|launchers?|MLRS|"
    r"ICBMs?|IRBMs?|MRBMs?|SRBMs?|torpedo(?:es)?|warheads?|glide\s+bombs?|bombs?|mortars?|guns?|"
    r"munitions?|interceptors?|air[\s-]defen[cs]e\s+systems?|"
    # named systems seen in conflict reporting
    r"HIMARS|ATACMS|Iskanders?(?:-M)?|Kinzhals?|Kalibrs?|Storm\s+Shadows?|SCALP|Tomahawks?|Shaheds?(?:-\d+)?|"
    r"Geran(?:-\d)?|Fateh(?:-\d+)?|Zolfaghar|Kheibar(?:\s+Shekan)?|Sejjil|Shahab(?:-\d)?|Scuds?|Qass?am|"
    r"Grads?|Katyushas?|Burkan(?:-\d)?|Toufan|Quds-\d|Samad(?:-\d)?|Hwasong(?:-\d+)?|KN-\d+|Tochka(?:-U)?|"
    r"Oreshnik|Sarmat|S-[34]00|Bastion|Fajr(?:-\d)?|Zelzal(?:-\d)?|M-75|R-160|J-80|Ayyash(?:[\s-]250)?|"
    # aircraft: their reach (combat radius, ferry range) is claimed like a missile's
    r"warplanes?|aircraft|fighter[\s-](?:jets?|planes?|aircraft)|fighter(?!s)|jets?|bombers?|planes?|airplanes?|"
    # military designators, case-sensitive: "DF-21D", "YJ-62A", "F-35B", "KN-23", "Su-34"
    r"(?-i:[A-Z][A-Za-z]{0,3}-\d{1,3}[A-Z]{0,2})"
)
WEAPON_RE = re.compile(rf"\b(?:{_WEAPON_WORDS})\b", re.IGNORECASE)

# Words that end a weapon phrase when walking left from its head.
_PHRASE_STOP = frozenset("""
the a an its their his her our this that these those some any has have had is are was were be been being
with of and or to from in on at by for as which who whose that said says say fired launched fire launch
fires launches shoots shot sends sent supplies supplied
tested test unveiled deployed developed acquired uses used possess possesses can could will would may
might also now today yesterday when while after before than about new-generation
""".split())

# --- cues -------------------------------------------------------------------------------------

# A distance is a range when "range/reach/radius" leads to it within a few words ...
_RANGE_BEFORE_RE = re.compile(
    r"\b(?P<cue>(?:an?\s+|the\s+|its\s+|their\s+)?(?:maximum\s+|operational\s+|effective\s+|stated\s+)?"
    r"(?:range|ranges|reach|radius|striking\s+distance|(?:theoretical\s+)?maximum\s+of))"
    r"(?:\s+of\s+(?:the|its|this|that|their|these|those)\s+(?:[\w-]+\s+){0,2}?[\w-]+)?"  # "range of the missile"
    r"(?:\s+(?:of|is|was|are|were|reportedly|estimated|believed|said|to|be|at|exceeds?|extends?|reaching|"
    r"stretching|that|can|could|go|up|reach|reaches|around|between|has|been|put|placed|increased|extended|"
    r"claimed|thought|expected|assessed|would|will|might|may|lie|lies|grew|grown|rose|from|now|just|only)|"
    r"\s*\()*\s*$",
    re.IGNORECASE,
)
# ... or "range" follows it ("250 km range", "300-km-range", "120 km-range") ...
_RANGE_AFTER_RE = re.compile(r"^\s*-?\s*(?:range|ranged)\b", re.IGNORECASE)
# ... or a capability verb does ("can fly 2,500 km", "capable of striking targets up to 1,000 km away").
_CAPABILITY_BEFORE_RE = re.compile(
    r"\b(?:can|could|able\s+to|capable\s+of|designed\s+to)\s+(?:\w+\s+){0,2}?"
    r"(?:fly|flying|travel|travelling|traveling|strike|striking|hit|hitting|reach|reaching|cover|covering|"
    r"destroy|destroying|engage|engaging|intercept|intercepting|target|targeting|carry|carrying|deliver|"
    r"delivering)"
    # the object, then how the distance is tied to it: "sinking a frigate at a distance of", "hit a tank from"
    r"(?:\s+(?!(?:and|or|but|which|that|while)\b)[\w'’-]+){0,2}?"
    r"(?:\s+(?:as\s+far\s+as|at\s+(?:a\s+)?(?:distance|range)s?\s+of|from|targets?|objects?|anywhere|"
    r"distances?|of))*\s*$",
    re.IGNORECASE,
)
# A range cue that reports where a test target was hit, not how far the weapon reaches:
# "the target was hit at a range of 100 km".
_TEST_HIT_BEFORE_RE = re.compile(
    r"\b(?:hit|struck|destroyed|intercepted|engaged|downed|shot\s+down)\s+(?:[\w'’-]+\s+){0,2}?"
    r"at\s+(?:a\s+)?(?:range|distance)\s+of\s*$",
    re.IGNORECASE,
)
# A wish or requirement is not a capability ("asked that its range be doubled to"), nor is the distance of one
# test flight ("the test missile flew 900 km").
_NOT_CAPABILITY_BEFORE_RE = re.compile(
    r"\b(?:ask(?:s|ed)?|request(?:s|ed)?|demand(?:s|ed)?|requirements?|wish(?:es)?|goal)\b[^.;:]{0,60}$|"
    r"\brange\s+of\s+(?:the|this|that|its|a)\s+(?:\w+\s+)?(?:test|launch|flight|trial)\b",
    re.IGNORECASE,
)
# "the range grew from 300 km to 500 km": two figures, two claims (not a span)
_CHANGE_FROM_RE = re.compile(r"\b(?:grew|grown|rose|risen|increased|extended|expanded|went|jumped|doubled)\s+"
                             r"from\s*$", re.IGNORECASE)
# A further distance continuing a range list: "ranges of 40 km, 70 km and 160 km".
_LIST_JOIN_RE = re.compile(r"^\s*(?:,|,?\s*and|,?\s*or)\s*$", re.IGNORECASE)

# Reach claims without a number.
_REACH_RE = re.compile(
    r"\b(?P<modal>can|could|able\s+to|capable\s+of|now\s+able\s+to)\s+"
    r"(?P<qual>only\s+|barely\s+|easily\s+|now\s+|even\s+|just\s+|already\s+)?"
    r"(?P<verb>reach|reaching|hit|hitting|strike|striking|target|targeting)\b",
    re.IGNORECASE,
)
# "puts Tel Aviv within range": a weapon bringing places within reach. "Denver appears to be within range" of a
# calculation is not a claim the text makes with a figure or a capability.
_WITHIN_RANGE_RE = re.compile(
    r"\b(?:put|puts|putting|place|places|placing|bring|brings|bringing|brought)\b[^.;]{0,60}?"
    r"\bwithin\s+(?:striking\s+|firing\s+)?(?:range|reach|distance)\b", re.IGNORECASE)
# A negation shortly before a reach cue: "could not reach", "has neither missiles capable of reaching".
_NEGATION_RE = re.compile(r"\b(?:not|never|cannot|can't|couldn't|unable|neither|nor|no)\b[^,;.]{0,40}$", re.IGNORECASE)

_TARGET_CUES = (
    r"at|toward|towards|on|against|into|reach|reaches|reached|reaching|hit|hits|hitting|strike|strikes|"
    r"striking|struck|target|targets|targeted|targeting|as\s+far\s+as|including|such\s+as|cover|covers|"
    r"covering|all\s+of|put|puts|putting|bring|brings|bringing|places|placing|threaten|threatens|"
    r"threatening|(?:targets?|cities|bases|sites|anywhere|everywhere|areas?|parts?)\s+(?:in|of)"
)
_ORIGIN_CUES = (
    r"from|launched\s+from|fired\s+from|based\s+in|deployed\s+in|deployed\s+to|stationed\s+in|"
    r"positioned\s+in|in|inside|out\s+of"
)
# The last cue before a mention, with at most three words between ("toward the port of Haifa").
_ROLE_CUE_RE = re.compile(
    rf"\b(?:(?P<target>{_TARGET_CUES})|(?P<origin>{_ORIGIN_CUES}))\s+(?:[\w'’-]+\s+){{0,3}}$",
    re.IGNORECASE,
)
_LIST_GAP_RE = re.compile(r"^\s*(?:,|and|or|&|,\s*and|,\s*or)\s*$", re.IGNORECASE)
# Where a weapon sits: "stationed near Krychaw", "deployed Iskander missiles in Kaliningrad".
_DEPLOYED_AT_RE = re.compile(
    r"\b(?:deploy(?:ed|s|ing)?|station(?:ed|s|ing)?|based|positioned|located|placed|garrisoned|hidden)\b"
    r"(?:\s+(?!(?:to|toward|towards|against|at)\b)[\w'’-]+){0,4}?\s+"
    r"(?:near|in|at|on|along|off|outside|around|inside)\s+(?:[\w'’-]+\s+){0,3}$",
    re.IGNORECASE,
)
# Where it leaves from: "fired from Sanaa", "flying ... from the air base at Darwin", "out of the airbase at".
_LAUNCHED_FROM_RE = re.compile(
    r"\b(?:launch(?:ed|es|ing)?|fired|fires|firing|test-\w+|fly|flies|flying|flown|flew|took\s+off|"
    r"taking\s+off|operat(?:e|es|ed|ing)|sortied?)\b(?:\s+[\w'’-]+){0,6}?\s+(?:from|out\s+of)\s+"
    r"(?:[\w'’-]+\s+){0,6}$",
    re.IGNORECASE,
)
# A claim pointing back at a weapon named before: "the missile", "these launchers"; "its range", "this weapon".
_DEFINITE_BEFORE_RE = re.compile(r"\b(?:the|this|these|that|those|its|their)\s+$", re.IGNORECASE)
_BACK_REFERENCE_RE = re.compile(r"\b(?:it|its|they|their|this|these|those)\b", re.IGNORECASE)
# A dateline: "KHARTOUM, Sudan (Reuters) —", "SANAA —".
_DATELINE_RE = re.compile(r"\s*[A-Z][A-Z .'’-]{2,40}(?:,\s*[A-Z][\w .]{1,30})?\s*(?:\([^)]{1,30}\)\s*)?[—–-]{1,2}\s")
_FROM_HERE_RE = re.compile(
    r"\b(?:launch\w*|fired|fires|firing|fly|flies|flying|flew|took\s+off|taking\s+off|based|stationed)\b"
    r"[^.;]{0,40}?\bfrom\s+(?:here|this\s+city|the\s+(?:city|capital|town)(?:['’]s\s+\w+)?)\b",
    re.IGNORECASE,
)
# A direction is not a place of launch: "from the direction of the sea", "from the north".
_DIRECTION_BEFORE_RE = re.compile(r"\b(?:direction|side)\s+of\s+(?:the\s+)?$|\bfrom\s+the\s*$", re.IGNORECASE)
# A place named only by a common noun: "deploying missiles along its southeast coast".
_SITE_PHRASE_RE = re.compile(
    r"\b(?:deploy(?:ed|s|ing)?|station(?:ed|s|ing)?|based|positioned)\b[^,.;]{0,60}?\b(?:along|on|near|at|in)\s+"
    r"(?:its|their|the|his|her)\s+(?P<site>(?:(?:north|south|east|west)(?:ern|east|west)?(?:ern)?\s+)?"
    r"(?:coast(?:line)?|border|frontier|islands?|shore))\b",
    re.IGNORECASE,
)
# A position relative to a feature: "in positions south of the river", "from areas east of the Euphrates", "from west
# of the Dnipro". The feature is the place; the cue before the phrase gives its role, and the phrase is its text.
_RELATIVE_BEFORE_RE = re.compile(
    r"(?:\b(?:firing\s+|launch\s+|military\s+|their\s+|its\s+)?(?:positions?|areas?|territory|territories|"
    r"parts?|regions?|districts?|villages?|towns?|bases?|sites?|fields?|forests?|hills?)\s+)?"
    r"(?:(?:just|immediately|further|farther|directly)\s+)?"
    r"\b(?P<direction>(?:north|south)(?:-?(?:east|west))?(?:ern)?|(?:east|west)(?:ern)?)\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_POSSESSIVE_AFTER_RE = re.compile(r"^['’]s?\b|^-based\b", re.IGNORECASE)
_FORCE_VERB_AFTER_RE = re.compile(
    r"^\s*(?:\w+\s+){0,2}?(?:has|have|had|possess(?:es)?|fired|launched|tested|test-fired|unveiled|deployed|"
    r"developed|acquired|operates|uses|used)\b",
    re.IGNORECASE,
)
_WITHIN_AFTER_RE = re.compile(r"^\s*,?\s*(?:\w+\s+){0,3}?within\s+(?:striking\s+)?(?:range|reach)\b", re.IGNORECASE)
_STRIKE_RE = re.compile(
    r"\b(?:fired|launched|struck|hit|targeted|aimed|landed|reached|slammed|intercepted|fell)\b", re.IGNORECASE
)

# The force that has or fires the weapon: "the rebel militia has a rocket".
_FORCE_BEFORE_VERB_RE = re.compile(
    r"(?P<force>(?:[A-Z][\w'’-]*\s+)*(?:[A-Z][\w'’-]*|resistance|militants?|fighters|forces|army|rebels|"
    r"group|movement|militias?|military|navy))\s+(?:now\s+|also\s+|still\s+|reportedly\s+)?"
    r"(?:has|have|had|possess(?:es)?|fired|launched|tested|test-fired|unveiled|deployed|developed|acquired|"
    r"uses|used|operates)\b"
)
_FORCE_POSSESSIVE_RE = re.compile(r"(?P<force>(?:[A-Z][\w-]*\s+)*[A-Z][\w-]*)['’]s?\s+$")
_LOOKBACK_SENTENCES = 15
_TIE_WINDOW = 60          # characters after a force's name in which its place is looked for
_FOLLOWING_SENTENCES = 2  # sentences after a claim searched for the places it struck
_WEAPON_WINDOW = 1        # sentences before and after a range figure where its weapon may be named
_RESTATED_WITHIN = 3      # sentences within which the same figure again is the same claim

ORIGIN_PRIORITY = {"launch": 0, "in": 1, "possessor": 2, "subject": 3}


@dataclass(frozen=True, slots=True)
class _Role:
    """What a mention is to a claim: an origin (of some strength) or a target."""

    kind: str            # "origin" or "target"
    strength: str = ""   # for origins: a key of ORIGIN_PRIORITY


# --- weapons ----------------------------------------------------------------------------------


def weapon_spans(text: str) -> list[tuple[int, int]]:
    """Spans of weapon phrases in ``text``: adjacent weapon words merged, modifiers added on the left.

    >>> t = "an older Yemeni cruise missile over the Red Sea"
    >>> [t[a:b] for a, b in weapon_spans(t)]
    ['older Yemeni cruise missile']
    """
    heads: list[list[int]] = []
    for match in WEAPON_RE.finditer(text):
        if heads and re.fullmatch(r"[\s-]*", text[heads[-1][1]:match.start()]):
            heads[-1][1] = match.end()
        else:
            heads.append([match.start(), match.end()])
    return [(_extend_left(text, start), end) for start, end in heads]


def _extend_left(text: str, start: int, max_words: int = 4) -> int:
    """Walk left from a weapon head over its modifiers, stopping at function words and punctuation."""
    words = list(re.finditer(r"[\w'’.-]+", text[:start]))
    taken = 0
    for word in reversed(words):
        token = word.group(0)
        between = text[word.end():start]
        if taken >= max_words or between.strip() or token.lower() in _PHRASE_STOP:
            break
        if token.endswith(("'s", "’s", "s'")) or token[-1] in ".":
            break
        start = word.start()
        taken += 1
    return start


def nearest_weapon(text: str, position: int) -> tuple[int, int] | None:
    """The weapon phrase of ``text`` closest to ``position``, preferring one before it."""
    spans = weapon_spans(text)
    if not spans:
        return None
    before = [s for s in spans if s[1] <= position]
    after = [s for s in spans if s[0] >= position]
    if before and (not after or position - before[-1][1] <= 3 * (after[0][0] - position) + 40):
        return before[-1]
    return after[0] if after else spans[-1]


# --- roles of mentions ------------------------------------------------------------------------


def mention_roles(context: ArticleContext, sentence: Sentence, weapon_start: int | None) -> dict[int, _Role]:
    """Classify the mentions of a sentence as origins or targets of the claim it states.

    Returns a dict keyed by the mention's start offset; mentions with no role are absent.
    A mention joined to the previous one by "and" or a comma takes its role.
    """
    roles: dict[int, _Role] = {}
    previous: Mention | None = None
    text = sentence.text
    for mention in context.claim_mentions(sentence):
        lo, hi = mention.start - sentence.start, mention.end - sentence.start
        gap_start = previous.end - sentence.start if previous else 0
        gap = text[gap_start:lo]
        after = text[hi:]
        role = None
        cue_gap = _without_relative_position(gap)
        head = cue_gap[-100:]
        if previous is not None and previous.start in roles and _LIST_GAP_RE.match(gap):
            role = roles[previous.start]
        elif _DIRECTION_BEFORE_RE.search(gap):
            role = None
        elif _DEPLOYED_AT_RE.search(head) or _LAUNCHED_FROM_RE.search(head):
            role = _Role("origin", "launch")
        elif cue := _ROLE_CUE_RE.search(cue_gap):
            if cue.group("target"):
                role = _Role("target")
            else:  # "in Iran" may only say whose; "in positions south of the river" is a site
                launch = cue_gap != gap or cue.group("origin").lower().split()[0] not in ("in", "inside")
                role = _Role("origin", "launch" if launch else "in")
        elif _WITHIN_AFTER_RE.match(after):
            role = _Role("target")
        elif weapon_start is not None and mention.end <= weapon_start:
            if _POSSESSIVE_AFTER_RE.match(after) and not _owns_weapon(after):
                role = _Role("origin", "possessor")
            elif _FORCE_VERB_AFTER_RE.match(after):
                role = _Role("origin", "subject")
        if role is not None:
            roles[mention.start] = role
        previous = mention
    return roles


def _without_relative_position(gap: str) -> str:
    """The words before a mention without a position stated relative to it, so the cue before that shows:
    "the launchers are in positions south of the " -> "the launchers are in ".

    >>> _without_relative_position("rockets fired from areas north of the ")
    'rockets fired from '
    """
    relative = _RELATIVE_BEFORE_RE.search(gap)
    return gap[:relative.start()] if relative else gap


def origin_place(context: ArticleContext, mention: Mention, *, inferred: bool = False) -> ClaimPlace:
    """The :class:`ClaimPlace` of an origin mention; a position stated relative to it keeps its words as the text,
    with the feature's coordinates ("south of the Dnipro")."""
    place = claim_place(mention, inferred=inferred)
    before = context.article.text[max(0, mention.start - 80):mention.start]
    relative = _RELATIVE_BEFORE_RE.search(before)
    if relative is None:
        return place
    return replace(place, text=before[relative.start("direction"):] + mention.text)


def _owns_weapon(after: str) -> bool:
    """True when a possessive names the weapon's owner ("Iran's Shahab-3", "Japan's new missiles"), not the
    force that fires it ("Lebanon's Hezbollah")."""
    words = re.match(r"^['’]s?\s+((?:[\w'’-]+\s*){1,4})", after)
    phrase = []
    for word in (words.group(1).split() if words else []):
        if word.lower() in _PHRASE_STOP:
            break  # the possessed phrase ends at a verb or function word
        phrase.append(word)
    return bool(WEAPON_RE.search(" ".join(phrase)))


def _best_origin(context: ArticleContext, sentence: Sentence, roles: dict[int, _Role], anchor: int,
                 strengths: tuple[str, ...] = tuple(ORIGIN_PRIORITY)) -> Mention | None:
    """The strongest origin among the roles (of the given strengths), the nearest to the claim's anchor on ties."""
    origins = [m for m in context.claim_mentions(sentence)
               if roles.get(m.start, _Role("")).kind == "origin" and roles[m.start].strength in strengths]
    if not origins:
        return None
    return min(origins, key=lambda m: (ORIGIN_PRIORITY[roles[m.start].strength], abs(m.start - anchor)))


def _targets(context: ArticleContext, sentence: Sentence, roles: dict[int, _Role], after: int = 0
             ) -> list[Mention]:
    """Mentions with a target role, after ``after`` (an article offset), in text order."""
    return [m for m in context.claim_mentions(sentence)
            if m.start >= after and roles.get(m.start, _Role("")).kind == "target"]


# --- inferred origins -------------------------------------------------------------------------


def launching_force(sentence_text: str, weapon: tuple[int, int] | None) -> str | None:
    """The force the sentence says has or fires the weapon ("the rebel militia has a rocket").

    Falls back on a possessor ("Hezbollah's rockets") and on capitalised modifiers of the
    weapon phrase ("Houthi drones").
    """
    head = sentence_text[: weapon[0]] if weapon else sentence_text
    subjects = list(_FORCE_BEFORE_VERB_RE.finditer(head))
    if subjects:
        return _strip_article(subjects[-1].group("force"))
    if weapon:
        possessive = _FORCE_POSSESSIVE_RE.search(head)
        if possessive:
            return possessive.group("force")
        modifiers = [w for w in sentence_text[weapon[0]:weapon[1]].split()
                     if w[:1].isupper() and not WEAPON_RE.fullmatch(w)]
        if modifiers:
            return " ".join(modifiers)
    return None


def _strip_article(phrase: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.IGNORECASE)


def _force_pattern(force: str) -> re.Pattern:
    """A pattern for a force's name that tolerates plurals and case ("Houthi" ~ "Houthis")."""
    words = [re.escape(w) + r"\w*" for w in force.split() if w.lower() not in ("the", "a", "an")]
    return re.compile(r"\b" + r"[\s-]+".join(words), re.IGNORECASE)


def infer_origin(context: ArticleContext, sentence_index: int, force: str) -> Mention | None:
    """The place an earlier sentence ties ``force`` to, looking back from the claim's sentence.

    Ties are "FORCE ... in/from PLACE" within a short window after the force's name, or
    "PLACE's FORCE" / "PLACE-based FORCE" right before it.
    """
    pattern = _force_pattern(force)
    for i in range(sentence_index - 1, max(-1, sentence_index - 1 - _LOOKBACK_SENTENCES), -1):
        sentence = context.sentences[i]
        for match in pattern.finditer(sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            for mention in context.mentions_in(end, min(sentence.end, end + _TIE_WINDOW)):
                gap = context.article.text[end:mention.start]
                if mention.place is not None and re.search(r"\b(?:in|from|of|inside|based\s+in)\s+(?:\S+\s+){0,2}$",
                                                           gap, re.IGNORECASE):
                    return mention
            for mention in context.mentions_in(max(sentence.start, start - 40), start):
                gap = context.article.text[mention.end:start]
                if mention.place is not None and re.fullmatch(r"(?:['’]s?|-based|\s)*\s*", gap):
                    return mention
    return None


# --- distances to places ----------------------------------------------------------------------


#: Places whose single point says nothing about how far away they are (the Red Sea's centre is 1,300 km from
#: Gaza, its shore at Eilat 220 km): not measured unless the gazetteer has their outline.
UNMEASURED_KINDS = frozenset({"water", "continent"})


def measure(origin: ClaimPlace | None, mention: Mention, range_km: float | None, *, stated: bool,
            outline=None, origin_outline=None) -> RangeTarget:
    """A place measured against a range: geodesic distance from the origin and inside/outside.

    With the place's ``outline`` (countries), the distance is to its nearest point, 0 when the origin lies
    inside it: "could reach Poland" is true if any of Poland is in range. With the origin's outline (a range
    "from Yemen"), the range is measured from the area: the distance is from the place to the nearest point
    of the origin's outline, so Eilat is about 1,580 km from Yemen, not 2,096 km from its centre.
    """
    place = mention.place
    distance = None
    if origin_outline is not None and place is not None and place.kind not in UNMEASURED_KINDS:
        distance = geodesy.distance_to_outline_km(place.lat, place.lon, origin_outline)
    elif origin is not None and origin.lat is not None and place is not None:
        if outline is not None:
            distance = geodesy.distance_to_outline_km(origin.lat, origin.lon, outline)
        elif place.kind not in UNMEASURED_KINDS:
            distance = geodesy.distance_km(origin.lat, origin.lon, place.lat, place.lon)
    inside = None if distance is None or range_km is None else distance <= range_km
    return RangeTarget(
        text=mention.text, lat=place.lat if place else None, lon=place.lon if place else None,
        distance_km=distance, inside=inside, stated=stated, place=place,
    )


def _checks(context: ArticleContext, origin: ClaimPlace | None, range_km: float | None) -> list[RangeTarget]:
    """Distance from the origin to every other resolved place of the article."""
    if origin is None or origin.lat is None:
        return []
    origin_id = origin.place.id if origin.place else None
    area = context.outline(origin.place)
    return [measure(origin, m, range_km, stated=False, outline=context.outline(m.place), origin_outline=area)
            for m in context.resolved_places()
            if m.place.id != origin_id]


# --- claims -----------------------------------------------------------------------------------


def is_range_distance(sentence_text: str, distance: Distance, offset: int) -> bool:
    """Whether a distance in a sentence is stated as a range (by a range or capability cue)."""
    lo, hi = distance.start - offset, distance.end - offset
    before = sentence_text[max(0, lo - 80):lo]
    after = sentence_text[hi:hi + 12]
    if _TEST_HIT_BEFORE_RE.search(before) or _NOT_CAPABILITY_BEFORE_RE.search(before):
        return False
    return bool(_RANGE_BEFORE_RE.search(before) or _RANGE_AFTER_RE.match(after)
                or _CAPABILITY_BEFORE_RE.search(before))


def _range_text_start(sentence_text: str, distance: Distance, offset: int) -> int:
    """Start (article offset) of the cue leading to a range: "a range of 250 km" starts at "a"."""
    lo = distance.start - offset
    before = sentence_text[max(0, lo - 80):lo]
    match = _RANGE_BEFORE_RE.search(before)
    return offset + lo - len(before) + match.start("cue") if match else distance.start


def _split_change(sentence: Sentence, distance: Distance) -> list[Distance]:
    """"grew from 300 km to 500 km" is two figures, not the span 300-500 km; any other distance is itself."""
    before = sentence.text[:distance.start - sentence.start]
    if not distance.is_span or not _CHANGE_FROM_RE.search(before):
        return [distance]
    low = replace(distance, max_km=distance.min_km, end=distance.start + len(distance.text.split()[0]))
    return [low, replace(distance, min_km=distance.max_km)]


def _range_distances(sentence: Sentence, distances: list[Distance]) -> list[Distance]:
    """The distances of a sentence stated as ranges, list continuations included."""
    chosen: list[Distance] = []
    distances = [part for distance in distances for part in _split_change(sentence, distance)]
    for distance in distances:
        if is_range_distance(sentence.text, distance, sentence.start):
            chosen.append(distance)
        elif chosen and chosen[-1] is distances[distances.index(distance) - 1] and _LIST_JOIN_RE.match(
                sentence.text[chosen[-1].end - sentence.start:distance.start - sentence.start]):
            chosen.append(distance)
    return chosen


def _claim_weapon(context: ArticleContext, index: int, position: int) -> str | None:
    """The weapon phrase of a claim: in its sentence, else in the previous one."""
    sentence = context.sentences[index]
    span = nearest_weapon(sentence.text, position - sentence.start)
    if span:
        return sentence.text[span[0]:span[1]]
    if index > 0:
        previous = context.sentences[index - 1].text
        spans = weapon_spans(previous)
        if spans:
            return previous[spans[-1][0]:spans[-1][1]]
    return None


def _origin(context: ArticleContext, index: int, roles: dict[int, _Role], anchor: int,
            weapon_span: tuple[int, int] | None) -> ClaimPlace | None:
    """The claim's origin: where its sentence says the weapon is fired or based, else where the sentences
    before say so (inferred), else the place tied to the launching force (inferred), else None.

    The subject that has the weapon ("Russia has stationed Iskander missiles there") gives an origin only
    through the site it points back to; a possessor only when it holds the force ("Lebanon's Hezbollah"),
    and then as an inference.
    """
    sentence = context.sentences[index]
    stated = _best_origin(context, sentence, roles, anchor, ("launch", "in"))
    owner = _best_origin(context, sentence, roles, anchor, ("possessor", "subject"))
    if stated is not None:
        local = _anaphoric_site(context, index, stated)
        return claim_place(local, inferred=True) if local is not None else origin_place(context, stated)
    if owner is not None and (local := _anaphoric_site(context, index, owner)) is not None:
        return claim_place(local, inferred=True)
    site = _deployment_site(context, index, weapon_span) or _dateline_site(context, index)
    if site is not None:
        return site
    if owner is not None and roles[owner.start].strength == "possessor":
        return claim_place(owner, inferred=True)
    force = launching_force(sentence.text, weapon_span)
    if force:
        tied = infer_origin(context, index, force)
        if tied is not None:
            return claim_place(_anaphoric_site(context, index, tied) or tied, inferred=True)
    return None


def _dateline_site(context: ArticleContext, index: int) -> ClaimPlace | None:
    """The dateline's place when the claim's sentence, or the one before, launches "from here" or "from the city":
    "KHARTOUM, Sudan — ... The drones, launched from the city's airport, can fly 1,200 km". Inferred."""
    near = " ".join(s.text for s in context.sentences[max(0, index - 1):index + 1])
    dateline = _DATELINE_RE.match(context.article.text)
    if not dateline or not _FROM_HERE_RE.search(near):
        return None
    first = next(iter(context.mentions_in(0, dateline.end())), None)
    return claim_place(first, inferred=True) if first is not None and first.place is not None else None


def _deployment_site(context: ArticleContext, index: int, weapon_span: tuple[int, int] | None
                     ) -> ClaimPlace | None:
    """Where the claim's sentence, or one of the two before it, says a weapon is deployed or launched from:
    "Analysts believe the launchers are stationed near Krychaw. Their range is ...". A site named by a common
    noun ("along its northern border") is kept as text, without coordinates. Inferred unless in the claim's
    sentence; the sentences before count only when the claim refers back to their weapon ("the missile",
    "its range", "this weapon"), not when it names another ("Iron Dome interceptors have a range of 70 km").
    """
    text = context.sentences[index].text
    if weapon_span is not None:
        refers_back = bool(_DEFINITE_BEFORE_RE.search(text[:weapon_span[0]]))
    else:
        refers_back = bool(_BACK_REFERENCE_RE.search(text))
    for i in range(index, max(-1, index - 3), -1):
        if i != index and not refers_back:
            break
        sentence = context.sentences[i]
        if not WEAPON_RE.search(sentence.text):
            continue
        span = nearest_weapon(sentence.text, 0)
        roles = mention_roles(context, sentence, span[0] + sentence.start if span else None)
        found = _best_origin(context, sentence, roles, sentence.start, ("launch",))
        if found is not None:
            return origin_place(context, found, inferred=i != index)
        if site := _SITE_PHRASE_RE.search(sentence.text):
            return ClaimPlace(text=site.group("site"), lat=None, lon=None, inferred=i != index)
    return None


def _anaphoric_site(context: ArticleContext, index: int, origin: Mention) -> Mention | None:
    """The site a country origin points back to: "Russia has stationed Iskander missiles there ... near the
    city" after a sentence about Kaliningrad is Kaliningrad, not the middle of Russia.

    The most recent place of the origin's country, below country level, in the sentence before the claim's
    (or earlier in its own sentence), when the claim's sentence refers back with "there" or "the city/base".
    """
    place = origin.place
    if place is None or place.kind != "country" or not _SITE_ANAPHOR_RE.search(context.sentences[index].text):
        return None
    start = context.sentences[max(0, index - 1)].start
    earlier = [m for m in context.mentions_in(start, origin.start)
               if m.place is not None and m.place.kind != "country" and m.place.country_code == place.country_code]
    return earlier[-1] if earlier else None


# "stationed missiles there", "from launchers near the city", "at the base"
_SITE_ANAPHOR_RE = re.compile(r"\b(?:there|the\s+(?:city|town|enclave|base|port|island|region))\b", re.IGNORECASE)


def _following_targets(context: ArticleContext, index: int) -> list[Mention]:
    """Targets in the sentences right after a claim that describe the weapon striking."""
    found: list[Mention] = []
    for i in range(index + 1, min(len(context.sentences), index + 1 + _FOLLOWING_SENTENCES)):
        sentence = context.sentences[i]
        if _range_distances(sentence, find_distances(sentence.text, sentence.start)):
            break  # a new claim starts
        if not (_STRIKE_RE.search(sentence.text) and (WEAPON_RE.search(sentence.text)
                                                       or re.search(r"\b(?:it|they)\b", sentence.text, re.IGNORECASE))):
            continue
        strike = _STRIKE_RE.search(sentence.text).start() + sentence.start
        span = nearest_weapon(sentence.text, strike - sentence.start)
        roles = mention_roles(context, sentence, span[0] + sentence.start if span else None)
        found += _targets(context, sentence, roles, after=strike)
    return found


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    """One mention per place (or per surface when unresolved), first kept."""
    seen: set[str] = set()
    out = []
    for m in mentions:
        key = m.place.id if m.place else m.text.lower()
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _build_claim(context: ArticleContext, *, weapon: str | None, distance: Distance | None, qualifier: str | None,
                 origin: ClaimPlace | None, targets: list[Mention], sentence: Sentence, start: int, end: int
                 ) -> RangeClaim:
    """Assemble a RangeClaim and measure its targets and checks."""
    range_km = distance.max_km if distance else None
    origin_id = origin.place.id if origin and origin.place else None
    area = context.outline(origin.place if origin else None)
    if area is not None:  # a range from an area is measured, and drawn, from its outline
        origin = replace(origin, area_id=origin_id, outline=area)
    targets = [m for m in _dedupe(targets) if m.place is None or m.place.id != origin_id]
    return RangeClaim(
        weapon=weapon, range_km=range_km, range_min_km=distance.min_km if distance else None,
        range_max_km=range_km, qualifier=qualifier, origin=origin,
        targets=[measure(origin, m, range_km, stated=True, outline=context.outline(m.place), origin_outline=area)
                 for m in targets],
        sentence=sentence.text, start=start, end=end, range_text=context.article.text[start:end],
        checks=_checks(context, origin, range_km),
    )


def _numeric_claims(context: ArticleContext, index: int) -> list[RangeClaim]:
    """Range claims with a number in one sentence."""
    sentence = context.sentences[index]
    claims = []
    for distance in _range_distances(sentence, find_distances(sentence.text, sentence.start)):
        local = distance.start - sentence.start
        weapon_span = nearest_weapon(sentence.text, local)
        if weapon_span is None and not _weapon_nearby(context, index, distance):
            continue  # "a range of 40 km" of hills, not of a weapon
        roles = mention_roles(context, sentence, weapon_span[0] + sentence.start if weapon_span else None)
        origin = _origin(context, index, roles, distance.start, weapon_span)
        anchor = min(distance.start, weapon_span[0] + sentence.start) if weapon_span else distance.start
        targets = _targets(context, sentence, roles, after=anchor) or _following_targets(context, index)
        claims.append(_build_claim(
            context, weapon=_claim_weapon(context, index, distance.start), distance=distance,
            qualifier=distance.qualifier, origin=origin, targets=targets, sentence=sentence,
            start=_range_text_start(sentence.text, distance, sentence.start), end=distance.end,
        ))
    return claims


def _weapon_nearby(context: ArticleContext, index: int, distance: Distance) -> bool:
    """A weapon in the sentences around a claim's ("Hsiungfeng 2E has a range of 600 km. The missile ..."), or,
    for what something "can fly", anywhere in the article ("both types can fly 300 miles").
    """
    window = context.sentences[max(0, index - _WEAPON_WINDOW):index + 1 + _WEAPON_WINDOW]
    if any(WEAPON_RE.search(s.text) for s in window):
        return True
    sentence = context.sentences[index]
    before = sentence.text[max(0, distance.start - sentence.start - 80):distance.start - sentence.start]
    return bool(_CAPABILITY_BEFORE_RE.search(before)) and bool(WEAPON_RE.search(context.article.text))


def _restated(claims: list[RangeClaim], claim: RangeClaim, context: ArticleContext) -> bool:
    """True when an earlier claim a few sentences before gave the same figure: one statement, one claim
    ("a range of 2,000 km ... The 2,000-kilometer range makes it ...").
    """
    index = context.sentence_index(claim.start)
    return any(c.range_km == claim.range_km and index - context.sentence_index(c.start) <= _RESTATED_WITHIN
               for c in claims)


def _reach_claims(context: ArticleContext, index: int) -> list[RangeClaim]:
    """Reach claims without a number: "could barely reach Sderot", "puts Tel Aviv within range"."""
    sentence = context.sentences[index]
    text = sentence.text
    cues = [m for m in _REACH_RE.finditer(text) if not _NEGATION_RE.search(text[:m.start()])]
    cues += list(_WITHIN_RANGE_RE.finditer(text))
    if not cues or not WEAPON_RE.search(text):
        return []
    cue = min(cues, key=lambda m: m.start())
    weapon_span = nearest_weapon(text, cue.start())
    roles = mention_roles(context, sentence, weapon_span[0] + sentence.start if weapon_span else None)
    targets = _targets(context, sentence, roles)
    if not targets:
        return []
    qualifier = (cue.groupdict().get("qual") or "").strip().lower() or None
    start = sentence.start + cue.start()
    end = max(start + len(cue.group(0)), max(t.end for t in targets))
    origin = _origin(context, index, roles, start, weapon_span)
    return [_build_claim(
        context, weapon=text[weapon_span[0]:weapon_span[1]] if weapon_span else None, distance=None,
        qualifier=qualifier, origin=origin, targets=targets, sentence=sentence, start=start, end=end,
    )]


def extract_ranges(context: ArticleContext) -> list[RangeClaim]:
    """Every range and reach claim of the article, in text order."""
    claims: list[RangeClaim] = []
    for index in range(len(context.sentences)):
        numeric = [c for c in _numeric_claims(context, index) if not _restated(claims, c, context)]
        claims += numeric or _reach_claims(context, index)
    return claims

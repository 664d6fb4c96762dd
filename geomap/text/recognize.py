"""Recognition: which spans of the text name places.

Two sources are merged: the spaCy model's entities (GPE, LOC, FAC) and
gazetteer candidates, capitalised phrases whose folded form is a gazetteer
name, for the places the model misses or mislabels (Albukamal, al-Mayadin,
Eilat as an organisation). Candidates are checked against the gazetteer's
index in one batched query per article; no in-memory matcher of every name.

Filters keep out what only looks like a place: organisation, media and
operation names (Quds Force, The Jerusalem Post, from the curated
``not_places`` table and from the model's ORG/PERSON entities), person names
the model sometimes calls places (one sense per discourse: a surface the
article mostly uses as a person is no place), and common words. Each piece of evidence is one function
below (:func:`settlement_cue`, :func:`model_label_allows`, :func:`word_frequency_allows`,
:func:`used_as_surname`...), its thresholds fields of :class:`RecognitionWeights` (:mod:`geomap.text.weights`,
where each value's reason is); :meth:`Recognizer.accept` weighs them in order.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from gazetteer.database import CODE, CURATED, DEMONYM
from gazetteer.normalize import SETTLEMENT_PREFIXES, name_key
from geomap.text.state_abbreviations import state_after
from geomap.text.weights import RecognitionWeights
from geomap.text.word_frequency import word_zipf

PLACE_LABELS = {"GPE", "LOC", "FAC"}
BLOCKING_LABELS = {"PERSON", "ORG", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "LANGUAGE", "NORP"}

# A capitalised word, optionally behind a glued Arabic article (al-Mayadin, ez-Zor), or a code like T-4.
_WORD = r"(?:(?:[A-Z]\.){2,}|(?:(?:[Aa]l|[Ee]l|[Aa][rsdzt]|[Aa]sh|[Ee][zsdrn])[-‐‑])?[A-Z][\w'’]*(?:[-‐‑][\w'’]+)*)"
#: "U.S.", "D.C.": dotted initials keep their last dot.
_DOTTED = re.compile(r"(?:[A-Z]\.){2,}")
#: Lower-case words inside names ("Bosnia and Herzegovina", "Deir ez-Zor", "Stratford upon Avon").
JOINERS = frozenset({"of", "de", "del", "la", "le", "du", "di", "da", "des", "al", "el", "ez", "es", "bin", "ibn",
                     "on", "upon", "am", "im", "an", "sur", "and", "&"})
_JOIN = r"(?:\s+(?:(?:" + "|".join(sorted(map(re.escape, JOINERS))) + r")\s+)?)"
PHRASE = re.compile(rf"(?<![\w'’-]){_WORD}(?:{_JOIN}{_WORD})*")
_LEADING_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING_POSSESSIVE = re.compile(r"['’]s$")
MAX_NGRAM = 6
#: Lower-case heads that complete a name the gazetteer may know whole ("the Imam Ali base", "Yarmouk camp",
#: "al-Shifa hospital", "Evin prison").
GENERIC_HEAD = re.compile(r"\s+(?:air ?base|base|refugee camp|camp|airport|airfield|border crossing|crossing|"
                          r"hospital|medical (?:complex|cent(?:er|re))|prison)\b")
#: "Washington Drive", "Main Street": a street named after a place is not the place.
STREET_AFTER = re.compile(r"\s+(?:Drive|Dr\.|Street|St\.|Avenue|Ave\.|Road|Rd\.|Boulevard|Blvd\.|Lane|Ln\.|"
                          r"Parkway|Pkwy\.|Court|Terrace|Place|Pike|Turnpike)\b")
#: "Kibbutz Be'eri", "moshav Netiv HaAsara": a word before a name that says it is a settlement.
SETTLEMENT_BEFORE = re.compile(rf"\b(?:{'|'.join(SETTLEMENT_PREFIXES)})\s+$", re.I)
#: "a brother named Badr": a name given to a person.
PERSON_NAMED = re.compile(r"\b(?:brother|sister|son|daughter|man|woman|boy|girl|wife|husband|father|mother|"
                          r"friend|cousin|uncle|aunt|commander|officer|child|baby|person)\s+(?:named|called)\s+"
                          r"[\"“‘']?$", re.I)
# "Mr. Sanford", "Judge Manning", "Sen. Burley": a title before a surname
_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Col|Capt|Lt|Sgt|Prof|Det|Rev|Judge|Officer|Sheriff|"
                    r"Deputy|Coach|Justice|Senator|Governor|Mayor|Commissioner|Councilman|Councilwoman)\.?\s+"
                    r"([A-Z][\w'’-]+)")
# "Burley said", "said Burley"
_SAID = re.compile(r"\b([A-Z][\w'’-]+)\s+(?:said|says|told|added|asked|explained)\b|"
                   r"\b(?:said|says)\s+([A-Z][\w'’-]+)\b(?!\s+(?:on|in|at|Monday|Tuesday|Wednesday|Thursday|"
                   r"Friday|Saturday|Sunday))")

#: "fighting in", "shelling hit", "near": words before a name that say it is where something happens.
LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|outside|around|hit|hits|shelled|shelling|struck|strikes|bombed|"
                             r"raided|attacked|into|across)\s+(?:the\s+)?$", re.I)
#: "Chatham House", "the Jordan Times", "Newcastle United": a head word after a place name that makes the
#: whole an organisation's name, no mention of the place ("Gaza City", "New York" stay places).
ORGANISATION_AFTER = re.compile(r"\s+(?:House|Institute|Institution|Times|Post|Herald|Tribune|Gazette|Chronicle|"
                                r"Independent|Observer|Journal|Club|FC|United|University|College|Council|"
                                r"Commission|Foundation|Group|Bank|Airlines|Airways|Corporation|Company)\b")

#: "the Strip", "the kingdom", "the enclave": a short form that may refer back to a place named before it.
REFERENCE = re.compile(r"\b[Tt]he\s+(Strip|[Kk]ingdom|[Ee]nclave|[Pp]eninsula|[Ii]sland|[Ee]mirate|[Rr]epublic)\b"
                       r"(?!\s+of\b)")
#: The source of a span that refers back to a place named before it (:func:`reference_spans`).
REFERENCE_SOURCE = "reference"

#: Words that name regions somewhere ("Centre", "Western") but alone, in English text, are directions.
GENERIC_WORDS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                           "northeast", "northwest", "southeast", "southwest", "central", "centre", "center",
                           "middle", "upper", "lower", "coast", "bay", "rivers", "island", "islands", "lake",
                           "lakes", "valley", "mountain", "mountains", "city", "county", "state", "capital",
                           "border", "interior"})


@dataclass(slots=True)
class Span:
    """A recognised place-name span, before resolution."""

    start: int
    end: int
    text: str
    source: str                  # "ner" or "gazetteer"
    label: str | None = None


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the" and a trailing possessive: 'the Gaza Strip's' -> 'Gaza Strip'."""
    s = text[start:end]
    m = _LEADING_ARTICLE.match(s)
    if m:
        start += m.end()
    m = _TRAILING_POSSESSIVE.search(text[start:end])
    if m:
        end -= len(m.group(0))
    return start, end


def find_phrases(text: str, blocked: list[tuple[int, int]] = ()) -> list[list[tuple[int, int]]]:
    """Capitalised phrases as lists of word spans."""
    out = []
    for m in PHRASE.finditer(text):
        words = [(w.start() + m.start(), w.end() + m.start()) for w in re.finditer(r"\S+", m.group(0))]
        # trailing punctuation of a word belongs to the sentence, not the name
        words = [(s, e - (len(text[s:e]) - len(_strip_word(text[s:e])))) for s, e in words]
        out.append([w for w in words if w[1] > w[0]])
    return out


def _strip_word(word: str) -> str:
    stripped = word.rstrip(".,;:!?)\"”")
    if _DOTTED.fullmatch(stripped + "."):
        return stripped + "."
    return stripped


def phrase_ngrams(text: str, words: list[tuple[int, int]]):
    """Every sub-span of a phrase that starts and ends on a capitalised word, longest first."""
    capital = [text[s:e] not in JOINERS for s, e in words]
    n = len(words)
    for length in range(min(n, MAX_NGRAM), 0, -1):
        for i in range(0, n - length + 1):
            if capital[i] and capital[i + length - 1]:
                yield words[i][0], words[i + length - 1][1]


def singular(word: str) -> str:
    """A plural demonym's singular: "Russians" -> "Russian" (other words unchanged).

    >>> singular("Russians"), singular("Syrians"), singular("Swiss")
    ('Russian', 'Syrian', 'Swiss')
    """
    return word[:-1] if word.endswith("ns") else word


def person_surnames(text: str, ents) -> set[str]:
    """Keys of the words an article uses as people's surnames.

    The last word of the model's multi-word PERSON entities, a word after a
    title ("Mr. Sanford"), and a word that says something ("Burley said") when a PERSON entity of the
    article ends with it: "Officials in Albukamal said" names no person.
    """
    names = [e.text.split() for e in ents if e.label_ == "PERSON"]
    # "Kibbutz Be'eri" is no person's name, whatever the model says
    names = [words for words in names if words[0].lower() not in SETTLEMENT_PREFIXES]
    keys = {name_key(words[-1]) for words in names if len(words) > 1}
    keys.update(name_key(m.group(1)) for m in _TITLE.finditer(text))
    # "X said" is a person's word only when the article has a person called X ("Officials in Albukamal said")
    persons = {name_key(words[-1]) for words in names}
    keys.update(k for m in _SAID.finditer(text) if (k := name_key(m.group(1) or m.group(2))) in persons)
    return keys


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class Occupancy:
    """Which characters of a text are taken, for overlap tests in time proportional to the span, not to the
    number of spans already taken (long articles have thousands)."""

    def __init__(self, length: int, spans=()):
        self._taken = bytearray(length + 1)
        for start, end in spans:
            self.take(start, end)

    def free(self, start: int, end: int) -> bool:
        return not any(self._taken[start:end])

    def take(self, start: int, end: int) -> None:
        self._taken[start:end] = b"\x01" * (end - start)


class EntityIndex:
    """The model's entities sorted by start, to find those overlapping a span by bisection."""

    def __init__(self, ents, labels: set[str]):
        self._items = sorted((*entity_span(e), e.label_) for e in ents if e.label_ in labels)
        self._starts = [item[0] for item in self._items]

    def overlapping(self, start: int, end: int) -> tuple[int, int, str] | None:
        """The first entity overlapping [start, end), or None (spaCy's entities do not overlap)."""
        i = bisect.bisect_left(self._starts, end) - 1
        while i >= 0 and self._items[i][1] > start:
            if i == 0 or self._items[i - 1][1] <= start:
                return self._items[i]
            i -= 1
        return None


def _phrase_pattern(phrase: str) -> str:
    """A regex for a curated phrase: either apostrophe, any dash, any run of spaces, quotes between words."""
    out = []
    for ch in phrase:
        if ch in "'’":
            out.append("['’]")
        elif ch in "-‐‑–—":
            out.append("[-‐‑–—]")
        elif ch == " ":
            out.append(r"[\"“”]?\s+[\"“”]?")   # the “Quds” day event
        else:
            out.append(re.escape(ch))
    return "".join(out)


def generic_extensions(text: str, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of a phrase followed by a lower-case generic head that may be part of a name ("Imam Ali base")."""
    m = GENERIC_HEAD.match(text, words[-1][1])
    if not m:
        return []
    return [(s, m.end()) for s, _ in words]


def entity_span(ent) -> tuple[int, int]:
    """An entity's span cut at an opening bracket: the model runs "the Great Satan [America" together."""
    start, end = ent.start_char, ent.end_char
    cut = re.search(r"[\[(]", ent.text)
    return (start, start + cut.start()) if cut and cut.start() > 0 else (start, end)


#: What the gazetteer says of a name key (:meth:`gazetteer.Gazetteer.key_stats`): its best prominence, the union
#: of its flags (CURATED, CODE, DEMONYM...) and how many places have it.
NameStats = tuple[float, int, int]


# --------------------------------------------------------------------------- evidence: is this name a place?

def written_as_place_name(flags: int, demonyms: bool) -> bool:
    """Whether a name is written as some place's name, as a gazetteer-only mention needs.

    Codes ("GA"), demonyms and GeoNames' other names (flags 0) alone never make a gazetteer-only mention:
    other names are many and loose (taking them, even of several words, cost precision on the dev data). A
    demonym ("Canadian officials") makes one only when demonyms are counted as mentions.

    >>> from gazetteer.database import CODE, DEMONYM, PREFERRED
    >>> written_as_place_name(PREFERRED, False), written_as_place_name(CODE, False)
    (True, False)
    >>> written_as_place_name(PREFERRED | DEMONYM, False), written_as_place_name(PREFERRED | DEMONYM, True)
    (False, True)
    """
    if flags & ~(CODE | DEMONYM) == 0:
        return False
    return not (flags & DEMONYM and not demonyms)


def settlement_cue(text: str, start: int) -> bool:
    """Whether a word before the name says it is a settlement ("Kibbutz Nir Oz", "moshav Avivim").

    The model mostly calls such a whole a person's name; the cue says otherwise.

    >>> text = "They drove to Kibbutz Nir Oz."
    >>> settlement_cue(text, text.index("Nir")), settlement_cue(text, text.index("Kibbutz"))
    (True, False)
    """
    return SETTLEMENT_BEFORE.search(text, max(0, start - 16), start) is not None


def named_person_cue(text: str, start: int) -> bool:
    """Whether the name is given to a person: "a brother named Hama", "a woman called Florence".

    >>> text = "She has a son named Beirut."
    >>> named_person_cue(text, text.index("Beirut"))
    True
    """
    return PERSON_NAMED.search(text, max(0, start - 40), start) is not None


def locative_cue(text: str, start: int) -> bool:
    """Whether the words before the name say it is where something happens: "fighting in", "shelling hit",
    "near", "outside".

    >>> text = "Shelling hit Aleppo; Aleppo residents fled."
    >>> locative_cue(text, text.index("Aleppo")), locative_cue(text, text.rindex("Aleppo"))
    (True, False)
    """
    return LOCATIVE_BEFORE.search(text, max(0, start - 20), start) is not None


def locative_place_allows(surface: str, prominence: float, w: RecognitionWeights) -> bool:
    """Whether a name in a locative context (:func:`locative_cue`) is a place whatever label the model gave
    it: a place prominent enough (:attr:`~RecognitionWeights.locative_prominence`) whose name is no common
    English word ("The war in Aleppo" is tagged a people, "hit Aleppo" a language).

    >>> w = RecognitionWeights()
    >>> locative_place_allows("Aleppo", 0.96, w), locative_place_allows("Chase", 0.96, w)
    (True, False)
    """
    return prominence >= w.locative_prominence and word_zipf(surface) < w.common_word_zipf


def organisation_head_after(text: str, end: int) -> bool:
    """Whether a head word after the name makes it an organisation's: "Chatham House", "the Jordan Times",
    "Kyiv Independent" (while "Gaza City" stays the city).

    >>> text = "Chatham House and Gaza City"
    >>> organisation_head_after(text, 7), organisation_head_after(text, text.index(" City"))
    (True, False)
    """
    return ORGANISATION_AFTER.match(text, end) is not None


def code_after_number(text: str, start: int, surface: str) -> bool:
    """Whether an upper-case name follows a number, as a unit or era does ("500 BC", "a 4 WD"), not a place.

    >>> text = "built around 300 BC by"
    >>> code_after_number(text, text.index("BC"), "BC")
    True
    """
    return re.search(r"\d\s*$", text[max(0, start - 3):start]) is not None and surface.isupper()


def model_label_allows(label: str, whole: bool, surface: str, prominence: float, flags: int, demonyms: bool,
                       w: RecognitionWeights) -> bool:
    """Whether a gazetteer name inside a model entity of another kind than a place may still be a place.

    The model's label is evidence against the place (an organisation, a person, an event named after a
    place is not it), but the model mislabels places too. ``whole`` is True when the entity is exactly the
    name. Persons, organisations, peoples and products are weighed by their own functions; events, works,
    laws and languages named after places are never them.

    >>> w = RecognitionWeights()
    >>> model_label_allows("EVENT", True, "Waterloo", 0.6, 1, False, w)
    False
    >>> model_label_allows("ORG", False, "Ohio", 0.7, 1, False, w)   # "the Ohio Supreme Court"
    True
    """
    if label == "PERSON":
        return person_entity_allows(whole, surface, prominence, flags, w)
    if label == "ORG":
        return organisation_entity_allows(whole, surface, prominence, flags, w)
    if label == "NORP":
        return demonyms or people_entity_allows(whole, surface, prominence, flags, w)
    return label == "PRODUCT" and product_entity_allows(whole, surface, prominence, w)


def person_entity_allows(whole: bool, surface: str, prominence: float, flags: int, w: RecognitionWeights) -> bool:
    """Whether a name the model calls a person is a place.

    Never a part of a person's name ("Jordan" of "Michael Jordan"). A whole entity is a place when it is a
    country-level name (:attr:`~RecognitionWeights.country_level_prominence`), or a fairly prominent or
    curated name that is no common word (the model calls some places persons: "Tamil Nadu"; the towns news
    names in a conflict are small, and the team curated them).

    >>> w = RecognitionWeights()
    >>> person_entity_allows(True, "Tamil Nadu", 0.7, 1, w), person_entity_allows(False, "Jordan", 0.9, 1, w)
    (True, False)
    """
    if not whole:
        return False
    return prominence >= w.country_level_prominence or (
        (prominence >= w.mislabelled_place_prominence or bool(flags & CURATED))
        and word_zipf(surface) < w.common_word_zipf)


def organisation_entity_allows(whole: bool, surface: str, prominence: float, flags: int,
                               w: RecognitionWeights) -> bool:
    """Whether a name inside an organisation's name counts as its place ("the Ohio Supreme Court" is in Ohio).

    Media and armed groups named after places are in the curated not-places table; here a prominent enough
    place counts, the whole entity needing less than a part of it. A town the team curated is that town
    ("Minova and Kamanyola" is no firm) unless its name is an English word too (Shire, the drug maker).

    >>> w = RecognitionWeights()
    >>> organisation_entity_allows(False, "Ohio", 0.7, 0, w), organisation_entity_allows(False, "Avon", 0.2, 0, w)
    (True, False)
    """
    threshold = w.organisation_whole_prominence if whole else w.organisation_part_prominence
    return prominence >= threshold or (whole and bool(flags & CURATED) and word_zipf(surface) < w.rare_word_zipf)


def people_entity_allows(whole: bool, surface: str, prominence: float, flags: int, w: RecognitionWeights) -> bool:
    """Whether a name the model calls a people (NORP) is a place, when demonyms are not counted.

    A people ("Arabs", "Tatars") is no place; but the model calls some towns a people ("close to
    Sderot"): a whole entity that is a prominent place's name, no demonym, and no English word.

    >>> w = RecognitionWeights()
    >>> people_entity_allows(True, "Sderot", 0.55, 1, w), people_entity_allows(True, "Arabs", 0.55, 1, w)
    (True, False)
    """
    return (whole and not flags & DEMONYM and prominence >= w.mislabelled_place_prominence
            and word_zipf(surface) < w.rare_word_zipf)


def product_entity_allows(whole: bool, surface: str, prominence: float, w: RecognitionWeights) -> bool:
    """Whether a name the model calls a product is a place: some rare place names are ("Kaliningrad").

    >>> w = RecognitionWeights()
    >>> product_entity_allows(True, "Kaliningrad", 0.6, w), product_entity_allows(True, "Windows", 0.6, w)
    (True, False)
    """
    return whole and prominence >= w.mislabelled_place_prominence and word_zipf(surface) < w.uncommon_word_zipf


def multiword_name_allows(surface: str, prominence: float, w: RecognitionWeights) -> bool:
    """Whether a gazetteer name of several words ("Kafr Nabl", "Port-au-Prince") is a place.

    A phrase is seldom an accident: a fairly prominent one is a place, and so is one whose last word is no
    English word; "New Hope" (a hamlet's name, and two English words) is not.

    >>> w = RecognitionWeights()
    >>> multiword_name_allows("Kafr Nabl", 0.1, w), multiword_name_allows("Great Hope", 0.1, w)
    (True, False)
    """
    return prominence >= w.multiword_prominence or word_zipf(surface.split()[-1]) < w.unknown_name_zipf


def ordinary_word_lookalike(text: str, start: int, end: int, flags: int) -> bool:
    """Whether a one-word name is used as something else than the place here.

    A direction or generic word ("Western", "Centre": regions somewhere, directions in English text), a
    street named after a place ("Washington Drive"), or an acronym that folds onto a place's ordinary name
    ("BA", "APC": Ba, Fiji) unless the gazetteer has it as a code or the team curated it.

    >>> text = "He lives on Lisbon Avenue near the Western gate; the APC won."
    >>> [ordinary_word_lookalike(text, text.index(w), text.index(w) + len(w), 1) for w in ("Lisbon", "Western", "APC")]
    [True, True, True]
    """
    surface = text[start:end]
    if surface.lower() in GENERIC_WORDS or STREET_AFTER.match(text, end):
        return True
    return surface.isupper() and len(surface) <= 5 and not flags & (CODE | CURATED)


def word_frequency_allows(surface: str, prominence: float, sentence_initial: bool, w: RecognitionWeights) -> bool:
    """Whether a one-word gazetteer name is a place, weighing how common a word it is against how well
    known a place it is.

    The commonest words ("We", "May") never are; a common word needs a prominent place ("Georgia"), and a
    country-level one when it opens a sentence, where every word is capitalised ("Jordan", not "Chase"); an
    uncommon word ("Meadow", "Abbey") a middling place; a rare word a small place; no English word at all
    ("Sderot") any place.

    >>> w = RecognitionWeights()
    >>> word_frequency_allows("Georgia", 0.7, False, w), word_frequency_allows("Chase", 0.7, True, w)
    (True, False)
    """
    zipf = word_zipf(surface)
    if zipf >= w.function_word_zipf:
        return False
    if zipf >= w.common_word_zipf:
        return prominence >= (w.country_level_prominence if sentence_initial else w.prominent)
    if zipf >= w.uncommon_word_zipf:
        return prominence >= w.uncommon_word_prominence
    return prominence >= w.rare_word_prominence or zipf < w.rare_word_zipf


def is_sentence_initial(text: str, start: int) -> bool:
    """Whether a word opens a sentence, a quotation or the text, where any word is capitalised.

    >>> is_sentence_initial("Rain fell. Chase ended.", 11), is_sentence_initial("Rain fell on Chase.", 13)
    (True, False)
    """
    before = text[max(0, start - 3):start].strip()
    return start == 0 or before == "" or before[-1:] in ".!?\"“:"


def gazetteer_completion(text: str, start: int, end: int, known_grams: list[tuple[int, int]],
                         blocked: Occupancy) -> tuple[int, int]:
    """A model entity widened to the longest gazetteer name around it: the model stopped short of it
    ("Deir" of "Deir ez-Zor", "Kfar" of "Kfar Aza").

    >>> text = "Shelling hit Deir ez-Zor today."
    >>> s = text.index("Deir")
    >>> gazetteer_completion(text, s, s + 4, [(s, s + 11)], Occupancy(len(text)))
    (13, 24)
    """
    longer = [(s, e) for s, e in known_grams if s <= start and end <= e and (s, e) != (start, end)
              and blocked.free(s, e)]
    if longer:
        return trim_span(text, *max(longer, key=lambda g: g[1] - g[0]))
    return start, end


def demonym_entity(surface: str, stats: dict[str, NameStats]) -> bool:
    """Whether a people the model names (NORP) is a place's adjective, in the singular or the plural
    ("Syrian", "Russians"), not a group's name ("Arab countries", "a Democrat").

    >>> from gazetteer.database import DEMONYM
    >>> demonym_entity("Russians", {"russian": (0.9, DEMONYM, 1)}), demonym_entity("Democrat", {})
    (True, False)
    """
    flags = stats.get(name_key(surface), stats.get(name_key(singular(surface)), (0, 0)))[1]
    return bool(flags & DEMONYM)


def unknown_entity_kept(surface: str, has_known_part: bool, w: RecognitionWeights) -> bool:
    """Whether a model place entity the gazetteer does not know is kept (to be reported unresolved).

    Kept when no name the gazetteer knows lies inside it ("the Islamic Republic of Iran" is no name, its
    "Iran" is found by itself) and its last word is no English word (a village the gazetteer lacks, not
    "the Resistance Axis").

    >>> w = RecognitionWeights()
    >>> unknown_entity_kept("Wadi Zqeqa", False, w), unknown_entity_kept("Northern Command", False, w)
    (True, False)
    """
    return not has_known_part and word_zipf(surface.split()[-1]) < w.unknown_name_zipf


def head_completes_name(whole: str, before: list[str], flags: int, same_place) -> bool:
    """Whether a name completed by a generic head ("Kalandia checkpoint camp", "Evin prison") is a mention
    of the whole, which the gazetteer knows (its ``flags``).

    Only when the words before the head name no place themselves (``before`` empty: "the Imam Ali base"),
    or the whole is a name the team curated that names another place than those words (``same_place(part,
    whole)`` False: "Evin prison" is in Tehran; Evin is also in France); "Yarmouk refugee camp" is Yarmouk.

    >>> from gazetteer.database import CURATED
    >>> head_completes_name("Evin prison", ["Evin"], CURATED, lambda part, whole: False)
    True
    >>> head_completes_name("Yarmouk camp", ["Yarmouk"], CURATED, lambda part, whole: True)
    False
    """
    return not before or bool(flags & CURATED) and not any(same_place(part, whole) for part in before)


def used_as_person(key: str, source: str, stats: dict[str, NameStats], person_votes: Counter,
                   place_votes: Counter, w: RecognitionWeights) -> bool:
    """One sense per discourse: whether a name the article mostly uses for a person is that person.

    When the model calls the surface a person more often than a place in this article, a surface the
    gazetteer does not know is no place, and neither is a minor place name found by the gazetteer alone
    ("Talal Naji ... Naji claims").

    >>> w = RecognitionWeights()
    >>> votes = Counter({"naji": 2})
    >>> used_as_person("naji", "gazetteer", {"naji": (0.1, 1, 1)}, votes, Counter(), w)
    True
    >>> used_as_person("naji", "ner", {"naji": (0.1, 1, 1)}, votes, Counter(), w)
    False
    """
    return person_votes[key] > place_votes[key] and (
        key not in stats or (source == "gazetteer" and stats[key][0] < w.person_sense_prominence))


def used_as_surname(key: str, source: str, stats: dict[str, NameStats], surnames: set[str],
                    w: RecognitionWeights) -> bool:
    """Whether a minor place name found by the gazetteer alone is a surname the article uses
    ("Margaret Burley ... Burley said": the woman throughout, not Burley, Idaho).

    >>> w = RecognitionWeights()
    >>> used_as_surname("burley", "gazetteer", {"burley": (0.2, 1, 1)}, {"burley"}, w)
    True
    """
    return source == "gazetteer" and key in surnames and stats.get(key, (0.0,))[0] < w.surname_prominence


def state_abbreviation_spans(text: str, spans: list[Span], taken: Occupancy) -> list[Span]:
    """Mentions of US states abbreviated after a place ("Athens, Ga."), which ``taken`` then holds.

    >>> text = "Storms hit Macon, Ga. and Selma, Ala. overnight."
    >>> spans = [Span(11, 16, "Macon", "ner"), Span(26, 31, "Selma", "ner")]
    >>> [s.text for s in state_abbreviation_spans(text, spans, Occupancy(len(text)))]
    ['Ga.', 'Ala.']
    """
    out = []
    for sp in spans:
        found = state_after(text, sp.end)
        if found and taken.free(found[0], found[1]):
            out.append(Span(found[0], found[1], text[found[0]:found[1]], "gazetteer", None))
            taken.take(found[0], found[1])
    return out


def reference_spans(text: str, taken: Occupancy) -> list[Span]:
    """Short forms that may refer back to a place named before ("the Strip", "the kingdom", "the
    peninsula"), not part of a name ("the Kingdom of Jordan"), which ``taken`` then
    holds. Resolution reads each as the place it refers to, or drops it (:func:`geomap.text.resolve.referent`).

    >>> text = "Aid reached the Strip; the Kingdom of Bahrain agreed."
    >>> [s.text for s in reference_spans(text, Occupancy(len(text)))]
    ['Strip']
    """
    out = []
    for m in REFERENCE.finditer(text):
        if taken.free(m.start(1), m.end(1)):
            out.append(Span(m.start(1), m.end(1), m.group(1), REFERENCE_SOURCE, None))
            taken.take(m.start(1), m.end(1))
    return out


# --------------------------------------------------------------------------- the recognizer

@dataclass(slots=True)
class TextScan:
    """What recognition reads of one text before it weighs anything.

    The model's entities; the spans the curated not-places table blocks; the model's place entities; the
    capitalised phrases with their sub-spans (grams) and their generic-head extensions; and what the
    gazetteer says of every one of those names, asked in one batch.
    """

    text: str
    ents: list
    blocked: Occupancy
    blocking: EntityIndex
    place_ents: list[tuple[int, int, str]]
    phrases: list[list[tuple[int, int]]]
    phrase_grams: list[list[tuple[int, int]]]
    generic: set[tuple[int, int]]
    stats: dict[str, NameStats]
    phrase_starts: list[int] = field(default_factory=list)

    def __post_init__(self):
        self.phrase_starts = [words[0][0] for words in self.phrases]

    def grams_around(self, start: int, end: int) -> list[tuple[int, int]]:
        """The known grams of the phrases overlapping [start, end)."""
        i = bisect.bisect_right(self.phrase_starts, end) - 1
        out = []
        while i >= 0 and (self.phrases[i][-1][1] > start):
            out.extend(g for g in self.phrase_grams[i] if name_key(self.text[g[0]:g[1]]) in self.stats)
            i -= 1
        return out


class Recognizer:
    """Finds place-name spans in text with a spaCy doc (or none) and the gazetteer's name index.

    Parameters
    ----------
    gazetteer : gazetteer.Gazetteer
    not_places : list of str
        Phrases that are never places (the curated not-places table).
    demonyms : bool
        Count adjectives of places ("Syrian") as mentions of them.
    weights : RecognitionWeights
        The thresholds of the evidence (:mod:`geomap.text.weights`).
    """

    def __init__(self, gazetteer, not_places: list[str], *, demonyms: bool = False,
                 weights: RecognitionWeights = RecognitionWeights()):
        self.gaz = gazetteer
        self.demonyms = demonyms
        self.weights = weights
        phrases = sorted({p for p in not_places if p}, key=len, reverse=True)
        self.not_places = re.compile(
            r"(?<![\w])(?:" + "|".join(_phrase_pattern(p) for p in phrases) + r")(?![\w])", re.I) if phrases else None

    def recognize(self, text: str, doc=None) -> list[Span]:
        """The place-name spans of ``text`` in text order (``doc``: the model's analysis, or None)."""
        scan = self.scan(text, doc)
        # 1. the model's place entities, completed by the gazetteer; 2a. names completed by a generic head
        spans = self._generic_head_spans(scan, self._model_spans(scan))
        # 2. gazetteer names inside capitalised phrases; 2b. US state abbreviations after a place
        taken = Occupancy(len(text), [(sp.start, sp.end) for sp in spans])
        spans += self._gazetteer_spans(scan, taken)
        spans += state_abbreviation_spans(text, spans, taken)
        # 2c. short forms that refer back ("the Strip"), in place of what the model made of them
        spans = [sp for sp in spans if not (REFERENCE.fullmatch(f"the {sp.text}") and sp.source == "ner")]
        taken = Occupancy(len(text), [(sp.start, sp.end) for sp in spans])
        spans += reference_spans(text, taken)
        # 3. one sense per discourse
        return sorted(self._one_sense_per_discourse(scan, spans), key=lambda s: s.start)

    def scan(self, text: str, doc=None) -> TextScan:
        """Read a text for recognition (see :class:`TextScan`), asking the gazetteer once."""
        ents = list(doc.ents) if doc is not None else []
        blocked_spans = [(m.start(), m.end()) for m in self.not_places.finditer(text)] if self.not_places else []
        blocked = Occupancy(len(text), blocked_spans)
        place_ents = self._place_entities(text, ents, blocked)
        phrases = [words for words in find_phrases(text) if words]
        phrase_grams = [list(phrase_ngrams(text, words)) for words in phrases]
        grams = {g for pg in phrase_grams for g in pg}
        generic = {g for words in phrases for g in generic_extensions(text, words)}
        stats = self.gaz.key_stats([name_key(text[s:e]) for s, e in grams | generic] +
                                   [name_key(text[s:e]) for s, e, _ in place_ents] +
                                   [name_key(singular(text[s:e])) for s, e, label in place_ents if label == "NORP"])
        return TextScan(text, ents, blocked, EntityIndex(ents, BLOCKING_LABELS), place_ents, phrases, phrase_grams,
                        generic, stats)

    def _place_entities(self, text: str, ents, blocked: Occupancy) -> list[tuple[int, int, str]]:
        """The model's place entities (and peoples, when demonyms count), trimmed, not blocked."""
        place_ents = []
        for e in ents:
            if e.label_ not in PLACE_LABELS and not (self.demonyms and e.label_ == "NORP"):
                continue
            start, end = trim_span(text, e.start_char, e.end_char)
            if end > start and blocked.free(start, end):
                place_ents.append((start, end, e.label_))
        return place_ents

    def _model_spans(self, scan: TextScan) -> list[Span]:
        """Step 1: the model's place entities the gazetteer knows as a whole ("the Islamic Republic of Iran"
        is not a name: its "Iran" is found in step 2); unknown rare names stay, to be reported unresolved."""
        spans = []
        for start, end, label in scan.place_ents:
            if organisation_head_after(scan.text, end):
                continue
            known_grams = scan.grams_around(start, end)
            start, end = gazetteer_completion(scan.text, start, end, known_grams, scan.blocked)
            surface = scan.text[start:end]
            known = name_key(surface) in scan.stats
            if label == "NORP":
                if not demonym_entity(surface, scan.stats):
                    continue
                known = True      # "Russians": the plural of a demonym
            inner = any(start <= s and e <= end and (s, e) != (start, end) for s, e in known_grams)
            if known or unknown_entity_kept(surface, inner, self.weights):
                spans.append(Span(start, end, surface, "ner", label))
        return spans

    def _generic_head_spans(self, scan: TextScan, spans: list[Span]) -> list[Span]:
        """Step 2a: names completed by a generic head ("the Imam Ali base"), when the gazetteer knows them
        whole (:func:`head_completes_name`); they replace the spans they overlap."""
        text = scan.text
        for s, e in sorted(scan.generic, key=lambda g: g[0] - g[1]):
            st = scan.stats.get(name_key(text[s:e]))
            if st is None or not scan.blocked.free(s, e):
                continue
            before = [text[gs:ge] for gs, ge in scan.grams_around(s, e) if gs == s and ge < e]
            if not head_completes_name(text[s:e], before, st[1], self._same_place):
                continue
            spans = [sp for sp in spans if not overlaps((sp.start, sp.end), (s, e))]
            spans.append(Span(s, e, text[s:e], "gazetteer", None))
        return spans

    def _gazetteer_spans(self, scan: TextScan, taken: Occupancy) -> list[Span]:
        """Step 2: gazetteer names inside capitalised phrases, longest first, that :meth:`accept` takes."""
        text = scan.text
        spans = []
        for pg in scan.phrase_grams:
            for s, e in pg:
                if not taken.free(s, e) or not scan.blocked.free(s, e):
                    continue
                st = scan.stats.get(name_key(text[s:e]))
                if st is None or not self.accept(text, s, e, st, scan.blocking):
                    continue
                spans.append(Span(s, e, text[s:e], "gazetteer", None))
                taken.take(s, e)
        return spans

    def _one_sense_per_discourse(self, scan: TextScan, spans: list[Span]) -> list[Span]:
        """Step 3: the spans left once the names the article uses for persons are taken out
        (:func:`used_as_person`, :func:`used_as_surname`)."""
        surnames = person_surnames(scan.text, scan.ents)
        person_votes, place_votes = self._votes(scan.ents)
        kept = []
        for sp in spans:
            k = name_key(sp.text)
            if used_as_person(k, sp.source, scan.stats, person_votes, place_votes, self.weights):
                continue
            if used_as_surname(k, sp.source, scan.stats, surnames, self.weights):
                continue
            kept.append(sp)
        return kept

    def accept(self, text: str, s: int, e: int, stats: NameStats, blocking: EntityIndex) -> bool:
        """Whether the gazetteer name ``text[s:e]`` (found by the gazetteer alone) is a place here.

        The evidence, in order: how the name is written (:func:`written_as_place_name`), the words before it
        (:func:`settlement_cue`, :func:`named_person_cue`, :func:`code_after_number`), a head word after it
        (:func:`organisation_head_after`), a locative context (:func:`locative_cue`,
        :func:`locative_place_allows`), the model's label of an entity around it (:func:`model_label_allows`),
        a curated name, then how common a word it is against how well known a place it is
        (:func:`multiword_name_allows`, :func:`ordinary_word_lookalike`, :func:`word_frequency_allows`).
        """
        prominence, flags, _n = stats
        w = self.weights
        surface = text[s:e]
        if not written_as_place_name(flags, self.demonyms):
            return False
        if settlement_cue(text, s):
            return True
        if named_person_cue(text, s) and not flags & CURATED and prominence < w.prominent:
            return False
        if code_after_number(text, s, surface) or organisation_head_after(text, e):
            return False
        ent = blocking.overlapping(s, e)
        if locative_cue(text, s) and (ent is None or ent[:2] == (s, e)) and locative_place_allows(surface,
                                                                                                  prominence, w):
            return True
        if ent is not None and not model_label_allows(ent[2], ent[:2] == (s, e), surface, prominence, flags,
                                                      self.demonyms, w):
            return False
        if flags & CURATED:
            return True
        if " " in surface or "-" in surface:
            return multiword_name_allows(surface, prominence, w)
        if ordinary_word_lookalike(text, s, e, flags):
            return False
        return word_frequency_allows(surface, prominence, is_sentence_initial(text, s), w)

    def _same_place(self, part: str, whole: str) -> bool:
        """Whether a name's first words name the place the whole names ("Yarmouk" of "Yarmouk camp")."""
        meant = {c.place.id for c in self.gaz.lookup(whole, limit=1, fuzzy=False)}
        return any(c.place.id in meant for c in self.gaz.lookup(part, fuzzy=False))

    def _votes(self, ents) -> tuple[Counter, Counter]:
        """How often the model calls each surface (and each word of a person's name) a person, and a place."""
        person, place = Counter(), Counter()
        for e in ents:
            words = [w for w in re.split(r"\s+", e.text) if w]
            if e.label_ == "PERSON":
                for w in words:
                    person[name_key(w)] += 1
                person[name_key(e.text)] += 1
            elif e.label_ in PLACE_LABELS:
                place[name_key(e.text)] += 1
        return person, place

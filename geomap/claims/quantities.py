"""Distances in running text: numbers in digits or words, units, spans and qualifiers.

:func:`find_distances` finds every distance a sentence states ("250 km", "two kilometers",
"1,300 kilometres", "about 50 miles", "70-80 km", "up to 2,000 km", "300 nautical miles",
"800 metres", "a 300-km-range missile") and converts it to kilometres. Whether a distance is a
weapon range is decided by :mod:`geomap.claims.ranges`, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Kilometres per unit, keyed by the normalised unit name.
KM_PER_UNIT = {"km": 1.0, "mi": 1.609344, "nmi": 1.852, "m": 0.001}

_UNIT_PATTERNS = (
    # longest first: "nautical miles" must win over "miles"
    (r"nautical[\s-]+miles?|nmi|NM", "nmi"),
    (r"kilomet(?:er|re)s?|kms?\b", "km"),
    (r"miles?\b|mi\b", "mi"),
    (r"met(?:er|re)s?\b|m\b(?!\.\d)", "m"),
)

_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}

# A number in words: "two", "twenty-five", "a hundred", "two hundred and fifty", "three thousand".
_WORDS_NUMBER = (
    rf"(?:(?:{'|'.join([*_ONES, *_TENS])})(?:[\s-]+(?:{'|'.join([*_ONES, *_TENS, *_SCALES])}|and(?=\s)))*"
    rf"|a\s+(?:hundred|thousand)(?:[\s-]+(?:{'|'.join([*_ONES, *_TENS, *_SCALES])}|and(?=\s)))*)"
)
_DIGITS_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = rf"(?:{_DIGITS_NUMBER}|{_WORDS_NUMBER})"

#: Qualifiers kept with the quantity, normalised to these spellings.
QUALIFIERS = (
    "up to", "more than", "over", "almost", "nearly", "about", "around", "some", "approximately",
    "roughly", "at least", "at most", "as far as", "less than", "under", "only", "just", "exceeding",
    "in excess of", "no more than", "beyond", "close to", "well over", "barely", "a maximum of",
)
_QUALIFIER_RE = "|".join(re.escape(q).replace(r"\ ", r"\s+") for q in sorted(QUALIFIERS, key=len, reverse=True))

@dataclass(frozen=True, slots=True)
class Distance:
    """A distance stated in the text, converted to kilometres.

    ``max_km`` is the upper bound (the stated value when there is only one);
    ``min_km`` is the lower bound of a span ("70-80 km"), else equal to ``max_km``.
    """

    text: str
    start: int
    end: int
    min_km: float
    max_km: float
    qualifier: str | None
    unit: str

    @property
    def is_span(self) -> bool:
        return self.min_km != self.max_km


def words_to_number(words: str) -> float | None:
    """Parse a number written in English words.

    >>> words_to_number("two hundred and fifty")
    250.0
    >>> words_to_number("twenty-five")
    25.0
    >>> words_to_number("a thousand")
    1000.0
    """
    total, current = 0, 0
    seen = False
    for word in re.split(r"[\s-]+", words.lower().strip()):
        if word in ("and", ""):
            continue
        if word == "a":
            current = max(current, 1)
            continue
        if word in _ONES:
            current += _ONES[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def parse_number(text: str) -> float | None:
    """Parse digits ("1,300", "2.5") or words ("two") into a float; None if it is neither."""
    text = text.strip()
    if text[:1].isdigit():
        return float(text.replace(",", ""))
    return words_to_number(text)


_UNIT_RE = "|".join(pattern for pattern, _ in _UNIT_PATTERNS)

DISTANCE_RE = re.compile(
    rf"""
    (?<![\w$£€])
    (?:(?P<qual>{_QUALIFIER_RE})\s+)?
    (?:between\s+(?P<between>{_NUMBER})\s*(?P<between_unit>{_UNIT_RE})?\s*and\s+)?
    (?:(?P<low>{_NUMBER})\s*(?P<low_unit>{_UNIT_RE})?\s*(?:-|–|—|\bto\b)\s*)?
    (?P<num>{_NUMBER})
    (?:\s*|-)
    (?P<unit>{_UNIT_RE})
    """,
    re.IGNORECASE | re.VERBOSE,
)


def normalise_unit(raw: str) -> str:
    """Map a unit as written ("kilometres", "km", "nautical miles", "NM", "metres") to a key of KM_PER_UNIT."""
    low = raw.lower()
    if low.startswith("nautical") or low == "nmi" or raw == "NM":
        return "nmi"
    if low.startswith("k"):
        return "km"
    if low.startswith("mi"):
        return "mi"
    return "m"


def _normalise_qualifier(raw: str | None) -> str | None:
    return None if raw is None else re.sub(r"\s+", " ", raw.lower())


def find_distances(text: str, offset: int = 0) -> list[Distance]:
    """Every distance stated in ``text``, in text order.

    Parameters
    ----------
    text : str
        A sentence or a whole article.
    offset : int
        Added to the returned offsets (the position of ``text`` in the article).

    Returns
    -------
    list of Distance
        ``start``/``end`` cover the qualifier, the number(s) and the unit.

    >>> [(d.min_km, d.max_km, d.qualifier) for d in find_distances("up to 70-80 km and about 50 miles")]
    [(70.0, 80.0, 'up to'), (80.4672, 80.4672, 'about')]
    """
    found: list[Distance] = []
    if not _UNIT_HINT_RE.search(text):
        return found  # no unit, no distance: most sentences are spared the full pattern
    for match in DISTANCE_RE.finditer(text):
        unit = normalise_unit(match.group("unit"))
        if unit == "nmi" and match.group("unit") == "nm":
            continue  # "nm" in lower case is too often something else (nanometres)
        if unit == "m" and not _metres_are_plausible(match):
            continue
        if _SPEED_AFTER_RE.match(text, match.end()):
            continue  # "900 km/h" is a speed
        factor = KM_PER_UNIT[unit]
        high = parse_number(match.group("num"))
        if high is None:
            continue
        low_text = match.group("between") or match.group("low")
        if low_text and _is_hyphenated_words(match):
            # "twenty-five miles" is one number, not the span 20-5
            high, low_text = parse_number(f"{low_text} {match.group('num')}"), None
        low = parse_number(low_text) if low_text else None
        low_unit_raw = match.group("between_unit") or match.group("low_unit")
        low_factor = KM_PER_UNIT[normalise_unit(low_unit_raw)] if low_unit_raw else factor
        max_km = round(high * factor, 4)
        min_km = round(low * low_factor, 4) if low is not None and low * low_factor <= max_km else max_km
        found.append(Distance(
            text=match.group(0), start=offset + match.start(), end=offset + match.end(),
            min_km=min_km, max_km=max_km, qualifier=_normalise_qualifier(match.group("qual")), unit=unit,
        ))
    return found


_UNIT_HINT_RE = re.compile(r"km|kilomet|mile|met(?:er|re)|nmi|NM|\dm\b|\d\s+m\b", re.IGNORECASE)
_SPEED_AFTER_RE = re.compile(r"\s*(?:/\s*h|/\s*hr|ph\b|per\s+hour|an\s+hour|h\b)", re.IGNORECASE)


def _is_hyphenated_words(match: re.Match) -> bool:
    """True when the "low-high" span is really one number in words joined by a hyphen."""
    low = match.group("low")
    if not low or low[:1].isdigit() or match.group("num")[:1].isdigit():
        return False
    return match.string[match.end("low"):match.start("num")].strip() == "-"


def _metres_are_plausible(match: re.Match) -> bool:
    """Accept "800 metres" and "800m" but not "5m" money-like amounts or a lone word-number "m"."""
    raw_unit = match.group("unit")
    if raw_unit.lower() != "m":
        return True
    return match.group("num")[:1].isdigit() and not text_has_currency_before(match)


def text_has_currency_before(match: re.Match) -> bool:
    """True when the number is money ("$5m", "€300m")."""
    start = match.start("num")
    return start > 0 and match.string[start - 1] in "$£€"

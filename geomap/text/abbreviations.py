"""US state abbreviations of news style: "Athens, Ga.", "Charleston, W.Va.", "Columbia, S.C.".

Recognition uses them to find the abbreviation after a city as a mention of the state;
resolution uses them both to resolve that mention and as a cue for the city before it.
"""

from __future__ import annotations

import re

#: State names by postal code (public fact: USPS two-letter codes).
US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
    "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}

#: AP-style abbreviations (lower case, without dots or spaces) -> postal code.
US_STATE_ABBREVIATIONS = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cal": "CA", "colo": "CO", "conn": "CT", "del": "DE",
    "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN", "kan": "KS", "kans": "KS", "ky": "KY", "la": "LA",
    "md": "MD", "mass": "MA", "mich": "MI", "minn": "MN", "miss": "MS", "mo": "MO", "mont": "MT", "neb": "NE",
    "nebr": "NE", "nev": "NV", "nh": "NH", "nj": "NJ", "nm": "NM", "ny": "NY", "nc": "NC", "nd": "ND",
    "okla": "OK", "ore": "OR", "oreg": "OR", "pa": "PA", "penn": "PA", "ri": "RI", "sc": "SC", "sd": "SD",
    "tenn": "TN", "tex": "TX", "vt": "VT", "va": "VA", "wash": "WA", "wva": "WV", "wis": "WI", "wisc": "WI",
    "wyo": "WY", "dc": "DC",
}

# ", Ga." / ", W.Va." / ", W. Va." / ", S.C." / ", NY" right after a place name
STATE_AFTER_COMMA = re.compile(
    r",\s*((?:[A-Z]\.\s?){2}|W\.\s?Va\.|[A-Z][a-z]{1,4}\.|[A-Z]{2}(?=\W))(?=[\s,;:)\"”]|$)")


def state_code(abbreviation: str) -> str | None:
    """The postal code an abbreviation stands for, or None.

    >>> state_code("Ga."), state_code("W. Va."), state_code("S.C."), state_code("NY"), state_code("Gen.")
    ('GA', 'WV', 'SC', 'NY', None)
    """
    key = re.sub(r"[.\s]", "", abbreviation).lower()
    code = US_STATE_ABBREVIATIONS.get(key)
    if code is None and abbreviation.isupper() and key.upper() in US_STATES:
        code = key.upper()
    return code


def state_before_comma(text: str, start: int, end: int) -> str | None:
    """The postal code of a span that is a state abbreviation right after a comma ("Athens, [Ga.]")."""
    if not text[:start].rstrip().endswith(","):
        return None
    return state_code(text[start:end])


def state_after(text: str, end: int) -> tuple[int, int, str] | None:
    """The state abbreviation right after a place name ending at ``end``: (start, end, code), or None.

    The abbreviation's dots are part of the span ("Ga."), as the gold corpora annotate it.

    >>> text = "He lives in Athens, Ga. now."
    >>> state_after(text, text.index(",")), text[20:23]
    ((20, 23, 'GA'), 'Ga.')
    """
    m = STATE_AFTER_COMMA.match(text, end)
    if not m:
        return None
    code = state_code(m.group(1))
    if code is None:
        return None
    start, stop = m.span(1)
    return start, stop, code

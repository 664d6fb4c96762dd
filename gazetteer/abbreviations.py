"""Abbreviations that stand for places when they qualify another name: US states in news style and postal codes.

"Athens, Ga.", "Charleston, W.Va.", "Columbia, S.C.", "Portland, OR". The geocoder reads them in qualified
queries; the recogniser and resolver (:mod:`geomap.text.abbreviations`) after a place name in an article.
They are not names of the gazetteer: "Miss." or "Ind." alone mean nothing of the kind.
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


def us_state(gazetteer, code: str) -> list:
    """The candidates (one at most) of the US state of a postal code, looked up in ``gazetteer``.

    >>> from gazetteer import Gazetteer
    >>> us_state(Gazetteer.open(), "GA")[0].place.admin1
    'US.GA'
    """
    return gazetteer.lookup(US_STATES[code], country="US", kinds=("admin1",), limit=1, fuzzy=False)

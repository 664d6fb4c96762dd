"""Abbreviations that stand for places when they qualify another name: US states in news style and postal codes,
Canadian provinces and Australian states.

"Athens, Ga.", "Charleston, W.Va.", "Columbia, S.C.", "Portland, OR", "London, ON", "Perth, WA". The geocoder
reads them in qualified queries (all three countries'); the recogniser and resolver
(:mod:`geomap.text.state_abbreviations`) US states after a place name in an article.
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


#: Canadian province and territory names by postal abbreviation (public fact: Canada Post's two-letter symbols),
#: and the Canadian Press style abbreviations (lower case, without dots or spaces) -> symbol.
CA_PROVINCES = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories", "NU": "Nunavut",
    "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec", "SK": "Saskatchewan", "YT": "Yukon",
}
CA_PROVINCE_ABBREVIATIONS = {
    "alta": "AB", "bc": "BC", "man": "MB", "nb": "NB", "nfld": "NL", "ns": "NS", "nwt": "NT", "ont": "ON",
    "pei": "PE", "que": "QC", "sask": "SK",
}
#: Australian state and territory names by abbreviation (public fact: Australia Post's state abbreviations).
AU_STATES = {
    "ACT": "Australian Capital Territory", "NSW": "New South Wales", "NT": "Northern Territory",
    "QLD": "Queensland", "SA": "South Australia", "TAS": "Tasmania", "VIC": "Victoria", "WA": "Western Australia",
}
#: (country code, its divisions by abbreviation, news-style abbreviations -> abbreviation), the US first.
DIVISION_TABLES = (("US", US_STATES, US_STATE_ABBREVIATIONS), ("CA", CA_PROVINCES, CA_PROVINCE_ABBREVIATIONS),
                   ("AU", AU_STATES, {}))


def division_names(abbreviation: str) -> list[tuple[str, str]]:
    """The (country code, division name) pairs an abbreviation may stand for: US states, Canadian provinces and
    Australian states, in news style ("Ont.", "W.Va.") or by their codes in capitals ("ON", "WA", "NSW").

    >>> division_names("ON"), division_names("Ont."), division_names("WA")
    ([('CA', 'Ontario')], [('CA', 'Ontario')], [('US', 'Washington'), ('AU', 'Western Australia')])
    >>> division_names("On"), division_names("Gen.")
    ([], [])
    """
    key = re.sub(r"[.\s]", "", abbreviation).lower()
    found = []
    for country, names, styles in DIVISION_TABLES:
        code = styles.get(key)
        if code is None and abbreviation.isupper() and key.upper() in names:
            code = key.upper()
        if code is not None:
            found.append((country, names[code]))
    return found


def divisions(gazetteer, abbreviation: str) -> list:
    """The candidates of the divisions an abbreviation may stand for (:func:`division_names`), in ``gazetteer``.

    >>> [c.place.admin1 for c in divisions(Gazetteer.open(), "WA")]     # doctest: +SKIP
    ['US.WA', 'AU.08']
    """
    return [c for country, name in division_names(abbreviation)
            for c in gazetteer.lookup(name, country=country, kinds=("admin1",), limit=1, fuzzy=False)]


def us_state(gazetteer, code: str) -> list:
    """The candidates (one at most) of the US state of a postal code, looked up in ``gazetteer``.

    >>> from gazetteer import Gazetteer
    >>> us_state(Gazetteer.open(), "GA")[0].place.admin1
    'US.GA'
    """
    return gazetteer.lookup(US_STATES[code], country="US", kinds=("admin1",), limit=1, fuzzy=False)

"""Name folding: how a spelling in the text meets a spelling in the gazetteer.

News spells one place many ways (Deir ez-Zor, Dayr az-Zawr, Deir Ezzor;
Albukamal, Al-Bukamal, Abu Kamal). Three levels, each coarser than the last:

``fold``      case, diacritics, punctuation, hyphens and apostrophes, and the abbreviations St., Ste., Mt. and
              Ft. before a name: ``"Ālbū Kamāl" -> "albu kamal"``, ``"St. Louis" -> "saint louis"``
``name_key``  ``fold`` without spaces and without the Arabic article (al-, el-, ar-, ash-, az-...); "El" written
              apart is kept, for it is Spanish as often ("El Paso"): a name is also indexed without it,
              unless its place is where Spanish is spoken (:func:`name_keys`), and a query tries both
``skeleton``  ``name_key`` with transliteration variants merged (ou/u, ee/i, q/k, kh/k, doubled letters) and
              the vowels after the first letter dropped: the key for the ranked ``variant`` fallback.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

#: The Arabic definite article in its transliterated and sun-letter-assimilated forms.
ARTICLES = frozenset({"al", "el", "il", "ul", "ar", "er", "as", "es", "ad", "ed", "ash", "esh", "az", "ez",
                      "at", "et", "an", "en", "adh", "ath", "ad"})
#: Countries whose "El" before a name is the Spanish article (El Paso, El Salvador, El Alto), not the Arabic one:
#: Spain, Andorra, Spanish-speaking America, the United States, the Philippines and Equatorial Guinea. Their
#: places' names are not indexed without it, so that "Paso" is not El Paso nor "Salvador" El Salvador.
EL_NOT_ARTICLE_COUNTRIES = frozenset({
    "ES", "AD", "MX", "GT", "BZ", "SV", "HN", "NI", "CR", "PA", "CU", "DO", "PR", "CO", "VE", "EC", "PE", "BO",
    "CL", "AR", "PY", "UY", "US", "PH", "GQ"})
#: "El" written apart from the next word ("El Paso", "Deir el Balah"; not "el-Mayadin", which is Arabic).
_SPACED_EL = re.compile(r"(?:^|\s)el\s+(?=\S)", re.IGNORECASE)
#: Only these are stripped when glued to the word ("Albukamal", "Elbasan" is not touched: see query_keys).
GLUED_ARTICLES = ("al", "el")
#: The letters a glued article or a glued sun-letter assimilation (Arraqqa, Essuweida) begins with.
_GLUED_INITIALS = frozenset("ae")

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
#: The repeats of a letter (removed, leaving the letter): a literal replacement runs without a Python call per match.
_DOUBLES = re.compile(r"(?<=(.))\1+")
_DIGRAPHS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("ei", "i"), ("ey", "i"), ("ay", "ai"), ("ph", "f"),
             ("kh", "k"), ("gh", "g"), ("dh", "d"), ("th", "t"), ("sh", "s"), ("ch", "k"), ("ck", "k"),
             ("q", "k"), ("c", "k"), ("j", "j"), ("z", "z"), ("w", "u"), ("y", "i"))
_NO_VOWELS = str.maketrans("", "", "aeiou")
#: Abbreviations that begin a name or a word of one ("St. Louis", "Sault Ste. Marie", "Mt Hermon"), spelt out as
#: the gazetteer mostly spells them, so that "St. Lucia" and "Saint Lucia" are one name. Only before another
#: word: "Wall St" is a street, and "MT" alone is Montana's or Malta's code.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_ABBREVIATION = re.compile(r"\b(st|ste|mt|ft)(?= [a-z])")
#: A vowel that does not begin a key, in keys joined by '|'.
_INNER_VOWELS = re.compile(r"(?<=[^|])[aeiou]")


def is_latin(name: str) -> bool:
    """True when every letter of ``name`` is in the Latin script (names in other scripts are not indexed).

    >>> is_latin("Ālbū Kamāl"), is_latin("البوكمال")
    (True, False)
    """
    if name.isascii():
        return True
    for ch in name:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


@lru_cache(maxsize=200_000)
def fold(name: str) -> str:
    """Lower-case ASCII words separated by single spaces, with St., Ste., Mt. and Ft. spelt out before a word.

    >>> fold("Deir ez-Zor"), fold("Ālbū Kamāl"), fold("Be'er Sheva"), fold("  T-4 ")
    ('deir ez zor', 'albu kamal', 'beer sheva', 't 4')
    >>> fold("St. Louis"), fold("Sault Ste. Marie"), fold("Mt Hermon"), fold("Wall St"), fold("Stanley")
    ('saint louis', 'sault sainte marie', 'mount hermon', 'wall st', 'stanley')
    """
    ascii_ = anyascii(unicodedata.normalize("NFKC", name)).lower()
    # apostrophes and ayn/hamza marks join the letters around them (Be'er -> beer, Ma'arat -> maarat)
    ascii_ = re.sub(r"['`]", "", ascii_)
    folded = _NON_ALNUM.sub(" ", ascii_).strip()
    if " " in folded:  # most names have no abbreviation: one test, not a regex search
        folded = _ABBREVIATION.sub(lambda m: _ABBREVIATIONS[m.group(1)], folded)
    return folded


def strip_articles(words: list[str]) -> list[str]:
    """Drop standalone article tokens that precede another word.

    >>> strip_articles(["deir", "ez", "zor"]), strip_articles(["al", "mayadin"]), strip_articles(["as"])
    (['deir', 'zor'], ['mayadin'], ['as'])
    """
    out = [w for i, w in enumerate(words) if not (w in ARTICLES and i + 1 < len(words))]
    return out or words


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """The index key: ``fold`` without articles and spaces; an "El" written apart is kept (see :func:`name_keys`).

    >>> name_key("Al-Mayadin"), name_key("el-Mayadin"), name_key("Deir ez-Zor"), name_key("Deir Ezzor")
    ('mayadin', 'mayadin', 'deirzor', 'deirezzor')
    >>> name_key("Abu Kamal"), name_key("El Paso"), name_key("Deir el Balah")
    ('abukamal', 'elpaso', 'deirelbalah')
    """
    if _SPACED_EL.search(name) is None:
        return article_free_key(name)
    return "el".join(article_free_key(part) for part in _SPACED_EL.split(name))


@lru_cache(maxsize=200_000)
def article_free_key(name: str) -> str:
    """``fold`` without spaces and without any article, "El" written apart included.

    >>> article_free_key("El Arish"), article_free_key("Deir el Balah")
    ('arish', 'deirbalah')
    """
    return "".join(strip_articles(fold(name).split()))


def name_keys(name: str, el_is_article: bool = True) -> list[str]:
    """The keys a name is indexed under: its :func:`name_key`, and without an "El" written apart where that
    may be the Arabic article (not for places in :data:`EL_NOT_ARTICLE_COUNTRIES`).

    >>> name_keys("El Arish"), name_keys("El-Paso", el_is_article=False), name_keys("Aleppo")
    (['elarish', 'arish'], ['elpaso'], ['aleppo'])
    """
    if not el_is_article:  # "El-Paso" keeps its "El" too
        words = fold(name).split()
        return ["".join(w for i, w in enumerate(words) if w == "el" or not (w in ARTICLES and i + 1 < len(words)))]
    key = name_key(name)
    if _SPACED_EL.search(name) is None:
        return [key]
    return list(dict.fromkeys([key, article_free_key(name)]))


#: Words after a name that say it is a settlement ("Kirkuk city"), and that it is a division ("Idlib province").
SETTLEMENT_WORDS = ("city", "town", "village")
DIVISION_WORDS = ("province", "governorate", "region", "state", "oblast", "district", "county", "prefecture",
                  "department", "parish", "canton", "voivodeship", "raion", "municipality")
#: The kinds of place a division word says a name is.
DIVISION_KINDS = ("region", "admin1", "admin2")
#: Words after a name that say what kind of place it is, not which, with the kinds they name (None: any kind,
#: for "Kirkuk city" is Kirkuk, whose province GeoNames may well call Kirkuk too).
#: Generic words of a feature named after a place ("Swat Valley", "Rafah crossing"): no kinds, ``()``, for the
#: feature is found whole when the gazetteer has it, else the place it is named after, by that name alone.
FEATURE_WORDS = ("valley", "pass", "crossing", "forest", "gorge", "mountains", "hills", "border", "checkpoint",
                 "airfield", "airbase", "port")
DESCRIPTORS: dict[str, tuple[str, ...] | None] = {**dict.fromkeys(SETTLEMENT_WORDS),
                                                   **dict.fromkeys(DIVISION_WORDS, DIVISION_KINDS),
                                                   **dict.fromkeys(FEATURE_WORDS, ())}
#: Words before a name that say it is a settlement ("Kibbutz Be'eri", "Moshav Netiv HaAsara").
SETTLEMENT_PREFIXES = ("kibbutz", "moshav")
#: First words that say nothing of the place: "the Sudan", "the Philippines" (a place called "The ..." is
#: found whole first: The Hague, The Bronx).
LEADING_WORDS = SETTLEMENT_PREFIXES + ("the",)


def without_descriptor(name: str) -> tuple[str, tuple[str, ...] | None] | None:
    """The folded name without a last word in :data:`DESCRIPTORS`, or a first word in
    :data:`LEADING_WORDS`, and the kinds that word names; None when it has no such word.

    >>> without_descriptor("Kirkuk city"), without_descriptor("Mexico City"), without_descriptor("City")
    (('kirkuk', None), ('mexico', None), None)
    >>> without_descriptor("Idlib province"), without_descriptor("Kibbutz Be'eri"), without_descriptor("the Sudan")
    (('idlib', ('region', 'admin1', 'admin2')), ('beeri', None), ('sudan', None))
    >>> without_descriptor("Swat Valley"), without_descriptor("Rafah border crossing")
    (('swat', ()), ('rafah border', ()))
    """
    words = fold(name).split()
    if len(words) < 2:
        return None
    if words[0] in LEADING_WORDS:
        return " ".join(words[1:]), None
    if words[-1] not in DESCRIPTORS:
        return None
    return " ".join(words[:-1]), DESCRIPTORS[words[-1]]


@lru_cache(maxsize=200_000)
def merge_variants(key: str) -> str:
    """A key with its transliteration variants merged (ou/u, ee/i, q/k, kh/k..., doubled letters), vowels kept.

    >>> merge_variants("yarmouk"), merge_variants("qassam")
    ('iarmuk', 'kasam')
    """
    return _merged(key)


def _merged(text: str) -> str:
    """:func:`merge_variants` of any text, uncached (of many keys joined by '|', too)."""
    for a, b in _DIGRAPHS:
        text = text.replace(a, b)
    return _DOUBLES.sub("", text)


def variant_similarity(key: str, other: str) -> float:
    """How alike two keys of one skeleton are, vowels included (0-1).

    A skeleton drops vowels, so short ones collide across unrelated names; this
    tells a spelling variant (Aqaba/Akaba) from a collision (Qasam/Kisumu).

    >>> variant_similarity("aqaba", "akaba"), round(variant_similarity("qasam", "kisumu"), 2)
    (1.0, 0.55)
    """
    from rapidfuzz import fuzz

    return fuzz.ratio(merge_variants(key), merge_variants(other)) / 100.0


@lru_cache(maxsize=200_000)
def skeleton(key: str) -> str:
    """Merge transliteration variants of a :func:`name_key`; '' when too short to be useful.

    >>> skeleton("deirzor") == skeleton("dayrzawr") == skeleton("deirezzor")
    True
    >>> skeleton("yarmouk") == skeleton("yarmuk"), skeleton("aqaba") == skeleton("akaba")
    (True, True)
    """
    if not key:
        return ""
    merged = _merged(key)
    s = _DOUBLES.sub("", merged[0] + merged[1:].translate(_NO_VOWELS))
    return s if len(s) >= 3 else ""


def variant_forms(keys: list[str]) -> tuple[list[str], list[str]]:
    """:func:`merge_variants` and :func:`skeleton` of many keys, computed on all of them at once.

    Each step runs once over the keys joined by '|', which is in no key and no variant, so that no step
    crosses from one key to the next: for the 660,000 keys of a build, this is seconds faster.

    >>> variant_forms(["yarmouk", "aqaba", "ab"])
    (['iarmuk', 'akaba', 'ab'], ['irmk', 'akb', ''])
    """
    if not keys:
        return [], []
    merged = _merged("|".join(keys))
    skeletons = _DOUBLES.sub("", _INNER_VOWELS.sub("", merged)).split("|")
    return merged.split("|"), [s if len(s) >= 3 else "" for s in skeletons]


def query_keys(name: str) -> list[str]:
    """The keys a looked-up name may be indexed under, best first.

    Glued articles are ambiguous ("Albukamal" is al + Bukamal, "Alexandria"
    is not), so both readings are tried; so are sun-letter assimilations
    ("Arraqqa" -> raqqa).

    >>> query_keys("Albukamal")
    ['albukamal', 'bukamal']
    >>> query_keys("Arraqqah"), query_keys("El Paso")
    (['arraqqah', 'raqqah'], ['elpaso', 'paso'])
    """
    keys = [k for k in name_keys(name) if k]  # "El Arish": as written first, then without the article
    if not keys or keys[0][:1] not in _GLUED_INITIALS:
        return keys  # most names: no article can be glued to them
    key = keys[0]
    for art in GLUED_ARTICLES:
        if key.startswith(art) and len(key) - len(art) >= 4:
            keys.append(key[len(art):])
    if len(key) >= 6 and key[1] in "rsdztn" and key[2] == key[1]:
        keys.append(key[2:])
    return list(dict.fromkeys(keys))

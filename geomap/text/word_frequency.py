"""How common a word is in English: wordfreq's Zipf scale, from its "small" English list.

wordfreq's import takes 0.2 to 0.4 s (its tokenizer's regular expressions and ``langcodes``), for the few
dozen capitalised words an article asks about: a cold start of ``geomap places`` on the sample article took
3.85 s with it and 3.67 s without (medians of six runs each, alternated). Words of Latin letters (and
phrases of them) are therefore looked up here, in the list wordfreq ships, read and split the way wordfreq
reads and splits them; anything else (digits, dotted initials, other scripts) goes to wordfreq itself. Both
give the same numbers: a test compares them, and 400,000 words of fourteen languages' lists, in several cases
and with apostrophes, gave no difference.
"""

from __future__ import annotations

import gzip
import math
import re
import unicodedata
from functools import lru_cache

#: wordfreq's list: the "small" one loads in 15 ms, against half a second for "large".
WORDLIST = "small"
#: The least frequency wordfreq answers (``minimum=0`` on the Zipf scale: once per billion words).
_MINIMUM_FREQUENCY = 1e-9
_SEPARATORS = re.compile(r"[\s-]+")
#: A word of Latin letters, with at most one apostrophe inside it.
_LATIN_WORD = re.compile(r"[a-zß-öø-ÿā-ɏ]+(?:['’][a-zß-öø-ÿā-ɏ]+)?")
#: One or two letters, a straight apostrophe and a vowel, "h" or "y" (wordfreq's own list): wordfreq splits the
#: letters off (l'arc, be'eri).
_ELISION = re.compile(r"([a-zß-öø-ÿā-ɏ]{1,2})'(?=[aehiouyáéíóúàèìòùâêîôûåïöœ])")


@lru_cache(maxsize=None)
def _centibels() -> dict[str, int]:
    """Each word of the English list with its frequency in (negated) centibels, as wordfreq's cBpack stores it."""
    import msgpack  # cheap to import

    from gazetteer.sources.common import package_data  # finds wordfreq without running its __init__

    path = package_data("wordfreq", "data", f"{WORDLIST}_en.msgpack.gz")
    with gzip.open(path, "rb") as packed:
        data = msgpack.load(packed, raw=False)
    header = data[0]
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        raise ValueError(f"{path}: not a wordfreq cBpack file (header {header!r})")
    return {word: index for index, bucket in enumerate(data[1:]) for word in bucket}


def _plain_words(text: str) -> list[str] | None:
    """The words of ``text`` as wordfreq's English tokenizer gives them, when it is simple enough to say here:
    Latin letters, spaces, hyphens, a trailing dot ("Ky."), and apostrophes inside words ("Hill’s": one word;
    "Be'eri": "be" and "eri", as wordfreq splits French elisions). None for anything else.
    """
    words = []
    for word in _SEPARATORS.split(unicodedata.normalize("NFC", text).casefold()):
        if word.endswith(".") and "." not in word[:-1]:
            word = word[:-1]
        if not word:
            continue
        if not _LATIN_WORD.fullmatch(word):
            return None
        elided = _ELISION.match(word)  # before curly apostrophes are made straight, as in wordfreq
        words += [elided[1], word[elided.end():]] if elided else [word.replace("’", "'")]
    return words or None


@lru_cache(maxsize=100_000)
def word_zipf(text: str) -> float:
    """How common ``text`` is in English, on wordfreq's Zipf scale (0 for a word it does not list).

    A phrase's frequency combines its words' as wordfreq does: 1/f = 1/f1 + 1/f2 + ...

    >>> word_zipf("the"), word_zipf("Damascus"), word_zipf("Albukamal")
    (7.73, 3.59, 0.0)
    """
    words = _plain_words(text)
    if words is None:
        from wordfreq import zipf_frequency

        return zipf_frequency(text, "en", wordlist=WORDLIST)
    centibels = _centibels()
    inverse = 0.0
    for word in words:
        index = centibels.get(word)
        if index is None:
            return 0.0  # wordfreq: any word missing makes the whole the minimum
        inverse += 1.0 / 10 ** (-index / 100)
    frequency = max(1.0 / inverse, _MINIMUM_FREQUENCY)
    # wordfreq keeps three significant digits of a frequency, then rounds its Zipf value to hundredths
    frequency = round(frequency, math.floor(-math.log(frequency, 10)) + 3)
    return round(math.log(frequency, 10) + 9, 2)

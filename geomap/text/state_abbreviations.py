"""US state abbreviations of news style in an article: "Athens, Ga.", "Charleston, W.Va.", "Columbia, S.C.".

The abbreviations themselves are in :mod:`gazetteer.division_abbreviations`. Recognition uses them to find the
abbreviation after a city as a mention of the state; resolution uses them both to resolve that mention and as a
cue for the city before it.
"""

from __future__ import annotations

import re

from gazetteer.division_abbreviations import state_code

# ", Ga." / ", W.Va." / ", W. Va." / ", S.C." / ", NY" right after a place name
STATE_AFTER_COMMA = re.compile(
    r",\s*((?:[A-Z]\.\s?){2}|W\.\s?Va\.|[A-Z][a-z]{1,4}\.|[A-Z]{2}(?=\W))(?=[\s,;:)\"”]|$)")


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

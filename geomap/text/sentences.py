"""An article's sentences: the one sentence splitter of geomap, for the pipeline and for claims.

With the model's analysis, its sentences; without one (an :class:`~geomap.model.Article` built by hand and
given to :func:`geomap.claims.extract_claims`), sentences end at ".", "!" or "?" (with the quotes and brackets
that close them) and at line breaks. Either way a paragraph break ends a sentence too, so a headline is a
sentence of its own, and sentences carry no surrounding white space.
"""

from __future__ import annotations

import re

from geomap.model import Sentence

_PARAGRAPH = re.compile(r"\n\s*\n")
#: A sentence when no model says where sentences end: up to ".", "!" or "?" and what closes them, or a line break.
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|\n|$)")


def split_sentences(text: str, doc=None) -> list[Sentence]:
    """The sentences of ``text``, in order: the model's (``doc.sents``) when ``doc`` is given, else by
    punctuation and line breaks; also split at paragraph breaks, and trimmed.

    >>> [s.text for s in split_sentences("Floods in Hue\\n\\nRain fell on Hue. Roads closed!")]
    ['Floods in Hue', 'Rain fell on Hue.', 'Roads closed!']
    >>> split_sentences("  Rain fell.")[0]
    Sentence(start=2, end=12, text='Rain fell.')
    """
    if doc is not None:
        bounds = [(s.start_char, s.end_char) for s in doc.sents]
    else:
        bounds = [m.span() for m in _SENTENCE.finditer(text)]
    sentences = []
    for s, e in _paragraph_pieces(text, bounds):
        seg = text[s:e]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg.rstrip())
        if trail > lead:
            sentences.append(Sentence(s + lead, s + trail, seg[lead:trail]))
    return sentences


def _paragraph_pieces(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (start, end) bounds cut at every paragraph break inside them."""
    out = []
    for start, end in bounds:
        pos = start
        for m in _PARAGRAPH.finditer(text, start, end):
            out.append((pos, m.start()))
            pos = m.end()
        out.append((pos, end))
    return out

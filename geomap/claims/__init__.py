"""Spatial claims in news text: weapon ranges, reach claims, corridors and routes.

:func:`extract_claims` works on an :class:`~geomap.model.Article` whose mentions are already
resolved (it never re-runs NER): place mentions give origins, targets and waypoints by their
character offsets; lexical patterns give the rest (distances, weapons, cues). The geometry of
the claims (geodesic circles, corridor lines and buffers) is in :mod:`geomap.claims.geometry`.

>>> import geomap
>>> article = geomap.parse("Militants in Gaza fired a rocket with a range of 250 km at Eilat.")
>>> ranges, corridors = extract_claims(article)
>>> [(r.range_km, r.origin.text, [(t.text, t.inside) for t in r.targets]) for r in ranges]
[(250.0, 'Gaza', [('Eilat', True)])]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from geomap.model import Article, ClaimPlace, CorridorClaim, Mention, RangeClaim, Sentence
from geomap.text.sentences import split_sentences  # for articles built without sentences

__all__ = ["extract_claims", "ArticleContext", "claim_place"]

# Names after these cues may be places a claim needs (origins, targets, waypoints).
_CUED_NAME_RE = re.compile(
    r"(?:(?:\b(?:from|to|into|via|through|across|between|linking|connecting|connects|links|joins|with|at|toward|"
    r"towards|reach|reaching|hit|strike|striking|including|putting|covering|and|in|as\s+far\s+as)|,)\s+|"
    r"(?<=\w)[-–—]+\s*)(?:the\s+)?"
    r"(?:(?:border\s+)?(?:town|city|port|village|province|region|island)\s+of\s+)?"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})"
)
_NOT_PLACE_WORDS = frozenset("""
january february march april may june july august september october november december monday tuesday
wednesday thursday friday saturday sunday the a an this that these those it they he she we i
""".split())
_MIN_LOOKUP_SCORE = 0.6
_CHAIN_DASH_RE = re.compile(r"\w\s*[-–—]\s*[A-Z]")


def claim_place(mention: Mention, *, inferred: bool = False) -> ClaimPlace:
    """The :class:`ClaimPlace` of a mention (coordinates None when the mention is unresolved)."""
    place = mention.place
    return ClaimPlace(
        text=mention.text, lat=place.lat if place else None, lon=place.lon if place else None,
        place=place, inferred=inferred,
    )


@dataclass
class ArticleContext:
    """An article's sentences and mentions indexed by character offset, shared by the extractors.

    Parameters
    ----------
    article : Article
        With ``mentions`` resolved; ``sentences`` are split here when missing.
    gazetteer : gazetteer.Gazetteer or None
        Used only to resolve a name a claim needs but the mentions lack.
    """

    article: Article
    gazetteer: object | None = None
    _lookups: dict = field(default_factory=dict, repr=False)
    _extra: dict = field(default_factory=dict, repr=False)
    _outlines: dict = field(default_factory=dict, repr=False)
    _parses: dict = field(default_factory=dict, repr=False)

    @cached_property
    def sentences(self) -> list[Sentence]:
        sentences = self.article.sentences or split_sentences(self.article.text)
        return sorted(sentences, key=lambda s: s.start)

    @cached_property
    def mentions(self) -> list[Mention]:
        return sorted(self.article.mentions, key=lambda m: m.start)

    def outline(self, place):
        """The place's outline from the gazetteer (countries have one), or None."""
        if self.gazetteer is None or place is None or not hasattr(self.gazetteer, "outline"):
            return None
        if place.id not in self._outlines:
            self._outlines[place.id] = self.gazetteer.outline(place.id)
        return self._outlines[place.id]

    def parsed(self, sentence: Sentence):
        """The sentence's dependency parse (spaCy Doc), made once per article when a claim needs it; None
        without a model (see :mod:`geomap.claims.syntax`)."""
        if sentence.start not in self._parses:
            from geomap.claims.syntax import parse_sentence

            self._parses[sentence.start] = parse_sentence(sentence.text)
        return self._parses[sentence.start]

    @cached_property
    def _mention_starts(self) -> list[int]:
        return [m.start for m in self.mentions]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions lying entirely within [start, end), in text order."""
        i = bisect.bisect_left(self._mention_starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out

    def sentence_index(self, position: int) -> int:
        """Index of the sentence containing (or last starting before) ``position``."""
        return max(0, bisect.bisect_right(self._sentence_starts, position) - 1)

    def resolved_places(self) -> list[Mention]:
        """The first mention of each distinct resolved place, in text order."""
        seen: set[str] = set()
        out = []
        for m in self.mentions:
            if m.place is not None and m.place.id not in seen:
                seen.add(m.place.id)
                out.append(m)
        return out

    def lookup(self, name: str):
        """Resolve a name with the gazetteer, or None; cached per name.

        Only confident exact or folded matches count ("Vilnius", "Hodeidah" -> Al Hudaydah):
        a claim must not gain a place from a loose match of an ordinary word.
        """
        if self.gazetteer is None or name.split()[0].lower() in _NOT_PLACE_WORDS:
            return None
        if name not in self._lookups:
            try:
                candidates = self.gazetteer.lookup(name, limit=1)
            except Exception:  # noqa: BLE001 - a lookup failure must not lose the other claims
                candidates = []
            best = candidates[0] if candidates else None
            ok = best is not None and best.match in ("exact", "folded") and best.score >= _MIN_LOOKUP_SCORE
            self._lookups[name] = best.place if ok else None
        return self._lookups[name]

    def claim_mentions(self, sentence: Sentence, start: int | None = None, end: int | None = None
                       ) -> list[Mention]:
        """The mentions of a claim's sentence (or of [start, end) in it), plus the names after
        claim cues that recognition missed but the gazetteer resolves ("linking Armenia to Nagorno-Karabakh").
        """
        start = sentence.start if start is None else start
        end = sentence.end if end is None else end
        if sentence.start not in self._extra:
            self._extra[sentence.start] = self._missed_names(sentence)
        found = self.mentions_in(start, end) + [m for m in self._extra[sentence.start]
                                                if start <= m.start and m.end <= end]
        return sorted((part for m in found for part in self._chain_parts(m)), key=lambda m: m.start)

    def _chain_parts(self, mention: Mention) -> list[Mention]:
        """An unresolved dash-joined name as the places it joins ("Kazakhstan-Turkmenistan" -> Kazakhstan,
        Turkmenistan) when the gazetteer resolves every part; else the mention itself."""
        if mention.place is not None or not _CHAIN_DASH_RE.search(mention.text):
            return [mention]
        parts = []
        for match in re.finditer(r"[^-–—]+", mention.text):
            name = match.group(0).strip()
            place = self.lookup(name) if name[:1].isupper() else None
            if place is None:
                return [mention]
            lo = mention.start + match.start() + match.group(0).index(name)
            parts.append(Mention(lo, lo + len(name), name, mention.sentence, source="claims", place=place))
        return parts

    def _missed_names(self, sentence: Sentence) -> list[Mention]:
        """Capitalised names after claim cues, not among the mentions, resolved with the gazetteer."""
        if self.gazetteer is None:
            return []
        taken = [(m.start, m.end) for m in self.mentions_in(sentence.start, sentence.end)]
        extra = []
        for match in _CUED_NAME_RE.finditer(sentence.text):
            words = match.group("name").split()
            for n in range(len(words), 0, -1):  # the longest name the gazetteer knows
                name = " ".join(words[:n])
                lo = sentence.start + match.start("name")
                hi = lo + len(name)
                if any(a < hi and lo < b for a, b in taken):
                    break
                place = self.lookup(name)
                if place is not None:
                    extra.append(Mention(lo, hi, name, sentence, source="claims", place=place))
                    taken.append((lo, hi))
                    break
        return extra


def extract_claims(article: Article, gazetteer=None) -> tuple[list[RangeClaim], list[CorridorClaim]]:
    """Extract the range, reach and corridor claims of a parsed article.

    Parameters
    ----------
    article : Article
        Its ``mentions`` resolved (``Mention.place`` set or None) and ``sentences`` set.
    gazetteer : gazetteer.Gazetteer, optional
        Resolves a waypoint or origin named in a claim but absent from the mentions.

    Returns
    -------
    (list of RangeClaim, list of CorridorClaim)
        In text order. Each range claim with a resolved origin carries the geodesic
        distance to its targets and, in ``checks``, to every other place of the article.
    """
    from geomap.claims.corridors import extract_corridors
    from geomap.claims.ranges import extract_ranges

    context = ArticleContext(article, gazetteer)
    return extract_ranges(context), extract_corridors(context)

"""geomap: find, resolve and map the places and spatial claims in news articles, offline.

>>> import geomap
>>> article = geomap.parse("Rockets were fired from Gaza toward Eilat.")
>>> [(p.place.name, p.count) for p in article.places]
[('Gaza', 1), ('Eilat', 1)]
"""

from geomap.model import Article, ClaimPlace, CorridorClaim, Mention, PlaceMentions, RangeClaim, RangeTarget, Sentence


def __getattr__(name):
    # The pipeline imports spaCy: load it only when asked for, so light commands start fast.
    if name in ("Parser", "parse", "ParserConfig"):
        from geomap import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'geomap' has no attribute {name!r}")


__all__ = ["parse", "Parser", "ParserConfig", "Article", "Mention", "Sentence", "PlaceMentions", "RangeClaim",
           "RangeTarget", "ClaimPlace", "CorridorClaim"]

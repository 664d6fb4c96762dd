"""The dependency parse of the few sentences that state a claim: which route argument a place is.

Parsing is the costly part of spaCy, and the parser pipeline (``tok2vec``, ``tagger``, ``parser`` of
the model the project ships) is loaded only when a claim needs it, and runs only on sentences that
carry a claim cue and a place the patterns left without a role: a route claim adds a few
milliseconds per such sentence, not a parse of the whole article.

:func:`path_role` reads the path argument a place fills in the parse: the object of "from" starts a
route, of "to/into/towards" ends it, of "via/through/across" lies on it; a conjunct shares the role
of the first ("from the ports of Mombasa and Dar es Salaam"), and "the port of X" passes the role
of "the port" to X.

>>> role_of("Cocaine moves from Peru to Ecuador.", "Ecuador")   # doctest: +SKIP
'end'
"""

from __future__ import annotations

from functools import cache

__all__ = ["parse_sentence", "parser_pipeline", "path_role", "role_of"]

#: The role the object of a preposition (or of a verb) plays on a route.
PREP_ROLES = {
    "from": "start", "out": "start", "to": "end", "into": "end", "towards": "end", "toward": "end",
    "onto": "end", "via": "via", "through": "via", "across": "via", "along": "via", "over": "via",
    "around": "via", "past": "via", "between": "pair", "with": "end",
}
VERB_OBJECT_ROLES = {
    "leave": "start", "exit": "start", "reach": "end", "enter": "end", "cross": "via", "transit": "via",
    "link": "pair", "connect": "pair", "join": "pair",
}
_CONTAINER_NOUNS = frozenset("""port ports city cities town towns village villages region province capital
border crossing crossings airport harbour harbor island islands coast state area""".split())


@cache
def parser_pipeline():
    """The parser pipeline of the installed model, or None in gazetteer-only mode (loaded once)."""
    from geomap.text.nlp import choose_model

    choice = choose_model("auto")
    if choice.gazetteer_only:
        return None
    import spacy

    return spacy.load(choice.name, exclude=["ner", "senter"])


def parse_sentence(text: str):
    """The parsed spaCy Doc of one sentence, or None without a model (not cached here: an article's
    :class:`~geomap.claims.ArticleContext` keeps the parses of its sentences)."""
    nlp = parser_pipeline()
    return None if nlp is None else nlp(text)


def path_role(doc, start: int, end: int) -> str | None:
    """The route role ("start", "via", "end", "pair") of the phrase at characters [start, end) of ``doc``.

    None when the phrase is no path argument (a subject, a container after "in", a possessor).
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    for _ in range(6):
        while token.dep_ in ("conj", "appos", "compound") and token.head is not token:
            token = token.head
        if token.dep_ == "dobj":
            return VERB_OBJECT_ROLES.get(token.head.lemma_.lower())
        if token.dep_ != "pobj":
            return None
        prep = token.head
        word = prep.text.lower()
        if word == "of" and prep.head.lemma_.lower() in _CONTAINER_NOUNS:
            token = prep.head  # "the port of Constanta" is where "the port" is on the route
            continue
        while prep.dep_ == "conj" and prep.head.dep_ == "prep" and word not in PREP_ROLES:
            prep = prep.head
            word = prep.text.lower()
        return PREP_ROLES.get(word)
    return None


def role_of(sentence: str, phrase: str) -> str | None:
    """The route role of the first occurrence of ``phrase`` in ``sentence`` (None without a model)."""
    doc = parse_sentence(sentence)
    start = sentence.find(phrase)
    return None if doc is None or start < 0 else path_role(doc, start, start + len(phrase))

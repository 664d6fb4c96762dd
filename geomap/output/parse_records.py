"""Rebuild :class:`geomap.model.Article` values from the JSON lines of ``geomap parse``.

``Article.to_record()`` writes ``{"id", "mentions", "ranges", "corridors"}``
(plus ``text``/``title``/``source`` when a writer adds them). Mentions carry
their sentence's text but not its offsets; :func:`article_from_record` finds
where each sentence starts from the mention offsets, so popups can still
highlight the name inside its sentence.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from gazetteer.place import Place
from geomap.errors import InputError
from geomap.model import Article, CorridorClaim, Mention, RangeClaim, Sentence
from geomap.reader import JSONL_SUFFIXES, ArticleFile, as_article_file, open_article_file


def is_parse_record(record: object) -> bool:
    """True for a ``geomap parse`` record (it has a ``mentions`` list), not a raw article line."""
    return isinstance(record, dict) and isinstance(record.get("mentions"), list)


def _sentence_start(m: dict, known_starts: dict[str, set[int]]) -> int | None:
    """Where the mention's sentence starts in the article, or None when it cannot be told.

    The start is ``mention.start - (offset of the name inside the sentence)``;
    when the name occurs several times in the sentence, the start already
    found for that sentence text by another mention breaks the tie.
    """
    sentence, text, start = m.get("sentence") or "", m.get("text") or "", m.get("start")
    if not sentence or not text or start is None:
        return None
    candidates = []
    i = sentence.find(text)
    while i >= 0:
        candidates.append(start - i)
        i = sentence.find(text, i + 1)
    if not candidates:
        return None
    seen = known_starts.get(sentence, set())
    return next((c for c in candidates if c in seen), candidates[0])


def _place(m: dict) -> Place | None:
    if m.get("place_id") is None or m.get("lat") is None or m.get("lon") is None:
        return None
    return Place(id=m["place_id"], name=m.get("name") or m.get("text") or m["place_id"],
                 kind=m.get("kind") or "unknown", lat=float(m["lat"]), lon=float(m["lon"]),
                 country_code=m.get("country_code"))


def article_from_record(record: dict, *, where: str = "record") -> Article:
    """Rebuild an Article (mentions with places and sentences, ranges, corridors) from a parse record.

    Parameters
    ----------
    record : dict
        One line of ``geomap parse`` output.
    where : str
        Names the record in error messages (``file.jsonl:3``).

    Raises
    ------
    InputError
        When the record is not a parse record.
    """
    if not is_parse_record(record):
        raise InputError(f'{where}: not a `geomap parse` record (expected a "mentions" list)')
    known_starts: dict[str, set[int]] = {}
    sentences: dict[tuple[int, str], Sentence] = {}
    mentions = []
    for m in record["mentions"]:
        s_text = m.get("sentence") or m.get("text") or ""
        s_start = _sentence_start(m, known_starts)
        if s_start is None:       # no usable sentence: the mention is its own context
            s_start = int(m.get("start") or 0)
        known_starts.setdefault(s_text, set()).add(s_start)
        sentence = sentences.setdefault((s_start, s_text), Sentence(s_start, s_start + len(s_text), s_text))
        mentions.append(Mention(start=int(m.get("start") or 0), end=int(m.get("end") or 0),
                                text=m.get("text") or "", sentence=sentence, source=m.get("source") or "record",
                                place=_place(m), score=float(m.get("score") or 0.0)))
    return Article(id=str(record.get("id") or where), text=record.get("text") or "",
                   sentences=sorted(sentences.values(), key=lambda s: s.start), mentions=mentions,
                   ranges=[RangeClaim.from_record(r) for r in record.get("ranges") or []],
                   corridors=[CorridorClaim.from_record(c) for c in record.get("corridors") or []],
                   title=record.get("title"), source=record.get("source") or where)


def first_record(path: str | Path | ArticleFile) -> dict | None:
    """The first JSON object of a JSONL file (local or a URL), or None when its first line is not a JSON object."""
    with io.TextIOWrapper(open_article_file(as_article_file(path)), encoding="utf-8-sig", errors="replace") as f:
        for line in f:
            if line.strip():
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    return None
                return rec if isinstance(rec, dict) else None
    return None


def is_parse_jsonl(path: str | Path | ArticleFile) -> bool:
    """True when a ``.jsonl`` file (local or a URL) holds ``geomap parse`` records rather than raw articles."""
    file = as_article_file(path)
    if file.path.suffix.lower() not in JSONL_SUFFIXES or (file.url is None and not file.path.is_file()):
        return False
    try:
        return is_parse_record(first_record(file))
    except InputError:
        return False  # a URL that cannot be read: said when it is read as articles


def read_parse_jsonl(path: str | Path | ArticleFile) -> Iterator[Article]:
    """Yield the Articles of a ``geomap parse`` JSONL file (local or a URL); a bad line raises InputError naming
    it."""
    file = as_article_file(path)
    with io.TextIOWrapper(open_article_file(file), encoding="utf-8-sig") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{file.name}:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
            yield article_from_record(record, where=where)


def load_articles(paths, make_parser: Callable[[], object], on_error: Callable[[InputError], None] | None = None,
                  on_parsed: Callable[[Article], None] | None = None) -> list[Article]:
    """Articles from text/HTML files, directories, raw-article JSONL and ``geomap parse`` JSONL.

    Parse records are rebuilt as they are; every other input is read with
    :func:`geomap.reader.read_articles` and parsed by the parser that
    ``make_parser()`` returns, created only when some input needs parsing
    (mapping JSONL records never loads spaCy).

    Parameters
    ----------
    paths : iterable of str or Path
    make_parser : callable
        Returns an object with ``parse(text, *, id, title, source) -> Article``.
    on_error : callable, optional
        Receives each unreadable file or line, which is then skipped; without it, the first one raises.
    on_parsed : callable, optional
        Receives each article as it is parsed (a progress bar's count).
    """
    from geomap.reader import article_files, read_articles

    articles: list[Article] = []
    parser = None
    for file in article_files(paths):
        try:
            if is_parse_jsonl(file):
                articles.extend(read_parse_jsonl(file))
                continue
            for item in read_articles([file], on_error=on_error):
                if parser is None:
                    parser = make_parser()
                articles.append(parser.parse(item.text, id=item.id, title=item.title, source=item.source))
                if on_parsed is not None:
                    on_parsed(articles[-1])
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)
    return articles

"""Reading articles from files, directories and JSON Lines, with clear errors.

Every reader yields :class:`ArticleInput` values. Bad input raises
:class:`geomap.errors.InputError` naming the file (and line) and what to do;
batch readers take an ``on_error`` callback so one bad file or line does not
stop the batch.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from geomap.errors import InputError

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

#: Larger files are refused: an article is not 200 MB long, such a file is a mistake.
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(slots=True)
class ArticleInput:
    """An article as read, before parsing."""

    id: str
    text: str
    source: str | None = None          # path (with :line for JSONL) or URL
    title: str | None = None
    meta: dict = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """A stable hash of the text, for idempotent ingestion."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def decode_text(data: bytes, where: str) -> str:
    """Decode article bytes as UTF-8, refusing binary data with a clear message.

    >>> decode_text("Eilat".encode(), "x.txt")
    'Eilat'
    """
    if b"\x00" in data[:65536]:
        raise InputError(f"{where}: looks like a binary file (it contains NUL bytes); give a text, HTML or JSONL article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{where}: is not UTF-8 text (invalid byte at offset {exc.start}); "
            f"convert it first, e.g. `iconv -f WINDOWS-1256 -t UTF-8 {where}`"
        ) from None
    return text


def check_text(text: str, where: str) -> str:
    """Refuse an empty article."""
    if not text.strip():
        raise InputError(f"{where}: the article is empty")
    return text


class _TextExtractor(HTMLParser):
    """Keeps the visible text of an HTML page, paragraph breaks included."""

    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote"}
    SKIP = {"script", "style", "noscript", "head", "nav", "footer", "svg"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: str | None = None
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        if tag == "title":
            self._in_title = True
        if tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        if tag == "title":
            self._in_title = False
        if tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title = (self.title or "") + data.strip()
        elif not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Reduce an HTML page to its visible text and title.

    >>> html_to_text("<html><title>T</title><p>Strike on <b>Eilat</b>.</p><script>x()</script></html>")
    ('Strike on Eilat.', 'T')
    """
    parser = _TextExtractor()
    parser.feed(markup)
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]+", " ", html.unescape(text))
    text = re.sub(r"\s*\n\s*\n\s*", "\n\n", text).strip()
    return text, parser.title


def read_file_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path}: is {size / 2**20:.0f} MB, more than the {MAX_FILE_BYTES // 2**20} MB limit "
                         "for one article; split it, or give it as JSON Lines, one article a line")
    return path.read_bytes()


def read_text_file(path: str | Path) -> ArticleInput:
    """Read one text, Markdown or HTML article file."""
    path = Path(path)
    text = decode_text(read_file_bytes(path), str(path))
    title = None
    if path.suffix.lower() in HTML_SUFFIXES:
        text, title = html_to_text(text)
    check_text(text, str(path))
    if title is None:
        first = text.strip().splitlines()[0].strip()
        title = first[:200] if len(first) < 200 else None
    return ArticleInput(id=path.stem, text=text, source=str(path), title=title)


def iter_jsonl_articles(path: str | Path, on_error: Callable[[InputError], None] | None = None
                        ) -> Iterator[ArticleInput]:
    """Read ``{"id", "text", "title"?, "url"?, "date"?, ...}`` lines; other fields go to ``meta``.

    A bad line raises :class:`InputError`, or is passed to ``on_error`` and skipped.
    """
    path = Path(path)
    data = read_file_bytes(path)
    text = decode_text(data, str(path))
    seen_any = False
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                raise InputError(f'{where}: expected an object with a "text" string')
            check_text(rec["text"], where)
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)
            continue
        seen_any = True
        doc_id = str(rec.get("id") if rec.get("id") is not None else f"{path.stem}-{lineno}")
        meta = {k: v for k, v in rec.items() if k not in ("id", "text", "title")}
        yield ArticleInput(id=doc_id, text=rec["text"], source=rec.get("url") or where,
                           title=rec.get("title"), meta=meta)
    if not seen_any and on_error is None:
        raise InputError(f"{path}: holds no article lines")


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, directories expanded to the article files below them (sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES))
        else:
            out.append(p)
    return out


def read_articles(paths: Iterable[str | Path], on_error: Callable[[InputError], None] | None = None
                  ) -> Iterator[ArticleInput]:
    """Yield the articles in files, directories and JSONL files.

    With ``on_error`` a bad file or line is reported through it and skipped;
    without, the first one raises :class:`InputError`.
    """
    for path in expand_paths(paths):
        try:
            if path.suffix.lower() in JSONL_SUFFIXES:
                yield from iter_jsonl_articles(path, on_error)
            else:
                yield read_text_file(path)
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)

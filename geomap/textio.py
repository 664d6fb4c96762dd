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
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from geomap.errors import InputError

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

#: Larger text and HTML files are refused before they are read: such a file is a mistake.
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Longer article texts are refused: no news article is this long (a book or a whole archive is), and
#: parsing takes about 45 s of CPU per million characters, most of it spaCy's.
MAX_ARTICLE_CHARS = 2_000_000
#: How much of a file is sniffed for binary data, and the share of control bytes that makes it binary.
SNIFF_BYTES = 65536
BINARY_CONTROL_SHARE = 0.05
# Control bytes that text in no encoding holds (tab, line feed, vertical tab, form feed, CR are text).
_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32)) + b"\x7f"


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


def looks_binary(head: bytes) -> bool:
    """Whether the first bytes of a file are binary data: a NUL, or many control bytes.

    >>> looks_binary("Strikes hit Eilat.\\n".encode()), looks_binary(b"PK\\x03\\x04\\x14\\x00")
    (False, True)
    """
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > BINARY_CONTROL_SHARE * len(head)


def decode_text(data: bytes, where: str, *, file: str | None = None) -> str:
    """Decode article bytes as UTF-8, refusing binary data with a clear message.

    ``where`` names the data in messages (a file, or ``file:line``); ``file`` is
    the file to convert when it is not UTF-8 (default: ``where``).

    >>> decode_text("Eilat".encode(), "x.txt")
    'Eilat'
    """
    if looks_binary(data[:SNIFF_BYTES]):
        raise InputError(f"{where}: looks like binary data, not text; give a text, HTML or JSONL article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{where}: is not UTF-8 text (invalid byte at offset {exc.start}); "
            f"convert it first, e.g. `iconv -f WINDOWS-1256 -t UTF-8 {file or where}`"
        ) from None


def check_text(text: str, where: str) -> str:
    """Refuse an empty article, or one too long to parse (more than :data:`MAX_ARTICLE_CHARS`)."""
    if not text.strip():
        raise InputError(f"{where}: the article is empty")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            f"{where}: the text is {len(text):,} characters long, more than the {MAX_ARTICLE_CHARS:,}-character "
            'limit for one article; split it into articles: a file each, or a JSONL file with one {"id", "text"} '
            "object a line")
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


def check_file(path: Path) -> None:
    """Refuse a path that is missing or a directory."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory")


def read_file_bytes(path: Path) -> bytes:
    """The bytes of a text or HTML article file (refusing one of more than :data:`MAX_FILE_BYTES`)."""
    check_file(path)
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

    The file is read line by line (memory stays bounded however long it is). A bad
    line (not UTF-8, not JSON, no text, empty or too long a text) raises
    :class:`InputError`, or is passed to ``on_error`` and skipped. A binary file
    raises at once; a file without any line is an error too.
    """
    path = Path(path)
    check_file(path)
    with path.open("rb") as stream:
        yield from iter_jsonl_stream(stream, str(path), on_error)


def iter_jsonl_stream(stream: BinaryIO, name: str, on_error: Callable[[InputError], None] | None = None
                      ) -> Iterator[ArticleInput]:
    """:func:`iter_jsonl_articles` from an open, seekable binary stream (a local file, or a URL opened with
    fsspec) called ``name`` in messages; an article without an id is called after ``name``'s stem and line."""
    stem = PurePosixPath(name).stem
    seen_line = False
    if looks_binary(stream.read(SNIFF_BYTES)):
        raise InputError(f"{name}: looks like a binary file, not JSON Lines; give one JSON object a line")
    stream.seek(0)
    for lineno, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        seen_line = True
        where = f"{name}:{lineno}"
        try:
            rec = _article_record(decode_text(raw, where, file=name), where)
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)
            continue
        doc_id = str(rec.get("id") if rec.get("id") is not None else f"{stem}-{lineno}")
        meta = {k: v for k, v in rec.items() if k not in ("id", "text", "title")}
        yield ArticleInput(id=doc_id, text=rec["text"], source=rec.get("url") or where,
                           title=rec.get("title"), meta=meta)
    if not seen_line:
        exc = InputError(f'{name}: holds no article lines (expected one {{"id", "text"}} object a line)')
        if on_error is None:
            raise exc
        on_error(exc)


def json_object(line: str, where: str, expected: str = '{"id", "text", ...}') -> dict:
    """One JSONL line as a JSON object, or an :class:`InputError` saying what is wrong with it."""
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(rec, dict):
        raise InputError(f"{where}: expected an object {expected}, not a JSON {_json_type(rec)}")
    return rec


def _article_record(line: str, where: str) -> dict:
    """One JSONL line as an article record, with a message saying what is wrong with a bad one."""
    rec = json_object(line, where)
    if "text" not in rec:
        raise InputError(f'{where}: the object has no "text" field')
    if not isinstance(rec["text"], str):
        raise InputError(f'{where}: "text" must be a string, not a JSON {_json_type(rec["text"])}')
    check_text(rec["text"], where)
    return rec


def _json_type(value) -> str:
    """The JSON name of a decoded value's type, for messages."""
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def count_lines(path: str | Path) -> int:
    """How many lines of a file are not blank (a JSONL file's records: a progress bar's total), counted
    without decoding it.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as f:
    ...     _ = f.write(b'{"text": "a"}\\n\\n  \\n{"text": "b"}')
    >>> count_lines(f.name)
    2
    >>> os.unlink(f.name)
    """
    with open(path, "rb") as stream:
        return sum(1 for line in stream if not line.isspace())


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

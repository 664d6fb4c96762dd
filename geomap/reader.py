"""Reading articles from files, directories and JSON Lines, with clear errors.

Text and HTML files are read in any encoding: UTF-8, Unicode with a byte order
mark (UTF-16, UTF-32), or a legacy one that charset-normalizer recognises; a
file not in UTF-8 is named on stderr with the encoding assumed. JSON Lines are
UTF-8 (or Unicode with a byte order mark), as JSON asks.

Every reader yields :class:`ArticleInput` values. An article's id is unique per
source: a file's path relative to the folder it was found under, without its
suffix (``a/report`` for ``corpus/a/report.txt`` when ``corpus/`` is given; a
file given by itself is its name, ``report``), and a JSONL record's ``"id"``
(else the file's id and the line number). Bad input raises
:class:`geomap.errors.InputError` naming the file (and line) and what to do;
batch readers take an ``on_error`` callback so one bad file or line does not
stop the batch.
"""

from __future__ import annotations

import codecs
import glob
import hashlib
import html
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import urlsplit

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
#: Byte order marks and the codec that reads past them (UTF-32's before UTF-16's: FF FE starts both).
BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
                    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
#: Among the encodings that decode a text equally cleanly, the usual ones of Windows and the web come first:
#: a short text is clean in many code pages (a French sentence in Latin-1 also reads as DOS cp857).
COMMON_ENCODINGS = ("cp1252", "cp1250", "cp1251", "cp1256", "cp1253", "cp1254", "cp1255", "cp1257", "cp1258",
                    "iso8859_15", "latin_1", "iso8859_2", "koi8_r")


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


@dataclass(frozen=True, slots=True)
class ArticleFile:
    """A file to read articles from, and the folder given for it, which its article ids are relative to; a
    file read through fsspec has its ``url``, and the URL's path as :attr:`path` (for its suffix and id)."""

    path: Path
    root: Path
    url: str | None = None

    @classmethod
    def from_url(cls, url: str) -> ArticleFile:
        """The file at ``url``, its id its name without the suffix.

        >>> ArticleFile.from_url("s3://news/2024/week-12.jsonl").id
        'week-12'
        """
        path = Path(urlsplit(url).path or "/")
        return cls(path, path.parent, url)

    @property
    def name(self) -> str:
        """The file's path or URL, as messages name it."""
        return self.url or str(self.path)

    @property
    def id(self) -> str:
        """The id of the file's article: its path under :attr:`root`, without the suffix, ``/``-separated.

        >>> ArticleFile(Path("corpus/a/report.txt"), Path("corpus")).id
        'a/report'
        >>> ArticleFile(Path("b/report.txt"), Path("b")).id
        'report'
        """
        try:
            relative = self.path.relative_to(self.root)
        except ValueError:
            relative = Path(self.path.name)
        return relative.with_suffix("").as_posix()


def same_origin(source: str | None, other: str | None) -> bool:
    """Whether two article sources are the same file (a JSONL ``file:line`` counts as its file) or URL.

    >>> same_origin("feed.jsonl:3", "./feed.jsonl:7"), same_origin("a/report.txt", "b/report.txt")
    (True, False)
    """
    if source is None or other is None:
        return source == other
    return _origin(source) == _origin(other)


def _origin(source: str) -> str:
    """The file (resolved) or URL an article came from."""
    path, _, line = source.rpartition(":")
    if is_url(source):  # a JSONL URL's line (not a port: a URL with a path holds a '/' after its host)
        return path if line.isdigit() and urlsplit(path).path else source
    return str(Path(path if line.isdigit() and path else source).resolve())


def is_url(path: str | Path | ArticleFile) -> bool:
    """True for a URL read through fsspec (``s3://bucket/key``), False for a local path.

    >>> is_url("s3://news/2024/*.jsonl"), is_url("feeds/2024.jsonl"), is_url("file:///tmp/a.jsonl")
    (True, False, True)
    """
    return isinstance(path, str) and "://" in path


def looks_binary(head: bytes) -> bool:
    """Whether the first bytes of a file are binary data: a NUL, or many control bytes.

    >>> looks_binary("Strikes hit Eilat.\\n".encode()), looks_binary(b"PK\\x03\\x04\\x14\\x00")
    (False, True)
    """
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > BINARY_CONTROL_SHARE * len(head)


def byte_order_mark(data: bytes) -> str | None:
    """The codec a byte order mark at the start of ``data`` stands for, or None.

    >>> byte_order_mark("Eilat".encode("utf-16")), byte_order_mark(b"Eilat")
    ('utf-16', None)
    """
    return next((codec for mark, codec in BYTE_ORDER_MARKS if data.startswith(mark)), None)


def guess_encoding(data: bytes) -> str | None:
    """The legacy encoding ``data`` is most likely in (charset-normalizer), or None when none decodes it.

    >>> guess_encoding("Удары по окрестностям Алеппо продолжались всю ночь".encode("cp1251"))
    'cp1251'
    """
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    cleanest = min(m.chaos for m in matches)
    clean = [m.encoding for m in matches if m.chaos <= cleanest + 0.01]
    return min(clean, key=lambda e: COMMON_ENCODINGS.index(e) if e in COMMON_ENCODINGS else len(COMMON_ENCODINGS))


def encoding_label(codec: str) -> str:
    """A codec's name as people and ``iconv`` write it.

    >>> encoding_label("cp1252"), encoding_label("latin_1"), encoding_label("utf-16")
    ('CP1252', 'ISO-8859-1', 'UTF-16')
    """
    name = codecs.lookup(codec).name
    return {"iso8859-1": "ISO-8859-1"}.get(name, name.upper().replace("ISO8859", "ISO-8859"))


def decode_text(data: bytes, where: str, *, file: str | None = None) -> str:
    """Decode article bytes in whatever encoding they are, refusing binary data with a clear message.

    UTF-8 (with or without a byte order mark), UTF-16 and UTF-32 with one, else a
    legacy encoding recognised by :func:`guess_encoding`, which is then named on
    stderr. ``where`` names the data in messages; ``file`` is the file to
    convert when it cannot be read (default: ``where``).

    >>> decode_text("Eilat".encode(), "x.txt")
    'Eilat'
    """
    codec = byte_order_mark(data)
    if codec is not None:
        text = _decode(data, codec, where)
        if codec != "utf-8-sig":
            assumed_encoding(where, codec)
        return text
    if looks_binary(data[:SNIFF_BYTES]):
        raise InputError(f"{where}: looks like binary data, not text; give a text, HTML or JSONL article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    codec = guess_encoding(data)
    if codec is None:
        raise InputError(f"{where}: is not UTF-8 text and its encoding cannot be told; convert it to UTF-8 "
                         f"first, e.g. `iconv -f ENCODING -t UTF-8 {file or where}`")
    text = _decode(data, codec, where)
    assumed_encoding(where, codec)
    return text


def _decode(data: bytes, codec: str, where: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: is not valid {encoding_label(codec)} text (bad byte at offset {exc.start})"
                         ) from None


def assumed_encoding(where: str, codec: str) -> None:
    """Say on stderr, once for the file, which encoding a file not in UTF-8 was read in."""
    print(f"geomap: {where}: not UTF-8; read as {encoding_label(codec)}", file=sys.stderr)


def decode_jsonl_line(data: bytes, where: str, file: str) -> str:
    """One JSON Lines line as UTF-8 (as JSON asks), or an error whose advice names the line's likely encoding."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        codec = guess_encoding(data)
        source = encoding_label(codec) if codec else "ENCODING"
        raise InputError(f"{where}: is not UTF-8 text (invalid byte at offset {exc.start}); JSON Lines are UTF-8: "
                         f"convert the file, e.g. `iconv -f {source} -t UTF-8 {file}`") from None


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
        raise InputError(f"{path}: {'no file matches' if glob.has_magic(str(path)) else 'no such file'}")
    if path.is_dir():
        raise InputError(f"{path}: is a directory")


def read_file_bytes(path: Path) -> bytes:
    """The bytes of a text or HTML article file (refusing one of more than :data:`MAX_FILE_BYTES`)."""
    check_file(path)
    check_size(path.stat().st_size, str(path))
    return path.read_bytes()


def check_size(size: int, where: str) -> None:
    """Refuse a text or HTML article file of more than :data:`MAX_FILE_BYTES` (``size`` bytes)."""
    if size > MAX_FILE_BYTES:
        raise InputError(f"{where}: is {size / 2**20:.0f} MB, more than the {MAX_FILE_BYTES // 2**20} MB limit "
                         "for one article; split it, or give it as JSON Lines, one article a line")


def read_text_file(path: str | Path | ArticleFile) -> ArticleInput:
    """Read one text, Markdown or HTML article file (its id: see :class:`ArticleFile`)."""
    file = as_article_file(path)
    if file.url is not None:
        with open_url(file.url) as stream:
            data = stream.read(MAX_FILE_BYTES + 1)  # no more: the size of a URL's file may be unknown
        check_size(len(data), file.url)
        return text_article(data, file, file.url)
    return text_article(read_file_bytes(file.path), file, str(file.path))


def text_article(data: bytes, file: ArticleFile, where: str) -> ArticleInput:
    """The article of a text, Markdown or HTML file's bytes (``where``: its path or URL, in messages)."""
    text = decode_text(data, where)
    title = None
    if file.path.suffix.lower() in HTML_SUFFIXES:
        text, title = html_to_text(text)
    check_text(text, where)
    if title is None:
        first = text.strip().splitlines()[0].strip()
        title = first[:200] if len(first) < 200 else None
    return ArticleInput(id=file.id, text=text, source=where, title=title)


def as_article_file(path: str | Path | ArticleFile) -> ArticleFile:
    """A file given by itself: its articles' ids are its name (see :class:`ArticleFile`)."""
    return path if isinstance(path, ArticleFile) else ArticleFile(Path(path), Path(path).parent)


def open_article_file(file: ArticleFile) -> BinaryIO:
    """The file opened for reading, local or a URL (:func:`open_url`); a missing one is an :class:`InputError`."""
    if file.url is not None:
        return open_url(file.url)
    check_file(file.path)
    return file.path.open("rb")


def open_url(url: str) -> BinaryIO:
    """``url`` opened for reading through fsspec (the ``[cluster]`` extra; s3fs, gcsfs... for their URLs)."""
    from geomap.cluster.inputs import require

    if glob.has_magic(url):  # a glob URL that matched nothing (url_matches)
        raise InputError(f"{url}: no file matches")
    fsspec = require("fsspec", f"reading {url}")
    try:
        return fsspec.open(url, "rb").open()
    except (OSError, ValueError, ImportError) as exc:
        raise InputError(f"{url}: cannot be opened ({exc})") from None


def url_matches(pattern: str) -> list[str]:
    """The URLs a glob URL matches (``s3://news/2024/*.jsonl``), sorted, through fsspec; a URL without glob
    characters as it is."""
    if not glob.has_magic(pattern):
        return [pattern]
    from geomap.cluster.inputs import require

    fsspec = require("fsspec", f"reading {pattern}")
    try:
        fs, _, paths = fsspec.get_fs_token_paths(pattern)
    except (OSError, ValueError, ImportError) as exc:
        raise InputError(f"{pattern}: cannot be listed ({exc})") from None
    return [fs.unstrip_protocol(p) for p in sorted(paths)]


def iter_jsonl_articles(path: str | Path | ArticleFile, on_error: Callable[[InputError], None] | None = None
                        ) -> Iterator[ArticleInput]:
    """Read ``{"id", "text", "title"?, "url"?, "date"?, ...}`` lines; other fields go to ``meta``.

    The file is read line by line (memory stays bounded however long it is). A bad
    line (not UTF-8, not JSON, no text, empty or too long a text) raises
    :class:`InputError`, or is passed to ``on_error`` and skipped. A binary file,
    or one whose first line is no JSON value (prose named ``.jsonl``), raises at
    once: one error, not one a line; a file without any line is an error too.
    """
    file = as_article_file(path)
    with open_article_file(file) as stream:
        yield from iter_jsonl_stream(stream, file.name, on_error, stem=file.id)


def iter_jsonl_stream(stream: BinaryIO, name: str, on_error: Callable[[InputError], None] | None = None, *,
                      stem: str | None = None) -> Iterator[ArticleInput]:
    """:func:`iter_jsonl_articles` from an open, seekable binary stream (a local file, or a URL opened with
    fsspec) called ``name`` in messages; an article without an id is called ``STEM-LINE`` (``stem``: by default
    ``name``'s stem)."""
    stem = stem if stem is not None else PurePosixPath(name).stem
    seen_line = False
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    codec = byte_order_mark(head)
    lines: Iterable[bytes] = stream
    if codec is not None and codec != "utf-8-sig":  # UTF-16 or UTF-32: decoded as a stream, line by line
        assumed_encoding(name, codec)
        lines = _reencoded_lines(stream, codec, name)
    elif looks_binary(head):
        raise InputError(f"{name}: looks like a binary file, not JSON Lines; give one JSON object a line")
    for lineno, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        if not seen_line and raw.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] not in (b"{", b"[", b'"'):
            start = raw.strip()[:40].decode("utf-8", "replace")
            raise InputError(f"{name}: does not look like JSON Lines (line {lineno} starts with {start!r}); "
                             "give a text article a .txt, .md or .html name, or write one JSON object a line")
        seen_line = True
        where = f"{name}:{lineno}"
        try:
            rec = _article_record(decode_jsonl_line(raw.removeprefix(codecs.BOM_UTF8), where, name), where)
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


def _reencoded_lines(stream, codec: str, path: str | Path) -> Iterator[bytes]:
    """The lines of a UTF-16 or UTF-32 stream, as UTF-8 bytes."""
    try:
        for line in io.TextIOWrapper(stream, encoding=codec, newline="\n"):
            yield line.encode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: is not valid {encoding_label(codec)} text ({exc.reason})") from None


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


def expand_globs(paths: Iterable[str | Path | ArticleFile]) -> Iterator[str | Path | ArticleFile]:
    """The inputs with each glob replaced by its matches, sorted (``'feeds/2024-*.jsonl'``, ``'archive/**/*.txt'``,
    ``'s3://news/*.jsonl'`` through fsspec). A path that exists is itself even with glob characters in its name;
    a glob matching nothing stays, to be reported as matching nothing when read.

    >>> list(expand_globs(["no-such-folder/*.jsonl", "feed.jsonl"]))
    ['no-such-folder/*.jsonl', 'feed.jsonl']
    """
    for p in paths:
        name = str(p)
        if isinstance(p, ArticleFile) or not glob.has_magic(name) or os.path.exists(name):
            yield p
        elif is_url(name):
            yield from url_matches(name) or [name]
        else:
            yield from sorted(glob.glob(name, recursive=True)) or [name]


def article_files(paths: Iterable[str | Path | ArticleFile]) -> list[ArticleFile]:
    """Files as given (globs expanded: :func:`expand_globs`), directories expanded to the article files below
    them (sorted), each with its root; URLs as :meth:`ArticleFile.from_url`."""
    out: list[ArticleFile] = []
    for p in expand_globs(paths):
        if isinstance(p, ArticleFile):
            out.append(p)
        elif is_url(p):
            out.append(ArticleFile.from_url(p))
        elif Path(p).is_dir():
            root = Path(p)
            out.extend(ArticleFile(f, root) for f in sorted(root.rglob("*"))
                       if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES)
        else:
            out.append(ArticleFile(Path(p), Path(p).parent))
    return out


def count_articles(paths: Iterable[str | Path | ArticleFile]) -> int | None:
    """About how many articles the inputs hold (a file each, a JSONL file a non-blank line each): a progress
    bar's total, counted without decoding anything; None when a URL is among them (not read twice)."""
    paths = list(paths)
    if any(map(is_url, paths)):
        return None
    total = 0
    for file in article_files(paths):
        if file.path.suffix.lower() in JSONL_SUFFIXES:
            try:
                total += count_lines(file.path)
            except OSError:
                total += 1
        else:
            total += 1
    return total


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, directories expanded to the article files below them (sorted)."""
    return [file.path for file in article_files(paths)]


def read_articles(paths: Iterable[str | Path | ArticleFile], on_error: Callable[[InputError], None] | None = None
                  ) -> Iterator[ArticleInput]:
    """Yield the articles in files, directories and JSONL files: the one reader of every command.

    Inputs are read in the order given; they may be globs (:func:`expand_globs`) and URLs read
    through fsspec (``s3://``, ``gs://``, ``https://``, with the ``[cluster]`` extra and, for
    object storage, s3fs or gcsfs). With ``on_error`` a bad file or line is reported through it
    and skipped; without, the first one raises :class:`InputError`.
    """
    for file in article_files(paths):
        try:
            if file.path.suffix.lower() in JSONL_SUFFIXES:
                yield from iter_jsonl_articles(file, on_error)
            else:
                yield read_text_file(file)
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)

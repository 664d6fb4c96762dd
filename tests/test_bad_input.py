"""Bad input through the command line (issue #3): clear messages, and batches that go on.

`geomap places FILE` and `geomap parse IN.jsonl -o OUT.jsonl` on empty, binary,
non-UTF-8 and over-long input, and on JSONL batches with bad lines. The
gazetteer-only mode keeps these fast: reading input does not depend on the model.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from geomap import reader
from geomap.cli import main
from geomap.errors import InputError

GOOD = "Strikes hit Albukamal, near the Iraqi border."
LATIN1 = "Des frappes à Albukamal, près de la frontière.".encode("latin-1")


def places(*args):
    return CliRunner().invoke(main, ["places", "--model", "none", *map(str, args)])


def parse(infile, outfile):
    return CliRunner().invoke(main, ["parse", "--model", "none", str(infile), "-o", str(outfile)])


def jsonl(*records) -> str:
    """JSON Lines text: dicts are dumped, strings are written as they are (to make bad lines)."""
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


# --------------------------------------------------------------------------- geomap places FILE
@pytest.mark.parametrize("content", [b"", b"  \n\n\t \n"], ids=["empty", "blank"])
def test_places_empty_file(tmp_path, content):
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    result = places(path)
    assert result.exit_code == 1
    assert f"{path}: the article is empty" in result.output


@pytest.mark.parametrize("content", [b"\x7fELF\x02\x01\x01\x00" + bytes(200), bytes(range(1, 32)) * 20],
                         ids=["with NUL bytes", "control bytes, no NUL"])
def test_places_binary_file(tmp_path, content):
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    result = places(path)
    assert result.exit_code == 1
    assert "looks like binary data" in result.output
    assert "Traceback" not in result.output


def test_places_non_utf8_file_is_read_in_the_encoding_it_is_in(tmp_path):
    path = tmp_path / "article.txt"
    path.write_bytes(LATIN1)
    result = places(path)
    assert result.exit_code == 0
    assert f"{path}: not UTF-8; read as" in result.output and "près de la frontière" in result.output


def test_places_empty_jsonl_is_reported(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_bytes(b"")
    result = places(path)
    assert result.exit_code == 1
    assert "holds no article lines" in result.output


def test_places_too_long_article_names_the_limit_and_how_to_split(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ARTICLE_CHARS", 1_000)
    path = tmp_path / "long.txt"
    text = (GOOD + "\n") * 40
    path.write_text(text, encoding="utf-8")
    result = places(path)
    assert result.exit_code == 1
    assert f"{len(text):,} characters long, more than the 1,000-character limit" in result.output
    assert "split it into articles" in result.output


def test_places_goes_on_past_a_bad_file(tmp_path):
    bad, good = tmp_path / "bad.txt", tmp_path / "good.txt"
    bad.write_bytes(b"\x00\x01\x02 not text")
    good.write_text(GOOD, encoding="utf-8")
    result = places(bad, good)
    assert result.exit_code == 0
    assert f"skipped: {bad}: looks like binary data" in result.output
    assert "== good" in result.output and "Albukamal" in result.output


# --------------------------------------------------------------------------- geomap parse IN.jsonl -o OUT.jsonl
def test_parse_goes_on_past_bad_lines_and_names_them(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ARTICLE_CHARS", 1_000)
    infile, outfile = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = jsonl({"id": "a", "text": GOOD},                 # 1
                  "{not json",                                # 2
                  {"id": "no-text", "title": "x"},            # 3
                  {"id": "number", "text": 42},               # 4
                  {"id": "null", "text": None},               # 5
                  '["a", "list"]',                            # 6
                  {"id": "blank", "text": "  \n"},            # 7
                  {"id": "long", "text": GOOD * 30},          # 8
                  "",                                         # 9: blank lines are no error
                  {"id": "b", "text": "Convoys crossed from Iraq into Syria."})
    infile.write_bytes(lines.encode("utf-8") + LATIN1 + b"\n")  # 11: not UTF-8
    result = parse(infile, outfile)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in outfile.read_text(encoding="utf-8").splitlines()] == ["a", "b"]
    for lineno, reason in [(2, "not valid JSON"), (3, 'the object has no "text" field'),
                           (4, '"text" must be a string, not a JSON number'),
                           (5, '"text" must be a string, not a JSON null'),
                           (6, "expected an object"), (7, "the article is empty"),
                           (8, "more than the 1,000-character limit"), (11, "is not UTF-8 text")]:
        assert any(line.startswith(f"skipped: {infile}:{lineno}: ") and reason in line
                   for line in result.stderr.splitlines()), (lineno, reason, result.stderr)
    assert "parsed 2 article(s)" in result.stderr and "8 skipped" in result.stderr


def test_parse_a_json_string_with_a_line_separator_is_one_line(tmp_path):
    # U+2028 is a line break for str.splitlines but may stand unescaped in a JSON string
    infile, outfile = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    infile.write_text(jsonl({"id": "a", "text": GOOD + "\u2028Then Syria."}), encoding="utf-8")
    result = parse(infile, outfile)
    assert result.exit_code == 0, result.output
    assert "skipped" not in result.stderr


@pytest.mark.parametrize("content, message", [
    (b"", "holds no article lines"),
    (b"\n  \n", "holds no article lines"),
    (b"\x89PNG\r\n\x1a\n" + bytes(64), "looks like a binary file"),
    (b'{"id": 1}\nnot json\n', "nothing written"),
], ids=["empty", "blank lines", "binary", "only bad lines"])
def test_parse_without_any_good_line_fails_and_writes_nothing(tmp_path, content, message):
    infile, outfile = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    infile.write_bytes(content)
    result = parse(infile, outfile)
    assert result.exit_code == 1
    assert message in result.output
    assert not outfile.exists()
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- the readers
def test_jsonl_reader_raises_at_the_first_bad_line_without_on_error(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(jsonl({"id": "a", "text": GOOD}, "{not json"), encoding="utf-8")
    with pytest.raises(InputError, match=r"in\.jsonl:2: not valid JSON"):
        list(reader.iter_jsonl_articles(path))


def test_text_in_legacy_encodings_is_not_taken_for_binary():
    for data in (LATIN1, "هجوم على البوكمال".encode("cp1256"), "Удары по Алеппо\r\n\tи Хомсу".encode("cp1251")):
        assert not reader.looks_binary(data)

"""Reading articles (issue #20): ids unique per source, one reader for every command, encodings, read-only places.

The CLI runs in the gazetteer-only mode (``--model none``) where the parser's output does not matter: reading
input does not depend on the model.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap.cli import main
from geomap.store import ArticleStore

#: Linux capabilities that let root write where a file's mode says no: dropped by run_unprivileged.
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3
PR_CAPBSET_DROP = 24


def ingest(*args):
    return CliRunner().invoke(main, ["ingest", "--workers", "1", "--model", "none", *map(str, args)])


def stored_texts(db) -> dict[str, str]:
    with ArticleStore.open(db) as store:
        return {a.id: a.text for a in store.load_articles(store.article_ids())}


# --------------------------------------------------------------------------- ids unique per source
def test_files_of_one_name_in_two_folders_are_two_articles(tmp_path):
    corpus = tmp_path / "corpus"
    for folder, text in [("a", "Fighting near Aleppo."), ("b", "Fighting near Homs.")]:
        (corpus / folder).mkdir(parents=True)
        (corpus / folder / "report.txt").write_text(text)
    db = tmp_path / "s.sqlite"
    result = ingest(corpus, "--db", db)
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output
    assert stored_texts(db) == {"a/report": "Fighting near Aleppo.", "b/report": "Fighting near Homs."}


def test_a_second_file_with_a_stored_id_is_reported_not_stored_over_the_first(tmp_path):
    for folder, text in [("a", "Fighting near Aleppo."), ("b", "Fighting near Homs.")]:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(text)
    db = tmp_path / "s.sqlite"
    assert ingest(tmp_path / "a" / "report.txt", "--db", db).exit_code == 0
    second = ingest(tmp_path / "b" / "report.txt", "--db", db)
    assert second.exit_code == 1                      # nothing of it could be used
    assert "0 new, 0 updated" in second.output and "1 failed" in second.output
    assert f"article id 'report' is already stored from {tmp_path / 'a' / 'report.txt'}" in second.output
    assert stored_texts(db) == {"report": "Fighting near Aleppo."}
    # The first file, edited, is still an update of its own article; the same text again changes nothing.
    (tmp_path / "a" / "report.txt").write_text("Fighting near Hama.")
    assert "1 updated" in ingest(tmp_path / "a" / "report.txt", "--db", db).output
    assert "1 unchanged" in ingest(tmp_path / "a" / "report.txt", "--db", db).output
    assert stored_texts(db) == {"report": "Fighting near Hama."}


def test_jsonl_ids_that_collide_across_files_are_reported(tmp_path):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(json.dumps({"id": "x1", "text": "Shelling in Idlib."}) + "\n")
    second.write_text(json.dumps({"id": "x1", "text": "Protests in Beirut."}) + "\n")
    db = tmp_path / "s.sqlite"
    assert "1 new" in ingest(first, "--db", db).output
    clash = ingest(second, "--db", db)
    assert "article id 'x1' is already stored from" in clash.output and "1 failed" in clash.output
    assert stored_texts(db) == {"x1": "Shelling in Idlib."}
    # the same line moved down its own file and changed: an update of that article
    first.write_text("\n" + json.dumps({"id": "x1", "text": "Shelling in Idlib and Hama."}) + "\n")
    assert "1 updated" in ingest(first, "--db", db).output


def test_ingest_help_says_how_ids_are_made():
    result = CliRunner().invoke(main, ["ingest", "--help"])
    assert "relative to" in result.output and "a/report" in result.output


# --------------------------------------------------------------------------- read-only places
@pytest.fixture
def places_nobody_writes(tmp_path):
    """``(base, readonly)``: a folder with an article, and a folder of mode 0555 in it."""
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    (tmp_path / "article.txt").write_text("Shelling was heard north of Aleppo.")
    readonly.chmod(0o555)
    yield tmp_path, readonly
    readonly.chmod(0o755)


def run_unprivileged(*args, **env) -> subprocess.CompletedProcess:
    """Run ``geomap ARGS`` in a process that a folder of mode 0555 really stops from writing.

    chmod stops no write of root, whose capabilities override file modes: run as root (as in CI's
    containers), the command runs without those capabilities (dropped from the bounding set before exec, so
    the owner's r-x bits apply to root too); run as another user, the mode alone stops it. ``GEOMAP_*``
    variables are left out unless given in ``env``.
    """
    def drop_capabilities():
        if os.geteuid() == 0:
            libc = ctypes.CDLL(None, use_errno=True)
            for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
                if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                    raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")

    environment = {k: v for k, v in os.environ.items() if not k.startswith("GEOMAP_")}
    environment.update({k: str(v) for k, v in env.items()})
    return subprocess.run([sys.executable, "-c", "from geomap.cli import main; main()", *map(str, args)],
                          env=environment, preexec_fn=drop_capabilities, capture_output=True, text=True,
                          timeout=300)


def assert_clear(result: subprocess.CompletedProcess, *expected: str) -> None:
    """The command failed with a message holding ``expected``, without a traceback or advice to delete."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "delete" not in result.stderr and "corrupt" not in result.stderr, result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr


def test_ingest_into_a_read_only_folder_says_so(places_nobody_writes):
    base, readonly = places_nobody_writes
    result = run_unprivileged("ingest", base / "article.txt", "--db", readonly / "store.sqlite", "--model", "none")
    assert_clear(result, f"cannot write to {readonly}", "--db")
    assert not (readonly / "store.sqlite").exists()


def test_a_store_in_a_read_only_folder_is_not_called_corrupt(places_nobody_writes):
    base, readonly = places_nobody_writes
    readonly.chmod(0o755)
    assert ingest(base / "article.txt", "--db", readonly / "store.sqlite").exit_code == 0
    for leftover in readonly.glob("store.sqlite-*"):
        leftover.unlink()
    readonly.chmod(0o555)
    result = run_unprivileged("ingest", base / "article.txt", "--db", readonly / "store.sqlite", "--model", "none")
    assert_clear(result, f"cannot write to {readonly}")


def test_gazetteer_build_into_a_read_only_folder_says_what_to_do(places_nobody_writes):
    base, readonly = places_nobody_writes
    result = run_unprivileged("gazetteer", "build", "--path", readonly / "gazetteer.sqlite")
    assert_clear(result, f"cannot write to {readonly}", "--path", "GEOMAP_GAZETTEER")


def test_first_use_with_a_read_only_data_folder_says_what_to_do(places_nobody_writes):
    base, readonly = places_nobody_writes
    result = run_unprivileged("places", base / "article.txt", "--model", "none", XDG_DATA_HOME=readonly)
    assert_clear(result, f"cannot write to {readonly}", "GEOMAP_GAZETTEER")


# --------------------------------------------------------------------------- one reader for every command
PROSE = "Convoys left Aleppo at dawn.\nThey reached Homs by night.\n" * 50


def test_parse_reads_text_markdown_html_folders_and_jsonl_like_the_other_commands(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(PROSE)
    (folder / "sub" / "b.md").write_text("# Homs\n\nShelling near Homs.")
    (folder / "c.html").write_text("<html><title>Hama</title><p>Protests in Hama.</p></html>")
    (folder / "d.jsonl").write_text(json.dumps({"id": "j1", "text": "Talks in Amman."}) + "\n")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["parse", "--model", "none", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "not valid JSON" not in result.output
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert sorted(ids) == ["a", "c", "j1", "sub/b"]
    single = CliRunner().invoke(main, ["parse", "--model", "none", str(folder / "a.txt"), "-o", str(out)])
    assert single.exit_code == 0 and "parsed 1 article(s)" in single.output, single.output
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a"]


def require_fsspec() -> None:
    """Skip (fail under CI) without fsspec, which reads URL inputs."""
    from conftest import skip_or_fail

    try:
        import fsspec  # noqa: F401
    except ImportError:
        skip_or_fail('URL inputs need fsspec: pip install "geomap-mentions[cluster]"')


def jsonl_line(article_id: str, text: str) -> str:
    return json.dumps({"id": article_id, "text": text}) + "\n"


def test_every_command_reads_globs_and_urls_through_the_one_reader(tmp_path):
    require_fsspec()
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "2024-02.jsonl").write_text(jsonl_line("feb", "Storms closed the port of Gdansk."))
    (feeds / "2024-01.jsonl").write_text(jsonl_line("jan", "Ferries left Helsinki for Tallinn."))
    (feeds / "notes.txt").write_text("Trains ran late between Vienna and Graz.")  # the glob leaves it out
    remote = tmp_path / "remote.jsonl"
    remote.write_text(jsonl_line("far", "Snow fell on Oslo overnight."))
    page = tmp_path / "page.html"
    page.write_text("<html><title>Riga</title><p>Protests filled the squares of Riga.</p></html>")
    inputs = [str(feeds / "2024-*.jsonl"), remote.as_uri(), page.as_uri(), str(tmp_path / "none" / "*.jsonl")]
    runner = CliRunner()

    out = tmp_path / "out.jsonl"
    parsed = runner.invoke(main, ["parse", "--model", "none", *inputs, "-o", str(out)])
    assert parsed.exit_code == 0, parsed.output
    # in the order given, a glob's matches sorted; a glob matching nothing is reported and skipped
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["jan", "feb", "far", "page"]
    assert f"skipped: {tmp_path / 'none' / '*.jsonl'}: no file matches" in parsed.output
    by_url = runner.invoke(main, ["parse", "--model", "none", feeds.as_uri() + "/2024-*.jsonl",
                                  tmp_path.as_uri() + "/none/*.jsonl", "-o", str(out)])  # globs in URLs too
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["jan", "feb"]
    assert f"skipped: {tmp_path.as_uri()}/none/*.jsonl: no file matches" in by_url.output

    db = tmp_path / "store.sqlite"
    first = ingest("--db", db, *inputs)
    assert first.exit_code == 0 and "4 new" in first.output and "1 failed" in first.output, first.output
    assert stored_texts(db)["page"] == "Protests filled the squares of Riga."
    remote.write_text(jsonl_line("far", "Snow fell on Bergen overnight."))  # a changed line of the same URL
    again = ingest("--db", db, *inputs)
    assert "0 new, 1 updated" in again.output and "3 unchanged" in again.output, again.output
    assert stored_texts(db)["far"] == "Snow fell on Bergen overnight."

    places = runner.invoke(main, ["places", "--model", "none", "--format", "json", str(feeds / "*.txt"),
                                  page.as_uri()])
    assert places.exit_code == 0, places.output
    assert {"Vienna", "Graz", "Riga"} <= set(re.findall(r'"name": "([^"]+)"', places.output))
    drawn = runner.invoke(main, ["map", "--model", "none", str(feeds / "2024-*.jsonl"), remote.as_uri(),
                                 "-o", str(tmp_path / "m.html")])
    assert drawn.exit_code == 0 and "3 articles" in drawn.output, drawn.output
    records = runner.invoke(main, ["map", out.as_uri(), "-o", str(tmp_path / "m.html")])  # parse's JSONL, by URL
    assert records.exit_code == 0 and "2 articles, 3 places" in records.output, records.output
    assert "warning" not in records.output  # rebuilt from the records, not read as raw articles


def test_a_url_without_fsspec_says_what_to_install(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(jsonl_line("x", "Talks in Amman."))
    code = ("import sys; sys.modules['fsspec'] = None\nfrom geomap.cli import main\n"
            f"main(['parse', '--model', 'none', {path.as_uri()!r}, '-o', {str(tmp_path / 'o.jsonl')!r}])")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert 'needs the fsspec package, which is not installed: pip install "geomap-mentions[cluster]"' in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "o.jsonl").exists()


def test_prose_in_a_jsonl_file_is_one_error_not_one_a_line(tmp_path):
    path = tmp_path / "notes.jsonl"
    path.write_text(PROSE)
    result = CliRunner().invoke(main, ["parse", "--model", "none", str(path), "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 1
    skipped = [line for line in result.output.splitlines() if line.startswith("skipped:")]
    assert len(skipped) == 1 and "does not look like JSON Lines" in skipped[0], result.output


# --------------------------------------------------------------------------- encodings
FRENCH = "Des frappes ont touché Albukamal, près de la frontière irakienne, selon les élus de la région."
RUSSIAN = "Удары по окрестностям Алеппо продолжались всю ночь, сообщили местные власти."
ARABIC = "قالت السلطات إن القصف استمر طوال الليل قرب مدينة حلب في شمال سوريا."


@pytest.mark.parametrize("text, encoding", [(FRENCH, "latin-1"), (FRENCH, "cp1252"), (RUSSIAN, "cp1251"),
                                            (ARABIC, "cp1256")],
                         ids=["french-latin1", "french-cp1252", "russian-cp1251", "arabic-cp1256"])
def test_a_legacy_encoding_is_detected_and_named(tmp_path, capsys, text, encoding):
    from geomap import reader

    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(encoding))
    assert reader.read_text_file(path).text == text
    err = capsys.readouterr().err
    assert err.count(str(path)) == 1 and "not UTF-8" in err, err


@pytest.mark.parametrize("encoding, name", [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32"),
                                            ("utf-8-sig", None)])
def test_unicode_with_a_byte_order_mark_is_read(tmp_path, capsys, encoding, name):
    from geomap import reader

    path = tmp_path / "article.txt"
    data = FRENCH.encode(encoding)
    path.write_bytes(data if encoding != "utf-16-be" else b"\xfe\xff" + data)
    assert reader.read_text_file(path).text == FRENCH
    err = capsys.readouterr().err
    assert (name in err) if name else err == "", err


def test_places_reads_a_latin1_article_and_says_which_encoding_it_assumed(tmp_path):
    path = tmp_path / "article.txt"
    path.write_bytes(FRENCH.encode("latin-1"))
    result = CliRunner().invoke(main, ["places", "--model", "none", str(path)])
    assert result.exit_code == 0, result.output
    assert "Albukamal" in result.stdout
    assert f"{path}: not UTF-8" in result.stderr and "iconv" not in result.stderr


def test_jsonl_in_utf16_is_read_and_a_latin1_line_gets_advice_that_fits_it(tmp_path):
    from geomap import reader

    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"id": "f1", "text": FRENCH}, ensure_ascii=False) + "\n", encoding="utf-16")
    assert [a.text for a in reader.iter_jsonl_articles(path)] == [FRENCH]
    path.write_bytes(json.dumps({"id": "f1", "text": FRENCH}, ensure_ascii=False).encode("latin-1") + b"\n")
    with pytest.raises(reader.InputError) as error:
        list(reader.iter_jsonl_articles(path))
    message = str(error.value)
    assert "is not UTF-8" in message and "iconv -f" in message and "1256" not in message, message


def test_binary_files_are_still_refused(tmp_path):
    from geomap import reader

    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(reader.InputError, match="looks like binary data"):
        reader.read_text_file(path)


# --------------------------------------------------------------------------- progress bars
def small_sources(monkeypatch) -> None:
    """The default build with three cities and without the slow sources: the build's steps, in seconds."""
    from gazetteer.sources import admin, airports, cities, curated

    three = {str(gid): {"name": name, "countrycode": "SY", "latitude": lat, "longitude": lon, "population": 1000,
                        "admin1code": None, "alternatenames": []}
             for gid, name, lat, lon in [(170063, "Aleppo", 36.2, 37.16), (169577, "Homs", 34.73, 36.72),
                                         (170017, "Hama", 35.13, 36.76)]}
    monkeypatch.setattr(cities, "load_cities", lambda: three)
    for module in (admin, airports, curated):
        monkeypatch.setattr(module, "add_to", lambda writer, ctx: None)


def test_the_gazetteer_build_writes_no_bar_off_a_terminal(tmp_path, monkeypatch, capsys):
    from gazetteer import build as builder

    small_sources(monkeypatch)
    builder.build(tmp_path / "g.sqlite", progress=True)
    err = capsys.readouterr().err
    assert "\r" not in err and "%|" not in err and "it/s" not in err, err


BUILD_IN_A_TERMINAL = """
import sys
import pytest
sys.path.insert(0, {tests!r})
from test_input import small_sources
from gazetteer import build
with pytest.MonkeyPatch.context() as mp:
    small_sources(mp)
    build.build({path!r}, progress=True)
"""


def test_the_gazetteer_build_shows_a_bar_per_step_on_a_terminal(tmp_path):
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # a terminal 120 columns wide
    script = BUILD_IN_A_TERMINAL.format(tests=str(Path(__file__).parent), path=str(tmp_path / "g.sqlite"))
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    proc = subprocess.Popen([sys.executable, "-c", script], stderr=slave, stdout=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert proc.wait(60) == 0, b"".join(chunks).decode(errors="replace")
    shown = b"".join(chunks).decode(errors="replace")
    assert "cities" in shown and "3/3" in shown, shown
    for step in ("countries", "regions and districts", "airports", "curated tables", "indexing"):
        assert step in shown, (step, shown)
    # each step has its own bar: indexing is not the cities' bar at 100%
    assert not [line for line in re.split(r"[\r\n]", shown) if "indexing" in line and "3/3" in line], shown

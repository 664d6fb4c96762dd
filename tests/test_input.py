"""Reading articles (issue #20): ids unique per source, one reader for every command, encodings, read-only places.

The CLI runs in the gazetteer-only mode (``--model none``) where the parser's output does not matter: reading
input does not depend on the model.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from geomap.cli import main
from geomap.store import ArticleStore


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

"""Provenance: nothing in the repository shares a run of nine words with the evaluation corpora in ../shared/eval.

The corpora are someone else's text and the data the accuracy gates measure: tests read them from ../shared, and
the project's own sentences (tests, docstrings, docs, example articles and their maps) are written by the team.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import skip_or_fail

REPO = Path(__file__).resolve().parents[1]
SHARED_EVAL = REPO.parent / "shared" / "eval"

RUN = 9  # words in a row that make a copied passage
CHECKED_SUFFIXES = {".py", ".md", ".txt", ".tsv", ".jsonl", ".toml", ".html"}

WORD = re.compile(r"[^\W_]+")  # letters and digits: punctuation and underscores separate words
TAG = re.compile(r"<[^>]*>")
JS_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def words(text: str) -> list[str]:
    """Lower-cased words of `text`, punctuation stripped."""
    return WORD.findall(text.lower())


def runs(tokens: list[str]) -> list[tuple[str, ...]]:
    """Every run of RUN consecutive tokens."""
    return [tuple(tokens[i : i + RUN]) for i in range(len(tokens) - RUN + 1)]


def html_text(text: str) -> str:
    """The words a reader of an HTML map sees: tags dropped, entities and JavaScript escapes undone."""
    text = JS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return html.unescape(TAG.sub(" ", text))


def readable(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    return html_text(text) if path.suffix == ".html" else text


def tracked_files() -> list[Path]:
    """The repository's tracked text files (every file below the repository when git is not at hand)."""
    try:
        out = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
        paths = [REPO / line for line in out.splitlines()]
    except (OSError, subprocess.CalledProcessError):
        skip = {".venv", ".git", "build", ".pytest_cache"}
        paths = [p for p in REPO.rglob("*") if not skip & set(p.relative_to(REPO).parts)]
    return [p for p in paths if p.suffix in CHECKED_SUFFIXES and p.is_file()]


@pytest.fixture(scope="module")
def corpus_runs() -> set[int]:
    """Hashes of every nine-word run in the documents' `text` fields under ../shared/eval."""
    files = sorted(SHARED_EVAL.rglob("*.jsonl")) if SHARED_EVAL.is_dir() else []
    if not files:
        skip_or_fail(f"{SHARED_EVAL} is absent (or holds no .jsonl): the provenance check reads the corpora there")
    hashes: set[int] = set()
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                hashes.update(hash(run) for run in runs(words(json.loads(line).get("text") or "")))
    return hashes


def test_the_checker_finds_a_copied_run_and_passes_a_reworded_one():
    corpus = {hash(run) for run in runs(words("One two three four five six seven eight nine ten."))}
    copied = "He said: 'two, three, four five six seven eight nine TEN' twice."
    reworded = "He said: two three four five six seven eight, then ten."
    assert any(hash(run) in corpus for run in runs(words(copied)))
    assert not any(hash(run) in corpus for run in runs(words(reworded)))


def test_html_maps_are_read_as_their_text():
    text = html_text(r"<b>Deir</b> ez-Zor\u2019s &amp; Abu<br>Kamal")
    assert words(text) == ["deir", "ez", "zor", "s", "abu", "kamal"]


def test_no_tracked_file_shares_nine_words_with_the_evaluation_corpora(corpus_runs):
    copies = []
    for path in tracked_files():
        text = readable(path)
        tokens = list(WORD.finditer(text.lower()))
        found = set()
        for i in range(len(tokens) - RUN + 1):
            run = tuple(m.group() for m in tokens[i : i + RUN])
            if hash(run) in corpus_runs:
                line = text.count("\n", 0, tokens[i].start()) + 1
                if line not in found:
                    found.add(line)
                    copies.append(f"{path.relative_to(REPO)}:{line}: {' '.join(run)}")
    assert not copies, "passages copied from ../shared/eval:\n" + "\n".join(copies)

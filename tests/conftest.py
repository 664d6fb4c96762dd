"""Shared fixtures: the real default gazetteer, a parser, and the gold data in ../shared/eval.

``../shared`` (the evaluation corpora and raw data files, someone else's data) sits beside the repository only in
this project's CI. A test that reads it asks for it through :func:`require_shared`: on a fresh clone the test is
skipped with a reason naming the folder; under ``CI=true`` it fails, so CI never hides a test that did not run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EVAL_DEV = SHARED / "eval" / "dev"
EXAMPLES = REPO / "geomap" / "examples"


def in_ci() -> bool:
    """Whether the tests run under CI (env ``CI=true``), where every test must run."""
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(message: str) -> None:
    """Skip the test (on a developer's machine), or fail it under CI, where a skipped test would hide a gap."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: every test must run)")
    pytest.skip(message)


def require_shared(relative: str) -> Path:
    """``../shared/<relative>``; the test is skipped (or fails under CI) when it is absent.

    >>> require_shared("eval/dev").name      # doctest: +SKIP
    'dev'
    """
    path = SHARED / relative
    if not path.exists():
        skip_or_fail(f"{path} is absent: this test reads ../shared/{relative}, which only this project's CI has "
                     "beside the repository")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def gaz():
    """The embedded default gazetteer (built once into the user data directory when missing)."""
    from gazetteer import Gazetteer

    g = Gazetteer.open(quiet=True)
    yield g
    g.close()


@pytest.fixture(scope="session")
def parser(gaz):
    """The default parser (spaCy model + gazetteer), shared by the tests."""
    from geomap import Parser

    return Parser(gazetteer=gaz)


@pytest.fixture(scope="session")
def seed_doc() -> dict:
    """The sample article with its gold annotation (someone else's text: read from ../shared, never copied)."""
    return read_jsonl(require_shared("eval/dev/seed.jsonl"))[0]


@pytest.fixture(scope="session")
def seed_article(parser, seed_doc):
    return parser.parse(seed_doc["text"], id=seed_doc["id"])


from pg import postgres_cluster  # noqa: E402,F401  (the throwaway PostgreSQL + PostGIS cluster)

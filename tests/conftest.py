"""Shared fixtures: the real default gazetteer, a parser, and the gold data in ../shared/eval."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EVAL_DEV = SHARED / "eval" / "dev"
EXAMPLES = REPO / "geomap" / "examples"


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
    path = EVAL_DEV / "seed.jsonl"
    if not path.exists():
        pytest.fail(f"{path} is missing: the tests need ../shared/eval beside the repository")
    return read_jsonl(path)[0]


@pytest.fixture(scope="session")
def seed_article(parser, seed_doc):
    return parser.parse(seed_doc["text"], id=seed_doc["id"])


from pg import postgres_cluster  # noqa: E402,F401  (the throwaway PostgreSQL + PostGIS cluster)

"""The example maps in maps/ are what this code makes of the team's example articles (geomap/examples/)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from geomap.text.nlp import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parents[1]
MAPS = ROOT / "maps"
#: folium names every element with a random 32-digit hex id: the only part of a map that changes from run to run.
FOLIUM_ID = re.compile(r"_[0-9a-f]{32}(?![0-9a-f])")


def load_tool(name: str):
    """A script of tools/ (not part of the installed package) as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_example_maps_are_current(parser, tmp_path):
    if parser.model.name != DEFAULT_MODEL:  # another model reads the articles otherwise, and its maps differ
        pytest.skip(f"maps/ is made with the default model {DEFAULT_MODEL}, not {parser.model.name}")
    written = load_tool("regenerate_maps").regenerate(tmp_path, screenshot=False, parser=parser)
    assert written
    stale = [path.name for path in written
             if FOLIUM_ID.sub("_ID", path.read_text(encoding="utf-8")) !=
             FOLIUM_ID.sub("_ID", (MAPS / path.name).read_text(encoding="utf-8"))]
    assert not stale, f"maps/ is out of date for {stale}: run `make maps`"


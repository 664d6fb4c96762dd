"""Regenerate maps/: the maps of the team's example articles and the screenshot the README shows.

A development tool, not part of the installed package (``make maps`` runs it). From the repository root::

    .venv/bin/python tools/regenerate_maps.py                   # writes maps/*.html and maps/example.png
    .venv/bin/python tools/regenerate_maps.py --no-screenshot

For every ``geomap/examples/*.txt`` it writes ``maps/NAME.html`` (online:
OpenStreetMap tiles) and ``maps/NAME.offline.html`` (self-contained), then
``maps/all.offline.html`` with every example, and ``maps/example.png``, a
headless-Chromium screenshot of the offline map of ``iran_corridor.txt``.
Only the team's own example articles are mapped here: never the shared
evaluation data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geomap.cli.map import example_paths
from geomap.output.maps import save_map

#: tests/browser.py drives the headless Chromium of the screenshot.
TESTS_DIR = Path(__file__).resolve().parents[1] / "tests"

SCREENSHOT_ARTICLE = "iran_corridor"


def regenerate(out_dir: Path, *, screenshot: bool = True, parser=None) -> list[Path]:
    """Write the example maps (and the screenshot) into ``out_dir``; returns the files written.

    ``parser``: the :class:`~geomap.Parser` to read the articles with (default: a new one, on the default
    gazetteer and model).
    """
    from geomap import Parser
    from geomap.reader import read_text_file

    paths = example_paths()
    if not paths:
        raise SystemExit("no example articles in geomap/examples/")
    parser = parser or Parser()
    articles = []
    for path in paths:
        item = read_text_file(path)
        articles.append(parser.parse(item.text, id=item.id, title=item.title, source=f"geomap/examples/{path.name}"))
    written = []
    for article in articles:
        for offline in (False, True):
            name = f"{article.id}.offline.html" if offline else f"{article.id}.html"
            written.append(save_map([article], out_dir / name, offline=offline).path)
    written.append(save_map(articles, out_dir / "all.offline.html", offline=True,
                            title="geomap example articles").path)
    if screenshot:
        if str(TESTS_DIR) not in sys.path:
            sys.path.insert(0, str(TESTS_DIR))
        from browser import save_screenshot

        target = out_dir / f"{SCREENSHOT_ARTICLE}.offline.html"
        if not target.exists():
            target = out_dir / f"{articles[0].id}.offline.html"
        written.append(save_screenshot(target, out_dir / "example.png"))
    return written


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Regenerate maps/ from geomap/examples/*.txt.")
    ap.add_argument("--out", type=Path, default=Path("maps"), help="output directory [default: maps]")
    ap.add_argument("--no-screenshot", action="store_true", help="skip maps/example.png (needs chromium)")
    args = ap.parse_args(argv)
    for path in regenerate(args.out, screenshot=not args.no_screenshot):
        print(f"wrote {path} ({path.stat().st_size / 1024:,.0f} KB)", file=sys.stderr)


if __name__ == "__main__":
    main()

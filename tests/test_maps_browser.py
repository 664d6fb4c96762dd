"""Maps opened in a real headless Chromium: Leaflet runs, everything is drawn, nothing is fetched.

Screenshots go to pytest's temporary directory (the path is printed; run
with ``-s`` to see it). The map of the sample article in ../shared is made
here, in a temporary directory, and never committed.
"""

from __future__ import annotations

import pytest
from browser import browser_session, console_errors, count, load, outside_requests
from click.testing import CliRunner
from test_maps import CAMP_SENTENCE, many_articles, sample_article

from conftest import require_shared
from geomap.cli import main
from geomap.output.maps import save_map

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    yield from browser_session()


#: Returns the DOM element of the place marker whose popup HTML contains arguments[0].
_MARKER_ICON = """
const map = window[document.querySelector('.folium-map').id];
let marker = null;
map.eachLayer(l => { if (l._icon && l.getPopup && l.getPopup()
    && String(l.getPopup().getContent()).includes(arguments[0])) marker = l; });
if (!marker) return null;
// zoom in on it first, as a person would when markers overlap
map.setView(marker.getLatLng(), 12, {animate: false});
marker.setZIndexOffset(10000);
return marker._icon;
"""


def open_popup(driver, name: str):
    """Click the marker whose popup holds ``name``, like a person would; the shown popup element."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script(_MARKER_ICON, name).click()
    return WebDriverWait(driver, 5).until(
        lambda d: next((p for p in d.find_elements("css selector", ".leaflet-popup-content") if p.text), None))


def test_offline_map_of_hand_built_article(browser, tmp_path):
    article = sample_article()
    summary = save_map([article], tmp_path / "sample.html", offline=True)
    load(browser, summary.path)

    assert browser.execute_script("return L.version") == "1.9.3"
    assert count(browser, ".geomap-place") == len(article.places) == 11
    assert count(browser, "path.geomap-range") == 2
    assert count(browser, "path.geomap-corridor") == 1
    assert count(browser, "path.geomap-target-inside") == 3 and count(browser, "path.geomap-target-outside") == 1
    assert count(browser, ".geomap-waypoint") == 3
    assert count(browser, "path.geomap-basemap") > 150           # country outlines instead of tiles
    assert count(browser, ".leaflet-tile") == 0
    assert count(browser, ".leaflet-control-layers-overlays label") == 3
    assert "Iran's corridor and Gaza's rockets" in browser.find_element("css selector", ".geomap-title").text

    # A person clicks the camp's marker: the popup quotes its sentence, the name highlighted.
    popup = open_popup(browser, "<mark>Yarmouk</mark>")
    assert CAMP_SENTENCE in popup.text
    assert [m.text for m in popup.find_elements("css selector", "mark")] == ["Yarmouk"]

    png = tmp_path / "sample.png"
    browser.save_screenshot(str(png))
    print(f"screenshot: {png}")
    assert png.stat().st_size > 10_000
    assert outside_requests(browser) == []
    assert console_errors(browser) == []


def test_offline_map_of_the_sample_article(browser, tmp_path):
    """The issue's "done when": the sample article, parsed for real, renders offline with its claims."""
    out = tmp_path / "seed.html"
    result = CliRunner().invoke(main, ["map", str(require_shared("eval/dev/seed.jsonl")), "--offline", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size < 2 * 1024 * 1024
    load(browser, out)

    assert browser.execute_script("return L.version") == "1.9.3"
    assert count(browser, ".geomap-place") >= 20                  # the article names dozens of places
    assert count(browser, "path.geomap-range") == 2              # 2 km and 250 km; the reach claim has no number
    assert count(browser, "path.geomap-corridor") >= 1           # Iraq -> Albukamal -> Syria
    assert count(browser, ".geomap-waypoint") >= 3
    popup = open_popup(browser, "<mark>Eilat</mark>")               # a target of the 250 km claim
    assert "Eilat" in [m.text for m in popup.find_elements("css selector", "mark")]
    png = tmp_path / "seed.png"
    browser.save_screenshot(str(png))
    print(f"screenshot: {png}")
    assert outside_requests(browser) == []
    assert console_errors(browser) == []


def test_online_map_without_network_shows_markers_and_outlines(browser, tmp_path):
    """The browser resolves no host (see CHROMIUM_FLAGS): the tiles fail, everything else is in the file."""
    article = sample_article()
    load(browser, save_map([article], tmp_path / "online.html").path)
    assert browser.execute_script("return L.version") == "1.9.3"
    assert count(browser, ".geomap-place") == len(article.places)
    assert count(browser, "path.geomap-range") == 2 and count(browser, "path.geomap-corridor") == 1
    assert count(browser, "path.geomap-basemap") > 150
    assert count(browser, ".leaflet-tile") > 0                      # the tile layer is there, over the outlines
    assert all(u.startswith("https://tile.openstreetmap.org/") for u in outside_requests(browser))
    # the outlines' pane lies under the tiles': where a tile loads it covers them, where none can they show
    assert browser.execute_script(
        "const z = s => +getComputedStyle(document.querySelector(s)).zIndex;"
        "return z('.leaflet-geomapBasemap-pane') < z('.leaflet-tile-pane')")


def test_thousand_places_are_clustered(browser, tmp_path):
    articles = many_articles(20, 50)
    summary = save_map(articles, tmp_path / "many.html", offline=True)
    load(browser, summary.path)
    clusters, singles = count(browser, ".marker-cluster"), count(browser, ".geomap-place")
    assert clusters > 0 and singles + clusters < 1000               # clustered, not 1,000 markers
    total = browser.execute_script(
        "return Array.from(document.querySelectorAll('.marker-cluster')).map(e => +e.innerText)"
        ".reduce((a, b) => a + b, 0)")
    assert total + singles == 1000                                  # every place is in a cluster or shown
    assert count(browser, ".leaflet-control-layers-overlays label") == 20
    assert outside_requests(browser) == []
    assert console_errors(browser) == []

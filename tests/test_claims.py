"""Range, reach and corridor claims on passages written in the style of conflict reporting.

Articles are built by hand from a passage and real coordinates (``article_from``), so the
claim extractor is tested independently of NER; the end-to-end tests through
``geomap.parse`` run once the parser is available.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import require_shared
from gazetteer.place import Place
from geomap.claims import extract_claims
from geomap.claims.quantities import find_distances
from geomap.model import Article, Mention, Sentence

# Real coordinates (WGS84), by the surface used in the passages.
COORDS = {
    "Gaza": (31.5017, 34.4668), "Gaza Strip": (31.42, 34.37), "Eilat": (29.5581, 34.9482),
    "Aqaba": (29.5267, 35.0078), "Ramon Airport": (29.7236, 35.0114), "Sderot": (31.525, 34.5969),
    "Albukamal": (34.4523, 40.9185), "Iraq": (33.0, 44.0), "Syria": (35.0, 38.0), "Haifa": (32.794, 34.9896),
    "Tel Aviv": (32.0853, 34.7818), "Beersheba": (31.2518, 34.7913), "Ashkelon": (31.6688, 34.5743),
    "Lebanon": (33.8547, 35.8623), "Tyre": (33.2705, 35.2038), "Nahariya": (33.0059, 35.0941),
    "Yemen": (15.5527, 48.5164), "Sanaa": (15.3694, 44.191), "Hodeidah": (14.7978, 42.9545),
    "Jeddah": (21.4858, 39.1925), "Iran": (32.0, 53.0), "Tehran": (35.6892, 51.389), "Israel": (31.5, 34.75),
    "Kyiv": (50.4501, 30.5234), "Kharkiv": (49.9935, 36.2304), "Belgorod": (50.5997, 36.5983),
    "Crimea": (45.3453, 34.4997), "Ukraine": (49.0, 32.0), "Russia": (60.0, 100.0), "Lviv": (49.8397, 24.0297),
    "Bila Tserkva": (49.7968, 30.1311), "Mariupol": (47.0971, 37.5434), "Zaporizhzhia": (47.8388, 35.1396),
    "Kaliningrad": (54.7104, 20.4522), "Belarus": (53.7098, 27.9534), "Warsaw": (52.2297, 21.0122),
    "Vilnius": (54.6872, 25.2797), "Berlin": (52.52, 13.405), "Baltiysk": (54.6546, 19.9119),
    "Gotland": (57.4684, 18.4867), "Poland": (51.9194, 19.1451), "Stockholm": (59.3293, 18.0686),
    "North Korea": (40.3399, 127.5101), "Pyongyang": (39.0392, 125.7625), "Seoul": (37.5665, 126.978),
    "Guam": (13.4443, 144.7937), "Tokyo": (35.6762, 139.6503),
    "Armenia": (40.0691, 45.0382), "Nagorno-Karabakh": (39.8265, 46.7656), "Lachin": (39.6383, 46.5461),
    "Azerbaijan": (40.1431, 47.5769), "Nakhchivan": (39.2089, 45.4122), "Larnaca": (34.9003, 33.6232),
    "Cyprus": (35.1264, 33.4299), "Egypt": (26.8206, 30.8025), "Rafah": (31.2969, 34.2435),
    "Sinai": (29.5, 33.8), "Allenby Crossing": (31.8725, 35.5406),
}


def place(surface: str) -> Place:
    lat, lon = COORDS[surface]
    return Place(id=f"test:{surface.lower().replace(' ', '-')}", name=surface, kind="city", lat=lat, lon=lon)


def article_from(passage: str, surfaces: list[str] | None = None) -> Article:
    """Build an Article from a passage: sentences by a simple regex, mentions of known surfaces.

    Surfaces are located by whole-word search, longest first, so "Gaza Strip" is not also "Gaza".
    """
    sentences = [Sentence(m.start(), m.end(), m.group(0))
                 for m in re.finditer(r"[^.!?\s][^.!?]*(?:[.!?]+[\"”’]?|$)", passage)]
    taken: list[tuple[int, int]] = []
    mentions = []
    for surface in sorted(surfaces if surfaces is not None else COORDS, key=len, reverse=True):
        for match in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", passage):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            taken.append(match.span())
            sentence = next(s for s in sentences if s.start <= match.start() < s.end)
            mentions.append(Mention(match.start(), match.end(), surface, sentence, source="gazetteer",
                                    place=place(surface), score=1.0))
    mentions.sort(key=lambda m: m.start)
    return Article(id="test", text=passage, sentences=sentences, mentions=mentions)


def claims_of(passage: str):
    return extract_claims(article_from(passage))


def targets(claim) -> dict[str, tuple[float, bool | None]]:
    return {t.text: (t.distance_km, t.inside) for t in claim.targets}


def waypoint_names(corridor) -> list[str]:
    return [w.text for w in corridor.waypoints]


# --- quantities -------------------------------------------------------------------------------


@pytest.mark.parametrize("text, low, high, qualifier", [
    ("a range of 250 km", 250, 250, None),
    ("a range of only two kilometers", 2, 2, "only"),
    ("1,300 kilometres", 1300, 1300, None),
    ("about 50 miles", 80.4672, 80.4672, "about"),
    ("70-80 km", 70, 80, None),
    ("between 70 and 80 kilometres", 70, 80, None),
    ("up to 2,000 km", 2000, 2000, "up to"),
    ("300 nautical miles", 555.6, 555.6, None),
    ("5,500 metres", 5.5, 5.5, None),
    ("twenty-five miles", 40.2336, 40.2336, None),
    ("two hundred and fifty kilometres", 250, 250, None),
    ("a 300-km-range missile", 300, 300, None),
    ("more than 1,000km", 1000, 1000, "more than"),
])
def test_distances_in_digits_and_words_are_converted_to_km(text, low, high, qualifier):
    [distance] = find_distances(text)
    assert distance.min_km == pytest.approx(low)
    assert distance.max_km == pytest.approx(high)
    assert distance.qualifier == qualifier


def test_money_and_weights_are_not_distances():
    assert find_distances("a $5m contract for warheads of one kilogram") == []


# --- the sample article -----------------------------------------------------------------------


def _seed_article() -> Article:
    """The sample article with its gold toponyms as resolved mentions (read from ../shared at run time)."""
    doc = json.loads(require_shared("eval/dev/seed.jsonl").read_text(encoding="utf-8").splitlines()[0])
    text = doc["text"]
    sentences = [Sentence(m.start(), m.end(), m.group(0))
                 for m in re.finditer(r"[^.!?\s][^.!?\n]*(?:[.!?]+[\"”’]?|\n|$)", text)]
    mentions = []
    for t in doc["toponyms"]:
        sentence = next(s for s in sentences if s.start <= t["start"] < s.end)
        resolved = None if t["lat"] is None else Place(
            id=f"seed:{t['surface']}", name=t["surface"], kind="city", lat=t["lat"], lon=t["lon"])
        mentions.append(Mention(t["start"], t["end"], t["surface"], sentence, place=resolved))
    return Article(id=doc["id"], text=text, sentences=sentences, mentions=mentions)


def test_seed_article_yields_its_gold_ranges_and_corridors():
    ranges, corridors = extract_claims(_seed_article())
    by_km = {r.range_km: r for r in ranges}

    long_range = by_km[250]
    assert long_range.origin.text == "Gaza" and long_range.origin.inferred
    assert {t.text for t in long_range.targets} == {"Ramon Airport", "Aqaba", "Eilat"}
    assert all(t.inside and 190 < t.distance_km < 250 for t in long_range.targets)

    first = by_km[2]
    assert "first" in first.weapon and first.origin.text == "Gaza" and not first.origin.inferred
    assert first.qualifier == "only"

    reach = by_km[None]
    assert [t.text for t in reach.targets] == ["Sderot"] and "rockets" in reach.weapon
    assert len(ranges) == 3

    names = {c.name: c for c in corridors}
    assert waypoint_names(names["Iranian corridor"]) == ["Iraq", "Albukamal", "Syria"]
    [sea] = [c for c in corridors if c.kind == "sea route"]
    assert waypoint_names(sea)[-1] == "Gaza"
    assert len(corridors) == 2


# --- ranges: Gaza -------------------------------------------------------------------------------


def test_inferred_origin_from_force_tied_to_place_in_earlier_sentence():
    passage = ("Hamas fighters in the Gaza Strip have rebuilt their arsenal since the last war. "
               "Israeli officials believe Hamas has rockets with a range of 200 km, enough to hit Haifa.")
    [claim], _ = claims_of(passage)
    assert claim.origin.text == "Gaza Strip" and claim.origin.inferred
    distance, inside = targets(claim)["Haifa"]
    assert 155 < distance < 170 and inside


def test_origin_stated_after_from_beats_subject_and_far_target_is_outside():
    passage = "Islamic Jihad fired Badr-3 rockets with a range of 70-80 km from Gaza at Ashkelon, Tel Aviv and Haifa."
    [claim], _ = claims_of(passage)
    assert (claim.range_min_km, claim.range_max_km, claim.range_km) == (70, 80, 80)
    assert claim.origin.text == "Gaza" and not claim.origin.inferred
    result = targets(claim)
    assert result["Ashkelon"][1] and result["Tel Aviv"][1]
    assert result["Haifa"][1] is False and result["Haifa"][0] > 80


def with_places(article: Article, **changes: dict) -> Article:
    """Give some mentions' places a kind and country (``article_from`` makes every place a city)."""
    import dataclasses

    for m in article.mentions:
        if m.text in changes:
            m.place = dataclasses.replace(m.place, **changes[m.text])
    return article


def test_country_origin_referred_back_to_is_the_site_named_before():
    passage = ("Kaliningrad itself is heavily armed. Russia has stationed Iskander missiles there, with a range "
               "of up to 500 km that could reach Warsaw and Vilnius from launchers near the city.")
    article = with_places(article_from(passage), Russia={"kind": "country", "country_code": "RU"},
                          Kaliningrad={"country_code": "RU"})
    [claim], _ = extract_claims(article)
    assert claim.origin.text == "Kaliningrad" and claim.origin.inferred
    assert all(inside for _, inside in targets(claim).values())


def test_sea_named_as_a_landmark_is_not_measured_from_its_centre():
    passage = ("The groups claim a missile with a range of 250 kilometres that, fired from Gaza, could reach "
               "Eilat on the Red Sea coast.")
    COORDS_SEA = {"Red Sea": (20.0, 38.0)}
    article = article_from(passage)
    sentence = article.sentences[0]
    start = passage.index("Red Sea")
    article.mentions.append(Mention(start, start + 7, "Red Sea", sentence, source="gazetteer", score=1.0,
                                    place=Place("test:red-sea", "Red Sea", "water", *COORDS_SEA["Red Sea"])))
    article.mentions.sort(key=lambda m: m.start)
    [claim], _ = extract_claims(article)
    result = targets(claim)
    assert result["Eilat"][1] is True and result["Red Sea"] == (None, None)


def test_strip_dimensions_are_not_ranges():
    passage = "The Gaza Strip is about 41 km long and between 6 and 12 km wide, squeezed between Israel and Egypt."
    ranges, _ = claims_of(passage)
    assert ranges == []


# --- ranges: Lebanon -------------------------------------------------------------------------


def test_lebanon_range_in_metres_with_origin_and_checks_on_every_place():
    passage = ("Hezbollah fires Kornet missiles from Tyre, which have a range of 5,500 metres. "
               "Residents of Nahariya and Haifa have been told to stay near shelters.")
    [claim], _ = claims_of(passage)
    assert claim.range_km == pytest.approx(5.5)
    assert claim.origin.text == "Tyre"
    checks = {c.text: c for c in claim.checks}
    assert set(checks) == {"Nahariya", "Haifa"}
    assert checks["Nahariya"].inside is False and not checks["Nahariya"].stated


def test_possessive_origin_and_word_number_with_qualifier():
    passage = "Lebanon's Hezbollah has Grad rockets with a range of about twenty kilometres."
    [claim], _ = claims_of(passage)
    assert claim.range_km == 20 and claim.qualifier == "about"
    assert claim.origin.text == "Lebanon"


# --- ranges: Yemen and the Red Sea -----------------------------------------------------------


def test_yemen_force_tied_by_possessive_in_previous_sentence():
    passage = ("Yemen's Houthis have vowed to keep up their attacks on shipping. "
               "The Houthis have a missile with a range of 2,150 km. It was fired at Eilat last week.")
    [claim], _ = claims_of(passage)
    assert claim.origin.text == "Yemen" and claim.origin.inferred
    distance, inside = targets(claim)["Eilat"]
    assert 2_000 < distance < 2_150 and inside


def test_reach_claim_with_launch_place_and_no_number():
    passage = "Houthi drones launched from Hodeidah can reach Jeddah."
    [claim], _ = claims_of(passage)
    assert claim.range_km is None and claim.origin.text == "Hodeidah"
    distance, inside = targets(claim)["Jeddah"]
    assert 800 < distance < 900 and inside is None


# --- ranges: Iran ------------------------------------------------------------------------------


def test_iran_capability_cue_with_almost_qualifier_and_owner_not_origin():
    passage = "Iran's Shahab-3 can strike targets almost 1,300 kilometres away, including Tel Aviv."
    [claim], _ = claims_of(passage)
    assert claim.range_km == 1300 and claim.qualifier == "almost"
    assert claim.origin is None  # the owner says nothing of where it is fired from
    assert targets(claim)["Tel Aviv"] == (None, None)


def test_drones_that_can_fly_up_to():
    passage = "Shahed drones, which Iran supplies to Russia, can fly up to 2,000 km."
    [claim], _ = claims_of(passage)
    assert claim.range_km == 2000 and claim.qualifier == "up to" and "Shahed" in claim.weapon


# --- ranges: Ukraine ---------------------------------------------------------------------------


def test_ukraine_user_is_not_an_origin_but_crimea_is_a_target():
    passage = "Ukraine used ATACMS missiles with a range of 300 km to hit Crimea."
    [claim], _ = claims_of(passage)
    assert claim.origin is None and [t.text for t in claim.targets] == ["Crimea"]


def test_distances_from_places_are_not_ranges():
    passage = ("A drone struck a fuel depot in Bila Tserkva, 50 miles south of Kyiv. "
               "Lviv, some 1,000 km away from the front line, was also hit by missiles overnight. "
               "Ukraine's border with Belarus is 1,084 km long.")
    ranges, corridors = claims_of(passage)
    assert ranges == [] and corridors == []


def test_range_in_miles_followed_by_a_conversion_is_one_claim():
    passage = "The Storm Shadow missiles supplied by Britain have a range of more than 250 km (155 miles)."
    [claim], _ = claims_of(passage)
    assert claim.range_km == 250 and claim.qualifier == "more than" and claim.origin is None


def test_list_of_ranges_in_one_sentence():
    passage = "Russia's Iskander missiles come in versions with ranges of 400 km and 500 km."
    ranges, _ = claims_of(passage)
    assert [r.range_km for r in ranges] == [400, 500]
    assert all(r.origin is None for r in ranges)


# --- ranges: the Baltic ------------------------------------------------------------------------


def test_reach_claim_within_range_puts_capitals_as_targets():
    passage = "Russia has deployed Iskander missiles in Kaliningrad, putting Warsaw, Vilnius and Berlin within range."
    [claim], _ = claims_of(passage)
    assert claim.range_km is None and claim.origin.text == "Kaliningrad"
    assert [t.text for t in claim.targets] == ["Warsaw", "Vilnius", "Berlin"]
    assert 500 < targets(claim)["Berlin"][0] < 560


def test_nautical_miles_range_covers_gotland_not_stockholm():
    passage = ("Russian Bastion coastal missile batteries in Baltiysk have a range of 300 nautical miles, "
               "covering Gotland and reaching Stockholm.")
    [claim], _ = claims_of(passage)
    assert claim.range_km == pytest.approx(555.6)
    assert claim.origin.text == "Baltiysk"
    result = targets(claim)
    assert result["Gotland"][1] and result["Stockholm"][1]


# --- ranges: Korea -----------------------------------------------------------------------------


def test_korea_range_with_checks_and_a_distance_that_is_not_a_claim():
    passage = ("The Hwasong-15, test-launched from a site near Pyongyang, has an estimated range of 13,000 km. "
               "Guam, 3,400 km from Pyongyang, has long been within range.")
    [claim], _ = claims_of(passage)
    assert claim.range_km == 13_000 and claim.origin.text == "Pyongyang"
    checks = {c.text: c for c in claim.checks}
    assert checks["Guam"].inside and 3_000 < checks["Guam"].distance_km < 3_500


def test_artillery_reach_claim_on_seoul():
    passage = "North Korean artillery dug in along the border can hit Seoul."
    [claim], _ = claims_of(passage)
    assert claim.range_km is None and [t.text for t in claim.targets] == ["Seoul"]


def test_negated_reach_is_not_a_claim():
    passage = "The old rockets could not reach Tokyo."
    ranges, _ = claims_of(passage)
    assert ranges == []


# --- corridors -----------------------------------------------------------------------------------


def test_named_corridor_between_two_places_with_width_that_is_not_a_range():
    passage = "The Suwalki corridor, a strip 65 km wide between Belarus and Kaliningrad, is NATO's weak point."
    ranges, [corridor] = claims_of(passage)
    assert ranges == []
    assert corridor.kind == "corridor" and corridor.name == "Suwalki corridor"
    assert waypoint_names(corridor) == ["Belarus", "Kaliningrad"]


def test_caucasus_corridor_linking_two_places():
    passage = "Azerbaijan closed the Lachin corridor, the only road linking Armenia to Nagorno-Karabakh."
    _, [corridor] = claims_of(passage)
    assert corridor.name == "Lachin corridor"
    assert waypoint_names(corridor) == ["Armenia", "Nagorno-Karabakh"]


def test_land_corridor_through_a_country_is_ordered_from_via_to():
    passage = "Baku wants a land corridor to Nakhchivan from Azerbaijan through Armenia."
    _, [corridor] = claims_of(passage)
    assert waypoint_names(corridor) == ["Azerbaijan", "Armenia", "Nakhchivan"]
    assert corridor.name is None


def test_a_crossing_on_the_way_is_a_waypoint_of_the_corridor_not_a_route_of_its_own():
    # the corridor's scope ended halfway to "border crossing": it kept Iraq alone
    passage = "The land corridor from Iraq into Syria via the border crossing at Albukamal lets trucks move."
    _, [corridor] = claims_of(passage)
    assert corridor.kind == "corridor"
    assert waypoint_names(corridor) == ["Iraq", "Albukamal", "Syria"]


def test_a_corridor_with_one_place_and_no_name_is_no_claim():
    passage = ("Officers near the town that gives the corridor its name said their units could move from Warsaw "
               "to the border in less than a day.")
    assert claims_of(passage)[1] == []


def test_iran_land_bridge_with_several_vias():
    passage = "Iran's land bridge runs from Tehran through Iraq and Syria to Lebanon."
    _, [corridor] = claims_of(passage)
    assert corridor.kind == "land bridge"
    assert waypoint_names(corridor) == ["Tehran", "Iraq", "Syria", "Lebanon"]


def test_maritime_corridor_from_cyprus_to_gaza():
    passage = "Aid ships will sail from Larnaca in Cyprus to Gaza along a maritime corridor."
    _, [corridor] = claims_of(passage)
    assert corridor.kind == "sea route"
    assert waypoint_names(corridor) == ["Larnaca", "Gaza"]


def test_smuggling_route_from_verb_alone():
    passage = "Weapons are smuggled from Iran through Iraq into Syria, officials say."
    _, [corridor] = claims_of(passage)
    assert corridor.kind == "smuggling route"
    assert waypoint_names(corridor) == ["Iran", "Iraq", "Syria"]


def test_crossing_between_two_countries():
    passage = "Aid trucks queued at the Rafah crossing between Egypt and Gaza."
    _, [corridor] = claims_of(passage)
    assert corridor.kind == "crossing" and corridor.name == "Rafah crossing"
    assert waypoint_names(corridor) == ["Egypt", "Gaza"]


def test_evacuation_corridor_in_ukraine():
    passage = "Kyiv and Moscow agreed on an evacuation corridor from Mariupol to Zaporizhzhia."
    _, [corridor] = claims_of(passage)
    assert corridor.kind == "evacuation corridor"
    assert waypoint_names(corridor) == ["Mariupol", "Zaporizhzhia"]


def test_by_sea_borrows_the_destination_from_the_previous_sentence():
    passage = "The cell tried to move rockets into Gaza through Sinai. Later they brought them in by sea."
    _, corridors = claims_of(passage)
    sea = [c for c in corridors if c.kind == "sea route"]
    assert sea and waypoint_names(sea[0])[-1] == "Gaza"


def test_travel_without_cargo_is_not_a_route():
    passage = "The minister flew from Beirut to Tehran and then to Baghdad."
    _, corridors = claims_of(passage)
    assert corridors == []


def test_records_follow_the_contract():
    passage = "Hezbollah fires Kornet missiles from Tyre, which have a range of 5,500 metres."
    ranges, _ = claims_of(passage)
    record = ranges[0].to_record()
    assert set(record) == {"weapon", "range_km", "range_min_km", "range_max_km", "qualifier", "origin",
                           "targets", "sentence", "start", "end"}
    assert set(record["origin"]) == {"text", "lat", "lon", "inferred", "area_id"}
    assert passage[record["start"]:record["end"]] == "a range of 5,500 metres"


# --- end to end: geomap.parse and `geomap claims` ---------------------------------------------


@pytest.fixture(scope="module")
def parser():
    from geomap import Parser

    return Parser(quiet=True)


def test_seed_article_through_parse(parser):
    doc = json.loads(require_shared("eval/dev/seed.jsonl").read_text(encoding="utf-8").splitlines()[0])
    record = parser.parse(doc["text"], id=doc["id"]).to_record()
    by_km = {r["range_km"]: r for r in record["ranges"]}
    assert by_km[250]["origin"]["inferred"] and by_km[250]["origin"]["text"] == "Gaza"
    assert {t["text"]: t["inside"] for t in by_km[250]["targets"]} == {
        "Ramon Airport": True, "Aqaba": True, "Eilat": True}
    assert by_km[2]["origin"]["text"] == "Gaza"
    assert [t["text"] for t in by_km[None]["targets"]] == ["Sderot"]
    corridors = {c["kind"]: c for c in record["corridors"]}
    assert [w["text"] for w in corridors["corridor"]["waypoints"]] == ["Iraq", "Albukamal", "Syria"]
    assert corridors["corridor"]["name"] == "Iranian corridor"
    assert corridors["sea route"]["waypoints"][-1]["text"] == "Gaza"


def test_parse_resolves_a_claim_place_recognition_missed(parser):
    # "Vilnius" in a list after "putting" comes from the gazetteer when recognition misses it.
    article = parser.parse("Russia has deployed Iskander missiles in Kaliningrad, "
                           "putting Warsaw, Vilnius and Berlin within range.")
    [claim] = article.ranges
    assert claim.origin.text == "Kaliningrad"
    assert [t.text for t in claim.targets] == ["Warsaw", "Vilnius", "Berlin"]


def test_parse_keeps_non_range_distances_out(parser):
    article = parser.parse("A drone struck a fuel depot in Bila Tserkva, 50 miles south of Kyiv. "
                           "The Gaza Strip is about 41 km long and between 6 and 12 km wide.")
    assert article.ranges == [] and article.corridors == []


@pytest.fixture()
def article_file(tmp_path):
    path = tmp_path / "houthis.txt"
    path.write_text("Yemen's Houthis have vowed to keep up their attacks on shipping. "
                    "The Houthis have a missile with a range of 2,150 km. It was fired at Eilat last week.\n"
                    "Weapons are smuggled from Iran through Iraq into Syria, officials say.\n", encoding="utf-8")
    return path


def test_cli_table_shows_distance_inside_or_outside(article_file):
    from click.testing import CliRunner

    from geomap.cli import main

    result = CliRunner().invoke(main, ["claims", str(article_file)])
    assert result.exit_code == 0, result.output
    assert "from Yemen (inferred)" in result.output
    # measured from Yemen's outline (about 1,580 km), not its centre (2,096 km)
    assert re.search(r"Eilat: 1,5\d{2} km from Yemen, inside the 2,150 km range", result.output)
    assert "Iran -> Iraq -> Syria" in result.output


def test_cli_json_and_geojson(article_file):
    from click.testing import CliRunner

    from geomap.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["claims", str(article_file), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output.splitlines()[0])
    assert record["ranges"][0]["range_km"] == 2150 and record["corridors"][0]["kind"] == "smuggling route"

    result = runner.invoke(main, ["claims", str(article_file), "--format", "geojson", "--width-km", "30"])
    assert result.exit_code == 0, result.output
    features = json.loads(result.output)["features"]
    circle = next(f for f in features if f["properties"]["claim"] == "range")
    assert circle["geometry"]["type"] == "Polygon"
    text = article_file.read_text(encoding="utf-8")
    props = circle["properties"]
    assert text[props["start"]:props["end"]] == "a range of 2,150 km" and "Houthis" in props["sentence"]
    parts = {f["properties"].get("part") for f in features if f["properties"]["claim"] == "corridor"}
    assert parts == {"line", "buffer"}


def test_cli_reports_an_unreadable_file(tmp_path):
    from click.testing import CliRunner

    from geomap.cli import main

    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    result = CliRunner().invoke(main, ["claims", str(empty)])
    assert result.exit_code == 1 and "empty" in result.output


def test_negated_capability_and_route_words_inside_place_names_are_not_claims():
    ranges, _ = claims_of("Iran has neither missiles capable of reaching Tokyo nor any warheads to put on them.")
    assert ranges == []
    article = article_from("Travellers queued for hours at Allenby Crossing on Sunday.", ["Allenby Crossing"])
    assert extract_claims(article)[1] == []

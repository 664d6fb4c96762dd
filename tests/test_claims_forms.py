"""The forms real reporting gives range, origin and corridor claims, end to end through the parser.

Every passage here is written by the team for the phenomenon it shows (several regions); none is taken
from a corpus. Each test asserts what a user reads in the claim: its range, its origin, its waypoints,
or that there is no claim at all.
"""

from __future__ import annotations

import pytest


def ranges_of(parser, text: str):
    return parser.parse(text).ranges


def corridors_of(parser, text: str):
    return parser.parse(text).corridors


def names(corridor) -> list[str]:
    return [w.text for w in corridor.waypoints]


# --- ranges: phrasings --------------------------------------------------------------------------------


@pytest.mark.parametrize("text, km", [
    # East Asia
    ("The navy says its new cruise missile is capable of striking targets as far as 1,200 kilometers away.", 1200),
    # Middle East
    ("Tehran unveiled a drone on Sunday; its flight range is claimed to be 1,800 km.", 1800),
    # Russia
    ("Analysts say the new missile's real range would lie between 3,000 and 3,500 km.", 3500),
    # Africa: a range in brackets after its class
    ("The rebels fielded rockets of two classes: Short range (40km) and medium range.", 40),
    # South Asia: what a missile can carry how far
    ("Pakistan test-fired a missile which can carry nuclear warheads up to 2,750 km.", 2750),
    # Ukraine: a capability with its object, then the distance
    ("Crews say the anti-tank missile can hit a tank from 25 miles away.", 40.2336),
    # South Asia: an aircraft's reach
    ("The air force says the new jets can fly 1,500 miles without refueling.", 2414.016),
    # Latin America: a range of the weapon named with "of the"
    ("The range of the coastal missile is estimated at up to 300 kilometres, officials in Caracas said.", 300),
    # a combat radius in nautical miles
    ("The fighter has a combat radius of 600 nautical miles.", 1111.2),
    # "a maximum of" a distance flown from a base
    ("Flying a theoretical maximum of 900 miles, the bombers would still need tankers.", 1448.4096),
])
def test_range_phrasings_give_one_claim_with_the_stated_range(parser, text, km):
    [claim] = ranges_of(parser, text)
    assert claim.range_km == pytest.approx(km, rel=1e-3)


def test_a_range_that_grew_is_two_figures_two_claims(parser):
    claims = ranges_of(parser, "Pakistan says the missile's range grew from 300 km to 500 km after the upgrade.")
    assert [c.range_km for c in claims] == [300, 500]


def test_a_converted_figure_is_one_claim(parser):
    [claim] = ranges_of(parser, "Seoul says the rocket has a range of 300 km (186 miles).")
    assert claim.range_km == 300


def test_a_figure_restated_in_the_next_sentence_is_one_claim(parser):
    text = ("Officials in Kyiv say the new drone has a range of 1,000 km. "
            "The 1,000-kilometre range puts refineries deep inside Russia at risk.")
    assert [c.range_km for c in ranges_of(parser, text)] == [1000]


def test_a_weapon_named_in_the_next_sentence_still_makes_the_claim(parser):
    text = ("Taipei says the Yunfeng has a range of about 1,200 kilometres. "
            "The missile could be fired from trucks on the island.")
    [claim] = ranges_of(parser, text)
    assert claim.range_km == 1200 and claim.qualifier == "about"


# --- ranges: not ranges ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    # the distance a test missile flew
    "The missile flew 1,000 km before falling into the Sea of Japan, Tokyo said.",
    # an altitude
    "The rocket reached an altitude of 2,000 km over the Pacific, officials in Seoul said.",
    # a test target hit at a range
    "During the drill off Vladivostok, the target was hit at a range of 80 km by two cruise missiles.",
    # the distance between two places next to a weapon's name
    "Drones struck Kazan, 800 km from the Ukrainian border, on Monday.",
    # a speed is not a distance
    "The glide vehicle flies at 6,000 km/h toward its target, Beijing claims.",
    # a wish is not a capability
    "The army has asked for the missile's range to be extended to 700 km, according to officials in Delhi.",
    # the range of one test flight
    "It appears the ground range of the test launch was about 900 km, landing off Hokkaido.",
    # places said to be within range of a calculation, with no figure and no weapon putting them there
    "Lima and Quito would sit comfortably within range of such a missile, while Bogota might be just beyond it.",
])
def test_distances_that_are_not_ranges_give_no_claim(parser, text):
    assert ranges_of(parser, text) == []


# --- origins -----------------------------------------------------------------------------------------------


def test_origin_fired_from_a_city(parser):
    [claim] = ranges_of(parser, "The Houthis say missiles fired from Sanaa have a range of 2,000 km.")
    assert claim.origin.text == "Sanaa" and not claim.origin.inferred


def test_origin_where_launchers_are_based_in_the_sentence_before_is_inferred(parser):
    text = ("Officials believe the launchers are based near Brest. "
            "The range of this missile is estimated at up to 2,500 kilometres.")
    [claim] = ranges_of(parser, text)
    assert claim.origin.text == "Brest" and claim.origin.inferred


def test_a_launch_site_before_is_not_the_origin_of_another_weapon(parser):
    text = "Rockets were fired from Gaza at Ashkelon overnight. Iron Dome interceptors have a range of 70 km."
    [claim] = ranges_of(parser, text)
    assert claim.range_km == 70 and claim.origin is None


def test_origin_out_of_the_airbase_at_a_place(parser):
    text = "Drones flying out of the airbase at Manta can cover 1,000 km, Ecuadorian officials said."
    [claim] = ranges_of(parser, text)
    assert claim.origin.text == "Manta"


def test_origin_test_launched_from_an_island_off_a_coast(parser):
    text = "The missile, test-launched from an island off the coast of Hainan, has a range of 1,500 km."
    [claim] = ranges_of(parser, text)
    assert claim.origin.text == "Hainan"


def test_origin_is_the_dateline_when_the_launch_is_from_there(parser):
    text = ("KHARTOUM, Sudan — Army officers showed reporters new drones on Monday. "
            "The drones, launched from the city's main airbase, can fly 1,200 km, they said.")
    [claim] = ranges_of(parser, text)
    assert claim.origin.text == "KHARTOUM" and claim.origin.inferred


def test_no_dateline_origin_without_a_launch_from_there(parser):
    text = "KHARTOUM, Sudan — Officials said the rebels' drones can fly 1,200 km."
    [claim] = ranges_of(parser, text)
    assert claim.origin is None


def test_origin_named_by_a_common_noun_is_kept_as_text(parser):
    text = ("The army is deploying anti-ship missiles along its eastern coast. "
            "With a range of more than 300 kilometers, they cover the whole strait.")
    [claim] = ranges_of(parser, text)
    assert claim.origin.text == "eastern coast" and claim.origin.lat is None


@pytest.mark.parametrize("text, phrase, feature", [
    # Ukraine: launch positions on one bank of a river
    ("Drones launched from west of the Dnipro can fly 1,000 km, the air force said.", "west of the Dnipro", "Dnipro"),
    # Lebanon: positions named before the figure
    ("Rockets fired from positions north of the Litani have a range of 40 km.", "north of the Litani", "Litani"),
    # Syria: deployed in areas relative to a river
    ("The howitzers, deployed in areas east of the Euphrates, have a range of 30 km.", "east of the Euphrates",
     "Euphrates"),
    # Korea: "are in positions", no launch verb
    ("Officials say the launchers are in positions south of the Han River and have a range of 80 km.",
     "south of the Han River", "Han River"),
])
def test_origin_stated_as_a_position_relative_to_a_feature(parser, text, phrase, feature):
    [claim] = ranges_of(parser, text)
    [mention] = [m for m in parser.parse(text).mentions if m.text == feature and m.place is not None]
    assert claim.origin.text == phrase and not claim.origin.inferred
    assert (claim.origin.lat, claim.origin.lon) == (mention.place.lat, mention.place.lon)


def test_origin_relative_to_a_feature_in_the_sentence_before_is_inferred(parser):
    text = ("Satellite images show the launchers are in positions south of the Litani. "
            "Their range is about 70 km, analysts said.")
    [claim] = ranges_of(parser, text)
    assert claim.origin.text == "south of the Litani" and claim.origin.inferred


def test_a_target_relative_to_a_place_is_no_origin(parser):
    [claim] = ranges_of(parser, "Rockets with a range of 40 km hit villages north of Kharkiv on Sunday.")
    assert claim.origin is None and [t.text for t in claim.targets] == ["Kharkiv"]


@pytest.mark.parametrize("text", [
    "Iran's missile has a range of 2,000 km, state media said.",
    "Ukraine has been given missiles that have a range of 300 km.",
    "Rockets with a range of 40 km were fired from the direction of the sea.",
    "Japan's planned missiles should have a range of up to 1,000 kilometers.",
])
def test_owners_and_directions_are_not_origins(parser, text):
    [claim] = ranges_of(parser, text)
    assert claim.origin is None


def test_a_force_tied_to_a_place_gives_an_inferred_origin(parser):
    text = "Yemen's Houthis fired at shipping again. The Houthis have a missile with a range of 2,000 km."
    [claim] = ranges_of(parser, text)
    assert claim.origin.text == "Yemen" and claim.origin.inferred


def test_a_range_from_an_area_is_measured_from_its_outline(parser):
    text = ("Yemen's Houthis say they fired at Eilat. The Houthis have a missile with a range of 2,000 km. "
            "It was fired at Eilat last week.")
    [claim] = ranges_of(parser, text)
    [eilat] = [t for t in claim.targets if t.text == "Eilat"]
    # Yemen's nearest border is about 1,580 km from Eilat (its centre about 2,100 km): inside the range
    assert 1_450 < eilat.distance_km < 1_700 and eilat.inside


# --- corridors: path arguments ------------------------------------------------------------------------------


def test_a_route_with_a_via_in_the_middle(parser):
    [route] = corridors_of(parser, "Smugglers moved the rifles from Peshawar to Kabul via the Khyber Pass.")
    assert names(route)[0] == "Peshawar" and names(route)[-1] == "Kabul"


def test_a_route_going_on_after_a_semicolon(parser):
    [route] = corridors_of(parser, "Cocaine moves from Peru to Ecuador; from there, boats carry it to Spain.")
    assert names(route) == ["Peru", "Ecuador", "Spain"]


def test_a_journey_on_foot_across_clauses(parser):
    text = "He walked from Eritrea to Khartoum, hoping to cross the desert into Libya."
    [route] = corridors_of(parser, text)
    assert names(route) == ["Eritrea", "Khartoum", "Libya"]


def test_the_supplier_is_where_the_route_starts(parser):
    [route] = corridors_of(parser, "Iran supplies weapons to the Houthis in Yemen through Oman, officials said.")
    assert names(route) == ["Iran", "Oman", "Yemen"]


def test_a_cable_runs_from_one_country_to_another(parser):
    [route] = corridors_of(parser, "The power cable runs from Norway to Britain under the North Sea.")
    assert names(route) == ["Norway", "Britain"]


def test_places_before_the_verb_are_path_arguments_too(parser):
    [route] = corridors_of(parser, "From Kherson to Mykolaiv, buses evacuate civilians every morning.")
    assert names(route) == ["Kherson", "Mykolaiv"]


def test_ports_of_a_list_take_the_role_of_the_ports(parser):
    text = ("Grain will be shipped from the ports of Odesa and Chornomorsk to Istanbul "
            "and then by rail via Sofia to Vienna.")
    [route] = corridors_of(parser, text)
    assert names(route)[:2] == ["Odesa", "Chornomorsk"] and names(route)[-1] == "Vienna"
    assert names(route).index("Sofia") < names(route).index("Vienna")


def test_a_dash_joined_chain_before_a_route_word(parser):
    [route] = corridors_of(parser, "Convoys were attacked on the Kabul-Jalalabad highway on Friday.")
    assert names(route) == ["Kabul", "Jalalabad"] and route.name == "Kabul-Jalalabad highway"


def test_a_railway_chain_of_four_countries(parser):
    text = "The sides discussed freight on the Kazakhstan-Turkmenistan-Iran-Turkey railway."
    [route] = corridors_of(parser, text)
    assert names(route) == ["Kazakhstan", "Turkmenistan", "Iran", "Turkey"]


def test_linking_one_country_with_another(parser):
    [route] = corridors_of(parser, "Baku wants a road linking Azerbaijan with Nakhchivan through Armenia.")
    assert set(names(route)) == {"Azerbaijan", "Nakhchivan", "Armenia"}


def test_a_route_continued_in_the_next_sentence_is_one_claim(parser):
    text = ("Migrants crossed from Turkey to Greece by boat. "
            "From there, the migrants walked to North Macedonia and Serbia.")
    [route] = corridors_of(parser, text)
    assert names(route)[:2] == ["Turkey", "Greece"] and "Serbia" in names(route)


def test_shipments_going_on_through_seas_in_the_next_sentence(parser):
    text = ("Weapons are shipped from Bandar Abbas to Hodeidah. "
            "The shipments sail through the Gulf of Oman and the Arabian Sea before reaching the Red Sea.")
    [route] = corridors_of(parser, text)
    assert names(route)[0] == "Bandar Abbas" and "Arabian Sea" in names(route)


def test_several_legs_in_one_sentence_are_several_routes(parser):
    text = "The rail link will run from Mombasa to Nairobi, Kampala to Kigali, and Lusaka to Dar es Salaam."
    routes = corridors_of(parser, text)
    assert [names(r) for r in routes] == [["Mombasa", "Nairobi"], ["Kampala", "Kigali"],
                                          ["Lusaka", "Dar es Salaam"]]


@pytest.mark.parametrize("text, first, last", [
    ("Heroin is trafficked from Afghanistan through Iran to Turkey.", "Afghanistan", "Turkey"),      # drugs
    ("Migrants travel from Libya across the Mediterranean to Lampedusa.", "Libya", "Lampedusa"),     # migrants
    ("Ukrainian grain is exported from Odesa through the Bosporus to Egypt.", "Odesa", "Egypt"),     # grain
    ("Gas flows from Azerbaijan through Georgia to Turkey.", "Azerbaijan", "Turkey"),                  # gas
    ("Fuel is smuggled from Venezuela into Colombia through Cucuta.", "Venezuela", "Colombia"),        # fuel
])
def test_any_cargo_makes_a_route(parser, text, first, last):
    [route] = corridors_of(parser, text)
    assert names(route)[0] == first and names(route)[-1] == last


@pytest.mark.parametrize("text, old, new", [
    # Black Sea: "once ... now", a port instead of a strait, the trade's ends after "between"
    ("Grain ships that once sailed from Odesa through the Bosphorus now leave from Constanta, cutting days from "
     "voyages between Ukraine and Egypt.",
     ["Ukraine", "Odesa", "Bosphorus", "Egypt"], ["Ukraine", "Constanta", "Egypt"]),
    # Americas: "used to ... now", a canal and a cape
    ("Tankers that used to pass through the Panama Canal now sail around Cape Horn, adding a week to voyages "
     "between Asia and the United States.",
     ["Asia", "Panama Canal", "United States"], ["Asia", "Cape Horn", "United States"]),
    # Baltic: the ferries' old and new ports
    ("Freight ferries that once sailed from Helsinki through the Gulf of Finland now leave from Turku, saving hours "
     "on voyages between Finland and Germany.",
     ["Finland", "Helsinki", "Gulf of Finland", "Germany"], ["Finland", "Turku", "Germany"]),
    # "instead of": the new route first, the old after it
    ("Since the drought, freighters sail around Cape Horn instead of through the Panama Canal on voyages between "
     "China and Brazil.",
     ["China", "Panama Canal", "Brazil"], ["China", "Cape Horn", "Brazil"]),
    # East Africa, by road: the first of "between" is no place, the second ends both routes
    ("Fuel trucks that used to drive from Mombasa through Nairobi now go via Dar es Salaam, on journeys between the "
     "coast and Kampala.",
     ["Mombasa", "Nairobi", "Kampala"], ["Dar es Salaam", "Kampala"]),
])
def test_a_contrast_states_an_old_and_a_new_route_between_the_same_ends(parser, text, old, new):
    routes = [names(route) for route in corridors_of(parser, text)]
    assert sorted(routes) == sorted([old, new])


def test_the_example_article_sails_two_routes_between_asia_and_europe(parser):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "geomap" / "examples" / "red_sea_houthis.txt").read_text()
    routes = [names(c) for c in parser.parse(text).corridors if "Cape of Good Hope" in names(c)
              or "Suez Canal" in names(c)]
    assert ["Asia", "Indian Ocean", "Gulf of Aden", "Red Sea", "Suez Canal", "Europe"] in routes
    assert ["Asia", "Cape of Good Hope", "Europe"] in routes


def test_between_gives_the_ends_of_a_route_with_a_start_of_its_own(parser):
    text = "Container ships sail from Singapore through the Strait of Malacca on voyages between Asia and Europe."
    [route] = corridors_of(parser, text)
    assert names(route) == ["Asia", "Singapore", "Strait of Malacca", "Europe"]


def test_a_named_corridor_without_places_is_drawn_from_the_table(parser):
    [corridor] = corridors_of(parser, "Beijing has long eyed the Wakhan Corridor, a thin strip of land.")
    assert corridor.name == "Wakhan Corridor" and len(corridor.waypoints) >= 2
    assert all(w.lat is not None for w in corridor.waypoints)


def test_a_named_corridor_with_places_in_the_text_keeps_the_texts(parser):
    text = "Troops drove along the Netzarim Corridor from Nahal Oz to the Mediterranean Sea."
    [corridor] = corridors_of(parser, text)
    assert corridor.name == "Netzarim Corridor" and names(corridor) == ["Nahal Oz", "Mediterranean Sea"]


# --- corridors: not corridors -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    # one official's trip
    "The foreign minister flew from Ankara to Baku for talks on Tuesday.",
    "The envoy drove from Amman to Jerusalem for talks.",
    # a single delivery
    "A shipment of rifles was delivered to Juba last week.",
    # an earthquake's extent
    "The earthquake was felt from Izmir to Antalya.",
    # a stretch of coast
    "Fighting raged along a stretch of coast from Tyre to Naqoura.",
    # a capital described as a crossing
    "Sarajevo is not a capital but a crossing of cultures.",
    # a fired weapon's flight is no route
    "Rockets fired from Lebanon reached Haifa and Nahariya.",
    # two destinations are no route
    "Aid was sent to Egypt and Jordan.",
    # a named road, trail or team is no route without places it runs between
    "A cyclist was hurt on Old Mill Highway near the school on Monday.",
    "The Denver Trail Runners beat the Austin side on Sunday.",
    # one train's trip, one delivery of aid
    "A cat was found on a train that travelled from Calgary to Regina.",
    "The Kenyan Red Cross has sent medical aid to Somalia.",
    # a road closed between two streets
    "Police closed Elm Road between King Street and Queen Street after the crash.",
])
def test_not_corridors(parser, text):
    assert corridors_of(parser, text) == []


def test_the_map_shape_of_a_range_from_an_area_is_the_buffer_of_its_outline(parser):
    from shapely.geometry import Point

    from geomap.claims.geometry import range_features, range_shape

    text = "Yemen's Houthis fired at ships. The Houthis have a missile with a range of 2,000 km."
    [claim] = ranges_of(parser, text)
    assert claim.origin.area_id is not None and claim.to_record()["origin"]["area_id"] == claim.origin.area_id
    shape = range_shape(claim)
    eilat, athens = Point(34.95, 29.56), Point(23.73, 37.98)
    assert shape.contains(eilat) and not shape.contains(athens)  # Eilat ~1,580 km from Yemen, Athens ~2,600
    [feature] = range_features(claim, article_id="a")
    assert feature["properties"]["sentence"].startswith("The Houthis have a missile")


def test_the_map_shows_each_range_with_its_sentence_and_labels_apart(parser):
    from geomap.output.maps import label_point, render_map

    text = ("Yemen's Houthis fired at ships. The Houthis have a missile with a range of 2,000 km. "
            "The Houthis also have a newer missile with a range of 2,100 km.")
    article = parser.parse(text, id="houthis")
    assert [c.range_km for c in article.ranges] == [2000, 2100]
    page = render_map([article])
    assert page.count("geomap-range-label") >= 3  # the style rule and one label per claim
    assert "The Houthis also have a newer missile with" in page  # the sentence, its range marked
    from geomap.claims.geometry import range_shape

    taken: list = []
    first, second = (label_point(range_shape(c), taken) for c in article.ranges)
    assert abs(first[0] - second[0]) >= 1.5 or abs(first[1] - second[1]) >= 1.5

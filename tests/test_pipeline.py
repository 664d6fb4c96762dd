"""Geoparsing end to end: the sample article, ambiguity, filters, bad input."""

from __future__ import annotations

import json

import pytest
from geopy.distance import geodesic

from geomap.errors import InputError


def gold_spans(doc):
    return {(t["start"], t["end"]): t for t in doc["toponyms"]}


def test_sample_article_recall_and_precision(seed_doc, seed_article):
    gold = gold_spans(seed_doc)
    pred = {(m.start, m.end) for m in seed_article.mentions}
    tp = len(set(gold) & pred)
    assert tp / len(gold) >= 0.95, \
        f"recall {tp / len(gold):.3f}; missed {[gold[k]['surface'] for k in set(gold) - pred]}"
    assert tp / len(pred) >= 0.95, f"precision {tp / len(pred):.3f}; extra " \
        f"{[seed_doc['text'][s:e] for s, e in pred - set(gold)]}"


def test_sample_article_places_within_161_km(seed_doc, seed_article):
    # a notch below the 0.946 reached: the annotators put the United States (six mentions) at the centre of the
    # contiguous states, 245 km from the point the gazetteer's source gives it (points.tsv moves no country)
    by_span = {(m.start, m.end): m for m in seed_article.mentions}
    wrong, checked = [], 0
    for span, g in gold_spans(seed_doc).items():
        m = by_span.get(span)
        if g["lat"] is None or m is None:
            continue
        checked += 1
        if m.place is None or geodesic((g["lat"], g["lon"]), (m.place.lat, m.place.lon)).km >= 161:
            wrong.append((g["surface"], m.place and m.place.name))
    assert 1 - len(wrong) / checked >= 0.94, wrong


def test_sample_article_hard_cases(seed_article):
    by_text = {}
    for m in seed_article.mentions:
        by_text.setdefault(m.text, m)
    assert by_text["Yarmouk"].place and geodesic((by_text["Yarmouk"].place.lat, by_text["Yarmouk"].place.lon),
                                                 (33.47, 36.30)).km < 10
    assert by_text["T-4"].place.kind == "base"
    assert "Quds Force" not in by_text and "Quds" not in by_text
    assert not any("Soleimani" in t for t in by_text)
    albukamal = [pm for pm in seed_article.places if "Kam" in pm.place.name]
    assert albukamal and albukamal[0].count == 3


def test_mentions_carry_their_sentence_and_offsets(parser):
    text = "Rockets were fired from Gaza. Sirens sounded in Eilat and Aqaba."
    art = parser.parse(text, id="t")
    eilat = next(m for m in art.mentions if m.text == "Eilat")
    assert text[eilat.start:eilat.end] == "Eilat"
    assert eilat.sentence.text == "Sirens sounded in Eilat and Aqaba."
    assert 0 < eilat.score <= 1


def test_jordan_the_country(parser):
    art = parser.parse("Jordan closed its border with Syria after clashes near Daraa.")
    places = {m.text: m.place for m in art.mentions if m.place}
    assert places["Jordan"].kind == "country"


def test_tripoli_by_lebanese_context(parser):
    art = parser.parse("In Lebanon, clashes erupted in Tripoli and Beirut.")
    places = {m.text: m.place for m in art.mentions if m.place}
    assert places["Tripoli"].country_code == "LB"


def test_border_villages_the_model_calls_persons_are_found(parser):
    # the small model tags "Aita al-Shaab" and "Kfar Kila" PERSON; cities500 has neither, the curated towns do
    art = parser.parse("Israeli strikes hit Khiam, Houla and Aita al-Shaab in south Lebanon on Tuesday. "
                       "Earlier, troops entered Kfar Kila near Metula.")
    places = {m.text: m.place for m in art.mentions if m.place}
    for name, lat, lon in [("Khiam", 33.327, 35.611), ("Houla", 33.210, 35.517), ("Aita al-Shaab", 33.097, 35.334),
                           ("Kfar Kila", 33.279, 35.556)]:
        assert geodesic((places[name].lat, places[name].lon), (lat, lon)).km < 5, name


def test_kibbutzim_and_a_town_the_model_calls_persons_or_a_people_are_found(parser):
    # the small model tags "Kibbutz Be'eri", "Kibbutz Nir Oz" and "Moshav Netiv HaAsara" PERSON, which hid
    # their names, and "Sderot" NORP, a people: of the five, only Kfar Aza (tagged FAC) was found
    art = parser.parse("Hamas gunmen attacked Kibbutz Be'eri and Kibbutz Nir Oz on October 7, and fighting "
                       "continued near Kibbutz Kfar Aza and Moshav Netiv HaAsara, close to Sderot.")
    places = {m.text: m.place for m in art.mentions if m.place}
    for name, lat, lon in [("Be'eri", 31.424, 34.492), ("Nir Oz", 31.310, 34.402), ("Kfar Aza", 31.484, 34.533),
                           ("Netiv HaAsara", 31.572, 34.540), ("Sderot", 31.525, 34.597)]:
        assert geodesic((places[name].lat, places[name].lon), (lat, lon)).km < 5, name
    # a people that is also a town's name is still a people (Arab, Alabama; Christian, Pennsylvania)
    art = parser.parse("Arab leaders met in Cairo. Christian and Muslim leaders met in Beirut.")
    assert {m.text for m in art.mentions} == {"Cairo", "Beirut"}


def test_the_kivus_by_their_english_names_and_an_armed_group_that_is_no_place(parser):
    # "South Kivu" is only one of Sud-Kivu's other names in GeoNames, which recognition passes over: it read
    # as the Kivu region; "M23" (the rebel movement) was reported as an unresolved place; the small model
    # calls "Minova and Kamanyola" an organisation, which hid Minova, a curated town
    art = parser.parse("M23 rebels seized Kiwanja and Rutshuru in North Kivu, then advanced on Minova and "
                       "Kamanyola in South Kivu, near the Rwandan border, Congolese officials said.")
    places = {m.text: m.place.id for m in art.mentions if m.place}
    assert places["North Kivu"] == "gn:206938" and places["South Kivu"] == "gn:205413"
    assert places["Minova"] == "cur:minova"
    # but a curated name that is an English word too is no place where the model calls it an organisation
    assert parser.parse("Takeda completed its purchase of Shire, the Irish drug maker, on Tuesday.").mentions == []
    assert "M23" not in {m.text for m in art.mentions}


def test_hospitals_and_a_prison_are_found_by_their_whole_names(parser):
    # "hospital", "medical complex" and "prison" were no generic heads, and "Kamal" (Indonesia) and "Evin"
    # (France) are places themselves, which kept the curated wholes out
    art = parser.parse("Israeli troops raided the Kamal Adwan hospital in Beit Lahia, after earlier operations at "
                       "al-Shifa hospital and the Nasser medical complex in Khan Younis. Israel also struck Evin "
                       "prison in Tehran.")
    places = {m.text: m.place.id for m in art.mentions if m.place}
    assert places["Kamal Adwan hospital"] == "cur:kamal-adwan-hospital"
    assert places["al-Shifa hospital"] == "cur:al-shifa-hospital"
    assert places["Nasser medical complex"] == "cur:nasser-hospital"
    assert places["Evin prison"] == "cur:evin-prison"


@pytest.mark.parametrize("text, name, meant", [
    ("Hurricane Lee churned across the Atlantic toward Boston and Portland, Maine, officials in Massachusetts said.",
     "Atlantic", "cur:atlantic-ocean"),
    ("The storm moved from the Pacific into Oregon and Washington state.", "Pacific", "cur:pacific-ocean"),
    ("Police in Pacific, Missouri, said the road was closed.", "Pacific", "gn:4402300"),
])
def test_an_ocean_is_not_outweighed_by_a_us_town_of_its_name(parser, text, name, meant):
    # an ocean has no country, so US articles' context once made "Atlantic" Atlantic, Iowa
    places = {m.text: m.place for m in parser.parse(text).mentions if m.place}
    assert places[name].id == meant


def test_a_list_of_states_is_states(parser):
    # listed together, each once took its neighbours for its containers: California, Pennsylvania (the town),
    # Oregon, Wisconsin, and Georgia the country
    art = parser.parse("Inspectors found the blight on farms in Vermont, Georgia, Pennsylvania, Ohio, Iowa and "
                       "California, state agriculture officials reported.")
    places = {m.text: m.place for m in art.mentions if m.place}
    states = ["Vermont", "Georgia", "Pennsylvania", "Ohio", "Iowa", "California"]
    assert [(places[s].kind, places[s].country_code) for s in states] == [("admin1", "US")] * len(states)
    # but places listed with their states keep them: Richmond, Virginia is not Richmond, Kentucky
    art = parser.parse("The properties are in Louisville and Lexington, Kentucky, Nashville, Tennessee, "
                       "Richmond, Virginia and Atlanta, Georgia.")
    places = {m.text: m.place for m in art.mentions if m.place}
    assert places["Richmond"].admin1 == "US.VA" and places["Georgia"].admin1 == "US.GA"


def test_a_list_said_to_be_of_states_makes_every_mention_of_its_members_a_state(parser):
    # Uniontown and Brownsville are near California, Pennsylvania: the list says "states", and a later bare
    # "California" is the one the list meant
    art = parser.parse("The rot showed up in states including Ohio, Georgia, Pennsylvania, Iowa and California. "
                       "In Pennsylvania, growers near Uniontown and Brownsville sprayed twice. California growers "
                       "did not.")
    californias = [(m.place.kind, m.place.admin1) for m in art.mentions if m.text == "California"]
    assert californias == [("admin1", "US.CA")] * 2


@pytest.mark.parametrize("text, meant", [("He lives in Atlanta, Georgia.", ("admin1", "US")),
                                         ("The team flew from Athens, Georgia, to Dallas.", ("admin1", "US")),
                                         ("She moved to Batumi, Georgia, in 2019.", ("country", "GE"))])
def test_the_container_after_a_comma_is_the_one_that_has_the_place(parser, text, meant):
    # "Atlanta, Georgia" once put Atlanta in Georgia, US, and its Georgia in the Caucasus
    places = {m.text: m.place for m in parser.parse(text).mentions if m.place}
    assert (places["Georgia"].kind, places["Georgia"].country_code) == meant


@pytest.mark.parametrize("text, name, admin1", [
    ("Deputies said a tanker overturned near Palmyra, closing the road between Hershey and Annville on Monday.",
     "Palmyra", "US.PA"),
    ("Volunteers from Perth, Dundee and Stirling cleaned the riverbanks over the weekend.", "Perth", "GB.SCT"),
])
def test_a_place_near_the_articles_other_places_is_the_one_meant(parser, text, name, admin1):
    # Palmyra, Pennsylvania, by Annville (not Syria); Perth in Scotland, by Dundee (not Western Australia)
    places = {m.text: m.place for m in parser.parse(text).mentions if m.place}
    assert places[name].admin1 == admin1
    alone = next(m.place for m in parser.parse(f"The crowd gathered in {name} on Monday.").mentions)
    assert alone.admin1 != admin1  # without its neighbours, the name reads as its more prominent namesake


@pytest.mark.parametrize("text, admin1", [
    ("Paris police said a rumor spread across Northeast Texas by text message. Paris schools stayed open, "
     "and Paris officers patrolled the campus. Police in Dallas said they had heard the same rumor.", "US.TX"),
    ("World leaders gathered in Paris for the climate summit. In Paris, protesters marched. Officials in "
     "Washington welcomed the Paris deal.", "FR.11"),
    ("The minister flew from Paris to New York on Monday.", "FR.11"),
])
def test_a_name_said_often_is_not_its_own_evidence(parser, text, admin1):
    # the six mentions of "Paris" in a Texas article once made France what the article was about
    parises = {m.place.admin1 for m in parser.parse(text).mentions if m.text == "Paris"}
    assert parises == {admin1}


@pytest.mark.parametrize("text, name", [
    # Kiwanja is no gazetteer name: its spellings' namesakes (Konya in Turkey, Kananga 1,000 km off, Kayanza in
    # Burundi 145 km from Goma) are no place the article means
    ("M23 rebels entered Kiwanja, north of Goma, after fighting near Rutshuru in North Kivu.", "Kiwanja"),
])
def test_a_misspelling_far_from_the_articles_places_stays_unresolved(parser, text, name):
    mention = next(m for m in parser.parse(text).mentions if m.text == name)
    assert mention.place is None and mention.score == 0
    assert mention.candidates  # what the gazetteer offered is kept for the analyst


def test_a_misspelling_near_the_articles_places_is_read_as_that_place(parser):
    # "Hasaa" is a loose spelling of Al Hasakah (Syria) too, more prominent: Tafilah and Ma'an make it Al Hasa
    art = parser.parse("Police drove from Tafilah to Hasaa on the Desert Highway, north of Ma'an.")
    hasa = next(m for m in art.mentions if m.text == "Hasaa")
    assert hasa.place.country_code == "JO" and {c.match for c in hasa.candidates} == {"fuzzy"}
    assert geodesic((hasa.place.lat, hasa.place.lon), (30.82, 35.97)).km < 10  # Al Hasa, 45 km south-east of Tafilah


@pytest.mark.parametrize("text, meant", [
    ("Storms soaked Savannah and Macon overnight, and Georgia crews cleared trees near Augusta. Georgia schools "
     "opened late, and Georgia farmers counted losses.", ("admin1", "US")),
    ("Protesters gathered in Tbilisi as Georgia's parliament debated the law. Georgia has sought EU membership.",
     ("country", "GE")),
])
def test_georgia_is_the_state_or_the_country_by_the_articles_other_places(parser, text, meant):
    # a name said often once made its own first reading, the country, what the article was about
    georgias = {(m.place.kind, m.place.country_code) for m in parser.parse(text).mentions if m.text == "Georgia"}
    assert georgias == {meant}


@pytest.mark.parametrize("text, meant", [
    ("Health workers in Ouesso and Impfondo, in the north of Congo, reported new cases of measles.", "CG"),
    ("Rebels advanced on Goma and Bukavu in eastern Congo.", "CD"),
])
def test_congo_is_the_country_the_articles_places_are_in(parser, text, meant):
    # "Congo" had read as a Brazilian town of that name, whose name is written exactly so
    congo = next(m.place for m in parser.parse(text).mentions if m.text == "Congo")
    assert (congo.kind, congo.country_code) == ("country", meant)


@pytest.mark.parametrize("text, meant", [
    ("Doctors in Newcastle, UK, developed the technique.", "GB"),
    ("Flooding hit Newcastle and the Hunter Valley in New South Wales.", "AU"),
])
def test_newcastle_is_the_one_the_articles_places_are_near(parser, text, meant):
    # Newcastle upon Tyne is "Newcastle" in news, but GeoNames knows it only by its full name
    newcastle = next(m.place for m in parser.parse(text).mentions if m.text == "Newcastle")
    assert newcastle.country_code == meant


def test_a_name_said_often_is_one_vote_for_its_country(parser):
    # nine "Athens" once outvoted the one "Ohio": Athens, Ohio is a college town south-east of Columbus
    art = parser.parse("The Athens Film Society picks its spring films this week. Society chair Dana Ruiz said Athens "
                       "students, Athens retirees and Athens clubs can vote. Athens volunteers count the ballots, and "
                       "Athens theaters show the winners, with a last screening at the Athens library. Athens pupils "
                       "and Athens parents get in free. Voters must be residents of Ohio.")
    athens = [m.place.admin1 for m in art.mentions if m.text == "Athens"]
    assert len(athens) >= 8 and set(athens) == {"US.OH"}


@pytest.mark.parametrize("text, meant", [
    ("The weather service said the Red River will crest at 40 feet in Fargo on Friday.", "Red River of the North"),
    ("Barges on the Red River near Shreveport were halted.", "Red River of the South"),
    ("Boats crossed the Red River from Hanoi.", "Red River (Asia)"),
])
def test_the_red_river_is_the_one_by_the_articles_places(parser, text, meant):
    # the gazetteer had no Red River: "Red River" read as Red River County, Texas
    river = next(m.place for m in parser.parse(text).mentions if m.text == "Red River")
    assert (river.kind, river.name) == ("river", meant)


def test_unresolved_names_are_reported_not_dropped(parser):
    art = parser.parse("Fighters moved from Zzyzxqabad into Syria.")
    [unresolved] = [m for m in art.mentions if m.text == "Zzyzxqabad"]
    assert unresolved.place is None and unresolved.score == 0
    recorded = {m["text"]: m for m in art.to_record()["mentions"]}
    assert recorded["Zzyzxqabad"]["place_id"] is None and recorded["Syria"]["place_id"] is not None


def test_gazetteer_only_mode_still_finds_places(gaz):
    from geomap import Parser

    p = Parser(gazetteer=gaz, model="none")
    assert p.mode == "gazetteer-only"
    names = {m.text for m in p.parse("Convoys crossed from Albukamal to al-Mayadin and Deir ez-Zor.").mentions}
    assert {"Albukamal", "al-Mayadin", "Deir ez-Zor"} <= names


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_empty_article_is_a_clear_error(parser, text):
    with pytest.raises(InputError, match="empty"):
        parser.parse(text)


def test_parse_record_contract(parser):
    rec = parser.parse("Strikes hit Albukamal, near the Iraqi border.", id="x").to_record()
    assert set(rec) == {"id", "mentions", "ranges", "corridors"}
    m = rec["mentions"][0]
    assert set(m) == {"start", "end", "text", "lat", "lon", "place_id", "name", "kind", "country_code", "score",
                      "sentence"}


def test_model_span_cut_short_is_completed_from_the_gazetteer(parser):
    # the small model tags only "Deir" of "Deir ez-Zor"
    text = "Aid reached Aleppo, Hama, Deir ez-Zor, Mayadin and Albukamal last week."
    assert "Deir" in {e.text for e in parser.nlp(text).ents}  # the model's own span, cut short
    art = parser.parse(text)
    assert "Deir ez-Zor" in {m.text for m in art.mentions}
    assert "Deir" not in {m.text for m in art.mentions}


def test_name_completed_by_a_lowercase_head(parser):
    art = parser.parse("Analysts say Iran expanded the Imam Ali base near the border last year.")
    base = [m for m in art.mentions if m.text == "Imam Ali base"]
    assert base and base[0].place.kind == "base" and base[0].place.country_code == "SY"


def test_people_and_weapons_named_like_places_are_not_places(parser):
    text = ("Talal Naji of the PFLP-GC gave a speech in Damascus. Naji says the talks collapsed. "
            "His nephew is a boy called \u201cBadr.\u201d Early Qassam rockets fell short of Sderot. "
            "The People\u2019s Front for the Liberation of Palestine dates from 1967.")
    names = {m.text for m in parser.parse(text).mentions}
    assert {"Damascus", "Sderot"} <= names
    assert not names & {"Naji", "Badr", "Qassam", "Liberation", "Palestine"}


def test_a_countrys_adjective_is_no_town_of_that_name(parser):
    # Canadian is a town in Texas and a suburb of Ballarat: neither is what "Canadian officials" mentions
    art = parser.parse("Canadian officials said the Canadian Coast Guard had met Cuban envoys in Ottawa.")
    assert {m.text for m in art.mentions} == {"Ottawa"}


def test_the_state_of_a_name_is_a_state(parser):
    # Victoria, the Hong Kong city, is more prominent than the Australian state
    art = parser.parse("Flooding closed roads across the state of Victoria, and ministers in Canberra promised aid.")
    victoria = next(m.place for m in art.mentions if m.text == "Victoria")
    assert (victoria.kind, victoria.country_code) == ("admin1", "AU")


def test_the_state_a_firm_is_incorporated_in_is_the_state(parser):
    # in an Ohio article, "a Delaware corporation" had read as Delaware, Ohio (and Nevada, Ohio is a village)
    art = parser.parse("Harbor Ridge LLC, a Delaware corporation, agreed to buy two farms outside Dayton, Ohio, from a "
                       "Nevada corporation.")
    places = {m.text: m.place for m in art.mentions if m.place}
    assert [(places[s].kind, places[s].admin1) for s in ("Delaware", "Nevada")] == [("admin1", "US.DE"),
                                                                                     ("admin1", "US.NV")]


def test_state_abbreviation_after_a_city_is_a_mention_of_the_state(parser):
    art = parser.parse("The plant in Charleston, W.Va., closed, and a second one in Columbia, S.C., opened.")
    by_text = {m.text: m for m in art.mentions}
    assert by_text["W.Va."].place.name == "West Virginia"
    assert by_text["S.C."].place.name == "South Carolina"
    assert by_text["Charleston"].place.admin1 == by_text["W.Va."].place.admin1


def test_code_after_a_number_is_not_a_place(parser):
    text = "The walls date from 500 BC, archaeologists in Vancouver, BC said."
    mentions = parser.parse(text).mentions
    assert "Vancouver" in {m.text for m in mentions}
    assert [m.start for m in mentions if m.text == "BC"] == [text.rindex("BC")]  # the province, not the era
    art = parser.parse("The walls date from 500 BC.")
    assert not [m for m in art.mentions if m.text == "BC"]


def test_demonyms_when_asked_plural_included_and_never_a_town(gaz):
    from geomap import Parser

    parser = Parser(gazetteer=gaz, demonyms=True, claims=False)
    art = parser.parse("Canadian officials said thousands of Russians had crossed into Finland near Houston Street.")
    by_text = {m.text: m for m in art.mentions}
    assert by_text["Canadian"].place.country_code == "CA" and by_text["Canadian"].place.kind == "country"
    assert by_text["Russians"].place.country_code == "RU"
    assert "Houston" not in by_text          # a street, not the city


def test_plural_demonyms_are_read_as_their_singular_not_as_a_loose_spelling(gaz):
    # "Americans" is within a typo of "American"; read as such, a loose match, it would need nearby places
    from geomap import Parser

    parser = Parser(gazetteer=gaz, demonyms=True, claims=False)
    art = parser.parse("Americans and Egyptians joined the talks, and Palestinians waited for word.")
    found = {m.text: (m.place.country_code, next(c.match for c in m.candidates if c.place == m.place))
             for m in art.mentions if m.place}
    assert found == {"Americans": ("US", "demonym"), "Egyptians": ("EG", "demonym"),
                     "Palestinians": ("PS", "demonym")}


def test_with_demonyms_a_countrys_adjective_in_an_institutions_name_is_the_country(gaz):
    from geomap import Parser

    parser = Parser(gazetteer=gaz, demonyms=True, claims=False)
    art = parser.parse("A kayaker off Tofino phoned the Canadian Coast Guard for help.")
    canadian = next(m.place for m in art.mentions if m.text == "Canadian")
    assert (canadian.kind, canadian.country_code) == ("country", "CA")  # not Canadian, a suburb of Ballarat


def test_country_name_among_local_places_is_the_country(parser):
    art = parser.parse("Exports from Houston, Texas, to China rose. Beaumont, Texas, also ships to China.")
    chinas = [m for m in art.mentions if m.text == "China"]
    assert chinas and all(m.place.kind == "country" for m in chinas)


def test_a_small_town_with_many_namesakes_is_the_one_in_the_state_the_article_names(parser):
    # Milton, Vermont is not among the most prominent Miltons (Ontario, Massachusetts, Florida ...)
    art = parser.parse("Milton is a town in Chittenden County, Vermont, north of Burlington.")
    [milton] = [m.place for m in art.mentions if m.text == "Milton"]
    assert milton.admin1 == "US.VT" and geodesic((milton.lat, milton.lon), (44.64, -73.11)).km < 10
    assert next(m.place for m in parser.parse("Milton is a town.").mentions).admin1 != "US.VT"


def test_a_later_mention_with_its_container_speaks_for_itself_not_for_the_bare_ones(parser):
    art = parser.parse("Cambridge is a city in Guernsey County, Ohio, east of Columbus. Settlers named it after "
                       "Cambridge, Maryland, where some of them came from. Cambridge holds a glass festival each "
                       "summer.")
    assert [m.place.admin1 for m in art.mentions if m.text == "Cambridge"] == ["US.OH", "US.MD", "US.OH"]


@pytest.fixture(scope="module")
def parser_at(gaz):
    """A parser for articles from a home region (one for each home asked for)."""
    from functools import lru_cache

    from geomap import Parser

    return lru_cache(maxsize=None)(lambda home: Parser(gazetteer=gaz, home=home, claims=False))


def _read(parser, text: str) -> dict[str, tuple]:
    return {m.text: (m.place.country_code, m.place.admin1) for m in parser.parse(text).mentions if m.place}


@pytest.mark.parametrize("home, text, name, meant", [
    ("Ohio", "Arlington police said two men were arrested after a chase.", "Arlington", ("US", "US.OH")),
    ("Dallas", "The Mansfield school board voted to raise fees.", "Mansfield", ("US", "US.TX")),
    ("London", "Richmond residents objected to the plan for the riverside.", "Richmond", ("GB", "GB.ENG")),
    ("gn:4684888", "The Mansfield school board voted to raise fees.", "Mansfield", ("US", "US.TX")),  # Dallas
])
def test_a_name_the_article_leaves_open_is_read_near_the_home_region(parser_at, parser, home, text, name, meant):
    assert _read(parser_at(home), text)[name] == meant
    assert _read(parser, text)[name] != meant  # without it, another place of that name


@pytest.mark.parametrize("home, text, name, country", [
    ("Dallas", "Protesters marched through Paris. Police in Lyon and Marseille reported clashes.", "Paris", "FR"),
    ("Ohio", "The senator flew to London for talks on Tuesday.", "London", "GB"),
    ("Toronto", "The minister flew to London for talks with the British government.", "London", "GB"),
    ("Dallas", "Officials in Damascus said strikes hit Homs.", "Homs", "SY"),
])
def test_the_articles_own_places_and_a_capital_outweigh_the_home_region(parser_at, home, text, name, country):
    assert _read(parser_at(home), text)[name][0] == country


def test_home_region_by_id_or_name_is_in_the_version_and_an_unknown_one_is_a_clear_error(parser_at, parser, gaz):
    from geomap import Parser

    assert parser_at("Dallas").home.id == parser_at("gn:4684888").home.id == "gn:4684888"
    assert parser_at("Dallas").version == parser.version + ";home=gn:4684888"  # re-ingest reads them anew
    with pytest.raises(InputError, match="Xyzzyplugh"):
        Parser(gazetteer=gaz, home="Xyzzyplugh", model="none")


def test_cli_reads_articles_near_the_home_region_given_by_option_or_environment(tmp_path):
    from click.testing import CliRunner

    from geomap.cli import main

    article = tmp_path / "a.txt"
    article.write_text("Richmond residents objected to the plan for the riverside.", encoding="utf-8")
    runner = CliRunner()

    def country(*args, env=None):
        result = runner.invoke(main, ["places", str(article), "--format", "json", *args], env=env)
        assert result.exit_code == 0, result.output
        return {row["name"]: row["country_code"] for row in json.loads(result.stdout)}["Richmond"]

    assert country() == "US"
    assert country("--home", "London") == "GB"
    assert country(env={"GEOMAP_HOME": "London"}) == "GB"
    announced = runner.invoke(main, ["places", str(article), "--home", "London"]).stderr
    assert "home region London (city, GB.ENG" in announced
    failed = runner.invoke(main, ["places", str(article), "--home", "Xyzzyplugh"])
    assert failed.exit_code == 1 and "home region 'Xyzzyplugh'" in failed.stderr and "Traceback" not in failed.output


def test_cli_counts_demonyms_only_when_asked(tmp_path):
    from click.testing import CliRunner

    from geomap.cli import main

    article = tmp_path / "a.txt"
    article.write_text("Canadian officials met Syrian envoys in Amman.", encoding="utf-8")
    runner = CliRunner()
    names = {}
    for flag in ([], ["--demonyms"]):
        result = runner.invoke(main, ["places", str(article), "--format", "json", *flag])
        assert result.exit_code == 0, result.output
        names[bool(flag)] = {row["name"] for row in json.loads(result.stdout)}
    assert names[False] == {"Amman"}
    assert names[True] == {"Amman", "Canada", "Syria"}


# -- how common a word is: wordfreq's numbers, without wordfreq's half-second import ---------------------
ENGLISH_SAMPLES = ["the", "Damascus", "Albukamal", "Mayadin", "Sderot", "Jordan", "Gaza Strip", "al-Mayadin",
                   "Deir ez-Zor", "well-known", "Ky.", "Hill’s", "Martin's", "Casino's", "Be'eri", "l'arc",
                   "d'heure", "We’ll", "O'Brien", "Košice", "Cañada", "STRASSE", "Straße", "Côte d'Ivoire",
                   "Ālbū Kamāl", "Illinois’", "N.J.", "T-4", "Highway 12", "Zürich", "ga'yogi", "l’erupted"]


@pytest.mark.parametrize("text", ENGLISH_SAMPLES)
def test_word_zipf_gives_wordfreqs_numbers(text):
    from wordfreq import zipf_frequency

    from geomap.text.word_frequency import word_zipf

    word_zipf.cache_clear()
    assert word_zipf(text) == zipf_frequency(text, "en", wordlist="small")


def test_word_zipf_answers_plain_words_without_importing_wordfreq():
    # wordfreq's import is half a second of a cold start; the words an article asks about rarely need it
    import subprocess
    import sys

    script = ("import sys; from geomap.text.word_frequency import word_zipf; "
              "print([word_zipf(w) for w in ('Gaza', 'Hill’s', 'Be\\'eri', 'al-Mayadin', 'Košice')], "
              "'wordfreq' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False"), out

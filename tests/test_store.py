"""The article store: saving whole articles, queries by place, radius and claim, files that are not stores.

One suite for both stores: the ``db`` fixture is a new SQLite file or a new database of a
real PostgreSQL 15 + PostGIS cluster (started for the session by ``tests/pg.py``), and every
test taking ``db``, ``store`` or ``filled`` runs on each. Tests of SQLite files as such
(corrupt files, WAL, schema upgrades) use SQLite only.

Most tests use articles built by hand with real coordinates (fast, no parser);
the CLI tests run the real parser on small inputs, and one test checks the
acceptance queries after ingesting the sample article (read from ../shared).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import require_shared
from gazetteer.place import Place
from geomap.cli import main
from geomap.errors import StoreCorrupt, StoreError
from geomap.model import Article, ClaimPlace, CorridorClaim, Mention, RangeClaim, RangeTarget, Sentence
from geomap.store import ArticleStore, open_store, store_location
from geomap.store.base import distance_to_corridor_km, geodesic_km
from geomap.store.schema import SCHEMA_VERSION

ALBUKAMAL = Place("gn:174448", "Ālbū Kamāl", "city", 34.45226, 40.91854, "SY", "SY.05", 0, "test")
MAYADIN = Place("gn:172515", "Al Mayādīn", "city", 35.01982, 40.45165, "SY", "SY.05", 0, "test")
DAMASCUS = Place("gn:170654", "Damascus", "city", 33.5102, 36.29128, "SY", "SY.13", 1569394, "test")
YARMOUK = Place("gn:166716", "al-Yarmūk", "camp", 33.4699, 36.3018, "SY", "SY.13", 0, "test")
EILAT = Place("gn:295277", "Eilat", "city", 29.55805, 34.94821, "IL", "IL.01", 47800, "test")
GAZA = Place("gn:281133", "Gaza", "city", 31.50161, 34.46672, "PS", "PS.GZ", 410000, "test")
IRAQ = Place("cc:IQ", "Iraq", "country", 33.0, 44.0, "IQ", None, 0, "test")
SYRIA = Place("cc:SY", "Syria", "country", 35.0, 38.0, "SY", None, 0, "test")


def make_article(article_id: str, sentences: list[str], places: dict[str, Place], *, ranges=(), corridors=()):
    """An Article whose mentions are every occurrence of the keys of ``places`` in the sentences."""
    text, sents, mentions = "", [], []
    for s in sentences:
        start = len(text)
        text += s + " "
        sents.append(Sentence(start, start + len(s), s))
    for sentence in sents:
        for surface, place in places.items():
            i = sentence.text.find(surface)
            while i >= 0:
                mentions.append(Mention(sentence.start + i, sentence.start + i + len(surface), surface, sentence,
                                        place=place, score=0.9))
                i = sentence.text.find(surface, i + 1)
    mentions.sort(key=lambda m: m.start)
    return Article(article_id, text, sents, mentions, list(ranges), list(corridors), title=f"Title {article_id}",
                   source=f"/news/{article_id}.txt", meta={"date": "2021-01-03"})


def corridor_article(article_id="corridor-1") -> Article:
    sentence = "Tehran's trucks use the Iranian corridor, which leaves Iraq and enters Syria at Albukamal."
    corridor = CorridorClaim("corridor", "Iranian corridor",
                             [ClaimPlace("Iraq", IRAQ.lat, IRAQ.lon, IRAQ),
                              ClaimPlace("Albukamal", ALBUKAMAL.lat, ALBUKAMAL.lon, ALBUKAMAL),
                              ClaimPlace("Syria", SYRIA.lat, SYRIA.lon, SYRIA)], sentence, 0, len(sentence))
    return make_article(article_id, [sentence], {"Iraq": IRAQ, "Syria": SYRIA, "Albukamal": ALBUKAMAL},
                        corridors=[corridor])


def sample_article() -> Article:
    claim_sentence = "Militants in Gaza now field a missile with a range of 250 km."
    article = make_article("sample", [
        "By 2018 Iran held a stronghold in Albukamal.",
        "Militia posts dotted Mayadin and Albukamal.",
        "A commander toured Damascus and the Yarmouk camp.",
        claim_sentence,
        "One such missile flew toward Eilat.",
        "The corridor joins Iraq to Syria at Albukamal.",
        "An older rocket from Gaza had a range of 2 km.",
    ], {"Albukamal": ALBUKAMAL, "Mayadin": MAYADIN, "Damascus": DAMASCUS, "Yarmouk": YARMOUK, "Eilat": EILAT,
        "Gaza": GAZA, "Iraq": IRAQ, "Syria": SYRIA})
    start = article.text.index(claim_sentence)
    origin = ClaimPlace("Gaza", GAZA.lat, GAZA.lon, GAZA, inferred=False)
    eilat_km = geodesic_km(GAZA.lat, GAZA.lon, EILAT.lat, EILAT.lon)
    article.ranges = [
        RangeClaim("missile", 250.0, None, 250.0, None, origin,
                   [RangeTarget("Eilat", EILAT.lat, EILAT.lon, eilat_km, True, True, EILAT)], claim_sentence,
                   start, start + len(claim_sentence), "a range of 250 km"),
        RangeClaim("older rocket", 2.0, None, 2.0, None, origin, [], "An older rocket from Gaza had a range of 2 km.",
                   0, 10, "a range of 2 km"),
    ]
    article.corridors = corridor_article().corridors
    return article


@pytest.fixture(scope="session")
def postgis_template(postgres_cluster) -> str:
    """A database holding an empty store (made by geomap: the postgis extension, the schema), to copy."""
    name = postgres_cluster.new_database()
    with open_store(postgres_cluster.url(name), create=True):
        pass
    return name


@pytest.fixture(params=["sqlite", "postgis"])
def db(request, tmp_path) -> str:
    """What ``--db`` takes for a new store: a SQLite file name, or the URL of a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "articles.sqlite")
    cluster = request.getfixturevalue("postgres_cluster")
    return cluster.url(cluster.new_database(template=request.getfixturevalue("postgis_template")))


@pytest.fixture
def store(db):
    with open_store(db, create=True) as s:
        yield s


def fill(store):
    store.save_article(sample_article(), "hash-sample", "v1")
    store.save_article(make_article("damascus-only", ["Shelling hit Damascus again."], {"Damascus": DAMASCUS}),
                       "hash-d", "v1")
    return store


@pytest.fixture
def filled(store):
    return fill(store)


def rids(store, name):
    found, _ = store.find_places(name)
    return [rid for rid, _, _ in found]


# --------------------------------------------------------------------------- saving and loading
def test_saved_article_comes_back_identical(filled):
    original = sample_article()
    [loaded] = filled.load_articles(["sample"])
    assert loaded.to_record() == original.to_record()
    assert loaded.sentences == original.sentences
    assert (loaded.title, loaded.source, loaded.meta) == (original.title, original.source, original.meta)
    assert loaded.ranges[0].targets[0].place == EILAT and loaded.ranges[0].range_text == "a range of 250 km"
    assert [w.place for w in loaded.corridors[0].waypoints] == [IRAQ, ALBUKAMAL, SYRIA]


def test_load_articles_names_missing_ids(filled):
    with pytest.raises(StoreError, match="'nope'"):
        filled.load_articles(["sample", "nope"])


def test_saving_again_replaces_and_keeps_the_store_consistent(filled):
    before = filled.places_of_article("sample")
    filled.save_article(sample_article(), "hash-sample", "v1")
    assert filled.count() == 2
    assert [(p.place.id, p.count) for p in filled.places_of_article("sample")] == \
           [(p.place.id, p.count) for p in before]
    changed = make_article("sample", ["Now only Eilat is mentioned."], {"Eilat": EILAT})
    filled.save_article(changed, "hash-2", "v1")
    assert [(p.place.name, p.count) for p in filled.places_of_article("sample")] == [("Eilat", 1)]
    assert filled.claims_covering(filled.resolve_point("Eilat")) == []
    report = filled.check()
    assert report.ok, report.problems


def test_check_finds_an_article_with_missing_mentions(filled):
    filled.con.execute("DELETE FROM mention WHERE article_rid = (SELECT rid FROM article WHERE id = 'sample')"
                       " AND idx = 0")
    problems = filled.check().problems
    assert any("article sample: mention_count" in p for p in problems)


# --------------------------------------------------------------------------- queries
def test_places_of_article_counts_mentions_and_quotes_sentences(filled):
    places = {p.place.name: p for p in filled.places_of_article("sample")}
    assert places["Ālbū Kamāl"].count == 3
    assert places["Ālbū Kamāl"].surfaces == ["Albukamal"]
    assert places["Ālbū Kamāl"].sentences[0] == "By 2018 Iran held a stronghold in Albukamal."
    assert {"Al Mayādīn", "Eilat", "al-Yarmūk"} <= set(places)
    assert list(places)[0] == "Ālbū Kamāl"  # most mentioned first
    with pytest.raises(StoreError, match="no article with id 'missing'"):
        filled.places_of_article("missing")


def test_articles_by_surface_form_by_stored_name_and_by_id(filled):
    by_surface = filled.articles_mentioning(rids(filled, "Albukamal"))
    assert [a.id for a in by_surface.articles] == ["sample"]
    assert by_surface.articles[0].count == 3
    assert "Militia posts dotted Mayadin and Albukamal." in by_surface.articles[0].sentences
    assert rids(filled, "al-Bukamal") == rids(filled, "Albukamal")          # folded: article and hyphen
    assert rids(filled, "gn:174448") == rids(filled, "Albukamal")
    damascus = filled.articles_mentioning(rids(filled, "Damascus"))
    assert damascus.total == 2 and {a.id for a in damascus.articles} == {"sample", "damascus-only"}
    assert len(filled.articles_mentioning(rids(filled, "Damascus"), limit=1).articles) == 1


def test_articles_are_ranked_by_mentions_then_id_and_the_limit_cuts_among_ties(store):
    for article_id in ("e", "a", "d", "b", "c"):
        store.save_article(make_article(article_id, ["Talks in Damascus."], {"Damascus": DAMASCUS}), article_id, "v1")
    store.save_article(make_article("z", ["Damascus, then Damascus again."], {"Damascus": DAMASCUS}), "z", "v1")
    top = store.articles_mentioning(rids(store, "Damascus"), limit=3)
    assert [(a.id, a.count) for a in top.articles] == [("z", 2), ("a", 1), ("b", 1)] and top.total == 6
    assert [a.id for a in store.articles_mentioning(rids(store, "Damascus"), limit=None).articles] == \
        ["z", "a", "b", "c", "d", "e"]
    assert store.articles_mentioning(rids(store, "Damascus"), limit=0).total == 6


def test_near_damascus_finds_the_yarmouk_camp_not_mayadin(filled):
    result = filled.near(filled.resolve_point("Damascus"), 30)
    by_name = {n.place.name: n for n in result.places}
    assert set(by_name) == {"Damascus", "al-Yarmūk"}
    assert by_name["al-Yarmūk"].distance_km == pytest.approx(4.6, abs=0.1)
    assert by_name["Damascus"].article_count == 2
    assert {a.id for a in result.articles.articles} == {"sample", "damascus-only"}
    by_point = filled.near(filled.resolve_point("33.4699,36.3018"), 1)
    assert [n.place.name for n in by_point.places] == ["al-Yarmūk"]


def test_range_claims_covering_a_point_are_measured_geodesically(filled):
    covering_eilat = filled.claims_covering(filled.resolve_point("Eilat"))
    assert [(c.article_id, c.range_km) for c in covering_eilat] == [("sample", 250.0)]
    assert covering_eilat[0].distance_km == pytest.approx(220, abs=1)
    assert filled.claims_covering(filled.resolve_point("Damascus")) == []  # ~ 280 km from Gaza
    # on the WGS84 geodesic, 1 km inside and 1 km outside the circle, in every direction
    from gazetteer.geodesy import destination

    for bearing in range(0, 360, 30):
        inside = destination(GAZA.lat, GAZA.lon, bearing, 249)
        outside = destination(GAZA.lat, GAZA.lon, bearing, 251)
        assert [c.range_km for c in filled.claims_covering(filled.resolve_point("%f,%f" % inside))] == [250.0]
        assert filled.claims_covering(filled.resolve_point("%f,%f" % outside)) == []
    # the 2 km claim covers only Gaza itself
    assert sorted(c.range_km for c in filled.claims_covering(filled.resolve_point("31.51,34.47"))) == [2.0, 250.0]


def test_corridors_near_a_point(filled):
    near_mayadin = filled.corridors_near(filled.resolve_point("Mayadin"), 100)
    assert {c.article_id for c in near_mayadin} == {"sample"}
    assert filled.corridors_near(filled.resolve_point("Eilat"), 100) == []
    on_line = filled.corridors_near(filled.resolve_point("Albukamal"), 1)
    assert on_line and on_line[0].distance_km < 0.01


def test_a_corridor_without_located_waypoints_is_kept_and_found_by_no_distance(store):
    article = corridor_article("unlocated")
    article.corridors[0].waypoints = [ClaimPlace("the border", None, None, None)]
    store.save_article(article, "hash-u", "v1")
    [loaded] = store.load_articles(["unlocated"])
    assert loaded.corridors[0].waypoints[0].text == "the border"
    assert [c.article_id for c in store.corridors()] == ["unlocated"]
    assert store.corridors_near(store.resolve_point("Albukamal"), 500) == [] and store.check().ok


def test_distance_to_corridor_against_geodesic_distances():
    line = [(IRAQ.lat, IRAQ.lon), (ALBUKAMAL.lat, ALBUKAMAL.lon), (SYRIA.lat, SYRIA.lon)]
    # Mayadin's nearest point is on the Albukamal-Syria leg: less than its distance to either endpoint
    from gazetteer.geodesy import geodesic_path

    d = distance_to_corridor_km(MAYADIN.lat, MAYADIN.lon, line)
    assert d < geodesic_km(MAYADIN.lat, MAYADIN.lon, ALBUKAMAL.lat, ALBUKAMAL.lon) - 10
    brute_force = min(geodesic_km(MAYADIN.lat, MAYADIN.lon, lat, lon) for lat, lon in geodesic_path(line, step_km=0.5))
    assert d == pytest.approx(brute_force, abs=0.05)
    assert distance_to_corridor_km(EILAT.lat, EILAT.lon, [(GAZA.lat, GAZA.lon)]) == pytest.approx(
        geodesic_km(EILAT.lat, EILAT.lon, GAZA.lat, GAZA.lon))


FIJI_EAST = Place("gn:9000001", "Eastern Islet", "island", -16.9, 179.9, "FJ", None, 0, "test")
FIJI_WEST = Place("gn:9000002", "Western Islet", "island", -17.2, -179.8, "FJ", None, 0, "test")


def antimeridian_article() -> Article:
    """Places, a range claim and a corridor on both sides of the 180th meridian."""
    sentence = "Boats sailed from Eastern Islet to Western Islet, and a drone with a range of 60 km flew."
    article = make_article("fiji", [sentence], {"Eastern Islet": FIJI_EAST, "Western Islet": FIJI_WEST})
    origin = ClaimPlace("Eastern Islet", FIJI_EAST.lat, FIJI_EAST.lon, FIJI_EAST)
    article.ranges = [RangeClaim("drone", 60.0, None, 60.0, None, origin, [], sentence, 0, len(sentence),
                                 "a range of 60 km")]
    article.corridors = [CorridorClaim("route", "islet route", [
        origin, ClaimPlace("Western Islet", FIJI_WEST.lat, FIJI_WEST.lon, FIJI_WEST)], sentence, 0, len(sentence))]
    return article


def test_queries_across_the_antimeridian(store):
    store.save_article(antimeridian_article(), "hash-fiji", "v1")
    west_of_180 = store.resolve_point("-17.0,-179.99")
    assert {n.place.name for n in store.near(west_of_180, 150).places} == {"Eastern Islet", "Western Islet"}
    east_of_180 = store.resolve_point("-16.95,179.95")
    assert [n.place.name for n in store.near(east_of_180, 10).places] == ["Eastern Islet"]
    # the drone's 60 km circle around Eastern Islet (lon 179.9) reaches over 180 to lon -179.7 ...
    assert [c.weapon for c in store.claims_covering(store.resolve_point("-16.9,-179.7"))] == ["drone"]
    # ... and not to lon -179.2 (about 115 km away)
    assert store.claims_covering(store.resolve_point("-16.9,-179.2")) == []
    # the route's geodesic crosses the meridian: a point on 180 itself is on it
    crossing = store.corridors_near(store.resolve_point("-17.0,180"), 5)
    assert [c.name for c in crossing] == ["islet route"] and crossing[0].distance_km < 2
    assert store.corridors_near(store.resolve_point("-17.0,178.5"), 5) == []
    assert store.check().ok


def test_select_ids_for_maps(filled):
    assert filled.select_ids(place="Albukamal") == ["sample"]
    assert set(filled.select_ids(near="Damascus", km=10)) == {"sample", "damascus-only"}
    assert filled.select_ids(covering="Eilat") == ["sample"]
    assert filled.select_ids(article="damascus-only") == ["damascus-only"]


def test_cli_map_draws_the_articles_the_selectors_pick(db, filled, tmp_path):
    runner = CliRunner()
    out = tmp_path / "albukamal.html"
    result = runner.invoke(main, ["map", "--db", db, "--place", "Albukamal", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 article," in result.output and "1 ranges" not in result.output
    html = out.read_text()
    assert "Mayadin" in html and "Shelling hit" not in html
    # no selector: every stored article; --limit cuts with a warning
    result = runner.invoke(main, ["map", "--db", db, "--limit", "1", "-o", str(out)])
    assert result.exit_code == 0 and "first 1 of 2 articles" in result.output, result.output
    result = runner.invoke(main, ["map", "--db", db, "-o", str(out)])
    assert "2 articles" in result.output and "Shelling hit" in out.read_text()
    result = runner.invoke(main, ["map", "--db", db, "--near", "Damascus", "-o", str(out)])
    assert result.exit_code == 2 and "--near and --km go together" in result.output
    result = runner.invoke(main, ["map", "--db", db, "--covering", "Reykjavik", "-o", str(tmp_path / "none.html")])
    assert result.exit_code == 1 and "Error:" in result.output and not (tmp_path / "none.html").exists()


# --------------------------------------------------------------------------- files
def test_reader_sees_committed_articles_while_a_writer_is_in_a_transaction(tmp_path):
    filled = fill(ArticleStore.open(tmp_path / "articles.sqlite", create=True))
    reader = ArticleStore.open(filled.path)
    committed = sum(p.count for p in reader.places_of_article("sample"))
    filled.con.execute("BEGIN IMMEDIATE")
    filled.con.execute("DELETE FROM mention")
    # the writer holds the write lock; WAL lets the reader go on, seeing the last committed state
    assert sum(p.count for p in reader.places_of_article("sample")) == committed > 0
    filled.con.execute("ROLLBACK")
    assert filled.con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    reader.close()
    filled.close()


def test_missing_store_is_not_created_by_queries(tmp_path):
    with pytest.raises(StoreError, match="no article store here"):
        ArticleStore.open(tmp_path / "none.sqlite")
    assert not (tmp_path / "none.sqlite").exists()


@pytest.mark.parametrize("content,message", [
    (b"this is a text file, not a database\n" * 10, "is not a SQLite file"),
    (b"SQLite format 3\x00" + b"\xff" * 2000, "cannot be read"),
])
def test_corrupt_store_file_gets_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.sqlite"
    path.write_bytes(content)
    with pytest.raises(StoreCorrupt, match=message) as info:
        ArticleStore.open(path, create=True)
    assert str(path) in str(info.value)


def test_foreign_sqlite_and_gazetteer_files_are_refused(tmp_path):
    foreign = tmp_path / "other.sqlite"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE notes(x)")
    con.commit()
    con.close()
    with pytest.raises(StoreCorrupt, match="not a geomap article store"):
        ArticleStore.open(foreign, create=True)
    gaz = tmp_path / "gaz.sqlite"
    con = sqlite3.connect(gaz)
    con.execute("PRAGMA application_id = 1734700909")  # 0x67656F6D, the gazetteer's mark
    con.execute("CREATE TABLE place(x)")
    con.commit()
    con.close()
    with pytest.raises(StoreCorrupt, match="is a geomap gazetteer"):
        ArticleStore.open(gaz)


def test_cli_reports_a_corrupt_store_naming_the_file(tmp_path):
    path = tmp_path / "bad.sqlite"
    path.write_bytes(b"garbage" * 100)
    result = CliRunner().invoke(main, ["query", "near", "33.5,36.3", "--km", "5", "--db", str(path)])
    assert result.exit_code == 1
    assert str(path) in result.output and "not a SQLite file" in result.output


# --------------------------------------------------------------------------- CLI with the real parser
def test_ingest_is_idempotent_reports_bad_files_and_reparses_old_versions(db, tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "eilat.txt").write_text("A missile with a range of 250 km was fired from Gaza toward Eilat.\n")
    (articles / "damascus.html").write_text("<html><title>Damascus</title><body><p>Shelling hit the Yarmouk camp "
                                            "south of Damascus.</p><script>x()</script></body></html>")
    (articles / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (articles / "feed.jsonl").write_text(json.dumps({"id": "j1", "title": "Beirut", "url": "https://x.test/1",
                                                     "date": "2024-01-01", "text": "Protests in Beirut."})
                                         + "\n{not json\n")
    runner = CliRunner()
    args = ["ingest", str(articles), "--db", db, "--workers", "1", "--model", "none"]
    first = runner.invoke(main, [*args, "-v"])
    assert first.exit_code == 0, first.output
    assert "3 new" in first.output and "2 failed" in first.output
    assert "binary.txt" in first.output and "feed.jsonl:2" in first.output
    assert "new\teilat" in first.output
    with open_store(db) as s:
        assert s.article_ids() == ["damascus", "eilat", "j1"]
        [j1] = s.load_articles(["j1"])
        assert j1.title == "Beirut" and j1.meta["date"] == "2024-01-01" and j1.source == "https://x.test/1"
        assert "<script>" not in s.load_articles(["damascus"])[0].text
        snapshot = s.con.execute("SELECT id, ingested_at FROM article ORDER BY id").fetchall()
    again = runner.invoke(main, args)
    assert "0 new" in again.output and "3 unchanged" in again.output
    with open_store(db) as s:
        assert s.con.execute("SELECT id, ingested_at FROM article ORDER BY id").fetchall() == snapshot
        s.con.execute("UPDATE article SET pipeline_version = 'old' WHERE id = 'eilat'")
    stale = runner.invoke(main, args)
    assert "2 unchanged" in stale.output and "--reparse" in stale.output
    redo = runner.invoke(main, [*args, "--reparse"])
    assert "1 re-parsed" in redo.output
    (articles / "eilat.txt").write_text("Now the missile flew toward Aqaba.\n")
    updated = runner.invoke(main, args)
    assert "1 updated" in updated.output
    with open_store(db) as s:
        assert "Aqaba" in s.load_articles(["eilat"])[0].text
        assert s.check().ok


def test_ingest_with_another_home_region_asks_to_reparse_and_then_reads_the_names_near_it(db, tmp_path):
    (tmp_path / "richmond.txt").write_text("Richmond residents objected to the plan for the riverside.\n")
    runner = CliRunner()
    args = ["ingest", str(tmp_path / "richmond.txt"), "--db", db, "--workers", "1"]

    def stored_country():
        with open_store(db) as s:
            [article] = s.load_articles(["richmond"])
            return {m.place.country_code for m in article.mentions if m.text == "Richmond"}

    assert runner.invoke(main, args).exit_code == 0 and stored_country() == {"US"}
    stale = runner.invoke(main, [*args, "--home", "London"])
    assert "another home region" in stale.output and "--reparse" in stale.output and stored_country() == {"US"}
    redo = runner.invoke(main, [*args, "--home", "London", "--reparse"])
    assert "1 re-parsed" in redo.output and stored_country() == {"GB"}


def test_ingest_refuses_two_different_articles_with_one_id(db, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "report.txt").write_text("Fighting near Aleppo.")
    (tmp_path / "b" / "report.txt").write_text("Fighting near Homs.")
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "a"), str(tmp_path / "b"), "--db", db,
                                       "--workers", "1", "--model", "none"])
    assert "1 new" in result.output and "already used by" in result.output


def assert_acceptance_queries(db: str) -> None:
    """The issue's acceptance queries, through the CLI, on a store holding the sample article."""
    runner = CliRunner()

    def query(*args):
        out = runner.invoke(main, ["query", *args, "--db", db, "--format", "json"])
        assert out.exit_code == 0, out.output
        return json.loads(out.output)

    places = query("places", "--article", "seed-0")["places"]
    albukamal = [p for p in places if "Albukamal" in p["surfaces"]]
    assert len(albukamal) == 1 and albukamal[0]["mentions"] == 3
    assert any("Eilat" in p["surfaces"] for p in places)
    assert any(s in p["surfaces"] for p in places for s in ("Mayadin", "al-Mayadin"))
    assert "seed-0" in [a["id"] for a in query("articles", "--place", "Albukamal", "--limit", "0")["articles"]]
    near = query("near", "Damascus", "--km", "30")
    yarmouk = [p for p in near["places"] if abs(p["lat"] - 33.47) < 0.03 and abs(p["lon"] - 36.30) < 0.03]
    assert yarmouk and yarmouk[0]["distance_km"] < 10
    covering = query("claims", "--covering", "Eilat", "--limit", "0")["ranges"]
    assert ("seed-0", 250.0) in [(r["article"], r["range_km"]) for r in covering]
    geojson = runner.invoke(main, ["query", "claims", "--covering", "Eilat", "--db", db, "--format", "geojson"])
    assert "Polygon" in {f["geometry"]["type"] for f in json.loads(geojson.output)["features"]}


def test_sample_article_queries(db):
    """The acceptance queries after ingesting the sample article with worker processes."""
    seed = require_shared("eval/dev/seed.jsonl")
    result = CliRunner().invoke(main, ["ingest", str(seed), "--db", db, "--workers", "2"])
    assert result.exit_code == 0 and "1 new" in result.output, result.output
    assert_acceptance_queries(db)


@pytest.mark.slow
def test_acceptance_queries_after_the_dev_corpora(db):
    """The same queries once the ~820 dev articles are in the store too (about a minute)."""
    result = CliRunner().invoke(main, ["ingest", str(require_shared("eval/dev")), "--db", db])
    assert result.exit_code == 0 and "0 failed" in result.output, result.output
    assert_acceptance_queries(db)
    with open_store(db) as store:
        assert store.count() > 800 and store.check().ok


# --------------------------------------------------------------------------- which store --db means
def test_a_url_is_never_taken_for_a_file_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert store_location("postgresql://ana@db.example/news") == "postgresql://ana@db.example/news"
    assert store_location("postgres:///news?host=/run/pg") == "postgres:///news?host=/run/pg"
    assert store_location("archive/news.sqlite") == Path("archive/news.sqlite")
    monkeypatch.setenv("GEOMAP_DB", "postgresql:///from_env")
    assert store_location(None) == "postgresql:///from_env"
    runner = CliRunner()
    # a server that is not there: a clear error, and no folder named 'postgresql:' appears
    gone = runner.invoke(main, ["ingest", str(tmp_path), "--db", f"postgresql:///news?host={tmp_path / 'none'}"])
    assert gone.exit_code == 1 and "cannot connect to PostgreSQL" in gone.output, gone.output
    mysql = runner.invoke(main, ["query", "near", "33.5,36.3", "--km", "5", "--db", "mysql://db.example/news"])
    assert mysql.exit_code == 1 and "not a mysql:// URL" in mysql.output, mysql.output
    from_env = runner.invoke(main, ["query", "near", "33.5,36.3", "--km", "5"],
                             env={"GEOMAP_DB": f"postgresql:///news?host={tmp_path / 'none'}"})
    assert from_env.exit_code == 1 and "cannot connect to PostgreSQL" in from_env.output, from_env.output
    assert sorted(p.name for p in tmp_path.iterdir()) == []


#: The arguments, besides the store, of each command that takes --db (a new one must be added here).
STORE_COMMANDS = {
    ("ingest",): ["."], ("map",): ["-o", "m.html"], ("query", "articles"): ["--place", "Homs"], ("query", "claims"): [],
    ("query", "near"): ["33.5,36.3", "--km", "5"], ("query", "places"): ["--article", "a"],
}


def commands_taking_db(group=main, path=()):
    """The commands (as their words) that have a --db option, found by walking the CLI."""
    import click

    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            yield from commands_taking_db(command, (*path, name))
        elif any("--db" in p.opts for p in command.params):
            yield (*path, name)


def test_every_command_with_db_takes_the_store_from_geomap_db(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert sorted(commands_taking_db()) == sorted(STORE_COMMANDS)
    env = {"GEOMAP_DB": f"postgresql:///news?host={tmp_path / 'none'}"}  # a server that is not there
    for words, args in STORE_COMMANDS.items():
        result = CliRunner().invoke(main, [*words, *args], env=env)
        assert result.exit_code == 1 and "cannot connect to PostgreSQL" in result.output, (words, result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nor a file or folder of that name


def test_both_stores_answer_every_query_with_the_same_json(tmp_path, postgres_cluster, postgis_template):
    urls = [str(tmp_path / "articles.sqlite"), postgres_cluster.url(postgres_cluster.new_database(postgis_template))]
    for db in urls:
        with open_store(db, create=True) as store:
            fill(store)
            store.save_article(corridor_article("corridor-2"), "hash-c", "v1")
            store.save_article(antimeridian_article(), "hash-fiji", "v1")
    runner = CliRunner()
    queries = [["places", "--article", "sample"], ["articles", "--place", "Albukamal"],
               ["articles", "--place", "Damascus", "--limit", "1"], ["near", "Damascus", "--km", "30"],
               ["near", "34.0,39.0", "--km", "400"], ["near", "--km", "150", "--", "-17.0,-179.99"],
               ["claims", "--covering", "Eilat"], ["claims", "--covering", "-16.9,-179.7"],
               ["claims", "--near", "Mayadin", "--km", "100"], ["claims"]]
    for query in queries:
        answers = []
        for db in urls:
            result = runner.invoke(main, ["query", query[0], "--db", db, "--format", "json", *query[1:]])
            assert result.exit_code == 0, (query, result.output)
            answers.append(result.output)
        assert json.loads(answers[0]) and answers[0] == answers[1], query
    args = ["--near", "Albukamal", "--km", "50", "-o", str(tmp_path / "m.html")]
    maps = [runner.invoke(main, ["map", "--db", db, *args]).output for db in urls]
    assert "2 articles" in maps[0] and maps[0] == maps[1]


# --------------------------------------------------------------------------- writers at once
def test_two_ingests_of_the_same_articles_at_once_leave_one_copy(db, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w") as out:
        for i in range(40):
            out.write(json.dumps({"id": f"a{i:02d}", "text": f"Report {i}: shelling near Damascus and Aleppo, "
                                  f"then talks in Beirut."}) + "\n")
    cmd = [sys.executable, "-c", "from geomap.cli import main; main()", "ingest", str(corpus), "--db", db,
           "--workers", "1", "--model", "none", "--no-progress"]
    with open_store(db, create=True):
        pass  # both find the store; creating it at once is tested by the schema lock, not here
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    with open_store(db) as store:
        assert store.article_ids() == [f"a{i:02d}" for i in range(40)]
        assert store.check().ok, store.check().problems
        damascus = store.articles_mentioning([rid for rid, _, _ in store.find_places("Damascus")[0]], limit=None)
        assert damascus.total == 40 and all(a.count == 1 for a in damascus.articles)


# --------------------------------------------------------------------------- schema upgrades
#: The store schema 1 (git show 4df9c56^:geomap/store/schema.py), abridged to its DDL: R*Tree boxes keyed by
#: the claim's rid, widened to every longitude when a circle crossed the antimeridian.
SCHEMA_1 = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE article(rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT, source TEXT,
    meta TEXT NOT NULL DEFAULT '{}', text TEXT NOT NULL, content_hash TEXT NOT NULL, pipeline_version TEXT NOT NULL,
    sentence_count INTEGER NOT NULL, mention_count INTEGER NOT NULL, range_count INTEGER NOT NULL,
    corridor_count INTEGER NOT NULL, ingested_at TEXT NOT NULL);
CREATE TABLE sentence(article_rid INTEGER NOT NULL, idx INTEGER NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, text TEXT, PRIMARY KEY(article_rid, idx)) WITHOUT ROWID;
CREATE TABLE place(rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL, country_code TEXT, admin1 TEXT, population INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT '');
CREATE VIRTUAL TABLE place_rtree USING rtree(rid, min_lat, max_lat, min_lon, max_lon);
CREATE TABLE place_name(key TEXT NOT NULL, place_rid INTEGER NOT NULL, PRIMARY KEY(key, place_rid)) WITHOUT ROWID;
CREATE TABLE mention(article_rid INTEGER NOT NULL, idx INTEGER NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, text TEXT NOT NULL, sentence_idx INTEGER NOT NULL, source TEXT NOT NULL, label TEXT,
    place_rid INTEGER, score REAL NOT NULL, PRIMARY KEY(article_rid, idx)) WITHOUT ROWID;
CREATE INDEX mention_place ON mention(place_rid, article_rid);
CREATE TABLE range_claim(rid INTEGER PRIMARY KEY, article_rid INTEGER NOT NULL, idx INTEGER NOT NULL, weapon TEXT,
    range_km REAL, origin_lat REAL, origin_lon REAL, sentence TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX range_claim_article ON range_claim(article_rid);
CREATE VIRTUAL TABLE range_rtree USING rtree(rid, min_lat, max_lat, min_lon, max_lon);
CREATE TABLE corridor(rid INTEGER PRIMARY KEY, article_rid INTEGER NOT NULL, idx INTEGER NOT NULL,
    kind TEXT NOT NULL, name TEXT, sentence TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX corridor_article ON corridor(article_rid);
CREATE VIRTUAL TABLE corridor_rtree USING rtree(rid, min_lat, max_lat, min_lon, max_lon);
PRAGMA application_id = 1734700897;
INSERT INTO meta(key, value) VALUES ('schema_version', '1');
"""


def make_schema_1_store(path: Path) -> None:
    """A store as geomap wrote it at schema 1: the Fiji article, its drone claim's box widened to 360 degrees."""
    from geomap.store.base import article_record

    record = article_record(antimeridian_article())
    con = sqlite3.connect(path)
    con.executescript(SCHEMA_1)
    with con:
        con.execute("INSERT INTO article VALUES (1, 'fiji', 'Fiji', NULL, '{}', ?, 'h', 'v1', ?, ?, 1, 1, 'then')",
                    (record["text"], len(record["sentences"]), len(record["mentions"])))
        con.executemany('INSERT INTO sentence VALUES (1, ?, ?, ?, ?)',
                        [(i, s[0], s[1], s[2]) for i, s in enumerate(record["sentences"])])
        for rid, p in enumerate(record["places"], 1):
            con.execute("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?)", (rid, p["id"], p["name"], p["kind"],
                        p["lat"], p["lon"], p["country_code"], p["admin1"], p["population"], p["source"]))
            con.execute("INSERT INTO place_rtree VALUES (?,?,?,?,?)", (rid, p["lat"], p["lat"], p["lon"], p["lon"]))
            con.execute("INSERT INTO place_name VALUES (lower(?), ?)", (p["name"], rid))
        rids = {p["id"]: rid for rid, p in enumerate(record["places"], 1)}
        con.executemany("INSERT INTO mention VALUES (1,?,?,?,?,?,?,?,?,?)",
                        [(i, m["start"], m["end"], m["text"], m["sentence"], m["source"], m["label"],
                          rids[m["place_id"]], m["score"]) for i, m in enumerate(record["mentions"])])
        drone = record["ranges"][0]
        con.execute("INSERT INTO range_claim VALUES (1, 1, 0, 'drone', 60.0, ?, ?, ?, ?)",
                    (FIJI_EAST.lat, FIJI_EAST.lon, drone["sentence"], json.dumps(drone)))
        con.execute("INSERT INTO range_rtree VALUES (1, -17.45, -16.35, -180.0, 180.0)")
        con.execute("INSERT INTO corridor VALUES (1, 1, 0, 'route', 'islet route', ?, ?)",
                    (drone["sentence"], json.dumps(record["corridors"][0])))
        con.execute("INSERT INTO corridor_rtree VALUES (1, -17.22, -16.88, -180.0, 180.0)")
    con.close()


def test_a_schema_1_store_is_upgraded_on_open_and_its_articles_stay_queryable(tmp_path):
    path = tmp_path / "old.sqlite"
    make_schema_1_store(path)
    with ArticleStore.open(path) as store:
        assert store.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == \
            str(SCHEMA_VERSION)
        assert store.check().ok, store.check().problems
        assert [a.id for a in store.load_articles(["fiji"])] == ["fiji"]
        assert [c.weapon for c in store.claims_covering(store.resolve_point("-16.9,-179.7"))] == ["drone"]
        assert [c.name for c in store.corridors_near(store.resolve_point("-17.0,180"), 5)] == ["islet route"]
        # the circle's two boxes, one each side of 180, replace the 360-degree one
        boxes = store.con.execute("SELECT box, min_lon, max_lon FROM range_rtree ORDER BY box").fetchall()
        assert [b[0] for b in boxes] == [2, 3] and boxes[0][1] > 179 and boxes[0][2] == 180
        assert boxes[1][1] == -180 and -179.6 < boxes[1][2] < -179.4
        store.save_article(sample_article(), "hash-sample", "v1")  # and takes new articles
        assert store.article_ids() == ["fiji", "sample"]
    result = CliRunner().invoke(main, ["query", "near", "--km", "150", "--db", str(path), "--", "-17.0,-179.99"])
    assert result.exit_code == 0 and "Eastern Islet" in result.output, result.output


def test_a_store_from_a_newer_geomap_is_refused_clearly(tmp_path):
    path = tmp_path / "new.sqlite"
    ArticleStore.open(path, create=True).close()
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreCorrupt, match="schema 99, made by a newer geomap"):
        ArticleStore.open(path)


def test_a_postgis_store_is_upgraded_step_by_step_and_a_newer_one_refused(postgres_cluster, postgis_template,
                                                                           monkeypatch):
    """The PostgreSQL store's upgrade path, with a step of the kind a next schema brings (PostGIS is at its
    first schema, so the step is the test's): run once, in its transaction, and the stored articles kept."""
    from geomap.store import postgis
    from geomap.store.schema import Migration

    url = postgres_cluster.url(postgres_cluster.new_database(postgis_template))
    with open_store(url, create=True) as store:
        store.save_article(sample_article(), "hash-sample", "v1")
    runs = []

    def add_an_index(con) -> None:
        runs.append(1)
        con.execute("CREATE INDEX article_ingested ON article(ingested_at)")

    version = postgis.POSTGIS_SCHEMA_VERSION + 1
    monkeypatch.setattr(postgis, "POSTGIS_MIGRATIONS", (Migration(version, "an index", add_an_index),))
    monkeypatch.setattr(postgis, "POSTGIS_SCHEMA_VERSION", version)
    for _ in range(2):  # the second open finds the store upgraded
        with open_store(url) as store:
            assert store.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == \
                str(version)
            assert store.con.execute("SELECT to_regclass('article_ingested') IS NOT NULL").fetchone()[0]
            assert store.article_ids() == ["sample"] and store.check().ok
    assert runs == [1]
    monkeypatch.undo()  # this geomap again, older than the store
    with pytest.raises(StoreCorrupt, match=f"schema {version}, made by a newer geomap"):
        open_store(url)


# --------------------------------------------------------------------------- the postgis extension
def test_the_postgis_extension_is_created_when_the_user_may_and_named_when_not(postgres_cluster):
    fresh = postgres_cluster.new_database()
    with open_store(postgres_cluster.url(fresh), create=True) as store:
        assert store.count() == 0
        assert store.con.execute("SELECT extname FROM pg_extension WHERE extname = 'postgis'").fetchall()
    postgres_cluster.sql("CREATE ROLE reporter LOGIN")
    owned = postgres_cluster.new_database(owner="reporter")
    with pytest.raises(StoreError) as info:
        open_store(postgres_cluster.url(owned, user="reporter"), create=True)
    message = str(info.value)
    assert "CREATE EXTENSION postgis;" in message and f"database {owned}" in message and "'reporter'" in message
    postgres_cluster.sql("CREATE EXTENSION postgis", dbname=owned)  # what the owner was asked to do
    with open_store(postgres_cluster.url(owned, user="reporter"), create=True) as store:
        store.save_article(sample_article(), "hash-sample", "v1")
        assert store.article_ids() == ["sample"]


def test_a_database_without_a_store_or_with_foreign_tables_is_refused_clearly(postgres_cluster):
    empty = postgres_cluster.new_database()
    with pytest.raises(StoreError, match=f"no article store in database '{empty}'; create one with `geomap ingest"):
        open_store(postgres_cluster.url(empty))
    foreign = postgres_cluster.new_database()
    postgres_cluster.sql("CREATE TABLE meta(key text)", dbname=foreign)
    with pytest.raises(StoreCorrupt, match=f"database '{foreign}' has a table 'meta' but is not a geomap"):
        open_store(postgres_cluster.url(foreign), create=True)


def test_without_postgresql_the_tests_skip_naming_the_install_command_and_fail_under_ci(monkeypatch, tmp_path):
    import pg

    monkeypatch.setattr(pg, "PG_BIN", tmp_path)  # no initdb there
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="install it with: make postgres"):
        pg.require_postgres()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install postgresql-15-postgis-3"):
        pg.require_postgres()


def test_a_range_from_an_area_covers_what_lies_within_range_of_its_outline(db):
    """The team's Red Sea example claims a 2,000 km missile from Yemen: Eilat lies ~1,580 km from Yemen's
    outline (2,100 km from its centre point), so the claim covers Eilat; Istanbul lies ~2,400 km from it."""
    from conftest import EXAMPLES

    runner = CliRunner()
    ingested = runner.invoke(main, ["ingest", str(EXAMPLES / "red_sea_houthis.txt"), "--db", db, "--workers", "1"])
    assert ingested.exit_code == 0, ingested.output
    covering = runner.invoke(main, ["query", "claims", "--covering", "Eilat", "--db", db, "--format", "json"])
    assert covering.exit_code == 0, covering.output
    found = [c for c in json.loads(covering.output)["ranges"] if c["range_km"] == 2000]
    assert found and found[0]["origin"] == "Yemen", covering.output
    assert 1450 < found[0]["distance_km"] < 1700
    far = runner.invoke(main, ["query", "claims", "--covering", "41.01,28.98", "--db", db, "--format", "json"])
    assert far.exit_code == 0 and not [c for c in json.loads(far.output)["ranges"] if c["range_km"] == 2000]

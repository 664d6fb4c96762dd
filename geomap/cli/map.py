"""``geomap map``: draw articles on an HTML map (folium), online or fully offline."""

from __future__ import annotations

from pathlib import Path

import click

from geomap.cli.options import cli_errors, count_noun, db_option, make_parser, parser_options, progress

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"


def example_paths() -> list[Path]:
    """The example articles shipped with geomap (``geomap/examples/*.txt``)."""
    return sorted(EXAMPLES_DIR.glob("*.txt"))


def read_cli_articles(paths: tuple[str, ...], config, *, example: bool = False, required: bool = True):
    """The articles named on the command line, parsed (or rebuilt from ``geomap parse`` JSONL).

    An unreadable file or line is reported on stderr and skipped; having no
    article at all is an error unless ``required`` is false.
    """
    from geomap.errors import InputError
    from geomap.output.parse_records import load_articles

    sources = list(paths) + ([str(p) for p in example_paths()] if example else [])
    if not sources:
        if not required:
            return []
        raise click.UsageError("give article files, directories or JSONL, --example, or --db and selectors")

    def warn(exc: InputError) -> None:
        click.echo(f"warning: skipped {exc}", err=True)

    with progress(desc="parsing") as bar:
        articles = load_articles(sources, lambda: make_parser(config, announce=False), on_error=warn,
                                 on_parsed=lambda _: bar.update(1))
    if not articles:
        raise InputError("none of the inputs could be read as an article (see the warnings above)")
    return articles


def read_stored_articles(db_path: str | None, gazetteer_path: str | None, *, limit: int, **selectors):
    """The stored articles the ``geomap query`` selectors pick (every article when none is given).

    ``selectors`` are :meth:`geomap.store.ArticleStore.select_ids` keywords; ``limit``
    caps the number of articles (0: no cap), with a warning when it cuts.
    """
    from geomap.errors import InputError
    from geomap.store import open_store

    with open_store(db_path, gazetteer_path=gazetteer_path) as store:
        if any(v is not None for k, v in selectors.items() if k != "km"):
            ids = store.select_ids(**selectors)
            what = "the selectors"
        else:
            ids = store.article_ids()
            what = "the store"
        if not ids:
            raise InputError(f"no stored article matches {what} ({store.path})")
        if limit and len(ids) > limit:
            click.echo(f"warning: mapping the first {limit} of {len(ids)} articles (raise --limit, 0 for all)",
                       err=True)
            ids = ids[:limit]
        return store.load_articles(ids)


@click.command("map")
@click.argument("articles", nargs=-1, type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The HTML file to write, e.g. maps/report.html.")
@click.option("--title", default=None, help="Map title [default: the article's title, or 'N articles'].")
@click.option("--offline", is_flag=True,
              help="No OpenStreetMap tiles: the map requests nothing from the network. Every map is one "
                   "self-contained file (libraries inlined, country outlines under the tiles).")
@click.option("--cluster/--no-cluster", default=None,
              help="Cluster place markers [default: when the map has more than 50 places].")
@click.option("--example", is_flag=True, help="Also map the example articles shipped with geomap.")
@db_option
@click.option("--article", "article_id", default=None, help="Store: the article with this id.")
@click.option("--place", default=None, help="Store: the articles mentioning this place (id or name).")
@click.option("--near", default=None, help="Store: the articles with a place or corridor within --km of this "
                                           "place or LAT,LON.")
@click.option("--km", type=click.FloatRange(min=0, min_open=True), default=None, help="Radius for --near, in km.")
@click.option("--covering", default=None, help="Store: the articles with a range claim covering this place or "
                                               "LAT,LON.")
@click.option("--limit", type=click.IntRange(min=0), default=500, show_default=True,
              help="Store: at most this many articles (0: all).")
@parser_options
@cli_errors
def map_cmd(articles, output, title, offline, cluster, example, db_path, article_id, place, near, km, covering,
            limit, config):
    """Draw the places and claims of ARTICLES on one HTML map.

    ARTICLES are text/HTML files, directories, JSONL articles ({"id", "text"}) or the JSONL
    written by `geomap parse`; also globs and URLs, as `geomap parse` reads them. Each place
    gets a marker styled by kind and sized by mentions,
    with a popup quoting every sentence that names it; weapon ranges are drawn as geodesic
    circles (targets inside/outside), corridors as lines with direction and waypoints.

    \b
    Examples:
      geomap map article.txt -o maps/article.html
      geomap map articles/ --offline -o maps/all.html --title "Week 12"
      geomap parse article.txt > parsed.jsonl && geomap map parsed.jsonl -o maps/a.html

    With --db, or any of the selectors --article, --place, --near/--km and --covering
    (those of `geomap query`), the map draws articles from the store filled by
    `geomap ingest` instead: the union of what the selectors pick, or every stored
    article when none is given. Stored articles are not parsed again.

    \b
      geomap map --db newsroom.sqlite --place Albukamal -o maps/albukamal.html
      geomap map --near Damascus --km 30 -o maps/damascus.html
      geomap map --covering Eilat --offline -o maps/eilat-ranges.html
    """
    from geomap.output.maps import save_map

    selectors = {"article": article_id, "place": place, "near": near, "km": km, "covering": covering}
    if (near is None) != (km is None):
        raise click.UsageError("--near and --km go together")
    from_store = any(v is not None for v in selectors.values()) or (db_path is not None and not articles)
    parsed = read_cli_articles(articles, config, example=example, required=not from_store)
    if from_store:
        parsed += read_stored_articles(db_path, config.gazetteer_path, limit=limit, **selectors)
    summary = save_map(parsed, output, title=title, offline=offline, cluster=cluster)
    for article_id in summary.empty_articles:
        click.echo(f"warning: no places found in article {article_id!r}: nothing of it is on the map", err=True)
    click.echo(f"wrote {summary.path} ({summary.bytes / 1024:,.0f} KB{', offline' if offline else ''}): "
               f"{count_noun(summary.articles, 'article')}, {count_noun(summary.places, 'place')}, "
               f"{count_noun(summary.ranges, 'range')}, {count_noun(summary.corridors, 'corridor')}", err=True)

"""``geomap map``: draw articles on an HTML map (folium), online or fully offline."""

from __future__ import annotations

from pathlib import Path

import click

from geomap.cli.options import cli_errors, gazetteer_option, model_option

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"


def example_paths() -> list[Path]:
    """The example articles shipped with geomap (``geomap/examples/*.txt``)."""
    return sorted(EXAMPLES_DIR.glob("*.txt"))


def read_cli_articles(paths: tuple[str, ...], gazetteer_path: str | None, model: str, *, example: bool = False):
    """The articles named on the command line, parsed (or rebuilt from ``geomap parse`` JSONL).

    An unreadable file or line is reported on stderr and skipped; having no
    article at all is an error.
    """
    from geomap.errors import InputError
    from geomap.output.records import load_articles

    sources = list(paths) + ([str(p) for p in example_paths()] if example else [])
    if not sources:
        raise click.UsageError("give article files, directories or JSONL (or --example)")

    def make_parser():
        from geomap import Parser

        return Parser(gazetteer_path, model)

    def warn(exc: InputError) -> None:
        click.echo(f"warning: skipped {exc}", err=True)

    articles = load_articles(sources, make_parser, on_error=warn)
    if not articles:
        raise InputError("none of the inputs could be read as an article (see the warnings above)")
    return articles


@click.command("map")
@click.argument("articles", nargs=-1, type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The HTML file to write, e.g. maps/report.html.")
@click.option("--title", default=None, help="Map title [default: the article's title, or 'N articles'].")
@click.option("--offline", is_flag=True,
              help="Self-contained file that loads nothing from the network: libraries inlined, "
                   "country outlines instead of tiles.")
@click.option("--cluster/--no-cluster", default=None,
              help="Cluster place markers [default: when the map has more than 50 places].")
@click.option("--example", is_flag=True, help="Also map the example articles shipped with geomap.")
@gazetteer_option
@model_option
@cli_errors
def map_cmd(articles, output, title, offline, cluster, example, gazetteer_path, model):
    """Draw the places and claims of ARTICLES on one HTML map.

    ARTICLES are text/HTML files, directories, JSONL articles ({"id", "text"}) or the JSONL
    written by `geomap parse`. Each place gets a marker styled by kind and sized by mentions,
    with a popup quoting every sentence that names it; weapon ranges are drawn as geodesic
    circles (targets inside/outside), corridors as lines with direction and waypoints.

    \b
    Examples:
      geomap map article.txt -o maps/article.html
      geomap map articles/ --offline -o maps/all.html --title "Week 12"
      geomap parse article.txt > parsed.jsonl && geomap map parsed.jsonl -o maps/a.html
    """
    from geomap.output.maps import save_map

    parsed = read_cli_articles(articles, gazetteer_path, model, example=example)
    summary = save_map(parsed, output, title=title, offline=offline, cluster=cluster)
    for article_id in summary.empty_articles:
        click.echo(f"warning: no places found in article {article_id!r}: nothing of it is on the map", err=True)
    click.echo(f"wrote {summary.path} ({summary.bytes / 1024:,.0f} KB{', offline' if offline else ''}): "
               f"{summary.articles} article{'s' if summary.articles != 1 else ''}, {summary.places} places, "
               f"{summary.ranges} ranges, {summary.corridors} corridors", err=True)

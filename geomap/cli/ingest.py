"""``geomap ingest``: parse articles in parallel into the article store (SQLite, or PostgreSQL + PostGIS)."""

from __future__ import annotations

import click

from geomap.cli.options import cli_errors, cluster_options, db_option, parser_options


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Parallel parser processes, each loading its own model [default: the number of CPUs]; "
                   "1 parses in the main process.")
@click.option("--reparse", is_flag=True,
              help="Parse again the stored articles parsed by another pipeline or gazetteer version, or for "
                   "another --home.")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Progress bar on stderr (shown only on a terminal).")
@click.option("-v", "--verbose", is_flag=True,
              help="Print 'OUTCOME<TAB>ID' on stdout as each article is committed (new, updated, reparsed).")
@cluster_options
@parser_options
@cli_errors
def ingest(paths, db_path, workers, reparse, progress, verbose, cluster, config):
    """Parse the articles in PATHS and keep them in the article store for `geomap query`.

    PATHS are text and Markdown files, HTML files (reduced to their text), JSON Lines of
    {"id", "title", "url", "date", "text"}, or directories of them, as `geomap parse` reads
    them: also globs ('archive/2024-*.jsonl', quoted) and URLs read through fsspec
    ('s3://bucket/news/*.jsonl' with s3fs installed). Each article is stored
    whole (a transaction per batch): its mentions with offsets and sentences, its resolved places
    and its range and corridor claims. --db takes a SQLite file or a PostgreSQL + PostGIS URL,
    which several ingests, on several machines, may write at once.

    Article ids: a file's path relative to the folder given, without its suffix (`geomap
    ingest corpus/` stores corpus/a/report.txt as "a/report"; a file given by itself is its
    name, "report"); a JSONL line's "id" field (else FILE-LINENO).

    Ingesting is idempotent: an article whose id is stored with the same text and the same
    pipeline version is skipped; a changed text from the same file or URL replaces the stored
    article. Another text under a stored id from another file or URL is reported and skipped,
    never stored over the first. Bad files and lines are reported and skipped. The exit
    status is 1 only when no input could be used.

    \b
    Examples:
      geomap ingest articles/ feed.jsonl
      geomap ingest --db newsroom.sqlite --workers 4 archive/
      geomap ingest --db postgresql://ana@dbhost/news archive/
      geomap ingest --reparse archive/          after upgrading geomap or its gazetteer
      geomap ingest --dask 8 archive/           parse on 8 local Dask workers
      geomap ingest --scheduler tcp://10.0.0.5:8786 's3://news/2024/*.jsonl'
      geomap query articles --place Albukamal
    """
    from geomap.store import open_store
    from geomap.store.ingest import ingest as run_ingest

    def log(outcome: str, article_id: str, _article) -> None:
        click.echo(f"{outcome}\t{article_id}")

    with open_store(db_path, create=True) as store:
        summary = run_ingest(paths, store, config=config, workers=workers,
                             reparse=reparse, progress=progress, on_stored=log if verbose else None,
                             cluster=cluster)
        for line in summary.lines(store.path):
            click.echo(line, err=True)
    if summary.interrupted:
        raise SystemExit(130)
    if summary.failures and not (summary.stored or summary.unchanged or summary.stale):
        raise SystemExit(1)

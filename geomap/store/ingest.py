"""Parallel ingestion: read articles, parse them in worker processes, write each one whole.

The work splits in two on purpose:

- **parse** (:func:`parse_to_record`) is a pure function of ``(id, text)`` returning a
  plain store record (:func:`geomap.store.db.article_record`). It runs in the worker
  processes of a :class:`geomap.batch.ParsePool`, or on the workers of a Dask cluster
  (:class:`geomap.cluster.DaskPool`), each holding one :class:`geomap.Parser`.
- **write** happens only in the parent, one transaction per batch of articles
  (:meth:`StoreBase.save_records`; a batch is at most :data:`BATCH_ARTICLES` articles or
  :data:`BATCH_SECONDS` of parsing): an article is stored whole or not at all, and a
  killed ingest loses no committed article. Several ingests may write one PostgreSQL
  store at once (:class:`geomap.store.postgis.PostgisStore` upserts by id and content hash).

An article's id is unique per source (see :mod:`geomap.reader`). A second, different text under a
stored id from another file or URL is a collision: it is reported and skipped, never stored over the
first article; a changed text from the same file or URL updates its article.

Only articles that need it are parsed: an article whose id is stored with the same
content hash and the same pipeline version is left alone, so ingesting the same
files again changes nothing. With ``reparse`` the ones parsed by another pipeline
or gazetteer version are parsed again. Bad files and lines are reported and skipped.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geomap.cluster import ClusterSpec, open_pool
from geomap.errors import WorkerDied
from geomap.pipeline import ParserConfig
from geomap.reader import ArticleInput, count_articles, read_articles, same_origin
from geomap.store.base import StoreBase, article_record

#: What happened to one input article.
NEW, UPDATED, REPARSED, UNCHANGED, STALE = "new", "updated", "reparsed", "unchanged", "stale"
#: An input whose id is stored for a different text from another file or URL (reported, not stored).
COLLIDES = "collides"
#: A batch (one transaction) holds at most this many articles ...
BATCH_ARTICLES = 64
#: ... and waits at most this long for more after its first one (seconds).
BATCH_SECONDS = 1.0


@dataclass(slots=True)
class IngestSummary:
    """Counts of what an ingest did, and the inputs it could not use."""

    new: int = 0
    updated: int = 0
    reparsed: int = 0
    unchanged: int = 0
    stale: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    pipeline_version: str = ""
    interrupted: bool = False

    @property
    def stored(self) -> int:
        """Articles written by this run."""
        return self.new + self.updated + self.reparsed

    @property
    def seen(self) -> int:
        return self.stored + self.unchanged + self.stale + len(self.failures)

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def lines(self, store_path: Path, max_failures: int = 20) -> list[str]:
        """The human summary printed at the end of ``geomap ingest``."""
        rate = f", {self.stored / self.seconds:.1f} articles/s" if self.seconds > 0 and self.stored else ""
        head = "interrupted; committed so far" if self.interrupted else "ingested"
        out = [f"{head} into {store_path}: {self.new} new, {self.updated} updated, {self.reparsed} re-parsed, "
               f"{self.unchanged} unchanged, {len(self.failures)} failed ({self.seconds:.1f} s{rate})"]
        if self.stale:
            out.append(f"{self.stale} stored articles were parsed by another pipeline or gazetteer version, or for "
                       "another home region; run again with --reparse to update them")
        for failure in self.failures[:max_failures]:
            out.append(f"  skipped: {failure}")
        if len(self.failures) > max_failures:
            out.append(f"  ... and {len(self.failures) - max_failures} more")
        return out


# --------------------------------------------------------------------------- worker side
def parse_to_record(parser, article_id: str, text: str) -> dict:
    """Parse one article into a store record: a pure function of ``(id, text)`` for a given parser."""
    return article_record(parser.parse(text, id=article_id))


# --------------------------------------------------------------------------- parent side
def _classify(store: StoreBase, article: ArticleInput, version: str, reparse: bool) -> str:
    """What to do with an input: NEW / UPDATED / REPARSED need parsing, UNCHANGED / STALE / COLLIDES do not."""
    status = store.article_status(article.id)
    if status is None:
        return NEW
    stored_hash, stored_version = status
    if stored_hash != article.content_hash:
        return UPDATED if same_origin(store.article_source(article.id), article.source) else COLLIDES
    if stored_version == version:
        return UNCHANGED
    return REPARSED if reparse else STALE


def ingest(paths: Iterable[str | Path], store: StoreBase, *, config: ParserConfig | None = None,
           workers: int | None = None, reparse: bool = False, progress: bool = True,
           on_stored: Callable[[str, str, ArticleInput], None] | None = None,
           cluster: ClusterSpec | None = None) -> IngestSummary:
    """Parse and store the articles in ``paths`` (files, directories, JSONL).

    Parameters
    ----------
    paths : iterable of path-like
        Text, Markdown, HTML and JSONL files, directories of them, globs and URLs: what
        :func:`geomap.reader.read_articles` reads.
    store : StoreBase
        An open, writable store (SQLite or PostgreSQL).
    config : ParserConfig, optional
        The parser the workers build (default: the default parser).
    workers : int, optional
        Worker processes (default: the number of CPUs); 1 parses in this process.
    reparse : bool
        Parse again the stored articles parsed by another pipeline or gazetteer version, or for
        another home region.
    progress : bool
        Show a progress bar on stderr (only on a terminal: :func:`gazetteer.progress.progress_bar`).
    on_stored : callable, optional
        Called as ``on_stored(outcome, article_id, article)`` after each article's batch is committed.
    cluster : ClusterSpec, optional
        Parse on this Dask cluster instead of ``workers`` local processes.

    Returns
    -------
    IngestSummary
    """
    from gazetteer.progress import progress_bar

    paths = list(paths)
    started = time.perf_counter()
    summary = IngestSummary()
    workers = (os.cpu_count() or 1) if workers is None else workers
    bar = progress_bar(total=count_articles(paths) if progress else None, unit=" articles", desc="ingest",
                       enabled=progress)

    def fail(message: str) -> None:
        summary.failures.append(message)
        bar.update(1)

    batch: list[tuple[dict, ArticleInput, str]] = []
    batch_started = 0.0

    def commit() -> None:
        """Write the parsed articles waiting in ``batch`` in one transaction, then count them."""
        if batch:
            store.save_records([(record, article.content_hash, summary.pipeline_version)
                                for record, article, _ in batch])
        for _, article, outcome in batch:
            summary.add(outcome)
            bar.update(1)
            if on_stored:
                on_stored(outcome, article.id, article)
        batch.clear()

    def parse_jobs() -> Iterator[tuple[tuple[ArticleInput, str], tuple[str, str]]]:
        """The articles to parse, as ParsePool jobs; those to leave alone are counted on the way."""
        for article, outcome in _plan(read_articles(paths, on_error=lambda exc: fail(str(exc))), store,
                                      summary.pipeline_version, reparse, fail):
            if outcome in (UNCHANGED, STALE):
                summary.add(outcome)
                bar.update(1)
            else:
                yield (article, outcome), (article.id, article.text)

    try:
        # Leaving the pool on an exception (Ctrl-C included) cancels what is not parsed yet.
        with open_pool(config or ParserConfig(), workers=workers, cluster=cluster) as pool:
            summary.pipeline_version = pool.version
            # Written as they come: a slow article does not hold back the commits of the others.
            for (article, outcome), record, error in pool.map(parse_to_record, parse_jobs(), ordered=False):
                if record is None:
                    fail(f"{article.source or article.id}: parsing failed ({error})")
                    continue
                record.update(title=article.title, source=article.source, meta=article.meta)
                if not batch:
                    batch_started = time.perf_counter()
                batch.append((record, article, outcome))
                if len(batch) >= BATCH_ARTICLES or time.perf_counter() - batch_started >= BATCH_SECONDS:
                    commit()
            commit()
    except KeyboardInterrupt:  # every committed article stays, and those parsed are committed; report what was done
        summary.interrupted = True
        commit()
    except WorkerDied:
        commit()
        raise WorkerDied(f"a parser process died (out of memory?) after {summary.stored} articles were stored in "
                          f"{store.path}; they are kept: run the same command again, with fewer --workers, "
                          "to go on") from None
    finally:
        bar.close()
        summary.seconds = time.perf_counter() - started
    return summary


def _plan(articles: Iterator[ArticleInput], store: StoreBase, version: str, reparse: bool,
          fail: Callable[[str], None]) -> Iterator[tuple[ArticleInput, str]]:
    """Pair each input with what to do, refusing a second, different article under an id seen in this run."""
    seen: dict[str, tuple[str, str | None]] = {}
    for article in articles:
        previous = seen.get(article.id)
        if previous is not None:
            if previous[0] != article.content_hash:
                fail(f"{article.source}: article id {article.id!r} is already used by {previous[1]} in this run; "
                     "give the articles distinct ids (file names, or the JSONL \"id\" field)")
            else:
                yield article, UNCHANGED
            continue
        seen[article.id] = (article.content_hash, article.source)
        outcome = _classify(store, article, version, reparse)
        if outcome == COLLIDES:
            fail(f"{article.source}: article id {article.id!r} is already stored from "
                 f"{store.article_source(article.id)} with another text; not stored over it: give the articles "
                 'distinct ids (ingest the folder above both files, so that ids keep the folders, or set the JSONL '
                 '"id" field)')
            continue
        yield article, outcome


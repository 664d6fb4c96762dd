"""What runs on a Dask worker: one :class:`Parser` per worker, built by a worker plugin, and the partition task.

This module imports ``distributed``: :mod:`geomap.cluster` imports it only once that package is known to be
installed.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import Callable
from typing import Any

from distributed import WorkerPlugin, get_worker

from geomap.batch import build_parser, run_task
from geomap.errors import ClusterError
from geomap.pipeline import Parser, ParserConfig


class ParserPlugin(WorkerPlugin):
    """Builds one :class:`Parser` on each worker when the worker starts (or joins later, replacing a dead one).

    A parser that cannot be built keeps its error and raises it from the first task, where the
    client sees it. The plugin's name depends on the configuration: a worker holds one parser
    for each configuration it has been given.
    """

    def __init__(self, config: ParserConfig):
        self.config = config
        digest = hashlib.sha1(repr(config).encode()).hexdigest()[:12]
        self.name = f"geomap-parser-{digest}"
        self.parser: Parser | None = None
        self.error: Exception | None = None
        self.lock = threading.Lock()  # a worker with several threads parses one partition at a time

    async def setup(self, worker) -> None:
        # Off the worker's event loop: a model loads for seconds, and the worker must keep answering.
        try:
            self.parser = await asyncio.get_running_loop().run_in_executor(None, build_parser, self.config)
        except Exception as exc:
            self.error = exc

    def __getstate__(self) -> dict:
        return {"config": self.config}  # the copy sent to the workers holds no parser

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["config"])


def _this_workers_plugin(name: str) -> ParserPlugin:
    plugin = get_worker().plugins.get(name)
    if plugin is None or (plugin.parser is None and plugin.error is None):
        raise ClusterError("this Dask worker has no geomap parser: it joined without the worker plugin")
    if plugin.error is not None:
        raise plugin.error
    return plugin


def worker_version(name: str) -> str:
    """The :attr:`Parser.version` of this worker's parser (raises the error that kept it from starting)."""
    return _this_workers_plugin(name).parser.version


def parse_partition(name: str, task: Callable, partition: list[tuple]) -> list[tuple[Any, str | None]]:
    """Run ``task(parser, *args)`` for each ``args`` of a partition on this worker's parser, as
    :data:`~geomap.batch.TaskOutcome` values."""
    plugin = _this_workers_plugin(name)
    with plugin.lock:
        return [run_task(plugin.parser, task, args) for args in partition]

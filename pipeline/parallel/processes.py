"""``--workers N``: the documents processed by N local worker processes.

Chunks of ``WORKER_CHUNK_SIZE`` files (smaller towards the end, so that the
workers finish together: :func:`~pipeline.parallel.balanced_chunks`) go to a
:class:`~concurrent.futures.ProcessPoolExecutor` of spawned processes; each
builds the pipeline for its first chunk and keeps it (``worker.py``). At most
``CHUNKS_IN_FLIGHT_PER_WORKER`` chunks per worker are submitted ahead and the
results come back in input order, so memory stays flat however large the corpus.

A worker that dies (killed, out of memory) breaks the pool, and every chunk in
flight is lost with it. Each of their documents is then tried once more, alone
in a worker process of its own, so that a document that kills its worker is
told apart from those that were only beside it; one whose retry kills the
worker too becomes an ``error`` row, and the run goes on in a new pool.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from pathlib import Path
from typing import Self

from pipeline.config import CHUNKS_IN_FLIGHT_PER_WORKER, WORKER_CHUNK_SIZE, Settings
from pipeline.parallel import BackendError, balanced_chunks
from pipeline.parallel.worker import one_at_a_time, process_chunk
from pipeline.records import InputFile
from pipeline.run import DocumentResult, OrderedMerge, ProcessedChunk, merged
from pipeline.text.dates import read_manifest

log = logging.getLogger(__name__)


Task = Callable[[Sequence[InputFile], Settings], ProcessedChunk]


class ProcessPool:
    """The documents of a run processed by ``settings.worker_count`` local processes, results in input order.

    ``task`` is what a worker runs on a chunk: :func:`~pipeline.parallel.worker.process_chunk`.

    >>> with ProcessPool(Settings(raw_dir=Path("raw"), workers=2)) as pool:
    ...     results = list(pool.results(files, OrderedMerge(RunSummary())))
    """

    datasets: Path | None = None

    def __init__(self, settings: Settings, *, task: Task = process_chunk) -> None:
        if settings.manifest:
            read_manifest(settings.manifest)  # a bad manifest stops the run here, before any worker starts
        self.settings = settings
        self.workers = settings.worker_count
        self.task = task
        self._context = multiprocessing.get_context("spawn")  # no fork of a process with threads (the progress bar)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass

    def results(self, files: Sequence[InputFile], merge: OrderedMerge) -> Iterator[DocumentResult]:
        """The results of ``files`` in their order, as ``merge`` decides them."""
        return merged(self._chunks(files), merge)

    def _chunks(self, files: Sequence[InputFile]) -> Iterator[ProcessedChunk]:
        source = balanced_chunks(files, WORKER_CHUNK_SIZE, workers=self.workers)
        window = self.workers * CHUNKS_IN_FLIGHT_PER_WORKER
        in_flight: deque[tuple[Sequence[InputFile], Future]] = deque()
        pool = self._pool(self.workers)
        try:
            while True:
                for chunk in islice(source, window - len(in_flight)):
                    in_flight.append((chunk, pool.submit(self.task, chunk, self.settings)))
                if not in_flight:
                    return
                chunk, future = in_flight.popleft()
                try:
                    done = [future.result()]
                except BrokenProcessPool:
                    pool.shutdown(wait=True)
                    done = self._recover([(chunk, future), *in_flight])
                    in_flight.clear()
                    pool = self._pool(self.workers)
                yield from done
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _recover(self, lost: list[tuple[Sequence[InputFile], Future]]) -> list[ProcessedChunk]:
        """The chunks that were in flight when a worker died: finished ones as they are, the others retried."""
        log.warning("a worker process died; its documents are tried again, one at a time")
        retry = _Alone(self)
        try:
            return [
                future.result() if future.done() and future.exception() is None else retry.chunk(chunk)
                for chunk, future in lost
            ]
        finally:
            retry.close()

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        """A new pool whose processes have started (a worker that cannot start is an error, not a death)."""
        pool = ProcessPoolExecutor(
            workers, mp_context=self._context, initializer=_take_log_levels, initargs=(_log_levels(),)
        )
        try:
            pool.submit(_started).result()
        except BrokenProcessPool as error:
            pool.shutdown()
            raise BackendError(
                "worker processes could not start (see the messages above); a script that calls extract() "
                'with workers needs the `if __name__ == "__main__":` guard'
            ) from error
        return pool


class _Alone:
    """Documents tried once more, one at a time, in a worker process that runs nothing else."""

    def __init__(self, owner: ProcessPool) -> None:
        self.owner = owner
        self._pool: ProcessPoolExecutor | None = None

    def chunk(self, files: Sequence[InputFile]) -> ProcessedChunk:
        return one_at_a_time(files, self._run, BrokenProcessPool)

    def _run(self, file: InputFile) -> ProcessedChunk:
        if self._pool is None:
            self._pool = self.owner._pool(1)
        try:
            return self._pool.submit(self.owner.task, [file], self.owner.settings).result()
        except BrokenProcessPool:
            self.close()  # the next document gets a fresh worker
            raise

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


def _started() -> bool:
    return True


def _log_levels() -> dict[str, int]:
    """The levels set on this process's loggers (the CLI's ``-v``/``-q``, quieted libraries), for the workers."""
    levels = {"": logging.getLogger().level}
    for name, logger in logging.Logger.manager.loggerDict.items():
        if isinstance(logger, logging.Logger) and logger.level != logging.NOTSET:
            levels[name] = logger.level
    return levels


def _take_log_levels(levels: dict[str, int]) -> None:
    """Log in a worker as in the process that started it (a spawned process starts without any set-up)."""
    logging.basicConfig(level=levels.get("", logging.WARNING), format="%(levelname)s: %(message)s")
    for name, level in levels.items():
        logging.getLogger(name or None).setLevel(level)

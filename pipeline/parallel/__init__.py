"""Scale-out: the documents of a run processed by worker processes (``--workers``) or a Dask cluster.

``pipeline.run`` stays the orchestrator: both backends call its
:class:`~pipeline.run.DocumentProcessor` on chunks of input files and give
the results back in input order, where :class:`~pipeline.run.OrderedMerge`
decides duplicates and counts the summary, so the tables equal those of one
process, row for row.

* ``processes.py``: a pool of local worker processes, chunks of ``WORKER_CHUNK_SIZE`` files;
* ``dask_backend.py``: partitions of ``DASK_PARTITION_SIZE`` files on a ``distributed`` cluster,
  each writing its part of each table as a Parquet file;
* ``worker.py``: what a worker process keeps: its pipeline, built once.

Both share the files out with :func:`balanced_chunks`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
# The smallest chunk at the end of a run, as a fraction of the full size: smaller ones cost more
# in scheduling than they save in waiting.
SMALLEST_CHUNK_FRACTION = 8


class BackendError(RuntimeError):
    """A backend that cannot run (dask missing, a scheduler out of reach); the message says why."""


def balanced_chunks(items: Sequence[T], size: int, *, workers: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of ``items`` of ``size`` items, smaller towards the end, for ``workers`` to share.

    With full chunks to the end, one worker may start the last one as the others
    finish theirs, and they wait for it: at 250 texts a partition, seconds. So
    no chunk is more than a ``2 * workers``-th of what is left (guided
    self-scheduling), and none less than ``size // SMALLEST_CHUNK_FRACTION``.

    >>> [len(chunk) for chunk in balanced_chunks(range(300), 64, workers=2)]
    [64, 59, 45, 33, 25, 19, 14, 11, 8, 8, 8, 6]
    """
    smallest = max(1, size // SMALLEST_CHUNK_FRACTION)
    start = 0
    while start < len(items):
        left = len(items) - start
        length = min(size, max(smallest, math.ceil(left / (2 * workers))))
        yield items[start : start + length]
        start += length

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
"""


class BackendError(RuntimeError):
    """A backend that cannot run (dask missing, a scheduler out of reach); the message says why."""

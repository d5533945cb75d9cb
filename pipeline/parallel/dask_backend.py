"""``--backend dask``: the documents processed on a Dask cluster, each partition writing its part of the tables.

The input files are shared out in partitions of ``DASK_PARTITION_SIZE`` paths
(smaller towards the end: :func:`~pipeline.parallel.balanced_chunks`): a
worker reads the files itself, so the input folder must be at the same path
on every worker (a shared filesystem), and so must the output folder, where
each partition writes its part of each table
(``<out>/.datasets-*/roles/part-00000.parquet``, ...). The worker returns
only what the ordered merge needs (the content digest of each text, whether
it came from the cache). Partitions are read back in input order: the merge
decides duplicates (a partition with one is written again without its rows)
and the single-file tables are written from the parts; at the end the
datasets move to ``<out>/documents/``, ``<out>/mentions/``, ``<out>/roles/``.

Without ``--scheduler`` the run starts a ``distributed.LocalCluster`` of
``--workers`` processes with one thread each; with it, it connects to a
running scheduler. The local cluster runs with
:data:`~pipeline.config.DASK_LOCAL_CLUSTER_CONFIG` (no statistical profiler
on its workers, bookkeeping timers once a second); a cluster of one's own keeps
its own configuration. A worker that dies takes its partitions along: the
scheduler retries them (``distributed.scheduler.allowed-failures`` times; 0 on
the local cluster) and then gives up with ``KilledWorker``. The documents of
such a partition are tried once more, one at a time; one whose try kills a
worker again becomes an ``error`` row.
"""

from __future__ import annotations

import logging
import shutil
from collections import defaultdict, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Self

from pipeline.config import CHUNKS_IN_FLIGHT_PER_WORKER, DASK_LOCAL_CLUSTER_CONFIG, DASK_PARTITION_SIZE, Settings
from pipeline.nlp.build import PipelineInfo
from pipeline.output.datasets import read_part, staging_folder, write_part
from pipeline.parallel import BackendError, balanced_chunks
from pipeline.parallel.worker import one_at_a_time, process_chunk
from pipeline.records import InputFile
from pipeline.run import DocumentResult, OrderedMerge, ProcessedChunk, ProcessedDocument
from pipeline.text.dates import read_manifest

try:
    import dask
    from distributed import Client, KilledWorker, LocalCluster
except ImportError:  # the optional extra is not installed; DaskBackend says how to install it
    dask = None

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = "10s"
INSTALL_HINT = "pip install 'municipal-roles[dask]'"


@dataclass(frozen=True)
class PartitionReport:
    """What a partition's task returns: its pipeline, and per document the digest and whether it was cached."""

    pipeline: PipelineInfo | None
    fingerprint: str
    documents: list[tuple[str | None, bool]]


def write_partition(
    files: Sequence[InputFile], settings: Settings, folder: Path, index: int, base: Path
) -> PartitionReport:
    """The task of a Dask worker: process ``files`` and write their rows as part ``index`` of the datasets."""
    chunk = process_chunk(files, settings, base)
    results = [processed.result for processed in chunk.documents]
    _write(folder, index, results)
    return PartitionReport(
        chunk.pipeline, chunk.fingerprint, [(processed.digest, processed.from_cache) for processed in chunk.documents]
    )


class DaskBackend:
    """The documents of a run processed on a Dask cluster (a local one, or the one at ``settings.scheduler``).

    >>> with DaskBackend(Settings(raw_dir=Path("raw"), backend="dask", workers=2)) as backend:
    ...     results = list(backend.results(files, OrderedMerge(RunSummary())))
    """

    def __init__(self, settings: Settings) -> None:
        if dask is None:
            raise BackendError(f"the dask backend needs the dask extra: {INSTALL_HINT}")
        if settings.manifest:
            read_manifest(settings.manifest)  # a bad manifest stops the run here, before the cluster starts
        self.settings = _absolute(settings)
        self.base = Path.cwd()  # where the relative paths of the input files start
        self.datasets: Path | None = None
        self._cluster: LocalCluster | None = None
        self._client: Client | None = None

    def __enter__(self) -> Self:
        try:
            self._client = self._connect()
            self.datasets = staging_folder(self.settings.out_dir)
        except BaseException:
            self._close()
            raise
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        self._close()
        if exc_type is not None and self.datasets is not None and self.datasets.exists():
            shutil.rmtree(self.datasets)

    def _connect(self) -> Client:
        address = self.settings.scheduler
        if address is not None:
            try:
                return Client(address, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as error:
                raise BackendError(f"cannot reach the Dask scheduler at {address}: {error}") from error
        with dask.config.set(DASK_LOCAL_CLUSTER_CONFIG):
            self._cluster = LocalCluster(
                n_workers=self.settings.worker_count, threads_per_worker=1, processes=True, dashboard_address=":0"
            )
        return Client(self._cluster)

    def _close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def results(self, files: Sequence[InputFile], merge: OrderedMerge) -> Iterator[DocumentResult]:
        """The results of ``files`` in their order, as ``merge`` decides them, read back from the partitions' parts."""
        workers = max(1, len(self._client.scheduler_info()["workers"]))
        window = workers * CHUNKS_IN_FLIGHT_PER_WORKER
        source = enumerate(balanced_chunks(files, DASK_PARTITION_SIZE, workers=workers))
        in_flight: deque = deque()
        while True:
            for index, part in islice(source, window - len(in_flight)):
                future = self._client.submit(
                    write_partition, part, self.settings, self.datasets, index, self.base, pure=False
                )
                in_flight.append((index, part, future))
            if not in_flight:
                return
            index, part, future = in_flight.popleft()
            try:
                chunk, written = _read_chunk(self.datasets, index, future.result()), True
            except KilledWorker:
                chunk, written = self._one_at_a_time(part), False
            results = merge.admit(chunk)
            pairs = zip(results, chunk.documents, strict=True)
            changed = any(result is not processed.result for result, processed in pairs)
            if changed or not written:
                _write(self.datasets, index, results)  # the part as the tables have it
            yield from results

    def _one_at_a_time(self, files: Sequence[InputFile]) -> ProcessedChunk:
        """The documents of a partition whose worker died, each tried alone; one that kills a worker again fails."""
        log.warning("a Dask worker died; the documents of its partition are tried again, one at a time")
        return one_at_a_time(
            files,
            lambda file: self._client.submit(process_chunk, [file], self.settings, self.base, pure=False).result(),
            KilledWorker,
        )


def _read_chunk(folder: Path, index: int, report: PartitionReport) -> ProcessedChunk:
    """A partition's rows, read from its parts, with the digests of its report."""
    documents, mentions, roles = read_part(folder, index)
    mentions_of, roles_of = defaultdict(list), defaultdict(list)
    for mention in mentions:
        mentions_of[mention.doc_id].append(mention)
    for role in roles:
        roles_of[role.doc_id].append(role)
    processed = [
        ProcessedDocument(DocumentResult(document, mentions_of[document.doc_id], roles_of[document.doc_id]), *outline)
        for document, outline in zip(documents, report.documents, strict=True)
    ]
    return ProcessedChunk(processed, report.pipeline, report.fingerprint)


def _write(folder: Path, index: int, results: Sequence[DocumentResult]) -> None:
    write_part(
        folder,
        index,
        documents=[result.document for result in results],
        mentions=[mention for result in results for mention in result.mentions],
        roles=[role for result in results for role in result.roles],
    )


def _absolute(settings: Settings) -> Settings:
    """``settings`` with absolute paths: a worker may run in another folder, or on another machine."""
    return replace(
        settings,
        raw_dir=settings.raw_dir.absolute(),
        out_dir=settings.out_dir.absolute(),
        manifest=settings.manifest.absolute() if settings.manifest else None,
        pattern_dirs=tuple(folder.absolute() for folder in settings.pattern_dirs),
    )

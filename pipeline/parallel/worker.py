"""What a worker process keeps between its tasks: one :class:`DocumentProcessor`, built on first use.

Building the pipeline takes seconds, so a worker process (of ``--workers`` or
of a Dask cluster) builds it for the first chunk it gets and reuses it for
every later chunk of the same run. Only the latest is kept, so memory stays
that of one pipeline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.config import Settings
from pipeline.records import DocumentRow, InputFile
from pipeline.run import DocumentProcessor, DocumentResult, ProcessedChunk, ProcessedDocument

log = logging.getLogger(__name__)

DIED_TWICE = "worker process died twice while processing this document (killed, or out of memory)"

_built: tuple[Settings, DocumentProcessor] | None = None


def processor_for(settings: Settings) -> DocumentProcessor:
    """This process's processor for ``settings``, built once."""
    global _built
    if _built is None or _built[0] != settings:
        _built = None  # the old pipeline goes before the new one is built
        _built = (settings, DocumentProcessor.build(settings))
    return _built[1]


def process_chunk(files: Sequence[InputFile], settings: Settings, base: Path | None = None) -> ProcessedChunk:
    """The task of a worker: the results of ``files``, in their order (see :meth:`DocumentProcessor.process`)."""
    return processor_for(settings).process(files, base=base)


def one_at_a_time(
    files: Sequence[InputFile],
    run_alone: Callable[[InputFile], ProcessedChunk],
    worker_died: type[BaseException] | tuple[type[BaseException], ...],
) -> ProcessedChunk:
    """The documents of a chunk whose worker died, each run alone; one that kills its worker again fails.

    ``run_alone`` processes one file in a worker and raises ``worker_died`` when that worker dies;
    the document then gets an ``error`` row with the reason, and the others go on.
    """
    documents: list[ProcessedDocument] = []
    last: ProcessedChunk | None = None
    for file in files:
        try:
            last = run_alone(file)
        except worker_died:
            log.error("%s: %s", file.path, DIED_TWICE)
            row = DocumentRow(file.doc_id, str(file.path), status="error", message=DIED_TWICE)
            documents.append(ProcessedDocument(DocumentResult(row, [], [])))
            continue
        documents.extend(last.documents)
    return ProcessedChunk(documents, last.pipeline if last else None, last.fingerprint if last else "")

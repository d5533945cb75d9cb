"""What a worker process keeps between its tasks: one :class:`DocumentProcessor`, built on first use.

Building the pipeline takes seconds, so a worker process (of ``--workers`` or
of a Dask cluster) builds it for the first chunk it gets and reuses it for
every later chunk of the same run. Only the latest is kept, so memory stays
that of one pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.config import Settings
from pipeline.records import InputFile
from pipeline.run import DocumentProcessor, ProcessedChunk

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

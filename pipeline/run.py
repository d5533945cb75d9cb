"""Run the stages over a folder: ingest -> clean -> nlp -> roles/dates/link -> tables.

Documents stream through: files are read lazily, ``nlp.pipe`` works in
batches, and rows go to the table files as each document is done, so memory
does not grow with the corpus. A file that cannot be read or processed gets
an ``error`` row in ``documents`` with the reason, and the run goes on.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Protocol, Self

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.across import CrossDocumentSummary, write_cross_document_tables
from pipeline.config import MODEL_BATCH_SIZE, YOUNG_COLLECTION_THRESHOLD, Settings
from pipeline.link.holders import link_roles
from pipeline.link.places import document_municipality
from pipeline.link.roles import CategoryRules, load_category_rules
from pipeline.nlp.build import PipelineInfo, add_rule_components, load_base_model
from pipeline.output.cache import ResultCache, pipeline_fingerprint
from pipeline.output.datasets import copy_column, place_datasets
from pipeline.output.tables import TableWriter
from pipeline.parallel import BackendError
from pipeline.records import CleanDocument, DocumentRow, InputFile, MentionRow, PublicationDate, RoleRow
from pipeline.rules.patterns import all_pattern_files
from pipeline.text.clean import clean
from pipeline.text.dates import find_publication_date, find_reference_month, read_manifest
from pipeline.text.ingest import DuplicateFinder, IngestError, content_digest, discover, read

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    """What a run did, for the closing summary and the exit code."""

    model: str = ""
    documents: int = 0
    ok: int = 0
    skipped: int = 0
    duplicates: int = 0
    failed: int = 0
    roles: int = 0
    digital_roles: int = 0
    persons: int = 0  # across documents (pipeline.across)
    tenures: int = 0
    cached: int = 0  # documents whose rows came from an earlier run (--incremental)
    guessed_encodings: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentResult:
    """Everything one document contributes to the tables."""

    document: DocumentRow
    mentions: list[MentionRow]
    roles: list[RoleRow]


def extract(settings: Settings, *, on_document: Callable[[], None] | None = None) -> RunSummary:
    """Process every file under ``settings.raw_dir`` and write the tables to ``settings.out_dir``.

    The documents are processed in this process, by ``settings.workers`` worker processes or on a Dask
    cluster (``settings.backend``); the tables are the same, row for row, whichever does the work.
    """
    started = time.perf_counter()
    summary = RunSummary()
    files = list(discover(settings.raw_dir))
    with _collecting_rarely(), _backend(settings) as backend:
        with TableWriter(settings.out_dir) as tables:
            for result in backend.results(files, OrderedMerge(summary)):
                tables.add(documents=[result.document], mentions=result.mentions, roles=result.roles)
                if on_document is not None:
                    on_document()
        across = _finish_tables(settings.out_dir, datasets=backend.datasets)
    summary.persons, summary.tenures = across.persons, across.tenures
    if summary.guessed_encodings:
        log.warning(
            "%d file(s) were not UTF-8 and their encoding was guessed; documents.message names it",
            summary.guessed_encodings,
        )
    summary.seconds = time.perf_counter() - started
    return summary


def _backend(settings: Settings) -> Backend:
    """Where the documents are processed: here, in worker processes, or on a Dask cluster."""
    if settings.backend == "dask":
        from pipeline.parallel.dask_backend import DaskBackend  # dask is an optional dependency

        return DaskBackend(settings)
    if settings.worker_count > 1:
        from pipeline.parallel.processes import ProcessPool

        return ProcessPool(settings)
    return InProcess(DocumentProcessor.build(settings))


def _finish_tables(out_dir: Path, *, datasets: Path | None) -> CrossDocumentSummary:
    """What follows once the three tables are in place: the cross-document stage adds ``person_id``
    to the roles (and to the roles dataset of a Dask run) and writes the tenures; the datasets join the tables.

    Datasets left by an earlier Dask run are removed when this run made none: they would no
    longer match the tables.
    """
    across = write_cross_document_tables(out_dir)
    if datasets is not None:
        copy_column(out_dir / "roles.parquet", datasets / "roles", "person_id")
    place_datasets(out_dir, datasets)
    return across


def _collect_rarely() -> None:
    """Keep what lives as long as the run out of the garbage collector's way.

    The objects made so far (modules, and in a processing process the pipeline's gazetteers, patterns
    and vocabulary) are frozen out of the full passes; young collections come every
    ``YOUNG_COLLECTION_THRESHOLD`` allocations, so that they scan the short-lived tokens, spans and
    rows of a document less often (together about 13 % of processing time at 1,000 documents).
    """
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])


@contextmanager
def _collecting_rarely() -> Iterator[None]:
    """:func:`_collect_rarely` for the time of a run; afterwards the collector works as it did before.

    Frozen objects are unfrozen after the run, so that its pipeline may go, unless the caller had
    frozen some before: only all of them can be unfrozen.
    """
    thresholds, frozen_before = gc.get_threshold(), gc.get_freeze_count()
    _collect_rarely()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()
        gc.set_threshold(*thresholds)


def count_inputs(settings: Settings) -> int:
    """How many files a run over ``settings.raw_dir`` will report, for a progress bar."""
    return sum(1 for _ in discover(settings.raw_dir))


@dataclass(frozen=True)
class ProcessedDocument:
    """One document's result as a worker gives it, with what the ordered merge decides on."""

    result: DocumentResult
    digest: str | None = None  # content_digest of the text read; None when the file was not read
    from_cache: bool = False


@dataclass(frozen=True)
class ProcessedChunk:
    """The results of consecutive documents, in input order, and the pipeline that produced them."""

    documents: list[ProcessedDocument]
    pipeline: PipelineInfo | None = None  # None when no worker survived any of the documents
    fingerprint: str = ""


class Backend(Protocol):
    """Processes the documents somewhere and gives their results in input order."""

    datasets: Path | None  # Parquet datasets written on the way (the Dask backend), to be put beside the tables

    def results(self, files: Sequence[InputFile], merge: OrderedMerge) -> Iterator[DocumentResult]: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...


def merged(chunks: Iterable[ProcessedChunk], merge: OrderedMerge) -> Iterator[DocumentResult]:
    """The results of ``chunks``, given in input order, as the merge decides them."""
    for chunk in chunks:
        yield from merge.admit(chunk)


def chunked(files: Sequence[InputFile], size: int) -> Iterator[Sequence[InputFile]]:
    """Consecutive slices of ``files`` of ``size`` files (the last one shorter)."""
    for start in range(0, len(files), size):
        yield files[start : start + size]


class InProcess:
    """The documents processed in this process, a batch at a time."""

    datasets = None

    def __init__(self, processor: DocumentProcessor) -> None:
        self.processor = processor

    def results(self, files: Sequence[InputFile], merge: OrderedMerge) -> Iterator[DocumentResult]:
        return merged(map(self.processor.process, chunked(files, self.processor.settings.batch_size)), merge)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass


class OrderedMerge:
    """What only the whole run knows, decided in input order: duplicates, cache hits, the summary.

    A text that an earlier document had already (after the whitespace and Unicode normalisation of
    :func:`content_digest`) becomes a ``duplicate`` row without mentions or roles, whichever worker
    processed the two; so the tables do not depend on how the documents were shared out.

    >>> merge = OrderedMerge(RunSummary())
    >>> [result.document.status for result in merge.admit(chunk)]
    ['ok', 'duplicate']
    """

    def __init__(self, summary: RunSummary) -> None:
        self.summary = summary
        self._duplicates = DuplicateFinder()
        self._fingerprint = ""

    def admit(self, chunk: ProcessedChunk) -> list[DocumentResult]:
        """The final results of ``chunk``, counted in the summary."""
        if chunk.pipeline is not None:
            self._check_pipeline(chunk)
        return [self._admit(document) for document in chunk.documents]

    def _check_pipeline(self, chunk: ProcessedChunk) -> None:
        if not self._fingerprint:
            self._fingerprint = chunk.fingerprint
            self.summary.model = chunk.pipeline.model
            if chunk.pipeline.fallback_reason:
                log.warning(chunk.pipeline.fallback_reason)
        elif chunk.fingerprint != self._fingerprint:
            raise BackendError(
                f"workers run different pipelines (model {self.summary.model} and {chunk.pipeline.model}, "
                "or other versions or rule files): install the same on every worker"
            )

    def _admit(self, processed: ProcessedDocument) -> DocumentResult:
        result = processed.result
        if processed.digest is not None:
            document = result.document
            earlier = self._duplicates.first_seen(document.doc_id, processed.digest)
            if earlier is not None:
                row = DocumentRow(document.doc_id, document.path, status="duplicate", message=f"same text as {earlier}")
                result = DocumentResult(row, [], [])
            elif processed.from_cache:
                self.summary.cached += 1
        _count(self.summary, result)
        return result


def _count(summary: RunSummary, result: DocumentResult) -> None:
    summary.documents += 1
    status = result.document.status
    if status == "ok":
        summary.ok += 1
        summary.guessed_encodings += result.document.message.startswith("encoding guessed")
    elif status == "skipped":
        summary.skipped += 1
    elif status == "duplicate":
        summary.duplicates += 1
    else:
        summary.failed += 1
        summary.failures.append(f"{result.document.path}: {result.document.message}")
    summary.roles += len(result.roles)
    summary.digital_roles += sum(1 for row in result.roles if row.digital)


@dataclass(frozen=True)
class _Prepared:
    """A cleaned document on its way to the pipeline, with what its result needs."""

    document: CleanDocument
    published: PublicationDate | None
    cache_key: str | None
    digest: str
    note: str = ""  # for documents.message, e.g. a guessed encoding


class DocumentProcessor:
    """The work on each document, read -> clean -> nlp -> link -> rows, with the pipeline built once.

    Every backend calls :meth:`process`: this process, each worker process of ``--workers`` and each
    Dask worker (see ``pipeline.parallel.worker``). With ``--incremental`` it reads rows from the cache
    and stores new ones there, each entry one atomic file, so workers may share the cache.

    >>> processor = DocumentProcessor.build(Settings(raw_dir=Path("raw")))
    >>> chunk = processor.process(list(discover(Path("raw")))[:10])
    """

    def __init__(
        self,
        nlp: Language,
        rules: CategoryRules,
        *,
        settings: Settings,
        manifest: dict[str, date] | None = None,
        cache: ResultCache | None = None,
        pipeline: PipelineInfo | None = None,
        fingerprint: str = "",
    ) -> None:
        self.nlp = nlp
        self.rules = rules
        self.settings = settings
        self.manifest = manifest or {}
        self.cache = cache
        self.pipeline = pipeline
        self.fingerprint = fingerprint

    @classmethod
    def build(cls, settings: Settings) -> DocumentProcessor:
        """Load the manifest, the pipeline and the rules of ``settings`` (the fallback warning is the merge's)."""
        manifest = read_manifest(settings.manifest) if settings.manifest else {}
        nlp, info = load_base_model(settings.model)
        add_rule_components(nlp, pattern_dirs=settings.pattern_dirs)
        rules = load_category_rules(settings.pattern_dirs)
        fingerprint = pipeline_fingerprint(nlp, all_pattern_files(settings.pattern_dirs))
        cache = ResultCache(settings.out_dir, fingerprint) if settings.incremental else None
        _collect_rarely()  # for as long as this process runs: a worker keeps its processor
        return cls(
            nlp, rules, settings=settings, manifest=manifest, cache=cache, pipeline=info, fingerprint=fingerprint
        )

    def process(self, files: Sequence[InputFile], *, base: Path | None = None) -> ProcessedChunk:
        """The results of ``files``, in their order; ``base`` is the folder their relative paths start from.

        A file's path stays in the rows as it is given; ``base`` only says where to read it (a worker
        on another machine, or in another working folder, gets the folder the run started in).
        """
        items = [self._prepare(file, base) for file in files]
        prepared = [item for item in items if isinstance(item, _Prepared)]
        annotated = iter(_annotate(self.nlp, [item.document for item in prepared]))
        documents = [self._finish(item, next(annotated)) if isinstance(item, _Prepared) else item for item in items]
        return ProcessedChunk(documents, self.pipeline, self.fingerprint)

    def _prepare(self, file: InputFile, base: Path | None) -> _Prepared | ProcessedDocument:
        """The document ready for the pipeline, its cached result, or the file's row with the reason it is not read."""
        if file.status != "ok":
            return ProcessedDocument(DocumentResult(_file_row(file), [], []))
        try:
            raw = read(replace(file, path=base / file.path) if base else file, max_bytes=self.settings.max_file_bytes)
        except IngestError as error:
            return ProcessedDocument(DocumentResult(_file_row(file, status="error", message=str(error)), [], []))
        raw = replace(raw, path=file.path)
        digest = content_digest(raw.text)
        key = self.cache.key(raw, self.manifest.get(raw.doc_id) or raw.metadata_date) if self.cache else None
        cached = self.cache.get(key) if self.cache else None
        if cached is not None:
            return ProcessedDocument(DocumentResult(*cached), digest, from_cache=True)
        try:
            document = replace(clean(raw), metadata_date=raw.metadata_date)
        except Exception as error:  # a bug must not end a run over thousands of files
            log.exception("cleaning %s failed", file.path)
            row = _file_row(file, status="error", message=f"cleaning failed: {error}")
            return ProcessedDocument(DocumentResult(row, [], []), digest)
        note = "" if raw.encoding.startswith("utf") else f"encoding guessed: {raw.encoding}"
        return _Prepared(document, _publication_date(document, self.manifest), key, digest, note)

    def _finish(self, item: _Prepared, doc: Doc | Exception) -> ProcessedDocument:
        result = _result(item, doc, self.rules)
        if self.cache is not None and item.cache_key is not None and result.document.status == "ok":
            self.cache.put(item.cache_key, result.document, result.mentions, result.roles)
        return ProcessedDocument(result, item.digest)


def process(
    files: Iterable[InputFile],
    nlp: Language,
    rules: CategoryRules,
    *,
    settings: Settings,
    manifest: dict[str, date] | None = None,
    cache: ResultCache | None = None,
) -> Iterator[DocumentResult]:
    """Results for each file, in the order of ``files``, with an already built pipeline."""
    processor = DocumentProcessor(nlp, rules, settings=settings, manifest=manifest, cache=cache)
    merge = OrderedMerge(RunSummary())
    batch: list[InputFile] = []
    for file in files:
        batch.append(file)
        if len(batch) >= settings.batch_size:
            yield from merge.admit(processor.process(batch))
            batch = []
    yield from merge.admit(processor.process(batch))


def _result(item: _Prepared, doc: Doc | Exception, rules: CategoryRules) -> DocumentResult:
    if isinstance(doc, Exception):
        return DocumentResult(_file_row(item.document, status="error", message=f"nlp failed: {doc}"), [], [])
    try:
        result = document_result(item.document, doc, rules, published=item.published)
        result.document.message = item.note
        return result
    except Exception as error:  # a bug must not end a run over thousands of files
        log.exception("linking %s failed", item.document.path)
        row = _file_row(item.document, status="error", message=f"extraction failed: {error}")
        return DocumentResult(row, [], [])


def _annotate(nlp: Language, cleaned: list[CleanDocument]) -> list[Doc | Exception]:
    """Run the pipeline over a batch; if the batch fails, find the document that did."""
    texts = [item.text for item in cleaned]
    try:
        return list(nlp.pipe(texts, batch_size=MODEL_BATCH_SIZE))
    except Exception:  # noqa: BLE001  (each document is tried alone below)
        results: list[Doc | Exception] = []
        for text in texts:
            try:
                results.append(nlp(text))
            except Exception as error:  # noqa: BLE001  (the document gets an error row with the reason)
                results.append(error)
        return results


def _publication_date(document: CleanDocument, manifest: dict[str, date]) -> PublicationDate | None:
    """The manifest's date where it has one, else the date the text or file name gives."""
    if document.doc_id in manifest:
        return PublicationDate(manifest[document.doc_id], "manifest")
    if document.metadata_date is not None:
        return PublicationDate(document.metadata_date, "metadata")
    return find_publication_date(document.text, filename=document.path.name)


def document_result(
    document: CleanDocument, doc: Doc, rules: CategoryRules, *, published: PublicationDate | None
) -> DocumentResult:
    """Mentions and role rows of one annotated document."""
    municipality = document_municipality(doc)
    roles = link_roles(
        doc,
        document,
        published=published.value if published else None,
        rules=rules,
        municipality=municipality,
        reference=None if published else find_reference_month(document.text),
    )
    row = DocumentRow(
        doc_id=document.doc_id,
        path=str(document.path),
        title=document.title,
        published=published.value if published else None,
        published_source=published.source if published else "",
        municipality=municipality.name if municipality else "",
        n_chars=len(document.raw_text),
        status="ok",
    )
    return DocumentResult(row, list(_mentions(document, doc)), roles)


def _mentions(document: CleanDocument, doc: Doc) -> Iterator[MentionRow]:
    for ent in doc.ents:
        start, end = document.to_raw(ent.start_char, ent.end_char)
        yield MentionRow(document.doc_id, document.raw_text[start:end], ent.label_, start, end, ent.id_ or "model")


def _file_row(item: InputFile | CleanDocument, *, status: str | None = None, message: str | None = None) -> DocumentRow:
    if isinstance(item, CleanDocument):
        return DocumentRow(
            item.doc_id,
            str(item.path),
            item.title,
            n_chars=len(item.raw_text),
            status=status or "error",
            message=message or "",
        )
    return DocumentRow(item.doc_id, str(item.path), status=status or item.status, message=message or item.message)

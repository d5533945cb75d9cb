"""Run the stages over a folder: ingest -> clean -> nlp -> roles/dates/link -> tables.

Documents stream through: files are read lazily, ``nlp.pipe`` works in
batches, and rows go to the table files as each document is done, so memory
does not grow with the corpus. A file that cannot be read or processed gets
an ``error`` row in ``documents`` with the reason, and the run goes on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.across import write_cross_document_tables
from pipeline.config import MODEL_BATCH_SIZE, Settings
from pipeline.link.holders import link_roles
from pipeline.link.places import document_municipality
from pipeline.link.roles import CategoryRules, load_category_rules
from pipeline.nlp.build import build_pipeline
from pipeline.output.cache import ResultCache, pipeline_fingerprint
from pipeline.output.tables import TableWriter
from pipeline.records import CleanDocument, DocumentRow, InputFile, MentionRow, PublicationDate, RoleRow
from pipeline.rules.patterns import all_pattern_files
from pipeline.text.clean import clean
from pipeline.text.dates import find_publication_date, find_reference_month, read_manifest
from pipeline.text.ingest import DuplicateFinder, IngestError, discover, read

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
    """Process every file under ``settings.raw_dir`` and write the tables to ``settings.out_dir``."""
    started = time.perf_counter()
    manifest = read_manifest(settings.manifest) if settings.manifest else {}
    nlp, info = build_pipeline(settings.model, pattern_dirs=settings.pattern_dirs)
    rules = load_category_rules(settings.pattern_dirs)
    summary = RunSummary(model=info.model)
    files = list(discover(settings.raw_dir))
    cache = None
    if settings.incremental:
        fingerprint = pipeline_fingerprint(nlp, all_pattern_files(settings.pattern_dirs))
        cache = ResultCache(settings.out_dir, fingerprint)
    with TableWriter(settings.out_dir) as tables:
        for result in process(files, nlp, rules, settings=settings, manifest=manifest, cache=cache):
            tables.add(documents=[result.document], mentions=result.mentions, roles=result.roles)
            _count(summary, result)
            if on_document is not None:
                on_document()
    across = write_cross_document_tables(settings.out_dir)
    summary.persons, summary.tenures = across.persons, across.tenures
    if summary.guessed_encodings:
        log.warning(
            "%d file(s) were not UTF-8 and their encoding was guessed; documents.message names it",
            summary.guessed_encodings,
        )
    summary.seconds = time.perf_counter() - started
    summary.cached = cache.hits if cache is not None else 0
    return summary


def count_inputs(settings: Settings) -> int:
    """How many files a run over ``settings.raw_dir`` will report, for a progress bar."""
    return sum(1 for _ in discover(settings.raw_dir))


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
    note: str = ""  # for documents.message, e.g. a guessed encoding


def process(
    files: Iterable[InputFile],
    nlp: Language,
    rules: CategoryRules,
    *,
    settings: Settings,
    manifest: dict[str, date] | None = None,
    cache: ResultCache | None = None,
) -> Iterator[DocumentResult]:
    """Results for each file, in the order of ``files``."""
    pending: list[InputFile | _Prepared | DocumentResult] = []
    for item in _prepared(files, settings, manifest or {}, cache):
        pending.append(item)
        if len(pending) >= settings.batch_size:
            yield from _finish(pending, nlp, rules, cache)
            pending = []
    yield from _finish(pending, nlp, rules, cache)


def _prepared(
    files: Iterable[InputFile], settings: Settings, manifest: dict[str, date], cache: ResultCache | None
) -> Iterator[InputFile | _Prepared | DocumentResult]:
    """Documents ready for the pipeline, cached results, or the file with the reason it is not processed."""
    duplicates = DuplicateFinder()
    for file in files:
        if file.status != "ok":
            yield file
            continue
        try:
            raw = read(file, max_bytes=settings.max_file_bytes)
        except IngestError as error:
            yield InputFile(file.doc_id, file.path, "error", str(error))
            continue
        earlier = duplicates.first_seen(raw)
        if earlier is not None:
            yield InputFile(file.doc_id, file.path, "duplicate", f"same text as {earlier}")
            continue
        key = cache.key(raw, manifest.get(raw.doc_id) or raw.metadata_date) if cache is not None else None
        cached = cache.get(key) if cache is not None else None
        if cached is not None:
            yield DocumentResult(*cached)
            continue
        try:
            document = replace(clean(raw), metadata_date=raw.metadata_date)
        except Exception as error:  # a bug must not end a run over thousands of files
            log.exception("cleaning %s failed", file.path)
            yield InputFile(file.doc_id, file.path, "error", f"cleaning failed: {error}")
            continue
        note = "" if raw.encoding.startswith("utf") else f"encoding guessed: {raw.encoding}"
        yield _Prepared(document, _publication_date(document, manifest), key, note)


def _finish(
    batch: list[InputFile | _Prepared | DocumentResult],
    nlp: Language,
    rules: CategoryRules,
    cache: ResultCache | None,
) -> Iterator[DocumentResult]:
    prepared = [item for item in batch if isinstance(item, _Prepared)]
    docs = dict(zip((item.document.doc_id for item in prepared), _annotate(nlp, [p.document for p in prepared])))
    for item in batch:
        if isinstance(item, DocumentResult):
            yield item
        elif isinstance(item, InputFile):
            yield DocumentResult(_file_row(item), [], [])
        else:
            result = _result(item, docs[item.document.doc_id], rules)
            if cache is not None and item.cache_key is not None and result.document.status == "ok":
                cache.put(item.cache_key, result.document, result.mentions, result.roles)
            yield result


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

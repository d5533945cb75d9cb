"""Reading an output folder of ``extract`` into the records the review page shows.

The tables are the contract: ``documents.parquet`` and ``roles.parquet`` as
:data:`pipeline.output.tables.SCHEMAS` describes them (a ``person_id`` column
is used when present), and ``tenures.parquet`` when a run wrote one. The raw
texts come from ``documents.path`` through the ingest stage, so a text is
decoded exactly as it was for the run and the offsets of the roles point
into it.

>>> tables = read_output(Path("output"))
>>> len(tables.rows), tables.tenures is None
(33, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa

from pipeline.config import MAX_FILE_BYTES
from pipeline.output.tables import SCHEMAS, read_parquet
from pipeline.records import InputFile
from pipeline.text.ingest import IngestError, read

DOCUMENT_COLUMNS = ("doc_id", "path", "title", "published", "municipality", "status", "message")
# The columns a review needs: all of the roles table but the cross-document person_id (read where present).
ROLE_COLUMNS = tuple(name for name in SCHEMAS["roles"].names if name != "person_id")
TENURE_COLUMNS = (
    "person",
    "role",
    "role_category",
    "digital",
    "organisation",
    "municipality",
    "start",
    "end",
    "first_attested",
    "last_attested",
    "status_at_last",
    "doc_id",
)


class ReportError(ValueError):
    """An output folder the page cannot be built from; the message names the folder or file."""


@dataclass(frozen=True)
class ReportDocument:
    """One row of ``documents``: what the page says about a document."""

    doc_id: str
    path: str
    title: str
    published: str  # ISO date or ""
    municipality: str
    status: str
    message: str


@dataclass(frozen=True)
class ReportRole:
    """One row of ``roles``, with dates as ISO strings and empty strings for missing values."""

    doc_id: str
    person: str
    person_id: str
    role: str
    role_category: str
    digital: bool
    organisation: str
    municipality: str
    as_of: str
    start: str
    end: str
    status: str
    evidence: str
    start_char: int
    end_char: int
    rule: str

    @property
    def key(self) -> str:
        """What identifies the row across rebuilds of the page, so that reviews stay with it."""
        return f"{self.doc_id}|{self.start_char}|{self.end_char}|{self.person}|{self.role_category}|{self.role}"


@dataclass(frozen=True)
class Tenure:
    """One row of ``tenures``: who held a role from when to when, across documents."""

    person: str
    role: str
    role_category: str
    digital: bool
    organisation: str
    municipality: str
    start: str  # as precise as known: YYYY, YYYY-MM or YYYY-MM-DD; "" when unknown
    end: str
    first_attested: str  # ISO dates
    last_attested: str
    status_at_last: str  # current / former / future
    doc_id: str


@dataclass(frozen=True)
class OutputTables:
    """The tables of one output folder; ``tenures`` is None where the run wrote none."""

    folder: Path
    documents: list[ReportDocument]
    rows: list[ReportRole]
    tenures: list[Tenure] | None


@dataclass(frozen=True)
class DocumentText:
    """The raw text of a document as the run read it, or why it is unavailable."""

    text: str | None
    problem: str = ""


def read_output(folder: Path) -> OutputTables:
    """The documents, roles and (where present) tenures of an output folder of ``extract``.

    Raises :class:`ReportError` for a folder without ``documents.parquet`` or a table that cannot be read.
    A folder without ``roles.parquet`` has no roles.
    """
    if not folder.is_dir():
        raise ReportError(f"{folder}: not a folder")
    if not (folder / "documents.parquet").is_file():
        raise ReportError(f"{folder}: no documents.parquet; give the --out folder of an extract run")
    documents = [
        ReportDocument(**_strings(record, DOCUMENT_COLUMNS))
        for record in _records(folder / "documents.parquet", DOCUMENT_COLUMNS)
    ]
    roles_file = folder / "roles.parquet"
    rows = [_role(record) for record in _records(roles_file, ROLE_COLUMNS)] if roles_file.is_file() else []
    tenures_file = folder / "tenures.parquet"
    tenures = [_tenure(record) for record in _records(tenures_file, TENURE_COLUMNS)] if tenures_file.is_file() else None
    return OutputTables(folder, documents, rows, tenures)


def read_text(document: ReportDocument) -> DocumentText:
    """The raw text of ``document`` read from its path, decoded as ``extract`` decoded it.

    A relative path is taken from the current folder, as ``extract`` wrote it.
    """
    if document.status != "ok":
        return DocumentText(None, f"the document was not processed ({document.status})")
    try:
        return DocumentText(read(InputFile(document.doc_id, Path(document.path)), max_bytes=MAX_FILE_BYTES).text)
    except (IngestError, OSError) as error:
        return DocumentText(None, f"the text is unavailable: {error}")


def _records(path: Path, columns: Iterable[str]) -> list[dict]:
    try:
        table = read_parquet(path)
    except (OSError, pa.ArrowException) as error:
        raise ReportError(f"{path}: cannot read the table: {error}") from error
    missing = [column for column in columns if column not in table.column_names]
    if missing:
        raise ReportError(f"{path}: missing column(s): {', '.join(missing)}")
    return table.to_pylist()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _strings(record: dict, columns: Iterable[str]) -> dict[str, str]:
    return {column: _text(record[column]) for column in columns}


def _role(record: dict) -> ReportRole:
    values = _strings(record, ROLE_COLUMNS)
    return ReportRole(
        **{
            **values,
            "person_id": _text(record.get("person_id")),
            "digital": bool(record["digital"]),
            "start_char": int(record["start_char"] or 0),
            "end_char": int(record["end_char"] or 0),
        }
    )


def _tenure(record: dict) -> Tenure:
    return Tenure(**{**_strings(record, TENURE_COLUMNS), "digital": bool(record["digital"])})

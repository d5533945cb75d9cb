"""The cross-document stage: read the roles of a finished run, resolve persons, write ``tenures``.

It works from the files in the output folder alone (``roles.parquet`` and
``documents.parquet``), never the texts, so it runs the same after a
sequential or a parallel extraction; it holds the role rows (small), not the
corpus.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.across.persons import resolve_persons
from pipeline.across.tenures import build_tenures
from pipeline.output.tables import SCHEMAS, read_parquet, table_records, write_arrow_table, write_table
from pipeline.records import RoleRow, TenureRow

ROLES_FILE = "roles.parquet"
DOCUMENTS_FILE = "documents.parquet"
TENURES_FILE = "tenures.parquet"
# Columns of the roles table that an older version did not write; they are computed here.
COMPUTED_ROLE_COLUMNS = frozenset({"person_id"})


class CrossDocumentError(ValueError):
    """Tables that cannot be read; the message names the file and what to do."""


@dataclass(frozen=True)
class CrossDocumentSummary:
    """What the cross-document stage wrote."""

    roles: int
    persons: int
    tenures: int


@dataclass(frozen=True)
class LoadedTenures:
    """Tenures for a command, and whether they were computed from an older run's roles table."""

    tenures: list[TenureRow]
    computed: bool = False


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cycle collection while the stage builds its rows, persons and tenures.

    It makes no reference cycles, and each collection would walk its hundreds of thousands of
    young objects once more (a tenth of the stage's time at 10,000 documents).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_collector_paused()
def write_cross_document_tables(out_dir: Path) -> CrossDocumentSummary:
    """Give every role row of ``out_dir`` a ``person_id`` and write the ``tenures`` table beside it.

    Rewrites ``roles.csv``/``roles.parquet`` with the ``person_id`` column and
    writes ``tenures.csv``/``tenures.parquet``, each atomically. A run whose
    documents all failed gives empty, valid tables.

    >>> write_cross_document_tables(Path("output"))
    CrossDocumentSummary(roles=251, persons=188, tenures=226)
    """
    roles = _read_roles(out_dir)
    rows = table_records(roles, RoleRow)
    tenures = _tenures(out_dir, rows)
    person_ids = pa.array([row.person_id for row in rows], type=pa.string())
    if "person_id" in roles.column_names:
        roles = roles.drop_columns(["person_id"])
    write_arrow_table(out_dir, "roles", roles.append_column("person_id", person_ids))  # the table read, not the rows
    write_table(out_dir, "tenures", tenures)
    return CrossDocumentSummary(roles=len(rows), persons=len({row.person_id for row in rows}), tenures=len(tenures))


@_collector_paused()
def resolve(out_dir: Path) -> tuple[list[RoleRow], list[TenureRow]]:
    """The role rows of ``out_dir`` with their ``person_id``, and the tenures they make, without writing anything."""
    rows = read_role_rows(out_dir)
    return rows, _tenures(out_dir, rows)


def _tenures(out_dir: Path, rows: list[RoleRow]) -> list[TenureRow]:
    """Give ``rows`` their ``person_id`` (in place: no copies of 50,000 rows) and make their tenures."""
    for row, person_id in zip(rows, resolve_persons(rows), strict=True):
        row.person_id = person_id
    return build_tenures(rows, read_publication_dates(out_dir))


def load_tenures(out_dir: Path) -> LoadedTenures:
    """The tenures of a run: its ``tenures.parquet``, or computed from the ``roles.parquet`` of an older run."""
    if not out_dir.is_dir():
        raise CrossDocumentError(
            f"{out_dir}: no such folder; run `municipal-roles extract TEXTS --out {out_dir}` first"
        )
    path = out_dir / TENURES_FILE
    if path.is_file():
        table = _read(path, SCHEMAS["tenures"].names, required=frozenset(SCHEMAS["tenures"].names))
        return LoadedTenures(table_records(table, TenureRow))
    if not (out_dir / ROLES_FILE).is_file():
        raise CrossDocumentError(
            f"{out_dir}: no {TENURES_FILE} or {ROLES_FILE} here; "
            f"run `municipal-roles extract TEXTS --out {out_dir}` first"
        )
    return LoadedTenures(resolve(out_dir)[1], computed=True)


def read_role_rows(out_dir: Path) -> list[RoleRow]:
    """The rows of ``roles.parquet``; a table without ``person_id`` (an older run) reads with it empty."""
    return table_records(_read_roles(out_dir), RoleRow)


def _read_roles(out_dir: Path) -> pa.Table:
    names = [field.name for field in fields(RoleRow)]
    return _read(out_dir / ROLES_FILE, names, required=frozenset(names) - COMPUTED_ROLE_COLUMNS)


def read_publication_dates(out_dir: Path) -> dict[str, date | None]:
    """Each document's publication date, from ``documents.parquet``."""
    table = _read(out_dir / DOCUMENTS_FILE, ["doc_id", "published"], required=frozenset({"doc_id", "published"}))
    return dict(zip(table.column("doc_id").to_pylist(), table.column("published").to_pylist(), strict=True))


def _read(path: Path, columns: Sequence[str], *, required: frozenset[str]) -> pa.Table:
    """The named columns of a Parquet table (those it has), or an error that says what is wrong with it."""
    if not path.is_file():
        raise CrossDocumentError(f"{path}: not found; run `municipal-roles extract TEXTS --out {path.parent}` first")
    try:
        present = set(pq.read_schema(path).names)
        missing = required - present
        if missing:
            raise CrossDocumentError(
                f"{path}: missing column(s) {', '.join(sorted(missing))}: written by another program or version; "
                f"run `municipal-roles extract` again"
            )
        return read_parquet(path, columns=[column for column in columns if column in present])
    except (OSError, pa.ArrowException) as error:
        raise CrossDocumentError(f"{path}: not a readable Parquet table: {error}") from error

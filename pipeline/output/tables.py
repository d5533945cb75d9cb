"""The tables stage: ``documents``, ``mentions`` and ``roles`` as CSV and Parquet, and ``tenures`` after them.

Rows are streamed to temporary files in batches (the corpus is never held in
memory) and each finished file replaces its predecessor with an atomic
rename, so an interrupted run leaves the previous results intact.
:func:`write_table` writes one table the same way, for the cross-document
stage (``pipeline.across``), which rewrites ``roles`` with ``person_id`` and adds ``tenures``.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Self, TypeVar

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from pipeline.output.files import temporary_beside
from pipeline.records import DocumentRow, MentionRow, RoleRow

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            ("doc_id", pa.string()),
            ("path", pa.string()),
            ("title", pa.string()),
            ("published", pa.date32()),
            ("published_source", pa.string()),
            ("municipality", pa.string()),
            ("n_chars", pa.int64()),
            ("status", pa.string()),
            ("message", pa.string()),
        ]
    ),
    "mentions": pa.schema(
        [
            ("doc_id", pa.string()),
            ("text", pa.string()),
            ("label", pa.string()),
            ("start_char", pa.int64()),
            ("end_char", pa.int64()),
            ("source", pa.string()),
        ]
    ),
    "roles": pa.schema(
        [
            ("doc_id", pa.string()),
            ("person", pa.string()),
            ("role", pa.string()),
            ("role_category", pa.string()),
            ("digital", pa.bool_()),
            ("organisation", pa.string()),
            ("municipality", pa.string()),
            ("as_of", pa.date32()),
            ("start", pa.string()),
            ("end", pa.string()),
            ("status", pa.string()),
            ("evidence", pa.string()),
            ("start_char", pa.int64()),
            ("end_char", pa.int64()),
            ("rule", pa.string()),
            ("person_id", pa.string()),
        ]
    ),
    "tenures": pa.schema(
        [
            ("person_id", pa.string()),
            ("person", pa.string()),
            ("role", pa.string()),
            ("role_category", pa.string()),
            ("digital", pa.bool_()),
            ("organisation", pa.string()),
            ("municipality", pa.string()),
            ("start", pa.string()),
            ("end", pa.string()),
            ("end_source", pa.string()),
            ("first_attested", pa.date32()),
            ("last_attested", pa.date32()),
            ("status_at_last", pa.string()),
            ("n_documents", pa.int64()),
            ("doc_ids", pa.string()),
            ("doc_id", pa.string()),
            ("evidence", pa.string()),
            ("start_char", pa.int64()),
            ("end_char", pa.int64()),
        ]
    ),
}
# Written document by document by :class:`TableWriter`; ``tenures`` follows from them (``pipeline.across``).
PER_DOCUMENT_TABLES = ("documents", "mentions", "roles")
R = TypeVar("R")  # a record type of ``pipeline.records``
FLUSH_EVERY = 2_000  # rows buffered per table before they go to disk
# RFC 4180 with CRLF line ends, the header unquoted; Arrow's writer quotes every string, so an empty
# string (``""``) differs from a missing value (nothing). Booleans are ``true``/``false``, dates ISO 8601.
CSV_OPTIONS = pa_csv.WriteOptions(quoting_header="none", eol="\r\n")


def arrow_table(name: str, records: Iterable[object]) -> pa.Table:
    """Records of table ``name`` (e.g. :class:`RoleRow`) as an Arrow table of its schema.

    >>> arrow_table("roles", role_rows).num_rows == len(role_rows)
    True
    """
    return _records_table(SCHEMAS[name], list(records))


def read_parquet(path: Path, columns: Sequence[str] | None = None) -> pa.Table:
    """One Parquet file (``columns`` of it, or all) as an Arrow table.

    ``pq.read_table`` would import pyarrow's dataset machinery first, a quarter of a second
    on the way to the cross-document stage; a single file needs none of it.
    """
    with pq.ParquetFile(path) as parquet_file:
        return parquet_file.read(columns=columns)


def table_records(table: pa.Table, record_type: type[R]) -> list[R]:
    """The rows of an Arrow ``table`` as ``record_type`` records; a column it lacks takes the field's default.

    Column by column and by position: several times faster than a dict per row (``to_pylist``).

    >>> rows = table_records(read_parquet(Path("output/roles.parquet")), RoleRow)
    >>> type(rows[0]).__name__, len(rows) == pq.read_metadata("output/roles.parquet").num_rows
    ('RoleRow', True)
    """
    columns = []
    for field in fields(record_type):
        if field.name in table.column_names:
            columns.append(table.column(field.name).to_pylist())
        elif field.default is not MISSING:
            columns.append([field.default] * table.num_rows)
        else:
            raise ValueError(f"no column {field.name!r} for {record_type.__name__}")
    return [record_type(*values) for values in zip(*columns, strict=True)]


def _records_table(schema: pa.Schema, records: list[object]) -> pa.Table:
    """Column by column, each a list of one attribute of the records: about twice as fast as a tuple
    per record transposed into columns."""
    arrays = [pa.array(list(map(operator.attrgetter(field.name), records)), type=field.type) for field in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


class _TableFile:
    """One table being written: a CSV and a Parquet file in temporary names."""

    def __init__(self, out_dir: Path, name: str) -> None:
        self.name = name
        self.schema = SCHEMAS[name]
        self.targets = (out_dir / f"{name}.csv", out_dir / f"{name}.parquet")
        self.temporary = [temporary_beside(target) for target in self.targets]
        self._csv = pa_csv.CSVWriter(self.temporary[0], self.schema, write_options=CSV_OPTIONS)
        self._parquet = pq.ParquetWriter(self.temporary[1], self.schema)
        self._buffer: list[object] = []  # records, read when they are flushed
        self.rows = 0

    def add(self, records: Iterable[object]) -> None:
        self._buffer.extend(records)
        if len(self._buffer) >= FLUSH_EVERY:
            self.flush()

    def add_table(self, table: pa.Table) -> None:
        """Write an Arrow table of this file's schema, after the records added before it."""
        self.flush()
        self._write(table)

    def flush(self) -> None:
        if self._buffer:
            self._write(_records_table(self.schema, self._buffer))
            self._buffer = []

    def _write(self, table: pa.Table) -> None:
        self._csv.write_table(table)
        self._parquet.write_table(table)
        self.rows += table.num_rows

    def commit(self) -> None:
        self.flush()
        self._parquet.close()
        self._csv.close()
        for temporary, target in zip(self.temporary, self.targets):
            os.replace(temporary, target)

    def discard(self) -> None:
        self._parquet.close()
        self._csv.close()
        for temporary in self.temporary:
            temporary.unlink(missing_ok=True)


def write_table(out_dir: Path, name: str, records: Iterable[object]) -> int:
    """Write one table of :data:`SCHEMAS` from records with its columns as attributes; return the row count.

    The CSV and the Parquet file replace the old ones atomically, or neither does.

    >>> write_table(Path("output"), "tenures", tenure_rows)
    12
    """
    return _write_atomically(out_dir, name, lambda table_file: table_file.add(records))


def write_arrow_table(out_dir: Path, name: str, table: pa.Table) -> int:
    """Write an Arrow ``table`` with the columns of table ``name`` as :func:`write_table` does; return the row count.

    For tables that are Arrow already (the roles read back by the cross-document stage): no Python rows.
    """
    return _write_atomically(
        out_dir,
        name,
        lambda table_file: table_file.add_table(table.select(table_file.schema.names).cast(table_file.schema)),
    )


def _write_atomically(out_dir: Path, name: str, fill: Callable[[_TableFile], None]) -> int:
    """Fill table ``name``'s temporary files and rename them into place, or leave the old ones on failure."""
    out_dir.mkdir(parents=True, exist_ok=True)
    table_file = _TableFile(out_dir, name)
    try:
        fill(table_file)
    except BaseException:
        table_file.discard()
        raise
    table_file.commit()
    return table_file.rows


class TableWriter:
    """Write the three per-document tables; use as a context manager.

    >>> with TableWriter(Path("output")) as tables:
    ...     tables.add(documents=[document_row], mentions=mention_rows, roles=role_rows)
    """

    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self._files: dict[str, _TableFile] = {}

    def __enter__(self) -> Self:
        try:
            for name in PER_DOCUMENT_TABLES:
                self._files[name] = _TableFile(self.out_dir, name)
        except BaseException:
            self._discard()
            raise
        return self

    def add(
        self,
        *,
        documents: Iterable[DocumentRow] = (),
        mentions: Iterable[MentionRow] = (),
        roles: Iterable[RoleRow] = (),
    ) -> None:
        """Add rows to the tables; the records are read when they are written, so they must not change after."""
        self._files["documents"].add(documents)
        self._files["mentions"].add(mentions)
        self._files["roles"].add(roles)

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is not None:
            self._discard()
            return
        for table_file in self._files.values():
            table_file.commit()

    def _discard(self) -> None:
        for table_file in self._files.values():
            table_file.discard()

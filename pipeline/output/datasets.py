"""Parquet datasets: each table as a folder of part files, one per partition of a Dask run.

``roles/part-00000.parquet``, ``roles/part-00001.parquet``, ... hold the rows of
consecutive partitions of the input, so the parts in name order are the table
in input order. pandas (``pd.read_parquet("output/roles")``), DuckDB
(``SELECT * FROM 'output/roles/*.parquet'``) and pyarrow
(``pyarrow.dataset.dataset("output/roles")``) read a folder as one table.

The parts of a run are written into a hidden staging folder in the output
folder and moved into place by :func:`place_datasets` after the single-file
tables, so an interrupted run leaves the previous datasets as they were.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.output.files import temporary_beside
from pipeline.output.tables import PER_DOCUMENT_TABLES, arrow_table, read_parquet, table_records
from pipeline.records import DocumentRow, MentionRow, RoleRow

PART_NAME = "part-{:05d}.parquet"
PART_GLOB = "part-*.parquet"
RECORD_TYPES = {"documents": DocumentRow, "mentions": MentionRow, "roles": RoleRow}


class DatasetError(RuntimeError):
    """An output folder whose datasets cannot be written; the message names the folder."""


def staging_folder(out_dir: Path) -> Path:
    """A new hidden folder in ``out_dir`` with an empty folder per table, for the parts of one run.

    Raises :class:`DatasetError` when ``out_dir`` has a folder of a table's name that is not a dataset
    this tool wrote: it would be replaced at the end of the run.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in PER_DOCUMENT_TABLES:
        target = out_dir / name
        if target.exists() and not is_dataset(target):
            raise DatasetError(f"{target} exists and is not a dataset of part files; move it out of the way")
    folder = Path(tempfile.mkdtemp(prefix=".datasets-", dir=out_dir))
    for name in PER_DOCUMENT_TABLES:
        (folder / name).mkdir()
    return folder


def write_part(
    folder: Path,
    index: int,
    *,
    documents: Iterable[DocumentRow],
    mentions: Iterable[MentionRow],
    roles: Iterable[RoleRow],
) -> None:
    """Write part ``index`` of each table into ``folder`` (as made by :func:`staging_folder`), atomically.

    A partition run again (its worker died) replaces its part whole.
    """
    for name, records in (("documents", documents), ("mentions", mentions), ("roles", roles)):
        target = folder / name / PART_NAME.format(index)
        temporary = temporary_beside(target)
        pq.write_table(arrow_table(name, records), temporary)
        os.replace(temporary, target)


def read_part(folder: Path, index: int) -> tuple[list[DocumentRow], list[MentionRow], list[RoleRow]]:
    """The rows of part ``index`` of the three tables, as records."""
    documents, mentions, roles = (
        table_records(read_parquet(folder / name / PART_NAME.format(index)), RECORD_TYPES[name])
        for name in ("documents", "mentions", "roles")
    )
    return documents, mentions, roles


def copy_column(table_file: Path, dataset: Path, column: str) -> None:
    """Give the parts of ``dataset`` the values of ``column`` from ``table_file``, the same rows in one file.

    The cross-document stage adds ``person_id`` to ``roles.parquet`` after the workers wrote their parts.
    """
    values = read_parquet(table_file, columns=[column]).column(column)
    offset = 0
    for part in sorted(dataset.glob(PART_GLOB)):
        table = read_parquet(part)
        table = table.set_column(table.schema.get_field_index(column), column, values.slice(offset, table.num_rows))
        offset += table.num_rows
        temporary = temporary_beside(part)
        pq.write_table(table, temporary)
        os.replace(temporary, part)
    if offset != len(values):
        raise DatasetError(f"{dataset}: {offset} rows in its parts, {len(values)} in {table_file}")


def is_dataset(folder: Path) -> bool:
    """Whether ``folder`` is a folder of part files only (as this module writes them)."""
    return folder.is_dir() and all(path.match(PART_GLOB) for path in folder.iterdir())


def place_datasets(out_dir: Path, staged: Path | None) -> None:
    """Move the datasets in ``staged`` to ``out_dir/<table>/``; with None, remove the datasets of an earlier run.

    Each table's folder is swapped by two renames; the previous one is deleted after.
    """
    for name in PER_DOCUMENT_TABLES:
        target = out_dir / name
        previous = None
        if is_dataset(target):
            previous = target.rename(out_dir / f".{name}.previous-{os.getpid()}")
        if staged is not None:
            os.replace(staged / name, target)
        if previous is not None:
            shutil.rmtree(previous)
    if staged is not None:
        staged.rmdir()

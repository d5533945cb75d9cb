"""Small output folders for the tests of the review page: texts and tables written by the tests themselves."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.output.tables import SCHEMAS, TableWriter
from pipeline.records import DocumentRow, RoleRow
from pipeline.taxonomy import is_digital

TENURE_SCHEMA = SCHEMAS["tenures"]


def role_in(doc_id: str, text: str, evidence: str, person: str, role: str, category: str, **fields) -> RoleRow:
    """A roles row whose evidence is the first occurrence of ``evidence`` in ``text``."""
    start = text.index(evidence)
    return RoleRow(
        doc_id=doc_id,
        person=person,
        role=role,
        role_category=category,
        digital=is_digital(category),
        evidence=evidence,
        start_char=start,
        end_char=start + len(evidence),
        rule=fields.pop("rule", "test-rule"),
        **fields,
    )


def write_output(
    folder: Path,
    texts: dict[str, str],
    roles: list[RoleRow],
    *,
    municipality: dict[str, str] | None = None,
    missing: tuple[str, ...] = (),
    published: date = date(2024, 5, 6),
) -> Path:
    """Write ``texts`` as raw files and the documents and roles tables of them into ``folder/output``.

    Documents named in ``missing`` are in the tables but their files are not written.
    """
    raw = folder / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    documents = []
    for doc_id, text in texts.items():
        path = raw / f"{doc_id}.txt"
        if doc_id not in missing:
            path.write_text(text, encoding="utf-8")
        first_line = text.splitlines()[0]
        place = (municipality or {}).get(doc_id, "")
        documents.append(DocumentRow(doc_id, str(path), first_line, published, "header", place, len(text)))
    out = folder / "output"
    with TableWriter(out) as tables:
        tables.add(documents=documents, roles=roles)
    return out


def write_tenures(out: Path, tenures: list[dict]) -> None:
    """A ``tenures.parquet`` with the columns of the cross-document table; unnamed columns get defaults."""
    defaults = {
        "person_id": "",
        "organisation": "",
        "end": "",
        "end_source": "",
        "n_documents": 1,
        "doc_ids": "",
        "doc_id": "",
        "evidence": "",
        "start_char": 0,
        "end_char": 0,
    }
    rows = [{**defaults, **tenure} for tenure in tenures]
    pq.write_table(pa.Table.from_pylist(rows, schema=TENURE_SCHEMA), out / "tenures.parquet")

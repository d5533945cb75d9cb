"""The tables stage: CSV and Parquet output, typed, streamed and replaced atomically (rows written for these tests)."""

from __future__ import annotations

import csv
import os
from dataclasses import fields
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.output import tables
from pipeline.output.tables import SCHEMAS, TableWriter
from pipeline.records import DocumentRow, MentionRow, RoleRow, TenureRow

NAMES = ("documents", "mentions", "roles")
EVIDENCE = 'Heike Beispiel, Digitallotsin der Gemeinde Großwälde, sagte: "Wir wollen Bürgerinnen und Bürger mitnehmen."'

DOCUMENTS = [
    DocumentRow(
        doc_id="grosswaelde_2024_03",
        path="raw/großwälde/pressemitteilung.txt",
        title="Gemeinde Großwälde ernennt Digitallotsin",
        published=date(2024, 3, 12),
        published_source="header",
        municipality="Großwälde",
        n_chars=412,
        status="ok",
    ),
    DocumentRow(doc_id="bericht", path="raw/bericht.pdf", status="skipped", message="not a text file (.pdf)"),
]
MENTIONS = [
    MentionRow("grosswaelde_2024_03", "Heike Beispiel", "PER", 58, 72, "model"),
    MentionRow("grosswaelde_2024_03", "Gemeinde Großwälde", "ORG", 91, 109, "org-municipality"),
]
ROLES = [
    RoleRow(
        doc_id="grosswaelde_2024_03",
        person="Heike Beispiel",
        role="Digitallotsin",
        role_category="digital_pilot",
        digital=True,
        organisation="Gemeinde Großwälde",
        municipality="Großwälde",
        as_of=date(2024, 3, 12),
        start="2024-03",
        end="",
        status="current",
        evidence=EVIDENCE,
        start_char=58,
        end_char=109,
        rule="apposition+digital-pilot-lotse",
    ),
    RoleRow(
        doc_id="grosswaelde_2024_03",
        person="Jörg Mühlenbäcker",
        role="Bürgermeister",
        role_category="mayor",
        digital=False,
        municipality="Großwälde",
        as_of=None,
        evidence="Bürgermeister Jörg Mühlenbäcker",
        rule="title-before-name+mayor-buergermeister",
    ),
]


def write_all(out: Path, documents=DOCUMENTS, mentions=MENTIONS, roles=ROLES) -> None:
    with TableWriter(out) as writer:
        writer.add(documents=documents, mentions=mentions, roles=roles)


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or ()), list(reader)


def output_files(out: Path) -> list[Path]:
    return [out / f"{name}.{suffix}" for name in NAMES for suffix in ("csv", "parquet")]


def as_csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_has_a_header_row_and_one_row_per_record(tmp_path):
    write_all(tmp_path)
    for name, count in (("documents", 2), ("mentions", 2), ("roles", 2)):
        header, rows = read_csv(tmp_path / f"{name}.csv")
        assert header == SCHEMAS[name].names
        assert len(rows) == count


def test_csv_values_are_utf8_with_true_false_iso_dates_and_empty_none(tmp_path):
    write_all(tmp_path)
    raw = (tmp_path / "roles.csv").read_bytes()
    assert "Großwälde".encode() in raw  # UTF-8, no BOM needed by readers
    assert not raw.startswith(b"\xef\xbb\xbf")

    _, roles = read_csv(tmp_path / "roles.csv")
    heike, joerg = roles
    assert heike["person"] == "Heike Beispiel"
    assert heike["role"] == "Digitallotsin"
    assert heike["digital"] == "true"
    assert joerg["digital"] == "false"
    assert heike["as_of"] == "2024-03-12"
    assert joerg["as_of"] == ""  # None
    assert heike["evidence"] == EVIDENCE  # comma, quotes and umlauts survive quoting
    assert heike["start"] == "2024-03"
    assert heike["start_char"] == "58"

    _, documents = read_csv(tmp_path / "documents.csv")
    assert documents[0]["published"] == "2024-03-12"
    assert documents[0]["path"] == "raw/großwälde/pressemitteilung.txt"
    assert documents[1]["published"] == ""
    assert (documents[1]["status"], documents[1]["message"]) == ("skipped", "not a text file (.pdf)")


# --- Parquet --------------------------------------------------------------------------------------


def test_parquet_has_explicit_types(tmp_path):
    write_all(tmp_path)
    documents = pq.read_table(tmp_path / "documents.parquet")
    roles = pq.read_table(tmp_path / "roles.parquet")
    mentions = pq.read_table(tmp_path / "mentions.parquet")

    assert documents.schema.field("published").type == pa.date32()
    assert documents.schema.field("n_chars").type == pa.int64()
    assert roles.schema.field("as_of").type == pa.date32()
    assert roles.schema.field("digital").type == pa.bool_()
    assert roles.schema.field("start").type == pa.string()
    assert roles.schema.field("end").type == pa.string()
    assert roles.schema.field("start_char").type == pa.int64()
    assert roles.schema.field("end_char").type == pa.int64()
    assert mentions.schema.field("start_char").type == pa.int64()
    for name, table in (("documents", documents), ("mentions", mentions), ("roles", roles)):
        assert table.schema.names == SCHEMAS[name].names

    heike, joerg = roles.to_pylist()
    assert heike["as_of"] == date(2024, 3, 12)
    assert heike["digital"] is True and joerg["digital"] is False
    assert joerg["as_of"] is None
    assert heike["evidence"] == EVIDENCE
    assert heike["start"] == "2024-03"  # partial dates stay strings


def test_csv_and_parquet_hold_the_same_rows(tmp_path):
    write_all(tmp_path)
    for name in NAMES:
        _, csv_rows = read_csv(tmp_path / f"{name}.csv")
        parquet_rows = [
            {column: as_csv_text(value) for column, value in row.items()}
            for row in pq.read_table(tmp_path / f"{name}.parquet").to_pylist()
        ]
        assert csv_rows == parquet_rows, name


def test_empty_tables_have_header_and_schema(tmp_path):
    write_all(tmp_path, mentions=[], roles=[])
    header, rows = read_csv(tmp_path / "roles.csv")
    assert (header, rows) == (SCHEMAS["roles"].names, [])
    table = pq.read_table(tmp_path / "mentions.parquet")
    assert table.num_rows == 0
    assert table.schema.names == SCHEMAS["mentions"].names
    assert table.schema.field("start_char").type == pa.int64()


def test_output_folder_is_created(tmp_path):
    out = tmp_path / "ergebnisse" / "2024"
    write_all(out)
    assert all(path.is_file() for path in output_files(out))


# --- atomic replacement ---------------------------------------------------------------------------


def test_exception_inside_the_block_keeps_previous_files(tmp_path):
    write_all(tmp_path)
    before = {path: path.read_bytes() for path in output_files(tmp_path)}

    with pytest.raises(RuntimeError, match="Abbruch"), TableWriter(tmp_path) as writer:
        writer.add(
            documents=[DocumentRow("neu", "raw/neu.txt", title="Neue Meldung")],
            roles=[RoleRow("neu", "Lena Muster", "CDO", "cdo", True)],
        )
        raise RuntimeError("Abbruch mitten im Lauf")

    assert {path: path.read_bytes() for path in output_files(tmp_path)} == before
    assert list(tmp_path.glob(".*.tmp")) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in output_files(tmp_path))


def test_exception_on_a_first_run_leaves_nothing(tmp_path):
    with pytest.raises(KeyboardInterrupt), TableWriter(tmp_path) as writer:
        writer.add(documents=DOCUMENTS)
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_temporary_files_are_hidden_while_writing_and_gone_after(tmp_path):
    with TableWriter(tmp_path) as writer:
        writer.add(documents=DOCUMENTS)
        hidden = list(tmp_path.glob(".*.tmp"))
        assert len(hidden) == 6  # a CSV and a Parquet file per table
        assert not any((tmp_path / f"{name}.csv").exists() for name in NAMES)
    assert list(tmp_path.glob(".*.tmp")) == []


def test_a_second_run_replaces_the_files(tmp_path):
    write_all(tmp_path)
    other = RoleRow("birkenau", "Tobias Wäldner", "Chief Digital Officer", "cdo", True, municipality="Birkenau")
    write_all(tmp_path, documents=[DocumentRow("birkenau", "raw/birkenau.txt")], mentions=[], roles=[other])

    _, roles = read_csv(tmp_path / "roles.csv")
    assert [row["person"] for row in roles] == ["Tobias Wäldner"]
    assert pq.read_table(tmp_path / "roles.parquet").column("person").to_pylist() == ["Tobias Wäldner"]
    assert pq.read_table(tmp_path / "mentions.parquet").num_rows == 0
    assert list(tmp_path.glob(".*.tmp")) == []


# --- streaming ------------------------------------------------------------------------------------


def role(number: int) -> RoleRow:
    return RoleRow(
        doc_id=f"meldung_{number:03d}",
        person=f"Person Nummer{number}",
        role="Digitallotsin",
        role_category="digital_pilot",
        digital=number % 2 == 0,
        as_of=date(2024, 1, 1 + number % 28),
        start_char=number,
        end_char=number + 10,
    )


def test_more_rows_than_flush_every_in_many_calls(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "FLUSH_EVERY", 3)
    rows = [role(number) for number in range(10)]
    with TableWriter(tmp_path) as writer:
        for row in rows:
            writer.add(roles=[row])

    parquet = pq.ParquetFile(tmp_path / "roles.parquet")
    assert parquet.num_row_groups > 1  # written in batches, not at the end
    table = parquet.read()
    assert table.column("doc_id").to_pylist() == [row.doc_id for row in rows]
    assert table.column("digital").to_pylist() == [row.digital for row in rows]
    assert table.column("as_of").to_pylist() == [row.as_of for row in rows]
    _, csv_rows = read_csv(tmp_path / "roles.csv")
    assert [row["doc_id"] for row in csv_rows] == [row.doc_id for row in rows]


def test_more_rows_than_flush_every_in_one_call(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "FLUSH_EVERY", 4)
    rows = [role(number) for number in range(25)]
    with TableWriter(tmp_path) as writer:
        writer.add(roles=iter(rows), documents=[DocumentRow("x", "raw/x.txt")])
        writer.add(roles=[role(99)])
    table = pq.read_table(tmp_path / "roles.parquet")
    assert table.num_rows == 26
    assert table.column("start_char").to_pylist() == [*range(25), 99]
    _, csv_rows = read_csv(tmp_path / "roles.csv")
    assert len(csv_rows) == 26


@pytest.mark.parametrize(
    ("name", "record"),
    [("documents", DocumentRow), ("mentions", MentionRow), ("roles", RoleRow), ("tenures", TenureRow)],
)
def test_record_fields_are_the_table_columns_in_order(name, record):
    assert [field.name for field in fields(record)] == SCHEMAS[name].names


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_tables_get_the_permissions_of_any_file_the_user_writes(tmp_path, umask):
    previous = os.umask(umask)
    try:
        write_all(tmp_path)
        tables.write_table(tmp_path, "tenures", [])
    finally:
        os.umask(previous)
    modes = {path.name: path.stat().st_mode & 0o777 for path in tmp_path.iterdir()}
    assert modes and set(modes.values()) == {0o666 & ~umask}, modes

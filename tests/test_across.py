"""Across documents: persons, tenures and the timeline command.

The end-to-end tests run the real extraction over tests/data/across: ten short
press texts invented for them, about three invented towns (Wiesenfurt,
Tannhagen, Lindhövel) from 2019 to 2024.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from rich.console import Console
from typer.testing import CliRunner

from cli import app
from pipeline.across import CrossDocumentError, load_tenures, write_cross_document_tables
from pipeline.across.persons import display_name, normalise_name, resolve_persons
from pipeline.across.tenures import build_tenures, post_title
from pipeline.across.timeline import timeline_table
from pipeline.config import Settings
from pipeline.output.tables import SCHEMAS
from pipeline.records import RoleRow
from pipeline.run import extract

RUNNER = CliRunner()


def row(doc_id: str, person: str, category: str = "cdo", *, town: str = "Birkenau", **values) -> RoleRow:
    """A role row as the link stage writes it; ``as_of`` defaults to a date in the doc id (``d2021``)."""
    values.setdefault("role", {"cdo": "Chief Digital Officer", "digital_pilot": "Digitallotse"}.get(category, category))
    values.setdefault("as_of", date(int(doc_id[1:5]), 6, 1))
    return RoleRow(doc_id, person, role_category=category, digital=True, municipality=town, **values)


def tenures_of(rows: list[RoleRow]):
    ids = resolve_persons(rows)
    for each, person_id in zip(rows, ids, strict=True):
        each.person_id = person_id
    return build_tenures(rows, {})


# --- names and persons ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Dr. Anna-Lena Brückner", "Anna Lena Brueckner"),
        ("Markus J. Feldmann", "Markus Feldmann"),
        ("Jörg Weiß (SPD)", "Joerg Weiss"),
        ("Prof. Dr. Karl-Heinz von der Heide", "Karl Heinz von der Heide"),
        ("Frau Renée Çelik", "Renee Celik"),
    ],
)
def test_spellings_of_one_name_normalise_alike(first, second):
    assert normalise_name(first) == normalise_name(second)


def test_a_hyphenated_surname_stays_one_surname():
    name = normalise_name("Eva Schulte-Brink")
    assert (name.given, name.surname) == (("eva",), "schulte-brink")
    assert normalise_name("Eva Schulte Brink") != name


def test_the_same_name_in_two_unrelated_towns_is_two_persons():
    ids = resolve_persons([row("d2020a", "Tim Roth", town="Birkenau"), row("d2021b", "Tim Roth", town="Ellerbach")])
    assert ids[0] != ids[1]


def test_a_text_naming_both_towns_links_them():
    rows = [
        row("d2020a", "Tim Roth", town="Birkenau"),
        row("d2022b", "Tim Roth", town="Ellerbach"),
        row("d2021c", "Tim Roth", "it_head", town="Birkenau"),
        row("d2021c", "Tim Roth", "cdo", town="Ellerbach"),
    ]
    assert len(set(resolve_persons(rows))) == 1


def test_a_shared_organisation_links_rows_without_a_town():
    rows = [
        row("d2020a", "Ute Kamp", "it_provider_head", town="", organisation="Datenwerk Nord"),
        row("d2023b", "Ute Kamp", "it_provider_head", town="", organisation="Datenwerk Nord"),
        row("d2023c", "Ute Kamp", "it_provider_head", town="", organisation="Rechenzentrum Süd"),
    ]
    first, second, third = resolve_persons(rows)
    assert first == second != third


def test_a_surname_joins_the_one_full_name_of_its_town():
    rows = [row("d2020a", "Dr. Ines Vogt"), row("d2021b", "Vogt"), row("d2021c", "Ines Vogt", town="Ellerbach")]
    first, second, third = resolve_persons(rows)
    assert first == second != third


def test_a_surname_shared_by_two_full_names_of_a_town_stays_apart():
    rows = [row("d2020a", "Ines Vogt"), row("d2020b", "Paul Vogt", "it_head"), row("d2021c", "Vogt")]
    ids = resolve_persons(rows)
    assert len(set(ids)) == 3


def test_namesakes_of_one_surname_none_a_shorter_form_of_another_stay_apart():
    rows = [
        row("d2020a", "Jonas Welter"),
        row("d2020b", "Mira Welter"),
        row("d2022c", "Jonas Welter", town="Ellerbach"),
    ]
    assert len(set(resolve_persons(rows))) == 3


def test_a_shorter_name_joins_its_fuller_form_beside_namesakes_of_the_surname():
    rows = [
        row("d2020a", "Jonas Peter Welter"),
        row("d2021b", "Jonas Welter"),
        row("d2021c", "Mira Welter"),
        row("d2022d", "Mira Welter", town="Ellerbach"),
    ]
    fuller, shorter, mira, namesake = resolve_persons(rows)
    assert fuller == shorter
    assert len({fuller, mira, namesake}) == 3


def test_a_row_without_a_place_joins_the_only_person_of_its_name():
    ids = resolve_persons([row("d2020a", "Lea Dorn"), row("d2021b", "Lea Dorn", town="")])
    assert ids[0] == ids[1]
    ids = resolve_persons(
        [row("d2020a", "Lea Dorn"), row("d2020b", "Lea Dorn", town="Ellerbach"), row("d2021c", "Lea Dorn", town="")]
    )
    assert len(set(ids)) == 3


def test_person_ids_do_not_depend_on_row_order():
    rows = [row("d2020a", "Dr. Ines Vogt"), row("d2021b", "Vogt"), row("d2022c", "Ines Vogt", town="Ellerbach")]
    assert resolve_persons(rows) == list(reversed(resolve_persons(list(reversed(rows)))))


def test_the_displayed_name_is_the_fullest_and_keeps_umlauts():
    assert display_name(["Brückner", "Anna-Lena Brueckner", "Anna-Lena Brückner"]) == "Anna-Lena Brückner"


# --- tenures --------------------------------------------------------------------------------------


def test_start_takes_the_precision_of_the_texts_that_agree():
    (tenure,) = tenures_of([row("d2020a", "Ines Vogt", start="2019"), row("d2021b", "Ines Vogt", start="2019-02-01")])
    assert tenure.start == "2019-02-01"
    (tenure,) = tenures_of(
        [row("d2020a", "Ines Vogt", start="2019-03"), row("d2021b", "Ines Vogt", start="2019-02-01")]
    )
    assert tenure.start == "2019-02-01"


def test_a_later_holder_of_a_single_post_closes_the_tenure_before():
    tenures = tenures_of([row("d2020a", "Ines Vogt", start="2019-02"), row("d2023b", "Ole Sand", start="2022-10")])
    by_person = {tenure.person: tenure for tenure in tenures}
    assert (by_person["Ines Vogt"].end, by_person["Ines Vogt"].end_source) == ("2022-10", "successor")
    assert by_person["Ines Vogt"].status_at_last == "current"  # as of its own last text, 2020
    assert (by_person["Ole Sand"].end, by_person["Ole Sand"].end_source) == ("", "")


def test_holders_of_posts_held_by_many_do_not_close_each_other():
    tenures = tenures_of(
        [
            row("d2020a", "Ines Vogt", "digital_pilot", start="2020-01"),
            row("d2022b", "Ole Sand", "digital_pilot", start="2022-05"),
        ]
    )
    assert [tenure.end_source for tenure in tenures] == ["", ""]


def test_a_holder_still_called_current_after_the_other_start_is_not_closed():
    rows = [
        row("d2020a", "Ines Vogt", start="2019-02"),
        row("d2021b", "Ole Sand", start="2021-01"),
        row("d2022c", "Ines Vogt"),
    ]
    assert {tenure.person: tenure.end for tenure in tenures_of(rows)} == {"Ines Vogt": "", "Ole Sand": ""}


def test_different_titles_of_one_category_are_different_posts():
    rows = [
        row("d2020a", "Ines Vogt", "security_privacy", role="Datenschutzbeauftragte", start="2019"),
        row("d2021b", "Ole Sand", "security_privacy", role="Informationssicherheitsbeauftragter", start="2021"),
    ]
    assert [tenure.end for tenure in tenures_of(rows)] == ["", ""]
    assert post_title("Informationssicherheitsbeauftragter") == post_title("Informationssicherheitsbeauftragte")
    assert post_title("IT-Leiterin") == post_title("IT-Leiter")


def test_a_former_tenure_without_a_date_says_so():
    (tenure,) = tenures_of([row("d2020a", "Ines Vogt"), row("d2022b", "Ines Vogt", status="former")])
    assert (tenure.end, tenure.end_source, tenure.status_at_last) == ("", "former", "former")


def test_no_rows_give_no_tenures():
    assert build_tenures([], {}) == []


# --- the invented corpus, end to end ---------------------------------------------------------------

EXPECTED_TENURES = {
    # (person, category, municipality): (start, end, end_source, first, last, status_at_last, documents)
    ("Hans Ebert", "mayor", "Lindhövel"): ("", "", "former", "2021-01-15", "2021-01-15", "former", 1),
    ("Petra Sommer", "mayor", "Lindhövel"): ("", "", "", "2021-01-15", "2023-11-03", "current", 2),
    ("Thomas Wagner", "digital_officer", "Lindhövel"): (
        "2021-02-01",
        "2023-10-01",
        "successor",
        "2021-01-15",
        "2023-11-03",
        "former",
        2,
    ),
    ("Miriam Ost", "digital_officer", "Lindhövel"): ("2023-10-01", "", "", "2023-11-03", "2023-11-03", "current", 1),
    ("Jana Pawlitzki", "security_privacy", "Tannhagen"): (
        "2020-03",
        "2024-07-01",
        "text",
        "2020-09-01",
        "2024-06-03",
        "current",
        2,
    ),
    ("Thomas Wagner", "it_head", "Tannhagen"): ("", "2022-03-31", "text", "2020-09-01", "2022-02-20", "current", 2),
    ("Sandra Kühn", "it_head", "Tannhagen"): ("2022-04-01", "", "", "2023-01-16", "2023-01-16", "current", 1),
    ("Anna-Lena Brückner", "cdo", "Wiesenfurt"): (
        "2019-02-01",
        "2023-07-01",
        "successor",
        "2019-02-15",
        "2023-05-12",
        "current",
        3,
    ),
    ("Markus Feldmann", "cdo", "Wiesenfurt"): ("2023-07-01", "", "", "2023-05-12", "2024-03-04", "current", 2),
    ("Jana Pawlitzki", "security_privacy", "Wiesenfurt"): (
        "2024-07-01",
        "",
        "",
        "2024-06-03",
        "2024-06-03",
        "future",
        1,
    ),
}


@pytest.fixture(scope="module")
def tenures(across_output):
    return pq.read_table(across_output / "tenures.parquet").to_pylist()


@pytest.fixture(scope="module")
def roles(across_output):
    return pq.read_table(across_output / "roles.parquet").to_pylist()


def test_the_invented_corpus_gives_exactly_these_tenures(tenures):
    found = {
        (t["person"], t["role_category"], t["municipality"]): (
            t["start"],
            t["end"],
            t["end_source"],
            t["first_attested"].isoformat(),
            t["last_attested"].isoformat(),
            t["status_at_last"],
            t["n_documents"],
        )
        for t in tenures
    }
    assert found == EXPECTED_TENURES
    assert len(tenures) == len(EXPECTED_TENURES)


def test_name_forms_of_one_person_merge_and_namesakes_stay_apart(roles):
    ids: dict[str, set[str]] = {}
    for each in roles:
        ids.setdefault(each["person"], set()).add(each["person_id"])
    # ``Dr. Anna-Lena Brückner``, ``Dr. Brückner`` in an interview, ``Anna-Lena Brueckner``
    assert len(ids["Anna-Lena Brückner"] | ids["Brückner"] | ids["Anna-Lena Brueckner"]) == 1
    assert len(ids["Markus Feldmann"] | ids["Markus J. Feldmann"]) == 1
    assert len(ids["Thomas Wagner"]) == 2  # IT-Leiter in Tannhagen, Digitalisierungsbeauftragter in Lindhövel
    assert len(ids["Jana Pawlitzki"]) == 1  # moved from Tannhagen to Wiesenfurt, in one text
    assert all(each["person_id"] for each in roles)


def test_tenures_carry_their_documents_and_earliest_evidence(tenures, across_output):
    (cdo,) = [t for t in tenures if t["person"] == "Anna-Lena Brückner"]
    assert cdo["doc_ids"] == "wiesenfurt_2019_cdo;wiesenfurt_2021_interview;wiesenfurt_2023_nachfolge"
    assert cdo["doc_id"] == "wiesenfurt_2019_cdo"
    raw = (Path(__file__).parent / "data" / "across" / "raw" / "wiesenfurt_2019_cdo.txt").read_text(encoding="utf-8")
    assert raw[cdo["start_char"] : cdo["end_char"]] == cdo["evidence"]
    assert "Chief Digital Officer" in cdo["evidence"]
    assert cdo["role"] == "Chief Digital Officer" and cdo["digital"] is True


def test_the_cross_document_stage_is_stable_run_after_run(across_output, roles, tenures):
    write_cross_document_tables(across_output)
    assert pq.read_table(across_output / "roles.parquet").to_pylist() == roles
    assert pq.read_table(across_output / "tenures.parquet").to_pylist() == tenures
    assert pq.read_schema(across_output / "tenures.parquet").names == SCHEMAS["tenures"].names
    assert (across_output / "tenures.csv").read_text(encoding="utf-8").splitlines()[0] == ",".join(
        SCHEMAS["tenures"].names
    )


# --- the timeline command --------------------------------------------------------------------------


def test_timeline_filters_and_prints_json(across_output):
    result = RUNNER.invoke(
        app, ["timeline", str(across_output), "--municipality", "wiesenfurt", "--category", "cdo", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(each["person"], each["start"], each["end"]) for each in rows] == [
        ("Anna-Lena Brückner", "2019-02-01", "2023-07-01"),
        ("Markus Feldmann", "2023-07-01", ""),
    ]


def test_timeline_by_person_and_digital_roles(across_output):
    result = RUNNER.invoke(app, ["timeline", str(across_output), "--person", "wagner", "--digital", "--json"])
    assert result.exit_code == 0, result.output
    assert sorted(each["municipality"] for each in json.loads(result.stdout)) == ["Lindhövel", "Tannhagen"]
    result = RUNNER.invoke(app, ["timeline", str(across_output), "--person", "Brueckner"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Anna-Lena Brückner" in result.stdout and "successor" in result.stdout


def test_timeline_table_escapes_text_from_the_input(across_output):
    (tenure,) = [t for t in load_tenures(across_output).tenures if t.person == "Miriam Ost"]
    tenure.person = "[bold]Miriam Ost[/bold]"
    console = Console(record=True, width=200)
    console.print(timeline_table([tenure]))
    assert "[bold]Miriam Ost[/bold]" in console.export_text()


def test_timeline_rejects_an_unknown_category(across_output):
    result = RUNNER.invoke(app, ["timeline", str(across_output), "--category", "wizard"])
    assert result.exit_code == 2
    assert "unknown category 'wizard'" in result.output


# --- bad input ------------------------------------------------------------------------------------


def test_an_empty_folder_is_a_clear_usage_error(tmp_path):
    result = RUNNER.invoke(app, ["timeline", str(tmp_path)])
    assert result.exit_code == 2
    assert "run `municipal-roles extract" in result.output
    with pytest.raises(CrossDocumentError, match="roles.parquet: not found"):
        write_cross_document_tables(tmp_path)
    assert RUNNER.invoke(app, ["timeline", str(tmp_path / "missing")]).exit_code == 2


def test_a_roles_table_of_an_older_version_gives_tenures_on_the_fly(across_output, tmp_path, tenures):
    for name in ("roles.parquet", "documents.parquet"):
        table = pq.read_table(across_output / name)
        if name == "roles.parquet":
            table = table.drop_columns(["person_id"])
        pq.write_table(table, tmp_path / name)
    result = RUNNER.invoke(app, ["timeline", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    assert "computed from its roles table" in result.stderr
    assert len(json.loads(result.stdout)) == len(tenures)
    summary = write_cross_document_tables(tmp_path)
    assert (summary.tenures, summary.persons) == (len(tenures), 9)
    assert pq.read_schema(tmp_path / "roles.parquet").names == SCHEMAS["roles"].names


@pytest.mark.parametrize("damage", ["columns", "bytes"])
def test_a_damaged_roles_table_is_a_clear_usage_error(across_output, tmp_path, damage):
    pq.write_table(pq.read_table(across_output / "documents.parquet"), tmp_path / "documents.parquet")
    if damage == "columns":
        pq.write_table(
            pq.read_table(across_output / "roles.parquet").drop_columns(["role_category"]), tmp_path / "roles.parquet"
        )
        message = "missing column(s) role_category"
    else:
        (tmp_path / "roles.parquet").write_bytes(b"PAR1 not really")
        message = "not a readable Parquet table"
    result = RUNNER.invoke(app, ["timeline", str(tmp_path)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_run_whose_documents_all_failed_gives_empty_valid_tables(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "leer.txt").write_bytes(b"")
    summary = extract(Settings(raw_dir=texts, out_dir=tmp_path / "out"))
    assert (summary.failed, summary.tenures, summary.persons) == (1, 0, 0)
    table = pq.read_table(tmp_path / "out" / "tenures.parquet")
    assert (table.num_rows, table.schema.names) == (0, SCHEMAS["tenures"].names)
    result = RUNNER.invoke(app, ["timeline", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert "no tenures" in result.output

"""The Popolo export validates against the Popolo JSON schemas (draft-03), resolved locally, never over the network."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ACROSS_DATA, SHARED
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3
from typer.testing import CliRunner

from cli import app
from pipeline.across import load_tenures
from pipeline.across.popolo import popolo_document

POPOLO_SCHEMAS = SHARED / "schemas" / "popolo"
# Which schema each list of the export follows.
SCHEMA_OF = {"persons": "person", "organizations": "organization", "areas": "area", "memberships": "membership"}
RUNNER = CliRunner()

pytestmark = pytest.mark.skipif(not POPOLO_SCHEMAS.is_dir(), reason=f"Popolo schemas not found at {POPOLO_SCHEMAS}")


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft3Validator]:
    """A validator per list; references (``http://www.popoloproject.com/schemas/x.json#``) resolve to the files."""
    schemas = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in POPOLO_SCHEMAS.glob("*.json")}
    resources = [
        (uri, Resource.from_contents(schema, default_specification=DRAFT3))
        for schema in schemas.values()
        for uri in (schema["id"], schema["id"].rstrip("#"))
    ]
    registry = Registry().with_resources(resources)
    return {key: Draft3Validator(schemas[name], registry=registry) for key, name in SCHEMA_OF.items()}


def errors(document: dict, validators: dict[str, Draft3Validator]) -> list[str]:
    assert set(document) == set(SCHEMA_OF)
    return [
        f"{key}[{index}]: {error.message}"
        for key, items in document.items()
        for index, item in enumerate(items)
        for error in validators[key].iter_errors(item)
    ]


def test_the_validator_rejects_what_popolo_does_not_allow(validators):
    bad = {
        "persons": [{"id": "p1", "name": 3}],
        "organizations": [],
        "areas": [],
        "memberships": [
            {"person_id": "p1", "start_date": "2023-7", "sources": [{"note": "no url"}], "area": {"name": 1}}
        ],
    }
    found = errors(bad, validators)
    assert len(found) == 4, found  # name type, date pattern, a link without url, and an area's name through a $ref


def test_the_export_of_the_invented_corpus_validates(across_output, tmp_path, validators):
    out = tmp_path / "popolo.json"
    result = RUNNER.invoke(
        app,
        [
            "export",
            str(across_output),
            "--format",
            "popolo",
            "--out",
            str(out),
            "--manifest",
            str(ACROSS_DATA / "manifest.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert errors(document, validators) == []
    assert len(document["persons"]) == 9
    assert {(o["name"], o["classification"]) for o in document["organizations"]} == {
        ("Stadt Wiesenfurt", "municipality"),
        ("Stadt Tannhagen", "municipality"),
        ("Stadt Lindhövel", "municipality"),
    }
    by_role = {(m["person_id"], m["label"]): m for m in document["memberships"]}
    names = {p["id"]: p["name"] for p in document["persons"]}
    (cdo,) = [m for (person, label), m in by_role.items() if names[person] == "Anna-Lena Brückner" and label == "cdo"]
    assert (cdo["role"], cdo["start_date"], cdo["end_date"], cdo["area"]["name"]) == (
        "Chief Digital Officer",
        "2019-02-01",
        "2023-07-01",
        "Wiesenfurt",
    )
    assert [source["url"] for source in cdo["sources"]] == [
        "https://www.wiesenfurt.example/presse/2019/cdo",
        "urn:municipal-roles:document:wiesenfurt_2021_interview",
        "https://www.wiesenfurt.example/presse/2023/neuer-cdo",
    ]
    (security,) = [m for m in document["memberships"] if m.get("start_date") == "2020-03"]
    assert names[security["person_id"]] == "Jana Pawlitzki"  # the month, as precise as the text


def test_export_without_tables_is_a_usage_error(tmp_path):
    result = RUNNER.invoke(app, ["export", str(tmp_path), "--format", "popolo", "--out", str(tmp_path / "p.json")])
    assert result.exit_code == 2
    assert not (tmp_path / "p.json").exists()
    result = RUNNER.invoke(app, ["export", str(tmp_path), "--format", "csv", "--out", str(tmp_path / "p.json")])
    assert result.exit_code == 2


def test_a_manifest_without_doc_ids_is_a_usage_error(across_output, tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("name,url\nx,https://example.org\n", encoding="utf-8")
    result = RUNNER.invoke(
        app, ["export", str(across_output), "--out", str(tmp_path / "p.json"), "--manifest", str(manifest)]
    )
    assert result.exit_code == 2
    assert "missing column doc_id" in result.output


@pytest.mark.corpus
def test_the_dev_corpus_export_validates_and_every_membership_traces_to_role_rows(dev_rules_only_output, validators):
    tenures = load_tenures(dev_rules_only_output)
    assert not tenures.computed
    document = popolo_document(tenures.tenures)
    assert errors(document, validators) == []
    assert len(document["memberships"]) == len(tenures.tenures) > 0
    roles = pq.read_table(dev_rules_only_output / "roles.parquet").to_pylist()
    keys = {(row["doc_id"], row["person_id"], row["role_category"]) for row in roles}
    for membership in document["memberships"]:
        assert membership["sources"]
        for source in membership["sources"]:
            assert (source["note"], membership["person_id"], membership["label"]) in keys, membership
    persons = {person["id"] for person in document["persons"]}
    organizations = {organization["id"] for organization in document["organizations"]}
    assert all(m["person_id"] in persons for m in document["memberships"])
    assert all(m["organization_id"] in organizations for m in document["memberships"] if "organization_id" in m)


def test_export_reads_older_runs_too(across_output, tmp_path, validators):
    for name in ("roles.parquet", "documents.parquet"):
        pq.write_table(pq.read_table(across_output / name), tmp_path / name)
    out = tmp_path / "popolo.json"
    result = RUNNER.invoke(app, ["export", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert errors(json.loads(out.read_text(encoding="utf-8")), validators) == []
    assert Path(out).stat().st_size > 0

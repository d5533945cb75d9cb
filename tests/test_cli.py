"""The command line, end to end through typer's test runner (texts and patterns written for these tests).

Each ``extract`` builds the pipeline (seconds), so the runs are shared by module-scoped fixtures.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import typer
from conftest import write_file
from typer.testing import CliRunner

from cli import app
from pipeline.config import MODEL_INSTALL_HINT, SHIPPED_PATTERNS_DIR

RUNNER = CliRunner()

MAYOR_TEXT = (
    "12.03.2024\n\n"
    "Neues Bürgerportal gestartet\n\n"
    "Oberbürgermeisterin Jana Beispiel eröffnete am Montag im Rathaus der Stadt Musterstadt das neue Bürgerportal.\n"
)
CDO_TEXT = (
    "12.03.2024\n\n"
    "Digitale Verwaltung kommt voran\n\n"
    "Peter Muster, Chief Digital Officer der Stadt Musterstadt, stellte am Dienstag die Digitalstrategie vor.\n"
)
KI_TEXT = (
    "05.02.2024\n\n"
    "Leitlinien für künstliche Intelligenz\n\n"
    "Dr. Lena Muster, Digitalkümmerin der Stadt Musterstadt, stellte am Donnerstag die Leitlinien vor.\n"
    "Jonas Feld, Chief AI Officer der Stadt, erläuterte die Regeln.\n"
)
# A title that does not compose from parts (an explicit pattern) and a head the lexicon lacks.
KI_PATTERN = {"label": "other_digital", "pattern": "Chief AI Officer", "id": "chief-ai-officer"}
KUEMMERER_HEAD = {"head": "kümmerer", "inflection": "noun", "class": "pilot"}
GOLD_HEADER = "doc_id,person,role,role_category,digital,organisation,municipality,as_of,start,end,status,evidence\n"


def invoke(*args: object):
    """Run the CLI; a crash (anything but a normal exit) fails the test with its traceback."""
    result = RUNNER.invoke(app, [str(arg) for arg in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        pytest.fail("".join(traceback.format_exception(*result.exc_info)) + "\n" + result.output)
    return result


def flat(text: str) -> str:
    """Output with runs of white space folded (the console wraps long lines)."""
    return " ".join(text.split())


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- extract: one run over a folder with good, skipped and failing files --------------------------


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    raw = tmp_path_factory.mktemp("presse")
    write_file(raw / "a_oberbuergermeisterin.txt", MAYOR_TEXT)
    write_file(raw / "b_cdo.txt", CDO_TEXT)
    write_file(raw / "c_jahresbericht.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    write_file(raw / "d_leer.txt", "")
    out = tmp_path_factory.mktemp("tabellen")
    result = invoke("extract", raw, "--out", out)
    return SimpleNamespace(raw=raw, out=out, result=result)


def test_extract_with_a_failed_file_exits_1(mixed):
    assert mixed.result.exit_code == 1, mixed.result.output


def test_extract_lists_every_file_in_documents(mixed):
    documents = {row["doc_id"]: row for row in read_csv(mixed.out / "documents.csv")}
    assert {doc_id: row["status"] for doc_id, row in documents.items()} == {
        "a_oberbuergermeisterin": "ok",
        "b_cdo": "ok",
        "c_jahresbericht": "skipped",
        "d_leer": "error",
    }
    assert documents["a_oberbuergermeisterin"]["message"] == documents["b_cdo"]["message"] == ""
    assert ".pdf" in documents["c_jahresbericht"]["message"]
    assert "empty" in documents["d_leer"]["message"]
    assert documents["b_cdo"]["published"] == "2024-03-12"
    assert documents["b_cdo"]["path"] == str(mixed.raw / "b_cdo.txt")


def test_extract_finds_the_cdo_with_date(mixed):
    roles = read_csv(mixed.out / "roles.csv")
    cdo = [row for row in roles if row["person"] == "Peter Muster" and row["role_category"] == "cdo"]
    assert len(cdo) == 1, roles
    (row,) = cdo
    assert row["doc_id"] == "b_cdo"
    assert row["role"] == "Chief Digital Officer"
    assert row["digital"] == "true"
    assert row["as_of"] == "2024-03-12"
    assert row["municipality"] == "Musterstadt"
    mayor = [row for row in roles if row["person"] == "Jana Beispiel"]
    assert [(row["role_category"], row["digital"]) for row in mayor] == [("mayor", "false")]
    assert not any(row["doc_id"] in {"c_jahresbericht", "d_leer"} for row in roles)


def test_extract_writes_readable_parquet_matching_the_csv(mixed):
    table = pq.read_table(mixed.out / "roles.parquet")
    roles = read_csv(mixed.out / "roles.csv")
    assert table.num_rows == len(roles)
    assert table.schema.field("digital").type == pa.bool_()
    assert table.schema.field("as_of").type == pa.date32()
    assert table.column("person").to_pylist() == [row["person"] for row in roles]
    assert pq.read_table(mixed.out / "documents.parquet").num_rows == 4
    assert pq.read_table(mixed.out / "mentions.parquet").num_rows == len(read_csv(mixed.out / "mentions.csv"))


def test_extract_prints_a_summary(mixed):
    output = flat(mixed.result.output)
    assert "documents: 4 read, 2 ok, 1 skipped, 0 duplicates, 1 failed" in output
    roles = read_csv(mixed.out / "roles.csv")
    digital = sum(row["digital"] == "true" for row in roles)
    assert f"roles: {len(roles)} found, {digital} digital" in output
    assert "empty file" in output  # the failure is named


# --- extract: user patterns, and a folder of good files only --------------------------------------


@pytest.fixture(scope="module")
def ki(tmp_path_factory):
    raw = tmp_path_factory.mktemp("ki_presse")
    write_file(raw / "ki_leitlinien.txt", KI_TEXT)
    write_file(raw / "buergerportal.md", MAYOR_TEXT)
    patterns = tmp_path_factory.mktemp("eigene_muster")
    write_file(patterns / "roles.jsonl", "// KI-Titel der Stadt Musterstadt\n" + json.dumps(KI_PATTERN) + "\n")
    write_file(patterns / "title_heads.jsonl", json.dumps(KUEMMERER_HEAD, ensure_ascii=False) + "\n")
    plain_out = tmp_path_factory.mktemp("ohne_muster")
    user_out = tmp_path_factory.mktemp("mit_muster")
    return SimpleNamespace(
        raw=raw,
        patterns=patterns,
        plain=invoke("extract", raw, "--out", plain_out, "--quiet"),
        plain_out=plain_out,
        user=invoke("extract", raw, "--out", user_out, "--patterns", patterns),
        user_out=user_out,
    )


def test_extract_over_good_files_only_exits_0(ki):
    assert ki.plain.exit_code == 0, ki.plain.output
    assert ki.user.exit_code == 0, ki.user.output
    statuses = [row["status"] for row in read_csv(ki.plain_out / "documents.csv")]
    assert statuses == ["ok", "ok"]


def test_quiet_extract_prints_no_summary(ki):
    assert "documents:" not in ki.plain.output
    assert "documents: 2 read, 2 ok, 0 skipped, 0 duplicates, 0 failed" in flat(ki.user.output)


def test_user_patterns_add_a_role_title(ki):
    rows = {row["person"]: row for row in read_csv(ki.user_out / "roles.csv")}
    row = rows["Jonas Feld"]
    assert (row["role"], row["role_category"], row["digital"]) == ("Chief AI Officer", "other_digital", "true")
    assert "chief-ai-officer" in row["rule"]
    assert row["as_of"] == "2024-02-05"


def test_a_user_head_composes_with_the_shipped_domains(ki):
    rows = {row["person"]: row for row in read_csv(ki.user_out / "roles.csv")}
    row = rows["Lena Muster"]
    assert (row["role"], row["role_category"], row["digital"]) == ("Digitalkümmerin", "digital_pilot", "true")
    assert row["rule"].endswith("lexicon:kümmerer+digital")
    assert (row["organisation"], row["municipality"]) == ("Stadt Musterstadt", "Musterstadt")


def test_without_user_patterns_the_titles_are_not_found(ki):
    roles = read_csv(ki.plain_out / "roles.csv")
    assert not any(row["person"] in ("Lena Muster", "Jonas Feld") for row in roles), roles
    assert any(row["person"] == "Jana Beispiel" for row in roles)  # the other file was processed


# --- extract: usage errors (no pipeline is built) -------------------------------------------------


def test_extract_missing_input_folder_exits_2(tmp_path):
    missing = tmp_path / "gibt_es_nicht"
    result = invoke("extract", missing, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "does not exist" in flat(result.output)
    assert "gibt_es_nicht" in result.output
    assert not (tmp_path / "out" / "roles.csv").exists()


def test_extract_unknown_model_exits_2_with_install_hint(tmp_path):
    write_file(tmp_path / "raw" / "meldung.txt", CDO_TEXT)
    result = invoke("extract", tmp_path / "raw", "--out", tmp_path / "out", "--model", "not_a_model")
    assert result.exit_code == 2
    assert "python -m spacy download de_core_news_lg" in result.output
    assert MODEL_INSTALL_HINT in result.output
    assert "not_a_model" in result.output
    assert not (tmp_path / "out" / "roles.csv").exists()


def test_extract_missing_pattern_folder_exits_2(tmp_path):
    write_file(tmp_path / "raw" / "meldung.txt", CDO_TEXT)
    result = invoke("extract", tmp_path / "raw", "--out", tmp_path / "out", "--patterns", tmp_path / "keine_muster")
    assert result.exit_code == 2
    assert "keine_muster" in result.output
    assert "does not exist" in flat(result.output)


# --- evaluate -------------------------------------------------------------------------------------


@pytest.fixture
def gold(tmp_path):
    return write_file(
        tmp_path / "gold.csv",
        GOLD_HEADER
        + 'b_cdo,Peter Muster,Chief Digital Officer,cdo,yes,Stadt Musterstadt,Musterstadt,2024-03-12,,,current,"Peter Muster, Chief Digital Officer der Stadt Musterstadt"\n'
        + "a_oberbuergermeisterin,Jana Beispiel,Oberbürgermeisterin,mayor,no,Stadt Musterstadt,Musterstadt,2024-03-12,,,current,Oberbürgermeisterin Jana Beispiel\n"
        + "b_cdo,Clara Feld,Digitallotsin,digital_pilot,yes,,Musterstadt,2024-03-12,,,current,Digitallotsin Clara Feld\n",
    )


def test_evaluate_prints_the_table(mixed, gold):
    result = invoke("evaluate", gold, mixed.out)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["P", "R", "F1", "match", "pred", "gold"]
    digital = next(line for line in lines if line.startswith("digital roles")).split()
    assert digital[3] == "0.50"  # recall: the CDO found, the Digitallotsin not
    assert digital[5:] == ["1", digital[6], "2"]
    assert any(line.startswith("all roles") for line in lines)
    assert any(line.startswith("where (municipality)") for line in lines)


def test_evaluate_json(mixed, gold):
    result = invoke("evaluate", gold, mixed.out, "--json")
    assert result.exit_code == 0
    figures = json.loads(result.stdout)
    assert {"digital", "all", "by_category"} <= figures.keys()
    assert figures["digital"]["matched"] == 1
    assert figures["digital"]["gold"] == 2
    assert figures["digital"]["recall"] == 0.5
    assert figures["by_category"]["cdo"]["matched"] == 1
    assert figures["by_category"]["digital_pilot"]["gold"] == 1
    assert figures["where"] == 1.0 and figures["when_as_of"] == 1.0


def test_evaluate_min_f1(mixed, gold):
    failing = invoke("evaluate", gold, mixed.out, "--min-f1", "1.01")
    assert failing.exit_code == 1
    assert "below" in flat(failing.output)
    passing = invoke("evaluate", gold, mixed.out, "--min-f1", "0.1")
    assert passing.exit_code == 0


def test_evaluate_misses(mixed, gold, tmp_path):
    misses = tmp_path / "fehler.csv"
    result = invoke("evaluate", gold, mixed.out, "--misses", misses)
    assert result.exit_code == 0
    rows = read_csv(misses)
    negatives = [row for row in rows if row["kind"] == "false_negative"]
    assert [(row["person"], row["evidence"]) for row in negatives] == [("Clara Feld", "Digitallotsin Clara Feld")]
    assert all(row["kind"] in {"false_positive", "false_negative"} for row in rows)


def test_evaluate_gold_missing_a_column_exits_2(mixed, tmp_path):
    gold = write_file(tmp_path / "gold.csv", "doc_id,role,role_category,digital\nb_cdo,Chief Digital Officer,cdo,yes\n")
    result = invoke("evaluate", gold, mixed.out)
    assert result.exit_code == 2
    output = flat(result.output)
    assert "missing column" in output and "person" in output
    assert f"{gold}:1" in output


def test_evaluate_missing_roles_file_exits_2(gold, tmp_path):
    result = invoke("evaluate", gold, tmp_path / "leer")
    assert result.exit_code == 2
    assert "roles.csv" in flat(result.output)


def test_evaluate_gold_without_role_column_exits_2(mixed, tmp_path):
    gold = write_file(tmp_path / "gold.csv", "doc_id,person,role_category,digital\nb_cdo,Peter Muster,cdo,yes\n")
    result = invoke("evaluate", gold, mixed.out)
    assert result.exit_code == 2
    assert "role" in result.output


# --- patterns check / list ------------------------------------------------------------------------


def test_patterns_check_good_files_exit_0(tmp_path):
    user = write_file(tmp_path / "roles.jsonl", "// eigene Titel\n\n" + json.dumps(KI_PATTERN) + "\n")
    shipped_roles = SHIPPED_PATTERNS_DIR / "roles.jsonl"
    shipped_organisations = SHIPPED_PATTERNS_DIR / "organisations.jsonl"
    result = invoke("patterns", "check", user, shipped_roles, shipped_organisations)
    assert result.exit_code == 0, result.output
    assert f"{user}: 1 patterns ok" in result.stdout
    assert re.search(rf"{re.escape(str(shipped_roles))}: \d+ patterns ok", result.stdout)
    assert re.search(rf"{re.escape(str(shipped_organisations))}: \d+ patterns ok", result.stdout)


def test_patterns_check_bad_file_exits_2_with_file_and_line(tmp_path, monkeypatch):
    # relative paths, as typed in a shell (long absolute ones hit the wrapping bug below)
    monkeypatch.chdir(tmp_path)
    write_file(Path("gut/roles.jsonl"), json.dumps(KI_PATTERN) + "\n")
    write_file(
        Path("roles.jsonl"),
        json.dumps(KI_PATTERN)
        + "\n"
        + json.dumps({"label": "ki_beauftragte", "pattern": "KI-Beauftragter", "id": "ki-m"})
        + "\n// Kommentar\n"
        + '{"label": "cdo", "pattern": "CDO"\n',
    )
    result = invoke("patterns", "check", "gut/roles.jsonl", "roles.jsonl")
    assert result.exit_code == 2
    assert "roles.jsonl:2: unknown label 'ki_beauftragte'" in result.output
    assert "roles.jsonl:4: not valid JSON" in result.output
    assert "roles.jsonl:1" not in result.output
    assert "gut/roles.jsonl: 1 patterns ok" in result.output


def test_patterns_check_organisation_file_takes_org_labels(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_file(
        Path("organisations.jsonl"), json.dumps({"label": "cdo", "pattern": "Stadt Musterstadt", "id": "o"}) + "\n"
    )
    result = invoke("patterns", "check", "organisations.jsonl")
    assert result.exit_code == 2
    assert "organisations.jsonl:1: unknown label 'cdo'" in result.output


def test_patterns_check_names_an_unknown_token_attribute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_file(Path("roles.jsonl"), json.dumps({"label": "cdo", "pattern": [{"KLEIN": "cdo"}], "id": "x"}) + "\n")
    result = invoke("patterns", "check", "roles.jsonl")
    assert result.exit_code == 2
    assert "roles.jsonl:1: invalid token pattern" in result.output
    assert "KLEIN" in result.output


def test_patterns_check_keeps_a_long_file_and_line_on_one_line(tmp_path):
    folder = tmp_path / "benutzerdefinierte_rollenmuster_der_stadtverwaltung_musterstadt_fuer_das_jahr_2024"
    bad = write_file(folder / "roles.jsonl", json.dumps({"label": "ki", "pattern": "KI-Beauftragte", "id": "x"}) + "\n")
    assert len(f"{bad}:1:") > 80
    result = invoke("patterns", "check", bad)
    assert result.exit_code == 2
    assert f"{bad}:1: unknown label 'ki'" in result.output


def test_patterns_list_by_category_with_sources():
    result = invoke("patterns", "list", "--category", "cdo")
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    patterns = [line for line in lines if line.split()[0] not in ("head", "domain", "class")]
    assert patterns
    roles_file = re.escape(str(SHIPPED_PATTERNS_DIR / "roles.jsonl"))
    for line in patterns:
        assert line.split()[0] == "cdo", line
        assert re.search(rf"{roles_file}:\d+$", line), line
    assert any(line.split()[1] == "cdo-chief-digital-officer" for line in patterns)
    assert not any(line.split()[1].startswith("mayor") for line in patterns)


def test_patterns_list_shows_the_lexicon_that_gives_a_category():
    result = invoke("patterns", "list", "--category", "digital_pilot")
    assert result.exit_code == 0
    heads = {line.split()[1] for line in result.stdout.splitlines() if line.startswith("head ")}
    assert {"lotse", "scout", "botschafter"} <= heads
    assert "leiter" not in heads
    domains = {line.split()[1]: line.split()[2:-1] for line in result.stdout.splitlines() if line.startswith("domain ")}
    assert {"digital", "digitalisierung", "it"} <= domains.keys()
    assert domains["it"] == ["it", "label"] and domains["digital"] == ["digital"]  # ``Jana Ott, IT Halden``
    heads_file = re.escape(str(SHIPPED_PATTERNS_DIR / "title_heads.jsonl"))
    assert all(
        re.search(rf"{heads_file}:\d+$", line) for line in result.stdout.splitlines() if line.startswith("head ")
    )


def test_patterns_list_includes_user_patterns(ki):
    result = invoke("patterns", "list", "--category", "other_digital", "--patterns", ki.patterns)
    assert result.exit_code == 0
    (line,) = [line for line in result.stdout.splitlines() if "chief-ai-officer" in line]
    assert line.split()[0] == "other_digital"
    assert line.endswith(f"{ki.patterns / 'roles.jsonl'}:2")
    without = invoke("patterns", "list", "--category", "other_digital")
    assert "chief-ai-officer" not in without.stdout
    pilots = invoke("patterns", "list", "--category", "digital_pilot", "--patterns", ki.patterns)
    assert f"{ki.patterns / 'title_heads.jsonl'}:1" in pilots.stdout


def test_patterns_check_validates_lexicon_and_cue_files(tmp_path):
    heads = tmp_path / "title_heads.jsonl"
    heads.write_text('{"head": "kümmerer", "inflection": "noun", "class": "pilot"}\n', encoding="utf-8")
    cues = tmp_path / "link_cues.json"
    cues.write_text('{"words": {"linking_verbs": ["amtiert"]}, "weights": {"distance": -0.3}}', encoding="utf-8")
    result = invoke("patterns", "check", heads, cues)
    assert result.exit_code == 0, result.output
    assert f"{heads}: 1 lexicon entries ok" in result.stdout
    heads.write_text('{"head": "kümmerer", "inflection": "noun", "class": "kuemmern"}\n', encoding="utf-8")
    cues.write_text('{"weights": {"nearness": 1}}', encoding="utf-8")
    result = invoke("patterns", "check", heads, cues)
    assert result.exit_code == 2
    assert f"{heads}:1: unknown class 'kuemmern'" in result.output
    assert f"{cues}: weights must name the features" in result.output


def test_patterns_list_unknown_category_exits_2():
    result = invoke("patterns", "list", "--category", "ki_beauftragte")
    assert result.exit_code == 2
    assert "unknown category" in flat(result.output)
    assert "ki_beauftragte" in result.output
    assert result.stdout.strip() == ""  # nothing listed


def test_patterns_list_bad_user_folder_exits_2(tmp_path):
    write_file(tmp_path / "roles.jsonl", "{kaputt\n")
    result = invoke("patterns", "list", "--patterns", tmp_path)
    assert result.exit_code == 2
    assert "not valid JSON" in flat(result.output)


# --- help -----------------------------------------------------------------------------------------


def commands(command, path: tuple[str, ...] = ()):
    """Every command of the app with its path (typer may vendor click, so no isinstance checks)."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from commands(sub, (*path, name))


def option_names(command) -> list[str]:
    return [
        opt
        for param in command.params
        if param.param_type_name == "option"
        for opt in (*param.opts, *param.secondary_opts)
    ]


ALL_COMMANDS = list(commands(typer.main.get_command(app)))


def test_every_command_is_covered():
    by_path = dict(ALL_COMMANDS)
    assert {"--out", "--model", "--patterns", "--quiet"} <= set(option_names(by_path[("extract",)]))
    assert {"--json", "--misses", "--min-f1"} <= set(option_names(by_path[("evaluate",)]))
    assert set(by_path) >= {
        (),
        ("extract",),
        ("evaluate",),
        ("patterns",),
        ("patterns", "check"),
        ("patterns", "list"),
    }


@pytest.mark.parametrize(("path", "command"), ALL_COMMANDS, ids=[" ".join(path) or "app" for path, _ in ALL_COMMANDS])
def test_help_mentions_every_option(path, command):
    result = invoke(*path, "--help")
    assert result.exit_code == 0
    options = option_names(command)
    assert "--help" in result.output
    for option in options:
        assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", result.output), (option, result.output)


@pytest.mark.parametrize(
    ("path", "options"),
    [
        (("extract",), ["--out", "--model", "--patterns", "--verbose", "-v", "--quiet", "-q"]),
        (("evaluate",), ["--json", "--misses", "--min-f1"]),
        (("patterns", "list"), ["--category", "--patterns"]),
    ],
)
def test_help_mentions_the_documented_options(path, options):
    output = invoke(*path, "--help").output
    for option in options:
        assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", output), option

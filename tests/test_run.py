"""A whole run: bad inputs, determinism, atomic outputs, incremental runs (texts written for these tests)."""

from __future__ import annotations

import csv
import gc
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import write_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import run as run_module
from pipeline.config import Settings
from pipeline.records import InputFile
from pipeline.run import extract, process
from pipeline.text.dates import ManifestError

ROOT = Path(__file__).resolve().parent.parent

CDO_TEXT = (
    "12.03.2024\nNeue Chief Digital Officer für Lindenau\n\n"
    "Die Stadt Lindenau hat eine neue Stelle besetzt: Dr. Jana Kurz, Chief Digital Officer der Stadt Lindenau, "
    "stellte sich am Dienstag vor. Oberbürgermeister Peter Hahn begrüßte sie.\n"
)
PILOT_TEXT = (
    "Bergheide, 5. April 2024. Die Gemeinde Bergheide hat zwei Digitallotsinnen: "
    "(v.l.n.r.) Anna Roth, Ute Brand als neue Digitallotsinnen der Gemeinde Bergheide.\n"
)


def table(out: Path, name: str) -> list[dict]:
    with (out / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run(raw: Path, out: Path, **options) -> run_module.RunSummary:
    return extract(Settings(raw_dir=raw, out_dir=out, **options))


@pytest.fixture
def corpus(tmp_path) -> Path:
    raw = tmp_path / "raw"
    write_file(raw / "2024-03-12_lindenau_cdo.txt", CDO_TEXT)
    write_file(raw / "bergheide/digitallotsinnen.txt", PILOT_TEXT)
    return raw


def roles_of(out: Path) -> set[tuple[str, str, str]]:
    return {(row["doc_id"], row["person"], row["role_category"]) for row in table(out, "roles")}


GOOD_ROLES = {
    ("2024-03-12_lindenau_cdo", "Jana Kurz", "cdo"),
    ("2024-03-12_lindenau_cdo", "Peter Hahn", "mayor"),
    ("digitallotsinnen", "Anna Roth", "digital_pilot"),
    ("digitallotsinnen", "Ute Brand", "digital_pilot"),
}


@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        ("empty.txt", b"", "error", "empty file"),
        ("blank.txt", b"  \n\t \r\n", "error", "empty file"),
        ("scan.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "error", "binary file (PDF)"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "error", "binary file"),
        ("notes.docx", b"PK\x03\x04", "skipped", "not a text file"),
        ("huge.txt", "Die Stadt Lindenau informiert. " * 400, "error", "file too large"),
    ],
)
def test_a_bad_file_gets_its_row_and_the_others_are_intact(corpus, tmp_path, name, content, status, message):
    write_file(corpus / name, content)
    summary = run(corpus, tmp_path / "out", max_file_bytes=10_000)
    documents = {row["doc_id"]: row for row in table(tmp_path / "out", "documents")}
    bad = documents[Path(name).stem]
    assert bad["status"] == status and message in bad["message"]
    assert roles_of(tmp_path / "out") == GOOD_ROLES
    assert summary.failed == (1 if status == "error" else 0)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("windows.txt", CDO_TEXT.replace("Lindenau", "Lindenau-Süd").encode("cp1252")),
        ("utf16.txt", CDO_TEXT.encode("utf-16")),
        ("bom.txt", b"\xef\xbb\xbf" + CDO_TEXT.encode("utf-8")),
        ("nul.txt", CDO_TEXT.replace("\n\n", "\n\x00\n").encode("utf-8")),
        ("crlf.txt", CDO_TEXT.replace("\n", "\r\n").encode("utf-8")),
    ],
)
def test_encodings_and_line_endings_are_read(tmp_path, name, content):
    raw = tmp_path / "raw"
    write_file(raw / name, content)
    run(raw, tmp_path / "out")
    (document,) = table(tmp_path / "out", "documents")
    assert document["status"] == "ok", document
    rows = {row["person"]: row for row in table(tmp_path / "out", "roles")}
    assert rows["Jana Kurz"]["role_category"] == "cdo"
    raw_text = (raw / name).read_bytes()
    assert rows["Jana Kurz"]["evidence"]  # offsets point into the decoded text
    assert int(rows["Jana Kurz"]["end_char"]) <= len(raw_text)


def test_broken_symlink_and_loop_are_errors(corpus, tmp_path):
    (corpus / "gone.txt").symlink_to(corpus / "missing.txt")
    (corpus / "loop").symlink_to(corpus, target_is_directory=True)
    run(corpus, tmp_path / "out")
    statuses = {row["doc_id"]: row["status"] for row in table(tmp_path / "out", "documents")}
    assert statuses["gone"] == "error"
    assert roles_of(tmp_path / "out") == GOOD_ROLES


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without read permission")
def test_unreadable_file_is_an_error(corpus, tmp_path):
    locked = write_file(corpus / "locked.txt", CDO_TEXT)
    locked.chmod(0)
    run(corpus, tmp_path / "out")
    statuses = {row["doc_id"]: row for row in table(tmp_path / "out", "documents")}
    assert statuses["locked"]["status"] == "error"


def test_the_same_input_gives_byte_identical_tables(corpus, tmp_path):
    run(corpus, tmp_path / "first")
    run(corpus, tmp_path / "second")
    for name in ("documents", "mentions", "roles"):
        assert (tmp_path / "first" / f"{name}.csv").read_bytes() == (tmp_path / "second" / f"{name}.csv").read_bytes()


def test_a_run_leaves_the_garbage_collector_as_it_found_it(corpus, tmp_path):
    gc.unfreeze()
    before = gc.get_threshold()
    run(corpus, tmp_path / "out")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0  # the pipeline may be collected after the run
    gc.freeze()  # a caller's own frozen objects stay frozen
    frozen = gc.get_freeze_count()
    run(corpus, tmp_path / "again")
    assert gc.get_freeze_count() >= frozen
    gc.unfreeze()


def test_incremental_run_after_adding_and_changing_files_equals_a_full_run(corpus, tmp_path):
    out = tmp_path / "incremental"
    first = run(corpus, out, incremental=True)
    assert first.cached == 0
    write_file(corpus / "neu.txt", "Landrätin Ulrike Brenner eröffnete im Kreis Oberaue die Sitzung.\n")
    write_file(corpus / "bergheide/digitallotsinnen.txt", PILOT_TEXT.replace("Ute Brand", "Ute Brandt"))
    second = run(corpus, out, incremental=True)
    assert second.cached == 1  # only the unchanged CDO text
    run(corpus, tmp_path / "full")
    for name in ("documents", "mentions", "roles"):
        assert (out / f"{name}.csv").read_bytes() == (tmp_path / "full" / f"{name}.csv").read_bytes()


def test_changed_patterns_invalidate_the_cache(corpus, tmp_path):
    out = tmp_path / "out"
    run(corpus, out, incremental=True)
    patterns = tmp_path / "patterns"
    write_file(patterns / "roles.jsonl", '{"label": "other_digital", "pattern": "Lotsin", "id": "lotsin"}\n')
    again = run(corpus, out, incremental=True, pattern_dirs=(patterns,))
    assert again.cached == 0


def test_a_failure_while_writing_leaves_the_previous_output(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run(corpus, out)
    before = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}

    def broken(*args, **kwargs):
        raise KeyboardInterrupt  # the user pressed Ctrl-C in the middle of the run

    write_file(corpus / "zz_more.txt", PILOT_TEXT)
    monkeypatch.setattr(run_module, "document_result", broken)
    with pytest.raises(KeyboardInterrupt):
        run(corpus, out)
    after = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    assert after == before


def test_a_killed_run_leaves_the_previous_output_readable(tmp_path):
    raw = tmp_path / "raw"
    for index in range(400):
        write_file(
            raw / f"text_{index:04d}.txt", f"{CDO_TEXT}\n\nAktenzeichen {index:04d}."
        )  # no duplicates: all processed
    out = tmp_path / "out"
    write_file(out / "roles.csv", "doc_id,person\nprevious,Run\n")
    command = [sys.executable, str(ROOT / "cli.py"), "extract", str(raw), "--out", str(out), "-q"]
    process_ = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not any(out.glob(".roles.csv.*.tmp")) and time.monotonic() < deadline and process_.poll() is None:
        time.sleep(0.01)
    process_.send_signal(signal.SIGKILL)
    process_.wait()
    assert (out / "roles.csv").read_text(encoding="utf-8") == "doc_id,person\nprevious,Run\n"


GERMAN_WORDS = st.sampled_from(
    [
        "Die", "Stadt", "Oberbürgermeisterin", "Jana", "Kurz", "Digitallotsin", "seit", "dem", "1.", "März",
        "2024", "als", "neue", ",", ".", "(", ")", "Leiter", "des", "Amts", "für", "IT", "Beigeordneter",
        "Digitalisierung", "Frau", "Herr", "Dr.", "v.l.n.r.:", "Foto:", "Digitallots:innen", "IT-Leiter/in",
        "zum", "am", "13.01.", "Mit", "Ab", "\n", "\n\n",
    ]
)  # fmt: skip


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(max_size=600), st.lists(GERMAN_WORDS, max_size=120).map(" ".join)))
def test_random_input_never_crashes_the_pipeline(content, tmp_path, nlp, rules):
    path = tmp_path / "random.txt"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (result,) = process([InputFile("random", path)], nlp, rules, settings=Settings(raw_dir=tmp_path))
    assert result.document.status in {"ok", "error"}
    assert result.document.status == "ok" or result.document.message
    for row in result.roles:
        assert 0 <= row.start_char <= row.end_char


def test_duplicate_text_is_processed_once_and_flagged(corpus, tmp_path):
    write_file(corpus / "zz_copy.txt", CDO_TEXT.replace("\n", "\r\n"))
    summary = run(corpus, tmp_path / "out")
    documents = {row["doc_id"]: row for row in table(tmp_path / "out", "documents")}
    assert documents["zz_copy"]["status"] == "duplicate"
    assert documents["zz_copy"]["message"] == "same text as 2024-03-12_lindenau_cdo"
    assert roles_of(tmp_path / "out") == GOOD_ROLES
    assert (summary.duplicates, summary.failed) == (1, 0)


def test_html_page_is_read_with_its_metadata_date(corpus, tmp_path):
    page = (
        '<html><head><meta charset="utf-8"><meta property="article:published_time" content="2024-05-02T09:00:00+02:00">'
        "<title>Stadt Musterhausen</title></head><body><nav><a href='/'>Startseite</a> | <a href='/rathaus'>Rathaus</a></nav>"
        "<article><h1>Neuer Digitalisierungsbeauftragter in Musterhausen</h1>"
        "<p>Die Stadt Musterhausen hat einen neuen Digitalisierungsbeauftragten. Jonas Ertl, der seit April als "
        "Digitalisierungsbeauftragter bei der Stadt Musterhausen tätig ist, stellte seine Pläne für das "
        "Serviceportal vor. Er will bis Jahresende zwanzig neue Online-Dienste anbieten.</p>"
        "<p>Bürgermeisterin Anna Koch lobte den Start und dankte dem Rat für die neue Stelle in der Verwaltung.</p>"
        "</article><footer>© 2024 Stadt Musterhausen</footer></body></html>"
    )
    write_file(corpus / "seite.html", page)
    run(corpus, tmp_path / "out")
    documents = {row["doc_id"]: row for row in table(tmp_path / "out", "documents")}
    assert (documents["seite"]["published"], documents["seite"]["published_source"]) == ("2024-05-02", "metadata")
    rows = {row["person"]: row for row in table(tmp_path / "out", "roles") if row["doc_id"] == "seite"}
    assert rows["Jonas Ertl"]["start"] == "2024-04"
    assert rows["Anna Koch"]["role_category"] == "mayor"


def test_a_guessed_encoding_is_noted_per_file_and_warned_once(tmp_path, caplog):
    raw = tmp_path / "raw"
    write_file(raw / "a.txt", CDO_TEXT.encode("cp1252"))
    write_file(raw / "b.txt", PILOT_TEXT.replace("Anna Roth", "Anna Röth").encode("cp1252"))
    with caplog.at_level("WARNING"):
        run(raw, tmp_path / "out")
    messages = {row["doc_id"]: row["message"] for row in table(tmp_path / "out", "documents")}
    assert messages == {"a": "encoding guessed: cp1252", "b": "encoding guessed: cp1252"}
    warnings = [record.message for record in caplog.records if "encoding was guessed" in record.message]
    assert warnings == ["2 file(s) were not UTF-8 and their encoding was guessed; documents.message names it"]


def test_a_malformed_manifest_stops_before_any_work(corpus, tmp_path):
    manifest = write_file(tmp_path / "manifest.csv", "doc_id,published\nlindenau,2024-13-01\n")
    with pytest.raises(ManifestError) as error:
        run(corpus, tmp_path / "out", manifest=manifest)
    assert f"{manifest}:2:" in str(error.value)
    assert not (tmp_path / "out").exists()


def test_a_month_stamp_dates_year_less_starts_but_is_no_publication_date(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ried.txt").write_text(
        " date 2019-03 Jonas Ried wird zum 1. April neuer IT-Leiter der Stadt Wendstedt.\n", encoding="utf-8"
    )
    extract(Settings(raw_dir=raw, out_dir=tmp_path / "out"))
    with (tmp_path / "out" / "roles.csv").open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["person"], row["role_category"], row["start"], row["status"], row["as_of"]) == (
        "Jonas Ried",
        "it_head",
        "2019-04-01",
        "future",
        "",
    )

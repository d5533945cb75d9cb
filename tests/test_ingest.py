"""Tests for finding and reading the input files."""

from __future__ import annotations

import codecs
import hashlib
import os
import unicodedata
from pathlib import Path, PurePath

import pytest
from conftest import write_file

from pipeline.records import InputFile, RawDocument
from pipeline.text.ingest import DuplicateFinder, IngestError, content_digest, discover, read, unique_doc_ids

PRESS_TEXT = (
    "Stadt Beispielhausen ernennt Digitallotsin\n"
    "Anna Beispiel ist ab sofort Ansprechpartnerin für „digitale Fragen“ im Bürgerbüro.\n"
)


def by_path(root: Path) -> dict[str, InputFile]:
    return {file.path.relative_to(root).as_posix(): file for file in discover(root)}


def input_file(path: Path) -> InputFile:
    return InputFile(path.stem, path)


# --- discover ------------------------------------------------------------------------


def test_discover_walks_sorted_and_marks_non_text_files_skipped(tmp_path: Path) -> None:
    for relative in ("b.txt", "a.md", "sub/c.TXT", "sub/antrag.docx", "sub/README"):
        write_file(tmp_path / relative, PRESS_TEXT)

    files = list(discover(tmp_path))

    assert [file.path.relative_to(tmp_path).as_posix() for file in files] == [
        "a.md",
        "b.txt",
        "sub/README",
        "sub/antrag.docx",
        "sub/c.TXT",
    ]
    assert [(file.doc_id, file.status, file.message) for file in files] == [
        ("a", "ok", ""),
        ("b", "ok", ""),
        ("README", "skipped", "not a text file (no suffix)"),
        ("antrag", "skipped", "not a text file (.docx)"),
        ("c", "ok", ""),
    ]


def test_discover_ignores_hidden_files_and_folders(tmp_path: Path) -> None:
    write_file(tmp_path / "meldung.txt", PRESS_TEXT)
    write_file(tmp_path / ".entwurf.txt", PRESS_TEXT)
    write_file(tmp_path / ".git/config", PRESS_TEXT)
    write_file(tmp_path / "archiv/.cache/alt.txt", PRESS_TEXT)

    assert list(by_path(tmp_path)) == ["meldung.txt"]


def test_discover_disambiguates_stems_with_parent_folders(tmp_path: Path) -> None:
    for relative in ("2024/meldung.txt", "2025/meldung.txt", "2025/einzeln.txt"):
        write_file(tmp_path / relative, PRESS_TEXT)

    ids = {path: file.doc_id for path, file in by_path(tmp_path).items()}

    assert ids == {
        "2024/meldung.txt": "2024__meldung",
        "2025/einzeln.txt": "einzeln",
        "2025/meldung.txt": "2025__meldung",
    }


def test_discover_disambiguates_same_stem_with_suffix(tmp_path: Path) -> None:
    write_file(tmp_path / "meldung.txt", PRESS_TEXT)
    write_file(tmp_path / "meldung.md", PRESS_TEXT)
    write_file(tmp_path / "meldung.pdf", b"%PDF-1.7")

    ids = {path: file.doc_id for path, file in by_path(tmp_path).items()}

    assert ids == {"meldung.md": "meldung.md", "meldung.pdf": "meldung.pdf", "meldung.txt": "meldung.txt"}


def test_doc_ids_grow_only_as_far_as_needed_and_are_stable(tmp_path: Path) -> None:
    for relative in ("a/x.txt", "b/x.txt", "x.md", "y.txt"):
        write_file(tmp_path / relative, PRESS_TEXT)

    first_run = [file.doc_id for file in discover(tmp_path)]

    assert first_run == ["a__x", "b__x", "x.md", "y"]
    assert [file.doc_id for file in discover(tmp_path)] == first_run


def test_unique_doc_ids_numbers_clashes_that_paths_cannot_resolve() -> None:
    paths = [PurePath("a/b/x.txt"), PurePath("a__b/x.txt"), PurePath("y.txt")]

    assert unique_doc_ids(paths) == ["a__b__x.txt", "a__b__x.txt-2", "y"]


def test_discover_follows_symlinks_to_files(tmp_path: Path) -> None:
    target = write_file(tmp_path / "quelle/meldung.txt", PRESS_TEXT)
    (tmp_path / "verweis.txt").symlink_to(target)

    assert by_path(tmp_path)["verweis.txt"].status == "ok"


def test_discover_reports_broken_symlink(tmp_path: Path) -> None:
    (tmp_path / "weg.txt").symlink_to(tmp_path / "gibt-es-nicht.txt")

    file = by_path(tmp_path)["weg.txt"]

    assert file.status == "error"
    assert file.message.startswith("broken symlink")
    assert "gibt-es-nicht.txt" in file.message


def test_discover_reports_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "schleife.txt").symlink_to(tmp_path / "schleife.txt")

    file = by_path(tmp_path)["schleife.txt"]

    assert (file.doc_id, file.status) == ("schleife", "error")
    assert file.message.startswith("symlink loop")


def test_discover_does_not_follow_folder_link_to_an_ancestor(tmp_path: Path) -> None:
    write_file(tmp_path / "presse/meldung.txt", PRESS_TEXT)
    (tmp_path / "presse" / "zurueck").symlink_to(tmp_path)

    files = by_path(tmp_path)

    assert list(files) == ["presse/meldung.txt", "presse/zurueck"]
    assert files["presse/zurueck"].status == "error"
    assert files["presse/zurueck"].message.startswith("symlink loop")


def test_discover_skips_special_files(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "rohr.txt")

    file = by_path(tmp_path)["rohr.txt"]

    assert (file.status, file.message) == ("skipped", "not a regular file")


def test_discover_rejects_missing_root(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="does not exist"):
        discover(tmp_path / "fehlt")


def test_discover_rejects_file_as_root(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="not a folder"):
        discover(write_file(tmp_path / "meldung.txt", PRESS_TEXT))


# --- read: decoding --------------------------------------------------------------------


def test_read_utf8_keeps_text_exactly(tmp_path: Path) -> None:
    text = "Bürgermeisterin Jördis Graf\r\nstellt den\u00a0Digitalisierungsplan vor.\r\n"
    path = write_file(tmp_path / "meldung.txt", text.encode("utf-8"))

    document = read(input_file(path))

    assert (document.doc_id, document.text, document.encoding) == ("meldung", text, "utf-8")


def test_read_strips_utf8_bom(tmp_path: Path) -> None:
    path = write_file(tmp_path / "bom.txt", codecs.BOM_UTF8 + PRESS_TEXT.encode("utf-8"))

    document = read(input_file(path))

    assert (document.text, document.encoding) == (PRESS_TEXT, "utf-8-sig")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_read_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    path = write_file(tmp_path / "utf16.txt", bom + PRESS_TEXT.encode(encoding))

    document = read(input_file(path))

    assert (document.text, document.encoding) == (PRESS_TEXT, "utf-16")


def test_read_detects_cp1252(tmp_path: Path) -> None:
    text = "Der Kreistag wählte Jörg Weiß zum „Beauftragten für Digitales“ – einstimmig.\n"
    path = write_file(tmp_path / "alt.txt", text.encode("cp1252"))

    document = read(input_file(path))

    assert (document.text, document.encoding) == (text, "cp1252")


def test_read_falls_back_to_cp1252_for_undecidable_bytes(tmp_path: Path) -> None:
    path = write_file(tmp_path / "kaputt.txt", b"Gr\xfc\xdfe \x81\x8d aus Beispielhausen\n")

    document = read(input_file(path))

    assert document.encoding == "cp1252"
    assert document.text.startswith("Grüße")


def test_read_accepts_a_stray_nul_byte(tmp_path: Path) -> None:
    path = write_file(tmp_path / "nul.txt", PRESS_TEXT.encode("utf-8") + b"\x00")

    assert read(input_file(path)).text == PRESS_TEXT + "\x00"


# --- read: rejected files ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (PDF), not text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (PNG), not text"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary file (JPEG), not text"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "binary file (ZIP), not text"),
        (b"Text\x00\x00\x00\x00\x00\x00\x00\x00", "binary file (67% NUL bytes), not text"),
    ],
)
def test_read_rejects_binary_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = write_file(tmp_path / "meldung.txt", content)

    with pytest.raises(IngestError) as error:
        read(input_file(path))

    assert str(error.value) == message


@pytest.mark.parametrize("content", [b"", b" \r\n\t\n", codecs.BOM_UTF8 + b"\n", " \n".encode("utf-16")])
def test_read_rejects_empty_files(tmp_path: Path, content: bytes) -> None:
    path = write_file(tmp_path / "leer.txt", content)

    with pytest.raises(IngestError, match=r"^empty file$"):
        read(input_file(path))


def test_read_rejects_file_over_size_limit(tmp_path: Path) -> None:
    path = write_file(tmp_path / "gross.txt", "x" * 1500)

    with pytest.raises(IngestError, match=r"^file too large: 1,500 bytes, limit is 1,000 bytes$"):
        read(input_file(path), max_bytes=1000)


def test_read_accepts_file_at_size_limit(tmp_path: Path) -> None:
    path = write_file(tmp_path / "genau.txt", "x" * 1000)

    assert len(read(input_file(path), max_bytes=1000).text) == 1000


def test_read_reports_os_error_message(tmp_path: Path) -> None:
    folder = tmp_path / "ordner.txt"
    folder.mkdir()

    with pytest.raises(IngestError, match=r"^cannot read file: Is a directory$"):
        read(input_file(folder))


def test_read_reports_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"^cannot read file: No such file or directory$"):
        read(input_file(tmp_path / "fehlt.txt"))


def test_read_refuses_files_discover_did_not_accept(tmp_path: Path) -> None:
    write_file(tmp_path / "antrag.docx", b"PK\x03\x04")
    (skipped,) = discover(tmp_path)

    with pytest.raises(IngestError, match=r"^not a text file \(\.docx\)$"):
        read(skipped)


def test_discover_then_read_round_trip(tmp_path: Path) -> None:
    write_file(tmp_path / "2025/cdo.txt", "Neue CDO für Beispielhausen\n")
    write_file(tmp_path / "2025/cdo.md", "# Neue CDO\n")

    texts = {file.doc_id: read(file).text for file in discover(tmp_path) if file.status == "ok"}

    assert texts == {"cdo.md": "# Neue CDO\n", "cdo.txt": "Neue CDO für Beispielhausen\n"}


# --- duplicate texts ---------------------------------------------------------------------


def raw(doc_id: str, text: str) -> RawDocument:
    return RawDocument(doc_id, Path(f"{doc_id}.txt"), text, "utf-8")


def seen(finder: DuplicateFinder, document: RawDocument) -> str | None:
    return finder.first_seen(document.doc_id, content_digest(document.text))


def test_duplicate_finder_recognises_same_text_with_other_whitespace() -> None:
    finder = DuplicateFinder()
    first = "Stadt Beispielhausen ernennt Digitallotsin\nAnna Beispiel ist ab sofort Ansprechpartnerin.\n"
    same = "  Stadt Beispielhausen  ernennt Digitallotsin\r\n\r\nAnna Beispiel ist ab\tsofort\u00a0Ansprechpartnerin."

    assert seen(finder, raw("meldung", first)) is None
    assert seen(finder, raw("kopie", same)) == "meldung"


def test_duplicate_finder_composes_unicode() -> None:
    finder = DuplicateFinder()
    composed = "Jördis Graf wird Beauftragte für Digitales."

    seen(finder, raw("nfc", composed))

    assert seen(finder, raw("nfd", unicodedata.normalize("NFD", composed))) == "nfc"


def test_duplicate_finder_keeps_different_texts_apart() -> None:
    finder = DuplicateFinder()

    assert seen(finder, raw("a", "Anna Beispiel wird Digitallotsin.")) is None
    assert seen(finder, raw("b", "Anna Beispiel wird Digitallotsin!")) is None
    assert seen(finder, raw("c", "anna beispiel wird digitallotsin.")) is None
    assert seen(finder, raw("d", "AnnaBeispiel wird Digitallotsin.")) is None
    assert len(finder) == 4


def test_duplicate_finder_names_the_first_document_for_every_later_copy() -> None:
    finder = DuplicateFinder()
    text = "Peter Muster ist Chief Digital Officer der Stadt Musterhausen.\n"

    results = [seen(finder, raw(doc_id, text)) for doc_id in ("original", "kopie", "kopie-2")]

    assert results == [None, "original", "original"]
    assert len(finder) == 1


def test_content_digest_is_a_sha256_hex_digest_of_the_normalised_text() -> None:
    digest = content_digest(" Neue\r\nCDO \n")

    assert digest == hashlib.sha256(b"Neue CDO").hexdigest()


def test_duplicate_files_found_after_reading(tmp_path: Path) -> None:
    write_file(tmp_path / "2024/meldung.txt", PRESS_TEXT)
    write_file(tmp_path / "archiv/meldung-kopie.md", PRESS_TEXT.replace("\n", "\r\n").encode("utf-16"))
    write_file(tmp_path / "andere.txt", "Neue CDO für Beispielhausen\n")
    finder = DuplicateFinder()

    flagged = {file.doc_id: seen(finder, read(file)) for file in discover(tmp_path)}

    assert flagged == {"meldung": None, "andere": None, "meldung-kopie": "meldung"}

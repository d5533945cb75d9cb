"""Find the input files and read them as text.

:func:`discover` lists everything under the input folder, in a stable order and
with a unique ``doc_id`` per file, marking files that cannot be texts as
"skipped" and unreadable entries (broken links, link loops) as "error", so
that every file shows up in the documents table.  :func:`read` turns one file
into a :class:`RawDocument`, rejecting files that are too large, empty or
binary, and decoding the rest without touching the decoded text: later stages
report offsets into it.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

from charset_normalizer import from_bytes

from pipeline.records import InputFile, RawDocument

TEXT_SUFFIXES = (".txt", ".md")

# Signatures of binary formats that turn up among text exports (a PDF saved
# as .txt, a .docx renamed), checked before any decoding is tried.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office"),
)

# A text may carry a stray NUL byte (the cleaner removes it); a larger share
# means the bytes are not text in an 8-bit or UTF-8 encoding.
MAX_NUL_SHARE = 0.1

# Candidates for bytes that are not UTF-8 (UTF-8 is tried first, strictly):
# German web and office texts outside UTF-8 are Windows-1252 or Latin-1.
LEGACY_ENCODINGS = ("cp1252", "latin_1")
FALLBACK_ENCODING = "cp1252"


class IngestError(Exception):
    """A file or folder that cannot be used as input; the message says why."""


@dataclass(frozen=True)
class _Entry:
    """A path found under the root, relative to it, with its status."""

    relative: PurePath
    status: str
    message: str = ""


def discover(root: Path) -> Iterator[InputFile]:
    """List the files under ``root`` in sorted order, hidden entries left out.

    Raises :class:`IngestError` at once if ``root`` is not a readable folder.
    """
    root = Path(root)
    if not root.exists():
        raise IngestError(f"input folder does not exist: {root}")
    if not root.is_dir():
        raise IngestError(f"input path is not a folder: {root}")
    try:
        top_level = _visible_entries(root)
    except OSError as exc:
        raise IngestError(f"cannot list input folder {root}: {exc.strerror}") from exc

    ancestors = frozenset({os.path.realpath(root)})
    entries = list(_walk(top_level, PurePath(), ancestors))
    doc_ids = unique_doc_ids([entry.relative for entry in entries])
    return iter(
        [
            InputFile(doc_id, root / entry.relative, entry.status, entry.message)
            for entry, doc_id in zip(entries, doc_ids, strict=True)
        ]
    )


def _visible_entries(directory: Path) -> list[os.DirEntry[str]]:
    with os.scandir(directory) as scan:
        return sorted((entry for entry in scan if not entry.name.startswith(".")), key=lambda e: e.name)


def _walk(entries: Iterable[os.DirEntry[str]], relative: PurePath, ancestors: frozenset[str]) -> Iterator[_Entry]:
    for entry in entries:
        yield from _inspect(Path(entry.path), relative / entry.name, ancestors)


def _inspect(path: Path, relative: PurePath, ancestors: frozenset[str]) -> Iterator[_Entry]:
    try:
        mode = path.stat().st_mode  # follows links: a link is judged by its target
    except OSError as exc:
        yield _Entry(relative, "error", _access_problem(path, exc))
        return

    if stat.S_ISDIR(mode):
        yield from _inspect_folder(path, relative, ancestors)
    elif not stat.S_ISREG(mode):
        yield _Entry(relative, "skipped", "not a regular file")
    elif path.suffix.lower() in TEXT_SUFFIXES:
        yield _Entry(relative, "ok")
    else:
        yield _Entry(relative, "skipped", f"not a text file ({path.suffix.lower() or 'no suffix'})")


def _inspect_folder(path: Path, relative: PurePath, ancestors: frozenset[str]) -> Iterator[_Entry]:
    real_path = os.path.realpath(path)
    if real_path in ancestors:
        # A link to a folder that contains it would make the walk endless.
        yield _Entry(relative, "error", f"symlink loop: folder links back to {real_path}")
        return
    try:
        children = _visible_entries(path)
    except OSError as exc:
        yield _Entry(relative, "error", f"cannot list folder: {exc.strerror}")
        return
    yield from _walk(children, relative, ancestors | {real_path})


def _access_problem(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return f"symlink loop: {path.name} -> {os.readlink(path)}"
    if isinstance(exc, FileNotFoundError) and path.is_symlink():
        return f"broken symlink: target {os.readlink(path)} does not exist"
    return f"cannot access: {exc.strerror}"


def unique_doc_ids(relative_paths: list[PurePath]) -> list[str]:
    """One id per path: the stem, made longer only where ids clash.

    Clashing ids grow step by step: the suffix (``x.txt`` / ``x.md``), then
    the parent folders instead (``a/x.txt`` / ``b/x.txt`` -> ``a__x`` /
    ``b__x``), then both; anything still equal is numbered in path order.
    The result depends only on the paths, so it is stable across runs.
    """
    namings: tuple[Callable[[PurePath], str], ...] = (
        lambda path: path.stem,
        lambda path: path.name,
        lambda path: "__".join((*path.parent.parts, path.stem)),
        lambda path: "__".join(path.parts),
    )
    doc_ids = [namings[0](path) for path in relative_paths]
    for naming in namings[1:]:
        counts = Counter(doc_ids)
        for index, doc_id in enumerate(doc_ids):
            if counts[doc_id] > 1:
                doc_ids[index] = naming(relative_paths[index])
    return _numbered(doc_ids)


def _numbered(doc_ids: list[str]) -> list[str]:
    used: set[str] = set()
    unique = []
    for doc_id in doc_ids:
        candidate, number = doc_id, 1
        while candidate in used:
            number += 1
            candidate = f"{doc_id}-{number}"
        used.add(candidate)
        unique.append(candidate)
    return unique


def read(file: InputFile, *, max_bytes: int = 5_000_000) -> RawDocument:
    """Read and decode one file; raise :class:`IngestError` if it is not usable text."""
    if file.status != "ok":
        raise IngestError(file.message or f"file has status {file.status!r}")
    text, encoding = _decode(_read_bytes(file.path, max_bytes))
    if not text.strip():
        raise IngestError("empty file")
    return RawDocument(file.doc_id, file.path, text, encoding)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            # Reading one byte past the limit also catches files that grow
            # between stat and read, or report no size at all.
            data = b"" if size > max_bytes else stream.read(max_bytes + 1)
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}") from exc
    size = max(size, len(data))
    if size > max_bytes:
        raise IngestError(f"file too large: {size:,} bytes, limit is {max_bytes:,} bytes")
    return data


def _decode(data: bytes) -> tuple[str, str]:
    """The decoded text (a byte-order mark removed) and the encoding used."""
    if not data.strip():
        raise IngestError("empty file")
    kind = _binary_kind(data)
    if kind:
        raise IngestError(f"binary file ({kind}), not text")
    if data.startswith(codecs.BOM_UTF8):
        return _decode_strictly(data, "utf-8-sig"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_strictly(data, "utf-16"), "utf-16"
    nul_share = data.count(0) / len(data)
    if nul_share > MAX_NUL_SHARE:
        raise IngestError(f"binary file ({nul_share:.0%} NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode_legacy(data)


def _binary_kind(data: bytes) -> str:
    return next((kind for signature, kind in BINARY_SIGNATURES if data.startswith(signature)), "")


def _decode_strictly(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(f"cannot decode as {encoding}: {exc.reason} at byte {exc.start}") from exc


def _decode_legacy(data: bytes) -> tuple[str, str]:
    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    encoding = best.encoding if best else FALLBACK_ENCODING
    # cp1252 leaves five byte values undefined; replacing them keeps one
    # character per byte rather than failing on a single odd byte.
    return data.decode(encoding, errors="replace"), encoding

"""Find the input files and read them as text.

:func:`discover` lists everything under the input folder, in a stable order and
with a unique ``doc_id`` per file, marking files that cannot be texts as
"skipped" and unreadable entries (broken links, link loops) as "error", so
that every file shows up in the documents table.  :func:`read` turns one file
into a :class:`RawDocument`, rejecting files that are too large, empty or
binary, and decoding the rest without touching the decoded text: later stages
report offsets into it.

HTML pages (``.html``, ``.htm``) are the exception: their :class:`RawDocument`
holds the main text extracted from the page (see :func:`extract_html`), so
offsets of later stages point into that text, not into the markup.

:class:`DuplicateFinder` recognises a text already seen under another name.
"""

from __future__ import annotations

import codecs
import copy
import errno
import hashlib
import json
import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from charset_normalizer import from_bytes

from pipeline.records import InputFile, RawDocument

if TYPE_CHECKING:
    from lxml.html import HtmlElement

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
INPUT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES

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
    elif path.suffix.lower() in INPUT_SUFFIXES:
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
    """Read and decode one file; raise :class:`IngestError` if it is not usable text.

    An HTML page gives the main text extracted from it (:func:`extract_html`)
    and the publication date its markup states, if any.
    """
    if file.status != "ok":
        raise IngestError(file.message or f"file has status {file.status!r}")
    data = _read_bytes(file.path, max_bytes)
    if is_html(file.path):
        markup, encoding = _decode(data, html=True)
        page = extract_html(markup)
        return RawDocument(file.doc_id, file.path, page.text, encoding, metadata_date=page.published)
    text, encoding = _decode(data)
    if not text.strip():
        raise IngestError("empty file")
    return RawDocument(file.doc_id, file.path, text, encoding)


def is_html(path: PurePath) -> bool:
    """Whether a file is read as an HTML page (by its suffix, in any case)."""
    return path.suffix.lower() in HTML_SUFFIXES


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


def _decode(data: bytes, *, html: bool = False) -> tuple[str, str]:
    """The decoded text (a byte-order mark removed) and the encoding used.

    Bytes that are valid UTF-8 are UTF-8 whatever a page declares (a
    template's stale ``charset=iso-8859-1`` is common); otherwise an HTML
    page's declared charset comes before guessing.
    """
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
        declared = declared_charset(data) if html else None
        if declared is not None and declared != "utf-8":
            return data.decode(declared, errors="replace"), declared
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


# --- HTML pages ------------------------------------------------------------------------

# Where a page declares its charset: <meta charset>, <meta http-equiv
# content="text/html; charset=..."> or an XHTML declaration, near the start.
_CHARSET_SCAN_BYTES = 16_384
_DECLARED_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
# As browsers do (WHATWG Encoding): Latin-1 and ASCII labels mean Windows-1252,
# and a UTF-16/32 label on bytes without a byte-order mark cannot be right.
_CHARSET_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}
_IGNORED_CHARSETS = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# lxml refuses strings with C0 control characters other than tab and line breaks.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Page furniture removed before extraction, so that no extraction stage
# (trafilatura falls back to a whole-page text dump for short pages) sees it.
# Boxes inside an <article> (a contact box, an article footer) stay, and so
# does anything holding the main part (some CMS wrap the page in a <form>).
_FURNITURE_XPATH = (
    "//nav | //*[@role='navigation']"
    " | //aside[not(ancestor::article)] | //*[@role='complementary'][not(ancestor::article)]"
    " | //footer[not(ancestor::article)] | //*[@role='contentinfo'][not(ancestor::article)]"
    " | //header[not(ancestor::article) and not(ancestor::main) and not(.//h1)]"
    " | //*[@role='banner'][not(.//h1)]"
    " | //form | //noscript"
)
_CONSENT_BOX = re.compile(r"cookie|consent|dsgvo|gdpr|cc-(?:window|banner)", re.IGNORECASE)
# Caption boxes that trafilatura would drop (it discards figures and any
# element whose class or id contains "caption").  Captions name people and
# their roles, so they are turned into plain paragraphs.
_CAPTION_BOX = re.compile(r"caption|bildunterschrift|bildtext|(?:^|[\s_-])bu(?:$|[\s_-])", re.IGNORECASE)
_MAX_CAPTION_CHARS = 1000
_CONTAINERS = frozenset({"html", "body", "main", "article", "section"})
_NOT_IN_CAPTIONS = ("ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article")
_MAIN_PART = ".//article | .//main | .//*[@role='main'] | .//h1"

# Publication dates a page states in its markup, strongest first.  Modified
# dates, copyright years, URLs and dates in the running text do not count.
_PUBLISHED_META = frozenset(
    {
        "article:published_time", "og:article:published_time", "og:published_time", "published_time",
        "datepublished", "publication_date", "publish_date", "publish-date", "pubdate", "article.published",
        "dcterms.issued", "dc.date.issued", "dc.date.published", "parsely-pub-date", "sailthru.date",
        "citation_publication_date",
    }
)  # fmt: skip
_GENERIC_META = frozenset({"date", "dc.date", "dcterms.date", "dc.date.created", "dcterms.created"})
_ISO_DATE = re.compile(r"^\s*((?:19|20)\d{2})-?(\d{2})-?(\d{2})(?![\d])")
_GERMAN_DATE = re.compile(r"^\s*(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d{2})(?!\d)")
_NOT_A_PUBLICATION_TIME = "ancestor::p or ancestor::li or ancestor::table or ancestor::aside or ancestor::nav"


@dataclass(frozen=True)
class HtmlPage:
    """What :func:`extract_html` takes from a page."""

    text: str
    headline: str = ""
    published: date | None = None


def extract_html(markup: str) -> HtmlPage:
    """The main text of an HTML page, its headline and its stated publication date.

    The text is what trafilatura finds as the page's main content (navigation,
    cookie banners, sidebars and the site footer left out), one block per
    line, with photo captions (``<figcaption>``, caption boxes, ``BU:``
    paragraphs) kept where they stand and the headline (the ``<h1>`` of the
    article, else ``og:title``) as the first line.  This text, not the
    markup, becomes :attr:`RawDocument.text`: offsets of later stages point
    into it, and there is no map back into the HTML.

    ``published`` comes only from what the markup states (meta tags such as
    ``article:published_time``, JSON-LD ``datePublished``, a ``<time
    datetime>`` in the article); nothing is guessed from URLs, copyright
    lines, the text or today's date.  Raises :class:`IngestError` when the
    page has no main text.
    """
    import trafilatura  # imported here: only HTML input needs it

    tree = _parse_html(markup)
    headline = _headline(tree)
    published = _stated_publication_date(tree)
    _remove_furniture(tree)
    _keep_captions(tree)
    extracted = trafilatura.extract(
        tree,
        output_format="txt",
        favor_recall=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        with_metadata=False,
        deduplicate=False,
    )
    lines = [line.strip() for line in (extracted or "").splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise IngestError("no main text found in HTML")
    return HtmlPage("\n".join(_headline_first(lines, headline)) + "\n", headline, published)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares near its start, as a Python codec name, if usable."""
    match = _DECLARED_CHARSET.search(data[:_CHARSET_SCAN_BYTES])
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii")
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _IGNORED_CHARSETS:
        return None
    return _CHARSET_ALIASES.get(name, name)


def _parse_html(markup: str) -> HtmlElement:
    from lxml import etree, html

    markup = _CONTROL_CHARACTERS.sub("", _XML_DECLARATION.sub("", markup, count=1))
    try:
        return html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as exc:
        raise IngestError("no main text found in HTML") from exc


def _text_of(element: HtmlElement) -> str:
    """The element's text on one line, a line break counting as a space."""
    element = copy.deepcopy(element)
    for line_break in element.iter("br"):
        line_break.tail = " " + (line_break.tail or "")
    return " ".join(element.text_content().split())


def _headline(tree: HtmlElement) -> str:
    """The article's ``<h1>``, else ``og:title``, else a page ``<h1>`` that is not a logo."""
    searches = (
        "//article//h1 | //main//h1 | //*[@role='main']//h1",
        "//meta[@property='og:title' or @name='og:title']",
        (
            "//h1[not(ancestor::header) and not(ancestor::nav)"
            " and not(contains(translate(concat(@class, ' ', @id), 'LOGO', 'logo'), 'logo'))]"
        ),
    )
    for xpath in searches:
        for element in tree.xpath(xpath):
            text = " ".join(element.get("content", "").split()) if element.tag == "meta" else _text_of(element)
            if text:
                return text
    return ""


def _headline_first(lines: list[str], headline: str) -> list[str]:
    """Move the headline's line to the front, or put the headline there if it is missing."""
    if not headline:
        return lines
    same = [index for index, line in enumerate(lines) if " ".join(line.split()) == headline]
    if same and same[0] == 0:
        return lines
    if same:
        return [lines[same[0]], *lines[: same[0]], *lines[same[0] + 1 :]]
    return [headline, *lines]


def _remove_furniture(tree: HtmlElement) -> None:
    boxes = list(tree.xpath(_FURNITURE_XPATH))
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in _CONTAINERS:
            continue
        if _CONSENT_BOX.search(f"{element.get('id', '')} {element.get('class', '')}"):
            boxes.append(element)
    for element in boxes:
        if element.getparent() is not None and not element.xpath(_MAIN_PART):
            element.drop_tree()


def _keep_captions(tree: HtmlElement) -> None:
    for caption in list(tree.iter("figcaption")):
        caption.tag = "div" if caption.find(".//p") is not None else "p"
    for figure in list(tree.iter("figure")):
        figure.tag = "div"
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.tag in _CONTAINERS:
            continue
        names = f"{element.get('id', '')} {element.get('class', '')}"
        if not _CAPTION_BOX.search(names) or len(element.text_content()) > _MAX_CAPTION_CHARS:
            continue
        if any(element.iterdescendants(*_NOT_IN_CAPTIONS)):
            continue  # a box holding lists, tables or headings is not a caption
        element.attrib.pop("id", None)
        element.attrib.pop("class", None)
        if element.find(".//p") is None and element.find(".//div") is None:
            element.tag = "p"


def _stated_publication_date(tree: HtmlElement) -> date | None:
    """The publication date the markup states, or None; see :func:`extract_html`."""
    metas = [(_meta_name(element), element.get("content")) for element in tree.iter("meta")]
    candidates = chain(
        (content for name, content in metas if name in _PUBLISHED_META),
        (element.get("datetime") or element.get("content") for element in tree.xpath("//*[@itemprop='datePublished']")),
        _json_ld_dates(tree),
        (content for name, content in metas if name in _GENERIC_META),
        (element.get("datetime") for element in _publication_time_elements(tree)),
    )
    return next(filter(None, map(_parse_stated_date, candidates)), None)


def _meta_name(element: HtmlElement) -> str:
    return (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()


def _json_ld_dates(tree: HtmlElement) -> Iterator[str]:
    """``datePublished`` values of JSON-LD blocks, those of articles first."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        source = script.text or ""
        if "datePublished" not in source:
            continue
        try:
            objects = list(_json_objects(json.loads(source, strict=False)))
        except ValueError:  # broken JSON: take the value as written
            yield from re.findall(r'"datePublished"\s*:\s*"([^"]*)"', source)
            continue
        articles = [obj for obj in objects if _is_article(obj)]
        for obj in (*articles, *objects):
            value = obj.get("datePublished")
            if isinstance(value, str):
                yield value


def _json_objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from _json_objects(child)
    elif isinstance(value, list):
        for child in value:
            yield from _json_objects(child)


def _is_article(obj: dict[str, Any]) -> bool:
    types = obj.get("@type", [])
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    return any(isinstance(kind, str) and kind.endswith(("Article", "BlogPosting", "PressRelease")) for kind in types)


def _publication_time_elements(tree: HtmlElement) -> list[HtmlElement]:
    """``<time datetime>`` elements that date the article, not an event in its text.

    A ``pubdate`` one anywhere; else the first in the article (or main part)
    outside paragraphs, lists, tables and side boxes.
    """
    marked = tree.xpath("//time[@datetime and @pubdate]")
    if marked:
        return marked[:1]
    scopes = tree.xpath("//article[not(ancestor::aside)] | //main | //*[@role='main']")
    scope = scopes[0] if scopes else tree
    prefix = "." if scopes else ""
    times = scope.xpath(f"{prefix}//time[@datetime and not({_NOT_A_PUBLICATION_TIME})]")
    return times[:1]


def _parse_stated_date(value: str | None) -> date | None:
    """A full date at the start of ``value`` (ISO 8601 or ``12.03.2024``), as written (no time-zone shift)."""
    if not value:
        return None
    match = _ISO_DATE.match(value)
    if match is not None:
        year, month, day = match.groups()
    else:
        match = _GERMAN_DATE.match(value)
        if match is None:
            return None
        day, month, year = match.groups()
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


# --- duplicate texts -------------------------------------------------------------------


def content_digest(text: str) -> str:
    """SHA-256 (hex) of a text in NFC with every run of whitespace made one space, ends trimmed.

    Two files whose texts differ only in line endings, spacing, line wrapping
    or Unicode composition get the same digest.
    """
    normalised = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normalised.encode("utf-8", "surrogatepass")).hexdigest()


class DuplicateFinder:
    """Remembers the texts read so far, by their :func:`content_digest`, to recognise one seen under another name.

    Only a digest per distinct text is kept, so memory stays small over large
    corpora; workers compute the digests, the run decides in input order.
    """

    def __init__(self) -> None:
        self._first: dict[str, str] = {}

    def first_seen(self, doc_id: str, digest: str) -> str | None:
        """The ``doc_id`` of an earlier document with this text's digest, or None (and remember this one)."""
        earlier = self._first.setdefault(digest, doc_id)
        return None if earlier == doc_id else earlier

    def __len__(self) -> int:
        return len(self._first)

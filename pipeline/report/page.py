"""The review page: the data of an output folder, embedded with its template, styles and script in one HTML file.

Everything the page needs is inside the file (no network access when it is
opened). Row data and document texts are embedded as JSON in
``<script type="application/json">`` blocks, escaped so that no text can end
the block; the page's script renders rows a page at a time and puts texts in
with ``textContent``. The only markup taken from the data is displaCy's
rendering of the evidence, which escapes the text. A Content-Security-Policy
allows the page's own script (by its hash) and nothing from the network.

>>> summary = write_report(Path("output"), Path("output/report.html"))
>>> summary.rows, summary.documents
(33, 6)
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from pathlib import Path

from pipeline.report.data import DocumentText, OutputTables, read_output, read_text
from pipeline.report.evidence import Context, render_evidence, sentence_context
from pipeline.taxonomy import DIGITAL_CATEGORIES, OTHER_CATEGORIES

PAGE_MODE = 0o644  # a page to open and pass on, unlike mkstemp's private default
_MARKER = re.compile(r"\{\{(\w+)\}\}")
# Characters that must not appear raw inside a <script> block or a JavaScript string.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True)
class ReportSummary:
    """What a written page holds."""

    path: Path
    documents: int
    rows: int
    unavailable: int  # documents with rows whose text could not be read
    bytes: int


def write_report(output_dir: Path, target: Path) -> ReportSummary:
    """Build the review page of ``output_dir`` and write it atomically to ``target``."""
    tables = read_output(output_dir)
    data, texts = page_data(tables)
    page = render_page(data, texts)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(page)
        os.chmod(temporary, PAGE_MODE)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    documents_with_rows = {row.doc_id for row in tables.rows}
    return ReportSummary(
        path=target,
        documents=len(tables.documents),
        rows=len(tables.rows),
        unavailable=sum(
            1 for document in data["documents"] if document["id"] in documents_with_rows and not document["hasText"]
        ),
        bytes=len(page.encode("utf-8")),
    )


def category_order(categories: set[str]) -> list[str]:
    """Digital categories first, then the others, then any the taxonomy does not know; each group sorted.

    >>> category_order({"mayor", "cdo", "it_head"})
    ['cdo', 'it_head', 'mayor']
    """
    known = DIGITAL_CATEGORIES | OTHER_CATEGORIES
    return [
        *sorted(DIGITAL_CATEGORIES & categories),
        *sorted(OTHER_CATEGORIES & categories),
        *sorted(categories - known),
    ]


def page_data(tables: OutputTables) -> tuple[dict, dict[int, str]]:
    """The JSON data of the page and the texts to embed (by document index).

    Only documents with rows have their text read and embedded. A row whose evidence is not at its offsets
    in the text (the file changed since the run) shows its evidence alone.
    """
    index_of = {document.doc_id: index for index, document in enumerate(tables.documents)}
    rows_by_document: dict[str, list] = {}
    for row in tables.rows:
        rows_by_document.setdefault(row.doc_id, []).append(row)
    notes: dict[str, str] = {}
    texts: dict[int, str] = {}
    rows = []
    for doc_id, document_rows in rows_by_document.items():
        document = tables.documents[index_of[doc_id]] if doc_id in index_of else None
        loaded = read_text(document) if document else DocumentText(None, "the document is not in documents.parquet")
        if loaded.text is not None:
            texts[index_of[doc_id]] = loaded.text
        else:
            notes[doc_id] = loaded.problem
        for row in document_rows:
            text = loaded.text
            placed = text is not None and text[row.start_char : row.end_char] == row.evidence
            if placed:
                context = sentence_context(text, row.start_char, row.end_char)
                at = [_utf16_offset(text, row.start_char), _utf16_offset(text, row.end_char)]
            else:
                context = Context(row.evidence, 0, len(row.evidence))
                at = None
                if text is not None:
                    notes[doc_id] = "the text has changed since the run: some evidence is not at its offsets"
            rows.append(
                {
                    "key": row.key,
                    "doc": index_of.get(doc_id, -1),
                    "docId": row.doc_id,
                    "person": row.person,
                    "personId": row.person_id,
                    "role": row.role,
                    "category": row.role_category,
                    "digital": row.digital,
                    "organisation": row.organisation,
                    "municipality": row.municipality,
                    "asOf": row.as_of,
                    "start": row.start,
                    "end": row.end,
                    "status": row.status,
                    "evidence": row.evidence,
                    "rule": row.rule,
                    "at": at,
                    "html": render_evidence(context, person=row.person, role=row.role),
                }
            )
    rows.sort(key=lambda row: (row["municipality"] == "", row["municipality"], row["docId"], row["at"] or [0]))
    categories = category_order({row["category"] for row in rows} | DIGITAL_CATEGORIES | OTHER_CATEGORIES)
    data = {
        "meta": {
            "source": str(tables.folder),
            "built": datetime.now().isoformat(timespec="seconds"),
            "reviewKey": hashlib.sha256(str(tables.folder.resolve()).encode()).hexdigest()[:16],
        },
        "categories": [{"key": key, "digital": key in DIGITAL_CATEGORIES} for key in categories],
        "documents": [
            {
                "id": document.doc_id,
                "title": document.title,
                "published": document.published,
                "municipality": document.municipality,
                "status": document.status,
                "hasText": index in texts,
                "note": notes.get(document.doc_id, ""),
            }
            for index, document in enumerate(tables.documents)
        ],
        "rows": rows,
        "tenures": None if tables.tenures is None else [tenure.__dict__ for tenure in tables.tenures],
    }
    return data, texts


def script_json(value: object) -> str:
    """JSON that can stand inside a ``<script>`` block: no ``<``, ``>``, ``&`` or line separators appear raw.

    >>> script_json({"text": "</script><b>"})
    '{"text":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda match: _SCRIPT_ESCAPES[match.group()], encoded)


def render_page(data: dict, texts: dict[int, str]) -> str:
    """The whole HTML page: template, styles, data blocks and script."""
    script = _resource("page.js")
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    parts = {
        "title": html.escape(f"Review: {data['meta']['source']}"),
        "csp": (
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
            f"script-src 'sha256-{script_hash}'; form-action 'none'; base-uri 'none'"
        ),
        "style": _resource("page.css"),
        "data": script_json(data),
        "texts": "".join(
            f'<script type="application/json" id="text-{index}">{script_json(text)}</script>\n'
            for index, text in sorted(texts.items())
        ),
        "script": script,
    }
    return _MARKER.sub(lambda match: parts[match.group(1)], _resource("template.html"))


def _resource(name: str) -> str:
    return files("pipeline.report").joinpath(name).read_text(encoding="utf-8")


def _utf16_offset(text: str, index: int) -> int:
    """The offset of character ``index`` in JavaScript's UTF-16 string (characters beyond U+FFFF count twice)."""
    return index + len(_ASTRAL.findall(text, 0, index))

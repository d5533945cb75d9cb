"""Results of earlier runs, for ``extract --incremental``.

A document's rows are stored under a key made of everything that decides
them: the document's id, path and text, its manifest date, and the pipeline's
fingerprint (package version, model name and version, the pattern files). A
file that is new or changed, or a changed model or pattern, misses the cache
and is processed again; everything else is read back, so an incremental run
gives the same tables as a full one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import MISSING, asdict, fields
from datetime import date
from pathlib import Path

from spacy.language import Language

from pipeline import __version__
from pipeline.records import DocumentRow, MentionRow, RawDocument, RoleRow

CACHE_FOLDER = ".cache"
_DATE_FIELDS = {"published", "as_of"}


def pipeline_fingerprint(nlp: Language, pattern_files: Iterable[Path]) -> str:
    """A digest of what produces the rows: our version, the model and the rule data."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(f"{nlp.meta.get('name')}:{nlp.meta.get('version')}:{','.join(nlp.pipe_names)}".encode())
    for path in pattern_files:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class ResultCache:
    """Per-document results in ``<out>/.cache/<fingerprint>/``, written atomically."""

    def __init__(self, out_dir: Path, fingerprint: str) -> None:
        self.folder = out_dir / CACHE_FOLDER / fingerprint
        self.folder.mkdir(parents=True, exist_ok=True)
        self.hits = 0

    @staticmethod
    def key(raw: RawDocument, published: date | None) -> str:
        digest = hashlib.sha256()
        for part in (raw.doc_id, str(raw.path), published.isoformat() if published else "", raw.text):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        return digest.hexdigest()

    def get(self, key: str) -> tuple[DocumentRow, list[MentionRow], list[RoleRow]] | None:
        path = self.folder / f"{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        self.hits += 1
        return (
            _record(DocumentRow, data["document"]),
            [_record(MentionRow, row) for row in data["mentions"]],
            [_record(RoleRow, row) for row in data["roles"]],
        )

    def put(self, key: str, document: DocumentRow, mentions: list[MentionRow], roles: list[RoleRow]) -> None:
        data = {
            "document": asdict(document),
            "mentions": [asdict(row) for row in mentions],
            "roles": [asdict(row) for row in roles],
        }
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False, default=_json_default)
        os.replace(temporary, self.folder / f"{key}.json")


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in the cache")


def _record(record_type, data: dict):
    values = {}
    for field in fields(record_type):
        if field.name not in data and field.default is not MISSING:
            continue  # a column added since the entry was stored: its default
        value = data[field.name]
        if field.name in _DATE_FIELDS and value:
            value = date.fromisoformat(value)
        values[field.name] = value
    return record_type(**values)

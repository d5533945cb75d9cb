"""Across documents: one person, one tenure, a timeline of who held which role when.

Runs after the per-document tables are written, over the role rows only:
``persons`` resolves who is who, ``tenures`` joins a person's rows into tenures
and reads succession, ``popolo`` exports them, ``timeline`` shows them.
"""

from pipeline.across.stage import (
    CrossDocumentError,
    CrossDocumentSummary,
    LoadedTenures,
    load_tenures,
    write_cross_document_tables,
)

__all__ = [
    "CrossDocumentError",
    "CrossDocumentSummary",
    "LoadedTenures",
    "load_tenures",
    "write_cross_document_tables",
]

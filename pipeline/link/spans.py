"""The text of spans, sliced from the document's text instead of built from its tokens.

spaCy builds ``Span.text`` from a token object per word, and ``Doc.text`` from
all of them; the link stage asks for the text of sentences and clauses many
times per document. :func:`keep_text` stores the text a document was made from
(the cleaned text) with it, and :func:`span_text` slices it by the span's
character offsets.

>>> keep_text(doc, cleaned.text)
>>> span_text(doc[2:5]) == doc[2:5].text
True
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

DOCUMENT_TEXT_KEY = "municipal_roles.text"  # in ``Doc.user_data``


def keep_text(doc: Doc, text: str) -> None:
    """Keep ``text``, the text ``doc`` was made from, for :func:`span_text`."""
    doc.user_data[DOCUMENT_TEXT_KEY] = text


def span_text(span: Span) -> str:
    """``span.text``: a slice of the kept document text, or spaCy's own where none was kept."""
    text = span.doc.user_data.get(DOCUMENT_TEXT_KEY)
    return span.text if text is None else text[span.start_char : span.end_char]

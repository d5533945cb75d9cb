"""Typed records passed between the stages.

Each stage takes and gives these records (or spaCy ``Doc`` objects); no stage
reads another stage's internals.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class InputFile:
    """A file found under the input folder, before it is read."""

    doc_id: str
    path: Path
    status: str = "ok"  # "ok" | "skipped" | "error"
    message: str = ""


@dataclass(frozen=True)
class RawDocument:
    """The text of one input file, decoded but otherwise untouched."""

    doc_id: str
    path: Path
    text: str
    encoding: str
    # The publication date an HTML page states in its markup (meta tags,
    # JSON-LD, ``<time>``); None for plain texts and for pages stating none.
    metadata_date: date | None = None


@dataclass(frozen=True)
class CleanDocument:
    """A cleaned text with a map back to the raw text.

    ``raw_offsets[i]`` is the raw offset of cleaned character ``i``;
    the list has ``len(text) + 1`` entries so that end offsets map too.
    """

    doc_id: str
    path: Path
    raw_text: str
    text: str
    raw_offsets: list[int]
    title: str = ""
    # Carried over from :attr:`RawDocument.metadata_date` by the caller.
    metadata_date: date | None = None

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the cleaned text to the raw text."""
        raw_start = self.raw_offsets[start]
        raw_end = self.raw_offsets[end - 1] + 1 if end > start else raw_start
        return raw_start, raw_end

    def to_clean(self, raw_start: int) -> int:
        """The first cleaned offset at or after a raw offset."""
        return min(bisect_right(self.raw_offsets, raw_start - 1), len(self.text))


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to year, month or day precision (never more than the text says)."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if self.day is not None:
            date(self.year, self.month, self.day)  # raises on impossible dates

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, keeping the precision."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        if self.day:
            return date(self.year, self.month, self.day)
        if self.month:
            following = date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
        return date(self.year, 12, 31)

    @classmethod
    def from_date(cls, value: date) -> PartialDate:
        return cls(value.year, value.month, value.day)


@dataclass(frozen=True)
class DateMention:
    """A date expression found in a text, with the role it plays.

    ``kind`` is ``"start"`` (seit, ab, zum, Beginn), ``"end"`` (bis, endet,
    scheidet aus) or ``"point"`` (a bare date).
    """

    start_char: int
    end_char: int
    text: str
    value: PartialDate
    kind: str = "point"


@dataclass(frozen=True)
class PublicationDate:
    """The publication date of a document and where it was found."""

    value: date
    source: str  # "manifest" | "metadata" (HTML) | "header" | "dateline" | "filename"
    start_char: int | None = None
    end_char: int | None = None


@dataclass
class DocumentRow:
    """One row of the ``documents`` table."""

    doc_id: str
    path: str
    title: str = ""
    published: date | None = None
    published_source: str = ""
    municipality: str = ""
    n_chars: int = 0
    status: str = "ok"
    message: str = ""


@dataclass(frozen=True)
class MentionRow:
    """One row of the ``mentions`` table (offsets into the raw text)."""

    doc_id: str
    text: str
    label: str
    start_char: int
    end_char: int
    source: str


@dataclass
class RoleRow:
    """One row of the ``roles`` table: a person holding a role (offsets into the raw text)."""

    doc_id: str
    person: str
    role: str
    role_category: str
    digital: bool
    organisation: str = ""
    municipality: str = ""
    as_of: date | None = None
    start: str = ""
    end: str = ""
    status: str = "current"
    evidence: str = ""
    start_char: int = 0
    end_char: int = 0
    rule: str = ""
    # The same person across documents (``pipeline.across``); empty until that stage has run.
    person_id: str = ""


@dataclass
class TenureRow:
    """One row of the ``tenures`` table: a person in one role category at one place, across documents.

    ``start`` and ``end`` keep the precision the texts give (``YYYY``, ``YYYY-MM``,
    ``YYYY-MM-DD``); ``end_source`` says where an end comes from: ``text`` (a date
    stated), ``successor`` (the start of whoever took over) or ``former`` (a text
    calls the tenure former without a date). ``doc_id``, ``evidence`` and the
    offsets are those of the earliest attestation.
    """

    person_id: str
    person: str
    role: str
    role_category: str
    digital: bool
    organisation: str
    municipality: str
    start: str
    end: str
    end_source: str
    first_attested: date | None
    last_attested: date | None
    status_at_last: str
    n_documents: int
    doc_ids: str
    doc_id: str
    evidence: str
    start_char: int
    end_char: int

"""Tenures: who held which role where, from when to when, read across all documents.

The role rows of one person in one role category at one place (its
municipality, else its organisation) make one tenure:

* ``start``: the earliest start a text gives, as precise as any text that agrees
  with it (``2019`` and ``2019-02-01`` give ``2019-02-01``);
* ``end``: the latest end a text states (``end_source`` ``text``); else the start
  of a successor, where a text says that B succeeds A (``Nachfolger von A als
  CDO``), or where another person's tenure of the same post (a role held by one
  person at a time, with the same title, at the same place) begins later
  (``successor``); else empty, with ``former`` when the latest text calls the
  tenure over (``bisherige``, ``ehemalige``);
* ``first_attested`` / ``last_attested``: the dates of the earliest and latest texts;
* ``status_at_last``: current, former or future as of the latest text, from its
  wording and the dates (a successor announced in advance leaves the
  predecessor current until the handover).

>>> [tenure.end for tenure in build_tenures(rows, published)]   # rows with person_id set
['2023-07-01', '']
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from pipeline.across.persons import display_name, fold, place_anchor
from pipeline.records import PartialDate, RoleRow, TenureRow
from pipeline.taxonomy import SINGLE_HOLDER_CATEGORIES

# Row rules (``construction+pattern``) of a text that names a successor and the person they follow.
SUCCESSOR_RULE = "successor+"
PREDECESSOR_RULE = "predecessor+"
ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
# Adjectival heads, whose masculine form adds an ``r``: ``Beauftragter`` is the post of a ``Beauftragte``.
ADJECTIVAL_HEADS = ("beauftragte", "vorsitzende", "beigeordnete", "abgeordnete", "angestellte", "bedienstete")


@dataclass
class _Draft:
    """A tenure being assembled: its rows, oldest first, and what has been decided so far."""

    rows: list[RoleRow]
    attested: list[date | None]
    anchor: str
    start: str = ""
    end: str = ""
    end_source: str = ""
    # fixed by the rows, worked out once: ``_close_by_successors`` and ``_tenure`` ask for them again and again
    person_id: str = field(init=False)
    category: str = field(init=False)
    first: date | None = field(init=False)
    last: date | None = field(init=False)
    role: str = field(init=False)
    statuses_at_last: set[str] = field(init=False)  # the wording of the latest texts
    digital: bool = field(init=False)
    organisation: str = field(init=False)
    municipality: str = field(init=False)
    doc_ids: list[str] = field(init=False)

    def __post_init__(self) -> None:
        rows = self.rows
        self.person_id, self.category = rows[0].person_id, rows[0].role_category
        if len(rows) == 1:  # most tenures rest on one row
            (row,) = rows
            self.first = self.last = self.attested[0]
            self.role, self.statuses_at_last, self.digital = row.role, {row.status}, row.digital
            self.organisation, self.municipality, self.doc_ids = row.organisation, row.municipality, [row.doc_id]
            return
        days = [day for day in self.attested if day is not None]
        self.first, self.last = (min(days), max(days)) if days else (None, None)
        self.role = _most_specific_role(rows)
        self.statuses_at_last = {
            row.status for row, attested in zip(rows, self.attested, strict=True) if attested == self.last
        }
        self.digital = any(row.digital for row in rows)
        self.organisation = _most_frequent([row.organisation for row in rows])
        self.municipality = _most_frequent([row.municipality for row in rows])
        self.doc_ids = list(dict.fromkeys(row.doc_id for row in rows))


def _most_specific_role(rows: list[RoleRow]) -> str:
    """The most specific title seen: the longest, then the most frequent."""
    counts = Counter(row.role for row in rows)
    return max(counts, key=lambda role: (len(role), counts[role]))


def build_tenures(rows: Sequence[RoleRow], published: Mapping[str, date | None]) -> list[TenureRow]:
    """One tenure per (person_id, role_category, place) of role rows whose ``person_id`` is set.

    ``published`` gives each document's date (the ``documents`` table); a
    document missing there counts with the ``as_of`` of its rows.
    """
    drafts = _drafts(rows, published)
    names = _names_by_person(rows)
    for draft in drafts:
        draft.start = _earliest_start(draft)
        draft.end = _latest_end(draft)
        draft.end_source = "text" if draft.end else ""
    handovers = _handovers(rows)
    for draft in drafts:
        if not draft.end_source and (draft.person_id, draft.category, draft.anchor) in handovers:
            draft.end = handovers[(draft.person_id, draft.category, draft.anchor)]
            draft.end_source = "successor"
    _close_by_successors(drafts)
    shown = {person_id: display_name(person_names) for person_id, person_names in names.items()}
    tenures = [_tenure(draft, shown[draft.person_id]) for draft in drafts]
    return sorted(tenures, key=tenure_order)


def tenure_order(tenure: TenureRow) -> tuple:
    """Municipality, then start (or, where no text gives one, the first attestation), then person."""
    return (
        tenure.municipality == "",
        fold(tenure.municipality),
        _sort_date(tenure.start) or tenure.first_attested or date.max,
        fold(tenure.person),
        tenure.role_category,
        tenure.person_id,
    )


@functools.lru_cache(maxsize=1 << 12)
def post_title(role: str) -> str:
    """A title without its gender, to tell one post from another: ``IT-Leiterin`` -> ``it-leiter``.

    >>> post_title("Digitalisierungsbeauftragter") == post_title("Digitalisierungsbeauftragte")
    True
    """
    words = []
    for word in fold(role).split():
        if word.endswith(tuple(head + "r" for head in ADJECTIVAL_HEADS)):
            word = word[:-1]
        elif word.endswith("aetin"):
            word = word[:-5] + "at"  # Landrätin
        elif word.endswith(("erin", "orin")):
            word = word[:-2]
        words.append(word)
    return " ".join(words)


@functools.lru_cache(maxsize=1 << 12)
def parse_partial_date(value: str) -> PartialDate | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a :class:`PartialDate`; None for anything else.

    >>> parse_partial_date("2023-07").precision
    'month'
    """
    match = ISO_DATE.match(value or "")
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        return PartialDate(year, month, day)
    except ValueError:
        return None


def _drafts(rows: Sequence[RoleRow], published: Mapping[str, date | None]) -> list[_Draft]:
    groups: dict[tuple[str, str, str], list[tuple[date | None, RoleRow]]] = defaultdict(list)
    for row in rows:
        key = (row.person_id, row.role_category, place_anchor(row.municipality, row.organisation))
        groups[key].append((published.get(row.doc_id) or row.as_of, row))
    drafts = []
    for (_, _, anchor), dated in groups.items():
        if len(dated) > 1:
            dated.sort(key=_attestation_order)
        drafts.append(_Draft([row for _, row in dated], [day for day, _ in dated], anchor))
    return drafts


def _attestation_order(dated: tuple[date | None, RoleRow]) -> tuple:
    day, row = dated
    return (day or date.max, row.doc_id, row.start_char)


def _names_by_person(rows: Sequence[RoleRow]) -> dict[str, list[str]]:
    names: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        names[row.person_id].append(row.person)
    return names


def _earliest_start(draft: _Draft) -> str:
    """The earliest start, as precise as the texts that agree with it.

    A predecessor's date is the handover's, and so is the date of a row called
    former that lies after its text (``Der bisherige IT-Leiter … verlässt die
    Stadt zum 31. März``): neither is a start.
    """
    starts = [
        row.start
        for row, attested in zip(draft.rows, draft.attested, strict=True)
        if row.start and not row.rule.startswith(PREDECESSOR_RULE) and not _leaving_date(row, attested)
    ]
    return _pick(starts, key=PartialDate.first_day)


def _latest_end(draft: _Draft) -> str:
    """The latest end the texts state, as precise as the texts that agree with it."""
    ends = [row.end for row in draft.rows if row.end]
    ends += [
        leaving
        for row, attested in zip(draft.rows, draft.attested, strict=True)
        if (leaving := _leaving_date(row, attested))
    ]
    return _pick(ends, key=PartialDate.last_day, latest=True)


def _leaving_date(row: RoleRow, attested: date | None) -> str:
    """The date of a role a text calls former that lies after the text: the day it ends."""
    if row.status != "former" or not row.start or attested is None or row.rule.startswith(PREDECESSOR_RULE):
        return ""
    return row.start if row.start > attested.isoformat()[: len(row.start)] else ""


def _pick(values: list[str], *, key, latest: bool = False) -> str:
    """The value that ``key`` puts first (last, if ``latest``), replaced by the most precise value that agrees with it."""
    parsed = [(value, date_value) for value in values if (date_value := parse_partial_date(value)) is not None]
    if not parsed:
        return ""
    chosen = (max if latest else min)(parsed, key=lambda pair: key(pair[1]))[0]
    agreeing = [value for value, _ in parsed if value.startswith(chosen) or chosen.startswith(value)]
    return max(agreeing, key=len)


def _handovers(rows: Sequence[RoleRow]) -> dict[tuple[str, str, str], str]:
    """The end of a predecessor's tenure where a text names a successor: the successor's start."""
    successors = {
        (row.doc_id, row.role_category, place_anchor(row.municipality, row.organisation)): row.start
        for row in rows
        if row.rule.startswith(SUCCESSOR_RULE) and row.start
    }
    handovers: dict[tuple[str, str, str], str] = {}
    for row in rows:
        if row.rule.startswith(PREDECESSOR_RULE):
            key = (row.person_id, row.role_category, place_anchor(row.municipality, row.organisation))
            handover = successors.get(
                (row.doc_id, row.role_category, place_anchor(row.municipality, row.organisation)), row.start
            )
            if handover or key not in handovers:
                handovers[key] = handover
    return handovers


def _close_by_successors(drafts: list[_Draft]) -> None:
    """An open tenure of a post held by one person at a time ends where the next holder's begins."""
    posts: dict[tuple[str, str, str], list[_Draft]] = defaultdict(list)
    for draft in drafts:
        if draft.category in SINGLE_HOLDER_CATEGORIES and draft.anchor:
            posts[(draft.category, draft.anchor, post_title(draft.role))].append(draft)
    for holders in posts.values():
        # by start, so that each tenure looks only at the ones that begin after it, earliest first
        starting = sorted(
            ((day, other) for other in holders if (day := _sort_date(other.start)) is not None),
            key=lambda pair: pair[0],
        )
        days = [day for day, _ in starting]
        for draft in holders:
            if draft.end_source:
                continue
            began = _sort_date(draft.start) or draft.first
            if began is None:
                continue
            successor = next(
                (
                    other
                    for day, other in starting[bisect_right(days, began) :]
                    if other.person_id != draft.person_id and not _current_after(draft, day)
                ),
                None,
            )
            if successor is not None:
                draft.end, draft.end_source = successor.start, "successor"


def _current_after(draft: _Draft, day: date) -> bool:
    """Whether a text after ``day`` still calls the tenure current (then the two hold it side by side)."""
    return any(
        row.status == "current" and attested is not None and attested > day
        for row, attested in zip(draft.rows, draft.attested, strict=True)
    )


@functools.lru_cache(maxsize=1 << 12)
def _sort_date(value: str) -> date | None:
    parsed = parse_partial_date(value)
    return parsed.first_day() if parsed else None


def _status_at_last(draft: _Draft) -> str:
    """Current, former or future as of the latest text: its wording, corrected by the dates known by then."""
    last, statuses = draft.last, draft.statuses_at_last
    worded = "former" if "former" in statuses else "current" if "current" in statuses else "future"
    if last is None:
        return worded
    today = last.isoformat()
    if draft.end and draft.end_source in ("text", "successor"):
        # a stated end is the last day in office; a successor's start is the first day out of it
        ended = (
            draft.end < today[: len(draft.end)] if draft.end_source == "text" else draft.end <= today[: len(draft.end)]
        )
        if ended:
            return "former"
        worded = "current" if worded == "former" else worded  # ``der bisherige …`` of a handover still ahead
    if draft.start:
        if draft.start > today[: len(draft.start)]:
            return "future"
        if worded == "future":
            return "current"
    return worded


def _tenure(draft: _Draft, person: str) -> TenureRow:
    status = _status_at_last(draft)
    end_source = draft.end_source or ("former" if status == "former" else "")
    earliest = draft.rows[0]
    return TenureRow(
        person_id=draft.person_id,
        person=person,
        role=draft.role,
        role_category=draft.category,
        digital=draft.digital,
        organisation=draft.organisation,
        municipality=draft.municipality,
        start=draft.start,
        end=draft.end,
        end_source=end_source,
        first_attested=draft.first,
        last_attested=draft.last,
        status_at_last=status,
        n_documents=len(draft.doc_ids),
        doc_ids=";".join(draft.doc_ids),
        doc_id=earliest.doc_id,
        evidence=earliest.evidence,
        start_char=earliest.start_char,
        end_char=earliest.end_char,
    )


def _most_frequent(values: list[str]) -> str:
    """The most frequent non-empty value, the earliest among equals."""
    present = [value for value in values if value]
    if len(set(present)) <= 1:
        return present[0] if present else ""
    counts = Counter(present)
    return max(counts, key=counts.__getitem__)

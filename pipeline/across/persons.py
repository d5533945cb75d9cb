"""Who is who across documents: normalised names and stable person ids.

The roles table has one row per mention in one text; the same person appears
as ``Dr. Anna-Lena Brückner``, ``Anna Lena Brueckner`` and ``Brückner``, in
texts years apart. Two rows are the same person when

* their normalised names agree (titles, honorifics and party removed, ``ü``/``ue``
  and ``ß``/``ss`` folded, hyphenated and spaced given names alike, middle
  initials dropped) and they share a municipality or an organisation, or stand
  in the same document (a text that says ``wechselt von A nach B`` links the
  person in A to the person in B);
* a shorter name (``Brückner``, ``Anna Brückner``) fits exactly one fuller name
  with the same surname that shares a municipality or organisation with it.

The same name in two unrelated municipalities stays two persons. A row with
neither municipality nor organisation joins its name's only anchored person,
and stays a person of its own where there are several.

>>> normalise_name("Dr. Anna-Lena Brückner (SPD)").key
'anna lena brueckner'
>>> normalise_name("Markus J. Feldmann") == normalise_name("Markus Feldmann")
True
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from pipeline.records import RoleRow

# Words that are not part of a name: academic and honorific titles (the link stage removes most already).
HONORIFICS = frozenset(
    {"dr", "prof", "professor", "professorin", "herr", "frau", "dipl", "ing", "med", "rer", "nat", "phil", "jur", "h.c"}
)
# Lower-case particles that belong to the surname: ``von der Leyen``, ``van Dyk``.
SURNAME_PARTICLES = frozenset({"von", "van", "der", "den", "de", "del", "di", "da", "zu", "zur", "vom", "ter", "ten"})
PARTY = re.compile(r"\([^)]*\)")
INITIAL = re.compile(r"^\w\.?$")
FOLDED_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
PERSON_ID_DIGITS = 10
# Names and places repeat across thousands of rows: each distinct string is folded once.
CACHED_STRINGS = 1 << 16


@dataclass(frozen=True)
class PersonName:
    """A name reduced to what identifies it: folded given names and surname."""

    given: tuple[str, ...]
    surname: str

    @functools.cached_property
    def key(self) -> str:
        return " ".join((*self.given, self.surname))

    def __hash__(self) -> int:  # names are dictionary keys tens of thousands of times: the key hashes once
        return hash(self.key)


@functools.lru_cache(maxsize=CACHED_STRINGS)
def fold(text: str) -> str:
    """Case, umlaut and accent folded, white space single: ``Müller-Lüdenscheidt`` -> ``mueller-luedenscheidt``.

    >>> fold("  Straße  Essen ")
    'strasse essen'
    """
    text = text.casefold().translate(FOLDED_LETTERS)
    text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    return " ".join(text.split())


@functools.lru_cache(maxsize=CACHED_STRINGS)
def normalise_name(name: str) -> PersonName:
    """The identifying part of a person's name.

    >>> normalise_name("Prof. Dr. Karl-Heinz von der Heide")
    PersonName(given=('karl', 'heinz'), surname='von der heide')
    """
    words = [word.strip(".,;:") for word in fold(PARTY.sub(" ", name)).split()]
    words = [word for word in words if word and word.rstrip(".") not in HONORIFICS]
    if not words:
        return PersonName((), "")
    surname = [words.pop()]
    while words and words[-1] in SURNAME_PARTICLES:
        surname.insert(0, words.pop())
    given = tuple(part for word in words if not INITIAL.match(word) for part in word.split("-") if part)
    return PersonName(given, " ".join(surname))


def place_anchor(municipality: str, organisation: str) -> str:
    """What a role is attached to: its municipality, else its organisation, else nothing (``""``).

    >>> place_anchor("Lindau", "Stadt Lindau"), place_anchor("", "Dataport"), place_anchor("", "")
    ('m:lindau', 'o:dataport', '')
    """
    if municipality:
        return "m:" + fold(municipality)
    if organisation:
        return "o:" + fold(organisation)
    return ""


@functools.lru_cache(maxsize=CACHED_STRINGS)
def _anchors(municipality: str, organisation: str) -> frozenset[str]:
    """Everything a row is attached to: its municipality and its organisation (shared by the rows alike)."""
    return frozenset(anchor for anchor in ("m:" + fold(municipality), "o:" + fold(organisation)) if anchor[2:])


class _Clusters:
    """Union-find over row indices."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def root(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def join(self, first: int, second: int) -> None:
        first, second = self.root(first), self.root(second)
        if first != second:
            self.parent[max(first, second)] = min(first, second)

    def groups(self) -> dict[int, list[int]]:
        members: dict[int, list[int]] = defaultdict(list)
        for index in range(len(self.parent)):
            members[self.root(index)].append(index)
        return members


def resolve_persons(rows: Sequence[RoleRow]) -> list[str]:
    """A person id for every row, in the order of ``rows``; the same rows give the same ids, run after run.

    >>> lindau = dict(role="CDO", role_category="cdo", digital=True, municipality="Lindau")
    >>> first, second, third = resolve_persons(
    ...     [RoleRow("a", "Eva Ost", **lindau), RoleRow("b", "Ost", **lindau),
    ...      RoleRow("c", "Eva Ost", "CDO", "cdo", True)]
    ... )
    >>> first == second == third   # the third names no place: it joins the only Eva Ost that has one
    True
    """
    names = [normalise_name(row.person) for row in rows]
    anchors = [_anchors(row.municipality, row.organisation) for row in rows]
    clusters = _Clusters(len(rows))
    _join_same_names(rows, names, anchors, clusters)
    _join_shorter_names(names, anchors, clusters)
    ids: list[str] = [""] * len(rows)
    for members in clusters.groups().values():
        person_id = _person_id(members, rows, names)
        for index in members:
            ids[index] = person_id
    return ids


def _join_same_names(
    rows: Sequence[RoleRow], names: list[PersonName], anchors: list[frozenset[str]], clusters: _Clusters
) -> None:
    """Rows with the same name join when they share an anchor or a document."""
    by_name: dict[str, list[int]] = defaultdict(list)
    for index, name in enumerate(names):
        if name.surname:
            by_name[name.key].append(index)
    for members in by_name.values():
        first_with: dict[str, int] = {}
        for index in members:
            for key in (*anchors[index], "doc:" + rows[index].doc_id):
                if key in first_with:
                    clusters.join(first_with[key], index)
                else:
                    first_with[key] = index
        anchored = {clusters.root(index) for index in members if anchors[index]}
        if len(anchored) == 1:  # rows naming no place belong to the only person of that name that has one
            (only,) = anchored
            for index in members:
                if not anchors[index]:
                    clusters.join(only, index)


def _join_shorter_names(names: list[PersonName], anchors: list[frozenset[str]], clusters: _Clusters) -> None:
    """A shorter name joins the one fuller name of the same surname that shares an anchor with it.

    Longer shorter names go first, so that ``Anna Brückner`` has joined ``Anna Lena Brückner``
    before ``Brückner`` looks for its one match. The names and places of each cluster are kept
    per surname as clusters join, so that a surname with thousands of rows stays fast.
    """
    by_surname: dict[str, list[int]] = defaultdict(list)
    for index, name in enumerate(names):
        if name.surname:
            by_surname[name.surname].append(index)
    for members in by_surname.values():
        _join_within_surname(members, names, anchors, clusters)


def _join_within_surname(
    members: list[int], names: list[PersonName], anchors: list[frozenset[str]], clusters: _Clusters
) -> None:
    # A fuller form of a name has the same surname and starts with its given names, and more of them
    # (``Anna Lena Brückner`` of ``Anna Brückner`` and of ``Brückner``): indexed by each shorter run.
    distinct = dict.fromkeys(names[index] for index in members)
    by_given_prefix: dict[tuple[str, ...], list[PersonName]] = defaultdict(list)
    for name in distinct:
        for length in range(len(name.given)):
            by_given_prefix[name.given[:length]].append(name)
    fuller_names = {name: by_given_prefix.get(name.given, []) for name in distinct}
    if not any(fuller_names.values()):
        return  # one name, or names none of which is a shorter form of another
    wanted = {fuller for names_of in fuller_names.values() for fuller in names_of}
    # fuller name -> anchor -> rows with both; pruned to one row per cluster as they are looked up
    rows_at: dict[PersonName, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    places: dict[int, set[str]] = defaultdict(set)  # cluster root -> anchors of its rows
    named: dict[int, set[PersonName]] = defaultdict(set)  # cluster root -> names of its rows
    for index in members:
        name, root = names[index], clusters.root(index)
        if name in wanted:
            for anchor in anchors[index]:
                rows_at[name][anchor].append(index)
        places[root] |= anchors[index]
        named[root].add(name)
    for index in sorted(members, key=lambda i: len(names[i].given), reverse=True):
        own = clusters.root(index)
        fuller = fuller_names[names[index]]
        if not fuller or named[own].intersection(fuller):
            continue  # no fuller name, or already one person with one (same document or place)
        matches = {
            root for name in fuller for anchor in places[own] for root in _roots(rows_at[name][anchor], clusters)
        }
        if len(matches) == 1:
            target = matches.pop()
            clusters.join(target, own)
            joined = clusters.root(own)
            for old in {own, target} - {joined}:
                places[joined] |= places.pop(old)
                named[joined] |= named.pop(old)


def _roots(rows: list[int], clusters: _Clusters) -> set[int]:
    """The clusters of ``rows``; the list keeps one row per cluster from now on (clusters only merge)."""
    first_rows = {}
    for row in rows:
        first_rows.setdefault(clusters.root(row), row)
    rows[:] = first_rows.values()
    return set(first_rows)


def display_name(names: Sequence[str]) -> str:
    """The name to show for a person: the fullest form, then the most frequent, then one with umlauts, then the first.

    >>> display_name(["Brückner", "Anna-Lena Brueckner", "Anna-Lena Brückner"])
    'Anna-Lena Brückner'
    """
    if len(set(names)) == 1:
        return names[0]
    counts = Counter(names)
    order = {name: position for position, name in reversed(list(enumerate(names)))}
    return max(
        counts,
        key=lambda name: (
            len(normalise_name(name).given),
            counts[name],
            fold(name) != name.casefold(),
            -order[name],
        ),
    )


def _person_id(members: list[int], rows: Sequence[RoleRow], names: list[PersonName]) -> str:
    """A short hash of the fullest normalised name and the anchor of the earliest attestation of a cluster's rows."""
    if len(members) == 1:  # most persons are named once
        fullest, earliest = names[members[0]], rows[members[0]]
    else:
        fullest = max((names[index] for index in members), key=lambda name: (len(name.given), name.key))
        earliest = min(
            (rows[index] for index in members), key=lambda row: (row.as_of or date.max, row.doc_id, row.start_char)
        )
    anchor = place_anchor(earliest.municipality, earliest.organisation) or "doc:" + earliest.doc_id
    digest = hashlib.sha1(f"{fullest.key}|{anchor}".encode()).hexdigest()
    return "p" + digest[:PERSON_ID_DIGITS]

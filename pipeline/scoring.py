"""Linking by scoring: every (person, title) pair of a sentence is a candidate, weighed by its evidence.

The named constructions of :mod:`pipeline.link` (``Oberbürgermeister X``,
``X, Leiterin des Amts``, ``X als Digitallotse`` ...) are the strongest
evidence and decide where they apply. Where none applies, each person of the
title's sentence is scored by what stands between the two: adjacency, an
apposition comma, parentheses, a colon, a copula or appointment verb, ``als``;
against it count distance, other persons or titles in between, clause and
quote boundaries, content words (another predicate), a preposition that makes
the person an object, and the person already holding an adjacent title. The
weights and cue words are data (``link_cues.json``). A title takes its best
candidate above zero; a plural title also the names coordinated with it.

>>> [(c.person.text, round(c.score, 2)) for c in candidates(doc, mention, persons=persons, cues=cues)]
[('Karin Voss', 1.75)]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span

from .config import SHIPPED_PATTERNS_DIR
from .patterns import PatternError
from .roles import RoleMention

CUES_FILE = "link_cues.json"
# ``v.l.n.r.``, ``v. li.``: a photo caption lists the persons it shows.
CAPTION_MARK = re.compile(r"^v\.\s?(l|li|l\.n\.r)\.?$", re.IGNORECASE)
_CUE_GROUPS = (
    "fillers",
    "articles",
    "honorifics",
    "linking_verbs",
    "object_prepositions",
    "clause_breaks",
    "coordinators",
    "function_words",
)


@dataclass(frozen=True)
class LinkCues:
    """Cue words (lower case) by group, and the weight of each feature."""

    words: dict[str, frozenset[str]]
    weights: dict[str, float]

    def __contains__(self, item: tuple[str, str]) -> bool:
        group, word = item
        return word in self.words[group]


@dataclass(frozen=True)
class Candidate:
    """A person who may hold a title, with the score and the features that gave it."""

    person: Span
    mention: RoleMention
    score: float
    features: dict[str, float]


def load_cues(path: Path = SHIPPED_PATTERNS_DIR / CUES_FILE) -> LinkCues:
    """Read and check ``link_cues.json``: word groups and feature weights."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise PatternError(f"{path}:{error.lineno}: not valid JSON: {error.msg}") from error
    except OSError as error:
        raise PatternError(f"{path}: cannot read: {error}") from error
    words, weights = data.get("words", {}), data.get("weights", {})
    missing = [group for group in _CUE_GROUPS if group not in words]
    if missing:
        raise PatternError(f"{path}: missing word group(s): {', '.join(missing)}")
    for group, members in words.items():
        if not isinstance(members, list) or not all(isinstance(word, str) for word in members):
            raise PatternError(f"{path}: words of {group!r} must be a list of strings")
    unknown = set(weights) - set(FEATURES)
    if unknown or set(FEATURES) - set(weights):
        raise PatternError(
            f"{path}: weights must name exactly the features {', '.join(FEATURES)}"
            + (f"; unknown: {', '.join(sorted(unknown))}" if unknown else "")
        )
    if not all(isinstance(value, int | float) for value in weights.values()):
        raise PatternError(f"{path}: every weight must be a number")
    return LinkCues({group: frozenset(word.lower() for word in members) for group, members in words.items()}, weights)


@lru_cache(maxsize=1)
def shipped_cues() -> LinkCues:
    return load_cues()


FEATURES = (
    "bias",
    "distance",
    "persons_between",
    "titles_between",
    "clause_break",
    "comma",
    "apposition",
    "relative_clause",
    "caption",
    "parenthesis",
    "colon",
    "linking_verb",
    "als",
    "object_preposition",
    "content_words",
    "holds_adjacent_title",
)


def features(
    doc: Doc,
    person: Span,
    mention: RoleMention,
    *,
    person_starts: dict[int, Span],
    title_starts: set[int],
    adjacent_holders: set[int],
    cues: LinkCues,
) -> dict[str, float] | None:
    """The evidence that ``person`` holds ``mention``'s title, or None if they cannot be paired."""
    title = mention.title
    if person.end <= title.start:
        gap, person_first = doc[person.end : title.start], True
    elif title.end <= person.start:
        gap, person_first = doc[title.end : person.start], False
    else:
        return None
    words = [token for token in gap if not token.is_space]
    while words and words[0].is_quote:
        words.pop(0)  # quotes around the title or the name are no boundary between them
    while words and words[-1].is_quote:
        words.pop()
    lower = [token.lower_ for token in words]
    core = [word for word in lower if not any((group, word) in cues for group in ("fillers", "articles", "honorifics"))]
    content = [
        token
        for token in words
        if token.is_alpha
        and token.text.islower()
        and not any((group, token.lower_) in cues for group in ("fillers", "articles", "linking_verbs", "function_words"))
    ]
    before_person = doc[person.start - 1].lower_ if person.start else ""
    before_title = _word_before(doc, title.start, cues)
    return {
        "bias": 1.0,
        "distance": float(len(words)),
        "persons_between": float(sum(1 for token in gap if token.i in person_starts)),
        "titles_between": float(sum(1 for token in gap if token.i in title_starts)),
        "clause_break": float(any(word in cues.words["clause_breaks"] for word in lower)),
        "comma": float("," in core and core != [","]),
        "apposition": float(core == [","]),
        "relative_clause": float(person_first and lower[:1] == [","] and lower[1:2] in (["der"], ["die"])),
        "caption": float(any(CAPTION_MARK.match(token.text) for token in words)),
        "parenthesis": float(core[:1] == ["("] and (person_first or len(core) == 1)),
        "colon": float(not person_first and ":" in core and len(core) <= 2),
        "linking_verb": float(any(("linking_verbs", word) in cues for word in lower)),
        "als": float(person_first and before_title == "als"),
        "object_preposition": float(before_person in cues.words["object_prepositions"]),
        "content_words": float(len(content)),
        "holds_adjacent_title": float(person.start in adjacent_holders),
    }


def _word_before(doc: Doc, position: int, cues: LinkCues) -> str:
    """The word before ``position``, past fillers and articles (``als neue`` -> ``als``)."""
    position -= 1
    while position >= 0 and (("fillers", doc[position].lower_) in cues or ("articles", doc[position].lower_) in cues):
        position -= 1
    return doc[position].lower_ if position >= 0 else ""


def score(values: dict[str, float], cues: LinkCues) -> float:
    return sum(cues.weights[name] * value for name, value in values.items())


def candidates(
    doc: Doc,
    mention: RoleMention,
    *,
    persons: Iterable[Span],
    adjacent_holders: set[int] = frozenset(),
    cues: LinkCues,
) -> list[Candidate]:
    """Every person of the title's sentence, scored, best first."""
    sentence = mention.head.sent
    persons = [person for person in persons if sentence.start <= person.start < sentence.end]
    person_starts = {person.start: person for person in persons}
    title_starts = {span.start for span in doc.spans.get("role_titles", []) if span.start != mention.head.start}
    found = []
    for person in persons:
        values = features(
            doc,
            person,
            mention,
            person_starts=person_starts,
            title_starts=title_starts,
            adjacent_holders=adjacent_holders,
            cues=cues,
        )
        if values is not None:
            found.append(Candidate(person, mention, score(values, cues), values))
    return sorted(found, key=lambda candidate: -candidate.score)


def best_holders(
    doc: Doc,
    mention: RoleMention,
    *,
    persons: list[Span],
    adjacent_holders: set[int] = frozenset(),
    cues: LinkCues,
) -> Iterator[Candidate]:
    """The holders of a title no construction links: its best candidate above zero and, for a plural title,
    the persons coordinated with it (``A, B und C``)."""
    ranked = candidates(doc, mention, persons=persons, adjacent_holders=adjacent_holders, cues=cues)
    if not ranked or ranked[0].score <= 0:
        return
    best = ranked[0]
    yield best
    if mention.plural:
        chosen = {best.person.start}
        for candidate in ranked[1:]:
            if _coordinated(doc, best.person, candidate.person, cues) and candidate.person.start not in chosen:
                chosen.add(candidate.person.start)
                yield candidate


def _coordinated(doc: Doc, first: Span, second: Span, cues: LinkCues) -> bool:
    """Whether only commas and coordinators stand between two names (``A, B und C``) - transitively."""
    left, right = (first, second) if first.start < second.start else (second, first)
    between = [token for token in doc[left.end : right.start] if not token.is_space]
    return all(
        token.text in {",", ";"} or token.lower_ in cues.words["coordinators"] or token.ent_type_ == "PER"
        for token in between
    )

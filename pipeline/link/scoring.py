"""Linking by scoring: every (person, title) pair of a sentence is a candidate, weighed by its evidence.

The named constructions of :mod:`pipeline.link.holders` (``Oberbürgermeister X``,
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

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from spacy.attrs import LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from pipeline.nlp.components import ROLE_TITLES_KEY
from pipeline.nlp.gazetteer import gender_of_name
from pipeline.rules.cues import LinkCues

if TYPE_CHECKING:
    from pipeline.link.roles import RoleMention

STAND_IN_TOKENS = 6  # tokens of ``(Talheim, in Vertretung)`` after a name
INDEFINITE_ARTICLES = frozenset({"ein", "eine", "einen", "einem", "einer"})
ADJECTIVES_BEFORE_TITLE = 2  # ``einen neuen hauptamtlichen Digitalisierungskoordinator``
MAX_PRONOUN_DISTANCE = 2  # sentences before a pronoun's own in which its antecedent may stand


@dataclass(frozen=True)
class Candidate:
    """A person who may hold a title, with the score and the features that gave it.

    ``anchor`` is where the text names the person for this title: the name
    itself, or a pronoun that stands for it (``wurde er zum ... ernannt``).
    """

    person: Span
    anchor: Span
    mention: RoleMention
    score: float
    features: dict[str, float]


def features(
    doc: Doc,
    person: Span,
    mention: RoleMention,
    *,
    person_starts: dict[int, Span],
    title_starts: set[int],
    title_tokens: set[int],
    adjacent_holders: set[int],
    cues: LinkCues,
) -> dict[str, float] | None:
    """The evidence that ``person`` (a name, or a pronoun standing for one) holds ``mention``'s title.

    None if the two overlap.
    """
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
        and not any(
            (group, token.lower_) in cues for group in ("fillers", "articles", "linking_verbs", "function_words")
        )
    ]
    persons_between = sum(1 for token in words if token.i in person_starts)
    clause_break = any(word in cues.words["clause_breaks"] for word in lower)
    linking_verb = any(("linking_verbs", word) in cues for word in lower)
    # Nothing but a noun phrase between the name and the title: ``X, MdB und Parlamentarischer Staatssekretär``.
    noun_phrase = not (content or persons_between or clause_break or linking_verb)
    if person_first:
        apposition = noun_phrase and core[:1] == [","] and "," not in core[1:]
    elif core == [","]:
        apposition = True  # ``Der Staatsminister für Digitales, Dr. Y``
    else:
        after = doc[person.end] if person.end < len(doc) else None
        closed = after is None or after.is_punct or after.is_sent_start or after.lower_ in cues.words["coordinators"]
        apposition = noun_phrase and core[-1:] == [","] and "," not in core[:-1] and closed
    relative_clause = person_first and lower[:1] == [","] and lower[1:2] in (["der"], ["die"])
    # ``X (Verbandsvorsteher, Bürgermeister von Y)``: titles listed after one name all belong to it
    rest = [token for token in words if token.i not in title_tokens]
    title_list = (
        person_first
        and len(rest) < len(words)
        and all(token.text in {"(", ",", "/"} or token.lower_ in cues.words["coordinators"] for token in rest)
    )
    before_person = doc[person.start - 1].lower_ if person.start else ""
    # ``hat mit X (erstmals) einen neuen IT-Administrator``: X is the one the sentence gives the title
    companion = person_first and before_person == "mit" and not persons_between and _indefinite_before(doc, title.start)
    return {
        "bias": 1.0,
        "distance": float(len(words)),
        "persons_between": float(persons_between),
        # an abbreviation in parentheses (``Chief Information Officer (CIO)``) is the same title
        "titles_between": 0.0
        if title_list
        else float(sum(1 for token in words if token.i in title_starts and token.i != _abbreviation_position(mention))),
        "title_list": float(title_list),
        "clause_break": float(clause_break),
        "comma": float("," in core and not apposition and not relative_clause),
        "apposition": float(apposition),
        "relative_clause": float(relative_clause),
        "caption": float(any(word in cues.words["caption_marks"] for word in lower)),
        "parenthesis": float(core[:1] == ["("] and (person_first or len(core) == 1)),
        # ``hat eine neue KI-Beauftragte: X``, ``stellt seine neue IT-Leiterin vor: X``
        "colon": float(
            not person_first and core[-1:] == [":"] and all(("verb_particles", word) in cues for word in core[:-1])
        ),
        "linking_verb": float(linking_verb),
        "als": float(person_first and _word_before(doc, title.start, cues) == "als"),
        # ``X ... durch den neuen Breitbandkoordinator``: the title is the object of a preposition
        "title_after_preposition": float(
            person_first and _word_before(doc, title.start, cues) in cues.words["object_prepositions"]
        ),
        "object_preposition": float(before_person in cues.words["object_prepositions"] and not companion),
        "companion": float(companion),
        # ``der Gemeinderat Frau X``: a title right before an address names another actor
        "address_after_title": float(not person_first and lower[:1] in (["frau"], ["herr"], ["herrn"])),
        "content_words": float(len(content)),
        "holds_adjacent_title": float(person.start in adjacent_holders),
        "pronoun": float(person.text.lower() in cues.words["pronouns"]),
    }


def _indefinite_before(doc: Doc, position: int) -> bool:
    """Whether an indefinite article introduces the title, past adjectives (``einen hauptamtlichen``)."""
    for index in range(position - 1, max(-1, position - 1 - ADJECTIVES_BEFORE_TITLE - 1), -1):
        token = doc[index]
        if token.lower_ in INDEFINITE_ARTICLES:
            return True
        if not token.is_lower or token.is_punct:
            return False
    return False


def _abbreviation_position(mention: RoleMention) -> int:
    """Where an abbreviation in parentheses right after the title would start: ``(CIO)``."""
    return mention.title.end + 1


def _word_before(doc: Doc, position: int, cues: LinkCues, *, skip_articles: bool = True) -> str:
    """The word before ``position``, past fillers and articles (``als neue`` -> ``als``)."""
    position -= 1
    while position >= 0 and (
        ("fillers", doc[position].lower_) in cues or (skip_articles and ("articles", doc[position].lower_) in cues)
    ):
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
    pronouns: list[int] | None = None,
    titles: Sequence[Span] | None = None,
) -> list[Candidate]:
    """Every person of the title's sentence, and the person a pronoun there stands for, scored, best first.

    ``pronouns`` and ``titles`` (the document's role title spans): where the caller has them.
    """
    persons = list(persons)
    sentence = mention.head.sent
    in_sentence = [person for person in persons if sentence.start <= person.start < sentence.end]
    anchors = [(person, person) for person in in_sentence]
    if pronouns is None:
        pronouns = [token.i for token in sentence if token.lower_ in cues.words["pronouns"]]
    anchors += [
        (antecedent, doc[index : index + 1])
        for index in pronouns
        if sentence.start <= index < sentence.end
        and (antecedent := antecedent_of(doc, doc[index], persons, cues)) is not None
    ]
    person_starts = {person.start: person for person in in_sentence}
    if titles is None:
        titles = doc.spans.get(ROLE_TITLES_KEY, [])
    others = [span for span in titles if span.start != mention.head.start]
    title_starts = {span.start for span in others}
    title_tokens = {index for span in others for index in range(span.start, span.end)}
    found = []
    for person, anchor in anchors:
        values = features(
            doc,
            anchor,
            mention,
            person_starts=person_starts,
            title_starts=title_starts,
            title_tokens=title_tokens,
            adjacent_holders=adjacent_holders,
            cues=cues,
        )
        if values is not None:
            found.append(Candidate(person, anchor, mention, score(values, cues), values))
    return sorted(found, key=lambda candidate: -candidate.score)


def pronoun_positions(doc: Doc, cues: LinkCues) -> list[int]:
    """Where the document's ``er`` / ``sie`` stand, found by string hash."""
    keys = doc.to_array(LOWER)
    found = np.zeros(len(keys), dtype=bool)
    for key in _hashes(cues.words["pronouns"]):
        found |= keys == key
    return np.flatnonzero(found).tolist()


@lru_cache(maxsize=8)
def _hashes(words: frozenset[str]) -> np.ndarray:
    return np.array(sorted(get_string_id(word) for word in words), dtype=np.uint64)


def antecedent_of(doc: Doc, pronoun, persons: list[Span], cues: LinkCues) -> Span | None:
    """The person an ``er`` / ``sie`` stands for: the last one named before its sentence, of its gender.

    Only a name in the same or one of the ``MAX_PRONOUN_DISTANCE`` sentences before counts.
    """
    gender = "m" if pronoun.lower_ == "er" else "f"
    sentence = pronoun.sent
    earliest = sentence.start
    for _ in range(MAX_PRONOUN_DISTANCE):
        if earliest == 0:
            break
        earliest = doc[earliest - 1].sent.start
    for person in reversed(persons):
        if earliest <= person.start and person.end <= pronoun.i and gender_of_name(person.text) in (gender, ""):
            return person
    return None


def best_holders(
    doc: Doc,
    mention: RoleMention,
    *,
    persons: list[Span],
    adjacent_holders: set[int] = frozenset(),
    cues: LinkCues,
    pronouns: list[int] | None = None,
    titles: Sequence[Span] | None = None,
) -> Iterator[Candidate]:
    """The holders of a title no construction links: its best candidate above zero and, for a plural title,
    the persons coordinated with it (``A, B und C``)."""
    ranked = candidates(
        doc, mention, persons=persons, adjacent_holders=adjacent_holders, cues=cues, pronouns=pronouns, titles=titles
    )
    if not ranked or ranked[0].score <= 0:
        return
    best = ranked[0]
    yield best
    if mention.plural:
        chosen = {best.person.start}
        for candidate in ranked[1:]:
            if (
                _coordinated(doc, best.anchor, candidate.anchor, cues)
                and candidate.person.start not in chosen
                and not stands_in(doc, candidate.person, cues)
            ):
                chosen.add(candidate.person.start)
                yield candidate


def closing_parenthesis(doc: Doc, position: int, *, within: int) -> int | None:
    """Where the parenthesis opened at ``position`` closes, if it does within ``within`` tokens."""
    if position >= len(doc) or doc[position].text != "(":
        return None
    return next((i for i in range(position + 1, min(len(doc), position + within + 2)) if doc[i].text == ")"), None)


def stands_in(doc: Doc, person: Span, cues: LinkCues) -> bool:
    """Whether a parenthesis after the name says the person only stands in: ``X (Talheim, Vertreterin)``."""
    if person.end >= len(doc) or doc[person.end].text != "(":
        return False
    closing = closing_parenthesis(doc, person.end, within=STAND_IN_TOKENS)
    end = closing if closing is not None else min(len(doc), person.end + STAND_IN_TOKENS + 2)
    return any(("stand_in_words", token.lower_) in cues for token in doc[person.end + 1 : end])


def _coordinated(doc: Doc, first: Span, second: Span, cues: LinkCues) -> bool:
    """Whether only separators, names and short parentheses stand between two names (``A (SPD), B und C``)."""
    left, right = (first, second) if first.start < second.start else (second, first)
    depth = 0
    for token in doc[left.end : right.start]:
        if token.is_space:
            continue
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif depth == 0 and not (
            token.text in {",", ";"}
            or token.lower_ in cues.words["coordinators"]
            or token.ent_type_ == "PER"
            or token.lower_ in cues.words["honorifics"]
        ):
            return False
    return True

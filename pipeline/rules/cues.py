"""Cue words of the link stage, loaded and validated.

* ``link_cues.json``: the word groups (fillers, linking verbs, prepositions,
  caption marks ...) and the weight of each feature of
  :mod:`pipeline.link.scoring`; a user file adds words and replaces weights.
* ``status_cues.json``: the expressions that say a role is former, future,
  begins or is left (:mod:`pipeline.link.timing`); a user file adds to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.rules.patterns import LINK_CUES_FILE as CUES_FILE
from pipeline.rules.patterns import STATUS_CUES_FILE, PatternError, pattern_files, read_json_file

CUE_GROUPS = (
    "fillers",
    "articles",
    "honorifics",
    "linking_verbs",
    "object_prepositions",
    "clause_breaks",
    "coordinators",
    "function_words",
    "pronouns",
    "caption_marks",
    "copulas",
    "appointment_words",
    "address_words",
    "respectively",
    "time_words",
    "not_subject_before",
    "take_over_verbs",
    "stand_in_words",
    "succession_nouns",
    "follow_verbs",
    "replace_verbs",
    "replace_verbs_with_ab",
    "possessives_masculine",
    "possessives_feminine",
    "verb_particles",
    "deputy_nouns",
)

# The features a (person, title) pair is scored by; each has a weight in ``link_cues.json``.
FEATURES = (
    "bias",
    "distance",
    "persons_between",
    "titles_between",
    "clause_break",
    "comma",
    "apposition",
    "relative_clause",
    "title_list",
    "caption",
    "parenthesis",
    "colon",
    "linking_verb",
    "als",
    "title_after_preposition",
    "object_preposition",
    "companion",
    "address_after_title",
    "content_words",
    "holds_adjacent_title",
    "pronoun",
)


@dataclass(frozen=True)
class LinkCues:
    """Cue words (lower case) by group, and the weight of each feature."""

    words: dict[str, frozenset[str]]
    weights: dict[str, float]

    def __contains__(self, item: tuple[str, str]) -> bool:
        group, word = item
        return word in self.words[group]


def load_cues(user_dirs: Iterable[Path] = ()) -> LinkCues:
    """The shipped ``link_cues.json``, extended by the same file in user pattern folders.

    A user file's words add to the shipped groups and its weights replace the
    shipped ones. Every problem is a :class:`PatternError` naming the file.
    """
    words: dict[str, set[str]] = {}
    weights: dict[str, float] = {}
    paths = pattern_files(CUES_FILE, user_dirs)
    for number, path in enumerate(paths):
        data = _read_cues_file(path, shipped=number == 0)
        for group, members in data.get("words", {}).items():
            words.setdefault(group, set()).update(word.lower() for word in members)
        weights.update(data.get("weights", {}))
    return LinkCues({group: frozenset(members) for group, members in words.items()}, weights)


def _read_cues_file(path: Path, *, shipped: bool) -> dict:
    data = read_json_file(path)
    if not isinstance(data, dict) or set(data) - {"words", "weights"}:
        raise PatternError(f"{path}: must be a JSON object with 'words' and 'weights'")
    words, weights = data.get("words", {}), data.get("weights", {})
    missing = [group for group in CUE_GROUPS if group not in words]
    if shipped and missing:
        raise PatternError(f"{path}: missing word group(s): {', '.join(missing)}")
    unknown_groups = set(words) - set(CUE_GROUPS)
    if unknown_groups:
        raise PatternError(f"{path}: unknown word group(s): {', '.join(sorted(unknown_groups))}")
    for group, members in words.items():
        if not isinstance(members, list) or not all(isinstance(word, str) for word in members):
            raise PatternError(f"{path}: words of {group!r} must be a list of strings")
    unknown = set(weights) - set(FEATURES)
    if unknown or (shipped and set(FEATURES) - set(weights)):
        named = f"; unknown: {', '.join(sorted(unknown))}" if unknown else ""
        raise PatternError(f"{path}: weights must name the features {', '.join(FEATURES)}{named}")
    if not all(isinstance(value, int | float) and not isinstance(value, bool) for value in weights.values()):
        raise PatternError(f"{path}: every weight must be a number")
    return data


@lru_cache(maxsize=1)
def shipped_cues() -> LinkCues:
    return load_cues()


STATUS_GROUPS = ("former", "future", "start", "leaving", "former_clause", "role_anaphors", "continuing")


@dataclass(frozen=True)
class StatusCues:
    """Expressions (case-blind regular expressions) that date a role or give its status."""

    former: re.Pattern  # ``bisherige``, ``ehemalige``: before the title
    future: re.Pattern  # ``künftige``, ``wird ... übernehmen``
    start: re.Pattern  # ``bestellt``, ``tritt ... an``: a bare date in the sentence is the start
    leaving: re.Pattern  # ``wechselt``, ``in den Ruhestand``
    former_clause: re.Pattern  # ``war ... bis``: in the linking clause
    continuing: frozenset[str]  # a next sentence starting with one goes on about the same person
    role_anaphors: tuple[str, ...]  # a later sentence starting so (``Die Stelle soll ab …``) dates the role


def load_status_cues(user_dirs: Iterable[Path] = ()) -> StatusCues:
    """The shipped ``status_cues.json``, extended by the same file in user pattern folders."""
    groups: dict[str, list[str]] = {group: [] for group in STATUS_GROUPS}
    paths = pattern_files(STATUS_CUES_FILE, user_dirs)
    for path in paths:
        data = read_json_file(path)
        if not isinstance(data, dict) or set(data) - set(STATUS_GROUPS):
            raise PatternError(f"{path}: must be a JSON object with the groups {', '.join(STATUS_GROUPS)}")
        for group, expressions in data.items():
            if not isinstance(expressions, list) or not all(isinstance(e, str) and e for e in expressions):
                raise PatternError(f"{path}: {group!r} must be a list of regular expressions")
            for expression in expressions:
                try:
                    re.compile(expression)
                except re.error as error:
                    raise PatternError(f"{path}: invalid regular expression in {group!r}: {error}") from error
            groups[group].extend(expressions)

    def compiled(group: str, *, whole_words: bool) -> re.Pattern:
        # ``bisherige[rnms]?`` and ``a. D.`` may end anywhere; verbs end at a word boundary
        return re.compile(r"\b(?:" + "|".join(groups[group]) + (r")\b" if whole_words else ")"), re.IGNORECASE)

    return StatusCues(
        compiled("former", whole_words=False),
        compiled("future", whole_words=False),
        compiled("start", whole_words=True),
        compiled("leaving", whole_words=True),
        compiled("former_clause", whole_words=True),
        frozenset(word.lower() for word in groups["continuing"]),
        tuple(phrase.lower() for phrase in groups["role_anaphors"]),
    )


@lru_cache(maxsize=1)
def shipped_status_cues() -> StatusCues:
    return load_status_cues()

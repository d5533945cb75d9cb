"""Cue words and weights of the linking (``link_cues.json``), loaded and validated.

The word groups (fillers, linking verbs, prepositions, caption marks ...) and
the weight of each feature of :mod:`pipeline.link.scoring` are data: a user
file adds words to a group and replaces weights.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.config import SHIPPED_PATTERNS_DIR
from pipeline.rules.patterns import LINK_CUES_FILE as CUES_FILE
from pipeline.rules.patterns import PatternError, read_json_file

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
    paths = [SHIPPED_PATTERNS_DIR / CUES_FILE]
    paths += [path for folder in user_dirs for path in sorted(Path(folder).glob(CUES_FILE))]
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

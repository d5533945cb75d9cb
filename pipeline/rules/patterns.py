"""Rule data: loading and validating pattern files.

Role titles and organisation names are spaCy span-ruler patterns kept in JSONL
files, one pattern a line::

    {"label": "digital_officer", "pattern": [{"LOWER": "ki-beauftragte"}], "id": "ki-beauftragte"}

``pattern`` is a phrase string or a token-pattern list. Shipped files live in
``pipeline/patterns/``; users add folders of their own, whose patterns add
titles or replace a shipped pattern with the same ``id``. Every problem is
reported as ``file:line: message`` before any text is processed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.schemas import validate_token_pattern

from pipeline.config import SHIPPED_PATTERNS_DIR
from pipeline.taxonomy import CATEGORIES

ROLE_PATTERN_FILE = "roles.jsonl"
ORGANISATION_PATTERN_FILE = "organisations.jsonl"
IT_PROVIDER_PATTERN_FILE = "it_providers.jsonl"
CATEGORY_RULES_FILE = "categories.json"
# The title lexicon (:mod:`pipeline.rules.lexicon`).
TITLE_CLASSES_FILE = "title_classes.jsonl"
TITLE_HEADS_FILE = "title_heads.jsonl"
TITLE_DOMAINS_FILE = "title_domains.jsonl"
LEXICON_FILES = (TITLE_CLASSES_FILE, TITLE_HEADS_FILE, TITLE_DOMAINS_FILE)
# Cue words and weights of the linking (:mod:`pipeline.link.scoring`).
LINK_CUES_FILE = "link_cues.json"
STATUS_CUES_FILE = "status_cues.json"
RULE_FILES = (
    ROLE_PATTERN_FILE,
    ORGANISATION_PATTERN_FILE,
    IT_PROVIDER_PATTERN_FILE,
    CATEGORY_RULES_FILE,
    *LEXICON_FILES,
    LINK_CUES_FILE,
    STATUS_CUES_FILE,
    "districts.jsonl",
)

ORGANISATION_LABELS = frozenset({"ORG"})
IT_PROVIDER_LABELS = frozenset({"IT_PROVIDER"})


class PatternError(ValueError):
    """A pattern file that cannot be used; the message names file and line."""


@dataclass(frozen=True)
class Pattern:
    """One span-ruler pattern and where it was defined."""

    label: str
    pattern: str | list[dict]
    id: str
    source: str  # "file:line"

    def as_ruler_pattern(self) -> dict:
        return {"label": self.label, "pattern": self.pattern, "id": self.id}


def jsonl_entries(path: Path, problems: list[str]) -> Iterator[tuple[int, object]]:
    """``(line number, value)`` for each line of a JSONL rule file; ``//`` lines are comments.

    A file that cannot be read or a line that is no JSON adds a ``file:line`` message to ``problems``.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        problems.append(f"{path}: cannot read: {error}")
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"{path}:{number}: not valid JSON: {error.msg} (column {error.colno})")


def read_json_file(path: Path) -> object:
    """The value of a JSON rule file; a :class:`PatternError` names file and line of a problem."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise PatternError(f"{path}:{error.lineno}: not valid JSON: {error.msg}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise PatternError(f"{path}: cannot read: {error}") from error


def read_pattern_file(path: Path, *, labels: Iterable[str]) -> list[Pattern]:
    """Read and validate one JSONL pattern file.

    Raises :class:`PatternError` naming ``path`` and the line of every problem
    (bad JSON, missing or unknown keys, unknown label, unknown token attribute,
    invalid regular expression, duplicate id, a pattern that cannot match).
    """
    allowed_labels = frozenset(labels)
    problems: list[str] = []
    patterns: list[Pattern] = []
    seen_ids: dict[str, int] = {}
    for number, entry in jsonl_entries(path, problems):
        where = f"{path}:{number}"
        entry_problems = _entry_problems(entry, allowed_labels)
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            if entry["id"] in seen_ids:
                entry_problems.append(f"duplicate id {entry['id']!r} (first on line {seen_ids[entry['id']]})")
            seen_ids.setdefault(entry["id"], number)
        if entry_problems:
            problems.extend(f"{where}: {problem}" for problem in entry_problems)
            continue
        patterns.append(Pattern(entry["label"], entry["pattern"], entry["id"], where))
    if problems:
        raise PatternError("\n".join(problems))
    return patterns


def _entry_problems(entry: object, labels: frozenset[str]) -> list[str]:
    if not isinstance(entry, dict):
        return ["a pattern must be a JSON object with label, pattern and id"]
    problems = []
    missing = {"label", "pattern", "id"} - entry.keys()
    if missing:
        problems.append(f"missing key(s): {', '.join(sorted(missing))}")
    unknown = entry.keys() - {"label", "pattern", "id"}
    if unknown:
        problems.append(f"unknown key(s): {', '.join(sorted(unknown))}")
    label = entry.get("label")
    if "label" in entry and (not isinstance(label, str) or label not in labels):
        problems.append(f"unknown label {label!r}; expected one of: {', '.join(sorted(labels))}")
    if "id" in entry and (not isinstance(entry["id"], str) or not entry["id"].strip()):
        problems.append("id must be a non-empty string")
    if "pattern" in entry:
        problems.extend(_pattern_problems(entry["pattern"]))
    return problems


def _pattern_problems(pattern: object) -> list[str]:
    if isinstance(pattern, str):
        return [] if pattern.strip() else ["empty phrase pattern can never match"]
    if not isinstance(pattern, list) or not pattern:
        return ["pattern must be a phrase string or a non-empty list of token patterns"]
    problems = validate_token_pattern(pattern)
    if problems:
        return [f"invalid token pattern: {problem}" for problem in problems]
    for index, token in enumerate(pattern):
        for attribute, value in token.items():
            if isinstance(value, dict) and "REGEX" in value:
                try:
                    re.compile(value["REGEX"])
                except re.error as error:
                    problems.append(f"token {index}: invalid REGEX for {attribute}: {error}")
    if all(token.get("OP") in ("?", "*", "!") for token in pattern):
        problems.append("every token is optional or negated: the pattern can never match a span")
    return problems


def pattern_files(name: str, user_dirs: Iterable[Path] = ()) -> list[Path]:
    """The shipped file ``name`` followed by the same file in each user folder."""
    files = [SHIPPED_PATTERNS_DIR / name]
    for folder in user_dirs:
        if not folder.is_dir():
            raise PatternError(f"{folder}: pattern folder does not exist")
        files.extend(sorted(folder.glob(name)))
    return files


def all_pattern_files(user_dirs: Iterable[Path] = ()) -> list[Path]:
    """Every rule-data file a run reads: patterns, category rules, the title lexicon, link cues, districts."""
    files = []
    for name in RULE_FILES:
        files.extend(path for path in pattern_files(name, user_dirs) if path.exists())
    return files


def load_patterns(name: str, *, labels: Iterable[str], user_dirs: Iterable[Path] = ()) -> list[Pattern]:
    """Shipped and user patterns of one kind; a later pattern replaces an earlier one with its id."""
    labels = frozenset(labels)
    merged: dict[str, Pattern] = {}
    problems = []
    for path in pattern_files(name, user_dirs):
        try:
            for pattern in read_pattern_file(path, labels=labels):
                merged[pattern.id] = pattern
        except PatternError as error:
            problems.append(str(error))
    if problems:
        raise PatternError("\n".join(problems))
    return list(merged.values())


def load_role_patterns(user_dirs: Iterable[Path] = ()) -> list[Pattern]:
    return load_patterns(ROLE_PATTERN_FILE, labels=CATEGORIES, user_dirs=user_dirs)


def load_it_provider_patterns(user_dirs: Iterable[Path] = ()) -> list[Pattern]:
    return load_patterns(IT_PROVIDER_PATTERN_FILE, labels=IT_PROVIDER_LABELS, user_dirs=user_dirs)


def load_organisation_patterns(user_dirs: Iterable[Path] = ()) -> list[Pattern]:
    return load_patterns(ORGANISATION_PATTERN_FILE, labels=ORGANISATION_LABELS, user_dirs=user_dirs)


def literal_names(patterns: Iterable[Pattern]) -> list[str]:
    """The words that single-token patterns name literally, in lower case (``Dataport``, ``KISA``)."""
    names = []
    for pattern in patterns:
        if isinstance(pattern.pattern, str):
            names.append(pattern.pattern.lower())
        elif len(pattern.pattern) == 1:
            for value in pattern.pattern[0].values():
                if isinstance(value, str):
                    names.append(value.lower())
                elif isinstance(value, dict) and isinstance(value.get("IN"), list):
                    names.extend(item.lower() for item in value["IN"] if isinstance(item, str))
    return sorted(set(names))

"""A span ruler whose string tests run once per distinct string, not once per token.

spaCy's matcher evaluates every ``REGEX`` and ``IN`` predicate of a pattern's
first token on every token of every document, in Python; with dozens of title
patterns that was most of the run time. Such a test depends on one string
only, so this ruler

* answers single-token patterns (``{"LOWER": {"REGEX": ...}}``, ``{"TEXT":
  {"IN": [...]}}``, ``{"LOWER": "cdo"}``) from a per-string cache kept across
  documents, and
* gives longer patterns to the matcher with the string tests of their first
  token turned into lexeme flags (``Vocab.add_flag``): computed once per word
  of the vocabulary and compared by the matcher's compiled code.

The patterns, labels, ids, ``to_disk`` / ``from_disk`` and the output are
those of ``span_ruler``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.pipeline.span_ruler import SpanRuler
from spacy.tokens import Doc, Span

# Token attributes a cached pattern may test: their column in ``Doc.to_array``.
_COLUMNS = {"LOWER": 0, "TEXT": 1, "ORTH": 1}
CACHE_LIMIT = 500_000  # distinct strings remembered per attribute
# Lexeme flags that token patterns may use (spaCy's FLAG19 to FLAG63); tests beyond them stay predicates.
PATTERN_FLAGS = range(19, 64)


@dataclass(frozen=True)
class _SingleToken:
    """A single-token pattern: the strings it accepts are ``words`` or match ``regex``."""

    match_id: int
    attribute: str
    words: frozenset[str] = frozenset()
    regex: re.Pattern | None = None

    def accepts(self, text: str) -> bool:
        return text in self.words or (self.regex is not None and self.regex.search(text) is not None)


def _single_token(match_id: int, pattern: object) -> _SingleToken | None:
    """The single-token form of a pattern that looks at one token's string, else None."""
    if not isinstance(pattern, list) or len(pattern) != 1 or len(pattern[0]) != 1:
        return None
    ((attribute, value),) = pattern[0].items()
    if attribute not in _COLUMNS:
        return None
    if isinstance(value, str):
        return _SingleToken(match_id, attribute, words=frozenset({value}))
    if isinstance(value, dict) and len(value) == 1:
        ((operator, argument),) = value.items()
        if operator == "REGEX":
            return _SingleToken(match_id, attribute, regex=re.compile(argument))
        if operator == "IN" and all(isinstance(item, str) for item in argument):
            return _SingleToken(match_id, attribute, words=frozenset(argument))
    return None


class _Prefilter:
    """Whether any single-token pattern of one column can accept a string, in one regex call.

    Most words of a text match no title; one search with the alternation of all
    patterns' regexes rules them out instead of one search per pattern.
    """

    def __init__(self, singles: list[_SingleToken]) -> None:
        self.words = frozenset().union(*(single.words for single in singles))
        sources = [single.regex.pattern for single in singles if single.regex is not None]
        self.regex = re.compile("|".join(f"(?:{source})" for source in sources)) if sources else None

    def may_accept(self, text: str) -> bool:
        return text in self.words or (self.regex is not None and self.regex.search(text) is not None)


class _LexemeFlags:
    """Lexeme flags of one vocabulary, one per distinct string test."""

    def __init__(self, vocab) -> None:
        self.vocab = vocab
        self.flags: dict[str, str] = {}

    def flag_for(self, attribute: str, value: dict) -> str | None:
        key = json.dumps([attribute, value], sort_keys=True, ensure_ascii=False)
        if key not in self.flags:
            # An exact value is compared in compiled code already; only REGEX and IN need a flag.
            single = _single_token(0, [{attribute: value}]) if isinstance(value, dict) else None
            free = [flag for flag in PATTERN_FLAGS if flag not in self.vocab.lex_attr_getters]
            if single is None or not free:
                return None
            lower = attribute == "LOWER"
            self.vocab.add_flag(lambda text: single.accepts(text.lower() if lower else text), flag_id=free[0])
            self.flags[key] = f"FLAG{free[0]}"
        return self.flags[key]

    def rewrite(self, pattern: list[dict]) -> list[dict]:
        """The pattern with the string tests of its first token replaced by flags.

        Only the first token is tested on every token of a text; later tokens
        only where a match has begun, so flags for them would cost more (a
        getter call for each new word) than they save.
        """
        first = dict(pattern[0])
        for attribute in [key for key in first if key in _COLUMNS]:
            flag = self.flag_for(attribute, first[attribute])
            if flag is not None:
                del first[attribute]
                first[flag] = True
        return [first, *pattern[1:]]


@Language.factory(
    "cached_span_ruler",
    assigns=["doc.spans"],
    default_config={
        "spans_key": "ruler",
        "spans_filter": None,
        "annotate_ents": False,
        "ents_filter": {"@misc": "spacy.first_longest_spans_filter.v1"},
        "phrase_matcher_attr": None,
        "matcher_fuzzy_compare": {"@misc": "spacy.levenshtein_compare.v1"},
        "validate": False,
        "overwrite": True,
        "scorer": {"@scorers": "spacy.overlapping_labeled_spans_scorer.v1", "spans_key": "ruler"},
    },
)
def make_cached_span_ruler(
    nlp: Language,
    name: str,
    spans_key: str | None,
    spans_filter: Callable | None,
    annotate_ents: bool,
    ents_filter: Callable,
    phrase_matcher_attr: int | str | None,
    matcher_fuzzy_compare: Callable,
    validate: bool,
    overwrite: bool,
    scorer: Callable | None,
) -> CachedSpanRuler:
    return CachedSpanRuler(
        nlp,
        name,
        spans_key=spans_key,
        spans_filter=spans_filter,
        annotate_ents=annotate_ents,
        ents_filter=ents_filter,
        phrase_matcher_attr=phrase_matcher_attr,
        matcher_fuzzy_compare=matcher_fuzzy_compare,
        validate=validate,
        overwrite=overwrite,
        scorer=scorer,
    )


class CachedSpanRuler(SpanRuler):
    """``span_ruler`` with single-token patterns answered from a per-string cache."""

    def clear(self) -> None:
        super().clear()
        self._flags = _LexemeFlags(self.nlp.vocab)
        self._single_tokens: list[_SingleToken] = []
        self._answers: dict[int, dict[int, tuple[int, ...]]] = {column: {} for column in set(_COLUMNS.values())}
        self._prefilters: dict[int, _Prefilter] = {}

    def add_patterns(self, patterns: Iterable[dict]) -> None:
        matcher_patterns = []
        for entry in patterns:
            label, pattern_id = entry["label"], entry.get("id", "")
            match_id = self.nlp.vocab.strings.add(repr((label, pattern_id)))
            single = _single_token(match_id, entry["pattern"])
            if single is None:
                matcher_patterns.append(entry)
                continue
            self._match_label_id_map[match_id] = {"label": label, "id": pattern_id}
            self._single_tokens.append(single)
            self._patterns.append(entry)
        for answers in self._answers.values():
            answers.clear()
        self._prefilters = {
            column: _Prefilter([single for single in self._single_tokens if _COLUMNS[single.attribute] == column])
            for column in self._answers
        }
        if matcher_patterns:
            super().add_patterns(matcher_patterns)
            for entry in matcher_patterns:
                if isinstance(entry["pattern"], list):
                    key = repr((entry["label"], entry.get("id", "")))
                    self.matcher.remove(key)
                    self.matcher.add(key, [self._flags.rewrite(entry["pattern"])])

    def match(self, doc: Doc) -> list[Span]:
        spans = super().match(doc) if len(self.matcher) or len(self.phrase_matcher) else []
        labels = self._match_label_id_map
        cached = {
            Span(doc, index, index + 1, label=labels[match_id]["label"], span_id=labels[match_id]["id"])
            for index, values in enumerate(doc.to_array([LOWER, ORTH]).tolist())
            for match_id in self._answer(doc, values)
        }
        return sorted(set(spans) | cached)

    def _answer(self, doc: Doc, values: list[int]) -> list[int]:
        found: list[int] = []
        for column, answers in self._answers.items():
            key = values[column]
            known = answers.get(key)
            if known is None:
                text = doc.vocab.strings[key]
                known = ()
                if self._prefilters[column].may_accept(text):
                    known = tuple(
                        single.match_id
                        for single in self._single_tokens
                        if _COLUMNS[single.attribute] == column and single.accepts(text)
                    )
                if len(answers) >= CACHE_LIMIT:
                    answers.clear()
                answers[key] = known
            found.extend(known)
        return found

    def _require_patterns(self) -> None:
        if not self._single_tokens:
            super()._require_patterns()

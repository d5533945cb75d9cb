"""A span ruler that tests each distinct string once and runs the matcher only where a pattern can match.

spaCy's matcher visits every token of a document for every pattern and
evaluates ``REGEX`` and ``IN`` predicates token by token, in Python; with
dozens of title patterns over long texts that was most of the run time. This
ruler finds the same spans with less work:

* A single-token pattern (``{"LOWER": {"REGEX": ...}}``, ``{"TEXT": {"IN":
  [...]}}``, ``{"LOWER": "cdo"}``) depends on one string only: it is answered
  once per word of the vocabulary (:class:`~pipeline.nlp.strings.StringAnswers`).
* A longer pattern gets an *anchor*: one of its tokens without an operator,
  so that every match has it, whose string test can be indexed the same way
  (an exact value or an ``IN`` list rather than a ``REGEX``; of those the
  earliest). Patterns with the same anchor share a matcher, which runs only
  over windows around that anchor, as far as its patterns reach from there:
  every match lies in such a window, and a window holds nothing but real matches.
* A pattern without an anchor (no string test on a plain token) is matched
  over the whole document, as ``span_ruler`` does.

The patterns, labels, ids, ``to_disk`` / ``from_disk``, ``remove`` and the
output are those of ``span_ruler``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline.span_ruler import SpanRuler
from spacy.tokens import Doc, Span

from pipeline.nlp.strings import StringAnswers

# Token attributes a string test may look at, by the string they test: the word lower-cased, or as it is.
_COLUMNS = {"LOWER": "lower", "TEXT": "text", "ORTH": "text"}
UNBOUNDED = sys.maxsize  # how far a pattern with ``*`` or ``+`` can reach from its anchor
_EXACT_COUNT = re.compile(r"^\{(\d+)\}$")
_COUNT_RANGE = re.compile(r"^\{\d*,(\d*)\}$")


@dataclass(frozen=True)
class _StringTest:
    """A test of one token attribute's string: it is one of ``words`` or matches ``regex``."""

    attribute: str
    words: frozenset[str] = frozenset()
    regex: re.Pattern | None = None

    @property
    def column(self) -> str:
        return _COLUMNS[self.attribute]

    def accepts(self, text: str) -> bool:
        return text in self.words or (self.regex is not None and self.regex.search(text) is not None)


def _string_test(attribute: str, value: object) -> _StringTest | None:
    """The test of ``{attribute: value}`` in a token pattern if it looks at one string only, else None."""
    if attribute not in _COLUMNS:
        return None
    if isinstance(value, str):
        return _StringTest(attribute, words=frozenset({value}))
    if isinstance(value, dict) and len(value) == 1:
        ((operator, argument),) = value.items()
        if operator == "REGEX" and isinstance(argument, str):
            return _StringTest(attribute, regex=re.compile(argument))
        if operator == "IN" and isinstance(argument, list) and all(isinstance(item, str) for item in argument):
            return _StringTest(attribute, words=frozenset(argument))
    return None


@dataclass(frozen=True)
class _SingleToken:
    """A pattern of one token that only tests a string."""

    match_id: int
    test: _StringTest


@dataclass(frozen=True)
class _Anchor:
    """A string test that every match of a pattern passes at one token.

    ``before`` is how many tokens a match can have before that token, ``after``
    how many from it to the end of the match (itself included); ``UNBOUNDED``
    where a repeated token makes the match open-ended.
    """

    test: _StringTest
    before: int
    after: int


def _single_token(match_id: int, pattern: object) -> _SingleToken | None:
    """The single-token form of a pattern that looks at one token's string, else None."""
    if not isinstance(pattern, list) or len(pattern) != 1 or len(pattern[0]) != 1:
        return None
    ((attribute, value),) = pattern[0].items()
    test = _string_test(attribute, value)
    return _SingleToken(match_id, test) if test is not None else None


def _max_width(token: dict) -> int:
    """How many tokens a token pattern can cover at most, from its ``OP``."""
    operator = token.get("OP")
    if operator in (None, "!", "?"):
        return 1
    if isinstance(operator, str):
        if exact := _EXACT_COUNT.match(operator):
            return int(exact[1])
        if (up_to := _COUNT_RANGE.match(operator)) and up_to[1]:
            return int(up_to[1])
    return UNBOUNDED  # *, +, {n,} (and operators the matcher will reject)


def _reach(tokens: Iterable[dict]) -> int:
    return min(UNBOUNDED, sum(_max_width(token) for token in tokens))


def _anchor(pattern: object) -> _Anchor | None:
    """The anchor of a token pattern (see the module docstring), or None if it has none."""
    if not isinstance(pattern, list) or not all(isinstance(token, dict) for token in pattern):
        return None
    candidates: list[tuple[int, int, _StringTest]] = []
    for position, token in enumerate(pattern):
        if "OP" in token:
            continue
        for attribute, value in token.items():
            test = _string_test(attribute, value)
            if test is not None:
                candidates.append((test.regex is not None, position, test))
    if not candidates:
        return None
    _, position, test = min(candidates, key=lambda candidate: candidate[:2])
    return _Anchor(test, before=_reach(pattern[:position]), after=_reach(pattern[position:]))


@dataclass(frozen=True)
class _Answer:
    """What the patterns say about one string: single-token matches, and the windows it opens.

    ``windows`` holds, per anchor group the string satisfies, the group and how
    far its patterns reach before and after the string.
    """

    match_ids: tuple[int, ...]
    windows: tuple[tuple[int, int, int], ...] = ()  # (group, before, after)


def _answer_function(
    singles: list[_SingleToken], anchors: list[tuple[int, _Anchor]]
) -> Callable[[str], _Answer | None]:
    """What the patterns say about a string of one token attribute; ``anchors`` are ``(group, anchor)`` pairs.

    Most words of a text match no pattern; one search with the alternation of
    all regexes rules them out instead of one search per test.
    """
    tests = [single.test for single in singles] + [anchor.test for _, anchor in anchors]
    words = frozenset().union(*(test.words for test in tests))
    sources = [test.regex.pattern for test in tests if test.regex is not None]
    regex = re.compile("|".join(f"(?:{source})" for source in sources)) if sources else None

    def answer(text: str) -> _Answer | None:
        if text not in words and (regex is None or regex.search(text) is None):
            return None
        match_ids = tuple(single.match_id for single in singles if single.test.accepts(text))
        reach: dict[int, tuple[int, int]] = {}
        for group, anchor in anchors:
            if anchor.test.accepts(text):
                before, after = reach.get(group, (0, 0))
                reach[group] = (max(before, anchor.before), max(after, anchor.after))
        if reach:
            return _Answer(match_ids, tuple((group, *extent) for group, extent in sorted(reach.items())))
        return _Answer(match_ids) if match_ids else None

    return answer


def _merged(windows: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Overlapping or touching ``(start, end)`` windows merged, in order."""
    windows.sort()
    start, end = windows[0]
    for next_start, next_end in windows[1:]:
        if next_start > end:
            yield start, end
            start, end = next_start, next_end
        else:
            end = max(end, next_end)
    yield start, end


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
    """``span_ruler`` with string tests indexed per distinct string and the matcher run around anchors.

    ``self.matcher`` holds the patterns without an anchor and runs over the
    whole document; anchored patterns live in a second matcher that runs over
    windows (see the module docstring).
    """

    def __init__(self, nlp: Language, *args, **kwargs) -> None:
        # by the string they test; set first, as ``SpanRuler.__init__`` indexes the (empty) patterns
        self._answers_by_column: dict[str, StringAnswers[_Answer]] = {}
        super().__init__(nlp, *args, **kwargs)

    def clear(self) -> None:
        super().clear()
        self._index_token_patterns()

    def add_patterns(self, patterns: Iterable[dict]) -> None:
        patterns = list(patterns)
        earlier = list(self._patterns)
        phrases = [entry for entry in patterns if not isinstance(entry["pattern"], list)]
        if phrases:
            super().add_patterns(phrases)  # tokenized by the pipeline, as span_ruler does
        for entry in patterns:
            if isinstance(entry["pattern"], list):
                label, pattern_id = entry["label"], entry.get("id", "")
                self._match_label_id_map[self.nlp.vocab.strings.add(repr((label, pattern_id)))] = {
                    "label": label,
                    "id": pattern_id,
                }
        self._patterns = [*earlier, *patterns]  # in the order given, as span_ruler keeps them
        self._index_token_patterns()

    def remove(self, label: str) -> None:
        super().remove(label)
        self._index_token_patterns()

    def remove_by_id(self, pattern_id: str) -> None:
        super().remove_by_id(pattern_id)
        self._index_token_patterns()

    def _index_token_patterns(self) -> None:
        """Sort the token patterns into single-token, anchored and whole-document ones.

        Anchored patterns are grouped by their anchor's test, one matcher a
        group: a window around ``Stadt`` runs only the patterns anchored there.
        """
        singles: list[_SingleToken] = []
        anchors: list[tuple[int, _Anchor]] = []
        groups: dict[_StringTest, int] = {}
        self.matcher = self._new_matcher()
        self._window_matchers: list[Matcher] = []
        for entry in self._patterns:
            pattern = entry["pattern"]
            if not isinstance(pattern, list):
                continue
            key = repr((entry["label"], entry.get("id", "")))
            single = _single_token(self.nlp.vocab.strings[key], pattern)
            anchor = _anchor(pattern) if single is None else None
            if single is not None:
                singles.append(single)
            elif anchor is not None:
                if anchor.test not in groups:
                    groups[anchor.test] = len(self._window_matchers)
                    self._window_matchers.append(self._new_matcher())
                anchors.append((groups[anchor.test], anchor))
                self._window_matchers[groups[anchor.test]].add(key, [pattern])
            else:
                self.matcher.add(key, [pattern])
        columns = {single.test.column for single in singles} | {anchor.test.column for _, anchor in anchors}
        for column in sorted(columns):
            answer = _answer_function(
                [single for single in singles if single.test.column == column],
                [(group, anchor) for group, anchor in anchors if anchor.test.column == column],
            )
            if column in self._answers_by_column:  # a lexeme flag each, kept when the patterns change
                self._answers_by_column[column].change(answer)
            else:
                self._answers_by_column[column] = StringAnswers(self.nlp.vocab, answer, lower=column == "lower")
        self._answers = [self._answers_by_column[column] for column in sorted(columns)]

    def _new_matcher(self) -> Matcher:
        return Matcher(self.nlp.vocab, validate=self.validate, fuzzy_compare=self.matcher_fuzzy_compare)

    def match(self, doc: Doc) -> list[Span]:
        self._require_patterns()
        matches: list[tuple[int, int, int]] = []
        windows: dict[int, list[tuple[int, int]]] = {}
        for answers in self._answers:
            for position, answer in answers.hits(doc):
                matches.extend((match_id, position, position + 1) for match_id in answer.match_ids)
                for group, before, after in answer.windows:
                    windows.setdefault(group, []).append((max(0, position - before), min(len(doc), position + after)))
        for group, spans in windows.items():
            matcher = self._window_matchers[group]
            for start, end in _merged(spans):
                matches.extend(
                    (match_id, start + first, start + last) for match_id, first, last in matcher(doc[start:end])
                )
        if len(self.matcher):
            matches.extend(self.matcher(doc))
        if len(self.phrase_matcher):
            matches.extend(self.phrase_matcher(doc))
        labels = self._match_label_id_map
        spans = {
            Span(doc, start, end, label=labels[match_id]["label"], span_id=labels[match_id]["id"])
            for match_id, start, end in matches
            if start != end
        }
        return sorted(spans)

"""A span ruler that answers single-token patterns from a cache.

spaCy's matcher evaluates every ``REGEX`` and ``IN`` predicate of every
pattern's first token on every token of every document, in Python; with dozens
of title patterns that was most of the run time. A single-token pattern
(``{"LOWER": {"REGEX": ...}}``, ``{"TEXT": {"IN": [...]}}``, ``{"LOWER":
"cdo"}``) depends on one string only, so this ruler evaluates it once per
distinct string and remembers the answer across documents. Longer patterns go
to spaCy's matcher as usual. The patterns, labels, ids, ``to_disk`` /
``from_disk`` and the output are those of ``span_ruler``.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class _SingleToken:
    match_id: int
    attribute: str
    test: Callable[[str], bool]


def _single_token_test(pattern: object) -> tuple[str, Callable[[str], bool]] | None:
    """The attribute and test of a pattern that looks at one token's string, else None."""
    if not isinstance(pattern, list) or len(pattern) != 1 or len(pattern[0]) != 1:
        return None
    ((attribute, value),) = pattern[0].items()
    if attribute not in _COLUMNS:
        return None
    if isinstance(value, str):
        return attribute, value.__eq__
    if isinstance(value, dict) and len(value) == 1:
        ((operator, argument),) = value.items()
        if operator == "REGEX":
            return attribute, lambda text, regex=re.compile(argument): regex.search(text) is not None
        if operator == "IN":
            return attribute, frozenset(argument).__contains__
    return None


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
        self._single_tokens: list[_SingleToken] = []
        self._answers: dict[int, dict[int, tuple[int, ...]]] = {column: {} for column in set(_COLUMNS.values())}

    def add_patterns(self, patterns: Iterable[dict]) -> None:
        matcher_patterns = []
        for entry in patterns:
            single = _single_token_test(entry["pattern"])
            if single is None:
                matcher_patterns.append(entry)
                continue
            label, pattern_id = entry["label"], entry.get("id", "")
            match_id = self.nlp.vocab.strings.add(repr((label, pattern_id)))
            self._match_label_id_map[match_id] = {"label": label, "id": pattern_id}
            self._single_tokens.append(_SingleToken(match_id, *single))
            self._patterns.append(entry)
        for answers in self._answers.values():
            answers.clear()
        if matcher_patterns:
            super().add_patterns(matcher_patterns)

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
                known = tuple(
                    single.match_id
                    for single in self._single_tokens
                    if _COLUMNS[single.attribute] == column and single.test(text)
                )
                if len(answers) >= CACHE_LIMIT:
                    answers.clear()
                answers[key] = known
            found.extend(known)
        return found

    def _require_patterns(self) -> None:
        if not self._single_tokens:
            super()._require_patterns()

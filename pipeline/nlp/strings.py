"""Answers about token strings, worked out once per distinct string.

Rule components ask the same question of every token (is it a first name, a
title, the anchor of a pattern?). A corpus has far fewer distinct strings than
tokens, so :class:`StringAnswers` answers each string once, remembers the
answer across documents, and finds the tokens of a document with an answer by
their hash in ``Doc.to_array``, without a Python step per token.

>>> import spacy
>>> from spacy.attrs import ORTH
>>> capitalised = StringAnswers(lambda text: True if text[:1].isupper() else None)
>>> doc = spacy.blank("de")("Die Stadt Essen hat eine Digitalbeauftragte.")
>>> capitalised.positions(doc.to_array(ORTH), doc.vocab.strings).tolist()
[0, 1, 2, 5]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import numpy as np
from spacy.strings import StringStore

T = TypeVar("T")

CACHE_LIMIT = 500_000  # distinct strings remembered; beyond that the memory starts afresh


class StringAnswers(Generic[T]):
    """The answers of ``answer(text)`` for the strings of token hashes; ``None`` means no answer."""

    def __init__(self, answer: Callable[[str], T | None], *, limit: int = CACHE_LIMIT) -> None:
        self.answer = answer
        self.limit = limit
        self._seen: set[int] = set()
        self._answers: dict[int, T] = {}

    def hits(self, keys: np.ndarray, strings: StringStore) -> list[tuple[int, T]]:
        """The distinct hashes among ``keys`` whose string has an answer, with the answer."""
        distinct = set(keys.tolist())
        new = distinct - self._seen
        if new and len(self._seen) + len(new) > self.limit:
            self._seen.clear()
            self._answers.clear()
            new = distinct
        if new:
            for key in new:
                answer = self.answer(strings[key])
                if answer is not None:
                    self._answers[key] = answer
            self._seen.update(new)
        return [(key, self._answers[key]) for key in distinct if key in self._answers]

    def positions(self, keys: np.ndarray, strings: StringStore) -> np.ndarray:
        """The indices into ``keys`` whose string has an answer, in order."""
        found = [key for key, _ in self.hits(keys, strings)]
        if not found:
            return np.empty(0, dtype=np.intp)
        return np.flatnonzero(np.isin(keys, np.array(found, dtype=keys.dtype)))

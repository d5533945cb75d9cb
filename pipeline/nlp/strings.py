"""Answers about token strings, worked out once per word of the vocabulary.

Rule components ask the same question of every token (is it a first name, a
title, the anchor of a pattern?). A corpus has far fewer distinct words than
tokens, and spaCy already keeps one lexeme per distinct word: the question is
asked when a word enters the vocabulary (``Vocab.add_flag``), whether it has an
answer is stored as one of the lexeme's boolean flags, and ``Doc.to_array``
reads that flag for a whole document in C. Only the few words with an answer
keep it here, so the memory does not grow with the corpus beyond spaCy's own
vocabulary.

>>> import spacy
>>> nlp = spacy.blank("de")
>>> capitalised = StringAnswers(nlp.vocab, lambda text: True if text[:1].isupper() else None)
>>> doc = nlp("Die Stadt Essen hat eine Digitalbeauftragte.")
>>> capitalised.positions(doc).tolist()
[0, 1, 2, 5]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import numpy as np
from spacy.tokens import Doc
from spacy.vocab import Vocab

T = TypeVar("T")


class StringAnswers(Generic[T]):
    """The answers of ``answer(text)`` for the words of ``vocab``; ``None`` means no answer.

    ``lower=True`` asks with the word lower-cased, as a pattern's ``LOWER``
    tests it. Each instance takes one of the 64 lexeme flags of the vocabulary
    (spaCy's own attributes use about 20).
    """

    def __init__(self, vocab: Vocab, answer: Callable[[str], T | None], *, lower: bool = False) -> None:
        self._vocab = vocab
        self.lower = lower
        self.answer = answer
        self._answers: dict[int, T] = {}  # the word's hash (ORTH) -> its answer
        self.flag = vocab.add_flag(self._has_answer)

    def change(self, answer: Callable[[str], T | None]) -> None:
        """Ask every word again, now with ``answer`` (the patterns or the lexicon behind it changed)."""
        self.answer = answer
        self._answers = {}
        self._vocab.add_flag(self._has_answer, flag_id=self.flag)

    def _has_answer(self, text: str) -> bool:
        answer = self.answer(text.lower() if self.lower else text)
        if answer is None:
            return False
        self._answers[self._vocab.strings.as_int(text)] = answer
        return True

    def positions(self, doc: Doc) -> np.ndarray:
        """The indices of the tokens of ``doc`` whose word has an answer, in order."""
        self.check(doc)
        return np.flatnonzero(doc.to_array(self.flag))

    def hits(self, doc: Doc) -> list[tuple[int, T]]:
        """``(index, answer)`` of every token of ``doc`` whose word has an answer, in order."""
        # Hits are few (three or four per document and answer): reading each hit's word costs less than
        # reading the word of every token with the flag.
        return [(index, self._answers[doc[index].orth]) for index in self.positions(doc).tolist()]

    def check(self, doc: Doc) -> None:
        """Refuse a document of another vocabulary: its lexemes do not carry :attr:`flag`."""
        if doc.vocab is not self._vocab:
            raise ValueError("StringAnswers: the document was made with another vocabulary than the pipeline's")

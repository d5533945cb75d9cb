"""Exact phrase lookup over token strings, for gazetteers of tens of thousands of names.

spaCy's ``PhraseMatcher`` takes its patterns as ``Doc`` objects: tokenizing
33,000 place names creates a lexeme for every new word, which was most of the
pipeline's start-up time. A place name is almost always words separated by
single spaces, which the tokenizer keeps as they are; :class:`PhraseIndex`
splits those on spaces, hands only the others to the tokenizer, and keys
every phrase by the string IDs of its words, the ``ORTH`` values its tokens
will have. The words split on spaces are not added to the string store:
matching compares IDs only, and interning them was most of the index's build
time. Matching finds the tokens whose string starts a phrase with one binary
search over the sorted first words and compares the phrases from there.

>>> import spacy
>>> nlp = spacy.blank("de")
>>> index = PhraseIndex(nlp.tokenizer)
>>> index.add("LOC", ["Porta Westfalica", "Halle (Saale)"])
>>> doc = nlp("Von Porta Westfalica nach Halle (Saale).")
>>> [(label, doc[start:end].text) for label, start, end in index(doc)]
[('LOC', 'Porta Westfalica'), ('LOC', 'Halle (Saale)')]
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from spacy.attrs import ORTH
from spacy.strings import get_string_id
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

# Words of letters (with inner hyphens) separated by single spaces: the tokenizer leaves these as they are.
_SPACE_SEPARATED_WORDS = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*(?: [^\W\d_]+(?:-[^\W\d_]+)*)*$")


class PhraseIndex:
    """Phrases by label, matched as exact token strings (``attr="ORTH"`` of a ``PhraseMatcher``)."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self._tokenizer = tokenizer
        self._one_word: dict[int, list[str]] = defaultdict(list)  # word ID -> labels
        # the IDs of the first two words -> (phrase as word IDs, label), longest first
        self._longer: dict[tuple[int, int], list[tuple[tuple[int, ...], str]]] = defaultdict(list)
        self._first_words = np.empty(0, dtype=np.uint64)

    def add(self, label: str, phrases: Iterable[str]) -> None:
        """Add ``phrases`` under ``label``, split into words as the tokenizer splits them."""
        for phrase in phrases:
            words = phrase.split(" ") if _SPACE_SEPARATED_WORDS.match(phrase) else self._tokenized(phrase)
            keys = tuple(get_string_id(word) for word in words)
            if len(keys) == 1:
                self._one_word[keys[0]].append(label)
            elif keys:
                self._longer[keys[:2]].append((keys, label))
        for candidates in self._longer.values():
            candidates.sort(key=lambda candidate: -len(candidate[0]))
        first_words = set(self._one_word) | {first for first, _ in self._longer}
        # sorted, for a binary search per token: ``np.isin`` would sort all of them again for every text
        self._first_words = np.sort(np.fromiter(first_words, dtype=np.uint64, count=len(first_words)))

    def _tokenized(self, phrase: str) -> list[str]:
        return [token.text for token in self._tokenizer(phrase) if not token.is_space]

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        """Every ``(label, start, end)`` where a phrase stands in ``doc``, overlapping ones included."""
        keys = doc.to_array(ORTH)
        matches: list[tuple[str, int, int]] = []
        if not len(self._first_words) or not len(keys):
            return matches
        nearest = self._first_words[np.minimum(np.searchsorted(self._first_words, keys), len(self._first_words) - 1)]
        words = keys.tolist()
        for start in np.flatnonzero(nearest == keys).tolist():
            word = words[start]
            if word in self._one_word:
                matches.extend((label, start, start + 1) for label in self._one_word[word])
            for phrase, label in self._longer.get((word, words[start + 1]) if start + 1 < len(words) else (), ()):
                end = start + len(phrase)
                if tuple(words[start:end]) == phrase:
                    matches.append((label, start, end))
        return matches

"""The phrase index finds what spaCy's PhraseMatcher finds, without tokenizing simple names."""

from __future__ import annotations

import spacy
from spacy.matcher import PhraseMatcher

from pipeline.nlp.phrases import PhraseIndex

NAMES = ["Halle", "Halle (Saale)", "Bad Homburg v. d. Höhe", "Kirn-Land", "St. Wendel", "Porta Westfalica", "Au"]
TEXT = (
    "Von Halle (Saale) über Bad Homburg v. d. Höhe und Kirn-Land nach St. Wendel; "
    "in Porta Westfalica, Halle und Au, aber nicht in Aue oder Porta."
)


def test_same_matches_as_the_phrase_matcher():
    nlp = spacy.blank("de")
    index = PhraseIndex(nlp.tokenizer)
    index.add("LOC", NAMES)
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    matcher.add("LOC", list(nlp.tokenizer.pipe(NAMES)))
    doc = nlp(TEXT)
    expected = sorted((nlp.vocab.strings[key], start, end) for key, start, end in matcher(doc))
    assert sorted(index(doc)) == expected
    assert {doc[start:end].text for _, start, end in index(doc)} == set(NAMES)


def test_labels_are_kept_apart_and_an_empty_index_finds_nothing():
    nlp = spacy.blank("de")
    index = PhraseIndex(nlp.tokenizer)
    doc = nlp("Der Kreis Lippe und die Stadt Lemgo")
    assert index(doc) == []
    index.add("DISTRICT", ["Kreis Lippe"])
    index.add("LOC", ["Lemgo", "Lippe"])
    assert sorted(index(doc)) == [("DISTRICT", 1, 3), ("LOC", 2, 3), ("LOC", 6, 7)]


def test_words_spacy_keeps_as_symbols_are_matched_by_their_symbol_ids():
    # spaCy gives a few strings fixed small IDs instead of their hashes (``LOC``, ``ADJ``, ``mark``)
    nlp = spacy.blank("de")
    index = PhraseIndex(nlp.tokenizer)
    index.add("ORG", ["Verein LOC Nordheide", "ADJ"])
    doc = nlp("Der Verein LOC Nordheide nennt das ADJ.")
    assert sorted(index(doc)) == [("ORG", 1, 4), ("ORG", 6, 7)]


def test_adding_phrases_leaves_the_string_store_as_it_was():
    nlp = spacy.blank("de")
    strings_before = len(nlp.vocab.strings)
    index = PhraseIndex(nlp.tokenizer)
    index.add("LOC", ["Quellbrunn am Wiesgrund", "Ostervelde", "Neu Quellbrunn"])
    assert len(nlp.vocab.strings) == strings_before
    doc = nlp("Ein Fest in Neu Quellbrunn und Ostervelde.")
    assert sorted(index(doc)) == [("LOC", 3, 5), ("LOC", 6, 7)]

"""The benchmark's corpus generator and its reading of repeated runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.compare_bench import compare
from bench.make_corpus import MAX_WORDS, MIN_WORDS, generate
from bench.run_bench import Corpus, Measurement, fastest, parse_args
from pipeline.nlp.components import ROLE_TITLES_KEY
from pipeline.text.dates import find_date_mentions

CORPUS = Corpus(Path("corpus"), documents=1000, words=400_000)


def test_the_corpus_depends_only_on_the_seed_and_a_text_on_its_index():
    first = list(generate(20, seed=7))
    assert list(generate(20, seed=7)) == first
    assert list(generate(5, seed=7)) == first[:5]
    assert list(generate(5, seed=8)) != first[:5]


def test_texts_have_press_release_length_role_titles_and_dates(nlp):
    for _, text in generate(30, seed=42):
        assert MIN_WORDS <= len(text.split()) <= MAX_WORDS
        doc = nlp(text)
        assert doc.spans[ROLE_TITLES_KEY], text[:80]
        assert find_date_mentions(text, reference=None), text[:80]


def test_the_fastest_run_counts_with_the_highest_peak_memory():
    runs = [
        Measurement("model", CORPUS, startup=3.0, seconds=26.0, peak_rss_mb=620.0, per_document_peak_mb=600.0),
        None,  # a failed run
        Measurement("model", CORPUS, startup=3.1, seconds=25.0, peak_rss_mb=610.0, per_document_peak_mb=590.0),
    ]
    best = fastest(runs)
    assert (best.seconds, best.startup, best.peak_rss_mb, best.per_document_peak_mb) == (25.0, 3.1, 620.0, 600.0)
    assert best.docs_per_second == 40.0


def test_no_result_when_every_run_failed():
    assert fastest([None, None]) is None


@pytest.mark.parametrize("arguments", [["--repeat", "0"], ["--sizes", "0"]])
def test_nonsense_options_are_refused(arguments, capsys):
    with pytest.raises(SystemExit):
        parse_args(arguments)
    assert "must be positive" in capsys.readouterr().err


def test_compare_measures_both_trees_in_one_run(capsys):
    compare("HEAD", [3], repeat=1, seed=7)
    out = capsys.readouterr().out
    assert "rules only, 3 documents" in out
    assert out.count(" docs/s ") == 2  # HEAD and this tree
    assert "this tree takes" in out and "x the time of HEAD" in out

"""The benchmark's corpus generator and its reading of repeated runs."""

from __future__ import annotations

import multiprocessing
import platform
import sys
from pathlib import Path

import pytest

from bench import run_bench
from bench.compare_bench import _print, compare, main
from bench.make_corpus import MAX_WORDS, MIN_WORDS, generate
from bench.parallel_bench import _largest_worker_peak_mb, print_parallel_targets
from bench.run_bench import (
    BARE_TOKENIZER,
    BLANK_GERMAN,
    RULES_ONLY,
    Corpus,
    Measurement,
    benchmark,
    child_bare,
    fastest,
    interpreter,
    parse_args,
    round_ratios,
    run_by_run,
)
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


def test_speed_ups_pair_the_runs_of_one_round_and_skip_rounds_with_a_failure():
    def runs(*seconds):
        return [None if value is None else Measurement("m", CORPUS, 1.0, value, 0.0) for value in seconds]

    assert run_by_run(runs(90.0, 60.0, 70.0), runs(50.0, 40.0, None)) == [1.8, 1.5]


def test_the_scale_out_targets_show_the_median_of_the_rounds(capsys):
    rows = [
        Measurement(RULES_ONLY, CORPUS, 1.2, 60.0, 0.0),
        Measurement("workers 2", CORPUS, 1.2, 34.0, 0.0),  # the fastest runs came from different rounds
    ]
    print_parallel_targets(rows, RULES_ONLY, 1.2, speedups={("workers 2", CORPUS.documents): [1.62, 1.74, 1.71]})
    out = capsys.readouterr().out
    assert "60.00 s / 34.00 s = 1.76x  PASS" in out
    assert "round by round: 1.62x, 1.74x, 1.71x; median 1.71x  PASS" in out
    assert "rules-only >= 300 docs/s per core, 1,000 docs: 16.7 docs/s  MISS" in out
    assert "python bench/compare_bench.py 3cff4b6 --sizes 10000 --then 260" in out  # this day's measure of it


def test_a_single_round_prints_no_median(capsys):
    rows = [Measurement(RULES_ONLY, CORPUS, 1.2, 60.0, 0.0), Measurement("dask 2 local", CORPUS, 1.2, 45.0, 0.0)]
    print_parallel_targets(rows, RULES_ONLY, 1.2, speedups={("dask 2 local", CORPUS.documents): [1.33]})
    out = capsys.readouterr().out
    assert "= 1.33x  MISS" in out
    assert "round by round" not in out


def test_rules_only_is_measured_against_the_bare_tokenizer_round_by_round(monkeypatch, capsys):
    seconds = {RULES_ONLY: iter([62.0, 60.0]), BARE_TOKENIZER: iter([4.0, 5.0])}

    def measure(kind, mode, corpus, model):
        if mode not in seconds:
            return None  # the parallel modes: failed runs are left out
        return Measurement(mode, corpus, 0.2 if model == BLANK_GERMAN else 1.5, next(seconds[mode]), 300.0)

    monkeypatch.setattr(run_bench, "installed_german_package", lambda: None)
    monkeypatch.setattr(run_bench, "measure", measure)
    benchmark([CORPUS], None, repeat=2)
    out = capsys.readouterr().out
    rules_only = next(line for line in out.splitlines() if line.startswith(RULES_ONLY))
    assert rules_only.split()[-1] == "15.00"  # the fastest runs: 60 s against 4 s
    assert f"{RULES_ONLY} / {BARE_TOKENIZER}, 1,000 docs, run by run: 15.50, 12.00" in out


def test_the_bare_tokenizer_is_the_blank_german_pipeline_over_the_cleaned_texts(tmp_path):
    (tmp_path / "a.txt").write_text("Die Digitallots:innen der Gemeinde Kleinwalden tagen am 3. Mai.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Dr. Mara Feldt ist CDO.", encoding="utf-8")
    result = child_bare(tmp_path, BLANK_GERMAN)
    assert (result["model"], result["documents"], result["failed"]) == (BLANK_GERMAN, 2, 0)
    assert result["seconds"] > 0


def _hold_memory(megabytes: int) -> None:
    block = bytearray(megabytes * 2**20)
    block[::4096] = b"x" * len(block[::4096])  # touch every page, so that it is resident


def test_the_peak_memory_of_a_worker_is_read_once_it_has_exited():
    worker = multiprocessing.get_context("fork").Process(target=_hold_memory, args=(120,))
    worker.start()  # not joined here: the measurement waits for it
    assert _largest_worker_peak_mb() >= 120
    assert not multiprocessing.active_children()


@pytest.mark.parametrize(("large_mb", "verdict"), [(300.0, "1.07x  PASS"), (420.0, "1.50x  MISS")])
def test_memory_per_worker_is_compared_between_the_smallest_and_the_largest_corpus(capsys, large_mb, verdict):
    large = Corpus(Path("large"), documents=10_000, words=4_000_000)
    rows = [
        Measurement(RULES_ONLY, CORPUS, 1.2, 8.0, 300.0),
        Measurement("workers 2", CORPUS, 1.2, 9.0, 250.0, per_document_peak_mb=280.0),
        Measurement(RULES_ONLY, large, 1.2, 60.0, 420.0),
        Measurement("workers 2", large, 1.2, 34.0, 380.0, per_document_peak_mb=large_mb),
    ]
    print_parallel_targets(rows, RULES_ONLY, 1.2)
    out = capsys.readouterr().out
    assert (
        f"workers 2: peak memory of a worker at 10,000 docs <= 1.2x that at 1,000: {large_mb:,.0f} MB / 280 MB" in out
    )
    assert verdict in out
    assert "dask 2 local: peak memory" not in out  # no runs of it


@pytest.mark.parametrize("arguments", [["--repeat", "0"], ["--sizes", "0"]])
def test_nonsense_options_are_refused(arguments, capsys):
    with pytest.raises(SystemExit):
        parse_args(arguments)
    assert "must be positive" in capsys.readouterr().err


def test_compare_measures_both_trees_in_one_run(capsys):
    compare("HEAD", [3], repeat=1, seed=7, then=[50.0])
    out = capsys.readouterr().out
    assert "rules only, 3 documents" in out
    assert out.count(" docs/s   (every run: ") == 2  # HEAD and this tree
    assert "this tree takes" in out and "x the time of HEAD" in out
    assert "at HEAD's 50 docs/s of another day, this tree would run" in out


def test_compare_carries_a_rate_of_another_day_over_by_the_fastest_runs_and_the_median_round(capsys):
    runs = {"v1.0": [100.0, 90.0, 120.0], "this tree": [80.0, 81.0, 84.0]}  # rounds: 0.80, 0.90, 0.70
    _print(10_000, runs, "v1.0", then=260.0)
    out = capsys.readouterr().out
    assert "this tree takes 0.89x the time of v1.0" in out  # fastest 80 s against fastest 90 s
    assert "round by round: 0.80x, 0.90x, 0.70x (median 0.80x)" in out
    assert "this tree would run 292.5 docs/s on that day's machine (325.0 by the median round)" in out


def test_a_failed_run_drops_its_round_and_leaves_the_others_paired(capsys):
    assert round_ratios([80.0, None, 84.0], [100.0, 90.0, 120.0]) == [0.8, 0.7]
    _print(1_000, {"v1.0": [None, 10.0], "this tree": [8.0, None]}, "v1.0", then=100.0)
    out = capsys.readouterr().out
    assert "(every run: failed, 10.00)" in out and "(every run: 8.00, failed)" in out
    assert "this tree takes 0.80x" in out and "round by round" not in out  # no round where both ran
    assert "would run 125.0 docs/s on that day's machine (125.0 by the median round)" in out
    _print(1_000, {"v1.0": [None, None], "this tree": [8.0, 9.0]}, "v1.0", then=100.0)
    out = capsys.readouterr().out
    assert "v1.0         every run failed" in out and "x the time" not in out and "another day" not in out


@pytest.mark.parametrize("then", [["260"], ["219", "0"]])
def test_compare_takes_one_positive_rate_of_another_day_for_each_size(then, capsys):
    with pytest.raises(SystemExit):
        main(["HEAD", "--sizes", "1000", "10000", "--then", *then])
    assert "--then takes one positive documents/s for each of --sizes" in capsys.readouterr().err


def test_the_interpreter_line_names_the_python_and_whether_it_runs_from_a_shared_libpython(tmp_path):
    maps = tmp_path / "maps"
    python = f"Python {platform.python_version()} ({Path(sys.executable).resolve()})"
    maps.write_text("7f10a000-7f10b000 r-xp 00000000 08:01 42 /opt/python/lib/libpython3.11.so.1.0\n")
    assert interpreter(maps) == f"{python}, running from a shared libpython"
    maps.write_text("55d0c000-55d0d000 r-xp 00000000 08:01 7 /usr/bin/python3.11\n")
    assert interpreter(maps) == f"{python}, linked into the executable"
    assert interpreter(tmp_path / "no-maps-here") == python

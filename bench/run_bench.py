"""Speed and memory benchmark of the extraction over a synthetic corpus.

Usage::

    python bench/run_bench.py                      # 1,000 and 10,000 documents
    python bench/run_bench.py --sizes 200          # a quick run
    python bench/run_bench.py --model de_core_news_lg --keep
    python bench/run_bench.py --sizes 1000 --repeat 3   # fastest of three runs
    python bench/run_bench.py --profile --sizes 300

For every corpus size the script writes a synthetic corpus with
``bench.make_corpus.generate`` (into a temporary folder, or reuses
``bench/corpus/N-SEED/`` when it is complete; ``--keep`` writes the corpus
there for the next run) and measures, each in a fresh child process so that
the peak memory belongs to that run alone:

* ``rules-only``: ``pipeline.run.extract`` without a statistical model. When a
  German spaCy package is installed, ``extract`` would pick it up, so there is
  no rules-only measurement and the script says so;
* ``bare tokenizer``: the blank German pipeline (``spacy.load("blank:de")``, a
  tokenizer and nothing else) over the same cleaned texts, the floor under
  rules-only; the ratio of rules-only to it is what the extraction adds. The
  tokenizer is done in seconds, so that ratio varies more from round to round
  than the others;
* the statistical model (``--model``; by default ``../shared/models/de_ner_germeval``
  when present, else ``de_core_news_lg`` when installed, else none):
  ``extract`` with that model, and bare spaCy, ``spacy.load(model)`` and
  ``nlp.pipe(texts, batch_size=MODEL_BATCH_SIZE)`` over the same cleaned texts
  (the minibatch size ``extract`` gives the model), to show
  what the extraction adds to the model's own cost.

How start-up is kept apart from processing: one child imports the pipeline
modules and times a cold ``build_pipeline`` (model load, gazetteers, pattern
files); that is the start-up a run pays. Another fresh child imports the same
modules and times ``extract``, which builds the same pipeline and then lists,
reads, cleans and processes the files and writes the tables. Processing time is
the ``extract`` time minus the build time of the first child: both start from
the same state, and the extract child runs nothing else that could warm or
clutter it. Documents/s and words/s are over processing time. For bare spaCy
(and the bare tokenizer), start-up is ``spacy.load`` and processing is
``nlp.pipe``; the cleaning of the texts it gets is not timed. The ratio to bare
spaCy (column ``x bare``: the model to bare ``nlp.pipe``, rules-only to the bare
tokenizer) compares processing times.

Peak memory is the extract child's ``ru_maxrss``. Timings on a shared or
virtual machine vary by 5-10% from run to run, and noise only ever adds time:
``--repeat N`` measures every mode N times, interleaved, and keeps each mode's
fastest run (with the highest peak memory of its runs); every run's time and
the ratio to bare of each round are printed under the table, and the
speed-up of each round of the parallel modes, with their median, under their
targets. The script prints the interpreter it runs with (how CPython was built
moves every figure: :func:`interpreter`), one table and the targets of the
performance issue with PASS or MISS; it reports and always exits 0.
``--profile`` instead runs one extraction over the first size (rules only, or
with ``--model``) under cProfile in this process and prints the hottest
functions.

Last, ``bench/report_bench.py`` measures the review page (``municipal-roles
report``) over a synthetic 10,000-document output: build time, file size, and
time to first paint in headless Chromium.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import platform
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make ``bench`` and ``pipeline`` importable

from bench import report_bench
from bench.make_corpus import generate
from bench.parallel_bench import PARALLEL_MODES, measure_parallel, print_parallel_targets
from pipeline.config import MODEL_BATCH_SIZE

CORPUS_CACHE = ROOT / "bench" / "corpus"
SHARED_MODEL = ROOT.parent / "shared" / "models" / "de_ner_germeval"
GERMAN_PACKAGES = ("de_core_news_lg", "de_core_news_md", "de_core_news_sm")
PROFILE_TOP = 25

RULES_ONLY = "rules-only"
BARE = "bare nlp.pipe"
BARE_TOKENIZER = "bare tokenizer"
BLANK_GERMAN = "blank:de"  # for spacy.load: the German tokenizer, no components

# Targets of the performance issue.
MIN_RULES_DOCS_PER_SECOND = 100.0
MAX_MODEL_RATIO = 1.3
MAX_MEMORY_GROWTH = 1.2


@dataclass(frozen=True)
class Corpus:
    """A corpus folder and its size."""

    path: Path
    documents: int
    words: int


@dataclass(frozen=True)
class Measurement:
    """One child run: which mode over which corpus, and what it cost."""

    mode: str
    corpus: Corpus
    startup: float
    seconds: float
    peak_rss_mb: float
    failed: int = 0
    # the peak before the cross-document stage, which may hold all role rows: the streaming stages' own
    per_document_peak_mb: float = 0.0

    @property
    def docs_per_second(self) -> float:
        return self.corpus.documents / self.seconds if self.seconds else float("inf")

    @property
    def words_per_second(self) -> float:
        return self.corpus.words / self.seconds if self.seconds else float("inf")


# --- corpora ------------------------------------------------------------------


def prepare_corpus(n: int, seed: int, *, keep: bool, scratch: Path) -> Corpus:
    """The corpus of ``n`` texts: cached in ``bench/corpus/N-SEED/`` if complete, else written."""
    cached = CORPUS_CACHE / f"{n}-{seed}"
    if _file_count(cached) == n:
        print(f"using the cached corpus {cached.relative_to(ROOT)}", file=sys.stderr)
        return _corpus(cached)
    if keep:
        partial = CORPUS_CACHE / f"{n}-{seed}.partial"
        _write_corpus(partial, n, seed)
        if cached.exists():  # an incomplete earlier corpus
            shutil.rmtree(cached)
        partial.rename(cached)
        return _corpus(cached)
    target = scratch / f"{n}-{seed}"
    _write_corpus(target, n, seed)
    return _corpus(target)


def _file_count(folder: Path) -> int:
    return sum(1 for _ in folder.glob("*.txt")) if folder.is_dir() else 0


def _write_corpus(folder: Path, n: int, seed: int) -> None:
    print(f"writing {n} texts (seed {seed}) to {folder}", file=sys.stderr)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in generate(n, seed):
        (folder / name).write_text(text, encoding="utf-8", newline="\n")


def _corpus(folder: Path) -> Corpus:
    files = sorted(folder.glob("*.txt"))
    words = sum(len(path.read_text(encoding="utf-8").split()) for path in files)
    return Corpus(folder, len(files), words)


# --- models -------------------------------------------------------------------


def installed_german_package() -> str | None:
    """The first installed German spaCy package, which ``extract(model=None)`` would use."""
    from spacy.util import is_package

    return next((name for name in GERMAN_PACKAGES if is_package(name)), None)


def default_model() -> str | None:
    """The shared stand-in model if present, else ``de_core_news_lg`` if installed."""
    if SHARED_MODEL.exists():
        return str(SHARED_MODEL)
    from spacy.util import is_package

    return GERMAN_PACKAGES[0] if is_package(GERMAN_PACKAGES[0]) else None


# --- child processes ----------------------------------------------------------


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory of this process in MB (``ru_maxrss`` is KiB on Linux, bytes on macOS).

    With ``resource.RUSAGE_CHILDREN``: that of the largest child process this one has waited for.
    """
    peak = resource.getrusage(who).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def interpreter(maps: Path = Path("/proc/self/maps")) -> str:
    """The Python that runs the bench and its children, and whether it runs from a shared ``libpython``.

    pyenv builds CPython with ``--enable-shared`` and without ``--enable-optimizations``: such an
    interpreter ran the extraction 14-20 % slower here than Debian's ``python3``, built with
    profile-guided optimisation and linked into the executable (README, "Which Python"). Where
    ``maps`` (Linux) is absent, the line says nothing of the library.
    """
    line = f"Python {platform.python_version()} ({Path(sys.executable).resolve()})"
    if maps.is_file():
        shared = "/libpython" in maps.read_text(encoding="utf-8", errors="replace")
        line += ", running from a shared libpython" if shared else ", linked into the executable"
    return line


def child_build(model: str | None) -> dict:
    """Time importing the pipeline modules and one cold ``build_pipeline``, as a run pays them."""
    started = time.perf_counter()
    from pipeline.nlp.build import build_pipeline

    imported = time.perf_counter()
    _, info = build_pipeline(model)
    built = time.perf_counter()
    return {"model": info.model, "startup": built - started, "build": built - imported}


def child_extract(raw_dir: Path, model: str | None) -> dict:
    """Time ``extract`` over ``raw_dir`` in a fresh process, its own pipeline build included."""
    from pipeline.config import Settings
    from pipeline.run import extract

    per_document_peak = 0.0

    def after_each_document() -> None:  # the last call comes before the cross-document stage
        nonlocal per_document_peak
        per_document_peak = peak_rss_mb()

    with tempfile.TemporaryDirectory(prefix="bench-out-") as out_dir:
        began = time.perf_counter()
        summary = extract(
            Settings(raw_dir=raw_dir, out_dir=Path(out_dir), model=model), on_document=after_each_document
        )
        total = time.perf_counter() - began
    return {
        "documents": summary.documents,
        "failed": summary.failed,
        "total": total,
        "peak_rss_mb": peak_rss_mb(),
        "per_document_peak_mb": per_document_peak,
    }


def child_bare(raw_dir: Path, model: str) -> dict:
    """Time ``spacy.load`` and ``nlp.pipe`` over the cleaned texts of ``raw_dir``."""
    import spacy

    from pipeline.text.clean import clean
    from pipeline.text.ingest import discover, read

    texts = [clean(read(file)).text for file in discover(raw_dir) if file.status == "ok"]
    began = time.perf_counter()
    nlp = spacy.load(model)
    startup = time.perf_counter() - began
    began = time.perf_counter()
    documents = sum(1 for _ in nlp.pipe(texts, batch_size=MODEL_BATCH_SIZE))
    return {
        "model": model,
        "documents": documents,
        "failed": 0,
        "startup": startup,
        "seconds": time.perf_counter() - began,
        "peak_rss_mb": peak_rss_mb(),
    }


def child_main(argv: Sequence[str]) -> int:
    """Entry point of a child process: print the measurement as JSON on the last line."""
    parser = argparse.ArgumentParser(prog="run_bench.py --child")
    parser.add_argument("kind", choices=("build", "extract", "bare"))
    parser.add_argument("raw_dir", type=Path)
    parser.add_argument("model", nargs="?", help="model name or path; none: rules only")
    args = parser.parse_args(argv)
    if args.kind == "build":
        result = child_build(args.model)
    elif args.kind == "extract":
        result = child_extract(args.raw_dir, args.model)
    else:
        result = child_bare(args.raw_dir, args.model)
    print(json.dumps(result))
    return 0


def run_child(kind: str, mode: str, corpus: Corpus, model: str | None) -> dict | None:
    """Run one child process and return its JSON result; ``None`` (after printing why) when it failed."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(corpus.path)]
    if model is not None:
        command.append(model)
    done = subprocess.run(command, check=False, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        print(f"{mode} ({kind}) over {corpus.documents} documents failed:\n{done.stderr}", file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(kind: str, mode: str, corpus: Corpus, model: str | None) -> Measurement | None:
    """One measurement; for ``extract``, a build child and an extract child (see the module docstring)."""
    print(f"measuring {mode} over {corpus.documents} documents ...", file=sys.stderr)
    if kind == "parallel":
        return measure_parallel(mode, corpus, run_child("build", mode, corpus, model))
    if kind == "bare":
        result = run_child("bare", mode, corpus, model)
        if result is None:
            return None
        return Measurement(mode, corpus, result["startup"], result["seconds"], result["peak_rss_mb"], result["failed"])
    build = run_child("build", mode, corpus, model)
    result = run_child("extract", mode, corpus, model) if build is not None else None
    if build is None or result is None:
        return None
    if model is None and build["model"] != RULES_ONLY:
        print(f"extract without a model used {build['model']}, not rules only", file=sys.stderr)
        return None
    seconds = result["total"] - build["build"]
    return Measurement(
        mode,
        corpus,
        build["startup"],
        seconds,
        result["peak_rss_mb"],
        result["failed"],
        per_document_peak_mb=result.get("per_document_peak_mb", 0.0),
    )


# --- report -------------------------------------------------------------------


COLUMNS = ("mode", "documents", "words", "start-up s", "seconds", "docs/s", "words/s", "peak RSS MB", "x bare")


def print_table(rows: Sequence[Measurement], bare: dict[tuple[str, int], Measurement]) -> None:
    """The rows, each with its time as a multiple of its bare reference's (``bare`` by reference mode and size)."""
    cells = [COLUMNS]
    for row in rows:
        reference = bare.get((_reference_mode(row.mode), row.corpus.documents))
        cells.append(
            (
                row.mode,
                f"{row.corpus.documents:,}",
                f"{row.corpus.words:,}",
                f"{row.startup:.2f}",
                f"{row.seconds:.2f}",
                f"{row.docs_per_second:,.1f}",
                f"{row.words_per_second:,.0f}",
                f"{row.peak_rss_mb:,.0f}",
                f"{row.seconds / reference.seconds:.2f}" if reference else "",
            )
        )
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    for index, line in enumerate(cells):
        print(
            "  ".join(
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(line, widths, strict=True))
            )
        )
        if index == 0:
            print("  ".join("-" * width for width in widths))
    for row in rows:
        if row.failed:
            print(f"note: {row.failed} documents failed in {row.mode} over {row.corpus.documents:,}")


def _reference_mode(mode: str) -> str | None:
    """The bare run a mode's time is compared with: the tokenizer for rules-only, bare spaCy for a model."""
    if mode == RULES_ONLY:
        return BARE_TOKENIZER
    if mode in (BARE, BARE_TOKENIZER, *PARALLEL_MODES):
        return None
    return BARE


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def print_targets(
    rows: Sequence[Measurement], bare: dict[tuple[str, int], Measurement], model_mode: str | None
) -> None:
    print("\nTargets")
    for row in rows:
        if row.mode == RULES_ONLY:
            rate = row.docs_per_second
            print(
                f"  rules-only >= {MIN_RULES_DOCS_PER_SECOND:.0f} docs/s in one process, "
                f"{row.corpus.documents:,} docs: {rate:,.1f} docs/s  {verdict(rate >= MIN_RULES_DOCS_PER_SECOND)}"
            )
    for row in rows:
        reference = bare.get((BARE, row.corpus.documents))
        if row.mode == model_mode and reference:
            ratio = row.seconds / reference.seconds
            with_startup = (row.startup + row.seconds) / (reference.startup + reference.seconds)
            print(
                f"  model total <= {MAX_MODEL_RATIO}x bare nlp.pipe, {row.corpus.documents:,} docs: "
                f"{row.seconds:.2f} s / {reference.seconds:.2f} s = {ratio:.2f}x "
                f"(with start-up {with_startup:.2f}x)  {verdict(ratio <= MAX_MODEL_RATIO)}"
            )
    for mode in (RULES_ONLY, model_mode):
        pair = smallest_and_largest(rows, mode)
        if pair is None:
            continue
        small, large = pair
        print(
            f"  {mode} peak memory of the per-document stages {peak_growth(small, large)} "
            f"(whole run, with the cross-document stage: {large.peak_rss_mb:,.0f} MB / {small.peak_rss_mb:,.0f} MB)"
        )


def smallest_and_largest(rows: Sequence[Measurement], mode: str) -> tuple[Measurement, Measurement] | None:
    """The rows of ``mode`` over the smallest and the largest corpus, for a memory comparison; None unless
    there are two sizes and both rows measured their per-document (or worker) peak."""
    runs = sorted((row for row in rows if row.mode == mode), key=lambda row: row.corpus.documents)
    if len(runs) < 2 or not (runs[0].per_document_peak_mb and runs[-1].per_document_peak_mb):
        return None
    return runs[0], runs[-1]


def peak_growth(small: Measurement, large: Measurement) -> str:
    """The per-document (or worker) peak of ``large`` against that of ``small``, with the target's verdict."""
    growth = large.per_document_peak_mb / small.per_document_peak_mb
    return (
        f"at {large.corpus.documents:,} docs <= {MAX_MEMORY_GROWTH}x that at {small.corpus.documents:,}: "
        f"{large.per_document_peak_mb:,.0f} MB / {small.per_document_peak_mb:,.0f} MB = {growth:.2f}x  "
        f"{verdict(growth <= MAX_MEMORY_GROWTH)}"
    )


# --- profile ------------------------------------------------------------------


def profile(corpus: Corpus, model: str | None) -> None:
    """One extraction (rules only, or with ``model``) under cProfile, in this process."""
    from pipeline.config import Settings
    from pipeline.run import extract

    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory(prefix="bench-out-") as out_dir:
        settings = Settings(raw_dir=corpus.path, out_dir=Path(out_dir), model=model)
        summary = profiler.runcall(extract, settings)
    print(
        f"profile of extract ({summary.model}) over {summary.documents:,} documents, "
        f"{summary.seconds:.2f} s under the profiler (start-up included)\n"
    )
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats(pstats.SortKey.CUMULATIVE).print_stats(PROFILE_TOP)
    stats.sort_stats(pstats.SortKey.TIME).print_stats(PROFILE_TOP)


# --- main ---------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Speed and memory of the extraction over synthetic corpora (reports, never fails)."
    )
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1000, 10000], help="corpus sizes in documents (default: 1000 10000)"
    )
    parser.add_argument("--seed", type=int, default=42, help="corpus seed (default 42)")
    parser.add_argument("--keep", action="store_true", help="keep the corpora in bench/corpus/N-SEED/ for later runs")
    parser.add_argument(
        "--model",
        help="spaCy package or pipeline folder for the model runs "
        f"(default: {SHARED_MODEL} if present, else {GERMAN_PACKAGES[0]} if installed)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="measure each mode this many times, interleaved, and report the fastest run (default 1)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile one extraction over the first size instead (rules only, or with --model)",
    )
    args = parser.parse_args(argv)
    if any(size < 1 for size in args.sizes):
        parser.error("--sizes must be positive")
    if args.repeat < 1:
        parser.error("--repeat must be positive")
    return args


def fastest(runs: Sequence[Measurement | None]) -> Measurement | None:
    """The fastest of repeated runs, with the highest peak memory of them; None if all failed."""
    done = [run for run in runs if run is not None]
    if not done:
        return None
    return replace(
        min(done, key=lambda run: run.seconds),
        peak_rss_mb=max(run.peak_rss_mb for run in done),
        per_document_peak_mb=max(run.per_document_peak_mb for run in done),
    )


def run_by_run(first: Sequence[Measurement | None], second: Sequence[Measurement | None]) -> list[float]:
    """``first`` seconds / ``second`` seconds for each round of a repeated benchmark, where both runs succeeded.

    Runs of one round follow each other, so a slow spell of the machine weighs on both sides of
    the ratio; the fastest runs of two modes may come from rounds far apart.

    >>> run_by_run([one_process_round_1, one_process_round_2], [workers_round_1, None])
    [1.76]
    """
    return round_ratios([run and run.seconds for run in first], [run and run.seconds for run in second])


def round_ratios(first: Sequence[float | None], second: Sequence[float | None]) -> list[float]:
    """``first`` / ``second`` seconds of each round in which both runs succeeded (a failed run is ``None``).

    >>> [round(ratio, 2) for ratio in round_ratios([80.0, None, 88.5], [102.4, 99.1, 98.9])]
    [0.78, 0.89]
    """
    return [mine / theirs for mine, theirs in zip(first, second, strict=True) if mine is not None and theirs]


def benchmark(corpora: Sequence[Corpus], model: str | None, *, repeat: int = 1) -> None:
    print(interpreter())
    german = installed_german_package()
    if german:
        print(f"{german} is installed and extract(model=None) would use it: no rules-only runs.")
    if model is None:
        print("No statistical model (pass --model): no model runs.")
    rows: list[Measurement] = []
    bare: dict[tuple[str, int], Measurement] = {}
    spread: list[str] = []
    speedups: dict[tuple[str, int], list[float]] = {}  # (parallel mode, documents) -> one-process speed-up per round
    model_mode = f"model {Path(model).name}" if model else None
    modes = []
    if not german:
        modes += [("extract", RULES_ONLY, None), ("bare", BARE_TOKENIZER, BLANK_GERMAN)]
        modes += [("parallel", mode, None) for mode in PARALLEL_MODES]
    if model:
        modes += [("extract", model_mode, model), ("bare", BARE, model)]
    for corpus in corpora:
        runs: dict[str, list[Measurement | None]] = {mode: [] for _, mode, _ in modes}
        for _ in range(repeat):  # interleaved, so that a slow spell of the machine hits every mode alike
            for kind, mode, name in modes:
                runs[mode].append(measure(kind, mode, corpus, name))
        for _, mode, _ in modes:
            done = [f"{run.seconds:.2f}" for run in runs[mode] if run is not None]
            spread.append(f"  {mode}, {corpus.documents:,} docs: {', '.join(done)} s")
            row = fastest(runs[mode])
            if row is not None:
                rows.append(row)
                if mode in (BARE, BARE_TOKENIZER):
                    bare[(mode, corpus.documents)] = row
        for mode, mode_runs in runs.items():
            reference = _reference_mode(mode)
            if reference in runs:
                paired = ", ".join(f"{ratio:.2f}" for ratio in run_by_run(mode_runs, runs[reference]))
                spread.append(f"  {mode} / {reference}, {corpus.documents:,} docs, run by run: {paired}")
        if not german:
            for mode in PARALLEL_MODES:
                speedups[(mode, corpus.documents)] = run_by_run(runs[RULES_ONLY], runs[mode])
    print()
    if model:
        print(f"model: {model}")
    if repeat > 1:
        print(f"each row: the fastest of {repeat} runs (peak memory: the highest)")
    print_table(rows, bare)
    if repeat > 1:
        print("\nEvery run, in order:")
        print("\n".join(spread))
    print_targets(rows, bare, model_mode)
    startups = [row.startup for row in rows if row.mode == RULES_ONLY]
    print_parallel_targets(rows, RULES_ONLY, min(startups) if startups else None, speedups=speedups)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child_main(argv[1:])
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as scratch:
        sizes = args.sizes[:1] if args.profile else args.sizes
        corpora = [prepare_corpus(n, args.seed, keep=args.keep, scratch=Path(scratch)) for n in sizes]
        if args.profile:
            profile(corpora[0], args.model)
        else:
            benchmark(corpora, args.model or default_model(), repeat=args.repeat)
    if not args.profile:
        report_bench.print_figures(report_bench.measure())  # the review page over 10,000 documents
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Rules-only speed of this tree beside another revision, measured in the same run.

Usage::

    python bench/compare_bench.py REV                      # 1,000 texts, fastest of 3
    python bench/compare_bench.py 7607161 --sizes 1000 10000 --repeat 2

``REV`` is checked out into a temporary git worktree. For each corpus size
(the synthetic corpus of ``run_bench.py``, cached in ``bench/corpus/``), one
rules-only extraction with each tree's own code runs in a fresh child process,
the two trees taking turns ``--repeat`` times, so that a slow spell of the
machine hits both alike. Each child is ``run_bench.py``'s own (``--child
build`` and ``--child extract`` of that tree: processing time is the extract
time less the build time). The script prints the fastest run of each tree, the
ratio of the two, and the ratio of each round with their median; it reports and
always exits 0.

A figure taken on another day can be carried over to this one: with ``--then
RATE ...``, ``REV``'s documents/s on that day (one for each of ``--sizes``), the
script prints this tree's documents/s on that day's machine, ``RATE`` over the
ratio.
This machine's speed drifts from day to day by more than any change to the
code, so a target set in documents/s on one day is met or missed on another
by the tree beside the code it was set against, not by a figure taken alone::

    python bench/compare_bench.py 3cff4b6 --sizes 10000 --repeat 3 --then 260
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make ``bench`` importable

from bench.run_bench import prepare_corpus, round_ratios


def processing_seconds(tree: Path, corpus: Path) -> float | None:
    """One rules-only extraction over ``corpus`` with the code of ``tree``, start-up excluded."""
    results = []
    for kind in ("build", "extract"):
        command = [sys.executable, str(tree / "bench" / "run_bench.py"), "--child", kind, str(corpus)]
        done = subprocess.run(command, check=False, capture_output=True, text=True, cwd=tree)
        if done.returncode != 0:
            print(f"{tree}: {kind} failed:\n{done.stderr}", file=sys.stderr)
            return None
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    build, extract = results
    return extract["total"] - build["build"]


def compare(
    revision: str, sizes: Sequence[int], *, repeat: int, seed: int, then: Sequence[float] | None = None
) -> None:
    """Measure ``revision`` and this tree in turns over each corpus size and print the figures.

    ``then`` gives ``revision``'s documents/s on another day, one for each size: this tree's rate on
    that day's machine is printed too.
    """
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as scratch:
        base = Path(scratch) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(base), revision], check=True, cwd=ROOT)
        try:
            for index, size in enumerate(sizes):
                corpus = prepare_corpus(size, seed, keep=True, scratch=Path(scratch))
                runs: dict[str, list[float | None]] = {revision: [], "this tree": []}
                for _ in range(repeat):
                    for name, tree in ((revision, base), ("this tree", ROOT)):
                        print(f"measuring {name} over {size:,} documents ...", file=sys.stderr)
                        runs[name].append(processing_seconds(tree, corpus.path))
                _print(size, runs, revision, then=then[index] if then else None)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], check=False, cwd=ROOT)


def _print(size: int, runs: dict[str, list[float | None]], revision: str, *, then: float | None = None) -> None:
    print(f"\nrules only, {size:,} documents, fastest of each (processing seconds, start-up excluded):")
    fastest = {name: min(done) for name, times in runs.items() if (done := [value for value in times if value])}
    for name, times in runs.items():
        if name not in fastest:
            print(f"  {name:<12} every run failed")
            continue
        every = ", ".join("failed" if value is None else f"{value:.2f}" for value in times)
        seconds = fastest[name]
        print(f"  {name:<12} {seconds:7.2f} s  {size / seconds:6.1f} docs/s   (every run: {every})")
    if len(fastest) < 2:
        return
    ratio = fastest["this tree"] / fastest[revision]
    print(f"  this tree takes {ratio:.2f}x the time of {revision}")
    rounds = round_ratios(runs["this tree"], runs[revision])
    middle = statistics.median(rounds) if rounds else ratio
    if len(rounds) > 1:
        print(f"  round by round: {', '.join(f'{value:.2f}x' for value in rounds)} (median {middle:.2f}x)")
    if then is not None:
        print(
            f"  at {revision}'s {then:g} docs/s of another day, this tree would run {then / ratio:.1f} docs/s"
            f" on that day's machine ({then / middle:.1f} by the median round)"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rules-only speed of this tree beside another git revision.")
    parser.add_argument("revision", help="a git revision to compare with, e.g. a commit or a tag")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000], help="corpus sizes (default: 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each tree, taking turns (default 3)")
    parser.add_argument("--seed", type=int, default=42, help="corpus seed (default 42)")
    parser.add_argument(
        "--then",
        type=float,
        nargs="+",
        metavar="RATE",
        help="REV's documents/s on another day, one for each size: print this tree's on that day's machine",
    )
    args = parser.parse_args(argv)
    if args.then is not None and (len(args.then) != len(args.sizes) or min(args.then) <= 0):
        parser.error("--then takes one positive documents/s for each of --sizes")
    compare(args.revision, args.sizes, repeat=args.repeat, seed=args.seed, then=args.then)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

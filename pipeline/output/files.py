"""Files written atomically: a temporary file beside the target, then ``os.replace`` onto it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def temporary_beside(target: Path) -> Path:
    """A new, empty file in ``target``'s folder, to be written and then renamed onto ``target``.

    ``mkstemp`` makes it private (0600); it gets the permissions a plain ``open``
    would give it (0666 less the umask), so the tables can be shared like any
    other file the user writes.

    >>> path = temporary_beside(Path("output/roles.csv"))
    >>> path.parent == Path("output"), path.name.startswith(".roles.csv.")
    (True, True)
    """
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(handle, 0o666 & ~_umask())
    finally:
        os.close(handle)
    return Path(name)


def _umask() -> int:
    mask = os.umask(0)  # the only way to read it is to set it
    os.umask(mask)
    return mask

"""How the toolkit shows file paths in its reports and messages."""

from __future__ import annotations

import os
from pathlib import Path


def relative_path(path: Path | str) -> str:
    """`path` relative to the working folder (absolute when that cannot be, e.g. another drive)."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def shown_path(path: Path) -> Path:
    """`path` relative to the working folder when it is below it, else as given."""
    try:
        rel = Path(os.path.relpath(path))
    except ValueError:
        return path
    return path if rel.parts[:1] == ("..",) else rel

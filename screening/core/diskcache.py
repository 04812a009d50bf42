"""A small on-disk cache of JSON values for results that are slow to compute and never change
for the same inputs (code-system expansions computed from the ICD hierarchy packages).

Entries are keyed by a hash of everything the result depends on (the caller passes the package
name and version among the key's parts), so an entry is never stale: a new package version
gives new keys. Writes are atomic (a temporary file renamed into place), so concurrent
processes never read half an entry. A missing, unwritable or read-only cache folder, or an
unreadable entry, only means the value is computed again: the cache never fails a caller.

The folder is `$SCREENING_CACHE_DIR`, else `$XDG_CACHE_HOME/trial-screening`, else
`~/.cache/trial-screening`.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

CACHE_ENV = "SCREENING_CACHE_DIR"
FORMAT = 1  # bump when the layout of entries changes


def cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "trial-screening"


def cache_key(*parts: Any) -> str:
    """A hex digest of the JSON form of `parts` (strings, numbers, lists)."""
    text = json.dumps([FORMAT, *parts], sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


class DiskCache:
    """JSON values under `<folder>/<kind>/<key[:2]>/<key>.json`."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder if folder is not None else cache_dir()

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / f"{key}.json"

    def get(self, kind: str, key: str) -> Any | None:
        try:
            return json.loads(self._path(kind, key).read_bytes())
        except (OSError, ValueError):
            return None

    def put(self, kind: str, key: str, value: Any) -> bool:
        """Store `value`; False (and nothing raised) when the folder cannot be written."""
        path = self._path(kind, key)
        data = json.dumps(value, separators=(",", ":")).encode("utf-8")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
            return True
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            return False

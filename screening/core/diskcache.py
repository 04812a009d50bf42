"""A small on-disk cache of JSON values for results that are slow to compute and never change
for the same inputs (code-system expansions computed from the ICD hierarchy packages, the
answers of the UCUM unit registry).

Entries are keyed by a hash of everything the result depends on (the caller passes the package
name and version among the key's parts), so an entry is never stale: a new package version
gives new keys. Writes are atomic (a temporary file renamed into place), so concurrent
processes never read half an entry. A missing, unwritable or read-only cache folder, or an
unreadable entry, only means the value is computed again: the cache never fails a caller.

The folder is `$SCREENING_CACHE_DIR`, else `$XDG_CACHE_HOME/trial-screening`, else
`~/.cache/trial-screening`.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable
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


class DiskMemo:
    """A table of answers (names to JSON values) remembered across processes in one cache entry.

    For a function whose answers are cheap to store but whose first answer is dear (building the
    UCUM registry): `get` reads the entry once, on first use; `put` records a new answer, and the
    new answers are written when the process exits (or on `flush`), merged with what other
    processes wrote meanwhile, atomically. The entry's key comes from `key_parts()`, called on
    first use, which must name everything the answers depend on (package versions, the code
    computing them). At most `limit` answers are kept, and names longer than `max_name` are not
    kept at all (answers about odd input are computed again rather than bloat the entry).
    """

    def __init__(self, kind: str, key_parts: Callable[[], list[Any]], limit: int = 4096, max_name: int = 200,
                 cache: DiskCache | None = None):
        self.kind = kind
        self.key_parts = key_parts
        self.limit = limit
        self.max_name = max_name
        self._cache = cache
        self._key: str | None = None
        self._answers: dict[str, Any] | None = None
        self._new: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._exit_hook = False

    def _load(self) -> dict[str, Any]:
        if self._answers is None:
            with self._lock:
                if self._answers is None:
                    if self._cache is None:
                        self._cache = DiskCache()
                    self._key = cache_key(self.kind, *self.key_parts())
                    stored = self._cache.get(self.kind, self._key)
                    self._answers = dict(stored) if isinstance(stored, dict) else {}
        return self._answers

    def get(self, name: str) -> Any | None:
        return self._load().get(name)

    def put(self, name: str, value: Any) -> None:
        answers = self._load()
        if len(name) > self.max_name or len(answers) >= self.limit or answers.get(name) == value:
            return
        with self._lock:
            answers[name] = value
            self._new[name] = value
            if not self._exit_hook:
                self._exit_hook = True
                atexit.register(self.flush)

    def flush(self) -> bool:
        """Write the answers found since the last flush; False when the cache cannot be written."""
        with self._lock:
            if not self._new or self._cache is None or self._key is None:
                return True
            stored = self._cache.get(self.kind, self._key)
            merged = dict(stored) if isinstance(stored, dict) else {}
            for name, value in self._new.items():
                if len(merged) >= self.limit:
                    break
                merged.setdefault(name, value)
            self._new.clear()
            return self._cache.put(self.kind, self._key, merged)

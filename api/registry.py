"""The current rule sets: an immutable Screener per generation, swapped atomically on reload.

A request leases the generation that is current when it starts and keeps it to the end, so a
reload never changes the rule sets under a running screening. A replaced generation is retired;
its durable_rules rulesets are unloaded when its last lease is returned.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from screening.core.diagnostics import Diagnostic, RuleSetError
from screening.ruleset.catalog import Catalog, default_rules_dir, load_catalog
from screening.runtime.evaluate import Screener, keep_out_of_gc_scans

log = logging.getLogger("screening.api")


@dataclass(eq=False)
class Generation:
    number: int
    screener: Screener
    loaded_at: dt.datetime
    hashes: dict[str, str]
    refs: int = 0
    retired: bool = False
    closed: bool = False

    @property
    def catalog(self) -> Catalog:
        return self.screener.catalog


@dataclass(frozen=True)
class ReloadOutcome:
    changed: bool
    generation: Generation
    added: list[str]
    removed: list[str]
    updated: list[str]


class ScreenerRegistry:
    def __init__(self, rules_dir: Path | None = None,
                 loader: Callable[[Path | None], Catalog] = load_catalog):
        self.rules_dir = rules_dir
        self._loader = loader
        self._lock = threading.Lock()          # guards `_current` and every generation's refs
        self._reload_lock = threading.Lock()   # one reload at a time
        self._current = self._build(1)

    def _build(self, number: int, catalog: Catalog | None = None) -> Generation:
        catalog = catalog if catalog is not None else self._loader(self.rules_dir)
        hashes = {rs.trial_id: rs.hash for rs in catalog.rulesets.values()}
        generation = Generation(number, Screener(catalog), dt.datetime.now(dt.UTC), hashes)
        keep_out_of_gc_scans()  # rule sets and engine live until the next reload
        return generation

    @property
    def current(self) -> Generation:
        return self._current

    def in_flight(self) -> int:
        with self._lock:
            return self._current.refs

    @contextmanager
    def lease(self) -> Iterator[Generation]:
        """The current generation, kept loaded until the block ends."""
        with self._lock:
            gen = self._current
            gen.refs += 1
        try:
            yield gen
        finally:
            with self._lock:
                gen.refs -= 1
                close = gen.retired and gen.refs == 0 and not gen.closed
                if close:
                    gen.closed = True
            if close:
                self._close(gen)

    def reload(self) -> ReloadOutcome:
        """Load the rule sets again; swap them in when any hash changed. Raises RuleSetError, also for
        an unexpected failure (E000, its traceback logged): the loaded generation stays in service."""
        with self._reload_lock:
            old = self._current
            catalog = self._load_for_reload()
            hashes = {rs.trial_id: rs.hash for rs in catalog.rulesets.values()}
            added = [t for t in hashes if t not in old.hashes]
            removed = [t for t in old.hashes if t not in hashes]
            updated = [t for t in hashes if t in old.hashes and old.hashes[t] != hashes[t]]
            if not (added or removed or updated) and list(hashes) == list(old.hashes):
                return ReloadOutcome(False, old, [], [], [])
            new = self._build(old.number + 1, catalog)
            with self._lock:
                self._current = new
            self._retire(old)
            log.info("rule sets reloaded: generation %d (added %s, removed %s, updated %s)",
                     new.number, added or "-", removed or "-", updated or "-")
            return ReloadOutcome(True, new, added, removed, updated)

    def _load_for_reload(self) -> Catalog:
        try:
            return self._loader(self.rules_dir)
        except RuleSetError:
            raise
        except Exception as e:  # a reload never takes the service down nor answers 500
            log.exception("reload: the rule sets could not be loaded")
            where = str(self.rules_dir if self.rules_dir is not None else default_rules_dir())
            raise RuleSetError([Diagnostic(where, 1, 1, "E000", f"the rule sets could not be loaded: "
                                           f"{type(e).__name__}: {e}")]) from None

    def _close(self, gen: Generation) -> None:
        gen.screener.close()
        log.info("rule sets of generation %d unloaded", gen.number)

    def _retire(self, gen: Generation) -> None:
        """No new request gets `gen`; unload it now, or when its last request ends (see lease)."""
        with self._lock:
            gen.retired = True
            close = gen.refs == 0 and not gen.closed
            if close:
                gen.closed = True
        if close:
            self._close(gen)

    def close(self) -> None:
        self._retire(self._current)

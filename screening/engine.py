"""The engine adapter: the only module that touches durable_rules.

It drives the durable_rules C core (`durable_rules_engine`) directly and reads the names of
the rules that fired, with no Python actions and no `durable.lang` host:

* no background timer threads (the default host's threads crash under load);
* one session per evaluation, deleted before the next one starts, under a lock: at most one
  live session per ruleset, far below the 1,024-session limit, and no 32-bit sid collisions;
* the C core never releases the GIL, so the lock costs nothing; use processes for throughput;
* errors from the core are raised as `EngineError`, never swallowed.

durable_rules is pinned to an exact release in pyproject.toml because this module relies on
the extension module's calling conventions.
"""

from __future__ import annotations

import itertools
import json
import threading
from typing import Any

import durable_rules_engine as _core

DURABLE_RULES_VERSION = "2.0.28"

_OK, _NOT_HANDLED, _OBSERVED = 0, 1, 2


class EngineError(RuntimeError):
    pass


class Engine:
    """A set of durable_rules rulesets, evaluated one patient fact at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handles: dict[str, int] = {}
        self._sids = itertools.count(1)

    def load(self, name: str, definition: dict[str, Any]) -> None:
        """Create a ruleset (idempotent per name: a name embeds the content hash)."""
        with self._lock:
            if name in self._handles:
                return
            if not definition:
                self._handles[name] = -1  # every criterion is for review: nothing to evaluate
                return
            try:
                self._handles[name] = _core.create_ruleset(name, json.dumps(definition))
            except _core.error as e:
                raise EngineError(f"durable_rules rejected ruleset {name}: {e}") from e

    def unload(self, name: str) -> None:
        with self._lock:
            handle = self._handles.pop(name, None)
            if handle is not None and handle >= 0:
                _core.delete_ruleset(handle)

    def names(self) -> list[str]:
        return list(self._handles)

    def fired(self, name: str, fact: dict[str, Any]) -> set[str]:
        """Assert `fact` in a fresh session of ruleset `name`; return the names of the rules that fired."""
        handle = self._handles[name]
        if handle < 0:
            return set()
        with self._lock:
            sid = str(next(self._sids))
            payload = json.dumps({**fact, "sid": sid})
            fired: set[str] = set()
            try:
                code, state = _core.assert_fact(handle, payload)
                if code == _OK:
                    result = _core.start_action_for_state(handle, state)
                    msg = result[1] if result else None
                    while msg:
                        # msg is '{"<rule name>":{...}}'; the name is the first key
                        fired.add(msg[2:msg.index('"', 2)])
                        msg = _core.complete_and_start_action(handle, state)
                elif code != _NOT_HANDLED:
                    raise EngineError(f"durable_rules returned status {code} for ruleset {name}")
            except _core.error as e:
                raise EngineError(f"durable_rules failed on ruleset {name}: {e}") from e
            finally:
                try:
                    _core.delete_state(handle, sid)
                except _core.error:
                    pass
            return fired

    def close(self) -> None:
        for name in list(self._handles):
            self.unload(name)

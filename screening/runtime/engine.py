"""The engine adapter: the only module that touches durable_rules.

It drives the durable_rules C core (`durable_rules_engine`) directly and reads the names of
the rules that fired, with no Python actions and no `durable.lang` host:

* no background timer threads (the default host's threads crash under load);
* one session per ruleset, reused: each evaluation asserts its fact, reads the rules that
  fired and retracts the fact, under a lock, so a session never holds more than one fact and
  one ruleset never more than one live session (far below the 1,024-session limit, no 32-bit
  sid collisions). Creating a session costs the core a state zeroed in proportion to the
  ruleset (two 512-slot frame indexes, 8 KB, per rule): with the bundled packs it was most of
  the core's work and memory traffic per patient. Any evaluation that does not end cleanly
  deletes its session (or, for a refused fact, abandons it) and the next one starts afresh;
* the C core never releases the GIL, so the lock costs nothing; use processes for throughput;
* errors from the core are raised as `EngineError`, never swallowed;
* every ruleset gets one more rule, `$handled`, matching every patient fact, so that no fact
  is ever "not handled": deleting the session of an unhandled fact frees an invalid pointer
  in this release's C core (heap corruption, then an abort or a segfault). Facts that do not
  carry the anchor `t: 'p'` match no rule at all and are not asserted.

durable_rules is pinned to an exact release in pyproject.toml because this module relies on
the extension module's calling conventions.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import threading
from collections.abc import Callable
from typing import Any

import durable_rules_engine as _core

DURABLE_RULES_VERSION = "2.0.28"

_OK, _NOT_HANDLED, _OBSERVED = 0, 1, 2
_assert_fact, _start_action_for_state = _core.assert_fact, _core.start_action_for_state
_complete_and_start_action, _delete_state = _core.complete_and_start_action, _core.delete_state
_retract_fact = _core.retract_fact
_HANDLED = "$handled"  # the catch-all rule; never reported
_ANCHOR_KEY, _ANCHOR_VALUE = "t", "p"  # every rule is anchored on t == 'p' (see compile.py)


class EngineError(RuntimeError):
    pass


# The core's JSON reader rejects a number with an exponent but no fraction ("1e+16", "1e-20":
# error 204) and non-finite numbers (202), both of which `json.dumps` writes for valid inputs.
_BARE_EXPONENT = re.compile(r"[:,\[] ?-?\d+[eE]")
_MAX = "1.7976931348623157e+308"


def json_number(v: float) -> str:
    """A number as `encode_fact` writes it (as `json.dumps`, but for bare exponents and infinities)."""
    text = repr(v)
    return _number(v) if type(v) is float and ("e" in text or "n" in text) else text


def _number(v: float) -> str:
    if v != v:
        return "null"  # a null fires nothing: the measure stays unknown
    if v in (math.inf, -math.inf):
        return _MAX if v > 0 else "-" + _MAX
    text = repr(v)
    mantissa, e, exponent = text.partition("e")
    return f"{mantissa}.0e{exponent}" if e and "." not in mantissa else text


_ENCODER = json.JSONEncoder(allow_nan=False)


def _make_encoder() -> Callable[[dict[str, Any]], str]:
    """`json.dumps(fact, allow_nan=False)`, with the C encoder built once: `JSONEncoder.encode`
    builds it again on every call, which cost more than the encoding of a fact itself."""
    c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
    if c_make_encoder is None:
        return _ENCODER.encode
    chunks = c_make_encoder(None, _ENCODER.default, json.encoder.encode_basestring_ascii, None, ": ", ", ",
                            False, False, False)
    join = "".join
    return lambda fact: join(chunks(fact, 0))


_encode = _make_encoder()


def encode_fact(fact: dict[str, Any]) -> str:
    """The fact as JSON the core reads: numbers with an exponent keep a fraction; infinities clamp."""
    try:
        text = _encode(fact)
        # a float written with an exponent always has "e+" or "e-": look closer only then
        if ("e+" not in text and "e-" not in text) or not _BARE_EXPONENT.search(text):
            return text
    except ValueError:
        pass
    return "{" + ", ".join(json.dumps(k) + ": " + (_number(v) if type(v) is float else json.dumps(v))
                           for k, v in fact.items()) + "}"  # the separators of the first try


def _retracted(handle: int, payload: str) -> bool:
    """Whether the fact `payload` asserted in a session of `handle` is retracted from it."""
    try:
        return _retract_fact(handle, payload)[0] == _OK
    except _core.error:
        return False


def _delete_session(handle: int, sid: str) -> None:
    try:
        _delete_state(handle, sid)
    except _core.error:
        pass


class Engine:
    """A set of durable_rules rulesets, evaluated one patient fact at a time."""

    def __init__(self, reuse_sessions: bool = True) -> None:
        self._lock = threading.Lock()
        self._handles: dict[str, tuple[int, ...]] = {}
        self._loads: dict[str, int] = {}  # how many loads of each name are not unloaded yet
        self._sids = itertools.count(1)
        # ruleset handle -> the sid of its one live session, empty again (its fact retracted)
        self._sessions: dict[int, str] | None = {} if reuse_sessions else None

    def load(self, name: str, *parts: dict[str, Any]) -> None:
        """Create the rulesets of `name`, or count one more user of them (a name embeds the content
        hash, so screeners sharing an engine share the rulesets they have in common); each load is
        undone by one `unload`.

        A definition too large for the core's limits comes in several `parts` (see
        screening/ruleset/capacity.py), asserted in turn and read as one."""
        with self._lock:
            if name in self._handles:
                self._loads[name] += 1
                return
            handles: list[int] = []
            try:
                for i, definition in enumerate(p for p in parts if p):
                    rules = {**definition, _HANDLED: {"all": [{"m": {_ANCHOR_KEY: _ANCHOR_VALUE}}]}}
                    handles.append(_core.create_ruleset(name if i == 0 else f"{name}#{i}", json.dumps(rules)))
            except _core.error as e:
                for handle in handles:
                    _core.delete_ruleset(handle)
                raise EngineError(f"durable_rules rejected ruleset {name}: {e}") from e
            self._handles[name] = tuple(handles)  # none: every criterion is for review
            self._loads[name] = 1

    def unload(self, name: str) -> None:
        """Undo one `load` of `name`; its rulesets are deleted when no load is left."""
        with self._lock:
            if name not in self._handles:
                return
            self._loads[name] -= 1
            if self._loads[name] > 0:
                return
            del self._loads[name]
            self._delete_rulesets(self._handles.pop(name))

    def names(self) -> list[str]:
        return list(self._handles)

    def fired(self, name: str, fact: dict[str, Any]) -> set[str]:
        """Assert `fact` in a fresh session of ruleset `name`; return the names of the rules that fired.

        The session id is added to the encoded fact (under "sid"), not to `fact`."""
        if fact.get(_ANCHOR_KEY) != _ANCHOR_VALUE:
            return set()  # a fact that no anchored rule can match
        return self.fired_json(name, encode_fact({k: v for k, v in fact.items() if k != "sid"} if "sid" in fact
                                                 else fact))

    def fired_json(self, name: str, text: str) -> set[str]:
        """`fired` for a fact already encoded (`encode_fact`'s text, or text equal to it) that
        carries the anchor and no "sid"."""
        handles = self._handles[name]
        if not handles:
            return set()  # nothing to evaluate
        fired: set[str] = set()
        with self._lock:
            for handle in handles:
                self._fire(handle, name, text, fired.add)
        fired.discard(_HANDLED)
        return fired

    def _fire(self, handle: int, name: str, text: str, add: Callable[[str], None]) -> None:
        """Assert `text` in the session of `handle`, report the rules that fired, and leave no fact behind.

        Creating a session costs the core a state of about 8 KB per rule, zeroed (its frame
        indexes): far more than matching a fact. So each ruleset keeps one session, whose fact is
        retracted after each evaluation; any other ending deletes the session (as before) and the
        next evaluation starts a fresh one."""
        sessions = self._sessions
        sid = sessions.pop(handle, None) if sessions is not None else None
        if sid is None:
            sid = str(next(self._sids))
        payload = f'{text[:-1]}, "sid": "{sid}"}}'  # the fact has its anchor: never empty
        code: int | None = None  # stays None when the core refuses the fact: no session to delete then
        clean = False
        try:
            code, state = _assert_fact(handle, payload)
            if code != _OK:
                raise EngineError(f"durable_rules returned status {code} for ruleset {name}")
            result = _start_action_for_state(handle, state)
            msg = result[1] if result else None
            while msg:
                # msg is '{"<rule name>":{...}}'; the name is the first key
                add(msg[2:msg.index('"', 2)])
                msg = _complete_and_start_action(handle, state)
            clean = True
        except _core.error as e:
            raise EngineError(f"durable_rules failed on ruleset {name}: {e}") from e
        finally:
            # never delete the session of an unhandled fact (see above), nor of a refused one
            # (deleting after error 303 aborts the process)
            if code is not None and code != _NOT_HANDLED:
                if clean and sessions is not None and _retracted(handle, payload):
                    sessions[handle] = sid
                else:
                    _delete_session(handle, sid)

    def close(self) -> None:
        """Delete every ruleset, whoever loaded it."""
        with self._lock:
            for name in list(self._handles):
                self._delete_rulesets(self._handles.pop(name))
            self._loads.clear()

    def _delete_rulesets(self, handles: tuple[int, ...]) -> None:
        """Delete `handles` and their reused sessions (deleting a ruleset leaves its sessions' memory)."""
        for handle in handles:
            sid = self._sessions.pop(handle, None) if self._sessions is not None else None
            if sid is not None:
                _delete_session(handle, sid)
            _core.delete_ruleset(handle)

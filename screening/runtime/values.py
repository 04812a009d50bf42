"""Measure values: what the facts stage knows of each measure for one patient.

Every value is honest about what is not known:

* numbers are intervals ``[lo, hi]`` (an exact value has lo == hi; a censored lab such as
  ``<0.5`` has no lo; unknown has neither);
* counts of matching records are intervals too: records that certainly match count in lo,
  records that might match (a missing diameter, an unknown onset) only in hi;
* categories and flags are a value or unknown.

A value that is the same for every patient (nothing recorded, a flag recorded as yes) is built
once per catalog and shared (`SharedValues`); shared values are never changed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from screening.runtime.results import Evidence

EvidenceBuilder = Callable[[], tuple[Evidence, ...]]


class Value:
    """A measure's value: interval (lo/hi) for numbers and counts, `value` for categories/flags.

    Evidence for record queries is built only when asked for (explanations), not on the batch
    hot path. `shared_key` is set on the values of a `SharedValues` store (None otherwise).
    """

    __slots__ = ("lo", "hi", "value", "_evidence", "_pending", "missing", "reason", "assumption", "shared_key",
                 "encoded")

    def __init__(self, lo: float | None = None, hi: float | None = None, value: str | bool | None = None,
                 evidence: tuple[Evidence, ...] = (), missing: str | None = None, reason: str | None = None,
                 assumption: str | None = None, pending: EvidenceBuilder | None = None):
        self.lo, self.hi, self.value = lo, hi, value
        self._evidence = evidence if pending is None else None
        self._pending = pending
        self.missing, self.reason, self.assumption = missing, reason, assumption
        self.shared_key: int | None = None
        # a shared value's part of the engine's fact, by slot (see `screening.runtime.evaluate.fact_encoder`):
        # written once for every patient
        self.encoded: dict[str, str] | None = None

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        if self._evidence is None:
            assert self._pending is not None
            self._evidence = self._pending()
            self._pending = None
        return self._evidence

    @property
    def known(self) -> bool:
        return self.value is not None or self.lo is not None or self.hi is not None

    @property
    def shared(self) -> bool:
        """The one value of this measure for every patient in the same situation."""
        return self.shared_key is not None

    def __repr__(self) -> str:
        return f"Value(lo={self.lo}, hi={self.hi}, value={self.value!r}, missing={self.missing!r})"


class SharedValues:
    """Values that do not depend on the patient, built once per (measure, situation) and kept.

    Each gets a stable `shared_key` (its number in this store), so that results computed only
    from shared values can be reused for every patient in the same situation. Readers look a
    value up in `values` directly (the hot path); `add` keeps the first value added for a key.
    """

    def __init__(self) -> None:
        self.values: dict[tuple[Hashable, str], Value] = {}
        self._lock = threading.Lock()

    def add(self, measure: Hashable, situation: str, value: Value) -> Value:
        key = (measure, situation)
        with self._lock:
            kept = self.values.get(key)
            if kept is None:
                value.evidence  # noqa: B018 - built now: a shared value is never changed later
                value.shared_key = len(self.values)
                self.values[key] = kept = value
        return kept

    def unrecorded(self, measure: Hashable, situation: str, make: Callable[..., Value], *args: Any,
                   **kwargs: Any) -> Value:
        """The value of a measure in a situation that is the same for every patient: built by
        `make(*args, **kwargs)` the first time, then shared."""
        v = self.values.get((measure, situation))
        return v if v is not None else self.add(measure, situation, make(*args, **kwargs))

    def get(self, measure: Hashable, situation: str, make: Callable[[], Value]) -> Value:
        v = self.values.get((measure, situation))
        return v if v is not None else self.add(measure, situation, make())

    def __len__(self) -> int:
        return len(self.values)

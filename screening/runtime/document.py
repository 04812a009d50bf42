"""The result document as JSON bytes: what `ScreeningReport.model_dump_json()` writes, byte for
byte, with each criterion result shared between reports written once.

Most criterion results of a report are shared (`explain.Explanations` keeps whole results that
read only patient-independent values, and a criterion for review has one fixed result): their
JSON is the same in every report, so it is kept with them and spliced in. Everything else is
still written by pydantic's serialiser, a few calls per report: the report and each trial
result with their criteria left out (an empty list), then each criterion result not kept yet.

Splicing is safe because pydantic writes a model's fields in their declared order and escapes
every quote inside a string: the first `"results":[]` of a report's text is its `results` field
(`as_of`, `engine_version` and `patient_id` come before it), and the first `,"criteria":[]` of a
trial result's text is its `criteria` field (only `trial_id` to `counts` come before it).
Tests compare the bytes with `model_dump_json()` over cohorts, the Synthea bundles and the
examples.
"""

from __future__ import annotations

import threading
from typing import Any

from pydantic import TypeAdapter

from screening.runtime.results import CriterionResult, ScreeningReport, TrialResult, ValueSetUse, trusted

_criterion_json = CriterionResult.__pydantic_serializer__.to_json
_trial_json = TrialResult.__pydantic_serializer__.to_json
_report_json = ScreeningReport.__pydantic_serializer__.to_json
_RESULTS = b'"results":[]'
_CRITERIA = b',"criteria":[]'
_VALUE_SETS = b',"value_sets":[]'
_value_sets_json = TypeAdapter(list[ValueSetUse]).serializer.to_json


class SharedJson:
    """The JSON text of criterion results shared between reports, each written once.

    Results are registered as shared (`share`, bounded: cleared when full, which only means
    writing them again) or as fixed for the screener's life (`fix`: results for review). Each
    entry holds its result, so a result's `id` cannot be reused while its entry is kept, and an
    entry is used only for the very object it was made for.
    """

    def __init__(self, size: int):
        self.size = size
        # id of a kept result -> (the result, its JSON text once written); one look-up per result
        self._kept: dict[int, tuple[CriterionResult, bytes | None]] = {}
        self._fixed: dict[int, tuple[CriterionResult, bytes | None]] = {}
        # a trial's value sets (the same objects in every result of the trial), by their number and
        # the first one's identity -> their JSON text
        self._value_sets: dict[tuple[int, int], tuple[list[ValueSetUse], bytes]] = {}
        self._lock = threading.Lock()

    def share(self, res: CriterionResult) -> None:
        with self._lock:
            if len(self._kept) - len(self._fixed) >= self.size:
                self._kept = dict(self._fixed)  # the shared ones dropped, the fixed ones kept
            self._kept.setdefault(id(res), (res, None))

    def fix(self, res: CriterionResult) -> None:
        with self._lock:
            entry = self._fixed.setdefault(id(res), (res, None))
            self._kept[id(res)] = entry

    def __len__(self) -> int:
        return len(self._kept)

    def criterion(self, res: CriterionResult) -> bytes:
        """The JSON text of `res` (kept for a shared result, written afresh otherwise)."""
        key = id(res)
        entry = self._kept.get(key)
        if entry is None or entry[0] is not res:
            return _criterion_json(res)
        text = entry[1]
        if text is None:
            text = _criterion_json(res)
            self._kept[key] = (res, text)
        return text

    def report(self, report: ScreeningReport) -> bytes:
        """`report.model_dump_json().encode()`, with shared criterion results spliced in."""
        trials = [self._trial(t) for t in report.results]
        text = _report_json(_with(report, "results", []))
        at = text.index(_RESULTS) + len(_RESULTS) - 1
        return b"".join((text[:at], b",".join(trials), text[at:]))

    def _trial(self, trial: TrialResult) -> bytes:
        fields = dict(trial.__dict__)
        fields["criteria"] = fields["value_sets"] = []
        text = _trial_json(trusted(TrialResult, fields))
        at = text.index(_CRITERIA) + len(_CRITERIA) - 1
        vs = text.index(_VALUE_SETS, at) + len(_VALUE_SETS) - 1
        criterion = self.criterion
        return b"".join((text[:at], b",".join([criterion(c) for c in trial.criteria]), text[at:vs],
                         self._value_sets_text(trial.value_sets), text[vs:]))

    def _value_sets_text(self, value_sets: list[ValueSetUse]) -> bytes:
        """The JSON text of a trial's value sets, without its brackets (kept per list of objects)."""
        key = (len(value_sets), id(value_sets[0]) if value_sets else 0)
        entry = self._value_sets.get(key)
        if entry is not None and entry[0] == value_sets:  # the same objects (compared by identity first)
            return entry[1]
        text = _value_sets_json(value_sets)[1:-1]
        with self._lock:
            if len(self._value_sets) >= self.size:
                self._value_sets.clear()
            self._value_sets[key] = (list(value_sets), text)
        return text


def _with(model: Any, name: str, value: Any) -> Any:
    """A shallow copy of `model` with one field replaced (built as `trusted`: every other field is
    the model's own)."""
    fields = dict(model.__dict__)
    fields[name] = value
    return trusted(type(model), fields)

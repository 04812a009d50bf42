"""The result document as JSON bytes: what `ScreeningReport.model_dump_json()` writes, byte for
byte, with each criterion result shared between reports written once.

Most criterion results of a report are shared (`explanation_memo.Explanations` keeps whole results that
read only patient-independent values, and a criterion for review has one fixed result): their
JSON is the same in every report, so it is kept with them and spliced in. Everything else is
still written by pydantic's serialiser, a few calls per report: the report and each trial
result with their criteria left out (an empty list), then each criterion result not kept yet.

A result of an outcome shared between patients (`explanation_memo.Explanations.outcomes`: the same
text, thresholds, missing data and assumptions; each patient's own evidence) is written from a
kept head and tail (its JSON before and after the evidence) around its evidence's JSON. Evidence
is written by one serialiser call per result that stays in pydantic's core: `Evidence` leaves out
fields that are not known (`exclude_if`, a Python call per field); the same schema without those
calls, written with `exclude_none`, leaves out exactly the same fields (every one left out is
left out when it is None, and `exclude_none` reaches no further than the evidence's own fields).

A trial result's text before its criteria (identity, verdict, date, counts: few per trial and
date) is kept by the fields it is written from; its lists after the criteria are written in one
call, and the end (no eligibility date) is fixed.

Splicing is safe because pydantic writes a model's fields in their declared order and escapes
every quote inside a string: the first `"results":[]` of a report's text is its `results` field
(`as_of`, `engine_version` and `patient_id` come before it), and the first `,"criteria":[]` of a
trial result's text is its `criteria` field (only `trial_id` to `counts` come before it); the
first `"evidence":[]` of a criterion result's text is its `evidence` field (strings and
`matched` come before it). The text after a trial result's criteria is written from the same
fields in the same order (`_lists_json`, then the value sets kept, then a null `eligible_from`).
Tests compare the bytes with `model_dump_json()` over cohorts, the Synthea bundles and the
examples.
"""

from __future__ import annotations

import copy
import threading
import weakref
from typing import Any

from pydantic import TypeAdapter
from pydantic_core import SchemaSerializer

from screening.runtime.results import (
    CriterionResult,
    Evidence,
    ScreeningReport,
    TrialResult,
    ValueSetUse,
    trusted,
    unknown_left_out,
)

_criterion_json = CriterionResult.__pydantic_serializer__.to_json
_trial_json = TrialResult.__pydantic_serializer__.to_json
_report_json = ScreeningReport.__pydantic_serializer__.to_json
_RESULTS = b'"results":[]'
_CRITERIA = b',"criteria":[]'
_VALUE_SETS = b',"value_sets":[]'
_value_sets_json = TypeAdapter(list[ValueSetUse]).serializer.to_json
_EVIDENCE = b'"evidence":[]'
_NO_DATE = b'],"eligible_from":null}'  # the end of a trial result without an eligibility date


# the fields of a trial result between its criteria and its value sets, by name in their order
# (a dict is written in its order, each name as the model writes it)
_lists_json = TypeAdapter(dict[str, list[str]]).serializer.to_json


def _evidence_serializer() -> SchemaSerializer:
    """A serialiser of a tuple of `Evidence` writing what `CriterionResult` writes of its evidence
    when called with `exclude_none=True`: `Evidence`'s schema with its fields' `exclude_if` (each
    `unknown_left_out`: left out when None) taken out."""
    schema = copy.deepcopy(Evidence.__pydantic_core_schema__)
    assert schema["type"] == "model" and schema["schema"]["type"] == "model-fields", schema["type"]
    for name, field in schema["schema"]["fields"].items():
        test = field.pop("serialization_exclude_if", None)
        if test is not None and test is not unknown_left_out:
            raise TypeError(f"Evidence.{name}: exclude_if {test!r} is not `unknown_left_out`")
    return SchemaSerializer({"type": "tuple", "items_schema": [schema], "variadic_item_index": 0})


_evidence_ser = _evidence_serializer()


class SharedJson:
    """The JSON text of criterion results shared between reports, each written once.

    Results are registered as shared (`share`, bounded: cleared when full, which only means
    writing them again) or as fixed for the screener's life (`fix`: results for review). Each
    entry holds its result, so a result's `id` cannot be reused while its entry is kept, and an
    entry is used only for the very object it was made for. Results of a shared outcome are
    registered as made from it (`made`, weakly, until written; bounded likewise).
    """

    def __init__(self, size: int):
        self.size = size
        # id of a result of a shared outcome, made and not written yet -> (a weak reference to the
        # result, its outcome's fields: `explanation_memo.Explanations.outcomes`); each entry dropped when
        # the result is written. Weak: a result screened and never served is not kept alive (the
        # results of reports not served would otherwise pile up to `size` and make screening
        # slower); a dead entry is never used (its reference no longer gives the result)
        self._made: dict[int, tuple[weakref.ref[CriterionResult], dict[str, Any]]] = {}
        # id of an outcome's fields -> (the fields, the JSON text of its results before and after
        # the evidence)
        self._outcomes: dict[int, tuple[dict[str, Any], bytes, bytes]] = {}
        # id of a kept result -> (the result, its JSON text once written); one look-up per result
        self._kept: dict[int, tuple[CriterionResult, bytes | None]] = {}
        self._fixed: dict[int, tuple[CriterionResult, bytes | None]] = {}
        # a trial's value sets (the same objects in every result of the trial), by their number and
        # the first one's identity -> their JSON text
        self._value_sets: dict[tuple[int, int], tuple[list[ValueSetUse], bytes]] = {}
        # the JSON text of trial results before their criteria, by the fields it is written from
        self._heads: dict[tuple[Any, ...], bytes] = {}
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

    def made(self, res: CriterionResult, outcome: dict[str, Any]) -> None:
        """`res` was made from the fields `outcome` shared between patients (every field of the
        result but its evidence is the criterion's own or the very object in `outcome`)."""
        made = self._made
        if len(made) >= self.size:
            made.clear()  # results never written (screened, not served) do not pile up
        made[id(res)] = (weakref.ref(res), outcome)

    def __len__(self) -> int:
        return len(self._kept)

    def criterion(self, res: CriterionResult) -> bytes:
        """The JSON text of `res` (kept for a shared result, written around its evidence for a
        result of a shared outcome, written afresh otherwise)."""
        key = id(res)
        entry = self._kept.get(key)
        if entry is None or entry[0] is not res:
            made = self._made.pop(key, None)
            if made is not None and made[0]() is res:
                return self._outcome_result(res, made[1])
            return _criterion_json(res)
        text = entry[1]
        if text is None:
            text = _criterion_json(res)
            self._kept[key] = (res, text)
        return text

    def _outcome_result(self, res: CriterionResult, outcome: dict[str, Any]) -> bytes:
        """The JSON text of `res`, made from `outcome`: the outcome's kept head and tail around
        the result's evidence."""
        entry = self._outcomes.get(id(outcome))
        if entry is None or entry[0] is not outcome:
            text = _criterion_json(_with(res, "evidence", ()))
            at = text.index(_EVIDENCE) + len(_EVIDENCE) - 2
            entry = (outcome, text[:at], text[at + 2:])
            with self._lock:
                if len(self._outcomes) >= self.size:
                    self._outcomes.clear()
                self._outcomes[id(outcome)] = entry
        return b"".join((entry[1], _evidence_ser.to_json(res.evidence, exclude_none=True), entry[2]))

    def report(self, report: ScreeningReport) -> bytes:
        """`report.model_dump_json().encode()`, with shared criterion results spliced in."""
        trials = [self._trial(t) for t in report.results]
        text = _report_json(_with(report, "results", []))
        at = text.index(_RESULTS) + len(_RESULTS) - 1
        return b"".join((text[:at], b",".join(trials), text[at:]))

    def _trial(self, trial: TrialResult) -> bytes:
        d = trial.__dict__
        criterion = self.criterion
        criteria = b",".join([criterion(c) for c in d["criteria"]])
        value_sets = self._value_sets_text(d["value_sets"])
        if d["eligible_from"] is not None:
            return b"".join(_trial_shell(d, criteria, value_sets))
        # the text before the criteria, kept by the fields it is written from (equal fields write
        # equal text: each is a str, a date or a dict of str to int); few per trial and date
        key = (d["trial_id"], d["title"], d["verdict"], d["ruleset_hash"], d["engine_version"], d["as_of"],
               tuple(d["counts"].items()))
        head = self._heads.get(key)
        if head is None:
            head = _trial_shell(d, b"", b"")[0]
            with self._lock:
                if len(self._heads) >= self.size:
                    self._heads.clear()
                self._heads[key] = head
        lists = _lists_json({"data_to_collect": d["data_to_collect"], "criteria_to_review": d["criteria_to_review"],
                             "assumptions": d["assumptions"]})
        return b"".join((head, criteria, b"],", lists[1:-1], b',"value_sets":[', value_sets, _NO_DATE))

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


def _trial_shell(fields: dict[str, Any], criteria: bytes, value_sets: bytes) -> tuple[bytes, bytes, bytes, bytes, bytes]:
    """A trial result's JSON text in five parts, the second its `criteria` (without brackets) and
    the fourth its `value_sets` (likewise): the result is written without them and they are
    spliced in."""
    fields = dict(fields)
    fields["criteria"] = fields["value_sets"] = []
    text = _trial_json(trusted(TrialResult, fields))
    at = text.index(_CRITERIA) + len(_CRITERIA) - 1
    vs = text.index(_VALUE_SETS, at) + len(_VALUE_SETS) - 1
    return text[:at], criteria, text[at:vs], value_sets, text[vs:]


def _with(model: Any, name: str, value: Any) -> Any:
    """A shallow copy of `model` with one field replaced (built as `trusted`: every other field is
    the model's own)."""
    fields = dict(model.__dict__)
    fields[name] = value
    return trusted(type(model), fields)

"""Criterion results explained once and reused: whole results that read only values shared
between patients, and explanations rendered once per distinct outcome with each patient's
records filled in (`Explanations`). The explaining itself is `screening.runtime.explain`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any, Protocol

from screening.ruleset import ir
from screening.ruleset.kleene import leaf_test
from screening.runtime.document import SharedJson
from screening.runtime.explain import (
    LeafTexts,
    Template,
    _criterion,
    _explain,
    _filled,
    _keep,
    _template,
    criterion_result,
)
from screening.runtime.results import CriterionResult, Evidence, trusted
from screening.runtime.values import Value


def reads_evidence(m: ir.Measure) -> bool:
    """Can a leaf's text on this measure quote its evidence? A latest value says when it was
    recorded (and as what); a count lists the records found, or why they may count. Any other
    leaf's text is a function of the value alone (its interval or category, what is missing and
    why, the assumption). Whether a given value's text does is `quotes_records`."""
    return isinstance(m, ir.Latest) or m.kind == "count"


def quotes_records(node: ir.Leaf, v: Value) -> bool:
    """Does the text of `node` (a leaf on a measure that `reads_evidence`) on the value `v` quote
    the patient's records? (`records_quoter`)"""
    return records_quoter(node)(v) != QUOTES_NOTHING


QUOTES_NOTHING, QUOTES_PER_PATIENT, QUOTES_RECORDS = 0, 1, 2


def records_quoter(node: ir.Leaf) -> Callable[[Value], int]:
    """Whether the text of `node` (a leaf on a measure that `reads_evidence`) on a value quotes the
    patient's records, as a function of the value built once per leaf. A known latest value does
    (its date, what it was recorded as), a small count of one or more lists the records found,
    and an unknown count with both ends says why records may count, each in a text otherwise
    fixed by the value: QUOTES_PER_PATIENT (the explainer leaves those quotes as holes, filled
    per patient). A count stated without listing ("2 to 3 found, which is at least 1", "found on
    4 distinct days"), a count of none (which reads only whether any evidence exists:
    `_evidence_key`) and a value unknown for a stated reason quote nothing: QUOTES_NOTHING. A leaf
    the explainer does not read so (not a comparison): QUOTES_RECORDS, explained afresh."""
    if not isinstance(node, ir.Compare):
        return lambda v: QUOTES_RECORDS
    test = leaf_test(node)
    if node.measure.kind != "count":
        return lambda v: QUOTES_NOTHING if test(v) is None else QUOTES_PER_PATIENT
    small = node.op in ("ge", "gt", "lt", "le") and node.value in (0, 1)

    def count_quotes(v: Value) -> int:
        if test(v) is None:
            return QUOTES_NOTHING if v.lo is None or v.hi is None else QUOTES_PER_PATIENT
        return QUOTES_PER_PATIENT if small and v.lo == v.hi and v.lo != 0 else QUOTES_NOTHING
    return count_quotes


def _evidence_key(v: Value) -> bool | None:
    """What a count's text reads of its evidence besides quoting it: a count of none with an
    assumption says "recorded (assumed absent)" only when no evidence exists at all."""
    return not v.evidence if v.assumption and v.lo == 0 and v.hi == 0 else None


def _value_key(v: Value) -> Hashable:
    """What a leaf's text reads of a value that is not shared and quotes no records, with the type
    of each number or category (equal values of different types write differently: 1, 1.0, True)."""
    lo, hi, value = v.lo, v.hi, v.value
    return (lo.__class__, lo, hi.__class__, hi, value.__class__, value, v.missing, v.reason, v.assumption)


class Planned(Protocol):
    """A criterion as screening plans it (`plan.CriterionPlan`): compared by identity."""

    @property
    def criterion(self) -> ir.CriterionIR: ...
    @property
    def numbers(self) -> tuple[int, ...]: ...
    @property
    def number_of(self) -> dict[int, int]: ...
    def __hash__(self) -> int: ...


def value_reader(plan: Planned, cache: Mapping[int, Value]) -> Callable[[ir.Measure], Value]:
    """The values of a planned criterion's measures among a patient's values, looked up by identity."""
    number_of = plan.number_of
    return lambda m: cache[number_of[id(m)]]


def _gather(values: list[Value]) -> tuple[Evidence, ...]:
    """The evidence of the deciding leaves' values, as the explainer collects it (equal evidence
    once, in the order first seen; see `Explainer.add_evidence`)."""
    if len(values) == 1:
        evidence = values[0].evidence
        if len(evidence) < 2:
            return evidence
    out: list[Evidence] = []
    kept: dict[tuple[str, str, str | None], list[Evidence]] = {}
    for v in values:
        for e in v.evidence:
            _keep(e, out, kept)
    return tuple(out)


class Explanations:
    """Criterion results of one catalog, each explained once per distinct outcome.

    A result that reads only shared values (the same for every patient in that situation) is
    kept whole and reused. Any other result is rendered once per criterion, status and values
    (an age, a sex, a flag, a category, a count, an interval, what is missing and why, the
    assumption; see `_value_key`): patients with the same outcome (54 years old, a flag recorded
    as yes, "2 to 3 found") share its text, thresholds, missing data and assumptions, and only the
    evidence (each patient's own) is collected for each. What a text says of the patient's
    records (the records a count lists or that may count, when and as what a latest value was
    recorded: see `records_quoter`) is left as holes in the kept text and filled in for each
    patient from its own records: nothing of a patient's records is kept. Both memos are bounded
    (`size` entries each, cleared when full); size 0 explains every criterion afresh.
    """

    def __init__(self, size: int):
        self.size = size
        self.results: dict[Hashable, CriterionResult] = {}
        self.outcomes: dict[Hashable, tuple[dict[str, Any], tuple[int, ...], Template | None, tuple[Any, ...]]] = {}
        self._leaves: dict[Planned, tuple[tuple[int, Callable[[Value], int] | None], ...]] = {}
        self.texts = LeafTexts()  # the fixed parts of every leaf's text, rendered once
        # the JSON text of the results kept whole, written once each (see `document`)
        self.json = SharedJson(size)

    def __len__(self) -> int:
        return len(self.results)

    def result(self, plan: Planned, status: str, cache: Mapping[int, Value]) -> CriterionResult:
        """The result of the planned criterion `plan` with status `status`, for a patient whose
        values by measure number are `cache`."""
        c = plan.criterion
        if not self.size:
            return criterion_result(c, status, value_reader(plan, cache), self.texts)
        keys = [cache[n].shared_key for n in plan.numbers]
        if None not in keys:
            key = (plan, status, *keys)
            res = self.results.get(key)
            if res is None:
                res = criterion_result(c, status, value_reader(plan, cache), self.texts)
                _bounded_put(self.results, key, res, self.size)
                self.json.share(res)
            return res
        leaves = self._leaves.get(plan)
        if leaves is None:
            # per leaf: its measure's number, and whether its text quotes the patient's records
            # (`records_quoter`) when it may
            leaves = self._leaves[plan] = tuple(
                (plan.number_of[id(n.measure)], records_quoter(n) if reads_evidence(n.measure) else None)
                for n in c.leaves)
        okey: list[Hashable] = [plan, status]
        lists = False
        for number, quotes in leaves:
            v = cache[number]
            if v.shared_key is not None:
                okey.append(v.shared_key)
            elif quotes is None:
                okey.append(_value_key(v))
            else:
                quoted = quotes(v)
                if quoted == QUOTES_RECORDS:  # explained afresh: nothing of a patient's records is kept
                    return criterion_result(c, status, value_reader(plan, cache), self.texts)
                lists = lists or quoted == QUOTES_PER_PATIENT
                okey.append((_value_key(v), _evidence_key(v)))
        outcome = tuple(okey)
        try:
            cached = self.outcomes.get(outcome)
        except TypeError:  # holds something unhashable: afresh
            return criterion_result(c, status, value_reader(plan, cache), self.texts)
        if cached is None:
            return self._first(plan, status, cache, outcome, lists)
        fields, numbers, template, holes = cached
        evidence = _gather([cache[n] for n in numbers])
        if template is not None:  # its explanation is the patient's own: written whole (see `document`)
            quoted_ = [quote(cache[number]) for number, quote in holes]
            return trusted(CriterionResult, {**fields, "explanation": _filled(template, quoted_), "evidence": evidence})
        res = trusted(CriterionResult, {**fields, "evidence": evidence})
        self.json.made(res, fields)  # every field but the evidence is the outcome's: its JSON is kept around it
        return res

    def _first(self, plan: Planned, status: str, cache: Mapping[int, Value], outcome: Hashable,
               lists: bool) -> CriterionResult:
        """The result of an outcome not in the memo yet, kept in it: the result's fields but its
        evidence, the numbers of the deciding leaves' measures and, where the text quotes the
        patient's records, the explanation with what it says of them left as holes (the template)
        and each hole's measure number and what fills it."""
        c = plan.criterion
        value_of = value_reader(plan, cache)
        holes: list[tuple[ir.Measure, Callable[[Value], str]]] | None = [] if lists else None
        info, deciding = _explain(c, status, value_of, self.texts, holes)
        template = _template(info, len(holes)) if holes else None
        if holes and template is None:  # not kept: explained afresh
            return criterion_result(c, status, value_of, self.texts)
        kept = tuple((plan.number_of[id(m)], quote) for m, quote in holes or ())
        if template is not None:
            info["explanation"] = _filled(template, [quote(value_of(m)) for m, quote in holes or ()])
        res = _criterion(c, status, info)
        # kept: nothing of the patient's records (the explanation of a template is filled per patient)
        fields = {**res.__dict__, "evidence": (), **({"explanation": None} if template is not None else {})}
        numbers = tuple(plan.number_of[id(n.measure)] for n in deciding)
        _bounded_put(self.outcomes, outcome, (fields, numbers, template, kept), self.size)
        if template is None:
            self.json.made(res, fields)
        return res


def _bounded_put(memo: dict[Hashable, Any], key: Hashable, value: Any, size: int) -> None:
    if len(memo) >= size:
        memo.clear()
    memo[key] = value

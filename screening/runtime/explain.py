"""Explain criterion outcomes: evidence, thresholds, margins, missing data and assumptions.

The engine decides each criterion's status; this module evaluates the criterion's IR over the
same measure values with the IR's three-valued semantics (`ruleset.kleene`) to say *why*:
which leaves decided it, with the record, its original and converted value, the threshold and
the margin, or what data would decide it. It also checks that its own reading agrees with the
engine's status: a disagreement is a defect, never papered over.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Protocol

from screening.ruleset import ir
from screening.ruleset.kleene import Truth, leaf_truth, truth_tree
from screening.ruleset.render import OP_NOT_WORDS, OP_WORDS, amount_text, leaf_text, measure_text
from screening.runtime.document import SharedJson
from screening.runtime.required import required_missing, required_note
from screening.runtime.results import CriterionResult, Evidence, Threshold, trusted
from screening.runtime.values import Value

_STATUS_OF_TRUTH = {True: "pass", False: "fail", None: "unknown"}
_WHY_UNKNOWN = {"stale": "too old", "missing": "not recorded"}
_HEADS = {
    "inclusion": {"pass": "Met", "fail": "Not met", "unknown": "Cannot tell"},
    "exclusion": {"pass": "Does not apply", "fail": "Applies (excluded)", "unknown": "Cannot tell whether it applies"},
}


class ExplanationMismatch(RuntimeError):
    """The explanation's reading of a criterion disagrees with the engine's status (a defect)."""


def status_of(kind: str, matched: Truth) -> str:
    """The eligibility status a criterion's truth gives: an exclusion that applies fails."""
    if matched is None:
        return "unknown"
    return "pass" if matched != (kind == "exclusion") else "fail"


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text and "e" not in text else 0


def _to_significant(x: float, digits: int) -> str:
    """`x` to `digits` significant figures, never rounding its integer part ('173.4', '1235')."""
    if x == 0 or not math.isfinite(x) or abs(x) >= 1e15:
        return _fmt(x)
    places = max(0, digits - 1 - math.floor(math.log10(abs(x))))
    return f"{x:.{places}f}"


def _observed_text(observed: float, m: ir.Measure, v: Value) -> str:
    """The observed value to the precision of the data: a value converted from another unit keeps
    the significant figures it was recorded with (at least three)."""
    if v.evidence and isinstance(m, ir.Latest) and v.evidence[0].converted_unit:
        orig = v.evidence[0].value
        if isinstance(orig, (int, float)) and not isinstance(orig, bool):
            digits = len(_fmt(abs(orig)).replace(".", "").lstrip("0")) if "e" not in _fmt(orig) else 6
            return _to_significant(observed, max(digits, 3))
    return _fmt(observed)


def _margin_text(margin: float, observed: str, threshold: str) -> str:
    """A margin no more precise than the observed value and the threshold it is taken between."""
    places = max(_decimals(observed), _decimals(threshold))
    if not math.isfinite(margin) or abs(margin) >= 1e15:
        return _fmt(margin)
    return _fmt(float(f"{margin:.{places}f}"))


def _doubts(v: Value) -> str:
    """Why the records that only may count are in doubt, from their evidence (the first three)."""
    doubtful = [e for e in v.evidence if e.note and ("may match" in e.note or "no decision yet" in e.note)]
    if not doubtful:
        return ": the details that would decide it are not recorded"
    shown = "; ".join(f"{e.what}" + (f" from {e.date}" if e.date else "") + " - " + e.note  # type: ignore[operator]
                      for e in doubtful[:3])
    more = f"; and {len(doubtful) - 3} more" if len(doubtful) > 3 else ""
    return f": {shown}{more}"


def _threshold(measure: str, comparison: str, value: Any, status: str, unit: str | None = None,
               observed: Any = None, margin: float | None = None) -> Threshold:
    """A threshold built without validation (`trusted`: the explainer makes only valid ones, and a
    test checks that validating gives the same document): an integer observed value becomes the
    float validation makes of it."""
    if observed.__class__ is int:
        observed = float(observed)
    return trusted(Threshold, {"measure": measure, "comparison": comparison, "value": value, "unit": unit,
                               "observed": observed, "margin": margin, "status": status})


def _add(items: list[Any], item: Any) -> None:
    if item not in items:
        items.append(item)


class Explainer:
    """Collects the explanation of one criterion, leaf by leaf."""

    def __init__(self, value_of: Callable[[ir.Measure], Value]):
        self.value_of = value_of
        self.evidence: list[Evidence] = []
        # evidence kept so far by (record, what, note): equal evidence has equal keys, so each new
        # piece is compared (a pydantic __eq__, slow) only with the few sharing its key
        self._kept: dict[tuple[str, str, str | None], list[Evidence]] = {}
        self.thresholds: list[Threshold] = []
        self.missing: list[str] = []
        self.assumptions: list[str] = []

    def leaf(self, node: ir.Leaf) -> str:
        """What a deciding leaf says, with its evidence, threshold, missing data and assumption."""
        m = node.measure
        v = self.value_of(m)
        t = leaf_truth(node, v)
        for e in v.evidence:
            self.add_evidence(e)
        if v.assumption:
            _add(self.assumptions, v.assumption)
        if t is None:
            return self.unknown(node, v)
        status = _STATUS_OF_TRUTH[t]
        if isinstance(node, ir.Compare):
            return self.count(node, v, t, status) if m.kind == "count" else self.number(node, v, t, status)
        if isinstance(node, ir.OneOf):
            self.thresholds.append(_threshold(measure=measure_text(m), comparison="in", value=node.values,
                                              observed=v.value, status=status))
            return f"{measure_text(m)} is {v.value}" + ("" if t else f", not {' or '.join(node.values)}")
        said = "yes" if v.value else "no"
        return f"{measure_text(m)}: {said}" + (f" ({v.assumption})" if v.assumption else "")

    def add_evidence(self, e: Evidence) -> None:
        """Keep `e` unless equal evidence is kept already (in the order first seen)."""
        key = (e.record, e.what, e.note)
        same = self._kept.get(key)
        if same is None:
            self._kept[key] = [e]
        elif any(x is e or x == e for x in same):
            return
        else:
            same.append(e)
        self.evidence.append(e)

    def unknown(self, node: ir.Leaf, v: Value) -> str:
        need = v.missing or measure_text(node.measure)
        _add(self.missing, need)
        if node.measure.kind == "count" and v.lo is not None and v.hi is not None:
            return f"{leaf_text(node)}: unknown ({v.lo:g} certain, up to {v.hi:g} possible{_doubts(v)})"
        why = _WHY_UNKNOWN.get(v.reason or "", v.reason or "not recorded")
        return f"{leaf_text(node)}: unknown ({need}: {why})"

    def count(self, node: ir.Compare, v: Value, t: bool, status: str) -> str:
        what = measure_text(node.measure)
        n = v.lo if v.lo == v.hi else None
        self.thresholds.append(_threshold(measure=what, comparison=ir.OP_SYMBOL[node.op], value=node.value,
                                          observed=n, status=status))
        if node.op in ("ge", "gt", "lt", "le") and node.value in (0, 1) and n is not None:
            if n == 0:
                # "assumed absent" only when nothing at all was recorded; otherwise records were read
                return f"no {what} " + ("recorded (assumed absent)" if v.assumption and not v.evidence else "found")
            return f"{what}: {n:g} found ({_listing(node.measure, v, n)})"
        found = f"{n:g}" if n is not None else f"{v.lo:g} to {v.hi:g}"
        which = f"which is {OP_WORDS[node.op] if t else OP_NOT_WORDS[node.op]} {node.value:g}"
        if isinstance(node.measure, ir.Records) and node.measure.distinct_days:
            return f"{what}: found on {found} distinct days, {which}"
        return f"{what}: {found} found, {which}"

    def number(self, node: ir.Compare, v: Value, t: bool, status: str) -> str:
        observed = v.lo if v.lo == v.hi else None
        margin = abs(observed - node.value) if observed is not None else None
        self.thresholds.append(_threshold(
            measure=measure_text(node.measure), comparison=ir.OP_SYMBOL[node.op], value=node.value,
            unit=node.unit if node.unit != "1" else None, observed=observed,
            margin=float(_fmt(margin)) if margin is not None else None, status=status))
        u = node.unit
        if observed is not None:
            obs = _observed_text(observed, node.measure, v)
            shown = amount_text(obs, u)
        elif v.lo is None:
            shown = "< " + amount_text(_fmt(v.hi), u)  # type: ignore[arg-type]
        else:
            shown = "> " + amount_text(_fmt(v.lo), u)
        words = OP_WORDS[node.op] if t else OP_NOT_WORDS[node.op]
        limit = _fmt(node.value)
        text = f"{measure_text(node.measure)} {shown}{_recorded_as(node.measure, v)} is {words} {amount_text(limit, u)}"
        if margin is not None and observed is not None:
            text += f" ({'margin' if t else 'by'} {amount_text(_margin_text(margin, obs, limit), u)})"
        return text


def _listing(m: ir.Measure, v: Value, n: float) -> str:
    """The records found, the first three: for a record followed by another, each pair as
    'A on D1, then B on D2' (pairs come as anchor and event evidence, in turn)."""
    if not isinstance(m, ir.Pairs):
        return ", ".join(_on(e) for e in v.evidence[:3])
    ev = v.evidence[:2 * min(int(n), 5)]
    pairs = [f"{_on(a)}, then {_on(e)}" for a, e in zip(ev[0::2], ev[1::2], strict=False)]
    more = f"; and {len(pairs) - 3} more" if len(pairs) > 3 else ""
    return "; ".join(pairs[:3]) + more


def _on(e: Evidence) -> str:
    return e.what + (f" on {e.date}" if e.date else "")


def _recorded_as(m: ir.Measure, v: Value) -> str:
    """' (recorded as 1.2 mg/dL on ...)' for a converted lab value, ' (on ...)' otherwise."""
    if not (v.evidence and isinstance(m, ir.Latest)):
        return ""
    e = v.evidence[0]
    if e.converted_unit:
        orig = f"{_fmt(e.value)} {e.unit or ''}".strip() if isinstance(e.value, (int, float)) else ""
        return f" (recorded as {orig} on {e.date})"
    return f" (on {e.date})" if e.date else ""


def explain_criterion(c: ir.CriterionIR, status: str, value_of: Callable[[ir.Measure], Value]) -> dict[str, Any]:
    """Explanation fields for a computed criterion whose engine status is `status`."""
    return _explain(c, status, value_of)[0]


def _explain(c: ir.CriterionIR, status: str,
             value_of: Callable[[ir.Measure], Value]) -> tuple[dict[str, Any], list[ir.Leaf]]:
    """The explanation fields, and the deciding leaves (whose values' evidence is the evidence)."""
    assert c.expr is not None
    tree = truth_tree(c.expr, value_of)
    matched = tree.truth
    need = required_missing(c, value_of) if matched is None and status == "fail" else None
    if need is not None:
        return _required_result(c, need, value_of)
    if status_of(c.kind, matched) != status:
        where = f" ({c.position.file}:{c.position.line})" if c.position else ""
        raise ExplanationMismatch(f"{c.id}{where}: the engine says {status}, the explanation reads "
                                  f"{status_of(c.kind, matched)}")
    ex = Explainer(value_of)
    deciding: list[ir.Leaf] = tree.deciding(matched)  # type: ignore[assignment]
    detail = "; ".join(dict.fromkeys(ex.leaf(n) for n in deciding))
    # missing data and assumptions come from every leaf, not only the deciding ones
    decided = {id(d) for d in deciding}
    for n in c.leaves:
        if id(n) in decided:
            continue
        v = value_of(n.measure)
        if v.assumption:
            _add(ex.assumptions, v.assumption)
        if matched is None and leaf_truth(n, v) is None:
            _add(ex.missing, v.missing or measure_text(n.measure))
    head = _HEADS[c.kind][status]
    explanation = f"{head}: {detail}" if detail else head
    if ex.assumptions and status != "unknown":
        explanation += " [assumed: " + "; ".join(ex.assumptions) + "]"
    return {
        "matched": matched,
        "explanation": explanation,
        "evidence": tuple(ex.evidence),
        "thresholds": tuple(ex.thresholds),
        "missing_data": tuple(ex.missing) if status == "unknown" else (),
        "assumptions": tuple(ex.assumptions),
    }, deciding


def _required_result(c: ir.CriterionIR, need: list[str],
                     value_of: Callable[[ir.Measure], Value]) -> tuple[dict[str, Any], list[ir.Leaf]]:
    """A criterion that requires its data, not met because that data is not recorded at all: its
    unknown reading is stated with the policy that turned it into not met."""
    assert c.expr is not None
    ex = Explainer(value_of)
    deciding: list[ir.Leaf] = truth_tree(c.expr, value_of).deciding(None)  # type: ignore[assignment]
    detail = "; ".join(dict.fromkeys(ex.leaf(n) for n in deciding))
    for n in c.leaves:
        v = value_of(n.measure)
        if v.assumption:
            _add(ex.assumptions, v.assumption)
    note = required_note(need)
    _add(ex.assumptions, note)
    return {
        "matched": c.kind == "exclusion",
        "explanation": f"{_HEADS[c.kind]['fail']}: {note} ({detail})",
        "evidence": tuple(ex.evidence),
        "thresholds": tuple(ex.thresholds),
        "missing_data": tuple(ex.missing),
        "assumptions": tuple(ex.assumptions),
    }, deciding


def criterion_result(c: ir.CriterionIR, status: str, value_of: Callable[[ir.Measure], Value]) -> CriterionResult:
    """The result of a computed criterion whose engine status is `status`, built without validation
    (`trusted`): every field comes from the IR or from `explain_criterion`, which make only valid
    ones (a test checks that validating gives the same document)."""
    return _criterion(c, status, explain_criterion(c, status, value_of))


def _criterion(c: ir.CriterionIR, status: str, info: dict[str, Any]) -> CriterionResult:
    """A criterion result from the explanation's fields (built as `trusted`, in the model's field order)."""
    return trusted(CriterionResult, {
        "id": c.id, "kind": c.kind, "status": status, "matched": info["matched"], "explanation": info["explanation"],
        "text": c.text, "source": c.source_text, "evidence": info["evidence"], "thresholds": info["thresholds"],
        "missing_data": info["missing_data"], "assumptions": info["assumptions"], "review_reason": None})



def _typed(x: Any) -> Hashable:
    """`x` with its type where equal values of different types write differently (1, 1.0, True)."""
    return x if x is None or x.__class__ is str else (x.__class__, x)


def reads_evidence(m: ir.Measure) -> bool:
    """Does a leaf's text on this measure quote its evidence? A latest value says when it was
    recorded (and as what); a count lists the records found, or why they may count. Any other
    leaf's text is a function of the value alone (its interval or category, what is missing and
    why, the assumption)."""
    return isinstance(m, ir.Latest) or m.kind == "count"


def _value_key(v: Value) -> Hashable:
    """What a leaf's text reads of a value that is not shared and quotes no records."""
    return (_typed(v.lo), _typed(v.hi), _typed(v.value), v.missing, v.reason, v.assumption)


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


def _gather(deciding: list[ir.Leaf], value_of: Callable[[ir.Measure], Value]) -> tuple[Evidence, ...]:
    """The evidence of the deciding leaves' values, as the explainer collects it (equal evidence once)."""
    ex = Explainer(value_of)
    for n in deciding:
        for e in value_of(n.measure).evidence:
            ex.add_evidence(e)
    return tuple(ex.evidence)


class Explanations:
    """Criterion results of one catalog, each explained once per distinct outcome.

    A result that reads only shared values (the same for every patient in that situation) is
    kept whole and reused. A result whose text reads nothing of the patient's records, only values
    (an age, a sex, a flag, a category: see `reads_evidence`), is rendered once per criterion,
    status and values: patients with the same outcome (54 years old, a flag recorded as yes) share
    its text, thresholds, missing data and assumptions, and only the evidence (each patient's own)
    is collected for each. A result that quotes records (dates, values, codes) is explained afresh:
    nothing of a patient's records is kept. Both memos are bounded (`size` entries each, cleared
    when full); size 0 explains every criterion afresh.
    """

    def __init__(self, size: int):
        self.size = size
        self.results: dict[Hashable, CriterionResult] = {}
        self.outcomes: dict[Hashable, tuple[dict[str, Any], list[ir.Leaf]]] = {}
        self._leaves: dict[Planned, tuple[tuple[int, bool], ...]] = {}
        # the JSON text of the results kept whole, written once each (see `document`)
        self.json = SharedJson(size)

    def __len__(self) -> int:
        return len(self.results)

    def result(self, plan: Planned, status: str, cache: Mapping[int, Value]) -> CriterionResult:
        """The result of the planned criterion `plan` with status `status`, for a patient whose
        values by measure number are `cache`."""
        c = plan.criterion
        if not self.size:
            return criterion_result(c, status, value_reader(plan, cache))
        keys = [cache[n].shared_key for n in plan.numbers]
        if None not in keys:
            key = (plan, status, *keys)
            res = self.results.get(key)
            if res is None:
                res = criterion_result(c, status, value_reader(plan, cache))
                _bounded_put(self.results, key, res, self.size)
                self.json.share(res)
            return res
        leaves = self._leaves.get(plan)
        if leaves is None:
            # per leaf: its measure's number, and whether its text quotes the patient's records
            leaves = self._leaves[plan] = tuple((plan.number_of[id(n.measure)], reads_evidence(n.measure))
                                                for n in c.leaves)
        okey: list[Hashable] = [plan, status]
        for number, quotes in leaves:
            v = cache[number]
            if v.shared_key is not None:
                okey.append(v.shared_key)
            elif quotes:  # explained afresh: nothing of a patient's records is kept
                return criterion_result(c, status, value_reader(plan, cache))
            else:
                okey.append(_value_key(v))
        value_of = value_reader(plan, cache)
        try:
            cached = self.outcomes.get(tuple(okey))
        except TypeError:  # holds something unhashable: afresh
            return criterion_result(c, status, value_of)
        if cached is None:
            info, deciding = _explain(c, status, value_of)
            evidence = info.pop("evidence")
            _bounded_put(self.outcomes, tuple(okey), (info, deciding), self.size)
        else:
            info, deciding = cached
            evidence = _gather(deciding, value_of)
        return _criterion(c, status, {**info, "evidence": evidence})


def _bounded_put(memo: dict[Hashable, Any], key: Hashable, value: Any, size: int) -> None:
    if len(memo) >= size:
        memo.clear()
    memo[key] = value

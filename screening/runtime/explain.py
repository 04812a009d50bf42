"""Explain criterion outcomes: evidence, thresholds, margins, missing data and assumptions.

The engine decides each criterion's status; this module walks the criterion's IR over the
same measure values to say *why*: which leaves decided it, with the record, its original
and converted value, the threshold and the margin, or what data would decide it.
"""

from __future__ import annotations

from typing import Any

from screening.ruleset import ir
from screening.ruleset.render import OP_NOT_WORDS, OP_WORDS, leaf_text, measure_text, unit_text
from screening.runtime.facts import Value
from screening.runtime.results import Threshold

T, F, U = True, False, None  # Kleene truth values


def leaf_truth(node: ir.Node, v: Value) -> bool | None:
    if isinstance(node, ir.Compare):
        lo, hi, t = v.lo, v.hi, node.value
        op = node.op
        if op == "ge":
            return T if lo is not None and lo >= t else F if hi is not None and hi < t else U
        if op == "gt":
            return T if lo is not None and lo > t else F if hi is not None and hi <= t else U
        if op == "le":
            return T if hi is not None and hi <= t else F if lo is not None and lo > t else U
        if op == "lt":
            return T if hi is not None and hi < t else F if lo is not None and lo >= t else U
        if op == "eq":
            if lo is not None and hi is not None and lo == t == hi:
                return T
            return F if (lo is not None and lo > t) or (hi is not None and hi < t) else U
    if isinstance(node, ir.OneOf):
        return U if v.value is None else v.value in node.values
    if isinstance(node, ir.IsTrue):
        return U if v.value is None else v.value == node.expected
    raise TypeError(node)


def truth(node: ir.Node, values: dict[ir.Measure, Value]) -> bool | None:
    """Kleene truth of a node over measure values."""
    return Explainer(values).truth(node)


def _fmt(x: float) -> str:
    return f"{x:.6g}"


class Explainer:
    def __init__(self, values: dict[ir.Measure, Value]):
        self.values = values
        self.evidence: list[dict[str, Any]] = []
        self.thresholds: list[Threshold] = []
        self.missing: list[str] = []
        self.assumptions: list[str] = []
        self._seen_ev: set[str] = set()
        self._truth: dict[int, bool | None] = {}

    def truth(self, node: ir.Node) -> bool | None:
        """Kleene truth of a node, memoised per node for this explanation."""
        key = id(node)
        if key in self._truth:
            return self._truth[key]
        if isinstance(node, ir.Labelled):
            t = self.truth(node.item)
        elif isinstance(node, ir.Not):
            inner = self.truth(node.item)
            t = None if inner is None else not inner
        elif isinstance(node, ir.And):
            ts = [self.truth(x) for x in node.items]
            t = F if F in ts else (U if U in ts else T)
        elif isinstance(node, ir.Or):
            ts = [self.truth(x) for x in node.items]
            t = T if T in ts else (U if U in ts else F)
        else:
            t = leaf_truth(node, self.values[node.measure])  # type: ignore[attr-defined]
        self._truth[key] = t
        return t

    def deciding(self, node: ir.Node, want: bool | None) -> list[ir.Node]:
        """Leaves that make `node` come out as `want` (for unknown: the unknown leaves)."""
        if isinstance(node, ir.Labelled):
            return self.deciding(node.item, want)
        if isinstance(node, ir.Not):
            return self.deciding(node.item, None if want is None else not want)
        if isinstance(node, (ir.And, ir.Or)):
            out: list[ir.Node] = []
            for x in node.items:
                if self.truth(x) == want:
                    out += self.deciding(x, want)
            return out
        return [node]

    def leaf(self, node: ir.Node) -> str:
        m: ir.Measure = node.measure  # type: ignore[attr-defined]
        v = self.values[m]
        t = leaf_truth(node, v)
        status = "pass" if t is True else "fail" if t is False else "unknown"
        for e in v.evidence:
            d = e.as_dict()
            key = repr(sorted(d.items()))
            if key not in self._seen_ev:
                self._seen_ev.add(key)
                self.evidence.append(d)
        if v.assumption and v.assumption not in self.assumptions:
            self.assumptions.append(v.assumption)
        if t is None:
            need = v.missing or measure_text(m)
            if need not in self.missing:
                self.missing.append(need)
            why = {"stale": "too old", "missing": "not recorded"}.get(v.reason or "", v.reason or "not recorded")
            if m.kind == "count" and v.lo is not None and v.hi is not None:
                return f"{leaf_text(node)}: unknown ({v.lo:g} certain, up to {v.hi:g} possible; details not recorded)"
            return f"{leaf_text(node)}: unknown ({need}: {why})"
        if isinstance(node, ir.Compare):
            return self.compare(node, v, t, status)
        if isinstance(node, ir.OneOf):
            self.thresholds.append(Threshold(measure=measure_text(m), comparison="in", value=list(node.values),
                                             observed=v.value, status=status))  # type: ignore[arg-type]
            return f"{measure_text(m)} is {v.value}" + ("" if t else f", not {' or '.join(node.values)}")
        if isinstance(node, ir.IsTrue):
            said = "yes" if v.value else "no"
            extra = f" ({v.assumption})" if v.assumption else ""
            return f"{measure_text(m)}: {said}{extra}"
        raise TypeError(node)

    def compare(self, node: ir.Compare, v: Value, t: bool, status: str) -> str:
        m = node.measure
        u = unit_text(node.unit)
        us = f" {u}" if u else ""
        if m.kind == "count":
            n = v.lo if v.lo == v.hi else None
            found = f"{n:g}" if n is not None else f"{v.lo:g} to {v.hi:g}"
            self.thresholds.append(Threshold(measure=measure_text(m), comparison=_sym(node.op), value=node.value,
                                             observed=n, status=status))  # type: ignore[arg-type]
            what = measure_text(m)
            if node.op in ("ge", "gt", "lt", "le") and node.value in (0, 1) and n is not None:
                if n == 0:
                    return f"no {what} " + ("recorded (assumed absent)" if v.assumption else "found")
                shown = ", ".join(e.what + (f" on {e.date}" if e.date else "") for e in v.evidence[:3])
                return f"{what}: {n:g} found ({shown})"
            need = f"needs {OP_WORDS[node.op]} {node.value:g}"
            return f"{found} x {what}: {'meets' if t else 'does not meet'} '{need}'"
        observed = v.lo if v.lo == v.hi else None
        margin = None
        if observed is not None:
            margin = abs(observed - node.value)
        self.thresholds.append(Threshold(measure=measure_text(m), comparison=_sym(node.op), value=node.value,
                                         unit=node.unit if node.unit != "1" else None, observed=observed,
                                         margin=float(_fmt(margin)) if margin is not None else None, status=status))  # type: ignore[arg-type]
        name = measure_text(m)
        if observed is None:
            bound = v.hi if v.lo is None else v.lo
            shown = (f"< {_fmt(bound)}" if v.lo is None else f"> {_fmt(bound)}") + us  # type: ignore[arg-type]
        else:
            shown = f"{_fmt(observed)}{us}"
        src = ""
        if v.evidence and isinstance(m, ir.Latest):
            e = v.evidence[0]
            orig = f"{_fmt(e.value)} {e.unit or ''}".strip() if isinstance(e.value, (int, float)) else ""
            if e.converted_unit:
                src = f" (recorded as {orig} on {e.date})"
            elif e.date:
                src = f" (on {e.date})"
        words = OP_WORDS[node.op] if t else OP_NOT_WORDS[node.op]
        text = f"{name} {shown}{src} is {words} {_fmt(node.value)}{us}"
        if margin is not None:
            text += f" ({'margin' if t else 'by'} {_fmt(margin)}{us})"
        return text


def _sym(op: str) -> str:
    return ir.OP_SYMBOL[op]


def explain_criterion(c: ir.CriterionIR, status: str, values: dict[ir.Measure, Value]) -> dict[str, Any]:
    """Explanation fields for a computed criterion whose engine status is `status`."""
    assert c.expr is not None
    ex = Explainer(values)
    matched = ex.truth(c.expr)
    leaves = ex.deciding(c.expr, matched)
    parts = [ex.leaf(n) for n in leaves]
    # collect missing data and assumptions from every leaf, not only the deciding ones
    deciding = {id(n) for n in leaves}
    for n in ir.leaves(c.expr):
        if id(n) not in deciding:
            v = values[n.measure]  # type: ignore[attr-defined]
            if v.assumption and v.assumption not in ex.assumptions:
                ex.assumptions.append(v.assumption)
            if matched is None and ex.truth(n) is None and (v.missing or "") not in ex.missing:
                ex.missing.append(v.missing or measure_text(n.measure))  # type: ignore[attr-defined]
    detail = "; ".join(dict.fromkeys(parts))
    if c.kind == "exclusion":
        head = {"pass": "Does not apply", "fail": "Applies (excluded)", "unknown": "Cannot tell whether it applies"}[status]
    else:
        head = {"pass": "Met", "fail": "Not met", "unknown": "Cannot tell"}[status]
    explanation = f"{head}: {detail}" if detail else head
    if ex.assumptions and status != "unknown":
        explanation += " [assumed: " + "; ".join(ex.assumptions) + "]"
    return {
        "matched": matched,
        "explanation": explanation,
        "evidence": ex.evidence,
        "thresholds": ex.thresholds,
        "missing_data": ex.missing if status == "unknown" else [],
        "assumptions": ex.assumptions,
    }

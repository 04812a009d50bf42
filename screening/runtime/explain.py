"""Explain criterion outcomes: evidence, thresholds, margins, missing data and assumptions.

The engine decides each criterion's status; this module evaluates the criterion's IR over the
same measure values with the IR's three-valued semantics (`ruleset.kleene`) to say *why*:
which leaves decided it, with the record, its original and converted value, the threshold and
the margin, or what data would decide it. It also checks that its own reading agrees with the
engine's status: a disagreement is a defect, never papered over.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any

from screening.ruleset import ir
from screening.ruleset.kleene import CompiledTruth, Truth, compiled_truth, leaf_truth, truth_tree
from screening.ruleset.render import OP_NOT_WORDS, OP_WORDS, amount_text, leaf_text, measure_text
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


def _observed_text(observed: float, latest: bool, v: Value) -> str:
    """The observed value to the precision of the data: a latest value converted from another unit
    keeps the significant figures it was recorded with (at least three)."""
    if latest and v.evidence and v.evidence[0].converted_unit:
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
    """Why the records that only may count are in doubt, from their evidence: records in doubt for
    the same reason listed together, before it (the first three reasons, five records each)."""
    doubtful = [e for e in v.evidence if e.note and ("may match" in e.note or "no decision yet" in e.note)]
    if not doubtful:
        return ": the details that would decide it are not recorded"
    by_note: dict[str, list[str]] = {}
    for e in doubtful:
        by_note.setdefault(e.note, []).append(f"{e.what}" + (f" from {e.date}" if e.date else ""))  # type: ignore[arg-type]
    groups = list(by_note.items())
    shown = "; ".join("; ".join(whats[:5]) + (f"; and {len(whats) - 5} more" if len(whats) > 5 else "") + " - " + note
                      for note, whats in groups[:3])
    left = sum(len(whats) for _, whats in groups[3:])
    more = f"; and {left} more" if left else ""
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


class LeafText:
    """The fixed parts of what a leaf says (its measure and the leaf in words, the comparison, the
    limit with its unit, what kind of measure it reads), rendered once per leaf: screening fills
    in only the patient's values."""

    __slots__ = ("node", "measure", "leaf", "count", "latest", "pairs", "distinct_days", "symbol", "words",
                 "not_words", "limit", "limit_amount", "unit", "small_count", "which", "not_values")

    def __init__(self, node: ir.Leaf):
        m = node.measure
        self.node = node
        self.measure = measure_text(m)
        self.leaf = leaf_text(node)
        self.count = m.kind == "count"
        self.latest = isinstance(m, ir.Latest)
        self.pairs = isinstance(m, ir.Pairs)
        self.distinct_days = isinstance(m, ir.Records) and m.distinct_days
        self.not_values = f", not {' or '.join(node.values)}" if isinstance(node, ir.OneOf) else ""
        if isinstance(node, ir.Compare):
            op, value = node.op, node.value
            self.symbol = ir.OP_SYMBOL[op]
            self.words = {True: OP_WORDS[op], False: OP_NOT_WORDS[op]}
            self.limit = _fmt(value)
            self.limit_amount = amount_text(self.limit, node.unit)
            self.unit = node.unit if node.unit != "1" else None
            self.small_count = op in ("ge", "gt", "lt", "le") and value in (0, 1)
            self.which = {t: f"which is {self.words[t]} {value:g}" for t in (True, False)}


class LeafTexts:
    """`LeafText` of every leaf explained, each rendered once (kept by the leaf's identity: equal
    leaves of different trials are distinct objects, and comparing them is deep)."""

    def __init__(self) -> None:
        self._texts: dict[int, LeafText] = {}

    def __call__(self, node: ir.Leaf) -> LeafText:
        lt = self._texts.get(id(node))
        if lt is None or lt.node is not node:
            if len(self._texts) >= 65536:
                self._texts.clear()  # bounded: leaves of catalogs no longer screened do not pile up
            lt = self._texts[id(node)] = LeafText(node)
        return lt


class Explainer:
    """Collects the explanation of one criterion, leaf by leaf."""

    def __init__(self, value_of: Callable[[ir.Measure], Value], texts: LeafTexts | None = None,
                 holes: list[tuple[ir.Measure, Callable[[Value], str]]] | None = None):
        self.value_of = value_of
        self.texts = texts or LeafTexts()
        # given: what a leaf's text says of the patient's records (the records a count lists or that
        # may count, when and as what a latest value was recorded) is left as holes (`_hole`), to
        # be filled per patient: each hole's measure, and what says it of the measure's value
        self.holes = holes
        self.evidence: list[Evidence] = []
        # evidence kept so far by (record, what, note): equal evidence has equal keys, so each new
        # piece is compared (a pydantic __eq__, slow) only with the few sharing its key
        self._kept: dict[tuple[str, str, str | None], list[Evidence]] = {}
        self.thresholds: list[Threshold] = []
        self.missing: list[str] = []
        self.assumptions: list[str] = []
        # the assumptions made of records read (a diagnosis taken as over by its natural course,
        # the latest record outside a window): an unknown explanation states these, not the
        # absences assumed for lack of any record
        self.read: list[str] = []

    def assume(self, v: Value) -> None:
        """Keep the assumption made in reading `v` (which has one)."""
        assumption = v.assumption
        assert assumption is not None
        _add(self.assumptions, assumption)
        if v.evidence:
            _add(self.read, assumption)

    def leaf(self, node: ir.Leaf) -> str:
        """What a deciding leaf says, with its evidence, threshold, missing data and assumption."""
        v = self.value_of(node.measure)
        return self.decided(node, v, leaf_truth(node, v))

    def decided(self, node: ir.Leaf, v: Value, t: Truth) -> str:
        """`leaf` for a leaf whose value `v` and truth `t` are known already."""
        lt = self.texts(node)
        for e in v.evidence:
            self.add_evidence(e)
        if v.assumption:
            self.assume(v)
        if t is None:
            return self.unknown(lt, v)
        status = _STATUS_OF_TRUTH[t]
        if isinstance(node, ir.Compare):
            return self.count(lt, node, v, t, status) if lt.count else self.number(lt, node, v, t, status)
        if isinstance(node, ir.OneOf):
            self.thresholds.append(_threshold(measure=lt.measure, comparison="in", value=node.values,
                                              observed=v.value, status=status))
            return f"{lt.measure} is {v.value}" + ("" if t else lt.not_values)
        said = "yes" if v.value else "no"
        return f"{lt.measure}: {said}" + (f" ({v.assumption})" if v.assumption else "")

    def add_evidence(self, e: Evidence) -> None:
        """Keep `e` unless equal evidence is kept already (in the order first seen)."""
        _keep(e, self.evidence, self._kept)

    def unknown(self, lt: LeafText, v: Value) -> str:
        need = v.missing or lt.measure
        _add(self.missing, need)
        if lt.count and v.lo is not None and v.hi is not None:
            doubts = self._quoted(lt.node.measure, _doubts, v)
            return f"{lt.leaf}: unknown ({v.lo:g} certain, up to {v.hi:g} possible{doubts})"
        why = _WHY_UNKNOWN.get(v.reason or "", v.reason or "not recorded")
        return f"{lt.leaf}: unknown ({need}: {why})"

    def count(self, lt: LeafText, node: ir.Compare, v: Value, t: bool, status: str) -> str:
        what = lt.measure
        n = v.lo if v.lo == v.hi else None
        self.thresholds.append(_threshold(measure=what, comparison=lt.symbol, value=node.value,
                                          observed=n, status=status))
        if lt.small_count and n is not None:
            if n == 0:
                # "assumed absent" only when nothing at all was recorded; otherwise records were read
                return f"no {what} " + ("recorded (assumed absent)" if v.assumption and not v.evidence else "found")
            listing = self._quoted(node.measure, partial(_listing, lt.pairs, n=n), v)
            return f"{what}: {n:g} found ({listing})"
        found = f"{n:g}" if n is not None else f"{v.lo:g} to {v.hi:g}"
        if lt.distinct_days:
            return f"{what}: found on {found} distinct days, {lt.which[t]}"
        return f"{what}: {found} found, {lt.which[t]}"

    def number(self, lt: LeafText, node: ir.Compare, v: Value, t: bool, status: str) -> str:
        observed = v.lo if v.lo == v.hi else None
        margin = abs(observed - node.value) if observed is not None else None
        self.thresholds.append(_threshold(
            measure=lt.measure, comparison=lt.symbol, value=node.value, unit=lt.unit, observed=observed,
            margin=float(_fmt(margin)) if margin is not None else None, status=status))
        if lt.latest:  # says when it was recorded, and as what
            return self._quoted(node.measure, partial(_number_text, lt, node, t), v)
        return _number_text(lt, node, t, v)

    def _quoted(self, measure: ir.Measure, quote: Callable[[Value], str], v: Value) -> str:
        """What `quote` says of the patient's records in `v`, or a hole for it (see `holes`)."""
        if self.holes is None:
            return quote(v)
        self.holes.append((measure, quote))
        return _hole(len(self.holes) - 1)


def _number_text(lt: LeafText, node: ir.Compare, t: bool, v: Value) -> str:
    """What a number's leaf says: the observed value (to the precision of the data), when and as
    what a latest value was recorded, the comparison and the margin."""
    observed = v.lo if v.lo == v.hi else None
    margin = abs(observed - node.value) if observed is not None else None
    u = node.unit
    if observed is not None:
        obs = _observed_text(observed, lt.latest, v)
        shown = amount_text(obs, u)
    elif v.lo is None:
        shown = "< " + amount_text(_fmt(v.hi), u)  # type: ignore[arg-type]
    else:
        shown = "> " + amount_text(_fmt(v.lo), u)
    text = f"{lt.measure} {shown}{_recorded_as(lt.latest, v)} is {lt.words[t]} {lt.limit_amount}"
    if margin is not None and observed is not None:
        text += f" ({'margin' if t else 'by'} {amount_text(_margin_text(margin, obs, lt.limit), u)})"
    return text


def _listing(paired: bool, v: Value, n: float) -> str:
    """The records found, the first three: for a record followed by another (`paired`), each pair as
    'A on D1, then B on D2' (pairs come as anchor and event evidence, in turn)."""
    if not paired:
        return ", ".join(_on(e) for e in v.evidence[:3])
    ev = v.evidence[:2 * min(int(n), 5)]
    pairs = [f"{_on(a)}, then {_on(e)}" for a, e in zip(ev[0::2], ev[1::2], strict=False)]
    more = f"; and {len(pairs) - 3} more" if len(pairs) > 3 else ""
    return "; ".join(pairs[:3]) + more


def _on(e: Evidence) -> str:
    return e.what + (f" on {e.date}" if e.date else "")


def _recorded_as(latest: bool, v: Value) -> str:
    """' (recorded as 1.2 mg/dL on ...)' for a converted lab value, ' (on ...)' otherwise (a
    latest value's; nothing for other measures)."""
    if not (latest and v.evidence):
        return ""
    e = v.evidence[0]
    if e.converted_unit:
        orig = f"{_fmt(e.value)} {e.unit or ''}".strip() if isinstance(e.value, (int, float)) else ""
        return f" (recorded as {orig} on {e.date})"
    return f" (on {e.date})" if e.date else ""


def explain_criterion(c: ir.CriterionIR, status: str, value_of: Callable[[ir.Measure], Value],
                      texts: LeafTexts | None = None) -> dict[str, Any]:
    """Explanation fields for a computed criterion whose engine status is `status` (with the
    leaves' fixed texts from `texts`, rendered anew when not given)."""
    return _explain(c, status, value_of, texts or LeafTexts())[0]


def _explain(c: ir.CriterionIR, status: str, value_of: Callable[[ir.Measure], Value],
             texts: LeafTexts, holes: list[tuple[ir.Measure, Callable[[Value], str]]] | None = None,
             ) -> tuple[dict[str, Any], list[ir.Leaf]]:
    """The explanation fields, and the deciding leaves (whose values' evidence is the evidence).
    With `holes`, what the deciding leaves' texts say of the patient's records is left as holes
    (see `Explainer`), and the fields have the explanation's parts as "template": what comes
    before the leaves' texts, the texts (before equal ones are said once), what comes after."""
    assert c.expr is not None
    compiled = compiled_truth(c.expr)
    matched, truths = compiled.evaluate(value_of)
    need = required_missing(c, value_of) if matched is None and status == "fail" else None
    if need is not None:
        return _required_result(c, need, value_of, texts, holes)
    if status_of(c.kind, matched) != status:
        where = f" ({c.position.file}:{c.position.line})" if c.position else ""
        raise ExplanationMismatch(f"{c.id}{where}: the engine says {status}, the explanation reads "
                                  f"{status_of(c.kind, matched)}")
    ex = Explainer(value_of, texts, holes)
    slots = compiled.deciding(truths, matched)
    nodes = compiled.nodes
    deciding: list[ir.Leaf] = [nodes[i] for i in slots]  # type: ignore[misc]
    said = [ex.decided(n, value_of(n.measure), truths[i]) for n, i in zip(deciding, slots, strict=True)]
    detail = "; ".join(dict.fromkeys(said))
    _other_leaves(ex, c, compiled, truths, deciding, matched is None)
    head = _HEADS[c.kind][status]
    explanation = f"{head}: {detail}" if detail else head
    # an unknown states only the assumptions made of records read: what it cannot tell is said
    # already, and a clinician should see why the records there are did not count
    assumed = ex.read if status == "unknown" else ex.assumptions
    after = " [assumed: " + "; ".join(assumed) + "]" if assumed else ""
    info: dict[str, Any] = {
        "matched": matched,
        "explanation": explanation + after,
        "evidence": tuple(ex.evidence),
        "thresholds": tuple(ex.thresholds),
        "missing_data": tuple(ex.missing) if status == "unknown" else (),
        "assumptions": tuple(ex.assumptions),
    }
    if holes is not None and said:
        info["template"] = (f"{head}: ", said, after)
    return info, deciding


def _other_leaves(ex: Explainer, c: ir.CriterionIR, compiled: CompiledTruth, truths: list[Truth],
                  deciding: list[ir.Leaf], unknown: bool) -> None:
    """Missing data and assumptions come from every leaf, not only the deciding ones: those of the
    others (missing data where the criterion and the leaf are `unknown`)."""
    decided = {id(d) for d in deciding}
    value_of = ex.value_of
    for n, i in zip(c.leaves, compiled.leaf_slots, strict=True):
        if id(n) in decided:
            continue
        v = value_of(n.measure)
        if v.assumption:
            ex.assume(v)
        if unknown and truths[i] is None:
            _add(ex.missing, v.missing or ex.texts(n).measure)


def _required_result(c: ir.CriterionIR, need: list[str], value_of: Callable[[ir.Measure], Value],
                     texts: LeafTexts, holes: list[tuple[ir.Measure, Callable[[Value], str]]] | None = None,
                     ) -> tuple[dict[str, Any], list[ir.Leaf]]:
    """A criterion that requires its data, not met because that data is not recorded at all: its
    unknown reading is stated with the policy that turned it into not met (with `holes`, as
    `_explain` leaves them)."""
    assert c.expr is not None
    ex = Explainer(value_of, texts, holes)
    deciding: list[ir.Leaf] = truth_tree(c.expr, value_of).deciding(None)  # type: ignore[assignment]
    said = [ex.leaf(n) for n in deciding]
    detail = "; ".join(dict.fromkeys(said))
    for n in c.leaves:
        v = value_of(n.measure)
        if v.assumption:
            _add(ex.assumptions, v.assumption)
    note = required_note(need)
    _add(ex.assumptions, note)
    before = f"{_HEADS[c.kind]['fail']}: {note} ("
    info: dict[str, Any] = {
        "matched": c.kind == "exclusion",
        "explanation": f"{before}{detail})",
        "evidence": tuple(ex.evidence),
        "thresholds": tuple(ex.thresholds),
        "missing_data": tuple(ex.missing),
        "assumptions": tuple(ex.assumptions),
    }
    if holes is not None:
        info["template"] = (before, said, ")")
    return info, deciding


_HOLE = "\x00"


def _hole(i: int) -> str:
    """The place of the `i`th hole in a text (`Explainer`): its number between two NULs."""
    return f"{_HOLE}{i}{_HOLE}"


Template = tuple[str, list[str], str]


def _template(info: dict[str, Any], holes: int) -> Template | None:
    """The explanation's parts (`_explain`'s "template") when they hold exactly the `holes` holes
    (no text of their own has a NUL), else None."""
    template = info.get("template")
    if template is None:
        return None
    before, said, after = template
    nuls = before.count(_HOLE) + after.count(_HOLE) + sum(t.count(_HOLE) for t in said)
    return template if nuls == 2 * holes else None


def _filled(template: Template, quoted: list[str]) -> str:
    """The explanation of a template with its holes filled by `quoted`, in order, equal leaf
    texts said once (as `_explain` says them)."""
    before, said, after = template
    texts = []
    for t in said:
        if _HOLE in t:
            parts = t.split(_HOLE)
            parts[1::2] = [quoted[int(i)] for i in parts[1::2]]
            t = "".join(parts)
        texts.append(t)
    return before + "; ".join(dict.fromkeys(texts)) + after


def criterion_result(c: ir.CriterionIR, status: str, value_of: Callable[[ir.Measure], Value],
                     texts: LeafTexts | None = None) -> CriterionResult:
    """The result of a computed criterion whose engine status is `status`, built without validation
    (`trusted`): every field comes from the IR or from `explain_criterion`, which make only valid
    ones (a test checks that validating gives the same document)."""
    return _criterion(c, status, explain_criterion(c, status, value_of, texts))


def _criterion(c: ir.CriterionIR, status: str, info: dict[str, Any]) -> CriterionResult:
    """A criterion result from the explanation's fields (built as `trusted`, in the model's field order)."""
    return trusted(CriterionResult, {
        "id": c.id, "kind": c.kind, "status": status, "matched": info["matched"], "explanation": info["explanation"],
        "text": c.text, "source": c.source_text, "evidence": info["evidence"], "thresholds": info["thresholds"],
        "missing_data": info["missing_data"], "assumptions": info["assumptions"], "review_reason": None})


def _keep(e: Evidence, out: list[Evidence], kept: dict[tuple[str, str, str | None], list[Evidence]]) -> None:
    """Append `e` to `out` unless equal evidence is in it already. `kept` holds `out`'s pieces by
    (record, what, note): equal evidence has equal keys, so each new piece is compared (a pydantic
    __eq__, slow) only with the few sharing its key."""
    key = (e.record, e.what, e.note)
    same = kept.get(key)
    if same is None:
        kept[key] = [e]
    elif any(x is e or x == e for x in same):
        return
    else:
        same.append(e)
    out.append(e)

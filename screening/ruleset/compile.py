"""Compile a trial's IR to a durable_rules ruleset definition (plain JSON data).

Each computable criterion becomes two rules, one for "pass" and one for "fail", whose
conditions are the Kleene (three-valued) truth of the criterion over the trial's facts; when
neither fires the criterion is unknown. Facts carry each measure under a short key: numbers and
counts as an interval (`m3l`, `m3h`), categories and flags as `m3`; an unknown bound is simply
absent, and durable_rules matches no comparison on an absent key. Every rule is anchored on
`t == 'p'` so that no rule can match the engine's own session-state fact.

The compiled trial states its own contract with the runtime: `layout` (where each measure's
value goes in a fact) and `rules` (which rule names mean pass and fail for which criterion).

A catalog is screened with its trials' rules together (`share_catalog`): each criterion's two
rules, taken from its trial's compiled definition with the fact keys renamed to catalog-wide
ones, are one condition shared by every criterion that tests the same measures the same way,
and the distinct conditions are packed into engine rulesets ("packs") within the engine's limits.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from screening.ruleset import ir
from screening.ruleset.capacity import ENGINE_STACK, chains_of, fits, stack_peak
from screening.ruleset.kleene import CERTAIN

ANCHOR_KEY, ANCHOR_VALUE = "t", "p"
ANCHOR = {ANCHOR_KEY: ANCHOR_VALUE}
MAX_RULE_PATHS = 64
"""More alternative paths than this in one criterion's condition is an error (lint code L010)."""


@dataclass(frozen=True)
class Slot:
    """Where one measure's value goes in a fact: an interval (`lo_key`, `hi_key`) or a `key`."""

    key: str
    lo_key: str
    hi_key: str
    numeric: bool  # numbers and counts are intervals; categories and flags are one value


@dataclass(frozen=True)
class CriterionRules:
    """The names of the two rules of a computable criterion; neither firing means unknown."""

    criterion_id: str
    pass_rule: str
    fail_rule: str


@dataclass(frozen=True)
class CompiledTrial:
    trial_id: str
    name: str  # ruleset name in the engine: "<trial id>@<content hash>"
    definition: dict[str, Any]
    measures: tuple[ir.Measure, ...]  # in fact-key order: measures[i] is under key "m<i>"
    layout: tuple[Slot, ...]  # layout[i] is the slot of measures[i]
    rules: tuple[CriterionRules, ...]

    @cached_property
    def parts(self) -> tuple[dict[str, Any], ...]:
        """The definition split into engine rulesets, each within the engine's stack (see capacity.py):
        `(definition,)` unless one fact could need more than the engine allows; `()` if no rules."""
        return partition(self.definition, self.rules)

    @property
    def engine_stack(self) -> int:
        """The most conditions one patient can leave pending in the engine's matching stack, over
        this trial's rulesets (at most `ENGINE_STACK`; see capacity.py)."""
        return max((stack_peak(_with_anchor(p)) for p in self.parts), default=0)

    @property
    def measure_keys(self) -> dict[ir.Measure, str]:
        return {m: s.key for m, s in zip(self.measures, self.layout, strict=True)}


def _cmp(key: str, op: str, value: Any) -> dict[str, Any]:
    if op == "eq":
        return {key: value}
    return {"$" + {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}[op]: {key: value}}


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


class Compiler:
    def __init__(self, slots: dict[ir.Measure, Slot]):
        self.slots = slots

    def cond(self, node: ir.Node, want: bool) -> dict[str, Any]:
        """Condition under which `node` is definitely `want` (True: pass side, False: fail side)."""
        if isinstance(node, ir.Labelled):
            return self.cond(node.item, want)
        if isinstance(node, ir.Not):
            return self.cond(node.item, not want)
        if isinstance(node, (ir.And, ir.Or)):
            parts = [self.cond(x, want) for x in node.items]
            conj = isinstance(node, ir.And) == want
            return parts[0] if len(parts) == 1 else {"$and" if conj else "$or": parts}
        if isinstance(node, ir.Compare):
            return self.compare(node, want)
        if isinstance(node, ir.OneOf):
            k = self.slots[node.measure].key
            if want:
                eqs = [{k: v} for v in node.values]
                return eqs[0] if len(eqs) == 1 else {"$or": eqs}
            return {"$and": [{"$ex": {k: 1}}, *({"$neq": {k: v}} for v in node.values)]}
        if isinstance(node, ir.IsTrue):
            return {self.slots[node.measure].key: int(node.expected == want)}
        raise TypeError(f"cannot compile {node!r}")

    def compare(self, node: ir.Compare, want: bool) -> dict[str, Any]:
        slot = self.slots[node.measure]
        t = _num(node.value)
        if node.op == "eq":
            if want:
                return {"$and": [_cmp(slot.lo_key, "eq", t), _cmp(slot.hi_key, "eq", t)]}
            return {"$or": [_cmp(slot.lo_key, "gt", t), _cmp(slot.hi_key, "lt", t)]}
        end, test = CERTAIN[(node.op, want)]  # the same semantics as the explanations'
        return _cmp(slot.lo_key if end == "lo" else slot.hi_key, test, t)


def rule_paths(node: ir.Node, want: bool = True) -> int:
    """How many alternative paths (disjunctive-normal-form terms) the compiled condition has.

    durable_rules expands `any` inside `all` into one rule path per combination and fires once
    per true path, so this counts what `Compiler.cond` produces."""
    if isinstance(node, ir.Labelled):
        return rule_paths(node.item, want)
    if isinstance(node, ir.Not):
        return rule_paths(node.item, not want)
    if isinstance(node, (ir.And, ir.Or)):
        counts = [rule_paths(x, want) for x in node.items]
        return math.prod(counts) if isinstance(node, ir.And) == want else sum(counts)
    if isinstance(node, ir.Compare):
        return 2 if (node.op == "eq" and not want) else 1
    if isinstance(node, ir.OneOf):
        return len(node.values) if want else 1
    return 1


def criterion_paths(c: ir.CriterionIR) -> int:
    """The larger number of alternative paths of a criterion's two rules (0 for review)."""
    return 0 if c.expr is None else max(rule_paths(c.expr, True), rule_paths(c.expr, False))


def slot_of(index: int, measure: ir.Measure) -> Slot:
    key = f"m{index}"
    return Slot(key, key + "l", key + "h", measure.kind in ("number", "count"))


def _criterion_rules(comp: Compiler, names: CriterionRules, expr: ir.Node) -> dict[str, Any]:
    return {rule: {"all": [{"m": {"$and": [ANCHOR, comp.cond(expr, want)]}}]}
            for want, rule in ((True, names.pass_rule), (False, names.fail_rule))}


def criterion_stack_peak(trial: ir.TrialIR, c: ir.CriterionIR) -> int:
    """The engine stack one fact may need for this computable criterion's two rules alone."""
    assert c.expr is not None
    comp = Compiler({m: slot_of(i, m) for i, m in enumerate(trial.measures)})
    return stack_peak(_with_anchor(_criterion_rules(comp, CriterionRules(c.id, "p", "f"), c.expr)))


def compile_trial(trial: ir.TrialIR, name: str) -> CompiledTrial:
    layout = tuple(slot_of(i, m) for i, m in enumerate(trial.measures))
    comp = Compiler(dict(zip(trial.measures, layout, strict=True)))
    definition: dict[str, Any] = {}
    rules: list[CriterionRules] = []
    for c in trial.criteria:
        if c.expr is None:
            continue
        names = CriterionRules(c.id, f"{c.id}.pass", f"{c.id}.fail")
        definition.update(_criterion_rules(comp, names, c.expr))
        rules.append(names)
    compiled = CompiledTrial(trial.trial_id, name, definition, trial.measures, layout, tuple(rules))
    compiled.parts  # noqa: B018 - split now: a criterion over the engine's limit is refused when compiled
    return compiled


class EngineCapacityError(ValueError):
    """One criterion alone may make more conditions true together than the engine can hold
    (lint code L014 reports it at the criterion before the compiler is reached)."""


def _with_anchor(definition: dict[str, Any]) -> dict[str, Any]:
    return {**definition, "$handled": {"all": [{"m": ANCHOR}]}}  # the adapter's catch-all rule


def partition(definition: dict[str, Any], rules: Iterable[CriterionRules]) -> tuple[dict[str, Any], ...]:
    """The rules in as few engine rulesets as keep every fact within the engine's stack.

    Criteria stay whole and in order (greedy first fit), so a trial within the limit is one
    ruleset, exactly `definition`."""
    if not definition:
        return ()
    if fits(chains_of(_with_anchor(definition))):
        return (definition,)
    parts: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    for names in rules:
        unit = {r: definition[r] for r in (names.pass_rule, names.fail_rule)}
        _check_alone(names.criterion_id, unit)
        if current and not fits(chains_of(_with_anchor({**current, **unit}))):
            parts.append(current)
            current = {}
        current.update(unit)
    parts.append(current)
    return tuple(parts)


def _check_alone(criterion_id: str, unit: dict[str, Any]) -> None:
    if not fits(chains_of(_with_anchor(unit))):
        raise EngineCapacityError(f"criterion {criterion_id!r} alone may make more than {ENGINE_STACK} "
                                  "conditions true together for one patient: split it into several criteria")


FACT_KEYS = 128
"""The most keys a pack's facts may carry (the core refuses a fact of about 255 properties, error 202)."""


@dataclass(frozen=True)
class Pack:
    """Criteria of several trials in one engine ruleset: one assertion per patient for them all.

    Its rules read catalog-wide fact keys: `layout[i]` is where catalog measure `numbers[i]` goes."""

    name: str  # "pack@<content hash>"
    definition: dict[str, Any]
    numbers: tuple[int, ...]
    layout: tuple[Slot, ...]


@dataclass(frozen=True)
class SharedCatalog:
    """A catalog's criteria as the engine evaluates them: each distinct condition once, in packs."""

    packs: tuple[Pack, ...]
    conditions: tuple[tuple[str, str], ...]  # the pass and fail rule names of each distinct condition
    rules: tuple[dict[str, int], ...]  # per trial, in input order: criterion id -> the number of its condition
    packs_of: tuple[tuple[int, ...], ...]  # per trial: the packs that hold its criteria


def _rekey(node: Any, keys: dict[str, str], read: set[str]) -> Any:
    """`node` with every dict key found in `keys` renamed (the renamed keys are added to `read`)."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k in keys:
                k = keys[k]
                read.add(k)
            out[k] = _rekey(v, keys, read)
        return out
    if isinstance(node, list):
        return [_rekey(x, keys, read) for x in node]
    return node


_Unit = tuple[dict[str, Any], frozenset[int]]  # a criterion's two rules under catalog-wide keys, the measures they read


def _distinct_units(trials: Sequence[tuple[CompiledTrial, Sequence[int]]], slots: Sequence[Slot],
                    ) -> tuple[list[_Unit], list[dict[str, int]]]:
    index: dict[str, int] = {}
    units: list[_Unit] = []
    rules_of: list[dict[str, int]] = []
    for compiled, numbers in trials:
        keys: dict[str, str] = {}
        owner: dict[str, int] = {}
        for local, n in zip(compiled.layout, numbers, strict=True):
            g = slots[n]
            keys.update({local.key: g.key, local.lo_key: g.lo_key, local.hi_key: g.hi_key})
            owner.update(dict.fromkeys((g.key, g.lo_key, g.hi_key), n))
        mine: dict[str, int] = {}
        for names in compiled.rules:
            read: set[str] = set()
            pair = [_rekey(compiled.definition[r], keys, read) for r in (names.pass_rule, names.fail_rule)]
            k = index.setdefault(json.dumps(pair, sort_keys=True), len(index))
            if k == len(units):
                units.append(({f"p{k}": pair[0], f"f{k}": pair[1]}, frozenset(owner[key] for key in read)))
            mine[names.criterion_id] = k
        rules_of.append(mine)
    return units, rules_of


def _pack(definition: dict[str, Any], numbers: set[int], slots: Sequence[Slot]) -> Pack:
    digest = hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()[:16]
    ordered = tuple(sorted(numbers))
    return Pack(f"pack@{digest}", definition, ordered, tuple(slots[n] for n in ordered))


def share_catalog(trials: Sequence[tuple[CompiledTrial, Sequence[int]]], measures: Sequence[ir.Measure]) -> SharedCatalog:
    """Every distinct criterion condition of a catalog once, packed into as few engine rulesets as fit.

    `trials`: each compiled trial with the catalog number of each of its measures (`numbers[i]`
    for `compiled.measures[i]`); `measures`: the catalog's measures by number. A criterion's two
    rules are taken from its trial's compiled definition with the trial's fact keys renamed to
    catalog-wide ones (measure n under `slot_of(n, ...)`), so criteria that test the same measures
    the same way are one condition (content-addressed), evaluated once for every trial that has
    it. Conditions are packed in catalog order, next fit, while the pack `fits` the engine with
    its catch-all rule (so no patient can be refused) and its facts carry at most FACT_KEYS keys."""
    slots = [slot_of(n, m) for n, m in enumerate(measures)]
    units, rules_of = _distinct_units(trials, slots)
    anchor = chains_of(_with_anchor({}))
    packs: list[Pack] = []
    pack_of: list[int] = []
    current: dict[str, Any] = {}
    chains: list[tuple[str, ...]] = []
    numbers: set[int] = set()
    for unit, read in units:
        more = chains_of(unit)
        wider = numbers | read
        if current and (sum(1 + slots[n].numeric for n in wider) > FACT_KEYS or not fits(anchor + chains + more)):
            packs.append(_pack(current, numbers, slots))
            current, chains, wider = {}, [], set(read)
        current.update(unit)
        chains += more
        numbers = wider
        pack_of.append(len(packs))
    if current:
        packs.append(_pack(current, numbers, slots))
    packs_of = tuple(tuple(sorted({pack_of[k] for k in mine.values()})) for mine in rules_of)
    return SharedCatalog(tuple(packs), tuple((f"p{k}", f"f{k}") for k in range(len(units))), tuple(rules_of), packs_of)

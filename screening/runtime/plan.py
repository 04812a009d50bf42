"""A screening plan: everything about a catalog that screening a patient needs, computed once.

* every distinct measure of the catalog gets a number, so a patient's values are computed once
  however many trials read them;
* the criteria of every trial go to the engine together (`share_catalog`): each distinct
  condition once, under catalog-wide fact keys, packed into as few engine rulesets ("packs") as
  the engine's limits allow, so one patient is one assertion per pack however many trials
  share a condition; each criterion knows the names of its condition's rules in the packs and
  each trial the packs its criteria are in;
* each criterion knows the measures its explanation reads and, for review criteria, its fixed
  result;
* the code index sorts a patient's records into every query's domain in one pass, and the
  store of values that do not depend on the patient is shared by every screening.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from screening.ruleset import ir
from screening.ruleset.catalog import Catalog, RuleSet
from screening.ruleset.compile import CriterionRules, Pack, share_catalog
from screening.ruleset.formulas import FORMULAS
from screening.runtime.codeindex import CodeIndex
from screening.runtime.results import CriterionResult, ValueSetUse
from screening.runtime.values import SharedValues


@dataclass(frozen=True, eq=False)
class CriterionPlan:
    """One criterion as screening sees it. Compared by identity (it keys the explanation memo)."""

    criterion: ir.CriterionIR
    rules: CriterionRules | None  # its condition's rules in the catalog's packs; None: for review
    numbers: tuple[int, ...]  # the measures its definition reads
    review: CriterionResult | None  # the fixed result of a review criterion
    # id() of each measure object of its leaves -> its number: explanations look their values
    # up by identity (equal measures of different trials are distinct objects, and comparing
    # them is deep)
    number_of: dict[int, int]
    condition: int | None = None  # the number of its condition among the catalog's distinct ones

    @property
    def id(self) -> str:
        return self.criterion.id

    @property
    def is_exclusion(self) -> bool:
        return self.criterion.kind == "exclusion"


@dataclass(frozen=True, eq=False)
class TrialPlan:
    ruleset: RuleSet
    numbers: tuple[int, ...]  # numbers[i]: the catalog number of compiled.measures[i]
    packs: tuple[int, ...]  # the catalog's packs that hold its criteria
    criteria: tuple[CriterionPlan, ...]
    value_sets: tuple[ValueSetUse, ...]  # what the trial's rules read, with their sources
    trial_id: str = field(init=False)
    ids: tuple[str, ...] = field(init=False)  # the criteria's ids, in order
    # where each criterion's status is in a patient's condition statuses (see `condition_statuses`)
    slots: tuple[int, ...] = field(init=False)
    required: tuple[CriterionPlan, ...] = field(init=False)  # the criteria with `missing: fail`

    def __post_init__(self) -> None:
        object.__setattr__(self, "trial_id", self.ruleset.trial_id)
        object.__setattr__(self, "ids", tuple(c.id for c in self.criteria))
        object.__setattr__(self, "slots", tuple(-1 if c.condition is None else 2 * c.condition + c.is_exclusion
                                                for c in self.criteria))
        object.__setattr__(self, "required", tuple(c for c in self.criteria if c.criterion.policy == "fail"))


def condition_statuses(plan: ScreeningPlan, fired: set[str]) -> list[str]:
    """For every distinct condition k, the status of an inclusion (at 2k) and of an exclusion (at
    2k + 1) that has it, given the rules that fired; "review" last (where review criteria point)."""
    out = plan.no_condition_fired.copy()
    effects = plan.rule_effects
    for rule in fired:
        where, says = effects[rule]
        if out[where.start] != "unknown":
            raise RuntimeError(f"condition {where.start // 2}: both pass and fail rules fired")
        out[where] = says
    return out


def code_sets_of(m: ir.Measure) -> tuple[ir.CodeSet, ...]:
    """The code sets a measure reads (its codes and its exceptions)."""
    if isinstance(m, ir.Latest) and m.derive is not None:
        return (m.codes, *(i.codes for i in FORMULAS[m.derive].inputs))
    if isinstance(m, (ir.Latest, ir.LatestResult, ir.LatestRatio)):
        return (m.codes,)
    if isinstance(m, ir.Records):
        return tuple(c for c in (m.codes, m.exclude) if c is not None)
    if isinstance(m, ir.Pairs):
        return code_sets_of(m.anchor) + code_sets_of(m.event)
    return ()


def value_sets_of(measures: tuple[ir.Measure, ...]) -> tuple[ValueSetUse, ...]:
    """Each code set the measures read, once, in order of first use."""
    seen: dict[str, ValueSetUse] = {}
    for m in measures:
        for cs in code_sets_of(m):
            if cs.name not in seen:
                seen[cs.name] = ValueSetUse(name=cs.name, sources=cs.sources)
    return tuple(seen.values())


def review_result(c: ir.CriterionIR) -> CriterionResult:
    return CriterionResult(id=c.id, kind=c.kind, status="review", matched=None, explanation=f"For review: {c.review}",
                           text=c.text, source=c.source_text, review_reason=c.review)


class ScreeningPlan:
    """Per-catalog precomputation for screening (immutable once built, except the shared-value store)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        numbers: dict[ir.Measure, int] = {}
        for rs in catalog.rulesets.values():
            for m in rs.compiled.measures:
                numbers.setdefault(m, len(numbers))
        self.measure_numbers = numbers
        self.measures: tuple[ir.Measure, ...] = tuple(numbers)
        rulesets = list(catalog.rulesets.values())
        trial_numbers = [tuple(numbers[m] for m in rs.compiled.measures) for rs in rulesets]
        shared = share_catalog([(rs.compiled, n) for rs, n in zip(rulesets, trial_numbers, strict=True)], self.measures)
        self.packs: tuple[Pack, ...] = shared.packs
        self.conditions = shared.conditions
        # fired rule name -> (its condition's slots in `condition_statuses`, what it says there)
        self.rule_effects: dict[str, tuple[slice, tuple[str, str]]] = {}
        for k, (pass_rule, fail_rule) in enumerate(shared.conditions):
            self.rule_effects[pass_rule] = (slice(2 * k, 2 * k + 2), ("pass", "fail"))
            self.rule_effects[fail_rule] = (slice(2 * k, 2 * k + 2), ("fail", "pass"))
        self.no_condition_fired = ["unknown"] * (2 * len(shared.conditions)) + ["review"]
        self.trials: dict[str, TrialPlan] = {
            rs.trial_id: self._trial(rs, numbers_of, conditions, packs)
            for rs, numbers_of, conditions, packs in zip(rulesets, trial_numbers, shared.rules, shared.packs_of,
                                                         strict=True)}
        self.index = CodeIndex(self.measures)
        self.shared = SharedValues()

    def _trial(self, rs: RuleSet, numbers: tuple[int, ...], conditions: dict[str, int],
               packs: tuple[int, ...]) -> TrialPlan:
        criteria = tuple(
            CriterionPlan(c, self._rules(c.id, conditions.get(c.id)),
                          tuple(dict.fromkeys(self.measure_numbers[n.measure] for n in c.leaves)),
                          None if c.computable else review_result(c),
                          {id(n.measure): self.measure_numbers[n.measure] for n in c.leaves}, conditions.get(c.id))
            for c in rs.ir.criteria)
        return TrialPlan(rs, numbers, packs, criteria, value_sets_of(rs.compiled.measures))

    def _rules(self, criterion_id: str, condition: int | None) -> CriterionRules | None:
        return None if condition is None else CriterionRules(criterion_id, *self.conditions[condition])

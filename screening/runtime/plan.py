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

    @property
    def id(self) -> str:
        return self.criterion.id

    @property
    def is_exclusion(self) -> bool:
        return self.criterion.kind == "exclusion"


# how the fired rules decide a computable criterion: (id, pass rule, fail rule, the status when
# the pass rule fired, the status when the fail rule fired); a criterion for review: (id, None, ...)
Decision = tuple[str, str | None, str | None, str, str]


def decision(c: CriterionPlan) -> Decision:
    if c.rules is None:
        return (c.id, None, None, "review", "review")
    exclusion = c.is_exclusion
    return (c.id, c.rules.pass_rule, c.rules.fail_rule, "fail" if exclusion else "pass", "pass" if exclusion else "fail")


@dataclass(frozen=True, eq=False)
class TrialPlan:
    ruleset: RuleSet
    numbers: tuple[int, ...]  # numbers[i]: the catalog number of compiled.measures[i]
    packs: tuple[int, ...]  # the catalog's packs that hold its criteria
    criteria: tuple[CriterionPlan, ...]
    value_sets: tuple[ValueSetUse, ...]  # what the trial's rules read, with their sources
    decisions: tuple[Decision, ...] = field(init=False)  # criteria[i] as the fired rules decide it
    required: tuple[CriterionPlan, ...] = field(init=False)  # the criteria with `missing: fail`

    def __post_init__(self) -> None:
        object.__setattr__(self, "decisions", tuple(decision(c) for c in self.criteria))
        object.__setattr__(self, "required", tuple(c for c in self.criteria if c.criterion.policy == "fail"))

    @property
    def trial_id(self) -> str:
        return self.ruleset.trial_id


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
        self.trials: dict[str, TrialPlan] = {
            rs.trial_id: self._trial(rs, *args)
            for rs, *args in zip(rulesets, trial_numbers, shared.rules, shared.packs_of, strict=True)}
        self.index = CodeIndex(self.measures)
        self.shared = SharedValues()

    def _trial(self, rs: RuleSet, numbers: tuple[int, ...], rules: dict[str, CriterionRules],
               packs: tuple[int, ...]) -> TrialPlan:
        criteria = tuple(
            CriterionPlan(c, rules.get(c.id), tuple(dict.fromkeys(self.measure_numbers[n.measure] for n in c.leaves)),
                          None if c.computable else review_result(c),
                          {id(n.measure): self.measure_numbers[n.measure] for n in c.leaves})
            for c in rs.ir.criteria)
        return TrialPlan(rs, numbers, packs, criteria, value_sets_of(rs.compiled.measures))

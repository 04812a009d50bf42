"""Derived values: a `latest:` test with `derive:` uses the value recorded within its window and,
when none is usable, computes one by the named formula (`screening.ruleset.formulas`) from the
latest inputs, with the formula and every input in the evidence; unknown when an input is missing,
stale, censored or in an unusable unit, or when the formula does not apply (a child, a sex other
than female or male).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from screening.core.timewindows import age_years
from screening.core.units import UnitError, convert_value
from screening.ruleset import ir
from screening.ruleset.formulas import FORMULAS, Formula, Input
from screening.runtime.results import Evidence, trusted_evidence
from screening.runtime.values import Value

if TYPE_CHECKING:
    from screening.runtime.facts import PatientFacts


def input_measure(m: ir.Latest, inp: Input) -> ir.Latest:
    """The latest value of one input of m's formula, in the formula's unit and window."""
    return ir.Latest(inp.codes, inp.unit, m.within if inp.windowed else None, inp.molar_mass)


class _Inputs:
    """The latest value of each input of a formula, with their evidence, what is lacking, and the
    date of the first windowed input (the creatinine's: age is taken then)."""

    def __init__(self, facts: PatientFacts, m: ir.Latest, formula: Formula):
        self.values: dict[str, float] = {}
        self.evidence: list[Evidence] = []
        self.lacking: list[str] = []
        self.dated: dt.date | None = None
        for inp in formula.inputs:
            v = facts.observations.latest(input_measure(m, inp))
            self.evidence += v.evidence
            if v.lo is None or v.lo != v.hi:
                self.lacking.append(inp.name + (f" ({v.missing})" if v.missing and v.reason != "missing" else ""))
                continue
            self.values[inp.name] = v.lo
            if self.dated is None and inp.windowed and v.evidence:
                self.dated = v.evidence[0].date


def latest_or_derived(facts: PatientFacts, m: ir.Latest) -> Value:
    recorded = facts.observations.latest(m)
    if recorded.known or m.derive is None:
        return recorded
    formula = FORMULAS[m.derive]
    inputs = _Inputs(facts, m, formula)
    values, lacking, dated = inputs.values, inputs.lacking, inputs.dated
    name = m.codes.describe() + (f" within {m.within}" if m.within else "")
    shown = tuple(recorded.evidence) + tuple(inputs.evidence)
    if lacking:
        return Value(evidence=shown, reason="missing" if not shown else "unusable",
                     missing=f"{name}, or {' and '.join(lacking)} to derive it ({formula.title})")
    age, sex, why = _person(facts, formula, dated or facts.as_of)
    result = formula.compute(values, age, sex) if why is None else None
    if result is None:
        return Value(evidence=shown, missing=name, reason=f"not derivable: {why or formula.title + ' does not apply'}")
    try:
        value = convert_value(float(f"{result:.9g}"), formula.unit, m.unit).value
    except UnitError as e:  # checked when the rule set was lowered
        return Value(evidence=shown, missing=name, reason=f"unusable unit: {e}")
    used = ", ".join(f"{i.name} {values[i.name]:.4g} {i.unit}" for i in formula.inputs)
    person = "; ".join(p for p in (f"age {age}" if formula.needs_age else "", f"sex {sex}" if formula.needs_sex
                                   else "") if p)
    note = (f"derived, no {name} recorded: {formula.text}; from {used}" + (f"; {person}" if person else ""))
    own = trusted_evidence(record="derived", what=formula.title, value=float(f"{result:.4g}"), unit=formula.unit,
                   date=dated, note=note)
    return Value(lo=value, hi=value, evidence=(own, *shown))


def _person(facts: PatientFacts, formula: Formula, on: dt.date) -> tuple[int | None, str | None, str | None]:
    """(age on the inputs' date, sex, why the formula cannot be used) for the formula's needs."""
    age = sex = None
    if formula.needs_age:
        b = facts.p.birth_date
        if b is None or b > on:
            return None, None, "the birth date is not recorded"
        age = age_years(b, on)
    if formula.needs_sex:
        s = facts.p.sex
        if s is None or s.value not in ("female", "male"):
            return age, None, f"the formula needs sex female or male (recorded: {s.value if s else 'none'})"
        sex = s.value
    if age is not None and age < 18:
        return age, sex, f"{formula.title} is for adults (age {age} on {on})"
    return age, sex, None

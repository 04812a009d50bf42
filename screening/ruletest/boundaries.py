"""Boundary checks: probe every threshold and time window of a trial at its edge.

For each numeric comparison (age, latest values, life expectancy, record counts, lesion
diameters) the checker builds patients just inside, exactly on and just outside the limit,
also in other units of the same quantity (creatinine in mg/dL or mmol/L against a umol/L
threshold, cell counts in 10*9/L against 10*3/uL); for each time window (`within`, the
`followed_by` offsets) it places a record on the first day of the window, the day before and
the day after, with screening dates and anchor dates at month ends and around 29 February
(the probes: `screening.ruletest.probes`).

Every probe patient is screened by the real engine (`Screener.outcomes`) and the criterion's
status is compared with the status the IR declares. The expected side is derived apart from
the engine: the probed measure's value comes from the probe itself and is compared with the
IR's operator and threshold; the rest of the criterion is taken from the patient's other facts
and combined by the IR's three-valued semantics (`ruleset.kleene`). A probe counts only when
the probed comparison decides the criterion for that patient (the base patients come from the
trial's cases); probes that no base patient makes decisive are reported as unchecked.

A static check compares every `latest:` threshold as written (e.g. `lt: 2 mg/dL`) with the
IR's threshold in the value set's unit (e.g. 176.8 umol/L), converted with the toolkit's own
table of units.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from patients.model import PatientProfile
from screening.ruleset import ir, kleene
from screening.ruleset.catalog import RuleSet
from screening.ruletest.probes.base import Check, Probe
from screening.ruletest.probes.checks import checks_for
from screening.ruletest.probes.dates import screening_dates
from screening.ruletest.probes.unit_table import sig9, to_unit
from screening.ruletest.rewrite import pin_leaf
from screening.ruletest.written import WrittenThreshold, criterion_lines, latest_thresholds
from screening.runtime.evaluate import Screener
from screening.runtime.explain import status_of
from screening.runtime.facts import PatientFacts
from screening.runtime.required import required_missing


@dataclass
class Problem:
    trial_id: str
    criterion: str
    line: int
    check: str
    probe: str
    expected: str
    actual: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def format(self) -> str:
        return (f"{self.trial_id}:{self.criterion} (line {self.line}): {self.check}: {self.probe}: "
                f"expected {self.expected}, engine gave {self.actual}")


@dataclass
class BoundaryReport:
    trial_id: str
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)  # probe targets no base patient makes decisive
    checks: list[str] = field(default_factory=list)  # what was probed

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"trial": self.trial_id, "probes": self.checked, "checks": self.checks,
                "problems": [p.as_dict() for p in self.problems], "unchecked": self.unchecked}


# --- the static check --------------------------------------------------------------------------


def check_static(rs: RuleSet) -> list[Problem]:
    """`latest:` thresholds as written against the IR's thresholds (unit slips in lowering)."""
    lines = criterion_lines(rs)
    problems = []
    for c in rs.ir.criteria:
        latest = [lf for lf in c.leaves if isinstance(lf, ir.Compare) and isinstance(lf.measure, ir.Latest)]
        for written in latest_thresholds(rs, c.id):
            slip = _unit_slip(written, [lf for lf in latest if lf.op == written.op])
            if slip is not None:
                problems.append(Problem(rs.trial_id, c.id, lines[c.id], "threshold unit", *slip))
    return problems


def _unit_slip(written: WrittenThreshold, candidates: list[ir.Compare]) -> tuple[str, str, str] | None:
    """(probe, expected, actual) when no IR threshold of the same operator is the written one converted."""
    sym = ir.OP_SYMBOL[written.op]
    for lf in candidates:
        m = lf.measure
        assert isinstance(m, ir.Latest)
        want = to_unit(written.value, written.unit, m.unit, m.molar_mass)
        if want is None:
            continue
        if any(abs(sig9(want) - x.value) <= 1e-9 * max(1.0, abs(want)) for x in candidates):
            return None
        return f"written {sym} {written.text}", f"{sym} {sig9(want):g} {m.unit}", f"{sym} {lf.value:g} {lf.unit}"
    return None


# --- the dynamic check -------------------------------------------------------------------------


def expected_status(c: ir.CriterionIR, probe: Probe, facts: PatientFacts) -> tuple[str, bool]:
    """(expected status, decisive): the probed measure's value from the probe, the others from the
    patient's facts; decisive when flipping one probed comparison changes the criterion's truth."""
    assert c.expr is not None
    values: dict[ir.Measure, kleene.MeasureValue] = {}
    for m in ir.measures_of(c.expr):
        values[m] = probe if m == probe.measure else facts.compute(m)
    truth = kleene.truth(c.expr, values.__getitem__)
    decisive = any(
        kleene.truth(pin_leaf(c.expr, i, _flipped(kleene.leaf_truth(leaf, probe))), values.__getitem__) != truth
        for i, leaf in enumerate(c.leaves) if leaf.measure == probe.measure)
    if truth is None and required_missing(c, values.__getitem__) is not None:
        return "fail", decisive  # `missing: fail`: unknown only because data is not recorded at all
    return status_of(c.kind, truth), decisive


def _flipped(t: kleene.Truth) -> bool:
    """The other truth (true for unknown)."""
    return True if t is None else not t


def base_patients(patients: list[PatientProfile]) -> list[dict[str, Any]]:
    """The patients probes change: the cases' patients (each once) and two of the probes' own."""
    out: list[dict[str, Any]] = []
    for p in patients:
        d = p.model_dump(mode="json", exclude_none=True)
        if d not in out:
            out.append(d)
    for sex in ("female", "male"):
        out.append({"id": f"boundary-probe-{sex}", "birth_date": "1970-06-15", "sex": sex})
    return out


def check_trial(screener: Screener, trial_id: str, patients: list[PatientProfile], as_of: dt.date) -> BoundaryReport:
    """Probe every threshold and window of one trial through `screener`'s engine."""
    rs = screener.catalog.get(trial_id)
    report = BoundaryReport(trial_id, problems=check_static(rs))
    probing = _Probing(screener, rs, base_patients(patients), report)
    lines = criterion_lines(rs)
    dates = screening_dates(as_of)
    for c in rs.ir.criteria:
        if c.expr is not None:
            probing.criterion(c, lines[c.id], checks_for(c.expr, dates))
    return report


@dataclass
class _Probing:
    """Runs the probes of one trial and records what they find in `report`."""

    screener: Screener
    rs: RuleSet
    bases: list[dict[str, Any]]
    report: BoundaryReport

    def criterion(self, c: ir.CriterionIR, line: int, checks: Iterable[Check]) -> None:
        decided: dict[str, int] = {}  # check name -> probes that counted (a name may come up twice)
        for check in checks:
            decided[check.name] = decided.get(check.name, 0) + self.check(c, line, check)
        for name, n in decided.items():
            label = f"{c.id}: {name}"
            if n:
                self.report.checks.append(f"{label} ({n} probes)")
            else:
                self.report.unchecked.append(label)

    def check(self, c: ir.CriterionIR, line: int, check: Check) -> int:
        """Run the probes of one check; how many a base patient made decisive."""
        counted = 0
        for probe in check.probes:
            result = self.decisive_outcome(c, probe)
            if result is None:
                continue
            expected, actual = result
            counted += 1
            self.report.checked += 1
            if expected != actual:
                self.report.problems.append(Problem(self.rs.trial_id, c.id, line, check.name, probe.description,
                                                    expected, actual))
        return counted

    def decisive_outcome(self, c: ir.CriterionIR, probe: Probe) -> tuple[str, str] | None:
        """(expected, engine's status) for the first base patient the probe makes decisive."""
        for base in self.bases:
            try:
                profile = PatientProfile.model_validate(probe.edit(copy.deepcopy(base)))
            except ValidationError:
                continue  # e.g. a record dated before this base patient's birth
            expected, decisive = expected_status(c, probe, PatientFacts(profile, probe.as_of))
            if decisive:
                (out,) = self.screener.outcomes(profile, probe.as_of, [self.rs.trial_id])
                return expected, out.statuses[c.id]
        return None


def format_boundaries(reports: list[BoundaryReport], verbose: bool = False) -> str:
    lines = []
    for r in reports:
        lines.append(f"{r.trial_id}: {r.checked} boundary probe(s), {len(r.problems)} disagreement(s)"
                     + (f", {len(r.unchecked)} check(s) left unprobed (no valid patient at the limit, "
                        "or none whose status the limit decides)" if r.unchecked else ""))
        for p in r.problems:
            lines.append("  MISMATCH " + p.format())
        if verbose:
            lines += [f"  checked   {c}" for c in r.checks]
        lines += [f"  unchecked {c}" for c in r.unchecked]
    return "\n".join(lines)

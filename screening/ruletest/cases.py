"""Rule-set test cases: `rules/<TRIAL_ID>/cases.yaml`, loaded with source positions and run
through a `Screener`.

The format is documented for rule-set authors in docs/cases.md. A cases file names a trial, a
default screening date, named base patients and cases::

    trial: NCT01420432
    as_of: 2026-11-22
    patients:
      eligible_male: {id: p1, birth_date: 1984-03-12, sex: male}
    cases:
      - name: creatinine in mg/dL above the limit
        patient: eligible_male            # a base patient's name, or an inline profile mapping
        merge: {observations: [...]}      # optional RFC 7386 merge patch applied to the base
        as_of: 2026-11-22                 # optional
        expect:
          verdict: ineligible             # optional
          criteria: {creatinine_below_176: fail}   # only the criteria listed are checked

`load_cases` validates the file (structural errors raise `RuleSetError` with
`file:line:col: CODE: message` diagnostics); problems that concern one case (an unknown base
patient, an invalid merged profile, an unknown criterion id) stay with that case as
diagnostics, so the other cases still run. `run_case` screens a case and returns a
`CaseResult` with every criterion's actual status (for coverage), the mismatches against
the expectations and a readable expected-vs-actual table.

Diagnostic codes: C001 invalid patient, C002 unknown base patient, C003 unknown criterion id,
C004 unknown trial or trial/folder mismatch, C005 duplicate case name, C006 a patient or merge
patch that is not a mapping; schema errors use the rule-set loader's codes (E0xx).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from patients.model import PatientProfile
from patients.validation import validation_messages
from screening.core.diagnostics import Diagnostic, RuleSetError, did_you_mean
from screening.core.vocab import Status, Verdict
from screening.ruleset.loader import field_places, pydantic_diagnostics
from screening.ruleset.sourcemap import SourceMap, load_yaml
from screening.runtime.evaluate import Screener
from screening.runtime.results import TrialResult

VERDICT_ROW = "(verdict)"


# --- the file format ----------------------------------------------------------------------


class _C(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExpectModel(_C):
    verdict: Verdict | None = None
    criteria: dict[str, Status] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _something(self) -> ExpectModel:
        if self.verdict is None and not self.criteria:
            raise ValueError("expect a verdict or at least one criterion status")
        return self


class CaseModel(_C):
    name: str = Field(min_length=1, max_length=200)
    patient: Any = Field(description="a base patient's name, or an inline patient profile mapping")
    merge: Any = Field(default=None, description="RFC 7386 JSON merge patch applied to the patient")
    as_of: dt.date | None = None
    expect: ExpectModel


class CasesFileModel(_C):
    trial: str = Field(min_length=1)
    as_of: dt.date
    patients: dict[str, dict[str, Any]] = Field(default_factory=dict)
    cases: list[CaseModel] = Field(min_length=1)


def _field_names() -> set[str]:
    names: set[str] = set()
    for cls in (ExpectModel, CaseModel, CasesFileModel):
        names.update(cls.model_fields)
    return names


def _diagnostics(err: ValidationError, smap: SourceMap) -> list[Diagnostic]:
    """The rule-set loader's diagnostics, with fields suggested and placed from the cases format."""
    places = field_places([("the top of the file", CasesFileModel), ("a case", CaseModel), ("expect", ExpectModel)])
    return pydantic_diagnostics(err, smap, _field_names(), places)


# --- loaded cases ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One case, resolved: the patient after the merge patch, or the errors that prevent it."""

    trial_id: str
    name: str
    file: str
    line: int
    column: int
    as_of: dt.date
    patient: PatientProfile | None
    expected_verdict: str | None
    expected: dict[str, str]
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # expected criterion -> line, col
    errors: tuple[Diagnostic, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.trial_id}::{self.name}"

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class CaseSuite:
    path: Path
    trial_id: str
    as_of: dt.date
    cases: tuple[Case, ...]
    smap: SourceMap

    @property
    def errors(self) -> list[Diagnostic]:
        return sorted(d for c in self.cases for d in c.errors)

    def misplaced(self) -> list[Diagnostic]:
        """C004 when a `cases.yaml` is in the folder of another trial than the one it names."""
        folder = self.path.parent.name
        if self.path.name != "cases.yaml" or folder == self.trial_id:
            return []
        return [self.smap.diag(("trial",), "C004", f"cases for trial {self.trial_id!r} are in the folder of {folder!r}")]


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch: mappings merge, anything else (lists too) replaces, null deletes."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def _known_depth(smap: SourceMap, path: tuple[str | int, ...]) -> int:
    p = path
    while p:
        if p in smap.positions:
            return len(p)
        p = p[:-1]
    return 0


def _locate_field(smap: SourceMap, loc: tuple[str | int, ...], roots: list[tuple[str | int, ...]],
                  fallback: tuple[str | int, ...]) -> tuple[int, int]:
    """Position of a patient field: in the merge patch, the inline or the base patient, whichever
    holds the deepest part of the field's path (the case itself when none does)."""
    best, best_depth = fallback, 0
    for root in roots:
        depth = _known_depth(smap, root + loc) - len(root)
        if depth > best_depth:
            best, best_depth = root + loc, depth
    return smap.locate(best)


def _resolve(i: int, c: CaseModel, smap: SourceMap,
             base_patients: dict[str, Any]) -> tuple[PatientProfile | None, list[Diagnostic]]:
    here = ("cases", i)
    roots: list[tuple[str | int, ...]] = []
    if c.merge is not None:
        roots.append(here + ("merge",))
    if isinstance(c.patient, str):
        if c.patient not in base_patients:
            known = ", ".join(base_patients) or "none"
            return None, [smap.diag(here + ("patient",), "C002",
                                    f"case {c.name!r}: unknown base patient {c.patient!r}"
                                    f"{did_you_mean(c.patient, base_patients)}; base patients: {known}")]
        data = base_patients[c.patient]
        roots.append(("patients", c.patient))
    elif isinstance(c.patient, dict):
        data = c.patient
        roots.append(here + ("patient",))
    else:
        return None, [smap.diag(here + ("patient",), "C006",
                                f"case {c.name!r}: patient is a base patient's name or a profile mapping, "
                                f"got {type(c.patient).__name__}")]
    if c.merge is not None:
        if not isinstance(c.merge, dict):
            return None, [smap.diag(here + ("merge",), "C006",
                                    f"case {c.name!r}: merge is a mapping (a JSON merge patch), "
                                    f"got {type(c.merge).__name__}")]
        data = merge_patch(data, c.merge)
    try:
        return PatientProfile.model_validate(data), []
    except ValidationError as e:
        diags = []
        for err, msg in zip(e.errors(include_url=False), validation_messages(e), strict=True):
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            line, col = _locate_field(smap, loc, roots, here + ("patient",))
            diags.append(Diagnostic(smap.file, line, col, "C001", f"case {c.name!r}: invalid patient: {msg}"))
        return None, diags


def load_cases(path: Path | str) -> CaseSuite:
    """Load and validate a cases file; raises `RuleSetError` when the file itself is invalid."""
    path = Path(path)
    data, smap = load_yaml(path)
    if not isinstance(data, dict):
        raise RuleSetError([smap.diag((), "E012", "a cases file is a mapping with trial, as_of, patients and cases")])
    try:
        model = CasesFileModel.model_validate(data)
    except ValidationError as e:
        raise RuleSetError(_diagnostics(e, smap)) from None
    diags: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for i, c in enumerate(model.cases):
        if c.name in seen:
            line = smap.locate(("cases", seen[c.name], "name"))[0]
            diags.append(smap.diag(("cases", i, "name"), "C005", f"duplicate case name {c.name!r} (first at line {line})"))
        seen.setdefault(c.name, i)
    if diags:
        raise RuleSetError(diags)
    cases = []
    for i, c in enumerate(model.cases):
        profile, errors = _resolve(i, c, smap, model.patients)
        line, col = smap.locate(("cases", i))
        positions = {cid: smap.locate(("cases", i, "expect", "criteria", cid)) for cid in c.expect.criteria}
        cases.append(Case(
            trial_id=model.trial, name=c.name, file=smap.file, line=line, column=col,
            as_of=c.as_of or model.as_of, patient=profile, expected_verdict=c.expect.verdict,
            expected=dict(c.expect.criteria), positions=positions, errors=tuple(errors),
        ))
    return CaseSuite(path, model.trial, model.as_of, tuple(cases), smap)


def case_files(rules_root: Path | str) -> list[Path]:
    """Every `<TRIAL_ID>/cases.yaml` under a rule-set folder."""
    return sorted(p for p in Path(rules_root).glob("*/cases.yaml") if p.parent.name != "library")


# --- running ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    criterion: str  # a criterion id, or "(verdict)"
    expected: str
    actual: str
    explanation: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"criterion": self.criterion, "expected": self.expected, "actual": self.actual,
                "explanation": self.explanation}


@dataclass
class CaseResult:
    case: Case
    verdict: str | None = None
    statuses: dict[str, str] = field(default_factory=dict)  # every criterion of the trial, in order
    explanations: dict[str, str] = field(default_factory=dict)
    mismatches: list[Mismatch] = field(default_factory=list)
    verdict_mismatch: Mismatch | None = None
    errors: list[Diagnostic] = field(default_factory=list)
    report: TrialResult | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.mismatches and self.verdict_mismatch is None

    def as_dict(self) -> dict[str, Any]:
        wrong = self.mismatches + ([self.verdict_mismatch] if self.verdict_mismatch else [])
        return {"name": self.case.name, "line": self.case.line, "ok": self.ok, "verdict": self.verdict,
                "errors": [d.format() for d in self.errors], "mismatches": [m.as_dict() for m in wrong]}

    def table(self) -> str:
        """A readable expected-vs-actual table of everything the case checks."""
        c = self.case
        head = f"{c.id}  ({c.location}, as of {c.as_of})"
        if self.errors:
            return head + "\n" + "\n".join("  " + d.format() for d in self.errors)
        rows: list[tuple[str, str, str, str]] = [("criterion", "expected", "actual", "check")]
        if c.expected_verdict is not None:
            rows.append((VERDICT_ROW, c.expected_verdict, self.verdict or "",
                         "ok" if self.verdict_mismatch is None else "MISMATCH"))
        wrong = {m.criterion for m in self.mismatches}
        for cid, want in c.expected.items():
            rows.append((cid, want, self.statuses.get(cid, ""), "MISMATCH" if cid in wrong else "ok"))
        w = [max(len(r[i]) for r in rows) for i in range(3)]
        lines = [head] + [f"  {a:<{w[0]}}  {b:<{w[1]}}  {d:<{w[2]}}  {e}" for a, b, d, e in rows]
        for m in self.mismatches:
            lines.append(f"  why {m.criterion} is {m.actual}: {m.explanation}")
        return "\n".join(lines)


def check_case(case: Case, criterion_ids: Iterable[str]) -> list[Diagnostic]:
    """Expected criterion ids that the trial does not have (with a suggestion)."""
    ids = list(criterion_ids)
    out = []
    for cid in case.expected:
        if cid not in ids:
            line, col = case.positions.get(cid, (case.line, case.column))
            out.append(Diagnostic(case.file, line, col, "C003",
                                  f"case {case.name!r}: unknown criterion {cid!r} for trial {case.trial_id}"
                                  f"{did_you_mean(cid, ids)}"))
    return out


def run_case(screener: Screener, case: Case) -> CaseResult:
    """Screen the case's patient against its trial with `screener` and compare."""
    result = CaseResult(case, errors=list(case.errors))
    rulesets = screener.catalog.rulesets
    if case.trial_id not in rulesets:
        result.errors.append(Diagnostic(case.file, 1, 1, "C004", f"unknown trial {case.trial_id!r}"
                                        f"{did_you_mean(case.trial_id, rulesets)}; known trials: {', '.join(rulesets)}"))
        return result
    result.errors += check_case(case, (c.id for c in rulesets[case.trial_id].ir.criteria))
    if result.errors or case.patient is None:
        return result
    report = screener.screen(case.patient, case.as_of, [case.trial_id]).results[0]
    result.report = report
    result.verdict = report.verdict
    result.statuses = {c.id: c.status for c in report.criteria}
    result.explanations = {c.id: c.explanation for c in report.criteria}
    for cid, want in case.expected.items():
        got = result.statuses[cid]
        if got != want:
            result.mismatches.append(Mismatch(cid, want, got, result.explanations[cid]))
    if case.expected_verdict is not None and case.expected_verdict != report.verdict:
        result.verdict_mismatch = Mismatch(VERDICT_ROW, case.expected_verdict, report.verdict)
    return result


def run_suite(screener: Screener, suite: CaseSuite) -> list[CaseResult]:
    results = [run_case(screener, c) for c in suite.cases]
    misplaced = suite.misplaced()
    for r in results:
        r.errors += misplaced
    return results


def status_coverage(results: Iterable[CaseResult]) -> dict[str, dict[str, set[str]]]:
    """trial id -> criterion id -> the statuses the cases produced (every criterion, not only
    the expected ones): the raw material of a coverage report."""
    cov: dict[str, dict[str, set[str]]] = {}
    for r in results:
        per = cov.setdefault(r.case.trial_id, {})
        for cid, status in r.statuses.items():
            per.setdefault(cid, set()).add(status)
    return cov

"""Lint checks on a validated, lowered rule set: each check has a stable code, one class in
`checks.py` and a pair of fixtures (`tests/fixtures/lint/<CODE>_correct.yaml` and
`<CODE>_incorrect.yaml`). docs/lint-codes.md describes every code for authors, with a wrong and a
right example that the test suite lints.

| code | severity | check |
|------|----------|-------|
| L001 | error    | duplicate criterion id |
| L002 | error    | empty value set |
| L003 | error    | comparisons that no value can satisfy (an age window that cannot be met) |
| L004 | error    | criterion without real source text (empty or a placeholder such as "N/A") |
| L005 | error    | unknown unit in a value set |
| L006 | warning  | value set or concept defined in the trial but never used |
| L007 | error    | trial id differs from its folder name |
| L008 | warning  | age bound outside 0..130 years |
| L009 | warning  | no inclusion criterion |
| L010 | error    | a criterion too complex for the engine (durable_rules expands `any` inside `all` into |
|      |          | one rule path per combination and fires once per true path) |
| L011 | warning  | a value set used for diagnoses has codes of one ICD system only (WHO ICD-10 without |
|      |          | ICD-10-CM, or ICD-10-CM without WHO ICD-10): records coded in the other never match |
| L012 | error    | an `icd10:` / `icd10cm:` code that the classification does not have (checked with the |
|      |          | ICD hierarchy packages), e.g. the ICD-10-CM code E83.11 written as `icd10:E83.11` |
| L013 | warning  | a comparison with a multiple of a limit of normal ('3 x ULN') whose value set states |
|      |          | no `reference_range`: results reported without their own range are unknown |
| L014 | error    | a criterion that alone may make more than 64 of its conditions true together for |
|      |          | one patient (durable_rules' matching stack; larger trials are split automatically) |
| L015 | warning  | `missing: fail` (required data) on a criterion for review, which no data decides |
"""

from __future__ import annotations

from pathlib import Path

from screening.core.diagnostics import Diagnostic
from screening.ruleset.lint.checks import CHECKS, LintContext
from screening.ruleset.lower import Lowered
from screening.ruleset.model import TrialFile
from screening.ruleset.sourcemap import SourceMap

__all__ = ["CHECKS", "LintContext", "lint"]


def lint(trial: TrialFile, lowered: Lowered, smap: SourceMap, path: Path | None = None) -> list[Diagnostic]:
    """Every diagnostic of every check, in file order."""
    ctx = LintContext(trial, lowered, smap, path)
    return sorted(d for check in CHECKS for d in check.run(ctx))

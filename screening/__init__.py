"""trial-screening: clinical-trial eligibility rule sets, compiled to durable_rules, with every
criterion explained as pass, fail, unknown or review.

The public Python API::

    from screening import Screener, load_catalog, load_patient
    screener = Screener(load_catalog())        # the bundled rule sets, or load_catalog("path/to/rules")
    report = screener.screen(load_patient("patients/examples/as_patient.json"), dt.date(2026, 11, 22))

`load_patient` reads a patient profile JSON file or a FHIR R4 Bundle / NDJSON file
(`load_patient_with_warnings` also returns what the FHIR import left out); `parse_patient` and
`profile_from_fhir_json` take already parsed JSON. A report is a `ScreeningReport` of
`TrialResult`s of `CriterionResult`s (`report.model_dump_json()` is the result document).
`add_eligibility_dates(screener, profile, report)` fills each result's `eligible_from` (as
`screening check` and the HTTP API do). Invalid rule sets raise `RuleSetError` (with `file:line:col` diagnostics), invalid patients or
options `InputError`.

Names are loaded on first use, so that `import screening` stays cheap and the low layer
(`screening.core`) can be imported without the pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from screening.core.lazy import lazy_exports

if TYPE_CHECKING:
    from patients.fhir import profile_from_fhir_json
    from patients.io import load_patient, load_patient_with_warnings, parse_patient
    from patients.model import PatientProfile
    from screening.core.diagnostics import Diagnostic, InputError, RuleSetError
    from screening.ruleset.catalog import Catalog, RuleSet, load_catalog
    from screening.runtime.eligibility import add_eligibility_dates
    from screening.runtime.evaluate import Screener
    from screening.runtime.results import CriterionResult, EligibleFrom, ScreeningReport, TrialResult
    from screening.version import ENGINE_VERSION

_EXPORTS = {
    "load_catalog": "screening.ruleset.catalog", "Catalog": "screening.ruleset.catalog",
    "RuleSet": "screening.ruleset.catalog",
    "Screener": "screening.runtime.evaluate",
    "load_patient": "patients.io", "load_patient_with_warnings": "patients.io", "parse_patient": "patients.io",
    "profile_from_fhir_json": "patients.fhir", "PatientProfile": "patients.model",
    "ScreeningReport": "screening.runtime.results", "TrialResult": "screening.runtime.results",
    "CriterionResult": "screening.runtime.results", "EligibleFrom": "screening.runtime.results",
    "add_eligibility_dates": "screening.runtime.eligibility",
    "RuleSetError": "screening.core.diagnostics", "InputError": "screening.core.diagnostics",
    "Diagnostic": "screening.core.diagnostics",
    "ENGINE_VERSION": "screening.version",
}

__all__ = [
    "ENGINE_VERSION", "Catalog", "CriterionResult", "Diagnostic", "EligibleFrom", "InputError", "PatientProfile",
    "RuleSet", "RuleSetError", "Screener", "ScreeningReport", "TrialResult", "add_eligibility_dates", "load_catalog",
    "load_patient",
    "load_patient_with_warnings", "parse_patient", "profile_from_fhir_json",
]
assert sorted(__all__) == sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())

"""Drafted value sets read the codes records carry: the codes of the published VSAC expansions (eGFR,
HbA1c, AST), CVX vaccines, and the library's conditions in every classification."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from patients.model import PatientProfile
from screening.ctgov.draft import draft_study
from screening.ctgov.output import write_draft
from screening.ruleset.catalog import load_catalog
from screening.runtime.evaluate import Screener
from tests.paths import LIBRARY

AS_OF = dt.date(2026, 11, 22)
TEXT = ("Inclusion Criteria:\n\n* eGFR ≥ 60 mL/min/1.73 m2\n* HbA1c ≤ 8%\n* AST ≤ 100 U/L\n* Haemoglobin ≥ 6.2 mmol/L\n\n"
        "Exclusion Criteria:\n\n* Known HIV infection")


@pytest.fixture(scope="module")
def screener(tmp_path_factory: pytest.TempPathFactory) -> Screener:
    record = {"protocolSection": {"identificationModule": {"nctId": "NCT09999998", "briefTitle": "A study"},
                                  "eligibilityModule": {"eligibilityCriteria": TEXT}}}
    root = tmp_path_factory.mktemp("drafted") / "rules"
    write_draft(draft_study(record, "rec.json"), root / "NCT09999998" / "trial.yaml", LIBRARY.parent)
    return Screener(load_catalog(root))


def criterion(screener: Screener, code: str, value: float, unit: str, analyte: str) -> str:
    p = PatientProfile.model_validate({"id": "p", "birth_date": "1970-01-01", "sex": "male", "observations": [
        {"code": {"system": "loinc", "code": code}, "date": "2026-11-01", "value": value, "unit": unit}]})
    trial = screener.screen(p, AS_OF).results[0]
    (c,) = [c for c in trial.criteria if analyte in c.id]
    return c.status


@pytest.mark.parametrize(("code", "value", "unit", "analyte", "status"), [
    ("98980-6", 75, "mL/min/{1.73_m2}", "egfr", "pass"),  # CKD-EPI 2021, creatinine and cystatin C
    ("77147-7", 45, "mL/min/{1.73_m2}", "egfr", "fail"),  # MDRD
    ("17855-8", 7.1, "%", "hba1c", "pass"),  # by calculation
    ("4549-2", 9.0, "%", "hba1c", "fail"),  # by electrophoresis
    ("30239-8", 40, "U/L", "ast", "pass"),  # with P-5'-P
    # haemoglobin in moles, as Dutch laboratories report it (of the haem monomer: 6.2 mmol/L = 10.0 g/dL), and in mass
    ("59260-0", 6.5, "mmol/L", "hemoglobin", "pass"),
    ("59260-0", 5.9, "mmol/L", "hemoglobin", "fail"),
    ("718-7", 10.5, "g/dL", "hemoglobin", "pass"),
    ("718-7", 9.5, "g/dL", "hemoglobin", "fail"),
])
def test_drafted_lab_criteria_read_the_published_codes(screener: Screener, code: str, value: float, unit: str,
                                                        analyte: str, status: str) -> None:
    assert criterion(screener, code, value, unit, analyte) == status


def test_a_drafted_vaccination_window_reads_immunization_records(tmp_path: Path) -> None:
    """'Any vaccination in the 30 days before' drafts the vaccines value set, which reads CVX codes
    (what FHIR Immunization records carry) as well as ATC J07."""
    record = {"protocolSection": {"identificationModule": {"nctId": "NCT09999997", "briefTitle": "A study"},
                                  "eligibilityModule": {"eligibilityCriteria": (
                                      "Inclusion Criteria:\n\n* Age 18 years or older\n\nExclusion Criteria:\n\n"
                                      "* Any vaccination in the 30 days before the first dose")}}}
    root = tmp_path / "rules"
    write_draft(draft_study(record, "rec.json"), root / "NCT09999997" / "trial.yaml", LIBRARY.parent)
    screener = Screener(load_catalog(root))

    def status(code: dict[str, str], day: str) -> str:
        p = PatientProfile.model_validate({"id": "p", "birth_date": "1970-01-01", "sex": "male", "medications": [
            {"code": code, "start": day, "end": day}]})
        (c,) = [c for c in screener.screen(p, AS_OF).results[0].criteria if "vaccin" in c.id]
        return c.status

    flu = {"system": "cvx", "code": "140", "display": "Influenza, seasonal, injectable, preservative free"}
    assert status(flu, "2026-11-08") == "fail"  # given 14 days before: the exclusion applies
    assert status(flu, "2026-09-01") == "pass"
    assert status({"system": "atc", "code": "J07BB02"}, "2026-11-08") == "fail"
    screener.close()


@pytest.mark.parametrize(("code", "status"), [
    ({"system": "snomed", "code": "92564006", "display": "Carcinoma in situ of uterine cervix"}, "pass"),
    ({"system": "icd10cm", "code": "D06.9"}, "pass"),
    ({"system": "icd10", "code": "D06.1"}, "pass"),
    ({"system": "snomed", "code": "363354003", "display": "Malignant tumor of cervix"}, "fail"),
])
def test_a_drafted_cervical_carcinoma_in_situ_exception_reads_every_system(tmp_path: Path, code: dict[str, str],
                                                                           status: str) -> None:
    """'except carcinoma in situ of the cervix' was drafted as WHO ICD-10 D06 only: a SNOMED CT
    (Synthea, mCODE) or ICD-10-CM record of it was not excepted, and excluded the patient."""
    record = {"protocolSection": {"identificationModule": {"nctId": "NCT09999996", "briefTitle": "A study"},
                                  "eligibilityModule": {"eligibilityCriteria": (
                                      "Inclusion Criteria:\n\n* Age 18 years or older\n\nExclusion Criteria:\n\n"
                                      "* History of malignancy within 5 years, except adequately treated carcinoma "
                                      "in situ of the cervix")}}}
    root = tmp_path / "rules"
    write_draft(draft_study(record, "rec.json"), root / "NCT09999996" / "trial.yaml", LIBRARY.parent)
    screener = Screener(load_catalog(root))
    p = PatientProfile.model_validate({"id": "p", "birth_date": "1970-01-01", "sex": "female", "conditions": [
        {"code": code, "onset": "2024-03-01"}]})
    (c,) = [c for c in screener.screen(p, AS_OF).results[0].criteria if "malignan" in c.id]
    screener.close()
    assert c.status == status

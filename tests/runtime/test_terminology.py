"""Terminology in the runtime: every coding of a record counts, codes that only possibly name a
concept and records named like it are possible matches (never silent misses), a diagnosis must
be confirmed (or unstated) to count, and what no value set reads is listed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from patients.io import parse_patient
from screening.ruleset import ir
from screening.ruleset.lower import VERIFIED
from screening.runtime.codeindex import CodeIndex
from screening.runtime.facts import PatientFacts

AS_OF = dt.date(2026, 11, 22)
MALIGNANCY = ir.CodeSet(
    "malignant neoplasm", frozenset({("icd10cm", "C18.8"), ("snomed", "363346000"), ("icd10cm", "C44.91")}),
    names=("malignant neoplasm", "carcinoma", "cancer"), sources=("test set, version 1",))
SKIN_BCC_SCC = ir.CodeSet(
    "basal or squamous cell carcinoma of the skin", frozenset({("icd10cm", "C44.91")}),
    names=("basal cell carcinoma", "squamous cell carcinoma of skin"), possible=frozenset({("icd10", "C44.3")}))
MALIGNANCY_EXCEPT_SKIN = ir.Records(record="condition", codes=MALIGNANCY, exclude=SKIN_BCC_SCC,
                                    filters=VERIFIED, policy="assume_absent")
HIV = ir.CodeSet("HIV infection", frozenset({("icd10cm", "B20")}), possible=frozenset({("icd10", "B24")}))
HIV_QUERY = ir.Records(record="condition", codes=HIV, filters=VERIFIED, policy="assume_absent")


def facts(*conditions: dict[str, Any], indexed: bool = True) -> PatientFacts:
    profile = parse_patient({"id": "p", "birth_date": "1960-01-01", "conditions": list(conditions)}, "test")
    index = CodeIndex([MALIGNANCY_EXCEPT_SKIN, HIV_QUERY]) if indexed else None
    return PatientFacts(profile, AS_OF, index)


def coded(system: str, code: str, display: str | None = None, *others: tuple[str, str], **kw: Any) -> dict[str, Any]:
    return {"code": {"system": system, "code": code, **({"display": display} if display else {})},
            "other_codes": [{"system": s, "code": c} for s, c in others], "onset": "2021-05-01", **kw}


@pytest.fixture(params=[True, False], ids=["indexed", "unindexed"])
def indexed(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def test_a_record_matches_by_any_of_its_codings_and_names_the_one_that_did(indexed: bool) -> None:
    f = facts(coded("snomed", "109838007", "Overlapping malignant neoplasm of colon", ("icd10cm", "C18.8")),
              indexed=indexed)
    v = f.compute(MALIGNANCY_EXCEPT_SKIN)
    assert (v.lo, v.hi) == (1.0, 1.0)
    assert v.evidence[0].what == "icd10cm:C18.8"


def test_an_unrecognised_code_named_like_the_concept_may_match(indexed: bool) -> None:
    f = facts(coded("snomed", "109838007", "Overlapping malignant neoplasm of colon"), indexed=indexed)
    v = f.compute(MALIGNANCY_EXCEPT_SKIN)
    assert (v.lo, v.hi) == (0.0, 1.0)  # not silently absent: possibly one
    assert v.assumption is None
    assert "not coded as malignant neoplasm, but its text names it" in (v.evidence[0].note or "")
    assert "Overlapping malignant neoplasm of colon (snomed:109838007)" == v.evidence[0].what


def test_a_record_named_like_the_exception_is_not_flagged(indexed: bool) -> None:
    f = facts(coded("snomed", "1234567", "Basal cell carcinoma of skin of face"), indexed=indexed)
    v = f.compute(MALIGNANCY_EXCEPT_SKIN)
    assert (v.lo, v.hi) == (0.0, 0.0)


def test_the_exception_by_any_coding(indexed: bool) -> None:
    f = facts(coded("snomed", "363346000", "Malignant neoplastic disease", ("icd10cm", "C44.91")), indexed=indexed)
    assert (f.compute(MALIGNANCY_EXCEPT_SKIN).hi) == 0.0


def test_a_code_that_only_possibly_is_the_exception_may_match(indexed: bool) -> None:
    f = facts(coded("snomed", "363346000", "Malignant neoplastic disease", ("icd10", "C44.3")), indexed=indexed)
    v = f.compute(MALIGNANCY_EXCEPT_SKIN)
    assert (v.lo, v.hi) == (0.0, 1.0)
    assert "may be an exception (basal or squamous cell carcinoma of the skin)" in (v.evidence[0].note or "")


def test_a_code_that_only_possibly_names_the_concept_may_match(indexed: bool) -> None:
    v = facts(coded("icd10", "B24", "Unspecified HIV disease"), indexed=indexed).compute(HIV_QUERY)
    assert (v.lo, v.hi) == (0.0, 1.0)
    assert "its code names HIV infection only possibly" in (v.evidence[0].note or "")
    # certainly coded in another of its codings: certain
    v = facts(coded("icd10", "B24", None, ("icd10cm", "B20")), indexed=indexed).compute(HIV_QUERY)
    assert (v.lo, v.hi) == (1.0, 1.0)


@pytest.mark.parametrize(("status", "count"), [
    (None, (1.0, 1.0)), ("confirmed", (1.0, 1.0)),
    ("provisional", (0.0, 1.0)), ("differential", (0.0, 1.0)), ("unconfirmed", (0.0, 1.0)),
    ("refuted", (0.0, 0.0)), ("entered-in-error", (0.0, 0.0)),
])
def test_only_a_confirmed_or_unstated_diagnosis_establishes_it(status: str | None, count: tuple[float, float]) -> None:
    extra = {"verification_status": status} if status else {}
    v = facts(coded("icd10cm", "B20", "HIV disease", **extra)).compute(HIV_QUERY)
    assert (v.lo, v.hi) == count
    if count == (0.0, 1.0):
        assert f"verification status {status}" in (v.evidence[0].note or "")


def test_what_no_value_set_reads_is_listed() -> None:
    f = facts(coded("snomed", "444814009", "Viral sinusitis"), coded("snomed", "444814009", "Viral sinusitis"),
              coded("snomed", "73211009", "Diabetes", ("icd10cm", "B20")))  # the second coding is read
    listed = [(kind, c.code, paths) for kind, c, paths in f.unrecognised()]
    assert listed == [("condition", "444814009", ["conditions[0]", "conditions[1]"])]


CREATININE = ir.CodeSet("creatinine", frozenset({("loinc", "2160-0")}))
ECOG_ANSWER = ir.CodeSet("ECOG", frozenset({("loinc", "89247-1")}))
SERUM_ALT = ir.CodeSet("ALT", frozenset({("loinc", "1742-6")}))
BMI = ir.CodeSet("body mass index", frozenset({("loinc", "39156-5")}))


def observed(code: str) -> dict[str, Any]:
    return {"code": {"system": "loinc", "code": code}, "date": "2026-11-01", "value": 1.0, "unit": "1"}


def test_observations_read_by_latest_values_and_formula_inputs_are_not_listed_as_unread() -> None:
    """A creatinine read by a `latest` comparison is read by the rules, though by no record query:
    listing it as "not read by any rule" would tell a reviewer to check what the rules did check.
    The inputs of a formula (weight and height for a derived BMI) are read too."""
    profile = parse_patient({"id": "p", "birth_date": "1960-01-01", "observations": [
        observed("2160-0"), observed("89247-1"), observed("1742-6"), observed("29463-7"), observed("8302-2"),
        observed("2339-0")]}, "test")
    index = CodeIndex([ir.Latest(codes=CREATININE, unit="umol/L"), ir.LatestResult(codes=ECOG_ANSWER),
                       ir.LatestRatio(codes=SERUM_ALT, limit="high"),
                       ir.Latest(codes=BMI, unit="kg/m2", derive="bmi")])
    listed = [(kind, c.code) for kind, c, _ in PatientFacts(profile, AS_OF, index).unrecognised()]
    assert listed == [("observation", "2339-0")]  # glucose: no rule reads it

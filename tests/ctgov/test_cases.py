"""Starter cases for drafted rule sets: built from the drafted definitions, they must hold for every
fixture record's draft, and every computable criterion gets a failing case where data can decide it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from screening.ctgov.cases import LABEL, pick, starter_cases
from screening.ctgov.draft import draft_record_file
from screening.ctgov.needs import needs
from screening.ctgov.output import write_draft
from screening.ruleset.catalog import library_files, load_ruleset
from screening.ruleset.loader import load_library
from screening.ruletest.suite import ScreenerPool, run_file
from tests.ctgov.quality import record_files
from tests.paths import LIBRARY

AS_OF = dt.date(2026, 11, 22)


def test_needs_of_definitions() -> None:
    assert needs({"age": {"between": [18, 65]}}, True) == [("age", "ge", 18), ("age", "le", 65)]
    assert needs({"age": {"between": [18, 65]}}, False) == [("age", "lt", 18)]
    assert needs({"age": {"between": [0, 0.5]}}, False) == [("age", "gt", 0.5)]  # no one is younger than 0
    assert needs({"age": {"ge": 0}}, False) is None
    # an exclusion of HIV cannot be made false by data: the diagnosis part stays unknown without one
    assert needs({"ref": "hiv_positive"}, False) is None
    assert needs({"not": {"ref": "hiv_positive"}}, False) == [("record", "condition", "hiv_infection", "recent", None)]
    # any false: every part false; all false: one part false
    assert needs({"any": [{"latest": {"code": "bmi", "lt": "18 kg/m2"}}, {"latest": {"code": "bmi", "gt": "35 kg/m2"}}]},
                 False) == [("obs", "bmi", "ge", "18 kg/m2"), ("obs", "bmi", "le", "35 kg/m2")]
    assert needs({"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}, False) == [("sex", frozenset({"male"}))]
    assert needs({"medication": {"code": "vaccines", "within": "30 days"}}, False) == [
        ("record", "medication", "vaccines", "old", 30)]
    # thresholds by sex, false: a way for each sex that does not ask for the other sex too
    by_sex = {"any": [{"all": [{"sex": ["male"]}, {"latest": {"code": "hemoglobin", "ge": "13 g/dL"}}]},
                      {"all": [{"sex": ["female"]}, {"latest": {"code": "hemoglobin", "ge": "12 g/dL"}}]}]}
    assert needs(by_sex, False) == [("sex", frozenset({"female"})), ("obs", "hemoglobin", "lt", "12 g/dL")]
    assert needs(by_sex, True) == [("sex", frozenset({"male"})), ("obs", "hemoglobin", "ge", "13 g/dL")]


def test_an_infant_s_old_records_are_dated_after_birth() -> None:
    # an infant under 1 year excluded for another trial within 30 days: the passing patient's
    # participation had been dated 120 days back, before the birth 100 days back (an invalid patient)
    criteria = [
        {"id": "age", "kind": "inclusion", "when": {"age": {"lt": 1}}},
        {"id": "trials", "kind": "exclusion", "when": {"participation": {"within": "30 days"}}},
    ]
    starter = starter_cases("T", criteria, {}, AS_OF)
    base = starter.data["patients"]["base"]
    birth = dt.date.fromisoformat(base["birth_date"])
    for p in base.get("administrative", {}).get("trial_participations", []):
        assert birth <= dt.date.fromisoformat(p["start"]) <= dt.date.fromisoformat(p["end"]) < AS_OF - dt.timedelta(days=30)


def test_a_record_kept_out_of_one_window_is_kept_out_of_every_window_of_its_kind() -> None:
    # two exclusions share a value set: steroids within 8 weeks, and immunosuppressants or steroids
    # within a year; the patient meeting both has no steroid in the wider window
    criteria = [
        {"id": "steroids", "kind": "exclusion", "when": {"medication": {"code": "systemic_corticosteroids",
                                                                         "within": "8 weeks"}}},
        {"id": "immunosuppressants", "kind": "exclusion", "when": {"medication": {
            "code": ["immunosuppressive_therapy", "systemic_corticosteroids"], "within": "1 year"}}},
    ]
    codes = {"systemic_corticosteroids": ["atc:H02AB06"], "immunosuppressive_therapy": ["atc:L04AX01"]}
    starter = starter_cases("T", criteria, codes, AS_OF)
    assert starter.base_criteria == ["steroids", "immunosuppressants"]
    medications = starter.data["patients"]["base"]["medications"]
    assert medications and all(dt.date.fromisoformat(m["end"]) < AS_OF - dt.timedelta(days=366) for m in medications)


def test_no_case_is_born_after_the_screening_date() -> None:
    # an age range from birth (a neonatal study: 0 to 12 weeks, in years) is failed by an older patient
    criteria = [{"id": "newborns", "kind": "inclusion", "when": {"age": {"between": [0, 0.23]}}}]
    starter = starter_cases("T", criteria, {}, AS_OF)
    assert starter.failing == ["newborns"] and starter.left_out == []
    births = [starter.data["patients"]["base"]["birth_date"]] + [
        c["merge"]["birth_date"] for c in starter.data["cases"] if "birth_date" in c.get("merge", {})]
    assert all(dt.date.fromisoformat(b) <= AS_OF for b in births)


def test_pick_meets_every_bound() -> None:
    assert pick([("gt", 18.0), ("lt", 70.0)], integer=True) == 19
    assert pick([("ge", 18.0), ("lt", 18.0)]) is None
    assert pick([("le", 140.0), ("gt", 89.0)]) == pytest.approx(93.45)
    assert pick([("lt", 38.0)]) == pytest.approx(36.1)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Every fixture record drafted with its starter cases into one rules folder."""
    root = tmp_path_factory.mktemp("cases") / "rules"
    out = {}
    for path in record_files():
        draft = draft_record_file(path)
        out[draft.summary.trial_id] = write_draft(draft, root / draft.summary.trial_id / "trial.yaml", LIBRARY.parent,
                                                  cases_as_of=AS_OF)
    return out


@pytest.mark.slow
def test_the_starter_cases_of_every_fixture_draft_hold(written: dict[str, object]) -> None:
    pool = ScreenerPool()
    try:
        for nct, w in written.items():
            if not w.starter.data["cases"]:  # type: ignore[attr-defined]
                # nothing computable (an expanded-access record): no cases file, which would be invalid
                assert w.cases is None and not w.starter.failing, nct  # type: ignore[attr-defined]
                assert any("no starter cases" in n for n in w.notes), nct  # type: ignore[attr-defined]
                continue
            run = run_file(pool, w.cases)  # type: ignore[attr-defined]
            assert run.ok, "\n".join(run.format())
            assert run.results and all(r.case.name.startswith(LABEL) for r in run.results), nct
    finally:
        pool.close()


def _required_record(when: dict[str, Any]) -> bool:
    """A record required at any time ('Have undergone an allo-HSCT'): no data shows it absent (a
    missing record is unknown), so data cannot fail the inclusion, as with HIV."""
    return any(isinstance(v, dict) and k in ("condition", "procedure", "medication") and not v.get("within")
               and not v.get("active") and not v.get("except") for k, v in when.items() if v is not None)


@pytest.mark.slow
def test_every_computable_criterion_has_a_failing_case(written: dict[str, object]) -> None:
    for nct, w in written.items():
        starter = w.starter  # type: ignore[attr-defined]
        criteria = _criteria(w.trial)  # type: ignore[attr-defined]
        computable = {c.id for c in criteria if c.when is not None}
        # a multiple of ULN needs the result's reference range: left out of the starter patients
        uln = {c.id for c in criteria if c.when is not None and "x ULN" in str(c.when.model_dump())}
        # an inclusion of HIV-positive patients cannot be failed by data: no record shows someone HIV-negative;
        # nor one that requires a record at any time (a missing record is unknown)
        hiv_in = {c.id for c in criteria if c.kind == "inclusion" and c.when is not None  # type: ignore[attr-defined]
                  and (getattr(c.when, "ref", None) == "hiv_positive" or _required_record(c.when.model_dump()))}
        assert set(starter.failing) == computable - uln - hiv_in, nct
        assert set(starter.base_criteria) <= computable and set(starter.left_out) == uln | hiv_in, nct
        # a multiple of ULN passes in the base case only as one alternative of an `any:` whose other
        # alternative needs no reference range ('creatinine <= 1.5 x ULN or creatinine clearance >= 50 mL/min')
        by_id = {c.id: c for c in criteria}  # type: ignore[attr-defined]
        for cid in set(starter.base_criteria) & uln:
            dumped = by_id[cid].when.model_dump(exclude_none=True)  # type: ignore[attr-defined]
            assert "any" in dumped and any("x ULN" not in str(alt) for alt in dumped["any"]), (nct, cid)
    # HIV exclusions cannot pass in the base case (unknown without a diagnosis or test), but do fail
    starter = written["NCT03934567"].starter  # type: ignore[attr-defined]
    assert "exc_11_infections" in starter.failing and "exc_11_infections" not in starter.base_criteria
    # an HIV inclusion passes in the base case and has no failing case; so does a transplant required
    starter = written["NCT01380080"].starter  # type: ignore[attr-defined]
    assert "inc_01_infections" in starter.base_criteria and "inc_01_infections" in starter.left_out
    starter = written["NCT03147742"].starter  # type: ignore[attr-defined]
    assert "inc_02_allo_hsct" in starter.base_criteria and "inc_02_allo_hsct" in starter.left_out


def _criteria(trial: Path) -> list[object]:
    return list(load_ruleset(trial, load_library(library_files(trial.parent.parent))).model.criteria)


def test_contradicting_criteria_are_left_out_of_the_base_case() -> None:
    criteria = [{"id": "a", "kind": "inclusion", "when": {"age": {"ge": 18}}},
                {"id": "b", "kind": "inclusion", "when": {"age": {"lt": 12}}}]
    codes: dict[str, list[str]] = {}
    s = starter_cases("NCT09999999", criteria, codes, AS_OF)
    assert s.base_criteria == ["a"] and s.failing == ["a", "b"]
    assert s.data["patients"]["base"]["birth_date"] == "2008-08-14"  # 18 on 2026-11-22


def test_an_exclusion_of_active_tuberculosis_has_a_failing_case() -> None:
    # active now: a recent diagnosis fails the exclusion, a resolved one passes it
    assert needs({"ref": "active_tuberculosis"}, True) == [("record", "condition", "tuberculosis", "recent", None)]
    assert needs({"ref": "active_tuberculosis"}, False) == [("record", "condition", "tuberculosis", "resolved", None)]
    criteria = [{"id": "tb", "kind": "exclusion", "when": {"ref": "active_tuberculosis"}}]
    s = starter_cases("NCT09999999", criteria, {"tuberculosis": ["icd10:A15.0"]}, AS_OF)
    assert s.failing == ["tb"] and s.base_criteria == ["tb"]

"""Required data (`missing: fail`): a criterion unknown only because its data is not recorded at
all is not met, and says so; stale, unusable or doubtful data stays unknown. Checked on a worked
study (tests/fixtures/studies/REQUIRED-DATA), against the reference interpretation (tests/oracle.py)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from patients.model import PatientProfile
from screening.cli.main import app
from screening.ruleset.catalog import load_catalog
from screening.runtime.evaluate import Screener
from tests.oracle import Oracle, trial_statuses
from tests.paths import FIXTURES
from tests.patient_gen import AS_OF, cohort

TRIAL = "REQUIRED-DATA"
SCREENED = dt.date(2026, 11, 22)
HBA1C = {"code": {"system": "loinc", "code": "4548-4"}, "date": "2026-10-30", "value": 8.1, "unit": "%"}
HCG = {"code": {"system": "loinc", "code": "2106-3"}, "date": "2026-11-14", "result": "negative"}
BASE: dict[str, Any] = {"id": "req-1", "birth_date": "1968-04-19", "sex": "female", "observations": [HBA1C, HCG],
                        "administrative": {"informed_consent": {"signed": True, "date": "2026-11-15"}}}


def _patient(**changes: Any) -> PatientProfile:
    d = copy.deepcopy(BASE)
    d.update(changes)
    return PatientProfile.model_validate(d)


@pytest.fixture
def study(rules_root: Path) -> Path:
    shutil.copytree(FIXTURES / "studies" / TRIAL, rules_root / TRIAL)
    return rules_root


@pytest.fixture
def screener(study: Path):
    s = Screener(load_catalog(study))
    yield s
    s.close()


def _criterion(screener: Screener, profile: PatientProfile, cid: str):
    (trial,) = screener.screen(profile, SCREENED).results
    return trial, next(c for c in trial.criteria if c.id == cid)


def test_the_study_loads_and_its_cases_cover_every_reachable_outcome(study: Path) -> None:
    assert load_catalog(study).get(TRIAL).warnings == ()
    result = CliRunner().invoke(app, ["test", str(study), "--min-coverage", "100", "--boundaries", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["cases"]["failed"] == 0 and doc["cases"]["passed"] == 14
    assert all(b["problems"] == [] for b in doc["boundaries"])


def test_missing_sex_fails_and_the_result_states_the_policy(screener: Screener) -> None:
    trial, res = _criterion(screener, _patient(sex=None), "inc_women_sex_recorded")
    note = "required data missing: sex: counted as not met (missing: fail)"
    assert (res.status, res.matched) == ("fail", False)
    assert note in res.assumptions and note in res.explanation
    assert res.explanation.startswith("Not met: ")
    assert res.missing_data == ("sex",)
    assert trial.verdict == "ineligible" and note in trial.assumptions


def test_a_missing_required_test_makes_an_exclusion_apply(screener: Screener) -> None:
    _, res = _criterion(screener, _patient(observations=[HBA1C]), "exc_pregnant_test_required")
    assert (res.status, res.matched) == ("fail", True)
    assert res.explanation.startswith("Applies (excluded): required data missing: ")
    assert any(a.endswith("counted as not met (missing: fail)") for a in res.assumptions)


@pytest.mark.parametrize(("changes", "cid"), [
    ({"observations": [{**HBA1C, "date": "2026-06-01"}, HCG]}, "inc_recent_hba1c"),  # stale
    ({"observations": [{**HBA1C, "unit": "mg/dL"}, HCG]}, "inc_recent_hba1c"),  # unusable unit
    ({"observations": [HBA1C, {**HCG, "date": "2026-09-01"}]}, "exc_pregnant_test_required"),  # stale
])
def test_stale_or_unusable_data_stays_unknown(screener: Screener, changes: dict[str, Any], cid: str) -> None:
    _, res = _criterion(screener, _patient(**changes), cid)
    assert res.status == "unknown" and res.matched is None and res.missing_data
    assert not any("missing: fail" in a for a in res.assumptions)


def test_the_known_part_of_an_unknown_criterion_is_kept_apart(screener: Screener) -> None:
    """Age 16 decides `all: [age >= 18, consent]` whatever the consent: a plain fail, no policy."""
    _, res = _criterion(screener, _patient(birth_date="2010-05-01", administrative={}), "inc_adult_or_consented")
    assert res.status == "fail" and res.assumptions == ()
    _, res = _criterion(screener, _patient(administrative={}), "inc_adult_or_consented")
    assert res.status == "fail" and res.assumptions == (
        "required data missing: written informed consent: counted as not met (missing: fail)",)


def test_the_engine_agrees_with_the_reference_interpretation(screener: Screener) -> None:
    ir = screener.catalog.get(TRIAL).ir
    profiles = [_patient(), _patient(sex=None), _patient(observations=[]), _patient(administrative={}),
                _patient(birth_date=None, administrative={}), _patient(observations=[{**HBA1C, "date": "2026-06-01"}]),
                *cohort(300, seed=11)]
    converted = 0
    for p in profiles:
        as_of = SCREENED if p.id.startswith("req") else AS_OF
        (out,) = screener.outcomes(p, as_of)
        assert out.statuses == trial_statuses(ir, p, as_of), p.model_dump_json()
        plain = {c.id: Oracle(p, as_of).status(_unknown_policy(c)) for c in ir.criteria}
        converted += sum(plain[k] == "unknown" and v == "fail" for k, v in out.statuses.items())
    assert converted >= 6  # the policy did decide criteria (and only where the oracle agrees)


def _unknown_policy(c: Any) -> Any:
    return dataclasses.replace(c, policy="unknown")


def test_no_bundled_rule_set_requires_data() -> None:
    """The bundled trials do not use `missing: fail` (their hashes and outputs are unchanged)."""
    assert not [c.id for rs in load_catalog().rulesets.values() for c in rs.ir.criteria if c.policy == "fail"]


def test_explain_names_the_policy(study: Path) -> None:
    result = CliRunner().invoke(app, ["explain", TRIAL, "--rules", str(study)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert result.output.count("missing data: required; not recorded at all counts as not met") == 4


def test_results_from_the_explanation_memo_are_those_explained_afresh(study: Path) -> None:
    """Criteria turned into not met by the policy come through the explanation memo (rendered once
    per outcome, what they quote of a patient's records filled in per patient) as they are
    explained afresh for each patient."""
    catalog = load_catalog(study)
    memo, plain = Screener(catalog), Screener(catalog, memo_size=0)
    try:
        profiles = [_patient(), _patient(sex=None), _patient(observations=[]), _patient(administrative={}),
                    _patient(birth_date=None, administrative={}),
                    _patient(observations=[{**HBA1C, "date": "2026-06-01"}]),
                    _patient(observations=[{**HBA1C, "value": 7.2}, {**HCG, "date": "2026-11-02"}]),
                    *cohort(120, seed=11)]
        policy = 0
        for p in profiles + profiles:
            as_of = SCREENED if p.id.startswith("req") else AS_OF
            got = memo.screen(p, as_of)
            assert got.model_dump_json() == plain.screen(p, as_of).model_dump_json(), p.id
            policy += sum("missing: fail" in c.explanation for t in got.results for c in t.criteria)
        assert policy >= 6 and memo._explained.outcomes
    finally:
        memo.close()
        plain.close()

"""Eligibility dates: the date from which a patient held back only by time becomes eligible, each
one checked by screening the patient again, with the real engine, at that date and the day before."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest

from patients.io import parse_patient
from screening.ruleset.catalog import load_catalog
from screening.runtime.eligibility import add_eligibility_dates, eligible_from, reached
from screening.runtime.evaluate import Screener
from tests.paths import REPO

AS_OF = dt.date(2026, 11, 22)
TRIAL = "NCT02566655"  # osteoporosis: women aged 50 to 70, no trial in 6 months, no malignancy in 10 years
BASE = json.loads((REPO / "patients" / "examples" / "osteoporosis_patient.json").read_text())


@pytest.fixture(scope="module")
def screener() -> Iterator[Screener]:
    s = Screener(load_catalog())
    yield s
    s.close()


def patient(**changes: Any) -> Any:
    doc = copy.deepcopy(BASE)
    for key, value in changes.items():
        if key == "participations":
            doc["administrative"]["trial_participations"] = value
        elif key == "extra_conditions":
            doc["conditions"] += value
        else:
            doc[key] = value
    return parse_patient(doc)


def statuses_at(screener: Screener, profile: Any, day: dt.date) -> dict[str, str]:
    return screener.outcomes(profile, day, [TRIAL])[0].statuses


def confirmed(screener: Screener, profile: Any, expected: dt.date) -> None:
    """The computed date is `expected`, and the engine agrees: every computable criterion passes at
    that date, not the day before."""
    before = statuses_at(screener, profile, AS_OF)
    found = eligible_from(screener, profile, AS_OF, TRIAL, before)
    assert found is not None, before
    assert found.date == expected
    assert found.days == (expected - AS_OF).days
    assert reached(statuses_at(screener, profile, found.date).values())
    assert not reached(statuses_at(screener, profile, found.date - dt.timedelta(days=1)).values())
    assert found.verdict == "undetermined"  # criteria for review are left: eligible pending review
    assert found.pending_review == ["concomitant_systemic_disease", "contraindication_sedation_marrow",
                                    "cannot_understand_consent"]


def test_another_trial_within_6_months(screener: Screener) -> None:
    p = patient(participations=[{"trial_id": "NCT00000999", "start": "2026-03-01", "end": "2026-09-10"}])
    assert statuses_at(screener, p, AS_OF)["trial_within_6_months"] == "fail"
    confirmed(screener, p, dt.date(2027, 3, 11))


def test_malignancy_window(screener: Screener) -> None:
    cancer = {"code": {"system": "icd10", "code": "C50.9", "display": "Breast cancer"},
              "onset": "2016-05-01", "abatement": "2017-02-15", "clinical_status": "resolved"}
    p = patient(extra_conditions=[cancer])
    assert statuses_at(screener, p, AS_OF)["malignancy_10_years"] == "fail"
    confirmed(screener, p, dt.date(2027, 2, 16))


def test_age_not_yet_reached(screener: Screener) -> None:
    p = patient(birth_date="1977-01-15")
    assert statuses_at(screener, p, AS_OF)["age_50_70"] == "fail"
    confirmed(screener, p, dt.date(2027, 1, 15))


def test_several_windows_the_last_one_counts(screener: Screener) -> None:
    cancer = {"code": {"system": "icd10", "code": "C50.9", "display": "Breast cancer"},
              "onset": "2016-05-01", "abatement": "2017-02-15", "clinical_status": "resolved"}
    p = patient(birth_date="1977-01-15", extra_conditions=[cancer],
                participations=[{"trial_id": "NCT00000999", "start": "2026-03-01", "end": "2026-09-10"}])
    confirmed(screener, p, dt.date(2027, 3, 11))


def test_a_criterion_no_date_changes_gives_no_date(screener: Screener) -> None:
    p = patient(sex="male", participations=[{"trial_id": "NCT00000999", "start": "2026-03-01", "end": "2026-09-10"}])
    assert eligible_from(screener, p, AS_OF, TRIAL, statuses_at(screener, p, AS_OF)) is None


def test_too_old_gives_no_date(screener: Screener) -> None:
    p = patient(birth_date="1950-01-15")
    assert statuses_at(screener, p, AS_OF)["age_50_70"] == "fail"
    assert eligible_from(screener, p, AS_OF, TRIAL, statuses_at(screener, p, AS_OF)) is None


def test_already_eligible_pending_review_gives_no_date(screener: Screener) -> None:
    p = patient()
    assert eligible_from(screener, p, AS_OF, TRIAL, statuses_at(screener, p, AS_OF)) is None


def test_report_carries_the_date(screener: Screener) -> None:
    p = patient(participations=[{"trial_id": "NCT00000999", "start": "2026-03-01", "end": "2026-09-10"}])
    report = add_eligibility_dates(screener, p, screener.screen(p, AS_OF, [TRIAL]))
    r = report.results[0]
    assert r.verdict == "ineligible"
    assert r.eligible_from is not None and r.eligible_from.date == dt.date(2027, 3, 11)
    assert r.eligible_from.criteria == ["trial_within_6_months"]
    doc = json.loads(report.model_dump_json())
    assert doc["results"][0]["eligible_from"]["date"] == "2027-03-11"


def test_time_terms_are_read_once_per_criterion(screener: Screener, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each criterion's time terms come from its IR once, not once per patient and trial; a
    criterion equal to another but a distinct object gets its own (the memo keeps them by identity)."""
    from screening.runtime import eligibility
    from tests.patient_gen import AS_OF as COHORT_AS_OF
    from tests.patient_gen import cohort

    read: list[int] = []  # the criteria read, by identity (ids repeat between trials)
    real = eligibility.criterion_terms
    monkeypatch.setattr(eligibility, "criterion_terms", lambda c: read.append(id(c)) or real(c))
    monkeypatch.setattr(eligibility, "_TERMS", {})
    for p in cohort(40, seed=2):
        add_eligibility_dates(screener, p, screener.screen(p, COHORT_AS_OF))
    assert len(read) > 10 and len(read) == len(set(read))
    c = next(c for rs in screener.catalog.rulesets.values() for c in rs.ir.criteria if id(c) in read)
    twin = copy.deepcopy(c)
    assert eligibility.terms_of(twin) == eligibility.terms_of(c) and read[-1] == id(twin) and len(read) == len(set(read))


def test_a_report_whose_trials_are_met_keeps_no_date(screener: Screener) -> None:
    """A result whose computable criteria all pass gets no date, also when it carried one."""
    p = patient()
    report = screener.screen(p, AS_OF, [TRIAL])
    report.results[0].eligible_from = eligible_from(screener, patient(participations=[
        {"trial_id": "NCT00000999", "start": "2026-03-01", "end": "2026-09-10"}]), AS_OF, TRIAL,
        {c.id: "fail" if c.id == "trial_within_6_months" else c.status for c in report.results[0].criteria})
    assert report.results[0].eligible_from is not None
    assert add_eligibility_dates(screener, p, report).results[0].eligible_from is None

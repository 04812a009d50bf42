"""A patient with its own screening date, `{"patient": ..., "as_of": ...}` (the HTTP API's body shape),
and a patient's JSON read as a profile or a FHIR Bundle."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from patients.fhir import profile_to_fhir
from patients.io import patient_from_json, unwrap_dated_patient
from patients.model import PatientProfile
from screening.core.diagnostics import InputError

PROFILE = {"id": "P1", "birth_date": "1980-01-01", "sex": "female"}


def test_a_dated_patient_gives_its_patient_and_date() -> None:
    assert unwrap_dated_patient({"patient": PROFILE, "as_of": "2026-11-01"}) == (PROFILE, dt.date(2026, 11, 1))
    assert unwrap_dated_patient({"patient": PROFILE, "as_of": None}) == (PROFILE, None)
    assert unwrap_dated_patient({"patient": PROFILE}) == (PROFILE, None)
    bundle = profile_to_fhir(PatientProfile.model_validate(PROFILE))
    assert unwrap_dated_patient({"as_of": "2026-11-01", "patient": bundle}) == (bundle, dt.date(2026, 11, 1))


@pytest.mark.parametrize("data", [PROFILE, [1, 2], "text", {"resourceType": "Bundle", "type": "collection"}])
def test_anything_else_is_a_bare_patient(data: Any) -> None:
    assert unwrap_dated_patient(data) == (data, None)


@pytest.mark.parametrize(("data", "message"), [
    ({"patient": PROFILE, "as_of": "2026-02-30"}, "line 4: as_of: '2026-02-30' is not a date (YYYY-MM-DD)"),
    ({"patient": PROFILE, "as_of": 20261101}, "line 4: as_of: a screening date is a string YYYY-MM-DD, not int"),
    ({"patient": PROFILE, "as_of": "1800-01-01"}, "line 4: as_of: the screening date must be between"),
    ({"patient": PROFILE, "trial_ids": ["T1"]}, "line 4: a dated patient has only the keys patient and as_of, "
                                                "not trial_ids"),
    ({**PROFILE, "as_of": "2026-11-01"}, "line 4: as_of goes beside the patient, not in it"),
])
def test_bad_dates_and_keys_name_the_source(data: Any, message: str) -> None:
    with pytest.raises(InputError) as caught:
        unwrap_dated_patient(data, "line 4")
    assert str(caught.value).startswith(message)


def test_patient_json_is_a_profile_or_a_bundle() -> None:
    profile, warnings = patient_from_json(PROFILE, "p")
    assert (profile.id, warnings) == ("P1", [])
    imported, _ = patient_from_json(profile_to_fhir(profile), "p")
    assert imported.id == "P1" and imported.birth_date == profile.birth_date
    with pytest.raises(InputError, match="^p: a patient is a JSON object"):
        patient_from_json([1, 2], "p")

"""The patient profile: strict validation whose every error names the file and the field path."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from patients.io import examples_dir, load_patient, parse_patient
from patients.model import PatientProfile, dump_schema
from patients.validation import field_path
from screening.core.diagnostics import InputError
from tests.paths import REPO

BASE: dict[str, Any] = {"id": "p1", "birth_date": "1980-05-15", "sex": "female"}
CREAT = {"code": {"system": "loinc", "code": "2160-0"}, "date": "2020-01-01", "value": 1.0, "unit": "mg/dL"}
FAR_FUTURE = "2999-01-01"  # later than any real clock


def error_of(data: Any) -> str:
    with pytest.raises(InputError) as info:
        parse_patient(data, "p.json")
    return str(info.value)


def errors_of(data: Any) -> list[str]:
    """The per-field lines of an invalid-patient error."""
    head, *lines = error_of(data).split("\n")
    assert head == "p.json: invalid patient:"
    return [ln.strip() for ln in lines]


def test_the_bundled_examples_load() -> None:
    paths = sorted(examples_dir().glob("*.json"))
    assert paths
    for p in paths:
        prof = load_patient(p)
        assert isinstance(prof, PatientProfile)
        assert prof.id


def test_a_minimal_profile() -> None:
    p = parse_patient({"id": "x"})
    assert p.birth_date is None and p.conditions == [] and p.administrative.pregnant is None


def test_whitespace_is_stripped_and_enums_parsed() -> None:
    p = parse_patient({**BASE, "id": "  p1 ", "conditions": [{"code": {"system": "snomed", "code": "1"},
                                                               "verification_status": "entered-in-error"}]})
    assert p.id == "p1"
    assert p.conditions[0].verification_status is not None
    assert p.conditions[0].verification_status.value == "entered-in-error"


# --- dates ---------------------------------------------------------------------------------


def test_future_birth_date() -> None:
    assert errors_of({**BASE, "birth_date": FAR_FUTURE}) == [f"birth_date: birth date {FAR_FUTURE} is in the future"]


@pytest.mark.parametrize(
    ("section", "record", "field"),
    [
        ("observations", {**CREAT, "date": FAR_FUTURE}, "observations[0].date"),
        ("conditions", {"code": {"system": "snomed", "code": "1"}, "onset": FAR_FUTURE}, "conditions[0].onset"),
        ("medications", {"code": {"system": "atc", "code": "A01"}, "start": FAR_FUTURE}, "medications[0].start"),
        ("procedures", {"code": {"system": "snomed", "code": "1"}, "date": FAR_FUTURE}, "procedures[0].date"),
        ("lesions", {"date": FAR_FUTURE}, "lesions[0].date"),
    ],
)
def test_future_record_dates_name_the_field(section: str, record: dict[str, Any], field: str) -> None:
    assert errors_of({**BASE, section: [record]}) == [f"{field}: date {FAR_FUTURE} is in the future"]


def test_future_administrative_dates() -> None:
    participation: dict[str, Any] = {"trial_participations": [{"start": "2020-01-01", "end": FAR_FUTURE}]}
    assert errors_of({**BASE, "administrative": participation}) == [
        f"administrative.trial_participations[0].end: date {FAR_FUTURE} is in the future"]
    consent: dict[str, Any] = {"informed_consent": {"signed": True, "date": FAR_FUTURE}}
    assert errors_of({**BASE, "administrative": consent}) == [
        f"administrative.informed_consent.date: date {FAR_FUTURE} is in the future"]


def test_dates_before_birth() -> None:
    assert errors_of({**BASE, "observations": [CREAT, {**CREAT, "date": "1979-12-31"}]}) == [
        "observations[1].date: date 1979-12-31 is before the birth date 1980-05-15"]
    adm = {"trial_participations": [{"start": "1970-01-01"}]}
    assert errors_of({**BASE, "administrative": adm}) == [
        "administrative.trial_participations[0].start: date 1970-01-01 is before the birth date 1980-05-15"]


def test_a_record_on_the_birth_day_is_fine() -> None:
    assert parse_patient({**BASE, "observations": [{**CREAT, "date": "1980-05-15"}]}).observations[0].date == dt.date(1980, 5, 15)


def test_implausible_birth_date() -> None:
    assert errors_of({**BASE, "birth_date": "1850-01-01"}) == ["birth_date: birth date 1850-01-01 is not plausible"]


def test_invalid_calendar_date() -> None:
    (line,) = errors_of({**BASE, "birth_date": "1980-02-30"})
    assert line.startswith("birth_date: ")


@pytest.mark.parametrize("value,message", [
    (0, "a date is a string YYYY-MM-DD, not int"), (1.5e9, "a date is a string YYYY-MM-DD, not float"),
    (True, "a date is a string YYYY-MM-DD, not bool"), ("1699920000", "'1699920000' is not a date (YYYY-MM-DD)"),
    ("1980-05-15T00:00:00", "'1980-05-15T00:00:00' is not a date (YYYY-MM-DD)"),
])
def test_dates_are_strings_not_numbers(value: Any, message: str) -> None:
    """Lax parsing read `birth_date: 0` as 1970-01-01: every date of a profile is a YYYY-MM-DD string."""
    assert errors_of({**BASE, "birth_date": value}) == [f"birth_date: {message}"]
    obs = {**CREAT, "date": value}
    assert errors_of({**BASE, "observations": [obs]}) == [f"observations[0].date: {message}"]
    assert parse_patient({**BASE, "birth_date": dt.date(1980, 5, 15)}).birth_date == dt.date(1980, 5, 15)


@pytest.mark.parametrize(
    ("section", "record", "message"),
    [
        ("conditions", {"code": {"system": "snomed", "code": "1"}, "onset": "2020-01-02", "abatement": "2020-01-01"},
         "conditions[0]: abatement 2020-01-01 is before onset 2020-01-02"),
        ("medications", {"code": {"system": "atc", "code": "A01"}, "start": "2020-01-02", "end": "2020-01-01"},
         "medications[0]: end 2020-01-01 is before start 2020-01-02"),
    ],
)
def test_periods_end_after_they_start(section: str, record: dict[str, Any], message: str) -> None:
    assert errors_of({**BASE, section: [record]}) == [message]


# --- types and fields ----------------------------------------------------------------------


def test_a_number_given_as_a_string() -> None:
    assert errors_of({**BASE, "observations": [{**CREAT, "value": "1.0"}]}) == [
        "observations[0].value: Input should be a valid number"]


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"observations": [{**CREAT, "value": True}]}, "observations[0].value"),
        ({"administrative": {"pregnant": "yes"}}, "administrative.pregnant"),
        ({"administrative": {"pregnant": 1}}, "administrative.pregnant"),
        ({"lesions": [{"date": "2020-01-01", "diameter_mm": "3"}]}, "lesions[0].diameter_mm"),
        ({"administrative": {"life_expectancy_months": "12"}}, "administrative.life_expectancy_months"),
        ({"id": 7}, "id"),
        ({"sex": "f"}, "sex"),
        ({"conditions": {"code": "x"}}, "conditions"),
        ({"observations": [{**CREAT, "code": {"system": "LOINC", "code": "2160-0"}}]}, "observations[0].code.system"),
    ],
)
def test_wrong_types_name_the_field(patch: dict[str, Any], field: str) -> None:
    lines = errors_of({**BASE, **patch})
    assert len(lines) == 1
    assert lines[0].startswith(field + ": ")


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"sexx": "female"}, "sexx"),
        ({"observations": [{**CREAT, "units": "mg/dL"}]}, "observations[0].units"),
        ({"administrative": {"informed_consent": {"signed": True, "sign_date": "2020-01-01"}}},
         "administrative.informed_consent.sign_date"),
        ({"medications": [{"code": {"system": "atc", "code": "A01", "version": "2024"}}]}, "medications[0].code.version"),
    ],
)
def test_unknown_fields_name_the_path(patch: dict[str, Any], field: str) -> None:
    assert errors_of({**BASE, **patch}) == [f"{field}: unknown field"]


def test_every_error_is_listed() -> None:
    lines = errors_of({**BASE, "sex": "f", "observations": [{**CREAT, "value": "1"}], "colour": "red"})
    assert sorted(ln.split(":")[0] for ln in lines) == ["colour", "observations[0].value", "sex"]


def test_observation_needs_a_value_or_result_and_unit_needs_a_value() -> None:
    obs = {"code": {"system": "loinc", "code": "1-1"}, "date": "2020-01-01"}
    assert errors_of({**BASE, "observations": [obs]}) == ["observations[0]: an observation needs a `value` or a `result`"]
    assert errors_of({**BASE, "observations": [{**obs, "result": "positive", "unit": "%"}]}) == [
        "observations[0]: `unit` is given without a `value`"]


def test_not_an_object() -> None:
    assert error_of([BASE]) == "p.json: a patient is a JSON object, got list"


def test_field_path_rendering() -> None:
    assert field_path(("observations", 2, "code", "system")) == "observations[2].code.system"
    assert field_path(()) == "(top level)"


# --- files ---------------------------------------------------------------------------------


def test_load_patient_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^.*missing\.json: file not found$"):
        load_patient(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "x",\n  "sex": }\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_patient(bad)
    assert str(info.value).startswith(f"{bad}:2:10: invalid JSON: ")
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({**BASE, "birth_date": FAR_FUTURE}), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_patient(wrong)
    assert str(info.value) == f"{wrong}: invalid patient:\n  birth_date: birth date {FAR_FUTURE} is in the future"


def test_iter_dates_lists_every_dated_field() -> None:
    p = parse_patient({**BASE, "observations": [CREAT],
                       "medications": [{"code": {"system": "atc", "code": "A01"}, "start": "2020-01-01", "end": "2020-02-01"}],
                       "administrative": {"trial_participations": [{"start": "2021-01-01"}],
                                          "informed_consent": {"signed": True, "date": "2022-01-01"}}})
    assert [path for path, _ in p.iter_dates()] == [
        "observations[0].date", "medications[0].start", "medications[0].end",
        "administrative.trial_participations[0].start", "administrative.informed_consent.date",
    ]


def test_dates_after_a_day_are_the_listed_dates_after_it_in_the_same_order() -> None:
    p = parse_patient({**BASE, "observations": [CREAT],
                       "medications": [{"code": {"system": "atc", "code": "A01"}, "start": "2020-01-01", "end": "2021-02-01"}],
                       "administrative": {"trial_participations": [{"start": "2021-01-01", "end": "2022-06-01"}],
                                          "informed_consent": {"signed": True, "date": "2022-01-01"}}})
    every = p.iter_dates()
    assert len(every) == 6
    for day in sorted({d for _, d in every} | {dt.date(1900, 1, 1), dt.date(2030, 1, 1)}):
        assert p.dates_after(day) == [(path, d) for path, d in every if d > day], day
    assert p.dates_after(None) == every


def test_json_schema_describes_the_profile() -> None:
    schema = json.loads(dump_schema())
    assert schema["additionalProperties"] is False
    assert {"id", "birth_date", "observations", "administrative"} <= set(schema["properties"])
    assert schema["required"] == ["id"]


def test_the_published_schema_file_is_current() -> None:
    """patients/patient.schema.json is what `screening schema` prints (regenerate it when the model changes)."""

    published = REPO / "patients" / "patient.schema.json"
    assert published.read_text(encoding="utf-8") == dump_schema() + "\n", "run: screening schema > patients/patient.schema.json"

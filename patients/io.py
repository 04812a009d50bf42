"""Read patient profiles from JSON files, with errors that name the file and the field. A patient file
(a profile, a FHIR Bundle or NDJSON) larger than `$SCREENING_MAX_PATIENT_FILE_BYTES` (default 64 MiB)
is refused before it is parsed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from patients import fhir
from patients.model import PatientProfile
from patients.units import read_units
from patients.validation import validation_messages
from screening.core.dates import screening_date
from screening.core.diagnostics import InputError
from screening.core.files import FileTooLarge, UnreadableFile, decode_utf8, read_bounded, size_limit
from screening.core.jsonread import BOM, JsonError, input_error, read_json

MAX_FILE_ENV = "SCREENING_MAX_PATIENT_FILE_BYTES"
DEFAULT_MAX_FILE = 64 * 1024 * 1024  # a Synthea bundle of a long life is some tens of MB


def patient_size_limit() -> int:
    """The most bytes one patient's input may hold ($SCREENING_MAX_PATIENT_FILE_BYTES): a file, a
    line of JSON Lines, a Parquet cell, a Bulk Data patient's records. Raises `UnreadableFile` for a
    setting that is not a whole number."""
    return size_limit(MAX_FILE_ENV, DEFAULT_MAX_FILE)


def patient_too_large(max_bytes: int, what: str = "the patient") -> FileTooLarge:
    """The error for one patient's input larger than `max_bytes`, naming the setting."""
    return FileTooLarge(max_bytes, MAX_FILE_ENV, DEFAULT_MAX_FILE, what=what)


def parse_patient(data: Any, source: str = "patient") -> PatientProfile:
    if not isinstance(data, dict):
        raise InputError(f"{source}: a patient is a JSON object, got {type(data).__name__}")
    try:
        return PatientProfile.model_validate(data)
    except ValidationError as e:
        raise InputError(f"{source}: invalid patient:\n  " + "\n  ".join(validation_messages(e))) from None


def patient_from_json(data: Any, source: str = "patient") -> tuple[PatientProfile, list[str]]:
    """One patient's parsed JSON: a FHIR Bundle (or list of resources) is imported, with the import's
    warnings; anything else is read as a profile, its lab spellings of units as UCUM (with warnings)."""
    if fhir.is_fhir_json(data):
        return fhir.profile_from_fhir_json(data, source)
    return read_units(parse_patient(data, source))


DATED_PATIENT_KEYS = ("patient", "as_of")


def unwrap_dated_patient(data: Any, source: str = "patient") -> tuple[Any, dt.date | None]:
    """A patient with its own screening date, `{"patient": <profile or Bundle>, "as_of": "YYYY-MM-DD"}`
    (the shape of the HTTP API's `POST /screen` body; `as_of` may be left out or null), gives the
    patient's JSON and the date; anything else is a bare patient, without a date of its own.
    A bad date, or another key beside them, raises `InputError` naming `source`."""
    if not isinstance(data, dict) or "resourceType" in data:
        return data, None
    if "patient" not in data:
        if "as_of" in data:
            raise InputError(f'{source}: as_of goes beside the patient, not in it: '
                             '{"patient": <profile or FHIR Bundle>, "as_of": "YYYY-MM-DD"}')
        return data, None
    other = [k for k in data if k not in DATED_PATIENT_KEYS]
    if other:
        raise InputError(f"{source}: a dated patient has only the keys patient and as_of, not {', '.join(other)}")
    as_of = data.get("as_of")
    try:
        return data["patient"], None if as_of is None else screening_date(as_of)
    except ValueError as e:
        raise InputError(f"{source}: as_of: {e}") from None


def load_patient(path: Path | str) -> PatientProfile:
    """A patient profile JSON file, or a FHIR R4 Bundle / NDJSON file (imported; see
    `load_patient_with_warnings` for what the import left out)."""
    return load_patient_with_warnings(path)[0]


def load_patient_with_warnings(path: Path | str) -> tuple[PatientProfile, list[str]]:
    """Like `load_patient`, with the warnings of a FHIR import (empty for a profile file)."""
    path = Path(path)
    try:
        _, text = decode_utf8(read_bounded(path, MAX_FILE_ENV, DEFAULT_MAX_FILE))
    except UnreadableFile as e:
        raise InputError(f"{path}: {e}") from None
    if path.suffix.lower() == ".ndjson":
        return fhir.profile_from_fhir_json(fhir.parse_ndjson(text, str(path)), str(path))
    try:
        data = read_json(text)
    except JsonError as e:
        if e.reason == "Extra data" and text.lstrip(f" \t\r\n{BOM}").startswith("{") and '"resourceType"' in text[:2000]:
            return fhir.profile_from_fhir_json(fhir.parse_ndjson(text, str(path)), str(path))
        raise input_error(str(path), e) from None
    return patient_from_json(data, str(path))


def examples_dir() -> Path:
    return Path(__file__).resolve().parent / "examples"

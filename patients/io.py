"""Read patient profiles from JSON files, with errors that name the file and the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from patients import fhir
from patients.model import PatientProfile
from patients.units import read_units
from patients.validation import validation_messages
from screening.core.diagnostics import InputError
from screening.core.files import UnreadableFile, read_utf8


def parse_patient(data: Any, source: str = "patient") -> PatientProfile:
    if not isinstance(data, dict):
        raise InputError(f"{source}: a patient is a JSON object, got {type(data).__name__}")
    try:
        return PatientProfile.model_validate(data)
    except ValidationError as e:
        raise InputError(f"{source}: invalid patient:\n  " + "\n  ".join(validation_messages(e))) from None


def load_patient(path: Path | str) -> PatientProfile:
    """A patient profile JSON file, or a FHIR R4 Bundle / NDJSON file (imported; see
    `load_patient_with_warnings` for what the import left out)."""
    return load_patient_with_warnings(path)[0]


def load_patient_with_warnings(path: Path | str) -> tuple[PatientProfile, list[str]]:
    """Like `load_patient`, with the warnings of a FHIR import, or of a profile's units read as UCUM."""
    path = Path(path)
    try:
        _, text = read_utf8(path)
    except UnreadableFile as e:
        raise InputError(f"{path}: {e}") from None
    if path.suffix.lower() == ".ndjson":
        return fhir.profile_from_fhir_json(fhir.parse_ndjson(text, str(path)), str(path))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data" and text.lstrip().startswith("{") and '"resourceType"' in text[:2000]:
            return fhir.profile_from_fhir_json(fhir.parse_ndjson(text, str(path)), str(path))
        raise InputError(f"{path}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from None
    if fhir.is_fhir_json(data):
        return fhir.profile_from_fhir_json(data, str(path))
    return read_units(parse_patient(data, str(path)))


def examples_dir() -> Path:
    return Path(__file__).resolve().parent / "examples"

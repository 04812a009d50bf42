"""Import FHIR R4 into the patient profile.

Input: one Bundle (collection, transaction, batch, searchset or document) or NDJSON (one resource
per line) holding one patient's record. Resources are parsed with fhir.resources (its R4B
models, which read R4 data). Mapped: Patient (birth date, sex), Condition, Observation (each
component as an observation of its own), MedicationStatement, MedicationRequest,
MedicationAdministration (with contained or referenced Medication), Immunization (a vaccine given,
as a medication record of its day), Procedure, Encounter,
AllergyIntolerance, ResearchSubject (trial participation) and Consent (research consent); and what `patients.fhir.export` writes
beyond plain FHIR: the `diagnostic-criteria` extension of a Condition, lesion assessments
(Observations of the project's `lesion-assessment` code system) and undated status Observations
(pregnancy status LOINC 82810-3 and the project's `screening-status` codes), which fill
`administrative`. Codes keep their system (LOINC, SNOMED CT, ICD-10, ICD-10-CM, ICD-10-PCS, CPT,
HCPCS, ATC, RxNorm, CVX, or `local` for a clearly local system); a record keeps every coding of its
concept in those systems (`code` and `other_codes`), and they reach criteria through the rule
library's value sets.

Each resource type has its mapper in `patients.fhir.resources`; this module chooses whose record
the input is (`patients.fhir.owner`), hands each record to its mapper and assembles the profile.

What cannot be mapped is kept out of the profile and reported as a warning naming the resource
and the field; nothing is guessed. Malformed input raises `screening.core.diagnostics.InputError`.

    profile, warnings = profile_from_fhir_json(json.load(f))
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from patients.fhir.bundle import MAPPED, REFERENCED, SUBJECT_FIELD, Bundle, Entry, read_bundle
from patients.fhir.import_warnings import Warnings
from patients.fhir.owner import owner
from patients.fhir.resources import patient
from patients.fhir.resources.allergy import allergy
from patients.fhir.resources.condition import condition
from patients.fhir.resources.consent import consent, latest
from patients.fhir.resources.context import ImportContext
from patients.fhir.resources.encounter import encounter
from patients.fhir.resources.immunization import immunization
from patients.fhir.resources.lesion import lesion, lesion_kind
from patients.fhir.resources.medication import (
    medication_administration,
    medication_request,
    medication_statement,
)
from patients.fhir.resources.observation import observation
from patients.fhir.resources.procedure import procedure
from patients.fhir.resources.research import research_subject
from patients.fhir.resources.status import status_field, status_value
from patients.fhir.text import parse_fhir_text
from patients.model import Administrative, Consent, PatientProfile, TrialParticipation
from patients.validation import validation_messages
from screening.core.diagnostics import InputError

__all__ = ["profile_from_fhir_json", "profile_from_fhir_text"]


RecordMapper = Callable[[ImportContext, Entry], list[Any]]

# resource type -> the profile's list of records it fills, and its mapper. Observations (results,
# lesion assessments or statuses), ResearchSubject and Consent are mapped by `_map_records`.
RECORD_MAPPERS: dict[str, tuple[str, RecordMapper]] = {
    "Condition": ("conditions", condition),
    "Procedure": ("procedures", procedure),
    "MedicationStatement": ("medications", medication_statement),
    "MedicationRequest": ("medications", medication_request),
    "MedicationAdministration": ("medications", medication_administration),
    "Immunization": ("medications", immunization),
    "Encounter": ("encounters", encounter),
    "AllergyIntolerance": ("allergies", allergy),
}
PROFILE_LISTS = ("conditions", "observations", "medications", "procedures", "lesions", "encounters", "allergies")


@dataclass
class _Mapped:
    """What the mappers give for the records of one input, in input order."""

    records: dict[str, list[Any]] = field(default_factory=lambda: {name: [] for name in PROFILE_LISTS})
    statuses: dict[str, Any] = field(default_factory=dict)
    participations: list[TrialParticipation] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)


def profile_from_fhir_json(data: dict[str, Any] | list[Any], source: str = "FHIR input",
                           local_systems: Iterable[str] = ()) -> tuple[PatientProfile, list[str]]:
    """A FHIR Bundle (dict) or a list of resources (parsed NDJSON) -> (profile, warnings).

    `local_systems` lists extra code-system URIs to import as `local` codes.
    Raises InputError for malformed input (naming the entry, resource and field).
    """
    b = read_bundle(data, source)
    w = Warnings()
    patients = [e for e in b.entries if e.rtype == "Patient"]
    clinical = [e for e in b.entries if e.rtype in SUBJECT_FIELD]
    for e in patients + clinical:
        b.parse(e)
    chosen, pid, records = owner(b, w, patients, clinical)

    ctx = ImportContext(b, w, frozenset(local_systems))
    sex = None
    if chosen is not None:
        ctx.birth = patient.birth_date(ctx, chosen)
        sex = patient.sex(ctx, chosen)
    else:
        w.note(f"no Patient resource: the profile {pid!r} has no birth date or sex")
    mapped = _map_records(ctx, records)
    _note_unused(b, w)
    try:
        profile = PatientProfile(
            id=pid, birth_date=ctx.birth, sex=sex, **mapped.records,
            administrative=Administrative(informed_consent=latest(mapped.consents),
                                          trial_participations=mapped.participations, **mapped.statuses),
        )
    except ValidationError as err:
        raise InputError(f"{source}: the imported profile is invalid:\n  " + "\n  ".join(validation_messages(err))) from None
    return profile, w.lines()


def profile_from_fhir_text(text: str, source: str = "FHIR input",
                           local_systems: Iterable[str] = ()) -> tuple[PatientProfile, list[str]]:
    """JSON (a Bundle) or NDJSON text -> (profile, warnings), as `profile_from_fhir_json`."""
    return profile_from_fhir_json(parse_fhir_text(text, source), source, local_systems)


def _map_records(ctx: ImportContext, records: list[Entry]) -> _Mapped:
    mapped = _Mapped()
    for e in records:
        if e.rtype in RECORD_MAPPERS:
            name, mapper = RECORD_MAPPERS[e.rtype]
            mapped.records[name] += mapper(ctx, e)
        elif e.rtype == "Observation":
            _map_observation(ctx, e, mapped)
        elif e.rtype == "ResearchSubject":
            mapped.participations += research_subject(ctx, e)
        elif e.rtype == "Consent" and (c := consent(ctx, e)) is not None:
            mapped.consents.append(c)
    return mapped


def _map_observation(ctx: ImportContext, e: Entry, mapped: _Mapped) -> None:
    """An Observation is a lesion assessment, an undated status or a result."""
    if (kind := lesion_kind(e.model)) is not None:
        mapped.records["lesions"] += lesion(ctx, e, kind)
    elif (name := status_field(e.model)) is not None:
        v = status_value(ctx, e, name)
        if v is not None:
            if name in mapped.statuses and mapped.statuses[name] != v:
                ctx.warn(e, "value[x]", f"contradicts an earlier {name.replace('_', ' ')} status: the last one stands")
            mapped.statuses[name] = v
    else:
        mapped.records["observations"] += observation(ctx, e)


def _note_unused(b: Bundle, w: Warnings) -> None:
    unused = Counter(e.rtype for e in b.entries if e.rtype not in MAPPED | REFERENCED)
    if unused:
        w.note("not used for screening: " + ", ".join(f"{n} {t}" for t, n in sorted(unused.items(), key=lambda x: (-x[1], x[0]))))

"""Import FHIR R4 into the patient profile.

Input: one Bundle (collection, transaction, batch, searchset or document) or NDJSON (one resource
per line) holding one patient's record. Resources are parsed with fhir.resources (its R4B
models, which read R4 data). Mapped: Patient (birth date, sex), Condition, Observation (each
component as an observation of its own), MedicationStatement, MedicationRequest,
MedicationAdministration (with contained or referenced Medication), Procedure, ResearchSubject
(trial participation) and Consent (research consent); and what `patients.fhir.export` writes
beyond plain FHIR: the `diagnostic-criteria` extension of a Condition, lesion assessments
(Observations of the project's `lesion-assessment` code system) and undated status Observations
(pregnancy status LOINC 82810-3 and the project's `screening-status` codes), which fill
`administrative`. Codes keep their system (LOINC, SNOMED CT,
ICD-10, ICD-10-CM, ATC, RxNorm, or `local` for a clearly local system) and reach criteria
through the rule library's value sets.

What cannot be mapped is kept out of the profile and reported as a warning naming the resource
and the field; nothing is guessed. Malformed input raises `screening.core.diagnostics.InputError`.

    profile, warnings = profile_from_fhir_json(json.load(f))
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from patients.fhir.bundle import (
    MAPPED,
    REFERENCED,
    SUBJECT_FIELD,
    TYPED_REF,
    Bundle,
    Entry,
    Warnings,
    join_limited,
    patient_id_from,
    read_bundle,
)
from patients.fhir.resources import patient
from patients.fhir.resources.condition import condition
from patients.fhir.resources.consent import consent, latest
from patients.fhir.resources.context import ImportContext
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
from patients.model import Administrative, Consent, PatientProfile, TrialParticipation
from patients.validation import validation_messages
from screening.core.diagnostics import InputError

__all__ = ["is_fhir_json", "parse_fhir_text", "profile_from_fhir_json", "profile_from_fhir_text"]


def is_fhir_json(data: Any) -> bool:
    """Does parsed JSON look like FHIR (a resource, or a list of resources) rather than a
    native patient profile? A profile never has `resourceType`."""
    if isinstance(data, dict):
        return "resourceType" in data
    if isinstance(data, list) and data:
        return isinstance(data[0], dict) and "resourceType" in data[0]
    return False


def parse_fhir_text(text: str, source: str = "FHIR input") -> Any:
    """JSON (a Bundle) or NDJSON (one resource per line) -> parsed data (a dict or a list)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg != "Extra data":
            raise InputError(f"{source}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from None
    return parse_ndjson(text, source)


def parse_ndjson(text: str, source: str = "FHIR input") -> list[Any]:
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise InputError(f"{source}:{n}:{e.colno}: invalid JSON on NDJSON line {n}: {e.msg}") from None
    if not out:
        raise InputError(f"{source}: empty NDJSON: no resources")
    return out


def profile_from_fhir_text(text: str, source: str = "FHIR input",
                           local_systems: Iterable[str] = ()) -> tuple[PatientProfile, list[str]]:
    return profile_from_fhir_json(parse_fhir_text(text, source), source, local_systems)


RecordMapper = Callable[[ImportContext, Entry], list[Any]]

# resource type -> the profile's list of records it fills, and its mapper. Observations (results,
# lesion assessments or statuses), ResearchSubject and Consent are mapped by `_map_records`.
RECORD_MAPPERS: dict[str, tuple[str, RecordMapper]] = {
    "Condition": ("conditions", condition),
    "Procedure": ("procedures", procedure),
    "MedicationStatement": ("medications", medication_statement),
    "MedicationRequest": ("medications", medication_request),
    "MedicationAdministration": ("medications", medication_administration),
}
PROFILE_LISTS = ("conditions", "observations", "medications", "procedures", "lesions")


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
    chosen, pid, records = _owner(b, w, patients, clinical)

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


def _owner(b: Bundle, w: Warnings, patients: list[Entry],
           clinical: list[Entry]) -> tuple[Entry | None, str, list[Entry]]:
    """Whose record this is: (the Patient entry or None, the profile id, the entries to map).

    Every record must be about one and the same patient. A record without a subject is taken to
    be about the input's patient. A subject that is not a patient (a Group, a Device) leaves the
    record out with a warning."""
    owners: dict[tuple[str, str], list[Entry]] = {}
    records = []
    for e in clinical:
        f = SUBJECT_FIELD[e.rtype]
        ref = getattr(e.model, f)
        if ref is None or not ref.reference:
            records.append(e)
            continue
        target = b.resolve(e, f, ref.reference)
        if target is not None:
            if target.rtype != "Patient":
                w.add(e, f, f"refers to {target.label}, not a patient: not imported")
                continue
            key = ("entry", target.where)
        else:
            rtype, rid = _type_id(ref.reference)
            if rtype != "Patient":
                w.add(e, f, f"refers to {rtype}/{rid}, not a patient: not imported")
                continue
            key = ("external", rid)
        owners.setdefault(key, []).append(e)
        records.append(e)
    if len(owners) > 1:
        shown = []
        for es in list(owners.values())[:3]:
            f = SUBJECT_FIELD[es[0].rtype]
            shown.append(f"{es[0].where} ({es[0].label}) {f} -> {getattr(es[0].model, f).reference}")
        raise InputError(f"{b.source}: the input holds records of more than one patient: " + "; ".join(shown))
    chosen: Entry | None = None
    if owners:
        (kind, value), es = next(iter(owners.items()))
        if kind == "entry":
            chosen = next(p for p in patients if p.where == value)
        elif patients:
            f = SUBJECT_FIELD[es[0].rtype]
            raise InputError(f"{b.source}: {es[0].where} ({es[0].label}) {f}: refers to Patient/{value}, which is not "
                             f"in the input (its patient is {patients[0].label})")
        else:
            return None, value, records
    elif patients:
        chosen = patients[0]
    elif clinical:
        raise InputError(f"{b.source}: no Patient resource and no subject reference: cannot tell whose records these are")
    else:
        raise InputError(f"{b.source}: no Patient resource: nothing to import")
    if len(patients) > 1:
        others = [p.label for p in patients if p is not chosen]
        w.note(f"{len(patients)} Patient resources: the profile is {chosen.label}; ignored: {join_limited(others)}")
    pid = patient.profile_id(chosen) or patient_id_from(chosen)
    if pid is None:
        raise InputError(f"{b.source}: {chosen.where} (Patient): neither an id nor a fullUrl; the profile needs an id")
    if len(pid) > 128:
        raise InputError(f"{b.source}: {chosen.where} (Patient) id: longer than 128 characters")
    return chosen, pid, records


def _type_id(reference: str) -> tuple[str, str]:
    m = TYPED_REF.search(reference.strip())
    if m is None:  # resolve() has already rejected references of any other form
        raise AssertionError(reference)
    return m.group(1), m.group(2)

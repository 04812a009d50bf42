"""Whose record a FHIR input is: the one patient all its records are about.

Every record must be about one and the same patient. A record without a subject is taken to be
about the input's patient. A subject that is not a patient (a Group, a Device) leaves the record
out with a warning. Records of more than one patient, or a subject that cannot be told, raise
`InputError`.
"""

from __future__ import annotations

from typing import NamedTuple

from patients.fhir.bundle import SUBJECT_FIELD, TYPED_REF, Bundle, Entry
from patients.fhir.import_warnings import Warnings, join_limited
from patients.fhir.resources.patient import profile_id
from screening.core.diagnostics import InputError

ID_MAX = 128

Subject = tuple[str, str]  # ("entry", where the Patient entry is) or ("external", the Patient's id)


class Owner(NamedTuple):
    patient: Entry | None  # the Patient entry; None for a patient known only by its id
    profile_id: str
    records: list[Entry]  # the entries to map


def owner(b: Bundle, w: Warnings, patients: list[Entry], clinical: list[Entry]) -> Owner:
    """The patient of the input (`patients` are its Patient entries, `clinical` its records)."""
    subjects, records = _records_by_subject(b, w, clinical)
    chosen = _chosen_patient(b, subjects, patients, clinical)
    if isinstance(chosen, str):
        return Owner(None, chosen, records)
    if len(patients) > 1:
        others = [p.label for p in patients if p is not chosen]
        w.note(f"{len(patients)} Patient resources: the profile is {chosen.label}; ignored: {join_limited(others)}")
    pid = profile_id(chosen)
    if pid is None:
        raise InputError(f"{b.source}: {chosen.where} (Patient): neither an id nor a fullUrl; the profile needs an id")
    if len(pid) > ID_MAX:
        raise InputError(f"{b.source}: {chosen.where} (Patient) id: longer than {ID_MAX} characters")
    return Owner(chosen, pid, records)


def _records_by_subject(b: Bundle, w: Warnings,
                        clinical: list[Entry]) -> tuple[dict[Subject, list[Entry]], list[Entry]]:
    """The records of each patient a subject reference names, and the records to map (those
    without a subject too; not those about something other than a patient)."""
    subjects: dict[Subject, list[Entry]] = {}
    records = []
    for e in clinical:
        f = SUBJECT_FIELD[e.rtype]
        ref = getattr(e.model, f)
        if ref is None or not ref.reference:
            records.append(e)
            continue
        subject = _subject(b, w, e, f, ref.reference)
        if subject is None:
            continue
        subjects.setdefault(subject, []).append(e)
        records.append(e)
    return subjects, records


def _subject(b: Bundle, w: Warnings, e: Entry, f: str, reference: str) -> Subject | None:
    """The patient a subject reference names; None (with a warning) when it is not a patient."""
    target = b.resolve(e, f, reference)
    if target is not None:
        if target.rtype != "Patient":
            w.add(e, f, f"refers to {target.label}, not a patient: not imported")
            return None
        return ("entry", target.where)
    rtype, rid = _type_id(reference)
    if rtype != "Patient":
        w.add(e, f, f"refers to {rtype}/{rid}, not a patient: not imported")
        return None
    return ("external", rid)


def _chosen_patient(b: Bundle, subjects: dict[Subject, list[Entry]], patients: list[Entry],
                    clinical: list[Entry]) -> Entry | str:
    """The Patient entry the records are about, or the id of a patient outside the input."""
    if len(subjects) > 1:
        shown = [_reference_shown(es[0]) for es in list(subjects.values())[:3]]
        raise InputError(f"{b.source}: the input holds records of more than one patient: " + "; ".join(shown))
    if subjects:
        (kind, value), es = next(iter(subjects.items()))
        if kind == "entry":
            return next(p for p in patients if p.where == value)
        if patients:
            f = SUBJECT_FIELD[es[0].rtype]
            raise InputError(f"{b.source}: {es[0].where} ({es[0].label}) {f}: refers to Patient/{value}, which is not "
                             f"in the input (its patient is {patients[0].label})")
        return value
    if patients:
        return patients[0]
    if clinical:
        raise InputError(f"{b.source}: no Patient resource and no subject reference: cannot tell whose records these are")
    raise InputError(f"{b.source}: no Patient resource: nothing to import")


def _reference_shown(e: Entry) -> str:
    f = SUBJECT_FIELD[e.rtype]
    return f"{e.where} ({e.label}) {f} -> {getattr(e.model, f).reference}"


def _type_id(reference: str) -> tuple[str, str]:
    m = TYPED_REF.search(reference.strip())
    if m is None:  # resolve() has already rejected references of any other form
        raise AssertionError(reference)
    return m.group(1), m.group(2)

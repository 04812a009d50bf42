"""Units as labs send them, read as UCUM in a patient profile written by hand or by another tool.

The FHIR import reads units through the same table; a profile's observation units and dose
units spelled as labs and EHRs write them (`mL/min/1.73m2`, `K/uL`, `IU/L`, ...; see
`screening.core.units.UNIT_ALIASES`) are replaced by their UCUM form, each with a warning that
names the mapping. Anything else is left as written: a rule reading a unit it cannot use says so.
"""

from __future__ import annotations

from patients.model import PatientProfile
from screening.core.units import to_ucum


def read_units(profile: PatientProfile) -> tuple[PatientProfile, list[str]]:
    """The profile with lab spellings of units in UCUM, and a warning for each one mapped."""
    warnings: list[str] = []
    observations = list(profile.observations)
    for i, o in enumerate(observations):
        if o.unit is not None:
            unit, note = to_ucum(o.unit)
            if note is not None:
                o = observations[i] = o.model_copy(update={"unit": unit})
                warnings.append(f"observations[{i}].unit: {note}")
        rr = o.reference_range
        if rr is not None and rr.unit is not None:
            unit, note = to_ucum(rr.unit)
            if note is not None:
                observations[i] = o.model_copy(update={"reference_range": rr.model_copy(update={"unit": unit})})
                warnings.append(f"observations[{i}].reference_range.unit: {note}")
    medications = list(profile.medications)
    for i, m in enumerate(medications):
        if m.dose is not None:
            unit, note = to_ucum(m.dose.unit)
            if note is not None:
                medications[i] = m.model_copy(update={"dose": m.dose.model_copy(update={"unit": unit})})
                warnings.append(f"medications[{i}].dose.unit: {note}")
    if not warnings:
        return profile, []
    return profile.model_copy(update={"observations": observations, "medications": medications}), warnings

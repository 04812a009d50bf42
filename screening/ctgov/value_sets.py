"""The value sets drafted lab and medication criteria refer to.

Library value sets (`LIBRARY_LABS`) are referred to by name; the others are written into the
drafted trial as trial-local value sets (`LOCAL_VALUE_SETS`), unless the rules library already
defines them.
"""

from __future__ import annotations

from typing import Any

# library value set -> canonical UCUM unit
LIBRARY_LABS = {"creatinine": "umol/L", "lvef": "%", "ecog": "1"}
# library value set -> molar mass, for converting mass concentrations to its canonical unit
LIBRARY_MOLAR_MASS = {"creatinine": "113.12 g/mol"}
# trial-local value set -> its definition in the rule-set grammar
LOCAL_VALUE_SETS: dict[str, dict[str, Any]] = {
    "total_bilirubin": {"title": "bilirubin, total (serum or plasma)", "codes": ["loinc:1975-2"],
                        "unit": "mg/dL", "molar_mass": "584.66 g/mol"},
    "hemoglobin": {"title": "haemoglobin (blood)", "codes": ["loinc:718-7"], "unit": "g/dL"},
    "platelets": {"title": "platelets (blood)", "codes": ["loinc:777-3", "loinc:26515-7"], "unit": "10*3/uL"},
    "leukocytes": {"title": "white blood cells (blood)", "codes": ["loinc:6690-2", "loinc:26464-8"],
                   "unit": "10*3/uL"},
    "neutrophils": {"title": "neutrophils, absolute count (blood)", "codes": ["loinc:751-8", "loinc:26499-4"],
                    "unit": "10*3/uL"},
    "bmi": {"title": "body mass index", "codes": ["loinc:39156-5"], "unit": "kg/m2"},
    "body_temperature": {"title": "body temperature", "codes": ["loinc:8310-5"], "unit": "Cel"},
    "heart_rate": {"title": "heart rate", "codes": ["loinc:8867-4"], "unit": "/min"},
    "respiratory_rate": {"title": "respiratory rate", "codes": ["loinc:9279-1"], "unit": "/min"},
    "systolic_bp": {"title": "systolic blood pressure", "codes": ["loinc:8480-6"], "unit": "mm[Hg]"},
    "diastolic_bp": {"title": "diastolic blood pressure", "codes": ["loinc:8462-4"], "unit": "mm[Hg]"},
    "systemic_corticosteroids": {"title": "corticosteroids for systemic use (ATC H02)", "codes": ["atc:H02*"]},
    "antineoplastic_agents": {"title": "antineoplastic agents (ATC L01)", "codes": ["atc:L01*"]},
    "vaccines": {"title": "vaccines (ATC J07)", "codes": ["atc:J07*"]},
}


def canonical_unit(value_set: str) -> str:
    """The UCUM unit a drafted threshold on `value_set` is stated in."""
    return LIBRARY_LABS.get(value_set) or LOCAL_VALUE_SETS[value_set]["unit"]


def molar_mass(value_set: str) -> str | None:
    """The molar mass ("584.66 g/mol") that converts between mass and molar units, if known."""
    return LOCAL_VALUE_SETS.get(value_set, {}).get("molar_mass") or LIBRARY_MOLAR_MASS.get(value_set)

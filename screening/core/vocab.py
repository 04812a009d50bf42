"""Vocabularies shared by the patient profile, the rule-set format and the results.

One home for each list of allowed values, so that the profile a patient is recorded in and
the rules that read it cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, get_args

# WHO ICD-10 (icd10) and the US ICD-10-CM (icd10cm) are different code systems: a value set
# matches records of a system only when it lists codes of that system (see docs/rule-sets.md).
CodeSystem = Literal["loinc", "snomed", "icd10", "icd10cm", "icd10pcs", "atc", "rxnorm", "cvx", "cpt", "hcpcs",
                     "local"]
CODE_SYSTEMS: tuple[str, ...] = get_args(CodeSystem)

RecordKind = Literal["condition", "observation", "medication", "procedure", "lesion", "participation", "encounter",
                     "allergy"]
CriterionKind = Literal["inclusion", "exclusion"]
MissingPolicy = Literal["unknown", "assume_absent"]
# a criterion may also require its data: unknown only because data is missing counts as not met
CriterionMissing = Literal["unknown", "assume_absent", "fail"]

Status = Literal["pass", "fail", "unknown", "review"]
STATUSES: tuple[str, ...] = get_args(Status)
Verdict = Literal["eligible", "ineligible", "undetermined"]
VERDICTS: tuple[str, ...] = get_args(Verdict)

FlagName = Literal["pregnant", "lactating", "adequate_contraception", "informed_consent", "msc_available"]
NumberName = Literal["life_expectancy_months"]


@dataclass(frozen=True)
class AdministrativeItem:
    """How a clinician names an administrative field a rule can read (a `FlagName` or `NumberName`)."""

    label: str
    """The data item: in "data to collect", in the evidence and in an assumption."""
    statement: str
    """The fact when it holds ('pregnant'), or a number's name without its unit ('life expectancy')."""
    absent: str | None = None
    """What a flag recorded as absent is assumed to be ('not pregnant'); None for a number."""


ADMINISTRATIVE_ITEMS: dict[str, AdministrativeItem] = {
    "pregnant": AdministrativeItem("pregnancy status", "pregnant", "not pregnant"),
    "lactating": AdministrativeItem("breast-feeding status", "breast-feeding", "not breast-feeding"),
    "adequate_contraception": AdministrativeItem(
        "use of adequate contraception", "uses or will use adequate contraception", "no adequate contraception"),
    "informed_consent": AdministrativeItem("written informed consent", "written informed consent signed",
                                           "not signed"),
    # MSC: mesenchymal stromal cells, the cell product the graft-failure and wound-healing trials infuse
    "msc_available": AdministrativeItem(
        "availability of mesenchymal stromal cells (MSCs) for this patient",
        "mesenchymal stromal cells (MSCs) available for this patient", "not available"),
    "life_expectancy_months": AdministrativeItem("life expectancy (months)", "life expectancy"),
}
"""The one home of these labels: the runtime, the plain-language rendering and the rule tests read them."""
LesionKind = Literal["digital_ulcer", "ulcer", "other"]


# The enums carry no docstrings: their names and values are what the published patient
# JSON Schema shows.
class Sex(StrEnum):
    female = "female"
    male = "male"
    other = "other"
    unknown = "unknown"


RecordedSex = Literal[Sex.female, Sex.male, Sex.other]  # what a rule can ask for


class ClinicalStatus(StrEnum):
    active = "active"
    recurrence = "recurrence"
    relapse = "relapse"
    inactive = "inactive"
    remission = "remission"
    resolved = "resolved"


ACTIVE_STATUSES = frozenset({ClinicalStatus.active, ClinicalStatus.recurrence, ClinicalStatus.relapse})


class VerificationStatus(StrEnum):
    confirmed = "confirmed"
    provisional = "provisional"
    differential = "differential"
    unconfirmed = "unconfirmed"
    refuted = "refuted"
    entered_in_error = "entered-in-error"


class Comparator(StrEnum):
    lt = "<"
    le = "<="
    gt = ">"
    ge = ">="


class Route(StrEnum):
    oral = "oral"
    intravenous = "intravenous"
    subcutaneous = "subcutaneous"
    intramuscular = "intramuscular"
    topical = "topical"
    inhaled = "inhaled"
    intraosseous = "intraosseous"
    other = "other"


class Trend(StrEnum):
    improving = "improving"
    stable = "stable"
    worsening = "worsening"
    healed = "healed"
    recurred = "recurred"


class EncounterClass(StrEnum):
    outpatient = "outpatient"
    inpatient = "inpatient"
    emergency = "emergency"
    home = "home"
    virtual = "virtual"
    other = "other"


class AllergyType(StrEnum):
    allergy = "allergy"
    intolerance = "intolerance"


class AllergyCategory(StrEnum):
    food = "food"
    medication = "medication"
    environment = "environment"
    biologic = "biologic"


class AllergyCriticality(StrEnum):
    low = "low"
    high = "high"
    unable_to_assess = "unable-to-assess"


class AllergyClinicalStatus(StrEnum):
    active = "active"
    inactive = "inactive"
    resolved = "resolved"


class AllergyVerificationStatus(StrEnum):
    unconfirmed = "unconfirmed"
    confirmed = "confirmed"
    refuted = "refuted"
    entered_in_error = "entered-in-error"


TimeUnit = Literal["min", "h", "d", "wk", "mo", "a"]
"""UCUM units of a dosing period (FHIR Timing.repeat.periodUnit without seconds)."""

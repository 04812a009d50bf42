"""The project's own FHIR namespace: extensions, code systems and naming systems for what the
profile records and FHIR has no standard code for. The export writes them and the import reads
them back (see `patients.fhir.export` for where each one goes).

No standard code is asserted where the project could not name one with certainty: those
concepts use this namespace.
"""

from __future__ import annotations

NS = "https://trial-screening.example/fhir"
EXT_CRITERIA = f"{NS}/StructureDefinition/diagnostic-criteria"
EXT_RESULT = f"{NS}/StructureDefinition/observation-result"
EXT_PRIMARY = f"{NS}/StructureDefinition/primary-coding"  # marks the profile's `code` among several codings
CS_LESION = f"{NS}/CodeSystem/lesion-assessment"
CS_TREND = f"{NS}/CodeSystem/lesion-trend"
CS_STATUS = f"{NS}/CodeSystem/screening-status"
CS_ROUTE = f"{NS}/CodeSystem/route"
NS_LESION_ID = f"{NS}/NamingSystem/lesion-id"
NS_PATIENT_ID = f"{NS}/NamingSystem/patient-id"
LOCAL_SYSTEM = "urn:local:trial-screening"  # where the export puts codes of the profile's `local` system

STATUS_CODES = {  # administrative field -> code in CS_STATUS
    "lactating": "lactating",
    "adequate_contraception": "adequate-contraception",
    "life_expectancy_months": "life-expectancy",
    "msc_available": "msc-available",
}
STATUS_DISPLAY = {
    "lactating": "Currently breast-feeding",
    "adequate-contraception": "Uses or is willing to use adequate contraception",
    "life-expectancy": "Life expectancy",
    "msc-available": "Study cells (MSC) available for the patient",
}
LESION_COMPONENTS = {  # profile field -> code in CS_LESION
    "diameter_mm": "diameter",
    "visible_depth": "visible-depth",
    "loss_of_dermis": "loss-of-dermis",
    "painful": "painful",
    "calcinosis": "calcinosis",
    "trend": "trend",
}
LESION_KINDS = {"digital_ulcer": "Digital ulcer assessment", "ulcer": "Ulcer assessment", "other": "Lesion assessment"}

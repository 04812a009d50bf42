"""Standard terminology for FHIR import and export: code-system URIs, UCUM units, routes, coded
results, statuses. (The project's own code systems are in `patients.fhir.namespace`.)

Everything here is a pure lookup or conversion. Nothing is guessed: a value that does not map
returns ``None`` together with the reason, and the importer turns the reason into a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlparse

from patients.fhir.namespace import LOCAL_SYSTEM
from screening.core.codesystems import FHIR_SYSTEMS
from screening.core.codesystems import SYSTEM_URIS as CORE_SYSTEM_URIS
from screening.core.vocab import Route

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
ICD10PCS, CPT, HCPCS = CORE_SYSTEM_URIS["icd10pcs"], CORE_SYSTEM_URIS["cpt"], CORE_SYSTEM_URIS["hcpcs"]
ATC = "http://www.whocc.no/atc"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"

# FHIR code-system URIs (and their HL7 OIDs) -> the profile's code systems (one table in the low
# layer, shared with the value-set loader).
SYSTEMS: dict[str, str] = dict(FHIR_SYSTEMS)

# The profile's code systems -> the FHIR URI the export writes.
SYSTEM_URIS: dict[str, str] = {**CORE_SYSTEM_URIS, "local": LOCAL_SYSTEM}

SYSTEM_NAMES = {SNOMED: "SNOMED CT", LOINC: "LOINC", UCUM: "UCUM"}
KNOWN_SYSTEMS_TEXT = "LOINC, SNOMED CT, ICD-10, ICD-10-CM, ICD-10-PCS, CPT, HCPCS, ATC, RxNorm, CVX, or a clearly local one"

# Which code system gives a record its `code` when its concept carries several codings, per
# record kind (the other codings are kept as `other_codes`).
PREFERENCE: dict[str, tuple[str, ...]] = {
    "condition": ("snomed", "icd10cm", "icd10"),
    "observation": ("loinc", "snomed"),
    "procedure": ("snomed", "icd10pcs", "cpt", "hcpcs", "loinc", "icd10cm", "icd10"),
    "medication": ("rxnorm", "atc", "snomed"),
    "encounter": ("snomed", "cpt", "hcpcs"),
    "allergy": ("rxnorm", "atc", "snomed"),
}

_LOCAL_SUFFIXES = (".local", ".localdomain", ".internal", ".intranet", ".lan", ".home.arpa")


def is_local_system(system: str, extra: Iterable[str] = ()) -> bool:
    """A code system that is clearly an institution's own: listed by the caller, `urn:local:...`,
    or a URL on localhost, on an intranet host (`intranet.*`) or under a private top-level name."""
    if system in extra:
        return True
    s = system.strip().lower()
    if s.startswith("urn:local:") or s == "local":
        return True
    if not s.startswith(("http://", "https://")):
        return False
    host = (urlparse(s).hostname or "").rstrip(".")
    if not host:
        return False
    return host == "localhost" or host.endswith(_LOCAL_SUFFIXES) or host.split(".")[0] == "intranet"


def system_label(system: str | None) -> str:
    if not system:
        return "(no system)"
    return SYSTEM_NAMES.get(system, system)


# -- units --------------------------------------------------------------------------------------

# -- routes ---------------------------------------------------------------------------------------

SNOMED_ROUTES: dict[str, Route] = {
    "26643006": Route.oral,
    "47625008": Route.intravenous,
    "34206005": Route.subcutaneous,
    "78421000": Route.intramuscular,
    "6064005": Route.topical,
    "447694001": Route.inhaled,  # respiratory tract route
    "18679011000001101": Route.inhaled,  # inhalation
    "60213007": Route.intraosseous,
    "46713006": Route.other,  # nasal
    "37161004": Route.other,  # rectal
    "37839007": Route.other,  # sublingual
    "54471007": Route.other,  # buccal
    "45890007": Route.other,  # transdermal
    "54485002": Route.other,  # ophthalmic
    "10547007": Route.other,  # otic
    "16857009": Route.other,  # vaginal
}

# What the export writes for a route: SNOMED CT code and display (`other` has no SNOMED CT code).
ROUTE_CODES: dict[Route, tuple[str, str]] = {
    Route.oral: ("26643006", "Oral route"),
    Route.intravenous: ("47625008", "Intravenous route"),
    Route.subcutaneous: ("34206005", "Subcutaneous route"),
    Route.intramuscular: ("78421000", "Intramuscular route"),
    Route.topical: ("6064005", "Topical route"),
    Route.inhaled: ("447694001", "Respiratory tract route"),
    Route.intraosseous: ("60213007", "Intraosseous route"),
}

V3_ROUTE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration"
V3_ROUTES: dict[str, Route] = {
    "PO": Route.oral,
    "IVINJ": Route.intravenous,
    "IVINFUS": Route.intravenous,
    "SQ": Route.subcutaneous,
    "IM": Route.intramuscular,
    "IPINHL": Route.inhaled,
}

ROUTE_WORDS: dict[str, Route] = {
    "oral": Route.oral, "by mouth": Route.oral, "po": Route.oral, "per os": Route.oral,
    "intravenous": Route.intravenous, "iv": Route.intravenous, "i.v.": Route.intravenous,
    "subcutaneous": Route.subcutaneous, "sc": Route.subcutaneous, "sq": Route.subcutaneous,
    "s.c.": Route.subcutaneous, "subcut": Route.subcutaneous,
    "intramuscular": Route.intramuscular, "im": Route.intramuscular, "i.m.": Route.intramuscular,
    "topical": Route.topical, "cutaneous": Route.topical,
    "inhaled": Route.inhaled, "inhalation": Route.inhaled, "respiratory tract": Route.inhaled,
    "intraosseous": Route.intraosseous,
}

_ROUTE_NOISE = re.compile(r"\(qualifier value\)|\broute\b|\buse\b", re.IGNORECASE)


def route_from_words(text: str) -> Route | None:
    key = " ".join(_ROUTE_NOISE.sub(" ", text).lower().split())
    return ROUTE_WORDS.get(key)


# -- coded results ----------------------------------------------------------------------------

SNOMED_RESULTS = {
    "10828004": "positive",
    "260385009": "negative",
    "260373001": "detected",
    "260415000": "not detected",
    "11214006": "reactive",
    "131194007": "non-reactive",
    "419984006": "inconclusive",
    "82334004": "indeterminate",
}
V3_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
V3_RESULTS = {
    "POS": "positive",
    "NEG": "negative",
    "DET": "detected",
    "ND": "not detected",
    "RR": "reactive",
    "NR": "non-reactive",
    "IND": "indeterminate",
    "E": "equivocal",
}
# coded result -> SNOMED CT qualifier value, for the export
RESULT_CODES = {result: code for code, result in SNOMED_RESULTS.items()}

# -- statuses -----------------------------------------------------------------------------------

PREGNANCY_STATUS = "82810-3"  # LOINC: Pregnancy status
PREGNANT, NOT_PREGNANT = "77386006", "60001007"  # SNOMED CT: Pregnant, Not pregnant


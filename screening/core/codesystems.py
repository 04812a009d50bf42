"""Code-system identities shared by the FHIR import and the value-set loader: the FHIR URIs (and
HL7 OIDs) of every code system the project knows, and the one spelling of an ICD-10 code.

WHO ICD-10 (`icd10`) and ICD-10-CM (`icd10cm`) are different code systems with different URIs:
a code is never moved from one to the other (see docs/rule-sets.md, "ICD-10 and ICD-10-CM").
"""

from __future__ import annotations

import re

from screening.core.vocab import CodeSystem

# FHIR code-system URIs and their HL7 OIDs -> the project's code systems. Both HCPCS URIs are in
# use: THO's and the one VSAC expansions carry.
FHIR_SYSTEMS: dict[str, CodeSystem] = {
    "http://loinc.org": "loinc",
    "urn:oid:2.16.840.1.113883.6.1": "loinc",
    "http://snomed.info/sct": "snomed",
    "urn:oid:2.16.840.1.113883.6.96": "snomed",
    "http://hl7.org/fhir/sid/icd-10": "icd10",
    "urn:oid:2.16.840.1.113883.6.3": "icd10",
    "http://hl7.org/fhir/sid/icd-10-cm": "icd10cm",
    "urn:oid:2.16.840.1.113883.6.90": "icd10cm",
    "http://www.cms.gov/Medicare/Coding/ICD10": "icd10pcs",
    "http://terminology.hl7.org/CodeSystem/icd10PCS": "icd10pcs",
    "urn:oid:2.16.840.1.113883.6.4": "icd10pcs",
    "http://www.whocc.no/atc": "atc",
    "urn:oid:2.16.840.1.113883.6.73": "atc",
    "http://www.nlm.nih.gov/research/umls/rxnorm": "rxnorm",
    "urn:oid:2.16.840.1.113883.6.88": "rxnorm",
    "http://hl7.org/fhir/sid/cvx": "cvx",  # CDC's vaccines administered (every code is a vaccine)
    "urn:oid:2.16.840.1.113883.12.292": "cvx",
    "http://www.ama-assn.org/go/cpt": "cpt",
    "urn:oid:2.16.840.1.113883.6.12": "cpt",
    "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets": "hcpcs",
    "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets": "hcpcs",
    "http://www.nlm.nih.gov/research/umls/hcpcs": "hcpcs",
    "urn:oid:2.16.840.1.113883.6.285": "hcpcs",
    # (HCPCS's older OID 2.16.840.1.113883.6.14 is left out: it has also named level I, which is CPT)
}

# The project's code systems -> the one URI written for each (FHIR export, value-set sources).
SYSTEM_URIS: dict[str, str] = {
    "loinc": "http://loinc.org",
    "snomed": "http://snomed.info/sct",
    "icd10": "http://hl7.org/fhir/sid/icd-10",
    "icd10cm": "http://hl7.org/fhir/sid/icd-10-cm",
    "icd10pcs": "http://www.cms.gov/Medicare/Coding/ICD10",
    "atc": "http://www.whocc.no/atc",
    "rxnorm": "http://www.nlm.nih.gov/research/umls/rxnorm",
    "cvx": "http://hl7.org/fhir/sid/cvx",
    "cpt": "http://www.ama-assn.org/go/cpt",
    "hcpcs": "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",  # THO's canonical URL
}

SYSTEM_NAMES: dict[str, str] = {
    "loinc": "LOINC", "snomed": "SNOMED CT", "icd10": "WHO ICD-10", "icd10cm": "ICD-10-CM",
    "icd10pcs": "ICD-10-PCS", "atc": "ATC", "rxnorm": "RxNorm", "cvx": "CVX", "cpt": "CPT", "hcpcs": "HCPCS", "local": "local",
}

# Code systems whose every code lies within one class of another system: (system, class). A
# record coded only in one is a member of that class, and of no set outside it.
WITHIN_CLASS: dict[str, tuple[str, str]] = {"cvx": ("atc", "J07")}  # CVX codes name vaccines only

ICD_SYSTEMS = ("icd10", "icd10cm")  # the two diagnosis classifications with a dotted code


def system_of_uri(uri: str) -> CodeSystem | None:
    """The project's code system for a FHIR system URI or OID, or None when it is not one of them."""
    return FHIR_SYSTEMS.get(uri.strip())


_DOTTED = re.compile(r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?")
_UNDOTTED = re.compile(r"([A-Z][0-9][0-9A-Z])([0-9A-Z]{1,4})")


def icd10_code(code: str) -> str:
    """An ICD-10 or ICD-10-CM code in its written form: upper case, with a dot after the
    category: `C188` -> `C18.8`, `c18.8` -> `C18.8`, `C18` -> `C18`. A trailing `*` (a value
    set's prefix pattern) is kept: `C188*` -> `C18.8*`. Anything else (a block such as `C00-C96`,
    a string not shaped like a code) is returned stripped, never guessed at."""
    s = code.strip()
    star = "*" if s.endswith("*") else ""
    stem = s[:-1] if star else s
    u = stem.upper()
    if _DOTTED.fullmatch(u):
        return u + star
    m = _UNDOTTED.fullmatch(u)
    if m:
        return f"{m[1]}.{m[2]}{star}"
    return s


def normalise_code(system: str, code: str) -> str:
    """The one spelling of a code, shared by the patient import and the value sets: ICD-10 and
    ICD-10-CM codes as `icd10_code`; every other system's code stripped (ICD-10-PCS codes, seven
    characters without a dot, are not ICD-10 codes)."""
    return icd10_code(code) if system in ICD_SYSTEMS else code.strip()

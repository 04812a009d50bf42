"""Code-system identities shared by the FHIR import and the value-set loader: the FHIR URIs (and
HL7 OIDs) of every code system the project knows, and the one spelling of an ICD-10 code.

WHO ICD-10 (`icd10`) and ICD-10-CM (`icd10cm`) are different code systems with different URIs:
a code is never moved from one to the other (see docs/rule-sets.md, "ICD-10 and ICD-10-CM").
"""

from __future__ import annotations

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
    "urn:oid:2.16.840.1.113883.6.4": "icd10pcs",
    "http://www.whocc.no/atc": "atc",
    "urn:oid:2.16.840.1.113883.6.73": "atc",
    "http://www.nlm.nih.gov/research/umls/rxnorm": "rxnorm",
    "urn:oid:2.16.840.1.113883.6.88": "rxnorm",
    "http://www.ama-assn.org/go/cpt": "cpt",
    "urn:oid:2.16.840.1.113883.6.12": "cpt",
    "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets": "hcpcs",
    "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets": "hcpcs",
    "http://www.nlm.nih.gov/research/umls/hcpcs": "hcpcs",
    "urn:oid:2.16.840.1.113883.6.285": "hcpcs",
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
    "cpt": "http://www.ama-assn.org/go/cpt",
    "hcpcs": "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
}

SYSTEM_NAMES: dict[str, str] = {
    "loinc": "LOINC", "snomed": "SNOMED CT", "icd10": "WHO ICD-10", "icd10cm": "ICD-10-CM",
    "icd10pcs": "ICD-10-PCS", "atc": "ATC", "rxnorm": "RxNorm", "cpt": "CPT", "hcpcs": "HCPCS", "local": "local",
}

ICD_SYSTEMS = ("icd10", "icd10cm")  # the two diagnosis classifications with a dotted code


def system_of_uri(uri: str) -> CodeSystem | None:
    """The project's code system for a FHIR system URI or OID, or None when it is not one of them."""
    return FHIR_SYSTEMS.get(uri.strip())


def normalise_code(system: str, code: str) -> str:
    """The one spelling of a code: ICD-10 and ICD-10-CM codes with their dot (`C188` -> `C18.8`),
    upper case; every other system's code unchanged."""
    if system not in ICD_SYSTEMS:
        return code
    c = code.strip().upper()
    if "." not in c and len(c) > 3 and "-" not in c:
        c = c[:3] + "." + c[3:]
    return c

"""Code-system identities: FHIR URIs to the project's systems, and the dotted spelling of ICD codes."""

from __future__ import annotations

import pytest

from screening.core.codesystems import FHIR_SYSTEMS, SYSTEM_URIS, normalise_code, system_of_uri
from screening.core.vocab import CODE_SYSTEMS


@pytest.mark.parametrize(("uri", "system"), [
    ("http://hl7.org/fhir/sid/icd-10", "icd10"),
    ("http://hl7.org/fhir/sid/icd-10-cm", "icd10cm"),
    ("http://www.cms.gov/Medicare/Coding/ICD10", "icd10pcs"),
    ("http://www.ama-assn.org/go/cpt", "cpt"),
    ("http://www.nlm.nih.gov/research/umls/hcpcs", "hcpcs"),
    ("https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "hcpcs"),
    ("urn:oid:2.16.840.1.113883.6.90", "icd10cm"),
    (" http://snomed.info/sct ", "snomed"),
    ("http://example.org/codes", None),
])
def test_system_of_uri(uri: str, system: str | None) -> None:
    assert system_of_uri(uri) == system


def test_every_mapped_system_is_a_project_system_and_has_a_uri() -> None:
    assert set(FHIR_SYSTEMS.values()) <= set(CODE_SYSTEMS)
    assert set(SYSTEM_URIS) == set(CODE_SYSTEMS) - {"local"}
    assert all(FHIR_SYSTEMS[uri] == system for system, uri in SYSTEM_URIS.items())


@pytest.mark.parametrize(("system", "code", "expected"), [
    ("icd10cm", "C188", "C18.8"),
    ("icd10cm", "c18.8", "C18.8"),
    ("icd10", "B20", "B20"),
    ("icd10cm", "S72001A", "S72.001A"),
    ("icd10cm", "C00-C96", "C00-C96"),  # a block keeps its spelling
    ("icd10pcs", "30243Y3", "30243Y3"),  # ICD-10-PCS codes have no dot
    ("snomed", "109838007", "109838007"),
])
def test_icd_codes_are_spelled_with_their_dot(system: str, code: str, expected: str) -> None:
    assert normalise_code(system, code) == expected

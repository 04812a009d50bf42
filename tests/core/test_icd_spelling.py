"""The written form of codes (screening.core.codesystems): ICD-10 and ICD-10-CM codes with their dot, everything else as given."""

from __future__ import annotations

import pytest

from screening.core.codesystems import icd10_code, normalise_code


@pytest.mark.parametrize(("given", "written"), [
    ("C188", "C18.8"), ("C18.8", "C18.8"), ("c18.8", "C18.8"), (" C188 ", "C18.8"), ("C18", "C18"),
    ("S72001A", "S72.001A"), ("S72.001A", "S72.001A"), ("T3601XA", "T36.01XA"),  # ICD-10-CM, 7 characters
    ("C7A010", "C7A.010"), ("M1A.00X0", "M1A.00X0"),  # a letter as the category's third character
    ("U071", "U07.1"),
    ("C188*", "C18.8*"), ("B20*", "B20*"), ("B18.1*", "B18.1*"),  # a value set's prefix patterns
])
def test_icd10_codes_are_written_with_their_dot(given: str, written: str) -> None:
    assert icd10_code(given) == written
    assert normalise_code("icd10", given) == normalise_code("icd10cm", given) == written


@pytest.mark.parametrize("given", ["C1", "C18.", "C18.88888", "C188888888", "18.8", "CC18", "C18-8", "A17.0†", ""])
def test_other_strings_are_not_guessed_at(given: str) -> None:
    assert icd10_code(given) == given.strip()


def test_other_systems_keep_their_codes() -> None:
    assert normalise_code("icd10pcs", "0DTN0ZZ") == "0DTN0ZZ"  # seven characters, no dot: not ICD-10
    assert normalise_code("loinc", " 2160-0 ") == "2160-0"
    assert normalise_code("snomed", "c188") == "c188"
    assert normalise_code("local", "c188") == "c188"

"""Fixtures of the FHIR tests: the imported Synthea bundles, a screener over the bundled rules."""

from __future__ import annotations

import pytest

from patients.fhir import profile_from_fhir_json
from patients.model import PatientProfile
from screening.ruleset.catalog import load_catalog
from screening.runtime.evaluate import Screener
from tests.patients.fhir.helpers import SYNTHEA, read


@pytest.fixture(scope="module")
def synthea() -> dict[str, tuple[PatientProfile, list[str]]]:
    return {p.name.split("_")[0]: profile_from_fhir_json(read(p), p.name) for p in sorted(SYNTHEA.glob("*.json"))}


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(load_catalog())


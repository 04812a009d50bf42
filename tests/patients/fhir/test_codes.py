"""Terminology and dates of the FHIR import (fhir.codes, fhir.dates); the unit rule is tested with the units."""

from __future__ import annotations

import datetime as dt

from patients.fhir.codes import is_local_system
from patients.fhir.dates import add_duration


def test_local_systems_and_ages() -> None:
    assert is_local_system("https://intranet.aumc.nl/labtestcodes")
    assert is_local_system("urn:local:lab") and is_local_system("http://lab.hospital.internal/codes")
    assert not is_local_system("http://acme.org/devices/clinical-codes")
    assert is_local_system("http://acme.org/devices/clinical-codes", ["http://acme.org/devices/clinical-codes"])
    assert add_duration(dt.date(2000, 2, 29), 1, "a") == dt.date(2001, 2, 28)
    assert add_duration(dt.date(2000, 1, 31), 1, "mo") == dt.date(2000, 2, 29)
    assert add_duration(dt.date(2000, 1, 1), 2, "wk") == dt.date(2000, 1, 15)

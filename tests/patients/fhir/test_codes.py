"""Terminology and dates of the FHIR import (fhir.codes, fhir.dates)."""

from __future__ import annotations

import datetime as dt

from patients.fhir.codes import is_local_system, ucum_problem
from patients.fhir.dates import add_duration


def test_unit_rule() -> None:
    for ok in ("mg/dL", "umol/L", "mL/min/{1.73_m2}", "10*3/uL", "Cel", "{score}", "%", "[lb_av]"):
        assert ucum_problem(ok) is None, ok
    assert "bare number" in (ucum_problem("258814008") or "")
    assert "kelvin" in (ucum_problem("K/uL") or "")
    assert "not valid UCUM" in (ucum_problem("IU/L") or "")


def test_local_systems_and_ages() -> None:
    assert is_local_system("https://intranet.aumc.nl/labtestcodes")
    assert is_local_system("urn:local:lab") and is_local_system("http://lab.hospital.internal/codes")
    assert not is_local_system("http://acme.org/devices/clinical-codes")
    assert is_local_system("http://acme.org/devices/clinical-codes", ["http://acme.org/devices/clinical-codes"])
    assert add_duration(dt.date(2000, 2, 29), 1, "a") == dt.date(2001, 2, 28)
    assert add_duration(dt.date(2000, 1, 31), 1, "mo") == dt.date(2000, 2, 29)
    assert add_duration(dt.date(2000, 1, 1), 2, "wk") == dt.date(2000, 1, 15)

"""The phrases that turn an exclusion into an allowance have one home, which the four recognisers
that read them use (`screening/ctgov/recognisers/permissions.py`)."""

from __future__ import annotations

from screening.ctgov.recognisers import conditions, events, lab_context, permissions, qualifiers


def test_the_recognisers_read_permissions_from_one_home() -> None:
    assert conditions.ADMITTED_OR_TAKING_PART is permissions.ADMITTED_OR_TAKING_PART
    assert qualifiers.ADMITTED_OR_TAKING_PART is permissions.ADMITTED_OR_TAKING_PART
    assert events.PERMITTED_WORD is permissions.PERMITTED_WORD
    assert lab_context.SUPPORT_PERMITTED is permissions.SUPPORT_PERMITTED


def test_what_each_pattern_lets_in() -> None:
    assert permissions.ADMITTED.search("Patients with treated basal cell carcinoma are eligible")
    assert not permissions.ADMITTED.search("Patients may still participate")
    assert permissions.ADMITTED_OR_TAKING_PART.search("Patients may still participate")
    assert permissions.ADMITTED_OR_TAKING_PART.search("they remain eligible")
    assert permissions.PERMITTED_WORD.search("(seasonal influenza vaccine excepted)")
    assert permissions.SUPPORT_PERMITTED.search("platelets >= 50,000 (transfusion allowed)")
    assert not permissions.SUPPORT_PERMITTED.search("transfusion not allowed")

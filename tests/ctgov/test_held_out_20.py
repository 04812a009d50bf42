"""Regression tests for what the twentieth held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise

CONSENT = {"ref": "informed_consent_signed"}


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_a_capacity_to_consent_judged_by_someone_is_not_a_signed_consent() -> None:
    # whether the person can decide is the investigator's judgement; the signature is another item
    assert _whens("Judged by the investigator to have the capacity to give written informed consent") == [None]
    assert _whens("Considered to have decisional capacity to sign the informed consent form") == [None]
    # being able to give consent is still read as consent, as before
    assert _whens("Capable of giving signed informed consent") == [CONSENT]
    assert _whens("Able to provide informed consent") == [CONSENT]

"""Regression tests for what the twenty-fifth held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_a_measured_value_dated_by_a_past_event_is_not_the_latest_value() -> None:
    assert _whens("Oxygen saturation of at least 94% when the patient was admitted") == [None]
    assert _whens("Haemoglobin below 10 g/dL at diagnosis", "exclusion") == [None]
    assert _whens("Platelets >= 100,000/mm3 on admission") == [None]
    # the latest value is still read where no event dates it, and a diagnosis at admission is no measured value
    assert _whens("Oxygen saturation of at least 94%") == [{"latest": {"code": "spo2", "ge": "94 %"}}]
    assert _whens("Pregnancy at the time of admission", "exclusion") == [{"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}]


def test_an_item_that_is_only_informed_consent_asks_for_it() -> None:
    consent = {"ref": "informed_consent_signed"}
    assert _whens("Written informed consent.") == [consent]
    assert _whens("Informed Consent Form") == [consent]
    assert _whens("consent") == [consent]
    # not in an exclusion, and not a consent that is only part of the item
    assert _whens("Informed consent", "exclusion") == []
    assert _whens("Informed consent of the partner") == []

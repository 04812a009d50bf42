"""Regression tests for what the twenty-first held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise

CONSENT = {"ref": "informed_consent_signed"}


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_the_unit_after_or_more_is_an_age() -> None:
    assert _whens("Participants 21 or more years of age") == [{"age": {"ge": 21}}]
    assert _whens("Volunteers who are 50 or over years old", "exclusion") == [{"age": {"ge": 50}}]
    # a duration is no age
    assert _whens("5 or more years of smoking", "exclusion") == []


def test_an_age_after_both_sexes_and_the_states_of_the_second_binds_both() -> None:
    assert _whens("Men or non-pregnant women aged 18-45") == [
        {"not": {"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}}, {"age": {"between": [18, 45]}}]
    # an age of one sex alone is still not drafted for everyone
    assert {"age": {"between": [50, 70]}} not in _whens("Postmenopausal women aged 50 to 70 or men aged 40 to 70")


def test_an_item_opening_with_the_consent_asks_for_signed_consent() -> None:
    assert _whens("Consents to take part in this trial.") == [CONSENT]
    assert _whens("Written consent to participate") == [CONSENT]
    # consent to another study is not this study's consent
    assert _whens("Consent to participate in another interventional study") == []

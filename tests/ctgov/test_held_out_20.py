"""Regression tests for what the twentieth held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise

CONSENT = {"ref": "informed_consent_signed"}
PREGNANT_OR_LACTATING = {"all": [{"sex": ["female"]}, {"ref": "pregnant_or_lactating"}]}


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_a_capacity_to_consent_judged_by_someone_is_not_a_signed_consent() -> None:
    # whether the person can decide is the investigator's judgement; the signature is another item
    assert _whens("Judged by the investigator to have the capacity to give written informed consent") == [None]
    assert _whens("Considered to have decisional capacity to sign the informed consent form") == [None]
    # being able to give consent is still read as consent, as before
    assert _whens("Capable of giving signed informed consent") == [CONSENT]
    assert _whens("Able to provide informed consent") == [CONSENT]


def test_lactation_after_a_plan_to_conceive_in_another_predicate_is_kept() -> None:
    # 'or are lactating' is a state of its own, not the object of the plan before it
    assert _whens("Women who are pregnant, or who plan to conceive during the trial or are lactating",
                  "exclusion") == [PREGNANT_OR_LACTATING]
    assert _whens("Pregnant (positive serum test) or intending to become pregnant or is currently nursing",
                  "exclusion") == [PREGNANT_OR_LACTATING]


def test_an_unknown_pregnancy_status_is_not_a_pregnancy() -> None:
    assert _whens("Females of reproductive potential with unknown pregnancy status", "exclusion") == [None]
    assert _whens("Women whose pregnancy status cannot be determined before dosing", "exclusion") == [None]
    assert _whens("Pregnant women", "exclusion") == [{"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}]


def test_uncontrolled_hypertension_among_items_with_other_numbers_is_drafted() -> None:
    # a number elsewhere in the sentence (a window of another condition) defines no blood pressure
    assert _whens("Stroke within 6 months, uncontrolled hypertension, or heart failure", "exclusion") == [
        {"condition": {"code": "uncontrolled_hypertension", "active": True}}]
    # a blood-pressure threshold still defines it (read by the blood-pressure recogniser, or left for review)
    assert _whens("Uncontrolled hypertension defined as blood pressure of 150/95 or higher", "exclusion") == []

"""Regression tests for what the fifty-fifth held-out batch's first run and the probing of its shapes found, each
phrased apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import exclusion as _exclusion


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


_PREGNANT_OR_NURSING = {"all": [{"sex": ["female"]}, {"ref": "pregnant_or_lactating"}]}
_PREGNANT = {"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}


def test_a_planned_pregnancy_named_among_the_states_plans_only_its_own_noun() -> None:
    # 'Pregnancy, planned pregnancy or breast feeding' had been drafted at 0.6 as pregnancy alone: 'planned' before
    # the second mention was read as the plan of every state after it in the clause, the breast-feeding dropped
    assert _excluded("Pregnancy, planned pregnancy or lactation") == [_PREGNANT_OR_NURSING]
    assert _excluded("Pregnancy, planned pregnancy, or breastfeeding") == [_PREGNANT_OR_NURSING]
    assert _excluded("Current pregnancy, intended pregnancy or nursing") == [_PREGNANT_OR_NURSING]
    assert _excluded("Pregnant women, planned pregnancy or breast-feeding women") == [_PREGNANT_OR_NURSING]
    # as before: a plan of both states, or of the only one, drafts none of them
    assert _excluded("Pregnancy or lactation planned during the study") == []
    assert _excluded("Planning pregnancy or breastfeeding during the study") == []
    assert _excluded("Planned pregnancy") == []
    assert _excluded("Pregnancy or planned pregnancy") == [_PREGNANT]


def test_a_planned_pregnancy_between_the_states_keeps_the_items_review() -> None:
    # the plan inside the states' span is more than the states: the draft is partial (0.6) beside a review criterion
    for item in ("Pregnancy, planned pregnancy or lactation", "Pregnancy, planned pregnancy, or breastfeeding",
                 "Current pregnancy, intended pregnancy or nursing"):
        assert [c for _, c in _exclusion(item)] == [0.6]
    # as before: the states alone, confidently
    assert [c for _, c in _exclusion("Pregnancy or lactation")] == [0.8]


_ACTIVE_MALIGNANCY = {"ref": "active_malignancy"}


def test_any_type_of_cancer_named_alone_or_in_a_list_of_diseases_is_a_present_one() -> None:
    # 'any type of cancer' among an exclusion's diseases had been left for review: 'Malignancy' or 'cancer' alone, or
    # a member of a list, was read only with nothing but punctuation or 'and'/'or' before it
    assert _excluded("Any type of cancer") == [_ACTIVE_MALIGNANCY]
    assert _excluded("Any kind of malignancy.") == [_ACTIVE_MALIGNANCY]
    assert _excluded("Any cancer") == [_ACTIVE_MALIGNANCY]
    assert _excluded("Asthma, any type of cancer, or epilepsy") == [_ACTIVE_MALIGNANCY]
    assert _excluded("Chronic diseases: diabetes; any form of cancer; kidney disease") == [_ACTIVE_MALIGNANCY]
    # as before: a history, a window, a site or another cancer than the trial's
    assert _excluded("History of any type of cancer") == [{"condition": {"code": "malignancy"}}]
    assert _excluded("Any type of cancer within 5 years") == [{"condition": {"code": "malignancy", "within": "5 years"}}]
    assert _excluded("Any type of lung cancer") == []
    assert _excluded("Any other type of cancer") == []


def test_a_wish_for_pregnancy_named_between_the_states_plans_only_its_own_noun() -> None:
    # probing the batch's planned pregnancy found 'Pregnancy, wish for pregnancy or lactation' drafted at 0.6 as
    # pregnancy alone (the lactation dropped), as 'planned pregnancy' had been
    assert _exclusion("Pregnancy, wish for pregnancy or lactation") == [(_PREGNANT_OR_NURSING, 0.6)]
    assert _exclusion("Pregnancy, desire for a pregnancy, or breastfeeding") == [(_PREGNANT_OR_NURSING, 0.6)]
    assert _exclusion("Current pregnancy, intention of pregnancy or nursing") == [(_PREGNANT_OR_NURSING, 0.6)]
    # as before: a wish that leads the item, or of both states, drafts none of them
    assert _exclusion("Wish for pregnancy or breastfeeding") == []
    assert _exclusion("Desire to become pregnant or to breastfeed during the study") == []

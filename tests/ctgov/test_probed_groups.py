"""Regression tests for items under subgroup headings that name groups of participants, probed apart from the
fixture records. The expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import drafts

_TWO_GROUPS = """Inclusion Criteria:

Patients:

* Age 18-75 years
* LVEF ≥ 50%

Healthy controls:

* Age 18-75 years
* No HIV infection

Exclusion Criteria:

* Pregnancy
"""


def _whens(criteria: str, section: str) -> list[object]:
    return [w for w, _ in drafts(criteria)[section]]


def test_a_definition_of_one_group_of_participants_is_not_every_participants() -> None:
    # the LVEF of the patients and the HIV status of the controls had been drafted at 0.8 as everyone's, which turns
    # away the controls (no LVEF) and the patients with HIV; the age both groups state holds for all
    assert _whens(_TWO_GROUPS, "Inclusion Criteria") == [{"age": {"between": [18, 75]}}, {"age": {"between": [18, 75]}}]
    assert _whens(_TWO_GROUPS, "Exclusion Criteria") == [{"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}]


def test_a_sub_heading_right_below_a_list_item_heads_its_group() -> None:
    # 'Children:' right below the adults' last item had been read as that item's continuation, so the children's age
    # 2-17 was drafted at 0.9 for everyone beside the adults' >= 18; the consent is every participant's
    text = ("Inclusion Criteria:\n\nAdults:\n* Age ≥ 18 years\n* ECOG 0-1\n* Signed informed consent\nChildren:\n"
            "* Age 2-17 years\n* Lansky ≥ 50\n* Signed informed consent\n")
    assert _whens(text, "Inclusion Criteria") == [{"ref": "informed_consent_signed"}, {"ref": "informed_consent_signed"}]
    # a heading that leads in everyone, or a category of criteria, is no group
    everyone = "Inclusion Criteria:\n\nAll participants:\n* Age ≥ 18 years\n\nPatients:\n* ECOG 0-1\n"
    assert _whens(everyone, "Inclusion Criteria") == [{"age": {"ge": 18}}, {"latest": {"code": "ecog", "between": [0, 1]}}]

"""People around the participant named after the definition: the household's members, a donor.
Their age or laboratory value is not the participant's, so nothing is drafted from it; each case is
phrased apart from any fixture text."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise


def _whens(text: str, kind: str = "exclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind)) if f.when is not None]


def test_the_age_of_people_in_the_household_is_not_the_participants() -> None:
    assert _whens("Infants younger than 6 months in the household") == []
    assert _whens("Any child under 5 years living in the same household") == []
    assert _whens("Persons over 65 years within the household of the participant") == []
    # the participant's own age, and a household word that is not about other people, are still read
    assert _whens("Children under 2 years of age") == [{"age": {"lt": 2}}]
    assert _whens("Aged 18 or over", "inclusion") == [{"age": {"ge": 18}}]


def test_a_laboratory_value_of_the_donor_is_not_the_participants() -> None:
    assert _whens("Serum creatinine above 2 mg/dL in the kidney donor") == []
    assert _whens("Platelets below 100,000/mm3 in their donors") == []
    assert _whens("Serum creatinine above 2 mg/dL") == [{"latest": {"code": "creatinine", "gt": "2 mg/dL"}}]

"""Regression tests for what the twenty-seventh held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.draft import draft_study
from screening.ctgov.recognisers import ItemText, recognise
from screening.ctgov.text import split_criteria


def _record(criteria: str) -> dict[str, Any]:
    return {"protocolSection": {"identificationModule": {"nctId": "NCT09999999", "briefTitle": "A study"},
                                "eligibilityModule": {"eligibilityCriteria": criteria}}}


def _drafted(criteria: str) -> dict[tuple[str, str], list[Any]]:
    out: dict[tuple[str, str], list[Any]] = {}
    for c in draft_study(_record(criteria), "rec.json").criteria:
        if "when" in c and "item" in c.get("source", {}):
            out.setdefault((c["kind"], str(c["source"]["item"])), []).append(c["when"])
    return out


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_exclusions_for_one_optional_part_of_the_study_are_not_the_studys_own() -> None:
    # a heading that limits the criteria below it to one part ('... for imaging studies only') turns
    # people away from that part, not from the study
    text = ("Inclusion Criteria:\n\n* Age 18 years or older\n\nExclusion Criteria:\n\n* Known HIV infection\n\n"
            "Exclusion criteria for the optional imaging studies only:\n\n* Pregnancy\n* Age over 70 years\n")
    drafted = _drafted(text)
    assert drafted[("inclusion", "1")] == [{"age": {"ge": 18}}]
    assert drafted[("exclusion", "1")] == [{"ref": "hiv_positive"}]
    assert ("exclusion", "2") not in drafted and ("exclusion", "3") not in drafted
    assert [i.stage is not None for i in split_criteria(text).items] == [False, False, True, True]
    # 'only' naming who, not which part, is no such heading
    assert all(i.stage is None for i in split_criteria("Inclusion criteria for adults only:\n\n* Age >= 18\n").items)


def test_an_item_that_withholds_one_procedure_is_no_exclusion_from_the_study() -> None:
    # 'will not receive the contrast scan', 'excluded from the MRI sub-study': a procedure withheld
    text = ("Exclusion Criteria:\n\n* Participants with BMI above 45 kg/m2 will not undergo the MRI scan.\n"
            "* Breastfeeding women will be excluded from the imaging procedures.\n* Pregnancy\n")
    drafted = _drafted(text)
    assert ("exclusion", "1") not in drafted and ("exclusion", "2") not in drafted
    assert drafted[("exclusion", "3")] == [{"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}]

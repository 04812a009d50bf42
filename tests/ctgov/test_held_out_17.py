"""Regression tests for what the seventeenth held-out batch found, each phrased apart from the
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


def test_criteria_for_a_later_randomisation_or_an_extension_are_not_the_trials_own() -> None:
    # the sections after a heading naming a second randomisation, a sub-study or an extension choose
    # participants for that later step: drafted as the trial's own, they would turn away people the
    # trial takes ('Aged 5 years or over' for the maintenance randomisation of a trial from 1 year)
    text = ("Inclusion Criteria:\n\n* Age 1 to 15 years\n* Written informed consent\n\n"
            "Exclusion Criteria:\n\n* Known HIV infection\n\n"
            "Inclusion Criteria for the Second Randomization (maintenance phase):\n\n"
            "* Aged 5 years or over\n* Written informed consent for the maintenance phase\n\n"
            "Exclusion Criteria:\n\n* Pregnancy\n")
    drafted = _drafted(text)
    assert drafted[("inclusion", "1")] == [{"age": {"between": [1, 15]}}]
    assert drafted[("exclusion", "1")] == [{"ref": "hiv_positive"}]
    assert ("inclusion", "3") not in drafted and ("inclusion", "4") not in drafted
    assert ("exclusion", "2") not in drafted  # the exclusions that follow are the later step's too
    # a legacy heading wrapped below the paragraph that names the step, and a sub-study heading
    legacy = ("        Inclusion Criteria:\n\n          -  Age 18 years or older\n\n"
              "        Eligibility for the re-randomisation of responders to the two maintenance\n"
              "        schedules Inclusion criteria\n\n          -  Age 21 years or older\n")
    drafted = _drafted(legacy)
    assert drafted[("inclusion", "1")] == [{"age": {"ge": 18}}]
    assert not [k for k in drafted if k != ("inclusion", "1")]
    sub = "Inclusion Criteria:\n\n* Age >= 18\n\nSubstudy inclusion criteria:\n\n* Age >= 40\n"
    assert _drafted(sub) == {("inclusion", "1"): [{"age": {"ge": 18}}]}
    # the split records the step on the items; plain headings are not one, a heading for one part is (its criteria
    # are that part's, not every participant's), and one for several parts is entry again
    items = split_criteria(text).items
    assert [i.stage is not None for i in items] == [False, False, False, True, True, True]
    assert all(i.stage is not None for i in split_criteria("Inclusion criteria for Part A:\n\n* Age >= 18\n").items)
    assert all(i.stage is None for i in split_criteria("Inclusion criteria for Parts A and B:\n\n* Age >= 18\n").items)


def _whens(text: str, group: str | None = None, ancestors: tuple[str, ...] = (), kind: str = "inclusion") -> list[Any]:
    return [f.when for f in recognise(ItemText(text, kind, group=group, ancestors=ancestors))]


def test_a_bare_duration_under_a_life_expectancy_sub_heading_is_the_life_expectancy() -> None:
    # the PDQ layout names the variable in a sub-heading ('Life expectancy:') and states only the bound below it
    assert _whens("Greater than 12 weeks", group="PATIENT CHARACTERISTICS: Life expectancy") == [
        {"life_expectancy_months": {"gt": 2.76}}]
    assert _whens("More than 6 months", group="Life Expectancy") == [{"life_expectancy_months": {"gt": 6}}]
    assert _whens("At least 2 years", ancestors=("Life expectancy",)) == [{"life_expectancy_months": {"ge": 24}}]
    # nothing but the bound: a window of something else, or no bound, is not a life expectancy
    assert _whens("Not specified", group="PATIENT CHARACTERISTICS: Life expectancy") == []
    assert _whens("At least 3 months since prior surgery", group="PATIENT CHARACTERISTICS: Life expectancy") == []
    assert _whens("At least 3 months", group="PRIOR CONCURRENT THERAPY: Surgery") == []


def test_an_age_range_from_months_or_weeks_to_years_drafts_its_bound_in_years_and_leaves_the_other() -> None:
    # ages are completed years: '6 weeks' cannot be one, but the upper bound in years still holds
    found = recognise(ItemText("Children aged 6 weeks to 12 years at enrolment", "inclusion"))
    assert [f.when for f in found] == [{"age": {"le": 12}}]
    assert found[0].confidence <= 0.6 and found[0].leaves is not None and "6 weeks" in found[0].leaves
    drafted = _drafted("Inclusion Criteria:\n\n* Children aged 6 weeks to 12 years at enrolment\n")
    assert drafted == {("inclusion", "1"): [{"age": {"le": 12}}]}
    review = [c for c in draft_study(_record("Inclusion Criteria:\n\n* Children aged 6 weeks to 12 years\n"),
                                     "rec.json").criteria if "review" in c]
    assert review, "the bound in weeks is left for review"
    # in an exclusion a range is one condition: without its lower bound it would exclude the youngest too
    assert [f.when for f in recognise(ItemText("Aged 2 weeks to 5 years", "exclusion"))] == [None]
    # two ranges in one sentence (a quota in parentheses): no telling which holds
    assert [f.when for f in recognise(ItemText("Aged 1 month to 16 years (12-16 years: at most 20 %)", "inclusion"))] == [None]
    # nothing in years: still not drafted
    assert [f.when for f in recognise(ItemText("Infants 28 days to 24 months of age", "inclusion"))] == [None]

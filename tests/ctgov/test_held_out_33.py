"""Regression tests for what the thirty-third held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.draft import draft_study


def _drafts(criteria: str) -> dict[str, list[Any]]:
    """Each section's drafted definitions, in order, for a record with these criteria."""
    record = {"protocolSection": {"identificationModule": {"nctId": "NCT09999999", "briefTitle": "t"},
                                  "eligibilityModule": {"eligibilityCriteria": criteria}}}
    out: dict[str, list[Any]] = {"Inclusion Criteria": [], "Exclusion Criteria": []}
    for c in draft_study(record, "t.json").criteria:
        if "when" in c and c["source"].get("section") in out:
            out[c["source"]["section"]].append(c["when"])
    return out


def test_an_enrolling_lead_in_under_the_exclusion_heading_is_not_read_as_exclusions() -> None:
    # an inclusion list copied under the Exclusion heading with its lead-in ('... will be enrolled:') had
    # drafted 'Hemoglobin A1c <6%' as an exclusion at 0.8
    text = ("Inclusion Criteria:\n\nAdults who fulfil the criteria below are eligible:\n\n* Fasting glucose below 7 mmol/L\n"
            "* Platelets at least 100,000/mm3\n\nExclusion Criteria:\n\nAdults who fulfil the criteria below are eligible:\n\n"
            "* Fasting glucose below 7 mmol/L\n* Platelets at least 100,000/mm3\n")
    drafts = _drafts(text)
    assert drafts["Exclusion Criteria"] == []
    assert {"latest": {"code": "platelets", "ge": "100 10*3/uL"}} in drafts["Inclusion Criteria"]
    # an exclusion lead-in is read as before
    text = ("Exclusion Criteria:\n\nPatients will not be enrolled if they have:\n\n* Platelets below 50,000/mm3\n")
    assert _drafts(text)["Exclusion Criteria"] == [{"latest": {"code": "platelets", "lt": "50 10*3/uL"}}]


def test_a_dash_glued_to_a_capitalised_word_is_a_bullet() -> None:
    # '-Patient must ...' lines (no space after the dash) had been joined into one item
    from screening.ctgov.text import split_criteria
    text = "Inclusion Criteria:\n\n-Subjects must be 40 to 80 years old.\n\n-Life expectancy above 6 months.\n"
    items = split_criteria(text).items
    assert [i.text for i in items] == ["Subjects must be 40 to 80 years old.", "Life expectancy above 6 months."]
    # a negative number or a hyphenated word opening a line is no bullet
    assert len(split_criteria("Inclusion Criteria:\n\nTemperature between\n-2 and 4 degrees\n").items) == 1


def test_an_age_bound_is_no_time_window() -> None:
    # '≤ 21 years of age' had been read as a window of 21 years, dating the labs nested below it
    from screening.ctgov.windows import windows
    assert windows("Subjects must be ≥ 2 years of age and ≤ 30 years of age at enrolment.") == []
    assert [w.duration for w in windows("Chemotherapy ≤ 14 days of registration")] == ["14 days"]


def test_an_age_written_with_runs_of_spaces() -> None:
    # 'be ≥ 1 years of            age and ≤ 21 years of age' had lost its lower bound
    from screening.ctgov.recognisers import ItemText, recognise
    found = recognise(ItemText("Participants  must  be  ≥ 5 years of      age and ≤ 17 years of age.", "inclusion"))
    assert [f.when for f in found] == [{"age": {"between": [5, 17]}}]


def test_a_requirement_negated_by_its_modal_under_the_exclusion_heading_restates_the_exclusion() -> None:
    # 'Patient must not be pregnant or breastfeeding.' under 'Exclusion Criteria' had drafted nothing
    from screening.ctgov.recognisers import ItemText, recognise
    found = recognise(ItemText("Participants should not be breast-feeding or pregnant.", "exclusion"))
    assert [f.when for f in found] == [{"all": [{"sex": ["female"]}, {"ref": "pregnant_or_lactating"}]}]
    # a bare negation under the Exclusion heading is still left alone
    assert recognise(ItemText("Not pregnant", "exclusion")) == []


def test_serologically_nonreactive_is_a_negative_test() -> None:
    # 'serologically nonreactive for hepatitis B and human immunodeficiency (AIDS) virus' had drafted nothing
    from screening.ctgov.recognisers import ItemText, recognise
    found = recognise(ItemText("Candidates must be non-reactive for HIV and hepatitis C", "inclusion"))
    assert [f.when for f in found] == [{"not": {"any": [{"ref": "hiv_positive"}, {"ref": "hepatitis_c_positive"}]}}]

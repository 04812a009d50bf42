"""Regression tests for what the twenty-fourth held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise
from screening.ctgov.text import split_criteria
from tests.ctgov.test_held_out_17 import _drafted  # drafts of a record with this criteria text, by item


def _whens(text: str, kind: str = "inclusion", ancestors: tuple[str, ...] = ()) -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind, ancestors=ancestors))]


def test_a_sub_heading_without_its_colon_under_a_capitals_heading_heads_the_items_below() -> None:
    # the API v2 text of PDQ records writes 'Age' and 'Life expectancy' without the colon the
    # older layouts have: the bare number below is an age, the bare duration a life expectancy
    text = ("DISEASE CHARACTERISTICS:\n\n* Biopsy-proven follicular lymphoma\n\n"
            "PATIENT CHARACTERISTICS:\n\nAge\n\n* 21 and over\n\nLife expectancy\n\n* At least 12 weeks\n\n"
            "Performance status\n\n* Karnofsky 70-100%\n\nOther\n\n* Not pregnant\n\n"
            "PRIOR CONCURRENT THERAPY:\n\nChemotherapy\n\n* No more than 2 prior regimens\n")
    split = split_criteria(text)
    assert [(i.number, i.group) for i in split.items] == [
        ("1", "DISEASE CHARACTERISTICS"), ("2", "PATIENT CHARACTERISTICS: Age"),
        ("3", "PATIENT CHARACTERISTICS: Life expectancy"), ("4", "PATIENT CHARACTERISTICS: Performance status"),
        ("5", "PATIENT CHARACTERISTICS: Other"), ("6", "PRIOR CONCURRENT THERAPY: Chemotherapy")]
    drafted = _drafted(text)
    assert drafted[("inclusion", "2")] == [{"age": {"ge": 21}}]
    assert drafted[("inclusion", "3")] == [{"life_expectancy_months": {"ge": 2.76}}]


def test_a_short_paragraph_above_a_list_is_still_an_item_outside_a_capitals_heading() -> None:
    # without a heading in capitals above, a short line of its own may be a criterion
    split = split_criteria("Exclusion Criteria:\n\nPregnancy\n\n* Known HIV infection\n")
    assert [(i.kind, i.number, i.text) for i in split.items] == [
        ("exclusion", "1", "Pregnancy"), ("exclusion", "2", "Known HIV infection")]
    # and a short title with a list indented under it keeps its items nested (legacy layout)
    split = split_criteria("PATIENT CHARACTERISTICS:\n\nCohort B\n\n  - Aged 60 or more\n")
    assert [(i.number, i.text) for i in split.items] == [("1", "Cohort B"), ("1.1", "Aged 60 or more")]


def test_in_an_inclusion_the_diseases_listed_as_examples_of_a_class_are_alternatives() -> None:
    lead_in = ("Patients with a chronic inflammatory rheumatic disease, including:",)
    assert _whens("Rheumatoid arthritis", ancestors=lead_in) == [None]
    assert _whens("Systemic sclerosis (diffuse or limited)", ancestors=("Connective tissue disease such as:",)) == [None]
    # in an exclusion each example excludes on its own
    assert _whens("Rheumatoid arthritis", "exclusion", lead_in) == [{"condition": {"code": "rheumatoid_arthritis"}}]
    # measurements listed under 'including:' are requirements that hold together, not examples
    assert _whens("Platelets ≥ 100,000/mm3", ancestors=("Adequate bone marrow function, including:",)) == [
        {"latest": {"code": "platelets", "ge": "100 10*3/uL"}}]


def test_a_filtration_rate_misspelt_or_with_its_unit_in_words_is_read() -> None:
    egfr_ge_45 = {"latest": {"code": "egfr", "ge": "45 mL/min/{1.73_m2}"}}
    assert _whens("e-GFR of at least 45 millilitres per minute") == [egfr_ge_45]
    assert _whens("Glomerular filteration rate ≥ 45 mL/min/1.73 m2") == [egfr_ge_45]
    assert _whens("Creatinine clearance > 50 milliliters per minute") == [
        {"latest": {"code": "creatinine_clearance", "gt": "50 mL/min"}}]


def test_the_first_threshold_is_looked_for_from_the_end_of_a_long_name() -> None:
    # a long name with its abbreviation in brackets leaves the threshold as close as a short one does
    assert _whens("Estimated glomerular filtration rate (eGFR) by the MDRD equation > 30 mL/min/1.73m2") == [
        {"latest": {"code": "egfr", "gt": "30 mL/min/{1.73_m2}"}}]
    # a threshold far from a short name is still not its own
    assert _whens("AST normal; patients who in the opinion of the investigator had a fall of > 2 points",
                  "exclusion") == []


def test_a_first_run_replay_matches_todays_rows_to_the_items_of_then_by_their_text() -> None:
    # a splitter change since (a sub-heading no longer an item) moves today's numbers: the replay
    # of an older drafter judges its drafts of each item by that item's row, not by its number
    from tests.ctgov.first_runs import renumbered

    today = [("inclusion", "1", "21 and over"), ("inclusion", "2", "Zubrod 0-1"), ("exclusion", "1", "HIV")]
    then = [("inclusion", "1", "Age"), ("inclusion", "2", "21 and over"), ("inclusion", "3", "Performance status"),
            ("inclusion", "4", "Zubrod 0-1")]
    age, ecog = {"draft": [{"age": {"ge": 21}}]}, {"draft": [{"latest": {"code": "ecog", "le": 1}}]}
    table = {"inclusion": {"1": age, "2": ecog}, "exclusion": {"1": {"draft": [{"ref": "hiv_positive"}]}}}
    assert renumbered(table, today, then) == {
        "inclusion": {"2": age, "4": ecog},
        # a row whose item that importer did not split out stays expected (and missed)
        "exclusion": {"1 (not an item then)": {"draft": [{"ref": "hiv_positive"}]}}}


def test_a_chemotherapy_window_is_left_for_review_in_a_record_that_lets_patients_keep_a_treatment() -> None:
    # a record that continues a treatment during the study (it may be an antineoplastic agent):
    # 'chemotherapy' there is what the protocol calls so, not every antineoplastic agent
    text = ("Inclusion Criteria:\n\n* No chemotherapy within 3 weeks\n* Concomitant tamoxifen for breast cancer is "
            "permitted\n\nExclusion Criteria:\n\n* Known HIV infection\n")
    drafted = _drafted(text)
    assert ("inclusion", "1") not in drafted
    assert drafted[("exclusion", "1")] == [{"ref": "hiv_positive"}]
    # without such an item the window is drafted
    assert _drafted(text.replace("Concomitant tamoxifen for breast cancer is permitted", "Adequate renal function"))[
        ("inclusion", "1")] == [{"not": {"medication": {"code": "antineoplastic_agents", "within": "3 weeks"}}}]

"""Regression tests for what the fifteenth held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_an_operator_written_equals_slash_greater_or_less_is_inclusive() -> None:
    # '=/>' is '>=' (not '>'), '=/<' is '<='
    assert _whens("Haemoglobin =/> 10 g/dL") == [{"latest": {"code": "hemoglobin", "ge": "10 g/dL"}}]
    assert _whens("Platelet count =/< 50 x 10^9/L", "exclusion") == [
        {"latest": {"code": "platelets", "le": "50 10*3/uL"}}]
    assert _whens("Expected survival =/> 6 months") == [{"life_expectancy_months": {"ge": 6}}]


def test_an_age_or_value_of_a_relative_in_a_family_history_is_not_the_participants() -> None:
    # what a family history is of, or what happened to a first- or second-degree relative, is theirs
    assert _whens("Family history of premature coronary disease under 55 years of age", "exclusion") == [None]
    assert _whens("Sudden unexplained death under 35 years of age in a second-degree relative", "exclusion") == [None]
    assert not any(_whens("First-degree relatives with a diagnosis of diabetes under the age of 40", "exclusion"))
    # the participant's own age, with a family history after it, is still the participant's
    assert _whens("Adults aged 50 years or older with a family history of colon cancer") == [{"age": {"ge": 50}}]


def test_a_mean_of_several_measurements_is_not_the_latest_value() -> None:
    assert _whens("Mean QTcF > 480 ms in three consecutive ECGs at screening", "exclusion") == [None]
    assert _whens("Systolic blood pressure > 160 mmHg as the average of 3 readings", "exclusion") == [None]
    assert _whens("QTc > 500 ms on triplicate ECG", "exclusion") == [None]
    # one measurement, or a measure whose name says mean, is still the latest value
    assert _whens("QTcF > 480 ms at screening", "exclusion") == [{"latest": {"code": "qtc", "gt": "480 ms"}}]
    # (an inclusion: in an exclusion 'with' joins another condition, and only both together exclude)
    assert _whens("Haemoglobin >= 10 g/dL with a normal mean corpuscular volume", "inclusion") == [
        {"latest": {"code": "hemoglobin", "ge": "10 g/dL"}}]


def test_an_excluded_age_either_side_of_a_range_in_either_order() -> None:
    either = [{"any": [{"age": {"lt": 18}}, {"age": {"gt": 65}}]}]
    assert _whens("Age over 65 years or under 18 years", "exclusion") == either
    # joined by 'and', two bounds no one meets together can only mean either
    assert _whens("Aged greater than 65 yrs and less than 18 yrs", "exclusion") == either
    assert _whens("Age < 18 years or > 65 years", "exclusion") == either
    # an inclusion's range, and bounds that overlap, are not read as outside a range
    assert _whens("Age over 18 years and under 65 years") == [{"age": {"gt": 18, "lt": 65}}]
    assert _whens("Age over 18 years and under 65 years", "exclusion") == [{"age": {"gt": 18, "lt": 65}}]


def test_the_infection_or_age_of_a_mother_sibling_or_the_people_a_participant_is_the_child_of() -> None:
    # the first weak-band cause still present: people around the participant named as relatives
    # ('siblings', 'mother') or as whose child the participant is ('babies of mothers with ...')
    assert not any(_whens("Babies of mothers with hepatitis B", "exclusion"))
    assert not any(_whens("Siblings of enrolled participants aged 2-5 years", "exclusion"))
    assert not any(_whens("Mother with HIV infection during pregnancy", "exclusion"))
    assert not any(_whens("Newborns of women with active tuberculosis at delivery", "exclusion"))
    # the participant's own: children of an age, an age named before a relative
    assert _whens("Children of 2 to 5 years of age") == [{"age": {"between": [2, 5]}}]
    assert _whens("Adolescents aged 12-17 years whose mother agrees to the visits") == [{"age": {"between": [12, 17]}}]


def test_first_runs_names_a_wrong_drafts_item_by_its_text() -> None:
    from tests.ctgov.first_runs import item_text

    assert item_text("NCT03459976", "exclusion", "8") == "Smoker."
    assert item_text("NCT03459976", "exclusion", "99") == "(no such item today)"


def test_an_infection_of_a_kind_excludes_fewer_patients_than_the_infection() -> None:
    # the weak band's infection causes, phrased otherwise: patients with the infection who take a
    # treatment, need one, or whose infection is uncontrolled are fewer than all with the infection
    for text in ("Patients infected with HIV and receiving antiretroviral drugs",
                 "HIV-infected subjects currently taking antiretroviral therapy",
                 "HIV positive persons who take antiretroviral drugs",
                 "Chronic hepatitis B needing therapy",
                 "Hepatitis C infection in need of antiviral treatment",
                 "Uncontrolled HIV infection",
                 "Untreated hepatitis C"):
        assert _whens(text, "exclusion") == [None], text
    # the infection itself, or several of them, still exclude
    assert _whens("Known HIV infection", "exclusion") == [{"ref": "hiv_positive"}]
    assert _whens("Active hepatitis B infection", "exclusion") == [{"ref": "hepatitis_b_positive"}]


def test_the_population_a_drug_was_given_to_or_made_for_is_no_infection_of_the_participant() -> None:
    # an explanation names infected people the drug was given to: not a criterion about the participant
    assert _whens("Pregnant women: the drug has been given to HIV-positive women before.", "exclusion") == [
        {"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}]
    assert _whens("Breastfeeding; the product was developed for people with hepatitis B", "exclusion") == [
        {"all": [{"sex": ["female"]}, {"ref": "lactating"}]}]
    # the participant's infection named before such an explanation still excludes
    assert _whens("Known HIV infection, since the drug was given to few such patients", "exclusion") == [
        {"ref": "hiv_positive"}]


def test_more_phrasings_of_the_weak_bands_causes() -> None:
    # what something may account for is a judgement (as 'which could explain' already was)
    assert _whens("Cardiomyopathy (LVEF < 40%) which may account for the symptoms", "exclusion") == [None]
    assert _whens("LVEF < 40%", "exclusion") == [{"latest": {"code": "lvef", "lt": "40 %"}}]
    # prophylaxis against the virus is given to people without it
    assert not any(_whens("HIV pre-exposure prophylaxis", "exclusion"))
    # a test of the mother's is not the participant's
    assert not any(_whens("Positive HIV test in the mother", "exclusion"))


def test_a_partner_a_donor_or_a_maternal_or_paternal_value_is_not_the_participants() -> None:
    for text in ("Sexual partner with hepatitis B", "Partner with known HIV infection", "Maternal HIV infection",
                 "Maternal age < 18 years", "Paternal age over 50 years", "Donor positive for HIV",
                 "Donor age > 60 years", "Pregnant women's partners"):
        assert not any(_whens(text, "exclusion")), text
    # the participant's own infection or transplant, with a partner or donor named after it, is still theirs
    assert _whens("HIV infection, whatever the partner's status", "exclusion") == [{"ref": "hiv_positive"}]
    assert _whens("Prior allo-HSCT from a matched unrelated donor") == [{"procedure": {"code": "allo_hsct"}}]

"""Regression tests for items whose subject is one sex with another state ('Men with hepatitis B', 'HIV-positive
women', 'Females who are HIV positive'), probed apart from the fixture records. As a clinician reads them: an exclusion
excludes the people of that sex with the state, not everyone with it (`all: [sex, state]`), unless the record enrols only
that sex (its structured sex field, its inclusions or its title), where the state alone says the same; an inclusion in a
record that enrols both sexes is one group's requirement, not every participant's. The expected definitions are read by
hand from these example texts."""

from __future__ import annotations

from typing import Any

import pytest

from screening.ctgov.draft import draft_study
from tests.ctgov.drafting import drafts, exclusion

_MEN, _WOMEN = {"sex": ["male"]}, {"sex": ["female"]}
_HIV, _HBV, _HCV = {"ref": "hiv_positive"}, {"ref": "hepatitis_b_positive"}, {"ref": "hepatitis_c_positive"}


def _with(sex: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    return {"all": [sex, state]}


def _record(criteria: str, sex: str | None = None, title: str = "t") -> dict[str, list[tuple[Any, float]]]:
    """Each section's drafted definitions with their confidence, for a record with these criteria, structured sex
    field and title."""
    eligibility: dict[str, Any] = {"eligibilityCriteria": criteria}
    if sex is not None:
        eligibility["sex"] = sex
    record = {"protocolSection": {"identificationModule": {"nctId": "NCT09999999", "briefTitle": title},
                                  "eligibilityModule": eligibility}}
    out: dict[str, list[tuple[Any, float]]] = {"Inclusion Criteria": [], "Exclusion Criteria": []}
    for c in draft_study(record, "t.json").criteria:
        if "when" in c and c["source"].get("section") in out:
            out[c["source"]["section"]].append((c["when"], float(c.get("confidence", 1.0))))
    return out


@pytest.mark.parametrize(("item", "expected"), [
    ("HIV-positive men", _with(_MEN, _HIV)),
    ("Hepatitis B positive men", _with(_MEN, _HBV)),
    ("Men with hepatitis B", _with(_MEN, _HBV)),
    ("Male subjects with hepatitis B", _with(_MEN, _HBV)),
    ("A male patient with HIV", _with(_MEN, _HIV)),
    ("Females who are HIV positive", _with(_WOMEN, _HIV)),
    ("Women who have HIV infection", _with(_WOMEN, _HIV)),
    ("Female patients with hepatitis C", _with(_WOMEN, _HCV)),
    ("Men with hemoglobin < 13 g/dL", _with(_MEN, {"latest": {"code": "hemoglobin", "lt": "13 g/dL"}})),
    ("Women with a BMI > 40 kg/m2", _with(_WOMEN, {"latest": {"code": "bmi", "gt": "40 kg/m2"}})),
    ("Men with hepatitis B or HIV", _with(_MEN, {"any": [_HBV, _HIV]})),
    ("Men: hemoglobin < 13 g/dL", _with(_MEN, {"latest": {"code": "hemoglobin", "lt": "13 g/dL"}})),  # a label
    # the pregnancy is the women's already; the hepatitis too
    ("Women who are pregnant or have hepatitis B", _with(_WOMEN, {"any": [_with(_WOMEN, {"ref": "pregnant"}), _HBV]})),
])
def test_an_exclusion_of_one_sex_with_a_state_keeps_the_sex(item: str, expected: dict[str, Any]) -> None:
    # each had been drafted as the state alone (0.8-0.85): in a record of both sexes it excluded women (or men) with it
    found = exclusion(item)
    assert [w for w, _ in found] == [expected]


def test_an_exclusion_of_one_sex_drafts_nothing_without_the_sex() -> None:
    # 'Men whose PSA > 4 ng/mL': whatever is drafted of it is the men's
    for item in ("Men whose PSA > 4 ng/mL", "Women whose hemoglobin is below 10 g/dL"):
        assert all("sex" in str(w) for w, c in exclusion(item) if c >= 0.8), item


_ONE_SEX = "Inclusion Criteria:\n\n* {inclusion}\n\nExclusion Criteria:\n\n* {exclusion}\n"


@pytest.mark.parametrize(("inclusion", "sex", "title", "item", "state"), [
    ("Adults", "MALE", "t", "Men with hepatitis B", _HBV),  # the structured sex field
    ("Adults", "FEMALE", "t", "HIV positive women", _HIV),
    ("Women aged 18-45 years", None, "t", "Women with hemoglobin < 11 g/dL",  # the inclusions
     {"latest": {"code": "hemoglobin", "lt": "11 g/dL"}}),
    ("Male subjects aged 18 to 45 years", None, "t", "Males who are HIV positive", _HIV),
    ("Adults", None, "Vitamin D in Postmenopausal Women", "Women with hepatitis C", _HCV),  # the title
])
def test_in_a_record_of_that_sex_only_the_state_alone(inclusion: str, sex: str | None, title: str, item: str,
                                                      state: dict[str, Any]) -> None:
    found = _record(_ONE_SEX.format(inclusion=inclusion, exclusion=item), sex, title)["Exclusion Criteria"]
    assert [w for w, _ in found] == [state]


@pytest.mark.parametrize(("inclusion", "sex", "title"), [
    ("Adults", "ALL", "t"),
    ("Male or female, aged 18 or older", None, "t"),
    ("Adults", None, "Hepatitis B in Men and Women"),
    ("Adults", "FEMALE", "t"),  # the other sex: the men named are not enrolled anyway, the sex is still right
])
def test_in_a_record_of_both_sexes_or_the_other_the_sex_is_kept(inclusion: str, sex: str | None, title: str) -> None:
    found = _record(_ONE_SEX.format(inclusion=inclusion, exclusion="Men with hepatitis B"), sex, title)
    assert [w for w, _ in found["Exclusion Criteria"]] == [_with(_MEN, _HBV)]


@pytest.mark.parametrize(("item", "expected"), [
    ("Pregnant or breastfeeding women", [_with(_WOMEN, {"ref": "pregnant_or_lactating"})]),
    ("Women who are pregnant", [_with(_WOMEN, {"ref": "pregnant"})]),
    ("Men or women with HIV", [_HIV]),
    ("Men and women with hepatitis B", [_HBV]),
    ("Patients with hepatitis B", [_HBV]),
    ("Women of childbearing potential not using contraception", []),
    ("Male patients must agree to use contraception", []),
    ("Men with hemoglobin < 13 g/dL or women with hemoglobin < 12 g/dL", []),
])
def test_exclusions_that_name_no_one_sex_with_a_state_keep_their_drafts(item: str, expected: list[Any]) -> None:
    assert [w for w, _ in exclusion(item)] == expected


_GROUPS = """Inclusion Criteria:

* Men with hemoglobin > 13 g/dL
* Women with HIV infection
"""


def test_an_inclusion_of_one_sex_in_a_record_of_both_is_one_groups() -> None:
    # each had drafted the sex and the state at 0.8 as every participant's requirement
    for sex in ("ALL", None):
        assert all(c < 0.8 for _, c in _record(_GROUPS, sex)["Inclusion Criteria"]), sex
    for item in ("Men with hemoglobin > 13 g/dL", "Women with HIV infection", "Male subjects with HIV infection"):
        found = _record(f"Inclusion Criteria:\n\n* {item}\n", "ALL")["Inclusion Criteria"]
        assert all(c < 0.8 for _, c in found), item


@pytest.mark.parametrize("item", ["Men: hemoglobin > 13 g/dL", "Women: age 60 years or older"])
def test_an_inclusion_labelled_for_one_sex_is_that_groups(item: str) -> None:
    # each had been drafted at 0.8-0.9 as every participant's requirement, the label read as no requirement
    assert drafts(f"Inclusion Criteria:\n\n* {item}\n")["Inclusion Criteria"] == []
    sex = "MALE" if item.startswith("Men") else "FEMALE"  # in a record of that sex only: everyone's
    assert [c for _, c in _record(f"Inclusion Criteria:\n\n* {item}\n", sex)["Inclusion Criteria"]] in ([0.8], [0.9])


@pytest.mark.parametrize(("item", "sex", "expected"), [
    ("Women with HIV infection", None, [_WOMEN, _HIV]),  # no other sex known: everyone's
    ("Women with HIV infection", "FEMALE", [_WOMEN, _HIV]),
    ("Females and males aged 18-65", "ALL", [{"age": {"between": [18, 65]}}]),
    ("Men and women with type 2 diabetes", "ALL", []),
])
def test_inclusions_of_one_sex_only_or_of_both_keep_their_drafts(item: str, sex: str | None, expected: list[Any]) -> None:
    assert [w for w, _ in _record(f"Inclusion Criteria:\n\n* {item}\n", sex)["Inclusion Criteria"]] == expected


def test_the_unknown_record_drafts_as_before() -> None:
    # the helper's record names no sex: an inclusion of one sex is everyone's, as before
    assert [w for w, _ in drafts("Inclusion Criteria:\n\n* Male subjects with HIV infection\n")["Inclusion Criteria"]] \
        == [_MEN, _HIV]


def test_the_letter_a_word_names_ends_its_sentence_and_the_next_sentence_is_not_that_sexs() -> None:
    """'hepatitis B.' ends its sentence (it was read as an initial, 'J. Smith': the next sentence joined it, and 'Known
    HIV infection' became the men's exclusion at 0.85); an initial still does not."""
    from screening.ctgov.recognisers.base import sentences

    for text in ("Men with hepatitis B. Known HIV infection.", "Vitamin D. Known HIV infection.",
                 "Diabetes type A. Known HIV infection."):
        assert len(sentences(text)) == 2, text
    assert len(sentences("Referred by Dr J. Smith to the clinic.")) == 1
    drafted = drafts("Inclusion Criteria:\n\n- Adults 18 years or older\n- Male or female\n\nExclusion Criteria:\n\n"
                     "- Men with hepatitis B. Known HIV infection.\n")["Exclusion Criteria"]
    assert ({"all": [{"sex": ["male"]}, {"ref": "hiv_positive"}]}, 0.85) not in drafted
    assert {"all": [{"sex": ["male"]}, {"ref": "hepatitis_b_positive"}]} in [w for w, _ in drafted]

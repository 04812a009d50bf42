"""Splitting a registry eligibility text into inclusion and exclusion items, in the API v2 and the
legacy layouts."""

from __future__ import annotations

import pytest

from screening.ctgov.text import heading_kind, split_criteria, unescape


def test_lowercase_eligibility_heading_wrapped_lines_and_paragraphs() -> None:
    text = ("Eligibility criteria:\n\nFor group A:\n\n* first item\n* second item\n\n  NOTE: still the second\n\n"
            "Exclusion criteria:\n\n1. one\n   continued here\n2. two\n   a. nested\n")
    s = split_criteria(text)
    assert [(i.kind, i.number, i.group) for i in s.items] == [
        ("inclusion", "1", "For group A"), ("inclusion", "2", "For group A"),
        ("exclusion", "1", None), ("exclusion", "2", None), ("exclusion", "2.1", None)]
    # a paragraph after a blank line is a note of the item; a line directly below is its wrapped text
    assert s.items[1].text == "second item\nNOTE: still the second"
    assert s.items[1].notes_from == len("second item") and s.items[0].notes_from is None
    assert s.items[2].text == "one continued here"
    assert (s.items[4].parent, s.items[4].depth, s.items[4].ancestors) == ("2", 1, ("two",))
    assert s.headings == ["Eligibility criteria:", "Exclusion criteria:"] and s.notes == []


def test_no_heading_and_a_subgroup_heading_without_items() -> None:
    s = split_criteria("Adults with asthma\nwho smoke\n\nFor smokers:")
    assert [(i.kind, i.number, i.text, i.group) for i in s.items] == [
        ("inclusion", "1", "Adults with asthma who smoke", None), ("inclusion", "2", "For smokers:", None)]
    assert s.notes == ["no Inclusion/Exclusion heading: every item is read as inclusion"]


def test_key_headings_and_numbered_markers() -> None:
    s = split_criteria("Key Inclusion Criteria:\n1) one\n(2) two\n3.three\nKey Exclusion Criteria:\n* four\n  i. five")
    assert [(i.kind, i.number, i.text) for i in s.items] == [
        ("inclusion", "1", "one"), ("inclusion", "2", "two"), ("inclusion", "3", "three"),
        ("exclusion", "1", "four"), ("exclusion", "1.1", "five")]


# The legacy layout (classic XML and API): the whole text indented, hard-wrapped lines continued
# under the bullet's text, CRLF line ends. Hand-written in that layout after NCT04349592.
LEGACY = (
    "\n        Inclusion Criteria:\r\n\r\n"
    "          -  Positive Covid test on qualitative assay used during routine care (i.e. not as part of\r\n"
    "             Q-PROTECT)\r\n\r\n"
    "          -  Age at least 18\r\n\r\n"
    "        Exclusion Criteria:\r\n\r\n"
    "          -  History of or known QT prolongation\r\n\r\n"
    "               -  Baseline QTc >480 if QRS width normal\r\n\r\n"
    "          -  Known hepatic or renal disease (or abnormality on liver or renal function testing at\r\n"
    "             study day 1)\r\n      ")


def test_legacy_layout_headings_bullets_and_wrapped_lines() -> None:
    s = split_criteria(LEGACY)
    assert s.headings == ["Inclusion Criteria:", "Exclusion Criteria:"]
    assert [(i.kind, i.number, i.text) for i in s.items] == [
        ("inclusion", "1", "Positive Covid test on qualitative assay used during routine care (i.e. not as part of "
                           "Q-PROTECT)"),
        ("inclusion", "2", "Age at least 18"),
        ("exclusion", "1", "History of or known QT prolongation"),
        ("exclusion", "1.1", "Baseline QTc >480 if QRS width normal"),
        ("exclusion", "2", "Known hepatic or renal disease (or abnormality on liver or renal function testing at "
                           "study day 1)")]
    assert all(i.notes_from is None for i in s.items)  # wrapped lines are no notes


@pytest.mark.parametrize(("line", "kind"), [
    ("Inclusion Criteria:", "inclusion"), ("INCLUSION CRITERIA:", "inclusion"), ("Inclusions Criteria:", "inclusion"),
    ("Key Exclusion Criteria:", "exclusion"), ("Donor/Recipient Inclusion Criteria:", "inclusion"),
    ("Inclusion criteria for Part A:", "inclusion"), ("        Exclusion criteria", "exclusion"),
    ("**Exclusion Criteria:**", "exclusion"), ("Eligibility criteria:", "inclusion"), ("Exclusion:", "exclusion"),
    ("Patients who meet the inclusion criteria and none of the exclusion criteria", None),
    ("* Exclusion criteria of the parent study", None),
    ("Subjects who meet any of the following exclusion criteria are not to be enrolled.", None),
    ("No exclusion", None),
    ("Non-inclusion criteria:", "exclusion"), ("NON INCLUSION CRITERIA", "exclusion"),
    ("Criteria for non-inclusion:", "exclusion"), ("Noninclusion criteria:", "exclusion"),
])
def test_section_headings(line: str, kind: str | None) -> None:
    assert heading_kind(line) == kind


def test_glued_headings_and_text_after_a_heading() -> None:
    s = split_criteria("Inclusion Criteria: Adults\n* negative test for women of childbearing potential. "
                       "Exclusion Criteria:\n* Pregnancy")
    assert [(i.kind, i.text) for i in s.items] == [
        ("inclusion", "Adults"), ("inclusion", "negative test for women of childbearing potential."),
        ("exclusion", "Pregnancy")]


def test_lead_in_paragraphs_become_the_group_of_the_list() -> None:
    text = ("Inclusion Criteria:\n\nSubjects must meet all of the following inclusion criteria within 28 days\n"
            "prior to the baseline visit:\n\n  -  Age 18 to 65\n\nExclusion Criteria:\n\n"
            "Subjects who meet any of the following exclusion criteria are not to be enrolled in this\nstudy.\n\n"
            "  -  Lactose intolerance\n")
    s = split_criteria(text)
    assert [(i.kind, i.number, i.text) for i in s.items] == [
        ("inclusion", "1", "Age 18 to 65"), ("exclusion", "1", "Lactose intolerance")]
    assert s.items[0].group == "Subjects must meet all of the following inclusion criteria within 28 days prior to " \
                               "the baseline visit"


def test_one_criterion_a_line_under_capital_headings() -> None:
    # the PDQ layout of older records (after NCT00023673): no Inclusion/Exclusion headings
    text = ("DISEASE CHARACTERISTICS:\n\nSquamous cell carcinoma\nAdenocarcinoma\nNo stage IV or\nrecurrent disease\n\n"
            "PATIENT CHARACTERISTICS:\n\nAge:\n\n18 and over\n\nPerformance status:\n\nZubrod 0-1")
    s = split_criteria(text)
    assert [(i.number, i.group, i.text) for i in s.items] == [
        ("1", "DISEASE CHARACTERISTICS", "Squamous cell carcinoma"), ("2", "DISEASE CHARACTERISTICS", "Adenocarcinoma"),
        ("3", "DISEASE CHARACTERISTICS", "No stage IV or recurrent disease"),
        ("4", "PATIENT CHARACTERISTICS: Age", "18 and over"),
        ("5", "PATIENT CHARACTERISTICS: Performance status", "Zubrod 0-1")]


def test_one_criterion_a_line_in_a_text_that_is_not_hard_wrapped() -> None:
    # the classic API records give one criterion a line, lines as long as the sponsor wrote them: a line
    # ending in a comma or one starting in lower case is a criterion of its own (after NCT04595136)
    long = ("Histologically confirmed adenocarcinoma of the pancreas, locally advanced or metastatic, not amenable to "
            "curative resection")
    text = f"Inclusion Criteria:\n\n{long}\nSigned consent form,\nAge 18 or older\n\nExclusion Criteria:\n\nPregnancy\n" \
           "prior treatment with gemcitabine."
    s = split_criteria(text)
    assert [(i.kind, i.text) for i in s.items] == [
        ("inclusion", long), ("inclusion", "Signed consent form,"), ("inclusion", "Age 18 or older"),
        ("exclusion", "Pregnancy"), ("exclusion", "prior treatment with gemcitabine.")]
    # the same lines hard-wrapped (no line longer than wrapping leaves) read on as before
    wrapped = split_criteria("Inclusion Criteria:\n\nSigned consent form,\nAge 18 or older")
    assert [i.text for i in wrapped.items] == ["Signed consent form, Age 18 or older"]


def _numbered(text: str) -> list[tuple[str, str, str]]:
    return [(i.kind, i.number, i.text) for i in split_criteria(text).items]


def test_numbered_items_that_run_on_inside_a_paragraph() -> None:
    # the classic XML joins some lists into paragraphs (after NCT04710303): a number that continues the
    # list starts an item, also at a line's end ('and; 5.') and after a connector ('And; 6. ...')
    text = ("Inclusion Criteria:\n\n  1. Aged 40 to 80 years\n\n  2. Able to walk unaided\n\n"
            "3. Potassium within normal limits 4. Sodium above 130 mmol/L and a tumour of grade 3. The\n"
            "grade is read centrally; and; 5.\n   Weight of at least 50 kg\n\nAnd; 6. Signed consent\n\n"
            "Exclusion Criteria:\n\n  1. Pregnancy")
    assert _numbered(text) == [
        ("inclusion", "1", "Aged 40 to 80 years"), ("inclusion", "2", "Able to walk unaided"),
        ("inclusion", "3", "Potassium within normal limits"),
        ("inclusion", "4", "Sodium above 130 mmol/L and a tumour of grade 3. The grade is read centrally; and;"),
        ("inclusion", "5", "Weight of at least 50 kg"), ("inclusion", "6", "And; Signed consent"),
        ("exclusion", "1", "Pregnancy")]


def test_a_list_starting_again_below_an_item_ending_in_a_colon_is_nested_in_it() -> None:
    text = ("Inclusion Criteria:\n\n  1. Adults\n\n  2. Answers no to each of these questions:\n\n"
            "1) Do you smoke? 2) Do you drink alcohol daily?\n\nLaboratory values:\n\n3) Hb > 10 g/dL")
    s = split_criteria(text)
    assert [(i.number, i.text, i.parent) for i in s.items] == [
        ("1", "Adults", None), ("2", "Answers no to each of these questions:", None),
        ("2.1", "Do you smoke?", "2"), ("2.2", "Do you drink alcohol daily?", "2"), ("3", "Hb > 10 g/dL", None)]


def test_unescape() -> None:
    assert unescape("vital signs\\*, \\*\\*Includes, 10\\^9") == "vital signs*, **Includes, 10^9"
    assert unescape("=\\< 1 and \\>= 2") == "=< 1 and >= 2"


def test_a_paragraph_between_list_items_does_not_take_the_items_after_it() -> None:
    """A paragraph at the heading's margin between the items of a list (a definition, a note) is
    no lead-in: the items after it are top-level items of the list, as those before it."""
    text = ("        Inclusion Criteria:\n\n"
            "          -  Adults with chronic kidney disease.\n\n"
            "        (Chronic kidney disease is defined as an eGFR less than 60 mL/min/1.73 m2 on two\n"
            "        occasions at least three months apart, with or without albuminuria.)\n\n"
            "          -  Stable dose of an ACE inhibitor for 4 weeks.\n\n"
            "          -  Able to attend monthly visits.\n")
    s = split_criteria(text)
    assert [(i.number, i.parent) for i in s.items if i.text.startswith(("Stable", "Able"))] == [
        ("3", None), ("4", None)]


def test_below_before_a_number_makes_no_lead_in() -> None:
    """'below' leads a list in ('the criteria below:'), not when it compares ('eGFR below 60')."""
    text = ("Inclusion Criteria:\n\n  -  Adults with type 2 diabetes.\n\n"
            "Patients whose eGFR is below 45 mL/min/1.73 m2 need a nephrologist's approval.\n\n"
            "  -  HbA1c from 7% to 10%.\n")
    s = split_criteria(text)
    assert [(i.number, i.group) for i in s.items] == [("1", None), ("2", None), ("3", None)]
    assert s.items[1].text.startswith("Patients whose eGFR is below 45")

"""Regression tests for sub-headings and lead-ins probed apart from the fixture records: a sub-heading of
contraindications or exclusions under the Inclusion heading, a lead-in that leaves its items to the investigator's
judgement, a lone heading naming one group of participants, a restriction on a procedure, and a history of an
infection. The expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import drafts

_AGE = {"age": {"ge": 18}}
_HIV = {"ref": "hiv_positive"}
_PREGNANT = {"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}
_PLATELETS = {"latest": {"code": "platelets", "lt": "50 10*3/uL"}}


def _whens(text: str) -> dict[str, list[object]]:
    return {section: [w for w, _ in found] for section, found in drafts(text).items()}


# a sub-heading under the Inclusion heading that names what bars a participant: contraindications to a procedure, the
# reasons for exclusion; nested as a list item or as a heading line of its own
_BARRING = ("Contraindications to MRI:", "Contra-indications for magnetic resonance imaging:", "MRI contraindications:",
            "Relative or absolute contraindications to the study drug:", "Conditions that contraindicate MRI:",
            "Exclusionary conditions:", "Disqualifying conditions:", "Conditions precluding MRI:",
            "Safety exclusions for MRI:", "Contraindications to MRI, such as:")


def test_items_under_a_sub_heading_of_contraindications_in_the_inclusions_are_no_requirements() -> None:
    # each had been drafted at 0.8 as required for inclusion (HIV infection, platelets below 50,000 required): they
    # are what bars a participant. Drafting them negated is not safe either: 'Contraindication to surgery:' under the
    # inclusions may as well list what the study's patients must have (a trial of a non-surgical treatment for those
    # who cannot be operated on), which the text alone does not tell apart; they are left for review
    for heading in _BARRING:
        nested = f"Inclusion Criteria:\n\n* Age 18 or older\n* {heading}\n  * HIV infection\n  * Platelets < 50,000/mm3\n"
        assert _whens(nested)["Inclusion Criteria"] == [_AGE], heading
        own_line = f"Inclusion Criteria:\n\n* Age 18 or older\n\n{heading}\n\n* HIV infection\n* Platelets < 50,000/mm3\n"
        assert _whens(own_line)["Inclusion Criteria"] == [_AGE], heading


def test_items_under_a_sub_heading_of_contraindications_in_the_exclusions_still_exclude() -> None:
    for heading in ("Contraindications to MRI:", "Exclusionary conditions:", "Any contraindication to MRI, including:"):
        text = (f"Inclusion Criteria:\n\n* Age 18 or older\n\nExclusion Criteria:\n\n* {heading}\n  * HIV infection\n"
                "  * Platelets < 50,000/mm3\n")
        assert _whens(text) == {"Inclusion Criteria": [_AGE], "Exclusion Criteria": [_HIV, _PLATELETS]}, heading


def test_an_inclusion_item_that_names_a_contraindication_alone_is_read_as_before() -> None:
    # no sub-items: the item itself is left for review; an inclusion not under such a heading drafts as before
    text = ("Inclusion Criteria:\n\n* Age 18 or older\n* No contraindication to MRI\n* Adequate organ function:\n"
            "  * Platelets >= 100,000/mm3\n")
    assert _whens(text)["Inclusion Criteria"] == [_AGE, {"latest": {"code": "platelets", "ge": "100 10*3/uL"}}]


# a lead-in that leaves its items to the investigator's judgement, nested as a list item or as a line of its own
_JUDGED = ("In the judgement of the investigator, any of the following:", "Any of the following, at the investigator's discretion:",
           "If in the opinion of the investigator any of the following apply:", "In the investigator's opinion:",
           "Per investigator judgment, patients with:", "At the discretion of the investigator:",
           "Any of the following if considered clinically significant by the investigator:",
           "The following, as judged by the investigator:", "Deemed by the investigator to have:",
           "According to the investigator's judgement:", "In the view of the treating physician, patients with:")


def test_items_under_a_lead_in_of_the_investigators_judgement_are_left_for_review() -> None:
    # each had been drafted at 0.8-0.85 as a plain exclusion (HIV infection, pregnancy, platelets below 50,000). A
    # clinician reads the lead-in as the investigator's call: a patient with HIV infection on effective treatment, or a
    # platelet count of 45,000 that the investigator judges stable, may still be enrolled; nothing below it excludes on
    # its own, and a draft at 0.6 would still turn such a patient away at screening
    for lead in _JUDGED:
        nested = (f"Inclusion Criteria:\n\n* Age 18 or older\n\nExclusion Criteria:\n\n* {lead}\n  * HIV infection\n"
                  "  * Pregnant\n  * Platelets < 50,000/mm3\n")
        assert _whens(nested) == {"Inclusion Criteria": [_AGE], "Exclusion Criteria": []}, lead
        own_line = (f"Inclusion Criteria:\n\n* Age 18 or older\n\nExclusion Criteria:\n\n{lead}\n\n* HIV infection\n"
                    "* Pregnant\n* Platelets < 50,000/mm3\n")
        assert _whens(own_line) == {"Inclusion Criteria": [_AGE], "Exclusion Criteria": []}, lead
        inclusion = f"Inclusion Criteria:\n\n* Age 18 or older\n* {lead}\n  * ECOG 0-1\n"
        assert _whens(inclusion)["Inclusion Criteria"] == [_AGE], lead


def test_a_judgement_in_an_item_beside_the_list_leaves_the_list_as_before() -> None:
    # the judgement is the item's own, not a lead-in of the items after it
    text = ("Inclusion Criteria:\n\n* Age 18 or older\n\nExclusion Criteria:\n\n"
            "* Any condition that, in the opinion of the investigator, would compromise safety\n* HIV infection\n"
            "* Subjects with any of the following:\n  * Pregnant\n  * Platelets < 50,000/mm3\n")
    assert _whens(text) == {"Inclusion Criteria": [_AGE], "Exclusion Criteria": [_HIV, _PREGNANT, _PLATELETS]}
    # what someone only measures or assesses is no judgement of whether it qualifies
    text = "Inclusion Criteria:\n\n* Adequate organ function as assessed by the investigator:\n  * Platelets >= 100,000/mm3\n"
    assert _whens(text)["Inclusion Criteria"] == [{"latest": {"code": "platelets", "ge": "100 10*3/uL"}}]

"""Regression tests for what the sixty-second held-out batch's first run and the probing of its shapes found, each
phrased apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import drafts
from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


def _included(item: str) -> list[tuple[object, float]]:
    return drafts("Inclusion Criteria:\n  -  " + item)["Inclusion Criteria"]


PREGNANT = {"ref": "pregnant"}


def test_an_inclusion_opening_with_the_pregnancy_it_requires_is_of_pregnant_women() -> None:
    # 'Singleton pregnancy' under Inclusion had been left for review (a library-known miss): a pregnancy of one kind was
    # read as no pregnancy state, and an inclusion of pregnant women was left whole; the participant is pregnant, the
    # kind or stage left to the review criterion beside the draft
    assert _included("Twin pregnancy") == [(PREGNANT, 0.6)]
    assert _included("Women with a viable intrauterine pregnancy") == [(PREGNANT, 0.6)]
    assert _included("Uncomplicated singleton pregnancy at 20 to 30 weeks") == [(PREGNANT, 0.6)]
    assert _included("Pregnant women with gestational diabetes") == [(PREGNANT, 0.6)]
    assert _included("Pregnant patients in the third trimester.") == [(PREGNANT, 0.6)]
    # the state alone, nothing more to review
    assert _included("Pregnancy") == [(PREGNANT, 0.7)]
    assert _included("Pregnant women.") == [(PREGNANT, 0.7)]
    assert _included("Currently pregnant") == [(PREGNANT, 0.7)]
    assert _included("Currently pregnant with a singleton fetus") == []  # the fetus: another person named
    # with an age beside it, both
    assert _inclusion("Pregnant women aged 18 to 40 years") == [PREGNANT, {"age": {"between": [18, 40]}}]


def test_a_pregnancy_that_is_no_present_requirement_of_the_participant_stays_left() -> None:
    for text in ("Pregnant or postpartum women", "Pregnant women and their partners", "Infants of pregnant women",
                 "History of pregnancy loss", "Recurrent pregnancy loss", "Pregnancy-induced hypertension",
                 "Women planning a pregnancy", "Pregnant women who are not breastfeeding another child",
                 "Women with a pregnancy test scheduled", "Women with an ectopic pregnancy",
                 "Pregnant women or women who delivered within 6 weeks", "Pregnancy registry participants",
                 "Pregnant women exposed to the vaccine", "Women who were pregnant in the past year",
                 "Pregnancy. Age 18 or older", "Pregnant women and adolescents",
                 "Pregnant women and healthy non-pregnant controls", "Pregnant women and their husbands"):
        assert PREGNANT not in _inclusion(text), text
    # the exclusions as before
    assert _exclusion("Pregnancy") == [({"all": [{"sex": ["female"]}, PREGNANT]}, 0.8)]
    assert _exclusion("Twin pregnancy") == []
    # a negated state and a negative test in an inclusion as before
    assert _inclusion("Not pregnant") == [{"not": {"all": [{"sex": ["female"]}, PREGNANT]}}]


def _excluded_under(heading: str, *items: str) -> list[tuple[object, float]]:
    text = "Inclusion Criteria:\n  -  Adults\nExclusion Criteria:\n" + heading + "\n" + "".join(f"  -  {i}\n" for i in items)
    return drafts(text)["Exclusion Criteria"]


def test_items_under_a_history_lead_in_are_of_any_time() -> None:
    # the batch's exclusions stand under a sub-heading 'History of:' (none drafted there); probing it, a pregnancy under
    # such a lead-in had been drafted as the present state at 0.8 (and an infection at 0.85): a history is at any time
    assert _excluded_under("History of:", "Pregnancy", "Hepatitis B infection") == []
    assert _excluded_under("Prior history of the following:", "Breast-feeding", "HIV") == []
    assert _excluded_under("Past medical history of:", "Active tuberculosis", "Cancer") == []
    # a lead-in of the present state, or none, as before
    assert _excluded_under("Current conditions:", "Pregnancy") == [({"all": [{"sex": ["female"]}, PREGNANT]}, 0.8)]
    assert _excluded_under("Any of the following:", "HIV infection") == [({"ref": "hiv_positive"}, 0.85)]


def test_items_written_after_a_flat_history_lead_in_at_its_level_are_under_it() -> None:
    """A list item that is only a history lead-in ('- History of:') with its items written at its own level after
    it: they are a history (left for review), not the present state; up to the next lead-in ending with a colon."""
    flat = ("Inclusion Criteria:\n\n- Adults 18 years or older\n\nExclusion Criteria:\n\n- {lead}\n- Cancer\n- Pregnancy\n"
            "- Hepatitis B infection\n- Any of the following:\n- HIV infection\n")
    for lead in ("History of:", "Past medical history of any of the following:", "Prior history of the following:"):
        assert drafts(flat.format(lead=lead))["Exclusion Criteria"] == [({"ref": "hiv_positive"}, 0.85)], lead
    # the same items with no lead-in before them are drafted; so are items after a lead-in that is no history
    listed = drafts("Inclusion Criteria:\n\n- Adults 18 years or older\n\nExclusion Criteria:\n\n- Pregnancy\n"
                    "- Hepatitis B infection\n")["Exclusion Criteria"]
    assert [w for w, _ in listed] == [{"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}, {"ref": "hepatitis_b_positive"}]
    assert drafts("Inclusion Criteria:\n\n- Adults\n\nExclusion Criteria:\n\n- Medical conditions:\n- Pregnancy\n")[
        "Exclusion Criteria"] == [({"all": [{"sex": ["female"]}, {"ref": "pregnant"}]}, 0.8)]

"""Regression tests for what the thirty-seventh held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

import pytest

from screening.ctgov.text import heading_kind, split_criteria
from tests.ctgov.drafting import drafts
from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion


@pytest.mark.parametrize(("line", "kind"), [
    ("EXCLUSION", "exclusion"), ("Inclusions", "inclusion"), ("  Exclusion  ", "exclusion"),
    ("**Inclusion**", "inclusion"), ("Key Exclusions", "exclusion"),
    # a word that is not the section's name alone stays an item
    ("Exclusions apply", None), ("Inclusion of women", None), ("* Exclusion", None),
])
def test_a_section_word_alone_on_its_line_is_a_heading(line: str, kind: str | None) -> None:
    assert heading_kind(line) == kind


def test_items_under_bare_section_words_keep_their_sections() -> None:
    # 'Inclusion' and 'Exclusion' written without 'Criteria' or a colon had been items, and every
    # exclusion had been read as an inclusion
    s = split_criteria("INCLUSION\n\n- Adults with type 2 diabetes\n- HbA1c 7-10 %\n\nEXCLUSION\n\n"
                       "- Insulin treatment within 3 months\n- eGFR < 30 mL/min/1.73 m2")
    assert [(i.kind, i.number, i.text) for i in s.items] == [
        ("inclusion", "1", "Adults with type 2 diabetes"), ("inclusion", "2", "HbA1c 7-10 %"),
        ("exclusion", "1", "Insulin treatment within 3 months"), ("exclusion", "2", "eGFR < 30 mL/min/1.73 m2")]


def test_a_performance_score_counted_in_points() -> None:
    # 'ECOG score ≤ 2 points.' had been left for review: 'points' after the bound was read as another threshold
    assert drafts("Inclusion Criteria:\n\n* WHO performance status 0 to 1 point\n")["Inclusion Criteria"] == [
        ({"latest": {"code": "ecog", "between": [0, 1]}}, 0.9)]
    assert _inclusion("Eastern Cooperative Oncology Group score of 2 points or less within 14 days") == [
        {"latest": {"code": "ecog", "le": 2, "within": "14 days"}}]
    assert _exclusion("ECOG > 2 pts") == [({"latest": {"code": "ecog", "gt": 2}}, 0.9)]
    # a score at a past time is still left for review when its unit comes between
    assert _inclusion("ECOG 0-1 points at the time of diagnosis") == []


def test_a_medication_started_or_changed_in_a_window_is_not_any_use_in_it() -> None:
    # probed from 'Start or change dose of corticosteroids within 1 week of screening': 'Initiation of
    # corticosteroid therapy within 30 days' had been drafted as any use in the 30 days (at 0.6), which
    # excludes a long-standing user at a stable dose the item lets in
    for text in ("Steroid treatment initiated within the last 4 weeks", "Newly started glucocorticoids within 14 days",
                 "Prednisone dose increased within 2 weeks of randomisation",
                 "Chemotherapy commenced within 21 days before enrolment"):
        assert _exclusion(text) == [], text
    # use in a window is drafted as before
    assert _exclusion("Systemic corticosteroids within 2 weeks before randomisation") == [
        ({"medication": {"code": "systemic_corticosteroids", "within": "2 weeks"}}, 0.6)]
    # the start of the study named in the window, or in another clause, is no start of the medication
    assert _exclusion("Chemotherapy within 4 weeks prior to starting treatment") == [
        ({"medication": {"code": "antineoplastic_agents", "within": "4 weeks"}}, 0.6)]
    assert _exclusion("Before the start of dosing, vaccines within 7 days") == [
        ({"medication": {"code": "vaccines", "within": "7 days"}}, 0.6)]

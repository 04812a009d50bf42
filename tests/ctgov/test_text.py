"""Splitting a registry eligibility text into inclusion and exclusion items."""

from __future__ import annotations

from screening.ctgov.text import split_criteria, unescape


def test_lowercase_eligibility_heading_and_continuations() -> None:
    text = ("Eligibility criteria:\n\nFor group A:\n\n* first item\n* second item\n\n  NOTE: still the second\n\n"
            "Exclusion criteria:\n\n1. one\n   continued here\n2. two\n   a. nested\n")
    s = split_criteria(text)
    assert [(i.kind, i.number, i.group) for i in s.items] == [
        ("inclusion", "1", "For group A"), ("inclusion", "2", "For group A"),
        ("exclusion", "1", None), ("exclusion", "2", None), ("exclusion", "2.1", None)]
    assert s.items[1].text == "second item\nNOTE: still the second"
    assert s.items[1].notes_from == len("second item") and s.items[0].notes_from is None
    assert s.items[2].text == "one\ncontinued here"
    assert (s.items[4].parent, s.items[4].depth) == ("2", 1)
    assert s.headings == ["Eligibility criteria:", "Exclusion criteria:"] and s.notes == []


def test_no_heading_and_a_subgroup_heading_without_items() -> None:
    s = split_criteria("Adults with asthma\nwho smoke\n\nFor smokers:")
    assert [(i.kind, i.number, i.text, i.group) for i in s.items] == [
        ("inclusion", "1", "Adults with asthma\nwho smoke", None), ("inclusion", "2", "For smokers:", None)]
    assert s.notes == ["no Inclusion/Exclusion heading: every item is read as inclusion"]


def test_key_headings_and_numbered_markers() -> None:
    s = split_criteria("Key Inclusion Criteria:\n1) one\n(2) two\nKey Exclusion Criteria:\n* three\n  i. four")
    assert [(i.kind, i.number, i.text) for i in s.items] == [
        ("inclusion", "1", "one"), ("inclusion", "2", "two"), ("exclusion", "1", "three"), ("exclusion", "1.1", "four")]


def test_unescape() -> None:
    assert unescape("vital signs\\*, \\*\\*Includes, 10\\^9") == "vital signs*, **Includes, 10^9"
    assert unescape("=\\< 1 and \\>= 2") == "=< 1 and >= 2"

"""Thresholds and time windows read from eligibility text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.ctgov.text import unescape
from screening.ctgov.thresholds import comparisons, parse_number, quantity, ranges, uln_multiples
from screening.ctgov.windows import windows


def test_markdown_escapes_and_unicode_signs() -> None:
    text = "Platelets \\>= 75,000/mm3\nANC =\\< 1.5 x 10^9/L\nHemoglobin ≥ 9 g/dL\nBMI \\<18 or \\>35 kg/m2"
    got = [(c.op, c.value, c.unit) for c in comparisons(unescape(text), counting=True)]
    assert got == [("ge", 75000.0, "/mm3"), ("le", 1.5, "10*9/L"), ("ge", 9.0, "g/dL"), ("lt", 18.0, None),
                   ("gt", 35.0, "kg/m2")]


def test_thresholds_in_words_and_number_formats() -> None:
    got = [(c.op, c.value, c.unit) for c in comparisons("creatinine of 2.0 mg/dl or less; "
                                                        "platelet count of 100,000 per cu mm or more; "
                                                        "at least 1.500 per cu mm; no more than 1,5 mg/dL",
                                                        counting=True)]
    assert got == [("le", 2.0, "mg/dL"), ("ge", 100000.0, "/mm3"), ("ge", 1500.0, "/mm3"), ("le", 1.5, "mg/dL")]
    assert parse_number("100.000", counting=True) == 100000.0
    assert parse_number("1.500", counting=False) == 1.5
    assert parse_number("3,000") == 3000.0
    assert parse_number("100 000") == 100000.0


def test_quantities_as_the_grammar_writes_them() -> None:
    assert quantity(2.0, "mg/dL") == "2 mg/dL"
    assert quantity(1.5, "10*3/uL") == "1.5 10*3/uL"
    assert quantity(1.0, "1") == 1 and quantity(2.5, None) == 2.5


def test_windows() -> None:
    assert [w.duration for w in windows("abuse in the past 5 years; surgery within 4 weeks; within the last year")] == [
        "5 years", "4 weeks", "1 year"]
    assert [w.duration for w in windows("in past six months")] == ["6 months"]
    assert [w.duration for w in windows("within 28 days (4 weeks) of the first dose")] == ["28 days"]
    assert windows("in 5 years") == []
    # hours as whole days; an upper bound from an event ('before', 'prior to', 'from', after 'onset')
    assert [w.duration for w in windows("within 48 hrs of admission")] == ["2 days"]
    assert windows("within 36 hours") == []
    assert [w.duration for w in windows("PCR positive less than 5 days before enrolment")] == ["5 days"]
    assert [w.duration for w in windows("time since onset of symptoms ≤ 14 days")] == ["14 days"]
    assert [w.duration for w in windows("symptom onset <= 7 days")] == ["7 days"]
    assert windows("QTc < 450 ms") == windows("age < 18 years") == []
    assert [w.duration for w in windows("in the 10 days preceding surgery")] == ["10 days"]
    # a time after the reference point looks forward: no window back from screening
    assert windows("vaccination planned within 3 weeks after randomisation") == []
    assert windows("pregnancy intended within the twelve months following the last dose") == []
    (w,) = windows("surgery within 4 weeks")
    assert "surgery within 4 weeks"[w.start:w.end] == "within 4 weeks"


def test_numbers_that_cannot_be_read_are_skipped() -> None:
    # mixed separators: no number is read across them, and nothing raises
    assert [(c.op, c.value) for c in comparisons("platelets ≥ 35 100.000/mm3", counting=True)] == [("ge", 35.0)]
    assert comparisons("35 100.000") == []
    with pytest.raises(ValueError):
        parse_number("35 100.000")


@pytest.mark.parametrize(("text", "expected"), [
    ("≥ 100 000/mmc", ("ge", 100000.0, "/mm3")),
    ("≥ 1.5 x 10^9/L", ("ge", 1.5, "10*9/L")),
    ("≥ 4.0×109/L", ("ge", 4.0, "10*9/L")),  # the caret lost in copying
    ("≥ 100 x 10^3/µL", ("ge", 100.0, "10*3/uL")),
    ("≥ 150 K/uL", ("ge", 150.0, "10*3/uL")),
    ("< 30 mL/min/1.73m^2", ("lt", 30.0, "mL/min/{1.73_m2}")),
    ("≤ 25 µmol/L", ("le", 25.0, "umol/L")),
    ("> 140 mmHg", ("gt", 140.0, "mm[Hg]")),
    ("≤ 100 IU/L", ("le", 100.0, "[IU]/L")),
    ("> 480 msec", ("gt", 480.0, "ms")),
    ("</= 30%", ("le", 30.0, "%")),
    ("greater or equal to 18", ("ge", 18.0, None)),
    ("not to exceed 2 mg/dL", ("le", 2.0, "mg/dL")),
    ("below 36.0\u2103", ("lt", 36.0, "Cel")),  # the one-character degree Celsius sign
    ("\u2265 100.4 \u2109", ("ge", 100.4, "[degF]")),  # and degree Fahrenheit
])
def test_units_are_read_through_the_table_of_lab_spellings(text: str, expected: tuple[str, float, str | None]) -> None:
    (c,) = comparisons(text, counting=True)
    assert (c.op, c.value, c.unit) == expected


def test_ranges_and_multiples_of_the_upper_limit_of_normal() -> None:
    ((lo, hi),) = ranges("BMI of 18 to 35 kg/m2, inclusive")
    assert (lo.op, lo.value, hi.op, hi.value, hi.unit) == ("ge", 18.0, "le", 35.0, "kg/m2")
    assert ranges("Grades 9-12") == []  # no unit: no range
    got = [(u.op, u.factor) for u in uln_multiples("AST ≤ 2.5 x ULN; ALT less than 3 times upper limit of normal; "
                                                    "SGPT of 2.5 X institutional norm or less")]
    assert got == [("le", 2.5), ("lt", 3.0), ("le", 2.5)]


def test_no_value_meets_a_lower_bound_above_an_upper_bound_or_at_it_with_either_strict() -> None:
    from screening.ctgov.thresholds import no_value_meets_both

    assert no_value_meets_both(30, False, 20, False)  # 'above 30 and below 20'
    assert not no_value_meets_both(20, False, 30, False)  # a range: 20 to 30
    assert not no_value_meets_both(20, False, 20, False)  # '>= 20 and <= 20': 20 meets both
    assert no_value_meets_both(20, True, 20, False)  # '> 20 and <= 20'
    assert no_value_meets_both(20, False, 20, True)  # '>= 20 and < 20' (the labs' copy had read it as met by 20)
    assert no_value_meets_both(20, True, 20, True)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789.,' ’x-", max_size=14), st.integers(min_value=0, max_value=3))
def test_a_number_with_its_first_digit_written_once_matches_as_the_alternatives_spelt_out(text: str, pos: int) -> None:
    """`NUMBER` writes its first digit once, ahead of its alternatives (so a search for a threshold looks only where a
    digit stands): at any place of any text of digits and separators it matches what the alternatives spelt out
    match."""
    import re

    from screening.ctgov.thresholds import NUMBER

    thousands = "|".join(rf"\d{{1,3}}(?:{sep}\d{{3}})+(?![\d]|[.,]\d)" for sep in (",", r"\.", "['’]", " "))
    spelt_out = re.compile(rf"(?:{thousands}|\d+(?:[.,]\d+)?)")
    new = re.compile(NUMBER)
    for p in range(min(pos, len(text)) + 1):
        old_m, new_m = spelt_out.match(text, p), new.match(text, p)
        assert (old_m and old_m.span()) == (new_m and new_m.span()), (text, p)
    assert [m.span() for m in spelt_out.finditer(text)] == [m.span() for m in new.finditer(text)]
    assert new.fullmatch("1,500") and new.fullmatch("1'500") and new.fullmatch("12.5") and not new.fullmatch("1,50,0")

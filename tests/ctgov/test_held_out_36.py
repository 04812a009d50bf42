"""Regression tests for what the thirty-sixth held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import inclusion as _inclusion


def test_an_age_range_written_with_two_worded_operators() -> None:
    # 'Age greater than or equal to 18 years and less than or equal to 72 years' had been read as age <= 18
    # ('18 years and less'): the 'less' is the next bound's operator
    assert _inclusion("Men and women greater than or equal to 21 years of age and less than or equal to 65 years "
                      "of age") == [{"age": {"between": [21, 65]}}]
    assert _inclusion("Aged greater than or equal to 40 years and less than 80 years") == [
        {"age": {"ge": 40, "lt": 80}}]
    # a bound with its word after it is read as before
    assert _inclusion("Aged 70 years or less") == [{"age": {"le": 70}}]
    assert _inclusion("Aged 18 years and older") == [{"age": {"ge": 18}}]


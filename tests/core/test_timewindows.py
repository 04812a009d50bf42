"""Durations on an explicit screening date: calendar months and years, leap days, ages."""

from __future__ import annotations

import datetime as dt

import pytest

from screening.core.timewindows import Duration, DurationError, age_years, shift

D = dt.date


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("4 weeks", 4, "weeks"), ("90 days", 90, "days"), ("10 years", 10, "years"), ("1 month", 1, "months"),
        ("6 mo", 6, "months"), ("2 wk", 2, "weeks"), ("1 d", 1, "days"), ("5 a", 5, "years"), ("3 Y", 3, "years"),
        (" 12  months ", 12, "months"), (30, 30, "days"), (0, 0, "days"),
    ],
)
def test_parse(text: str | int, amount: int, unit: str) -> None:
    assert Duration.parse(text) == Duration(amount, unit)


@pytest.mark.parametrize("bad", ["90 dayz", "-3 days", "1.5 years", "", "weeks", "4", True, None, 3.0, -1])
def test_parse_rejects(bad: object) -> None:
    with pytest.raises(DurationError, match="is not a duration"):
        Duration.parse(bad)  # type: ignore[arg-type]


def test_str_is_singular_for_one() -> None:
    assert str(Duration.parse("1 years")) == "1 year"
    assert str(Duration.parse("2 week")) == "2 weeks"
    assert str(Duration.parse(1)) == "1 day"


def test_ten_years_before_a_leap_day() -> None:
    assert Duration.parse("10 years").before(D(2024, 2, 29)) == D(2014, 2, 28)
    assert Duration.parse("4 years").before(D(2024, 2, 29)) == D(2020, 2, 29)
    assert Duration.parse("1 year").after(D(2024, 2, 29)) == D(2025, 2, 28)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2023, 3, 31), -1, D(2023, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 5, 31), 1, D(2024, 6, 30)),
        (D(2024, 1, 15), -2, D(2023, 11, 15)),
        (D(2024, 12, 31), 1, D(2025, 1, 31)),
        (D(2024, 1, 1), -13, D(2022, 12, 1)),
        (D(2024, 11, 22), -12, D(2023, 11, 22)),
    ],
)
def test_calendar_months(start: dt.date, months: int, expected: dt.date) -> None:
    assert shift(start, months, "months") == expected


def test_twelve_months_is_one_year() -> None:
    for day in (D(2024, 2, 29), D(2023, 12, 31), D(2024, 7, 15)):
        assert Duration.parse("12 months").before(day) == Duration.parse("1 year").before(day)


def test_days_and_weeks_are_exact_across_leap_days() -> None:
    assert Duration.parse("1 week").before(D(2024, 3, 3)) == D(2024, 2, 25)
    assert Duration.parse("90 days").before(D(2024, 5, 29)) == D(2024, 2, 29)
    assert Duration.parse("4 weeks").before(D(2024, 3, 1)) == D(2024, 2, 2)
    assert Duration.parse("365 days").before(D(2024, 12, 31)) == D(2024, 1, 1)


def test_approx_days_orders_mixed_units() -> None:
    assert Duration.parse("2 weeks").approx_days() < Duration.parse("15 days").approx_days()
    assert Duration.parse("1 month").approx_days() < Duration.parse("5 weeks").approx_days()
    assert Duration.parse("12 months").approx_days() < Duration.parse("1 year").approx_days() + 1e-9


@pytest.mark.parametrize(
    ("on", "age"),
    [(D(2018, 6, 14), 17), (D(2018, 6, 15), 18), (D(2018, 6, 16), 18), (D(2019, 6, 14), 18)],
)
def test_age_around_a_birthday(on: dt.date, age: int) -> None:
    assert age_years(D(2000, 6, 15), on) == age


@pytest.mark.parametrize(
    ("on", "age"),
    [
        (D(2018, 2, 27), 17), (D(2018, 2, 28), 17), (D(2018, 3, 1), 18),  # common year: 1 March
        (D(2020, 2, 28), 19), (D(2020, 2, 29), 20), (D(2020, 3, 1), 20),  # leap year: 29 February
    ],
)
def test_age_with_a_29_february_birthday(on: dt.date, age: int) -> None:
    assert age_years(D(2000, 2, 29), on) == age


def test_age_on_the_birth_day_is_zero() -> None:
    assert age_years(D(2024, 2, 29), D(2024, 2, 29)) == 0
    assert age_years(D(2023, 12, 31), D(2024, 12, 30)) == 0

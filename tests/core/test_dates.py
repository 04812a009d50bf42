"""Screening dates: one reading for the API, batch lines, Parquet cells and --as-of."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from screening.core.dates import screening_date


def test_a_screening_date_is_yyyy_mm_dd_or_a_date() -> None:
    assert screening_date("2026-11-01") == dt.date(2026, 11, 1)
    assert screening_date(dt.date(2026, 11, 1)) == dt.date(2026, 11, 1)


@pytest.mark.parametrize(("value", "message"), [
    ("2026-02-30", "'2026-02-30' is not a date (YYYY-MM-DD)"),
    ("20261101", "'20261101' is not a date (YYYY-MM-DD)"),
    ("01/11/2026", "'01/11/2026' is not a date (YYYY-MM-DD)"),
    ("", "'' is not a date (YYYY-MM-DD)"),
    (20261101, "a screening date is a string YYYY-MM-DD, not int"),
    (None, "a screening date is a string YYYY-MM-DD, not null"),
    (dt.datetime(2026, 11, 1, 9, 30), "a screening date is a string YYYY-MM-DD, not datetime"),
    ("1899-12-31", "the screening date must be between 1900-01-01 and 2199-12-31"),
    ("2200-01-01", "the screening date must be between 1900-01-01 and 2199-12-31"),
])
def test_what_is_not_a_screening_date(value: Any, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        screening_date(value)
    assert str(caught.value) == message

"""Screening dates as people write them: `YYYY-MM-DD`, between 1900 and 2199.

One reading for every way a date comes in: the HTTP API's `as_of`, a batch line's
`{"patient": ..., "as_of": ...}`, a Parquet cohort's `as_of` column and the `--as-of` option.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

EARLIEST_AS_OF = dt.date(1900, 1, 1)
LATEST_AS_OF = dt.date(2199, 12, 31)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def calendar_date(value: Any, what: str = "a date") -> dt.date:
    """A calendar day as JSON writes it: a `YYYY-MM-DD` string (or, from Python, a date), never a
    number (pydantic would read `0` as 1970-01-01) nor a date-time; ValueError otherwise."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{what} is a string YYYY-MM-DD, not {_kind(value)}")
    try:
        if not _DATE_RE.match(value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def screening_date(value: Any) -> dt.date:
    """A screening date: a `YYYY-MM-DD` string (or a date) between 1900 and 2199; ValueError otherwise."""
    day = calendar_date(value, "a screening date")
    if not EARLIEST_AS_OF <= day <= LATEST_AS_OF:
        raise ValueError(f"the screening date must be between {EARLIEST_AS_OF} and {LATEST_AS_OF}")
    return day


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__

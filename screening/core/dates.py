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


def screening_date(value: Any) -> dt.date:
    """A screening date: a `YYYY-MM-DD` string (or a date) between 1900 and 2199; ValueError otherwise."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif not isinstance(value, str):
        raise ValueError(f"a screening date is a string YYYY-MM-DD, not {_kind(value)}")
    else:
        try:
            if not _DATE_RE.match(value):
                raise ValueError
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    if not EARLIEST_AS_OF <= day <= LATEST_AS_OF:
        raise ValueError(f"the screening date must be between {EARLIEST_AS_OF} and {LATEST_AS_OF}")
    return day


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__

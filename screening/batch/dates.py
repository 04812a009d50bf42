"""Screening dates in a batch: the dates a cohort carries, and which date each patient is screened at.

A JSON Lines line may carry its patient's own date, `{"patient": ..., "as_of": "YYYY-MM-DD"}`, and
a Parquet cohort an `as_of` column; a folder of FHIR Bundles carries none. The policy:

* a patient with its own date is screened at it (a clinician screens a patient at the visit);
* a patient without one at the batch date: `--as-of`, else today, with a warning, since records
  dated for another day (a synthetic cohort's, an extract's) are then judged stale or recent
  against today;
* `--force-as-of` screens every patient at `--as-of`, their own dates notwithstanding;
* an `--as-of` more than `TOLERANCE_DAYS` away from the dates the cohort carries is refused
  without `--force-as-of`: it would not apply to the dated patients, which is unlikely what was meant.

Planning counts the dates an input carries (`InputDates`): in JSON Lines, the `"as_of"` keys the
lines hold (a scan over the bytes the plan reads anyway; a line whose date turns out invalid is
reported by its worker); in Parquet, the valid cells of the `as_of` column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.parquet as pq

from screening.batch.config import BatchError
from screening.core.dates import screening_date

TOLERANCE_DAYS = 30
AS_OF_COLUMN = "as_of"
DatePolicyName = Literal["own date first", "--as-of for every patient"]

# an "as_of" key and its string value; whitespace and value bounded, so a match is at most OVERLAP bytes
_AS_OF_KEY = re.compile(rb'"as_of"[ \t\r\n]{0,8}:[ \t\r\n]{0,8}"([^"\\\n]{0,32})"')
OVERLAP = 64


@dataclass
class InputDates:
    """The screening dates an input carries: how many lines (rows) carry one, the earliest and the latest."""

    dated: int = 0
    first: dt.date | None = None
    last: dt.date | None = None

    def add(self, day: dt.date, n: int = 1) -> None:
        self.dated += n
        self.first = day if self.first is None else min(self.first, day)
        self.last = day if self.last is None else max(self.last, day)

    def span(self) -> str:
        """`2026-11-01`, or `2026-09-01 to 2026-11-01`."""
        return f"{self.first}" if self.first == self.last else f"{self.first} to {self.last}"

    def days_outside(self, day: dt.date) -> int:
        """How many days `day` lies before the first date or after the last (0 within them)."""
        if self.first is None or self.last is None:
            return 0
        return max((self.first - day).days, (day - self.last).days, 0)


@dataclass
class JsonlDateScan:
    """The `"as_of"` keys of a JSON Lines file, fed block by block (a key cut by a block boundary is
    found in the overlap with the previous block, and counted once)."""

    values: Counter[bytes] = field(default_factory=Counter)
    tail: bytes = b""

    def feed(self, block: bytes) -> None:
        data = self.tail + block
        skip = len(self.tail)  # matches ending in the overlap were counted with the previous block
        self.values.update(m.group(1) for m in _AS_OF_KEY.finditer(data) if m.end() > skip)
        self.tail = data[-OVERLAP:]

    def result(self) -> InputDates:
        dates = InputDates()
        for raw, n in self.values.items():
            try:
                dates.add(screening_date(raw.decode("utf-8")), n)
            except (ValueError, UnicodeDecodeError):
                pass  # the worker reports the line
        return dates


def parquet_dates(path: Path) -> InputDates:
    """The valid cells of a Parquet cohort's `as_of` column (dates, or YYYY-MM-DD strings)."""
    dates = InputDates()
    schema = pq.read_schema(path)
    if AS_OF_COLUMN not in schema.names:
        return dates
    kind = schema.field(AS_OF_COLUMN).type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_date(kind)
            or pa.types.is_null(kind)):
        raise BatchError(f"{path}: the as_of column holds {kind}: it must hold dates or YYYY-MM-DD strings")
    for value, n in Counter(pq.read_table(path, columns=[AS_OF_COLUMN]).column(0).to_pylist()).items():
        try:
            dates.add(screening_date(value), n)
        except ValueError:
            pass  # null (no date of its own), or invalid: the worker reports the row
    return dates


@dataclass(frozen=True)
class DatePolicy:
    """The batch date (for patients without their own), where it comes from, and whether it overrides."""

    as_of: dt.date
    from_option: bool  # --as-of given (else today)
    force: bool  # --force-as-of: the batch date for every patient

    @property
    def name(self) -> DatePolicyName:
        """What the manifest records: own dates first, or the batch date for every patient."""
        return "--as-of for every patient" if self.force else "own date first"

    @property
    def source(self) -> str:
        """Where the batch date comes from: `--as-of` or `today`."""
        return "--as-of" if self.from_option else "today"


def date_policy(as_of: dt.date | None, force: bool, dates: InputDates, lines: int,
                today: dt.date | None = None) -> tuple[DatePolicy, list[str]]:
    """The batch's date policy and the warnings to give; raises `BatchError` for --force-as-of without
    --as-of, and for an --as-of far from the dates the cohort carries (unless forced)."""
    if as_of is None:
        if force:
            raise BatchError("--force-as-of needs --as-of: the date to screen every patient at")
        policy = DatePolicy(today or dt.date.today(), False, False)
        return policy, _today_warnings(policy.as_of, dates, lines)
    off = dates.days_outside(as_of)
    if not force and off > TOLERANCE_DAYS:
        raise BatchError(_far_message(as_of, dates, lines, off))
    return DatePolicy(as_of, True, force), []


def _today_warnings(today: dt.date, dates: InputDates, lines: int) -> list[str]:
    if dates.dated >= lines:
        return []
    if not dates.dated:
        return [f"the screening date is today's date, {today}: the cohort carries no screening dates and no "
                "--as-of was given. Records dated for another day are judged stale or recent against today; "
                "pass --as-of YYYY-MM-DD to screen at the date the cohort was extracted or generated."]
    return [f"{lines - dates.dated} of {lines} lines carry no screening date of their own and no --as-of was given: "
            f"those patients are screened as of today's date, {today}; pass --as-of YYYY-MM-DD to date them."]


def _far_message(as_of: dt.date, dates: InputDates, lines: int, off: int) -> str:
    where = "after" if dates.last is not None and as_of > dates.last else "before"
    nearest = dates.last if where == "after" else dates.first
    return (f"--as-of {as_of} is {off} days {where} the screening dates the cohort carries ({dates.span()}, on "
            f"{dates.dated} of {lines} lines), and those patients are screened at their own dates, not at "
            f"--as-of. Leave --as-of out (or give one within {TOLERANCE_DAYS} days of them, e.g. --as-of "
            f"{nearest}) to screen them at their own dates, or add --force-as-of to screen every patient as of "
            f"{as_of}.")

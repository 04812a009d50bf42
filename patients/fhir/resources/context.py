"""The state one FHIR import shares between its mappers: the bundle, the warnings, the patient's
birth date and the code systems to take as local; and the checks of dates against them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from patients.fhir import dates
from patients.fhir.bundle import Bundle, Entry
from patients.fhir.codes import UCUM
from patients.fhir.import_warnings import Warnings


@dataclass
class ImportContext:
    bundle: Bundle
    warnings: Warnings
    local_systems: frozenset[str]
    birth: dt.date | None = None
    limit: dt.date = field(default_factory=dates.today_limit)  # a later date is in the future

    def warn(self, e: Entry, field_name: str, message: str) -> None:
        self.warnings.add(e, field_name, message)

    def status_accepted(self, e: Entry, status: Any, accepted: set[str]) -> bool:
        """Is the resource's status one of `accepted`? If not, a warning that it is not imported."""
        if status in accepted:
            return True
        self.warn(e, "status", f"{status!r}: not imported")
        return False

    def check_date(self, e: Entry, field_name: str, d: dt.date | None, planned: bool = False) -> dt.date | None:
        """Reject a date before birth, or in the future unless it is a planned end (`planned`)."""
        if d is None:
            return None
        if d > self.limit and not planned:
            raise self.bundle.error(e, field_name, f"date {d} is in the future")
        if self.birth is not None and d < self.birth:
            raise self.bundle.error(e, field_name, f"date {d} is before the patient's birth date {self.birth}")
        return d

    def day(self, e: Entry, field_name: str, value: Any, planned: bool = False) -> dt.date | None:
        """A full date from a FHIR date/dateTime, checked; a partial date is reported and None."""
        if value is None:
            return None
        d = dates.to_date(value)
        if d is None:
            self.warn(e, field_name, f"{value!r} is not a full date (year-month-day): not used")
            return None
        return self.check_date(e, field_name, d, planned)

    def age_date(self, e: Entry, field_name: str, q: Any) -> dt.date | None:
        """An Age (onsetAge, abatementAge, performedAge) as a date, from the birth date."""
        if q is None:
            return None
        if self.birth is None:
            self.warn(e, field_name, "an age needs the patient's birth date, which is not known: not used")
            return None
        if q.value is None or q.system != UCUM or not q.code:
            self.warn(e, field_name, "an age needs a value and a UCUM time unit (a, mo, wk, d): not used")
            return None
        if q.comparator:
            self.warn(e, field_name, f"age {q.comparator}{q.value} is not an exact age: not used")
            return None
        return self.check_date(e, field_name, self.date_after(e, field_name, self.birth, q))

    def date_after(self, e: Entry, field_name: str, start: dt.date, q: Any) -> dt.date:
        """`start` plus the UCUM time quantity `q`; an impossible sum raises InputError."""
        try:
            return dates.add_duration(start, q.value, q.code)
        except (ValueError, OverflowError) as err:
            raise self.bundle.error(e, field_name, str(err)) from None

    def period(self, e: Entry, field_name: str, p: Any, planned_end: bool = False) -> tuple[dt.date | None, dt.date | None]:
        if p is None:
            return None, None
        start = self.day(e, f"{field_name}.start", p.start)
        end = self.day(e, f"{field_name}.end", p.end, planned_end)
        if start and end and end < start:
            raise self.bundle.error(e, field_name, f"end {end} is before start {start}")
        return start, end

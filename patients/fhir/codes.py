"""Terminology for the FHIR import: code-system URIs, UCUM units, routes, coded results, dates.

Everything here is a pure lookup or conversion. Nothing is guessed: a value that does not map
returns ``None`` together with the reason, and the importer turns the reason into a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import urlparse

from screening.core import units as _units
from screening.core.vocab import Route

UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"

# FHIR code-system URIs (and their HL7 OIDs) -> the profile's code systems.
SYSTEMS: dict[str, str] = {
    "http://loinc.org": "loinc",
    "urn:oid:2.16.840.1.113883.6.1": "loinc",
    SNOMED: "snomed",
    "urn:oid:2.16.840.1.113883.6.96": "snomed",
    "http://hl7.org/fhir/sid/icd-10": "icd10",
    "urn:oid:2.16.840.1.113883.6.3": "icd10",
    "http://hl7.org/fhir/sid/icd-10-cm": "icd10cm",
    "urn:oid:2.16.840.1.113883.6.90": "icd10cm",
    "http://www.whocc.no/atc": "atc",
    "urn:oid:2.16.840.1.113883.6.73": "atc",
    "http://www.nlm.nih.gov/research/umls/rxnorm": "rxnorm",
    "urn:oid:2.16.840.1.113883.6.88": "rxnorm",
}

SYSTEM_NAMES = {SNOMED: "SNOMED CT", "http://loinc.org": "LOINC", UCUM: "UCUM"}

# Which code system to keep when a concept carries several codings, per record kind.
PREFERENCE: dict[str, tuple[str, ...]] = {
    "condition": ("snomed", "icd10cm", "icd10"),
    "observation": ("loinc", "snomed"),
    "procedure": ("snomed", "loinc", "icd10cm", "icd10"),
    "medication": ("rxnorm", "atc", "snomed"),
}

_LOCAL_SUFFIXES = (".local", ".localdomain", ".internal", ".intranet", ".lan", ".home.arpa")


def is_local_system(system: str, extra: Iterable[str] = ()) -> bool:
    """A code system that is clearly an institution's own: listed by the caller, `urn:local:...`,
    or a URL on localhost, on an intranet host (`intranet.*`) or under a private top-level name."""
    if system in extra:
        return True
    s = system.strip().lower()
    if s.startswith("urn:local:") or s == "local":
        return True
    if not s.startswith(("http://", "https://")):
        return False
    host = (urlparse(s).hostname or "").rstrip(".")
    if not host:
        return False
    return host == "localhost" or host.endswith(_LOCAL_SUFFIXES) or host.split(".")[0] == "intranet"


def system_label(system: str | None) -> str:
    if not system:
        return "(no system)"
    return SYSTEM_NAMES.get(system, system)


# -- units --------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def ucum_problem(code: str) -> str | None:
    """Why `code` is not a usable UCUM unit code, or None when it is one.

    Besides the UCUM grammar, two spellings that parse but cannot be meant are refused:
    a bare number other than 1 (e.g. a SNOMED CT unit code such as 258814008) and a unit that
    mixes kelvin with other dimensions ("K/uL" parses as kelvin per microlitre; the lab meant
    thousands per microlitre, which UCUM writes 10*3/uL).
    """
    c = code.strip()
    if not c:
        return "empty unit code"
    if _NUMBER.match(c) and c != "1":
        return f"unit code {c!r} is a bare number, not a UCUM unit"
    if not _units.is_ucum(c):
        return f"unit code {c!r} is not valid UCUM"
    q = _units._parse(_units.normalise(c))
    dims = dict(q.dimensionality)
    if "[temperature]" in dims and dims != {"[temperature]": 1}:
        return (f"unit code {c!r} parses as kelvin combined with other units, which no lab result is "
                "(UCUM writes thousands as 10*3, e.g. 10*3/uL)")
    return None


# -- routes ---------------------------------------------------------------------------------------

SNOMED_ROUTES: dict[str, Route] = {
    "26643006": Route.oral,
    "47625008": Route.intravenous,
    "34206005": Route.subcutaneous,
    "78421000": Route.intramuscular,
    "6064005": Route.topical,
    "447694001": Route.inhaled,  # respiratory tract route
    "18679011000001101": Route.inhaled,  # inhalation
    "60213007": Route.intraosseous,
    "46713006": Route.other,  # nasal
    "37161004": Route.other,  # rectal
    "37839007": Route.other,  # sublingual
    "54471007": Route.other,  # buccal
    "45890007": Route.other,  # transdermal
    "54485002": Route.other,  # ophthalmic
    "10547007": Route.other,  # otic
    "16857009": Route.other,  # vaginal
}

V3_ROUTE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration"
V3_ROUTES: dict[str, Route] = {
    "PO": Route.oral,
    "IVINJ": Route.intravenous,
    "IVINFUS": Route.intravenous,
    "SQ": Route.subcutaneous,
    "IM": Route.intramuscular,
    "IPINHL": Route.inhaled,
}

ROUTE_WORDS: dict[str, Route] = {
    "oral": Route.oral, "by mouth": Route.oral, "po": Route.oral, "per os": Route.oral,
    "intravenous": Route.intravenous, "iv": Route.intravenous, "i.v.": Route.intravenous,
    "subcutaneous": Route.subcutaneous, "sc": Route.subcutaneous, "sq": Route.subcutaneous,
    "s.c.": Route.subcutaneous, "subcut": Route.subcutaneous,
    "intramuscular": Route.intramuscular, "im": Route.intramuscular, "i.m.": Route.intramuscular,
    "topical": Route.topical, "cutaneous": Route.topical,
    "inhaled": Route.inhaled, "inhalation": Route.inhaled, "respiratory tract": Route.inhaled,
    "intraosseous": Route.intraosseous,
}

_ROUTE_NOISE = re.compile(r"\(qualifier value\)|\broute\b|\buse\b", re.IGNORECASE)


def route_from_words(text: str) -> Route | None:
    key = " ".join(_ROUTE_NOISE.sub(" ", text).lower().split())
    return ROUTE_WORDS.get(key)


# -- coded results ----------------------------------------------------------------------------

SNOMED_RESULTS = {
    "10828004": "positive",
    "260385009": "negative",
    "260373001": "detected",
    "260415000": "not detected",
    "11214006": "reactive",
    "131194007": "non-reactive",
    "419984006": "inconclusive",
    "82334004": "indeterminate",
}
V3_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
V3_RESULTS = {
    "POS": "positive",
    "NEG": "negative",
    "DET": "detected",
    "ND": "not detected",
    "RR": "reactive",
    "NR": "non-reactive",
    "IND": "indeterminate",
    "E": "equivocal",
}

# -- dates --------------------------------------------------------------------------------------


def to_date(value: Any) -> dt.date | None:
    """A FHIR date/dateTime/instant as the calendar date it was recorded on (in its own time
    zone); None for a partial date (year or year-month), which is not a day."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise ValueError(f"cannot add {months} months to {d}")


_DAYS_PER = {"wk": 7.0, "d": 1.0, "h": 1 / 24, "min": 1 / 1440, "s": 1 / 86400}


def add_duration(start: dt.date, value: Decimal | float | int, code: str) -> dt.date:
    """`start` plus a UCUM time quantity (a, mo, wk, d, h, min, s); whole years and months are
    calendar years and months, fractions are days (a year being 365.2425 days)."""
    v = Decimal(str(value))
    if v < 0:
        raise ValueError(f"negative duration {value} {code}")
    if code == "a":
        whole = int(v)
        return _add_months(start, 12 * whole) + dt.timedelta(days=float(v - whole) * 365.2425)
    if code == "mo":
        whole = int(v)
        return _add_months(start, whole) + dt.timedelta(days=float(v - whole) * 30.436875)
    if code in _DAYS_PER:
        return start + dt.timedelta(days=float(v) * _DAYS_PER[code])
    raise ValueError(f"{code!r} is not a UCUM time unit (a, mo, wk, d, h, min, s)")

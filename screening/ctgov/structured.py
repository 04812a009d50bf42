"""What the record's structured fields give the draft: the trial info (identification, sponsor,
conditions, healthy volunteers) and exact criteria for `minimumAge`/`maximumAge` and `sex`."""

from __future__ import annotations

import re
from typing import Any

from screening.ctgov.record import RecordError, Study

_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(years?|months?|weeks?|days?|hours?|minutes?)\s*$", re.IGNORECASE)
_PER_YEAR = {"year": 1.0, "month": 12.0, "week": 365.25 / 7, "day": 365.25, "hour": 365.25 * 24,
             "minute": 365.25 * 24 * 60}
_AGE_FIELDS = (("minimumAge", "ge"), ("maximumAge", "le"))
_AGE_READING = ("From the structured age fields. Age bounds are in years and age is evaluated in completed years; "
                "the maximum age includes the whole year of that age.")
_SUB_YEAR = ": bounds below one year lose precision because age is counted in completed years; check by hand."
_SOURCE_NOTE = ("ClinicalTrials.gov API v2 study record (protocolSection.eligibilityModule); "
                "draft: criteria marked draft: true were read from free text and must be reviewed")


def age_in_years(text: str) -> tuple[float, bool]:
    """'18 Years' -> (18, False); '6 Months' -> (0.5, True); '28 Days' -> (0.0767, True)."""
    m = _AGE.match(text)
    if not m:
        raise RecordError(f"age {text!r} is not '<number> Years|Months|Weeks|Days'")
    n, unit = float(m.group(1)), m.group(2).lower().rstrip("s")
    years = n / _PER_YEAR[unit]
    value = round(years, 4)
    return (int(value) if value.is_integer() else value), unit != "year"


def trial_info(study: Study, document: str) -> dict[str, Any]:
    """The `trial:` mapping: id, title, registry id, sponsor, conditions, healthy volunteers, source."""
    ident = study.identification
    trial: dict[str, Any] = {"id": study.nct_id, "title": ident.get("briefTitle") or ident.get("officialTitle")
                             or study.nct_id, "registry_ids": [study.nct_id]}
    sponsor = study.module("sponsorCollaboratorsModule").get("leadSponsor", {}).get("name") or \
        ident.get("organization", {}).get("fullName")
    if sponsor:
        trial["sponsor"] = sponsor
    conditions = study.module("conditionsModule").get("conditions")
    if conditions:
        trial["conditions"] = list(conditions)
    if isinstance(study.eligibility.get("healthyVolunteers"), bool):
        trial["healthy_volunteers"] = study.eligibility["healthyVolunteers"]
    trial["sources"] = [{"document": document, "note": _SOURCE_NOTE}]
    return trial


def _age_criterion(elig: dict[str, Any], document: str) -> dict[str, Any] | None:
    """`registry_age` from minimumAge/maximumAge, in years; a draft when a bound was converted
    from months, weeks or days."""
    stated = [(key, op, elig[key]) for key, op in _AGE_FIELDS if elig.get(key)]
    if not stated:
        return None
    rng: dict[str, Any] = {}
    notes = []
    for key, op, raw in stated:
        years, converted = age_in_years(str(raw))
        rng[op] = years
        if converted:
            notes.append(f"{key} {raw} converted to {years:g} years")
    if "ge" in rng and "le" in rng:
        rng = {"between": [rng["ge"], rng["le"]]}
    reading = _AGE_READING + (" " + "; ".join(notes) + _SUB_YEAR if notes else "")
    c: dict[str, Any] = {"id": "registry_age", "kind": "inclusion",
                         "text": "; ".join(f"{key}: {raw}" for key, _, raw in stated),
                         "source": {"document": document, "section": "Eligibility",
                                    "item": " and ".join(key for key, _, _ in stated)},
                         "reading": reading, "when": {"age": rng}}
    if notes:
        c.update(draft=True, confidence=0.5, span=c["text"])
    return c


def _sex_criterion(elig: dict[str, Any], document: str) -> dict[str, Any] | None:
    """`registry_sex` for FEMALE or MALE; ALL (or no sex field) adds nothing."""
    sex = str(elig.get("sex") or "ALL").upper()
    if sex not in ("FEMALE", "MALE"):
        return None
    return {"id": "registry_sex", "kind": "inclusion", "text": f"sex: {sex}",
            "source": {"document": document, "section": "Eligibility", "item": "sex"},
            "reading": "From the structured sex field.", "when": {"sex": [sex.lower()]}}


def structured_criteria(study: Study, document: str) -> list[dict[str, Any]]:
    """The criteria the structured fields state exactly: `registry_age`, `registry_sex`."""
    found = (_age_criterion(study.eligibility, document), _sex_criterion(study.eligibility, document))
    return [c for c in found if c is not None]

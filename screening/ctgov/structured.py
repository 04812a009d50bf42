"""What the record's structured fields give the draft: the trial info (identification, sponsor,
conditions, healthy volunteers) and exact criteria for `minimumAge`/`maximumAge` and `sex`."""

from __future__ import annotations

import re
from typing import Any

from screening.ctgov.record import RecordError, Study

_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(years?|months?|weeks?|days?|hours?|minutes?)\s*$", re.IGNORECASE)
_PER_YEAR = {"year": 1.0, "month": 12.0, "week": 365.25 / 7, "day": 365.25, "hour": 365.25 * 24,
             "minute": 365.25 * 24 * 60}
_AGE_READING = ("From the structured age fields. Age bounds are in years and age is evaluated in completed years; "
                "the maximum age includes the whole year of that age.")
_SUB_YEAR = ": bounds below one year lose precision because age is counted in completed years; check by hand."
_SOURCE_NOTE = ("ClinicalTrials.gov {layout} record (eligibility criteria and structured fields); "
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
    trial: dict[str, Any] = {"id": study.nct_id, "title": study.title, "registry_ids": [study.nct_id]}
    if study.sponsor:
        trial["sponsor"] = study.sponsor
    if study.conditions:
        trial["conditions"] = list(study.conditions)
    if study.healthy_volunteers is not None:
        trial["healthy_volunteers"] = study.healthy_volunteers
    trial["sources"] = [{"document": document, "note": _SOURCE_NOTE.format(layout=study.layout)}]
    return trial


def registry_age_range(study: Study) -> tuple[float | None, float | None] | None:
    """minimumAge and maximumAge in years (None for one not stated or not readable); None when
    neither is."""
    out: list[float | None] = []
    for raw in (study.minimum_age, study.maximum_age):
        try:
            out.append(age_in_years(raw)[0] if raw else None)
        except RecordError:
            out.append(None)
    return None if out == [None, None] else (out[0], out[1])


def _age_criterion(study: Study, document: str, notes: list[str]) -> dict[str, Any] | None:
    """`registry_age` from minimumAge/maximumAge, in years; a draft when a bound was converted
    from months, weeks or days. An age that cannot be read is left out, with a note."""
    stated = [(key, op, raw) for key, op, raw in (("minimumAge", "ge", study.minimum_age),
                                                  ("maximumAge", "le", study.maximum_age)) if raw]
    rng: dict[str, Any] = {}
    converted = []
    read = []
    for key, op, raw in stated:
        try:
            years, sub_year = age_in_years(raw)
        except RecordError as e:
            notes.append(f"{key}: {e}; left out")
            continue
        read.append((key, raw))
        rng[op] = years
        if sub_year:
            converted.append(f"{key} {raw} converted to {years:g} years")
    if not rng:
        return None
    if "ge" in rng and "le" in rng:
        rng = {"between": [rng["ge"], rng["le"]]}
    reading = _AGE_READING + (" " + "; ".join(converted) + _SUB_YEAR if converted else "")
    c: dict[str, Any] = {"id": "registry_age", "kind": "inclusion",
                         "text": "; ".join(f"{key}: {raw}" for key, raw in read),
                         "source": {"document": document, "section": "Eligibility",
                                    "item": " and ".join(key for key, _ in read)},
                         "reading": reading, "when": {"age": rng}}
    if converted:
        c.update(draft=True, confidence=0.5, span=c["text"])
    return c


def _sex_criterion(study: Study, document: str) -> dict[str, Any] | None:
    """`registry_sex` for FEMALE or MALE; ALL (or no sex field) adds nothing."""
    sex = study.sex or "ALL"
    if sex not in ("FEMALE", "MALE"):
        return None
    return {"id": "registry_sex", "kind": "inclusion", "text": f"sex: {sex}",
            "source": {"document": document, "section": "Eligibility", "item": "sex"},
            "reading": "From the structured sex field.", "when": {"sex": [sex.lower()]}}


def structured_criteria(study: Study, document: str, notes: list[str] | None = None) -> list[dict[str, Any]]:
    """The criteria the structured fields state exactly: `registry_age`, `registry_sex`; what
    could not be read is added to `notes`."""
    found = (_age_criterion(study, document, notes if notes is not None else []), _sex_criterion(study, document))
    return [c for c in found if c is not None]

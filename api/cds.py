"""CDS Hooks 2.0, `patient-view`: the service's discovery entry, the patient's FHIR data taken from
the prefetch, and cards made from a screening report.

A trial is worth a card when the patient may be eligible: every criterion met, or none failed
while some data are still to collect or some criteria are for a person to review. Ineligible
trials give no card (the screening page shows them with their decisive criterion). Cards are
ranked as on the page: eligible first, then undetermined by the number of items still open.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from api.errors import ApiError
from api.schemas import CdsCard, CdsLink, CdsRequest, CdsService, CdsSource
from screening.runtime.results import ScreeningReport, TrialResult
from screening.version import ENGINE_VERSION

SERVICE_ID = "trial-eligibility"
HOOK = "patient-view"
PATIENT_KEY = "patient"
# Every record type the rules read, for the patient in context. Searches are not narrowed by code
# or date: which records matter is the rule sets' business, and they change on reload.
PREFETCH: dict[str, str] = {
    PATIENT_KEY: "Patient/{{context.patientId}}",
    "conditions": "Condition?patient={{context.patientId}}",
    "observations": "Observation?patient={{context.patientId}}",
    "medicationRequests": "MedicationRequest?patient={{context.patientId}}&_include=MedicationRequest:medication",
    "medicationStatements": "MedicationStatement?patient={{context.patientId}}&_include=MedicationStatement:medication",
    "procedures": "Procedure?patient={{context.patientId}}",
    "researchSubjects": "ResearchSubject?individual={{context.patientId}}&_include=ResearchSubject:study",
    "consents": "Consent?patient={{context.patientId}}",
    "encounters": "Encounter?patient={{context.patientId}}",
    "allergies": "AllergyIntolerance?patient={{context.patientId}}",
    "immunizations": "Immunization?patient={{context.patientId}}",
}
SUMMARY_MAX = 139  # the specification: a "<140-character summary"


def today() -> dt.date:
    """The screening date of a hook call: the service's today (a chart is viewed now)."""
    return dt.date.today()


def service(fetches: bool = False) -> CdsService:
    """The discovery entry; `fetches`: the service may query some FHIR servers for what is missing."""
    usage = ("Every prefetch key is required (a key whose query found nothing is sent as null), unless the "
             "call's fhirServer is one this service is configured to query: what is missing is then fetched "
             "with the call's fhirAuthorization token." if fetches else
             "Every prefetch key is required (a key whose query found nothing is sent as null): "
             "this service does not query the FHIR server itself.")
    return CdsService(
        hook=HOOK, id=SERVICE_ID, title="Clinical-trial eligibility",
        description="Screens the patient in view against the loaded clinical-trial rule sets and shows a card "
                    "for each trial the patient may be eligible for, with the data still to collect.",
        prefetch=dict(PREFETCH),
        usageRequirements=usage,
    )


def _precondition(message: str) -> ApiError:
    return ApiError(412, "prefetch_required", message)


def _invalid(message: str) -> ApiError:
    return ApiError(422, "invalid_prefetch", message)


def _search_entries(key: str, value: Any) -> list[dict[str, Any]]:
    """The resources of one search's prefetch: a searchset Bundle, complete (no `next` page)."""
    if not isinstance(value, dict) or value.get("resourceType") != "Bundle":
        raise _invalid(f"prefetch.{key}: expected a Bundle (the result of `{PREFETCH[key]}`)")
    links = value.get("link") or []
    if any(isinstance(link, dict) and link.get("relation") == "next" for link in links):
        raise _invalid(f"prefetch.{key}: one page of several (a `next` link): the whole result is required")
    out = []
    for i, entry in enumerate(value.get("entry") or []):
        if not isinstance(entry, dict):
            raise _invalid(f"prefetch.{key}.entry[{i}]: expected an object")
        search = entry.get("search")
        if isinstance(search, dict) and search.get("mode") == "outcome":
            continue  # an OperationOutcome about the search, not a record
        if isinstance(entry.get("resource"), dict):
            out.append({k: v for k, v in entry.items() if k in ("fullUrl", "resource")})
    return out


def missing_keys(req: CdsRequest) -> list[str]:
    """The prefetch keys the call did not send (a key sent as null is there: its query found nothing)."""
    prefetch = req.prefetch or {}
    return [k for k in PREFETCH if k not in prefetch]


def prefetch_required(missing: list[str], why: str = "this service does not query the FHIR server itself") -> ApiError:
    return _precondition(
        "prefetch required: " + ", ".join(f"`{k}` ({PREFETCH[k]})" for k in missing)
        + f" missing; {why}: send every prefetch key of GET /cds-services (null when a query found nothing)")


def fhir_bundle(req: CdsRequest) -> dict[str, Any]:
    """One FHIR collection Bundle of the patient's prefetched records, for the FHIR import.

    A missing prefetch key means the client did not or could not run that query: the record
    types would then look absent, which can turn an exclusion into a pass. So every key is
    required (412); a key sent as null means the query found nothing."""
    missing = missing_keys(req)
    if missing:
        raise prefetch_required(missing)
    prefetch = req.prefetch or {}
    patient = prefetch[PATIENT_KEY]
    if patient is None:
        raise _precondition(f"prefetch.{PATIENT_KEY} is null: no Patient/{req.context.patientId} to screen")
    if patient.get("resourceType") != "Patient":
        raise _invalid(f"prefetch.{PATIENT_KEY}: expected a Patient resource")
    if patient.get("id") != req.context.patientId:
        raise _invalid(f"prefetch.{PATIENT_KEY} is Patient/{str(patient.get('id'))[:64]}, "
                       f"the context's patient is Patient/{req.context.patientId[:64]}")
    entries: list[dict[str, Any]] = [{"resource": patient}]
    for key in PREFETCH:
        if key != PATIENT_KEY and prefetch[key] is not None:
            entries += _search_entries(key, prefetch[key])
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def rank_key(r: TrialResult) -> tuple[int, int, str]:
    """Eligible first, then undetermined with the fewest open items, then ineligible."""
    order = {"eligible": 0, "undetermined": 1, "ineligible": 2}[r.verdict]
    return order, len(r.data_to_collect) + len(r.criteria_to_review), r.trial_id


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def card_summary(r: TrialResult) -> str:
    if r.verdict == "eligible":
        tail = "every criterion met"
    else:
        parts = []
        if r.data_to_collect:
            parts.append(_plural(len(r.data_to_collect), "item", "items") + " to collect")
        if r.criteria_to_review:
            parts.append(_plural(len(r.criteria_to_review), "criterion", "criteria") + " to review")
        tail = ", ".join(parts) or "some criteria could not be decided"
    summary = f"Possibly eligible for {r.trial_id}: {tail}"
    return summary if len(summary) <= SUMMARY_MAX else summary[:SUMMARY_MAX - 3] + "..."


def _md(text: str, limit: int = 300) -> str:
    """Registry text as one Markdown list item: no line breaks, no HTML, not too long."""
    flat = " ".join(text.split()).replace("<", "&lt;").replace(">", "&gt;")
    return flat if len(flat) <= limit else flat[:limit - 3] + "..."


def card_detail(r: TrialResult, warnings: list[str]) -> str:
    texts = {c.id: c.text for c in r.criteria}
    lines = [f"**{_md(r.title)}**", ""]
    if r.data_to_collect:
        lines += ["Data to collect:", *[f"- {_md(d)}" for d in r.data_to_collect], ""]
    if r.criteria_to_review:
        lines += ["Criteria to review:", *[f"- {_md(texts.get(c, c))}" for c in r.criteria_to_review], ""]
    if r.assumptions:
        lines += ["Assumptions:", *[f"- {_md(a)}" for a in r.assumptions], ""]
    if warnings:
        lines += [f"{_plural(len(warnings), 'record', 'records')} of the prefetch could not be read "
                  "(see the screening page)", ""]
    lines.append(f"Screened on {r.as_of.isoformat()} with rule set {r.ruleset_hash} (engine {r.engine_version}).")
    return "\n".join(lines)


def cards(report: ScreeningReport, page_url: str) -> list[CdsCard]:
    """One card per trial the patient may be eligible for, ranked; `page_url` is the screening page."""
    source = CdsSource(label=f"trial-screening {ENGINE_VERSION}")
    out = []
    for r in sorted(report.results, key=rank_key):
        if r.verdict == "ineligible":
            continue
        out.append(CdsCard(
            uuid=str(uuid.uuid4()), summary=card_summary(r), detail=card_detail(r, report.warnings),
            indicator="info", source=source,
            links=[CdsLink(label=f"Open {r.trial_id} in the screening page", url=f"{page_url}?trial={r.trial_id}")],
        ))
    return out

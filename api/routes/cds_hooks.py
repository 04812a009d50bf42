"""CDS Hooks 2.0: GET /cds-services (discovery), POST /cds-services/{id} (a `patient-view` call,
answered with cards) and POST /cds-services/{id}/feedback. The same API keys as the other
endpoints (`Authorization: Bearer <key>` is what CDS clients send)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from api import cds, fhir_fetch
from api.bodies import JSON
from api.deps import get_registry, get_settings, log_fields, request_document, run_blocking
from api.errors import ApiError, field_errors, summary
from api.registry import ScreenerRegistry
from api.routes.screen import BODY_ERRORS
from api.routes.trials import AUTH_RESPONSES
from api.schemas import CdsDiscovery, CdsFeedback, CdsFeedbackReceived, CdsRequest, CdsResponse, ErrorBody
from api.security import require_api_key
from api.settings import CDS_FHIR_SERVERS_ENV, Settings
from patients.fhir import profile_from_fhir_json
from screening.core.diagnostics import InputError

log = logging.getLogger("screening.api")

router = APIRouter(prefix="/cds-services", tags=["CDS Hooks"], dependencies=[Depends(require_api_key)])

ServiceId = Annotated[str, Path(description="a service id from GET /cds-services", examples=[cds.SERVICE_ID],
                                json_schema_extra={"enum": [cds.SERVICE_ID]})]
SERVICE_ERRORS: dict[int | str, dict[str, Any]] = {
    **AUTH_RESPONSES, **BODY_ERRORS,
    404: {"model": ErrorBody, "description": "no CDS service with this id"},
    412: {"model": ErrorBody, "description": "a prefetch key is missing and cannot be fetched"},
    413: {"model": ErrorBody, "description": "the body is larger than the FHIR body limit"},
    415: {"model": ErrorBody, "description": "unsupported content type (send application/json)"},
}


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """The request body in the OpenAPI document (it is read by `request_document`, not by FastAPI)."""
    return {"requestBody": {"required": True, "content": {
        JSON: {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}}


def _known(service_id: str) -> None:
    if service_id != cds.SERVICE_ID:
        raise ApiError(404, "unknown_service", f"no CDS service {service_id[:128]!r}: see GET /cds-services")


def _validated(model: type[BaseModel], doc: Any) -> Any:
    if not isinstance(doc, dict):
        raise ApiError(422, "invalid_request", f"the body is a JSON object, got {type(doc).__name__}")
    try:
        return model.model_validate(doc)
    except ValidationError as e:
        errors = field_errors(e)
        raise ApiError(422, "invalid_request", summary(errors), errors=errors) from None


@router.get("", response_model=CdsDiscovery, response_model_exclude_none=True, summary="CDS Hooks discovery")
async def discovery(settings: Settings = Depends(get_settings)) -> CdsDiscovery:
    """The CDS services offered: one `patient-view` service with its prefetch templates."""
    return CdsDiscovery(services=[cds.service(fetches=bool(settings.cds_fhir_servers))])


def complete_prefetch(req: CdsRequest, settings: Settings) -> int:
    """Fetch the missing prefetch keys from the call's FHIR server when it is allow-listed
    (`SCREENING_CDS_FHIR_SERVERS`); 412 otherwise. Returns the number of queries run."""
    missing = cds.missing_keys(req)
    if not missing:
        return 0
    if not settings.cds_fhir_servers:
        raise cds.prefetch_required(missing)
    if not fhir_fetch.allowed(req.fhirServer, settings.cds_fhir_servers):
        server = f"the FHIR server {req.fhirServer[:100]!r} is" if req.fhirServer else "no fhirServer is given, and it is"
        raise cds.prefetch_required(missing, f"{server} not one this service may query ({CDS_FHIR_SERVERS_ENV})")
    assert req.fhirServer is not None
    token = req.fhirAuthorization.access_token if req.fhirAuthorization is not None else None
    try:
        fetched = fhir_fetch.fetch(req.fhirServer, token, req.context.patientId, {k: cds.PREFETCH[k] for k in missing},
                                   settings.max_fhir_body_bytes, settings.max_json_depth)
    except fhir_fetch.FetchError as e:
        raise ApiError(412, "prefetch_required", f"prefetch missing and could not be fetched: {e}") from None
    req.prefetch = {**(req.prefetch or {}), **fetched}
    return len(missing)


def validated_call(doc: Any) -> CdsRequest:
    req: CdsRequest = _validated(CdsRequest, doc)
    if req.hook != cds.HOOK:
        raise ApiError(422, "unsupported_hook", f"this service answers the {cds.HOOK!r} hook, not {req.hook[:64]!r}")
    return req


def call_service(registry: ScreenerRegistry, req: CdsRequest, page_url: str,
                 fetched: int) -> tuple[dict[str, Any], dict[str, str]]:
    """Import the prefetch, screen against every trial as of today, make cards (on the executor)."""
    t0 = time.perf_counter()
    try:
        profile, warnings = profile_from_fhir_json(cds.fhir_bundle(req), "prefetch")
    except InputError as e:
        raise ApiError(422, "invalid_fhir", str(e)) from None
    with registry.lease() as gen:
        report = gen.screener.screen(profile, cds.today(), None)
    report.warnings = [f"import: {w}" for w in warnings] + report.warnings
    cards = cds.cards(report, page_url)
    fields = {
        "screen_ms": f"{(time.perf_counter() - t0) * 1000:.1f}",
        "gen": str(gen.number),
        "results": ",".join(f"{r.trial_id}:{r.verdict}@{r.ruleset_hash}" for r in report.results),
        "cards": str(len(cards)),
        "fetched": str(fetched),
    }
    return CdsResponse(cards=cards).model_dump(mode="json", exclude_none=True), fields


@router.post("/{service_id}", response_model=CdsResponse, response_model_exclude_none=True,
             summary="Call a CDS service (patient-view)", responses=SERVICE_ERRORS,
             openapi_extra=json_body(CdsRequest))
async def call(service_id: ServiceId, request: Request, doc: Any = Depends(request_document),
               registry: ScreenerRegistry = Depends(get_registry),
               settings: Settings = Depends(get_settings)) -> JSONResponse:
    """A CDS Hooks request (`hook`, `hookInstance`, `context.patientId`, `prefetch`): the patient
    is screened against every trial as of today, and each trial the patient may be eligible for
    gets a card ("Possibly eligible for NCT01420432: 2 items to collect") linking to the
    screening page. Every prefetch key is required (412 otherwise), unless the call's FHIR server is
    one the service may query (`SCREENING_CDS_FHIR_SERVERS`): what is missing is then fetched."""
    _known(service_id)
    page_url = str(request.base_url).rstrip("/") + "/screening"
    req = validated_call(doc)
    # a FHIR server's answers are awaited on a thread of their own, not on the screening executor
    fetched = await asyncio.to_thread(complete_prefetch, req, settings) if cds.missing_keys(req) else 0
    body, fields = await run_blocking(request, call_service, registry, req, page_url, fetched)
    log_fields(request, **fields)
    return JSONResponse(body)


@router.post("/{service_id}/feedback", response_model=CdsFeedbackReceived, summary="Feedback on cards",
             responses={k: v for k, v in SERVICE_ERRORS.items() if k != 412}, openapi_extra=json_body(CdsFeedback))
async def feedback(service_id: ServiceId, request: Request, doc: Any = Depends(request_document)) -> CdsFeedbackReceived:
    """Which cards were accepted or overridden (with the reason, when given). Recorded in the log
    (outcomes and override-reason codes; never comments, which may name the patient)."""
    _known(service_id)
    received: CdsFeedback = _validated(CdsFeedback, doc)
    outcomes = Counter(f.outcome for f in received.feedback)
    reasons = Counter(f.overrideReason.reason.code for f in received.feedback
                      if f.overrideReason is not None and f.overrideReason.reason is not None)
    log_fields(request, feedback=",".join(f"{k}:{v}" for k, v in sorted(outcomes.items())),
               override_reasons=",".join(f"{k[:64]}:{v}" for k, v in sorted(reasons.items())) or "-")
    return CdsFeedbackReceived(received=len(received.feedback))

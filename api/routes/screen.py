"""POST /screen and POST /trials/{trial_id}/screen: the `screening check --json` document over HTTP."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError

from api.bodies import FHIR_JSON, JSON, FhirDocument
from api.deps import log_fields, request_document, run_blocking
from api.errors import ApiError, field_errors, summary
from api.registry import ScreenerRegistry
from api.routes.trials import AUTH_RESPONSES, NOT_FOUND, TrialPath, unknown_trial
from api.schemas import ErrorBody, FieldError, ScreenRequest, TrialScreenRequest, example_patient
from api.security import require_api_key
from patients.units import read_units
from screening.runtime.eligibility import add_eligibility_dates
from screening.runtime.results import ScreeningReport


class ScreenRoute(APIRoute):
    """A screening route whose handler reads the API key, the query and the path itself.

    FastAPI solving a route's parameters and dependencies per request costs about as much CPU as
    answering /health; these routes are the service's hot path. The endpoints' signatures still
    declare what is read (the OpenAPI document and /docs describe it); a route refuses to be built
    when its signature declares anything the handler does not read, so that nothing declared is
    silently skipped (a dependency added later, another query parameter)."""

    HANDLES = {"/screen": ({"as_of", "trial_id"}, set()), "/trials/{trial_id}/screen": ({"as_of"}, {"trial_id"})}

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        d = self.dependant
        declared = ({p.name for p in d.query_params}, {p.name for p in d.path_params})
        others = (d.header_params, d.cookie_params, d.body_params, [x.call for x in d.dependencies if x.call is not require_api_key])
        if self.path not in self.HANDLES or declared != self.HANDLES[self.path] or any(others):
            raise TypeError(f"{self.path}: the screening route reads the API key, {self.HANDLES.get(self.path)} "
                            f"and nothing else; the endpoint declares {declared} and {others}")
        by_path = self.path != "/screen"
        model = TrialScreenRequest if by_path else ScreenRequest

        async def handler(request: Request) -> Response:
            await require_api_key(request, None, None)
            query = request.query_params
            if by_path:
                return await _screen(request, model, query.get("as_of"), None, request.path_params["trial_id"])
            return await _screen(request, model, query.get("as_of"), query.getlist("trial_id") or None, None)

        return handler


router = APIRouter(tags=["screening"], dependencies=[Depends(require_api_key)], route_class=ScreenRoute)

BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "the body is not valid JSON (or is empty, or past the JSON limits)"},
    408: {"model": ErrorBody, "description": "the body did not arrive within the body timeout"},
    413: {"model": ErrorBody, "description": "the body is larger than the configured limit"},
    415: {"model": ErrorBody, "description": "unsupported content type"},
    422: {"model": ErrorBody, "description": "invalid request: every invalid field is named by its path"},
}


def body_spec(model: type[BaseModel], example: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {
        JSON: {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}, "example": example},
        FHIR_JSON: {"schema": {"$ref": "#/components/schemas/FhirBundle"}},
    }}}


JSON_BODY_REFUSES = "; refused (422) with a JSON body, which carries its own"
AsOfQuery = Query(None, description="screening date YYYY-MM-DD, for a FHIR body (default: today)"
                  + JSON_BODY_REFUSES + " `as_of`")
TrialQuery = Query(None, description="trial id (repeatable), for a FHIR body (default: every trial)"
                   + JSON_BODY_REFUSES + " `trial_ids`")


def _with_query(doc: Any, as_of: str | None, trial_ids: list[str] | None) -> Any:
    """A FHIR body carries only the patient: the other request fields come from the query. A JSON
    body carries them itself, so a query parameter beside it is refused, not silently ignored."""
    if isinstance(doc, FhirDocument):
        if as_of is not None:
            doc["as_of"] = as_of
        if trial_ids:
            doc["trial_ids"] = trial_ids
        return doc
    given = [(name, field) for name, field, value in (("as_of", "as_of", as_of), ("trial_id", "trial_ids", trial_ids))
             if value is not None]
    if given:
        errors = [FieldError(field=f"query.{name}", loc=["query", name],
                             message=f"read only with a FHIR body ({FHIR_JSON}); a JSON body gives `{field}` in the body")
                  for name, field in given]
        raise ApiError(422, "invalid_request", summary(errors), errors=errors)
    return doc


def validate(model: type[ScreenRequest] | type[TrialScreenRequest], doc: Any) -> ScreenRequest | TrialScreenRequest:
    if not isinstance(doc, dict):
        raise ApiError(422, "invalid_request", 'the body is a JSON object {"patient": {...}}, '
                       f"got {type(doc).__name__ if doc is not None else 'null'}")
    try:
        return model.model_validate(doc)
    except ValidationError as e:
        errors = field_errors(e)
        code = "invalid_patient" if all(err.loc[:1] == ["patient"] for err in errors) else "invalid_request"
        raise ApiError(422, code, summary(errors), errors=errors) from None


def run_screening(registry: ScreenerRegistry, model: type[ScreenRequest] | type[TrialScreenRequest],
                  doc: Any, path_trial: str | None) -> tuple[bytes, dict[str, str]]:
    """Validate, screen on the generation current at the start, serialise. Runs on the executor."""
    t0 = time.perf_counter()
    req = validate(model, doc)
    trial_ids = [path_trial] if path_trial is not None else getattr(req, "trial_ids", None)
    patient, unit_warnings = read_units(req.patient)  # a FHIR body's units are read by its import
    with registry.lease() as gen:
        known = gen.catalog.rulesets
        for i, t in enumerate(trial_ids or ()):
            if t not in known:
                raise unknown_trial(t, list(known), None if path_trial is not None else ["trial_ids", i])
        report = add_eligibility_dates(gen.screener, patient,
                                       gen.screener.screen(patient, req.as_of or dt.date.today(), trial_ids))
    import_warnings = (doc.import_warnings if isinstance(doc, FhirDocument) else []) + unit_warnings
    if import_warnings:
        report.warnings = [f"import: {w}" for w in import_warnings] + report.warnings
    body = gen.screener.report_json(report)
    fields = {
        "screen_ms": f"{(time.perf_counter() - t0) * 1000:.1f}",
        "gen": str(gen.number),
        "results": ",".join(f"{r.trial_id}:{r.verdict}@{r.ruleset_hash}" for r in report.results),
    }
    return body, fields


async def _screen(request: Request, model: type[ScreenRequest] | type[TrialScreenRequest],
                  as_of: str | None, trial_ids: list[str] | None, path_trial: str | None) -> Response:
    # the body and the registry are read here rather than as dependencies: each dependency FastAPI
    # solves costs a request about as much as answering /health
    doc = _with_query(await request_document(request), as_of, trial_ids)
    registry: ScreenerRegistry = request.app.state.registry
    body, fields = await run_blocking(request, run_screening, registry, model, doc, path_trial)
    log_fields(request, **fields)
    return Response(content=body, media_type=JSON)


@router.post("/screen", response_model=ScreeningReport, summary="Screen a patient",
             responses={**AUTH_RESPONSES, **NOT_FOUND, **BODY_ERRORS},
             openapi_extra=body_spec(ScreenRequest, {"patient": example_patient(), "as_of": "2026-11-22"}))
async def screen(request: Request, as_of: str | None = AsOfQuery, trial_id: list[str] | None = TrialQuery) -> Response:
    """Screen one patient against the trials in `trial_ids` (default: all). The answer is the
    `screening check --json` document; every trial result names the rule-set hash it used.
    A FHIR R4 Bundle is accepted as `application/fhir+json` (import warnings join `warnings`)."""
    return await _screen(request, ScreenRequest, as_of, trial_id, None)


@router.post("/trials/{trial_id}/screen", response_model=ScreeningReport, summary="Screen a patient for one trial",
             responses={**AUTH_RESPONSES, **NOT_FOUND, **BODY_ERRORS},
             openapi_extra=body_spec(TrialScreenRequest, {"patient": example_patient(), "as_of": "2026-11-22"}))
async def screen_trial(trial_id: TrialPath, request: Request, as_of: str | None = AsOfQuery) -> Response:
    """Screen one patient against one trial (JSON or a FHIR R4 Bundle as `application/fhir+json`)."""
    return await _screen(request, TrialScreenRequest, as_of, None, trial_id)

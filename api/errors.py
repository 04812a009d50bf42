"""One error document for every failure: `{"error": {status, code, message, request_id, errors, known_trials}}`."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.schemas import ErrorBody, ErrorDetail, FieldError
from patients.validation import field_path

log = logging.getLogger("screening.api")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, *, errors: Sequence[FieldError] = (),
                 known_trials: Sequence[str] | None = None, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = list(errors)
        self.known_trials = list(known_trials) if known_trials is not None else None
        self.headers = dict(headers or {})


def field_errors(err: ValidationError, prefix: tuple[str | int, ...] = ()) -> list[FieldError]:
    """pydantic errors as field paths (`patient.observations[0].value`) and readable messages."""
    out = []
    for e in err.errors(include_url=False):
        loc = prefix + tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown field"
        elif e["type"] == "missing":
            msg = "required field is missing"
        out.append(FieldError(field=field_path(loc), loc=list(loc), message=msg))
    return out


def summary(errors: Sequence[FieldError], limit: int = 5) -> str:
    head = "; ".join(f"{e.field}: {e.message}" for e in errors[:limit])
    more = len(errors) - limit
    return head + (f" (and {more} more)" if more > 0 else "")


def request_id_of(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def error_response(status: int, code: str, message: str, request_id: str | None, *,
                   errors: Sequence[FieldError] = (), known_trials: Sequence[str] | None = None,
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(status=status, code=code, message=message, request_id=request_id,
                                       errors=list(errors), known_trials=list(known_trials) if known_trials is not None else None))
    return JSONResponse(body.model_dump(mode="json", exclude_none=True), status_code=status, headers=dict(headers or {}))


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, request_id_of(request), errors=exc.errors,
                          known_trials=exc.known_trials, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for e in exc.errors():
        loc = tuple(p for p in e.get("loc", ()) if isinstance(p, str | int))
        errors.append(FieldError(field=field_path(loc), loc=list(loc), message=str(e.get("msg", "invalid value"))))
    return error_response(422, "invalid_request", summary(errors), request_id_of(request), errors=errors)


_STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 406: "not_acceptable", 413: "payload_too_large",
                 415: "unsupported_media_type", 422: "invalid_request", 429: "too_many_requests"}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _STATUS_CODES.get(exc.status_code, "error")
    detail = exc.detail if isinstance(exc.detail, str) else "request failed"
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no such endpoint: {request.method} {request.url.path}; see /docs"
    return error_response(exc.status_code, code, detail, request_id_of(request), headers=exc.headers)


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)


def error_body(status: int, code: str, message: str, request_id: str | None) -> dict[str, Any]:
    """The error document, for answers given outside FastAPI (the middleware, the connection)."""
    detail = ErrorDetail(status=status, code=code, message=message, request_id=request_id)
    return ErrorBody(error=detail).model_dump(mode="json", exclude_none=True)


def error_json(status: int, code: str, message: str, request_id: str | None) -> bytes:
    return json.dumps(error_body(status, code, message, request_id)).encode()


def internal_error_body(request_id: str | None) -> dict[str, Any]:
    return error_body(500, "internal_error", "internal error; it has been logged under this request id", request_id)

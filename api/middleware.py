"""The outermost layer: request ids, one log line per request, the body's size and time limits and a
last-resort handler.

Log lines carry the request id, method, route, status, duration and, for screenings, the trial
ids, verdicts and rule-set hashes. Bodies, patient ids and query strings are never logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
import traceback
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body, internal_error_body

log = logging.getLogger("screening.api")

REQUEST_ID_HEADER = "x-request-id"
_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class BodyTooLarge(Exception):
    pass


class BodyTimeout(Exception):
    pass


CLOSE = (b"connection", b"close")


def _json_response(status: int, body: dict[str, Any], request_id: str, close: bool = False) -> tuple[Message, Message]:
    raw = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode()),
               (REQUEST_ID_HEADER.encode(), request_id.encode())]
    start: Message = {"type": "http.response.start", "status": status, "headers": headers + ([CLOSE] if close else [])}
    return start, {"type": "http.response.body", "body": raw}


def _too_large(limit: int, request_id: str) -> dict[str, Any]:
    return error_body(413, "payload_too_large", f"the request body is larger than the limit of {limit} bytes", request_id)


def _too_slow(timeout: float, request_id: str) -> dict[str, Any]:
    return error_body(408, "request_timeout", f"the request body did not arrive within {timeout:g} seconds", request_id)


def _request_id(scope: Scope) -> str:
    for k, v in scope.get("headers", ()):
        if k == b"x-request-id":
            candidate = v.decode("latin-1")
            return candidate if _ID_RE.match(candidate) else uuid.uuid4().hex
    return uuid.uuid4().hex


def _declared_length(scope: Scope) -> int | None:
    for k, v in scope.get("headers", ()):
        if k == b"content-length":
            try:
                return int(v)
            except ValueError:
                return None
    return None


class ServiceMiddleware:
    """Request ids and log lines; the body's size limit (413) and time limit (408), answered with
    `Connection: close` (the connection then lingers, see `api/protocol.py`, so that a client still
    sending reads the answer); and the last-resort 500."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, max_fhir_body_bytes: int | None = None,
                 body_timeout: float | None = None):
        self.app = app
        self.max_body = max_body_bytes
        self.max_fhir_body = max_fhir_body_bytes or max_body_bytes
        self.body_timeout = body_timeout

    def _limit(self, scope: Scope) -> int:
        if scope.get("path", "").startswith("/cds-services/"):  # a CDS Hooks prefetch is FHIR data
            return self.max_fhir_body
        for k, v in scope.get("headers", ()):
            if k == b"content-type" and v.split(b";")[0].strip().lower() == b"application/fhir+json":
                return self.max_fhir_body
        return self.max_body

    def _guarded(self, receive: Receive, limit: int) -> Receive:
        """`receive`, refusing a body over `limit` bytes or not complete within the body timeout."""
        received = 0
        more = True
        deadline = None if self.body_timeout is None else asyncio.get_running_loop().time() + self.body_timeout

        async def guarded_receive() -> Message:
            nonlocal received, more
            if not more or deadline is None:
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise BodyTimeout from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                more = bool(message.get("more_body", False))
                if received > limit:
                    raise BodyTooLarge
            return message

        return guarded_receive

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        rid = _request_id(scope)
        state = scope.setdefault("state", {})
        state["request_id"] = rid
        state["log"] = {}
        status = {"code": 0, "started": False}
        limit = self._limit(scope)

        async def answer(code: int, body: dict[str, Any]) -> None:
            if not status["started"]:
                for message in _json_response(code, body, rid, close=code in (408, 413)):
                    await send(message)
            status["code"] = code

        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await answer(413, _too_large(limit, rid))
            self._log(scope, 413, t0, state)
            return

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                status["started"] = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                headers.append((b"x-request-id", rid.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, self._guarded(receive, limit), send_with_id)
        except BodyTooLarge:
            await answer(413, _too_large(limit, rid))
        except BodyTimeout:
            await answer(408, _too_slow(self.body_timeout or 0, rid))
        except Exception as exc:  # the last resort: log where it failed (not the message: it may quote input)
            frames = traceback.extract_tb(exc.__traceback__)
            where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in reversed(frames[-6:]))
            log.error("request %s failed: %s at %s", rid, type(exc).__name__, where)
            await answer(500, internal_error_body(rid))
        self._log(scope, status["code"], t0, state)

    @staticmethod
    def _log(scope: Scope, code: int, t0: float, state: dict[str, Any]) -> None:
        ms = (time.perf_counter() - t0) * 1000
        route = scope.get("route")
        path = getattr(route, "path", None) or "(no route)"  # the template, never the raw path
        extra = state.get("log") or {}
        tail = "".join(f" {k}={v}" for k, v in extra.items())
        log.info("%s %s %s %d %.1fms%s", state.get("request_id"), scope.get("method"), path, code, ms, tail)

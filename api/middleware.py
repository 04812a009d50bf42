"""The outermost layer: request ids, one log line per request, the body size limit and a last-resort handler.

Log lines carry the request id, method, route, status, duration and, for screenings, the trial
ids, verdicts and rule-set hashes. Bodies, patient ids and query strings are never logged.
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import internal_error_body

log = logging.getLogger("screening.api")

REQUEST_ID_HEADER = "x-request-id"
_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class BodyTooLarge(Exception):
    pass


def _json_response(status: int, body: dict[str, Any], request_id: str) -> tuple[Message, Message]:
    raw = json.dumps(body).encode()
    start: Message = {"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode()),
        (REQUEST_ID_HEADER.encode(), request_id.encode())]}
    return start, {"type": "http.response.body", "body": raw}


def _too_large(limit: int, request_id: str) -> dict[str, Any]:
    return {"error": {"status": 413, "code": "payload_too_large", "request_id": request_id, "errors": [],
                      "message": f"the request body is larger than the limit of {limit} bytes"}}


class ServiceMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int, max_fhir_body_bytes: int | None = None):
        self.app = app
        self.max_body = max_body_bytes
        self.max_fhir_body = max_fhir_body_bytes or max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        rid = ""
        for k, v in scope.get("headers", ()):
            if k == b"x-request-id":
                candidate = v.decode("latin-1")
                rid = candidate if _ID_RE.match(candidate) else ""
                break
        rid = rid or uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = rid
        state["log"] = {}
        status = {"code": 0, "started": False}
        limit = self.max_body
        for k, v in scope.get("headers", ()):
            if k == b"content-type" and v.split(b";")[0].strip().lower() == b"application/fhir+json":
                limit = self.max_fhir_body

        declared = None
        for k, v in scope.get("headers", ()):
            if k == b"content-length":
                try:
                    declared = int(v)
                except ValueError:
                    declared = None
        if declared is not None and declared > limit:
            start, body = _json_response(413, _too_large(limit, rid), rid)
            await send(start)
            await send(body)
            self._log(scope, 413, t0, state)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                status["started"] = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                headers.append((b"x-request-id", rid.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_id)
        except BodyTooLarge:
            if not status["started"]:
                start, body = _json_response(413, _too_large(limit, rid), rid)
                await send(start)
                await send(body)
                status["code"] = 413
        except Exception as exc:  # the last resort: log where it failed (not the message: it may quote input)
            frames = traceback.extract_tb(exc.__traceback__)
            where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in reversed(frames[-6:]))
            log.error("request %s failed: %s at %s", rid, type(exc).__name__, where)
            if not status["started"]:
                start, body = _json_response(500, internal_error_body(rid), rid)
                await send(start)
                await send(body)
            status["code"] = 500
        self._log(scope, status["code"], t0, state)

    @staticmethod
    def _log(scope: Scope, code: int, t0: float, state: dict[str, Any]) -> None:
        ms = (time.perf_counter() - t0) * 1000
        route = scope.get("route")
        path = getattr(route, "path", None) or "(no route)"  # the template, never the raw path
        extra = state.get("log") or {}
        tail = "".join(f" {k}={v}" for k, v in extra.items())
        log.info("%s %s %s %d %.1fms%s", state.get("request_id"), scope.get("method"), path, code, ms, tail)

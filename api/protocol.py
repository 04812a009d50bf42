"""The HTTP/1.1 connection: uvicorn's httptools protocol with the service's connection limits.

uvicorn bounds neither the time a client may take to send a request's head nor its size (a
stalled connection stayed open for ever; a 64 MiB header was read in full before the 401), and
it answers a request it cannot parse (a lying Content-Length, a bad request line) with a
text/plain 400. This protocol, which `screening serve` hands to uvicorn:

* closes a connection whose request head is not complete `header_timeout` seconds after the
  connection opened, or after the head's first bytes came on a kept-alive connection: with a 408
  when part of a head came, else silently (an idle kept-alive connection is closed by uvicorn's
  keep-alive timeout, 5 seconds);
* refuses a head larger than `max_header_bytes` with a 431 as soon as that many bytes came;
* answers what it cannot parse with a 400; every answer in the service's JSON error format;
* closes gracefully: an answer that closes the connection (these, and the middleware's 413 and
  408) is followed by a half-close, and what the client still sends is read and discarded for up
  to `linger_seconds`, so that a client still sending a body reads the answer, not a reset.

The body's size and time limits are the ASGI middleware's (`api/middleware.py`). The limits come
from the environment (`api/settings.py`), as every worker process reads them.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from functools import lru_cache
from typing import Any

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from api.errors import error_json
from api.settings import Settings

log = logging.getLogger("screening.api")


@lru_cache(maxsize=1)
def connection_settings() -> Settings:
    return Settings.from_env()


def cancel(timer: asyncio.TimerHandle | None) -> None:
    if timer is not None:
        timer.cancel()


class HeadTooLarge(Exception):
    """Raised from the parser's callback when a complete head is over the limit."""


class LingeringTransport:
    """The connection's transport, whose `close()` half-closes and lingers instead of dropping
    what the client is still sending (which the kernel would answer with a reset)."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop, linger: float):
        self._transport = transport
        self._loop = loop
        self._linger = linger
        self._timer: asyncio.TimerHandle | None = None
        self.lingering = False
        self.write = transport.write  # the hot path, without __getattr__

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)

    def is_closing(self) -> bool:
        return self.lingering or self._transport.is_closing()

    def close(self) -> None:
        t = self._transport
        if self.lingering:
            return
        if t.is_closing() or self._linger <= 0 or not t.can_write_eof():
            self.abort_linger()
            return
        self.lingering = True
        t.write_eof()  # sent once the answer is flushed: the client reads it, then an end of file
        t.resume_reading()
        self._timer = self._loop.call_later(self._linger, self.abort_linger)

    def abort_linger(self) -> None:
        cancel(self._timer)
        self._timer = None
        self._transport.close()


class ServiceHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the head timeout, the head size limit, JSON error
    answers and graceful closes described above."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = connection_settings()
        self.max_head = settings.max_header_bytes
        self.head_timeout = settings.header_timeout
        self.linger = settings.linger_seconds
        self.reading_head = True  # between the end of one message and the end of the next head
        self.head_bytes = 0
        self.head_timer: asyncio.TimerHandle | None = None
        self.head_too_large = False
        self.refusal: tuple[int, str, str] | None = None

    # -- the connection ---------------------------------------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = LingeringTransport(transport, self.loop, self.linger)  # type: ignore[assignment]
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        if isinstance(self.transport, LingeringTransport):
            self.transport.abort_linger()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if isinstance(self.transport, LingeringTransport) and self.transport.lingering:
            return  # answered and closing: what still comes is discarded
        if self.reading_head:
            self.head_bytes += len(data)
        super().data_received(data)
        if self.reading_head and self.head_bytes and not self.transport.is_closing():  # a head in part
            if self.head_bytes > self.max_head:
                self._refuse_head_too_large()
            elif self.head_timer is None:
                self._arm_head_timer()

    # -- parser callbacks -------------------------------------------------------------------
    def on_headers_complete(self) -> None:
        size = len(self.url) + sum(len(k) + len(v) + 4 for k, v in self.headers) + 16
        if size > self.max_head:
            self.head_too_large = True
            raise HeadTooLarge  # the parser stops, and uvicorn answers through send_400_response
        self.reading_head = False
        self._cancel_head_timer()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self.reading_head = True
        self.head_bytes = 0

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to what the parser refuses: in the service's format, and 431 for a head
        over the limit (the parser reports our callback's refusal as an error)."""
        if self.head_too_large:
            self._refuse_head_too_large()
            return
        self.refuse(400, "bad_request", "the request is not valid HTTP/1.1 (a malformed request line, header, "
                    "Content-Length or chunked body)")

    # -- answers ----------------------------------------------------------------------------
    def refuse(self, status: int, code: str, message: str) -> None:
        """Answer with a JSON error and close (gracefully) without running the application."""
        if self.refusal is not None or self.transport.is_closing():
            return
        self.refusal = (status, code, message)
        self._cancel_head_timer()
        if self.cycle is not None and not self.cycle.response_complete:
            # a pipelined request came while one is being answered: that answer goes out whole,
            # then the connection closes (writing this one now would cut into it)
            self.cycle.keep_alive = False
            self.flow.pause_reading()
            return
        rid = uuid.uuid4().hex
        body = error_json(status, code, message, rid)
        head = [STATUS_LINE[status]]
        for name, value in self.server_state.default_headers:
            head += [name, b": ", value, b"\r\n"]
        head += [b"content-type: application/json\r\ncontent-length: ", str(len(body)).encode(),
                 b"\r\nx-request-id: ", rid.encode(), b"\r\nconnection: close\r\n\r\n"]
        self.transport.write(b"".join(head) + body)
        self.transport.close()
        log.info("%s - (no route) %d connection: %s", rid, status, code)

    def _refuse_head_too_large(self) -> None:
        self.refuse(431, "header_too_large", f"the request head (request line and headers) is larger than the "
                    f"limit of {self.max_head} bytes")

    # -- the head timer ---------------------------------------------------------------------
    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self.head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        cancel(self.head_timer)
        self.head_timer = None

    def _head_timed_out(self) -> None:
        self.head_timer = None
        if self.transport.is_closing():
            return
        if self.head_bytes:
            self.refuse(408, "request_timeout", f"the request head did not arrive within {self.head_timeout:g} seconds")
        else:
            self.transport.close()

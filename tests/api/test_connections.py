"""The connection's limits against a live server, over real sockets: head and body timeouts, the
head size limit, JSON answers to malformed HTTP, and 413s that clients always read."""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from typing import Any

import pytest

from api.settings import Settings, SettingsError
from tests.api.conftest import LiveServer

pytestmark = pytest.mark.slow  # real uvicorn servers on loopback

KEY = "connection-test-key-0123456789"


def connect(server: LiveServer, timeout: float = 20) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=timeout)


def read_until_closed(s: socket.socket) -> bytes:
    """Everything the server sends until it closes (a reset is a failure: the answer was lost)."""
    out = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return out
        out += chunk


def read_response(s: socket.socket) -> bytes:
    """One answer on a kept-alive connection: its head and Content-Length bytes of body."""
    raw = b""
    while b"\r\n\r\n" not in raw:
        raw += s.recv(65536)
    head, _, body = raw.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))  # type: ignore[union-attr]
    while len(body) < length:
        body += s.recv(65536)
    return head + b"\r\n\r\n" + body


def json_error(raw: bytes, status: int, code: str) -> dict[str, Any]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith(f"HTTP/1.1 {status} "), raw[:300]
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    assert headers["content-type"] == "application/json" and headers["connection"] == "close"
    err: dict[str, Any] = json.loads(body)["error"]
    assert err["status"] == status and err["code"] == code and err["request_id"] == headers["x-request-id"]
    return err


@pytest.fixture
def quick(live_server: Any) -> LiveServer:
    """A server with one-second head and body timeouts."""
    server: LiveServer = live_server(env={"SCREENING_HEADER_TIMEOUT": "1", "SCREENING_BODY_TIMEOUT": "1"})
    return server


def test_stalled_connections_are_closed(quick: LiveServer) -> None:
    idle = [connect(quick) for _ in range(300)]
    partial = [connect(quick) for _ in range(30)]
    for s in partial:
        s.sendall(b"POST /screen HTTP/1.1\r\nHost: x\r\nContent-Ty")
    stalled = [connect(quick) for _ in range(30)]
    for s in stalled:
        s.sendall(b"POST /screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
    t0 = time.monotonic()
    assert all(read_until_closed(s) == b"" for s in idle)  # nothing came: closed without an answer
    for s in partial:
        assert "head did not arrive within 1 seconds" in json_error(read_until_closed(s), 408, "request_timeout")["message"]
    for s in stalled:
        assert "body did not arrive within 1 seconds" in json_error(read_until_closed(s), 408, "request_timeout")["message"]
    assert time.monotonic() - t0 < 10
    for s in idle + partial + stalled:
        s.close()
    # a kept-alive connection left idle after an answer is closed (uvicorn's keep-alive timeout)
    with connect(quick) as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_until_closed(s).startswith(b"HTTP/1.1 200 OK")
    # and one whose next head stalls gets its 408 too
    with connect(quick) as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_response(s).startswith(b"HTTP/1.1 200 OK")
        s.sendall(b"GET /health HTTP/1.1\r\nHo")
        t1 = time.monotonic()
        json_error(read_until_closed(s), 408, "request_timeout")
        assert time.monotonic() - t1 < 4


def test_a_huge_head_is_refused_before_authentication(live_server: Any) -> None:
    server: LiveServer = live_server(env={"SCREENING_API_KEYS": KEY})
    sent: list[BaseException | None] = []
    with connect(server) as s:
        def send() -> None:
            try:
                s.sendall(b"GET /trials HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (64 * 1024 * 1024) + b"\r\n\r\n")
                sent.append(None)
            except OSError as e:  # the server stopped reading once it had answered
                sent.append(e)

        t0 = time.monotonic()
        sender = threading.Thread(target=send)
        sender.start()
        err = json_error(read_until_closed(s), 431, "header_too_large")
        assert time.monotonic() - t0 < 5
        sender.join(30)
    assert "larger than the limit of 16384 bytes" in err["message"]
    # just under the limit is fine (and answered by authentication)
    with connect(server) as s:
        s.sendall(b"GET /trials HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: " + b"a" * 15_000 + b"\r\n\r\n")
        assert read_until_closed(s).startswith(b"HTTP/1.1 401 ")


def test_an_over_limit_body_is_always_answered_413(live_server: Any) -> None:
    """The 413 is sent before the body is read; the connection then lingers, discarding the body,
    so that a client still sending it reads the 413 rather than a reset."""
    server: LiveServer = live_server()
    body = b"x" * (3 * 1024 * 1024)
    for _ in range(40):
        req = urllib.request.Request(server.url + "/screen", data=body, headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(req, timeout=30)
        assert e.value.code == 413
        assert json.loads(e.value.read())["error"]["code"] == "payload_too_large"

    def chunks() -> Any:  # no Content-Length: refused once the limit is passed
        for _ in range(48):
            yield b"x" * 65536

    for _ in range(5):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("POST", "/screen", body=chunks(), headers={"Content-Type": "application/json"},
                     encode_chunked=True)
        r = conn.getresponse()
        assert r.status == 413 and json.loads(r.read())["error"]["code"] == "payload_too_large"
        conn.close()


@pytest.mark.parametrize("request_bytes", [
    b"POST /screen HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
    b"POST /screen HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}",
    b"POST /screen HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}",
    b"POST /screen HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"GET /health HTTP/9.9\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS hello
])
def test_malformed_http_gets_the_json_error_format(quick: LiveServer, request_bytes: bytes) -> None:
    with connect(quick) as s:
        s.sendall(request_bytes)
        raw = read_until_closed(s)
    assert "not valid HTTP/1.1" in json_error(raw, 400, "bad_request")["message"]


def test_a_content_length_shorter_than_the_body(quick: LiveServer) -> None:
    """The declared body is the request (answered in full, in the JSON format); what follows it is
    not HTTP: the connection closes after that answer, with no text/plain 400 cutting into it."""
    with connect(quick) as s:
        s.sendall(b"POST /screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n"
                  b'{}, "patient": {"id": "x"}}\r\n\r\n')
        raw = read_until_closed(s)
    assert len(re.findall(rb"HTTP/1\.1 \d{3} ", raw)) == 1, raw
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 422 ") and b"content-type: application/json" in head
    assert json.loads(body)["error"]["errors"][0]["field"] == "patient"


def test_a_slow_but_complete_request_is_served(quick: LiveServer) -> None:
    """The head timeout counts from the connection's start, and a keep-alive connection serves requests."""
    with connect(quick) as s:
        for _ in range(3):
            for part in (b"GET /health HTTP/1.1\r\n", b"Host: x\r\n", b"\r\n"):
                s.sendall(part)
                time.sleep(0.2)
            answer = read_response(s)
            assert answer.startswith(b"HTTP/1.1 200 OK"), answer


def test_connection_settings() -> None:
    s = Settings.from_env({"SCREENING_HEADER_TIMEOUT": "2.5", "SCREENING_BODY_TIMEOUT": "30",
                           "SCREENING_MAX_HEADER_BYTES": "8192", "SCREENING_LINGER_SECONDS": "0"})
    assert (s.header_timeout, s.body_timeout, s.max_header_bytes, s.linger_seconds) == (2.5, 30, 8192, 0)
    d = Settings.from_env({})
    assert (d.header_timeout, d.body_timeout, d.max_header_bytes, d.linger_seconds) == (10, 60, 16384, 5)
    for name, value in (("SCREENING_HEADER_TIMEOUT", "0"), ("SCREENING_BODY_TIMEOUT", "-1"),
                        ("SCREENING_BODY_TIMEOUT", "nan"), ("SCREENING_LINGER_SECONDS", "soon")):
        with pytest.raises(SettingsError, match=name):
            Settings.from_env({name: value})

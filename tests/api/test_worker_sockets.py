"""With several workers, each listens on its own socket (SO_REUSEPORT): the kernel spreads new
connections over the workers, and a worker started in place of a dead one takes over its socket."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import LiveServer

pytestmark = [pytest.mark.slow,  # real uvicorn servers on loopback
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)")]


def listening_inodes(port: int) -> set[str]:
    """Inodes of the sockets listening on `port` (from /proc/net/tcp and tcp6)."""
    out = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            f = line.split()
            if f[3] == "0A" and int(f[1].rsplit(":", 1)[1], 16) == port:
                out.add(f[9])
    return out


def socket_inodes(pid: int) -> set[str]:
    out = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            out.add(target[8:-1])
    return out


def health_on(conn: socket.socket) -> dict[str, Any]:
    conn.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    raw = b""
    while b"\r\n\r\n" not in raw:
        raw += conn.recv(65536)
    head, _, body = raw.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
    while len(body) < length:
        body += conn.recv(65536)
    doc: dict[str, Any] = json.loads(body)
    return doc


def workers_of(server: LiveServer, connections: int = 32, timeout: float = 30) -> dict[int, int]:
    """Worker pid -> how many of `connections` new kept-alive connections it holds."""
    conns = [socket.create_connection(("127.0.0.1", server.port), timeout=timeout) for _ in range(connections)]
    try:
        held: dict[int, int] = {}
        for c in conns:
            pid = health_on(c)["worker_pid"]
            held[pid] = held.get(pid, 0) + 1
        return held
    finally:
        for c in conns:
            c.close()


def test_each_worker_listens_on_its_own_socket_and_connections_spread(live_server: Any) -> None:
    server = live_server(workers=2)
    listening = listening_inodes(server.port)
    assert len(listening) == 2, listening  # one socket shared by the workers would be one inode
    held = workers_of(server)
    assert len(held) == 2, held  # 32 connections all hashed to one socket: 2 in 2**32
    own = {pid: socket_inodes(pid) & listening for pid in held}
    assert all(len(s) == 1 for s in own.values()), own
    assert own[min(own)] != own[max(own)]


def test_a_worker_started_in_place_of_a_dead_one_listens_on_its_socket(live_server: Any) -> None:
    server = live_server(workers=2)
    listening = listening_inodes(server.port)
    held = workers_of(server)
    dead = min(held)
    dead_socket = socket_inodes(dead) & listening
    os.kill(dead, signal.SIGKILL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            now = workers_of(server, 16)
        except OSError:
            now = {}
        new = [pid for pid in now if pid not in held]
        if new and len(now) == 2:
            assert socket_inodes(new[0]) & listening == dead_socket
            assert listening_inodes(server.port) == listening
            return
        time.sleep(0.5)
    raise AssertionError("no worker took over the dead worker's socket:\n" + server.log_text())


def test_the_number_of_workers_is_fixed(live_server: Any) -> None:
    """SIGTTOU would stop a worker whose socket the kernel still hands connections to (they would
    wait for ever): it is ignored, and every new connection is still answered."""
    server = live_server(workers=2)
    before = workers_of(server)
    os.kill(server.proc.pid, signal.SIGTTOU)
    deadline = time.monotonic() + 20
    while not any(m in server.log_text() for m in ("SIGTTOU ignored", "decreasing number of processes")):
        assert time.monotonic() < deadline, server.log_text()
        time.sleep(0.2)
    time.sleep(1)  # a stopped worker would be gone by now
    try:
        after = workers_of(server, timeout=10)
    except OSError as e:
        raise AssertionError(f"connections were not answered after SIGTTOU: {e}") from None
    assert set(after) == set(before)
    assert "SIGTTOU ignored" in server.log_text()

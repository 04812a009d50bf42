"""`screening serve`: uvicorn with one process, or a supervisor and N worker processes.

With N workers each worker listens on its own socket, all bound to the same port with
SO_REUSEPORT (Linux, the BSDs): the kernel spreads new connections evenly over the workers' sockets
by their addresses and ports. With one shared socket, whichever worker was idle first accepted, so
a burst of kept-alive connections could land on one worker and stay there (p99 depended on it).
Where SO_REUSEPORT is missing, the workers share one socket as before.
"""

from __future__ import annotations

import copy
import logging
import os
import signal
import socket
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG, STARTUP_FAILURE, Config
from uvicorn.supervisors.multiprocess import Multiprocess, Process

from api.main import create_app
from api.protocol import ServiceHttpProtocol
from api.security import check_bind
from api.settings import SUPERVISOR_ENV, Settings
from screening.ruleset.catalog import load_catalog

log = logging.getLogger("screening.api")


def log_config(level: str = "info") -> dict[str, Any]:
    cfg = copy.deepcopy(LOGGING_CONFIG)
    cfg["formatters"]["service"] = {"format": "%(asctime)s %(levelname)s %(process)d %(message)s"}
    cfg["handlers"]["service"] = {"class": "logging.StreamHandler", "formatter": "service",
                                  "stream": "ext://sys.stderr"}
    cfg["loggers"]["screening.api"] = {"handlers": ["service"], "level": level.upper(), "propagate": False}
    return cfg


class ForwardingSupervisor(Multiprocess):
    """Passes SIGHUP on to every worker, which reloads its rule sets in place (no restart). Given
    one socket per worker, worker i (and any worker started in its place) listens on socket i."""

    def __init__(self, config: Config, sockets: list[socket.socket], per_worker: bool = False):
        super().__init__(config, sockets)
        self.per_worker = per_worker

    def _process(self, idx: int) -> Process:
        return Process(self.config, [self.sockets[idx]] if self.per_worker else self.sockets)

    def init_processes(self) -> None:
        for idx in range(self.processes_num):
            process = self._process(idx)
            process.start()
            self.processes.append(process)

    def keep_subprocess_alive(self) -> None:
        """uvicorn's, with the replacement of a dead worker listening on the dead one's socket."""
        if self.should_exit.is_set():
            return
        for idx, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:  # would fail the same way on every restart
                log.error("worker %s failed to start, stopping", process.pid)
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            log.info("worker %s died, starting another", process.pid)
            self.processes[idx] = replacement = self._process(idx)
            replacement.start()

    def handle_ttin(self) -> None:
        if self.per_worker:  # a new worker would have no socket of its own
            log.info("SIGTTIN ignored: the number of workers is fixed (one listening socket each)")
            return
        super().handle_ttin()

    def handle_ttou(self) -> None:
        if self.per_worker:  # connections the kernel hands to a stopped worker's socket would wait for ever
            log.info("SIGTTOU ignored: the number of workers is fixed (one listening socket each)")
            return
        super().handle_ttou()

    def handle_hup(self) -> None:
        log.info("SIGHUP: asking %d worker(s) to reload the rule sets", len(self.processes))
        for p in self.processes:
            pid = p.process.pid
            if pid is not None and p.process.is_alive():
                os.kill(pid, signal.SIGHUP)


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1, log_level: str = "info") -> None:
    """Start the service. Raises SettingsError (bad configuration, non-loopback host without keys)
    and RuleSetError (the rule sets have errors) before listening."""
    settings = Settings.from_env()
    check_bind(host, settings)
    # the connection's limits (head size and time, graceful closes) are the protocol's: api/protocol.py
    common: dict[str, Any] = {"host": host, "port": port, "access_log": False, "log_level": log_level,
                              "log_config": log_config(log_level), "timeout_graceful_shutdown": 30,
                              "http": ServiceHttpProtocol, "ws": "none"}
    if workers <= 1:
        app = create_app(Settings.from_env(install_signal_handlers=True))
        uvicorn.run(app, **common)
        return
    load_catalog(settings.rules_dir)  # fail now, with diagnostics, rather than in every worker
    os.environ[SUPERVISOR_ENV] = str(os.getpid())
    config = uvicorn.Config("api.main:create_worker_app", factory=True, workers=workers, **common)
    per_worker = hasattr(socket, "SO_REUSEPORT")
    sockets = worker_sockets(config, workers) if per_worker else [config.bind_socket()]
    for sock in sockets:
        # accepted connections inherit this; asyncio does not set it on sockets handed to worker
        # processes, and without it every answer waits for a delayed ACK (~40 ms)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    ForwardingSupervisor(config, sockets, per_worker=per_worker).run()


def reuseport_socket(host: str, port: int, backlog: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def worker_sockets(config: Config, n: int) -> list[socket.socket]:
    """`n` listening sockets on one port with SO_REUSEPORT (port 0: the first one's free port), one
    per worker; logs the address as uvicorn does (`Uvicorn running on ...`: scripts read the port)."""
    sockets: list[socket.socket] = []
    try:
        port = config.port
        for _ in range(n):
            sockets.append(reuseport_socket(config.host, port, config.backlog))
            port = sockets[0].getsockname()[1]
    except OSError as e:
        for s in sockets:
            s.close()
        logging.getLogger("uvicorn.error").error(e)
        raise SystemExit(STARTUP_FAILURE) from None
    shown = f"[{config.host}]" if ":" in config.host else config.host
    logging.getLogger("uvicorn.error").info("Uvicorn running on http://%s:%d (Press CTRL+C to quit); %d workers, "
                                            "one listening socket each (SO_REUSEPORT)", shown, port, n)
    return sockets

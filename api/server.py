"""`screening serve`: uvicorn with one process, or a supervisor and N worker processes."""

from __future__ import annotations

import copy
import logging
import os
import signal
import socket
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG
from uvicorn.supervisors.multiprocess import Multiprocess

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
    """Passes SIGHUP on to every worker, which reloads its rule sets in place (no restart)."""

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
    sock = config.bind_socket()
    # accepted connections inherit this; asyncio does not set it on sockets handed to worker processes,
    # and without it every answer waits for a delayed ACK (~40 ms)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    ForwardingSupervisor(config, sockets=[sock]).run()

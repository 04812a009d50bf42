"""Fixtures for the HTTP service: one shared rule-set registry, apps, clients, a real server, patients."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from api.registry import ScreenerRegistry
from api.settings import Settings
from tests.paths import REPO

RULES = REPO / "rules"
EXAMPLE = REPO / "patients" / "examples" / "as_patient.json"
AS_OF = "2026-11-22"
TRIAL = "NCT01420432"


@pytest.fixture(scope="session")
def shared_registry() -> Iterator[ScreenerRegistry]:
    """The bundled rule sets, loaded once for the tests that do not reload."""
    reg = ScreenerRegistry(RULES)
    yield reg
    reg.close()


@pytest.fixture
def make_app(shared_registry: ScreenerRegistry) -> Callable[..., FastAPI]:
    def make(registry: ScreenerRegistry | None = None, **settings: Any) -> FastAPI:
        return create_app(Settings(**settings), registry=registry or shared_registry)

    return make


@pytest.fixture
def client(make_app: Callable[..., FastAPI]) -> Iterator[TestClient]:
    with TestClient(make_app()) as c:
        yield c


@pytest.fixture(scope="session")
def example_patient() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def patient_variant(base: dict[str, Any], i: int, rng: random.Random) -> dict[str, Any]:
    """Patient `i`: the base profile with another age, creatinine (value and unit) and record dates."""
    p = copy.deepcopy(base)
    p["id"] = f"api-{i:05d}"
    p["birth_date"] = (dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 58))).isoformat()
    shift = dt.timedelta(days=rng.randrange(0, 400))
    for obs in p["observations"]:
        obs["date"] = (dt.date.fromisoformat(obs["date"]) - shift).isoformat()
        if obs["code"]["code"] == "2160-0":
            if rng.random() < 0.5:
                obs["value"], obs["unit"] = round(rng.uniform(0.4, 3.5), 2), "mg/dL"
            else:
                obs["value"], obs["unit"] = round(rng.uniform(35, 300), 1), "umol/L"
    for cond in p["conditions"]:
        cond["onset"] = max(dt.date.fromisoformat(cond["onset"]) - shift, dt.date.fromisoformat(p["birth_date"])).isoformat()
    if rng.random() < 0.2:
        p["observations"] = [o for o in p["observations"] if o["code"]["code"] != "2160-0"]
    return p


@pytest.fixture(scope="session")
def patients(example_patient: dict[str, Any]) -> list[dict[str, Any]]:
    rng = random.Random(20261122)
    return [patient_variant(example_patient, i, rng) for i in range(2000)]


class LiveServer:
    def __init__(self, proc: subprocess.Popen[bytes], port: int, log: Path):
        self.proc = proc
        self.log = log
        self.set_port(port)

    def set_port(self, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


_LISTENING = re.compile(r"Uvicorn running on https?://\S+:(\d+) ")


def start_server(tmp_path: Path, env: dict[str, str] | None = None, workers: int = 1,
                 host: str = "127.0.0.1") -> LiveServer:
    """`screening serve --port 0` in a subprocess: the server binds a free port itself (no port is
    picked, closed and reused, which races) and logs it; waits until /health is ready."""
    log = tmp_path / f"server-{time.monotonic_ns()}.log"
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
    full_env.update(env or {})
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from screening.cli import main; main()", "serve", "--host", host,
             "--port", "0", "--workers", str(workers)],
            cwd=REPO, env=full_env, stdout=fh, stderr=subprocess.STDOUT)
    server = LiveServer(proc, 0, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}:\n{server.log_text()}")
        if not server.port:
            found = _LISTENING.search(server.log_text())
            if found:
                server.set_port(int(found.group(1)))
        if server.port:
            try:
                if httpx.get(server.url + "/health", timeout=1).json()["ready"]:
                    return server
            except httpx.HTTPError:
                pass
        time.sleep(0.1)
    stop_server(server)
    raise AssertionError("server did not become ready:\n" + server.log_text())


def stop_server(server: LiveServer) -> None:
    if server.proc.poll() is None:
        server.proc.terminate()
        try:
            server.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    started: list[LiveServer] = []

    def start(**kwargs: Any) -> LiveServer:
        s = start_server(tmp_path, **kwargs)
        started.append(s)
        return s

    yield start
    for s in started:
        stop_server(s)


@pytest.fixture(scope="module")
def module_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One live server with the default settings for a module's tests; at the end it must still
    be running, with no traceback in its log."""
    server = start_server(tmp_path_factory.mktemp("server"))
    yield server
    alive, log = server.proc.poll() is None, server.log_text()
    stop_server(server)
    assert alive, "the server died:\n" + log
    assert "Traceback" not in log, log


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A copy of the library and one trial, to edit and reload."""
    root = tmp_path / "rules"
    shutil.copytree(RULES / "library", root / "library")
    shutil.copytree(RULES / TRIAL, root / TRIAL)
    return root


def retitle(root: Path, suffix: str) -> None:
    """Edit the trial's title (changes the rule set's content hash, not its criteria)."""
    path = root / TRIAL / "trial.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("  title: "):
            lines[i] = line.rstrip("\n").split(" [", 1)[0] + f" [{suffix}]\n"
            break
    else:
        raise AssertionError("no title line in the trial file")
    path.write_text("".join(lines), encoding="utf-8")


def chromium_path() -> str | None:
    """The system's Chromium (Debian's `chromium` package; `.ci/run` installs it)."""
    return os.environ.get("SCREENING_TEST_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium driven by Playwright (the system's browser: Playwright downloads none).
    Missing in CI is a failure, not a skip. One per module: Playwright's synchronous API runs an
    event loop in the test thread while it is started, where `asyncio.run` cannot then run."""
    path = chromium_path()
    if path is None:
        message = "no chromium on PATH: `apt-get install -y chromium` (.ci/run does it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield b
        finally:
            b.close()


@dataclass
class OfflinePage:
    """A browser page that may reach only the server under test: any other request is aborted
    and recorded in `blocked`; console errors are recorded in `errors`."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def offline_page(browser: Any) -> Iterator[Callable[[LiveServer], OfflinePage]]:
    contexts: list[Any] = []

    def make(server: LiveServer) -> OfflinePage:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        out = OfflinePage(context.new_page())

        def route(r: Any) -> None:
            if r.request.url.startswith(server.url + "/") or r.request.url.startswith("data:"):
                r.continue_()
            else:
                out.blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        out.page.on("console", lambda m: out.errors.append(m.text) if m.type == "error" else None)
        out.page.on("pageerror", lambda e: out.errors.append(str(e)))
        return out

    yield make
    for c in contexts:
        c.close()

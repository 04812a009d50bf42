"""HTTP service benchmark: POST /screen (all trials) against GET /health, 32 concurrent clients.

Starts one `screening serve --port 0` on loopback (it binds a free port and logs it), then
measures throughput, p50/p99 latency and the server's CPU time per answer of each endpoint, in
alternated runs, with keep-alive connections driven by a minimal asyncio HTTP/1.1 client (so the
client costs little of the machine's CPU), and prints the ratios. Each connection first asks
/health which worker holds it: the output shows how connections and requests spread over the
workers.

    python bench/api_bench.py [--clients 32] [--seconds 5] [--runs 2] [--workers N] [--patients 2000]

/screen is measured with distinct synthetic patients (the realistic case: nothing about one
request is known from the one before) and, for comparison, with one example patient repeated.
Targets, on the distinct patients: /screen throughput >= 50% of /health throughput; p99 < 50 ms
in every run. Without HTTP: the whole answer (explanations and serialisation included) within 2x
of the verdicts alone. Also without HTTP, the requests go through the service's ASGI application in
this process, to split a /screen request's CPU into the route's work (validation, screening,
eligibility dates, serialisation) and the service around it (middleware, routing, API key, body
parse, executor, log line), and to compare that floor with what half of /health's throughput
leaves when the server's CPU is what limits both (twice the CPU of a /health answer).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from patients.synthetic import generate, load_spec

ROOT = Path(__file__).resolve().parent.parent


_LISTENING = re.compile(r"Uvicorn running on https?://\S+:(\d+) ")


def start_server(workers: int, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """`screening serve --port 0`: the server binds a free port itself and logs it (no port is
    picked, closed and bound again, which races); waits until /health is ready."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_API_KEYS")}
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from screening.cli import main; main()", "serve", "--port", "0",
             "--workers", str(workers)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=fh)
    deadline = time.monotonic() + 60
    port = 0
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with status {proc.returncode}:\n{log.read_text()[-2000:]}")
        found = _LISTENING.search(log.read_text(errors="replace"))
        if found:
            port = int(found.group(1))
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                    if json.load(r)["ready"]:
                        return proc, port
            except OSError:
                pass
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not become ready")


def server_cpu_seconds(pid: int) -> float:
    """CPU time of the server's processes (the supervisor and its workers; Linux /proc), else NaN."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        total = 0
        for p in [pid, *map(int, children)]:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return float("nan")


def screen_request(patient: dict[str, object]) -> bytes:
    return request_bytes("POST", "/screen", json.dumps({"patient": patient, "as_of": "2026-11-22"}).encode())


def request_bytes(method: str, path: str, body: bytes = b"") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


HEALTH = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n"


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return status, await reader.readexactly(length)


async def one_client(port: int, payloads: list[bytes], stop_at: float, lat: list[float], errors: list[str],
                     spread: dict[int, list[int]]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        # which worker holds this connection (asked once, before the clock starts for it)
        writer.write(HEALTH)
        worker = json.loads((await read_answer(reader))[1])["worker_pid"]
        counts = spread.setdefault(worker, [0, 0])
        counts[0] += 1
        i = 0
        while time.perf_counter() < stop_at:
            payload = payloads[i % len(payloads)]
            i += 1
            t0 = time.perf_counter()
            writer.write(payload)
            status, _ = await read_answer(reader)
            lat.append(time.perf_counter() - t0)
            counts[1] += 1
            if status != 200:
                errors.append(str(status))
    finally:
        writer.close()


async def measure(port: int, payloads: list[bytes], clients: int, seconds: float) -> dict[str, Any]:
    """Each client sends its own share of `payloads` in turn (distinct requests when there are enough)."""
    lat: list[float] = []
    errors: list[str] = []
    spread: dict[int, list[int]] = {}
    t0 = time.perf_counter()
    stop_at = t0 + seconds
    await asyncio.gather(*(one_client(port, payloads[c::clients] or payloads, stop_at, lat, errors, spread)
                           for c in range(clients)))
    elapsed = time.perf_counter() - t0
    if errors:
        raise SystemExit(f"{len(errors)} non-200 answers, e.g. {errors[:3]}")
    q = statistics.quantiles(lat, n=100, method="inclusive")
    return {"requests": len(lat), "rps": len(lat) / elapsed, "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000,
            "spread": sorted(spread.values(), reverse=True)}


def measure_with_cpu(pid: int, port: int, payloads: list[bytes], clients: int, seconds: float) -> dict[str, Any]:
    """`measure`, with the server's CPU milliseconds per answer."""
    c0 = server_cpu_seconds(pid)
    m = asyncio.run(measure(port, payloads, clients, seconds))
    m["cpu_ms"] = (server_cpu_seconds(pid) - c0) / m["requests"] * 1000
    return m


def spread_text(m: dict[str, Any]) -> str:
    """Connections and requests per worker, e.g. '16+16 conns, 52%/48% of requests'."""
    total = sum(r for _, r in m["spread"]) or 1
    return ("+".join(str(c) for c, _ in m["spread"]) + " conns, "
            + "/".join(f"{r / total:.0%}" for _, r in m["spread"]) + " of requests")


def asgi_scope(method: str, path: str, body: bytes) -> dict[str, Any]:
    headers = [(b"host", b"127.0.0.1")]
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "path": path,
            "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": headers, "scheme": "http",
            "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000)}


async def through_app(app: Any, requests: list[tuple[str, str, bytes]]) -> None:
    """Each request through the service's ASGI application, one after the other (no sockets, no uvicorn)."""
    for method, path, body in requests:
        sent: list[dict[str, Any]] = []

        async def receive(body: bytes = body) -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any], sent: list[dict[str, Any]] = sent) -> None:
            sent.append(message)

        await app(asgi_scope(method, path, body), receive, send)
        if sent[0]["status"] != 200:
            raise SystemExit(f"{method} {path}: status {sent[0]['status']}")


def in_process_costs(cohort: list[dict[str, object]], rounds: int = 5) -> dict[str, float]:
    """CPU milliseconds per request, in this process and without HTTP (best of `rounds`
    alternated rounds), of what lies behind one /screen answer: the engine's verdicts alone; the
    screening and its serialisation (`answer`); the route's whole work (`route`: the body's
    validation, the units, the screening, the eligibility dates, the serialisation); the requests
    through the service's ASGI application (`app_screen`, `app_health`); and the same /screen
    requests with the route's work replaced by a finished answer (`app_around`: the middleware,
    routing, the API-key check, the JSON body's parse, the executor, the log line, the answer's
    73 KB handed on). Run after the server has stopped, on an idle machine."""
    import logging

    import api.routes.screen as screen_route
    from api.bodies import parse_json
    from api.main import create_app
    from api.routes.screen import run_screening
    from api.schemas import ScreenRequest
    from api.settings import Settings

    logging.getLogger("screening.api").disabled = True  # the log line is formatted, not written
    app = create_app(Settings.from_env(warm_up=False))
    registry = app.state.registry
    screener = registry.current.screener
    bodies = [json.dumps({"patient": p, "as_of": "2026-11-22"}).encode() for p in cohort]
    requests = [ScreenRequest.model_validate(json.loads(b)) for b in bodies]
    screens = [("POST", "/screen", b) for b in bodies]
    healths = [("GET", "/health", b"")] * len(bodies)

    def verdicts() -> None:
        for r in requests:
            screener.outcomes(r.patient, r.as_of)

    def answer() -> None:
        for b in bodies:
            r = ScreenRequest.model_validate(json.loads(b))
            screener.report_json(screener.screen(r.patient, r.as_of))  # as the API writes its answer

    def route() -> None:
        for b in bodies:
            run_screening(registry, ScreenRequest, parse_json(b), None)

    finished = run_screening(registry, ScreenRequest, parse_json(bodies[0]), None)

    def around() -> None:
        screen_route.run_screening = lambda *args: finished  # type: ignore[assignment]
        try:
            asyncio.run(through_app(app, screens))
        finally:
            screen_route.run_screening = run_screening

    stages = {"verdicts": verdicts, "answer": answer, "route": route,
              "app_screen": lambda: asyncio.run(through_app(app, screens)), "app_around": around,
              "app_health": lambda: asyncio.run(through_app(app, healths))}
    for r in requests[:200]:  # warm-up
        screener.screen(r.patient, r.as_of)
    asyncio.run(through_app(app, screens[:50] + healths[:50]))
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, stage in stages.items():
            t0 = time.process_time()
            stage()
            ms = (time.process_time() - t0) / len(bodies) * 1000
            best[name] = min(best.get(name, ms), ms)
    app.state.executor.shutdown()
    registry.close()
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="server worker processes (default: one per core, as in production)")
    ap.add_argument("--patients", type=int, default=2000, help="distinct synthetic patients to send")
    ap.add_argument("--runs", type=int, default=2, help="runs per endpoint, alternated")
    args = ap.parse_args()

    example = json.loads((ROOT / "patients" / "examples" / "as_patient.json").read_text())
    cohort = list(generate(load_spec(), args.patients, seed=20261122))
    with tempfile.TemporaryDirectory(prefix="api-bench-") as tmp:
        proc, port = start_server(args.workers, Path(tmp) / "server.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health") as r:
                trials = len(json.load(r)["rulesets"])
            health_req = [request_bytes("GET", "/health")]
            distinct = [screen_request(p) for p in cohort]
            repeated = [screen_request(example)]
            asyncio.run(measure(port, health_req, args.clients, 1.0))   # warm-up
            asyncio.run(measure(port, repeated, args.clients, 1.0))
            runs: dict[str, list[dict[str, Any]]] = {"health": [], "screen": [], "same": []}
            for _ in range(args.runs):  # alternated, so that machine noise hits every endpoint alike
                runs["health"].append(measure_with_cpu(proc.pid, port, health_req, args.clients, args.seconds))
                runs["screen"].append(measure_with_cpu(proc.pid, port, distinct, args.clients, args.seconds))
                runs["same"].append(measure_with_cpu(proc.pid, port, repeated, args.clients, args.seconds))
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    print(f"HTTP service, {args.clients} concurrent clients, {args.workers} worker(s), {os.cpu_count()} CPU(s), "
          f"{args.runs} run(s) of {args.seconds:g} s per endpoint, alternated; /screen: all {trials} trials with "
          f"full explanations, for {len(distinct):,} distinct synthetic patients (each sent once per "
          f"{len(distinct):,} requests), and for one example patient sent over and over")
    print(f"{'endpoint':<32}{'run':>4}{'requests':>10}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'CPU ms':>8}"
          "   per worker")
    names = {"health": "GET /health", "screen": "POST /screen (distinct patients)", "same": "POST /screen (one patient)"}
    for key, name in names.items():
        for i, m in enumerate(runs[key], start=1):
            print(f"{name:<32}{i:>4}{m['requests']:>10.0f}{m['rps']:>8.0f}{m['p50_ms']:>8.2f}{m['p99_ms']:>8.2f}"
                  f"{m['cpu_ms']:>8.3f}   {spread_text(m)}")
    ratios = [s["rps"] / h["rps"] for h, s in zip(runs["health"], runs["screen"], strict=True)]
    worst_p99 = max(m["p99_ms"] for m in runs["screen"])
    print(f"/screen throughput (distinct patients) / /health throughput, per run: "
          f"{', '.join(f'{r:.0%}' for r in ratios)} (target >= 50%): {'met' if min(ratios) >= 0.5 else 'NOT met'}")
    print(f"/screen p99, worst run = {worst_p99:.1f} ms (target < 50 ms in every run): "
          f"{'met' if worst_p99 < 50 else 'NOT met'}")
    cpu_ratio = [s["cpu_ms"] / h["cpu_ms"] for h, s in zip(runs["health"], runs["screen"], strict=True)]
    print("server CPU per answer, /screen / /health, per run: " + ", ".join(f"{r:.2f}x" for r in cpu_ratio))
    health = max(runs["health"], key=lambda m: m["rps"])
    cost = in_process_costs(cohort[:300])
    workers = min(args.workers, os.cpu_count() or 1)
    budget = 1000 * workers / (0.5 * health["rps"])
    print(f"without HTTP, per patient: verdicts alone {cost['verdicts']:.3f} ms, the whole answer "
          f"{cost['answer']:.3f} ms of CPU ({cost['answer'] / cost['verdicts']:.2f}x the verdicts; target <= 2x); "
          f"50% of /health leaves {budget:.3f} ms of CPU per /screen "
          f"request on {workers} core(s), HTTP included")
    together = cost["app_screen"] - cost["route"] - cost["app_around"]
    health_cpu = min(m["cpu_ms"] for m in runs["health"])
    print(f"without HTTP, per request through the service's ASGI app (no sockets): /health {cost['app_health']:.3f} ms; "
          f"/screen {cost['app_screen']:.3f} ms, of which the route's work (validation, units, screening, eligibility "
          f"dates, serialisation) measured alone {cost['route']:.3f} ms, the service around it (with a finished answer) "
          f"{cost['app_around']:.3f} ms, and {together:.3f} ms that the two cost together beyond their sums (caches, "
          f"the allocator); over HTTP the server spent {min(m['cpu_ms'] for m in runs['screen']):.3f} ms per /screen "
          f"answer, {health_cpu:.3f} ms per /health answer (best runs)")
    print(f"CPU floor of a /screen answer, the route's work alone: {cost['route']:.3f} ms = "
          f"{cost['route'] / (2 * health_cpu):.1f}x twice the server's CPU per /health answer ({2 * health_cpu:.3f} ms: "
          f"what /screen may cost for half of /health's throughput when the server's CPU limits both)")

if __name__ == "__main__":
    main()

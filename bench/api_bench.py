"""HTTP service benchmark: POST /screen (all trials) against GET /health, 32 concurrent clients.

Starts one `screening serve` on a free loopback port, then measures throughput and p50/p99
latency of each endpoint with keep-alive connections driven by a minimal asyncio HTTP/1.1
client (so the client costs little of the machine's CPU), and prints the ratio.

    python bench/api_bench.py [--clients 32] [--seconds 5] [--workers N] [--patients 2000]

/screen is measured with distinct synthetic patients (the realistic case: nothing about one
request is known from the one before) and, for comparison, with one example patient repeated.
Targets, on the distinct patients: /screen throughput >= 50% of /health throughput; p99 < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from patients.synthetic import generate, load_spec

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_API_KEYS")}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from screening.cli import main; main()", "serve", "--port", str(port),
         "--workers", str(workers)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                if json.load(r)["ready"]:
                    return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not become ready")


def screen_request(patient: dict[str, object]) -> bytes:
    return request_bytes("POST", "/screen", json.dumps({"patient": patient, "as_of": "2026-11-22"}).encode())


def request_bytes(method: str, path: str, body: bytes = b"") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


async def one_client(port: int, payloads: list[bytes], stop_at: float, lat: list[float], errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = 0
    try:
        while time.perf_counter() < stop_at:
            payload = payloads[i % len(payloads)]
            i += 1
            t0 = time.perf_counter()
            writer.write(payload)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            lat.append(time.perf_counter() - t0)
            if status != 200:
                errors.append(str(status))
    finally:
        writer.close()


async def measure(port: int, payloads: list[bytes], clients: int, seconds: float) -> dict[str, float]:
    """Each client sends its own share of `payloads` in turn (distinct requests when there are enough)."""
    lat: list[float] = []
    errors: list[str] = []
    t0 = time.perf_counter()
    stop_at = t0 + seconds
    await asyncio.gather(*(one_client(port, payloads[c::clients] or payloads, stop_at, lat, errors)
                           for c in range(clients)))
    elapsed = time.perf_counter() - t0
    if errors:
        raise SystemExit(f"{len(errors)} non-200 answers, e.g. {errors[:3]}")
    q = statistics.quantiles(lat, n=100, method="inclusive")
    return {"requests": len(lat), "rps": len(lat) / elapsed, "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000}


def in_process_costs(cohort: list[dict[str, object]]) -> dict[str, float]:
    """CPU milliseconds per patient, in this process and without HTTP, of the work behind one
    /screen: the engine's verdicts alone, and the whole answer (validation, facts, engine,
    explanations, serialisation). Run after the server has stopped, on an idle machine."""
    from api.schemas import ScreenRequest
    from screening.ruleset.catalog import load_catalog
    from screening.runtime.evaluate import Screener

    screener = Screener(load_catalog())
    bodies = [json.dumps({"patient": p, "as_of": "2026-11-22"}).encode() for p in cohort]
    requests = [ScreenRequest.model_validate(json.loads(b)) for b in bodies]
    for r in requests[:200]:  # warm-up
        screener.screen(r.patient, r.as_of)
    t0 = time.process_time()
    for r in requests:
        screener.outcomes(r.patient, r.as_of)
    t1 = time.process_time()
    for b in bodies:
        r = ScreenRequest.model_validate(json.loads(b))
        screener.screen(r.patient, r.as_of).model_dump_json()
    t2 = time.process_time()
    screener.close()
    return {"verdicts_ms": (t1 - t0) / len(bodies) * 1000, "answer_ms": (t2 - t1) / len(bodies) * 1000}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="server worker processes (default: one per core, as in production)")
    ap.add_argument("--patients", type=int, default=2000, help="distinct synthetic patients to send")
    args = ap.parse_args()

    example = json.loads((ROOT / "patients" / "examples" / "as_patient.json").read_text())
    cohort = list(generate(load_spec(), args.patients, seed=20261122))
    port = free_port()
    proc = start_server(port, args.workers)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health") as r:
            trials = len(json.load(r)["rulesets"])
        health_req = [request_bytes("GET", "/health")]
        distinct = [screen_request(p) for p in cohort]
        repeated = [screen_request(example)]
        asyncio.run(measure(port, health_req, args.clients, 1.0))   # warm-up
        asyncio.run(measure(port, repeated, args.clients, 1.0))
        health = asyncio.run(measure(port, health_req, args.clients, args.seconds))
        screen = asyncio.run(measure(port, distinct, args.clients, args.seconds))
        same = asyncio.run(measure(port, repeated, args.clients, args.seconds))
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    print(f"HTTP service, {args.clients} concurrent clients, {args.workers} worker(s), {os.cpu_count()} CPU(s), "
          f"{args.seconds:g} s per endpoint; /screen: all {trials} trials with full explanations, for "
          f"{len(distinct):,} distinct synthetic patients (each sent once per {len(distinct):,} requests), "
          "and for one example patient sent over and over")
    print(f"{'endpoint':<32}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for name, m in (("GET /health", health), ("POST /screen (distinct patients)", screen),
                    ("POST /screen (one patient)", same)):
        print(f"{name:<32}{m['requests']:>10.0f}{m['rps']:>10.0f}{m['p50_ms']:>10.2f}{m['p99_ms']:>10.2f}")
    ratio = screen["rps"] / health["rps"]
    print(f"/screen throughput (distinct patients) / /health throughput = {ratio:.0%} (target >= 50%): "
          f"{'met' if ratio >= 0.5 else 'NOT met'}")
    print(f"/screen p99 = {screen['p99_ms']:.1f} ms (target < 50 ms): {'met' if screen['p99_ms'] < 50 else 'NOT met'}")
    cost = in_process_costs(cohort)
    workers = min(args.workers, os.cpu_count() or 1)
    budget = 1000 * workers / (0.5 * health["rps"])
    print(f"without HTTP, per patient: verdicts alone {cost['verdicts_ms']:.3f} ms, the whole answer "
          f"{cost['answer_ms']:.3f} ms of CPU; 50% of /health leaves {budget:.3f} ms of CPU per /screen "
          f"request on {workers} core(s), HTTP included")


if __name__ == "__main__":
    main()

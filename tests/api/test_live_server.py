"""A real uvicorn server on loopback, 32 concurrent clients, 2,000 distinct patients: every answer
equals the in-process `Screener.screen` result for that patient."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import threading
from collections import Counter
from typing import Any

import httpx
import pytest

from api.registry import ScreenerRegistry
from patients.io import parse_patient

pytestmark = pytest.mark.slow  # a real uvicorn server on loopback

CLIENTS = 32


def test_concurrent_clients_get_in_process_results(live_server: Any, patients: list[dict[str, Any]],
                                                   shared_registry: ScreenerRegistry) -> None:
    assert len({json.dumps(p, sort_keys=True) for p in patients}) == len(patients) >= 2000
    server = live_server()
    health = httpx.get(server.url + "/health").json()
    assert {x["trial_id"]: x["ruleset_hash"] for x in health["rulesets"]} == shared_registry.current.hashes

    days = [dt.date(2026, 11, 22) - dt.timedelta(days=d) for d in (0, 30, 200)]
    jobs = [(p, days[i % len(days)]) for i, p in enumerate(patients)]
    answers: list[tuple[int, bytes, str]] = [(0, b"", "")] * len(jobs)
    next_job = iter(range(len(jobs)))
    lock = threading.Lock()
    failures: list[BaseException] = []

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)  # keep-alive
        try:
            while True:
                with lock:
                    i = next(next_job, None)
                if i is None:
                    return
                p, day = jobs[i]
                conn.request("POST", "/screen", body=json.dumps({"patient": p, "as_of": day.isoformat()}),
                             headers={"Content-Type": "application/json"})
                r = conn.getresponse()
                answers[i] = (r.status, r.read(), r.headers.get("x-request-id", ""))
        except BaseException as e:  # surfaced below
            failures.append(e)
        finally:
            conn.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures[:3]

    screener = shared_registry.current.screener
    verdicts: Counter[str] = Counter()
    for (status, body, _), (p, day) in zip(answers, jobs, strict=True):
        assert status == 200, body[:500]
        expected = screener.screen(parse_patient(p), day)
        if body != expected.model_dump_json().encode():  # the same document, byte for byte
            assert json.loads(body) == json.loads(expected.model_dump_json()), f"patient {p['id']} as of {day}"
        verdicts.update(r.verdict for r in expected.results)
    assert len({a[2] for a in answers}) == len(answers)  # one request id each
    assert len(verdicts) >= 2, verdicts  # the patients differ in ways that change verdicts
    assert server.proc.poll() is None

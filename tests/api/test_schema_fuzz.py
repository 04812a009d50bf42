"""Property-based run over the OpenAPI document (schemathesis) against a live uvicorn server on
loopback (`screening serve`, with its protocol and middleware, over real sockets): no 5xx, and
every answer matches the documented status codes, content types and schemas, for valid and
invalid requests alike (schema-conforming and schema-violating generation). Bounded: 30
examples per operation and mode, every request with a timeout."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation.modes import GenerationMode

from tests.api.conftest import LiveServer

pytestmark = pytest.mark.slow  # property-based fuzzing of the whole API on a live server

REQUEST_TIMEOUT = 30  # seconds; a hang fails the run instead of stalling it
SEEN: defaultdict[str, Counter[int]] = defaultdict(Counter)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def api_schema(module_server: LiveServer) -> Any:
    return schemathesis.openapi.from_url(module_server.url + "/openapi.json")


# Every operation but the reload (which re-reads the rule sets); the document must list no other
# (schemathesis' own pytest loader, `from_fixture`, does not run on pytest 9: operations are named here).
OPERATIONS = [("GET", "/health"), ("GET", "/trials"), ("GET", "/trials/{trial_id}"), ("POST", "/screen"),
              ("POST", "/trials/{trial_id}/screen"), ("GET", "/cds-services"), ("POST", "/cds-services/{service_id}"),
              ("POST", "/cds-services/{service_id}/feedback")]


def test_every_operation_is_fuzzed(api_schema: Any) -> None:
    listed = {(r.ok().method.upper(), r.ok().path) for r in api_schema.get_all_operations()}
    assert listed - {("POST", "/admin/reload")} == set(OPERATIONS)


# schema-violating requests, for the operations that take parameters or a body
CASES = [(m, p, GenerationMode.POSITIVE) for m, p in OPERATIONS] + [
    (m, p, GenerationMode.NEGATIVE) for m, p in OPERATIONS if "{" in p or m == "POST"]


@pytest.mark.parametrize("method,path,mode", CASES)
def test_api_conforms_to_its_schema(api_schema: Any, method: str, path: str, mode: GenerationMode) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=30, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
    def run(case: Any) -> None:
        response = case.call_and_validate(checks=CHECKS, timeout=REQUEST_TIMEOUT)
        SEEN[f"{case.method} {case.path}"][response.status_code] += 1

    run()


def test_the_run_reached_both_answers_and_errors() -> None:
    """The generated requests were screened, not only refused (and some were refused)."""
    print({k: dict(v) for k, v in SEEN.items()})
    assert SEEN["POST /screen"][200] > 0 and SEEN["POST /trials/{trial_id}/screen"][404] > 0
    assert sum(n for code, n in SEEN["POST /screen"].items() if 400 <= code < 500) > 0
    cds_call = SEEN["POST /cds-services/{service_id}"]
    assert cds_call[412] + cds_call[200] > 0 and cds_call[422] > 0, cds_call

"""Property-based run over the OpenAPI document (schemathesis): no 5xx, and every answer matches
the documented status codes, content types and schemas, for valid and invalid requests alike."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.main import create_app
from api.registry import ScreenerRegistry
from api.settings import Settings
from tests.api.conftest import RULES

pytestmark = pytest.mark.slow  # property-based fuzzing of the whole API

_registry = ScreenerRegistry(RULES)
app = create_app(Settings(), registry=_registry)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)

SEEN: defaultdict[str, Counter[int]] = defaultdict(Counter)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@schema.exclude(path="/admin/reload").parametrize()
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_api_conforms_to_its_schema(case: Any) -> None:
    response = case.call_and_validate(checks=CHECKS)
    SEEN[f"{case.method} {case.path}"][response.status_code] += 1


def test_the_run_reached_both_answers_and_errors() -> None:
    """The generated requests were screened, not only refused (and some were refused)."""
    print({k: dict(v) for k, v in SEEN.items()})
    assert SEEN["POST /screen"][200] > 0 and SEEN["POST /trials/{trial_id}/screen"][404] > 0
    assert sum(n for code, n in SEEN["POST /screen"].items() if 400 <= code < 500) > 0

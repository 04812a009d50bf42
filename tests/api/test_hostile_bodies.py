"""Hostile request bodies (tests/hostile.py) against a live server: a 4xx in the service's error
format with a message (or a 200 when the document happens to be a valid patient), never a 5xx,
a dropped connection or a hang; the server stays up."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import LiveServer
from tests.hostile import hostile_documents

pytestmark = pytest.mark.slow  # a live server, many requests

REQUEST_TIMEOUT = 30  # seconds: a hang fails the case


@pytest.fixture(scope="module")
def http(module_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=module_server.url, timeout=REQUEST_TIMEOUT) as c:
        yield c


BODY_SHAPES = st.sampled_from(["bare", "wrapped"])
MEDIA = st.sampled_from(["application/json", "application/fhir+json"])


@given(doc=hostile_documents, shape=BODY_SHAPES, media=MEDIA,
       path=st.sampled_from(["/screen", "/trials/NCT01420432/screen"]))
@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
                                 HealthCheck.function_scoped_fixture])
def test_hostile_bodies_get_a_clean_4xx(http: httpx.Client, doc: bytes, shape: str, media: str, path: str) -> None:
    body = b'{"patient": ' + doc + b', "as_of": "2026-11-22"}' if shape == "wrapped" and media == "application/json" else doc
    query = "?as_of=2026-11-22" if media == "application/fhir+json" else ""
    r = http.post(path + query, content=body, headers={"content-type": media})
    assert r.status_code < 500, r.text[:500]
    assert r.headers["content-type"].startswith("application/json")
    if r.status_code >= 400:
        err = r.json()["error"]
        assert err["status"] == r.status_code and err["message"] and err["request_id"] == r.headers["x-request-id"]
    else:
        assert json.loads(r.content)["results"]

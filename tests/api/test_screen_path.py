"""The screening routes' hot path: the API key, the query and the path are read by the route's own
handler, not solved by FastAPI per request; the answers and refusals are the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import fastapi.routing
import pytest
from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.testclient import TestClient

from api.routes.screen import ScreenRoute
from api.security import require_api_key
from tests.api.conftest import AS_OF, TRIAL


def count_solved(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    real = fastapi.routing.solve_dependencies

    async def counting(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return await real(*args, **kwargs)

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", counting)
    return calls


def test_screen_routes_read_their_parameters_without_fastapi_solving_them(
        client: TestClient, example_patient: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_solved(monkeypatch)
    assert client.get("/trials").status_code == 200  # an ordinary route: solved by FastAPI
    assert calls[0] > 0
    calls[0] = 0
    body = {"patient": example_patient, "as_of": AS_OF}
    assert client.post("/screen", json=body).status_code == 200
    assert client.post(f"/trials/{TRIAL}/screen", json=body).status_code == 200
    fhir_query = client.post("/screen?as_of=2026-01-01", json=body)  # still read, and refused beside a JSON body
    assert fhir_query.status_code == 422 and fhir_query.json()["error"]["errors"][0]["field"] == "query.as_of"
    assert calls[0] == 0


def test_screen_routes_check_api_keys_themselves(make_app: Callable[..., FastAPI], example_patient: dict[str, Any],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_solved(monkeypatch)
    body = {"patient": example_patient, "as_of": AS_OF}
    with TestClient(make_app(api_keys=frozenset({"k-0123456789abcdef"}))) as c:
        for path in ("/screen", f"/trials/{TRIAL}/screen"):
            assert c.post(path, json=body).status_code == 401
            assert c.post(path, json=body, headers={"X-API-Key": "wrong"}).status_code == 401
            assert c.post(path, json=body, headers={"Authorization": "Bearer k-0123456789abcdef"}).status_code == 200
    assert calls[0] == 0


def test_a_screen_route_declaring_what_its_handler_does_not_read_is_refused() -> None:
    router = APIRouter(dependencies=[Depends(require_api_key)], route_class=ScreenRoute)

    async def extra_query(request: Request, as_of: str | None = Query(None), trial_id: list[str] | None = Query(None),
                          verbose: bool = False) -> Response:
        return Response()

    async def extra_dependency(request: Request, _: None = Depends(lambda: None)) -> Response:
        return Response()

    with pytest.raises(TypeError, match="reads the API key"):
        router.add_api_route("/screen", extra_query, methods=["POST"])
    with pytest.raises(TypeError, match="reads the API key"):
        router.add_api_route("/trials/{trial_id}/screen", extra_dependency, methods=["POST"])
    with pytest.raises(TypeError, match="reads the API key"):
        router.add_api_route("/other", extra_dependency, methods=["POST"])

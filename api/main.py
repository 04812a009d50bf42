"""The application factory: `screening serve`, or `uvicorn --factory api.main:create_app --http
api.protocol:ServiceHttpProtocol` (without `--http`, uvicorn's own protocol has no head timeout
nor head size limit, see `api/protocol.py`)."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi

from api.errors import install_handlers
from api.middleware import ServiceMiddleware
from api.registry import ScreenerRegistry
from api.routes import admin, cds_hooks, docs, health, page, screen, trials
from api.schemas import FHIR_SCHEMAS, CdsFeedback, CdsRequest, ScreenRequest, TrialScreenRequest
from api.settings import Settings
from api.warmup import start_warm_up
from screening.core.diagnostics import RuleSetError
from screening.version import ENGINE_VERSION

log = logging.getLogger("screening.api")

DESCRIPTION = """Screens patient profiles against clinical-trial eligibility rule sets.

Every criterion comes back as `pass`, `fail`, `unknown` or `review`, with evidence, thresholds
and the data still to collect; every trial result names the rule-set hash it used. When API keys
are configured, send one as `X-API-Key: <key>` or `Authorization: Bearer <key>`.
"""


def reload_in_background(registry: ScreenerRegistry) -> None:
    def run() -> None:
        try:
            out = registry.reload()
            log.info("reload on SIGHUP: generation %d%s", out.generation.number, "" if out.changed else " (unchanged)")
        except RuleSetError as e:
            log.error("reload on SIGHUP failed, the loaded rule sets stay in service:\n%s", e)
        except Exception as e:  # keep serving whatever happens
            log.error("reload on SIGHUP failed, the loaded rule sets stay in service: %s: %s", type(e).__name__, e)

    threading.Thread(target=run, name="rules-reload", daemon=True).start()


def install_sighup(registry: ScreenerRegistry) -> bool:
    if not hasattr(signal, "SIGHUP") or threading.current_thread() is not threading.main_thread():
        return False
    signal.signal(signal.SIGHUP, lambda signum, frame: reload_in_background(registry))
    return True


def custom_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (ScreenRequest, TrialScreenRequest, CdsRequest, CdsFeedback):  # bodies read by api/deps.py
        js = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in js.pop("$defs", {}).items():
            components.setdefault(name, sub)
        components[model.__name__] = js
    components.update(FHIR_SCHEMAS)
    app.openapi_schema = schema
    return schema


def create_app(settings: Settings | None = None, registry: ScreenerRegistry | None = None) -> FastAPI:
    """Build the service. Loads the rule sets now (raises RuleSetError when they have errors)."""
    settings = settings or Settings.from_env()
    own_registry = registry is None
    registry = registry or ScreenerRegistry(settings.rules_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        executor = app.state.executor = ThreadPoolExecutor(max_workers=settings.threads, thread_name_prefix="screen")
        app.state.warm_up = start_warm_up(executor, registry) if settings.warm_up else None
        if settings.install_signal_handlers and install_sighup(registry):
            log.info("SIGHUP reloads the rule sets")
        log.info("serving %d rule set(s), generation %d; API keys %s", len(registry.current.hashes),
                 registry.current.number, "required" if settings.auth_required else "not configured (loopback only)")
        yield
        executor.shutdown(wait=True)
        if own_registry:
            registry.close()

    app = FastAPI(title="trial-screening", version=ENGINE_VERSION, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)  # served offline by api/routes/docs.py
    app.state.settings = settings
    app.state.registry = registry
    # replaced at start-up and shut down at shutdown by the lifespan; this one serves apps run without it
    app.state.executor = ThreadPoolExecutor(max_workers=settings.threads, thread_name_prefix="screen")
    install_handlers(app)
    for module in (health, trials, screen, admin, cds_hooks, docs, page):
        app.include_router(module.router)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "X-API-Key", "Authorization", "X-Request-ID"],
            expose_headers=["X-Request-ID"],
        )
    app.add_middleware(ServiceMiddleware, max_body_bytes=settings.max_body_bytes,
                       max_fhir_body_bytes=settings.max_fhir_body_bytes, body_timeout=settings.body_timeout)
    app.openapi = lambda: custom_openapi(app)  # type: ignore[method-assign]
    return app


def create_worker_app() -> FastAPI:
    """The factory `screening serve` hands to uvicorn: settings from the environment, SIGHUP reloads."""
    return create_app(Settings.from_env(install_signal_handlers=True))

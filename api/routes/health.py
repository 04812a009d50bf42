"""GET /health: liveness and readiness, with the loaded rule sets and their hashes."""

from __future__ import annotations

import os

from fastapi import APIRouter, Depends

from api.deps import get_registry
from api.registry import ScreenerRegistry
from api.schemas import Health, RulesetInfo
from screening.runtime.engine import DURABLE_RULES_VERSION
from screening.version import ENGINE_VERSION

router = APIRouter(tags=["service"])


@router.get("/health", response_model=Health, summary="Liveness and readiness")
async def health(registry: ScreenerRegistry = Depends(get_registry)) -> Health:
    """Answers while the service runs; `ready` is true when rule sets are loaded. Needs no API key."""
    gen = registry.current
    return Health(
        ready=bool(gen.hashes) and not gen.closed,
        engine_version=ENGINE_VERSION,
        durable_rules_version=DURABLE_RULES_VERSION,
        generation=gen.number,
        loaded_at=gen.loaded_at,
        in_flight=gen.refs,
        worker_pid=os.getpid(),
        rulesets=[RulesetInfo(trial_id=t, ruleset_hash=h) for t, h in gen.hashes.items()],
    )

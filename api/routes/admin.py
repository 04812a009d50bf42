"""POST /admin/reload: load the rule sets again without a restart (SIGHUP does the same)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal

from fastapi import APIRouter, Depends, Request

from api.deps import get_registry, get_settings, log_fields
from api.errors import ApiError
from api.registry import ReloadOutcome, ScreenerRegistry
from api.routes.trials import AUTH_RESPONSES
from api.schemas import ErrorBody, FieldError, ReloadResult, RulesetInfo
from api.security import require_api_key
from api.settings import Settings
from screening.core.diagnostics import RuleSetError

log = logging.getLogger("screening.api")

router = APIRouter(tags=["admin"], dependencies=[Depends(require_api_key)])


def reload_result(out: ReloadOutcome) -> ReloadResult:
    gen = out.generation
    return ReloadResult(changed=out.changed, generation=gen.number, added=out.added, removed=out.removed,
                        updated=out.updated,
                        rulesets=[RulesetInfo(trial_id=t, ruleset_hash=h) for t, h in gen.hashes.items()])


@router.post("/admin/reload", response_model=ReloadResult, summary="Reload the rule sets",
             responses={**AUTH_RESPONSES, 409: {"model": ErrorBody, "description":
                        "the rule sets on disk have errors; the loaded ones stay in service"}})
async def reload(request: Request, registry: ScreenerRegistry = Depends(get_registry),
                 settings: Settings = Depends(get_settings)) -> ReloadResult:
    """Load the rule sets again. Screenings already running finish on the rule sets they started
    with; new ones use the new rule sets. With several workers, every worker reloads."""
    try:
        out = await asyncio.get_running_loop().run_in_executor(None, registry.reload)
    except RuleSetError as e:
        errors = [FieldError(field=f"{d.file}:{d.line}:{d.column}", loc=[d.file, d.line, d.column],
                             message=f"{d.code}: {d.message}") for d in e.diagnostics]
        raise ApiError(409, "rule_set_errors", f"rule sets not reloaded: {len(errors)} error(s); "
                       "the loaded rule sets stay in service", errors=errors) from None
    if settings.supervisor_pid is not None and settings.supervisor_pid == os.getppid():
        os.kill(settings.supervisor_pid, signal.SIGHUP)  # the supervisor passes it on to every worker
    log_fields(request, gen=out.generation.number, changed=out.changed)
    return reload_result(out)

"""GET /trials and GET /trials/{trial_id}: the trials and their criteria in plain language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from api.deps import get_registry
from api.errors import ApiError
from api.registry import ScreenerRegistry
from api.schemas import CriterionDetail, ErrorBody, FieldError, TrialDetail, TrialSummary
from api.security import require_api_key
from patients.validation import field_path
from screening.core.diagnostics import unknown_trial as unknown_trial_message
from screening.ruleset.catalog import RuleSet
from screening.ruleset.render import node_text

TrialPath = Annotated[str, Path(description="a trial id, as listed by GET /trials", examples=["NCT01420432"])]

router = APIRouter(tags=["trials"], dependencies=[Depends(require_api_key)])

AUTH_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody, "description": "API keys are configured and none valid was sent"},
}
NOT_FOUND: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorBody, "description": "unknown trial id; the answer lists the known ones"},
}


def unknown_trial(trial_id: TrialPath, known: list[str], loc: list[str | int] | None = None) -> ApiError:
    shown = trial_id if len(trial_id) <= 128 else trial_id[:128] + "..."
    errors = [FieldError(field=field_path(tuple(loc)), loc=loc, message="unknown trial")] if loc else []
    return ApiError(404, "unknown_trial", unknown_trial_message(shown, known), known_trials=known, errors=errors)


def summary(rs: RuleSet) -> TrialSummary:
    return TrialSummary(id=rs.trial_id, title=rs.title, ruleset_hash=rs.hash, **rs.counts())


def detail(rs: RuleSet) -> TrialDetail:
    criteria = [CriterionDetail(
        id=c.id, kind=c.kind, text=c.text, source=c.source_text, computable=c.computable,
        rule=node_text(c.expr, 1) if c.expr is not None else None, missing_data_policy=c.policy,
        review_reason=c.review, reading=c.reading, alternative_reading=c.alternative,
    ) for c in rs.ir.criteria]
    t = rs.model.trial
    return TrialDetail(id=rs.trial_id, title=t.title, ruleset_hash=rs.hash, registry_ids=list(t.registry_ids),
                       sponsor=t.sponsor, conditions=list(t.conditions), criteria=criteria)


@router.get("/trials", response_model=list[TrialSummary], summary="List the trials",
            responses=AUTH_RESPONSES)
async def list_trials(registry: ScreenerRegistry = Depends(get_registry)) -> list[TrialSummary]:
    """Every loaded trial with its rule-set hash and criteria counts (as `screening trials --json`)."""
    return [summary(rs) for rs in registry.current.catalog.rulesets.values()]


@router.get("/trials/{trial_id}", response_model=TrialDetail, summary="One trial's criteria",
            responses={**AUTH_RESPONSES, **NOT_FOUND})
async def get_trial(trial_id: TrialPath, registry: ScreenerRegistry = Depends(get_registry)) -> TrialDetail:
    """The criteria with their registry text, source and plain-language rule (as `screening explain`)."""
    rulesets = registry.current.catalog.rulesets
    if trial_id not in rulesets:
        raise unknown_trial(trial_id, list(rulesets))
    return detail(rulesets[trial_id])

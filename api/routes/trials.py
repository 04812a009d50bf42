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
from screening.ruleset.render import node_text
from screening.runtime.catalog import RuleSet

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


def source_text(rs: RuleSet, cid: str) -> str:
    c = rs.criterion(cid)
    return c.source.document + (f", {c.source.section}" if c.source.section else "") + (
        f", item {c.source.item}" if c.source.item is not None else "")


def summary(rs: RuleSet) -> TrialSummary:
    crit = rs.model.criteria
    return TrialSummary(
        id=rs.trial_id, title=rs.model.trial.title, ruleset_hash=rs.hash, criteria=len(crit),
        inclusion=sum(c.kind == "inclusion" for c in crit), exclusion=sum(c.kind == "exclusion" for c in crit),
        computable=sum(c.when is not None for c in crit), review=sum(c.review is not None for c in crit),
    )


def detail(rs: RuleSet) -> TrialDetail:
    criteria = []
    for c_ir, c in zip(rs.ir.criteria, rs.model.criteria, strict=True):
        criteria.append(CriterionDetail(
            id=c.id, kind=c.kind, text=c.text, source=source_text(rs, c.id), computable=c_ir.expr is not None,
            rule=node_text(c_ir.expr, 1) if c_ir.expr is not None else None,
            missing_data_policy=c.missing, review_reason=c.review, reading=c.reading,
            alternative_reading=c.alternative.text if c.alternative else None,
        ))
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

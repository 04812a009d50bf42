"""The building blocks of the rule-set models: the frozen base model, identifiers and the small
grammars of durations and quantities (nothing in a rule set is ever executed)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from screening.core.timewindows import Duration, DurationError
from screening.core.units import UnitError, parse_quantity

IDENT = r"^[a-z][a-z0-9_]*$"
Ident = Annotated[str, Field(pattern=IDENT, max_length=64)]


class M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- small grammars -----------------------------------------------------------------------


def duration_text(v: Any) -> str:
    try:
        return str(Duration.parse(v))
    except DurationError as e:
        raise ValueError(str(e)) from None


def quantity_text(v: Any) -> str:
    try:
        value, unit = parse_quantity(v)
    except UnitError as e:
        raise ValueError(str(e)) from None
    return f"{value:g} {unit}"


DurationText = Annotated[Any, Field(description="e.g. '4 weeks', '90 days', '10 years'")]

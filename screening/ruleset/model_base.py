"""The building blocks of the rule-set models: the frozen base model, identifiers and the small
grammars of durations and quantities (nothing in a rule set is ever executed)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

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


def optional_duration(v: Any) -> Any:
    """A duration field's value checked and spelt canonically ('8 weeks'); None stays None."""
    return None if v is None else duration_text(v)


def check_quantity(v: Any) -> None:
    """Raise the `quantity` error (shown as code E105 at the field) when `v` is not a quantity."""
    try:
        parse_quantity(v)
    except UnitError as e:
        raise PydanticCustomError("quantity", "{reason}", {"reason": str(e)}) from None

"""What a draft found, drafted and left for review, as printed by `screening import ctgov`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Outcome(Enum):
    """How far one eligibility item was drafted."""

    DRAFTED = "drafted"  # drafted definitions cover it
    PARTLY = "partly drafted"  # drafted in part; a review criterion keeps the rest
    REVIEW = "not recognised"  # nothing recognised: one review criterion


@dataclass
class Summary:
    trial_id: str
    items: dict[str, int] = field(default_factory=lambda: {"inclusion": 0, "exclusion": 0})
    drafted_items: int = 0
    partly_drafted_items: int = 0
    review_items: int = 0
    criteria: int = 0
    drafted_criteria: int = 0
    review_criteria: int = 0
    structured: list[str] = field(default_factory=list)
    layout: str = "API v2 JSON"
    notes: list[str] = field(default_factory=list)  # record fields not read, and why

    def count_item(self, kind: str, outcome: Outcome, definitions: int) -> None:
        """Count one item of `kind` drafted as `outcome` with `definitions` draft definitions."""
        self.items[kind] += 1
        self.drafted_criteria += definitions
        if outcome is Outcome.DRAFTED:
            self.drafted_items += 1
            return
        self.review_criteria += 1
        if outcome is Outcome.PARTLY:
            self.partly_drafted_items += 1
        else:
            self.review_items += 1

    def lines(self) -> list[str]:
        n = sum(self.items.values())
        return [
            f"{self.trial_id}: {n} items found ({self.items['inclusion']} inclusion, {self.items['exclusion']} exclusion)",
            f"  drafted: {self.drafted_items + self.partly_drafted_items} items ({self.drafted_items} fully, "
            f"{self.partly_drafted_items} in part), {self.drafted_criteria} draft definitions",
            f"  left for review: {self.review_items + self.partly_drafted_items} items ({self.review_items} not "
            f"recognised, {self.partly_drafted_items} with a rest not recognised)",
            f"  from structured fields: {', '.join(self.structured) or 'none'}",
            f"  criteria written: {self.criteria}",
        ] + [f"  note: {n}" for n in self.notes]

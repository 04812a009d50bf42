"""What every recogniser takes and returns.

A recogniser is a function `(ItemText) -> list[Finding]`: it reads one eligibility item and
drafts a `when:` definition for each requirement it is confident about; it returns nothing for
what it is not sure of (that text stays for review).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ItemText:
    """One eligibility item as the recognisers see it."""

    text: str
    kind: str  # inclusion | exclusion
    notes_from: int | None = None  # offset where the item's notes (continuation paragraphs) begin

    @property
    def notes_start(self) -> int:
        """Where the notes begin; the text's length when the item has none."""
        return len(self.text) if self.notes_from is None else self.notes_from


@dataclass
class Finding:
    """A drafted definition: `when` in the rule-set grammar (plain dicts), the text `span` it was
    read from (`start`..`end` in the item's text), a `confidence` (0..1) and a `reading` in words."""

    slug: str
    when: dict[str, Any]
    span: str
    confidence: float
    reading: str
    start: int
    end: int
    value_sets: list[str] = field(default_factory=list)
    missing: str | None = None


Recogniser = Callable[[ItemText], list[Finding]]

# an item that opens with a condition ('For adolescents under 18, ...', 'If applicable, ...')
CONDITIONAL = re.compile(r"^\s*(?:for|if|when|in)\s", re.IGNORECASE)
NEGATIVE = re.compile(r"\bnegative\b", re.IGNORECASE)

"""Drafting a made-up record's criteria in tests: each section's drafted definitions (with their
confidence), and those of a single inclusion or exclusion item."""

from __future__ import annotations

from typing import Any

from screening.ctgov.draft import draft_study

SECTIONS = ("Inclusion Criteria", "Exclusion Criteria")


def drafts(criteria: str) -> dict[str, list[tuple[Any, float]]]:
    """Each section's drafted definitions with their confidence, in order, for a record with these criteria."""
    record = {"protocolSection": {"identificationModule": {"nctId": "NCT09999999", "briefTitle": "t"},
                                  "eligibilityModule": {"eligibilityCriteria": criteria}}}
    out: dict[str, list[tuple[Any, float]]] = {s: [] for s in SECTIONS}
    for c in draft_study(record, "t.json").criteria:
        if "when" in c and c["source"].get("section") in out:
            out[c["source"]["section"]].append((c["when"], float(c.get("confidence", 1.0))))
    return out


def inclusion(item: str) -> list[Any]:
    """The definitions drafted from one inclusion item."""
    return [w for w, _ in drafts(f"Inclusion Criteria:\n\n* {item}\n")["Inclusion Criteria"]]


def exclusion(item: str) -> list[tuple[Any, float]]:
    """The definitions, with their confidence, drafted from one exclusion item (beside an inclusion)."""
    return drafts(f"Inclusion Criteria:\n\n* Adults\n\nExclusion Criteria:\n\n* {item}\n")["Exclusion Criteria"]

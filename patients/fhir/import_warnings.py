"""The warnings of one FHIR import: what was left out, naming the resource and the field."""

from __future__ import annotations

from collections.abc import Iterable

from patients.fhir.bundle import Entry


class Warnings:
    """Import warnings, each naming the resource and the field; the same problem in several
    resources is reported once, listing them."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str], list[str]] = {}
        self._plain: list[str] = []

    def add(self, entry: Entry, field_name: str, message: str) -> None:
        who = self._items.setdefault((field_name, message), [])
        if entry.label not in who:
            who.append(entry.label)

    def note(self, message: str) -> None:
        self._plain.append(message)

    def lines(self) -> list[str]:
        out = []
        for (field_name, message), who in self._items.items():
            out.append(", ".join(who) + (f" {field_name}" if field_name else "") + f": {message}")
        return out + self._plain


def join_limited(items: Iterable[str], limit: int = 8) -> str:
    """The items joined with commas, the first `limit` of them and how many more."""
    items = list(items)
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"

"""FHIR as text: telling parsed FHIR from a native patient profile, and parsing a Bundle (JSON)
or NDJSON (one resource per line). Invalid JSON raises `InputError` naming the line and column."""

from __future__ import annotations

import json
from typing import Any

from screening.core.diagnostics import InputError


def is_fhir_json(data: Any) -> bool:
    """Does parsed JSON look like FHIR (a resource, or a list of resources) rather than a
    native patient profile? A profile never has `resourceType`."""
    if isinstance(data, dict):
        return "resourceType" in data
    if isinstance(data, list) and data:
        return isinstance(data[0], dict) and "resourceType" in data[0]
    return False


def parse_fhir_text(text: str, source: str = "FHIR input") -> Any:
    """JSON (a Bundle) or NDJSON (one resource per line) -> parsed data (a dict or a list)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg != "Extra data":
            raise InputError(f"{source}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from None
    return parse_ndjson(text, source)


def parse_ndjson(text: str, source: str = "FHIR input") -> list[Any]:
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise InputError(f"{source}:{n}:{e.colno}: invalid JSON on NDJSON line {n}: {e.msg}") from None
    if not out:
        raise InputError(f"{source}: empty NDJSON: no resources")
    return out

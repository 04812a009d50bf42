"""FHIR as text: telling parsed FHIR from a native patient profile, and parsing a Bundle (JSON)
or NDJSON (one resource per line). Invalid JSON raises `InputError` naming the line and column."""

from __future__ import annotations

from typing import Any

from screening.core.diagnostics import InputError
from screening.core.jsonread import JsonError, input_error, read_json


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
        return read_json(text)
    except JsonError as e:
        if e.reason != "Extra data":
            raise input_error(source, e) from None
    return parse_ndjson(text, source)


def parse_ndjson(text: str, source: str = "FHIR input") -> list[Any]:
    out = []
    for n, line in enumerate(text.split("\n"), start=1):  # not splitlines: U+2028 may stand in a string
        if not line.strip():
            continue
        try:
            out.append(read_json(line))
        except JsonError as e:
            raise input_error(source, e, n) from None
    if not out:
        raise InputError(f"{source}: empty NDJSON: no resources")
    return out

"""Validation errors of a patient profile as messages that name the field.

Shared by the profile reader (`patients.io`), the FHIR import (`patients.fhir`) and the callers
that report a pydantic `ValidationError` to a person (the CLI, the API, rule-set test cases).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

_NAMES_FIELD = re.compile(r"^[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)*: ")


def field_path(loc: tuple[Any, ...]) -> str:
    """A pydantic error location as a path: ("observations", 2, "code") -> "observations[2].code"."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def validation_messages(err: ValidationError) -> list[str]:
    """One "field.path: message" line per error of `err`."""
    msgs = []
    for e in err.errors(include_url=False):
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown field"
        if not loc and _NAMES_FIELD.match(msg):
            msgs.append(msg)  # a whole-profile check that names the field itself
            continue
        msgs.append(f"{field_path(loc)}: {msg}")
    return msgs

"""One JSON reader for patient documents, with one set of limits and messages on every path.

A patient profile, a FHIR Bundle, an NDJSON line, a batch line and an HTTP request body are
all read here (`read_json`), so a hostile document gets the same refusal everywhere:

* nesting deeper than `MAX_DEPTH` levels (64; the HTTP service's `SCREENING_MAX_JSON_DEPTH`),
  which would otherwise exhaust Python's recursion in the parser or in the FHIR models;
* a number of more than `MAX_NUMBER_DIGITS` characters (4300, Python's own limit for integers);
* a key given twice in one object (JSON leaves it undefined; we do not pick one silently);
* `NaN`, `Infinity` and `-Infinity`, which Python reads but JSON does not have.

A leading UTF-8 byte order mark is skipped. Every refusal is a `JsonError` whose `reason` is
the same text on every path; callers add where it was (file, line, request body).
"""

from __future__ import annotations

import json
from typing import Any

from screening.core.diagnostics import InputError

MAX_DEPTH = 64
MAX_NUMBER_DIGITS = 4300
BOM = "\ufeff"


class JsonError(ValueError):
    """A document that is not JSON we read. `line` and `column` are 1-based: given for a syntax
    error (`reason` is then the parser's, e.g. "Expecting value"); a refusal of the limits has none,
    and its `reason` reads on its own ("the JSON is nested more than 64 levels deep ...")."""

    def __init__(self, reason: str, line: int | None = None, column: int | None = None):
        self.reason = reason
        self.line = line
        self.column = column
        super().__init__(f"line {line} column {column}: {reason}" if line is not None else reason)


class JsonEncodingError(JsonError):
    """The bytes are not UTF-8."""


class _Refused(Exception):
    """Raised by the decoder hooks; becomes a JsonError."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise _Refused(f"the JSON has the key {k!r} twice in one object")
            seen.add(k)
    return out


def _check_digits(text: str) -> None:
    if len(text) > MAX_NUMBER_DIGITS:
        raise _Refused(f"the JSON has a number of {len(text)} characters (the limit is {MAX_NUMBER_DIGITS})")


def _int(text: str) -> int:
    _check_digits(text)
    return int(text)


def _float(text: str) -> float:
    _check_digits(text)
    return float(text)


def _constant(name: str) -> Any:
    raise _Refused(f"the JSON has {name}, which is not a JSON number")


_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_int=_int, parse_float=_float,
                            parse_constant=_constant)


def too_deep_message(limit: int) -> str:
    return f"the JSON is nested more than {limit} levels deep (the limit for JSON documents)"


def decode_utf8(raw: bytes) -> str:
    """UTF-8 bytes as text (a leading byte order mark kept: `read_json` skips it)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise JsonEncodingError(f"not UTF-8 (byte {e.start})") from None


def read_json(doc: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """Parse one JSON document within the limits above; `JsonError` otherwise."""
    text = decode_utf8(doc) if isinstance(doc, bytes) else doc
    text = text.removeprefix(BOM)
    try:
        data = _DECODER.decode(text)
    except json.JSONDecodeError as e:
        raise JsonError(e.msg, e.lineno, e.colno) from None
    except RecursionError:
        raise JsonError(too_deep_message(max_depth)) from None
    except _Refused as e:
        raise JsonError(str(e)) from None
    if depth_exceeds(data, max_depth):
        raise JsonError(too_deep_message(max_depth))
    return data


def depth_exceeds(data: Any, limit: int) -> bool:
    """Are objects and arrays nested more than `limit` levels deep (without recursion)?"""
    if not isinstance(data, dict | list):
        return False
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return False


def input_error(source: str, e: JsonError, ndjson_line: int | None = None) -> InputError:
    """The `InputError` of a file that is not JSON: `source:line:col: invalid JSON: reason`, or
    `source: reason` for a refusal of the limits (`ndjson_line`: the NDJSON line it was on)."""
    if ndjson_line is not None:
        what = "invalid JSON" if e.line is not None else "refused"
        return InputError(f"{source}:{ndjson_line}:{e.column or 1}: {what} on NDJSON line {ndjson_line}: {e.reason}")
    if e.line is None:
        return InputError(f"{source}: {e.reason}")
    return InputError(f"{source}:{e.line}:{e.column}: invalid JSON: {e.reason}")

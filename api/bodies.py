"""Request bodies by media type.

A parser turns the raw body of one media type into the JSON document of a screening request
(`{"patient": {...}, "trial_ids": [...], "as_of": "..."}`); the document is then validated the
same way whatever its media type. Another format is accepted by registering its parser, e.g.
`register_parser("application/fhir+json", parse_fhir_bundle)`; a parser takes the body and the
nesting limit of JSON documents (`SCREENING_MAX_JSON_DEPTH`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from api.errors import ApiError
from patients.fhir import profile_from_fhir_json
from screening.core.diagnostics import InputError
from screening.core.jsonread import BOM, MAX_DEPTH, JsonEncodingError, JsonError, decode_utf8, read_json

Parser = Callable[[bytes, int], Any]

JSON = "application/json"


def _json_error(e: JsonError, what: str = "JSON") -> ApiError:
    if isinstance(e, JsonEncodingError):
        return ApiError(400, "invalid_encoding", f"the body is {e.reason}")
    if e.line is None:  # a refusal of the limits, which reads on its own
        return ApiError(400, "invalid_json", e.reason)
    return ApiError(400, "invalid_json", f"invalid {what} at line {e.line} column {e.column}: {e.reason}")


def parse_json(body: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """A JSON body, read by the one JSON reader of patient documents (`screening.core.jsonread`)."""
    if not body.strip():
        raise ApiError(400, "empty_body", "the request body is empty: send a JSON object "
                       '{"patient": {...}}')
    try:
        return read_json(body, max_depth)
    except JsonError as e:
        raise _json_error(e) from None


FHIR_JSON = "application/fhir+json"


class FhirDocument(dict[str, Any]):
    """A screening request built from a FHIR R4 Bundle or NDJSON, with the import warnings."""

    import_warnings: list[str]


def parse_fhir(body: bytes, max_depth: int = MAX_DEPTH) -> FhirDocument:
    """A FHIR R4 Bundle (or NDJSON of resources) -> {"patient": profile}; `as_of` and trial ids
    come from the query string for this media type."""
    try:
        text = decode_utf8(body).removeprefix(BOM)
    except JsonError as e:
        raise _json_error(e) from None
    lines = [(n, line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
    if len(lines) < 2 or not _one_object(lines[0][1], max_depth):
        data = parse_json(body, max_depth)
    else:  # NDJSON: one resource per line
        data = []
        for n, line in lines:
            try:
                data.append(read_json(line, max_depth))
            except JsonError as e:
                raise _json_error(JsonError(e.reason, n, e.column) if e.line is not None else e, "NDJSON") from None
    try:
        profile, warnings = profile_from_fhir_json(data, "FHIR body")
    except InputError as e:
        raise ApiError(422, "invalid_fhir", str(e)) from None
    doc = FhirDocument(patient=profile.model_dump(mode="json", exclude_none=True))
    doc.import_warnings = warnings
    return doc


def _one_object(line: str, max_depth: int) -> bool:
    """Is this line a whole JSON object on its own (the first line of NDJSON)?"""
    try:
        return isinstance(read_json(line, max_depth), dict)
    except JsonError:
        return False


_PARSERS: dict[str, Parser] = {JSON: parse_json, FHIR_JSON: parse_fhir}


def register_parser(media_type: str, parser: Parser) -> None:
    _PARSERS[media_type.lower()] = parser


def media_types() -> list[str]:
    return list(_PARSERS)


def media_type_of(content_type: str | None) -> tuple[str, dict[str, str]]:
    if not content_type:
        return "", {}
    head, *params = content_type.split(";")
    parsed = {}
    for p in params:
        k, _, v = p.partition("=")
        parsed[k.strip().lower()] = v.strip().strip('"').lower()
    return head.strip().lower(), parsed


def parser_for(content_type: str | None) -> Parser:
    """The parser for a Content-Type header; a missing header is read as JSON."""
    media, params = media_type_of(content_type)
    if not media:
        return _PARSERS[JSON]
    charset = params.get("charset")
    if media in _PARSERS and charset in (None, "utf-8", "utf8"):
        return _PARSERS[media]
    accepted = ", ".join(_PARSERS)
    what = f"{media}; charset={charset}" if media in _PARSERS else media
    raise ApiError(415, "unsupported_media_type", f"unsupported content type {what!r}: send one of {accepted} "
                   "(UTF-8)")

"""Request bodies by media type.

A parser turns the raw body of one media type into the JSON document of a screening request
(`{"patient": {...}, "trial_ids": [...], "as_of": "..."}`); the document is then validated the
same way whatever its media type. Another format is accepted by registering its parser, e.g.
`register_parser("application/fhir+json", parse_fhir_bundle)`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .errors import ApiError

Parser = Callable[[bytes], Any]

JSON = "application/json"


def parse_json(body: bytes) -> Any:
    if not body.strip():
        raise ApiError(400, "empty_body", "the request body is empty: send a JSON object "
                       '{"patient": {...}}')
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ApiError(400, "invalid_encoding", f"the body is not UTF-8 (byte {e.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ApiError(400, "invalid_json", f"invalid JSON at line {e.lineno} column {e.colno}: {e.msg}") from None
    except RecursionError:
        raise ApiError(400, "invalid_json", "invalid JSON: nested too deeply") from None
    except ValueError as e:  # e.g. an integer with more digits than Python converts
        raise ApiError(400, "invalid_json", f"invalid JSON: {e}") from None


_PARSERS: dict[str, Parser] = {JSON: parse_json}


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

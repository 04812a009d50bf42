"""Fetching what a CDS Hooks call did not prefetch from the CDS client's FHIR server.

Off unless the server's base URL is listed in `SCREENING_CDS_FHIR_SERVERS`: the URL comes in the
request, and a service that fetched any URL it is given could be made to reach hosts it should
not (server-side request forgery). Each missing prefetch template is run against the server with
the call's bearer token; a search's pages are followed (on the same server, at most `MAX_PAGES`)
so the result is whole. Answers are bounded in size and time; any failure names the query.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from screening.core.jsonread import JsonError, read_json

MAX_PAGES = 50
TIMEOUT = 10.0
TOKEN = "{{context.patientId}}"


class FetchError(Exception):
    """A query could not be run or answered something unusable (the message names it)."""


def normalised(base: str) -> str:
    return base.strip().rstrip("/")


def allowed(base: str | None, servers: tuple[str, ...]) -> bool:
    return base is not None and normalised(base) in {normalised(s) for s in servers}


def _get(url: str, token: str | None, max_bytes: int, max_depth: int) -> Any:
    headers = {"Accept": "application/fhir+json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (allow-listed base)
            body = response.read(max_bytes + 1)
    except urllib.error.HTTPError as e:
        if e.code in (404, 410):
            return None
        raise FetchError(f"the FHIR server answered {e.code}") from None
    except (urllib.error.URLError, OSError) as e:
        raise FetchError(f"the FHIR server could not be reached ({getattr(e, 'reason', e)})") from None
    if len(body) > max_bytes:
        raise FetchError(f"the answer is larger than {max_bytes} bytes")
    try:
        return read_json(body, max_depth)
    except JsonError as e:
        raise FetchError(f"the answer is not JSON ({e.reason})") from None


def _next_link(bundle: dict[str, Any]) -> str | None:
    for link in bundle.get("link") or []:
        if isinstance(link, dict) and link.get("relation") == "next" and isinstance(link.get("url"), str):
            return str(link["url"])
    return None


def _search(url: str, base: str, token: str | None, max_bytes: int, max_depth: int) -> dict[str, Any] | None:
    entries: list[Any] = []
    next_url: str | None = url
    pages = 0
    while next_url is not None:
        if not next_url.startswith(base + "/") and not next_url.startswith(base + "?"):
            raise FetchError(f"a next page is on another server ({next_url[:80]})")
        pages += 1
        if pages > MAX_PAGES:
            raise FetchError(f"more than {MAX_PAGES} pages")
        page = _get(next_url, token, max_bytes, max_depth)
        if page is None:
            return None
        if not isinstance(page, dict) or page.get("resourceType") != "Bundle":
            raise FetchError("the answer is not a Bundle")
        entries += page.get("entry") or []
        next_url = _next_link(page)
    return {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries} if entries else None


def fetch(base: str, token: str | None, patient_id: str, templates: dict[str, str], max_bytes: int,
          max_depth: int) -> dict[str, Any]:
    """Prefetch key -> the resource or searchset Bundle the template gives (None: found nothing)."""
    base = normalised(base)
    out: dict[str, Any] = {}
    for key, template in templates.items():
        url = f"{base}/{template.replace(TOKEN, urllib.parse.quote(patient_id, safe=''))}"
        try:
            out[key] = (_get(url, token, max_bytes, max_depth) if "?" not in template
                        else _search(url, base, token, max_bytes, max_depth))
        except FetchError as e:
            raise FetchError(f"`{key}` ({template}): {e}") from None
    return out

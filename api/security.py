"""API keys (`X-API-Key` or `Authorization: Bearer`) and the loopback-only rule without keys."""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ApiError
from api.settings import KEYS_ENV, KEYS_FILE_ENV, Settings, SettingsError

# declared for the OpenAPI document (the "Authorize" button of /docs); `require_api_key` does the check
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="an API key")
bearer = HTTPBearer(auto_error=False, description="an API key as a bearer token")


def is_loopback(host: str) -> bool:
    if host.strip().lower() in ("localhost", "localhost.", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, settings: Settings) -> None:
    """Refuse to listen beyond loopback when no API key is configured."""
    if not settings.auth_required and not is_loopback(host):
        raise SettingsError(
            f"refusing to listen on {host} without API keys: anyone who can reach it could screen patients. "
            f"Set {KEYS_ENV} (comma-separated) or {KEYS_FILE_ENV}, or listen on 127.0.0.1."
        )


def presented_keys(request: Request) -> list[tuple[str, str]]:
    """Every key the request presents, with where: each `X-API-Key` header and bearer token (blank
    ones carry nothing; another Authorization scheme is not an API key)."""
    keys = [("X-API-Key", v.strip()) for v in request.headers.getlist("x-api-key") if v.strip()]
    for auth in request.headers.getlist("authorization"):
        scheme, _, token = auth.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            keys.append(("Authorization: Bearer", token.strip()))
    return keys


def key_matches(key: str, keys: frozenset[str]) -> bool:
    candidate = key.encode("utf-8", "surrogateescape")
    found = False
    for k in keys:  # compare with every key, in constant time each
        found |= hmac.compare_digest(candidate, k.encode("utf-8"))
    return found


async def require_api_key(request: Request, _header: str | None = Security(api_key_header),
                    _bearer: HTTPAuthorizationCredentials | None = Security(bearer)) -> None:
    """Dependency: when keys are configured, a valid key must be presented, and every key presented
    must be valid: a request with a wrong key beside a valid one is refused (fail closed)."""
    settings: Settings = request.app.state.settings
    if not settings.auth_required:
        return
    presented = presented_keys(request)
    if not presented:
        raise ApiError(401, "unauthorized", "an API key is required: send it as `X-API-Key: <key>` or "
                       "`Authorization: Bearer <key>`", headers={"WWW-Authenticate": "Bearer"})
    wrong = list(dict.fromkeys(where for where, key in presented if not key_matches(key, settings.api_keys)))
    if wrong:
        what = "the API key" if len(presented) == 1 else f"the API key in {' and '.join(wrong)}"
        raise ApiError(401, "unauthorized", f"{what} is not valid" + (
            " (every key a request presents must be valid)" if len(presented) > 1 else ""),
            headers={"WWW-Authenticate": "Bearer"})

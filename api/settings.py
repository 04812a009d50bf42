"""Service settings, read from the environment once at start-up.

| variable | meaning | default |
|----------|---------|---------|
| `SCREENING_API_KEYS` | comma-separated API keys | none |
| `SCREENING_API_KEYS_FILE` | file with one API key per line (`#` comments allowed; a regular UTF-8 file of at most 1 MiB) | none |
| `SCREENING_MIN_API_KEY_LENGTH` | shortest API key accepted at start-up (a shorter one is refused: it can be guessed) | 16 |
| `SCREENING_MAX_BODY_BYTES` | largest accepted request body | 1048576 (1 MiB) |
| `SCREENING_MAX_FHIR_BODY_BYTES` | largest accepted FHIR Bundle body (`application/fhir+json`) | 16777216 (16 MiB) |
| `SCREENING_MAX_HEADER_BYTES` | largest request head (request line and headers), refused with 431 as soon as it is exceeded, before authentication | 16384 (16 KiB) |
| `SCREENING_HEADER_TIMEOUT` | seconds to receive a request's head, from the connection's start or, on a kept-alive connection, from the head's first bytes (408, or a silent close when nothing came) | 10 |
| `SCREENING_BODY_TIMEOUT` | seconds to receive a request's body once its head is in (408) | 60 |
| `SCREENING_LINGER_SECONDS` | after an answer that closes the connection (413, 408, 431, 400), how long what the client still sends is read and discarded, so that it reads the answer rather than a reset (0: close at once) | 5 |
| `SCREENING_MAX_JSON_DEPTH` | deepest nesting of objects and arrays in a JSON body (the CLI and batch use the default) | 64 |
| `SCREENING_CORS_ORIGINS` | comma-separated allowed origins (`*` for any); CORS is off when unset | off |
| `SCREENING_API_THREADS` | threads of the screening executor (screening holds the GIL: more threads add switching, not speed; use `--workers` to scale) | 1 |
| `SCREENING_WARM_UP` | at start-up, screen a bundled example patient (as a profile and as FHIR) on the screening executor, so that the first request does not pay the process's one-time costs (`0` to skip) | 1 |
| `SCREENING_CDS_FHIR_SERVERS` | comma-separated base URLs of FHIR servers a CDS Hooks call may have the service query for what it did not prefetch (with the call's `fhirAuthorization` token); any other server is never contacted | none: every prefetch key is required |
| `SCREENING_RULES_DIR` | rule-set folder (read again on every reload) | checkout / bundled rules |
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from screening.core.files import UnreadableFile, decode_utf8, read_bytes
from screening.core.jsonread import MAX_DEPTH

KEYS_ENV = "SCREENING_API_KEYS"
KEYS_FILE_ENV = "SCREENING_API_KEYS_FILE"
MIN_KEY_LENGTH_ENV = "SCREENING_MIN_API_KEY_LENGTH"
MAX_BODY_ENV = "SCREENING_MAX_BODY_BYTES"
MAX_FHIR_BODY_ENV = "SCREENING_MAX_FHIR_BODY_BYTES"
MAX_JSON_DEPTH_ENV = "SCREENING_MAX_JSON_DEPTH"
MAX_HEADER_ENV = "SCREENING_MAX_HEADER_BYTES"
HEADER_TIMEOUT_ENV = "SCREENING_HEADER_TIMEOUT"
BODY_TIMEOUT_ENV = "SCREENING_BODY_TIMEOUT"
LINGER_ENV = "SCREENING_LINGER_SECONDS"
CORS_ENV = "SCREENING_CORS_ORIGINS"
THREADS_ENV = "SCREENING_API_THREADS"
WARM_UP_ENV = "SCREENING_WARM_UP"
CDS_FHIR_SERVERS_ENV = "SCREENING_CDS_FHIR_SERVERS"
SUPERVISOR_ENV = "SCREENING_SUPERVISOR_PID"

T = TypeVar("T", int, float)

DEFAULT_MIN_KEY_LENGTH = 16
DEFAULT_MAX_BODY = 1024 * 1024
DEFAULT_MAX_FHIR_BODY = 16 * 1024 * 1024  # an EHR export of one patient runs to megabytes
DEFAULT_MAX_HEADER = 16 * 1024
DEFAULT_HEADER_TIMEOUT = 10.0
DEFAULT_BODY_TIMEOUT = 60.0
DEFAULT_LINGER = 5.0


class SettingsError(ValueError):
    """The service cannot start with this configuration (the message says why)."""


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def check_key_lengths(keys: list[str], source: str, minimum: int) -> None:
    """Refuse keys shorter than `minimum` characters (the message gives lengths, never a key)."""
    short = sorted({len(k) for k in keys if len(k) < minimum})
    if short:
        raise SettingsError(f"{source}: an API key of {short[0]} character(s): keys must have at least {minimum} "
                            f"(set by {MIN_KEY_LENGTH_ENV}); make one with e.g. "
                            "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`")


MAX_KEYS_FILE_BYTES = 1024 * 1024  # some ten thousand keys


def read_keys_file(path: Path) -> list[str]:
    """The keys of a keys file (one a line, `#` comments), read only when it is a regular UTF-8
    file of at most 1 MiB."""
    try:
        _, text = decode_utf8(read_bytes(path, MAX_KEYS_FILE_BYTES))
    except UnreadableFile as e:
        raise SettingsError(f"{KEYS_FILE_ENV}: cannot read {path}: {e}") from None
    keys = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    if not keys:
        raise SettingsError(f"{KEYS_FILE_ENV}: {path} holds no API key")
    return keys


def _given(env: Mapping[str, str], name: str, parse: Callable[[str], T], what: str) -> T | None:
    """The variable's value, parsed; None when it is unset or empty."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        return parse(raw)
    except ValueError:
        raise SettingsError(f"{name}: {raw!r} is not {what}") from None


def _on_off(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name)
    if value is None or value == "":
        return default
    if value.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if value.strip().lower() in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name}: expected 1 or 0, got {value[:32]!r}")


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    value = _given(env, name, int, "an integer")
    if value is not None and value < 1:
        raise SettingsError(f"{name}: must be at least 1, got {value}")
    return default if value is None else value


def _seconds(env: Mapping[str, str], name: str, default: float, *, zero: bool = False) -> float:
    value = _given(env, name, float, "a number of seconds")
    if value is not None and (not math.isfinite(value) or value < 0 or (value == 0 and not zero)):
        raise SettingsError(f"{name}: must be a number of seconds {'>= 0' if zero else '> 0'}, got {value}")
    return default if value is None else value


@dataclass(frozen=True)
class Settings:
    api_keys: frozenset[str] = frozenset()
    max_body_bytes: int = DEFAULT_MAX_BODY
    max_fhir_body_bytes: int = DEFAULT_MAX_FHIR_BODY
    max_json_depth: int = MAX_DEPTH
    max_header_bytes: int = DEFAULT_MAX_HEADER
    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    body_timeout: float = DEFAULT_BODY_TIMEOUT
    linger_seconds: float = DEFAULT_LINGER
    cors_origins: tuple[str, ...] = ()
    threads: int = 1
    warm_up: bool = True
    cds_fhir_servers: tuple[str, ...] = ()
    rules_dir: Path | None = None
    install_signal_handlers: bool = False
    supervisor_pid: int | None = None

    @property
    def auth_required(self) -> bool:
        return bool(self.api_keys)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if env is None else env
        min_key = _positive_int(env, MIN_KEY_LENGTH_ENV, DEFAULT_MIN_KEY_LENGTH)
        keys = _split(env.get(KEYS_ENV))
        check_key_lengths(keys, KEYS_ENV, min_key)
        keys_file = env.get(KEYS_FILE_ENV)
        if keys_file:
            from_file = read_keys_file(Path(keys_file))
            check_key_lengths(from_file, f"{KEYS_FILE_ENV} ({keys_file})", min_key)
            keys += from_file
        fhir_servers = tuple(_split(env.get(CDS_FHIR_SERVERS_ENV)))
        for url in fhir_servers:
            if not url.lower().startswith(("https://", "http://")):
                raise SettingsError(f"{CDS_FHIR_SERVERS_ENV}: {url!r} is not an http(s) base URL")
        rules = env.get("SCREENING_RULES_DIR")
        supervisor = env.get(SUPERVISOR_ENV)
        values: dict[str, object] = {
            "api_keys": frozenset(keys),
            "max_body_bytes": _positive_int(env, MAX_BODY_ENV, DEFAULT_MAX_BODY),
            "max_fhir_body_bytes": _positive_int(env, MAX_FHIR_BODY_ENV, DEFAULT_MAX_FHIR_BODY),
            "max_json_depth": _positive_int(env, MAX_JSON_DEPTH_ENV, MAX_DEPTH),
            "max_header_bytes": _positive_int(env, MAX_HEADER_ENV, DEFAULT_MAX_HEADER),
            "header_timeout": _seconds(env, HEADER_TIMEOUT_ENV, DEFAULT_HEADER_TIMEOUT),
            "body_timeout": _seconds(env, BODY_TIMEOUT_ENV, DEFAULT_BODY_TIMEOUT),
            "linger_seconds": _seconds(env, LINGER_ENV, DEFAULT_LINGER, zero=True),
            "cors_origins": tuple(_split(env.get(CORS_ENV))),
            "threads": _positive_int(env, THREADS_ENV, 1),
            "warm_up": _on_off(env, WARM_UP_ENV, True),
            "cds_fhir_servers": fhir_servers,
            "rules_dir": Path(rules) if rules else None,
            "supervisor_pid": int(supervisor) if supervisor and supervisor.isdigit() else None,
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

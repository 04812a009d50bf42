"""Read a FHIR R4 ValueSet file: its identity (url, version, title, expansion timestamp) and its
codes, taken from `expansion.contains` (nested entries included) or, for a set published without
an expansion, from the concepts `compose.include` enumerates. Only system, code and display of
each code are kept; codes of systems the project does not know are counted, not kept. A file larger
than `$SCREENING_MAX_VALUESET_FILE_BYTES` (default 16 MiB) is refused before it is parsed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from screening.core.codesystems import normalise_code, system_of_uri
from screening.core.files import UnreadableFile, read_bounded
from screening.core.jsonread import JsonError, read_json

MAX_FILE_ENV = "SCREENING_MAX_VALUESET_FILE_BYTES"
DEFAULT_MAX_FILE = 16 * 1024 * 1024  # the largest bundled expansion (VSAC cancer) is 1.4 MB


class ValueSetFileError(Exception):
    """A ValueSet file that cannot be used; the message says why (not naming the file)."""


@dataclass(frozen=True)
class ValueSetFile:
    file: str  # the file's name
    url: str | None
    version: str | None
    title: str | None
    expanded: str | None  # expansion.timestamp, or None for an enumerated compose
    codes: tuple[tuple[str, str, str], ...]  # (system, code, display)
    digest: str  # sha256 of the file's bytes
    unmapped: dict[str, int] = field(default_factory=dict)  # system URI -> codes left out

    @property
    def canonical(self) -> str:
        return f"{self.url}|{self.version}" if self.version else str(self.url)

    def describe(self) -> str:
        """e.g. 'cancer.vsac-cms-2025.json: Cancer (http://...|20200306, expanded 2025-01-10)'."""
        when = f", expanded {self.expanded[:10]}" if self.expanded else ""
        return f"{self.file}: {self.title or self.url} ({self.canonical}{when})"


def _entries(data: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    expansion = data.get("expansion")
    if isinstance(expansion, dict) and isinstance(expansion.get("contains"), list):
        yield from _expanded(expansion["contains"])
    else:
        yield from _enumerated(data.get("compose") or {})


def _expanded(contains: list[Any]) -> Iterator[tuple[str, str, str]]:
    """`expansion.contains`, nested entries included, in order."""
    stack = list(reversed(contains))
    while stack:
        e = stack.pop()
        if not isinstance(e, dict):
            continue
        if e.get("code") and e.get("system"):
            yield str(e["system"]), str(e["code"]), str(e.get("display") or "")
        if isinstance(e.get("contains"), list):
            stack.extend(reversed(e["contains"]))


def _enumerated(compose: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """The concepts `compose.include` lists (a compose selecting by filter or value set cannot be used)."""
    for inc in compose.get("include") or []:
        if not isinstance(inc, dict):
            continue
        if inc.get("filter") or inc.get("valueSet") and not inc.get("concept"):
            raise ValueSetFileError("its compose selects codes by filter or by other value sets and it has "
                                    "no expansion: only expanded or enumerated value sets can be used")
        system = inc.get("system")
        for c in inc.get("concept") or []:
            if isinstance(c, dict) and c.get("code") and system:
                yield str(system), str(c["code"]), str(c.get("display") or "")


def read_valueset_file(path: Path) -> ValueSetFile:
    try:
        raw = read_bounded(path, MAX_FILE_ENV, DEFAULT_MAX_FILE)  # a regular file (a FIFO would block)
    except UnreadableFile as e:
        raise ValueSetFileError(str(e)) from None
    try:
        data = read_json(raw)  # bounded: nesting, number length, duplicate keys
    except JsonError as e:
        raise ValueSetFileError(f"not JSON: {e}") from None
    if not isinstance(data, dict) or data.get("resourceType") != "ValueSet":
        raise ValueSetFileError("not a FHIR ValueSet resource")
    codes: list[tuple[str, str, str]] = []
    unmapped: dict[str, int] = {}
    for uri, code, display in _entries(data):
        system = system_of_uri(uri)
        if system is None:
            unmapped[uri] = unmapped.get(uri, 0) + 1
            continue
        codes.append((system, normalise_code(system, code), display))
    if not codes:
        raise ValueSetFileError("it lists no codes of a known code system")
    expansion: dict[str, Any] = data["expansion"] if isinstance(data.get("expansion"), dict) else {}
    return ValueSetFile(
        file=path.name, url=_text(data.get("url")), version=_text(data.get("version")),
        title=_text(data.get("title")) or _text(data.get("name")),
        expanded=_text(expansion.get("timestamp")), codes=tuple(codes),
        digest=hashlib.sha256(raw).hexdigest(), unmapped=unmapped)


def _text(v: Any) -> str | None:
    return v if isinstance(v, str) and v else None

"""Load YAML keeping the source position of every mapping key and sequence item.

Values come back as plain Python (dict, list, str, int, float, bool, date, None) so that
pydantic validates them; positions live beside them in a `SourceMap` keyed by path
tuples (the same shape as pydantic's error `loc`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import __version__ as RUAMEL_VERSION
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError

from screening.core.diagnostics import Diagnostic, RuleSetError
from screening.core.diskcache import DiskCache, cache_key
from screening.core.files import FileTooLarge, UnreadableFile, read_utf8
from screening.ruleset import yamlguard

Path_ = tuple[str | int, ...]
_CHECKS = 2  # part of the parsed-YAML cache key: bump when yamlguard refuses more (an entry is then parsed again)


@dataclass
class SourceMap:
    file: str
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_) -> tuple[int, int]:
        """Line and column (1-based) of the deepest known prefix of `path`."""
        p = tuple(path)
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))

    def diag(self, path: Path_, code: str, message: str, severity: str = "error") -> Diagnostic:
        line, col = self.locate(path)
        return Diagnostic(self.file, line, col, code, message, severity)


def _position(lookup: Any, k: Any, parent: Path_, smap: SourceMap) -> tuple[int, int]:
    """1-based line and column of a key or item from ruamel's 0-based ones; the parent's when ruamel has
    none (a key a merge `<<: *name` brought in)."""
    try:
        found = lookup(k)
    except (KeyError, IndexError, TypeError):
        found = None
    return (found[0] + 1, found[1] + 1) if found else smap.locate(parent)


def _plain(node: Any, path: Path_, smap: SourceMap) -> Any:
    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key in node:
            smap.positions[path + (str(key),)] = _position(node.lc.key, key, path, smap)
            out[str(key) if not isinstance(key, (int, float, bool)) else key] = _plain(
                node[key], path + (str(key),), smap
            )
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, item in enumerate(node):
            smap.positions[path + (i,)] = _position(node.lc.item, i, path, smap)
            items.append(_plain(item, path + (i,), smap))
        return items
    if isinstance(node, str):
        return str(node)
    if isinstance(node, TaggedScalar):  # `!!str 12`: the only tag kept as a tagged value (yamlguard)
        return str(node.value)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def read_source(path: Path | str) -> tuple[bytes, str]:
    """A rule-set, library or cases file's bytes and text; E001 when it cannot be read as UTF-8, E003
    when it is larger than $SCREENING_MAX_RULE_FILE_BYTES."""
    max_bytes = yamlguard.max_file_bytes(str(path))
    try:
        return read_utf8(path, max_bytes)
    except FileTooLarge:
        raise yamlguard.too_large(str(path), max_bytes) from None
    except UnreadableFile as e:
        raise RuleSetError([Diagnostic(str(path), 1, 1, "E001", str(e))]) from None


_UNQUOTED_ANNOTATION = re.compile(r"""(?<!['"])\b(\d+(?:\.\d+)?\s*[^\s,'"{}]*/\{[^{}]*\}[^\s,'"}]*)""")


def _annotation_hint(text: str, line: int) -> str:
    """A hint when a quantity with a UCUM annotation in braces ({1.73_m2}) is not quoted: YAML
    reads the braces as a mapping."""
    lines = text.splitlines()
    for near in lines[max(line - 2, 0):line + 1]:
        m = _UNQUOTED_ANNOTATION.search(near)
        if m:
            return f" (a UCUM annotation in braces must be quoted: write '{m.group(1)}')"
    return ""


def load_yaml(path: Path | str, text: str | None = None) -> tuple[Any, SourceMap]:
    """The plain data of a YAML text and the positions of its keys and items. A text parsed before is
    read back from the on-disk cache (ruamel's round-trip parser is slow on the value-set library)."""
    path = Path(path)
    display = str(path)
    if text is None:
        _, text = read_source(path)
    max_bytes = yamlguard.max_file_bytes(display)
    if len(text) > max_bytes:  # characters: a text given by the caller was not read with the limit
        raise yamlguard.too_large(display, max_bytes)
    limits = (max_bytes, yamlguard.limit(yamlguard.MAX_ALIAS_ENV, yamlguard.DEFAULT_MAX_ALIAS, display, "E004"))
    key = cache_key("yaml", hashlib.sha256(text.encode("utf-8")).hexdigest(), RUAMEL_VERSION, *limits, _CHECKS)
    cached = _from_cache(DiskCache().get("yaml", key))
    if cached is not None:
        return cached[0], SourceMap(display, cached[1])
    data, smap = _parse_yaml(display, text)
    stored = _to_cache(data, smap.positions)
    if stored is not None:
        DiskCache().put("yaml", key, stored)
    return data, smap


def _parse_yaml(display: str, text: str) -> tuple[Any, SourceMap]:
    try:
        data = yamlguard.compose_checked(display, text)
    except RuleSetError:
        raise
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(str(x) for x in (e.context, e.problem) if x) + _annotation_hint(text, line)
        raise RuleSetError([Diagnostic(display, line, col, "E002", f"invalid YAML: {problem}")]) from None
    except Exception as e:  # ruamel raises several unrelated types for odd input
        raise RuleSetError([Diagnostic(display, 1, 1, "E002", f"invalid YAML: {e}")]) from None
    smap = SourceMap(display)
    smap.positions[()] = (1, 1)
    return _plain(data, (), smap), smap


# --- parsed YAML on disk ------------------------------------------------------------------------
# Plain data round-trips through JSON except dates (tagged) and non-string keys (not cached).

_DATE, _DATETIME = "\u0000date", "\u0000datetime"


class _NotCacheable(Exception):
    pass


def _encode(v: Any) -> Any:
    if isinstance(v, dict):
        if not all(isinstance(k, str) for k in v):
            raise _NotCacheable
        return {k: _encode(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_encode(x) for x in v]
    if isinstance(v, dt.datetime):
        return {_DATETIME: v.isoformat()}
    if isinstance(v, dt.date):
        return {_DATE: v.isoformat()}
    if v is None or isinstance(v, (str, bool, int, float)):
        return v
    raise _NotCacheable


def _decode(v: Any) -> Any:
    if isinstance(v, dict):
        if len(v) == 1 and _DATE in v:
            return dt.date.fromisoformat(v[_DATE])
        if len(v) == 1 and _DATETIME in v:
            return dt.datetime.fromisoformat(v[_DATETIME])
        return {k: _decode(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_decode(x) for x in v]
    return v


def _to_cache(data: Any, positions: dict[Path_, tuple[int, int]]) -> dict[str, Any] | None:
    try:
        return {"data": _encode(data), "positions": [[list(p), line, col] for p, (line, col) in positions.items()]}
    except _NotCacheable:
        return None


def _from_cache(found: Any) -> tuple[Any, dict[Path_, tuple[int, int]]] | None:
    if not isinstance(found, dict) or "data" not in found or "positions" not in found:
        return None
    try:
        positions = {tuple(p): (int(line), int(col)) for p, line, col in found["positions"]}
        return _decode(found["data"]), positions
    except (TypeError, ValueError):
        return None

"""Load YAML keeping the source position of every mapping key and sequence item.

Values come back as plain Python (dict, list, str, int, float, bool, date, None) so that
pydantic validates them; positions live beside them in a `SourceMap` keyed by path
tuples (the same shape as pydantic's error `loc`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from screening.core.diagnostics import Diagnostic, RuleSetError
from screening.core.files import UnreadableFile, read_utf8

Path_ = tuple[str | int, ...]


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


def _plain(node: Any, path: Path_, smap: SourceMap) -> Any:
    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key in node:
            line, col = node.lc.key(key)
            smap.positions[path + (str(key),)] = (line + 1, col + 1)
            out[str(key) if not isinstance(key, (int, float, bool)) else key] = _plain(
                node[key], path + (str(key),), smap
            )
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, item in enumerate(node):
            line, col = node.lc.item(i)
            smap.positions[path + (i,)] = (line + 1, col + 1)
            items.append(_plain(item, path + (i,), smap))
        return items
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def read_source(path: Path | str) -> tuple[bytes, str]:
    """A rule-set, library or cases file's bytes and text; E001 when it cannot be read as UTF-8."""
    try:
        return read_utf8(path)
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
    path = Path(path)
    display = str(path)
    if text is None:
        _, text = read_source(path)
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        data = yaml.load(io.StringIO(text))
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

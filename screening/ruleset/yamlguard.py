"""Bounds and checks on rule-file YAML, applied before any value is built from it.

A rule file (trial.yaml, a library file, cases.yaml) is refused with a diagnostic at its place when:

* it is larger than `$SCREENING_MAX_RULE_FILE_BYTES` (default 1 MiB; E003): the YAML parser takes
  seconds per megabyte, and the largest bundled rule file is under 30 KB;
* it holds a control character (E005): YAML does not allow them, and one that a text editor does not
  show (NUL, ESC) is better named with its line than met as a parser error;
* a YAML tag other than the core ones (`!!str`, `!!int`, ...) is written (E006): the rule-set format
  has none (`!custom [a, b]`, `!!binary`, `!!set` would build values no rule reads);
* its aliases (`*name`) repeat more than `$SCREENING_MAX_YAML_ALIAS_NODES` values (default 10,000;
  E004), or an alias refers to a value that contains it: a few lines of nested aliases (a "billion
  laughs" document) would otherwise expand to billions of values;
* it nests more than `MAX_DEPTH` levels (64; E002), or defines an anchor (`&name`) twice (E002).

The composed node graph is checked (tags, the values aliases repeat: linear in the file,
whatever the expansion) before the values are built, and a value that cannot be built (a date
2026-02-31, an integer of 5,000 digits) is reported at its place.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer, ComposerError, MaxDepthExceededError
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, StreamMark
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from screening.core.diagnostics import Diagnostic, RuleSetError

MAX_FILE_ENV = "SCREENING_MAX_RULE_FILE_BYTES"
DEFAULT_MAX_FILE = 1024 * 1024
MAX_ALIAS_ENV = "SCREENING_MAX_YAML_ALIAS_NODES"
DEFAULT_MAX_ALIAS = 10_000
MAX_DEPTH = 64

_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "merge"))
_VALUE_TAG = _CORE + "value"  # a plain `=`, which YAML 1.1 resolves as the "default value" key

# YAML allows tab, line feed, carriage return, NEL (a line break) and printable characters only
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # the line breaks ruamel counts lines by
_C0 = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB "
       "ESC FS GS RS US").split()
_C1 = ("PAD HOP BPH NBH IND NEL SSA ESA HTS HTJ VTS PLD PLU RI SS2 SS3 DCS PU1 PU2 STS CCH MW SPA EPA SOS "
       "SGCI SCI CSI ST OSC PM APC").split()
MAX_REPORTED_LINES = 20


def limit(env: str, default: int, file: str, code: str) -> int:
    """The whole number of setting `env` (0 or more), else `default`; a bad value is a diagnostic."""
    value = os.environ.get(env)
    if value is None or not value.strip():
        return default
    try:
        n = int(value.strip())
    except ValueError:
        n = -1
    if n < 0:
        raise RuleSetError([Diagnostic(file, 1, 1, code, f"${env} must be a whole number of 0 or more, got {value!r}")])
    return n


def max_file_bytes(file: str) -> int:
    return limit(MAX_FILE_ENV, DEFAULT_MAX_FILE, file, "E003")


def too_large(file: str, max_bytes: int) -> RuleSetError:
    return RuleSetError([Diagnostic(file, 1, 1, "E003", f"the file is larger than {max_bytes} bytes "
                                    f"(the limit is ${MAX_FILE_ENV}, default {DEFAULT_MAX_FILE})")])


def _char_name(ch: str) -> str:
    n = ord(ch)
    name = _C0[n] if n < 0x20 else "DEL" if n == 0x7F else _C1[n - 0x80] if n < 0xA0 else "noncharacter"
    return f"U+{n:04X} ({name})"


def check_characters(file: str, text: str) -> None:
    """E005 on every line (the first 20) holding a control character, at the first one."""
    if not _CONTROL.search(text):
        return
    diags = []
    for number, line in enumerate(_lines(text), start=1):
        m = _CONTROL.search(line)
        if m:
            diags.append(Diagnostic(file, number, m.start() + 1, "E005", f"control character {_char_name(m.group())} "
                                    "is not allowed in a rule file (remove it)"))
            if len(diags) == MAX_REPORTED_LINES:
                break
    raise RuleSetError(diags)


def _lines(text: str) -> Iterator[str]:
    start = 0
    for m in _BREAKS.finditer(text):
        yield text[start:m.start()]
        start = m.end()
    yield text[start:]


def _tag_text(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _refuse(file: str, mark: StreamMark | None, code: str, message: str) -> RuleSetError:
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return RuleSetError([Diagnostic(file, line, col, code, message)])


def _children(node: Node) -> list[tuple[Node, Node]]:
    """A collection's values, each with the node whose place names where it is written (for a value
    that is an alias: its key in a mapping, else the sequence that holds it)."""
    if isinstance(node, MappingNode):
        return [pair for k, v in node.value for pair in ((k, k), (v, k))]
    if isinstance(node, SequenceNode):
        return [(item, node) for item in node.value]
    return []


def check_nodes(file: str, root: Node, max_alias: int) -> None:
    """Refuse tags outside the core schema (E006), recursive aliases and aliases repeating more than
    `max_alias` values (E004). One walk over the distinct
    nodes: an alias's node is entered once, its size (values under it, itself included) memoised."""
    size: dict[int, int] = {}
    entered: set[int] = set()
    repeated = 0
    stack: list[tuple[Node, Iterator[tuple[Node, Node]]]] = []

    def enter(node: Node) -> None:
        tag = str(node.tag)
        if tag == _VALUE_TAG:
            node.tag = _CORE + "str"
        elif tag not in ALLOWED_TAGS:
            raise _refuse(file, node.start_mark, "E006", f"YAML tag {_tag_text(tag)!r} is not part of the rule-set "
                          "format (write the value without it)")
        entered.add(id(node))
        stack.append((node, iter(_children(node))))

    enter(root)
    while stack:
        node, children = stack[-1]
        for child, place in children:
            if id(child) in size:
                repeated += size[id(child)]
                if repeated > max_alias:
                    raise _refuse(file, place.start_mark, "E004", f"aliases (*name) repeat more than {max_alias} values "
                                  f"(the limit is ${MAX_ALIAS_ENV}, default {DEFAULT_MAX_ALIAS})")
            elif id(child) in entered:
                raise _refuse(file, place.start_mark, "E004", "an alias (*name) refers to a value that contains it")
            else:
                enter(child)
                break
        else:
            stack.pop()
            size[id(node)] = 1 + sum(size[id(c)] for c, _ in _children(node))


class StrictComposer(Composer):  # type: ignore[misc]
    """The composer, refusing an anchor defined twice (ruamel only warns, and an alias takes the last)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if not isinstance(event, AliasEvent) and event.anchor is not None and event.anchor in self.anchors:
            first = self.anchors[event.anchor].start_mark
            raise ComposerError(None, None, f"the anchor &{event.anchor} is defined again (first at line "
                                f"{first.line + 1}); give each anchor its own name", event.start_mark)
        return super().compose_node(parent, index)


class MarkedConstructor(RoundTripConstructor):  # type: ignore[misc]
    """The round-trip constructor, reporting a value it cannot build (a date 2026-02-31, an integer of
    5,000 digits) at the value's place."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except MarkedYAMLError:
            raise
        except (ValueError, TypeError, OverflowError) as e:
            raise ConstructorError(None, None, str(e), node.start_mark) from None


def compose_checked(file: str, text: str) -> Any:
    """The constructed round-trip data of `text`, after the checks above (raises RuleSetError)."""
    check_characters(file, text)
    max_alias = limit(MAX_ALIAS_ENV, DEFAULT_MAX_ALIAS, file, "E004")
    yaml = YAML(typ="rt")
    yaml.Composer = StrictComposer
    yaml.Constructor = MarkedConstructor
    yaml.allow_duplicate_keys = False
    yaml.max_depth = MAX_DEPTH  # checked by the composer before it recurses deeper
    try:
        node = yaml.compose(io.StringIO(text))
    except MaxDepthExceededError as e:
        raise _refuse(file, e.problem_mark, "E002", f"invalid YAML: nested deeper than {MAX_DEPTH} levels") from None
    if node is None:
        return None
    check_nodes(file, node, max_alias)
    return yaml.constructor.construct_document(node)

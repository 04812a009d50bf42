"""Writing a drafted rule set as YAML that reads like a hand-written one: small leaf mappings and
scalar lists in flow style, criteria and the trial in block style, a blank line between criteria."""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

_FLOW_MAX_KEYS = 6
_FLOW_MAX_CHARS = 90  # the values of a flow mapping, written out, stay under this


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _is_flat(value: Any) -> bool:
    """A scalar, or a list of scalars."""
    return _is_scalar(value) or (isinstance(value, list) and all(_is_scalar(x) for x in value))


def _fits_one_line(mapping: dict[str, Any]) -> bool:
    """A small mapping of flat values with no multi-line text."""
    values = mapping.values()
    return (all(_is_flat(v) for v in values) and not any(isinstance(v, str) and "\n" in v for v in values)
            and len(mapping) <= _FLOW_MAX_KEYS and sum(len(str(v)) for v in values) < _FLOW_MAX_CHARS)


def _flow_map(mapping: dict[str, Any]) -> CommentedMap:
    m = CommentedMap()
    for k, v in mapping.items():
        m[k] = _flowish(v)
    if _fits_one_line(mapping):
        m.fa.set_flow_style()
    return m


def _flow_seq(items: list[Any]) -> CommentedSeq:
    s = CommentedSeq(_flowish(x) for x in items)
    if all(_is_scalar(x) for x in items):
        s.fa.set_flow_style()
    return s


def _flowish(obj: Any) -> Any:
    """Plain data -> ruamel nodes: small leaf mappings and scalar lists in flow style, multi-line
    text as literal blocks."""
    if isinstance(obj, dict):
        return _flow_map(obj)
    if isinstance(obj, list):
        return _flow_seq(obj)
    if isinstance(obj, str) and "\n" in obj:
        return LiteralScalarString(obj)
    return obj


def _dump(root: Any, header: str | None, item_key: str) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    buf = io.StringIO()
    yaml.dump(root, buf)
    text = re.sub(rf"\n(  - {item_key}: )", r"\n\n\1", buf.getvalue())  # a blank line between items
    return (header or "") + text


def dump_cases(data: dict[str, Any], header: str | None = None) -> str:
    """A cases file as YAML: each patient and case in block style, their small parts on one line."""
    root = _flowish(data)
    for p in root.get("patients", {}).values():
        p.fa.set_block_style()
        if "administrative" in p:
            p["administrative"].fa.set_block_style()
    if "patients" in root:
        root["patients"].fa.set_block_style()
    for c in root.get("cases", []):
        c.fa.set_block_style()
        if "merge" in c:
            c["merge"].fa.set_block_style()
    return _dump(root, header, "name")


def dump_ruleset(data: dict[str, Any], header: str | None = None) -> str:
    """The rule set `data` as YAML text, after the comment lines `header`."""
    root = _flowish(data)
    # the trial, each criterion and the value_sets mapping in block style; each value set on one line
    if "trial" in root:
        root["trial"].fa.set_block_style()
    for c in root.get("criteria", []):
        c.fa.set_block_style()
    for vs in root.get("value_sets", {}).values():
        vs.fa.set_flow_style()
    if "value_sets" in root:
        root["value_sets"].fa.set_block_style()
    return _dump(root, header, "id")

"""What a patient needs for a drafted definition to be true, or false: the building block of the
starter cases (`cases`).

A need is a small tuple: an age or life-expectancy bound, a sex, a lab value's bound, an
administrative fact, consent, a coded result, or a record (condition, medication, procedure,
participation) that is recent, old (before a window), resolved or of an excepted code. `needs`
reads a definition recursively through `all`, `any` and `not`; it gives None when data alone
cannot decide it (`hiv_positive` is unknown without a diagnosis or a test, whatever the tests say).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_FLIP = {"ge": "lt", "gt": "le", "le": "gt", "lt": "ge"}
UNIT_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}
# what the library's concepts need: name -> (needs when true, needs when false); None: data cannot decide
_CONCEPTS: dict[str, tuple[list[tuple[Any, ...]] | None, list[tuple[Any, ...]] | None]] = {
    "informed_consent_signed": ([("consent", True)], [("consent", False)]),
    "pregnant": ([("sex", frozenset({"female"})), ("fact", "pregnant", True)], [("fact", "pregnant", False)]),
    "lactating": ([("sex", frozenset({"female"})), ("fact", "lactating", True)], [("fact", "lactating", False)]),
    "pregnant_or_lactating": ([("sex", frozenset({"female"})), ("fact", "pregnant", True)],
                              [("fact", "pregnant", False), ("fact", "lactating", False)]),
    "hiv_positive": ([("record", "condition", "hiv_infection", "recent", None)], None),
    "hepatitis_b_positive": ([("record", "condition", "hepatitis_b", "recent", None)],
                             [("record", "condition", "hepatitis_b", "resolved", None),
                              ("result", "hbsag_test", "negative")]),
    "hepatitis_c_positive": ([("record", "condition", "hepatitis_c", "recent", None)],
                             [("record", "condition", "hepatitis_c", "resolved", None),
                              ("result", "hcv_test", "negative")]),
    "active_malignancy": ([("record", "condition", "malignancy", "recent", None)],
                          [("record", "condition", "malignancy", "resolved", None)]),
    "active_tuberculosis": ([("record", "condition", "tuberculosis", "recent", None)],
                            [("record", "condition", "tuberculosis", "resolved", None)]),
}
Need = tuple[Any, ...]


def _duration_days(text: str) -> int:
    n, unit = text.split()
    return int(n) * UNIT_DAYS[unit.rstrip("s")]


def _bounds(spec: Mapping[str, Any]) -> list[tuple[str, Any]]:
    out = [(op, spec[op]) for op in ("gt", "ge", "lt", "le") if spec.get(op) is not None]
    if spec.get("between"):
        out += [("ge", spec["between"][0]), ("le", spec["between"][1])]
    return out


def _range_needs(kind: str, spec: Mapping[str, Any], truth: bool, *key: str) -> list[Need] | None:
    bounds = _bounds(spec)
    if not bounds:
        return None
    if truth:
        return [(kind, *key, op, v) for op, v in bounds]
    if kind == "age":  # an age from birth ('0 to 16 weeks') is failed by an older patient: no one is younger
        bounds = [(op, v) for op, v in bounds if not (op == "ge" and v <= 0)]
        if not bounds:
            return None
    op, v = bounds[0]
    return [(kind, *key, _FLIP[op], v)]


def _record_needs(kind: str, spec: Mapping[str, Any], truth: bool) -> list[Need] | None:
    code, within = spec.get("code"), spec.get("within")
    code = code[0] if isinstance(code, list) else code
    if truth:
        return [("record", kind, code, "recent", None)]
    if within:
        return [("record", kind, code, "old", _duration_days(within))]
    excepted = spec.get("except")
    if excepted:
        return [("record", kind, excepted[0] if isinstance(excepted, list) else excepted, "recent", None)]
    if spec.get("active"):
        return [("record", kind, code, "resolved", None)]
    return None


def _latest_needs(spec: Mapping[str, Any], truth: bool) -> list[Need] | None:
    """A latest value in a range; None for a multiple of a reference range (the patient would need
    the range too)."""
    if any(isinstance(v, str) and v.endswith(("ULN", "LLN")) for _, v in _bounds(spec)):
        return None
    return _range_needs("obs", spec, truth, spec["code"])


def _combine(parts: list[list[Need] | None], every: bool) -> list[Need] | None:
    """Every part's needs (each must hold), or the first part that can be met (one must)."""
    if every:
        return None if any(p is None for p in parts) else [n for p in parts if p for n in p]
    return next((p for p in parts if p is not None), None)


def _options(when: Mapping[str, Any], truth: bool) -> list[list[Need]]:
    """The ways the definition can be `truth`: one a part when one part suffices, else one."""
    (key, value), = when.items()
    if key in ("all", "any") and (key == "all") != truth:
        return [o for v in value if (o := needs(v, truth)) is not None]
    one = needs(when, truth)
    return [one] if one is not None else []


def _sexes(chosen: list[Need]) -> frozenset[str]:
    out = frozenset({"female", "male"})
    for n in chosen:
        if n[0] == "sex":
            out &= n[1]
    return out


def _every(parts: list[list[list[Need]]]) -> list[Need] | None:
    """Needs meeting every part, each met one of its ways: the first way that does not ask for
    another sex than the ways chosen before ('any: [all: [female, Hb > 12], all: [male, Hb >
    13.5]]' false: a man whose Hb is 13.5 or less, not a woman and a man)."""
    chosen: list[Need] = []
    for ways in parts:
        fits = [w for w in ways if _sexes(chosen + w)]
        if not ways:
            return None
        chosen += fits[0] if fits else ways[0]
    return chosen


def _logical(key: str, parts: list[Mapping[str, Any]], truth: bool) -> list[Need] | None:
    """`all` true or `any` false: every part, each one of its ways; else the first part that can be."""
    if (key == "all") == truth:
        return _every([_options(v, truth) for v in parts])
    return _combine([needs(v, truth) for v in parts], every=False)


def needs(when: Mapping[str, Any], truth: bool) -> list[Need] | None:
    """What a patient needs for the definition to be `truth`; None when data alone cannot decide."""
    (key, value), = when.items()
    if key == "not":
        return needs(value, not truth)
    if key in ("all", "any"):
        return _logical(key, value, truth)
    if key == "age":
        return _range_needs("age", value, truth)
    if key == "life_expectancy_months":
        return _range_needs("life", value, truth)
    if key == "sex":
        chosen = frozenset(value) if truth else frozenset({"female", "male"}) - frozenset(value)
        return [("sex", chosen)] if chosen else None
    if key == "latest" and "result" not in value:
        return _latest_needs(value, truth)
    if key == "ref":
        return _CONCEPTS.get(value, (None, None))[0 if truth else 1]
    if key == "participation":
        return [("participation", "recent" if truth else "old", _duration_days(value["within"]) if value.get("within")
                 else None)] if truth or value.get("within") else None
    if key in ("condition", "medication", "procedure"):
        return _record_needs(key, value, truth)
    return None

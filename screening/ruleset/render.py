"""Plain-language rendering of IR nodes and measures (for `screening explain` and the API)."""

from __future__ import annotations

from functools import lru_cache

from screening.core.vocab import ADMINISTRATIVE_ITEMS
from screening.ruleset import ir
from screening.ruleset.formulas import FORMULAS

OP_WORDS = {"ge": "at least", "gt": "more than", "le": "at most", "lt": "below", "eq": "exactly"}
OP_NOT_WORDS = {"ge": "not at least", "gt": "not more than", "le": "not at most", "lt": "not below", "eq": "not"}

def unit_text(unit: str) -> str:
    return {"1": "", "a": "years", "mo": "months"}.get(unit, unit)


def amount_text(x: str, unit: str) -> str:
    """'12 months', '1 year', '2 mm', '3' (a unit word in the singular for exactly one)."""
    u = unit_text(unit)
    if u in ("years", "months") and x == "1":
        u = u[:-1]
    return f"{x} {u}" if u else x


# a unit spelled in a field's name is said once, by the value ('diameter more than 2 mm')
_UNIT_SUFFIXES = ("_mm", "_months", "_years", "_days")


def name_text(name: str) -> str:
    """A field or number name in words, without the unit its name spells."""
    for suffix in _UNIT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name.removesuffix(suffix)
            break
    return name.rstrip("_").replace("_", " ")


def value_text(value: object) -> str:
    """A coded value in words ('digital_ulcer' -> 'digital ulcer')."""
    return str(value).replace("_", " ")


def offsets_text(lo: object, hi: object) -> str:
    """'at any time', 'within 6 weeks', 'between 3 weeks and 6 weeks' for an offset window after an anchor."""
    lo_s, hi_s = str(lo), str(hi)
    if lo_s.startswith("0 ") and _years(hi_s) >= 100:
        return "at any time"
    if lo_s.startswith("0 "):
        return f"within {hi_s}"
    return f"between {lo_s} and {hi_s}"


def _years(text: str) -> int:
    amount, unit = text.split(" ", 1)
    return int(amount) if unit.startswith("year") else 0


def _filters(filters: tuple[ir.Filter, ...]) -> list[str]:
    out = []
    for f in filters:
        if f.attr == "verification_status":
            continue
        name = name_text(f.attr)
        if f.op == "in":
            out.append(f"{name} {' or '.join(value_text(v) for v in f.value)}")  # type: ignore[attr-defined]
        elif f.op == "eq" and isinstance(f.value, bool):
            out.append(name if f.value else f"no {name}")
        else:
            unit = " mm" if f.attr == "diameter_mm" else f" {f.unit}" if f.unit else ""
            out.append(f"{name} {OP_WORDS.get(f.op, f.op)} {f.value:g}{unit}")
    return out


def records_text(q: ir.Records) -> str:
    what = {
        "condition": "diagnosis of", "observation": "result for", "medication": "medication",
        "procedure": "procedure", "lesion": "lesion", "participation": "participation in another clinical trial",
        "encounter": "visit", "allergy": "allergy or intolerance to",
    }[q.record]
    bits = [what]
    if q.codes is not None:
        bits.append(q.codes.describe())
    if q.exclude is not None:
        bits.append(f"(except {q.exclude.describe()})")
    extra = _filters(q.filters)
    if q.active is not None:
        extra.append("active at the screening date" if q.active else "not active at the screening date")
    if q.confirmed_by:
        extra.append("confirmed by " + " or ".join(q.confirmed_by))
    if q.latest_per_lesion:
        extra.append("at its latest assessment")
    if extra:
        bits.append("(" + ", ".join(extra) + ")")
    window = window_text(q)
    if window:
        bits.append(window)
    if q.onset_at_least is not None:
        bits.append(f"first dated at least {q.onset_at_least} before the screening date")
    return " ".join(bits)


def window_text(q: ir.Records) -> str:
    """The query's window in words ('' without one)."""
    if q.within is None:
        return ""
    if q.window_end is None:
        return f"within the past {q.within}"
    return f"from {q.within} to {q.window_end} before the screening date"


@lru_cache(maxsize=4096)
def measure_text(m: ir.Measure) -> str:
    """Plain-language name of a measure (remembered: measures are immutable and hash cheaply)."""
    if isinstance(m, ir.Age):
        return "age"
    if isinstance(m, ir.Sex):
        return "sex"
    if isinstance(m, ir.Latest):
        return f"most recent {m.codes.describe()}" + (f" (within {m.within})" if m.within else "") + (
            f" or, when none is recorded, {FORMULAS[m.derive].title} derived from its inputs" if m.derive else "")
    if isinstance(m, ir.LatestRatio):
        return (f"most recent {m.codes.describe()}" + (f" (within {m.within})" if m.within else "")
                + f" as a multiple of its {'upper' if m.limit == 'high' else 'lower'} limit of normal")
    if isinstance(m, ir.LatestResult):
        return f"most recent {m.codes.describe()} result" + (f" (within {m.within})" if m.within else "")
    if isinstance(m, ir.Records):
        return records_text(m)
    if isinstance(m, ir.Pairs):
        return (f"{records_text(m.anchor)}, followed {offsets_text(m.lo, m.hi)} after its {m.from_} by "
                f"{records_text(m.event)}")
    if isinstance(m, ir.Flag):
        return ADMINISTRATIVE_ITEMS[m.name].statement
    if isinstance(m, ir.Number):
        return ADMINISTRATIVE_ITEMS[m.name].statement
    return type(m).__name__


def node_text(node: ir.Node, depth: int = 0) -> str:
    pad = "  " * depth
    if isinstance(node, ir.Labelled):
        return f"{pad}{node.title} [{node.name}]:\n" + node_text(node.item, depth + 1)
    rng = range_text(node)
    if rng is not None:
        return pad + "- " + rng
    if isinstance(node, ir.And):
        return f"{pad}all of:\n" + "\n".join(node_text(x, depth + 1) for x in node.items)
    if isinstance(node, ir.Or):
        return f"{pad}any of:\n" + "\n".join(node_text(x, depth + 1) for x in node.items)
    if isinstance(node, ir.Not):
        return f"{pad}not:\n" + node_text(node.item, depth + 1)
    return pad + "- " + leaf_text(node)


def range_text(node: ir.Node) -> str | None:
    """'age from 18 to 60 years' for an And of a lower and an upper bound on one measure."""
    if not (isinstance(node, ir.And) and len(node.items) == 2):
        return None
    a, b = node.items
    if not (isinstance(a, ir.Compare) and isinstance(b, ir.Compare) and a.measure == b.measure):
        return None
    if a.op in ("le", "lt"):
        a, b = b, a
    if a.op not in ("ge", "gt") or b.op not in ("le", "lt") or a.measure.kind == "count":
        return None
    u = unit_text(a.unit)
    lo = f"{a.value:g}" + ("" if a.op == "ge" else " (exclusive)")
    hi = f"{b.value:g}" + ("" if b.op == "le" else " (exclusive)")
    return f"{measure_text(a.measure)} from {lo} to {hi}{(' ' + u) if u else ''}"


def leaf_text(node: ir.Node) -> str:
    if isinstance(node, ir.Compare):
        m = node.measure
        if m.kind == "count":
            if node.op == "ge" and node.value == 1:
                return f"any {measure_text(m)}"
            if node.op == "lt" and node.value == 1:
                return f"no {measure_text(m)}"
            if isinstance(m, ir.Records) and m.distinct_days:
                return f"{OP_WORDS[node.op]} {node.value:g} distinct days with {measure_text(m)}"
            return f"{OP_WORDS[node.op]} {node.value:g} x {measure_text(m)}"
        return f"{measure_text(m)} {OP_WORDS[node.op]} {amount_text(f'{node.value:g}', node.unit)}"
    if isinstance(node, ir.OneOf):
        return f"{measure_text(node.measure)} is {' or '.join(node.values)}"
    if isinstance(node, ir.IsTrue):
        return measure_text(node.measure) + ("" if node.expected else ": no")
    return node_text(node)

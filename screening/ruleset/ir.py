"""The small intermediate representation between validated criteria and durable_rules.

Two layers:

* **Measures** say what to derive from a patient profile (age at the screening date, the most
  recent creatinine in umol/L, how many records match a query). The facts stage computes them
  (or leaves them unknown, with a reason) and the engine never sees a raw profile.
* **Predicates and connectives** (`Compare`, `OneOf`, `IsTrue`, `And`, `Or`, `Not`) say what
  to test on those measures. The compiler turns them into durable_rules conditions with
  Kleene three-valued logic: one rule for "pass", one for "fail"; neither firing = unknown.

Every node is a frozen dataclass, so equal measures are shared between criteria and trials.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from screening.core.timewindows import Duration
from screening.core.vocab import CriterionKind, MissingPolicy, RecordKind

Op = Literal["gt", "ge", "lt", "le", "eq"]
OP_SYMBOL = {"gt": ">", "ge": ">=", "lt": "<", "le": "<=", "eq": "="}
NEGATE: dict[str, str] = {"gt": "le", "ge": "lt", "lt": "ge", "le": "gt"}
Policy = MissingPolicy


@dataclass(frozen=True)
class CodeSet:
    """Codes as (system, code) pairs; `prefixes` match every code that starts with them."""

    name: str
    exact: frozenset[tuple[str, str]]
    prefixes: tuple[tuple[str, str], ...] = ()
    prefix_by_system: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False, hash=False, default_factory=dict)

    def __post_init__(self) -> None:
        by_system: dict[str, list[str]] = {}
        for s, p in self.prefixes:
            by_system.setdefault(s, []).append(p)
        object.__setattr__(self, "prefix_by_system", {s: tuple(ps) for s, ps in by_system.items()})

    def matches(self, system: str, code: str) -> bool:
        if (system, code) in self.exact:
            return True
        ps = self.prefix_by_system.get(system)
        return ps is not None and code.startswith(ps)

    def describe(self) -> str:
        return self.name


# --- measures -----------------------------------------------------------------------------


class Measure:
    """Base of every measure. `kind` tells the compiler how its value is laid out in a fact."""

    kind: str = "number"  # number | count | category | flag


def _cache_hash(cls):  # type: ignore[no-untyped-def]
    """Measures are dictionary keys on the hot path: compute their (deep) hash once."""
    compute = cls.__hash__

    def __hash__(self) -> int:  # type: ignore[no-untyped-def]
        h = self.__dict__.get("_hash")
        if h is None:
            h = compute(self)
            object.__setattr__(self, "_hash", h)
        return h

    cls.__hash__ = __hash__
    return cls


@_cache_hash
@dataclass(frozen=True)
class Age(Measure):
    kind = "number"


@_cache_hash
@dataclass(frozen=True)
class Sex(Measure):
    kind = "category"


@_cache_hash
@dataclass(frozen=True)
class Latest(Measure):
    """Most recent numeric value of an observation, in `unit`, dated within `within`."""

    codes: CodeSet
    unit: str
    within: Duration | None = None
    molar_mass: float | None = None
    kind = "number"


@_cache_hash
@dataclass(frozen=True)
class LatestResult(Measure):
    """Most recent coded result (lower-cased) of an observation, dated within `within`."""

    codes: CodeSet
    within: Duration | None = None
    kind = "category"


@dataclass(frozen=True)
class Filter:
    """A test on one attribute of a record: ('diameter_mm', 'gt', 2.0), ('trend', 'in', (...))."""

    attr: str
    op: str  # gt ge lt le eq in
    value: object


@_cache_hash
@dataclass(frozen=True)
class Records(Measure):
    """How many records of `record` type match: a count known as a range [lo, hi]."""

    record: RecordKind
    codes: CodeSet | None = None
    exclude: CodeSet | None = None
    within: Duration | None = None
    active: bool | None = None
    confirmed_by: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    latest_per_lesion: bool = False
    policy: Policy = "unknown"
    kind = "count"


@_cache_hash
@dataclass(frozen=True)
class Pairs(Measure):
    """How many (anchor, event) pairs have the event between `lo` and `hi` after the anchor."""

    anchor: Records
    event: Records
    from_: Literal["start", "end"]
    lo: Duration
    hi: Duration
    policy: Policy = "unknown"
    kind = "count"


@_cache_hash
@dataclass(frozen=True)
class Flag(Measure):
    """An administrative yes/no fact (pregnant, lactating, informed consent, ...)."""

    name: str
    policy: Policy = "unknown"
    kind = "flag"


@_cache_hash
@dataclass(frozen=True)
class Number(Measure):
    """An administrative number (life expectancy in months)."""

    name: str
    kind = "number"


# --- predicates and connectives -----------------------------------------------------------


class Node:
    pass


@dataclass(frozen=True)
class Compare(Node):
    """measure <op> value. For counts the range [lo, hi] is compared (Kleene)."""

    measure: Measure
    op: Op
    value: float
    unit: str = "1"


@dataclass(frozen=True)
class OneOf(Node):
    measure: Measure
    values: tuple[str, ...]


@dataclass(frozen=True)
class IsTrue(Node):
    measure: Flag
    expected: bool = True


@dataclass(frozen=True)
class And(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not(Node):
    item: Node


@dataclass(frozen=True)
class Labelled(Node):
    """A named concept (from the library) wrapping its definition, kept for explanations."""

    name: str
    title: str
    item: Node


@dataclass(frozen=True)
class CriterionIR:
    id: str
    kind: CriterionKind
    expr: Node | None  # None: review
    policy: Policy = "unknown"
    review: str | None = None


@dataclass(frozen=True)
class TrialIR:
    trial_id: str
    criteria: tuple[CriterionIR, ...]
    measures: tuple[Measure, ...] = field(default=())


def trial_ir(trial_id: str, criteria: tuple[CriterionIR, ...]) -> TrialIR:
    """A trial's IR with its measures collected (each once, in order of first use)."""
    measures: list[Measure] = []
    for c in criteria:
        if c.expr is not None:
            for m in measures_of(c.expr):
                if m not in measures:
                    measures.append(m)
    return TrialIR(trial_id, criteria, tuple(measures))


def walk(node: Node):  # type: ignore[no-untyped-def]
    """Yield every node of a tree, depth first."""
    yield node
    if isinstance(node, (And, Or)):
        for item in node.items:
            yield from walk(item)
    elif isinstance(node, (Not, Labelled)):
        yield from walk(node.item)


def leaves(node: Node) -> tuple[Node, ...]:
    """The predicate leaves of a tree, in order (cached on the node: trees are immutable)."""
    cached = node.__dict__.get("_leaves")
    if cached is None:
        cached = tuple(n for n in walk(node) if isinstance(n, (Compare, OneOf, IsTrue)))
        object.__setattr__(node, "_leaves", cached)
    return cached  # type: ignore[no-any-return]


def measures_of(node: Node) -> list[Measure]:
    out: list[Measure] = []
    for n in walk(node):
        if isinstance(n, (Compare, OneOf, IsTrue)) and n.measure not in out:
            out.append(n.measure)
    return out

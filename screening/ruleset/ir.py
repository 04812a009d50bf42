"""The small intermediate representation between validated criteria and durable_rules.

Two layers:

* **Measures** say what to derive from a patient profile (age at the screening date, the most
  recent creatinine in umol/L, how many records match a query). The facts stage computes them
  (or leaves them unknown, with a reason) and the engine never sees a raw profile.
* **Predicates and connectives** (`Compare`, `OneOf`, `IsTrue`, `And`, `Or`, `Not`) say what
  to test on those measures. The compiler turns them into durable_rules conditions with
  Kleene three-valued logic: one rule for "pass", one for "fail"; neither firing = unknown.

Every node is a frozen dataclass and nothing is written onto a node after it is built: equal
measures are shared between criteria and trials, and a criterion carries what it says about
itself (id, kind, verbatim text, source, position in its file), so later stages never go back
to the validated model.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Literal, TypeVar, cast, dataclass_transform

from screening.core.codesystems import WITHIN_CLASS
from screening.core.timewindows import Duration
from screening.core.vocab import CriterionKind, CriterionMissing, MissingPolicy, RecordKind

Op = Literal["gt", "ge", "lt", "le", "eq"]
OP_SYMBOL = {"gt": ">", "ge": ">=", "lt": "<", "le": "<=", "eq": "="}
NEGATE: dict[str, str] = {"gt": "le", "ge": "lt", "lt": "ge", "le": "gt"}
Policy = MissingPolicy


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """A case-insensitive pattern finding any of `phrases` as whole words (spaces match any run of
    white space): 'carcinoma in situ' finds "Carcinoma  in situ of skin", not "carcinomas"."""
    return _phrase_pattern(tuple(sorted(set(phrases))))


@functools.lru_cache(maxsize=256)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted({r"\s+".join(re.escape(w) for w in p.split()) for p in phrases if p.strip()},
                          key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives or ["(?!)"]) + r")(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class CodeSet:
    """Codes as (system, code) pairs; `prefixes` match every code that starts with them.

    `possible` codes name the concept only possibly (WHO ICD-10 C44.x, "other malignant neoplasm
    of skin", may or may not be a basal cell carcinoma): a record so coded may be the concept.
    A code that `matches` is never also `possible`.

    `names` are words that name the concept in a record's text: a record of the right kind
    whose codes are not in the set but whose text contains one of them (and none of `not_names`)
    may be the concept, and is counted as possible, never silently left out. `sources` say where
    the codes come from (value set files with their versions or expansion dates), for the
    results' provenance.
    """

    name: str
    exact: frozenset[tuple[str, str]]
    prefixes: tuple[tuple[str, str], ...] = ()
    names: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    possible: frozenset[tuple[str, str]] = frozenset()
    not_names: tuple[str, ...] = ()
    natural_course: Duration | None = None  # how long a record without an end stays current
    # derived when the set is built (never changed afterwards)
    prefix_by_system: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False, hash=False)
    # the code systems the set has codes in (certain or possible): a record coded in none of them
    # cannot be told in or out of the set by its codes
    systems: frozenset[str] = field(init=False, repr=False, compare=False, hash=False)
    # the systems of `WITHIN_CLASS` whose class the set reaches into (see `may_hold`)
    _held: frozenset[str] = field(init=False, repr=False, compare=False, hash=False)
    _names_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False, hash=False)
    _not_names_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        by_system: dict[str, list[str]] = {}
        for s, p in self.prefixes:
            by_system.setdefault(s, []).append(p)
        object.__setattr__(self, "prefix_by_system", {s: tuple(ps) for s, ps in by_system.items()})
        object.__setattr__(self, "systems", frozenset(s for s, _ in (*self.exact, *self.prefixes, *self.possible)))
        object.__setattr__(self, "_held", frozenset(
            system for system, (s, cls) in WITHIN_CLASS.items()
            if any(x == s and (p.startswith(cls) or cls.startswith(p)) for x, p in self.prefixes)
            or any(x == s and c.startswith(cls) for x, c in (*self.exact, *self.possible))))
        object.__setattr__(self, "_names_re", phrase_pattern(self.names) if self.names else None)
        object.__setattr__(self, "_not_names_re", phrase_pattern(self.not_names) if self.not_names else None)

    def matches(self, system: str, code: str) -> bool:
        """The code is certainly in the set."""
        if (system, code) in self.exact:
            return True
        ps = self.prefix_by_system.get(system)
        return ps is not None and code.startswith(ps)

    def match_of(self, codings: Iterable[Any]) -> tuple[Any, bool] | None:
        """The first coding certainly in the set (coding, True), else the first possibly in it
        (coding, False), else None. Codings have `system` and `code`."""
        possible = None
        for c in codings:
            if self.matches(c.system, c.code):
                return c, True
            if possible is None and (c.system, c.code) in self.possible:
                possible = c
        return (possible, False) if possible is not None else None

    def may_hold(self, system: str) -> bool:
        """Can a record coded only in `system`, a system the set has no codes in, be in the set?
        Yes, unless every code of the system lies within one class of another system
        (`WITHIN_CLASS`: CVX codes are vaccines, ATC J07) that the set does not reach into (found once,
        when the set is built)."""
        return system not in WITHIN_CLASS or system in self._held

    def possibly(self, system: str, code: str) -> bool:
        """The code may name the concept (and does not certainly name it)."""
        return (system, code) in self.possible and not self.matches(system, code)

    def named_in(self, text: str | None) -> bool:
        """The text names the concept: it contains one of `names` and none of `not_names`."""
        if not text or self._names_re is None or not self._names_re.search(text):
            return False
        return self._not_names_re is None or not self._not_names_re.search(text)

    def describe(self) -> str:
        return self.name


# --- measures -----------------------------------------------------------------------------


class Measure:
    """Base of every measure. `kind` tells the compiler how its value is laid out in a fact.

    Measures are dictionary keys on hot paths: each computes its (deep) hash once, when built.
    """

    kind: ClassVar[str] = "number"  # number | count | category | flag
    _hash: int

    def __post_init__(self) -> None:
        values = tuple(getattr(self, f.name) for f in fields(self))  # type: ignore[arg-type]
        object.__setattr__(self, "_hash", hash((type(self).__name__, values)))

    def __hash__(self) -> int:
        return self._hash


M = TypeVar("M", bound=type[Measure])


@dataclass_transform(frozen_default=True)
def _measure(cls: M) -> M:
    """A measure class: a frozen dataclass whose hash is computed once, when built."""
    made = cast(M, dataclass(frozen=True)(cls))
    made.__hash__ = Measure.__hash__  # type: ignore[method-assign]
    return made


@_measure
class Age(Measure):
    kind = "number"


@_measure
class Sex(Measure):
    kind = "category"


@_measure
class Latest(Measure):
    """Most recent numeric value of an observation, in `unit`, dated within `within`."""

    codes: CodeSet
    unit: str
    within: Duration | None = None
    molar_mass: float | None = None
    conversion: str | None = None  # an analyte-specific conversion (screening.core.units.CONVERSIONS)
    derive: str | None = None  # a formula (screening.ruleset.formulas) computing it when none is recorded
    kind = "number"


@_measure
class LatestRatio(Measure):
    """Most recent numeric value of an observation as a multiple of a limit of its normal range
    (`high`: ULN, `low`: LLN): the record's own reference range, else the `fallback` limit (in
    `fallback_unit`, from `fallback_source`) the value set states, else unknown."""

    codes: CodeSet
    limit: Literal["high", "low"]
    within: Duration | None = None
    fallback: float | None = None
    fallback_unit: str | None = None
    fallback_source: str | None = None
    molar_mass: float | None = None
    conversion: str | None = None
    kind = "number"

    @property
    def limit_name(self) -> str:
        return "ULN" if self.limit == "high" else "LLN"


@_measure
class LatestResult(Measure):
    """Most recent coded result (lower-cased) of an observation, dated within `within`."""

    codes: CodeSet
    within: Duration | None = None
    kind = "category"


@dataclass(frozen=True)
class Filter:
    """A test on one attribute of a record: ('diameter_mm', 'gt', 2.0), ('trend', 'in', (...))."""

    attr: str
    op: str  # gt ge lt le eq in not_in
    value: object
    unit: str | None = None  # the unit `value` is in, for a computed quantity (daily_dose: 'mg/d')


@_measure
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
    # relative timing: the window runs from `within` to `window_end` before the screening date
    # (None: to the screening date); the record's first date is at least `onset_at_least` before it
    window_end: Duration | None = None
    onset_at_least: Duration | None = None
    distinct_days: bool = False  # count distinct days with a matching record, not records
    kind = "count"


@_measure
class Pairs(Measure):
    """How many (anchor, event) pairs have the event between `lo` and `hi` after the anchor."""

    anchor: Records
    event: Records
    from_: Literal["start", "end"]
    lo: Duration
    hi: Duration
    policy: Policy = "unknown"
    kind = "count"


@_measure
class Flag(Measure):
    """An administrative yes/no fact (pregnant, lactating, informed consent, ...)."""

    name: str
    policy: Policy = "unknown"
    kind = "flag"


@_measure
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


Leaf = Compare | OneOf | IsTrue
LEAF_TYPES = (Compare, OneOf, IsTrue)


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


# --- criteria and trials ------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a criterion's text comes from: a registry record, its section and item."""

    document: str
    section: str | None = None
    item: int | str | None = None

    def __str__(self) -> str:
        return self.document + (f", {self.section}" if self.section else "") + (
            f", item {self.item}" if self.item is not None else "")


@dataclass(frozen=True)
class Position:
    """A place in a rule-set file (1-based line and column)."""

    file: str
    line: int
    column: int


@dataclass(frozen=True)
class CriterionIR:
    """One criterion: its definition (`expr`; None for review) and what it says about itself."""

    id: str
    kind: CriterionKind
    expr: Node | None  # None: review
    # "fail": unknown only because data is not recorded at all counts as not met (stated)
    policy: CriterionMissing = "unknown"
    review: str | None = None
    text: str = ""  # verbatim registry text
    source: Source | None = None
    position: Position | None = None  # of the criterion's `when` (or of the criterion for review)
    reading: str | None = None
    alternative: str | None = None  # another reading of the text, kept visible, never evaluated
    leaves: tuple[Leaf, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "leaves", leaves_of(self.expr) if self.expr is not None else ())

    @property
    def computable(self) -> bool:
        return self.expr is not None

    @functools.cached_property
    def source_text(self) -> str:
        """The source in words (written once per criterion: every result of it carries it)."""
        return str(self.source) if self.source is not None else ""


@dataclass(frozen=True)
class TrialIR:
    trial_id: str
    criteria: tuple[CriterionIR, ...]
    measures: tuple[Measure, ...] = field(default=())
    title: str = ""


def trial_ir(trial_id: str, criteria: tuple[CriterionIR, ...], title: str = "") -> TrialIR:
    """A trial's IR with its measures collected (each once, in order of first use)."""
    measures: list[Measure] = []
    for c in criteria:
        if c.expr is not None:
            for m in measures_of(c.expr):
                if m not in measures:
                    measures.append(m)
    return TrialIR(trial_id, criteria, tuple(measures), title)


def walk(node: Node) -> Iterator[Node]:
    """Yield every node of a tree, depth first."""
    yield node
    if isinstance(node, (And, Or)):
        for item in node.items:
            yield from walk(item)
    elif isinstance(node, (Not, Labelled)):
        yield from walk(node.item)


def leaves_of(node: Node) -> tuple[Leaf, ...]:
    """The predicate leaves of a tree, in order."""
    return tuple(n for n in walk(node) if isinstance(n, LEAF_TYPES))


def measures_of(node: Node) -> list[Measure]:
    out: list[Measure] = []
    for n in leaves_of(node):
        if n.measure not in out:
            out.append(n.measure)
    return out

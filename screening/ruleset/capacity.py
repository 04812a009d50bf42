"""How many alpha nodes a fact can keep pending in durable_rules' matching stack.

durable_rules 2.0.28 walks its alpha network depth first with a fixed stack of 64 entries
(`MAX_STACK_SIZE`): popping a node pushes every child condition that holds for the fact, and a
push onto a full stack refuses the fact (error 303). The network is a trie: the conditions of a
rule's `$and` form a chain in the order written (`$or` alternatives expand into one chain per
combination, nested `$and` flattens) and an identical condition under the same parent is shared.
So the bound is not on rules or on distinct conditions but on pending siblings along one path:
a node whose children can hold together `c` at a time leaves `c - 1` of them pending while the
walk goes down into the last one. Conditions on one key that no single value satisfies together
(`x == 1`, `x == 2`) never hold together and do not add up; conditions on different keys may.

`stack_peak` is an upper bound of the stack a fact can need, computed from the ruleset
definition alone; tests/runtime/test_durable_behaviour.py keeps the experiments it rests on.

Two more limits of the same release matter once rulesets grow (measured, kept as tests): a
node of that trie with more than 512 children makes `create_ruleset` spin forever holding the GIL, and a
ruleset of about 4,000 rules or more is refused (error 106). `fits` keeps a ruleset well inside
all three (`ENGINE_CHILDREN`, `ENGINE_PATHS`); the compiler splits what does not fit.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterable
from typing import Any

ENGINE_STACK = 64
"""durable_rules' `MAX_STACK_SIZE`: a fact needing more pending conditions is refused (303)."""

ENGINE_CHILDREN = 256
"""The most children a node of a ruleset's trie may have (513 hang the core's `create_ruleset`)."""
ENGINE_PATHS = 1024
"""The most rule paths (`$or` alternatives expanded) in one ruleset (about 4,000 are refused)."""

_ORDER = {"$lt", "$lte", "$gt", "$gte"}
_Atom = tuple[str, str, Any]  # (operator, key, value)


def _chains(cond: dict[str, Any]) -> list[tuple[str, ...]]:
    """The condition as durable_rules lays it out: one chain of atoms per `$or` alternative."""
    if "$and" in cond:
        parts = [_chains(c) for c in cond["$and"]]
        return [tuple(itertools.chain.from_iterable(p)) for p in itertools.product(*parts)]
    if "$or" in cond:
        return [chain for c in cond["$or"] for chain in _chains(c)]
    return [(json.dumps(cond, sort_keys=True),)]


@functools.lru_cache(maxsize=65536)
def _atom(text: str) -> _Atom:
    ((op, body),) = json.loads(text).items()
    if op.startswith("$"):
        ((key, value),) = body.items()
        return op, key, value
    return "$eq", op, body


def _holds(op: str, value: Any, x: Any) -> bool:
    if op == "$eq":
        return bool(x == value)
    if op == "$neq":
        return bool(x != value)
    if op == "$ex":
        return True
    return {"$lt": x < value, "$lte": x <= value, "$gt": x > value, "$gte": x >= value}[op]


def _most_true_on_one_key(atoms: list[tuple[str, Any]]) -> int:
    """The most of these conditions on one key that a single value of the key makes true."""
    values = [v for _, v in atoms]
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    textual = all(isinstance(v, str) for v in values)
    known = {op for op, _ in atoms} <= {"$eq", "$neq", "$ex"} | _ORDER
    if not known or not (numeric or (textual and not {op for op, _ in atoms} & _ORDER)):
        return len(atoms)  # a case not modelled: count every condition
    if numeric:
        points = sorted(set(values))
        probes = [points[0] - 1, points[-1] + 1, *points, *((a + b) / 2 for a, b in itertools.pairwise(points))]
    else:
        probes = [*values, "\x00" + max(values, key=len)]  # each value, and one that none names
    return max(sum(_holds(op, v, x) for op, v in atoms) for x in probes)


def most_true(children: Iterable[str]) -> int:
    """The most of these sibling conditions that one fact can make true together."""
    by_key: dict[str, list[tuple[str, Any]]] = {}
    for text in children:
        op, key, value = _atom(text)
        by_key.setdefault(key, []).append((op, value))
    return sum(_most_true_on_one_key(atoms) for atoms in by_key.values())


def chains_of(definition: dict[str, Any]) -> list[tuple[str, ...]]:
    """Every rule path of the definition, as the chain of conditions the core lays out for it."""
    return [chain for rule in definition.values() for term in rule["all"] for chain in _chains(term["m"])]


def _trie(chains: Iterable[tuple[str, ...]]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for chain in chains:
        node = root
        for atom in chain:
            node = node.setdefault(atom, {})
    return root


def _widest(node: dict[str, Any]) -> int:
    return max(len(node), *(_widest(child) for child in node.values())) if node else 0


def _peak(node: dict[str, Any]) -> int:
    if not node:
        return 0
    c = most_true(node)
    return max(c, *(c - 1 + _peak(child) for child in node.values()))


def stack_peak(definition: dict[str, Any]) -> int:
    """An upper bound of the engine stack any one fact needs in a ruleset of these rules."""
    return _peak(_trie(chains_of(definition)))


def fits(chains: list[tuple[str, ...]]) -> bool:
    """Whether a ruleset of these rule paths (see `chains_of`) is within every limit above."""
    if len(chains) > ENGINE_PATHS:
        return False
    trie = _trie(chains)
    return _widest(trie) <= ENGINE_CHILDREN and _peak(trie) <= ENGINE_STACK

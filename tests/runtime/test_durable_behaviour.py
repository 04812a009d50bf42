"""Behaviour of durable_rules 2.0.28 that the compiler and the adapter are designed around.

Kept as small experiments against the C core, so that an upgrade that changes any of them
fails here first (durable_rules is pinned to the exact release in pyproject.toml).
"""

from __future__ import annotations

import itertools
import json

import durable_rules_engine as core
import pytest

from screening.runtime.engine import DURABLE_RULES_VERSION

_names = itertools.count()


def _ruleset(rules: dict) -> int:
    return core.create_ruleset(f"probe{next(_names)}", json.dumps(rules))


def _fire_count(handle: int, fact: dict) -> list[str]:
    sid = str(next(_names))
    code, state = core.assert_fact(handle, json.dumps({**fact, "sid": sid}))
    fired = []
    if code == 0:
        result = core.start_action_for_state(handle, state)
        msg = result[1] if result else None
        while msg:
            fired.append(json.loads(msg).popitem()[0])
            msg = core.complete_and_start_action(handle, state)
    if code != 1:  # deleting the session of an unhandled fact corrupts the heap in this release
        core.delete_state(handle, sid)
    return fired


def test_pinned_release():
    from importlib.metadata import version

    assert version("durable-rules") == DURABLE_RULES_VERSION


def test_or_inside_and_expands_to_one_path_per_combination():
    # all of 3 x any of 2 = 8 paths: a patient satisfying everything fires the rule 8 times,
    # which is why lint L010 limits the number of paths of a criterion
    cond = {"$and": [{"t": "p"}] + [{"$or": [{"$lt": {f"k{i}{j}": 1}} for j in range(2)]} for i in range(3)]}
    h = _ruleset({"r": {"all": [{"m": cond}]}})
    fact = {"t": "p", **{f"k{i}{j}": 0 for i in range(3) for j in range(2)}}
    assert _fire_count(h, fact) == ["r"] * 8
    core.delete_ruleset(h)


def test_comparisons_on_an_absent_key_never_match():
    rules = {f"{op}": {"all": [{"m": {"$and": [{"t": "p"}, {f"${op}": {"x": 1}}]}}]}
             for op in ("lt", "lte", "gt", "gte", "neq")}
    h = _ruleset(rules)
    assert _fire_count(h, {"t": "p", "y": 1}) == []
    assert sorted(_fire_count(h, {"t": "p", "x": 1})) == ["gte", "lte"]
    core.delete_ruleset(h)


def test_a_fact_matching_no_rule_is_reported_not_raised():
    # status 1 = not handled. The adapter never lets it happen (a catch-all `$handled` rule),
    # because deleting such a session frees an invalid pointer in this release.
    h = _ruleset({"r": {"all": [{"m": {"$and": [{"t": "p"}, {"$gt": {"x": 5}}]}}]}})
    code, _ = core.assert_fact(h, json.dumps({"t": "p", "x": 1, "sid": "s1"}))
    assert code == 1
    with pytest.raises(core.error):
        core.delete_state(h, "never-created")


def test_strings_compare_with_numbers_as_text():
    # why facts only ever carry numbers for numeric measures
    h = _ruleset({"r": {"all": [{"m": {"$and": [{"t": "p"}, {"$gte": {"x": 18}}]}}]}})
    assert _fire_count(h, {"t": "p", "x": "9"}) == ["r"]
    core.delete_ruleset(h)


def _true_conditions(n: int) -> tuple[int, dict]:
    """A ruleset of n rules with n distinct conditions (x >= -i), all true for the fact returned."""
    rules = {f"r{i}": {"all": [{"m": {"$and": [{"t": "p"}, {"$gte": {"x": -i}}]}}]} for i in range(n)}
    return _ruleset(rules), {"t": "p", "x": 1}


def test_one_fact_may_make_at_most_64_distinct_conditions_true():
    # ERR_MAX_STACK_SIZE (303): the core refuses a fact for which more than 64 distinct
    # conditions hold. Identical conditions are shared (100 rules on one condition fire fine), so
    # the bound is on distinct conditions: one network for a whole catalog of distinct trials
    # (hundreds of distinct conditions, many true for any patient) is refused; one ruleset per
    # trial stays under it while a trial's rules hold at most 64 distinct conditions.
    h, fact = _true_conditions(64)
    assert len(_fire_count(h, fact)) == 64
    core.delete_ruleset(h)
    h, fact = _true_conditions(65)
    with pytest.raises(core.error, match="303"):
        core.assert_fact(h, json.dumps({**fact, "sid": "1"}))
    core.delete_ruleset(h)
    shared = _ruleset({f"r{i}": {"all": [{"m": {"$and": [{"t": "p"}, {"$gte": {"x": 0}}]}}]} for i in range(100)})
    assert len(_fire_count(shared, {"t": "p", "x": 1})) == 100
    core.delete_ruleset(shared)


def test_the_bound_is_on_conditions_that_hold_not_on_the_ruleset_size():
    rules = {f"r{i}": {"all": [{"m": {"$and": [{"t": "p"}, {"$lte": {"x": i}}]}}]} for i in range(200)}
    h = _ruleset(rules)
    assert len(_fire_count(h, {"t": "p", "x": 136})) == 64  # 136..199 hold
    with pytest.raises(core.error, match="303"):
        core.assert_fact(h, json.dumps({"t": "p", "x": 135, "sid": "2"}))
    core.delete_ruleset(h)


# How the 303 bound counts (screening/ruleset/capacity.py models it and is checked against these):
# the alpha network is a trie of each rule's `$and` chain in the order written, walked depth first
# with a 64-entry stack; every child condition that holds is pushed when its parent is popped.

_A = {"t": "p"}


def _chain(*conds: dict) -> dict:
    return {"all": [{"m": {"$and": [_A, *conds]}}]}


def _refused(rules: dict, fact: dict) -> bool:
    h = _ruleset(rules)
    try:
        _fire_count(h, fact)
        return False
    except core.error as e:
        assert "303" in str(e)
        return True
    finally:
        core.delete_ruleset(h)


def _two_branches(shared_first: bool) -> dict:
    rules = {}
    for i in range(40):
        for prefix, key in (("a", "x"), ("c", "y")):
            chain = [{"$gte": {prefix: 0}}, {"$gte": {key: -i}}]
            rules[f"{prefix}{i}"] = _chain(*(chain if shared_first else chain[::-1]))
    return rules


TWO_BRANCH_FACT = {"t": "p", "a": 1, "c": 1, "x": 1, "y": 1}


def test_a_condition_shared_as_a_prefix_holds_its_followers_one_level_down():
    # 80 distinct conditions hold, but under two shared first conditions: at most 41 are pending
    assert not _refused(_two_branches(shared_first=True), TWO_BRANCH_FACT)
    # the same conditions written the other way round put 80 siblings under the anchor
    assert _refused(_two_branches(shared_first=False), TWO_BRANCH_FACT)


def test_a_nested_and_is_one_chain():
    rules = {f"{p}{i}": {"all": [{"m": {"$and": [_A, {"$and": [{"$gte": {p: 0}}, {"$gte": {k: -i}}]}]}}]}
             for i in range(40) for p, k in (("a", "x"), ("c", "y"))}
    assert not _refused(rules, TWO_BRANCH_FACT)


def test_conditions_that_cannot_hold_together_do_not_add_up():
    # 200 distinct conditions on one key, one value: only one holds
    assert not _refused({f"r{i}": _chain({"x": i}) for i in range(200)}, {"t": "p", "x": 5})


def test_the_catch_all_rule_on_the_anchor_adds_nothing():
    rules = {f"r{i}": _chain({"$gte": {"x": -i}}) for i in range(64)}
    rules["$handled"] = {"all": [{"m": _A}]}
    assert not _refused(rules, {"t": "p", "x": 1})


def test_a_long_chain_needs_no_stack():
    rules = {"deep": _chain(*({"$gte": {f"k{i}": 0}} for i in range(100)))}
    assert not _refused(rules, {"t": "p", **{f"k{i}": 1 for i in range(100)}})


def test_a_refused_fact_leaves_its_session_behind_for_good():
    # after error 303 the session cannot be deleted (deleting it aborts the process) and stays:
    # 1,024 refused facts later the ruleset refuses every fact, which is why the compiler keeps
    # every ruleset within the stack (screening/ruleset/capacity.py) instead of relying on errors
    rules = {f"r{i}": _chain({"$gte": {"x": -i}}) for i in range(65)}
    rules["y"] = _chain({"$gte": {"y": 0}})
    h = _ruleset(rules)
    for i in range(1024):
        with pytest.raises(core.error, match="303"):
            core.assert_fact(h, json.dumps({"t": "p", "x": 1, "sid": f"bad{i}"}))
    with pytest.raises(MemoryError):
        core.assert_fact(h, json.dumps({"t": "p", "y": 1, "sid": "good"}))


# Limits of ruleset size, kept by `capacity.fits` with a margin (packs of many trials' criteria
# would otherwise reach them): a node with more than 512 children, and rulesets of about 4,000
# rules. (Equalities on one key are indexed otherwise: 2,000 of them under one node are fine.)

_WIDE = """
import json, sys, durable_rules_engine as core
n = int(sys.argv[1])
rules = {f"r{i}": {"all": [{"m": {"$and": [{"t": "p"}, {"$gte": {"k": i}}]}}]} for i in range(n)}
core.create_ruleset("wide", json.dumps(rules))
print("created")
"""


@pytest.mark.slow
def test_a_node_with_more_than_512_children_hangs_create_ruleset():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _WIDE, "512"], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "created"
    with pytest.raises(subprocess.TimeoutExpired):  # spins forever, holding the GIL
        subprocess.run([sys.executable, "-c", _WIDE, "513"], capture_output=True, timeout=5)


def _groups(groups: int, per_group: int = 400) -> dict:
    return {f"r{g}_{i}": _chain({"g": g}, {f"k{i % 200}": i}) for g in range(groups) for i in range(per_group)}


def test_a_ruleset_of_about_4000_rules_is_refused():
    h = _ruleset(_groups(10))  # 4,000 rules, no node over 400 children
    core.delete_ruleset(h)
    with pytest.raises(core.error, match="106"):
        _ruleset(_groups(12))

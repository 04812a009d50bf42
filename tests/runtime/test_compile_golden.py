"""The compiler: IR -> durable_rules JSON, checked node by node and against golden files.

Golden files (tests/golden/<TRIAL_ID>.json) hold the compiled ruleset of every trial in rules/:
its measures (structurally) and its `<criterion>.pass` / `<criterion>.fail` rules. After an
intended change to a rule set or to the compiler, regenerate them and review the diff:

    python -m tests.runtime.test_compile_golden --update
    # or
    UPDATE_GOLDEN=1 python -m pytest tests/test_compile_golden.py
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from screening.core.timewindows import Duration
from screening.ruleset import ir
from screening.ruleset.catalog import load_catalog, trial_files
from screening.ruleset.compile import ANCHOR, CompiledTrial, compile_trial
from screening.runtime.evaluate import build_fact
from screening.runtime.values import Value
from tests.paths import REPO

RULES = REPO / "rules"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_ENV = "UPDATE_GOLDEN"
GOLDEN_LIST_MAX = 40


def _plain(obj: Any) -> Any:
    """A deterministic JSON form of IR objects (frozensets sorted, durations as text)."""
    if isinstance(obj, Duration):
        return str(obj)
    if isinstance(obj, ir.CodeSet):
        return {"name": obj.name, "exact": _codes(obj.exact), "prefixes": _codes(obj.prefixes, "*"),
                "possible": _codes(obj.possible), "names": list(obj.names), "not_names": list(obj.not_names),
                "sources": list(obj.sources)}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {"type": type(obj).__name__}
        for f in dataclasses.fields(obj):
            v = getattr(obj, f.name)
            if v is not None and v != () and v is not False:
                out[f.name] = _plain(v)
        return out
    if isinstance(obj, (tuple, list)):
        return [_plain(x) for x in obj]
    if isinstance(obj, frozenset):
        return sorted(_plain(x) for x in obj)
    return obj


def _codes(pairs: Any, suffix: str = "") -> Any:
    """Codes listed when few; else their count per system and a digest (the value-set tests check
    what the large sets hold)."""
    listed = sorted(f"{s}:{c}{suffix}" for s, c in pairs)
    if len(listed) <= GOLDEN_LIST_MAX:
        return listed
    counts: dict[str, int] = {}
    for s, _ in pairs:
        counts[s] = counts.get(s, 0) + 1
    digest = hashlib.sha256("\n".join(listed).encode()).hexdigest()[:16]
    return {"count": dict(sorted(counts.items())), "sha256": digest}


def golden_document(compiled: CompiledTrial) -> dict[str, Any]:
    return {
        "trial_id": compiled.trial_id,
        "measures": {key: _plain(m) for m, key in compiled.measure_keys.items()},
        "rules": compiled.definition,
    }


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=1, sort_keys=True) + "\n"


def trial_folders() -> list[str]:
    return [p.parent.name for p in trial_files(RULES)]


def compiled_for(folder: str) -> CompiledTrial:
    cat = load_catalog(RULES, only=[folder])
    (rs,) = cat.rulesets.values()
    return rs.compiled


def update_goldens() -> list[Path]:
    GOLDEN.mkdir(exist_ok=True)
    written = []
    for folder in trial_folders():
        c = compiled_for(folder)
        path = GOLDEN / f"{c.trial_id}.json"
        path.write_text(render(golden_document(c)), encoding="utf-8")
        written.append(path)
    for stale in set(GOLDEN.glob("*.json")) - set(written):
        stale.unlink()
    return written


# --- golden files ---------------------------------------------------------------------------


@pytest.mark.parametrize("folder", trial_folders())
def test_compiled_ruleset_matches_its_golden_file(folder: str) -> None:
    compiled = compiled_for(folder)
    path = GOLDEN / f"{compiled.trial_id}.json"
    text = render(golden_document(compiled))
    if os.environ.get(UPDATE_ENV):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file for {folder}: run `python -m tests.runtime.test_compile_golden --update`"
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text), (
        f"{path.name} differs from the compiled ruleset; if intended, run `python -m tests.runtime.test_compile_golden --update`"
    )


def test_every_golden_file_has_a_trial() -> None:
    if os.environ.get(UPDATE_ENV):
        update_goldens()
    ids = {compiled_for(f).trial_id for f in trial_folders()}
    assert {p.stem for p in GOLDEN.glob("*.json")} == ids


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.json")), ids=lambda p: p.stem)
def test_every_golden_rule_is_anchored_and_paired(path: Path) -> None:
    if os.environ.get(UPDATE_ENV) and not path.exists():
        pytest.skip("stale golden file removed by the update")
    rules = json.loads(path.read_text(encoding="utf-8"))["rules"]
    assert rules
    for name, r in rules.items():
        (cond,) = r["all"]
        assert cond["m"]["$and"][0] == ANCHOR, name
        crit, suffix = name.rsplit(".", 1)
        assert suffix in ("pass", "fail")
        assert f"{crit}.{'fail' if suffix == 'pass' else 'pass'}" in rules


# --- the compiler, node by node -------------------------------------------------------------

AGE = ir.Age()
COUNT = ir.Records(record="lesion")
SEX = ir.Sex()
FLAG = ir.Flag("informed_consent")


def compile_one(node: ir.Node, *measures: ir.Measure) -> tuple[dict[str, Any], dict[str, Any]]:
    c = compile_trial(ir.TrialIR("T", (ir.CriterionIR("c", "inclusion", node),), measures), "T@x")
    d = c.definition
    assert set(d) == {"c.pass", "c.fail"}
    return tuple(d[f"c.{s}"]["all"][0]["m"]["$and"][1] for s in ("pass", "fail"))  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("op", "passing", "failing"),
    [
        ("ge", {"$gte": {"m0l": 18}}, {"$lt": {"m0h": 18}}),
        ("gt", {"$gt": {"m0l": 18}}, {"$lte": {"m0h": 18}}),
        ("le", {"$lte": {"m0h": 18}}, {"$gt": {"m0l": 18}}),
        ("lt", {"$lt": {"m0h": 18}}, {"$gte": {"m0l": 18}}),
        ("eq", {"$and": [{"m0l": 18}, {"m0h": 18}]}, {"$or": [{"$gt": {"m0l": 18}}, {"$lt": {"m0h": 18}}]}),
    ],
)
def test_comparisons_compile_to_interval_tests(op: str, passing: dict[str, Any], failing: dict[str, Any]) -> None:
    assert compile_one(ir.Compare(AGE, op, 18.0), AGE) == (passing, failing)  # type: ignore[arg-type]


def test_whole_numbers_are_sent_as_integers_and_fractions_kept() -> None:
    p, _ = compile_one(ir.Compare(AGE, "ge", 18.0), AGE)
    assert type(p["$gte"]["m0l"]) is int
    p, _ = compile_one(ir.Compare(AGE, "lt", 176.8), AGE)
    assert p == {"$lt": {"m0h": 176.8}}


def test_categories_and_flags() -> None:
    assert compile_one(ir.OneOf(SEX, ("female",)), SEX) == (
        {"m0": "female"}, {"$and": [{"$ex": {"m0": 1}}, {"$neq": {"m0": "female"}}]})
    p, f = compile_one(ir.OneOf(SEX, ("female", "other")), SEX)
    assert p == {"$or": [{"m0": "female"}, {"m0": "other"}]}
    assert f == {"$and": [{"$ex": {"m0": 1}}, {"$neq": {"m0": "female"}}, {"$neq": {"m0": "other"}}]}
    assert compile_one(ir.IsTrue(FLAG), FLAG) == ({"m0": 1}, {"m0": 0})
    assert compile_one(ir.IsTrue(FLAG, False), FLAG) == ({"m0": 0}, {"m0": 1})


def test_not_swaps_sides_and_connectives_follow_de_morgan() -> None:
    node = ir.And((ir.Compare(AGE, "ge", 18.0), ir.Not(ir.Compare(COUNT, "ge", 1.0))))
    p, f = compile_one(node, AGE, COUNT)
    assert p == {"$and": [{"$gte": {"m0l": 18}}, {"$lt": {"m1h": 1}}]}
    assert f == {"$or": [{"$lt": {"m0h": 18}}, {"$gte": {"m1l": 1}}]}
    p2, f2 = compile_one(ir.Not(node), AGE, COUNT)
    assert (p2, f2) == (f, p)
    p3, f3 = compile_one(ir.Or(node.items), AGE, COUNT)
    assert p3 == {"$or": [{"$gte": {"m0l": 18}}, {"$lt": {"m1h": 1}}]}
    assert f3 == {"$and": [{"$lt": {"m0h": 18}}, {"$gte": {"m1l": 1}}]}


def test_labels_are_transparent() -> None:
    inner = ir.Compare(AGE, "ge", 18.0)
    assert compile_one(ir.Labelled("adult", "adult", inner), AGE) == compile_one(inner, AGE)


def test_review_criteria_compile_to_no_rules() -> None:
    trial = ir.TrialIR("T", (ir.CriterionIR("r", "exclusion", None, review="judgement"),
                             ir.CriterionIR("a", "inclusion", ir.Compare(AGE, "ge", 18.0))), (AGE,))
    assert set(compile_trial(trial, "T@x").definition) == {"a.pass", "a.fail"}


def test_facts_leave_unknowns_out() -> None:
    c = compile_trial(ir.TrialIR("T", (), (AGE, COUNT, SEX, FLAG)), "T@x")
    assert [s.key for s in c.layout] == ["m0", "m1", "m2", "m3"] and [s.numeric for s in c.layout] == [True, True, False, False]
    fact = build_fact(c.layout, [Value(lo=42.0, hi=42.0), Value(lo=0.0, hi=None), Value(), Value(value=True)])
    assert fact == {"t": "p", "m0l": 42.0, "m0h": 42.0, "m1l": 0.0, "m3": 1}
    fact = build_fact(c.layout, [Value(), Value(lo=1.0, hi=3.0), Value(value="male"), Value(value=False)])
    assert fact == {"t": "p", "m1l": 1.0, "m1h": 3.0, "m2": "male", "m3": 0}
    assert all(isinstance(v, (int, float)) for k, v in fact.items() if k.startswith("m") and k[-1] in "lh")


def main(argv: list[str]) -> int:
    if "--update" not in argv:
        print(__doc__)
        return 2
    for path in update_goldens():
        print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

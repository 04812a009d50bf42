"""Explanations read a criterion with the IR's own three-valued semantics and must agree with
the engine: a disagreement is raised, never explained away."""

from __future__ import annotations

import pytest

from screening.ruleset import ir
from screening.runtime.explain import ExplanationMismatch, explain_criterion, status_of
from screening.runtime.values import Value

AGE = ir.Age()
ADULT = ir.CriterionIR("adult", "inclusion", ir.Compare(AGE, "ge", 18.0, "a"), text="Aged 18 or over",
                       source=ir.Source("registry", "Inclusion", 1), position=ir.Position("rules/T/trial.yaml", 12, 7))


@pytest.mark.parametrize(("kind", "matched", "status"), [
    ("inclusion", True, "pass"), ("inclusion", False, "fail"), ("inclusion", None, "unknown"),
    ("exclusion", True, "fail"), ("exclusion", False, "pass"), ("exclusion", None, "unknown"),
])
def test_status_of_a_truth(kind: str, matched: bool | None, status: str) -> None:
    assert status_of(kind, matched) == status


def test_an_explanation_that_agrees_with_the_engine() -> None:
    info = explain_criterion(ADULT, "pass", {AGE: Value(lo=40.0, hi=40.0)}.__getitem__)
    assert info["matched"] is True
    assert info["explanation"] == "Met: age 40 years is at least 18 years (margin 22 years)"


@pytest.mark.parametrize(("value", "engine_says", "reads"), [
    (Value(lo=40.0, hi=40.0), "fail", "pass"),
    (Value(lo=12.0, hi=12.0), "unknown", "fail"),
    (Value(missing="birth date", reason="missing"), "pass", "unknown"),
])
def test_a_disagreement_with_the_engine_is_raised(value: Value, engine_says: str, reads: str) -> None:
    with pytest.raises(ExplanationMismatch) as info:
        explain_criterion(ADULT, engine_says, {AGE: value}.__getitem__)
    assert str(info.value) == (f"adult (rules/T/trial.yaml:12): the engine says {engine_says}, "
                               f"the explanation reads {reads}")


def test_evidence_is_kept_once_in_the_order_first_seen() -> None:
    import datetime as dt

    from screening.runtime.explain import Explainer
    from screening.runtime.results import Evidence

    def ev(record: str, day: int, note: str | None = None) -> Evidence:
        return Evidence(record=record, what="Hypertension", date=dt.date(2020, 1, day), note=note)

    ex = Explainer(lambda m: None)  # type: ignore[arg-type,return-value]
    for e in [ev("conditions[0]", 1), ev("conditions[1]", 2), ev("conditions[0]", 1),  # equal, not the same
              ev("conditions[0]", 3), ev("conditions[1]", 2, "may match"), ev("conditions[1]", 2)]:
        ex.add_evidence(e)
    assert [(e.record, e.date.day, e.note) for e in ex.evidence] == [  # type: ignore[union-attr]
        ("conditions[0]", 1, None), ("conditions[1]", 2, None), ("conditions[0]", 3, None),
        ("conditions[1]", 2, "may match")]


def test_the_fixed_parts_of_each_leaf_are_rendered_once_per_catalog(monkeypatch) -> None:
    """A screener renders each leaf's fixed text (measure, comparison, limit) once, however many
    patients it explains; the explanations are those rendered from scratch for every criterion."""
    from screening.ruleset.catalog import load_catalog
    from screening.runtime import explain
    from screening.runtime.evaluate import Screener
    from tests.patient_gen import AS_OF, cohort

    rendered: list[int] = []
    real = explain.LeafText.__init__

    def counting(self, node):  # type: ignore[no-untyped-def]
        rendered.append(id(node))
        real(self, node)

    monkeypatch.setattr(explain.LeafText, "__init__", counting)
    catalog = load_catalog()
    s, plain = Screener(catalog), Screener(catalog, memo_size=0)
    try:
        patients = cohort(40, seed=3)
        for p in patients:
            s.screen(p, AS_OF)
        once = len(rendered)
        assert 0 < once == len(set(rendered))
        assert once <= sum(len(c.leaves) for rs in catalog.rulesets.values() for c in rs.ir.criteria)
        again = [s.screen(p, AS_OF).model_dump_json() for p in patients]
        assert len(rendered) == once  # nothing rendered again
        assert again == [plain.screen(p, AS_OF).model_dump_json() for p in patients]
    finally:
        s.close()
        plain.close()

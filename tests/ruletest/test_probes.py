"""Probe generation (`screening.ruletest.probes`): the records built for every query of the
bundled rule sets match that query by the engine's own facts stage; ages are counted in
completed years around 29 February; windows and `followed_by` offsets are probed at their
edges, and only as far as the calendar goes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from patients.model import PatientProfile
from screening.core.timewindows import Duration
from screening.ruleset import ir
from screening.ruleset.catalog import load_catalog
from screening.ruletest.probes.checks import checks_for
from screening.ruletest.probes.dates import completed_years, window_start
from screening.ruletest.probes.records import add, record
from screening.runtime.facts import PatientFacts
from tests.paths import RULES

AS_OF = dt.date(2026, 11, 22)
BASE = {"id": "probe-test", "birth_date": "1970-06-15", "sex": "female"}


def queries() -> list[ir.Records]:
    """Every record query of the bundled rule sets, the anchors and events of pairs too."""
    out: list[ir.Records] = []
    for rs in load_catalog(RULES).rulesets.values():
        for m in rs.ir.measures:
            for q in (m.anchor, m.event) if isinstance(m, ir.Pairs) else (m,):
                if isinstance(q, ir.Records) and q not in out:
                    out.append(q)
    return out


def facts_with(*records: Any, as_of: dt.date = AS_OF) -> PatientFacts:
    p: dict[str, Any] = dict(BASE)
    for r in records:
        add(p, r)
    return PatientFacts(PatientProfile.model_validate(p), as_of)


@pytest.mark.parametrize("q", queries(), ids=lambda q: f"{q.record}:{q.codes.name if q.codes else '-'}")
def test_a_probe_record_matches_its_query_for_the_engine(q: ir.Records) -> None:
    rec = record(q, AS_OF - dt.timedelta(days=1), point=False)
    if rec is None:
        pytest.skip("no code of the set escapes its exclusions")
    assert facts_with(rec).compute(q).lo == 1
    assert facts_with(rec, rec).compute(q).lo == (1 if q.latest_per_lesion else 2)


@pytest.mark.parametrize("q", [q for q in queries() if q.within is not None], ids=lambda q: f"{q.record} {q.within}")
def test_a_point_record_counts_from_the_first_day_of_a_window(q: ir.Records) -> None:
    assert q.within is not None
    start = window_start(AS_OF, q.within)
    assert start is not None
    counted = {}
    for day in (start - dt.timedelta(days=1), start):
        rec = record(q, day, point=True)
        if rec is None:
            pytest.skip("an active query: an ongoing record is never outside a window")
        counted[day] = facts_with(rec).compute(q).lo
    assert counted == {start - dt.timedelta(days=1): 0, start: 1}


def test_age_probes_count_completed_years_around_the_limit_and_29_february() -> None:
    leaf = ir.Compare(ir.Age(), "ge", 18.0, "a")
    (check,) = checks_for(leaf, [dt.date(2024, 2, 29)])
    assert check.name == "age >= 18"
    probes = list(check.probes)
    for p in probes:
        birth = dt.date.fromisoformat(p.edit(dict(BASE))["birth_date"])
        assert p.lo == p.hi == completed_years(birth, p.as_of)
        assert p.description == f"born {birth}, age {completed_years(birth, p.as_of)} on {p.as_of}"
        # the engine's facts stage counts the same age
        engine = PatientFacts(PatientProfile.model_validate(p.edit(dict(BASE))), p.as_of).compute(ir.Age())
        assert engine.lo == engine.hi == p.lo
    # 17, 18 and 19 on the screening date, each also one day short of the birthday
    assert sorted(p.lo for p in probes if p.as_of == dt.date(2024, 2, 29)) == [16, 17, 17, 18, 18, 19]  # type: ignore[type-var]
    # born on 29 February: 17 on 28 February of the 18th birthday's (common) year, 18 on 1 March
    leap = [p for p in probes if "-02-29," in p.description]
    assert [(p.as_of.month, p.as_of.day, p.lo) for p in leap] == [(2, 28, 17), (3, 1, 18)]


def test_latest_values_are_probed_in_every_unit_of_the_quantity() -> None:
    rs = load_catalog(RULES, ["NCT01420432"]).get("NCT01420432")
    expr = rs.criterion("creatinine_below_176").expr
    assert expr is not None
    threshold, window = checks_for(expr, [AS_OF])
    assert threshold.name == "latest creatinine (serum, plasma or blood) < 176 umol/L"
    probes = list(threshold.probes)
    assert {p.description.split()[2] for p in probes} == {"umol/L", "mmol/L", "mol/L", "g/L", "g/dL", "mg/dL", "mg/L"}
    on = [p for p in probes if "(on 176 umol/L)" in p.description]
    assert len(on) == 7 and all(p.lo == p.hi == pytest.approx(176.0, rel=1e-9) for p in on)
    assert window.name == "latest creatinine (serum, plasma or blood) within 90 days"
    edges = [(p.description.split(",")[1].strip(), p.lo) for p in window.probes]
    assert edges == [("the day before of the 90 days window before 2026-11-22", None),
                     ("the first day of the 90 days window before 2026-11-22", 175.0),
                     ("the day after the start of the 90 days window before 2026-11-22", 175.0)]


def test_followed_by_edges_stop_at_the_end_of_the_calendar() -> None:
    q = ir.Records("procedure", ir.CodeSet("transplant", frozenset({("snomed", "1")})))
    event = ir.Records("condition", ir.CodeSet("failure", frozenset({("snomed", "2")})))
    near = ir.Pairs(q, event, "start", Duration(0, "days"), Duration(100, "days"))
    far = ir.Pairs(q, event, "start", Duration(0, "days"), Duration(9000, "years"))
    (check,) = checks_for(ir.Compare(near, "ge", 1.0), [AS_OF])
    assert check.name == "followed_by after [0 days, 100 days] from the start"
    near_probes = list(check.probes)
    assert any("the latest day" in p.description for p in near_probes)
    (check,) = checks_for(ir.Compare(far, "ge", 1.0), [AS_OF])
    far_probes = list(check.probes)
    assert far_probes and not any("the latest day" in p.description for p in far_probes)
    for p in near_probes + far_probes:
        outside = "the day before the earliest" in p.description or "the day after the latest" in p.description
        assert p.lo == (0.0 if outside else 1.0)
        # an event outside a window that is still open at the screening date does not close it
        assert p.hi == (1.0 if not outside or p in far_probes else 0.0)
        # the engine's facts stage finds as many pairs
        facts = PatientFacts(PatientProfile.model_validate(p.edit(dict(BASE))), p.as_of)
        v = facts.compute(p.measure)
        assert (v.lo, v.hi) == (p.lo, p.hi)

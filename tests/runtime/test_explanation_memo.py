"""Criterion results are memoised on the data they read; reuse must never change a report."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from patients.model import PatientProfile
from screening.ruleset.catalog import load_catalog
from screening.runtime.evaluate import Screener
from tests.patient_gen import AS_OF, cohort


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def memo(catalog):
    s = Screener(catalog)
    yield s
    s.close()


@pytest.fixture(scope="module")
def plain(catalog):
    s = Screener(catalog, memo_size=0)
    yield s
    s.close()


@pytest.mark.slow
def test_reports_with_and_without_the_memo_are_identical(memo, plain):
    patients = cohort(400, seed=31)
    # twice over, on two dates: the second pass is served mostly from the memo
    for as_of in (AS_OF, AS_OF - dt.timedelta(days=400)):
        for p in patients + patients[:100]:
            assert memo.screen(p, as_of).model_dump_json() == plain.screen(p, as_of).model_dump_json(), p.id


@pytest.mark.slow
def test_one_trial_at_a_time_reuses_the_same_explanations(memo, plain):
    for p in cohort(60, seed=5):
        for trial_id in memo.catalog.rulesets:
            got = memo.screen(p, AS_OF, [trial_id]).model_dump_json()
            assert got == plain.screen(p, AS_OF, [trial_id]).model_dump_json()


def test_patients_with_nothing_recorded_share_results(catalog):
    s = Screener(catalog, memo_size=100_000)
    try:
        a = s.screen(PatientProfile.model_validate({"id": "a"}), AS_OF)
        b = s.screen(PatientProfile.model_validate({"id": "b"}), AS_OF)
        for ta, tb in zip(a.results, b.results, strict=True):
            assert all(x is y for x, y in zip(ta.criteria, tb.criteria, strict=True))
        assert 0 < len(s._explained) <= sum(len(rs.ir.criteria) for rs in catalog.rulesets.values())
    finally:
        s.close()


def test_only_patient_independent_results_are_kept(catalog):
    """Results that read a patient's own records are not kept: the memo does not grow with the
    number of patients, and a repeated patient is explained again (nothing is served from a
    cache of patients)."""
    s = Screener(catalog)
    try:
        patients = cohort(600, seed=8)
        for p in patients[:300]:
            s.screen(p, AS_OF)
        first = len(s._explained)
        for p in patients[300:]:
            s.screen(p, AS_OF)
        n_criteria = sum(len(rs.ir.criteria) for rs in catalog.rulesets.values())
        assert first <= len(s._explained) <= 4 * n_criteria
        one = s.screen(patients[0], AS_OF)
        again = s.screen(patients[0], AS_OF)
        aged = [(a, b) for ra, rb in zip(one.results, again.results, strict=True)
                for a, b in zip(ra.criteria, rb.criteria, strict=True) if a.id.startswith("age")]
        assert aged and all(a == b and a is not b for a, b in aged)
    finally:
        s.close()


def test_a_different_birth_date_is_a_different_explanation(memo):
    one = memo.screen(PatientProfile.model_validate({"id": "x", "birth_date": "1970-01-01"}), AS_OF)
    two = memo.screen(PatientProfile.model_validate({"id": "x", "birth_date": "1990-01-01"}), AS_OF)
    texts_one = [c.explanation for r in one.results for c in r.criteria]
    texts_two = [c.explanation for r in two.results for c in r.criteria]
    assert texts_one != texts_two
    assert any("age 56 years" in (e.note or "") for r in one.results for c in r.criteria for e in c.evidence)


def test_shared_results_cannot_be_modified(memo):
    report = memo.screen(PatientProfile.model_validate({"id": "a"}), AS_OF)
    with pytest.raises(ValidationError):
        report.results[0].criteria[0].explanation = "changed"  # type: ignore[misc]
    report.warnings = ["a report itself is the caller's"]  # reports are not shared


def test_changing_one_report_leaves_another_alone(memo):
    """Two patients with nothing recorded share criterion results; nothing in them can be changed
    in place, and what a caller builds from one report never shows in the other."""
    a = memo.screen(PatientProfile.model_validate({"id": "a"}), AS_OF)
    b = memo.screen(PatientProfile.model_validate({"id": "b"}), AS_OF)
    shared = [(ca, cb) for ra, rb in zip(a.results, b.results, strict=True)
              for ca, cb in zip(ra.criteria, rb.criteria, strict=True) if ca is cb]
    assert shared, "expected criterion results reused between the two reports"
    before = b.model_dump_json()
    for ca, _ in shared:
        for name in ("missing_data", "assumptions", "evidence", "thresholds"):
            with pytest.raises(AttributeError):
                getattr(ca, name).append("changed")  # tuples: no in-place change
        for t in ca.thresholds:
            with pytest.raises(ValidationError):
                t.observed = 0  # type: ignore[misc]
            if isinstance(t.value, tuple):
                with pytest.raises(AttributeError):
                    t.value.append("changed")  # type: ignore[union-attr]
        for e in ca.evidence:
            with pytest.raises(ValidationError):
                e.note = "changed"  # type: ignore[misc]
    a.results[0].data_to_collect.append("a note for patient a only")
    a.results[0].criteria.pop()
    assert b.model_dump_json() == before


def test_the_memo_is_bounded(catalog):
    s = Screener(catalog, memo_size=25)
    try:
        for p in cohort(50, seed=2):
            s.screen(p, AS_OF)
            assert len(s._explained) <= 25
    finally:
        s.close()


def _renders(monkeypatch):
    """The ids of the criteria `explain._explain` renders from now on, and a switch that stops
    counting them while `"on"` is False."""
    import screening.runtime.explain as explain
    import screening.runtime.explanation_memo as memo

    rendered: list[str] = []
    counting = {"on": True}
    real = explain._explain

    def counted(c, status, value_of, *texts):
        if counting["on"]:
            rendered.append(c.id)
        return real(c, status, value_of, *texts)

    monkeypatch.setattr(explain, "_explain", counted)  # what `criterion_result` calls
    monkeypatch.setattr(memo, "_explain", counted)  # what the memo's first rendering of an outcome calls
    return rendered, counting


def test_an_outcome_is_rendered_once_and_each_patient_keeps_its_own_evidence(catalog, monkeypatch):
    """Two patients of the same age and sex, born on different days: the age criteria are rendered
    once (the second patient's come from the outcome memo) with the same text and thresholds, and
    each result cites its own patient's birth date."""
    s = Screener(catalog)
    rendered, _counting = _renders(monkeypatch)
    try:
        one = s.screen(PatientProfile.model_validate({"id": "a", "sex": "female", "birth_date": "1970-02-01"}), AS_OF)
        first = list(rendered)
        two = s.screen(PatientProfile.model_validate({"id": "b", "sex": "female", "birth_date": "1970-05-01"}), AS_OF)
        assert any(cid.startswith("age") for cid in first)
        assert rendered == first  # nothing rendered again for the second patient
        aged = [(a, b) for ra, rb in zip(one.results, two.results, strict=True)
                for a, b in zip(ra.criteria, rb.criteria, strict=True) if a.id.startswith("age")]
        assert aged
        for a, b in aged:
            assert (a.explanation, a.thresholds, a.status) == (b.explanation, b.thresholds, b.status)
            assert [e.date for e in a.evidence] == [dt.date(1970, 2, 1)]
            assert [e.date for e in b.evidence] == [dt.date(1970, 5, 1)]
        plain = Screener(catalog, memo_size=0)
        try:
            assert two.model_dump_json() == plain.screen(
                PatientProfile.model_validate({"id": "b", "sex": "female", "birth_date": "1970-05-01"}),
                AS_OF).model_dump_json()
        finally:
            plain.close()
    finally:
        s.close()


def test_the_outcome_memo_keeps_no_record_of_a_patient(catalog):
    """A criterion whose text quotes the patient's records (a latest lab value and its date, the
    records counted) is keyed in the outcome memo only by values (ages, sexes, flags, counts,
    intervals, or shared values by their number); what its text says of the records is left as
    holes, filled for each patient, and no record a patient's result quotes is kept."""
    from screening.runtime.explanation_memo import (
        QUOTES_PER_PATIENT,
        QUOTES_RECORDS,
        reads_evidence,
        records_quoter,
    )
    from screening.runtime.values import Value

    s = Screener(catalog)
    try:
        reports = [s.screen(p, AS_OF) for p in cohort(40, seed=3)]
        assert s._explained.outcomes
        stated, quoting = 0, 0
        for (plan, _status, *parts), (fields, _numbers, template, holes) in s._explained.outcomes.items():
            quotes = False
            for leaf, part in zip(plan.criterion.leaves, parts, strict=True):
                if isinstance(part, int) or not reads_evidence(leaf.measure):
                    continue
                (_lo_type, lo, _hi_type, hi, _value_type, value, *_rest), _empty = part
                quoted = records_quoter(leaf)(Value(lo=lo, hi=hi, value=value))
                assert quoted != QUOTES_RECORDS, (plan.id, leaf)
                quotes = quotes or quoted == QUOTES_PER_PATIENT
                stated += 1
            if template is not None:
                assert quotes and holes and fields["explanation"] is None, plan.id
                quoting += 1
        assert stated and quoting
        kept = str([(fields, template) for fields, _n, template, _h in s._explained.outcomes.values()])
        quoted_records = {f"{e.what} on {e.date}" for r in reports for t in r.results for c in t.criteria
                          for e in c.evidence if e.date and "[" in e.record}
        assert quoted_records and not [q for q in quoted_records if q in kept]
    finally:
        s.close()


def _planned(catalog, criterion_id):
    from screening.runtime.plan import ScreeningPlan

    return next(c for t in ScreeningPlan(catalog).trials.values() for c in t.criteria
                if c.criterion.id == criterion_id)


def test_a_count_is_shared_only_where_its_text_quotes_no_records(catalog, monkeypatch):
    """A count of records ("at least one malignancy within 10 years") that lists the records found
    lists each patient's own; stated as a range ("1 to 2 found") it is rendered once and each patient
    keeps its own evidence; a count of none says "recorded (assumed absent)" only when nothing at
    all was recorded, so whether evidence exists keys it."""
    import screening.runtime.explain as explain
    import screening.runtime.explanation_memo as explanation_memo
    from screening.runtime.results import Evidence
    from screening.runtime.values import Value

    plan = _planned(catalog, "malignancy_10_years")
    (number,) = plan.numbers
    memo = explanation_memo.Explanations(100)
    rendered, counting = _renders(monkeypatch)
    ev = [Evidence(record=f"conditions[{i}]", what=code, date=dt.date(2020 + i, 1, 1))
          for i, code in enumerate(("icd10:C50.9", "icd10:C34.9", "icd10:C18.9", "icd10:C61"))]
    absent = "no condition records recorded: assumed absent"

    def result(status, **value):
        got = memo.result(plan, status, {number: Value(**value)})
        counting["on"] = False
        plain = explain.criterion_result(plan.criterion, status, lambda m: Value(**value))
        counting["on"] = True
        assert got.model_dump_json() == plain.model_dump_json()
        return got

    one = result("fail", lo=1, hi=1, evidence=(ev[0],))
    two = result("fail", lo=1, hi=1, evidence=(ev[1],))
    assert "icd10:C50.9 on 2020-01-01" in one.explanation and "icd10:C34.9 on 2021-01-01" in two.explanation
    assert len(rendered) == 1  # the listing is a hole in the text rendered once, filled per patient
    a = result("fail", lo=1, hi=2, evidence=(ev[0], ev[1]))
    b = result("fail", lo=1, hi=2, evidence=(ev[2], ev[3]))
    assert a.explanation == b.explanation and "1 to 2 found" in a.explanation
    assert (a.evidence, b.evidence) == ((ev[0], ev[1]), (ev[2], ev[3]))
    assert len(rendered) == 2  # the second range came from the outcome memo
    none = result("pass", lo=0, hi=0, assumption=absent)
    read = result("pass", lo=0, hi=0, assumption=absent, evidence=(ev[0],))
    assert "recorded (assumed absent)" in none.explanation and "years found" in read.explanation
    assert result("pass", lo=0, hi=0, assumption=absent).explanation == none.explanation
    assert len(rendered) == 4


def test_latest_values_and_doubtful_records_are_each_patients_own(catalog):
    """A latest value says when it was recorded and as what (its precision follows the recorded
    value), an unknown count why records may count: patients with the same values share the
    rest of the text, and each reads its own records, as explaining each afresh would."""
    import screening.runtime.explain as explain
    import screening.runtime.explanation_memo as explanation_memo
    from screening.runtime.results import Evidence
    from screening.runtime.values import Value

    memo = explanation_memo.Explanations(100)

    def same_as_afresh(plan, status, value):
        (number,) = plan.numbers
        got = memo.result(plan, status, {number: value})
        plain = explain.criterion_result(plan.criterion, status, lambda m: value)
        assert got.model_dump_json() == plain.model_dump_json()
        return got.explanation

    creatinine = _planned(catalog, "creatinine_below_176")
    said = [same_as_afresh(creatinine, "fail", Value(lo=176.8, hi=176.8, evidence=(e,))) for e in (
        Evidence(record="observations[0]", what="creatinine", value=176.8, unit="umol/L", date=dt.date(2026, 7, 1)),
        Evidence(record="observations[3]", what="creatinine", value=2, unit="mg/dL", converted_value=176.8,
                 converted_unit="umol/L", date=dt.date(2026, 8, 2)),
        Evidence(record="observations[1]", what="creatinine", value=2.0004, unit="mg/dL", converted_value=176.8,
                 converted_unit="umol/L", date=dt.date(2026, 8, 3)))]
    assert "(on 2026-07-01)" in said[0] and "recorded as 2 mg/dL on 2026-08-02" in said[1]
    assert "recorded as 2.0004 mg/dL on 2026-08-03" in said[2] and len(set(said)) == 3
    malignancy = _planned(catalog, "malignancy_10_years")
    doubts = [same_as_afresh(malignancy, "unknown", Value(lo=0, hi=1, evidence=(
        Evidence(record=f"conditions[{i}]", what="icd10:D47.1", note=f"may match: reason {i}"),))) for i in range(3)]
    assert len(set(doubts)) == 3 and all(f"reason {i}" in d for i, d in enumerate(doubts))
    assert len(memo.outcomes) == 2


def test_a_required_count_with_doubtful_records_says_each_patients_own(catalog):
    """A criterion that requires its data (`missing: fail`) and is unknown only for missing data
    says why records may count in its policy's wording: through the memo each patient reads its
    own records, as explaining each afresh would."""
    import screening.runtime.explain as explain
    import screening.runtime.explanation_memo as explanation_memo
    from screening.ruleset import ir
    from screening.runtime.results import Evidence
    from screening.runtime.values import Value

    count = ir.Records(record="condition", codes=ir.CodeSet("x", frozenset({("local", "x")})))
    criterion = ir.CriterionIR("needs_x", "inclusion", ir.Compare(count, "ge", 1.0), policy="fail")

    class Plan:
        numbers = (0,)
        number_of = {id(count): 0}

    Plan.criterion = criterion
    plan = Plan()
    memo = explanation_memo.Explanations(100)
    said = []
    for i in range(3):
        value = Value(lo=0, hi=1, reason="missing", missing="x", evidence=(
            Evidence(record=f"conditions[{i}]", what="local:x", note=f"may match: reason {i}"),))
        got = memo.result(plan, "fail", {0: value})
        assert got.model_dump_json() == explain.criterion_result(criterion, "fail", lambda m, v=value: v).model_dump_json()
        said.append(got.explanation)
    assert all(f"reason {i}" in s and "missing: fail" in s for i, s in enumerate(said))
    ((fields, _numbers, template, holes),) = memo.outcomes.values()
    assert template is not None and len(holes) == 1 and "reason 0" not in str(template) + str(fields)

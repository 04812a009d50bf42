"""facts: measure values computed from a profile at a screening date, honest about what is unknown."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from patients.io import parse_patient
from patients.model import PatientProfile
from screening.core.timewindows import Duration
from screening.ruleset import ir
from screening.runtime.explain import leaf_truth
from screening.runtime.facts import PatientFacts

D = dt.date
AS_OF = D(2024, 6, 1)  # every record date below is in the past of any real clock
CREATININE = ir.CodeSet("creatinine", frozenset({("loinc", "2160-0")}))
HIV_TEST = ir.CodeSet("HIV test", frozenset({("loinc", "56888-1")}))
AS_DX = ir.CodeSet("ankylosing spondylitis", frozenset({("snomed", "9631008")}), (("icd10", "M45"),))
HSCT = ir.CodeSet("allo HSCT", frozenset({("snomed", "234336002")}))
GRAFT_FAILURE = ir.CodeSet("graft failure", frozenset({("local", "primary-graft-failure")}))
IV_DRUG = ir.CodeSet("prostacyclin", frozenset({("atc", "B01AC11")}))


def profile(**fields: Any) -> PatientProfile:
    return parse_patient({"id": "p1", "birth_date": "1980-05-15", "sex": "female", **fields}, "test")


def facts(as_of: dt.date = AS_OF, **fields: Any) -> PatientFacts:
    return PatientFacts(profile(**fields), as_of)


def creat(date: str, value: float, unit: str | None = "mg/dL", **kw: Any) -> dict[str, Any]:
    o: dict[str, Any] = {"code": {"system": "loinc", "code": "2160-0"}, "date": date, "value": value, **kw}
    if unit is not None:
        o["unit"] = unit
    return o


def latest(within: str | None = "90 days") -> ir.Latest:
    return ir.Latest(CREATININE, "umol/L", Duration.parse(within) if within else None, 113.12)


def cond(code: str, system: str = "snomed", **kw: Any) -> dict[str, Any]:
    return {"code": {"system": system, "code": code}, **kw}


def records(kind: str, codes: ir.CodeSet | None, **kw: Any) -> ir.Records:
    return ir.Records(record=kind, codes=codes, **kw)  # type: ignore[arg-type]


# --- latest values ------------------------------------------------------------------------


def test_latest_value_is_converted_with_its_evidence() -> None:
    v = facts(observations=[creat("2024-05-01", 2.3)]).compute(latest())
    assert (v.lo, v.hi) == (203.323904, 203.323904)
    assert v.reason is None and v.missing is None
    (ev,) = v.evidence
    assert ev.record == "observations[0]"
    assert (ev.value, ev.unit, ev.converted_value, ev.converted_unit) == (2.3, "mg/dL", 203.323904, "umol/L")
    assert ev.date == D(2024, 5, 1)


def test_latest_in_the_canonical_unit_has_no_conversion() -> None:
    v = facts(observations=[creat("2024-05-01", 150, "umol/L")]).compute(latest())
    assert (v.lo, v.hi) == (150, 150)
    assert v.evidence[0].converted_value is None


@pytest.mark.parametrize(
    ("comparator", "lo", "hi"), [("<", None, 44.2008), ("<=", None, 44.2008), (">", 44.2008, None), (">=", 44.2008, None)]
)
def test_censored_values_are_half_open_intervals(comparator: str, lo: float | None, hi: float | None) -> None:
    v = facts(observations=[creat("2024-05-01", 0.5, comparator=comparator)]).compute(latest())
    assert v.lo == (pytest.approx(lo, abs=1e-3) if lo is not None else None)
    assert v.hi == (pytest.approx(hi, abs=1e-3) if hi is not None else None)
    assert v.known
    assert "censored" in (v.evidence[0].note or "")


def test_a_censored_value_decides_only_what_it_can() -> None:
    m = latest()
    v = facts(observations=[creat("2024-05-01", 0.5, comparator="<")]).compute(m)  # < 44.2 umol/L
    assert leaf_truth(ir.Compare(m, "lt", 176.0), v) is True
    assert leaf_truth(ir.Compare(m, "ge", 176.0), v) is False
    assert leaf_truth(ir.Compare(m, "lt", 20.0), v) is None
    assert leaf_truth(ir.Compare(m, "gt", 20.0), v) is None


def test_stale_value_is_unknown_with_the_reason() -> None:
    v = facts(observations=[creat("2024-02-01", 1.0)]).compute(latest())
    assert not v.known
    assert v.reason == "stale"
    assert "90 days" in (v.missing or "") and "2024-02-01" in (v.missing or "")
    assert v.evidence[0].record == "observations[0]"


def test_the_window_includes_its_first_day() -> None:
    first = Duration.parse("90 days").before(AS_OF)
    assert first == D(2024, 3, 3)
    assert facts(observations=[creat("2024-03-03", 1.0)]).compute(latest()).known
    assert facts(observations=[creat("2024-03-02", 1.0)]).compute(latest()).reason == "stale"


def test_no_window_never_goes_stale() -> None:
    v = facts(observations=[creat("2001-01-01", 1.0)]).compute(latest(None))
    assert v.lo == pytest.approx(88.4017, abs=1e-4)


@pytest.mark.parametrize("unit", ["%", None, "mm[Hg]"])
def test_unusable_unit_is_unknown(unit: str | None) -> None:
    v = facts(observations=[creat("2024-05-01", 1.0, unit)]).compute(latest())
    assert not v.known
    assert (v.reason or "").startswith("unusable unit")
    assert "umol/L" in (v.missing or "")
    assert v.evidence[0].note


def test_latest_is_the_most_recent_not_after_the_screening_date() -> None:
    obs = [creat("2024-04-01", 1.0), creat("2024-05-20", 2.0), creat("2024-05-10", 3.0), creat("2024-07-01", 9.0)]
    v = facts(observations=obs).compute(latest())
    assert v.evidence[0].record == "observations[1]"
    assert v.lo == pytest.approx(176.803, abs=1e-3)


def test_same_day_values_take_the_last_listed() -> None:
    v = facts(observations=[creat("2024-05-20", 1.0), creat("2024-05-20", 2.0)]).compute(latest())
    assert v.evidence[0].record == "observations[1]"


def test_missing_latest_names_the_data_to_collect() -> None:
    v = facts().compute(latest())
    assert not v.known and v.reason == "missing"
    assert v.missing == "creatinine within 90 days"


def test_latest_result_is_lower_cased_and_ignores_later_records() -> None:
    obs = [
        {"code": {"system": "loinc", "code": "56888-1"}, "date": "2024-05-01", "result": "Negative"},
        {"code": {"system": "loinc", "code": "56888-1"}, "date": "2024-06-02", "result": "positive"},
    ]
    v = facts(observations=obs).compute(ir.LatestResult(HIV_TEST, Duration.parse("90 days")))
    assert v.value == "negative"


# --- counts of records ---------------------------------------------------------------------


def lesion(date: str, diameter: float | None, lesion_id: str | None = None, **kw: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"date": date, **kw}
    if diameter is not None:
        d["diameter_mm"] = diameter
    if lesion_id is not None:
        d["lesion_id"] = lesion_id
    return d


BIG_ULCERS = records("lesion", None, filters=(ir.Filter("diameter_mm", "gt", 2.0),))


def test_count_interval_with_maybe_records() -> None:
    f = facts(lesions=[lesion("2024-05-01", 3.0, "a"), lesion("2024-05-01", None, "b"), lesion("2024-05-01", 1.0, "c")])
    v = f.compute(BIG_ULCERS)
    assert (v.lo, v.hi) == (1.0, 2.0)
    assert [e.record for e in v.evidence] == ["lesions[0]", "lesions[1]"]
    assert "may match" in (v.evidence[1].note or "")
    assert "may match" not in (v.evidence[0].note or "")
    assert leaf_truth(ir.Compare(BIG_ULCERS, "ge", 1.0), v) is True
    assert leaf_truth(ir.Compare(BIG_ULCERS, "ge", 2.0), v) is None
    assert leaf_truth(ir.Compare(BIG_ULCERS, "ge", 3.0), v) is False


def test_no_records_at_all_is_an_open_count() -> None:
    v = facts().compute(records("condition", AS_DX))
    assert (v.lo, v.hi) == (0.0, None)
    assert v.reason == "missing" and v.assumption is None
    assert leaf_truth(ir.Compare(records("condition", AS_DX), "ge", 1.0), v) is None


def test_assume_absent_closes_the_count_and_says_so() -> None:
    q = records("condition", AS_DX, policy="assume_absent")
    v = facts().compute(q)
    assert (v.lo, v.hi) == (0.0, 0.0)
    assert v.missing is None
    assert v.assumption and "assumed absent" in v.assumption


def test_records_of_the_domain_that_do_not_match_give_a_known_zero() -> None:
    q = records("condition", AS_DX, active=True)
    v = facts(conditions=[cond("9631008", clinical_status="resolved", onset="2010-01-01")]).compute(q)
    assert (v.lo, v.hi) == (0.0, 0.0)
    assert v.assumption is None and v.reason is None


def test_code_prefixes_match_hierarchies() -> None:
    q = records("condition", AS_DX)
    v = facts(conditions=[cond("M45.9", "icd10"), cond("M46", "icd10")]).compute(q)
    assert (v.lo, v.hi) == (1.0, 1.0)


def test_records_after_the_screening_date_are_ignored() -> None:
    later = [cond("9631008", onset="2024-07-01")]
    q = records("condition", AS_DX)
    v = facts(conditions=later).compute(q)
    assert (v.lo, v.hi) == (0.0, None) and v.reason == "missing"  # as if nothing were recorded
    absent = facts(conditions=later).compute(records("condition", AS_DX, policy="assume_absent"))
    assert (absent.lo, absent.hi) == (0.0, 0.0) and absent.assumption
    assert facts(D(2024, 7, 1), conditions=later).compute(q).lo == 1.0


def test_refuted_diagnoses_do_not_count() -> None:
    q = records("condition", AS_DX, filters=(ir.Filter("verification_status", "not_in", ("refuted", "entered-in-error")),))
    f = facts(conditions=[cond("9631008", verification_status="refuted"), cond("9631008")])
    v = f.compute(q)
    assert (v.lo, v.hi) == (1.0, 1.0)
    assert v.evidence[0].record == "conditions[1]"


def test_confirmed_by_without_criteria_is_maybe() -> None:
    q = records("condition", AS_DX, confirmed_by=("modified New York",))
    v = facts(conditions=[cond("9631008", criteria=["Modified New York "]), cond("9631008"),
                          cond("9631008", criteria=["ASAS"])]).compute(q)
    assert (v.lo, v.hi) == (1.0, 2.0)


def test_an_ongoing_course_that_ended_after_the_screening_date_was_active_then() -> None:
    q = records("medication", IV_DRUG, within=Duration.parse("4 weeks"))
    med = {"code": {"system": "atc", "code": "B01AC11"}, "start": "2023-01-01", "end": "2024-09-01"}
    v = facts(medications=[med]).compute(q)
    assert (v.lo, v.hi) == (1.0, 1.0)
    active = facts(medications=[med]).compute(records("medication", IV_DRUG, active=True))
    assert (active.lo, active.hi) == (1.0, 1.0)


def test_medication_window_overlap() -> None:
    q = records("medication", IV_DRUG, within=Duration.parse("4 weeks"))  # from 2024-05-04
    med = {"code": {"system": "atc", "code": "B01AC11"}}
    ended_before = facts(medications=[{**med, "start": "2024-01-01", "end": "2024-05-03"}]).compute(q)
    ended_inside = facts(medications=[{**med, "start": "2024-01-01", "end": "2024-05-04"}]).compute(q)
    no_dates = facts(medications=[{**med}]).compute(q)
    assert (ended_before.lo, ended_before.hi) == (0.0, 0.0)
    assert (ended_inside.lo, ended_inside.hi) == (1.0, 1.0)
    assert (no_dates.lo, no_dates.hi) == (0.0, 1.0)  # neither start nor end: possibly taken then


def test_participation_within_four_weeks() -> None:
    q = records("participation", None, within=Duration.parse("4 weeks"), policy="assume_absent")
    old = facts(administrative={"trial_participations": [{"start": "2023-01-01", "end": "2023-06-01"}]}).compute(q)
    ongoing = facts(administrative={"trial_participations": [{"start": "2024-05-20"}]}).compute(q)
    none = facts().compute(q)
    assert (old.lo, old.hi) == (0.0, 0.0) and old.assumption is None
    assert (ongoing.lo, ongoing.hi) == (1.0, 1.0)
    assert (none.lo, none.hi) == (0.0, 0.0) and none.assumption


def test_condition_abated_after_the_screening_date_was_active_then() -> None:
    q = records("condition", AS_DX, active=True)
    c = cond("9631008", onset="2010-01-01", abatement="2024-08-01", clinical_status="resolved")
    assert facts(conditions=[c]).compute(q).lo == 1.0
    assert facts(D(2024, 8, 1), conditions=[c]).compute(q).hi == 0.0


def test_latest_per_lesion_uses_each_lesion_s_last_assessment() -> None:
    assessments = [
        lesion("2024-03-01", 5.0, "a"), lesion("2024-05-01", 1.0, "a"),  # a healed down to 1 mm
        lesion("2024-04-01", 4.0, "b"),  # b is still large
        lesion("2024-07-01", 0.5, "b"),  # after the screening date: not known then
        lesion("2024-05-02", 3.0, site="left thumb"), lesion("2024-02-01", 1.5, site="left thumb"),
    ]
    f = facts(lesions=assessments)
    every = f.compute(BIG_ULCERS)
    last = f.compute(records("lesion", None, filters=BIG_ULCERS.filters, latest_per_lesion=True))
    assert (every.lo, every.hi) == (3.0, 3.0)
    assert (last.lo, last.hi) == (2.0, 2.0)
    assert sorted(e.record for e in last.evidence) == ["lesions[2]", "lesions[4]"]


# --- followed_by: the Pairs measure --------------------------------------------------------


def pairs(lo: str = "2 weeks", hi: str = "6 weeks", from_: str = "start", policy: str = "unknown",
          anchor: ir.Records | None = None) -> ir.Pairs:
    return ir.Pairs(anchor or records("procedure", HSCT), records("condition", GRAFT_FAILURE), from_,  # type: ignore[arg-type]
                    Duration.parse(lo), Duration.parse(hi), policy)  # type: ignore[arg-type]


def hsct(date: str) -> dict[str, Any]:
    return {"code": {"system": "snomed", "code": "234336002"}, "date": date}


def graft_failure(onset: str | None) -> dict[str, Any]:
    c: dict[str, Any] = {"code": {"system": "local", "code": "primary-graft-failure"}}
    if onset:
        c["onset"] = onset
    return c


@pytest.mark.parametrize(
    ("onset", "count"),
    [
        ("2024-01-14", 0.0),  # 13 days after
        ("2024-01-15", 1.0),  # 14 days: the window's first day
        ("2024-02-01", 1.0),
        ("2024-02-12", 1.0),  # 42 days: its last day
        ("2024-02-13", 0.0),  # 43 days
    ],
)
def test_pairs_inside_and_outside_the_window(onset: str, count: float) -> None:
    v = facts(procedures=[hsct("2024-01-01")], conditions=[graft_failure(onset)]).compute(pairs())
    assert (v.lo, v.hi) == (count, count)
    if count:
        assert [e.record for e in v.evidence] == ["procedures[0]", "conditions[0]"]
        assert "days after the start of procedures[0]" in (v.evidence[1].note or "")


def test_pairs_count_every_anchor_event_combination() -> None:
    f = facts(procedures=[hsct("2024-01-01"), hsct("2024-01-20")],
              conditions=[graft_failure("2024-02-05"), graft_failure("2024-03-01")])
    v = f.compute(pairs())
    assert (v.lo, v.hi) == (3.0, 3.0)  # 35 d after the 1st; 16 d and 41 d after the 2nd


def test_pairs_with_an_unknown_event_date_may_match() -> None:
    v = facts(procedures=[hsct("2024-01-01")], conditions=[graft_failure(None)]).compute(pairs())
    assert (v.lo, v.hi) == (0.0, 1.0)


def test_pairs_from_the_end_of_an_ongoing_anchor_never_match() -> None:
    anchor = records("medication", IV_DRUG)
    med = {"code": {"system": "atc", "code": "B01AC11"}, "start": "2024-01-01"}
    v = facts(medications=[med], conditions=[graft_failure("2024-02-01")]).compute(pairs(from_="end", anchor=anchor))
    assert (v.lo, v.hi) == (0.0, 0.0)
    ended = {**med, "end": "2024-01-10"}
    v = facts(medications=[ended], conditions=[graft_failure("2024-02-01")]).compute(pairs(from_="end", anchor=anchor))
    assert (v.lo, v.hi) == (1.0, 1.0)  # 22 days after the end


def test_pairs_without_an_anchor() -> None:
    v = facts(conditions=[graft_failure("2024-02-01")]).compute(pairs())
    assert (v.lo, v.hi) == (0.0, None) and "procedure" in (v.missing or "")
    v = facts(conditions=[graft_failure("2024-02-01")]).compute(pairs(policy="assume_absent"))
    assert (v.lo, v.hi) == (0.0, 0.0) and v.assumption


def test_pairs_ignore_events_after_the_screening_date() -> None:
    f = facts(D(2024, 1, 20), procedures=[hsct("2024-01-01")], conditions=[graft_failure("2024-02-01")])
    v = f.compute(pairs())
    assert v.hi is None or v.hi == 0.0
    assert v.lo == 0.0


# --- demographics and administrative facts -------------------------------------------------


@pytest.mark.parametrize(("as_of", "age"), [(D(2024, 5, 14), 43.0), (D(2024, 5, 15), 44.0), (D(2024, 5, 16), 44.0)])
def test_age_at_the_screening_date(as_of: dt.date, age: float) -> None:
    v = facts(as_of).compute(ir.Age())
    assert (v.lo, v.hi) == (age, age)
    assert v.evidence[0].record == "birth_date"


def test_age_unknown_without_birth_date_or_when_born_later() -> None:
    assert facts(birth_date=None).compute(ir.Age()).reason == "missing"
    assert facts(D(1979, 1, 1)).compute(ir.Age()).reason == "unusable"
    assert facts(D(1979, 1, 1)).compute(ir.Age()).missing == "birth date after the screening date"


def test_sex() -> None:
    assert facts().compute(ir.Sex()).value == "female"
    assert facts(sex="unknown").compute(ir.Sex()).value is None
    assert facts(sex=None).compute(ir.Sex()).missing == "sex"


def test_flags_and_assumptions() -> None:
    consent = {"informed_consent": {"signed": True, "date": "2024-05-30"}}
    assert facts(administrative=consent).compute(ir.Flag("informed_consent")).value is True
    unsigned = {"informed_consent": {"signed": False}}
    assert facts(administrative=unsigned).compute(ir.Flag("informed_consent")).value is False
    missing = facts().compute(ir.Flag("pregnant"))
    assert missing.value is None and missing.missing == "pregnancy status"
    assumed = facts().compute(ir.Flag("pregnant", "assume_absent"))
    assert assumed.value is False and assumed.assumption and "assumed" in assumed.assumption
    recorded = facts(administrative={"pregnant": True}).compute(ir.Flag("pregnant", "assume_absent"))
    assert recorded.value is True and recorded.assumption is None


def test_consent_signed_after_the_screening_date_is_not_known_then() -> None:
    consent = {"informed_consent": {"signed": True, "date": "2024-06-02"}}
    assert facts(administrative=consent).compute(ir.Flag("informed_consent")).value is None
    assert facts(D(2024, 6, 2), administrative=consent).compute(ir.Flag("informed_consent")).value is True


def test_life_expectancy_number() -> None:
    v = facts(administrative={"life_expectancy_months": 6.0}).compute(ir.Number("life_expectancy_months"))
    assert (v.lo, v.hi) == (6.0, 6.0)
    assert facts().compute(ir.Number("life_expectancy_months")).missing == "life expectancy (months)"


def test_values_are_cached_per_measure_id() -> None:
    f = facts(observations=[creat("2024-05-01", 2.3)])
    assert f.get(7, latest()) is f.get(7, latest())
    assert f.window_start(Duration.parse("90 days")) == D(2024, 3, 3)


def test_a_bare_number_is_not_read_as_a_quantity_with_a_unit() -> None:
    lvef = ir.Latest(ir.CodeSet("LVEF", frozenset({("loinc", "10230-1")})), "%", None, None)
    f = facts(observations=[{"code": {"system": "loinc", "code": "10230-1"}, "date": "2024-05-01", "value": 58}])
    v = f.compute(lvef)
    assert not v.known and v.reason == "unusable unit: no unit recorded"
    assert v.missing == "LVEF with its unit (%)"
    # a unitless score against a unitless measure is fine
    ecog = ir.Latest(ir.CodeSet("ECOG", frozenset({("loinc", "89247-1")})), "1", None, None)
    g = facts(observations=[{"code": {"system": "loinc", "code": "89247-1"}, "date": "2024-05-01", "value": 1}])
    assert (g.compute(ecog).lo, g.compute(ecog).hi) == (1, 1)

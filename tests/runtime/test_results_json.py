"""Result documents leave out what is not known, in pydantic's core (no Python call per evidence)."""

from __future__ import annotations

import datetime as dt
import json

from screening.runtime.results import Evidence


def test_evidence_leaves_out_what_is_not_known_and_documents_its_fields() -> None:
    e = Evidence(record="birth_date", what="birth date", date=dt.date(1970, 1, 2), value=0.0)
    assert json.loads(e.model_dump_json()) == {"record": "birth_date", "what": "birth date", "value": 0.0,
                                               "date": "1970-01-02"}
    assert e.model_dump() == {"record": "birth_date", "what": "birth date", "value": 0.0, "date": dt.date(1970, 1, 2)}
    # the response schema names the fields (a model-level serialiser left it a bare object)
    schema = Evidence.model_json_schema(mode="serialization")
    assert {"record", "what", "value", "unit", "converted_value", "converted_unit", "note", "date"} <= set(schema["properties"])


def test_criterion_results_built_without_validation_are_what_validation_makes() -> None:
    """The explainer builds criterion results and thresholds without validation (`trusted`);
    validating what it built gives the same document, for every criterion of a cohort (an integer
    observed count, say, must be the float validation makes of it)."""
    from screening.ruleset.catalog import load_catalog
    from screening.runtime.evaluate import Screener
    from screening.runtime.results import CriterionResult
    from tests.patient_gen import AS_OF, cohort

    screener = Screener(load_catalog(), memo_size=0)
    try:
        checked = 0
        for p in cohort(60, seed=11):
            for trial in screener.screen(p, AS_OF).results:
                for c in trial.criteria:
                    again = CriterionResult.model_validate(c.model_dump())
                    assert again.model_dump_json() == c.model_dump_json(), (p.id, c.id)
                    assert again == c and list(c.__dict__) == list(CriterionResult.model_fields)
                    for t in c.thresholds:
                        assert list(t.__dict__) == list(type(t).model_fields)
                    checked += bool(c.thresholds)
        assert checked > 100
    finally:
        screener.close()


def test_a_threshold_built_without_validation_writes_as_a_validated_one() -> None:
    from screening.runtime.explain import _threshold
    from screening.runtime.results import Threshold

    for observed in (3, 3.5, True, "x", None):
        kw = {"measure": "m", "comparison": ">=", "value": 1, "observed": observed, "status": "pass"}
        assert _threshold(**kw).model_dump_json() == Threshold(**kw).model_dump_json()  # type: ignore[arg-type]


def test_reports_built_without_validation_are_what_validation_makes() -> None:
    """Reports, trial results, evidence (of records, observations, profile fields and derived
    values) and unrecognised codes are built without validation too (`trusted`); validating each
    report gives the same document and equal models, with every field in the model's order."""
    from screening.ruleset.catalog import load_catalog
    from screening.runtime.evaluate import Screener
    from screening.runtime.results import ScreeningReport
    from tests.patient_gen import AS_OF, cohort

    screener = Screener(load_catalog())
    try:
        seen = {"evidence": 0, "unrecognised": 0}
        sources: set[str] = set()
        for p in cohort(60, seed=5):
            report = screener.screen(p, AS_OF)
            again = ScreeningReport.model_validate(report.model_dump())
            assert again.model_dump_json() == report.model_dump_json(), p.id
            assert again == report
            models = [report, *report.results, *report.unrecognised_codes,
                      *(e for r in report.results for c in r.criteria for e in c.evidence)]
            for m in models:
                assert list(m.__dict__) == list(type(m).model_fields), type(m).__name__
            seen["evidence"] += sum(len(c.evidence) for r in report.results for c in r.criteria)
            seen["unrecognised"] += len(report.unrecognised_codes)
            sources |= {e.record.split("[")[0].split(".")[0] for r in report.results for c in r.criteria
                        for e in c.evidence}
        assert seen["evidence"] > 200 and seen["unrecognised"] > 0, seen
        # every reader's evidence was among what was validated
        assert {"observations", "conditions", "medications", "administrative", "birth_date", "sex"} <= sources, sources
    finally:
        screener.close()



def test_evidence_built_without_validation_writes_as_validated_evidence() -> None:
    """A converted value is the float validation makes of it (an integer ratio writes as 2.0)."""
    from screening.runtime.results import trusted_evidence

    for converted in (2, 2.5, None):
        kw = {"value": 4, "unit": "mg/dL", "converted_value": converted, "note": "n", "date": dt.date(2020, 1, 1)}
        made = trusted_evidence("observations[0]", "x", **kw)  # type: ignore[arg-type]
        assert made.model_dump_json() == Evidence(record="observations[0]", what="x", **kw).model_dump_json()
        validated = Evidence(record="observations[0]", what="x", **kw)
        assert made == validated and [type(v) for v in made.__dict__.values()] == [
            type(v) for v in validated.__dict__.values()]

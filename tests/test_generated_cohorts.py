"""Generated cohorts, the test helper's (`tests/patient_gen.py`) and the synthetic ones
(`patients/synthetic`), are a function of their seed and screening date (spec) only: the same on
any day the tests run. Each generator module's clock is set to other days, and what it draws must
not change."""

from __future__ import annotations

import datetime as dt
import importlib
import types
from pathlib import Path

import pytest

import tests.patient_gen as patient_gen
from patients.synthetic import load_spec, write_cohort

SYNTHETIC_MODULES = ["patients.synthetic.cohort_file", "patients.synthetic.draft", "patients.synthetic.findings",
                     "patients.synthetic.spec", "patients.synthetic.systemic_sclerosis"]


def _clock(today: dt.date) -> types.SimpleNamespace:
    """A stand-in for a module's `datetime` (imported as `dt`) whose `date.today()` is `today`."""

    class Day(dt.date):
        @classmethod
        def today(cls) -> Day:
            return cls(today.year, today.month, today.day)

    return types.SimpleNamespace(date=Day, datetime=dt.datetime, timedelta=dt.timedelta)


def _helper_cohort(today: dt.date, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    with monkeypatch.context() as m:
        m.setattr(patient_gen, "dt", _clock(today))
        return [p.model_dump_json() for p in patient_gen.cohort(300, seed=3)]


def test_the_test_helpers_patients_do_not_depend_on_today(monkeypatch: pytest.MonkeyPatch) -> None:
    horizon = patient_gen.AS_OF + dt.timedelta(days=patient_gen.FUTURE_DAYS)
    # the first day the helper accepts, today, and a day after any record the helper draws
    days = [horizon, dt.date.today(), horizon + dt.timedelta(days=400)]
    cohorts = [_helper_cohort(day, monkeypatch) for day in days]
    assert cohorts[0] == cohorts[1] == cohorts[2]
    dates = [d for p in patient_gen.cohort(300, seed=3) for _, d in p.iter_dates()]
    assert max(dates) <= horizon and any(d > patient_gen.AS_OF for d in dates)  # records after the screening date
    with pytest.raises(ValueError, match=r"as_of 2026-11-22: records drawn up to 60 days after it would be in the "
                                         r"future; use an as_of at least 60 days back"):
        with monkeypatch.context() as m:
            m.setattr(patient_gen, "dt", _clock(dt.date(2026, 12, 6)))
            patient_gen.cohort(1, seed=3, as_of=dt.date(2026, 11, 22))


def test_synthetic_cohorts_do_not_depend_on_today(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = load_spec()
    outputs = []
    for k, today in enumerate((None, spec.as_of, dt.date(2031, 1, 1))):  # the real clock, the spec's date, years on
        with monkeypatch.context() as m:
            if today is not None:
                for name in SYNTHETIC_MODULES:
                    m.setattr(importlib.import_module(name), "dt", _clock(today))
            write_cohort(tmp_path / f"c{k}.jsonl", spec, 300, seed=5)
        outputs.append((tmp_path / f"c{k}.jsonl").read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]

"""Screening small rule sets written for one language feature, through the real engine, with
every status also checked against the reference interpretation (tests/oracle.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from patients.io import parse_patient
from screening.ruleset.catalog import load_catalog
from screening.runtime.evaluate import Screener
from screening.runtime.results import CriterionResult
from tests.oracle import trial_statuses

AS_OF = dt.date(2026, 11, 22)
HEAD = """schema: trial-screening/v1
trial:
  id: T1
  title: a trial
  sources: [{document: registry}]
"""


def criterion(cid: str, when: str, kind: str = "inclusion", extra: str = "") -> str:
    """One criterion of a rule set (`when` is the YAML flow mapping of its definition)."""
    return (f"  - id: {cid}\n    kind: {kind}\n    text: {cid}\n    source: {{document: registry}}\n"
            f"{extra}    when: {when}\n")


class Screen:
    """screen(patient fields) -> {criterion id: result}, checked against the oracle."""

    def __init__(self, screener: Screener):
        self.screener = screener

    def __call__(self, as_of: dt.date = AS_OF, **fields: Any) -> dict[str, CriterionResult]:
        profile = parse_patient({"id": "p", "birth_date": "1960-01-01", "sex": "male", **fields}, "test")
        report = self.screener.screen(profile, as_of)
        (result,) = report.results
        by_id = {c.id: c for c in result.criteria}
        oracle = trial_statuses(self.screener.catalog.get(result.trial_id).ir, profile, as_of)
        assert {k: c.status for k, c in by_id.items()} == oracle
        return by_id


@pytest.fixture
def screen_rules(write_trial: Callable[..., Path], rules_root: Path) -> Iterator[Callable[[str], Screen]]:
    """screen_rules(criteria yaml, value_sets yaml="") -> a `Screen` over that one rule set."""
    made: list[Screener] = []

    def make(criteria: str, value_sets: str = "") -> Screen:
        write_trial(HEAD + value_sets + "criteria:\n" + criteria)
        s = Screener(load_catalog(rules_root))
        made.append(s)
        return Screen(s)

    yield make
    for s in made:
        s.close()

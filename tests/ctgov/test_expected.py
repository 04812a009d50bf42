"""The drafts of the fixture records against the hand-read tables of `tests/ctgov/expected/`:
precision, recall, no confident wrong rule (see `tests/ctgov/quality.py`). Drafting time is
measured by `bench/ctgov_bench.py`, not asserted here: a wall-clock limit fails on a busy machine."""

from __future__ import annotations

import pytest

from tests.ctgov.quality import CONFIDENT, Quality, measure

LIBRARY_PRECISION, LIBRARY_RECALL = 0.97, 0.75
OVERALL_PRECISION = 0.95


@pytest.fixture(scope="module")
def quality() -> Quality:
    return measure()


def test_every_item_of_every_record_has_a_row(quality: Quality) -> None:
    assert quality.problems == []
    assert quality.items == 5139


def test_precision_and_recall_on_variables_the_library_knows(quality: Quality) -> None:
    right, drafted = quality.precision(known_only=True)
    found, expected = quality.recall(known_only=True)
    assert right / drafted >= LIBRARY_PRECISION, quality.lines()
    assert found / expected >= LIBRARY_RECALL, quality.lines()
    right, drafted = quality.precision(known_only=False)
    assert right / drafted >= OVERALL_PRECISION, quality.lines()


def test_no_wrong_rule_is_drafted_confidently(quality: Quality) -> None:
    assert [(d.nct, d.criterion, d.when) for d in quality.confident_wrong()] == [], f"confidence >= {CONFIDENT}"


"""The four real ClinicalTrials.gov records the drafting tests read (see tests/fixtures/ctgov/SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import FIXTURES, REPO


def _records_dir() -> Path | None:
    for d in (FIXTURES / "ctgov", REPO.parent / "shared" / "data" / "ctgov"):
        if (d / "NCT00184067.json").is_file():
            return d
    return None


RECORDS = _records_dir()
needs_records = pytest.mark.skipif(
    RECORDS is None, reason="ClinicalTrials.gov records not found in tests/fixtures/ctgov or ../shared/data/ctgov")

"""The README's quick tour gives the numbers its prose and table state: the batch of the generated
10,000-patient cohort is run as written there, and its verdict counts per trial are compared with
the README's table (and the later-date claim with the batch at that date)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.paths import REPO

pytestmark = pytest.mark.slow

README = (REPO / "README.md").read_text(encoding="utf-8")
_ROW = re.compile(r"^\| (\S+) \| ([\d,]+) \| ([\d,]+) \| ([\d,]+) \|$", re.M)


def _readme_table() -> dict[str, tuple[int, int, int]]:
    start = README.index("| trial | eligible | ineligible | undetermined |")
    table = README[start:README.index("\n\n", start)]
    return {m[1]: (int(m[2].replace(",", "")), int(m[3].replace(",", "")), int(m[4].replace(",", "")))
            for m in _ROW.finditer(table)}


def _screening(*args: str, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "screening.cli.main", *args], cwd=cwd, check=True,
                   capture_output=True, text=True, timeout=600)


def _verdicts(out: Path) -> dict[str, tuple[int, int, int]]:
    counts: dict[str, Counter[str]] = {}
    with (out / "results.jsonl").open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            counts.setdefault(r["trial_id"], Counter())[r["verdict"]] += 1
    return {t: (c["eligible"], c["ineligible"], c["undetermined"]) for t, c in counts.items()}


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    here = tmp_path_factory.mktemp("quick-tour")
    command = re.search(r"^screening (cohort generate [^&\n]+?) && screening batch cohort\.jsonl -o out/$",
                        README, re.M)
    assert command is not None, "the quick tour's cohort and batch line"
    _screening(*command[1].split(), cwd=here)
    return here


def test_the_quick_tour_batch_gives_the_readme_table(cohort: Path) -> None:
    table = _readme_table()
    assert len(table) == 5
    _screening("batch", "cohort.jsonl", "-o", "out/", "--no-progress", cwd=cohort)
    assert _verdicts(cohort / "out") == table


def _passing(out: Path, trial: str, criterion: str) -> int:
    with (out / "results.jsonl").open(encoding="utf-8") as f:
        return sum(1 for line in f if (r := json.loads(line))["trial_id"] == trial
                   and r["statuses"][criterion] == "pass")


def test_screened_later_stale_ulcer_assessments_are_unknown_not_failed(cohort: Path) -> None:
    claim = re.search(r"Screened (\d+) days later instead \(`(--as-of \S+ --force-as-of)`\), none of the\s+"
                      r"([\d,]+) patients whose active digital ulcer passes (\S+)'s criterion on (\S+)\s+still passes it"
                      r".*?barely move \(([\d,]+) ineligible, ([\d,]+) undetermined\)", README, re.S)
    assert claim is not None, "the quick tour's later-date claim"
    trial, criterion = claim[4], "active_digital_ulcer"
    _screening("batch", "cohort.jsonl", "-o", "on-the-day/", "--no-progress", cwd=cohort)
    _screening("batch", "cohort.jsonl", "-o", "later/", "--no-progress", *claim[2].split(), cwd=cohort)
    assert _passing(cohort / "on-the-day", trial, criterion) == int(claim[3].replace(",", ""))
    assert _passing(cohort / "later", trial, criterion) == 0
    assert _verdicts(cohort / "later")[trial] == (0, int(claim[6].replace(",", "")), int(claim[7].replace(",", "")))

"""A cohort rewritten (or removed) while its batch runs is detected before the outputs are assembled:
nothing is assembled from chunks that may mix two versions of it, and the way on is said."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from patients.fhir import profile_to_fhir
from patients.model import PatientProfile
from screening.batch import BatchError, run_batch
from screening.batch.manifest import MANIFEST
from screening.batch.outdir import LOCK
from tests.batch.conftest import AS_OF, PATIENTS

pytestmark = pytest.mark.slow  # worker processes

DAY = dt.date.fromisoformat(AS_OF)
CHANGED = (r"the cohort was changed \(its SHA-256 is no longer the one it was planned with\) while the batch ran, "
           r"so its chunks may mix two versions of it: the outputs were not assembled. Run the batch again with "
           r"--restart to screen the cohort as it is now$")


def _not_assembled(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "parts"]  # no results, no summary, no lock
    assert json.loads((out / MANIFEST).read_text())["complete"] is False


def test_a_cohort_rewritten_during_the_run_is_not_assembled(batch_rules: Path, small_cohort: Path,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "out"
    calls: list[int] = []

    def rewrite_after_the_first_chunk(_: int) -> None:
        calls.append(1)
        if len(calls) == 1:  # later chunks are read from the new version
            text = small_cohort.read_text(encoding="utf-8", errors="surrogateescape")
            small_cohort.write_text(text.replace('"P1"', '"P1-amended"'), encoding="utf-8", errors="surrogateescape")

    with pytest.raises(BatchError, match=rf"^{small_cohort}: {CHANGED}"):
        run_batch(small_cohort, out, as_of=DAY, rules_dir=batch_rules, chunk_size=3,
                  on_chunk=rewrite_after_the_first_chunk)
    assert len(calls) == 4  # every chunk was screened: the check comes before assembling
    _not_assembled(out)
    with pytest.raises(BatchError, match=r"differs in: cohort_bytes, cohort_sha256\); use another output folder or --restart"):
        run_batch(small_cohort, out, as_of=DAY, rules_dir=batch_rules, chunk_size=3)
    res = run_batch(small_cohort, out, as_of=DAY, rules_dir=batch_rules, chunk_size=3, restart=True)
    assert res.summary["cohort"]["sha256"] == json.loads((out / MANIFEST).read_text())["cohort_sha256"]
    assert "P1-amended" in (out / "results.jsonl").read_text(encoding="utf-8")


def test_a_bundle_rewritten_or_a_cohort_removed_is_detected(batch_rules: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bundles"
    folder.mkdir()
    for k, p in enumerate(PATIENTS):
        bundle = profile_to_fhir(PatientProfile.model_validate(p))
        (folder / f"p{k}.json").write_text(json.dumps(bundle), encoding="utf-8")

    def amend_a_bundle(_: int) -> None:
        first = folder / "p0.json"
        first.write_text(first.read_text(encoding="utf-8").replace('"final"', '"amended"', 1), encoding="utf-8")

    with pytest.raises(BatchError, match=rf"^{folder}: {CHANGED}"):
        run_batch(folder, tmp_path / "out", as_of=DAY, rules_dir=batch_rules, chunk_size=2, on_chunk=amend_a_bundle)
    _not_assembled(tmp_path / "out")

    done: list[int] = []

    def remove_after_the_last_chunk(_: int) -> None:
        done.append(1)
        if len(done) == 3:
            shutil.rmtree(folder)

    with pytest.raises(BatchError, match=rf"^{folder}: the cohort was removed while the batch ran"):
        run_batch(folder, tmp_path / "out2", as_of=DAY, rules_dir=batch_rules, chunk_size=2,
                  on_chunk=remove_after_the_last_chunk)
    _not_assembled(tmp_path / "out2")
    assert not (tmp_path / "out2" / LOCK).exists()

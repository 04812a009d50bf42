"""Batch screening from a FHIR Bulk Data export (one NDJSON file per resource type): the results
equal those of the JSON Lines cohort it was exported from; broken lines are reported; an
interrupted run resumes (reusing its staging table) to the same outputs."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from patients.synthetic import load_spec, write_cohort
from screening.batch import run_batch
from screening.batch.bulk import STAGING
from tests.batch.conftest import AS_OF, Stop, run_cli
from tests.batch.conftest import summary_of as _summary

pytestmark = pytest.mark.slow  # CLI subprocesses and worker processes
N, SEED = 120, 5
DAY = dt.date.fromisoformat(AS_OF)


@pytest.fixture(scope="module")
def cohorts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bulk-cohort")
    jsonl, bulk = root / "cohort.jsonl", root / "bulk"
    write_cohort(jsonl, load_spec(), N, seed=SEED)
    run_cli("cohort", "generate", "-n", str(N), "--seed", str(SEED), "--format", "fhir-bulk", "-o", str(bulk))
    return {"jsonl": jsonl, "bulk": bulk}


def test_cli_writes_one_file_per_resource_type(cohorts: dict[str, Path]) -> None:
    names = sorted(p.name for p in cohorts["bulk"].iterdir())
    assert {"Patient.ndjson", "Condition.ndjson", "Observation.ndjson"} <= set(names)
    assert all(n.endswith(".ndjson") for n in names)
    patients = (cohorts["bulk"] / "Patient.ndjson").read_text(encoding="utf-8").splitlines()
    assert len(patients) == N
    for name in names:
        for line in (cohorts["bulk"] / name).read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            assert r["resourceType"] == name.removesuffix(".ndjson") and r["id"]
            assert "urn:uuid:" not in line  # references are Type/id


def test_bulk_batch_equals_jsonl_batch(cohorts: dict[str, Path], tmp_path: Path) -> None:
    a, b = tmp_path / "jsonl", tmp_path / "bulk"
    run_batch(cohorts["jsonl"], a, as_of=DAY, chunk_size=25)
    res = run_batch(cohorts["bulk"], b, as_of=DAY, chunk_size=25, workers=2)
    assert (b / "results.jsonl").read_bytes() == (a / "results.jsonl").read_bytes()
    assert _summary(b)["trials"] == _summary(a)["trials"]
    assert res.summary["cohort"]["patients"] == N and res.summary["cohort"]["malformed"] == 0
    assert not (b / "parts").exists()  # the staging table went with the parts


def _broken(cohorts: dict[str, Path], tmp_path: Path) -> tuple[Path, list[str]]:
    folder = tmp_path / "broken"
    shutil.copytree(cohorts["bulk"], folder)
    patients = (folder / "Patient.ndjson").read_text(encoding="utf-8").splitlines()
    patients[3] = '{"resourceType": "Patient", "id": '  # line 4: not JSON
    (folder / "Patient.ndjson").write_text("\n".join(patients) + "\n", encoding="utf-8")
    with (folder / "Observation.ndjson").open("a", encoding="utf-8") as f:
        f.write("not json\n")
        f.write(json.dumps({"resourceType": "Observation", "id": "o", "status": "final",
                            "code": {"text": "x"}, "subject": {"reference": "Patient/nobody"}}) + "\n")
    return folder, patients


def test_broken_lines_are_reported(cohorts: dict[str, Path], tmp_path: Path) -> None:
    folder, _ = _broken(cohorts, tmp_path)
    warnings: list[str] = []
    res = run_batch(folder, tmp_path / "out", as_of=DAY, chunk_size=25, on_warning=warnings.append)
    errors = [json.loads(x) for x in (tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["line"] for e in errors] == [4] and "invalid JSON" in errors[0]["error"]
    assert res.summary["cohort"]["patients"] == N - 1
    assert any(w.startswith("Observation.ndjson: 1 line(s) neither a resource naming its patient") for w in warnings)
    # the broken Patient line's own records and the one naming nobody are left over
    lost = json.loads((cohorts["bulk"] / "Patient.ndjson").read_text(encoding="utf-8").splitlines()[3])["id"]
    own = sum(f'"reference":"Patient/{lost}"' in line for p in cohorts["bulk"].glob("*.ndjson")
              for line in p.read_text(encoding="utf-8").splitlines())
    assert own >= 1
    assert f"{own + 1} resource(s) name a patient that Patient.ndjson does not hold: not screened" in warnings


def test_interrupted_bulk_batch_resumes_to_the_same_outputs(cohorts: dict[str, Path], tmp_path: Path) -> None:
    whole = tmp_path / "whole"
    run_batch(cohorts["bulk"], whole, as_of=DAY, chunk_size=10)
    out = tmp_path / "out"

    def stop(lines: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        run_batch(cohorts["bulk"], out, as_of=DAY, chunk_size=10, on_chunk=stop)
    staged = out / "parts" / STAGING
    assert staged.is_file() and not (out / "summary.json").exists()
    resumed = run_batch(cohorts["bulk"], out, as_of=DAY, chunk_size=10)
    assert resumed.resumed and resumed.chunks_skipped >= 1
    for name in ("results.jsonl", "errors.jsonl"):
        assert (out / name).read_bytes() == (whole / name).read_bytes()
    assert _summary(out)["trials"] == _summary(whole)["trials"]

"""Batch screening from FHIR: a folder of Bundles and NDJSON of Bundles give the same results as
the JSON Lines cohort they were exported from; malformed bundles are reported and skipped; import
warnings are counted; an interrupted FHIR batch resumes to the same outputs."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from html import escape
from pathlib import Path
from typing import Any

import pytest

from patients.fhir import profile_to_fhir, write_fhir_cohort
from patients.model import PatientProfile
from patients.synthetic import generate, load_spec, write_cohort
from screening.batch import BatchError, run_batch
from screening.batch.executors import LocalExecutor
from screening.batch.report import write_report
from tests.batch.conftest import AS_OF, run_cli

pytestmark = pytest.mark.slow  # CLI subprocesses and worker processes

DAY = dt.date.fromisoformat(AS_OF)
N = 90
SEED = 11


class Stop(Exception):
    pass


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("results.jsonl", "errors.jsonl")}


def _summary(out: Path) -> dict[str, Any]:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cohorts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same synthetic cohort as JSON Lines, as a folder of Bundles and as NDJSON of Bundles;
    the folder and NDJSON are written by the CLI."""
    root = tmp_path_factory.mktemp("fhir-cohort")
    jsonl = root / "cohort.jsonl"
    write_cohort(jsonl, load_spec(), N, seed=SEED)
    folder, ndjson = root / "bundles", root / "cohort.ndjson"
    run_cli("cohort", "generate", "-n", str(N), "--seed", str(SEED), "--format", "fhir", "-o", str(folder))
    run_cli("cohort", "generate", "-n", str(N), "--seed", str(SEED), "--format", "fhir", "-o", str(ndjson))
    return {"jsonl": jsonl, "folder": folder, "ndjson": ndjson}


@pytest.fixture(scope="module")
def jsonl_run(cohorts: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("jsonl-run") / "out"
    run_batch(cohorts["jsonl"], out, as_of=DAY, chunk_size=25)
    return out


def test_cli_writes_one_bundle_per_patient(cohorts: dict[str, Path]) -> None:
    docs = list(generate(load_spec(), N, seed=SEED))
    files = sorted(cohorts["folder"].glob("*.json"))
    lines = cohorts["ndjson"].read_text(encoding="utf-8").splitlines()
    assert len(files) == len(lines) == N
    for k in (0, N // 2, N - 1):
        expected = profile_to_fhir(PatientProfile.model_validate(docs[k]))
        assert json.loads(files[k].read_text(encoding="utf-8")) == expected
        assert json.loads(lines[k]) == expected
        assert files[k].name.startswith(f"{k + 1:07d}-") and docs[k]["id"] in files[k].name


@pytest.mark.parametrize("kind", ["folder", "ndjson"])
def test_fhir_batch_equals_jsonl_batch(kind: str, cohorts: dict[str, Path], jsonl_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_batch(cohorts[kind], out, as_of=DAY, chunk_size=25 if kind == "ndjson" else 13,
                       workers=2 if kind == "folder" else 1)
    assert _outputs(out) == _outputs(jsonl_run)
    assert (out / "errors.jsonl").read_bytes() == b""
    s, ref = _summary(out), _summary(jsonl_run)
    assert s["trials"] == ref["trials"]
    assert s["cohort"]["patients"] == ref["cohort"]["patients"] == N
    assert s["cohort"]["import_warnings"] == 0 and s["cohort"]["patients_with_import_warnings"] == 0
    assert result.chunks_total == (7 if kind == "folder" else 4)


def _bad_folder(cohorts: dict[str, Path], tmp_path: Path) -> Path:
    folder = tmp_path / "bundles"
    shutil.copytree(cohorts["folder"], folder)
    names = sorted(p.name for p in folder.glob("*.json"))
    # replace three patients by malformed bundles and add one with an import warning
    (folder / names[2]).write_text('{"resourceType": "Bundle", "type": "collection", "entry": [', encoding="utf-8")
    (folder / names[5]).write_text(json.dumps({"resourceType": "Bundle", "type": "message", "entry": []}),
                                   encoding="utf-8")
    (folder / names[9]).write_bytes(b"\xff\xfe{}")
    warned = json.loads((folder / names[11]).read_text(encoding="utf-8"))
    warned["entry"].append({"fullUrl": "urn:uuid:0b5a4a1e-0000-4000-8000-000000000001", "resource": {
        "resourceType": "Observation", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]},
        "subject": {"reference": warned["entry"][0]["fullUrl"]}, "effectiveDateTime": "2026-10-01",
        "valueQuantity": {"value": 12, "unit": "g/dL", "system": "http://snomed.info/sct", "code": "258795003"}}})
    (folder / names[11]).write_text(json.dumps(warned), encoding="utf-8")
    (folder / "notes.txt").write_text("not a bundle file", encoding="utf-8")  # not *.json: not read
    return folder


def test_malformed_bundles_are_reported_and_skipped(cohorts: dict[str, Path], tmp_path: Path) -> None:
    folder = _bad_folder(cohorts, tmp_path)
    names = sorted(p.name for p in folder.glob("*.json"))
    out = tmp_path / "out"
    run_batch(folder, out, as_of=DAY, chunk_size=4)
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["line"], e["file"]) for e in errors] == [(3, names[2]), (6, names[5]), (10, names[9])]
    assert errors[0]["error"].startswith(f"{names[2]}: invalid JSON at line 1 column")
    assert errors[1]["error"].startswith(f"{names[5]}: Bundle.type: 'message' is not supported")
    assert errors[2]["error"] == f"{names[9]}: not UTF-8: invalid start byte"
    s = _summary(out)
    assert s["cohort"]["lines"] == N and s["cohort"]["patients"] == N - 3 and s["cohort"]["malformed"] == 3
    assert s["cohort"]["import_warnings"] == 1 and s["cohort"]["patients_with_import_warnings"] == 1
    kept = [json.loads(x) for x in (out / "import_warnings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(w["line"], w["file"], len(w["warnings"])) for w in kept] == [(12, names[11], 1)]
    assert "Observation" in kept[0]["warnings"][0] and kept[0]["patient_id"]
    html = write_report(out, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "1 FHIR import warning(s) in 1 patient(s)" in html and "import_warnings.jsonl" in html
    assert escape(kept[0]["warnings"][0]) in html and names[11] in html
    rows = [json.loads(x) for x in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["line"] for r in rows} == set(range(1, N + 1)) - {3, 6, 10}


def test_malformed_ndjson_lines_are_reported_with_line_numbers(cohorts: dict[str, Path], tmp_path: Path) -> None:
    lines = cohorts["ndjson"].read_bytes().splitlines()
    lines[1] = b'{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Nope"}}]}'
    lines[4] = b'{"resourceType": "Patient", "id": "p"}'
    lines.insert(7, b"")
    path = tmp_path / "bad.ndjson"
    path.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out"
    run_batch(path, out, as_of=DAY, chunk_size=10)
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["line"] for e in errors] == [2, 5]
    assert "line 2: entry[0].resource.resourceType: 'Nope' is not a FHIR R4 resource type" in errors[0]["error"]
    assert errors[1]["error"].startswith("line 5: resourceType: 'Patient'; expected a Bundle")
    s = _summary(out)
    assert s["cohort"]["patients"] == N - 2 and s["cohort"]["blank_lines"] == 1


def test_interrupted_fhir_batch_resumes_to_the_same_outputs(cohorts: dict[str, Path], tmp_path: Path) -> None:
    folder = _bad_folder(cohorts, tmp_path)
    whole = tmp_path / "whole"
    run_batch(folder, whole, as_of=DAY, chunk_size=10)
    out = tmp_path / "out"
    seen: list[int] = []

    def stop(lines: int) -> None:
        seen.append(lines)
        raise Stop

    # the driver stops at its first finished chunk (the pool then finishes only the chunks it was
    # given ahead): interrupted mid-run by construction, not by timing
    with pytest.raises(Stop):
        run_batch(folder, out, as_of=DAY, chunk_size=10, on_chunk=stop)
    assert seen == [10] and not (out / "summary.json").exists()
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["complete"] is False
    done = len(list((out / "parts").glob("*.stats.json")))
    assert 1 <= done <= LocalExecutor(1).ahead_per_worker < 9
    resumed = run_batch(folder, out, as_of=DAY, chunk_size=10)
    assert resumed.resumed and resumed.chunks_skipped == done and resumed.chunks_total == 9
    assert _outputs(out) == _outputs(whole)
    assert _summary(out) == _summary(whole)
    again = run_batch(folder, out, as_of=DAY, chunk_size=10)
    assert again.already_complete
    # a changed bundle is another input: the finished batch is not reused
    first = sorted(folder.glob("*.json"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace('"final"', '"amended"', 1), encoding="utf-8")
    with pytest.raises(BatchError, match="cohort_sha256"):
        run_batch(folder, out, as_of=DAY, chunk_size=10)


def test_empty_folder_and_cli_summary(cohorts: dict[str, Path], tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(BatchError, match=r"no FHIR Bundle files \(\*\.json\)"):
        run_batch(empty, tmp_path / "out0", as_of=DAY)
    folder = _bad_folder(cohorts, tmp_path)
    proc = run_cli("batch", str(folder), "--as-of", AS_OF, "--chunk-size", "30", "--no-progress", "-o", str(tmp_path / "out"))
    text = " ".join(proc.stdout.split())  # the console wraps long lines
    assert f"{N - 3} patients from {N} lines; 3 malformed line(s) skipped" in text
    assert "1 FHIR import warning(s) in 1 patient(s)" in text
    assert write_fhir_cohort(tmp_path / "x.ndjson", iter([])) == 0
    bad = run_cli("cohort", "generate", "-n", "2", "--format", "fhir", "-o", str(tmp_path / "c.jsonl"), check=False)
    assert bad.returncode == 2 and "FHIR output is a folder or a .ndjson file" in bad.stderr
    assert not (tmp_path / "c.jsonl").exists()

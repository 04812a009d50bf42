"""The output folder's manifest: a new, an unfinished and a complete run of a batch; another batch
refused unless restarted; the manifest's keys in a fixed order."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from screening.batch.config import BatchError
from screening.batch.manifest import MANIFEST, BatchIdentity, PriorRun, open_outdir, record_complete
from screening.batch.parts import PARTS

IDENTITY = BatchIdentity(cohort="/data/cohort.jsonl", cohort_sha256="ab" * 32, cohort_bytes=1234, input_format="jsonl",
                         as_of="2026-11-01", date_policy="own date, else --as-of", chunk_size=100, chunks=3, trials=["T1", "T2"],
                         ruleset_hashes={"T1": "h1", "T2": "h2"}, engine_version="1.2.3")


def _manifest(outdir: Path) -> dict:
    return json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))


def test_new_unfinished_and_complete_runs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert open_outdir(out, IDENTITY, restart=False) is PriorRun.NONE
    assert (out / PARTS).is_dir()
    manifest = _manifest(out)
    assert list(manifest) == ["format", "cohort", "cohort_sha256", "cohort_bytes", "input_format", "as_of",
                              "date_policy", "chunk_size", "chunks", "trials", "ruleset_hashes", "engine_version",
                              "complete"]
    assert manifest["format"] == 3 and manifest["complete"] is False
    assert {k: manifest[k] for k in ("trials", "ruleset_hashes")} == {"trials": ["T1", "T2"],
                                                                       "ruleset_hashes": {"T1": "h1", "T2": "h2"}}

    (out / PARTS / "chunk-0000000.stats.json").write_text("{}", encoding="utf-8")
    (out / PARTS / "chunk-0000001.jsonl.tmp-999").write_text("half", encoding="utf-8")
    assert open_outdir(out, IDENTITY, restart=False) is PriorRun.PARTIAL
    assert [p.name for p in (out / PARTS).iterdir()] == ["chunk-0000000.stats.json"]  # stale temp file removed

    record_complete(out, IDENTITY)
    assert _manifest(out) == {**manifest, "complete": True}
    assert open_outdir(out, IDENTITY, restart=False) is PriorRun.COMPLETE
    assert _manifest(out)["complete"] is True  # a complete batch is left as it is


def test_another_batch_is_refused_unless_restarted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    open_outdir(out, IDENTITY, restart=False)
    (out / PARTS / "chunk-0000000.stats.json").write_text("{}", encoding="utf-8")
    other = dataclasses.replace(IDENTITY, as_of="2026-10-01", chunks=4)
    with pytest.raises(BatchError, match=r"holds a batch run with other inputs or options "
                                         r"\(differs in: as_of, chunks\); use another output folder or --restart"):
        open_outdir(out, other, restart=False)
    assert _manifest(out)["as_of"] == "2026-11-01"  # untouched
    assert open_outdir(out, other, restart=True) is PriorRun.NONE
    assert list((out / PARTS).iterdir()) == []  # the other batch's parts are gone
    assert _manifest(out)["as_of"] == "2026-10-01"
    record_complete(out, other)
    assert open_outdir(out, other, restart=True) is PriorRun.NONE  # --restart redoes a complete batch too
    assert _manifest(out)["complete"] is False
    forced = dataclasses.replace(other, date_policy="--as-of for every patient")
    with pytest.raises(BatchError, match=r"\(differs in: date_policy\)"):
        open_outdir(out, forced, restart=False)


def test_unreadable_manifest_is_another_batch(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(BatchError, match=r"differs in: as_of, chunk_size, chunks, cohort, cohort_bytes"):
        open_outdir(out, IDENTITY, restart=False)


def test_an_unfinished_run_of_an_older_format_is_not_resumed(tmp_path: Path) -> None:
    """Its parts lack what this version's parts hold (eligibility dates, import warnings): not mixed."""
    out = tmp_path / "out"
    open_outdir(out, IDENTITY, restart=False)
    older = {**_manifest(out), "format": 2}
    (out / MANIFEST).write_text(json.dumps(older), encoding="utf-8")
    with pytest.raises(BatchError, match=r"differs in: format"):
        open_outdir(out, IDENTITY, restart=False)

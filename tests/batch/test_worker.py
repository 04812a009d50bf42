"""The worker side, in this process with a real engine: parsing a chunk's items, the messages of
malformed ones, and screening a chunk into its part files."""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from patients.fhir import profile_to_fhir
from patients.model import PatientProfile
from screening.batch.config import BatchConfig
from screening.batch.parts import PARTS, chunk_done, part_path, read_part_stats
from screening.batch.plan import plan_jsonl
from screening.batch.worker import Item, error_message, parse_item, screen_chunk
from screening.core.diagnostics import InputError
from tests.batch.conftest import AS_OF, PATIENTS

DAY = dt.date.fromisoformat(AS_OF)


@pytest.fixture(autouse=True)
def _unfreeze_gc() -> Iterator[None]:
    yield
    gc.unfreeze()  # init_worker freezes the collector: right for a worker, not for the test process


def _cfg(cohort: Path, rules: Path, out: Path, chunk_size: int) -> BatchConfig:
    (out / PARTS).mkdir(parents=True)
    return BatchConfig(str(cohort), str(out), str(rules), ("BATCH-T1", "BATCH-T2"), DAY, chunk_size, "jsonl")


def test_blank_items_and_patients() -> None:
    assert parse_item(Item(5, b"")) is None and parse_item(Item(5, b" \t")) is None
    assert parse_item(Item(2, "")) is None  # a null Parquet profile
    bundle = profile_to_fhir(PatientProfile.model_validate(PATIENTS[0]))
    for item in (Item(1, json.dumps(PATIENTS[0]).encode()), Item(1, json.dumps(bundle), "p1.json")):
        parsed = parse_item(item)
        assert parsed is not None
        assert (parsed.profile.id, parsed.import_warnings, parsed.as_of) == ("P1", 0, None)


@pytest.mark.parametrize(("item", "message"), [
    (Item(3, b'{"id": '), "line 3: invalid JSON at column 8: Expecting value"),
    (Item(3, b'{\n"id": ', "p3.json"), "p3.json: invalid JSON at line 2 column 7: Expecting value"),
    (Item(4, OSError(13, "Permission denied"), "p4.json"), "p4.json: cannot read the file: Permission denied"),
    (Item(7, b"[1, 2]"), "line 7: "),
])
def test_malformed_items_raise_input_errors(item: Item, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_item(item)
    assert str(caught.value).startswith(message)
    assert error_message(item, caught.value) == str(caught.value)


def test_error_messages_and_locations() -> None:
    with pytest.raises(UnicodeDecodeError) as caught:
        parse_item(Item(11, b"\xff\xfe{}"))
    assert error_message(Item(11, b""), caught.value) == "line 11: not UTF-8: invalid start byte"
    assert error_message(Item(2, b"", "b.json"), RuntimeError("boom")) == "b.json: screening failed: RuntimeError: boom"
    assert Item(2, b"").location() == {"line": 2}
    assert Item(2, b"", "b.json").location() == {"line": 2, "file": "b.json"}


def test_screen_chunk_writes_its_parts(batch_rules: Path, small_cohort: Path, tmp_path: Path) -> None:
    cfg = _cfg(small_cohort, batch_rules, tmp_path / "out", chunk_size=6)
    first, second = plan_jsonl(small_cohort, 6).chunks  # lines 1-6 and 7-11
    stats = screen_chunk(cfg, first)
    out = Path(cfg.outdir)
    assert chunk_done(out, 0) and not chunk_done(out, 1)
    assert read_part_stats(out, 0) == stats
    assert (stats.lines, stats.patients, stats.blank, stats.malformed) == (6, 4, 1, 1)
    t1 = stats.trials["BATCH-T1"]
    assert t1.verdicts == {"eligible": 1, "ineligible": 2, "undetermined": 1}  # P1; P2 and P4; P3
    assert t1.by_status["unknown"] == [0, 1, 1, 0]  # P3's creatinine, P4's consent
    assert sum(n for data, n in t1.missing.items() if "creatinine" in data) == 1 and t1.missing["written informed consent"] == 1

    rows = [json.loads(x) for x in part_path(out, 0, ".jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["line"], r["patient_id"]) for r in rows[::2]] == [(1, "P1"), (2, "P2"), (4, "P3"), (6, "P4")]
    assert [r["trial_id"] for r in rows] == ["BATCH-T1", "BATCH-T2"] * 4
    assert rows[0]["statuses"] == {"adult": "pass", "creatinine_ok": "pass", "consent": "pass", "no_hiv": "pass"}
    table = pq.read_table(part_path(out, 0, ".parquet")).to_pylist()
    assert [{**r, "as_of": r["as_of"].isoformat(), "statuses": dict(r["statuses"])} for r in table] == rows
    assert {r["as_of"] for r in rows} == {AS_OF}
    errors = [json.loads(x) for x in part_path(out, 0, ".errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["line"] for e in errors] == [3] and errors[0]["error"].startswith("line 3: invalid JSON")

    # the chunks' statistics merged are those of the cohort screened as one chunk
    whole_cfg = _cfg(small_cohort, batch_rules, tmp_path / "whole", chunk_size=11)
    (whole,) = plan_jsonl(small_cohort, 11).chunks
    assert stats.merge(screen_chunk(cfg, second)) == screen_chunk(whole_cfg, whole)

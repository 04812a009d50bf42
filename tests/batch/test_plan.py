"""Planning a cohort into chunks: line numbers, byte ranges, row groups, file indexes and hashes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from screening.batch.config import BatchError
from screening.batch.dates import InputDates
from screening.batch.plan import fhir_files, input_format, plan_fhir_dir, plan_input, plan_jsonl, plan_parquet


def test_chunk_plan_matches_line_numbers(tmp_path: Path) -> None:
    lines = [b"a" * (i % 7) for i in range(103)]
    for trailing in (b"\n", b""):
        path = tmp_path / "lines.txt"
        path.write_bytes(b"\n".join(lines) + trailing)
        data = path.read_bytes()
        for chunk_size in (1, 10, 103, 500):
            digest, size, chunks, _ = plan_jsonl(path, chunk_size, block=16)  # tiny blocks: lines straddle reads
            assert size == len(data)
            assert digest == hashlib.sha256(data).hexdigest()
            assert [c.index for c in chunks] == list(range(len(chunks)))
            got = []
            for c in chunks:
                part = data[c.start:c.end].split(b"\n")
                if part and part[-1] == b"":
                    part.pop()
                assert len(part) == c.n_lines
                got += [(c.first_line + k, x) for k, x in enumerate(part)]
            assert got == list(enumerate(lines, start=1))


def test_empty_json_lines_file_has_no_chunks(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    assert plan_jsonl(path, 10) == (hashlib.sha256(b"").hexdigest(), 0, [], InputDates())


def test_parquet_chunks_are_row_groups(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    docs = [json.dumps({"id": f"p{i}"}) for i in range(7)]
    pq.write_table(pa.table({"profile": docs}), path, row_group_size=3)
    plan = plan_parquet(path)
    assert plan.sha256 == hashlib.sha256(path.read_bytes()).hexdigest() and plan.size == path.stat().st_size
    assert [(c.index, c.start, c.first_line, c.n_lines) for c in plan.chunks] == [(0, 0, 1, 3), (1, 1, 4, 3), (2, 2, 7, 1)]
    assert plan_input(path, "parquet", chunk_size=1000) == plan  # row groups, whatever the chunk size
    pq.write_table(pa.table({"patient": docs}), tmp_path / "other.parquet")
    with pytest.raises(BatchError, match="needs a `profile` column"):
        plan_parquet(tmp_path / "other.parquet")


def test_folder_chunks_are_file_indexes_in_name_order(tmp_path: Path) -> None:
    for name in ("b.json", "a.json", "c.json", "notes.txt"):
        (tmp_path / name).write_text(f'{{"name": "{name}"}}', encoding="utf-8")
    (tmp_path / "sub.json").mkdir()  # not a file: not a bundle
    assert fhir_files(tmp_path) == ["a.json", "b.json", "c.json"]
    plan = plan_fhir_dir(tmp_path, chunk_size=2)
    assert [(c.start, c.end, c.first_line, c.n_lines) for c in plan.chunks] == [(0, 2, 1, 2), (2, 3, 3, 1)]
    assert plan.size == sum((tmp_path / n).stat().st_size for n in ("a.json", "b.json", "c.json"))
    # the hash covers names and contents: a renamed or changed file is another cohort
    (tmp_path / "c.json").rename(tmp_path / "d.json")
    renamed = plan_fhir_dir(tmp_path, chunk_size=2)
    (tmp_path / "d.json").write_text('{"name": "changed"}', encoding="utf-8")
    changed = plan_fhir_dir(tmp_path, chunk_size=2)
    assert len({plan.sha256, renamed.sha256, changed.sha256}) == 3


def test_input_format_follows_the_path(tmp_path: Path) -> None:
    (tmp_path / "c.parquet").write_bytes(b"")
    (tmp_path / "c.ndjson").write_bytes(b"")
    assert [input_format(p) for p in (tmp_path, tmp_path / "c.parquet", tmp_path / "c.ndjson")] == [
        "fhir-dir", "parquet", "jsonl"]

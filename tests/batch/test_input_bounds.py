"""One patient's input is bounded in a batch as in `screening check`: a line of JSON Lines, a Parquet
cell, a Bundle file or a Bulk Data patient larger than $SCREENING_MAX_PATIENT_FILE_BYTES is not
read (an endless line costs at most the limit plus one block), is reported in errors.jsonl with
its line and the setting, and every other patient is screened as without it."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from patients.fhir import write_fhir_cohort
from patients.fhir.export import write_fhir_bulk
from patients.io import MAX_FILE_ENV
from patients.synthetic import generate, load_spec, write_cohort
from screening.batch import BatchError, run_batch
from screening.core.files import bounded_lines
from tests.batch.conftest import AS_OF

DAY = dt.date.fromisoformat(AS_OF)
N, SEED, BIG = 12, 4, 5  # the fifth patient is made too large to read


@pytest.mark.parametrize(("data", "limit", "lines"), [
    (b"ab\ncdef\n\ng", 3, [b"ab", None, b"", b"g"]),
    (b"abc\n", 3, [b"abc"]),  # exactly the limit
    (b"abcd", 3, [None]),  # a last line without a newline, too long
    (b"x" * 10_000 + b"\nok\n", 3, [None, b"ok"]),
    (b"a\r\nbcdefgh\r\nc", 4, [b"a\r", None, b"c"]),
    (b"", 3, []),
])
def test_bounded_lines(data: bytes, limit: int, lines: list[bytes | None]) -> None:
    assert list(bounded_lines(io.BytesIO(data), limit, block=2)) == lines


def test_bounded_lines_stop_at_the_end_given() -> None:
    f = io.BytesIO(b"a\nbb\nccc\ndddd\n")
    f.seek(2)
    assert list(bounded_lines(f, 10, end=9)) == [b"bb", b"ccc"]


def _padded(text: bytes, n: int) -> bytes:
    """The same JSON with `n` spaces after its first brace (still valid, only larger)."""
    return text[:1] + b" " * n + text[1:]


def _cohort(kind: str, root: Path) -> tuple[Path, int]:
    """A cohort of N patients in the format `kind`, its fifth patient padded past the limit; the limit."""
    spec = load_spec()
    if kind in ("jsonl", "parquet"):
        path = root / f"cohort.{kind}"
        write_cohort(path, spec, N, seed=SEED)
        if kind == "jsonl":
            lines = path.read_bytes().splitlines()
            limit = max(map(len, lines)) + 10
            lines[BIG - 1] = _padded(lines[BIG - 1], limit)
            path.write_bytes(b"\n".join(lines) + b"\n")
        else:
            table = pq.read_table(path)
            docs = table.column("profile").to_pylist()
            limit = max(len(d.encode()) for d in docs) + 10
            docs[BIG - 1] = _padded(docs[BIG - 1].encode(), limit).decode()
            table = table.set_column(table.schema.get_field_index("profile"), "profile",
                                     pa.array(docs))
            pq.write_table(table, path, row_group_size=5)
        return path, limit
    if kind == "fhir":
        folder = root / "bundles"
        write_fhir_cohort(folder, generate(spec, N, SEED))
        files = sorted(folder.glob("*.json"))
        limit = max(f.stat().st_size for f in files) + 10
        files[BIG - 1].write_bytes(_padded(files[BIG - 1].read_bytes(), limit))
        return folder, limit
    folder = root / "bulk"
    write_fhir_bulk(folder, generate(spec, N, SEED))
    lines = (folder / "Patient.ndjson").read_bytes().splitlines()
    limit = sum(f.stat().st_size for f in folder.glob("*.ndjson"))  # any one patient fits
    lines[BIG - 1] = _padded(lines[BIG - 1], limit)
    (folder / "Patient.ndjson").write_bytes(b"\n".join(lines) + b"\n")
    return folder, limit


def _rows(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(("kind", "what"), [
    ("jsonl", "the line"), ("parquet", "the profile cell"), ("fhir", "the file"), ("bulk", "the line of Patient.ndjson"),
])
def test_a_patient_larger_than_the_limit_is_reported_not_read(kind: str, what: str, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    cohort, limit = _cohort(kind, tmp_path)
    monkeypatch.setenv(MAX_FILE_ENV, str(limit))
    out = tmp_path / "out"
    run_batch(cohort, out, as_of=DAY, chunk_size=5)
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["line"] for e in errors] == [BIG]
    assert f"{what} is larger than {limit} bytes (the limit is ${MAX_FILE_ENV}, default 67108864)" in errors[0]["error"]
    rows = _rows(out)
    assert sorted({r["line"] for r in rows}) == [k for k in range(1, N + 1) if k != BIG]
    # every other patient as screened without the bound
    monkeypatch.delenv(MAX_FILE_ENV)
    free = tmp_path / "free"
    run_batch(cohort, free, as_of=DAY, chunk_size=5)
    assert not (free / "errors.jsonl").read_text(encoding="utf-8")
    assert [r for r in _rows(free) if r["line"] != BIG] == rows


def test_a_bulk_patient_whose_records_exceed_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "bulk"
    write_fhir_bulk(folder, generate(load_spec(), N, SEED))
    size: dict[str, int] = {}  # each patient's line and records, in bytes
    for f in folder.glob("*.ndjson"):
        for line in f.read_bytes().splitlines():
            r = json.loads(line)
            who = r["id"] if r["resourceType"] == "Patient" else r.get("subject", {}).get("reference", "")
            size[who.rpartition("/")[2]] = size.get(who.rpartition("/")[2], 0) + len(line)
    longest = max(len(x) for f in folder.glob("*.ndjson") for x in f.read_bytes().splitlines())
    limit = max(sorted(size.values())[len(size) // 2], longest + 10)  # every line fits, not every patient
    monkeypatch.setenv(MAX_FILE_ENV, str(limit))
    warnings: list[str] = []
    run_batch(folder, tmp_path / "out", as_of=DAY, chunk_size=5, on_warning=warnings.append)
    assert not warnings
    errors = [json.loads(x) for x in (tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = _rows(tmp_path / "out")
    assert errors and rows  # some patients hold more than the limit, some less
    assert all(e["error"] == f"line {e['line']}: the patient with its records is larger than {limit} bytes (the limit is "
               f"${MAX_FILE_ENV}, default 67108864)" for e in errors), errors
    assert {e["line"] for e in errors} | {r["line"] for r in rows} == set(range(1, N + 1))


def test_a_bulk_resource_line_larger_than_the_limit_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "bulk"
    write_fhir_bulk(folder, generate(load_spec(), N, SEED))
    conditions = (folder / "Condition.ndjson").read_bytes().splitlines()
    limit = sum(f.stat().st_size for f in folder.glob("*.ndjson"))
    conditions[1] = _padded(conditions[1], limit)
    (folder / "Condition.ndjson").write_bytes(b"\n".join(conditions) + b"\n")
    monkeypatch.setenv(MAX_FILE_ENV, str(limit))
    warnings: list[str] = []
    run_batch(folder, tmp_path / "out", as_of=DAY, chunk_size=5, on_warning=warnings.append)
    assert any(w.startswith("Condition.ndjson: 1 line(s) not read, each larger than one patient may be: a line is "
                            f"larger than {limit} bytes") and w.endswith("(lines 2)") for w in warnings), warnings


def test_a_setting_that_is_not_a_number_stops_the_batch_before_it_starts(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    cohort = tmp_path / "c.jsonl"
    write_cohort(cohort, load_spec(), 3, seed=SEED)
    monkeypatch.setenv(MAX_FILE_ENV, "64MB")
    with pytest.raises(BatchError, match=rf"\${MAX_FILE_ENV} must be a whole number"):
        run_batch(cohort, tmp_path / "out", as_of=DAY)
    assert not (tmp_path / "out").exists()

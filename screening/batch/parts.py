"""Part files: what each finished chunk leaves in ``OUTDIR/parts/`` until the batch is assembled.

A chunk's parts are its result rows (Parquet and JSON Lines), its malformed lines and its
statistics, each written atomically (temp file + rename); the statistics file is written last,
so its presence, with the others', marks the chunk done and a resumed batch skips it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
from collections.abc import Sequence
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.parquet as pq

from screening.batch.stats import ChunkStats

PARTS = "parts"
PART_SUFFIXES = (".stats.json", ".parquet", ".jsonl", ".errors.jsonl", ".warnings.jsonl")
OUTPUT_FILES = ("results.parquet", "results.jsonl", "errors.jsonl", "import_warnings.jsonl", "summary.json",
                "manifest.json")

RESULTS_SCHEMA = pa.schema([("line", pa.int64()), ("patient_id", pa.string()), ("as_of", pa.date32()),
                            ("trial_id", pa.string()), ("verdict", pa.string()),
                            ("statuses", pa.map_(pa.string(), pa.string())),
                            ("eligible_from", pa.date32()), ("sex", pa.string()), ("age", pa.int32())])


class ResultRow(NamedTuple):
    """One patient x trial: the patient's line, id and screening date, the trial, its verdict,
    (criterion, status) pairs, the date from which the patient becomes eligible if held back only
    by time (else None), and the patient's sex and age in completed years at the screening date
    (None when not recorded)."""

    line: int
    patient_id: str
    as_of: dt.date
    trial_id: str
    verdict: str
    statuses: Sequence[tuple[str, str]]
    eligible_from: dt.date | None = None
    sex: str | None = None
    age: int | None = None


def part_path(outdir: Path, index: int, suffix: str) -> Path:
    return outdir / PARTS / f"chunk-{index:07d}{suffix}"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `path` so that it is either absent or complete, even if the process is killed. An
    `OSError` (a full disk, a read-only folder) leaves no temp file and names `path`."""
    tmp = temp_path(path)
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        discard(tmp)
        raise OSError(e.errno, e.strerror, str(path)) from e


def temp_path(path: Path) -> Path:
    """Where `path` is written before it is renamed into place (this process's own temp file)."""
    return path.with_name(f"{path.name}.tmp-{os.getpid()}")


def discard(path: Path) -> None:
    """Remove a temp file if it is there (and if it can be: the error being reported matters more)."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def rows_table(rows: list[ResultRow]) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(RESULTS_SCHEMA)
    return pa.table(dict(zip(RESULTS_SCHEMA.names, columns, strict=True)), schema=RESULTS_SCHEMA)


def row_json(row: ResultRow) -> str:
    """A result row as one line of results.jsonl (the date as YYYY-MM-DD, statuses as an object in
    rule-set order): the reference encoding, which `RowEncoder` writes faster."""
    return json.dumps({**row._asdict(), "as_of": row.as_of.isoformat(), "statuses": dict(row.statuses),
                       "eligible_from": row.eligible_from.isoformat() if row.eligible_from else None},
                      separators=(",", ":"), ensure_ascii=False)


def _str_or_null(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def _date_or_null(day: dt.date | None) -> str:
    return f'"{day.isoformat()}"' if day else "null"


class RowEncoder:
    """Result rows as results.jsonl lines, the same text as `row_json` gives (compact separators,
    non-ASCII kept), but with the JSON of each distinct trial, verdict and status vector made once:
    a chunk's rows share a few hundred status vectors. Valid for rows whose fields have the types
    `ResultRow` declares."""

    def __init__(self) -> None:
        self._statuses: dict[Sequence[tuple[str, str]], str] = {}
        self._strings: dict[str, str] = {}

    def line(self, row: ResultRow) -> str:
        statuses = self._statuses.get(row.statuses)
        if statuses is None:
            statuses = self._statuses[row.statuses] = json.dumps(dict(row.statuses), separators=(",", ":"),
                                                                 ensure_ascii=False)
        age = row.age
        return (f'{{"line":{int(row.line)},"patient_id":{encode_basestring(row.patient_id)},'
                f'"as_of":"{row.as_of.isoformat()}","trial_id":{self._string(row.trial_id)},'
                f'"verdict":{self._string(row.verdict)},"statuses":{statuses},'
                f'"eligible_from":{_date_or_null(row.eligible_from)},'
                f'"sex":{_str_or_null(row.sex)},"age":{"null" if age is None else int(age)}}}')

    def _string(self, value: str) -> str:
        found = self._strings.get(value)
        if found is None:
            found = self._strings[value] = encode_basestring(value)
        return found

    def jsonl(self, rows: list[ResultRow]) -> bytes:
        """The rows as JSON Lines, UTF-8."""
        return "".join([self.line(r) + "\n" for r in rows]).encode()


def jsonl_bytes(records: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in records).encode()


def write_part(outdir: Path, index: int, rows: list[ResultRow], errors: list[dict[str, Any]],
               stats: ChunkStats, warnings: list[dict[str, Any]] | None = None) -> None:
    sink = io.BytesIO()
    pq.write_table(rows_table(rows), sink)
    atomic_write_bytes(part_path(outdir, index, ".parquet"), sink.getvalue())
    atomic_write_bytes(part_path(outdir, index, ".jsonl"), RowEncoder().jsonl(rows))
    atomic_write_bytes(part_path(outdir, index, ".errors.jsonl"), jsonl_bytes(errors))
    atomic_write_bytes(part_path(outdir, index, ".warnings.jsonl"), jsonl_bytes(warnings or []))
    # the statistics file is written last: its presence marks the chunk done
    atomic_write_bytes(part_path(outdir, index, ".stats.json"), json.dumps(stats.to_json(), sort_keys=True).encode())


def read_part_stats(outdir: Path, index: int) -> ChunkStats:
    return ChunkStats.from_json(json.loads(part_path(outdir, index, ".stats.json").read_text(encoding="utf-8")))


def chunk_done(outdir: Path, index: int) -> bool:
    return all(part_path(outdir, index, s).exists() for s in PART_SUFFIXES)


def prepare_parts_dir(outdir: Path) -> None:
    """Create the parts folder, without the temp files a killed run may have left (in it, and of
    the files it assembles or records: no other run writes there, OUTDIR being locked)."""
    parts = outdir / PARTS
    parts.mkdir(exist_ok=True)
    for stale in [*parts.glob("*.tmp-*"), *(p for name in OUTPUT_FILES for p in outdir.glob(f"{name}.tmp-*"))]:
        stale.unlink(missing_ok=True)


def remove_parts(outdir: Path) -> None:
    shutil.rmtree(outdir / PARTS, ignore_errors=True)

"""Writing a synthetic cohort to a file, streamed. Every patient carries the spec's `as_of`, the
date its records are drawn for, as its own screening date: in JSON Lines each line is
`{"patient": <profile>, "as_of": "YYYY-MM-DD"}` (the shape of the HTTP API's `POST /screen`
body), in Parquet the columns are `id`, `profile` (JSON) and `as_of` (a date). The file appears
whole or not at all (written aside, then renamed)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from patients.synthetic.cohort import generate
from patients.synthetic.spec import CohortSpec

PARQUET_SCHEMA = pa.schema([("id", pa.string()), ("profile", pa.string()), ("as_of", pa.date32())])


def dumps(patient: dict[str, Any]) -> str:
    return json.dumps(patient, separators=(",", ":"), ensure_ascii=False)


def write_cohort(path: Path | str, spec: CohortSpec, n: int, seed: int, batch_size: int = 5000) -> int:
    """Write `n` patients, each dated `spec.as_of`, as JSON Lines (or Parquet when the path ends in
    .parquet), streamed."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    if path.suffix == ".parquet":
        _write_parquet(tmp, generate(spec, n, seed), spec.as_of, batch_size)
    else:
        _write_jsonl(tmp, generate(spec, n, seed), spec.as_of, batch_size)
    tmp.replace(path)
    return n


def _write_parquet(path: Path, patients: Iterator[dict[str, Any]], as_of: dt.date, batch_size: int) -> None:
    def table(ids: list[str], docs: list[str]) -> pa.Table:
        return pa.table({"id": ids, "profile": docs, "as_of": [as_of] * len(ids)}, schema=PARQUET_SCHEMA)

    with pq.ParquetWriter(path, PARQUET_SCHEMA) as w:
        ids: list[str] = []
        docs: list[str] = []
        for p in patients:
            ids.append(p["id"])
            docs.append(dumps(p))
            if len(ids) >= batch_size:
                w.write_table(table(ids, docs))
                ids, docs = [], []
        if ids:
            w.write_table(table(ids, docs))


def _write_jsonl(path: Path, patients: Iterator[dict[str, Any]], as_of: dt.date, batch_size: int) -> None:
    day = as_of.isoformat()
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        buf: list[str] = []
        for p in patients:
            buf.append(dumps({"patient": p, "as_of": day}))
            if len(buf) >= batch_size:
                f.write("\n".join(buf) + "\n")
                buf = []
        if buf:
            f.write("\n".join(buf) + "\n")

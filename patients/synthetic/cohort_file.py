"""Writing a synthetic cohort to a file, streamed: JSON Lines, or Parquet (an `id` and a
`profile` JSON column). The file appears whole or not at all (written aside, then renamed)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from patients.synthetic.cohort import generate
from patients.synthetic.spec import CohortSpec

PARQUET_SCHEMA = pa.schema([("id", pa.string()), ("profile", pa.string())])


def dumps(patient: dict[str, Any]) -> str:
    return json.dumps(patient, separators=(",", ":"), ensure_ascii=False)


def write_cohort(path: Path | str, spec: CohortSpec, n: int, seed: int, batch_size: int = 5000) -> int:
    """Write `n` patients as JSON Lines (or Parquet when the path ends in .parquet), streamed."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    if path.suffix == ".parquet":
        _write_parquet(tmp, generate(spec, n, seed), batch_size)
    else:
        _write_jsonl(tmp, generate(spec, n, seed), batch_size)
    tmp.replace(path)
    return n


def _write_parquet(path: Path, patients: Iterator[dict[str, Any]], batch_size: int) -> None:
    with pq.ParquetWriter(path, PARQUET_SCHEMA) as w:
        ids: list[str] = []
        docs: list[str] = []
        for p in patients:
            ids.append(p["id"])
            docs.append(dumps(p))
            if len(ids) >= batch_size:
                w.write_table(pa.table({"id": ids, "profile": docs}, schema=PARQUET_SCHEMA))
                ids, docs = [], []
        if ids:
            w.write_table(pa.table({"id": ids, "profile": docs}, schema=PARQUET_SCHEMA))


def _write_jsonl(path: Path, patients: Iterator[dict[str, Any]], batch_size: int) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        buf: list[str] = []
        for p in patients:
            buf.append(dumps(p))
            if len(buf) >= batch_size:
                f.write("\n".join(buf) + "\n")
                buf = []
        if buf:
            f.write("\n".join(buf) + "\n")

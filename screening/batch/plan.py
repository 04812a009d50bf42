"""Planning a cohort into chunks, the unit of work and of resume.

A cohort is a JSON Lines file (each line a patient profile or a FHIR R4 Bundle, so an NDJSON file
of Bundles is one too, or either of them dated: `{"patient": ..., "as_of": "YYYY-MM-DD"}`), a
Parquet file with a `profile` column (and optionally an `as_of` column), a folder of FHIR
Bundles (`*.json`, one patient per file, taken in sorted file-name order: file k is "line" k), or
a FHIR Bulk Data folder (`Patient.ndjson` and one NDJSON file per resource type: line k of
`Patient.ndjson` is "line" k; see `screening.batch.bulk`).

Planning reads the input once: it hashes it (the manifest records the hash), cuts it into
chunks of `chunk_size` lines (JSON Lines: byte ranges; Parquet: row groups; folder: file
indexes), so that workers read their own chunk and the driver never holds patients, and counts
the screening dates the lines carry (`screening.batch.dates`). Before the outputs are assembled
the input is hashed again (`check_unchanged`): a cohort rewritten while the batch ran is refused.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa
import pyarrow.parquet as pq

from screening.batch.bulk import PATIENTS, bulk_digest, bulk_files, count_lines, is_bulk_folder
from screening.batch.config import BatchError, InputFormat, io_error
from screening.batch.dates import InputDates, JsonlDateScan, parquet_dates


@dataclass(frozen=True)
class Chunk:
    index: int
    start: int  # byte offset (JSON Lines), row group (Parquet) or file index (folder)
    end: int  # byte offset or file index, exclusive; unused for Parquet
    first_line: int  # 1-based line (row, file) number of the chunk's first line
    n_lines: int


class InputPlan(NamedTuple):
    """An input's SHA-256, its size in bytes, its chunks in line order and the screening dates it carries."""

    sha256: str
    size: int
    chunks: list[Chunk]
    dates: InputDates

    @property
    def lines(self) -> int:
        return sum(c.n_lines for c in self.chunks)


def input_format(cohort: Path) -> InputFormat:
    """A folder with Patient.ndjson is FHIR Bulk Data, another folder a folder of FHIR Bundles, a
    `.parquet` file is Parquet, any other file JSON Lines."""
    if cohort.is_dir():
        return "fhir-bulk" if is_bulk_folder(cohort) else "fhir-dir"
    return "parquet" if cohort.suffix == ".parquet" else "jsonl"


def plan_input(cohort: Path, fmt: InputFormat, chunk_size: int) -> InputPlan:
    """Plan a cohort of the given format (Parquet chunks are its row groups, whatever `chunk_size`);
    a cohort that cannot be read is a `BatchError` naming the file and the reason."""
    try:
        if fmt == "parquet":
            return plan_parquet(cohort)
        if fmt == "fhir-dir":
            return plan_fhir_dir(cohort, chunk_size)
        if fmt == "fhir-bulk":
            return plan_fhir_bulk(cohort, chunk_size)
        return plan_jsonl(cohort, chunk_size)
    except OSError as e:
        raise io_error(e, cohort, "cannot read the cohort") from None
    except pa.ArrowException as e:
        raise BatchError(f"{cohort}: cannot read the cohort as Parquet: {e}") from None


def plan_jsonl(path: Path, chunk_size: int, block: int = 1 << 18) -> InputPlan:
    """One pass over the file: its SHA-256, size, the byte range of every chunk of lines and its dates."""
    h = hashlib.sha256()
    dates = JsonlDateScan()
    chunks: list[Chunk] = []
    size = 0
    line_starts_in_chunk = 0
    chunk_start = 0
    line_no = 0  # lines seen so far
    pending = False  # bytes after the last newline
    with open(path, "rb") as f:
        offset = 0
        while True:
            buf = f.read(block)
            if not buf:
                break
            h.update(buf)
            dates.feed(buf)
            pos = 0
            while True:
                nl = buf.find(b"\n", pos)
                if nl < 0:
                    pending = pending or pos < len(buf)
                    break
                line_no += 1
                line_starts_in_chunk += 1
                pending = False
                if line_starts_in_chunk == chunk_size:
                    end = offset + nl + 1
                    chunks.append(Chunk(len(chunks), chunk_start, end, line_no - chunk_size + 1, chunk_size))
                    chunk_start, line_starts_in_chunk = end, 0
                pos = nl + 1
            offset += len(buf)
            buf = b""  # drop the block before reading the next one
        size = offset
    if pending:  # a last line without a newline
        line_no += 1
        line_starts_in_chunk += 1
    if line_starts_in_chunk:
        chunks.append(Chunk(len(chunks), chunk_start, size, line_no - line_starts_in_chunk + 1, line_starts_in_chunk))
    return InputPlan(h.hexdigest(), size, chunks, dates.result())


def plan_parquet(path: Path) -> InputPlan:
    """A Parquet cohort: one chunk per row group; its dates are those of its `as_of` column, if any."""
    sha256 = file_sha256(path)
    meta = pq.ParquetFile(path).metadata
    if "profile" not in meta.schema.names:
        raise BatchError(f"{path}: a Parquet cohort needs a `profile` column of patient JSON documents")
    chunks, first = [], 1
    for rg in range(meta.num_row_groups):
        n = meta.row_group(rg).num_rows
        chunks.append(Chunk(rg, rg, rg, first, n))
        first += n
    return InputPlan(sha256, path.stat().st_size, chunks, parquet_dates(path))


def fhir_files(folder: Path | str) -> list[str]:
    """The FHIR Bundle files of a cohort folder (`*.json`), in sorted name order."""
    with os.scandir(folder) as it:
        return sorted(e.name for e in it if e.name.endswith(".json") and e.is_file())


def plan_fhir_dir(folder: Path, chunk_size: int) -> InputPlan:
    """A folder of Bundles: a SHA-256 over the sorted file names and contents, the total size,
    and chunks of `chunk_size` files (`start`/`end` are file indexes); no dates (the batch date applies)."""
    names = fhir_files(folder)
    if not names:
        raise BatchError(f"{folder}: no FHIR Bundle files (*.json) in this folder")
    sha256, size = fhir_dir_digest(folder, names)
    chunks = [Chunk(k, i, min(i + chunk_size, len(names)), i + 1, min(chunk_size, len(names) - i))
              for k, i in enumerate(range(0, len(names), chunk_size))]
    return InputPlan(sha256, size, chunks, InputDates())


def plan_fhir_bulk(folder: Path, chunk_size: int) -> InputPlan:
    """A Bulk Data folder: a SHA-256 over its NDJSON files (names and contents), their total size,
    and chunks of `chunk_size` lines of Patient.ndjson (`start`/`end` are line indexes); no dates."""
    sha256, size = bulk_digest(folder, bulk_files(folder))
    n = count_lines(folder / PATIENTS)
    if not n:
        raise BatchError(f"{folder / PATIENTS}: no patients")
    chunks = [Chunk(k, i, min(i + chunk_size, n), i + 1, min(chunk_size, n - i))
              for k, i in enumerate(range(0, n, chunk_size))]
    return InputPlan(sha256, size, chunks, InputDates())


# --- the input's hash -----------------------------------------------------------------------

def file_sha256(path: Path) -> str:
    """A file's SHA-256, read through a small reused buffer (memory does not grow with the file)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def fhir_dir_digest(folder: Path, names: list[str]) -> tuple[str, int]:
    """A SHA-256 over a folder's Bundle files (sorted names and contents), and their total size."""
    h = hashlib.sha256()
    size = 0
    for name in names:
        data = (folder / name).read_bytes()
        size += len(data)
        h.update(f"{name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest(), size


def input_sha256(cohort: Path, fmt: InputFormat) -> str:
    """The input's SHA-256 as planning computes it (JSON Lines and Parquet: the file's bytes)."""
    if fmt == "fhir-bulk":
        return bulk_digest(cohort, bulk_files(cohort))[0]
    return fhir_dir_digest(cohort, fhir_files(cohort))[0] if fmt == "fhir-dir" else file_sha256(cohort)


def check_unchanged(cohort: Path, fmt: InputFormat, sha256: str) -> None:
    """Refuse a cohort that changed since it was planned (`sha256`): chunks screened before and after
    the change would mix two versions of it. Hashing it again costs one more read of the input."""
    try:
        now: str | None = input_sha256(cohort, fmt)
    except FileNotFoundError:
        now = None
    except OSError as e:
        raise io_error(e, cohort, "cannot read the cohort") from None
    if now != sha256:
        how = "was removed" if now is None else "was changed (its SHA-256 is no longer the one it was planned with)"
        raise BatchError(f"{cohort}: the cohort {how} while the batch ran, so its chunks may mix two versions of it: "
                         "the outputs were not assembled. Run the batch again with --restart to screen the cohort "
                         "as it is now")

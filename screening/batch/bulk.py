"""FHIR Bulk Data input: a folder of NDJSON files, one per resource type (`Patient.ndjson`,
`Condition.ndjson`, `Observation.ndjson`, ...), records naming their patient as `Patient/<id>`.

A patient's records are spread over every file, so they are gathered through a staging table
on disk (SQLite, in the batch's parts folder) keyed by patient: one streaming pass over each file
inserts its lines, an index sorts them by patient (SQLite sorts on disk), and each worker reads,
for its chunk of `Patient.ndjson` lines, every patient's resources in file order, as one FHIR
collection Bundle: the same import as a Bundle file. Memory does not grow with the cohort. The
staging table is built once (to a temp file renamed into place), so a resumed batch reuses it.

"Line" k of the cohort is line k of `Patient.ndjson`. Resources that name no patient (a
ResearchStudy, a Medication) are kept by `Type/id` and added to the Bundle of each patient whose
records refer to them. Lines of the other files that are not JSON objects, or name a patient
`Patient.ndjson` does not hold, are counted and reported as a warning, not screened.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from patients.io import patient_size_limit, patient_too_large
from screening.core.files import UnreadableFile, bounded_lines
from screening.core.jsonread import JsonError, read_json

PATIENTS = "Patient.ndjson"
STAGING = "bulk-staging.sqlite"
PATIENT_FIELDS = ("subject", "patient", "individual", "beneficiary")
BATCH_ROWS = 5000


def is_bulk_folder(folder: Path) -> bool:
    return (folder / PATIENTS).is_file()


def bulk_files(folder: Path) -> list[str]:
    """The NDJSON files of a Bulk Data folder, in sorted name order."""
    with os.scandir(folder) as it:
        return sorted(e.name for e in it if e.name.endswith(".ndjson") and e.is_file())


def bulk_digest(folder: Path, names: list[str], block: int = 1 << 20) -> tuple[str, int]:
    """A SHA-256 over the files (sorted names, sizes and contents), read in blocks, and their total size."""
    h = hashlib.sha256()
    size = 0
    for name in names:
        with open(folder / name, "rb") as f:
            n = os.fstat(f.fileno()).st_size
            size += n
            h.update(f"{name}\0{n}\0".encode())
            while buf := f.read(block):
                h.update(buf)
    return h.hexdigest(), size


def count_lines(path: Path, block: int = 1 << 20) -> int:
    """Lines of a file (a last line without a newline counts)."""
    n, last = 0, b"\n"
    with open(path, "rb") as f:
        while buf := f.read(block):
            n += buf.count(b"\n")
            last = buf[-1:]
    return n + (last != b"\n")


def _lines(path: Path, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line without its line end), None for a line longer than `limit` (not read)."""
    with open(path, "rb") as f:
        for k, line in enumerate(bounded_lines(f, limit), start=1):
            yield k, line.rstrip(b"\r") if line is not None else None


def _patient_id(resource: dict[str, Any]) -> str | None:
    for name in PATIENT_FIELDS:
        ref = resource.get(name)
        if isinstance(ref, dict) and isinstance(ref.get("reference"), str):
            rtype, _, rid = ref["reference"].strip().rpartition("/")
            if rtype.endswith("Patient") and rid:
                return rid
    return None


def _resource(line: bytes) -> dict[str, Any] | None:
    try:
        doc = read_json(line.decode("utf-8"))
    except (JsonError, UnicodeDecodeError):
        return None
    return doc if isinstance(doc, dict) else None


def stage(folder: Path, db: Path) -> list[str]:
    """Build the staging table of a Bulk Data folder at `db` (unless it is there); return warnings."""
    if db.exists():
        return []
    tmp = db.with_name(db.name + f".tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE;"
                          "PRAGMA cache_size=-32000;"
                          "CREATE TABLE patients (k INTEGER PRIMARY KEY, id TEXT, line BLOB);"
                          "CREATE TABLE resources (pid TEXT, seq INTEGER, line BLOB);"
                          "CREATE TABLE shared (key TEXT PRIMARY KEY, line BLOB);")
        limit = patient_size_limit()  # a line (a resource) larger than one patient may be is not read
        _stage_patients(con, folder / PATIENTS, limit)
        warnings = [w for name in bulk_files(folder) if name != PATIENTS
                    for w in _stage_records(con, folder / name, limit)]
        con.execute("CREATE INDEX resources_by_patient ON resources (pid, seq)")
        con.execute("CREATE INDEX patients_by_id ON patients (id)")
        con.commit()
        warnings += _orphans(con)
    finally:
        con.close()
    os.replace(tmp, db)
    return warnings


def _stage_patients(con: sqlite3.Connection, path: Path, limit: int) -> None:
    """Insert the Patient lines (a line too large to read is kept as NULL: its patient is reported)."""
    rows: list[tuple[int, str | None, bytes | None]] = []
    for k, line in _lines(path, limit):
        r = _resource(line) if line is not None else None
        rid = r.get("id") if r is not None and r.get("resourceType") == "Patient" else None
        rows.append((k, rid if isinstance(rid, str) else None, line))
        if len(rows) >= BATCH_ROWS:
            con.executemany("INSERT INTO patients VALUES (?, ?, ?)", rows)
            rows.clear()
    con.executemany("INSERT INTO patients VALUES (?, ?, ?)", rows)


def _stage_records(con: sqlite3.Connection, path: Path, limit: int) -> list[str]:
    """Insert one file's resources (by patient, or shared by Type/id); warn about unreadable lines."""
    bad: list[int] = []
    large: list[int] = []
    rows: list[tuple[str, int, bytes]] = []
    shared: list[tuple[str, bytes]] = []
    base = con.execute("SELECT COALESCE(MAX(seq), 0) FROM resources").fetchone()[0]
    for k, line in _lines(path, limit):
        if line is None:
            large.append(k)
            continue
        if not line.strip():
            continue
        r = _resource(line)
        if r is None:
            bad.append(k)
            continue
        pid = _patient_id(r)
        if pid is not None:
            rows.append((pid, base + k, line))
        elif isinstance(r.get("id"), str):
            shared.append((f"{r.get('resourceType')}/{r['id']}", line))
        else:
            bad.append(k)
        if len(rows) >= BATCH_ROWS:
            con.executemany("INSERT INTO resources VALUES (?, ?, ?)", rows)
            rows.clear()
    con.executemany("INSERT INTO resources VALUES (?, ?, ?)", rows)
    con.executemany("INSERT OR IGNORE INTO shared VALUES (?, ?)", shared)
    warnings = []
    if bad:
        warnings.append(f"{path.name}: {len(bad)} line(s) neither a resource naming its patient nor one with an id, "
                        f"not screened (lines {_some(bad)})")
    if large:
        warnings.append(f"{path.name}: {len(large)} line(s) not read, each larger than one patient may be: "
                        f"{patient_too_large(limit, 'a line')} (lines {_some(large)})")
    return warnings


def _some(lines: list[int]) -> str:
    return ", ".join(map(str, lines[:5])) + (" ..." if len(lines) > 5 else "")


def _orphans(con: sqlite3.Connection) -> list[str]:
    n = con.execute("SELECT COUNT(*) FROM resources WHERE pid NOT IN (SELECT id FROM patients WHERE id IS NOT NULL)"
                    ).fetchone()[0]
    return [f"{n} resource(s) name a patient that {PATIENTS} does not hold: not screened"] if n else []


def _references(value: Any, out: set[str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "reference" and isinstance(v, str):
                out.add(v.strip())
            else:
                _references(v, out)
    elif isinstance(value, list):
        for v in value:
            _references(v, out)


def patient_documents(db: Path, start: int, end: int, limit: int) -> Iterator[tuple[int, bytes | UnreadableFile]]:
    """(line k of Patient.ndjson, its patient's Bundle as JSON) for lines start+1..end; a line that
    is not a Patient resource is handed on as it is (the import names what is wrong with it); a
    patient whose line or records together hold more than `limit` bytes, as an error saying so."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        for k, pid, line in con.execute("SELECT k, id, line FROM patients WHERE k > ? AND k <= ? ORDER BY k",
                                        (start, end)).fetchall():
            if line is None:
                yield k, patient_too_large(limit, f"the line of {PATIENTS}")
            elif pid is None:
                yield k, line
            elif _records_size(con, pid) + len(line) > limit:
                yield k, patient_too_large(limit, "the patient with its records")
            else:
                yield k, _bundle(con, pid, line)
    finally:
        con.close()


def _records_size(con: sqlite3.Connection, pid: str) -> int:
    return int(con.execute("SELECT COALESCE(SUM(LENGTH(line)), 0) FROM resources WHERE pid = ?", (pid,)).fetchone()[0])


def _bundle(con: sqlite3.Connection, pid: str, patient: bytes) -> bytes:
    records = [r for (r,) in con.execute("SELECT line FROM resources WHERE pid = ? ORDER BY seq", (pid,))]
    refs: set[str] = set()
    for r in records:
        _references(json.loads(r), refs)
    shared = [r for key in sorted(refs) for (r,) in con.execute("SELECT line FROM shared WHERE key = ?", (key,))]
    entries = b",".join(b'{"resource":' + r + b"}" for r in [patient, *records, *shared])
    return b'{"resourceType":"Bundle","type":"collection","entry":[' + entries + b"]}"

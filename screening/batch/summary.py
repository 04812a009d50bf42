"""Assembling a batch: the parts concatenated in chunk order, their statistics merged into summary.json.

Chunk order, not the order chunks finished in, makes the outputs identical however the work was
split, interrupted or distributed. Outputs: ``results.parquet`` and ``results.jsonl`` (one row
per patient x trial, with the date it was screened at), ``errors.jsonl`` (malformed lines with
their line numbers) and ``summary.json`` (the screening dates used; verdict counts, attrition and
missing data per trial).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow.parquet as pq

from screening.batch.config import BatchError, TrialShape
from screening.batch.dates import DatePolicy
from screening.batch.manifest import BatchIdentity
from screening.batch.parts import (
    RESULTS_SCHEMA,
    atomic_write_bytes,
    discard,
    part_path,
    read_part_stats,
    temp_path,
)
from screening.batch.plan import Chunk
from screening.batch.stats import ChunkStats, TrialStats

SUMMARY = "summary.json"
IMPORT_WARNINGS = "import_warnings.jsonl"
TOP_MISSING = 15
FIRST_ERRORS = 20

NOTES = {
    "remaining": "patients not failed by any criterion up to and including this one (criteria in rule-set order)",
    "all_pass_so_far": "patients passing every criterion up to and including this one",
    "sole_fail": "patients failed by this criterion alone: no longer ineligible if it were dropped",
    "would_be_eligible": "patients for whom this is the only criterion not passed: eligible if it were dropped",
    "missing_data": "data that would decide criteria left unknown (counted once per patient)",
    "lost_fail": "patients leaving the funnel of computable criteria here because this criterion fails "
                 "(the first, in rule-set order, that they neither pass nor leave for review)",
    "lost_unknown": "patients leaving the funnel of computable criteria here because this criterion is unknown "
                    "(lost to missing data)",
    "pending_review": "patients passing every computable criterion: eligible, or eligible pending the review "
                      "of the criteria left to a person",
    "optimistic": "patients failing no criterion (unknown read as pass)",
    "pessimistic": "patients passing every computable criterion (unknown read as fail)",
    "eligible_from": "patients held back only by time, by when they become eligible if nothing else changes "
                     "(within 30 days, within 90 days, later); each date is in the results' eligible_from column",
    "people": "sex and age band (completed years at the screening date) of the patients screened and of those "
              "passing every computable criterion",
}


def assemble(outdir: Path, chunks: list[Chunk], shapes: list[TrialShape], identity: BatchIdentity,
             policy: DatePolicy) -> dict[str, Any]:
    """Write the results, errors and summary of a batch whose chunks are all done; return the summary."""
    stats = merged_stats(outdir, chunks, shapes)
    first_errors = concatenate_parts(outdir, chunks)
    summary = build_summary(identity, policy, stats, shapes, first_errors)
    atomic_write_bytes(outdir / SUMMARY, (json.dumps(summary, indent=2, ensure_ascii=False) + "\n").encode())
    return summary


def read_summary(outdir: Path) -> dict[str, Any]:
    """The summary of a complete batch (a `BatchError` if it cannot be read)."""
    path = outdir / SUMMARY
    try:
        summary: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise BatchError(f"{path}: cannot read the summary of this complete batch: {e.strerror}; "
                         "run it again with --restart") from None
    except ValueError as e:
        raise BatchError(f"{path}: cannot read the summary of this complete batch: {e}; "
                         "run it again with --restart") from None
    return summary


def merged_stats(outdir: Path, chunks: list[Chunk], shapes: list[TrialShape]) -> ChunkStats:
    total = ChunkStats.empty({s.trial_id: len(s.criteria) for s in shapes})
    for c in chunks:
        total = total.merge(read_part_stats(outdir, c.index))
    return total


def concatenate_parts(outdir: Path, chunks: list[Chunk]) -> list[dict[str, Any]]:
    """Write results.parquet, results.jsonl and errors.jsonl from the parts, in chunk order (each
    file replaced whole); return the first errors, for the summary."""
    tmp = {name: temp_path(outdir / name)
           for name in ("results.parquet", "results.jsonl", "errors.jsonl", IMPORT_WARNINGS)}
    try:
        first_errors = _write_concatenated(outdir, chunks, tmp)
        for name, p in tmp.items():
            os.replace(p, outdir / name)
    except OSError:  # a full disk, say: no temp file is left behind
        for p in tmp.values():
            discard(p)
        raise
    return first_errors


def _write_concatenated(outdir: Path, chunks: list[Chunk], tmp: dict[str, Path]) -> list[dict[str, Any]]:
    first_errors: list[dict[str, Any]] = []
    with pq.ParquetWriter(tmp["results.parquet"], RESULTS_SCHEMA) as pw, \
            open(tmp["results.jsonl"], "wb") as rj, open(tmp["errors.jsonl"], "wb") as ej, \
            open(tmp[IMPORT_WARNINGS], "wb") as wj:
        for c in chunks:
            table = pq.read_table(part_path(outdir, c.index, ".parquet"))
            if table.num_rows:
                pw.write_table(table)
            _append(rj, part_path(outdir, c.index, ".jsonl"))
            _append(wj, part_path(outdir, c.index, ".warnings.jsonl"))
            errors = part_path(outdir, c.index, ".errors.jsonl").read_bytes()
            ej.write(errors)
            first_errors += _first_records(errors, FIRST_ERRORS - len(first_errors))
    return first_errors


def _append(out: BinaryIO, part: Path) -> None:
    with open(part, "rb") as f:
        shutil.copyfileobj(f, out)


def _first_records(jsonl: bytes, room: int) -> list[dict[str, Any]]:
    if room <= 0 or not jsonl:
        return []
    return [json.loads(x) for x in jsonl.decode().splitlines()[:room]]


# --- summary.json ---------------------------------------------------------------------------

def build_summary(identity: BatchIdentity, policy: DatePolicy, stats: ChunkStats, shapes: list[TrialShape],
                  first_errors: list[dict[str, Any]]) -> dict[str, Any]:
    dates = _dates(policy, stats)
    return {
        "engine_version": identity.engine_version, "as_of": _single_date(dates), "dates": dates,
        "cohort": _cohort(identity, stats),
        "errors": {"count": stats.malformed, "file": "errors.jsonl", "first": first_errors},
        "outputs": {"results": ["results.parquet", "results.jsonl"], "errors": "errors.jsonl",
                    "import_warnings": IMPORT_WARNINGS},
        "notes": dict(NOTES),
        "trials": [_trial(s, stats.trials[s.trial_id]) for s in shapes],
    }


def _dates(policy: DatePolicy, stats: ChunkStats) -> dict[str, Any]:
    """Which dates the patients were screened at: their own (the range and number of dates) or the batch date."""
    own = stats.own_dates
    return {
        "policy": policy.name, "batch_date": policy.as_of.isoformat(), "batch_date_from": policy.source,
        "patients_at_batch_date": stats.patients - stats.at_own_date, "patients_at_own_date": stats.at_own_date,
        "own_dates": {"first": min(own), "last": max(own), "distinct": len(own)} if own else None,
        "own_dates_overridden": stats.overridden,
    }


def _single_date(dates: dict[str, Any]) -> str | None:
    """The one date every patient was screened at (the batch date when none was screened); None for several."""
    own = dates["own_dates"]
    if own is None:
        return str(dates["batch_date"])
    if own["distinct"] > 1 or (dates["patients_at_batch_date"] and own["first"] != dates["batch_date"]):
        return None
    return str(own["first"])


def dates_text(summary: dict[str, Any]) -> str:
    """A batch's screening dates in words: `as of 2026-11-01 (each patient's own date)`,
    `as of 2026-12-06 (today's date)`, or both kinds with their numbers of patients."""
    d = summary.get("dates")
    if d is None:  # a summary written before per-patient dates
        return f"as of {summary['as_of']}"
    source = "today's date" if d["batch_date_from"] == "today" else "--as-of"
    if d["policy"] == "--as-of for every patient":
        source = "--force-as-of"
    if d["own_dates_overridden"]:
        source += f"; {d['own_dates_overridden']} patients' own dates overridden"
    own = d["own_dates"]
    if own is None:
        return f"as of {d['batch_date']} ({source})"
    span = own["first"] if own["distinct"] == 1 else f"{own['first']} to {own['last']}, {own['distinct']} dates"
    if not d["patients_at_batch_date"]:
        if own["distinct"] == 1:
            return f"as of {span} (each patient's own date)"
        return f"as of each patient's own date ({span})"
    return (f"as of each patient's own date for {d['patients_at_own_date']} patients ({span}) and as of "
            f"{d['batch_date']} ({source}) for {d['patients_at_batch_date']}")


def _cohort(identity: BatchIdentity, stats: ChunkStats) -> dict[str, Any]:
    return {"path": identity.cohort, "sha256": identity.cohort_sha256, "bytes": identity.cohort_bytes,
            "lines": stats.lines, "patients": stats.patients, "blank_lines": stats.blank,
            "malformed": stats.malformed, "import_warnings": stats.import_warnings,
            "patients_with_import_warnings": stats.patients_with_warnings, "import_warnings_file": IMPORT_WARNINGS}


def _trial(shape: TrialShape, ts: TrialStats) -> dict[str, Any]:
    n = ts.screened
    top = sorted(ts.missing.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_MISSING]
    return {
        "trial_id": shape.trial_id, "title": shape.title, "ruleset_hash": shape.ruleset_hash, "screened": n,
        "verdicts": ts.verdicts, "attrition": _attrition(shape, ts),
        "missing_data": [{"data": k, "patients": v, "pct": _pct(v, n)} for k, v in top],
        "pending_review": ts.pending_review, "optimistic": n - ts.verdicts["ineligible"],
        "pessimistic": ts.pending_review,
        "eligible_from": {"within_30_days": ts.eligible_from["30"],
                          "within_90_days": ts.eligible_from["30"] + ts.eligible_from["90"],
                          "later": ts.eligible_from["later"]},
        "people": _people(ts),
    }


def _people(ts: TrialStats) -> dict[str, dict[str, dict[str, int]]]:
    """{"screened"|"remaining": {"sex"|"age": {value: patients}}}."""
    out: dict[str, dict[str, dict[str, int]]] = {"screened": {"sex": {}, "age": {}}, "remaining": {"sex": {}, "age": {}}}
    for key, n in sorted(ts.people.items()):
        group, _, rest = key.rpartition(".")
        kind, _, value = rest.partition(":")
        out["remaining" if group else "screened"][kind][value] = n
    return out


def _attrition(shape: TrialShape, ts: TrialStats) -> list[dict[str, Any]]:
    """One row per criterion, in rule-set order (OHDSI ATLAS style)."""
    by = ts.by_status
    return [{
        "step": i + 1, "criterion": cid, "kind": kind, "computable": computable,
        "pass": by["pass"][i], "fail": by["fail"][i], "unknown": by["unknown"][i], "review": by["review"][i],
        "remaining": ts.remaining[i], "remaining_pct": _pct(ts.remaining[i], ts.screened),
        "all_pass_so_far": ts.all_pass[i],
        "sole_fail": ts.sole_fail[i], "would_be_eligible": ts.would_be_eligible[i],
        "lost_fail": ts.lost_fail[i], "lost_unknown": ts.lost_unknown[i],
        "remaining_computable": ts.screened - sum(ts.lost_fail[:i + 1]) - sum(ts.lost_unknown[:i + 1]),
        "text": shape.texts[i] if i < len(shape.texts) else "",
    } for i, (cid, kind, computable) in enumerate(shape.criteria)]


def _pct(k: int, n: int) -> float:
    return round(100.0 * k / n, 2) if n else 0.0

"""Screen a cohort (JSON Lines, one patient per line) against trials at scale, resumably.

A cohort is a JSON Lines file (each line a patient profile or a FHIR R4 Bundle, so an NDJSON file
of Bundles is one too), a Parquet file with a `profile` column, or a folder of FHIR Bundles
(`*.json`, one patient per file, taken in sorted file-name order: file k is "line" k).

Design:

* the input is planned into fixed-size chunks by line number (byte ranges found in one pass
  that also hashes the file); workers read their own byte range, so the main process never
  holds patients and memory does not grow with the cohort;
* every worker process builds its own `Screener` (durable_rules state is never shared across
  a fork): in the process-pool initializer for the local executor, on first use for Dask;
* each finished chunk is written atomically (temp file + rename) to ``OUTDIR/parts/``: its
  result rows (Parquet and JSON Lines), its malformed lines and its partial statistics; the
  statistics file is renamed last and marks the chunk done;
* ``OUTDIR/manifest.json`` records the input's hash and every option that changes results;
  the same command run again skips finished chunks, so a killed batch resumes;
* final outputs are assembled in chunk order, so they are identical however the work was
  split, interrupted or distributed.

Outputs: ``results.parquet`` and ``results.jsonl`` (one row per patient x trial: line,
patient id, trial, verdict, per-criterion statuses), ``errors.jsonl`` (malformed lines with
their line numbers), ``summary.json`` (verdict counts, attrition and missing data per trial).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from screening.core.diagnostics import InputError
from screening.core.vocab import STATUSES, VERDICTS
from screening.ruleset import ir
from screening.version import ENGINE_VERSION

MANIFEST_FORMAT = 1
PARTS = "parts"
TOP_MISSING = 15


class BatchError(Exception):
    """A batch cannot run as asked (bad options, an OUTDIR holding another batch)."""


@dataclass(frozen=True)
class Chunk:
    index: int
    start: int  # byte offset (JSON Lines) or row group (Parquet)
    end: int  # byte offset, exclusive (JSON Lines); unused for Parquet
    first_line: int  # 1-based line (row) number of the chunk's first line
    n_lines: int


@dataclass(frozen=True)
class BatchConfig:
    """Everything a worker needs; picklable and small."""

    cohort: str
    outdir: str
    rules_dir: str
    trial_ids: tuple[str, ...]
    as_of: dt.date
    chunk_size: int = 1000
    input_format: str = "jsonl"  # jsonl | parquet | fhir-dir


@dataclass
class TrialShape:
    trial_id: str
    title: str
    ruleset_hash: str
    criteria: list[tuple[str, str, bool]]  # (id, kind, computable)


@dataclass
class BatchResult:
    outdir: Path
    summary: dict[str, Any]
    chunks_total: int
    chunks_skipped: int
    resumed: bool = False
    already_complete: bool = False
    stats: dict[str, Any] = field(default_factory=dict)


# --- planning -------------------------------------------------------------------------------

def plan_jsonl(path: Path, chunk_size: int, block: int = 1 << 18) -> tuple[str, int, list[Chunk]]:
    """One pass over the file: its SHA-256, size and the byte range of every chunk of lines."""
    h = hashlib.sha256()
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
    return h.hexdigest(), size, chunks


def plan_parquet(path: Path) -> tuple[str, int, list[Chunk]]:
    import pyarrow.parquet as pq

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for buf in iter(lambda: f.read(1 << 23), b""):
            h.update(buf)
    meta = pq.ParquetFile(path).metadata
    if "profile" not in meta.schema.names:
        raise BatchError(f"{path}: a Parquet cohort needs a `profile` column of patient JSON documents")
    chunks, first = [], 1
    for rg in range(meta.num_row_groups):
        n = meta.row_group(rg).num_rows
        chunks.append(Chunk(rg, rg, rg, first, n))
        first += n
    return h.hexdigest(), path.stat().st_size, chunks


def fhir_files(folder: Path | str) -> list[str]:
    """The FHIR Bundle files of a cohort folder (`*.json`), in sorted name order."""
    with os.scandir(folder) as it:
        return sorted(e.name for e in it if e.name.endswith(".json") and e.is_file())


def plan_fhir_dir(folder: Path, chunk_size: int) -> tuple[str, int, list[Chunk]]:
    """A folder of Bundles: a SHA-256 over the sorted file names and contents, the total size,
    and chunks of `chunk_size` files (`start`/`end` are file indexes)."""
    names = fhir_files(folder)
    if not names:
        raise BatchError(f"{folder}: no FHIR Bundle files (*.json) in this folder")
    h = hashlib.sha256()
    size = 0
    for name in names:
        data = (folder / name).read_bytes()
        size += len(data)
        h.update(f"{name}\0{len(data)}\0".encode())
        h.update(data)
    chunks = [Chunk(k, i, min(i + chunk_size, len(names)), i + 1, min(chunk_size, len(names) - i))
              for k, i in enumerate(range(0, len(names), chunk_size))]
    return h.hexdigest(), size, chunks


# --- worker side ----------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def init_worker(rules_dir: str, trial_ids: tuple[str, ...]) -> None:
    """Build this process's own catalog, engine and screener (pool initializer)."""
    from screening.ruleset.catalog import load_catalog
    from screening.runtime.evaluate import Screener

    cat = load_catalog(Path(rules_dir), list(trial_ids) or None)
    screener = Screener(cat)
    plans = {}
    for rs in screener.resolve_trials(trial_ids):
        plans[rs.trial_id] = [(c.id, ir.measures_of(c.expr) if c.expr is not None else []) for c in rs.ir.criteria]
    _WORKER.clear()
    _WORKER.update(key=(rules_dir, trial_ids), screener=screener, plans=plans)
    # the screener lives as long as the worker: keep it out of the garbage collector's scans
    gc.collect()
    gc.freeze()


def _worker_state(cfg: BatchConfig) -> dict[str, Any]:
    if _WORKER.get("key") != (cfg.rules_dir, cfg.trial_ids):
        init_worker(cfg.rules_dir, cfg.trial_ids)
    return _WORKER


def _read_lines(cfg: BatchConfig, chunk: Chunk) -> Iterator[tuple[int, bytes | str]]:
    if cfg.input_format == "parquet":
        import pyarrow.parquet as pq

        col = pq.ParquetFile(cfg.cohort).read_row_group(chunk.start, columns=["profile"]).column(0)
        for k, doc in enumerate(col.to_pylist()):
            yield chunk.first_line + k, doc if doc is not None else ""
        return
    with open(cfg.cohort, "rb") as f:
        f.seek(chunk.start)
        data = f.read(chunk.end - chunk.start)
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for k, line in enumerate(lines):
        yield chunk.first_line + k, line


def _read_items(cfg: BatchConfig, chunk: Chunk) -> Iterator[tuple[int, str, bytes | str | OSError]]:
    """(line number, where, text) for each patient of a chunk; `where` names the line or the file
    (a file that cannot be read gives its OSError)."""
    if cfg.input_format == "fhir-dir":
        names = fhir_files(cfg.cohort)[chunk.start:chunk.end]
        for k, name in enumerate(names):
            data: bytes | OSError
            try:
                data = (Path(cfg.cohort) / name).read_bytes()
            except OSError as e:
                data = e
            yield chunk.first_line + k, name, data
        return
    for line_no, raw in _read_lines(cfg, chunk):
        yield line_no, f"line {line_no}", raw


def _new_trial_stats(n: int) -> dict[str, Any]:
    return {"screened": 0, "verdicts": dict.fromkeys(VERDICTS, 0),
            "remaining": [0] * n, "all_pass": [0] * n, "pass": [0] * n, "fail": [0] * n, "unknown": [0] * n,
            "review": [0] * n, "sole_fail": [0] * n, "would_be_eligible": [0] * n, "missing": {}}


def screen_chunk(cfg: BatchConfig, chunk: Chunk) -> dict[str, Any]:
    """Screen one chunk and write its part files atomically; return its statistics."""
    from patients.fhir import is_fhir_json, profile_from_fhir_json
    from patients.io import parse_patient
    from screening.runtime.evaluate import missing_measures

    state = _worker_state(cfg)
    screener, plans = state["screener"], state["plans"]
    rows: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    stats: dict[str, Any] = {"chunk": chunk.index, "lines": chunk.n_lines, "patients": 0, "blank": 0,
                             "malformed": 0, "import_warnings": 0, "patients_with_warnings": 0,
                             "trials": {t: _new_trial_stats(len(p)) for t, p in plans.items()}}
    missing_counters: dict[str, Counter[str]] = {t: Counter() for t in plans}
    in_files = cfg.input_format == "fhir-dir"
    for line_no, where, raw in _read_items(cfg, chunk):
        at = {"line": line_no, "file": where} if in_files else {"line": line_no}
        try:
            if isinstance(raw, OSError):
                raise InputError(f"{where}: cannot read the file: {raw.strerror}")
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            if not text.strip():
                stats["blank"] += 1
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as e:
                pos = f"line {e.lineno} column {e.colno}" if in_files else f"column {e.colno}"
                raise InputError(f"{where}: invalid JSON at {pos}: {e.msg}") from None
            if is_fhir_json(data):
                profile, warnings = profile_from_fhir_json(data, where)
                stats["import_warnings"] += len(warnings)
                stats["patients_with_warnings"] += bool(warnings)
            else:
                profile = parse_patient(data, where)
            outcomes = screener.outcomes(profile, cfg.as_of, cfg.trial_ids)
        except UnicodeDecodeError as e:
            errors.append({**at, "error": f"{where}: not UTF-8: {e.reason}"})
            continue
        except InputError as e:
            errors.append({**at, "error": str(e)})
            continue
        except Exception as e:  # a screening failure on one patient must not stop the batch
            errors.append({**at, "error": f"{where}: screening failed: {type(e).__name__}: {e}"})
            continue
        stats["patients"] += 1
        for out in outcomes:
            plan = plans[out.trial_id]
            ts = stats["trials"][out.trial_id]
            statuses = [out.statuses[cid] for cid, _ in plan]
            rows.append({"line": line_no, "patient_id": profile.id, "trial_id": out.trial_id, "verdict": out.verdict,
                         "statuses": [(cid, s) for (cid, _), s in zip(plan, statuses, strict=True)]})
            _accumulate(ts, statuses, out.verdict)
            if "unknown" in statuses:
                # only the measures of criteria left unknown: data that would decide them
                values = out.values
                subset = {m: values[m] for (_, measures), s in zip(plan, statuses, strict=True) if s == "unknown"
                          for m in measures}
                missing_counters[out.trial_id].update(missing_measures(subset))
    stats["malformed"] = len(errors)
    for t, c in missing_counters.items():
        stats["trials"][t]["missing"] = dict(sorted(c.items()))
    write_part(Path(cfg.outdir), chunk.index, rows, errors, stats)
    return stats


def _accumulate(ts: dict[str, Any], statuses: list[str], verdict: str) -> None:
    ts["screened"] += 1
    ts["verdicts"][verdict] += 1
    nonpass = [i for i, s in enumerate(statuses) if s != "pass"]
    fails = [i for i, s in enumerate(statuses) if s == "fail"]
    first_fail = fails[0] if fails else len(statuses)
    first_nonpass = nonpass[0] if nonpass else len(statuses)
    for i, s in enumerate(statuses):
        ts[s][i] += 1
        if i < first_fail:
            ts["remaining"][i] += 1
        if i < first_nonpass:
            ts["all_pass"][i] += 1
    if len(fails) == 1:
        ts["sole_fail"][fails[0]] += 1
    if len(nonpass) == 1:
        ts["would_be_eligible"][nonpass[0]] += 1


# --- part files -----------------------------------------------------------------------------

def part_path(outdir: Path, index: int, suffix: str) -> Path:
    return outdir / PARTS / f"chunk-{index:07d}{suffix}"


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def results_schema() -> Any:
    import pyarrow as pa

    return pa.schema([("line", pa.int64()), ("patient_id", pa.string()), ("trial_id", pa.string()),
                      ("verdict", pa.string()), ("statuses", pa.map_(pa.string(), pa.string()))])


def _rows_table(rows: list[dict[str, Any]]) -> Any:
    import pyarrow as pa

    schema = results_schema()
    return pa.table({k: [r[k] for r in rows] for k in schema.names}, schema=schema)


def _row_json(r: dict[str, Any]) -> str:
    return json.dumps({"line": r["line"], "patient_id": r["patient_id"], "trial_id": r["trial_id"],
                       "verdict": r["verdict"], "statuses": dict(r["statuses"])},
                      separators=(",", ":"), ensure_ascii=False)


def write_part(outdir: Path, index: int, rows: list[dict[str, Any]], errors: list[dict[str, Any]],
               stats: dict[str, Any]) -> None:
    import io

    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(_rows_table(rows), sink)
    _atomic_write_bytes(part_path(outdir, index, ".parquet"), sink.getvalue())
    _atomic_write_bytes(part_path(outdir, index, ".jsonl"), "".join(_row_json(r) + "\n" for r in rows).encode())
    _atomic_write_bytes(part_path(outdir, index, ".errors.jsonl"),
                        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors).encode())
    # the statistics file is written last: its presence marks the chunk done
    _atomic_write_bytes(part_path(outdir, index, ".stats.json"), json.dumps(stats, sort_keys=True).encode())


def chunk_done(outdir: Path, index: int) -> bool:
    return all(part_path(outdir, index, s).exists() for s in (".stats.json", ".parquet", ".jsonl", ".errors.jsonl"))


# --- driver ---------------------------------------------------------------------------------

def trial_shapes(rules_dir: Path, trial_ids: tuple[str, ...]) -> list[TrialShape]:
    """The trials to screen (all of the catalog when none are named), in the order asked."""
    from screening.core.diagnostics import unknown_trial
    from screening.ruleset.catalog import load_catalog, trial_files

    known = [p.parent.name for p in trial_files(rules_dir)] if rules_dir.is_dir() else []
    for t in trial_ids:
        if t not in known:
            raise BatchError(unknown_trial(t, known))
    cat = load_catalog(rules_dir, list(trial_ids) or None)
    chosen = [cat.rulesets[t] for t in trial_ids] if trial_ids else list(cat.rulesets.values())
    if not chosen:
        raise BatchError(f"{rules_dir}: no trials to screen")
    return [TrialShape(rs.trial_id, rs.model.trial.title, rs.hash,
                       [(c.id, c.kind, c.expr is not None) for c in rs.ir.criteria]) for rs in chosen]


def _manifest_identity(cfg: BatchConfig, digest: str, size: int, n_chunks: int, shapes: list[TrialShape]) -> dict[str, Any]:
    return {"format": MANIFEST_FORMAT, "cohort": cfg.cohort, "cohort_sha256": digest, "cohort_bytes": size,
            "input_format": cfg.input_format, "as_of": cfg.as_of.isoformat(), "chunk_size": cfg.chunk_size,
            "chunks": n_chunks, "trials": [s.trial_id for s in shapes],
            "ruleset_hashes": {s.trial_id: s.ruleset_hash for s in shapes}, "engine_version": ENGINE_VERSION}


ProgressHook = Callable[[int], None]


def run_batch(cohort: Path, outdir: Path, *, trial_ids: tuple[str, ...] = (), as_of: dt.date,
              rules_dir: Path | None = None, workers: int = 1, chunk_size: int = 1000, executor: str = "local",
              scheduler: str | None = None, restart: bool = False,
              on_plan: Callable[[int, int], None] | None = None, on_chunk: ProgressHook | None = None) -> BatchResult:
    """Run (or resume) a batch. `on_plan(total_lines, done_lines)` and `on_chunk(lines)` report progress."""
    from screening.ruleset.catalog import default_rules_dir

    cohort = Path(cohort).resolve()
    outdir = Path(outdir).resolve()
    if not cohort.is_file() and not cohort.is_dir():
        raise BatchError(f"{cohort}: cohort file not found")
    if chunk_size < 1:
        raise BatchError("--chunk-size must be at least 1")
    if workers < 1:
        raise BatchError("--workers must be at least 1")
    rules = Path(rules_dir).resolve() if rules_dir is not None else default_rules_dir().resolve()
    input_format = "fhir-dir" if cohort.is_dir() else "parquet" if cohort.suffix == ".parquet" else "jsonl"
    shapes = trial_shapes(rules, tuple(trial_ids))
    cfg = BatchConfig(str(cohort), str(outdir), str(rules), tuple(s.trial_id for s in shapes), as_of,
                      chunk_size, input_format)
    if input_format == "parquet":
        digest, size, chunks = plan_parquet(cohort)
    elif input_format == "fhir-dir":
        digest, size, chunks = plan_fhir_dir(cohort, chunk_size)
    else:
        digest, size, chunks = plan_jsonl(cohort, chunk_size)
    identity = _manifest_identity(cfg, digest, size, len(chunks), shapes)

    outdir.mkdir(parents=True, exist_ok=True)
    manifest_path = outdir / "manifest.json"
    resumed = False
    if manifest_path.exists():
        try:
            old = json.loads(manifest_path.read_text())
        except (OSError, json.JSONDecodeError):
            old = {}
        same = {k: v for k, v in old.items() if k in identity} == identity
        if not same and not restart:
            diff = sorted(k for k in identity if old.get(k) != identity[k])
            raise BatchError(f"{outdir} holds a batch run with other inputs or options (differs in: {', '.join(diff)}); "
                             "use another output folder or --restart")
        if same and old.get("complete") and not restart:
            summary = json.loads((outdir / "summary.json").read_text())
            return BatchResult(outdir, summary, len(chunks), len(chunks), resumed=True, already_complete=True)
        if restart:
            shutil.rmtree(outdir / PARTS, ignore_errors=True)
        resumed = same and not restart
    parts = outdir / PARTS
    parts.mkdir(exist_ok=True)
    for stale in parts.glob("*.tmp-*"):
        stale.unlink(missing_ok=True)
    _atomic_write_bytes(manifest_path, json.dumps({**identity, "complete": False}, indent=2).encode())

    todo = [c for c in chunks if not chunk_done(outdir, c.index)]
    total_lines = sum(c.n_lines for c in chunks)
    if on_plan:
        on_plan(total_lines, total_lines - sum(c.n_lines for c in todo))
    if todo:
        if executor == "local":
            _run_local(cfg, todo, workers, on_chunk)
        elif executor == "dask":
            _run_dask(cfg, todo, workers, scheduler, on_chunk)
        else:
            raise BatchError(f"unknown executor {executor!r} (local or dask)")
    summary = assemble(outdir, chunks, shapes, identity)
    _atomic_write_bytes(manifest_path, json.dumps({**identity, "complete": True}, indent=2).encode())
    shutil.rmtree(parts, ignore_errors=True)
    return BatchResult(outdir, summary, len(chunks), len(chunks) - len(todo), resumed=resumed and len(todo) < len(chunks))


def _run_local(cfg: BatchConfig, todo: list[Chunk], workers: int, on_chunk: ProgressHook | None) -> None:
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    ctx = mp.get_context("spawn")
    window = workers * 3
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=init_worker,
                             initargs=(cfg.rules_dir, cfg.trial_ids)) as pool:
        pending: set[Future[dict[str, Any]]] = set()
        it = iter(todo)
        for c in it:
            pending.add(pool.submit(screen_chunk, cfg, c))
            if len(pending) >= window:
                break
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                stats = fut.result()
                if on_chunk:
                    on_chunk(stats["lines"])
                nxt = next(it, None)
                if nxt is not None:
                    pending.add(pool.submit(screen_chunk, cfg, nxt))


def _run_dask(cfg: BatchConfig, todo: list[Chunk], workers: int, scheduler: str | None,
              on_chunk: ProgressHook | None) -> None:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:  # pragma: no cover - depends on the installation
        raise BatchError("the dask executor needs dask[distributed]: pip install 'trial-screening[dask]'") from None
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        futures = [client.submit(screen_chunk, cfg, c, key=f"screen-chunk-{c.index}-{os.getpid()}", pure=False)
                   for c in todo]
        for fut in as_completed(futures):
            stats = fut.result()
            if on_chunk:
                on_chunk(stats["lines"])
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --- assembly -------------------------------------------------------------------------------

def assemble(outdir: Path, chunks: list[Chunk], shapes: list[TrialShape], identity: dict[str, Any]) -> dict[str, Any]:
    """Concatenate the parts in chunk order and merge their statistics into the summary."""
    import pyarrow.parquet as pq

    totals: dict[str, Any] = {"lines": 0, "patients": 0, "blank": 0, "malformed": 0, "import_warnings": 0,
                              "patients_with_warnings": 0}
    trials = {s.trial_id: _new_trial_stats(len(s.criteria)) for s in shapes}
    missing: dict[str, Counter[str]] = {s.trial_id: Counter() for s in shapes}
    first_errors: list[dict[str, Any]] = []
    tmp = {name: outdir / f"{name}.tmp-{os.getpid()}" for name in ("results.parquet", "results.jsonl", "errors.jsonl")}
    with pq.ParquetWriter(tmp["results.parquet"], results_schema()) as pw, \
            open(tmp["results.jsonl"], "wb") as rj, open(tmp["errors.jsonl"], "wb") as ej:
        for c in chunks:
            st = json.loads(part_path(outdir, c.index, ".stats.json").read_text())
            for k in totals:
                totals[k] += st.get(k, 0)
            for t, ts in st["trials"].items():
                agg = trials[t]
                agg["screened"] += ts["screened"]
                for v in VERDICTS:
                    agg["verdicts"][v] += ts["verdicts"][v]
                for key in ("remaining", "all_pass", *STATUSES, "sole_fail", "would_be_eligible"):
                    agg[key] = [a + b for a, b in zip(agg[key], ts[key], strict=True)]
                missing[t].update(ts["missing"])
            table = pq.read_table(part_path(outdir, c.index, ".parquet"))
            if table.num_rows:
                pw.write_table(table)
            with open(part_path(outdir, c.index, ".jsonl"), "rb") as f:
                shutil.copyfileobj(f, rj)
            with open(part_path(outdir, c.index, ".errors.jsonl"), "rb") as f:
                data = f.read()
                ej.write(data)
                if len(first_errors) < 20 and data:
                    first_errors += [json.loads(x) for x in data.decode().splitlines()[: 20 - len(first_errors)]]
    for name, p in tmp.items():
        os.replace(p, outdir / name)
    summary = build_summary(identity, totals, shapes, trials, missing, first_errors)
    _atomic_write_bytes(outdir / "summary.json", (json.dumps(summary, indent=2, ensure_ascii=False) + "\n").encode())
    return summary


def build_summary(identity: dict[str, Any], totals: dict[str, Any], shapes: list[TrialShape],
                  trials: dict[str, dict[str, Any]], missing: dict[str, Counter[str]],
                  first_errors: list[dict[str, Any]]) -> dict[str, Any]:
    out_trials = []
    for s in shapes:
        agg = trials[s.trial_id]
        n = agg["screened"]
        attrition = []
        for i, (cid, kind, computable) in enumerate(s.criteria):
            attrition.append({
                "step": i + 1, "criterion": cid, "kind": kind, "computable": computable,
                "pass": agg["pass"][i], "fail": agg["fail"][i], "unknown": agg["unknown"][i], "review": agg["review"][i],
                "remaining": agg["remaining"][i], "remaining_pct": _pct(agg["remaining"][i], n),
                "all_pass_so_far": agg["all_pass"][i],
                "sole_fail": agg["sole_fail"][i], "would_be_eligible": agg["would_be_eligible"][i],
            })
        top = sorted(missing[s.trial_id].items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_MISSING]
        out_trials.append({
            "trial_id": s.trial_id, "title": s.title, "ruleset_hash": s.ruleset_hash, "screened": n,
            "verdicts": agg["verdicts"], "attrition": attrition,
            "missing_data": [{"data": k, "patients": v, "pct": _pct(v, n)} for k, v in top],
        })
    return {
        "engine_version": identity["engine_version"], "as_of": identity["as_of"],
        "cohort": {"path": identity["cohort"], "sha256": identity["cohort_sha256"], "bytes": identity["cohort_bytes"],
                   "lines": totals["lines"], "patients": totals["patients"], "blank_lines": totals["blank"],
                   "malformed": totals["malformed"], "import_warnings": totals["import_warnings"],
                   "patients_with_import_warnings": totals["patients_with_warnings"]},
        "errors": {"count": totals["malformed"], "file": "errors.jsonl", "first": first_errors},
        "outputs": {"results": ["results.parquet", "results.jsonl"], "errors": "errors.jsonl"},
        "notes": {
            "remaining": "patients not failed by any criterion up to and including this one (criteria in rule-set order)",
            "all_pass_so_far": "patients passing every criterion up to and including this one",
            "sole_fail": "patients failed by this criterion alone: no longer ineligible if it were dropped",
            "would_be_eligible": "patients for whom this is the only criterion not passed: eligible if it were dropped",
            "missing_data": "data that would decide criteria left unknown (counted once per patient)",
        },
        "trials": out_trials,
    }


def _pct(k: int, n: int) -> float:
    return round(100.0 * k / n, 2) if n else 0.0


def config_dict(cfg: BatchConfig) -> dict[str, Any]:
    d = asdict(cfg)
    d["as_of"] = cfg.as_of.isoformat()
    return d

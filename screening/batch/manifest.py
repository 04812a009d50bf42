"""The output folder's manifest: which batch OUTDIR holds, and whether it is complete.

``OUTDIR/manifest.json`` records the input's hash and every option that changes results (among
them the batch date and the date policy: per-patient dates are in the input, hashed). Run
again with the same input and options, a batch resumes (finished chunks are skipped) or, if
complete, is not run again; an OUTDIR holding another batch is refused unless restarted.
"""

from __future__ import annotations

import enum
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from screening.batch.config import BatchConfig, BatchError, TrialShape
from screening.batch.dates import DatePolicy
from screening.batch.parts import atomic_write_bytes, prepare_parts_dir, remove_parts
from screening.batch.plan import InputPlan
from screening.version import ENGINE_VERSION

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 3


@dataclass(frozen=True)
class BatchIdentity:
    """What makes two runs the same batch (in manifest.json's key order, after its `format`)."""

    cohort: str
    cohort_sha256: str
    cohort_bytes: int
    input_format: str
    as_of: str  # the batch date: for patients without their own date (or every patient, forced)
    date_policy: str  # DatePolicy.name (whether the batch date comes from --as-of or today changes nothing)
    chunk_size: int
    chunks: int
    trials: list[str]
    ruleset_hashes: dict[str, str]
    engine_version: str

    @classmethod
    def of(cls, cfg: BatchConfig, plan: InputPlan, shapes: list[TrialShape], policy: DatePolicy) -> BatchIdentity:
        return cls(cfg.cohort, plan.sha256, plan.size, cfg.input_format, cfg.as_of.isoformat(), policy.name,
                   cfg.chunk_size, len(plan.chunks), [s.trial_id for s in shapes],
                   {s.trial_id: s.ruleset_hash for s in shapes}, ENGINE_VERSION)

    def to_json(self) -> dict[str, Any]:
        return {"format": MANIFEST_FORMAT, **asdict(self)}

    def differences(self, recorded: dict[str, Any]) -> list[str]:
        """The keys in which a recorded manifest names another batch (sorted; none for this batch)."""
        mine = self.to_json()
        return sorted(k for k in mine if recorded.get(k) != mine[k])


class PriorRun(enum.Enum):
    """What OUTDIR held of this batch before this run."""

    NONE = "none"  # nothing (or a run discarded by --restart)
    PARTIAL = "partial"  # an unfinished run: its finished chunks are reused
    COMPLETE = "complete"  # a finished run: nothing to do


def open_outdir(outdir: Path, identity: BatchIdentity, restart: bool) -> PriorRun:
    """Check that OUTDIR holds no other batch (unless `restart`, which discards it) and, unless this
    batch is complete there, make it ready: parts folder, manifest of an unfinished run."""
    outdir.mkdir(parents=True, exist_ok=True)
    prior = _prior_run(outdir, identity, restart)
    if prior is not PriorRun.COMPLETE:
        prepare_parts_dir(outdir)
        _write_manifest(outdir, identity, complete=False)
    return prior


def record_complete(outdir: Path, identity: BatchIdentity) -> None:
    _write_manifest(outdir, identity, complete=True)


def _prior_run(outdir: Path, identity: BatchIdentity, restart: bool) -> PriorRun:
    recorded = _read_manifest(outdir)
    if recorded is None:
        return PriorRun.NONE
    if restart:
        remove_parts(outdir)
        return PriorRun.NONE
    diff = identity.differences(recorded)
    if diff:
        raise BatchError(f"{outdir} holds a batch run with other inputs or options (differs in: {', '.join(diff)}); "
                         "use another output folder or --restart")
    return PriorRun.COMPLETE if recorded.get("complete") else PriorRun.PARTIAL


def _read_manifest(outdir: Path) -> dict[str, Any] | None:
    """The recorded manifest; None without one, empty when it cannot be read (another batch, then)."""
    path = outdir / MANIFEST
    if not path.exists():
        return None
    try:
        recorded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return recorded


def _write_manifest(outdir: Path, identity: BatchIdentity, complete: bool) -> None:
    atomic_write_bytes(outdir / MANIFEST, json.dumps({**identity.to_json(), "complete": complete}, indent=2).encode())

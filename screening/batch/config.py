"""What a batch is asked to do: its options (`BatchConfig`, handed to every worker), the trials it
screens (`TrialShape`, resolved from the rule folder) and the error for a batch that cannot run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from screening.core.diagnostics import unknown_trial
from screening.ruleset.catalog import load_catalog, trial_files

InputFormat = Literal["jsonl", "parquet", "fhir-dir", "fhir-bulk"]


class BatchError(Exception):
    """A batch cannot run as asked (bad options, an OUTDIR holding another batch or in use, a file
    system error): its message names the path and the reason."""


def io_error(e: OSError, path: Path | str, doing: str) -> BatchError:
    """A file system error as a `BatchError`: `PATH: DOING: REASON` (the error's own file, if it names one)."""
    return BatchError(f"{e.filename or path}: {doing}: {e.strerror or e}")


@dataclass(frozen=True)
class BatchConfig:
    """Everything a worker needs; picklable and small. `as_of` is the batch date: for patients
    without their own date, or for every patient with `force_as_of`."""

    cohort: str
    outdir: str
    rules_dir: str
    trial_ids: tuple[str, ...]
    as_of: dt.date
    chunk_size: int = 1000
    input_format: InputFormat = "jsonl"
    force_as_of: bool = False

    def date_for(self, own: dt.date | None) -> dt.date:
        """The date a patient is screened at, given its own date (if any)."""
        return self.as_of if own is None or self.force_as_of else own


@dataclass
class TrialShape:
    """A trial as the summary presents it: its title, rule-set hash and criteria in rule-set order."""

    trial_id: str
    title: str
    ruleset_hash: str
    criteria: list[tuple[str, str, bool]]  # (id, kind, computable)
    texts: list[str] = field(default_factory=list)  # each criterion's verbatim registry text, in the same order


def trial_shapes(rules_dir: Path, trial_ids: tuple[str, ...]) -> list[TrialShape]:
    """The trials to screen (all of the catalog when none are named), in the order asked."""
    _check_known(rules_dir, trial_ids)
    cat = load_catalog(rules_dir, list(trial_ids) or None)
    chosen = [cat.rulesets[t] for t in trial_ids] if trial_ids else list(cat.rulesets.values())
    if not chosen:
        raise BatchError(f"{rules_dir}: no trials to screen")
    return [TrialShape(rs.trial_id, rs.model.trial.title, rs.hash,
                       [(c.id, c.kind, c.expr is not None) for c in rs.ir.criteria],
                       [c.text for c in rs.ir.criteria]) for rs in chosen]


def _check_known(rules_dir: Path, trial_ids: tuple[str, ...]) -> None:
    """Name an unknown trial before any rule set is loaded."""
    known = [p.parent.name for p in trial_files(rules_dir)] if rules_dir.is_dir() else []
    for t in trial_ids:
        if t not in known:
            raise BatchError(unknown_trial(t, known))

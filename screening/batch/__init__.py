"""Batch screening: a cohort (JSON Lines, Parquet or a folder of FHIR Bundles) against trials, in
worker processes, resumably, with results, errors and a summary written to an output folder.

Modules: `run` (the driver), `config` (options, trials), `plan` (input -> chunks), `manifest`
(which batch an output folder holds), `worker` (screening a chunk), `executors` (process pool,
Dask), `stats` (mergeable counts), `parts` (per-chunk files), `summary` (assembly, summary.json)
and `report` (the HTML report).
"""

from screening.batch.config import BatchError
from screening.batch.run import BatchResult, run_batch

__all__ = ["BatchError", "BatchResult", "run_batch"]

"""The worker side of a batch: each process's screener, reading a chunk's patients, screening them.

Every worker process builds its own `Screener` (durable_rules state is never shared across a
fork): in the process-pool initializer for the local executor, on first use for Dask. A worker
reads its own chunk from the input, so patients never pass through the driver.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.parquet as pq

from patients.io import patient_from_json, patient_size_limit, patient_too_large, unwrap_dated_patient
from patients.model import PatientProfile
from screening.batch.bulk import STAGING, patient_documents
from screening.batch.config import BatchConfig, BatchError, InputFormat, io_error
from screening.batch.dates import AS_OF_COLUMN
from screening.batch.parts import PARTS, ResultRow, write_part
from screening.batch.plan import Chunk, fhir_files
from screening.batch.stats import ChunkStats, TrialStats, remaining
from screening.core.dates import screening_date
from screening.core.diagnostics import InputError
from screening.core.files import FileTooLarge, UnreadableFile, bounded_lines, read_bytes
from screening.core.jsonread import JsonError, read_json
from screening.core.timewindows import age_years
from screening.ruleset import ir
from screening.ruleset.catalog import RuleSet, load_catalog
from screening.runtime.eligibility import eligible_from
from screening.runtime.evaluate import Screener, TrialOutcome, keep_out_of_gc_scans, missing_measures

CriterionMeasures = list[tuple[str, list[ir.Measure]]]  # (criterion id, measures it reads), in rule-set order


@dataclass
class WorkerState:
    """What a worker process keeps between chunks: its screener, and per trial each criterion's measures."""

    key: tuple[str, tuple[str, ...]]  # (rules folder, trial ids) it was built for
    screener: Screener
    measures: dict[str, CriterionMeasures]


_state: WorkerState | None = None


def criterion_measures(rs: RuleSet) -> CriterionMeasures:
    """Each criterion's id and the measures it reads (none for a criterion for review)."""
    return [(c.id, list(dict.fromkeys(leaf.measure for leaf in c.leaves))) for c in rs.ir.criteria]


def init_worker(rules_dir: str, trial_ids: tuple[str, ...]) -> WorkerState:
    """Build this process's own catalog, engine and screener (the process-pool initializer)."""
    global _state
    screener = Screener(load_catalog(Path(rules_dir), list(trial_ids) or None))
    measures = {rs.trial_id: criterion_measures(rs) for rs in screener.resolve_trials(trial_ids)}
    _state = WorkerState((rules_dir, trial_ids), screener, measures)
    keep_out_of_gc_scans()  # the screener lives as long as the worker
    return _state


def _worker_state(cfg: BatchConfig) -> WorkerState:
    if _state is not None and _state.key == (cfg.rules_dir, cfg.trial_ids):
        return _state
    return init_worker(cfg.rules_dir, cfg.trial_ids)


# --- reading a chunk ------------------------------------------------------------------------

class Item(NamedTuple):
    """One patient's input: its line number, its text (or why its file cannot be read), for a
    folder cohort the file it is in, and for a Parquet cohort its `as_of` cell."""

    line: int
    data: bytes | str | OSError | UnreadableFile
    file: str | None = None
    as_of: Any = None

    @property
    def where(self) -> str:
        """How messages name the item: its file, else its line."""
        return self.file if self.file is not None else f"line {self.line}"

    def location(self) -> dict[str, Any]:
        """The item's place in errors.jsonl."""
        return {"line": self.line} if self.file is None else {"line": self.line, "file": self.file}


def read_items(cfg: BatchConfig, chunk: Chunk) -> Iterator[Item]:
    """The patients of a chunk, in line order. A patient's input larger than the patient size limit
    (`patients.io.patient_size_limit`) is not read: its item says so."""
    limit = patient_size_limit()
    if cfg.input_format == "fhir-dir":
        return _bundle_files(Path(cfg.cohort), chunk, limit)
    if cfg.input_format == "fhir-bulk":
        return (Item(k, doc) for k, doc in patient_documents(Path(cfg.outdir) / PARTS / STAGING, chunk.start, chunk.end,
                                                             limit))
    if cfg.input_format == "parquet":
        return _parquet_rows(Path(cfg.cohort), chunk, limit)
    return _jsonl_lines(Path(cfg.cohort), chunk, limit)


def _jsonl_lines(path: Path, chunk: Chunk, limit: int) -> Iterator[Item]:
    with open(path, "rb") as f:
        f.seek(chunk.start)
        for k, line in enumerate(bounded_lines(f, limit, chunk.end)):
            yield Item(chunk.first_line + k, line if line is not None else patient_too_large(limit, "the line"))


def _parquet_rows(path: Path, chunk: Chunk, limit: int) -> Iterator[Item]:
    f = pq.ParquetFile(path)
    columns = ["profile", AS_OF_COLUMN] if AS_OF_COLUMN in f.schema_arrow.names else ["profile"]
    table = f.read_row_group(chunk.start, columns=columns)
    docs = table.column(0).to_pylist()
    dates = table.column(1).to_pylist() if len(columns) == 2 else [None] * len(docs)
    for k, (doc, day) in enumerate(zip(docs, dates, strict=True)):
        if doc is not None and _longer_than(doc, limit):
            doc = patient_too_large(limit, "the profile cell")
        yield Item(chunk.first_line + k, doc if doc is not None else "", as_of=day)


def _longer_than(doc: str | bytes, limit: int) -> bool:
    """Is a Parquet cell's text more than `limit` bytes in UTF-8? (Encoded only when it could be.)"""
    if len(doc) > limit:
        return True
    return isinstance(doc, str) and len(doc) * 4 > limit and len(doc.encode("utf-8", "surrogatepass")) > limit


def _bundle_files(folder: Path, chunk: Chunk, limit: int) -> Iterator[Item]:
    for k, name in enumerate(fhir_files(folder)[chunk.start:chunk.end]):
        data: bytes | UnreadableFile
        try:
            data = read_bytes(folder / name, limit)
        except UnreadableFile as e:  # larger than the limit, gone, unreadable, not a regular file
            data = patient_too_large(limit, "the file") if isinstance(e, FileTooLarge) else e
        yield Item(chunk.first_line + k, data, name)


# --- screening a chunk ----------------------------------------------------------------------

class Parsed(NamedTuple):
    """An item's patient, its FHIR import warnings and its own screening date (if any)."""

    profile: PatientProfile
    warnings: list[str]
    as_of: dt.date | None = None

    @property
    def import_warnings(self) -> int:
        return len(self.warnings)


def parse_item(item: Item, fmt: InputFormat = "jsonl") -> Parsed | None:
    """The item's patient, with its import warnings and its own date; None for a blank line. A
    malformed item raises `InputError` (or `UnicodeDecodeError`), naming its line or file."""
    if isinstance(item.data, OSError):
        raise InputError(f"{item.where}: cannot read the file: {item.data.strerror}")
    if isinstance(item.data, UnreadableFile):
        raise InputError(f"{item.where}: {item.data}")
    text = item.data.decode("utf-8") if isinstance(item.data, bytes) else item.data
    if not text.strip():
        return None
    try:
        data = read_json(text)
    except JsonError as e:
        if e.line is None:
            raise InputError(f"{item.where}: {e.reason}") from None
        pos = f"line {e.line} column {e.column}" if item.file is not None else f"column {e.column}"
        raise InputError(f"{item.where}: invalid JSON at {pos}: {e.reason}") from None
    data, own = _own_date(item, data, fmt)
    profile, warnings = patient_from_json(data, item.where)
    return Parsed(profile, list(warnings), own)


def _own_date(item: Item, data: Any, fmt: InputFormat) -> tuple[Any, dt.date | None]:
    """The patient's JSON and its own date: a JSON Lines line's wrapper, a Parquet row's `as_of` cell."""
    if fmt == "jsonl":
        return unwrap_dated_patient(data, item.where)
    if isinstance(data, dict) and "patient" in data:
        raise InputError(f"{item.where}: a dated patient {{\"patient\", \"as_of\"}} is read from JSON Lines only; "
                         + ("a Parquet cohort's dates go in its as_of column" if fmt == "parquet"
                            else "a folder's bundles are screened at the batch date (--as-of)"))
    if item.as_of is None:
        return data, None
    try:
        return data, screening_date(item.as_of)
    except ValueError as e:
        raise InputError(f"{item.where}: as_of: {e}") from None


def error_message(item: Item, e: Exception) -> str:
    """The errors.jsonl message for an item that could not be screened."""
    if isinstance(e, UnicodeDecodeError):
        return f"{item.where}: not UTF-8: {e.reason}"
    if isinstance(e, InputError):
        return str(e)
    return f"{item.where}: screening failed: {type(e).__name__}: {e}"


class StatusVector(NamedTuple):
    """A trial's statuses, one per criterion in rule-set order, as a result row holds them ((criterion,
    status) pairs), with whether the patient remains (every computable criterion passes) and
    whether a criterion is unknown."""

    pairs: tuple[tuple[str, str], ...]
    remains: bool
    unknown: bool


@dataclass
class TrialTally:
    """One trial's patients in a chunk, counted by what the statistics depend on: the status vector
    and verdict, and the sex, age and whether they remain. Patients share few status vectors (a
    few hundred in a chunk of a thousand), so each vector is analysed once per chunk, when the tally
    is folded into the trial's statistics, instead of once per patient."""

    criteria: CriterionMeasures
    ids: tuple[str, ...] = ()
    vectors: dict[tuple[str, ...], StatusVector] = field(default_factory=dict)
    verdicts: Counter[tuple[tuple[str, ...], str]] = field(default_factory=Counter)
    people: Counter[tuple[str | None, int | None, bool]] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.ids = tuple(cid for cid, _ in self.criteria)

    def vector(self, statuses: tuple[str, ...]) -> StatusVector:
        found = self.vectors.get(statuses)
        if found is None:
            found = self.vectors[statuses] = StatusVector(tuple(zip(self.ids, statuses, strict=True)),
                                                          remaining(statuses), "unknown" in statuses)
        return found

    def fold_into(self, trial: TrialStats) -> None:
        for (statuses, verdict), n in self.verdicts.items():
            trial.accumulate(statuses, verdict, n)
        for (sex, age, remains), n in self.people.items():
            trial.count_people(sex, age, remains, n)
        self.verdicts.clear()
        self.people.clear()


@dataclass
class ChunkOutput:
    """What screening a chunk produces: result rows, malformed items, import warnings and statistics
    (complete once `finish` has folded the per-trial tallies into them)."""

    stats: ChunkStats
    rows: list[ResultRow] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)  # FHIR import warnings, per patient
    tallies: dict[str, TrialTally] = field(default_factory=dict)

    def add_error(self, item: Item, e: Exception) -> None:
        self.errors.append({**item.location(), "error": error_message(item, e)})
        self.stats.malformed += 1

    def add_warnings(self, item: Item, patient_id: str, warnings: list[str]) -> None:
        """A patient's FHIR import warnings (what the import left out), for import_warnings.jsonl."""
        if warnings:
            self.warnings.append({**item.location(), "patient_id": patient_id, "warnings": warnings})

    def add_patient(self, line: int, screened: Screened, measures: dict[str, CriterionMeasures]) -> None:
        self.stats.patients += 1
        self.stats.count_date(screened.as_of, screened.at_own_date, screened.overridden)
        sex, age = screened.sex, screened.age
        for out, dated in zip(screened.outcomes, screened.eligible_from, strict=True):
            tally = self.tallies.get(out.trial_id)
            if tally is None:
                tally = self.tallies[out.trial_id] = TrialTally(measures[out.trial_id])
            got = out.statuses
            statuses = tuple([got[cid] for cid in tally.ids])
            vec = tally.vector(statuses)
            tally.verdicts[statuses, out.verdict] += 1
            tally.people[sex, age, vec.remains] += 1
            self.rows.append(ResultRow(line, screened.patient_id, screened.as_of, out.trial_id, out.verdict,
                                       vec.pairs, dated, sex, age))
            if dated is not None:
                self.stats.trials[out.trial_id].count_eligible_from((dated - screened.as_of).days)
            if vec.unknown:
                self.stats.trials[out.trial_id].missing.update(missing_data(out, tally.criteria, statuses))

    def finish(self) -> ChunkStats:
        """The chunk's statistics, with every patient added so far counted in."""
        for trial_id, tally in self.tallies.items():
            tally.fold_into(self.stats.trials[trial_id])
        return self.stats


def missing_data(out: TrialOutcome, criteria: CriterionMeasures, statuses: Sequence[str]) -> list[str]:
    """The data that would decide the criteria `out` left unknown (only their measures)."""
    values = out.values
    return missing_measures({m: values[m] for (_, measures), s in zip(criteria, statuses, strict=True)
                             if s == "unknown" for m in measures})


class Screened(NamedTuple):
    """A patient screened: its id, the date it was screened at (its own, or the batch date, which may
    have overridden its own), the outcomes, for each the date from which the patient becomes
    eligible if held back only by time (else None), and the patient's sex and age at that date."""

    patient_id: str
    as_of: dt.date
    at_own_date: bool
    overridden: bool
    outcomes: list[TrialOutcome]
    eligible_from: list[dt.date | None]
    sex: str | None
    age: int | None


def _screen_item(item: Item, state: WorkerState, cfg: BatchConfig, output: ChunkOutput) -> Screened | None:
    """The item's patient screened (None for a blank line, counted); raises for a malformed item."""
    parsed = parse_item(item, cfg.input_format)
    if parsed is None:
        output.stats.blank += 1
        return None
    own = parsed.as_of
    day = cfg.date_for(own)
    profile, screener = parsed.profile, state.screener
    outcomes = screener.outcomes(profile, day, cfg.trial_ids)
    dates = []
    for out in outcomes:
        found = eligible_from(screener, profile, day, out.trial_id, out.statuses)
        dates.append(None if found is None else found.date)
    output.stats.count_import_warnings(parsed.import_warnings)
    output.add_warnings(item, profile.id, parsed.warnings)
    return Screened(profile.id, day, own is not None and not cfg.force_as_of, own is not None and own != day,
                    outcomes, dates, None if profile.sex is None else str(profile.sex.value), None if profile.birth_date is None else age_years(profile.birth_date, day))


def screen_chunk(cfg: BatchConfig, chunk: Chunk) -> ChunkStats:
    """Screen one chunk and write its part files atomically; return its statistics. A chunk that
    cannot be read, or whose parts cannot be written, is a `BatchError` naming the path."""
    state = _worker_state(cfg)
    output = ChunkOutput(ChunkStats.empty({t: len(m) for t, m in state.measures.items()}, lines=chunk.n_lines))
    try:
        _screen_items(read_items(cfg, chunk), state, cfg, output)
    except OSError as e:
        raise io_error(e, cfg.cohort, f"cannot read the cohort (chunk {chunk.index})") from None
    except pa.ArrowException as e:
        raise BatchError(f"{cfg.cohort}: cannot read the cohort (chunk {chunk.index}): {e}") from None
    output.finish()
    try:
        write_part(Path(cfg.outdir), chunk.index, output.rows, output.errors, output.stats, output.warnings)
    except OSError as e:
        raise io_error(e, cfg.outdir, "cannot write the batch output") from None
    return output.stats


def _screen_items(items: Iterator[Item], state: WorkerState, cfg: BatchConfig, output: ChunkOutput) -> None:
    """Screen each item into `output`; a malformed item is recorded and the chunk goes on."""
    for item in items:
        try:
            screened = _screen_item(item, state, cfg, output)
        except Exception as e:  # a malformed patient, or a screening failure on one, must not stop the batch
            output.add_error(item, e)
            continue
        if screened is not None:
            output.add_patient(item.line, screened, state.measures)

"""Screening dates in a batch: each patient's own date (a JSON Lines wrapper, a Parquet column) gives
the results of screening that patient alone at that date; a generated cohort's date is used by
default; a far --as-of is refused unless forced; today's date is used with a warning; a bad date is
reported with its line and the batch goes on."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from patients.io import parse_patient
from patients.synthetic import load_spec, write_cohort
from screening.batch import BatchError, run_batch
from screening.batch.dates import InputDates, JsonlDateScan, date_policy, parquet_dates
from screening.batch.summary import dates_text
from screening.batch.worker import Item, parse_item
from screening.core.diagnostics import InputError
from screening.core.timewindows import age_years
from screening.ruleset.catalog import load_catalog
from screening.runtime.eligibility import add_eligibility_dates
from screening.runtime.evaluate import Screener
from tests.batch.conftest import AS_OF, PATIENTS, run_cli

DAY = dt.date.fromisoformat(AS_OF)  # 2026-11-01, the default spec's as_of
TRIALS = ("BATCH-T1", "BATCH-T2")
# per patient P1..P6: its own screening date, or None (screened at the batch date)
OWN = ["2026-11-01", "2026-05-01", None, "2026-10-10", "2026-04-01", "2026-11-01"]
BAD_LINE = 7  # a bad date: reported, and line 8 is still screened
LINES = [*zip(PATIENTS, OWN, strict=True), ({**PATIENTS[0], "id": "BAD"}, "2026-02-30"), (PATIENTS[1], "2026-06-15")]


def _jsonl(path: Path) -> Path:
    path.write_text("".join(json.dumps(p if day is None else {"patient": p, "as_of": day}) + "\n" for p, day in LINES),
                    encoding="utf-8")
    return path


def _parquet(path: Path) -> Path:
    table = pa.table({"profile": [json.dumps(p) for p, _ in LINES], "as_of": [day for _, day in LINES]})
    pq.write_table(table, path, row_group_size=3)
    return path


def _rows(out: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]


def _alone(rules: Path, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row's patient screened alone, at the row's date, as the API and `screening check` do."""
    screener = Screener(load_catalog(rules, list(TRIALS)))
    patients = {p["id"]: p for p, _ in LINES}
    expected = []
    for r in rows[::len(TRIALS)]:
        profile, day = parse_patient(patients[r["patient_id"]]), dt.date.fromisoformat(r["as_of"])
        report = add_eligibility_dates(screener, profile, screener.screen(profile, day, TRIALS))
        age = None if profile.birth_date is None else age_years(profile.birth_date, day)
        expected += [{"line": r["line"], "patient_id": r["patient_id"], "as_of": r["as_of"], "trial_id": t.trial_id,
                      "verdict": t.verdict, "statuses": {c.id: c.status for c in t.criteria},
                      "eligible_from": t.eligible_from and t.eligible_from.date.isoformat(),
                      "sex": profile.sex and profile.sex.value, "age": age} for t in report.results]
    return expected


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["jsonl", "parquet"])
def test_each_patient_is_screened_at_its_own_date(kind: str, batch_rules: Path, tmp_path: Path) -> None:
    cohort = _jsonl(tmp_path / "c.jsonl") if kind == "jsonl" else _parquet(tmp_path / "c.parquet")
    res = run_batch(cohort, tmp_path / "out", as_of=DAY, rules_dir=batch_rules, chunk_size=3)
    rows = _rows(tmp_path / "out")
    assert [(r["line"], r["as_of"]) for r in rows[::2]] == [
        (k, day or AS_OF) for k, (_, day) in enumerate(LINES, start=1) if k != BAD_LINE]
    assert rows == _alone(batch_rules, rows)
    # the dates matter: on 2026-05-01 P2's creatinine (2026-10-15) is not yet measured; on 2026-04-01 P5's
    # (2026-03-01) is recent, though stale on 2026-11-01
    t1 = {r["line"]: r["statuses"] for r in rows if r["trial_id"] == "BATCH-T1"}
    assert (t1[2]["creatinine_ok"], t1[5]["creatinine_ok"]) == ("unknown", "pass")
    errors = [json.loads(x) for x in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert errors == [{"line": BAD_LINE, "error": f"line {BAD_LINE}: as_of: '2026-02-30' is not a date (YYYY-MM-DD)"}]
    d = res.summary["dates"]
    assert d == {"policy": "own date first", "batch_date": AS_OF, "batch_date_from": "--as-of",
                 "patients_at_batch_date": 1, "patients_at_own_date": 6,
                 "own_dates": {"first": "2026-04-01", "last": "2026-11-01", "distinct": 5}, "own_dates_overridden": 0}
    assert res.summary["as_of"] is None and res.summary["cohort"]["malformed"] == 1
    assert dates_text(res.summary) == ("as of each patient's own date for 6 patients (2026-04-01 to 2026-11-01, "
                                       "5 dates) and as of 2026-11-01 (--as-of) for 1")


@pytest.mark.slow
def test_parquet_dates_equal_json_lines_dates(batch_rules: Path, tmp_path: Path) -> None:
    run_batch(_jsonl(tmp_path / "c.jsonl"), tmp_path / "a", as_of=DAY, rules_dir=batch_rules, chunk_size=4)
    run_batch(_parquet(tmp_path / "c.parquet"), tmp_path / "b", as_of=DAY, rules_dir=batch_rules)
    for name in ("results.jsonl", "errors.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    a, b = pq.read_table(tmp_path / "a" / "results.parquet"), pq.read_table(tmp_path / "b" / "results.parquet")
    assert a.equals(b) and a.schema.field("as_of").type == pa.date32()


@pytest.mark.slow
def test_a_generated_cohort_is_screened_at_its_date_by_default(batch_rules: Path, tmp_path: Path) -> None:
    cohort = tmp_path / "c.jsonl"
    write_cohort(cohort, load_spec(), 40, seed=3)
    first = json.loads(cohort.read_text(encoding="utf-8").splitlines()[0])
    assert list(first) == ["patient", "as_of"] and first["as_of"] == AS_OF
    warnings: list[str] = []
    before = dt.date.today().isoformat()
    res = run_batch(cohort, tmp_path / "default", rules_dir=batch_rules, on_warning=warnings.append)
    assert warnings == []
    assert res.summary["as_of"] == AS_OF and res.summary["dates"]["patients_at_own_date"] == 40
    assert res.summary["dates"]["batch_date"] in {before, dt.date.today().isoformat()}  # a run across midnight
    assert dates_text(res.summary) == f"as of {AS_OF} (each patient's own date)"
    run_batch(cohort, tmp_path / "explicit", as_of=DAY, rules_dir=batch_rules)
    results = (tmp_path / "default" / "results.jsonl").read_bytes()
    assert (tmp_path / "explicit" / "results.jsonl").read_bytes() == results

    # a Parquet cohort carries the date in its as_of column
    parquet = tmp_path / "c.parquet"
    write_cohort(parquet, load_spec(), 40, seed=3)
    assert pq.read_table(parquet).column("as_of").to_pylist() == [DAY] * 40
    run_batch(parquet, tmp_path / "parquet", rules_dir=batch_rules)
    assert (tmp_path / "parquet" / "results.jsonl").read_bytes() == results


@pytest.mark.slow
def test_a_far_as_of_is_refused_unless_forced(batch_rules: Path, tmp_path: Path) -> None:
    cohort = tmp_path / "c.jsonl"
    write_cohort(cohort, load_spec(), 30, seed=5)
    later = DAY + dt.timedelta(days=35)
    with pytest.raises(BatchError) as caught:
        run_batch(cohort, tmp_path / "refused", as_of=later, rules_dir=batch_rules)
    assert str(caught.value) == (
        f"--as-of {later} is 35 days after the screening dates the cohort carries ({AS_OF}, on 30 of 30 lines), "
        "and those patients are screened at their own dates, not at --as-of. Leave --as-of out (or give one "
        f"within 30 days of them, e.g. --as-of {AS_OF}) to screen them at their own dates, or add --force-as-of "
        f"to screen every patient as of {later}.")
    assert not (tmp_path / "refused").exists()

    near = run_batch(cohort, tmp_path / "near", as_of=DAY + dt.timedelta(days=30), rules_dir=batch_rules)
    assert near.summary["as_of"] == AS_OF  # within 30 days: accepted, and the patients keep their own date

    forced = run_batch(cohort, tmp_path / "forced", as_of=later, force_as_of=True, rules_dir=batch_rules)
    assert {r["as_of"] for r in _rows(tmp_path / "forced")} == {later.isoformat()}
    assert forced.summary["dates"]["policy"] == "--as-of for every patient"
    assert forced.summary["dates"]["own_dates_overridden"] == 30 and forced.summary["dates"]["own_dates"] is None
    assert dates_text(forced.summary) == f"as of {later} (--force-as-of; 30 patients' own dates overridden)"
    manifest = json.loads((tmp_path / "forced" / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["as_of"], manifest["date_policy"]) == (later.isoformat(), "--as-of for every patient")
    with pytest.raises(BatchError, match=r"differs in: as_of, date_policy\)"):
        run_batch(cohort, tmp_path / "forced", as_of=DAY, rules_dir=batch_rules)


@pytest.mark.slow
def test_the_cli_warns_about_today_and_refuses_a_far_as_of(batch_rules: Path, small_cohort: Path,
                                                          tmp_path: Path) -> None:
    today = dt.date.today()
    proc = run_cli("batch", str(small_cohort), "--rules", str(batch_rules), "--no-progress", "-o", str(tmp_path / "o"))
    err = " ".join(proc.stderr.split())
    assert err.startswith(f"warning: the screening date is today's date, {today}: the cohort carries no screening dates "
                          "and no --as-of was given.")
    assert f"(engine 0.1.0) as of {today} (today's date): 6 patients" in " ".join(proc.stdout.split())

    cohort = tmp_path / "c.jsonl"
    write_cohort(cohort, load_spec(), 5, seed=1)
    far = run_cli("batch", str(cohort), "--rules", str(batch_rules), "--as-of", "2027-03-01", "-o",
                  str(tmp_path / "far"), check=False)
    assert far.returncode == 2 and "--as-of 2027-03-01 is 120 days after" in " ".join(far.stderr.split())
    alone = run_cli("batch", str(cohort), "--rules", str(batch_rules), "--force-as-of", "-o", str(tmp_path / "f"),
                    check=False)
    assert alone.returncode == 2 and "--force-as-of needs --as-of" in alone.stderr
    gen = run_cli("cohort", "generate", "-n", "2", "-o", str(tmp_path / "g.jsonl"))
    assert f"each dated {AS_OF}, the date `screening batch` screens it at" in " ".join(gen.stderr.split())


def test_date_policy_warnings_and_refusals() -> None:
    today = dt.date(2026, 12, 6)
    none, some = InputDates(), InputDates()
    some.add(DAY, 7)
    policy, warnings = date_policy(None, False, none, 10, today)
    assert (policy.as_of, policy.name, policy.source) == (today, "own date first", "today")
    assert warnings[0].startswith("the screening date is today's date, 2026-12-06: the cohort carries no")
    _, warnings = date_policy(None, False, some, 10, today)
    assert warnings == ["3 of 10 lines carry no screening date of their own and no --as-of was given: those patients "
                        "are screened as of today's date, 2026-12-06; pass --as-of YYYY-MM-DD to date them."]
    assert date_policy(None, False, some, 7, today)[1] == []  # every line dated: today's date is not used
    assert date_policy(DAY, False, none, 10, today)[1] == []  # --as-of: no warning, and nothing to be far from
    assert date_policy(dt.date(2026, 1, 1), False, none, 10, today)[0].as_of == dt.date(2026, 1, 1)
    with pytest.raises(BatchError, match=r"--as-of 2026-09-01 is 61 days before .* e\.g\. --as-of 2026-11-01\)"):
        date_policy(dt.date(2026, 9, 1), False, some, 10, today)
    assert date_policy(dt.date(2026, 9, 1), True, some, 10, today)[0].name == "--as-of for every patient"
    with pytest.raises(BatchError, match="--force-as-of needs --as-of"):
        date_policy(None, True, some, 10, today)


def test_the_census_finds_dates_across_block_boundaries(tmp_path: Path) -> None:
    lines = [b'{"patient": {"id": "a"}, "as_of": "2026-10-01"}', b'{"id": "b"}', b'{"as_of" : "2026-11-01","patient":{}}',
             b'{"patient": {"id": "c"}, "as_of": null}', b'{"patient": {"id": "d"}, "as_of": "2026-02-30"}',
             b'{"note": "\\"as_of\\": \\"2026-01-01\\""}', b"", b'{"patient": {}, "as_of": "2026-11-01"}']
    data = b"\n".join(lines) + b"\n"
    for block in (1, 5, 16, 64, len(data)):
        scan = JsonlDateScan()
        for i in range(0, len(data), block):
            scan.feed(data[i:i + block])
        assert scan.result() == InputDates(3, dt.date(2026, 10, 1), dt.date(2026, 11, 1)), block


def test_parquet_census_reads_the_as_of_column(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"profile": ["{}"] * 4, "as_of": ["2026-10-01", None, "bad", "2026-11-01"]}), path)
    assert parquet_dates(path) == InputDates(2, dt.date(2026, 10, 1), dt.date(2026, 11, 1))
    pq.write_table(pa.table({"profile": ["{}"]}), path)
    assert parquet_dates(path) == InputDates()
    pq.write_table(pa.table({"profile": ["{}"], "as_of": pa.array([dt.datetime(2026, 11, 1)], pa.timestamp("ns"))}),
                   path)
    with pytest.raises(BatchError, match=r"the as_of column holds timestamp\[ns\]: it must hold dates or YYYY-MM-DD"):
        parquet_dates(path)


def test_dated_items_by_format() -> None:
    wrapped = json.dumps({"patient": PATIENTS[0], "as_of": "2026-10-01"}).encode()
    parsed = parse_item(Item(1, wrapped))
    assert parsed is not None and (parsed.profile.id, parsed.as_of) == ("P1", dt.date(2026, 10, 1))
    parsed = parse_item(Item(2, json.dumps(PATIENTS[0]), as_of=dt.date(2026, 9, 1)), "parquet")
    assert parsed is not None and parsed.as_of == dt.date(2026, 9, 1)
    with pytest.raises(InputError, match=r"^line 2: as_of: '2026-13-01' is not a date"):
        parse_item(Item(2, json.dumps(PATIENTS[0]), as_of="2026-13-01"), "parquet")
    with pytest.raises(InputError, match="^line 3: a dated patient .* JSON Lines only; a Parquet cohort's dates go in"):
        parse_item(Item(3, wrapped.decode()), "parquet")
    with pytest.raises(InputError, match="^p.json: a dated patient .* a folder's bundles are screened at the batch"):
        parse_item(Item(4, wrapped, "p.json"), "fhir-dir")

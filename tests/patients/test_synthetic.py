"""The synthetic cohort generator: reproducible, valid, plausible."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from patients.io import parse_patient
from patients.synthetic import DEFAULT_SPEC_PATH, CohortSpec, generate, load_spec
from screening.cli.main import app

SPEC = load_spec()


@pytest.fixture(scope="module")
def cohort() -> list[dict]:
    return list(generate(SPEC, 3000, seed=11))


def test_default_spec_file_matches_the_built_in_defaults() -> None:
    assert load_spec(DEFAULT_SPEC_PATH) == CohortSpec()


def test_same_seed_and_spec_give_byte_identical_files(tmp_path: Path) -> None:
    runner = CliRunner()
    outs = []
    for name, seed in (("a.jsonl", 5), ("b.jsonl", 5), ("c.jsonl", 6)):
        res = runner.invoke(app, ["cohort", "generate", "--n", "400", "--seed", str(seed), "-o", str(tmp_path / name)])
        assert res.exit_code == 0, res.output
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1]
    assert outs[0] != outs[2]
    assert outs[0].count(b"\n") == 400


def test_patient_k_does_not_depend_on_cohort_size() -> None:
    small = list(generate(SPEC, 50, seed=3))
    large = list(generate(SPEC, 120, seed=3))
    assert small == large[:50]


def test_every_generated_patient_validates(cohort: list[dict]) -> None:
    ids = set()
    for i, p in enumerate(cohort):
        profile = parse_patient(json.loads(json.dumps(p)), f"patient {i}")
        ids.add(profile.id)
        for _, when in profile.iter_dates():
            assert when <= SPEC.as_of
    assert len(ids) == len(cohort)


def _age(p: dict) -> float | None:
    if "birth_date" not in p:
        return None
    return (SPEC.as_of - dt.date.fromisoformat(p["birth_date"])).days / 365.25


def test_archetype_mix_ages_and_sex_ratios_are_plausible(cohort: list[dict]) -> None:
    by_kind: dict[str, list[dict]] = {}
    for p in cohort:
        by_kind.setdefault(p["id"].split("-")[1], []).append(p)
    total = sum(SPEC.mix.values())
    for prefix, kind in (("op", "osteoporosis"), ("as", "ankylosing_spondylitis"), ("ssc", "systemic_sclerosis"),
                         ("gen", "unrelated"), ("gf", "graft_failure"), ("pgf", "poor_graft_function")):
        share = len(by_kind[prefix]) / len(cohort)
        assert abs(share - SPEC.mix[kind] / total) < 0.04, (kind, share)  # type: ignore[index]
    op = by_kind["op"]
    women = sum(p.get("sex") == "female" for p in op) / len(op)
    assert women > 0.85
    assert statistics.mean(a for p in op if (a := _age(p)) is not None) > 60
    assert sum(p.get("sex") == "male" for p in by_kind["as"]) / len(by_kind["as"]) > 0.6
    assert sum(p.get("sex") == "female" for p in by_kind["ssc"]) / len(by_kind["ssc"]) > 0.7


def test_pregnancy_only_in_plausible_women(cohort: list[dict]) -> None:
    pregnant = 0
    for p in cohort:
        adm = p.get("administrative", {})
        signs = adm.get("pregnant") is True or any(
            o.get("result") == "positive" and o["code"]["code"] in ("2106-3", "2118-8") for o in p.get("observations", [])
        ) or any(c["code"]["code"] in ("77386006", "Z33.1") for c in p.get("conditions", []))
        if signs:
            pregnant += 1
            age = _age(p)
            assert p.get("sex", "female") == "female" and (age is None or 16 <= age <= 46), p["id"]
    assert pregnant > 0


def test_creatinine_in_both_units_with_stale_and_missing_values(cohort: list[dict]) -> None:
    units = Counter()
    stale = fresh = 0
    for p in cohort:
        for o in p.get("observations", []):
            if o["code"]["code"] in ("2160-0", "14682-9"):
                units[(o["code"]["code"], o["unit"])] += 1
                age_days = (SPEC.as_of - dt.date.fromisoformat(o["date"])).days
                stale += age_days > 90
                fresh += age_days <= 90
    assert set(units) == {("2160-0", "mg/dL"), ("14682-9", "umol/L")}
    assert 0.35 < units[("14682-9", "umol/L")] / sum(units.values()) < 0.65
    assert stale > 0 and fresh > stale
    with_creat = sum(any(o["code"]["code"] in ("2160-0", "14682-9") for o in p.get("observations", [])) for p in cohort)
    assert with_creat < len(cohort)  # some are missing


def test_exclusion_findings_are_present(cohort: list[dict]) -> None:
    codes = Counter(c["code"]["code"] for p in cohort for c in p.get("conditions", []))
    assert codes["86406008"] + codes["B20"] > 0 or any(
        o.get("result") == "reactive" for p in cohort for o in p.get("observations", []))
    assert codes["254701007"] + codes["C44.319"] + codes["254651007"] > 0  # excepted skin carcinoma
    assert sum(codes[c] for c in ("C50.9", "C18.9", "C34.9", "C61", "363346000")) > 0
    assert sum(bool(p.get("administrative", {}).get("trial_participations")) for p in cohort) > 0


def test_transplant_patients_have_procedure_then_graft_condition(cohort: list[dict]) -> None:
    seen = 0
    for p in cohort:
        if not p["id"].startswith(("syn-gf-", "syn-pgf-")):
            continue
        seen += 1
        (proc,) = p["procedures"]
        assert proc["code"]["code"] in ("58390007", "234335003")
        graft = [c for c in p["conditions"]
                 if c["code"]["code"] in ("782745005", "primary-graft-failure", "poor-graft-function")]
        assert len(graft) == 1 and graft[0]["onset"] >= proc["date"]
    assert seen > 100


def test_systemic_sclerosis_ulcers_prostacyclin_and_follow_up(cohort: list[dict]) -> None:
    ssc = [p for p in cohort if p["id"].startswith("syn-ssc-")]
    follow_ups = Counter()
    for p in ssc:
        courses = [m for m in p["medications"] if m["code"]["system"] == "atc" and m["code"]["code"].startswith("B01AC")]
        assert courses and all(m["route"] == "intravenous" and m["end"] >= m["start"] for m in courses)
        last_end = max(dt.date.fromisoformat(m["end"]) for m in courses)
        assert p["lesions"]
        for lesion in p["lesions"]:
            assert lesion["kind"] == "digital_ulcer" and lesion["lesion_id"] and lesion["site"]
            assert lesion["diameter_mm"] >= 0
            days = (dt.date.fromisoformat(lesion["date"]) - last_end).days
            for month in (1, 2, 3):
                if abs(days - 30 * month) <= 5:
                    follow_ups[month] += 1
    assert all(follow_ups[m] > 0 for m in (1, 2, 3))
    assert any(lz.get("trend") == "recurred" for p in ssc for lz in p["lesions"])


def test_spec_overrides_and_validation(tmp_path: Path) -> None:
    spec_file = tmp_path / "spec.yaml"
    spec_file.write_text("as_of: '2025-06-30'\nmix: {ankylosing_spondylitis: 1}\n"
                         "ankylosing_spondylitis: {modified_new_york: 1.0}\nmissing: {diagnostic_criteria: 0}\n")
    spec = load_spec(spec_file)
    pts = list(generate(spec, 200, seed=1))
    assert all(p["id"].startswith("syn-as-") for p in pts)
    assert all(c["criteria"] == ["modified New York"] for p in pts for c in p["conditions"]
               if c["code"]["code"] in ("9631008", "M45.9"))
    assert max(d for p in pts for _, d in parse_patient(p).iter_dates()) <= dt.date(2025, 6, 30)
    with pytest.raises(ValidationError):
        CohortSpec.model_validate({"stale_lab": 1.5})
    with pytest.raises(ValidationError):
        CohortSpec.model_validate({"as_of": (dt.date.today() + dt.timedelta(days=30)).isoformat()})
    res = CliRunner().invoke(app, ["cohort", "generate", "--n", "3", "--spec", str(tmp_path / "nope.yaml"),
                                   "-o", str(tmp_path / "x.jsonl")])
    assert res.exit_code == 2 and "not found" in res.output


def test_parquet_output(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["cohort", "generate", "--n", "120", "--seed", "2", "-o", str(tmp_path / "c.parquet")])
    assert res.exit_code == 0, res.output
    table = pq.read_table(tmp_path / "c.parquet")
    assert table.num_rows == 120
    docs = [json.loads(d) for d in table.column("profile").to_pylist()]
    assert docs == list(generate(SPEC, 120, seed=2))

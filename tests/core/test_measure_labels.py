"""Every administrative measure a rule can ask for has a clinician's label, defined once.

The label is what a clinician reads in "data to collect", in the evidence and in an assumption:
never a field name with its underscores turned into spaces ("msc available", "life expectancy
months").
"""

from __future__ import annotations

import datetime as dt
import json
from typing import get_args

import pytest
from typer.testing import CliRunner

from patients.io import parse_patient
from patients.model import Administrative
from screening.cli.main import app as cli
from screening.core.vocab import ADMINISTRATIVE_ITEMS, FlagName, NumberName
from screening.ruleset import ir
from screening.ruleset.render import measure_text
from screening.runtime.facts import PatientFacts
from tests.paths import FIXTURES, REPO

SYNTHEA = FIXTURES / "fhir" / "synthea"  # copies of /work/shared/data/fhir/synthea
NAMES = list(get_args(FlagName)) + list(get_args(NumberName))


def test_every_administrative_field_a_rule_can_read_is_named() -> None:
    assert set(NAMES) == set(ADMINISTRATIVE_ITEMS)
    assert set(NAMES) <= set(Administrative.model_fields)


@pytest.mark.parametrize("name", NAMES)
def test_a_label_is_words_not_a_split_field_name(name: str) -> None:
    item = ADMINISTRATIVE_ITEMS[name]
    for text in (item.label, item.statement) + ((item.absent,) if item.absent else ()):
        assert text and "_" not in text, (name, text)
    assert item.label != name.replace("_", " ")
    # an abbreviation is spelled out, a unit is said as one
    assert "msc " not in item.label.lower() and not item.label.endswith(" months")


def _facts(administrative: dict[str, object] | None = None) -> PatientFacts:
    p = parse_patient({"id": "p", "birth_date": "1970-01-01", "sex": "female",
                       "administrative": administrative or {}})
    return PatientFacts(p, dt.date(2026, 11, 22))


@pytest.mark.parametrize("name", NAMES)
def test_the_runtime_names_missing_data_and_evidence_by_the_label(name: str) -> None:
    label = ADMINISTRATIVE_ITEMS[name].label
    m: ir.Measure = ir.Number(name) if name in get_args(NumberName) else ir.Flag(name)
    assert _facts().compute(m).missing == label
    value: object = 6.0 if isinstance(m, ir.Number) else (
        {"signed": True} if name == "informed_consent" else True)
    v = _facts({name: value}).compute(m)
    assert [e.what for e in v.evidence] == [label]
    if isinstance(m, ir.Flag):
        assumed = _facts().compute(ir.Flag(name, "assume_absent"))
        assert assumed.assumption == f"{label} not recorded: assumed {ADMINISTRATIVE_ITEMS[name].absent}"
        assert measure_text(m) == ADMINISTRATIVE_ITEMS[name].statement


def test_no_field_name_or_code_value_reaches_a_clinician_for_the_bundled_patients() -> None:
    examples = sorted((REPO / "patients" / "examples").glob("*.json")) + sorted(SYNTHEA.glob("*.json"))
    seen: list[str] = []
    for path in examples:
        out = CliRunner().invoke(cli, ["check", str(path), "--as-of", "2026-11-22", "--json"])
        assert out.exit_code == 0, out.output
        for r in json.loads(out.output)["results"]:
            seen += r["data_to_collect"] + r["assumptions"]
            for c in r["criteria"]:
                seen += c["missing_data"] + [e["what"] for e in c["evidence"]] + [c["explanation"]]
                seen += [t["measure"] for t in c["thresholds"]]
    assert "life expectancy (months)" in seen
    assert not [s for s in seen if "_" in s or "msc available" in s or "life expectancy months" in s]

"""Medication records coded only in code systems a query's codes are not written in (an RxNorm
prescription, a concept in ATC) may match the query: never silently read as absent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from patients.model import PatientProfile
from screening.ruleset import ir
from screening.ruleset.catalog import load_catalog
from screening.runtime.domains import UNREAD_SYSTEM, RecordDomains
from screening.runtime.evaluate import Screener

AS_OF = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def screener() -> Iterator[Screener]:
    s = Screener(load_catalog())
    yield s
    s.close()


def patient(*meds: tuple[str, str, str, str | None]) -> PatientProfile:
    """A woman of 60 with medications (system, code, display, end)."""
    return PatientProfile.model_validate({
        "id": "p", "birth_date": "1966-01-01", "sex": "female",
        "medications": [{"code": {"system": s, "code": c, "display": d}, "start": "2026-01-01",
                         **({"end": end} if end else {})} for s, c, d, end in meds]})


def query(*codes: tuple[str, str], prefixes: tuple[tuple[str, str], ...] = ()) -> ir.Records:
    return ir.Records(record="medication", codes=ir.CodeSet(name="immunosuppressants", exact=frozenset(codes),
                                                          prefixes=prefixes))


ATC_ONLY = query(prefixes=(("atc", "L04"),))


@pytest.mark.parametrize(("med", "why"), [
    (("rxnorm", "197381", "mycophenolate mofetil 500 MG Oral Tablet", None), UNREAD_SYSTEM),  # RxNorm: unread
    (("atc", "L04AA06", "mycophenolic acid", None), None),  # in the set
])
def test_a_record_the_codes_cannot_read_may_match(med: Any, why: str | None) -> None:
    (entry,) = RecordDomains(patient(med), AS_OF).entries(ATC_ONLY)
    assert entry[3] == why


@pytest.mark.parametrize("med", [
    ("atc", "C09AA05", "ramipril", None),  # ATC, not in the set: read, and not a match
    ("local", "X1", "home remedy", None),  # the set has no local codes either: unread
])
def test_records_in_a_system_the_codes_use_are_read(med: Any) -> None:
    entries = RecordDomains(patient(med), AS_OF).entries(ATC_ONLY)
    assert entries == [] if med[0] == "atc" else entries[0][3] == UNREAD_SYSTEM


def test_a_set_with_rxnorm_codes_reads_rxnorm_records() -> None:
    q = query(("rxnorm", "68149"), prefixes=(("atc", "L04"),))
    assert RecordDomains(patient(("rxnorm", "197381", "mycophenolate 500 MG", None)), AS_OF).entries(q) == []
    assert q.codes is not None and q.codes.systems == frozenset({"rxnorm", "atc"})


def test_conditions_are_not_concerned() -> None:
    p = PatientProfile.model_validate({"id": "p", "birth_date": "1966-01-01", "sex": "female", "conditions": [
        {"code": {"system": "local", "code": "X", "display": "something"}, "onset": "2020-01-01"}]})
    q = ir.Records(record="condition", codes=ir.CodeSet(name="c", exact=frozenset({("snomed", "1")})))
    assert RecordDomains(p, AS_OF).entries(q) == []


def test_screened_unknown_with_the_reason_and_then_as_before(screener: Screener) -> None:
    """Through the bundled NCT02566655 (immunosuppressive or antiproliferative therapy in ATC): an
    active RxNorm prescription leaves the exclusion unknown, saying why; a stopped one, or an ATC
    medication outside L01/L04, does not apply as before."""
    def result(*meds: Any) -> Any:
        report = screener.screen(patient(*meds), AS_OF, ["NCT02566655"])
        return next(c for c in report.results[0].criteria if c.id == "immunosuppressive_therapy")

    active = result(("rxnorm", "197381", "mycophenolate mofetil 500 MG Oral Tablet", None))
    assert active.status == "unknown"
    assert "may match: coded in RxNorm only, and the codes for immunosuppressive or antiproliferative therapy " \
           "are in ATC" in active.explanation
    assert result(("rxnorm", "197381", "mycophenolate mofetil 500 MG Oral Tablet", "2026-02-01")).status == "pass"
    assert result(("atc", "C09AA05", "ramipril", None)).status == "pass"
    assert result(("atc", "L04AA06", "mycophenolic acid", None)).status == "fail"


def test_an_rxnorm_clinical_drug_named_like_an_ingredient_may_match(screener: Screener) -> None:
    """The library's IV prostacyclins have RxNorm ingredient codes; a prescription coded as an
    RxNorm clinical drug (its own code) names the ingredient: it may be one."""
    trial = screener.catalog.rulesets["EUCTR2015-000168-32-NL"].ir
    q = next(m for c in trial.criteria for leaf in c.leaves for m in _records(leaf.measure)
             if m.codes is not None and m.codes.name.startswith("prostacyclin"))
    drug = ("rxnorm", "1370459", "iloprost 0.01 MG/ML Inhalation Solution", None)  # an SCD, not the ingredient
    (entry,) = RecordDomains(patient(drug), AS_OF).entries(q)
    assert entry[3] == "named"
    assert RecordDomains(patient(("rxnorm", "197381", "mycophenolate 500 MG", None)), AS_OF).entries(q) == []


def _records(m: ir.Measure) -> list[ir.Records]:
    if isinstance(m, ir.Records):
        return [m]
    if isinstance(m, ir.Pairs):
        return [m.anchor, m.event]
    return []


def test_a_vaccine_coded_in_cvx_may_be_in_a_set_of_vaccines_only() -> None:
    """Every CVX code names a vaccine (ATC J07): a CVX-coded record may be in a set written in ATC
    that reaches into J07, and is in no other (a flu shot is not a possible immunosuppressant)."""
    flu = ("cvx", "140", "Influenza, seasonal, injectable, preservative free", "2026-10-01")
    p = patient(flu)
    assert RecordDomains(p, AS_OF).entries(ATC_ONLY) == []
    assert RecordDomains(p, AS_OF).entries(query(prefixes=(("atc", "J07"),)))[0][3] == UNREAD_SYSTEM
    assert RecordDomains(p, AS_OF).entries(query(("atc", "J07BB02")))[0][3] == UNREAD_SYSTEM
    assert RecordDomains(p, AS_OF).entries(query(prefixes=(("atc", "J"),)))[0][3] == UNREAD_SYSTEM
    assert RecordDomains(p, AS_OF).entries(query(prefixes=(("cvx", ""),)))[0][3] is None  # read: in the set

"""A trial too large for one durable_rules ruleset, screened through the real engine (split
into several rulesets by the compiler) and checked against the reference interpretation."""

from __future__ import annotations

from collections.abc import Callable

from tests.language.conftest import Screen, criterion

OPS = ("ge", "le", "gt", "lt")


def numeric_criteria(n: int) -> str:
    out = []
    for i in range(n):
        op = OPS[i % 4]
        when = (f"{{age: {{between: [{i % 90}, {i % 90 + 20}]}}}}" if i % 5 == 4
                else f"{{age: {{{op}: {(i * 7) % 100}}}}}")
        out.append(criterion(f"c{i}", when, kind="inclusion" if i % 3 else "exclusion"))
    return "".join(out)


def test_150_numeric_criteria_screen_as_the_reference_says(screen_rules: Callable[..., Screen]) -> None:
    screen = screen_rules(numeric_criteria(150))
    compiled = screen.screener.catalog.get("T1").compiled
    assert len(compiled.parts) > 1  # one ruleset would refuse most patients (error 303)
    seen = set()
    for born in ("1925-06-30", "1946-11-22", "1960-01-01", "1976-05-05", "1990-12-31", "2008-02-29", "2026-01-01"):
        results = screen(birth_date=born)  # Screen asserts every status against the oracle
        assert len(results) == 150
        seen |= {r.status for r in results.values()}
    assert seen == {"pass", "fail"}

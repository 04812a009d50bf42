"""What a rule-set file says as written (`screening.ruletest.written`), looked up by criterion
id: the line of each criterion and the `latest:` thresholds in the unit the author wrote."""

from __future__ import annotations

from pathlib import Path

from screening.ruleset.catalog import load_catalog
from screening.ruletest.written import WrittenThreshold, criterion_lines, decimals, latest_thresholds
from tests.ruletest.demo import DEMO_TRIAL, write_demo

NESTED = DEMO_TRIAL + """\
  - id: kidneys_and_liver
    kind: inclusion
    text: Creatinine in range, LVEF not below 40% and no very high creatinine.
    source: {document: protocol.pdf, section: Inclusion, item: 5}
    when:
      all:
        - latest: {code: creatinine, between: [0.5 mg/dL, 1.5 mg/dL]}
        - not:
            any:
              - latest: {code: creatinine, ge: 200 umol/L}
              - latest: {code: lvef, lt: 40 %}
"""


def test_criterion_lines_are_the_lines_of_the_entries(rules_root: Path) -> None:
    write_demo(rules_root, trial=NESTED)
    rs = load_catalog(rules_root).get("DEMO-1")
    text = (rules_root / "DEMO-1" / "trial.yaml").read_text(encoding="utf-8").splitlines()
    lines = criterion_lines(rs)
    assert list(lines) == [c.id for c in rs.ir.criteria]
    for cid, line in lines.items():
        assert text[line - 1].strip() == f"- id: {cid}"


def test_latest_thresholds_as_written(rules_root: Path) -> None:
    write_demo(rules_root, trial=NESTED)
    rs = load_catalog(rules_root).get("DEMO-1")
    assert latest_thresholds(rs, "creatinine_ok") == [WrittenThreshold("lt", "1.5 mg/dL", 1.5, "mg/dL")]
    assert latest_thresholds(rs, "kidneys_and_liver") == [
        WrittenThreshold("ge", "0.5 mg/dL", 0.5, "mg/dL"), WrittenThreshold("le", "1.5 mg/dL", 1.5, "mg/dL"),
        WrittenThreshold("ge", "200 umol/L", 200.0, "umol/L"), WrittenThreshold("lt", "40 %", 40.0, "%")]
    assert latest_thresholds(rs, "adult") == []  # an age limit is not a `latest:` test
    assert latest_thresholds(rs, "able_to_comply") == []  # for review: nothing written


def test_decimals_as_written() -> None:
    assert [decimals(x) for x in (176, 1.5, 0.25, 132.602546, 1e-7, 2.0)] == [0, 1, 2, 3, 0, 0]  # 132.603: six significant digits

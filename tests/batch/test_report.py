"""The HTML report of a batch: self-contained (nothing fetched), one funnel per trial, clean errors."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from html import escape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from screening.batch import run_batch
from screening.batch.report import ReportError, _write_html, render, write_report
from screening.cli.main import app
from tests.batch.conftest import AS_OF

DAY = dt.date.fromisoformat(AS_OF)


@pytest.mark.slow
def test_report_is_self_contained_with_funnels(batch_rules: Path, synthetic_cohort: Path, tmp_path: Path) -> None:
    res = run_batch(synthetic_cohort, tmp_path / "out", as_of=DAY, rules_dir=batch_rules, workers=1, chunk_size=200)
    out = tmp_path / "report.html"
    cli = CliRunner().invoke(app, ["report", str(tmp_path / "out"), "-o", str(out)])
    assert cli.exit_code == 0, cli.output
    html = out.read_text(encoding="utf-8")
    # nothing fetched: no script files, links, external images or URLs other than the SVG namespace
    assert "<script src" not in html and "<link" not in html and "<img" not in html and "url(" not in html
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) <= {"http://www.w3.org/2000/svg"}
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    funnels = [ET.fromstring(s) for s in svgs if 'class="funnel"' in s]
    assert len(funnels) == len(res.summary["trials"]) == 2
    ns = "{http://www.w3.org/2000/svg}"
    for trial, svg in zip(res.summary["trials"], funnels, strict=True):
        # one group per criterion; the remaining bar's width is proportional to the patients remaining
        groups = svg.findall(f"{ns}g")
        assert len(groups) == len(trial["attrition"])
        base_w = float(groups[0].findall(f"{ns}rect")[0].get("width"))
        for row, g in zip(trial["attrition"], groups, strict=True):
            bar = float(g.findall(f"{ns}rect")[1].get("width"))
            assert bar == pytest.approx(base_w * row["remaining"] / trial["screened"], abs=0.01)
            assert row["criterion"] in "".join(g.itertext())
    for trial in res.summary["trials"]:
        assert f'id="t-{trial["trial_id"]}"' in html
        assert f"{trial['verdicts']['ineligible']:,}" in html
    assert "line 401" in html  # the malformed line
    for trial in res.summary["trials"]:  # each criterion's registry text; pending review, optimistic, pessimistic
        assert all(escape(a["text"]) in html for a in trial["attrition"])
        assert (f"<b>{trial['pending_review']:,}</b> eligible pending review" in html
                and f"optimistic <b>{trial['optimistic']:,}</b>" in html)
    assert 'id="whatif-data"' in html  # the per-patient statuses the what-if recomputes from
    # a summary written before these counts (no pending review, people, funnel losses or texts) still renders
    old = json.loads(json.dumps(res.summary))
    for t in old["trials"]:
        for key in ("pending_review", "optimistic", "pessimistic", "eligible_from", "people"):
            del t[key]
        for a in t["attrition"]:
            for key in ("lost_fail", "lost_unknown", "remaining_computable", "text"):
                del a[key]
    page = render(old)
    assert "No what-if: no per-patient data." in page and "Not recorded in this summary." in page


def test_report_without_summary_fails_cleanly(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["report", str(tmp_path), "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 2
    assert "summary.json" in res.output
    with pytest.raises(Exception, match="not found"):
        write_report(tmp_path, tmp_path / "r.html")



def test_report_errors_name_the_path(tmp_path: Path) -> None:
    (tmp_path / "summary.json").write_text("[]", encoding="utf-8")
    with pytest.raises(ReportError, match=rf"^{tmp_path}/summary.json: not a batch summary \(TypeError: "):
        write_report(tmp_path, tmp_path / "r.html")
    res = CliRunner().invoke(app, ["report", str(tmp_path), "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 2 and "not a batch summary" in res.output
    blocker = tmp_path / "blocker"
    blocker.write_text("a file", encoding="utf-8")
    with pytest.raises(ReportError, match=rf"^{tmp_path}: is a folder; give the HTML file to write"):
        _write_html(tmp_path, "<html></html>")
    with pytest.raises(ReportError, match=rf"^{blocker}/r.html: cannot write the report: Not a directory$"):
        _write_html(blocker / "r.html", "<html></html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "summary.json"]

"""The report's what-if in a real browser (headless Chromium, Debian's package, driven by
Playwright): switching a criterion off, or moving one, gives the counts a batch run without that
criterion (or with the criteria in that order) gives; tables sort and download as CSV.

The browser fixture is this module's own (nothing shared with other browser tests)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from patients.synthetic import load_spec, write_cohort
from screening.batch import run_batch
from screening.batch.report import write_report
from tests.paths import RULES

pytestmark = pytest.mark.slow  # batches and a browser

CHROMIUM = Path("/usr/bin/chromium")
TRIAL = "NCT02566655"
DROPPED = "established_osteoporosis"
MOVED = "trial_within_6_months"


@pytest.fixture(scope="module")
def page_browser() -> Iterator[Any]:
    """A headless Chromium (the system's) driven by Playwright; closed after the module."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


def _rules(folder: Path, edit: Any = None) -> Path:
    """A copy of the bundled rules with TRIAL's criteria list changed by `edit`."""
    shutil.copytree(RULES, folder)
    if edit is not None:
        yaml = YAML()
        path = folder / TRIAL / "trial.yaml"
        doc = yaml.load(path.read_text(encoding="utf-8"))
        doc["criteria"] = edit(list(doc["criteria"]))
        with path.open("w", encoding="utf-8") as f:
            yaml.dump(doc, f)
    return folder


def _batch(root: Path, name: str, cohort: Path, edit: Any = None) -> dict[str, Any]:
    out = root / name
    run_batch(cohort, out, trial_ids=(TRIAL,), rules_dir=_rules(root / f"rules-{name}", edit), chunk_size=200)
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))["trials"][0]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("whatif")
    cohort = root / "cohort.jsonl"
    write_cohort(cohort, load_spec(), 600, seed=11)
    full = root / "full"
    run_batch(cohort, full, trial_ids=(TRIAL,), rules_dir=RULES, chunk_size=200)
    write_report(full, root / "report.html")

    def moved_first(criteria: list[Any]) -> list[Any]:
        return sorted(criteria, key=lambda c: c["id"] != MOVED)

    return {"report": root / "report.html", "full": full,
            "without": _batch(root, "without", cohort, lambda cs: [c for c in cs if c["id"] != DROPPED]),
            "moved": _batch(root, "moved", cohort, moved_first)}


@pytest.fixture
def page(page_browser: Any, runs: dict[str, Any]) -> Iterator[Any]:
    context = page_browser.new_context(accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(runs["report"].as_uri())
    pg.wait_for_selector("body[data-ready='1']")
    yield pg
    context.close()
    assert errors == []


def _page_counts(section: Any) -> dict[str, Any]:
    kpis = {d.get_attribute("data-count"): int(d.locator("b").inner_text().replace(",", ""))
            for d in section.locator(".wi-kpis > div").all()}
    funnel = [[c.inner_text() for c in row.locator("td").all()][:6] for row in section.locator("table.wi-funnel tbody tr").all()]
    people = {(r.locator("td").nth(0).inner_text(), r.locator("td").nth(1).inner_text()):
              int(r.locator("td").nth(2).inner_text().replace(",", "")) for r in section.locator("table.wi-people tbody tr").all()}
    return {"kpis": kpis, "funnel": funnel, "people": people}


def _batch_counts(trial: dict[str, Any]) -> dict[str, Any]:
    v = trial["verdicts"]
    kpis = {"eligible": v["eligible"], "ineligible": v["ineligible"], "undetermined": v["undetermined"],
            "pending review": trial["pending_review"], "optimistic": trial["optimistic"], "pessimistic": trial["pessimistic"]}
    funnel = [[str(a["step"]), a["criterion"], f"{a['remaining']:,}", f"{a['lost_fail']:,}", f"{a['lost_unknown']:,}",
               f"{a['remaining_computable']:,}"] for a in trial["attrition"]]
    people = {(g, k): n for g in ("sex", "age") for k, n in trial["people"]["remaining"][g].items()}
    return {"kpis": kpis, "funnel": funnel, "people": people}


def test_switching_a_criterion_off_gives_the_batch_without_it(page: Any, runs: dict[str, Any]) -> None:
    section = page.locator(f"#t-{TRIAL}")
    full = json.loads((runs["full"] / "summary.json").read_text(encoding="utf-8"))["trials"][0]
    assert _page_counts(section) == _batch_counts(full)  # before: the batch itself
    section.locator(f".wi-crit li[data-criterion='{DROPPED}'] input[type=checkbox]").uncheck()
    after = _page_counts(section)
    assert after == _batch_counts(runs["without"])
    assert after["kpis"] != _batch_counts(full)["kpis"]  # the criterion mattered
    section.locator(f".wi-crit li[data-criterion='{DROPPED}'] input[type=checkbox]").check()
    assert _page_counts(section) == _batch_counts(full)


def test_moving_a_criterion_gives_the_batch_in_that_order(page: Any, runs: dict[str, Any]) -> None:
    section = page.locator(f"#t-{TRIAL}")
    while section.locator(".wi-crit li").first.get_attribute("data-criterion") != MOVED:
        section.locator(f".wi-crit li[data-criterion='{MOVED}'] button.up").click()
    assert _page_counts(section) == _batch_counts(runs["moved"])


def test_tables_sort_and_download_as_csv(page: Any, runs: dict[str, Any]) -> None:
    table = page.locator(f"#t-{TRIAL} table[data-name='{TRIAL}-criteria']")
    table.locator("thead th", has_text="fail").first.click()
    fails = [int(t.replace(",", "")) for t in table.locator("tbody tr td:nth-child(5)").all_inner_texts()]
    assert fails == sorted(fails) and len(fails) > 3
    with page.expect_download() as info:
        page.locator(f"#t-{TRIAL} button.csv").first.click()
    download = info.value
    assert download.suggested_filename == f"{TRIAL}-criteria.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["#", "criterion", "kind"]
    full = json.loads((runs["full"] / "summary.json").read_text(encoding="utf-8"))["trials"][0]
    assert len(rows) == 1 + len(full["attrition"])
    by_id = {r[1].split(":", 1)[0]: r for r in rows[1:]}
    for a in full["attrition"]:  # each criterion with its registry text and its counts
        assert by_id[a["criterion"]][1] == f"{a['criterion']}: {a['text']}"
        assert int(by_id[a["criterion"]][4].replace(",", "")) == a["fail"]

"""The screening page: served by the service with no external asset, and used in a real browser
(headless Chromium driven by Playwright) against a real uvicorn server on loopback."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import expect

from api import cds
from api.registry import ScreenerRegistry
from patients.fhir import profile_from_fhir_json
from screening.runtime.results import ScreeningReport
from tests.api.conftest import LiveServer
from tests.paths import FIXTURES

AS_OF = "2026-11-22"
SYNTHEA = sorted((FIXTURES / "fhir" / "synthea").glob("*.json"))
EXTERNAL = re.compile(r"""(?:src|href|url)\s*[=(:]\s*["']?\s*(?:https?:)?//""", re.I)


def test_page_and_assets_are_local(client: TestClient) -> None:
    page = client.get("/screening")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for ref in re.findall(r'(?:src|href)="([^"]+)"', page.text):
        assert not re.match(r"(?i)(https?:)?//", ref), ref
        if not ref.startswith(("data:", "#")):
            asset = client.get("/" + ref)
            assert asset.status_code == 200, ref
            assert not EXTERNAL.search(asset.text), ref
    assert client.get("/screening/assets/page.py").status_code == 404


def test_examples_are_offered_as_profiles_and_fhir(client: TestClient) -> None:
    examples = client.get("/screening/examples").json()
    # labelled as a clinician picks a patient (who, born when, with what), not by the file's name
    assert {"Man born 1988, acute myeloblastic leukaemia (example-hsct-003) (FHIR R4 Bundle)",
            "Woman born 1959, postmenopausal osteoporosis with pathological fracture, vertebra (example-op-004) "
            "(profile JSON)"} <= {x["label"] for x in examples}
    assert not any("_" in x["label"] or " patient " in x["label"] for x in examples), examples
    fhir = client.get("/" + next(x["url"] for x in examples if x["label"].endswith("(FHIR R4 Bundle)"))).json()
    assert fhir["resourceType"] == "Bundle"
    profile = client.get("/screening/examples/as_patient").json()
    assert profile["id"] == "example-as-001"
    assert client.get("/screening/examples/nope").status_code == 404


def test_examples_need_the_api_key(make_app: Callable[..., FastAPI]) -> None:
    key = "k" * 32
    with TestClient(make_app(api_keys=frozenset({key}))) as c:
        assert c.get("/screening").status_code == 200  # the page itself holds no data
        assert c.get("/screening/examples").status_code == 401
        assert c.get("/screening/examples/as_patient", headers={"X-API-Key": key}).status_code == 200


# -- in a browser ----------------------------------------------------------------------------

def screenshot_dir(tmp_path: Path) -> Path:
    """Where the browser tests leave their screenshots: $SCREENING_TEST_SCREENSHOTS or a temp dir."""
    out = Path(os.environ.get("SCREENING_TEST_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    return out


def open_page(offline_page: Any, server: LiveServer) -> Any:
    view = offline_page(server)
    view.page.goto(server.url + "/screening")
    return view


def screen_example(view: Any, label: str) -> None:
    page = view.page
    page.wait_for_selector(f"#example option:text-is('{label}')", state="attached")
    page.select_option("#example", label=label)
    expect(page.locator("#patient")).not_to_have_value("")
    page.fill("#as-of", AS_OF)
    page.click("#screen-button")
    page.wait_for_selector("#ranking li.trial")


def shown(page: Any) -> list[dict[str, str]]:
    return page.eval_on_selector_all("#ranking > li", """items => items.map(li => ({
        trial: li.dataset.trial, verdict: li.dataset.verdict,
        badge: li.querySelector('summary .badge').textContent,
        why: li.querySelector('summary .why').textContent}))""")


def in_process(bundle: dict[str, Any], registry: ScreenerRegistry) -> ScreeningReport:
    import datetime as dt

    profile, _ = profile_from_fhir_json(bundle, "bundle")
    return registry.current.screener.screen(profile, dt.date.fromisoformat(AS_OF))


def expected_why(r: Any) -> str:
    if r.verdict == "eligible":
        return "Every criterion met."
    if r.verdict == "ineligible":
        c = next(c for c in r.criteria if c.status == "fail")
        return f"{'Excluded by' if c.kind == 'exclusion' else 'Not met'}: {c.text}"
    parts = []
    if r.data_to_collect:
        n = len(r.data_to_collect)
        parts.append(f"{n} data item{'' if n == 1 else 's'} to collect")
    if r.criteria_to_review:
        n = len(r.criteria_to_review)
        parts.append(f"{n} {'criterion' if n == 1 else 'criteria'} to review")
    return (", ".join(parts) or "Some criteria could not be decided") + "."


def check_criteria_rows(rows: Any, result: Any) -> None:
    """One row per criterion, in order: id, registry text, status badge, evidence dates and units."""
    assert rows.count() == len(result.criteria)
    for n, c in enumerate(result.criteria):
        row = rows.nth(n)
        assert row.get_attribute("data-criterion") == c.id
        assert row.locator(".registry").inner_text() == " ".join(c.text.split())
        assert row.locator(".badge").inner_text().lower() == {"pass": "met", "fail": "not met"}.get(c.status, c.status)
        text = row.inner_text()
        for e in c.evidence:
            assert e.date is None or f"on {e.date.isoformat()}" in text
            assert not e.unit or e.unit in text


@pytest.mark.slow  # a real server and a real browser
@pytest.mark.parametrize(("example", "trial", "verdict"), [
    ("hsct_graft_failure_patient", "NCT03389919", "eligible"),
    ("osteoporosis_patient", "NCT02566655", "undetermined"),
    ("as_patient", "NCT01420432", "ineligible"),
])
def test_page_screens_a_bundled_fhir_example(module_server: LiveServer, offline_page: Any, tmp_path: Path,
                                             shared_registry: ScreenerRegistry, example: str, trial: str,
                                             verdict: str) -> None:
    view = open_page(offline_page, module_server)
    page = view.page
    page.wait_for_selector("#trial-list input[name=trial]")
    offered = httpx.get(f"{module_server.url}/screening/examples").json()
    screen_example(view, next(x["label"] for x in offered if x["url"].endswith(f"/{example}?format=fhir")))

    bundle = httpx.get(f"{module_server.url}/screening/examples/{example}?format=fhir").json()
    report = in_process(bundle, shared_registry)
    ranked = sorted(report.results, key=cds.rank_key)
    assert shown(page) == [{"trial": r.trial_id, "verdict": r.verdict, "badge": r.verdict, "why": expected_why(r)}
                           for r in ranked]
    assert next(r for r in report.results if r.trial_id == trial).verdict == verdict
    assert page.locator("#results-heading").evaluate("e => e === document.activeElement")
    assert f"Patient {report.patient_id}, screened as of {AS_OF}" in page.inner_text("#results-meta")

    # open the trial with the keyboard: its criteria, with registry text, status, evidence, data to collect
    item = page.locator(f"#ranking > li[data-trial='{trial}']")
    item.locator("summary").focus()
    page.keyboard.press("Enter")
    assert item.locator("details").evaluate("d => d.open")
    result = next(r for r in report.results if r.trial_id == trial)
    check_criteria_rows(item.locator("tbody tr"), result)
    collect = [li.strip() for li in item.locator(".collect li").all_inner_texts()]
    assert collect == list(result.data_to_collect)
    assert item.locator(".review li").count() == len(result.criteria_to_review)
    item.screenshot(path=str(screenshot_dir(tmp_path) / f"page-{verdict}-trial.png"))
    page.screenshot(path=str(screenshot_dir(tmp_path) / f"page-{verdict}.png"), full_page=True)
    assert view.blocked == [] and view.errors == []


@pytest.mark.slow
def test_page_reads_an_uploaded_synthea_bundle_and_prints(module_server: LiveServer, offline_page: Any,
                                                          shared_registry: ScreenerRegistry) -> None:
    view = open_page(offline_page, module_server)
    page = view.page
    page.wait_for_selector("#trial-list input[name=trial]")
    page.check("#trial-list input[value='NCT01420432']")
    page.check("#trial-list input[value='NCT03389919']")
    page.set_input_files("#file", str(SYNTHEA[0]))
    expect(page.locator("#patient")).to_have_value(re.compile(r'^\s*\{\s*"resourceType": "Bundle"'))
    page.fill("#as-of", AS_OF)
    page.click("#screen-button")
    page.wait_for_selector("#ranking li.trial")
    report = in_process(json.loads(SYNTHEA[0].read_text(encoding="utf-8")), shared_registry)
    wanted = [r for r in sorted(report.results, key=cds.rank_key) if r.trial_id in ("NCT01420432", "NCT03389919")]
    assert [x["trial"] for x in shown(page)] == [r.trial_id for r in wanted]
    assert page.locator("#warnings li").count() >= 1  # what the FHIR import left out is shown

    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("#ranking details[open]").count() == len(wanted)  # printed expanded
    page.emulate_media(media="print")
    assert not page.locator("#screen-form").is_visible()
    assert page.locator("#ranking").is_visible()
    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("#ranking details[open]").count() == 0
    assert view.blocked == [] and view.errors == []


@pytest.mark.slow
def test_page_uses_the_api_keys(live_server: Callable[..., LiveServer], offline_page: Any) -> None:
    key = "page-test-key-0123456789abcdef"
    server = live_server(env={"SCREENING_API_KEYS": key})
    view = open_page(offline_page, server)
    page = view.page
    page.wait_for_selector("#trial-list >> text=Could not list the trials")
    assert "401" in page.inner_text("#trial-list")
    page.fill("#patient", httpx.get(f"{server.url}/screening/assets/screening.js").text[:0] + json.dumps(
        {"id": "p", "birth_date": "1980-01-01", "sex": "female"}))
    page.click("#screen-button")
    page.wait_for_selector("#error:has-text('401')")
    assert "API key" in page.inner_text("#error")
    page.fill("#api-key", key)
    page.dispatch_event("#api-key", "change")
    page.wait_for_selector("#trial-list input[name=trial]")
    page.click("#screen-button")
    page.wait_for_selector("#ranking li.trial")
    assert page.inner_text("#error") == ""
    assert [e for e in view.errors if "401" not in e] == []  # the refused requests, logged by the browser
    assert view.blocked == []


@pytest.mark.slow
def test_a_card_link_opens_the_page_with_its_trial_ticked(module_server: LiveServer, offline_page: Any) -> None:
    """The CDS Hooks cards link to /screening?trial=<id>: that trial comes ticked, the others not."""
    view = offline_page(module_server)
    view.page.goto(module_server.url + "/screening?trial=NCT01420432")
    view.page.wait_for_selector("#trial-list input[name=trial]")
    ticked = view.page.eval_on_selector_all("#trial-list input:checked", "boxes => boxes.map(b => b.value)")
    assert ticked == ["NCT01420432"]
    assert view.page.locator("#trial-list input[name=trial]").count() > 1

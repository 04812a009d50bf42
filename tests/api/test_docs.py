"""/docs and /redoc work with no network: every script, style and icon the pages name comes from
this service (a real uvicorn server on loopback), out of the assets a maintained package bundles."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.slow  # a real uvicorn server on loopback


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.refs.append(value)


def page_refs(html: str) -> list[str]:
    """Every URL the page loads: src/href attributes and URLs written in its inline script."""
    parser = _Refs()
    parser.feed(html)
    in_script = re.findall(r"""(?:url|spec-url)\s*[:=]\s*['"]([^'"]+)['"]""", html)
    return parser.refs + in_script


@pytest.mark.parametrize(("path", "marker"), [("/docs", "SwaggerUIBundle"), ("/redoc", "<redoc")])
def test_docs_pages_load_only_local_assets(module_server: Any, path: str, marker: str) -> None:
    page = httpx.get(module_server.url + path)
    assert page.status_code == 200
    assert marker in page.text
    refs = page_refs(page.text)
    assert refs, "the page names no asset"
    assert not [r for r in refs if re.match(r"(?i)(https?:)?//", r)], refs  # no CDN, no other host
    assert "fonts.googleapis" not in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    scripts = [r for r in refs if r.endswith(".js")]
    assert scripts, refs
    for ref in refs:
        asset = httpx.get(module_server.url + ref)
        assert asset.status_code == 200, ref
        assert len(asset.content) > (1000 if ref.endswith((".js", ".css")) else 10), ref
        if ref.endswith(".js"):
            assert asset.headers["content-type"].startswith("text/javascript"), ref
        if ref == "/openapi.json":
            assert asset.json()["info"]["title"] == "trial-screening"


def test_unknown_asset_is_404_json(module_server: Any) -> None:
    r = httpx.get(module_server.url + "/docs/assets/__init__.py")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_docs_render_in_a_browser_without_network(module_server: Any, offline_page: Any) -> None:
    """Swagger UI lists the operations and ReDoc the API title, with every other host blocked."""
    view = offline_page(module_server)
    view.page.goto(module_server.url + "/docs")
    view.page.wait_for_selector(".opblock", timeout=30_000)
    assert view.page.locator(".opblock").count() >= 5
    assert view.page.get_by_text("/trials/{trial_id}/screen").count() >= 1
    view.page.goto(module_server.url + "/redoc")
    view.page.wait_for_selector("h1", timeout=30_000)
    assert "trial-screening" in view.page.locator("h1").first.inner_text()
    assert view.page.get_by_text("Screen a patient", exact=True).count() >= 1
    assert view.blocked == []  # the Content-Security-Policy keeps the browser from even trying
    assert [e for e in view.errors if "cdn.redoc.ly/redoc/logo-mini.svg" not in e] == []

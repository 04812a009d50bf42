"""GET /docs (Swagger UI) and GET /redoc (ReDoc), served with no network: the pages load their
scripts and styles from this service, out of the assets the `fastapi-offline` package bundles,
not from a CDN. Like /openapi.json, they need no API key (they hold no patient data)."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from api.errors import ApiError

ASSETS_PATH = "/docs/assets"
# the files the pages load, with their media types; nothing else is served from the package
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
    "favicon.png": "image/png",
}

# The pages may reach this service only. ReDoc's sidebar shows a logo from its vendor's CDN: the
# browser does not even ask for it (the image hides itself when it does not load).
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:")

router = APIRouter(include_in_schema=False)


def _offline(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = CSP
    return page


def assets_dir() -> Path:
    return Path(str(files("fastapi_offline") / "static"))


def _urls(request: Request) -> tuple[str, Callable[[str], str]]:
    """The OpenAPI document's URL and a function giving an asset's URL (behind any root path)."""
    root: str = request.scope.get("root_path", "")
    base = root.rstrip("/")
    return f"{base}{request.app.openapi_url}", lambda name: f"{base}{ASSETS_PATH}/{name}"


@router.get("/docs", response_class=HTMLResponse)
async def swagger_ui(request: Request) -> HTMLResponse:
    openapi, asset_url = _urls(request)
    return _offline(get_swagger_ui_html(
        openapi_url=openapi, title=f"{request.app.title} - Swagger UI", swagger_js_url=asset_url("swagger-ui-bundle.js"),
        swagger_css_url=asset_url("swagger-ui.css"), swagger_favicon_url=asset_url("favicon.png"),
        swagger_ui_parameters={"validatorUrl": None}))  # no badge from the online validator


@router.get("/redoc", response_class=HTMLResponse)
async def redoc(request: Request) -> HTMLResponse:
    openapi, asset_url = _urls(request)
    return _offline(get_redoc_html(openapi_url=openapi, title=f"{request.app.title} - ReDoc", with_google_fonts=False,
                                   redoc_js_url=asset_url("redoc.standalone.js"), redoc_favicon_url=asset_url("favicon.png")))


@router.get(ASSETS_PATH + "/{name}")
async def asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise ApiError(404, "not_found", f"no such asset: {name[:64]}")
    return FileResponse(assets_dir() / name, media_type=ASSETS[name],
                        headers={"Cache-Control": "public, max-age=86400"})

"""GET /screening: the screening page, for coordinators and clinicians. A static page (HTML, one
script, one style sheet, all served here: no external asset) that screens with POST /screen and
lists the trials with GET /trials, with the same API keys as any other client; the bundled
example patients come from GET /screening/examples (as profiles and as FHIR R4 Bundles)."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

from api.errors import ApiError
from api.security import require_api_key
from patients.fhir import profile_to_fhir
from patients.io import examples_dir, parse_patient
from patients.model import PatientProfile

PAGE_PATH = "/screening"
ASSETS = {"screening.js": "text/javascript", "screening.css": "text/css"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'self'")

router = APIRouter(include_in_schema=False)


def static_dir() -> Path:
    return Path(str(files("api") / "static"))


def _examples() -> dict[str, Path]:
    return {p.stem: p for p in sorted(examples_dir().glob("*.json"))}


@router.get(PAGE_PATH, response_class=HTMLResponse)
async def page() -> HTMLResponse:
    html = (static_dir() / "screening.html").read_text(encoding="utf-8")
    return HTMLResponse(html, headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"})


@router.get(PAGE_PATH + "/assets/{name}")
async def asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise ApiError(404, "not_found", f"no such asset: {name[:64]}")
    return FileResponse(static_dir() / name, media_type=ASSETS[name], headers={"X-Content-Type-Options": "nosniff"})


def example_label(profile: PatientProfile) -> str:
    """How a clinician would pick an example patient: sex, year of birth and the first diagnosis
    recorded, as the record names it ("Man born 1984, ankylosing spondylitis (example-as-001)"),
    not the file's name."""
    who = {"male": "Man", "female": "Woman"}.get(profile.sex or "", "Patient")
    born = f" born {profile.birth_date.year}" if profile.birth_date else ""
    first = next((c.code.display for c in profile.conditions if c.code.display), None)
    dx = f", {first[0].lower() + first[1:]}" if first and not first[:2].isupper() else (f", {first}" if first else "")
    return f"{who}{born}{dx} ({profile.id})"


@router.get(PAGE_PATH + "/examples", dependencies=[Depends(require_api_key)])
async def examples() -> list[dict[str, str]]:
    """The bundled example patients, each as a profile and as a FHIR R4 Bundle (its export), labelled
    by who they are (`example_label`)."""
    out = []
    for name, path in _examples().items():
        label = example_label(parse_patient(json.loads(path.read_text(encoding="utf-8")), source=path.name))
        out.append({"id": name, "label": f"{label} (FHIR R4 Bundle)", "url": f"screening/examples/{name}?format=fhir"})
        out.append({"id": name, "label": f"{label} (profile JSON)", "url": f"screening/examples/{name}?format=profile"})
    return out


@router.get(PAGE_PATH + "/examples/{name}", dependencies=[Depends(require_api_key)])
async def example(name: str, format: Literal["profile", "fhir"] = Query("profile")) -> JSONResponse:
    path = _examples().get(name)
    if path is None:
        raise ApiError(404, "not_found", f"no example patient {name[:64]!r}: see GET /screening/examples")
    data: Any = json.loads(path.read_text(encoding="utf-8"))
    if format == "fhir":
        data = profile_to_fhir(parse_patient(data))
    return JSONResponse(data)

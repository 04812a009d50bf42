"""Warm-up at start-up: the first request should not pay for what every process pays once (the
models of the FHIR resources the import reads and of their data types, the import itself, the
unit answers, pydantic's serialisers, the eligibility-date search). The bundled example patients
(between them every record type) are screened on the screening executor, as profiles and as FHIR
R4 Bundles, through the same functions a request uses; the service answers meanwhile (a request
that comes first waits for it on the executor, as it would have paid the same itself)."""

from __future__ import annotations

import json
import logging
import time
from concurrent.futures import Executor, Future

from api.bodies import parse_fhir
from api.registry import ScreenerRegistry
from api.schemas import ScreenRequest
from patients.fhir.bundle import preload_models
from patients.fhir.export import profile_to_fhir
from patients.fhir.importer import RECORD_MAPPERS
from patients.io import examples_dir
from patients.model import PatientProfile

log = logging.getLogger("screening.api")


def warm_up(registry: ScreenerRegistry) -> float:
    """Screen the example patients as profiles and as FHIR, answers thrown away; seconds taken."""
    from api.routes.screen import run_screening  # the request's own path (routes import this package)

    t0 = time.perf_counter()
    # the FHIR models of every resource the import reads, and of the data types they hold
    preload_models(["Bundle", "Patient", "Observation", "Medication", "ResearchSubject", "ResearchStudy", "Consent",
                    *RECORD_MAPPERS])
    for path in sorted(examples_dir().glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        run_screening(registry, ScreenRequest, {"patient": doc}, None)
        bundle = json.dumps(profile_to_fhir(PatientProfile.model_validate(doc))).encode()
        run_screening(registry, ScreenRequest, parse_fhir(bundle), None)
    return time.perf_counter() - t0


def start_warm_up(executor: Executor, registry: ScreenerRegistry) -> Future[float]:
    def run() -> float:
        try:
            took = warm_up(registry)
            log.info("warmed up in %.2f s", took)
            return took
        except Exception as e:  # never keep the service from serving
            log.warning("warm-up failed (the first requests will be slower): %s: %s", type(e).__name__, e)
            return -1.0

    return executor.submit(run)

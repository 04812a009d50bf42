"""Generating a cohort: patient k is drawn from its own random stream, seeded by (seed, k)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from faker import Faker

from patients.synthetic.archetypes import ARCHETYPE_RECORDS
from patients.synthetic.draft import PatientDraft
from patients.synthetic.findings import COMMON_FINDINGS
from patients.synthetic.spec import ARCHETYPES, CohortSpec


def generate(spec: CohortSpec, n: int, seed: int) -> Iterator[dict[str, Any]]:
    """Yield `n` synthetic patients (JSON-ready dicts). Patient k depends only on (spec, seed, k)."""
    kinds = [k for k in ARCHETYPES if spec.mix.get(k, 0) > 0]  # type: ignore[call-overload]
    weights = [spec.mix[k] for k in kinds]  # type: ignore[index]
    fake = Faker()
    for i in range(n):
        # one RNG stream per patient: patient i is the same whatever n is
        rng = random.Random(f"{seed}:{i}")
        fake.seed_instance(rng.getrandbits(64))
        kind = rng.choices(kinds, weights)[0]
        yield draw_patient(PatientDraft(spec, rng, fake, i, kind))


def draw_patient(p: PatientDraft) -> dict[str, Any]:
    """Demographics, the archetype's records, the common findings: the patient as a profile."""
    p.demographics()
    ARCHETYPE_RECORDS[p.kind](p)
    for finding in COMMON_FINDINGS:
        finding(p)
    return p.document()

"""One synthetic patient under construction: its own random stream, the spec's reference date,
and the records drawn so far, with the helpers that add a record.

The order of random draws decides the cohort: a helper draws in a fixed order, so that the same
seed gives the same patients.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from faker import Faker

from patients.synthetic.codes import CREAT_MASS, CREAT_MOLAR
from patients.synthetic.spec import CohortSpec

ID_PREFIX = {"osteoporosis": "op", "graft_failure": "gf", "poor_graft_function": "pgf",
             "ankylosing_spondylitis": "as", "systemic_sclerosis": "ssc", "unrelated": "gen"}
UMOL_PER_MG = 88.4  # creatinine: umol/L per mg/dL


class PatientDraft:
    def __init__(self, spec: CohortSpec, rng: random.Random, fake: Faker, index: int, kind: str):
        self.spec, self.rng, self.fake, self.as_of = spec, rng, fake, spec.as_of
        self.index = index
        self.kind = kind
        self.conditions: list[dict[str, Any]] = []
        self.observations: list[dict[str, Any]] = []
        self.medications: list[dict[str, Any]] = []
        self.procedures: list[dict[str, Any]] = []
        self.lesions: list[dict[str, Any]] = []
        self.admin: dict[str, Any] = {}
        self.birth = self.as_of
        self.sex = "unknown"
        self.age = 0

    # -- draws ------------------------------------------------------------------------------------
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def ago(self, days: int) -> dt.date:
        """`days` before the reference date, and not before birth."""
        d = self.as_of - dt.timedelta(days=max(0, days))
        return max(d, self.birth)

    def lab_date(self, fresh_days: int = 60) -> dt.date:
        """When a lab result was taken: within `fresh_days`, or stale at the spec's rate."""
        if self.chance(self.spec.stale_lab):
            return self.ago(self.rng.randint(120, 540))
        return self.ago(self.rng.randint(0, fresh_days))

    def demographics(self) -> None:
        a = self.spec.age[self.kind]  # type: ignore[index]
        age = min(a.max, max(a.min, round(self.rng.gauss(a.mean, a.sd))))
        self.age = age
        self.birth = self.as_of - dt.timedelta(days=int(age * 365.25) + self.rng.randint(1, 364))
        self.sex = "female" if self.chance(self.spec.female[self.kind]) else "male"  # type: ignore[index]

    def normal_creatinine(self) -> float:
        return self.rng.uniform(50, 95) if self.sex == "female" else self.rng.uniform(60, 110)

    # -- records ----------------------------------------------------------------------------------
    def condition(self, code: dict[str, str], years_ago: float | None = None, *, days_ago: int | None = None,
                  status: str | None = "active", criteria: list[str] | None = None, abated_days_ago: int | None = None,
                  body_site: str | None = None) -> dict[str, Any]:
        rec: dict[str, Any] = {"code": code}
        if days_ago is None and years_ago is not None:
            days_ago = int(years_ago * 365.25)
        if days_ago is not None:
            rec["onset"] = self.ago(days_ago).isoformat()
        if abated_days_ago is not None:
            rec["abatement"] = max(self.ago(abated_days_ago), self.ago(days_ago or 0)).isoformat()
        if status:
            rec["clinical_status"] = status
        rec["verification_status"] = "confirmed"
        if criteria and not self.chance(self.spec.missing.diagnostic_criteria):
            rec["criteria"] = criteria
        if body_site:
            rec["body_site"] = body_site
        self.conditions.append(rec)
        return rec

    def obs(self, code: dict[str, str], date: dt.date, value: float | None = None, unit: str | None = None,
            result: str | None = None) -> None:
        rec: dict[str, Any] = {"code": code, "date": date.isoformat()}
        if value is not None:
            rec["value"] = value
            if unit is not None:
                rec["unit"] = unit
        if result is not None:
            rec["result"] = result
        self.observations.append(rec)

    def lab(self, code: dict[str, str], value: float, unit: str | None, fresh_days: int = 60) -> None:
        """A lab result, unless missing at the spec's rate."""
        if not self.chance(self.spec.missing.lab):
            self.obs(code, self.lab_date(fresh_days), value, unit)

    def creatinine(self, umol: float, fresh_days: int = 60) -> None:
        """Serum creatinine, in umol/L or mg/dL at the spec's rate; unless missing."""
        if self.chance(self.spec.missing.lab):
            return
        date = self.lab_date(fresh_days)
        if self.chance(self.spec.creatinine_molar):
            self.obs(CREAT_MOLAR, date, float(round(umol)), "umol/L")
        else:
            self.obs(CREAT_MASS, date, round(umol / UMOL_PER_MG, 2), "mg/dL")

    def med(self, code: dict[str, str], route: str, start: dt.date, end: dt.date | None = None,
            dose: tuple[float, str] | None = None) -> None:
        rec: dict[str, Any] = {"code": code, "route": route, "start": start.isoformat()}
        if dose:
            rec["dose"] = {"value": float(dose[0]), "unit": dose[1]}
        if end is not None:
            rec["end"] = max(end, start).isoformat()
        self.medications.append(rec)

    # -- the profile ------------------------------------------------------------------------------
    def document(self) -> dict[str, Any]:
        """The patient as a JSON-ready profile; birth date and sex missing at the spec's rates."""
        pid = f"syn-{ID_PREFIX[self.kind]}-{self.index:07d}-{self.fake.hexify('^^^^^^')}"
        out: dict[str, Any] = {"id": pid}
        if not self.chance(self.spec.missing.birth_date):
            out["birth_date"] = self.birth.isoformat()
        if not self.chance(self.spec.missing.sex):
            out["sex"] = self.sex
        for key, recs in (("conditions", self.conditions), ("observations", self.observations),
                          ("medications", self.medications), ("procedures", self.procedures),
                          ("lesions", self.lesions)):
            if recs:
                out[key] = recs
        if self.admin:
            out["administrative"] = self.admin
        return out

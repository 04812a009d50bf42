"""The records of each patient archetype: the disease a trial looks for, its tests and its
treatment. `ARCHETYPE_RECORDS` maps each archetype to its generator; systemic sclerosis, with its
digital ulcers, has a module of its own."""

from __future__ import annotations

from collections.abc import Callable

from patients.synthetic.codes import (
    ALLO_HSCT,
    ANC,
    AS_CODES,
    AS_DRUGS,
    BMD_T,
    DIABETES,
    ECOG,
    GENERAL_DRUGS,
    GENETIC,
    GRAFT_DRUGS,
    HAEM_MALIGNANCY,
    HB,
    LVEF,
    OP_DRUGS,
    OSTEOPOROSIS,
    OTHER_CONDITIONS,
    PGF,
    PLT,
    PRIMARY_GF,
    RA,
)
from patients.synthetic.draft import PatientDraft
from patients.synthetic.systemic_sclerosis import systemic_sclerosis


def osteoporosis(p: PatientDraft) -> None:
    cm = p.spec.comorbidity
    years = p.rng.uniform(0.5, min(20.0, p.age - 40))
    p.condition(p.rng.choice(OSTEOPOROSIS), years, criteria=["WHO T-score <= -2.5"])
    p.lab(BMD_T, round(p.rng.uniform(-4.2, -2.5), 1), "{T-score}", fresh_days=365)
    p.creatinine(p.normal_creatinine() * p.rng.uniform(0.9, 1.4))
    for code, d, u in p.rng.sample(OP_DRUGS, p.rng.randint(0, 2)):
        route = "subcutaneous" if code["code"] == "M05BX04" else "oral"
        p.med(code, route, p.ago(p.rng.randint(30, 2500)), None, (d, u))
    if p.chance(cm.genetic_bone_disorder):
        p.condition(p.rng.choice(GENETIC), p.rng.uniform(5, 40), status="active")
    if p.chance(cm.inflammatory_arthritis):
        p.condition(p.rng.choice(RA), p.rng.uniform(1, 20), status="active", criteria=["ACR/EULAR 2010"])
    elif p.chance(cm.inflammatory_arthritis / 2):
        p.condition(p.rng.choice(AS_CODES), p.rng.uniform(5, 30), status="active")


def graft_failure(p: PatientDraft) -> None:
    _transplant(p, primary_failure=True)


def poor_graft_function(p: PatientDraft) -> None:
    _transplant(p, primary_failure=False)


def _transplant(p: PatientDraft, primary_failure: bool) -> None:
    """An allogeneic stem cell transplant for a blood disease, then primary graft failure or
    poor graft function, with low counts."""
    lo, hi = p.spec.graft.days_since_transplant
    days = p.rng.randint(lo, hi)
    underlying = p.rng.choice(HAEM_MALIGNANCY)
    p.condition(underlying, days_ago=days + p.rng.randint(90, 900), status="remission")
    p.procedures.append({"code": p.rng.choice(ALLO_HSCT), "date": p.ago(days).isoformat(),
                         "outcome": "engraftment failure" if primary_failure else "engrafted"})
    if primary_failure:
        onset = days - p.rng.randint(21, 42)
        p.condition(p.rng.choice(PRIMARY_GF), days_ago=max(onset, 0), status="active")
        anc, plt = p.rng.uniform(0.0, 0.4), p.rng.uniform(2, 18)
    else:
        onset = days - p.rng.randint(28, 120)
        p.condition(p.rng.choice(PGF), days_ago=max(onset, 0), status="active")
        anc, plt = p.rng.uniform(0.2, 1.0), p.rng.uniform(8, 30)
    p.lab(ANC, round(anc, 2), "10*3/uL", fresh_days=14)
    p.lab(PLT, round(plt, 0), "10*3/uL", fresh_days=14)
    p.lab(HB, round(p.rng.uniform(6.5, 9.5), 1), "g/dL", fresh_days=14)
    p.creatinine(p.normal_creatinine() * p.rng.uniform(0.9, 1.8), fresh_days=30)
    code, d, u = p.rng.choice(GRAFT_DRUGS)
    p.med(code, "oral", p.ago(days), None if p.chance(0.6) else p.ago(p.rng.randint(0, days)), (d, u))
    if not p.chance(p.spec.missing.consent):
        p.admin["msc_available"] = p.chance(p.spec.graft.msc_available)


def ankylosing_spondylitis(p: PatientDraft) -> None:
    sp = p.spec.ankylosing_spondylitis
    years = p.rng.uniform(0.5, max(1.0, p.age - 17))
    crit = ["modified New York"] if p.chance(sp.modified_new_york) else ["ASAS axial SpA"]
    p.condition(p.rng.choice(AS_CODES), years, criteria=crit)
    ecog = p.rng.choice([3, 4]) if p.chance(sp.ecog_over_2) else p.rng.choice([0, 0, 1, 1, 2])
    p.lab(ECOG, float(ecog), None, fresh_days=25)
    lvef = p.rng.uniform(30, 45) if p.chance(sp.lvef_low) else p.rng.uniform(50, 70)
    p.lab(LVEF, round(lvef), "%", fresh_days=80)
    umol = p.rng.uniform(180, 320) if p.chance(sp.creatinine_high) else p.normal_creatinine()
    p.creatinine(umol, fresh_days=80)
    for code, d, u in p.rng.sample(AS_DRUGS, p.rng.randint(0, 2)):
        p.med(code, "oral", p.ago(p.rng.randint(60, 2500)), None, (d, u))


def unrelated(p: PatientDraft) -> None:
    """A patient none of the trials looks for: common conditions and drugs."""
    if p.chance(0.2):
        p.condition(DIABETES, p.rng.uniform(1, 20), status="active")
    for code in p.rng.sample(OTHER_CONDITIONS, p.rng.randint(0, 2)):
        p.condition(code, p.rng.uniform(0.5, 15), status=p.rng.choice(["active", "active", "resolved"]))
    p.creatinine(p.normal_creatinine() * p.rng.uniform(0.8, 1.6), fresh_days=200)
    for code, d, u in p.rng.sample(GENERAL_DRUGS, p.rng.randint(0, 2)):
        p.med(code, "oral", p.ago(p.rng.randint(30, 3000)), None, (d, u))
    if p.chance(0.1):
        p.lab(LVEF, round(p.rng.uniform(35, 70)), "%", fresh_days=300)


ARCHETYPE_RECORDS: dict[str, Callable[[PatientDraft], None]] = {
    "osteoporosis": osteoporosis,
    "graft_failure": graft_failure,
    "poor_graft_function": poor_graft_function,
    "ankylosing_spondylitis": ankylosing_spondylitis,
    "systemic_sclerosis": systemic_sclerosis,
    "unrelated": unrelated,
}

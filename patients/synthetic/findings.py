"""The findings any patient may have whatever the archetype: infections and their serologies,
cancers, pregnancy and contraception, earlier trials, immunosuppression, transplants,
hypertension, and research consent. `COMMON_FINDINGS` lists the generators in the order they
draw (the order decides the cohort for a seed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from patients.synthetic.codes import (
    CANCERS,
    HBSAG,
    HBV,
    HCG_SERUM,
    HCG_URINE,
    HCV,
    HCV_AB,
    HIV,
    HIV_TEST,
    HYPERTENSION,
    IMMUNOSUPPRESSANTS,
    LACTATION,
    PREGNANCY,
    SKIN_CARCINOMA,
    TB,
    TRANSPLANT,
    UNCONTROLLED_HT,
)
from patients.synthetic.draft import PatientDraft

TRANSPLANT_ARCHETYPES = ("graft_failure", "poor_graft_function")  # their drugs and transplant are their own


def serologies(p: PatientDraft) -> None:
    """HIV, hepatitis B and C and tuberculosis: serologies usually negative, positive where an
    infection was drawn (and then sometimes the condition too)."""
    cm, missing = p.spec.comorbidity, p.spec.missing
    infections = {"hiv": p.chance(cm.hiv), "hbv": p.chance(cm.hepatitis_b),
                  "hcv": p.chance(cm.hepatitis_c), "tb": p.chance(cm.tuberculosis)}
    for key, test, codes in (("hiv", HIV_TEST, HIV), ("hbv", HBSAG, HBV), ("hcv", HCV_AB, HCV)):
        positive = infections[key]
        if positive and p.chance(0.5):
            p.condition(p.rng.choice(codes), p.rng.uniform(0.5, 12), status="active")
        if positive or not p.chance(missing.serology):
            p.obs(test, p.ago(p.rng.randint(5, 400)),
                  result=("positive" if key != "hiv" else "reactive") if positive else
                  p.rng.choice(["negative", "negative", "non-reactive"]))
    if infections["tb"]:
        p.condition(p.rng.choice(TB), days_ago=p.rng.randint(20, 300), status="active")


def malignancy(p: PatientDraft) -> None:
    if p.chance(p.spec.comorbidity.malignancy_history):
        years = p.rng.uniform(0.3, 15)
        if p.chance(0.35):
            p.condition(p.rng.choice(CANCERS), years, status="active")
        else:
            p.condition(p.rng.choice(CANCERS), years, status="remission",
                        abated_days_ago=int(years * 365.25 * p.rng.uniform(0.1, 0.8)))


def skin_carcinoma(p: PatientDraft) -> None:
    if p.chance(p.spec.comorbidity.skin_carcinoma) and p.age >= 40:
        years = p.rng.uniform(0.2, 8)
        p.condition(p.rng.choice(SKIN_CARCINOMA), years, status="resolved",
                    abated_days_ago=int(years * 365.25) - 30, body_site="skin")


def reproductive_status(p: PatientDraft) -> None:
    """Pregnancy (as a status, a positive test or a condition), lactation and contraception."""
    if p.sex == "female" and 16 <= p.age <= 45 and p.chance(p.spec.comorbidity.pregnancy):
        _pregnancy(p)
    elif p.sex == "female" and 18 <= p.age <= 45:
        _not_pregnant(p)
    elif p.sex == "male" and p.chance(0.3):
        p.admin["adequate_contraception"] = p.chance(0.9)


def _pregnancy(p: PatientDraft) -> None:
    weeks = p.rng.randint(4, 30)
    style = p.rng.random()
    if style < 0.4:
        p.admin["pregnant"] = True
    elif style < 0.7:
        p.obs(p.rng.choice([HCG_URINE, HCG_SERUM]), p.ago(p.rng.randint(0, 20)), result="positive")
    else:
        p.condition(p.rng.choice(PREGNANCY), days_ago=weeks * 7, status="active")


def _not_pregnant(p: PatientDraft) -> None:
    """A woman of childbearing age who is not pregnant: sometimes a negative test, lactation,
    contraception."""
    if p.chance(0.5):
        p.obs(p.rng.choice([HCG_URINE, HCG_SERUM]), p.ago(p.rng.randint(0, 60)), result="negative")
    if p.chance(0.6):
        p.admin["pregnant"] = False
    if p.chance(p.spec.comorbidity.lactation):
        if p.chance(0.5):
            p.admin["lactating"] = True
        else:
            p.condition(p.rng.choice(LACTATION), days_ago=p.rng.randint(20, 200), status="active")
    elif p.chance(0.4):
        p.admin["lactating"] = False
    if p.chance(0.7):
        p.admin["adequate_contraception"] = p.chance(0.85)


def trial_participation(p: PatientDraft) -> None:
    """A recent trial (ongoing or ended), or now and then one long ago."""
    if p.chance(p.spec.comorbidity.recent_trial):
        start = p.ago(p.rng.randint(30, 240))
        tp: dict[str, Any] = {"trial_id": "NCT0" + p.fake.numerify("#######"), "start": start.isoformat()}
        if p.chance(0.6):
            tp["end"] = min(p.as_of, start + dt.timedelta(days=p.rng.randint(14, 180))).isoformat()
        p.admin["trial_participations"] = [tp]
    elif p.chance(0.03):
        start = p.ago(p.rng.randint(800, 3000))
        p.admin["trial_participations"] = [{"trial_id": "NCT0" + p.fake.numerify("#######"),
                                            "start": start.isoformat(),
                                            "end": (start + dt.timedelta(days=p.rng.randint(60, 400))).isoformat()}]


def immunosuppression(p: PatientDraft) -> None:
    if p.chance(p.spec.comorbidity.immunosuppressive) and p.kind not in TRANSPLANT_ARCHETYPES:
        code, d, u = p.rng.choice(IMMUNOSUPPRESSANTS)
        p.med(code, "oral", p.ago(p.rng.randint(60, 2000)), None, (d, u))


def organ_transplant(p: PatientDraft) -> None:
    if p.chance(p.spec.comorbidity.organ_transplant) and p.kind not in TRANSPLANT_ARCHETYPES:
        p.condition(p.rng.choice(TRANSPLANT), p.rng.uniform(1, 15), status="active")


def hypertension(p: PatientDraft) -> None:
    if p.chance(p.spec.comorbidity.uncontrolled_hypertension):
        p.condition(p.rng.choice(UNCONTROLLED_HT), days_ago=p.rng.randint(10, 300), status="active")
    elif p.age > 45 and p.chance(0.3):
        p.condition(HYPERTENSION, p.rng.uniform(1, 20), status="active")


def consent(p: PatientDraft) -> None:
    """Research consent: signed or refused at the spec's rate, sometimes by a representative
    (always for a minor); missing at the spec's rate."""
    sp = p.spec
    if not p.chance(sp.missing.consent):
        signed = p.chance(sp.consent_signed)
        decision: dict[str, Any] = {"signed": signed}
        if signed:
            decision["date"] = p.ago(p.rng.randint(0, 45)).isoformat()
            if p.chance(sp.consent_by_representative) or p.age < 18:
                decision["by_representative"] = True
        p.admin["informed_consent"] = decision


COMMON_FINDINGS: tuple[Callable[[PatientDraft], None], ...] = (
    serologies, malignancy, skin_carcinoma, reproductive_status, trial_participation, immunosuppression,
    organ_transplant, hypertension, consent,
)

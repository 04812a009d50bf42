"""The systemic sclerosis archetype: the disease, IV prostacyclin courses, and digital ulcers
assessed at the last course and followed up after it (healing, or refractory: worsening, stable
or recurred)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from patients.synthetic.codes import FINGER_PARTS, FINGERS, NIFEDIPINE, PROSTACYCLINS, SSC_CODES
from patients.synthetic.draft import PatientDraft

# the follow-up of an ulcer by its course: (days after the last prostacyclin course, diameter as a
# share of the first one, trend)
FOLLOW_UP: dict[str, list[tuple[int, float, str]]] = {
    "worsening": [(30, 1.4, "worsening"), (60, 1.5, "stable"), (90, 1.5, "stable")],
    "stable": [(30, 1.0, "stable"), (60, 1.0, "stable"), (90, 0.95, "stable")],
    "recurred": [(30, 0.5, "improving"), (60, 0.0, "healed"), (90, 0.8, "recurred")],
    "healing": [(30, 0.6, "improving"), (60, 0.2, "improving"), (90, 0.0, "healed")],
}


def systemic_sclerosis(p: PatientDraft) -> None:
    years = p.rng.uniform(1, max(2.0, min(25.0, p.age - 17)))
    p.condition(p.rng.choice(SSC_CODES), years, criteria=["ACR/EULAR 2013"])
    p.creatinine(p.normal_creatinine())
    last_course_end = _prostacyclin_courses(p)
    if p.chance(0.5):
        p.med(NIFEDIPINE, "oral", p.ago(p.rng.randint(200, 3000)), None, (30, "mg"))
    _digital_ulcers(p, last_course_end)
    if p.chance(0.1):
        p.admin["life_expectancy_months"] = float(p.rng.choice([6, 9, 10]))
    elif p.chance(0.3):
        p.admin["life_expectancy_months"] = float(p.rng.choice([60, 120, 240]))


def _prostacyclin_courses(p: PatientDraft) -> dt.date:
    """The last IV prostacyclin course (usually 5 days), sometimes an earlier one too; the end of
    the last one."""
    m_lo, m_hi = p.spec.systemic_sclerosis.course_months_ago
    end = p.ago(p.rng.randint(m_lo * 30, m_hi * 30))
    start = end - dt.timedelta(days=p.rng.choice([4, 4, 4, 2, 6]))
    drug = p.rng.choice(PROSTACYCLINS[:2]) if p.chance(0.9) else PROSTACYCLINS[2]
    p.med(drug, "intravenous", start, end, (0.5, "ng/kg/min") if drug["code"] != "B01AC09" else (2.0, "ng/kg/min"))
    if p.chance(0.3):
        s0 = start - dt.timedelta(days=p.rng.randint(120, 400))
        p.med(drug, "intravenous", s0, s0 + dt.timedelta(days=4), (0.5, "ng/kg/min"))
    return end


def _digital_ulcers(p: PatientDraft, course_end: dt.date) -> None:
    refractory = p.chance(p.spec.systemic_sclerosis.refractory)
    n = p.rng.randint(*p.spec.systemic_sclerosis.ulcers)
    used: set[str] = set()
    calc = p.chance(p.spec.comorbidity.calcinosis)
    for k in range(n):
        site = f"{p.rng.choice(['left', 'right'])} {p.rng.choice(FINGERS)} {p.rng.choice(FINGER_PARTS)}"
        if site in used:
            continue
        used.add(site)
        _ulcer_assessments(p, f"DU{k + 1}", site, course_end, refractory, calc and k == 0)


def _ulcer_assessments(p: PatientDraft, lesion_id: str, site: str, course_end: dt.date, refractory: bool,
                       calcinosis: bool) -> None:
    """One ulcer: assessed at the end of the course, followed up (each visit missing at the
    spec's rate), and when refractory assessed again close to the screening date."""
    d0 = round(p.rng.uniform(2.5, 8.0), 1)
    pattern = p.rng.choice(["worsening", "stable", "recurred"]) if refractory else "healing"
    _assessment(p, lesion_id, site, course_end, d0, "stable", True, calcinosis)
    for offset, share, trend in FOLLOW_UP[pattern]:
        diam = d0 * share
        when = course_end + dt.timedelta(days=offset + p.rng.randint(-5, 5))
        if when > p.as_of or p.chance(p.spec.missing.follow_up):
            continue
        _assessment(p, lesion_id, site, when, round(diam, 1), trend, diam > 0, calcinosis)
    if refractory:
        _assessment(p, lesion_id, site, p.ago(p.rng.randint(0, 20)), round(d0 * p.rng.uniform(0.9, 1.6), 1),
                    "worsening" if pattern == "worsening" else "stable", True, calcinosis)


def _assessment(p: PatientDraft, lesion_id: str, site: str, when: dt.date, diameter: float, trend: str,
                active: bool, calcinosis: bool) -> None:
    """A digital ulcer assessment; its findings missing at the spec's rate."""
    miss = p.spec.missing.lesion_detail
    rec: dict[str, Any] = {"kind": "digital_ulcer", "site": site, "lesion_id": lesion_id,
                           "date": min(when, p.as_of).isoformat(), "diameter_mm": diameter}
    for attr, value in (("visible_depth", active), ("loss_of_dermis", active), ("painful", active)):
        if not p.chance(miss):
            rec[attr] = value
    if calcinosis or p.chance(0.5):
        rec["calcinosis"] = calcinosis
    rec["trend"] = trend
    p.lesions.append(rec)

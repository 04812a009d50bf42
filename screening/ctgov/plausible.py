"""Whether a lab or vital-sign threshold can be its analyte's: the thresholds protocols state for
each, in its value set's unit. One outside is a number of another analyte ('Platelets and ANC ≥
1500/mm3': no platelet threshold is 1.5 x 10^3/uL), a unit missing or wrong ('haemoglobin ≥ 9 g/L'
is 0.9 g/dL), or a slip: the recognisers leave it for review, with the reason."""

from __future__ import annotations

from screening.ctgov.value_sets import canonical_unit

# value set -> the lowest and highest thresholds protocols state for it, in the value set's unit
PLAUSIBLE: dict[str, tuple[float, float]] = {
    "hemoglobin": (3, 25), "platelets": (5, 2000), "neutrophils": (0.1, 30), "leukocytes": (0.3, 500),
    "lymphocytes": (0.05, 500), "body_temperature": (34, 43), "spo2": (50, 100), "qtc": (300, 700),
    "bmi": (10, 80), "heart_rate": (20, 250), "respiratory_rate": (5, 80), "lvef": (5, 90), "inr": (0.5, 10),
    "ferritin": (5, 100000), "crp": (0.1, 1000), "total_bilirubin": (0.3, 50), "glucose": (30, 1000),
    "fasting_glucose": (30, 1000), "hba1c": (3, 25), "systolic_bp": (50, 300), "diastolic_bp": (30, 200),
    "body_weight": (0.3, 400),
    # (0.3 to 15 mg/dL: 'creatinine > 1.5 mmol/L' or '<= 1.5 g/dL' is a slip of the unit, as is a bilirubin '<= 1.5 mg/L')
    "creatinine": (25, 1300), "creatinine_clearance": (5, 200), "egfr": (5, 200),
}


def implausible(value_set: str, value: float | None, stated: str) -> str | None:
    """Why a threshold (in the value set's unit) cannot be the analyte's: outside the thresholds
    protocols state for it. None when it is plausible or no range is known."""
    lo, hi = PLAUSIBLE.get(value_set, (None, None))
    if value is None or lo is None or hi is None or lo <= value <= hi:
        return None
    return (f"the threshold {stated} is implausible for {value_set.replace('_', ' ')} (its thresholds lie between "
            f"{lo:g} and {hi:g} {canonical_unit(value_set)}): a number of another analyte, or a slip")

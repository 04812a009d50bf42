"""Each recogniser on its own: what it drafts from an item's text, and what it leaves alone.

The expected definitions are read by hand from the example texts (the rule-set grammar of
docs/rule-sets.md); they are not copied from the recognisers' output.
"""

from __future__ import annotations

from typing import Any

import pytest

from screening.core.units import UnitError, factor
from screening.ctgov.recognisers import RECOGNISERS, ItemText, recognise, residual
from screening.ctgov.text import unescape

FEMALE = {"sex": ["female"]}
COUNTS = "10*3/uL"

# recogniser -> (text, kind, expected `when` of each finding); [] = nothing drafted
EXAMPLES: dict[str, list[tuple[str, str, list[dict[str, Any]]]]] = {
    "age": [
        ("aged 18-65 years", "inclusion", [{"age": {"between": [18, 65]}}]),
        ("Age ≥ 18 years", "inclusion", [{"age": {"ge": 18}}]),
        ("18 years or older", "inclusion", [{"age": {"ge": 18}}]),
        ("at least 18 years old", "inclusion", [{"age": {"ge": 18}}]),
        ("aged less than 70", "exclusion", [{"age": {"lt": 70}}]),
        # a condition, not an age requirement
        ("For adolescents under 18 years of age, consent of a parent", "inclusion", []),
        ("age between 20 and 10", "inclusion", []),  # a range written backwards
        ("Aged 18-150 years", "inclusion", []),  # no one is 150
    ],
    "ecog": [
        ("ECOG 0-2", "inclusion", [{"latest": {"code": "ecog", "between": [0, 2]}}]),
        ("Eastern Cooperative Oncology Group (ECOG) performance status of 0, 1 or 2", "inclusion",
         [{"latest": {"code": "ecog", "between": [0, 2]}}]),
        ("ECOG ≤ 1", "inclusion", [{"latest": {"code": "ecog", "le": 1}}]),
        ("ECOG performance status of 1 or less", "inclusion", [{"latest": {"code": "ecog", "le": 1}}]),
        (unescape("ECOG performance status =\\< 1"), "inclusion", [{"latest": {"code": "ecog", "le": 1}}]),
        ("ECOG 2-1", "inclusion", []),
        ("Karnofsky ≥ 70", "inclusion", []),
    ],
    "life_expectancy": [
        ("life expectancy of at least 3 months", "inclusion", [{"life_expectancy_months": {"ge": 3}}]),
        ("Life expectancy ≥ 1 year", "inclusion", [{"life_expectancy_months": {"ge": 12}}]),
        ("life expectancy > 12 weeks", "inclusion", [{"life_expectancy_months": {"gt": 2.76}}]),  # 84 / 30.4375
        ("life expectancy is short", "inclusion", []),
    ],
    "infections": [
        ("Known HIV infection", "exclusion", [{"ref": "hiv_positive"}]),
        ("active hepatitis B (HBV) or hepatitis C (HCV)", "exclusion",
         [{"any": [{"ref": "hepatitis_b_positive"}, {"ref": "hepatitis_c_positive"}]}]),
        ("Negative HIV 1/2 antibody, HBsAg and HCV antibody", "inclusion",
         [{"not": {"any": [{"ref": "hiv_positive"}, {"ref": "hepatitis_b_positive"},
                           {"ref": "hepatitis_c_positive"}]}}]),
        ("HIV infection. Hepatitis C is allowed", "exclusion", [{"ref": "hiv_positive"}]),  # first sentence only
        ("Known HIV infection", "inclusion", []),  # an inclusion must ask for a negative test
        ("HIV negative", "exclusion", []),
    ],
    "pregnancy": [
        ("Pregnant or breast-feeding women", "exclusion", [{"all": [FEMALE, {"ref": "pregnant_or_lactating"}]}]),
        ("Pregnant women", "exclusion", [{"all": [FEMALE, {"ref": "pregnant"}]}]),
        ("lactating women", "exclusion", [{"all": [FEMALE, {"ref": "lactating"}]}]),
        ("Negative serum or urine pregnancy test", "inclusion",
         [{"any": [{"sex": ["male"]}, {"not": {"ref": "pregnant"}}]}]),
        ("women who plan to become pregnant", "exclusion", []),  # about contraception
        ("Pregnant women", "inclusion", []),
        ("negative pregnancy test", "exclusion", []),
    ],
    "consent": [
        ("Signed written informed consent", "inclusion", [{"ref": "informed_consent_signed"}]),
        ("informed consent obtained before screening", "inclusion", [{"ref": "informed_consent_signed"}]),
        ("Signed written informed consent", "exclusion", []),
        ("If applicable, signed informed consent", "inclusion", []),
    ],
    "events": [
        ("Chemotherapy within 4 weeks before enrolment", "exclusion",
         [{"medication": {"code": "antineoplastic_agents", "within": "4 weeks"}}]),
        ("participation in another clinical trial in the past 30 days", "exclusion",
         [{"participation": {"within": "30 days"}}]),
        ("immunosuppressive medication within 6 months", "exclusion",
         [{"medication": {"code": ["immunosuppressive_therapy", "systemic_corticosteroids"], "within": "6 months"}}]),
        ("steroids (e.g. prednisone) within 14 days", "exclusion",
         [{"medication": {"code": "systemic_corticosteroids", "within": "14 days"}}]),
        ("history of cancer within the past five years", "exclusion",
         [{"condition": {"code": "malignancy", "within": "5 years"}}]),
        ("chemotherapy; surgery within 4 weeks", "exclusion", []),  # the window belongs to another clause
        ("chemotherapy in 5 years", "exclusion", []),  # no window
    ],
    "labs": [
        ("Hemoglobin ≥ 9 g/dL", "inclusion", [{"latest": {"code": "hemoglobin", "ge": "9 g/dL"}}]),
        ("Hemoglobin 9 g/dL or more", "inclusion", [{"latest": {"code": "hemoglobin", "ge": "9 g/dL"}}]),
        ("Serum creatinine of 2.0 mg/dl or less", "inclusion", [{"latest": {"code": "creatinine", "le": "2 mg/dL"}}]),
        ("total bilirubin ≤ 25 umol/L", "inclusion", [{"latest": {"code": "total_bilirubin", "le": "25 umol/L"}}]),
        ("Platelet count of 100.000/mm³ or more", "inclusion", [{"latest": {"code": "platelets", "ge": f"100 {COUNTS}"}}]),
        ("ANC ≥ 1.5 x 10^9/L", "inclusion", [{"latest": {"code": "neutrophils", "ge": f"1.5 {COUNTS}"}}]),
        ("BMI <18 or >35 kg/m2", "exclusion",  # the trailing unit applies to both bounds
         [{"any": [{"latest": {"code": "bmi", "lt": "18 kg/m2"}}, {"latest": {"code": "bmi", "gt": "35 kg/m2"}}]}]),
        ("oral temperature of >100.4 °F", "exclusion", [{"latest": {"code": "body_temperature", "gt": "38 Cel"}}]),
        ("Creatinine ≤ 1.5 x ULN", "inclusion", []),  # no unit
        ("WBC 3,000 or more", "inclusion", []),  # no unit
        ("AST ≤ 100 mg/dL", "inclusion", []),  # no value set
        ("platelets ≥ 75 mmHg", "inclusion", []),  # a unit that does not convert
        ("Hemoglobin ≥ 9 g/dL and ≥ 10 g/dL", "inclusion", []),  # two lower bounds: not one range
    ],
}


def _cases() -> list[Any]:
    return [pytest.param(name, text, kind, expected, id=f"{name}: {text[:40]} ({kind})")
            for name, examples in EXAMPLES.items() for text, kind, expected in examples]


@pytest.mark.parametrize(("name", "text", "kind", "expected"), _cases())
def test_recogniser_drafts_what_the_text_states(name: str, text: str, kind: str,
                                                 expected: list[dict[str, Any]]) -> None:
    findings = RECOGNISERS[name](ItemText(text, kind))
    assert [f.when for f in findings] == expected
    for f in findings:
        assert f.span == text[f.start:f.end] or f.span == text[f.start:f.end].strip()
        assert 0 < f.confidence <= 1 and f.reading


def test_every_recogniser_has_examples_both_ways() -> None:
    assert set(EXAMPLES) == set(RECOGNISERS)
    for name, examples in EXAMPLES.items():
        assert any(e for _, _, e in examples) and any(not e for _, _, e in examples), name


def test_spans_and_confidence() -> None:
    (f,) = RECOGNISERS["age"](ItemText("patients (aged ≥ 18 years) with asthma", "inclusion"))
    assert f.span == "aged ≥ 18 years" and f.confidence == 0.7 and "parentheses" in f.reading
    (g,) = RECOGNISERS["pregnancy"](ItemText("Pregnant or breast-feeding women", "exclusion"))
    assert (g.slug, g.span) == ("pregnancy", "Pregnant or breast-feeding")
    (h,) = RECOGNISERS["events"](ItemText("Chemotherapy within 4 weeks before enrolment", "exclusion"))
    assert h.span == "Chemotherapy within 4 weeks" and h.value_sets == ["antineoplastic_agents"]


def test_lab_thresholds_in_notes_or_with_alternatives_are_less_certain() -> None:
    text = "hemoglobin ≥ 9 g/dL\nplatelets ≥ 100 x 10^9/L"
    hb, plt = RECOGNISERS["labs"](ItemText(text, "inclusion", notes_from=text.index("\n")))
    assert hb.confidence == 0.8 and plt.confidence == 0.6 and "footnote" in plt.reading
    (g,) = RECOGNISERS["labs"](ItemText("Serum creatinine ≤ 1.5 mg/dL or creatinine clearance > 60 mL/min", "inclusion"))
    assert g.when == {"latest": {"code": "creatinine", "le": "1.5 mg/dL"}}
    assert g.confidence < 0.5 and "alternative" in g.reading
    (t,) = RECOGNISERS["labs"](ItemText("oral temperature of >100.4 °F", "exclusion"))
    assert "100.4 °F = 38 °C" in t.reading
    with pytest.raises(UnitError):
        factor("[degF]", "Cel")  # an offset scale: the recogniser converts °F, no multiplier exists


def test_recognise_keeps_the_outer_of_nested_spans() -> None:
    # 'pregnancy test' is no lab, and a lab mention inside the drafted span would be dropped
    text = "Negative serum pregnancy test, hemoglobin ≥ 9 g/dL"
    found = recognise(ItemText(text, "inclusion"))
    assert [f.slug for f in found] == ["pregnancy_test", "hemoglobin"]
    assert [f.start for f in found] == sorted(f.start for f in found)


def test_residual_is_the_content_words_outside_the_drafted_spans() -> None:
    text = "Hemoglobin ≥ 9 g/dL unless transfused recently"
    found = recognise(ItemText(text, "inclusion"))
    assert residual(text, found) == "unless transfused recently"
    assert residual("Known HIV infection", recognise(ItemText("Known HIV infection", "exclusion"))) == ""

"""Regression tests for what the twenty-sixth held-out batch found, each phrased apart from the
fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from typing import Any

from screening.ctgov.recognisers import ItemText, recognise


def _whens(text: str, kind: str = "inclusion") -> list[dict[str, Any] | None]:
    return [f.when for f in recognise(ItemText(text, kind))]


def test_a_threshold_after_a_labelled_value_is_not_the_first_measures() -> None:
    # '2-h value: ... or > 200' is the two-hour glucose's: not an alternative fasting glucose
    fpg = {"latest": {"code": "fasting_glucose", "lt": "110 mg/dL"}}
    assert _whens("Fasting plasma glucose below 110 mg/dL and 2-h value: 140-199 mg/dL or > 200 mg/dL") == [fpg]
    assert _whens("Fasting glucose < 110 mg/dL, post-load: >= 140 mg/dL") == [fpg]
    # an alternative of the same measure, with no label between, is still no single threshold
    assert fpg not in _whens("Fasting glucose < 110 mg/dL or > 300 mg/dL")


def test_a_malignancy_widened_by_its_history_or_by_any_other_site() -> None:
    # 'current ... or a history of ...': any malignancy ever (the history holds the current one)
    assert _whens("Active cancer or a prior history of cancer", "exclusion") == [{"condition": {"code": "malignancy"}}]
    assert _whens("Ongoing malignancy, or previous malignancy within 3 years", "exclusion") == [
        {"condition": {"code": "malignancy", "within": "3 years"}}]
    # 'current <site> cancer or any other cancer': a current malignancy of any site
    assert _whens("Current melanoma cancer or any other malignancy", "exclusion") == [{"ref": "active_malignancy"}]
    # without a word for when, a site's cancer or another one stays undrafted
    assert _whens("Prostate cancer or other malignancies", "exclusion") == []


def test_a_negative_pregnancy_test_under_an_if_of_childbearing_potential() -> None:
    negative = {"any": [{"sex": ["male"]}, {"not": {"ref": "pregnant"}}]}
    assert _whens("If the patient is a female of childbearing potential, a negative serum pregnancy test is required") == [
        negative]
    # another condition still leaves it for review
    assert _whens("If the patient received hormonal therapy, a negative serum pregnancy test is required") == [None]


def test_a_signature_of_the_informed_consent_is_consent() -> None:
    assert _whens("Patient acceptance and signature of the informed consent") == [{"ref": "informed_consent_signed"}]


def test_glucocorticoids_are_corticosteroids() -> None:
    steroids = {"medication": {"code": "systemic_corticosteroids", "within": "6 weeks"}}
    assert _whens("Oral glucocorticoids within 6 weeks before randomisation", "exclusion") == [steroids]
    assert _whens("Use of systemic glucocorticosteroids within 6 weeks", "exclusion") == [steroids]
    # a local route is not a systemic one
    assert _whens("Inhaled glucocorticoids within 6 weeks", "exclusion") == []


def test_glucocorticoids_named_with_immunosuppressants_are_counted_with_them_once() -> None:
    both = {"medication": {"code": ["immunosuppressive_therapy", "systemic_corticosteroids"], "within": "30 days"}}
    assert _whens("Treatment with glucocorticoids or immunosuppressive drugs within 30 days", "exclusion") == [both]

"""Regression tests for what the fifty-fourth held-out batch's first run and the probing of its shapes found, each
phrased apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import drafts as _drafts
from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion

_SIGNED = {"ref": "informed_consent_signed"}


def _excluded(item: str) -> list[object]:
    return [w for w, _ in _exclusion(item)]


def test_a_history_of_one_sites_cancer_or_any_other_is_not_every_malignancy_ever() -> None:
    # 'History of colorectal cancer or other malignant tumors' (in a colon cancer trial) had been drafted at 0.6 as any
    # malignancy ever: in a trial of that site's cancer, the participants' own is a malignancy, so the history meant is
    # a previous one; whether the site is the trial's own the item does not say: left for review
    assert _excluded("History of breast cancer or other malignancies") == []
    assert _excluded("Prior lung cancer or any other malignant disease") == []
    assert _excluded("Previous gastric cancer or other cancers within 5 years") == []
    assert _excluded("A history of prostate cancer or another malignancy") == []
    # the present one of a site or any other is still an active malignancy (the trial's own is never excluded so)
    assert _excluded("Active skin cancer or other malignant disease") == [{"ref": "active_malignancy"}]
    # a malignancy in general, and its history, as before
    assert _excluded("History of malignancy") == [{"condition": {"code": "malignancy"}}]
    assert _excluded("Active cancer or a prior history of cancer") == [{"condition": {"code": "malignancy"}}]


def test_a_consent_named_by_whose_it_is() -> None:
    # 'Biological parent or guardian's informed consent.' had been left for review (a library-known miss): the
    # possessive before the consent was not read as a consent given
    assert _inclusion("Parent or legal guardian's written informed consent") == [_SIGNED]
    assert _inclusion("Patient's informed consent.") == [_SIGNED]
    assert _inclusion("Subject's or legal representative's informed consent") == [_SIGNED]
    assert _inclusion("The participant's consent") == [_SIGNED]
    assert _inclusion("2) Parent's informed consent;") == [_SIGNED]
    assert _inclusion("Patient's or surrogate's informed consent") == [_SIGNED]
    # a consent to something else, whoever gives it, is still not the study's
    assert _inclusion("Patient's informed consent for the surgery") == []
    assert _inclusion("Guardian's consent to the anaesthesia") == []


def test_a_failure_to_consent_in_an_exclusion_is_no_consent() -> None:
    # 'failure to sign informed consent' had been left for review (a library-known miss)
    not_signed = [{"not": _SIGNED}]
    assert _excluded("Failure to sign the informed consent form") == not_signed
    assert _excluded("failed to provide written informed consent") == not_signed
    assert _excluded("Failing to give informed consent") == not_signed
    # an inability is still the capacity, left for review; a consent to something else is not the study's
    assert _excluded("Inability to sign informed consent") == []
    assert _excluded("Failure to sign the consent for surgery") == []
    # an illness that may lead to a failure in signing is the illness's, not a consent record
    assert _excluded("Psychiatric illness that could lead to failure in signing the consent form") == []
    # heart failure is no failure to consent
    assert _inclusion("Heart failure, and signed informed consent") == [_SIGNED]


def _section(text: str, name: str) -> list[object]:
    return [w for w, _ in _drafts(text).get(name, [])]


def test_the_items_under_a_subgroups_heading_are_that_subgroups() -> None:
    # probing the sub-headings of batch 54's diabetes record found the items under 'Subgroup (...):' drafted as every
    # participant's (an age at 0.9): a subgroup or a sub-study is some of the participants, whatever the section's other
    # headings
    text = """Inclusion Criteria:
Main study population (registry data):
  -  Written informed consent
  -  Aged 18 years or more
Subgroup (interviews):
  -  Age 40 years or older
  -  HbA1c >= 7%
Exclusion Criteria:
  -  Pregnancy"""
    assert _section(text, "Inclusion Criteria") == [_SIGNED, {"age": {"ge": 18}}]
    for heading in ("Pharmacokinetic subgroup only:", "Sub-study participants:", "MRI substudy:"):
        text = f"""Inclusion Criteria:
  -  Aged 18 years or more
{heading}
  -  Creatinine < 1.5 mg/dL
  -  Age 40 years or older
Exclusion Criteria:
  -  Pregnancy"""
        assert _section(text, "Inclusion Criteria") == [{"age": {"ge": 18}}], heading
    # a heading that names every participant's criteria is still no group
    text = """Inclusion Criteria:
Study population:
  -  Aged 18 years or more
Exclusion Criteria:
  -  Pregnancy"""
    assert _section(text, "Inclusion Criteria") == [{"age": {"ge": 18}}]


def test_a_consent_not_required_or_to_be_contacted_is_not_the_studys_consent() -> None:
    # probing the consent named by whose it is found these drafted as the study's signed consent, in the old shapes
    # ('Signed informed consent ...') too: a consent waived asks for none, and one to be contacted later is another's
    assert _inclusion("Written informed consent is not required") == []
    assert _inclusion("The guardian's consent is waived") == []
    assert _inclusion("Signed informed consent to be contacted for future research") == []
    assert _inclusion("Patient's consent to be recontacted for other studies") == []
    # to be included, randomised or enrolled is still the study
    assert _inclusion("Signed informed consent to be included in the study") == [_SIGNED]
    assert _inclusion("Written informed consent to be randomised") == [_SIGNED]
    assert _inclusion("Written informed consent required before any study procedure") == [_SIGNED]

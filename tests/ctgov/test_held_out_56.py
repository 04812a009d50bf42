"""Regression tests for what the fifty-sixth held-out batch's first run and the probing of its shapes found, each
phrased apart from the fixture texts: the expected definitions are read by hand from these example texts."""

from __future__ import annotations

from tests.ctgov.drafting import drafts
from tests.ctgov.drafting import exclusion as _exclusion
from tests.ctgov.drafting import inclusion as _inclusion

_SIGNED = {"ref": "informed_consent_signed"}


def test_a_consent_given_in_writing_is_the_written_consent() -> None:
    # 'Informed consent in writing' had been missed: 'in writing' after the consent, not 'written' before it
    for text in ("Informed consent in writing", "Consent in writing.", "Consent given in writing",
                 "Informed consent obtained in writing", "Consent in writing by a parent or legal guardian"):
        assert _inclusion(text) == [_SIGNED], text
    assert drafts("Inclusion Criteria:\n\n* Informed consent in writing\n")["Inclusion Criteria"] == [(_SIGNED, 0.7)]
    # a consent in writing to something else is not the study's
    assert _inclusion("Informed consent in writing for genetic testing") == []
    assert _inclusion("Consent in writing to the use of samples in future research") == []
    # nor one with a condition
    assert _inclusion("Informed consent in writing, if applicable") == []
    # the words without the consent are nothing
    assert _inclusion("Able to communicate in writing") == []
    assert _exclusion("Informed consent in writing") == []

"""The recognisers, in the order they run, and what one item's findings leave unrecognised."""

from __future__ import annotations

import re

from screening.ctgov.recognisers.base import Finding, ItemText, Recogniser
from screening.ctgov.recognisers.conditions import (
    recognise_hypertension,
    recognise_malignancy,
    recognise_rheumatic,
    recognise_transplant,
)
from screening.ctgov.recognisers.consent import recognise_consent
from screening.ctgov.recognisers.demographics import recognise_age
from screening.ctgov.recognisers.events import recognise_events
from screening.ctgov.recognisers.infections import recognise_infections
from screening.ctgov.recognisers.lab_context import recognise_labs_in_context
from screening.ctgov.recognisers.performance import recognise_ecog, recognise_life_expectancy
from screening.ctgov.recognisers.pregnancy import recognise_pregnancy
from screening.ctgov.recognisers.qualifiers import qualify
from screening.ctgov.recognisers.sex import recognise_sex

# name -> recogniser. The order decides between findings with the same span (the earlier is kept);
# labs run last, so that a lab mention inside a span already drafted ('pregnancy test') is dropped.
RECOGNISERS: dict[str, Recogniser] = {
    "age": recognise_age,
    "sex": recognise_sex,
    "ecog": recognise_ecog,
    "life_expectancy": recognise_life_expectancy,
    "infections": recognise_infections,
    "pregnancy": recognise_pregnancy,
    "consent": recognise_consent,
    "events": recognise_events,
    "malignancy": recognise_malignancy,
    "transplant": recognise_transplant,
    "hypertension": recognise_hypertension,
    "rheumatic": recognise_rheumatic,
    "labs": recognise_labs_in_context,
}


def recognise(item: ItemText) -> list[Finding]:
    """All findings for one item, in text order, each definition checked against what else the
    item says (`qualifiers.qualify`); a finding inside the span of another is dropped."""
    found = [f for recogniser in RECOGNISERS.values() for f in recogniser(item)]
    keep: list[Finding] = []
    for f in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if not any(f.start >= k.start and f.end <= k.end for k in keep):
            keep.append(f)
    return qualify(item, keep)


# words that carry no requirement of their own: an item whose rest is only these is fully drafted
_STOP = set("""
a an the and or of to in on for at by as with from than that this these those be is are was were been being
have has had having must should will would may can could not no any all each other their they them it its
patients patient subjects subject participants participant persons person individuals males females male
female men women known history documented evidence current currently serum plasma blood level levels count
total value values status performance score scores test tests result results positive negative infection
infections antibody antibodies virus screening time any throughout during study prior previous previously
years year old age aged days day weeks week months month within past last received receive receiving used use
e g eg i ie including also only either both such per visit trial x mg dl g l mm cu
""".split())


def residual(text: str, findings: list[Finding], also: list[tuple[int, int]] | None = None) -> str:
    """The item's text with the drafted spans (and the spans `also` read) removed, reduced to its content words."""
    chars = list(text)
    for start, end in [(f.start, f.end) for f in findings] + (also or []):
        for i in range(start, min(end, len(chars))):
            chars[i] = " "
    words = re.findall(r"[A-Za-z][A-Za-z\-]*", "".join(chars))
    return " ".join(w for w in words if w.lower() not in _STOP)

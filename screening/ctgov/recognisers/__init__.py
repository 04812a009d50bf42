"""Recognisers that draft computable definitions from one eligibility item's text, one module a
domain: `demographics` (age, sex; `age_bounds` reads the bounds a text writes that could be ages,
`age_context` what beside one makes it no age of the participant today), `performance` (ECOG, life expectancy), `labs` (lab and
vital-sign thresholds with units; `lab_lower_bounds` reads a range's lower bound written before an upper bound's operator or the measure's name; `lab_context` reads them with the rest of their item: the window
of a list, the support a value is got without), `events` (medications, procedures and study
participation within a time window), `conditions` (malignancy and its exceptions), `infections` (HIV, hepatitis B
and C), `pregnancy` (pregnancy, lactation), `consent`.

Each is a function `(ItemText) -> list[Finding]` registered by name in `registry.RECOGNISERS`;
`recognise(item)` runs them all, then `qualifiers.qualify` turns every definition that does not
account for its whole item (a condition, an exception, a cohort, an alternative ...) into a
finding without a definition that says why. A recogniser only drafts what it is confident about;
everything else stays for review, with the reason.
"""

from screening.ctgov.recognisers.base import Finding, ItemText, Recogniser
from screening.ctgov.recognisers.registry import RECOGNISERS, recognise, residual

__all__ = ["RECOGNISERS", "Finding", "ItemText", "Recogniser", "recognise", "residual"]

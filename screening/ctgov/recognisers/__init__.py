"""Recognisers that draft computable definitions from one eligibility item's text, one module a
domain: `demographics` (age), `performance` (ECOG, life expectancy), `labs` (lab and vital-sign
thresholds with units), `events` (medications, conditions and study participation within a time
window), `infections` (HIV, hepatitis B and C), `pregnancy` (pregnancy, lactation), `consent`.

Each is a function `(ItemText) -> list[Finding]` registered by name in `registry.RECOGNISERS`;
`recognise(item)` runs them all. A recogniser only drafts what it is confident about; everything
else stays for review.
"""

from screening.ctgov.recognisers.base import Finding, ItemText, Recogniser
from screening.ctgov.recognisers.registry import RECOGNISERS, recognise, residual

__all__ = ["RECOGNISERS", "Finding", "ItemText", "Recogniser", "recognise", "residual"]
